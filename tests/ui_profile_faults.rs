//! Profile files met in the wild, through the real window (issue 18, items 1
//! and 4): a file from a newer netassist survives a clean quit byte for byte;
//! a 10,000-character name from a hand-edited file is reported and shown
//! shortened, and the left panel keeps its width.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or bench) fails by panicking

mod support;
mod ui_support;

use std::path::Path;

use eframe::App as _;
use netassist::app::StartOptions;
use netassist::profile::FILE_NAME;
use ui_support::{AppHarness, app_harness, has_text, save_as};

/// The app with its profiles in `dir`, started as a bare `netassist` would (last profile restored).
fn app_in(dir: &Path) -> AppHarness {
    let options = StartOptions { config_dir: Some(dir.to_path_buf()), restore_last: true, ..StartOptions::default() };
    let mut harness = app_harness(options);
    harness.run_steps(2);
    harness
}

/// What a clean quit (Ctrl+Q, closing the window) does: eframe's `on_exit`, then the app is dropped.
fn quit(mut harness: AppHarness) {
    harness.state_mut().on_exit(None);
    drop(harness);
}

const NEWER: &str = r#"(
    version: 999,
    hologram: (depth: 3),
    profiles: [
        (name: "from the future", remote_port: "7000", quantum_mode: true),
    ],
    last_used: Some("from the future"),
)
"#;

#[test]
fn a_newer_profiles_file_is_reported_and_survives_a_clean_quit_byte_for_byte() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(FILE_NAME);
    std::fs::write(&path, NEWER).expect("write fixture");

    let mut harness = app_in(dir.path());
    assert!(has_text(&harness, "was written by a newer netassist (format 999; this one writes 1)"), "banner");
    assert!(has_text(&harness, "A byte-identical copy was kept as"));
    // Read as far as it can be: the profile is there, and in use.
    assert_eq!(harness.state().tab().profile_name(), Some("from the future"));
    assert_eq!(harness.state().tab().settings.remote_port, "7000");
    // Saving is refused while the file is protected; the quit writes nothing either.
    save_as(&mut harness, "mine");
    harness.state().profiles.wait_saved();
    harness.step();
    assert!(has_text(&harness, "Not saved"), "the refusal is shown");
    assert!(has_text(&harness, "written by a newer netassist (format 999)"), "with its real reason");
    assert!(!has_text(&harness, "could not be loaded at start"), "not the damaged file's");
    quit(harness);
    assert_eq!(std::fs::read_to_string(&path).expect("read"), NEWER, "byte-identical after a clean quit");
}

#[test]
fn a_ten_thousand_character_name_is_reported_shortened_and_the_left_panel_keeps_its_width() {
    let dir = tempfile::tempdir().expect("temp dir");
    let huge = "W".repeat(10_000);
    let text = format!(
        "(version: 1, last_used: Some(\"{huge}\"), window: Some((width: 1100.0, height: 720.0, left_panel: 270.0, send_panel: 210.0)), profiles: [(name: \"{huge}\", remote_port: \"1\")])"
    );
    std::fs::write(dir.path().join(FILE_NAME), &text).expect("write fixture");

    let mut harness = app_in(dir.path());
    harness.run_steps(3);
    assert!(has_text(&harness, "A profile name in the profiles file breaks the naming rules"), "reported");
    assert!(has_text(&harness, "(10000 characters) is now"), "its length is said");
    let shown = harness.state().tab().profile_name().expect("the profile is in use").to_owned();
    assert_eq!(shown.chars().count(), netassist::profile::MAX_NAME_CHARS);
    assert!(!has_text(&harness, &"W".repeat(65)), "no label shows more than 64 characters of it");
    let left = harness.state().profiles.layout().expect("layout noted").left_panel;
    assert!(left <= 300.0, "the left panel kept its width: {left}");
}
