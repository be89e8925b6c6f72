//! The fault matrix at the engine's boundary (EngineHandle, real sockets on
//! 127.0.0.1, port 0): a peer's half-close, a privileged port, a thousand
//! clients of which half reset at random, and a command queue that is full.
//! The UI's side of each row is in ui_faults.rs; docs/RELIABILITY.md has the
//! whole matrix.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or bench) fails by panicking

mod support;

use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::mpsc::sync_channel;
use std::time::{Duration, Instant};

use bytes::Bytes;
use netassist::engine::*;
#[allow(unused_imports)]
use netassist::ids::{ConnId, Direction, JobId};
use socket2::SockRef;
use support::*;

fn loopback(port: u16) -> TcpConnect {
    TcpConnect {
        host: "127.0.0.1".to_owned(),
        port,
        local_port: None,
        timeout: PATIENCE,
        half_close: false,
        keepalive: Some(netassist::engine::DEFAULT_KEEPALIVE),
    }
}

/// Connects to 127.0.0.1:`port` and waits for `Connected`.
fn connect(engine: &EngineHandle, events: &mut EventReceiver, port: u16) -> ConnId {
    let conn = engine.connect_tcp(loopback(port)).expect("queue connect");
    match wait_for_event(events, PATIENCE, |e| e.conn() == Some(conn) && !matches!(e, Event::Connecting { .. })) {
        Event::Connected { .. } => conn,
        other => panic!("expected Connected, got {other:?}"),
    }
}

/// A server that answers its client's first read with `reply`, then shuts
/// down its sending side (FIN) and reports everything it reads after that.
fn half_closing_server(reply: &'static [u8]) -> (LoopbackServer, std::sync::mpsc::Receiver<Vec<u8>>) {
    let (after_tx, after_rx) = sync_channel(1);
    let server = LoopbackServer::spawn(move |mut stream| {
        let mut buf = [0u8; 1024];
        if stream.read(&mut buf).unwrap_or(0) == 0 {
            return;
        }
        let _ = stream.write_all(reply);
        let _ = stream.shutdown(Shutdown::Write);
        let _ = stream.set_read_timeout(Some(PATIENCE));
        let mut after = Vec::new();
        let _ = stream.read_to_end(&mut after);
        let _ = after_tx.send(after);
    });
    (server, after_rx)
}

/// Today a FIN ends the session: the data before it and the close are
/// reported in order, our side closes too (the peer reads end-of-stream),
/// and a later send is refused with a clear error, never lost in silence.
#[test]
fn a_peer_half_close_ends_the_session_cleanly() {
    let (server, after) = half_closing_server(REPLY_GBK);
    let (engine, mut events) = start_engine(EngineConfig::default());
    let conn = connect(&engine, &mut events, server.addr.port());
    engine.send(conn, Bytes::from_static(REQUEST_GBK)).expect("queue send");
    let all = events_of(&mut events, conn, PATIENCE);
    let (last, rest) = all.split_last().expect("events");
    assert!(matches!(&rest[0], Event::Sent { data, .. } if data == REQUEST_GBK), "{all:#?}");
    assert_eq!(received(rest, conn), REPLY_GBK, "everything sent before the FIN arrived");
    assert!(matches!(last, Event::Closed { reason: CloseReason::PeerClosed, .. }), "{all:#?}");
    assert_eq!(after.recv_timeout(PATIENCE).expect("the server's read"), b"", "our side closed too");
    engine.send(conn, Bytes::from_static(b"too late")).expect("queue send");
    match wait_for_event(&mut events, PATIENCE, |e| matches!(e, Event::CommandFailed { .. })) {
        Event::CommandFailed { error, .. } => {
            assert_eq!(error, EngineError::NotConnected { conn });
            assert_eq!(error.to_string(), format!("not connected: connection #{conn} is not open"));
        }
        other => unreachable!("{other:?}"),
    }
}

/// With half-close on (`TcpConnect::half_close`), the peer's FIN is reported
/// as `PeerFinished` after everything it sent, the connection stays open, a
/// send still goes out and the peer reads it; Disconnect then closes our side
/// (`Closed { Local }`, the peer reads end-of-stream).
#[test]
fn after_a_peer_half_close_we_can_still_send() {
    let (server, after) = half_closing_server(REPLY_GBK);
    let (engine, mut events) = start_engine(EngineConfig::default());
    let request = TcpConnect { half_close: true, ..loopback(server.addr.port()) };
    let conn = engine.connect_tcp(request).expect("queue connect");
    let mut log = EventLog::default();
    log.until(&mut events, "Connected", |all| all.iter().any(|e| matches!(e, Event::Connected { .. })));
    engine.send(conn, Bytes::from_static(REQUEST_GBK)).expect("queue send");
    log.until(&mut events, "the peer's FIN", |all| all.iter().any(|e| matches!(e, Event::PeerFinished { .. })));
    assert_eq!(log.received(conn), REPLY_GBK, "everything sent before the FIN, before PeerFinished");
    match log.events.last() {
        Some(Event::PeerFinished { conn: c, peer, .. }) => assert_eq!((*c, *peer), (conn, server.addr)),
        other => panic!("expected PeerFinished last, got {other:?}"),
    }
    engine.send(conn, Bytes::from_static(b"after your FIN")).expect("queue send");
    log.until(&mut events, "Sent", |all| {
        all.iter().any(|e| matches!(e, Event::Sent { data, .. } if data == "after your FIN"))
    });
    assert!(!log.events.iter().any(Event::is_final), "still open: {:#?}", log.events);
    engine.disconnect(conn).expect("queue disconnect");
    assert_eq!(after.recv_timeout(PATIENCE).expect("the server's read"), b"after your FIN", "then end-of-stream");
    log.until(&mut events, "Closed", |all| all.iter().any(Event::is_final));
    assert!(matches!(log.events.last(), Some(Event::Closed { reason: CloseReason::Local, .. })), "{:#?}", log.events);
}

/// The same for a client a listener accepted, with half-close on for the
/// listener (`ListenTcp::half_close`): the client sends a request and its
/// FIN; the server answers it, the client reads the answer; Kick closes it.
#[test]
fn a_server_answers_a_client_after_its_half_close() {
    let (engine, mut events) = start_engine(EngineConfig::default());
    let request = ListenTcp { half_close: true, ..ListenTcp::new("127.0.0.1:0".parse().expect("addr")) };
    let (listener, addr) = listen(&engine, &mut events, request);
    let mut client = std_client(addr);
    client.write_all(b"request, then FIN").expect("write");
    client.shutdown(Shutdown::Write).expect("shutdown(Write)");
    let mut log = EventLog::default();
    log.until(&mut events, "the client's FIN", |all| all.iter().any(|e| matches!(e, Event::PeerFinished { .. })));
    let [(conn, peer)] = log.accepted(listener)[..] else { panic!("one client: {:#?}", log.events) };
    assert_eq!(peer, client.local_addr().expect("addr"));
    assert_eq!(log.received(conn), b"request, then FIN");
    engine.send(conn, Bytes::from_static(b"the answer")).expect("queue send");
    assert_eq!(read_n(&mut client, 10), b"the answer");
    assert!(!log.events.iter().any(Event::is_final), "still open: {:#?}", log.events);
    engine.disconnect(conn).expect("queue kick");
    let mut rest = Vec::new();
    client.read_to_end(&mut rest).expect("end-of-stream");
    assert_eq!(rest, b"", "our FIN follows the answer");
    log.until(&mut events, "Closed", |all| all.iter().any(|e| matches!(e, Event::Closed { .. })));
    assert!(
        log.events.iter().any(|e| matches!(e, Event::Closed { conn: c, reason: CloseReason::Local, .. } if *c == conn)),
        "{:#?}",
        log.events
    );
}

/// A peer that did not only half-close but closed (its socket is gone)
/// answers our next segment with a reset: with half-close on, that reset
/// ends the connection at once (`Closed { Reset }`), with no further send.
#[test]
fn after_a_half_close_a_reset_still_ends_the_connection() {
    let (engine, mut events) = start_engine(EngineConfig::default());
    let request = ListenTcp { half_close: true, ..ListenTcp::new("127.0.0.1:0".parse().expect("addr")) };
    let (listener, addr) = listen(&engine, &mut events, request);
    let client = std_client(addr);
    drop(client);
    let mut log = EventLog::default();
    log.until(&mut events, "the client's FIN", |all| all.iter().any(|e| matches!(e, Event::PeerFinished { .. })));
    let [(conn, _)] = log.accepted(listener)[..] else { panic!("one client: {:#?}", log.events) };
    engine.send(conn, Bytes::from_static(b"anyone?")).expect("queue send");
    log.until(&mut events, "Closed", |all| all.iter().any(|e| matches!(e, Event::Closed { .. })));
    let closed = log.events.iter().find(|e| matches!(e, Event::Closed { .. }));
    assert!(matches!(closed, Some(Event::Closed { reason: CloseReason::Reset, .. })), "{:#?}", log.events);
}

#[test]
fn a_privileged_port_is_refused_with_the_reason() {
    if let Some(why) = privileged_port_allowed(1) {
        // Binding would succeed here: nothing to provoke, and tests bind no low port.
        println!("SKIPPED privileged port: {why}");
        return;
    }
    let (engine, mut events) = start_engine(EngineConfig::default());
    let addr = SocketAddr::from(([127, 0, 0, 1], 1));
    let listener = engine.listen_tcp(ListenTcp::new(addr)).expect("queue listen");
    match &events_of(&mut events, listener, PATIENCE)[..] {
        [Event::ListenFailed { error, .. }] => assert_eq!(
            error.to_string(),
            "permission denied for listening on 127.0.0.1:1 (ports below 1024 need administrator rights)"
        ),
        other => panic!("expected ListenFailed, got {other:#?}"),
    }
    let socket = engine.bind_udp(BindUdp::new(addr)).expect("queue bind");
    match &events_of(&mut events, socket, PATIENCE)[..] {
        [Event::UdpBindFailed { error, .. }] => assert_eq!(
            error.to_string(),
            "permission denied for binding UDP 127.0.0.1:1 (ports below 1024 need administrator rights)"
        ),
        other => panic!("expected UdpBindFailed, got {other:#?}"),
    }
    // The engine carries on.
    listen(&engine, &mut events, ListenTcp::new("127.0.0.1:0".parse().expect("addr")));
}

#[test]
fn a_thousand_clients_half_of_them_resetting_at_random_the_rest_keep_working() {
    const CLIENTS: usize = 1000;
    // Both ends of every connection are in this process.
    let limit = rlimit::increase_nofile_limit(u64::MAX).unwrap_or(0);
    assert!(limit >= 2 * CLIENTS as u64 + 200, "RLIMIT_NOFILE {limit} is too low for {CLIENTS} loopback clients");
    let (engine, mut events) = start_engine(EngineConfig::default());
    let request = ListenTcp { max_clients: 2 * CLIENTS, ..ListenTcp::new("127.0.0.1:0".parse().expect("addr")) };
    let (listener, addr) = listen(&engine, &mut events, request);
    let mut log = EventLog::default();
    let mut clients: Vec<(TcpStream, SocketAddr)> = Vec::with_capacity(CLIENTS);
    for _ in 0..CLIENTS {
        let stream = std_client(addr);
        let me = stream.local_addr().expect("addr");
        clients.push((stream, me));
    }
    log.until(&mut events, "every client accepted", |all| accepted(all, listener).len() == CLIENTS);
    let ids: HashMap<SocketAddr, ConnId> =
        log.accepted(listener).into_iter().map(|(conn, peer)| (peer, conn)).collect();
    assert_eq!(ids.len(), CLIENTS);

    // Every client is mid-stream: it has written, and the server is writing to all of them.
    for (stream, me) in &mut clients {
        stream.write_all(format!("hello from {me}").as_bytes()).expect("write");
    }
    let everyone: Vec<ConnId> = ids.values().copied().collect();
    engine.send_many(everyone, Bytes::from_static(b"welcome, everyone")).expect("queue send_many");

    // Half of them, chosen at random, reset in random order.
    let mut rng = Rng(0x5EED_1000);
    rng.shuffle(&mut clients);
    let survivors = clients.split_off(CLIENTS / 2);
    let mut reset: HashSet<ConnId> = HashSet::new();
    for (stream, me) in clients {
        SockRef::from(&stream).set_linger(Some(Duration::ZERO)).expect("SO_LINGER 0");
        drop(stream);
        reset.insert(ids[&me]);
    }
    log.until(&mut events, "a Closed for each client that reset", |all| {
        all.iter().filter(|e| matches!(e, Event::Closed { conn, .. } if reset.contains(conn))).count() == reset.len()
    });
    for event in &log.events {
        if let Event::Closed { conn, reason, .. } = event {
            assert!(reset.contains(conn), "only the clients that reset were closed: {event:?}");
            assert_eq!(*reason, CloseReason::Reset, "{event:?}");
        }
    }

    // Every survivor still works both ways: its bytes reach the engine, which echoes them back.
    let mut survivors = survivors;
    for (stream, me) in &mut survivors {
        assert_eq!(read_n(stream, 17), b"welcome, everyone");
        stream.write_all(format!(" / still here {me}").as_bytes()).expect("write");
    }
    log.until(&mut events, "each survivor's bytes", |all| {
        survivors.iter().all(|(_, me)| received(all, ids[me]).ends_with(format!(" / still here {me}").as_bytes()))
    });
    for (stream, me) in &mut survivors {
        let conn = ids[me];
        let got = received(&log.events, conn);
        assert_eq!(got, format!("hello from {me} / still here {me}").as_bytes(), "nothing lost, nothing mixed");
        engine.send(conn, Bytes::from(got.clone())).expect("queue echo");
        assert_eq!(read_n(stream, got.len()), got, "the echo through the engine");
    }
    assert!(!log.events.iter().any(|e| matches!(e, Event::ListenerClosed { .. })), "the server kept listening");
    let mut newcomer = std_client(addr);
    let me = newcomer.local_addr().expect("addr");
    log.until(&mut events, "the newcomer accepted", |all| accepted(all, listener).iter().any(|(_, p)| *p == me));
    newcomer.write_all(b"late").expect("write");
}

#[test]
fn a_full_command_queue_is_refused_at_once_and_the_engine_catches_up() {
    let server = spawn_echo_server();
    let config = EngineConfig { command_capacity: 2, ..EngineConfig::default() };
    let (engine, mut events) = start_engine(config);
    let conn = connect(&engine, &mut events, server.addr.port());
    // A capture to a disk that hangs holds the engine's command loop while
    // the capture starts, so the commands after it pile up.
    let gate = HangingDisk::default();
    engine.start_capture_to("/hanging/disk.nacap".into(), Box::new(gate.clone())).expect("queue");
    let started = Instant::now();
    let mut queued = Vec::new();
    let refusal = loop {
        let payload = Bytes::from(format!("message {}", queued.len()));
        match engine.send(conn, payload.clone()) {
            Ok(()) => queued.push(payload),
            Err(error) => break error,
        }
        assert!(queued.len() <= 3, "a queue of 2 commands takes at most 3 (one being handled)");
    };
    assert!(started.elapsed() < Duration::from_secs(1), "refused at once, never blocking the caller");
    assert_eq!(refusal, CommandError::QueueFull);
    assert_eq!(refusal.to_string(), "the network engine is busy (command queue full); try again");
    gate.open();
    // Every send that was accepted goes out, in order, and is echoed.
    let want: Vec<u8> = queued.iter().flat_map(|p| p.iter().copied()).collect();
    let mut log = EventLog::default();
    log.until(&mut events, "the queued sends echoed", |all| received(all, conn) == want);
    engine.send(conn, Bytes::from_static(b"!")).expect("room again");
    log.until(&mut events, "the next echo", |all| received(all, conn).ends_with(b"!"));
}
