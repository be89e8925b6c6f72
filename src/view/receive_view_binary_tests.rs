//! Binary data in the receive view (issue 18, item 5): what random bytes
//! cost in memory and in work, in every mode and in the charsets most used,
//! counted in what is held and made, never in time.

use super::*;
use std::ops::Range;

const READ: usize = 64 << 10;

/// `count` reads of 64 KiB of random bytes, the same every run.
fn random_reads(count: usize) -> Vec<Bytes> {
    let mut rng = fastrand::Rng::with_seed(18);
    (0..count).map(|_| Bytes::from((0..READ).map(|_| rng.u8(..)).collect::<Vec<u8>>())).collect()
}

/// What a record really holds on the heap: its bytes, and its text and
/// marker list as allocated.
fn allocated(record: &Record) -> usize {
    match &record.body {
        RecordBody::Data { raw, decoded, .. } => {
            raw.len() + decoded.text.capacity() + decoded.invalid.capacity() * size_of::<Range<usize>>()
        }
        RecordBody::Note { text, .. } => text.capacity(),
    }
}

#[test]
fn random_bytes_stay_within_the_limit_counting_what_is_really_allocated() {
    let reads = random_reads(40);
    for charset in [Charset::Gbk, Charset::Utf8] {
        for mode in ViewMode::ALL {
            let limits = StoreLimits { max_records: 200_000, max_bytes: 2 << 20 };
            let mut view = ReceiveView::new(charset, mode, limits);
            for read in &reads {
                view.push_data(crate::ids::ConnId(1), Direction::Rx, peer(), SystemTime::now(), read.clone());
            }
            let stats = view.stats();
            let what = format!("{charset:?} {mode:?}: {stats:?}");
            assert!(stats.bytes <= limits.max_bytes, "{what}");
            assert!(stats.dropped_records > 0, "the oldest went: {what}");
            let held: usize = view.records().map(allocated).sum();
            assert!(held <= stats.bytes, "everything allocated is counted ({held} B held): {what}");
            // A byte of binary data costs the view a bounded amount: its
            // text (up to 4 bytes: `\xNN`), its share of the markers and lines.
            let raw: usize = view
                .records()
                .map(|r| match &r.body {
                    RecordBody::Data { raw, .. } => raw.len(),
                    RecordBody::Note { .. } => 0,
                })
                .sum();
            eprintln!("{what}: raw {raw}, {} B a byte", stats.bytes / raw);
            assert!(raw * 10 >= stats.bytes, "raw {raw} B of {what}");
        }
    }
}

#[test]
fn a_read_of_random_bytes_makes_work_in_proportion_to_its_size() {
    // What a read leaves for the frames that draw it and the memory that
    // holds it, in units of work: text bytes, marker runs (each styled run
    // is shaped on its own when a line is laid out) and display lines.
    for charset in [Charset::Gbk, Charset::Utf8] {
        let mut view = ReceiveView::new(charset, ViewMode::TextHex, StoreLimits::default());
        for read in random_reads(4) {
            view.push_data(crate::ids::ConnId(1), Direction::Rx, peer(), SystemTime::now(), read);
        }
        let mut records = 0;
        for record in view.records() {
            let RecordBody::Data { raw, decoded, .. } = &record.body else { continue };
            records += 1;
            let n = raw.len();
            let what = format!(
                "{charset:?}: text {} B, {} markers, {} lines",
                decoded.text.len(),
                decoded.invalid.len(),
                record.lines
            );
            assert!(decoded.text.len() <= 4 * n, "at most `\\xNN` a byte: {what}");
            assert!(decoded.text.capacity() <= decoded.text.len() + decoded.text.len() / 8, "no spare held: {what}");
            assert!(decoded.invalid.len() <= n / 3, "touching markers are one run: {what}");
            assert!(decoded.invalid.windows(2).all(|w| w[0].end < w[1].start), "{what}");
            // A hex line per 16 bytes, a header, and text lines of 16 to 160 columns.
            assert!(record.lines as usize <= 1 + n / 16 + n / 32, "{what}");
        }
        assert_eq!(records, 4);
    }
}

#[test]
fn a_stream_ending_inside_a_character_is_indexed_as_a_full_rebuild_would() {
    // Binary data ends inside a character about every other time: the held
    // bytes join the stream's last record, and that record alone is indexed
    // again (not the whole store), here with another stream's record after it.
    let now = SystemTime::now();
    let mut view = ReceiveView::new(Charset::Gbk, ViewMode::TextHex, StoreLimits::default());
    for read in random_reads(3) {
        view.push_data(crate::ids::ConnId(1), Direction::Rx, peer(), now, read);
    }
    view.push_data(crate::ids::ConnId(1), Direction::Rx, peer(), now, Bytes::from_static(b"ab\xCE"));
    view.push_data(crate::ids::ConnId(2), Direction::Rx, peer(), now, Bytes::from_static(b"after\r\n"));
    let generation = view.generation();
    view.end_stream(crate::ids::ConnId(1), now);
    let (text, lines) = (view.to_text(), view.line_count());
    assert!(text.contains("ab\\xCE\n"), "the held byte is shown: {}", &text[text.len().saturating_sub(300)..]);
    assert!(view.generation() > generation, "views of the lines start over");
    view.set_wrap(100);
    view.set_wrap(crate::view::lines::WRAP_CHARS);
    assert_eq!((view.to_text(), view.line_count()), (text, lines));
    // The held byte makes the record's last text line wrap: a line more.
    let mut long = vec![b'a'; crate::view::lines::WRAP_CHARS - 1];
    long.push(0xCE);
    view.push_data(crate::ids::ConnId(3), Direction::Rx, peer(), now, Bytes::from(long));
    view.push_data(crate::ids::ConnId(2), Direction::Rx, peer(), now, Bytes::from_static(b"later\r\n"));
    let before = view.line_count();
    view.end_stream(crate::ids::ConnId(3), now);
    let (text, lines) = (view.to_text(), view.line_count());
    assert_eq!(lines, before + 1, "{}", &text[text.len().saturating_sub(600)..]);
    view.set_wrap(100);
    view.set_wrap(crate::view::lines::WRAP_CHARS);
    assert_eq!((view.to_text(), view.line_count()), (text, lines));
}

fn peer() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 8000))
}
