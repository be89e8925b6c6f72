//! Issue 15, item 4: "a 4 GiB capture opens to its first screen in < 2 s and
//! stays < 200 MB RSS". The real app in an egui_kittest harness (no GPU:
//! layout and accesskit, as the UI tests) opens a generated capture of
//! `NETASSIST_BIG_CAPTURE_MIB` MiB (4096 unless set) in the temporary folder,
//! and this prints: the time from File ▸ Open to the first row on screen,
//! to the whole index, to the middle and the last row after a jump, and to
//! the end of a find over the whole file for a marker in its middle; the
//! resident memory before opening, after, and the process's peak (VmHWM).
//! The file is deleted at the end. It is generated just before, so it is
//! warm in the page cache (a cold disk reads slower; the first screen needs
//! only the first 4 MiB either way).
//!
//! Run: `cargo bench --bench big_capture_open` (`NETASSIST_BIG_CAPTURE_MIB=1024`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a bench fails by panicking

use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use bytes::Bytes;
use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use netassist::app::{NetAssistApp, StartOptions, resident_bytes};
use netassist::capture::{CaptureRecord, CaptureWriter, RecordKind, Transport};
use netassist::ids::{ConnId, Direction};
use netassist::view::{FindMode, FindQuery};

/// The marker in the middle record.
const MARKER: &str = "NEEDLE-IN-THE-MIDDLE";

/// Writes about `mib` MiB of 64-byte TCP reads (the worst case for an
/// index: the most records per byte); returns the record count.
fn generate(path: &Path, mib: u64) -> u64 {
    let file = std::fs::File::create(path).unwrap();
    let mut writer = CaptureWriter::new(BufWriter::with_capacity(1 << 20, file)).unwrap();
    let (target, mut i) = (mib << 20, 0u64);
    let mut marked = false;
    while writer.bytes() < target {
        let mut payload = format!("record {i:012} ").into_bytes();
        payload.resize(64, b'.');
        if !marked && writer.bytes() >= target / 2 {
            payload[..MARKER.len()].copy_from_slice(MARKER.as_bytes());
            marked = true;
        }
        let record = CaptureRecord {
            micros: 1_700_000_000_000_000 + i as i64,
            conn: ConnId(1),
            transport: Transport::Tcp,
            direction: if i.is_multiple_of(2) { Direction::Rx } else { Direction::Tx },
            peer: "127.0.0.1:8000".to_owned(),
            kind: RecordKind::Data { payload: Bytes::from(payload) },
        };
        writer.write_record(&record).unwrap();
        i += 1;
    }
    writer.into_inner().flush().unwrap();
    i
}

fn has_text(harness: &Harness<'_, NetAssistApp>, text: &str) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}

/// Steps frames until `done`; the time it took.
fn until(
    harness: &mut Harness<'_, NetAssistApp>,
    what: &str,
    mut done: impl FnMut(&Harness<'_, NetAssistApp>) -> bool,
) -> Duration {
    let start = Instant::now();
    while !done(harness) {
        assert!(start.elapsed() < Duration::from_mins(10), "timed out waiting for {what}");
        harness.step();
    }
    start.elapsed()
}

fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse::<u64>().ok().map(|kib| kib * 1024)
}

fn mb(bytes: Option<u64>) -> String {
    bytes.map_or_else(|| "?".to_owned(), |b| format!("{:.1} MB", b as f64 / 1e6))
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else to parse.
    let mib = std::env::var("NETASSIST_BIG_CAPTURE_MIB").ok().and_then(|v| v.parse().ok()).unwrap_or(4096);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.nacap");
    let started = Instant::now();
    let records = generate(&path, mib);
    let len = std::fs::metadata(&path).unwrap().len();
    println!(
        "big_capture_open: {records} records of 64 payload bytes, {len} bytes, written in {:.1?}",
        started.elapsed()
    );
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1100.0, 720.0))
        .build_eframe(move |cc| NetAssistApp::new(cc, StartOptions::default()).expect("engine starts"));
    harness.run_steps(3);
    let before = resident_bytes();
    let row = |i: u64| format!("record {i:012}");
    let opened = Instant::now();
    harness.state_mut().tab_mut().open_capture_file(&path).expect("opens");
    until(&mut harness, "the first row", |h| has_text(h, &row(0)));
    let first_screen = opened.elapsed();
    until(&mut harness, "the index", |h| h.state().tab().big.as_ref().is_some_and(|b| !b.capture.indexing()));
    let indexed = opened.elapsed();
    let big = &harness.state().tab().big.as_ref().unwrap().capture;
    assert_eq!(big.row_count(), records);
    let index_bytes = big.index.heap_bytes();
    let jump = |harness: &mut Harness<'_, NetAssistApp>, record: u64| {
        harness.state_mut().tab_mut().big.as_mut().unwrap().capture.scroll_to = Some(record);
        until(harness, "the row", |h| has_text(h, &row(record)))
    };
    let middle = jump(&mut harness, records / 2 + 1);
    let last = jump(&mut harness, records - 1);
    let searching = Instant::now();
    let big = harness.state_mut().tab_mut().big.as_mut().unwrap();
    big.start_find(Some(FindQuery { text: MARKER.to_owned(), mode: FindMode::Text, match_case: true })).unwrap();
    until(&mut harness, "the search", |h| h.state().tab().big.as_ref().is_some_and(|b| b.capture.find.done));
    let found = searching.elapsed();
    assert_eq!(harness.state().tab().big.as_ref().unwrap().capture.find.matches, 1);
    let after = resident_bytes();
    println!("first screen: {first_screen:.2?} after File > Open");
    println!(
        "whole index: {indexed:.2?} ({:.0} MiB/s), its offsets {:.1} MB",
        len as f64 / f64::from(1 << 20) / indexed.as_secs_f64(),
        index_bytes as f64 / 1e6
    );
    println!("jump to the middle: {middle:.2?}; to the end: {last:.2?}");
    println!(
        "find over the whole file: {found:.2?} ({:.0} MiB/s)",
        len as f64 / f64::from(1 << 20) / found.as_secs_f64()
    );
    println!("RSS before opening {}, after {}, peak (VmHWM) {}", mb(before), mb(after), mb(peak_rss()));
    drop(harness);
    std::fs::remove_file(&path).unwrap();
}
