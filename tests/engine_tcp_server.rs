//! The engine as a TCP server, over loopback only (127.0.0.1 and ::1, port
//! 0): several clients told apart, sending to one or all, kicking, the
//! client limit, resets, port in use, IPv6, stopping, per-client byte
//! streams, and the tutorial's client.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or bench) fails by panicking

mod support;

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use bytes::Bytes;
use netassist::engine::*;
#[allow(unused_imports)]
use netassist::ids::{ConnId, Direction, JobId};
use socket2::SockRef;
use support::*;

/// A listener request for 127.0.0.1, any port.
fn loopback() -> ListenTcp {
    ListenTcp::new("127.0.0.1:0".parse().expect("addr"))
}

/// Connects `count` clients one after the other, each waiting for its
/// `Accepted`; returns each client's stream and engine id, in order.
fn connect_clients(
    events: &mut EventReceiver,
    log: &mut EventLog,
    listener: ConnId,
    addr: SocketAddr,
    count: usize,
) -> Vec<(TcpStream, ConnId)> {
    let mut clients = Vec::new();
    for _ in 0..count {
        let stream = std_client(addr);
        let me = stream.local_addr().expect("local addr");
        log.until(events, "Accepted", |all| accepted(all, listener).iter().any(|(_, peer)| *peer == me));
        let (conn, _) = *log.accepted(listener).iter().find(|(_, peer)| *peer == me).expect("accepted");
        clients.push((stream, conn));
    }
    clients
}

/// Whether `events` hold the `Closed` of `conn` with `reason`.
fn closed(events: &[Event], conn: ConnId, reason: &CloseReason) -> bool {
    events.iter().any(|e| matches!(e, Event::Closed { conn: c, reason: r, .. } if *c == conn && r == reason))
}

/// Asserts that `stream` reads end-of-stream (or a reset) next.
fn assert_eof(stream: &mut TcpStream) {
    let mut buf = [0u8; 64];
    match stream.read(&mut buf) {
        Ok(0) => {}
        Err(error) if error.kind() == ErrorKind::ConnectionReset => {}
        other => panic!("expected end-of-stream, got {other:?}"),
    }
}

#[test]
fn three_clients_are_told_apart() {
    let (engine, mut events) = start_engine(EngineConfig::default());
    let (listener, addr) = listen(&engine, &mut events, loopback());
    assert_eq!(addr.ip(), std::net::IpAddr::from([127, 0, 0, 1]));
    assert_ne!(addr.port(), 0, "Listening reports the actual port");
    let mut log = EventLog::default();
    let mut clients = connect_clients(&mut events, &mut log, listener, addr, 3);

    for (i, (stream, _)) in clients.iter_mut().enumerate() {
        stream.write_all(format!("hello from client {i}").as_bytes()).expect("write");
    }
    let expected: Vec<(ConnId, Vec<u8>)> = clients
        .iter()
        .enumerate()
        .map(|(i, (_, conn))| (*conn, format!("hello from client {i}").into_bytes()))
        .collect();
    log.until(&mut events, "each client's bytes", |all| {
        expected.iter().all(|(conn, want)| received(all, *conn) == *want)
    });

    // Each Received carries the right peer, and each Accepted the right addresses.
    for (stream, conn) in &clients {
        let me = stream.local_addr().expect("local addr");
        for event in log.events.iter().filter(|e| e.conn() == Some(*conn)) {
            match event {
                Event::Accepted { listener: l, local, peer, .. } => {
                    assert_eq!((*l, *local, *peer), (listener, addr, me));
                }
                Event::Received { peer, .. } => assert_eq!(*peer, me),
                other => panic!("unexpected {other:?}"),
            }
        }
    }
    let ids: Vec<ConnId> = clients.iter().map(|(_, conn)| *conn).collect();
    assert!(!ids.contains(&listener) && ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2], "{ids:?}");
}

#[test]
fn send_to_one_reaches_only_that_client_and_send_many_reaches_all() {
    let (engine, mut events) = start_engine(EngineConfig::default());
    let (listener, addr) = listen(&engine, &mut events, loopback());
    let mut log = EventLog::default();
    let mut clients = connect_clients(&mut events, &mut log, listener, addr, 3);

    let only_b = Bytes::from_static(b"only for b");
    engine.send(clients[1].1, only_b.clone()).expect("queue send");
    assert_eq!(read_n(&mut clients[1].0, only_b.len()), only_b);

    let all = Bytes::from_static(b"for everyone");
    let ids: Vec<ConnId> = clients.iter().map(|(_, conn)| *conn).collect();
    engine.send_many(ids.clone(), all.clone()).expect("queue send_many");
    // a and c read "for everyone" first: "only for b" never reached them.
    for (stream, _) in &mut clients {
        assert_eq!(read_n(stream, all.len()), all);
    }
    let sent_to = |all: &[Event], conn: ConnId| {
        all.iter().filter(|e| matches!(e, Event::Sent { conn: c, .. } if *c == conn)).count()
    };
    log.until(&mut events, "a Sent per send", |events| {
        sent_to(events, ids[0]) == 1 && sent_to(events, ids[1]) == 2 && sent_to(events, ids[2]) == 1
    });
}

#[test]
fn kick_closes_only_that_client() {
    let (engine, mut events) = start_engine(EngineConfig::default());
    let (listener, addr) = listen(&engine, &mut events, loopback());
    let mut log = EventLog::default();
    let mut clients = connect_clients(&mut events, &mut log, listener, addr, 3);
    let kicked = clients[1].1;

    engine.disconnect(kicked).expect("queue kick");
    log.until(&mut events, "the kicked client's Closed", |all| closed(all, kicked, &CloseReason::Local));
    assert_eof(&mut clients[1].0);

    // The others still work, both ways.
    for i in [0, 2] {
        let (stream, conn) = &mut clients[i];
        engine.send(*conn, Bytes::from_static(b"still here?")).expect("queue send");
        assert_eq!(read_n(stream, 11), b"still here?");
        stream.write_all(b"yes").expect("write");
        let conn = *conn;
        log.until(&mut events, "the reply", |all| received(all, conn) == b"yes");
    }
    assert!(!log.events.iter().any(|e| matches!(e, Event::Closed { conn, .. } if *conn != kicked)));
    assert!(!log.events.iter().any(|e| matches!(e, Event::ListenerClosed { .. })));
}

#[test]
fn the_client_limit_refuses_the_next_one_and_admits_again_after_one_leaves() {
    let (engine, mut events) = start_engine(EngineConfig::default());
    let (listener, addr) = listen(&engine, &mut events, ListenTcp { max_clients: 2, ..loopback() });
    let mut log = EventLog::default();
    let mut clients = connect_clients(&mut events, &mut log, listener, addr, 2);

    let mut third = std_client(addr);
    let third_addr = third.local_addr().expect("local addr");
    log.until(&mut events, "ClientRefused", |all| {
        all.iter().any(|e| matches!(e, Event::ClientRefused { peer, limit: 2, .. } if *peer == third_addr))
    });
    assert_eof(&mut third);
    assert_eq!(log.accepted(listener).len(), 2, "the third was not accepted as a client");

    // The two keep working.
    for (stream, conn) in &mut clients {
        engine.send(*conn, Bytes::from_static(b"ping")).expect("queue send");
        assert_eq!(read_n(stream, 4), b"ping");
    }

    // One leaves; then a new client is served.
    let (first, first_conn) = clients.remove(0);
    drop(first);
    log.until(&mut events, "the first client's Closed", |all| closed(all, first_conn, &CloseReason::PeerClosed));
    let mut newcomer = connect_clients(&mut events, &mut log, listener, addr, 1);
    let (stream, conn) = &mut newcomer[0];
    engine.send(*conn, Bytes::from_static(b"welcome")).expect("queue send");
    assert_eq!(read_n(stream, 7), b"welcome");
    assert_eq!(log.events.iter().filter(|e| matches!(e, Event::ClientRefused { .. })).count(), 1);
}

#[test]
fn a_client_reset_mid_stream_ends_only_that_client() {
    let (engine, mut events) = start_engine(EngineConfig::default());
    let (listener, addr) = listen(&engine, &mut events, loopback());
    let mut log = EventLog::default();
    let mut clients = connect_clients(&mut events, &mut log, listener, addr, 2);

    let (mut resetting, reset_conn) = clients.remove(0);
    resetting.write_all(b"half a message").expect("write");
    log.until(&mut events, "the bytes before the reset", |all| received(all, reset_conn) == b"half a message");
    SockRef::from(&resetting).set_linger(Some(Duration::ZERO)).expect("SO_LINGER 0");
    drop(resetting);
    log.until(&mut events, "Closed { Reset }", |all| closed(all, reset_conn, &CloseReason::Reset));

    // The other client and the listener carry on.
    let (other, other_conn) = &mut clients[0];
    engine.send(*other_conn, Bytes::from_static(b"fine")).expect("queue send");
    assert_eq!(read_n(other, 4), b"fine");
    let mut newcomer = connect_clients(&mut events, &mut log, listener, addr, 1);
    let (stream, conn) = &mut newcomer[0];
    stream.write_all(b"new").expect("write");
    let conn = *conn;
    log.until(&mut events, "the newcomer's bytes", |all| received(all, conn) == b"new");
    assert!(!log.events.iter().any(|e| matches!(e, Event::ListenerClosed { .. })));
}

#[test]
fn port_in_use_is_explained_and_the_engine_carries_on() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let busy_addr = busy.local_addr().expect("addr");
    let (engine, mut events) = start_engine(EngineConfig::default());
    let listener = engine.listen_tcp(ListenTcp::new(busy_addr)).expect("queue listen");
    let all = events_of(&mut events, listener, PATIENCE);
    match &all[..] {
        [Event::ListenFailed { listener: l, error, .. }] => {
            assert_eq!(*l, listener);
            assert_eq!(*error, EngineError::AddrInUse { addr: busy_addr });
            assert!(error.to_string().contains("already in use"), "{error}");
        }
        other => panic!("expected ListenFailed, got {other:#?}"),
    }
    // The engine carries on: another listener works.
    let (other, addr) = listen(&engine, &mut events, loopback());
    let mut log = EventLog::default();
    connect_clients(&mut events, &mut log, other, addr, 1);
}

#[test]
fn ipv6_listener_on_loopback() {
    let (engine, mut events) = start_engine(EngineConfig::default());
    let (listener, addr) = listen(&engine, &mut events, ListenTcp::new("[::1]:0".parse().expect("addr")));
    assert!(addr.is_ipv6() && addr.ip().is_loopback(), "{addr}");
    let mut log = EventLog::default();
    let mut clients = connect_clients(&mut events, &mut log, listener, addr, 1);
    let (stream, conn) = &mut clients[0];
    let me = stream.local_addr().expect("local addr");
    assert!(me.is_ipv6());
    assert_eq!(log.accepted(listener), vec![(*conn, me)]);
    stream.write_all(REQUEST_GBK).expect("write");
    let conn = *conn;
    log.until(&mut events, "the request", |all| received(all, conn) == REQUEST_GBK);
    engine.send(conn, Bytes::from_static(REPLY_GBK)).expect("queue send");
    assert_eq!(read_n(stream, REPLY_GBK.len()), REPLY_GBK);
}

#[test]
fn stop_listener_closes_every_client_then_the_listener() {
    let (engine, mut events) = start_engine(EngineConfig::default());
    let (listener, addr) = listen(&engine, &mut events, loopback());
    let mut log = EventLog::default();
    let mut clients = connect_clients(&mut events, &mut log, listener, addr, 2);

    engine.stop_listener(listener).expect("queue stop");
    log.until(&mut events, "ListenerClosed", |all| all.iter().any(|e| matches!(e, Event::ListenerClosed { .. })));
    let closed_at = |conn: ConnId| {
        log.events
            .iter()
            .position(|e| matches!(e, Event::Closed { conn: c, reason: CloseReason::Local, .. } if *c == conn))
    };
    let listener_closed = log.events.iter().position(
        |e| matches!(e, Event::ListenerClosed { listener: l, reason: CloseReason::Local, .. } if *l == listener),
    );
    for (stream, conn) in &mut clients {
        let at = closed_at(*conn).unwrap_or_else(|| panic!("no Closed {{ Local }} for #{conn}: {:#?}", log.events));
        assert!(Some(at) < listener_closed, "each client's Closed comes before ListenerClosed");
        assert_eof(stream);
    }
    // The port is free: nothing accepts there now, and it can be listened on again at once.
    match TcpStream::connect_timeout(&addr, PATIENCE) {
        Err(error) => assert_eq!(error.kind(), ErrorKind::ConnectionRefused),
        Ok(_) => panic!("still accepting on {addr}"),
    }
    let (_, again) = listen(&engine, &mut events, ListenTcp::new(addr));
    assert_eq!(again, addr);
}

#[test]
fn split_characters_never_mix_between_clients() {
    // `你好服务器` and `我是客户端` in GBK, each written in two parts that cut a
    // character in half, the two clients' writes interleaved.
    let a_text: &[u8] = &[0xc4, 0xe3, 0xba, 0xc3, 0xb7, 0xfe, 0xce, 0xf1, 0xc6, 0xf7];
    let b_text: &[u8] = &[0xce, 0xd2, 0xca, 0xc7, 0xbf, 0xcd, 0xbb, 0xa7, 0xb6, 0xcb];
    let (engine, mut events) = start_engine(EngineConfig::default());
    let (listener, addr) = listen(&engine, &mut events, loopback());
    let mut log = EventLog::default();
    let mut clients = connect_clients(&mut events, &mut log, listener, addr, 2);
    let (a, b) = (clients[0].1, clients[1].1);

    for (cut, round) in [(3, 0), (7, 1)] {
        for (i, text) in [a_text, b_text].into_iter().enumerate() {
            let range = if round == 0 { 0..cut } else { 3..text.len() };
            let (stream, conn) = &mut clients[i];
            stream.write_all(&text[range.clone()]).expect("write");
            let conn = *conn;
            log.until(&mut events, "the part just written", |all| received(all, conn) == text[..range.end]);
        }
    }
    assert_eq!(log.received(a), a_text);
    assert_eq!(log.received(b), b_text);
    let order: Vec<ConnId> = log
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Received { conn, .. } => Some(*conn),
            _ => None,
        })
        .collect();
    let switches = order.windows(2).filter(|pair| pair[0] != pair[1]).count();
    assert!(switches >= 3, "the two clients' bytes interleaved: {order:?}");
}

#[test]
fn the_tutorial_client_gets_the_reply() {
    let (engine, mut events) = start_engine(EngineConfig::default());
    let (listener, addr) = listen(&engine, &mut events, ListenTcp { max_clients: 128, ..loopback() });
    let client = tutorial_client(addr);
    let mut log = EventLog::default();
    log.until(&mut events, "the tutorial client's request", |all| {
        accepted(all, listener).first().is_some_and(|(conn, _)| received(all, *conn) == REQUEST_GBK)
    });
    let (conn, peer) = log.accepted(listener)[0];
    assert!(log.events.iter().all(|e| !matches!(e, Event::Received { peer: p, .. } if *p != peer)));
    engine.send(conn, Bytes::from_static(REPLY_GBK)).expect("queue send");
    let reply = client.join().expect("client thread").expect("client exchange");
    assert_eq!(reply, REPLY_GBK, "the client's one recv(1024) got exactly the reply");
    log.until(&mut events, "the client's close", |all| closed(all, conn, &CloseReason::PeerClosed));
    let sent: Vec<(ConnId, SocketAddr, &[u8])> = log
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Sent { conn, peer, data, .. } => Some((*conn, *peer, &data[..])),
            _ => None,
        })
        .collect();
    assert_eq!(sent, vec![(conn, peer, REPLY_GBK)]);
}

#[test]
fn commands_for_the_wrong_kind_of_id_are_refused() {
    let (engine, mut events) = start_engine(EngineConfig::default());
    let (listener, _) = listen(&engine, &mut events, loopback());
    engine.send(listener, Bytes::from_static(b"x")).expect("queue send");
    match next_event(&mut events, PATIENCE) {
        Event::CommandFailed { conn, error, .. } => {
            assert_eq!(conn, Some(listener));
            assert_eq!(error, EngineError::WrongKind { id: listener, is: "TCP listener", expected: "TCP connection" });
            assert!(error.to_string().contains("is a TCP listener, not a TCP connection"), "{error}");
        }
        other => panic!("expected CommandFailed, got {other:?}"),
    }
    engine.send_to(listener, "127.0.0.1".to_owned(), 9, Bytes::from_static(b"x")).expect("queue send_to");
    let failed = next_event(&mut events, PATIENCE);
    assert!(matches!(
        failed,
        Event::CommandFailed { error: EngineError::WrongKind { expected: "UDP socket", .. }, .. }
    ));
}

#[test]
fn dropping_the_engine_closes_clients_then_listeners() {
    let (engine, mut events) = start_engine(EngineConfig::default());
    let (listener, addr) = listen(&engine, &mut events, loopback());
    let mut log = EventLog::default();
    let mut clients = connect_clients(&mut events, &mut log, listener, addr, 2);
    let started = Instant::now();
    drop(engine);
    assert!(started.elapsed() < Duration::from_secs(3), "dropping took {:?}", started.elapsed());
    log.until(&mut events, "ListenerClosed", |all| all.iter().any(|e| matches!(e, Event::ListenerClosed { .. })));
    for (stream, conn) in &mut clients {
        assert!(closed(&log.events, *conn, &CloseReason::Local), "{:#?}", log.events);
        assert_eof(stream);
    }
}
