//! A capture too big for the view, opened whole (issue 15, item 4): a
//! generated capture of 256 MiB (`NETASSIST_BIG_CAPTURE_MIB` for another
//! size) is indexed on a worker while its first rows show, then scrolled to
//! its start, middle and end, and searched whole for a marker in its
//! middle; a truncated one opens up to its last good record and says so.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod support;
mod ui_support;

use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Duration;

use bytes::Bytes;
use eframe::egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT, Queryable};
use netassist::app::StartOptions;
use netassist::capture::{CaptureRecord, CaptureWriter, RecordKind, Transport};
use netassist::ids::{ConnId, Direction};
use netassist::view::StoreLimits;
use ui_support::{AppHarness, app_harness, fill, has_text, step_until, step_until_within};

/// Payload bytes of each record.
const RECORD: usize = 4096;

/// The marker in the middle record's payload (past what a row shows, so
/// only a search of the whole payload finds it).
const MARKER: &str = "NEEDLE-IN-THE-MIDDLE";

/// Writes a capture of about `mib` MiB of `RECORD`-byte TCP reads; returns its record count.
fn generate(path: &Path, mib: usize) -> u64 {
    let count = (mib << 20) / (RECORD + 40);
    let mut writer =
        CaptureWriter::new(BufWriter::with_capacity(1 << 20, std::fs::File::create(path).unwrap())).unwrap();
    let mut payload = vec![b'.'; RECORD];
    for i in 0..count {
        payload.fill(b'.');
        let head = format!("record {i:08} of the big capture ");
        payload[..head.len()].copy_from_slice(head.as_bytes());
        if i == count / 2 {
            payload[1000..1000 + MARKER.len()].copy_from_slice(MARKER.as_bytes());
        }
        let record = CaptureRecord {
            micros: 1_700_000_000_000_000 + i as i64,
            conn: ConnId(1),
            transport: Transport::Tcp,
            direction: if i.is_multiple_of(2) { Direction::Rx } else { Direction::Tx },
            peer: "127.0.0.1:8000".to_owned(),
            kind: RecordKind::Data { payload: Bytes::copy_from_slice(&payload) },
        };
        writer.write_record(&record).unwrap();
    }
    writer.into_inner().flush().unwrap();
    count as u64
}

fn row(i: u64) -> String {
    format!("record {i:08} of the big capture")
}

fn indexed(harness: &mut AppHarness) {
    step_until_within(harness, "the index", Duration::from_mins(2), |h| {
        h.state().tab().big.as_ref().is_some_and(|big| !big.capture.indexing())
    });
}

fn scroll_to(harness: &mut AppHarness, record: u64) {
    harness.state_mut().tab_mut().big.as_mut().expect("opened whole").capture.scroll_to = Some(record);
    step_until(harness, "the row on screen", |h| has_text(h, &row(record)));
}

#[test]
fn a_256_mib_capture_opens_whole_scrolls_anywhere_and_is_searched_whole() {
    let mib = std::env::var("NETASSIST_BIG_CAPTURE_MIB").ok().and_then(|v| v.parse().ok()).unwrap_or(256);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.nacap");
    let count = generate(&path, mib);
    let mut harness = app_harness(StartOptions::default());
    harness.state_mut().tab_mut().open_capture_file(&path).expect("opens");
    assert!(harness.state().tab().viewer.is_none(), "too big for a view: opened whole");
    // The first rows show while the index is built.
    step_until(&mut harness, "the first row", |h| has_text(h, &row(0)));
    indexed(&mut harness);
    let big = &harness.state().tab().big.as_ref().unwrap().capture;
    assert_eq!(big.row_count(), count);
    assert_eq!(big.index.counts().payload_bytes, count * RECORD as u64);
    assert!(big.problem().is_none());
    assert!(big.index.heap_bytes() < 1 << 20, "the index stays small: {}", big.index.heap_bytes());
    harness.run_steps(2);
    assert!(has_text(&harness, &format!("{count} records")), "the header counts every record");

    scroll_to(&mut harness, count / 2);
    assert!(!has_text(&harness, &row(0)));
    scroll_to(&mut harness, count - 1);
    assert!(!has_text(&harness, &row(count / 2)));
    scroll_to(&mut harness, 0);
    assert!(!has_text(&harness, &row(count - 1)));

    // Hex view: the same rows, as bytes ("record" is 72 65 63 6F 72 64).
    harness.get_by_label(&netassist::view::ViewMode::Hex.label()).click();
    step_until(&mut harness, "the hex rows", |h| has_text(h, "72 65 63 6F 72 64 20 30"));

    // Find over the whole file: the marker is off screen, past what a row shows.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run_steps(2);
    fill(&mut harness, &netassist::ui::find_field(), MARKER);
    step_until_within(&mut harness, "the search", Duration::from_mins(2), |h| {
        h.state().tab().big.as_ref().is_some_and(|big| big.capture.find.done)
    });
    let find = &harness.state().tab().big.as_ref().unwrap().capture.find;
    assert_eq!((find.matches, find.hits.clone()), (1, vec![count / 2]));
    step_until(&mut harness, "the count", |h| has_text(h, "0 / 1"));
    harness.key_press(Key::F3);
    step_until(&mut harness, "the match scrolled into view", |h| has_text(h, "1 / 1"));
    harness.get_by_label(&netassist::view::ViewMode::Text.label()).click();
    step_until(&mut harness, "the middle row", |h| has_text(h, &row(count / 2)));

    harness.get_by_label(&netassist::ui::close_capture()).click();
    harness.run_steps(2);
    assert!(harness.state().tab().big.is_none());
}

#[test]
fn a_truncated_capture_opens_whole_up_to_its_last_good_record_and_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("cut.nacap");
    let count = generate(&path, 2);
    let len = std::fs::metadata(&path).unwrap().len();
    std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(len - 100).unwrap();
    // A view of 256 KiB: a 2 MiB capture does not fit, so it opens whole.
    let tiny = StoreLimits { max_records: 1000, max_bytes: 256 << 10 };
    let mut harness = app_harness(StartOptions { limits: tiny, ..StartOptions::default() });
    harness.state_mut().tab_mut().open_capture_file(&path).expect("opens");
    indexed(&mut harness);
    assert_eq!(harness.state().tab().big.as_ref().unwrap().capture.row_count(), count - 1);
    step_until(&mut harness, "the problem shown", |h| has_text(h, "The capture ends early: capture truncated"));
    scroll_to(&mut harness, count - 2);
}

#[test]
fn cancel_stops_the_index_and_closes_the_capture() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("cancel.nacap");
    // 128 MiB: the worker hands over at most 8 batches of 4 MiB before the
    // window takes them, so it is still indexing after the frames below.
    generate(&path, 128);
    let mut harness = app_harness(StartOptions::default());
    harness.state_mut().tab_mut().open_capture_file(&path).expect("opens");
    harness.run_steps(1);
    assert!(harness.state().tab().big.as_ref().is_some_and(|big| big.capture.indexing()));
    assert!(has_text(&harness, "Indexing…"));
    harness.get_by_label(&netassist::ui::cancel_index()).click();
    harness.run_steps(2);
    assert!(harness.state().tab().big.is_none(), "cancelled and closed");
    assert!(!has_text(&harness, &row(0)), "the live view is back");
}

#[test]
fn in_chinese_the_capture_opened_whole_speaks_chinese() {
    netassist::i18n::set_lang(netassist::i18n::Lang::ZhCn);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("zh.nacap");
    generate(&path, 128);
    let mut harness = app_harness(StartOptions { system_lang: netassist::i18n::Lang::ZhCn, ..StartOptions::default() });
    harness.state_mut().tab_mut().open_capture_file(&path).expect("opens");
    harness.run_steps(1);
    // Still indexing (see the cancel test): the progress bar and Cancel show.
    assert!(has_text(&harness, "正在建立索引"));
    assert!(has_text(&harness, "已完整打开"));
    harness.get_by_label("取消");
    indexed(&mut harness);
    harness.run_steps(2);
    let texts: Vec<String> = harness
        .root()
        .children_recursive()
        .flat_map(|node| {
            let node = node.accesskit_node();
            [node.label(), node.value()]
        })
        .flatten()
        .collect();
    assert!(texts.iter().all(|t| !t.contains('⟨')), "missing catalog keys: {texts:?}");
    assert!(has_text(&harness, "条记录"), "the header counts in Chinese");
}

#[test]
fn the_filter_row_filters_a_capture_opened_whole_by_direction_and_by_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("filter.nacap");
    let count = generate(&path, 4);
    // A view of 256 KiB: a 4 MiB capture does not fit, so it opens whole.
    let tiny = StoreLimits { max_records: 1000, max_bytes: 256 << 10 };
    let mut harness = app_harness(StartOptions { limits: tiny, ..StartOptions::default() });
    harness.state_mut().tab_mut().open_capture_file(&path).expect("opens");
    indexed(&mut harness);
    let filter_done = |h: &AppHarness| h.state().tab().big.as_ref().is_some_and(|big| big.capture.filter.done);

    // Received data only: every other record (the even ones are RX).
    harness.get_by_label("TX").click();
    step_until(&mut harness, "the filter over the whole file", filter_done);
    let rx: Vec<u64> = (0..count).filter(|i| i % 2 == 0).collect();
    let big = &harness.state().tab().big.as_ref().unwrap().capture;
    assert_eq!((big.filter.rows.clone(), big.shown_count()), (rx.clone(), rx.len() as u64));
    step_until(&mut harness, "the first row", |h| has_text(h, &row(0)));
    assert!(!has_text(&harness, &row(1)), "a TX record is hidden");
    harness.state_mut().tab_mut().big.as_mut().unwrap().capture.scroll_to = Some(count - 1);
    step_until(&mut harness, "the last RX row", |h| has_text(h, &row(*rx.last().unwrap())));

    // Both directions, with a text: the one record holding the marker.
    harness.get_by_label("TX").click();
    fill(&mut harness, &netassist::ui::filter_field(), MARKER);
    step_until(&mut harness, "the text filter", filter_done);
    let big = &harness.state().tab().big.as_ref().unwrap().capture;
    assert_eq!(big.filter.rows, vec![count / 2]);
    step_until(&mut harness, "the marker's row", |h| has_text(h, &row(count / 2)));
    assert!(!has_text(&harness, &row(0)));

    // Clear: every record shows again.
    harness.get_by_label("Show all").click();
    step_until(&mut harness, "everything again", |h| {
        h.state().tab().big.as_ref().is_some_and(|big| !big.capture.filter.active && big.capture.shown_count() == count)
    });
}
