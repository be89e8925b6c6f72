//! Saved profiles through the real UI: save, restart with the same config
//! directory, find the profile selected with its values; the dirty marker;
//! rename, duplicate, delete; an unknown `--profile`; a damaged file.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or bench) fails by panicking

mod support;
mod ui_support;

use std::path::Path;

use egui_kittest::kittest::Queryable;
use netassist::app::StartOptions;
use netassist::codec::Charset;
use netassist::model::LinkState;
use netassist::profile::{FILE_NAME, ProfileStore};
use netassist::ui::{name_field, profile_label};
use ui_support::{AppHarness, REPLY_TEXT, REQUEST_TEXT, app_harness, choose, fill, has_text, save_as, step_until};

/// The app with its profiles in `dir`, started as a bare `netassist` would (last profile restored).
fn app_in(dir: &Path) -> AppHarness {
    let options = StartOptions { config_dir: Some(dir.to_path_buf()), restore_last: true, ..StartOptions::default() };
    let mut harness = app_harness(options);
    harness.step();
    harness
}

/// What the profile selector shows.
fn selected_profile(harness: &AppHarness) -> String {
    let label = profile_label();
    let node = harness.get_by_label(&label);
    node.value().unwrap_or_else(|| format!("{node:?}"))
}

/// Drops the app (its saver writes what is pending) and checks the file was written.
fn close(harness: AppHarness) {
    drop(harness);
}

#[test]
fn a_saved_profile_comes_back_selected_after_a_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_in(dir.path());
    assert_eq!(selected_profile(&harness), "(unsaved session)");
    fill(&mut harness, "Remote host", "::1");
    fill(&mut harness, "Remote port", "8123");
    choose(&mut harness, "Charset", "UTF-8");
    harness.get_by_label("Hex").click();
    harness.step();
    save_as(&mut harness, "tutorial");
    assert_eq!(harness.state().tab().profile_name(), Some("tutorial"));
    assert!(has_text(&harness, "Saved \"tutorial\"."));
    harness.state().profiles.wait_saved();
    let layout = ProfileStore::peek_layout(dir.path()).expect("the window layout is saved with the profiles");
    assert!(layout.left_panel > 100.0, "{layout:?}");
    close(harness);

    let text = std::fs::read_to_string(dir.path().join(FILE_NAME)).expect("profiles.ron written");
    assert!(text.contains("name: \"tutorial\"") && text.contains("\"8123\""), "{text}");

    let harness = app_in(dir.path());
    let app = harness.state();
    assert_eq!(app.tab().profile_name(), Some("tutorial"));
    assert_eq!(app.tab().settings.remote_host, "::1");
    assert_eq!(app.tab().settings.remote_port, "8123");
    assert_eq!(app.tab().settings.charset, Charset::Utf8);
    assert_eq!(app.tab().settings.view_mode, netassist::view::ViewMode::Hex);
    assert_eq!(selected_profile(&harness), "tutorial");
    assert!(!has_text(&harness, "unsaved changes"));
}

#[test]
fn the_dirty_marker_follows_edits_and_save() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_in(dir.path());
    save_as(&mut harness, "device");
    assert!(!has_text(&harness, "unsaved changes"));
    fill(&mut harness, "Remote port", "9001");
    harness.step();
    assert!(has_text(&harness, "* unsaved changes"));
    assert_eq!(selected_profile(&harness), "device *");
    harness.get_by_label("Save").click();
    harness.run_steps(2);
    assert!(!has_text(&harness, "unsaved changes"));
    harness.state().profiles.wait_saved();
    close(harness);
    let harness = app_in(dir.path());
    assert_eq!(harness.state().tab().settings.remote_port, "9001");
}

#[test]
fn rename_duplicate_and_delete_with_confirmation() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_in(dir.path());
    save_as(&mut harness, "plc");

    // A name in use is refused, with the reason, and the dialog stays open.
    save_as(&mut harness, "plc");
    assert!(has_text(&harness, "A profile named \"plc\" already exists."));
    harness.get_by_label("Cancel").click();
    harness.step();

    harness.get_by_label("Rename…").click();
    harness.step();
    fill(&mut harness, &name_field(), "plc-1");
    harness.get_by_label("OK").click();
    harness.run_steps(2);
    assert_eq!(harness.state().profiles.names(), vec!["plc-1"]);

    harness.get_by_label("Duplicate…").click();
    harness.step();
    fill(&mut harness, &name_field(), "plc-2");
    harness.get_by_label("OK").click();
    harness.run_steps(2);
    assert_eq!(harness.state().profiles.names(), vec!["plc-1", "plc-2"]);
    assert_eq!(harness.state().tab().profile_name(), Some("plc-2"));

    harness.get_by_label("Delete…").click();
    harness.step();
    assert!(has_text(&harness, "Delete profile \"plc-2\"?"));
    harness.get_by_label("Cancel").click();
    harness.step();
    assert_eq!(harness.state().profiles.names().len(), 2, "Cancel deletes nothing");
    harness.get_by_label("Delete…").click();
    harness.step();
    harness.get_by_label("Yes, delete").click();
    harness.run_steps(2);
    assert_eq!(harness.state().profiles.names(), vec!["plc-1"]);
    assert_eq!(harness.state().tab().profile_name(), None);

    // Picking a profile in the selector loads it.
    choose(&mut harness, &profile_label(), "plc-1");
    assert_eq!(harness.state().tab().profile_name(), Some("plc-1"));
    harness.state().profiles.wait_saved();
    close(harness);
    assert_eq!(app_in(dir.path()).state().tab().profile_name(), Some("plc-1"));
}

#[test]
fn profile_option_opens_and_connects_to_the_tutorial_server() {
    let server = support::spawn_tutorial_server();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_in(dir.path());
    fill(&mut harness, "Remote port", &server.addr.port().to_string());
    save_as(&mut harness, "tutorial");
    harness.state().profiles.wait_saved();
    close(harness);

    // netassist --profile tutorial --connect
    let options = StartOptions {
        config_dir: Some(dir.path().to_path_buf()),
        profiles: vec!["tutorial".to_owned()],
        connect: true,
        ..StartOptions::default()
    };
    let mut harness = app_harness(options);
    step_until(&mut harness, "Connected", |h| matches!(h.state().tab().session.state, LinkState::Connected { .. }));
    fill(&mut harness, "Send data", REQUEST_TEXT);
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the reply", |h| has_text(h, REPLY_TEXT));
}

#[test]
fn an_unknown_profile_is_reported_with_the_known_names() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_in(dir.path());
    save_as(&mut harness, "alpha");
    save_as(&mut harness, "beta");
    harness.state().profiles.wait_saved();
    close(harness);

    let options = StartOptions {
        config_dir: Some(dir.path().to_path_buf()),
        profiles: vec!["gamma".to_owned()],
        connect: true,
        ..StartOptions::default()
    };
    let mut harness = app_harness(options);
    harness.run_steps(2);
    assert!(has_text(&harness, "No profile named \"gamma\". Saved profiles: alpha, beta."));
    assert_eq!(harness.state().tab().session.state, LinkState::Idle, "nothing is connected");
    harness.get_by_label("Dismiss").click();
    harness.run_steps(2);
    assert!(!has_text(&harness, "No profile named"));
}

#[test]
fn a_damaged_profiles_file_is_reported_kept_and_not_overwritten() {
    let dir = tempfile::tempdir().expect("temp dir");
    let damaged = "(\n    version: 1,\n    profiles: [ (name: \"x\" remote_port: \"1\") ],\n)\n";
    let path = dir.path().join(FILE_NAME);
    std::fs::write(&path, damaged).expect("write fixture");

    let mut harness = app_in(dir.path());
    assert!(has_text(&harness, "is damaged at line 3, column"), "banner names the place");
    assert!(has_text(&harness, "a copy was kept"));
    // The user carries on: saving is refused, the file stays as it was.
    save_as(&mut harness, "new");
    harness.state().profiles.wait_saved();
    harness.step();
    assert!(has_text(&harness, "Not saved"), "the refusal is shown");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), damaged);

    // Choosing to start a new file writes the list, and the banner goes.
    harness.get_by_label("Start a new file").click();
    harness.run_steps(2);
    harness.state().profiles.wait_saved();
    assert!(!has_text(&harness, "is damaged"));
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains("name: \"new\""), "{text}");
    let kept = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("corrupt"))
        .count();
    assert_eq!(kept, 1, "the damaged copy is kept");
}
