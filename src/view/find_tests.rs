use std::net::SocketAddr;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use proptest::prelude::*;

use super::*;
use crate::codec::Charset;
use crate::ids::{ConnId, Direction};
use crate::view::{FindMode, NoteLevel, StoreLimits, ViewMode};

fn peer() -> SocketAddr {
    "127.0.0.1:8000".parse().unwrap()
}

fn at(ms: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_millis(ms)
}

fn query(text: &str, mode: FindMode, match_case: bool) -> FindQuery {
    FindQuery { text: text.to_owned(), mode, match_case }
}

fn view(charset: Charset, mode: ViewMode) -> ReceiveView {
    ReceiveView::new(charset, mode, StoreLimits::default())
}

fn rx(view: &mut ReceiveView, conn: u64, bytes: &[u8]) {
    view.push_data(ConnId(conn), Direction::Rx, peer(), at(view.next_seq()), Bytes::copy_from_slice(bytes));
}

/// Every match of `query` in `view`, searched at once.
fn find_all(view: &ReceiveView, query: FindQuery) -> FindJob {
    let mut job = FindJob::new(query).unwrap();
    let progress = job.advance(view, FindBudget::UNLIMITED);
    assert!(progress.done, "{progress:?}");
    job
}

/// (start unit, start offset, end unit, end offset) of each match.
fn spans(job: &FindJob) -> Vec<(u64, u32, u64, u32)> {
    job.matches().iter().map(|hit| (hit.start.unit, hit.start.offset, hit.end.unit, hit.end.offset)).collect()
}

/// The rendered text of each highlight in every line of `view`.
fn highlighted(job: &FindJob, view: &ReceiveView) -> Vec<String> {
    let (mut line, mut markers, mut marks) = (String::new(), Vec::new(), Vec::new());
    let mut out = Vec::new();
    for index in 0..view.line_count() {
        view.render_line(index, &mut line, &mut markers);
        job.highlights(view, index, &line, &mut marks);
        out.extend(marks.iter().map(|mark| line[mark.range.clone()].to_owned()));
    }
    out
}

#[test]
fn text_is_found_as_decoded_with_or_without_case() {
    let mut view = view(Charset::Utf8, ViewMode::Text);
    rx(&mut view, 1, b"Hello world\nhello again");
    view.push_note(at(5), NoteLevel::Info, "Connected to HELLO");
    rx(&mut view, 2, b"nothing here");
    let job = find_all(&view, query("hello", FindMode::Text, true));
    assert_eq!(spans(&job), [(0, 12, 0, 17)]);
    let mut job = find_all(&view, query("hello", FindMode::Text, false));
    assert_eq!(spans(&job), [(0, 0, 0, 5), (0, 12, 0, 17), (1, 13, 1, 18)]);
    assert_eq!(job.counter(), (0, 3));
    assert_eq!(highlighted(&job, &view), ["Hello", "hello", "HELLO"]);

    // Next and previous wrap around; the counter follows.
    assert_eq!(job.select_next().map(|h| h.start.offset), Some(0));
    assert_eq!(job.select_next().map(|h| h.start.offset), Some(12));
    assert_eq!(job.counter(), (2, 3));
    job.select_next();
    assert_eq!(job.select_next().map(|h| h.start.offset), Some(0), "after the last, the first");
    assert_eq!(job.select_previous().map(|h| h.start.unit), Some(1), "before the first, the last");
    assert_eq!(job.counter(), (3, 3));
    let mut marks = Vec::new();
    let note_line = view.line_count() - 3;
    let mut line = String::new();
    view.render_line(note_line, &mut line, &mut Vec::new());
    job.highlights(&view, note_line, &line, &mut marks);
    assert_eq!(marks.len(), 1);
    assert!(marks[0].current, "the selected match is marked");
    assert_eq!(job.select_from(1).map(|h| h.start.unit), Some(1));
    assert_eq!(job.line_of(&view, job.current().unwrap().1), Some(note_line));
}

#[test]
fn a_gbk_character_split_across_two_reads_is_found() {
    // 你好服务器 in GBK, cut inside 你 and between 好 and 服.
    let text = [0xC4, 0xE3, 0xBA, 0xC3, 0xB7, 0xFE, 0xCE, 0xF1, 0xC6, 0xF7];
    let mut view = view(Charset::Gbk, ViewMode::TextHex);
    rx(&mut view, 1, &text[..1]);
    rx(&mut view, 1, &text[1..4]);
    rx(&mut view, 1, &text[4..]);
    assert!(view.to_text().contains("你好\n") && view.to_text().contains("服务器"), "{}", view.to_text());
    let job = find_all(&view, query("你好服务", FindMode::Text, true));
    // 你好 decoded in the second read, 服务 in the third: one match across them.
    assert_eq!(spans(&job), [(1, 0, 2, 6)]);
    assert_eq!(highlighted(&job, &view), ["你好", "服务"]);

    // The bytes, split after C4: found across the first two reads, highlighted in the hex lines.
    let job = find_all(&view, query("C4 E3", FindMode::Hex, true));
    assert_eq!(spans(&job), [(0, 0, 1, 1)]);
    assert_eq!(highlighted(&job, &view), ["C4", "E3"]);
    let hex_of_first = view.line_count_before(0) + 2; // header, text, hex
    assert_eq!(job.line_of(&view, job.matches()[0]), Some(hex_of_first));
}

#[test]
fn streams_are_searched_apart_and_datagrams_alone() {
    let mut view = view(Charset::Utf8, ViewMode::Text);
    rx(&mut view, 1, b"ab");
    rx(&mut view, 2, b"cd");
    view.push_data(ConnId(1), Direction::Tx, peer(), at(9), Bytes::from_static(b"cd"));
    rx(&mut view, 1, b"cd");
    view.push_datagram(ConnId(3), Direction::Rx, peer(), at(10), Bytes::from_static(b"ab"));
    view.push_datagram(ConnId(3), Direction::Rx, peer(), at(11), Bytes::from_static(b"cd"));
    let job = find_all(&view, query("abcd", FindMode::Text, true));
    // Only connection 1's received stream reads "abcd"; its two reads have others between.
    assert_eq!(spans(&job), [(0, 0, 3, 2)]);
    let job = find_all(&view, query("bc", FindMode::Text, true));
    assert_eq!(spans(&job), [(0, 1, 3, 1)]);
}

#[test]
fn regular_expressions_and_bad_queries() {
    let mut view = view(Charset::Utf8, ViewMode::Text);
    rx(&mut view, 1, b"temp=21.5C\nTEMP=22");
    rx(&mut view, 1, b".0C\n");
    let job = find_all(&view, query(r"temp=\d+\.\d+C", FindMode::Regex, false));
    assert_eq!(spans(&job), [(0, 0, 0, 10), (0, 11, 1, 3)]);
    let job = find_all(&view, query(r"temp=\d+", FindMode::Regex, true));
    assert_eq!(spans(&job), [(0, 0, 0, 7)]);

    let error = |text: &str, mode| FindJob::new(query(text, mode, true)).unwrap_err();
    assert_eq!(error("", FindMode::Text), QueryError::Empty);
    assert_eq!(error(" , ", FindMode::Hex), QueryError::Empty);
    assert!(matches!(error("C4 E", FindMode::Hex), QueryError::Hex(_)));
    assert!(error("C4 E", FindMode::Hex).to_string().contains("incomplete byte"));
    assert!(matches!(error("a(b", FindMode::Regex), QueryError::Regex(_)));
    assert_eq!(error("a*", FindMode::Regex), QueryError::MatchesEmpty);
    assert!(matches!(error(&"x".repeat(5000), FindMode::Text), QueryError::TooLong { len: 5000 }));
}

#[test]
fn a_small_budget_searches_a_little_each_time_and_finds_the_same() {
    let mut view = view(Charset::Utf8, ViewMode::Text);
    for i in 0..1000 {
        rx(&mut view, i % 3, format!("line {i} needle\n").as_bytes());
    }
    let all = find_all(&view, query("needle", FindMode::Text, true));
    let mut job = FindJob::new(query("needle", FindMode::Text, true)).unwrap();
    let small = FindBudget { time: Duration::MAX, bytes: 1 };
    let mut steps = 0;
    let mut last = 0;
    loop {
        let progress = job.advance(&view, small);
        steps += 1;
        assert!(progress.searched >= last && progress.total == 1000, "{progress:?}");
        last = progress.searched;
        if progress.done {
            assert_eq!(progress.fraction(), 1.0);
            break;
        }
        assert!(progress.fraction() < 1.0);
    }
    assert!(steps > 10, "{steps} steps");
    assert_eq!(spans(&job), spans(&all));
    assert_eq!(job.counter(), (0, 1000));
}

#[test]
fn the_job_follows_a_live_view_and_starts_over_when_the_text_changes() {
    let limits = StoreLimits { max_records: 10, max_bytes: 1 << 20 };
    let mut view = ReceiveView::new(Charset::Utf8, ViewMode::Text, limits);
    rx(&mut view, 1, b"x1");
    let mut job = FindJob::new(query("x", FindMode::Text, true)).unwrap();
    assert_eq!(job.advance(&view, FindBudget::UNLIMITED).matches, 1);
    job.select_next();
    for _ in 0..5 {
        rx(&mut view, 1, b"x");
    }
    let progress = job.advance(&view, FindBudget::UNLIMITED);
    assert_eq!((progress.matches, progress.done), (6, true));
    assert_eq!(job.counter(), (1, 6), "the selection stays");
    // The view keeps 10 records: the oldest go, with their matches.
    for _ in 0..10 {
        rx(&mut view, 2, b"y");
    }
    let progress = job.advance(&view, FindBudget::UNLIMITED);
    assert_eq!(progress.matches, 0);
    assert_eq!((progress.searched, progress.total), (10, 10));
    assert_eq!(job.counter(), (0, 0));
    rx(&mut view, 2, b"x");
    view.set_charset(Charset::Gbk);
    assert!(!job.progress(&view).done, "a charset change starts the search over");
    assert_eq!(job.advance(&view, FindBudget::UNLIMITED).matches, 1);
}

#[test]
fn a_search_stops_at_the_most_matches_it_keeps() {
    let mut view = view(Charset::Utf8, ViewMode::Hex);
    rx(&mut view, 1, &vec![b'a'; MAX_MATCHES + 10]);
    let job = find_all(&view, query("a", FindMode::Text, true));
    let progress = job.progress(&view);
    assert!(progress.capped && progress.done);
    assert_eq!(progress.matches, MAX_MATCHES);
}

/// The matches of `needle` in `text`, as the scanner would find them over
/// the whole text at once (non-overlapping, leftmost first).
fn reference(text: &[u8], needle: &[u8]) -> Vec<(usize, usize)> {
    memchr::memmem::find_iter(text, needle).fold(Vec::new(), |mut out, at| {
        if out.last().is_none_or(|&(_, end)| at >= end) {
            out.push((at, at + needle.len()));
        }
        out
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// However a stream is cut into reads, and whatever other records come
    /// between them, its matches are those of its whole text.
    #[test]
    fn matches_do_not_depend_on_where_reads_are_cut(
        text in proptest::collection::vec(prop_oneof![Just(b'a'), Just(b'b')], 0..60),
        cuts in proptest::collection::vec(0usize..60, 0..8),
        needle in proptest::collection::vec(prop_oneof![Just(b'a'), Just(b'b')], 1..5),
        mode in prop_oneof![Just(0), Just(1), Just(2)],
    ) {
        let mut cuts: Vec<usize> = cuts.into_iter().filter(|&c| c <= text.len()).collect();
        cuts.extend([0, text.len()]);
        cuts.sort_unstable();
        cuts.dedup();
        let needle_text = String::from_utf8(needle.clone()).unwrap();
        let query = match mode {
            0 => query(&needle_text, FindMode::Text, true),
            1 => query(&needle_text.to_uppercase(), FindMode::Text, false),
            _ => query(&needle.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(" "), FindMode::Hex, true),
        };
        let mut scanner = Scanner::new(Pattern::new(&query).unwrap());
        let mut starts = Vec::new(); // unit → offset of its first byte in the text
        let mut hits = Vec::new();
        let mut unit = 0;
        for piece in cuts.windows(2) {
            // Another stream's record and a datagram between every two reads.
            scanner.feed(Some((ConnId(2), Direction::Rx)), unit, b"zzz", |_| {});
            scanner.feed(None, unit + 1, b"ab", |_| {});
            starts.push((unit + 2, piece[0]));
            scanner.feed(Some((ConnId(1), Direction::Rx)), unit + 2, &text[piece[0]..piece[1]], |hit| hits.push(hit));
            unit += 3;
        }
        let global = |unit: u64, offset: u32| {
            starts.iter().find(|(u, _)| *u == unit).map(|(_, start)| start + offset as usize).unwrap()
        };
        let got: Vec<(usize, usize)> =
            hits.iter().map(|hit| (global(hit.start.unit, hit.start.offset), global(hit.end.unit, hit.end.offset))).collect();
        prop_assert_eq!(got, reference(&text, &needle));
    }
}
