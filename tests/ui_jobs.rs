//! Cyclic sends, file sends and auto-reply rules through the real UI.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or bench) fails by panicking

mod support;
mod ui_support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use egui_kittest::kittest::Queryable;
use netassist::app::StartOptions;
use ui_support::{
    LISTEN, SERVER, app_harness, choose, connected_harness, fill, has_text, open_local, received_at_server, step_until,
};

/// Opens the rules window and adds `n` rules.
fn add_rules(harness: &mut ui_support::AppHarness, n: usize) {
    harness.get_by_label("Rules…").click();
    harness.run_steps(2);
    for _ in 0..n {
        harness.get_by_label(&netassist::ui::add_rule()).click();
        // A new grid row is laid out invisibly in its first frame (egui's sizing pass).
        harness.run_steps(4);
    }
}

#[test]
fn a_cyclic_send_repeats_the_send_box_and_stops_by_itself_after_the_count() {
    let (server, chunks) = support::spawn_forwarding_server();
    let mut harness = connected_harness(server.addr.port());
    fill(&mut harness, "Send data", "tick;");
    harness.state_mut().tab_mut().jobs.interval_ms = 1;
    harness.state_mut().tab_mut().jobs.count = 50;
    harness.get_by_label(&netassist::ui::start_repeat()).click();
    harness.run_steps(2);
    let all = support::receive_until(&chunks, |all| all.len() >= 250);
    assert_eq!(all, b"tick;".repeat(50));
    step_until(&mut harness, "the job's end", |h| has_text(h, "Cyclic send done: 50 sent, 250 bytes"));
    assert!(harness.query_by_label(&netassist::ui::start_repeat()).is_some(), "ready to start again");
}

#[test]
fn stop_repeat_stops_a_cyclic_send() {
    let (server, chunks) = support::spawn_forwarding_server();
    let mut harness = connected_harness(server.addr.port());
    fill(&mut harness, "Send data", "x");
    harness.state_mut().tab_mut().jobs.interval_ms = 2;
    harness.get_by_label(&netassist::ui::start_repeat()).click();
    harness.run_steps(2);
    support::receive_until(&chunks, |all| all.len() >= 10);
    step_until(&mut harness, "the stop button", |h| h.query_by_label(&netassist::ui::stop_repeat()).is_some());
    harness.get_by_label(&netassist::ui::stop_repeat()).click();
    step_until(&mut harness, "the job's end", |h| has_text(h, "Cyclic send stopped:"));
}

#[test]
fn a_file_is_sent_in_chunks_and_arrives_whole() {
    let (server, chunks) = support::spawn_forwarding_server();
    let mut harness = connected_harness(server.addr.port());
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("firmware.bin");
    let content: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&path, &content).expect("write");
    harness.state_mut().start_file_send(&path);
    // Frames run meanwhile: they take the engine's events (a window that
    // stopped drawing would hold the send up once the event queue is full).
    let got = received_at_server(&mut harness, &chunks, content.len());
    assert!(got == content, "byte-identical");
    step_until(&mut harness, "the job's end", |h| has_text(h, "File send done:"));

    harness.state_mut().start_file_send(&dir.path().join("missing.bin"));
    step_until(&mut harness, "the failure", |h| has_text(h, "File send failed: cannot open"));
}

#[test]
fn the_tutorial_client_gets_its_answer_from_an_auto_reply_rule() {
    let mut harness = app_harness(StartOptions::default());
    harness.step();
    let addr = open_local(&mut harness, SERVER, LISTEN);
    // Tools: one rule, "anything" → the tutorial's GBK reply, written as text.
    add_rules(&mut harness, 1);
    choose(&mut harness, "Rule 1 match", "anything");
    fill(&mut harness, "Rule 1 reply", ui_support::REPLY_TEXT);
    harness.get_by_label_contains("Auto-reply (").click();
    harness.run_steps(2);
    assert!(harness.state().tab().settings.auto_reply);

    let client = support::tutorial_client(addr);
    step_until(&mut harness, "the client's request", |h| has_text(h, ui_support::REQUEST_TEXT));
    let reply = client.join().expect("client thread").expect("client io");
    assert_eq!(reply, support::REPLY_GBK);
    step_until(&mut harness, "the auto-reply note", |h| has_text(h, "Auto-reply \"rule 1\""));
}

#[test]
fn a_ping_rule_answers_pong_and_a_bad_rule_is_explained() {
    let mut harness = app_harness(StartOptions::default());
    harness.step();
    let addr = open_local(&mut harness, SERVER, LISTEN);
    add_rules(&mut harness, 2);
    fill(&mut harness, "Rule 1 pattern", "PING");
    fill(&mut harness, "Rule 1 reply", "PONG\\r\\n");
    choose(&mut harness, "Rule 2 match", "matches regex");
    fill(&mut harness, "Rule 2 pattern", "(unclosed");
    harness.get_by_label_contains("Auto-reply (").click();
    harness.run_steps(3);
    assert!(has_text(&harness, "Rule \"rule 2\": regex:"), "the bad rule is named");

    let mut client = TcpStream::connect(addr).expect("connect");
    client.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    client.write_all(b"xxPINGxx").expect("write");
    let mut reply = [0u8; 6];
    // Step the UI while waiting: the reply does not depend on it, but the view should show it.
    client.read_exact(&mut reply).expect("the reply");
    assert_eq!(&reply, b"PONG\r\n");
    step_until(&mut harness, "the auto-reply in the view", |h| has_text(h, "Auto-reply \"rule 1\""));
}
