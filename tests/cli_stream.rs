//! `netassist connect` / `listen` / `udp`, the binary, without a display:
//! stdin lines go out in the charset, what arrives is printed decoded (or as
//! a hex dump), and the end of stdin ends it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};

use support::cli::{Running, finish, netassist};
use support::*;

fn address_in(line: &str) -> SocketAddr {
    line.rsplit(' ').next().and_then(|a| a.parse().ok()).unwrap_or_else(|| panic!("no address in {line:?}"))
}

#[test]
fn connect_sends_typed_gbk_and_shows_the_gbk_reply_and_the_close() {
    let server = spawn_tutorial_server();
    let mut run = Running::spawn(netassist().args(["connect", &server.addr.to_string(), "--charset", "gbk"]));
    run.line_where(|l| l.contains(&format!("-- connected to {}", server.addr)));
    run.stdin().write_all("你好服务器,我是客户端\n".as_bytes()).expect("type");
    let tx = run.line_where(|l| l.contains(" TX "));
    assert!(tx.ends_with(&format!("TX {}  你好服务器,我是客户端", server.addr)), "{tx}");
    let rx = run.line_where(|l| l.contains(" RX "));
    assert!(rx.ends_with(&format!("RX {}  我是服务器,我已经收到了你的信息!", server.addr)), "{rx}");
    let stamp = rx.split(' ').next().unwrap_or_default();
    assert!(stamp.len() == 12 && stamp.as_bytes()[2] == b':' && stamp.as_bytes()[8] == b'.', "HH:MM:SS.mmm: {rx}");
    run.line_where(|l| l.ends_with("closed by the peer"));
    let done = run.finish();
    assert_eq!(done.code, Some(0), "{done:?}");
    assert_eq!(server.received(), [REQUEST_GBK.to_vec()], "the line, in GBK, without its newline");
}

#[test]
fn connect_to_a_closed_port_exits_1() {
    let port = free_port();
    let done = finish(netassist().args(["connect", &format!("127.0.0.1:{port}")]));
    assert_eq!(done.code, Some(1), "{done:?}");
    assert!(done.stderr.contains("connection refused"), "{}", done.stderr);
}

#[test]
fn listen_serves_a_client_and_stdin_end_stops_it() {
    let mut run = Running::spawn(netassist().args(["listen", "127.0.0.1:0", "--charset", "gbk", "--append", "crlf"]));
    let addr = address_in(&run.line_where(|l| l.contains("-- listening on")));
    let mut client = TcpStream::connect_timeout(&addr, PATIENCE).expect("connect");
    client.set_read_timeout(Some(PATIENCE)).expect("timeout");
    run.line_where(|l| l.contains("connected") && l.contains("-- client"));
    client.write_all(REQUEST_GBK).expect("send");
    let rx = run.line_where(|l| l.contains(" RX "));
    assert!(rx.ends_with("你好服务器,我是客户端"), "{rx}");
    run.stdin().write_all("我是服务器,我已经收到了你的信息!\n".as_bytes()).expect("type");
    let mut reply = vec![0; REPLY_GBK.len() + 2];
    client.read_exact(&mut reply).expect("the reply");
    assert_eq!(&reply[..REPLY_GBK.len()], REPLY_GBK);
    assert_eq!(&reply[REPLY_GBK.len()..], b"\r\n", "--append crlf");
    run.close_stdin();
    let mut rest = Vec::new();
    client.read_to_end(&mut rest).expect("closed when stdin ended");
    assert!(rest.is_empty());
    let done = run.finish();
    assert_eq!(done.code, Some(0), "{done:?}");
}

#[test]
fn udp_sends_typed_hex_and_dumps_datagrams() {
    let peer = UdpSocket::bind("127.0.0.1:0").expect("bind");
    peer.set_read_timeout(Some(PATIENCE)).expect("timeout");
    let peer_addr = peer.local_addr().expect("addr");
    let mut run = Running::spawn(netassist().args(["udp", "127.0.0.1:0", "--hex", "--remote", &peer_addr.to_string()]));
    let local = address_in(&run.line_where(|l| l.contains("-- bound to")));
    run.stdin().write_all(b"zz\n01 03 00 00 00 0A\n").expect("type");
    let mut buf = [0u8; 64];
    let (n, from) = peer.recv_from(&mut buf).expect("a datagram");
    assert_eq!((&buf[..n], from), (&[1u8, 3, 0, 0, 0, 0x0A][..], local), "the bad line was not sent");
    peer.send_to(b"\x01\x03\x02AB", from).expect("reply");
    let header = run.line_where(|l| l.contains(" RX "));
    assert!(header.ends_with(&format!("RX {peer_addr}  5 bytes")), "{header}");
    let dump = run.line_where(|l| l.trim_start().starts_with("0000"));
    assert!(dump.contains("01 03 02 41 42") && dump.ends_with("|...AB|"), "{dump}");
    run.close_stdin();
    let done = run.finish();
    assert_eq!(done.code, Some(0), "{done:?}");
    assert!(done.stderr.contains("input line 1: 'z' at position 1 is not a hex digit; not sent"), "{}", done.stderr);
}

#[test]
fn piped_input_with_linger_shows_the_reply_before_closing() {
    let server = spawn_tutorial_server();
    let mut run = Running::spawn(netassist().args(["connect", &server.addr.to_string(), "--linger", "60s"]));
    run.stdin().write_all("你好服务器,我是客户端\n".as_bytes()).expect("type");
    run.close_stdin();
    let done = run.finish();
    assert_eq!(done.code, Some(0), "the peer's close ends the linger early: {done:?}");
    assert!(done.stdout.contains("RX") && done.stdout.contains("我是服务器,我已经收到了你的信息!"), "{}", done.stdout);
    assert_eq!(server.received(), [REQUEST_GBK.to_vec()]);
}
