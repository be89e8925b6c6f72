//! Renders the real app to PNGs in screenshots/ (egui_kittest + wgpu on
//! lavapipe). Only built with `--features screenshots`; run it through
//! `scripts/screenshots.sh`, which installs what it needs.
#![cfg(feature = "screenshots")]

mod support;
mod ui_support;

use std::io::Write;
use std::net::{TcpStream, UdpSocket};

use egui_kittest::kittest::Queryable;
use netassist::app::{LinkState, StartOptions};
use ui_support::{LISTEN, OPEN, REPLY_TEXT, REQUEST_TEXT, SERVER, app_harness, fill, has_text, open_local, step_until};

fn save(harness: &mut ui_support::AppHarness, name: &str) {
    harness.set_render_cursor(false);
    let image = harness.render().expect("render");
    let path = format!("{}/screenshots/{name}.png", env!("CARGO_MANIFEST_DIR"));
    image.save(&path).expect("save screenshot");
    println!("wrote {path}");
}

#[test]
fn tutorial_exchange_screenshots() {
    let server = support::spawn_tutorial_server();
    let mut options = StartOptions::default();
    options.settings.remote_port = server.addr.port().to_string();
    let mut harness = app_harness(options);
    harness.step();
    harness.get_by_label("Connect / 连接").click();
    step_until(&mut harness, "Connected", |h| matches!(h.state().session.state, LinkState::Connected { .. }));
    fill(&mut harness, "Send data", REQUEST_TEXT);
    harness.get_by_label("Send / 发送").click();
    step_until(&mut harness, "the reply", |h| has_text(h, REPLY_TEXT));
    step_until(&mut harness, "the close", |h| has_text(h, "closed the connection"));
    harness.run_steps(4);
    save(&mut harness, "tutorial-tcp-client");

    harness.get_by_label("Text+Hex").click();
    harness.run_steps(4);
    save(&mut harness, "tutorial-text-hex");
}

#[test]
fn server_with_several_clients_screenshot() {
    let mut harness = app_harness(StartOptions::default());
    harness.step();
    let local = open_local(&mut harness, SERVER, LISTEN);
    let mut clients: Vec<TcpStream> = (0..3).map(|_| TcpStream::connect(local).expect("connect")).collect();
    step_until(&mut harness, "three clients", |h| h.state().session.clients.len() == 3);
    let messages: [&[u8]; 3] =
        [support::REQUEST_GBK, b"device #2: temp=21.5C\r\n", b"\x01\x03\x00\x00\x00\x0a\xc5\xcd"];
    for (client, message) in clients.iter_mut().zip(messages) {
        client.write_all(message).expect("write");
        client.flush().expect("flush");
    }
    step_until(&mut harness, "the messages", |h| has_text(h, "temp=21.5C") && has_text(h, REQUEST_TEXT));
    fill(&mut harness, "Send data", REPLY_TEXT);
    harness.get_by_label("Send / 发送").click();
    step_until(&mut harness, "the reply", |h| h.state().session.counters.tx_packets == 3);
    harness.run_steps(4);
    save(&mut harness, "tcp-server-clients");
}

#[test]
fn udp_screenshot() {
    let mut harness = app_harness(StartOptions::default());
    harness.step();
    let local = open_local(&mut harness, "UDP", OPEN);
    let peer = UdpSocket::bind("127.0.0.1:0").expect("bind");
    peer.send_to(support::REQUEST_GBK, local).expect("send");
    peer.send_to(b"\x01\x03\x00\x00\x00\x0a\xc5\xcd", local).expect("send");
    step_until(&mut harness, "two datagrams", |h| h.state().session.counters.rx_packets == 2);
    harness.get_by_label("Reply to last sender").click();
    harness.get_by_label("as hex").click();
    fill(&mut harness, "Send data", "01 03 14 00 01 00 02");
    harness.get_by_label("Send / 发送").click();
    step_until(&mut harness, "the reply", |h| h.state().session.counters.tx_packets == 1);
    harness.get_by_label("Text+Hex").click();
    harness.run_steps(4);
    save(&mut harness, "udp");
}
