//! Connection churn against the engine's TCP server (127.0.0.1, port 0):
//! thousands of connect/disconnect cycles, closed from either side, some
//! with data, none leaking a file descriptor.
//!
//! 10,000 cycles (about 2 s in a debug build); `NETASSIST_CHURN_CYCLES`
//! sets another count (docs/RELIABILITY.md has the timings). This file holds
//! one test on purpose: it counts the process's open descriptors, which
//! another test running beside it would disturb.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or bench) fails by panicking

mod support;

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use netassist::engine::*;
#[allow(unused_imports)]
use netassist::ids::{ConnId, Direction, JobId};
use support::*;

/// Cycles run by `cargo test`.
const DEFAULT_CYCLES: usize = 10_000;

/// How many descriptors this process has open.
fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, std::iter::Iterator::count)
}

/// Waits for the `Closed` of each of `conns` (other events are dropped).
fn wait_closed(events: &mut EventReceiver, conns: &[ConnId]) -> Vec<CloseReason> {
    let mut reasons: Vec<Option<CloseReason>> = vec![None; conns.len()];
    while reasons.iter().any(Option::is_none) {
        if let Event::Closed { conn, reason, .. } = next_event(events, PATIENCE)
            && let Some(i) = conns.iter().position(|c| *c == conn)
        {
            reasons[i] = Some(reason);
        }
    }
    reasons.into_iter().flatten().collect()
}

/// Waits for the `Accepted` of `listener`; returns the new client's id and peer.
fn wait_accepted(events: &mut EventReceiver, listener: ConnId) -> (ConnId, SocketAddr) {
    match wait_for_event(events, PATIENCE, |e| matches!(e, Event::Accepted { listener: l, .. } if *l == listener)) {
        Event::Accepted { conn, peer, .. } => (conn, peer),
        other => unreachable!("{other:?}"),
    }
}

#[test]
fn thousands_of_connections_come_and_go_and_leave_no_descriptor_behind() {
    if !std::path::Path::new("/proc/self/fd").is_dir() {
        println!("SKIPPED churn: no /proc/self/fd to count descriptors with");
        return;
    }
    let cycles = std::env::var("NETASSIST_CHURN_CYCLES").ok().and_then(|n| n.parse().ok()).unwrap_or(DEFAULT_CYCLES);
    let (engine, mut events) = start_engine(EngineConfig::default());
    let (listener, addr) = listen(&engine, &mut events, ListenTcp::new("127.0.0.1:0".parse().expect("addr")));
    // Warm up (the runtime's threads, the event waiter), then take the baseline.
    let warm = std_client(addr);
    let (warm_conn, _) = wait_accepted(&mut events, listener);
    drop(warm);
    wait_closed(&mut events, &[warm_conn]);
    let baseline = open_fds();

    let started = Instant::now();
    for cycle in 0..cycles {
        match cycle % 4 {
            // An outside client connects and closes; every other time it sends a line first.
            0 | 1 => {
                let mut client = std_client(addr);
                let (conn, peer) = wait_accepted(&mut events, listener);
                assert_eq!(peer, client.local_addr().expect("addr"));
                if cycle % 4 == 1 {
                    client.write_all(b"hello\n").expect("write");
                    let got = wait_for_event(&mut events, PATIENCE, |e| matches!(e, Event::Received { .. }));
                    assert!(matches!(got, Event::Received { conn: c, data, .. } if c == conn && data == "hello\n"));
                }
                drop(client);
                assert_eq!(wait_closed(&mut events, &[conn]), [CloseReason::PeerClosed], "cycle {cycle}");
            }
            // The server kicks an outside client, after answering it.
            2 => {
                let mut client = std_client(addr);
                let (conn, _) = wait_accepted(&mut events, listener);
                engine.send(conn, Bytes::from_static(b"bye")).expect("queue send");
                assert_eq!(read_n(&mut client, 3), b"bye");
                engine.disconnect(conn).expect("queue kick");
                assert_eq!(wait_closed(&mut events, &[conn]), [CloseReason::Local], "cycle {cycle}");
                let mut rest = Vec::new();
                assert_eq!(client.read_to_end(&mut rest).expect("end of stream"), 0);
            }
            // The engine's own client connects to its server and hangs up.
            _ => {
                let request = TcpConnect {
                    host: "127.0.0.1".to_owned(),
                    port: addr.port(),
                    local_port: None,
                    timeout: PATIENCE,
                    half_close: false,
                    keepalive: Some(netassist::engine::DEFAULT_KEEPALIVE),
                };
                let client = engine.connect_tcp(request).expect("queue connect");
                // Both ends up, in whichever order the engine reports them.
                let (mut server_side, mut connected) = (None, false);
                while server_side.is_none() || !connected {
                    match next_event(&mut events, PATIENCE) {
                        Event::Accepted { listener: l, conn, .. } if l == listener => server_side = Some(conn),
                        Event::Connected { conn, .. } if conn == client => connected = true,
                        Event::Connecting { .. } => {}
                        other => panic!("cycle {cycle}: unexpected {other:?}"),
                    }
                }
                let server_side = server_side.expect("accepted");
                engine.disconnect(client).expect("queue disconnect");
                let reasons = wait_closed(&mut events, &[client, server_side]);
                assert_eq!(reasons, [CloseReason::Local, CloseReason::PeerClosed], "cycle {cycle}");
            }
        }
    }
    let elapsed = started.elapsed();
    println!("churn: {cycles} cycles in {elapsed:.1?} ({:.0} µs each)", elapsed.as_secs_f64() * 1e6 / cycles as f64);

    // Every descriptor comes back (closing is asynchronous: poll, never sleep a guess).
    let deadline = Instant::now() + PATIENCE;
    let mut now_open = open_fds();
    while now_open > baseline {
        assert!(Instant::now() < deadline, "{now_open} descriptors open after the churn, {baseline} before");
        std::thread::yield_now();
        now_open = open_fds();
    }
    println!("churn: {now_open} descriptors open after, {baseline} before");

    // And the server still serves.
    let mut client = std_client(addr);
    let (conn, _) = wait_accepted(&mut events, listener);
    client.write_all(b"still there?").expect("write");
    let got = wait_for_event(&mut events, Duration::from_secs(5), |e| matches!(e, Event::Received { .. }));
    assert!(matches!(got, Event::Received { conn: c, .. } if c == conn));
}
