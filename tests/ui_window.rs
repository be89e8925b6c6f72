//! The window behaves as people expect: long lines wrap at the view's width
//! (自动换行, on by default), an unsendable send box says so in the error
//! colour before Send is pressed, and every control is reachable at the
//! minimum window size. Real app, real sockets on 127.0.0.1.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
mod ui_support;

use std::io::Write;

use eframe::egui;
use egui_kittest::kittest::Queryable;
use netassist::app::StartOptions;
use netassist::view::lines::WRAP_CHARS;
use ui_support::*;

#[test]
fn long_lines_wrap_at_the_view_width_and_the_switch_turns_it_off() {
    let mut harness = app_harness(StartOptions::default());
    let local = open_local(&mut harness, SERVER, LISTEN);
    let mut client = std::net::TcpStream::connect(local).unwrap();
    client.write_all("x".repeat(300).as_bytes()).unwrap();
    step_until(&mut harness, "the long line", |h| h.state().tab().session.counters.rx_bytes == 300);
    harness.run_steps(2);
    let view = &harness.state().tab().session.view;
    assert!(view.wrap() < WRAP_CHARS, "wrapped at the view's width ({} columns), not at {WRAP_CHARS}", view.wrap());
    let wrapped = view.line_count();
    // Two notes (listening, the client connected), a header, then the rows.
    assert!(wrapped >= 6, "at least three rows for 300 columns: {wrapped}");

    harness.get_by_label("Wrap lines").click();
    harness.run_steps(2);
    let view = &harness.state().tab().session.view;
    assert_eq!(view.wrap(), WRAP_CHARS);
    assert_eq!(view.line_count(), 5, "two notes, a header and two rows of at most {WRAP_CHARS}");
    assert!(!harness.state().tab().settings.wrap_lines);
}

#[test]
fn a_hex_error_shows_before_send_is_pressed() {
    let mut harness = app_harness(StartOptions::default());
    harness.get_by_label("as hex").click();
    harness.run_steps(1);
    fill(&mut harness, "Send data", "C4 ZZ");
    harness.run_steps(2);
    assert!(has_text(&harness, "Invalid hex"), "the reason shows as typed");
    fill(&mut harness, "Send data", "C4 E3");
    harness.run_steps(2);
    assert!(!has_text(&harness, "Invalid hex"), "and goes with its cause");
    assert!(has_text(&harness, "→ 2 B: C4 E3"));
}

#[test]
fn every_control_is_reachable_at_the_minimum_window_size() {
    let size = egui::vec2(720.0, 480.0);
    let mut harness = app_harness_sized(StartOptions::default(), size);
    harness.run_steps(3);
    let window = egui::Rect::from_min_size(egui::Pos2::ZERO, size);
    for label in ["Send", "Checksum", "Send data", "Connect", "Start repeat", "Wrap lines", "Reset counters"] {
        let rect = harness.get_by_label(label).rect();
        assert!(window.contains_rect(rect), "{label} at {rect:?} is outside the {size:?} window");
    }
}

#[test]
fn the_send_box_text_is_kept_with_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let options =
        || StartOptions { config_dir: Some(dir.path().to_path_buf()), restore_last: true, ..StartOptions::default() };
    {
        let mut harness = app_harness(options());
        fill(&mut harness, "Send data", REQUEST_TEXT);
        let app = harness.state_mut();
        app.remember_workspace();
        app.profiles.flush();
    }
    let harness = app_harness(options());
    assert_eq!(harness.state().tab().send_text, REQUEST_TEXT, "the box holds what it held at the last exit");
}

#[test]
fn every_way_out_saves_even_without_on_exit() {
    // A window destroyed from outside ends in a panic inside winit: eframe
    // never calls on_exit, but the app is dropped while the panic unwinds.
    let dir = tempfile::tempdir().unwrap();
    let options =
        || StartOptions { config_dir: Some(dir.path().to_path_buf()), restore_last: true, ..StartOptions::default() };
    {
        let mut harness = app_harness(options());
        let server = netassist::model::Settings {
            protocol: netassist::model::Protocol::TcpServer,
            ..netassist::model::Settings::default()
        };
        harness.state_mut().open_tab(server, None);
        fill(&mut harness, "Send data", "kept");
        harness.run_steps(1);
    } // dropped: no on_exit
    let harness = app_harness(options());
    assert_eq!(harness.state().tabs().len(), 2, "both tabs came back");
    assert_eq!(harness.state().tab().send_text, "kept");
}
