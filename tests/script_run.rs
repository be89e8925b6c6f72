//! The script runner against real peers on 127.0.0.1: the tutorial's server
//! and client, an echo server, a UDP echo; captures, the counter, repeats,
//! and the ways a step fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::sync::Arc;
use std::sync::mpsc::sync_channel;

use netassist::engine::{EngineConfig, EngineHandle};
use netassist::script::{Detail, Outcome, RunOptions, Runner, StepFailure, StepReport, parse, run_to_end};
use support::*;

/// Runs `script` with `options` on an engine of its own; the reports and how it ended.
fn run(script: &str, options: RunOptions) -> (Outcome, Vec<StepReport>) {
    let script = parse(script).unwrap_or_else(|e| panic!("{e}"));
    let (engine, mut events) = EngineHandle::start(EngineConfig::default(), Arc::new(|| {})).expect("engine");
    let mut runner = Runner::new(&script, options);
    let mut reports = Vec::new();
    let outcome = run_to_end(&mut runner, &engine, &mut events, |r| reports.push(r.clone()));
    (outcome, reports)
}

fn to(addr: SocketAddr) -> RunOptions {
    RunOptions { remote: Some((addr.ip().to_string(), addr.port())), ..RunOptions::default() }
}

const CLIENT: &str = "charset gbk\n\
    connect 127.0.0.1:8000 timeout 5s\n\
    send \"你好服务器,我是客户端\"\n\
    expect \"我是服务器,我已经收到了你的信息!\" timeout 5s\n\
    expect close timeout 5s\n";

fn verdicts(reports: &[StepReport]) -> Vec<(usize, bool)> {
    reports.iter().map(|r| (r.line, r.result.is_ok())).collect()
}

#[test]
fn the_tutorial_client_script_passes_against_the_tutorial_server() {
    let server = spawn_tutorial_server();
    let (outcome, reports) = run(CLIENT, to(server.addr));
    assert_eq!(outcome, Outcome::Passed, "{reports:#?}");
    assert_eq!(verdicts(&reports), [(2, true), (3, true), (4, true), (5, true)]);
    assert_eq!(server.received(), [REQUEST_GBK.to_vec()]);
    let Ok(Detail::Matched(shown)) = &reports[2].result else { panic!("{:?}", reports[2]) };
    assert_eq!(shown.bytes, REPLY_GBK);
    let line = reports[2].to_string();
    assert!(line.starts_with("PASS  line 4  expect \"我是服务器"), "{line}");
    assert!(line.contains("received \"我是服务器,我已经收到了你的信息!\" (32 bytes, GBK)"), "{line}");
}

#[test]
fn a_different_reply_fails_the_expect() {
    let server = LoopbackServer::spawn(|mut stream| {
        let mut buf = [0u8; 1024];
        let _ = stream.read(&mut buf);
        let _ = stream.write_all(&netassist::codec::Charset::Gbk.encode("我是客户端,我已经收到了你的消息!").unwrap());
    });
    let (outcome, reports) = run(CLIENT, to(server.addr));
    assert_eq!(outcome, Outcome::Failed);
    assert_eq!(verdicts(&reports), [(2, true), (3, true), (4, false)], "the steps after a failure do not run");
    let Err(StepFailure::ClosedFirst { received, .. }) = &reports[2].result else { panic!("{:?}", reports[2]) };
    let line = reports[2].to_string();
    assert!(line.contains("unmatched: \"我是客户端,我已经收到了你的消息!\""), "{line}");
    assert_eq!(received.bytes.len(), 32);
}

#[test]
fn a_closed_port_fails_the_connect() {
    let port = free_port();
    let (outcome, reports) = run(CLIENT, to(SocketAddr::from(([127, 0, 0, 1], port))));
    assert_eq!(outcome, Outcome::Failed);
    assert_eq!(reports.len(), 1);
    assert!(matches!(&reports[0].result, Err(StepFailure::Engine(netassist::engine::EngineError::Refused { .. }))));
    assert_eq!(reports[0].result.as_ref().unwrap_err().kind(), "refused");
}

#[test]
fn an_expect_times_out_showing_what_came_instead() {
    let server = LoopbackServer::spawn(|mut stream| {
        let _ = stream.write_all(b"hello");
        let mut buf = [0u8; 16];
        let _ = stream.read(&mut buf); // holds the connection until the client closes
    });
    let script = "charset utf-8\nconnect 127.0.0.1:1\nexpect \"bye\" timeout 200ms\n";
    let (outcome, reports) = run(script, to(server.addr));
    assert_eq!(outcome, Outcome::Failed);
    let line = reports[1].to_string();
    assert!(line.starts_with("FAIL  line 3"), "{line}");
    assert!(line.contains("not received within 0.2 s; unmatched: \"hello\" (5 bytes, UTF-8)"), "{line}");
    assert!(reports[1].elapsed >= std::time::Duration::from_millis(200));
}

#[test]
fn the_tutorial_server_script_serves_the_tutorial_client() {
    let script = parse(
        "charset gbk\nlisten 8000\naccept timeout 10s\nexpect \"你好服务器,我是客户端\"\n\
         send \"我是服务器,我已经收到了你的信息!\"\nclose\n",
    )
    .expect("parses");
    let options = RunOptions { local_port: Some(0), bind_ip: Some([127, 0, 0, 1].into()), ..RunOptions::default() };
    let (port_tx, port_rx) = sync_channel(1);
    let serving = spawn_named("script-server", move || {
        let (engine, mut events) = EngineHandle::start(EngineConfig::default(), Arc::new(|| {})).expect("engine");
        let mut runner = Runner::new(&script, options);
        let mut reports = Vec::new();
        let outcome = run_to_end(&mut runner, &engine, &mut events, |r| {
            if let Ok(Detail::Listening { local }) = &r.result {
                let _ = port_tx.send(*local);
            }
            reports.push(r.clone());
        });
        (outcome, reports)
    });
    let addr = port_rx.recv_timeout(PATIENCE).expect("listening");
    assert_eq!(addr.ip().to_string(), "127.0.0.1");
    let reply = tutorial_client(addr);
    let (outcome, reports) = serving.join().expect("runner thread");
    assert_eq!(outcome, Outcome::Passed, "{reports:#?}");
    assert_eq!(reply, REPLY_GBK, "and the server closed: read_to_end returned");
}

/// The tutorial's client: connect, send the greeting, read until the server closes.
fn tutorial_client(addr: SocketAddr) -> Vec<u8> {
    let mut stream = TcpStream::connect_timeout(&addr, PATIENCE).expect("connect");
    stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
    stream.write_all(REQUEST_GBK).expect("send");
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).expect("read until closed");
    reply
}

#[test]
fn a_regex_capture_is_echoed_and_the_counter_counts_in_a_repeat() {
    let server = spawn_echo_server();
    let script = "charset utf-8\nseq 7 3\nconnect 127.0.0.1:1\n\
        send \"ID=42;\"\nexpect regex \"ID=(?<id>\\d+);\"\nsend \"ACK ${id} ${1} [${rx}]\"\nexpect \"ACK 42 42 [ID=42;]\"\n\
        repeat 3 {\n  send \"n=${seq};\"\n  expect regex \"n=(\\d+);\"\n  set last \"${1}\"\n}\nsend \"last ${last}\"\nexpect \"last 13\"\nclose\n";
    let (outcome, reports) = run(script, to(server.addr));
    assert_eq!(outcome, Outcome::Passed, "{reports:#?}");
    let counted: Vec<String> = reports
        .iter()
        .filter_map(|r| match &r.result {
            Ok(Detail::Set { value, .. }) => Some(format!("{value}@{:?}", r.turns)),
            _ => None,
        })
        .collect();
    assert_eq!(counted, ["7@[1]", "10@[2]", "13@[3]"]);
}

#[test]
fn udp_bind_send_and_expect() {
    let peer = UdpSocket::bind("127.0.0.1:0").expect("bind");
    let peer_addr = peer.local_addr().expect("addr");
    let echo = spawn_named("udp-echo", move || {
        let mut buf = [0u8; 2048];
        peer.set_read_timeout(Some(PATIENCE)).expect("timeout");
        let (n, from) = peer.recv_from(&mut buf).expect("a datagram");
        peer.send_to(&buf[..n], from).expect("echo");
    });
    let script = "bind 127.0.0.1:0 to 127.0.0.1:9\nsend hex \"01 03 00 00 00 0A\" checksum crc16-modbus\n\
        expect hex \"01 03 00 00 00 0A C5 CD\" timeout 5s\nexpect close\n";
    let (outcome, reports) = run(script, to(peer_addr));
    echo.join().expect("echo thread");
    assert_eq!(outcome, Outcome::Failed, "expect close on UDP is a script error");
    assert_eq!(verdicts(&reports), [(1, true), (2, true), (3, true), (4, false)]);
    assert_eq!(reports[1].to_string().split("  ").last(), Some("sent 01 03 00 00 00 0A C5 CD (8 bytes)"));
}
