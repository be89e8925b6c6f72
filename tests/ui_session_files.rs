//! Session files through the real app: the text log of a GBK exchange holds
//! the Chinese text as shown; an unusable log folder is reported and the
//! connection goes on; the receive view saved as text.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or bench) fails by panicking

mod support;
mod ui_support;

use std::path::{Path, PathBuf};

use egui_kittest::kittest::Queryable;
use netassist::app::StartOptions;
use netassist::files::LOGS_DIR;
use netassist::model::LinkState;
use netassist::view::ViewMode;
use ui_support::{AppHarness, REPLY_TEXT, REQUEST_TEXT, app_harness, fill, has_text, step_until};

/// The app, logging to `data_dir`, connected to the tutorial server on `port`.
fn logging_harness(data_dir: &Path, port: u16, view_mode: ViewMode) -> AppHarness {
    let mut options = StartOptions { data_dir: Some(data_dir.to_path_buf()), connect: true, ..StartOptions::default() };
    options.settings.remote_port = port.to_string();
    options.settings.log_session = true;
    options.settings.view_mode = view_mode;
    let mut harness = app_harness(options);
    step_until(&mut harness, "Connected", |h| matches!(h.state().tab().session.state, LinkState::Connected { .. }));
    harness
}

/// The one log file in `data_dir/logs`.
fn the_log(data_dir: &Path) -> PathBuf {
    let logs: Vec<PathBuf> = std::fs::read_dir(data_dir.join(LOGS_DIR))
        .expect("logs folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    assert_eq!(logs.len(), 1, "{logs:?}");
    logs[0].clone()
}

/// Steps until the log file holds `text`.
fn step_until_logged(harness: &mut AppHarness, path: &Path, text: &str) -> String {
    let mut content = String::new();
    step_until(harness, &format!("{text:?} in the log"), |_| {
        content = std::fs::read_to_string(path).unwrap_or_default();
        content.contains(text)
    });
    content
}

#[test]
fn the_log_of_a_gbk_exchange_holds_the_chinese_text() {
    let server = support::spawn_tutorial_server();
    let data = tempfile::tempdir().expect("temp dir");
    let mut harness = logging_harness(data.path(), server.addr.port(), ViewMode::Text);
    let path = the_log(data.path());
    assert!(path.file_name().is_some_and(|n| n.to_string_lossy().ends_with("_tcp-client.log")), "{path:?}");
    assert!(has_text(&harness, "Logging to"));

    fill(&mut harness, "Send data", REQUEST_TEXT);
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the peer's close", |h| h.state().tab().session.state == LinkState::Idle);
    let log = step_until_logged(&mut harness, &path, "closed the connection");
    assert!(log.starts_with("# netassist session log\n"), "{log}");
    assert!(log.contains("charset: GBK"), "{log}");
    assert!(log.contains(REQUEST_TEXT) && log.contains(REPLY_TEXT), "{log}");
    let tx = log.lines().position(|l| l.contains("TX → 127.0.0.1:")).expect("TX header");
    let rx = log.lines().position(|l| l.contains("RX ← 127.0.0.1:")).expect("RX header");
    assert!(tx < rx, "in order: {log}");
    // Each header starts with the time of day, to the millisecond.
    let header = log.lines().nth(rx).expect("line");
    assert!(header.as_bytes().get(8) == Some(&b'.') && header.as_bytes()[2] == b':', "{header}");
    assert!(has_text(&harness, "Log saved:"));
}

#[test]
fn a_hex_view_logs_hex() {
    let server = support::spawn_tutorial_server();
    let data = tempfile::tempdir().expect("temp dir");
    let mut harness = logging_harness(data.path(), server.addr.port(), ViewMode::Hex);
    let path = the_log(data.path());
    fill(&mut harness, "Send data", REQUEST_TEXT);
    harness.get_by_label("Send").click();
    let log = step_until_logged(&mut harness, &path, "CE D2 CA C7");
    assert!(log.contains("C4 E3 BA C3"), "the request's 你好 in GBK: {log}");
}

#[test]
fn an_unusable_log_folder_is_reported_and_the_connection_goes_on() {
    let server = support::spawn_tutorial_server();
    let data = tempfile::tempdir().expect("temp dir");
    // A file where the data folder should be: nothing can be created under it (even as root).
    let blocked = data.path().join("not-a-dir");
    std::fs::write(&blocked, b"").expect("write");
    let mut harness = logging_harness(&blocked, server.addr.port(), ViewMode::Text);
    harness.step();
    assert!(has_text(&harness, "cannot create log folder"), "the reason is shown");
    assert!(!harness.state().tab().settings.log_session, "logging is switched off");
    fill(&mut harness, "Send data", REQUEST_TEXT);
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the reply", |h| has_text(h, REPLY_TEXT));
}

#[test]
fn switching_the_log_on_mid_session_logs_the_session_so_far() {
    let server = support::spawn_tutorial_server();
    let data = tempfile::tempdir().expect("temp dir");
    let mut options =
        StartOptions { data_dir: Some(data.path().to_path_buf()), connect: true, ..StartOptions::default() };
    options.settings.remote_port = server.addr.port().to_string();
    let mut harness = app_harness(options);
    step_until(&mut harness, "Connected", |h| matches!(h.state().tab().session.state, LinkState::Connected { .. }));
    assert!(!data.path().join(LOGS_DIR).exists(), "no log unless asked");
    harness.get_by_label("Log to file").click();
    harness.run_steps(2);
    let path = the_log(data.path());
    let log = step_until_logged(&mut harness, &path, "Connected to 127.0.0.1");
    assert!(log.contains("Connected to"), "{log}");
}

#[test]
fn the_receive_view_saves_as_text() {
    let server = support::spawn_tutorial_server();
    let mut harness = ui_support::connected_harness(server.addr.port());
    fill(&mut harness, "Send data", REQUEST_TEXT);
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the reply", |h| has_text(h, REPLY_TEXT));
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("view.txt");
    harness.state_mut().tab_mut().save_view_to(&path).expect("saved");
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(REPLY_TEXT) && text.contains("RX ← 127.0.0.1:"), "{text}");
    let err =
        harness.state_mut().tab_mut().save_view_to(&dir.path().join("missing/view.txt")).expect_err("no such folder");
    assert!(err.to_string().starts_with("Cannot save"), "{err}");
}
