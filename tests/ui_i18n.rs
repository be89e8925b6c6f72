//! The window in Chinese and in English: started in Chinese it shows no
//! English label in any mode; the 语言 / Language menu switches live and the
//! choice is remembered; the send box converts between text and hex; Reset
//! counters zeroes RX and TX. Real app, real sockets on 127.0.0.1.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
mod ui_support;

use eframe::egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use netassist::app::StartOptions;
use netassist::i18n::Lang;
use netassist::model::{LinkState, SendMode};
use ui_support::*;

/// Words that are the same in a Chinese window: protocol and charset names,
/// variable names (`${seq}`),
/// units and keys, the app's name, and the language menu's title (both
/// languages on purpose).
const SAME_IN_CHINESE: &[&str] = &[
    "TCP",
    "UDP",
    "IP",
    "IPv4",
    "IPv6",
    "GBK",
    "UTF",
    "RX",
    "TX",
    "TTL",
    "FIN",
    "Ctrl",
    "Enter",
    "netassist",
    "KiB",
    "MiB",
    "seq",
    "Language",
    "BA",
    "C4",
    "E3",
    "C3",
    "any",
];

/// Every label and value of the window's widgets.
fn texts(harness: &AppHarness) -> Vec<String> {
    harness
        .root()
        .children_recursive()
        .flat_map(|node| {
            let node = node.accesskit_node();
            [node.label(), node.value()]
        })
        .flatten()
        .collect()
}

/// The English words left in `text` once the shared names are taken out.
fn english_words(text: &str) -> Vec<String> {
    let word = regex::Regex::new("[A-Za-z][A-Za-z0-9]*").unwrap();
    word.find_iter(text)
        .map(|m| m.as_str().to_owned())
        .filter(|w| w.len() > 1 && !SAME_IN_CHINESE.contains(&w.as_str()) && !is_hex_byte(w))
        .collect()
}

/// `C4`, `0A`: a byte in a hex dump or preview.
fn is_hex_byte(word: &str) -> bool {
    word.len() == 2 && word.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase())
}

/// Accessible names egui gives its own invisible widgets (never drawn as text).
const EGUI_INTERNAL: &[&str] = &["Resize panel"];

fn assert_all_chinese(harness: &AppHarness, when: &str) {
    let mut english = Vec::new();
    for text in texts(harness).into_iter().filter(|t| !EGUI_INTERNAL.contains(&t.as_str())) {
        assert!(!text.contains('⟨'), "{when}: a missing catalog key: {text}");
        if !english_words(&text).is_empty() {
            english.push(text);
        }
    }
    assert!(english.is_empty(), "{when}: English in the Chinese window: {english:#?}");
}

fn chinese() -> StartOptions {
    StartOptions { system_lang: Lang::ZhCn, ..StartOptions::default() }
}

#[test]
fn started_in_chinese_no_mode_shows_an_english_label() {
    let dir = tempfile::tempdir().unwrap();
    let options = StartOptions { config_dir: Some(dir.path().to_path_buf()), ..chinese() };
    let mut harness = app_harness(options);
    harness.run_steps(3);
    assert!(harness.query_by_label("连接").is_some(), "the Connect button reads 连接");
    assert!(harness.query_by_label("协议类型").is_some());
    assert_all_chinese(&harness, "TCP 客户端");
    for (mode, button) in [("TCP 服务器", "监听"), ("UDP", "打开")] {
        choose(&mut harness, "协议类型", mode);
        assert!(harness.query_by_label(button).is_some(), "{mode}: {button}");
        assert_all_chinese(&harness, mode);
    }
}

#[test]
fn the_tutorial_exchange_reads_in_chinese() {
    let server = support::spawn_tutorial_server();
    let dir = tempfile::tempdir().unwrap();
    let mut options = StartOptions { config_dir: Some(dir.path().to_path_buf()), connect: true, ..chinese() };
    options.settings.remote_port = server.addr.port().to_string();
    let mut harness = app_harness(options);
    step_until(&mut harness, "已连接", |h| has_text(h, "已连接到"));
    fill(&mut harness, "发送数据", REQUEST_TEXT);
    harness.get_by_label("发送").click();
    step_until(&mut harness, "the reply", |h| has_text(h, REPLY_TEXT));
    step_until(&mut harness, "the server's close", |h| has_text(h, "关闭了连接"));
    assert_all_chinese(&harness, "after the exchange");
}

#[test]
fn the_language_menu_switches_live_and_is_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let options = || StartOptions { config_dir: Some(dir.path().to_path_buf()), ..StartOptions::default() };
    let mut harness = app_harness(options());
    harness.run_steps(2);
    assert!(harness.query_by_label("Connect").is_some(), "English at first");
    harness.get_by_label("语言 / Language").click();
    harness.run_steps(2);
    harness.get_by_label_contains("简体中文").click();
    harness.run_steps(3);
    assert!(harness.query_by_label("连接").is_some(), "Chinese at once");
    assert!(harness.query_by_label("Connect").is_none());
    harness.state_mut().profiles.flush();
    drop(harness);

    let mut again = app_harness(options());
    again.run_steps(2);
    assert!(again.query_by_label("连接").is_some(), "the choice is remembered");
    again.get_by_label("语言 / Language").click();
    again.run_steps(2);
    again.get_by_label_contains("English").click();
    again.run_steps(3);
    assert!(again.query_by_label("Connect").is_some(), "and switched back");
}

#[test]
fn switching_the_send_box_between_text_and_hex_converts_it() {
    let mut harness = app_harness(StartOptions::default());
    fill(&mut harness, "Send data", "你好");
    harness.get_by_role_and_label(Role::RadioButton, "as hex").click();
    harness.run_steps(2);
    assert_eq!(harness.state().tab().settings.send_mode, SendMode::Hex);
    assert_eq!(harness.state().tab().send_text, "C4 E3 BA C3", "GBK bytes of 你好");
    harness.get_by_role_and_label(Role::RadioButton, "as text").click();
    harness.run_steps(2);
    assert_eq!(harness.state().tab().send_text, "你好", "and back");

    // What cannot be converted is left as typed.
    fill(&mut harness, "Send data", "C4 E3 BA");
    harness.get_by_role_and_label(Role::RadioButton, "as hex").click();
    harness.run_steps(2);
    fill(&mut harness, "Send data", "C4 E3 BA");
    harness.get_by_role_and_label(Role::RadioButton, "as text").click();
    harness.run_steps(2);
    assert_eq!(harness.state().tab().send_text, "C4 E3 BA", "half a character does not decode: kept as hex");
}

#[test]
fn reset_counters_zeroes_rx_and_tx_and_keeps_the_view() {
    let server = support::spawn_tutorial_server();
    let mut harness = connected_harness(server.addr.port());
    send_text(&mut harness, REQUEST_TEXT);
    step_until(&mut harness, "the reply", |h| h.state().tab().session.counters.rx_bytes > 0);
    // The tutorial server closes after its reply: let that note land first,
    // so the view's record count below is not raced by it.
    step_until(&mut harness, "the server's close", |h| h.state().tab().session.state == LinkState::Idle);
    let records = harness.state().tab().session.view.stats().records;
    harness.get_by_label("Reset counters").click();
    harness.run_steps(2);
    let counters = harness.state().tab().session.counters;
    assert_eq!((counters.rx_bytes, counters.tx_bytes, counters.rx_packets, counters.tx_packets), (0, 0, 0, 0));
    assert_eq!(harness.state().tab().session.view.stats().records, records, "the view keeps what it shows");
}
