//! Cyclic sends, file sends and auto-reply rules through the real UI.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or bench) fails by panicking

mod support;
mod ui_support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::time::Duration;

use egui_kittest::kittest::{NodeT, Queryable};
use netassist::app::StartOptions;
use netassist::i18n::Lang;
use netassist::model::LinkState;
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

/// A server that accepts and reads nothing until `go` is sent, then reads
/// to the end of the connection and hands over everything it got.
fn held_server() -> (support::LoopbackServer, SyncSender<()>, Receiver<Vec<u8>>) {
    let (go_tx, go) = sync_channel::<()>(1);
    let (got_tx, got) = sync_channel(1);
    let server = support::LoopbackServer::spawn(move |mut stream| {
        let _ = go.recv_timeout(support::PATIENCE);
        let mut all = Vec::new();
        let _ = stream.read_to_end(&mut all);
        let _ = got_tx.send(all);
    });
    (server, go_tx, got)
}

/// Starts sending a 48 MiB file (more than the loopback's buffers hold) in
/// 64 KiB chunks to a peer that does not read, and steps until the
/// progress shows the bytes written, as TX does. Returns the temporary directory holding it.
fn send_big_file(harness: &mut ui_support::AppHarness) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("firmware.bin");
    std::fs::write(&path, support::Rng(0x0b16).bytes(48 << 20)).expect("write");
    harness.state_mut().tab_mut().jobs.chunk = 64 * 1024;
    harness.state_mut().start_file_send(&path);
    // The progress bar follows what is written, also once the peer's buffers are full.
    step_until(harness, "progress in step with TX", |h| {
        let (_, bytes, tx) = figures(h);
        bytes > 0 && bytes == tx
    });
    dir
}

/// The file send's figures as the window has them: (items, bytes written), and TX.
fn figures(harness: &ui_support::AppHarness) -> (u64, u64, u64) {
    let session = &harness.state().tab().session;
    let job = session.jobs.values().next().expect("the file send");
    (job.items, job.bytes, session.counters.tx_bytes)
}

#[test]
fn a_cancelled_file_send_says_what_reached_the_peer_and_what_was_withdrawn() {
    let (server, go, got) = held_server();
    let mut harness = connected_harness(server.addr.port());
    let _dir = send_big_file(&mut harness);
    harness.get_by_label(&netassist::ui::cancel_file()).click();
    step_until(&mut harness, "the job's end", |h| has_text(h, "File send stopped:"));
    let (items, bytes, tx) = figures(&harness);
    assert_eq!(bytes, tx, "the job's figure is TX's at the end");
    let stopped = format!("File send stopped: {items} sent, {bytes} bytes written; ");
    assert!(has_text(&harness, &stopped), "the window says what was written: {stopped}");
    assert!(has_text(&harness, "bytes still queued were withdrawn, not sent"), "and what was not");

    harness.get_by_label("Disconnect").click();
    step_until(&mut harness, "the disconnect", |h| h.state().tab().session.state == LinkState::Idle);
    assert!(!has_text(&harness, "discarded"), "nothing was left queued to discard");
    assert_eq!(figures(&harness), (items, bytes, tx), "nothing more was written");
    go.send(()).expect("the server waits");
    let received = got.recv_timeout(support::PATIENCE).expect("the server read to the end");
    assert_eq!(received.len() as u64, bytes, "the peer got what the window says was written");
}

#[test]
fn a_disconnect_during_a_file_send_says_how_much_was_discarded_in_chinese_too() {
    for lang in [Lang::En, Lang::ZhCn] {
        let (server, go, got) = held_server();
        let mut options = StartOptions { system_lang: lang, connect: true, ..StartOptions::default() };
        options.settings.remote_port = server.addr.port().to_string();
        let mut harness = app_harness(options);
        step_until(&mut harness, "Connected", |h| matches!(h.state().tab().session.state, LinkState::Connected { .. }));
        let _dir = send_big_file(&mut harness);
        harness.get_by_label(&netassist::i18n::t("button-disconnect")).click();
        step_until(&mut harness, "the job's end", |h| h.state().tab().session.jobs.values().all(|j| j.ended.is_some()));
        step_until(&mut harness, "the disconnect", |h| h.state().tab().session.state == LinkState::Idle);
        let (items, bytes, tx) = figures(&harness);
        assert_eq!(bytes, tx, "the job's figure is TX's at the end");
        let peer = server.addr;
        let (ended, discarded) = match lang {
            Lang::En => (
                format!("File send ended, the connection closed: {items} sent, {bytes} bytes written; "),
                format!("The connection to {peer} closed with "),
            ),
            Lang::ZhCn => (
                format!("文件发送结束，连接已关闭：已发送 {items} 次，已写出 {bytes} 字节；"),
                format!("与 {peer} 的连接关闭时仍有 "),
            ),
        };
        step_until(&mut harness, &ended, |h| has_text(h, &ended) && has_text(h, &discarded));
        // The two figures of what was dropped are the same.
        let line = |part: &str| text_with(&harness, part);
        let (ended, discarded) = (line(&ended), line(&discarded));
        let unsent = digits_after(&ended, if lang == Lang::En { "written; " } else { "仍在队列中的 " });
        let dropped = digits_after(&discarded, if lang == Lang::En { "closed with " } else { "仍有 " });
        assert!(unsent > 0 && unsent == dropped, "{ended} / {discarded}");
        go.send(()).expect("the server waits");
        let received = got.recv_timeout(support::PATIENCE).expect("the server read to the end");
        assert_eq!(received.len() as u64, bytes, "the peer got what the window says was written");
    }
}

/// The text of the first widget whose text contains `part`.
fn text_with(harness: &ui_support::AppHarness, part: &str) -> String {
    let node = harness.query_all_by_label_contains(part).next().unwrap_or_else(|| panic!("no text with {part:?}"));
    let node = node.accesskit_node();
    node.label().filter(|label| label.contains(part)).or_else(|| node.value()).unwrap_or_default()
}

/// The number right after `after` in `text`.
fn digits_after(text: &str, after: &str) -> u64 {
    let start = text.find(after).unwrap_or_else(|| panic!("{after:?} in {text:?}")) + after.len();
    let digits: String = text[start..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().unwrap_or_else(|_| panic!("a number after {after:?} in {text:?}"))
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
