//! TCP keepalive (issue 18, item 10): on by default for client connections
//! and for the clients a server accepts, off when asked. Real sockets on
//! 127.0.0.1; whether the kernel's keepalive timer runs on the engine's own
//! socket is read from /proc/net/tcp (Linux), where an idle established
//! socket shows timer 2 (keepalive) only if SO_KEEPALIVE is on.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or bench) fails by panicking
#![cfg(target_os = "linux")]

mod support;

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use netassist::engine::*;
use support::*;

/// The `tr` (timer) field of the IPv4 TCP socket from `local` to `remote`, as the kernel lists it.
fn timer_of(local: SocketAddr, remote: SocketAddr) -> Option<u32> {
    let hex = |a: SocketAddr| match a {
        SocketAddr::V4(v4) => format!("{:08X}:{:04X}", u32::from_le_bytes(v4.ip().octets()), v4.port()),
        SocketAddr::V6(_) => unreachable!("IPv4 only"),
    };
    let (local, remote) = (hex(local), hex(remote));
    let table = std::fs::read_to_string("/proc/net/tcp").unwrap();
    table.lines().skip(1).find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        (fields[1] == local && fields[2] == remote).then(|| fields[5].split(':').next().unwrap().parse().unwrap())
    })
}

fn connect_with(keepalive: Option<Duration>) -> u32 {
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = server.local_addr().unwrap();
    let (engine, mut events) = start_engine(EngineConfig::default());
    let request = TcpConnect {
        host: "127.0.0.1".to_owned(),
        port: addr.port(),
        local_port: None,
        timeout: PATIENCE,
        half_close: false,
        keepalive,
    };
    engine.connect_tcp(request).unwrap();
    let Event::Connected { local, .. } =
        wait_for_event(&mut events, PATIENCE, |e| matches!(e, Event::Connected { .. }))
    else {
        unreachable!()
    };
    let (_peer, _) = server.accept().unwrap();
    timer_of(local, addr).expect("the engine's socket is listed")
}

#[test]
fn a_client_connection_has_keepalive_on_by_default_and_off_when_asked() {
    assert_eq!(connect_with(Some(DEFAULT_KEEPALIVE)), 2, "keepalive timer running");
    assert_eq!(connect_with(None), 0, "no timer on an idle socket without keepalive");
}

#[test]
fn a_servers_clients_have_keepalive_on_by_default() {
    let (engine, mut events) = start_engine(EngineConfig::default());
    let request = ListenTcp::new("127.0.0.1:0".parse().unwrap());
    assert_eq!(request.keepalive, Some(DEFAULT_KEEPALIVE));
    engine.listen_tcp(request).unwrap();
    let Event::Listening { local, .. } =
        wait_for_event(&mut events, PATIENCE, |e| matches!(e, Event::Listening { .. }))
    else {
        unreachable!()
    };
    let client = TcpStream::connect(local).unwrap();
    wait_for_event(&mut events, PATIENCE, |e| matches!(e, Event::Accepted { .. }));
    assert_eq!(timer_of(local, client.local_addr().unwrap()), Some(2), "the accepted client's socket probes");
}
