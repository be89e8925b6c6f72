//! Messages go away when their cause does: a refused Send is tied to the
//! mode, the link and the send box it was about; a bad input to its fields.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or bench) fails by panicking

mod support;
mod ui_support;

use egui_kittest::kittest::Queryable;
use netassist::app::StartOptions;
use netassist::model::LinkState;
use ui_support::{
    CLIENT, LISTEN, SERVER, app_harness, choose, connected_harness, fill, has_text, open_local, send_text, step_until,
};

const NO_CLIENT: &str = "No client is connected to the server";

#[test]
fn no_client_is_gone_once_the_server_stops_and_the_mode_is_tcp_client() {
    let mut harness = app_harness(StartOptions::default());
    open_local(&mut harness, SERVER, LISTEN);
    send_text(&mut harness, "hello");
    step_until(&mut harness, "the refusal under the send box", |h| has_text(h, NO_CLIENT));
    assert_eq!(harness.state().tab().session.counters.tx_bytes, 0, "nothing was sent");
    harness.get_by_label("Stop").click();
    step_until(&mut harness, "the server to stop", |h| h.state().tab().session.state == LinkState::Idle);
    choose(&mut harness, "Protocol", CLIENT);
    harness.run_steps(2);
    assert_eq!(harness.state().tab().send_problem(), None);
    assert!(!has_text(&harness, NO_CLIENT), "neither under the send box nor in the status bar");
}

#[test]
fn invalid_hex_is_gone_after_a_good_text_send() {
    let server = support::spawn_echo_server();
    let mut harness = connected_harness(server.addr.port());
    harness.get_by_label("as hex").click();
    harness.step();
    send_text(&mut harness, "zz");
    step_until(&mut harness, "the hex problem", |h| has_text(h, "Invalid hex"));
    assert_eq!(harness.state().tab().session.counters.tx_bytes, 0);
    harness.get_by_label("as text").click();
    harness.step();
    send_text(&mut harness, "hello");
    step_until(&mut harness, "the echo", |h| h.state().tab().session.counters.rx_bytes == 5);
    assert_eq!(harness.state().tab().send_problem(), None);
    assert!(!has_text(&harness, "Invalid hex"), "neither under the send box nor in the status bar");
}

#[test]
fn a_bad_port_under_connect_is_gone_once_the_field_changes() {
    let mut harness = app_harness(StartOptions::default());
    fill(&mut harness, "Remote port", "70000");
    harness.get_by_label(ui_support::CONNECT).click();
    step_until(&mut harness, "the port problem", |h| h.state().tab().form_problem().is_some());
    assert!(has_text(&harness, "Remote: port '70000'"));
    fill(&mut harness, "Remote port", "8000");
    harness.run_steps(2);
    assert_eq!(harness.state().tab().form_problem(), None);
}
