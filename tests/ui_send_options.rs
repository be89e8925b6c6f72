//! The send box's options through the real UI: checksum preview and the
//! bytes that reach a real server; escapes and the appended line ending.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or bench) fails by panicking

mod support;
mod ui_support;

use egui_kittest::kittest::Queryable;
use ui_support::{choose, connected_harness, fill, has_text, step_until};

#[test]
fn a_modbus_frame_gets_its_crc_in_the_preview_and_on_the_wire() {
    let server = support::spawn_tutorial_server();
    let mut harness = connected_harness(server.addr.port());
    harness.get_by_label("as hex").click();
    harness.step();
    fill(&mut harness, "Send data", "01 03 00 00 00 0A");
    choose(&mut harness, "Checksum", "CRC-16/MODBUS");
    harness.step();
    assert!(has_text(&harness, "→ 8 B: 01 03 00 00 00 0A C5 CD"), "the preview shows what goes out");
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the server's reply", |h| has_text(h, ui_support::REPLY_TEXT));
    assert_eq!(server.received(), vec![vec![0x01, 0x03, 0x00, 0x00, 0x00, 0x0A, 0xC5, 0xCD]]);
}

#[test]
fn escapes_and_line_ending_shape_a_text_send() {
    let server = support::spawn_tutorial_server();
    let mut harness = connected_harness(server.addr.port());
    harness.get_by_label("Escapes").click();
    choose(&mut harness, "Append", "\\r\\n");
    fill(&mut harness, "Send data", "AT\\x2B你");
    harness.step();
    assert!(has_text(&harness, "→ 7 B: 41 54 2B C4 E3 0D 0A"));
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the server's reply", |h| has_text(h, ui_support::REPLY_TEXT));
    assert_eq!(server.received(), vec![b"AT+\xC4\xE3\r\n".to_vec()]);
}

#[test]
fn a_bad_escape_is_explained_and_nothing_is_sent() {
    let server = support::spawn_tutorial_server();
    let mut harness = connected_harness(server.addr.port());
    harness.get_by_label("Escapes").click();
    fill(&mut harness, "Send data", "ok\\q");
    harness.step();
    assert!(has_text(&harness, "invalid escape '\\q' at position 3"));
    harness.get_by_label("Send").click();
    harness.run_steps(2);
    assert!(has_text(&harness, "Cannot send: invalid escape"));
    assert_eq!(harness.state().tab().session.counters.tx_bytes, 0);
}

#[test]
fn up_and_down_recall_what_was_sent() {
    let server = support::spawn_echo_server();
    let mut harness = connected_harness(server.addr.port());
    for text in ["first", "second"] {
        fill(&mut harness, "Send data", text);
        harness.get_by_label("Send").click();
        harness.run_steps(2);
    }
    step_until(&mut harness, "both echoed", |h| h.state().tab().session.counters.rx_bytes == 11);
    fill(&mut harness, "Send data", "draft");
    let mut press = |key| {
        harness.key_press(key);
        harness.run_steps(2);
        harness.state().tab().send_text.clone()
    };
    use eframe::egui::Key::{ArrowDown, ArrowUp};
    assert_eq!(press(ArrowUp), "second");
    assert_eq!(press(ArrowUp), "first");
    assert_eq!(press(ArrowUp), "first", "stays at the oldest");
    assert_eq!(press(ArrowDown), "second");
    assert_eq!(press(ArrowDown), "draft", "past the newest, the draft comes back");
}

#[test]
fn a_preset_sends_on_click_in_its_own_format() {
    let server = support::spawn_tutorial_server();
    let mut harness = connected_harness(server.addr.port());
    // Add a hex preset with a MODBUS CRC.
    harness.get_by_label("as hex").click();
    harness.step();
    choose(&mut harness, "Checksum", "CRC-16/MODBUS");
    fill(&mut harness, "Send data", "01 03 00 00 00 0A");
    harness.get_by_label("Add from send box").click();
    harness.run_steps(2);
    assert!(has_text(&harness, "Give the preset a name first."));
    fill(&mut harness, &netassist::ui::preset_name_field(), "read regs");
    harness.get_by_label("Add from send box").click();
    harness.run_steps(2);
    assert_eq!(harness.state().tab().settings.presets.len(), 1);

    // The send box moves on to other things; the preset keeps its own format.
    harness.get_by_label("as text").click();
    choose(&mut harness, "Checksum", "none");
    fill(&mut harness, "Send data", "unrelated");
    harness.get_by_label("read regs").click();
    step_until(&mut harness, "the server's reply", |h| has_text(h, ui_support::REPLY_TEXT));
    assert_eq!(server.received(), vec![vec![0x01, 0x03, 0x00, 0x00, 0x00, 0x0A, 0xC5, 0xCD]]);
}

#[test]
fn pause_freezes_the_display_while_data_keeps_arriving() {
    let server = support::spawn_echo_server();
    let mut harness = connected_harness(server.addr.port());
    fill(&mut harness, "Send data", "one");
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the echo", |h| h.state().tab().session.counters.rx_bytes == 3);
    harness.get_by_label("Pause").click();
    harness.run_steps(2);
    fill(&mut harness, "Send data", "second");
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the second echo", |h| h.state().tab().session.counters.rx_bytes == 9);
    fill(&mut harness, "Send data", "x");
    harness.run_steps(2);
    assert!(has_text(&harness, "Display paused · 2 new records waiting"));
    assert!(!has_text(&harness, "second"), "not shown while paused");
    harness.get_by_label("Resume").click();
    harness.run_steps(2);
    assert!(!has_text(&harness, "Display paused"));
    assert_eq!(harness.query_all_by_label_contains("second").count(), 2, "sent and echoed, shown on resume");
}

#[test]
fn records_split_at_a_delimiter_show_one_message_from_many_reads() {
    use std::io::Write;
    // A device that sends one CRLF-terminated message in three TCP segments, then another.
    let (ready_tx, ready_rx) = std::sync::mpsc::sync_channel::<()>(0);
    let server = support::LoopbackServer::spawn(move |mut stream| {
        for part in [b"TEMP=".as_slice(), b"21.5", b"\r\nHUM", b"=40\r\n"] {
            let _ = ready_rx.recv();
            let _ = stream.write_all(part);
        }
        let _ = ready_rx.recv();
    });
    let mut harness = connected_harness(server.addr.port());
    choose(&mut harness, &netassist::ui::framing_label(), "split at \\r\\n");
    for expected in [5, 9, 14, 19] {
        ready_tx.send(()).expect("server waits");
        step_until(&mut harness, "the part", |h| h.state().tab().session.counters.rx_bytes == expected);
    }
    harness.run_steps(2);
    let records: Vec<String> = harness
        .state()
        .tab()
        .session
        .view
        .records()
        .filter_map(|r| match &r.body {
            netassist::view::RecordBody::Data { raw, .. } => Some(String::from_utf8_lossy(raw).into_owned()),
            netassist::view::RecordBody::Note { .. } => None,
        })
        .collect();
    assert_eq!(records, ["TEMP=21.5\r\n", "HUM=40\r\n"]);
    assert!(has_text(&harness, "TEMP=21.5"));
    let _ = ready_tx.send(());
}
