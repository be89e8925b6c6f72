//! Variables in what the window sends, through the real UI and real sockets
//! on 127.0.0.1: `${seq}` counts across sends and its preview shows the next
//! value, bad syntax is explained and sends nothing, cyclic sends fill in
//! each send anew, and an auto-reply echoes a regex capture.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or bench) fails by panicking

mod support;
mod ui_support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use egui_kittest::kittest::Queryable;
use netassist::app::StartOptions;
use netassist::model::{AutoReplySpec, LinkState, MatchKind, Protocol, Settings};
use ui_support::{app_harness, connected_harness, fill, has_text, send_text, step_until};

#[test]
fn seq_counts_across_sends_and_the_preview_shows_the_next_value() {
    let (server, chunks) = support::spawn_forwarding_server();
    let mut harness = connected_harness(server.addr.port());
    fill(&mut harness, "Send data", "n=${seq};");
    harness.run_steps(2);
    assert!(has_text(&harness, "→ 4 B: 6E 3D 31 3B"), "the preview shows the first value");
    let mut all = Vec::new();
    for (value, next_preview) in [(1, "→ 4 B: 6E 3D 32 3B"), (2, "→ 4 B: 6E 3D 33 3B"), (3, "→ 4 B: 6E 3D 34 3B")]
    {
        send_text(&mut harness, "n=${seq};");
        let expected = format!("n={value};");
        let got = support::receive_until(&chunks, |got| got.len() >= expected.len());
        assert_eq!(String::from_utf8_lossy(&got), expected, "the peer receives {value}");
        all.extend_from_slice(&got);
        harness.run_steps(2);
        assert!(has_text(&harness, next_preview), "after sending {value}, the preview shows the next");
    }
    assert_eq!(all, b"n=1;n=2;n=3;");
}

#[test]
fn the_preview_of_a_random_value_is_what_is_sent() {
    let (server, chunks) = support::spawn_forwarding_server();
    let mut harness = connected_harness(server.addr.port());
    fill(&mut harness, "Send data", "${rand_hex:8}");
    harness.run_steps(2);
    let preview = harness.state().tab().send_preview().expect("a preview");
    send_text(&mut harness, "${rand_hex:8}");
    let sent = support::receive_until(&chunks, |got| got.len() >= 8);
    let shown: String = sent.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(" ");
    assert_eq!(preview, format!("→ 8 B: {shown}"), "the preview named the very bytes sent");
}

#[test]
fn bad_variable_syntax_is_explained_with_its_position_and_nothing_is_sent() {
    let server = support::spawn_tutorial_server();
    let mut harness = connected_harness(server.addr.port());
    fill(&mut harness, "Send data", "ab${seq");
    harness.run_steps(2);
    assert!(has_text(&harness, "at position 3 is not closed"), "the preview explains");
    send_text(&mut harness, "ab${seq");
    harness.run_steps(2);
    assert!(harness.state().tab().send_problem().is_some_and(|p| p.contains("position 3")));
    fill(&mut harness, "Send data", "${nope:1}");
    harness.run_steps(2);
    assert!(has_text(&harness, "takes no arguments"));
    assert_eq!(harness.state().tab().session.counters.tx_bytes, 0, "nothing was sent");
    assert_eq!(harness.state().tab().vars.counter.value(), 1, "the counter did not move");
}

#[test]
fn bad_variable_syntax_is_explained_in_chinese() {
    let server = support::spawn_tutorial_server();
    // The window starts in Chinese (the language of its thread, this test's).
    let mut options =
        StartOptions { system_lang: netassist::i18n::Lang::ZhCn, connect: true, ..StartOptions::default() };
    options.settings.remote_port = server.addr.port().to_string();
    let mut harness = app_harness(options);
    step_until(&mut harness, "connected", |h| {
        matches!(h.state().tab().session.state, netassist::model::LinkState::Connected { .. })
    });
    fill(&mut harness, "发送数据", "ab${seq");
    harness.run_steps(2);
    let preview = harness.state().tab().send_preview().expect_err("a bad variable").to_string();
    assert!(preview.contains("第 3 个字符处的变量没有闭合"), "{preview}");
}

#[test]
fn a_cyclic_send_fills_in_seq_at_each_send() {
    let (server, chunks) = support::spawn_forwarding_server();
    let mut harness = connected_harness(server.addr.port());
    fill(&mut harness, "Send data", "<${seq}>");
    harness.state_mut().tab_mut().jobs.interval_ms = 1;
    harness.state_mut().tab_mut().jobs.count = 3;
    harness.get_by_label(&netassist::ui::start_repeat()).click();
    harness.run_steps(2);
    let all = support::receive_until(&chunks, |all| all.len() >= 9);
    assert_eq!(all, b"<1><2><3>");
    assert_eq!(harness.state().tab().vars.counter.value(), 4, "the tab's counter goes on after the job");
}

#[test]
fn an_auto_reply_echoes_a_regex_capture() {
    let mut harness = app_harness(StartOptions::default());
    let settings = Settings {
        protocol: Protocol::TcpServer,
        bind_host: "127.0.0.1".to_owned(),
        listen_port: "0".to_owned(),
        auto_reply: true,
        auto_replies: vec![AutoReplySpec {
            name: "ack".to_owned(),
            match_kind: MatchKind::Regex,
            pattern: r"id=(?P<id>\d+)".to_owned(),
            reply: "ack ${1}/${id} #${seq}".to_owned(),
            ..AutoReplySpec::default()
        }],
        ..Settings::default()
    };
    harness.state_mut().tab_mut().use_settings(settings);
    harness.state_mut().connect();
    step_until(&mut harness, "listening", |h| matches!(h.state().tab().session.state, LinkState::Listening { .. }));
    let LinkState::Listening { local, .. } = harness.state().tab().session.state else { unreachable!("listening") };
    let mut client = TcpStream::connect(local).expect("connects");
    client.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    for (sent, expected) in [("id=42", "ack 42/42 #1"), ("id=7", "ack 7/7 #2")] {
        client.write_all(sent.as_bytes()).expect("writes");
        let mut reply = vec![0; expected.len()];
        // The app answers on its engine thread; the window need not even draw.
        client.read_exact(&mut reply).expect("the reply");
        assert_eq!(String::from_utf8_lossy(&reply), expected);
    }
}

#[test]
fn a_reply_using_a_group_the_regex_lacks_is_explained() {
    let mut harness = app_harness(StartOptions::default());
    let settings = Settings {
        auto_reply: true,
        auto_replies: vec![AutoReplySpec {
            name: "bad".to_owned(),
            match_kind: MatchKind::Regex,
            pattern: r"id=\d+".to_owned(),
            reply: "ack ${1}".to_owned(),
            ..AutoReplySpec::default()
        }],
        ..Settings::default()
    };
    harness.state_mut().tab_mut().use_settings(settings);
    harness.run_steps(3);
    let problems: Vec<String> = harness.state().tab().problems.rules.iter().map(ToString::to_string).collect();
    assert!(problems.iter().any(|p| p.contains("${1}") && p.contains("has no value")), "{problems:?}");
}
