//! File ▸ Export capture as pcapng… through the real app: the tutorial
//! exchange captured over 127.0.0.1, exported from the window with the
//! path fields (the fallback where no file dialog works); an existing output
//! and a missing path are refused with a clear message.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod support;
mod ui_support;

use egui_kittest::kittest::Queryable;
use netassist::model::LinkState;
use ui_support::*;

#[test]
fn a_capture_is_exported_as_pcapng_from_the_file_menu() {
    let server = support::spawn_tutorial_server();
    let data = tempfile::tempdir().expect("temp dir");
    let options = capturing_client(data.path(), server.addr.port());
    let mut harness = app_harness(options);
    step_until(&mut harness, "Connected", |h| matches!(h.state().tab().session.state, LinkState::Connected { .. }));
    send_text(&mut harness, REQUEST_TEXT);
    step_until(&mut harness, "the peer's close", |h| h.state().tab().session.state == LinkState::Idle);
    let capture = saved_capture(&mut harness);

    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Export capture as pcapng…").click();
    harness.run_steps(2);
    let output = data.path().join("out.pcapng");
    fill(&mut harness, &netassist::ui::export_capture_field(), &capture.display().to_string());
    fill(&mut harness, &netassist::ui::export_output_field(), &output.display().to_string());
    harness.get_by_label(&netassist::ui::export_button()).click();
    step_until(&mut harness, "the export", |h| has_text(h, "Wrote"));
    assert!(has_text(&harness, "1 TCP streams") || has_text(&harness, "TCP stream"), "it says what it wrote");
    let bytes = std::fs::read(&output).expect("the pcapng file");
    assert_eq!(bytes[..4], [0x0A, 0x0D, 0x0D, 0x0A], "a pcapng section header");

    // Again to the same file: refused, the file untouched.
    harness.get_by_label(&netassist::ui::export_button()).click();
    step_until(&mut harness, "the refusal", |h| has_text(h, "already exists"));
    assert_eq!(std::fs::read(&output).unwrap(), bytes);

    // No capture named: said so, nothing written.
    clear_field(&mut harness, &netassist::ui::export_capture_field());
    harness.get_by_label(&netassist::ui::export_button()).click();
    harness.run_steps(2);
    assert!(has_text(&harness, "Give the capture to export"));
}
