//! Where the system has no file dialog (no xdg-desktop-portal, no zenity:
//! a bare X server, a minimal desktop, CI), the window says so and offers a
//! path field instead of doing nothing (issue 18, item 8; RELIABILITY.md
//! row 32). Each test runs again as a child process of this binary with
//! PATH emptied and no session bus, so no dialog can appear on any machine
//! the tests run on; the child does the work, the parent checks it passed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod support;
mod ui_support;

use std::process::Command;

use egui_kittest::kittest::Queryable;
use netassist::app::StartOptions;
use netassist::i18n::Lang;
use netassist::model::LinkState;
use ui_support::*;

/// Set in the child: this process has no file dialog.
const CHILD: &str = "NETASSIST_TEST_NO_DIALOG";

/// In the parent: runs `test` again in a child without dialogs and asserts
/// it passed; returns `false`. In the child: returns `true` (go on).
fn in_child_without_dialogs(test: &str) -> bool {
    if std::env::var_os(CHILD).is_some() {
        return true;
    }
    let empty = tempfile::tempdir().expect("temp dir");
    let output = Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .env("PATH", empty.path())
        .env("DBUS_SESSION_BUS_ADDRESS", format!("unix:path={}", empty.path().join("no-bus").display()))
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("the child test runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the child failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("1 passed"), "the child ran the test:\n{stdout}");
    false
}

#[test]
fn without_a_file_dialog_send_file_offers_a_path_field_and_sends_what_is_typed() {
    if !in_child_without_dialogs("without_a_file_dialog_send_file_offers_a_path_field_and_sends_what_is_typed") {
        return;
    }
    let (server, chunks) = support::spawn_forwarding_server();
    let mut harness = connected_harness(server.addr.port());
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("firmware.bin");
    let content: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&path, &content).expect("write");

    harness.get_by_label(&netassist::ui::send_file()).click();
    step_until(&mut harness, "the window to say there is no dialog", |h| {
        has_text(h, "No file dialog can be shown on this desktop")
    });
    // A path that is not there: refused with the reason, the text kept.
    let missing = dir.path().join("missing.bin").display().to_string();
    fill(&mut harness, &netassist::ui::path_field(), &missing);
    harness.get_by_label("Open this file").click();
    step_until(&mut harness, "the refusal", |h| has_text(h, "Cannot open"));
    let prompt = harness.state().tab().path_prompt.as_ref().expect("the field stays");
    assert_eq!(prompt.text, missing, "nothing typed is lost");
    // A folder: refused too.
    fill(&mut harness, &netassist::ui::path_field(), &dir.path().display().to_string());
    harness.get_by_label("Open this file").click();
    step_until(&mut harness, "the folder's refusal", |h| has_text(h, "is not a file"));

    fill(&mut harness, &netassist::ui::path_field(), &path.display().to_string());
    harness.get_by_label("Open this file").click();
    let got = received_at_server(&mut harness, &chunks, content.len());
    assert!(got == content, "byte-identical");
    assert!(harness.state().tab().path_prompt.is_none(), "the field closes once used");
    step_until(&mut harness, "the job's end", |h| has_text(h, "File send done:"));
}

#[test]
fn without_a_file_dialog_save_view_as_asks_for_a_path_in_chinese() {
    if !in_child_without_dialogs("without_a_file_dialog_save_view_as_asks_for_a_path_in_chinese") {
        return;
    }
    let server = support::spawn_tutorial_server();
    let data = tempfile::tempdir().expect("temp dir");
    let mut options = StartOptions { system_lang: Lang::ZhCn, connect: true, ..StartOptions::default() };
    options.settings.remote_port = server.addr.port().to_string();
    options.data_dir = Some(data.path().to_path_buf());
    let mut harness = app_harness(options);
    step_until(&mut harness, "已连接", |h| matches!(h.state().tab().session.state, LinkState::Connected { .. }));
    harness.state_mut().tab_mut().send_text = REQUEST_TEXT.to_owned();
    harness.state_mut().send();
    step_until(&mut harness, "the tutorial's reply", |h| has_text(h, REPLY_TEXT));

    harness.get_by_label("文件").click();
    harness.run_steps(2);
    harness.get_by_label("接收区另存为…").click();
    step_until(&mut harness, "the path field", |h| has_text(h, "此桌面无法显示文件对话框"));
    // It proposes a file in the logs folder, as the dialog would have.
    let proposed = harness.state().tab().path_prompt.as_ref().expect("the field").text.clone();
    assert!(proposed.ends_with(".txt") && proposed.starts_with(&data.path().display().to_string()), "{proposed}");

    let out = data.path().join("保存的接收区.txt");
    fill(&mut harness, "路径", &out.display().to_string());
    harness.get_by_label("保存到此文件").click();
    step_until(&mut harness, "the saved note", |h| has_text(h, "接收区已保存到"));
    let text = std::fs::read_to_string(&out).expect("the saved view");
    assert!(text.contains(REPLY_TEXT), "the view as shown: {text}");
    assert!(harness.state().tab().path_prompt.is_none());
}

#[test]
fn without_a_file_dialog_the_export_window_says_to_type_the_path() {
    if !in_child_without_dialogs("without_a_file_dialog_the_export_window_says_to_type_the_path") {
        return;
    }
    let mut harness = app_harness(StartOptions::default());
    harness.step();
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Export capture as pcapng…").click();
    harness.run_steps(2);
    harness.get_all_by_label("Browse…").next().expect("a Browse button").click();
    step_until(&mut harness, "the note", |h| has_text(h, "No file dialog can be shown on this desktop"));
    assert!(harness.state().tab().path_prompt.is_none(), "the export window has its own path fields");
}
