//! Frame timing: the F12 overlay and the stats file benchmarks read.

mod support;
mod ui_support;

use eframe::egui::Key;
use netassist::app::StartOptions;
use ui_support::{app_harness, has_text, step_until};

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
