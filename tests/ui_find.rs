//! Find (Ctrl+F) and the filter row through the real app, over real
//! sockets on 127.0.0.1: a word in received text, a GBK character split
//! across two TCP reads, a hex pattern, F3 / Shift+F3 and the count, a bad
//! query; the filter by direction and by server client; the find bar in
//! Chinese with no missing catalog key.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod support;
mod ui_support;

use std::io::Write;
use std::net::TcpStream;

use eframe::egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT, Queryable};
use netassist::app::StartOptions;
use netassist::i18n::{Lang, set_lang};
use netassist::model::LinkState;
use ui_support::*;

/// Opens the find bar with Ctrl+F and searches for `query` in `mode`.
fn find(harness: &mut AppHarness, query: &str, mode: &str) {
    if harness.query_by_label(&netassist::ui::find_field()).is_none() {
        harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
        harness.run_steps(2);
    }
    if harness.state().tab().find.mode != mode_of(mode) {
        choose(harness, &netassist::ui::find_mode_label(), mode);
    }
    fill(harness, &netassist::ui::find_field(), query);
}

fn mode_of(label: &str) -> netassist::view::FindMode {
    use netassist::view::FindMode;
    [FindMode::Text, FindMode::Hex, FindMode::Regex]
        .into_iter()
        .find(|m| netassist::ui::find_mode_name(*m) == label)
        .expect("a mode's label")
}

/// Steps until the find bar's count reads `count` ("3 / 120").
fn wait_count(harness: &mut AppHarness, count: &str) {
    step_until(harness, &format!("the count {count}"), |h| {
        h.state().tab().find.job().is_some_and(|job| {
            let (current, total) = job.counter();
            format!("{current} / {total}") == count
        }) && has_text(h, count)
    });
}

/// Whether a widget's text is exactly `text`.
fn shows_exactly(harness: &AppHarness, text: &str) -> bool {
    harness.query_all_by_label(text).next().is_some()
}

#[test]
fn a_word_is_found_and_f3_and_shift_f3_step_through_the_matches() {
    let server = support::LoopbackServer::spawn(|mut stream| {
        let _ = stream.write_all(b"hello world\r\nsay Hello again\r\nand hello once more\r\n");
        let _ = stream.flush();
        let mut sink = [0u8; 16];
        let _ = std::io::Read::read(&mut stream, &mut sink);
    });
    let mut harness = connected_harness(server.addr.port());
    step_until(&mut harness, "the greeting", |h| h.state().tab().session.counters.rx_bytes == 51);
    find(&mut harness, "hello", "Text");
    wait_count(&mut harness, "0 / 2");
    harness.get_by_label("Ignore case").click();
    harness.run_steps(2);
    wait_count(&mut harness, "0 / 3");
    harness.key_press(Key::F3);
    harness.run_steps(2);
    wait_count(&mut harness, "1 / 3");
    harness.key_press(Key::F3);
    harness.run_steps(2);
    wait_count(&mut harness, "2 / 3");
    harness.key_press_modifiers(Modifiers::SHIFT, Key::F3);
    harness.run_steps(2);
    wait_count(&mut harness, "1 / 3");
    harness.key_press_modifiers(Modifiers::SHIFT, Key::F3);
    harness.run_steps(2);
    wait_count(&mut harness, "3 / 3");
    // Enter in the query box is Next too.
    harness.get_by_label(&netassist::ui::find_field()).click();
    harness.step();
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    wait_count(&mut harness, "1 / 3");
    assert!(has_text(&harness, "hello world"), "the view still shows everything");

    // A bad regex says why in the error colour; the query stays as typed.
    find(&mut harness, "hel(lo", "Regex");
    harness.run_steps(2);
    assert!(has_text(&harness, "Not a regular expression"));
    assert_eq!(harness.state().tab().find.query, "hel(lo");
    assert!(harness.state().tab().find.job().is_none());

    harness.key_press(Key::Escape);
    harness.run_steps(2);
    assert!(harness.query_by_label(&netassist::ui::find_field()).is_none(), "Esc closes the bar");
    assert!(!harness.state().tab().find.open);
}

#[test]
fn a_gbk_character_split_across_two_tcp_reads_and_a_hex_pattern_are_found() {
    let (go_tx, go_rx) = std::sync::mpsc::sync_channel::<()>(1);
    let go_rx = std::sync::Mutex::new(Some(go_rx));
    // 你好服务器 in GBK: the first read ends inside 你 (C4 | E3).
    let server = support::LoopbackServer::spawn(move |mut stream| {
        let _ = stream.write_all(&[0xC4]);
        let _ = stream.flush();
        if let Some(go) = go_rx.lock().unwrap().take() {
            let _ = go.recv();
        }
        let _ = stream.write_all(&[0xE3, 0xBA, 0xC3, 0xB7, 0xFE, 0xCE, 0xF1, 0xC6, 0xF7]);
        let _ = stream.flush();
        let mut sink = [0u8; 16];
        let _ = std::io::Read::read(&mut stream, &mut sink);
    });
    let mut harness = connected_harness(server.addr.port());
    step_until(&mut harness, "the first byte", |h| h.state().tab().session.counters.rx_bytes == 1);
    go_tx.send(()).unwrap();
    step_until(&mut harness, "the rest", |h| h.state().tab().session.counters.rx_bytes == 10);
    let reads = harness
        .state()
        .tab()
        .session
        .view
        .records()
        .filter(|r| matches!(r.body, netassist::view::RecordBody::Data { .. }))
        .count();
    assert_eq!(reads, 2, "two reads, two records");

    find(&mut harness, "你好服务", "Text");
    wait_count(&mut harness, "0 / 1");
    harness.key_press(Key::F3);
    harness.run_steps(2);
    wait_count(&mut harness, "1 / 1");

    find(&mut harness, "C4 E3", "Hex bytes");
    wait_count(&mut harness, "0 / 1");
    harness.key_press(Key::F3);
    harness.run_steps(2);
    wait_count(&mut harness, "1 / 1");
    let (_, hit) = harness.state().tab().find.job().unwrap().current().unwrap();
    assert_eq!(hit.start.unit + 1, hit.end.unit, "the bytes' match spans the two reads");
    harness.get_by_label("Text+Hex").click();
    harness.run_steps(2);
    assert!(has_text(&harness, "C4") && has_text(&harness, "E3"), "the hex lines show");
    wait_count(&mut harness, "0 / 1"); // a new view mode searches again

    // Bad hex: a clear message; the text typed stays.
    fill(&mut harness, &netassist::ui::find_field(), "C4 E");
    harness.run_steps(2);
    assert!(has_text(&harness, "Not hex bytes"), "the error is shown");
    assert_eq!(harness.state().tab().find.query, "C4 E");
}

#[test]
fn the_filter_by_direction_hides_what_was_sent_and_says_how_many() {
    let server = support::spawn_echo_server();
    let mut harness = connected_harness(server.addr.port());
    send_text(&mut harness, "ping one");
    step_until(&mut harness, "the echo", |h| h.state().tab().session.counters.rx_bytes == 8);
    send_text(&mut harness, "ping two");
    step_until(&mut harness, "the second echo", |h| h.state().tab().session.counters.rx_bytes == 16);
    let tx_line = |h: &AppHarness| h.query_all_by_label_contains("TX →").next().is_some();
    assert!(tx_line(&harness));

    harness.get_by_label("TX").click();
    step_until(&mut harness, "the filter", |h| has_text(h, "2 records hidden"));
    assert!(!tx_line(&harness), "no sent record shows");
    assert!(harness.query_all_by_label_contains("RX ←").count() >= 2, "the received ones do");
    let tab = harness.state().tab();
    assert_eq!(tab.session.counters.tx_bytes, 16, "the counters keep everything");
    assert!(tab.session.view.to_text().contains("TX →"), "the store keeps everything");

    // By text as well: only "two" passes of what is left.
    fill(&mut harness, &netassist::ui::filter_field(), "two");
    step_until(&mut harness, "the text filter", |h| has_text(h, "ping two") && !has_text(h, "ping one"));
    assert!(has_text(&harness, "records hidden"));
    harness.get_by_label("Show all").click();
    harness.run_steps(2);
    assert!(tx_line(&harness) && !has_text(&harness, "hidden"));
}

#[test]
fn clicking_a_server_client_filters_the_view_to_it() {
    let mut harness = app_harness(StartOptions::default());
    let addr = open_local(&mut harness, SERVER, LISTEN);
    let mut first = TcpStream::connect(addr).unwrap();
    step_until(&mut harness, "the first client", |h| h.state().tab().session.clients.len() == 1);
    let mut second = TcpStream::connect(addr).unwrap();
    step_until(&mut harness, "the second client", |h| h.state().tab().session.clients.len() == 2);
    first.write_all(b"from the first").unwrap();
    second.write_all(b"from the second").unwrap();
    step_until(&mut harness, "both messages", |h| h.state().tab().session.counters.rx_bytes == 29);
    harness.run_steps(2);
    assert!(has_text(&harness, "from the first") && has_text(&harness, "from the second"));
    let first_peer = first.local_addr().unwrap();

    // The first "Only" is the first client's (the list is in order of connection).
    harness.query_all_by_label("Only").next().expect("an Only button").click();
    step_until(&mut harness, "the client filter", |h| has_text(h, &format!("Client {first_peer} only")));
    assert!(has_text(&harness, "from the first") && !has_text(&harness, "from the second"));
    assert!(has_text(&harness, "record"), "it says how many it hides");

    harness.get_by_label("All clients").click();
    harness.run_steps(2);
    assert!(has_text(&harness, "from the first") && has_text(&harness, "from the second"));
    assert!(harness.state().tab().filter.client.is_none());

    // Clicking the client again also removes it.
    harness.query_all_by_label("Only").next().unwrap().click();
    harness.run_steps(2);
    assert!(harness.state().tab().filter.client.is_some());
    harness.query_all_by_label("Only").next().unwrap().click();
    harness.run_steps(2);
    assert!(harness.state().tab().filter.client.is_none());
    drop((first, second));
    step_until(&mut harness, "the clients to leave", |h| h.state().tab().session.clients.is_empty());
    assert!(matches!(harness.state().tab().session.state, LinkState::Listening { .. }));
    assert!(shows_exactly(&harness, "Filter"));
}

#[test]
fn the_find_bar_in_chinese_has_every_word() {
    set_lang(Lang::ZhCn);
    let mut harness = app_harness(StartOptions { system_lang: Lang::ZhCn, ..StartOptions::default() });
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run_steps(3);
    assert!(harness.state().tab().find.open);
    choose(&mut harness, "查找方式", "十六进制字节");
    fill(&mut harness, "查找", "C4 E");
    harness.run_steps(2);
    let texts: Vec<String> = harness
        .root()
        .children_recursive()
        .flat_map(|node| {
            let node = node.accesskit_node();
            [node.label(), node.value()]
        })
        .flatten()
        .collect();
    let missing: Vec<&String> = texts.iter().filter(|t| t.contains('⟨')).collect();
    assert!(missing.is_empty(), "missing catalog keys: {missing:?}");
    for word in ["查找方式", "忽略大小写", "下一个", "上一个", "过滤", "不是十六进制字节"] {
        assert!(texts.iter().any(|t| t.contains(word)), "{word} is not shown: {texts:?}");
    }
}

#[test]
fn find_works_in_an_opened_capture_too() {
    let server = support::spawn_tutorial_server();
    let data = tempfile::tempdir().expect("temp dir");
    let options = capturing_client(data.path(), server.addr.port());
    let mut harness = app_harness(options);
    step_until(&mut harness, "Connected", |h| matches!(h.state().tab().session.state, LinkState::Connected { .. }));
    send_text(&mut harness, REQUEST_TEXT);
    step_until(&mut harness, "the peer's close", |h| h.state().tab().session.state == LinkState::Idle);
    let capture = saved_capture(&mut harness);
    // The live view forgets; the capture keeps.
    harness.state_mut().tab_mut().session.view.clear();
    harness.state_mut().tab_mut().open_capture_file(&capture).expect("opens");
    harness.run_steps(2);
    find(&mut harness, "服务器", "Text");
    wait_count(&mut harness, "0 / 2");
    harness.key_press(Key::F3);
    harness.run_steps(2);
    wait_count(&mut harness, "1 / 2");
    // Closing the capture: the search follows the live view (empty now).
    harness.get_by_label(&netassist::ui::close_capture()).click();
    harness.run_steps(2);
    wait_count(&mut harness, "0 / 0");
}
