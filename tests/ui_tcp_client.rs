//! The real app (real engine, real sockets on 127.0.0.1) driven through its
//! UI with egui_kittest, as a person following the socket tutorial would.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or bench) fails by panicking

mod support;
mod ui_support;

use eframe::egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use netassist::app::StartOptions;
use netassist::codec::Charset;
use netassist::model::LinkState;
use ui_support::{REPLY_TEXT, REQUEST_TEXT, app_harness, choose, connected_harness, fill, has_text, step_until};

#[test]
fn tutorial_exchange_through_the_ui() {
    let server = support::spawn_tutorial_server();
    let mut harness = app_harness(StartOptions::default());
    harness.step();

    fill(&mut harness, "Remote host", "127.0.0.1");
    fill(&mut harness, "Remote port", &server.addr.port().to_string());
    // Pick UTF-8, then GBK, through the charset selector.
    choose(&mut harness, "Charset", "UTF-8");
    assert_eq!(harness.state().tab().settings.charset, Charset::Utf8);
    choose(&mut harness, "Charset", "GBK");
    assert_eq!(harness.state().tab().settings.charset, Charset::Gbk);

    harness.get_by_label("Connect").click();
    step_until(&mut harness, "Connected", |h| matches!(h.state().tab().session.state, LinkState::Connected { .. }));
    assert!(has_text(&harness, "Connected to 127.0.0.1"));

    fill(&mut harness, "Send data", REQUEST_TEXT);
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the reply in the receive view", |h| has_text(h, REPLY_TEXT));
    step_until(&mut harness, "the peer's close", |h| has_text(h, "closed the connection"));
    assert_eq!(harness.state().tab().session.state, LinkState::Idle);
    assert!(has_text(&harness, REQUEST_TEXT), "the sent line is shown");
    assert!(has_text(&harness, "RX ← 127.0.0.1:"), "the reply is tagged with direction and peer");
    assert_eq!(server.received(), vec![support::REQUEST_GBK.to_vec()]);
    let counters = harness.state().tab().session.counters;
    assert_eq!((counters.tx_bytes, counters.rx_bytes), (21, 32));

    // Hex view re-renders the history from the raw bytes.
    harness.get_by_label("Hex").click();
    // (The send preview under the box shows hex too: wait for the view itself.)
    step_until(&mut harness, "hex view", |h| {
        h.state().tab().session.view.mode() == netassist::view::ViewMode::Hex && has_text(h, "CE D2 CA C7")
    });
    assert!(!has_text(&harness, REPLY_TEXT));

    // And the UTF-8 view of GBK bytes shows invalid bytes, not a panic.
    harness.get_by_label("Text").click();
    harness.step();
    choose(&mut harness, "Charset", "UTF-8");
    step_until(&mut harness, "UTF-8 re-render", |h| has_text(h, "\\xCE"));
    assert!(!has_text(&harness, REPLY_TEXT));
}

#[test]
fn ctrl_enter_sends() {
    let server = support::spawn_tutorial_server();
    let mut harness = connected_harness(server.addr.port());
    fill(&mut harness, "Send data", REQUEST_TEXT);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    step_until(&mut harness, "the reply", |h| has_text(h, REPLY_TEXT));
    assert_eq!(server.received(), vec![support::REQUEST_GBK.to_vec()]);
    assert_eq!(harness.state().tab().send_text, REQUEST_TEXT, "the send box keeps its text, with no line added");
}

#[test]
fn invalid_hex_is_explained_and_nothing_is_sent() {
    let server = support::spawn_tutorial_server();
    let mut harness = connected_harness(server.addr.port());
    harness.get_by_label("as hex").click();
    harness.step();
    fill(&mut harness, "Send data", "c4 e");
    harness.get_by_label("Send").click();
    harness.step();
    harness.step();
    assert!(has_text(&harness, "Invalid hex"), "an inline message");
    assert!(has_text(&harness, "position 4"), "it says where");
    fill(&mut harness, "Send data", "zz");
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the second message", |h| has_text(h, "'z' at position 1"));
    // Now a valid payload: the server's one read must see only it, which
    // proves nothing of the rejected ones went out before.
    fill(&mut harness, "Send data", "41");
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the reply", |h| has_text(h, REPLY_TEXT));
    assert_eq!(server.received(), vec![vec![0x41]]);
    assert_eq!(harness.state().tab().session.counters.tx_bytes, 1);
}

#[test]
fn bad_port_and_send_while_disconnected_are_explained() {
    let mut harness = app_harness(StartOptions::default());
    harness.step();
    fill(&mut harness, "Remote port", "80000");
    harness.get_by_label("Connect").click();
    harness.step();
    harness.step();
    assert!(has_text(&harness, "port '80000' is not valid"));
    assert_eq!(harness.state().tab().session.state, LinkState::Idle);

    fill(&mut harness, "Send data", "hello");
    harness.get_by_label("Send").click();
    harness.step();
    harness.step();
    assert!(has_text(&harness, "Not connected"));
}

#[test]
fn refused_connection_is_explained() {
    // A socket bound but not listening keeps the port reserved (no other
    // test can take it) while connections to it are refused.
    let reserved = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).expect("socket");
    reserved.bind(&std::net::SocketAddr::from(([127, 0, 0, 1], 0)).into()).expect("bind");
    let port = reserved.local_addr().expect("addr").as_socket().expect("inet").port();
    let mut options = StartOptions::default();
    options.settings.remote_port = port.to_string();
    options.connect = true;
    let mut harness = app_harness(options);
    step_until(&mut harness, "the refusal", |h| has_text(h, "connection refused"));
    assert_eq!(harness.state().tab().session.state, LinkState::Idle);
}

#[test]
fn ipv6_literal_in_the_host_field() {
    let listener = std::net::TcpListener::bind("[::1]:0").expect("IPv6 loopback");
    let port = listener.local_addr().expect("addr").port();
    let server = std::thread::Builder::new()
        .name("ui_tcp_client-0".to_owned())
        .spawn(move || {
            let (mut stream, peer) = listener.accept().expect("accept");
            std::io::Write::write_all(&mut stream, b"hello over IPv6").expect("write");
            peer
        })
        .expect("spawn a thread");
    let mut harness = app_harness(StartOptions::default());
    harness.step();
    fill(&mut harness, "Remote host", "[::1]");
    fill(&mut harness, "Remote port", &port.to_string());
    harness.get_by_label("Connect").click();
    step_until(&mut harness, "the greeting", |h| has_text(h, "hello over IPv6"));
    assert!(has_text(&harness, &format!("RX ← [::1]:{port}")), "the peer shows as an IPv6 address");
    let peer = server.join().expect("server thread");
    assert!(peer.is_ipv6());
}

#[test]
fn auto_reconnect_connects_again_after_the_peer_closes_until_stopped() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let accepted = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&accepted);
    // Accepts, then closes at once: the connection ends without the user asking.
    let server = support::LoopbackServer::spawn(move |stream| {
        seen.fetch_add(1, Ordering::SeqCst);
        drop(stream);
    });
    let mut options = StartOptions { connect: true, ..StartOptions::default() };
    options.settings.remote_port = server.addr.port().to_string();
    options.settings.auto_reconnect = true;
    let mut harness = app_harness(options);
    step_until(&mut harness, "a second connection", |_| accepted.load(Ordering::SeqCst) >= 2);
    assert!(has_text(&harness, "Reconnecting"));
    step_until(&mut harness, "the next attempt to be planned", |h| h.state().tab().reconnect.planned.is_some());
    harness.get_by_label("Stop reconnecting").click();
    harness.run_steps(2);
    assert!(harness.state().tab().reconnect.planned.is_none());
    let count = accepted.load(Ordering::SeqCst);
    assert_eq!(harness.state().tab().session.state, LinkState::Idle);
    assert_eq!(accepted.load(Ordering::SeqCst), count, "no more attempts");
}
