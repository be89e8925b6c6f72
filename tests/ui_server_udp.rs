//! TCP server and UDP modes through the real UI (egui_kittest), real engine,
//! real sockets on 127.0.0.1.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or bench) fails by panicking

mod support;
mod ui_support;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::time::Duration;

use egui_kittest::kittest::Queryable;
use netassist::app::StartOptions;
use netassist::model::LinkState;
use ui_support::{
    AppHarness, LISTEN, OPEN, REPLY_TEXT, REQUEST_TEXT, SERVER, app_harness, choose, fill, has_text, open_local,
    step_until,
};

/// Listens on 127.0.0.1 on any port through the UI.
fn listen(harness: &mut AppHarness) -> SocketAddr {
    open_local(harness, SERVER, LISTEN)
}

fn read_some(stream: &mut TcpStream) -> Vec<u8> {
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    let mut buf = [0u8; 1024];
    let n = stream.read(&mut buf).expect("read");
    buf[..n].to_vec()
}

#[test]
fn the_tutorial_client_gets_the_users_answer() {
    let mut harness = app_harness(StartOptions::default());
    harness.step();
    let addr = listen(&mut harness);
    assert!(has_text(&harness, &format!("Listening on {addr}")), "the bind address is in the status bar");

    let client = support::tutorial_client(addr);
    step_until(&mut harness, "the client's GBK message", |h| has_text(h, REQUEST_TEXT));
    assert!(has_text(&harness, "Clients (1)"));

    fill(&mut harness, "Send data", REPLY_TEXT);
    harness.get_by_label("Send").click();
    harness.step();
    let received = client.join().expect("client thread").expect("client io");
    assert_eq!(received, support::REPLY_GBK);
    step_until(&mut harness, "the client leaving", |h| has_text(h, "closed the connection"));
    step_until(&mut harness, "the list emptying", |h| h.state().tab().session.clients.is_empty());
    assert!(matches!(harness.state().tab().session.state, LinkState::Listening { .. }), "the server keeps listening");
}

#[test]
fn port_in_use_is_explained_and_nothing_else_changes() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let mut harness = app_harness(StartOptions::default());
    harness.step();
    choose(&mut harness, "Protocol", SERVER);
    fill(&mut harness, "Local address", "127.0.0.1");
    fill(&mut harness, "Local port", &port.to_string());
    harness.get_by_label(LISTEN).click();
    step_until(&mut harness, "the error", |h| has_text(h, "already in use"));
    assert_eq!(harness.state().tab().session.state, LinkState::Idle);
}

#[test]
fn send_to_one_client_or_all_and_kick_one() {
    let mut harness = app_harness(StartOptions::default());
    harness.step();
    let addr = listen(&mut harness);
    let mut clients: Vec<TcpStream> = (0..3).map(|_| TcpStream::connect(addr).expect("connect")).collect();
    step_until(&mut harness, "three clients", |h| h.state().tab().session.clients.len() == 3);
    for (i, client) in clients.iter_mut().enumerate() {
        client.write_all(format!("hello from {i}").as_bytes()).expect("write");
    }
    for i in 0..3 {
        step_until(&mut harness, "each client's message", |h| has_text(h, &format!("hello from {i}")));
    }

    // Send only to the second client.
    harness.get_by_label("All").click();
    harness.step();
    let second = clients[1].local_addr().expect("addr").to_string();
    harness.get_by_label(&second).click();
    harness.step();
    fill(&mut harness, "Send data", "only you");
    harness.get_by_label("Send").click();
    harness.step();
    assert_eq!(read_some(&mut clients[1]), b"only you");

    // And to all.
    harness.get_by_label("All").click();
    harness.step();
    fill(&mut harness, "Send data", "everyone");
    harness.get_by_label("Send").click();
    harness.step();
    for client in &mut clients[..1] {
        assert_eq!(read_some(client), b"everyone");
    }
    assert_eq!(read_some(&mut clients[2]), b"everyone");
    assert_eq!(read_some(&mut clients[1]), b"everyone");

    // Kick the third: it reads end-of-stream, the others stay.
    harness.get_all_by_label("Kick").nth(2).expect("three kick buttons").click();
    harness.step();
    assert_eq!(read_some(&mut clients[2]), b"");
    step_until(&mut harness, "two clients", |h| h.state().tab().session.clients.len() == 2);
    clients[0].write_all(b"still here").expect("write");
    step_until(&mut harness, "the first client still served", |h| has_text(h, "still here"));
}

#[test]
fn udp_datagrams_show_their_source_and_reply_to_last_sender() {
    let mut harness = app_harness(StartOptions::default());
    harness.step();
    let local = open_local(&mut harness, "UDP", OPEN);

    let peer = UdpSocket::bind("127.0.0.1:0").expect("bind");
    peer.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    peer.send_to(support::REQUEST_GBK, local).expect("send");
    step_until(&mut harness, "the datagram", |h| has_text(h, REQUEST_TEXT));
    let source = peer.local_addr().expect("addr").to_string();
    assert!(has_text(&harness, &format!("RX ← {source}")), "the source address is shown");

    harness.get_by_label("Reply to last sender").click();
    fill(&mut harness, "Send data", REPLY_TEXT);
    harness.get_by_label("Send").click();
    harness.step();
    let mut buf = [0u8; 2048];
    let (n, from) = peer.recv_from(&mut buf).expect("reply");
    assert_eq!(&buf[..n], support::REPLY_GBK);
    assert_eq!(from, local);
}
