//! Frame timing: the F12 overlay and the stats file benchmarks read.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or bench) fails by panicking

mod support;
mod ui_support;

use netassist::ids::Direction;
use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

use eframe::egui::Key;
use netassist::app::StartOptions;
use netassist::engine::EngineConfig;
use netassist::view::RecordBody;
use ui_support::{AppHarness, LISTEN, SERVER, app_harness, has_text, open_local, step_until, step_until_within};

/// `count` numbered CRLF lines, as a flooding device might send them.
fn numbered_lines(count: usize) -> Vec<u8> {
    (0..count).flat_map(|i| format!("line {i:08} of the flood\r\n").into_bytes()).collect()
}

/// Options for a flood the view cannot keep up with: a small event queue
/// that elides data once full (as the app's does), and frames that let data
/// pass as soon as the queue backs up.
fn flood_options() -> StartOptions {
    StartOptions {
        engine: EngineConfig { event_bytes_budget: 256 * 1024, elide_when_behind: true, ..EngineConfig::default() },
        show_budget: Some(Duration::ZERO),
        ..StartOptions::default()
    }
}

/// Opens a TCP server in the app, floods it with `payload` from one client,
/// and steps until every byte is counted.
fn flood_and_count(harness: &mut AppHarness, payload: &[u8]) {
    let addr = open_local(harness, SERVER, LISTEN);
    let total = payload.len() as u64;
    let sender = std::thread::Builder::new()
        .name("ui_perf-flood".to_owned())
        .spawn({
            let payload = payload.to_vec();
            move || {
                let mut stream = TcpStream::connect(addr).expect("connect");
                stream.write_all(&payload).expect("flood");
            }
        })
        .expect("spawn a thread");
    step_until_within(harness, "every byte counted", Duration::from_mins(2), |h| {
        h.state().tab().session.counters.rx_bytes == total
    });
    sender.join().expect("sender");
}

#[test]
fn a_flood_faster_than_the_view_is_counted_exactly_and_its_gaps_are_noted() {
    let payload = numbered_lines(700_000); // 16.7 MB
    let total = payload.len() as u64;
    let mut harness = app_harness(flood_options());
    flood_and_count(&mut harness, &payload);
    let view = &harness.state().tab().session.view;
    let elided = view.elided_bytes();
    assert!(elided > 0 && elided < total, "some of the flood was elided, not all: {elided} of {total}");
    let notes: Vec<&str> = view
        .records()
        .filter_map(|r| match &r.body {
            RecordBody::Note { text, .. } if text.contains("not shown") => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert!(!notes.is_empty(), "the gaps are noted in the view");
    assert!(notes[0].starts_with("⋯ not shown: ") && notes[0].contains(" received from 127.0.0.1:"), "{}", notes[0]);
    assert!(notes[0].contains("the counters (and a capture, if on) have every byte"), "{}", notes[0]);
    // Once the flood is over the queue empties, and its end is shown.
    let last = view.records().filter_map(|r| match &r.body {
        RecordBody::Data { dir: Direction::Rx, raw, .. } => Some(raw.clone()),
        _ => None,
    });
    let last = last.last().expect("data shown");
    assert!(payload.ends_with(&last), "the last record shown is the flood's end");
}

#[test]
fn a_flood_of_random_bytes_is_counted_exactly_held_within_the_view_limit_and_its_end_shown() {
    // Issue 18, item 5: binary data in Text+Hex, where every read is decoded
    // (markers for invalid bytes and controls) and cut into hex lines too.
    let mut rng = fastrand::Rng::with_seed(18);
    let payload: Vec<u8> = (0..8 << 20).map(|_| rng.u8(..)).collect();
    let total = payload.len() as u64;
    let mut options = flood_options();
    options.settings.view_mode = netassist::view::ViewMode::TextHex;
    options.limits = netassist::view::StoreLimits { max_records: 200_000, max_bytes: 2 << 20 };
    let mut harness = app_harness(options);
    flood_and_count(&mut harness, &payload);
    let view = &harness.state().tab().session.view;
    let elided = view.elided_bytes();
    assert!(elided > 0 && elided < total, "some of the flood was elided, not all: {elided} of {total}");
    let stats = view.stats();
    assert!(stats.bytes <= 2 << 20, "the view holds what its limit allows: {stats:?}");
    let shown: u64 = view
        .records()
        .filter_map(|r| match &r.body {
            RecordBody::Data { raw, .. } => Some(raw.len() as u64),
            RecordBody::Note { .. } => None,
        })
        .sum();
    assert!(shown > 0 && shown + elided <= total, "some shown: {stats:?}");
    // Once the flood is over the queue empties, and its end is shown, as text with markers and as hex.
    let last = view.records().filter_map(|r| match &r.body {
        RecordBody::Data { dir: Direction::Rx, raw, decoded, .. } => Some((raw.clone(), decoded.invalid.len())),
        _ => None,
    });
    let (last, markers) = last.last().expect("data shown");
    assert!(payload.ends_with(&last), "the last record shown is the flood's end");
    assert!(markers > 0, "its invalid bytes and controls show as markers");
    let row = (last.len() - 1) / 16 * 16;
    let hex_end =
        format!("{row:04X}  {}", last[row..].iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(" "));
    assert!(view.to_text().contains(&format!("{hex_end}\n")), "its last bytes in hex: {hex_end}");
}

#[test]
fn data_that_does_not_back_the_queue_up_is_always_shown() {
    let mut harness = app_harness(flood_options());
    let addr = open_local(&mut harness, SERVER, LISTEN);
    let mut client = TcpStream::connect(addr).expect("connect");
    for i in 0..50u64 {
        client.write_all(format!("message {i}\n").as_bytes()).expect("send");
        let total: u64 = (0..=i).map(|j| format!("message {j}\n").len() as u64).sum();
        step_until(&mut harness, "the message counted", |h| h.state().tab().session.counters.rx_bytes == total);
    }
    let view = &harness.state().tab().session.view;
    assert_eq!(view.elided_bytes(), 0, "no backlog, nothing elided, even with no time to show");
    assert!(view.to_text().contains("message 49"));
}

#[test]
fn f12_shows_frame_times_and_the_stats_file_follows_the_session() {
    let dir = tempfile::tempdir().expect("temp dir");
    let stats = dir.path().join("stats.txt");
    let options = StartOptions { stats_file: Some(stats.clone()), ..StartOptions::default() };
    let mut harness = app_harness(options);
    harness.run_steps(3);
    assert!(!has_text(&harness, "frame_p99_us="));
    harness.key_press(Key::F12);
    harness.run_steps(2);
    assert!(has_text(&harness, "frame_p99_us="), "the overlay shows frame times");
    let line = std::fs::read_to_string(&stats).expect("stats written at the first frame");
    for key in ["frames=", "frame_max_us=", "rx_bytes=0", "view_records=", "rss_bytes="] {
        assert!(line.contains(key), "{key} in {line}");
    }
    let frames = |line: &str| -> u64 {
        line.split_whitespace().find_map(|kv| kv.strip_prefix("frames=")).and_then(|v| v.parse().ok()).unwrap_or(0)
    };
    assert!(frames(&line) >= 1);
    harness.key_press(Key::F12);
    step_until(&mut harness, "the overlay to close", |h| !has_text(h, "frame_p99_us="));
}
