//! The engine as a TCP client, over loopback only (127.0.0.1, port 0, no
//! DNS): the tutorial exchange, every way a connect can fail, resets, local
//! closes, a local port, a large echo under back-pressure, and shutdown.

mod support;

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::mpsc::sync_channel;
use std::time::{Duration, Instant};

use bytes::Bytes;
use netassist::engine::*;
use support::*;

/// A connect request for 127.0.0.1:`port`.
fn loopback(port: u16) -> TcpConnect {
    TcpConnect { host: "127.0.0.1".to_owned(), port, local_port: None, timeout: Duration::from_secs(5) }
}

/// Connects and returns the id and the `Connected` event's addresses.
fn connect(engine: &EngineHandle, events: &mut EventReceiver, request: TcpConnect) -> (ConnId, SocketAddr, SocketAddr) {
    let conn = engine.connect_tcp(request).expect("queue connect");
    match wait_for_event(events, PATIENCE, |e| e.conn() == Some(conn) && !matches!(e, Event::Connecting { .. })) {
        Event::Connected { local, peer, .. } => (conn, local, peer),
        other => panic!("expected Connected, got {other:?}"),
    }
}

/// Connects with `request` and returns the `ConnectFailed` error.
fn connect_error(engine: &EngineHandle, events: &mut EventReceiver, request: TcpConnect) -> EngineError {
    let conn = engine.connect_tcp(request).expect("queue connect");
    let all = events_of(events, conn, PATIENCE);
    assert!(matches!(all[0], Event::Connecting { .. }), "{all:?}");
    match &all[..] {
        [_, Event::ConnectFailed { error, .. }] => error.clone(),
        other => panic!("expected Connecting, ConnectFailed; got {other:#?}"),
    }
}

/// Concatenates the data of the `Received` (or `Sent`) events.
fn data_of(events: &[Event], sent: bool) -> Vec<u8> {
    let mut all = Vec::new();
    for event in events {
        match event {
            Event::Sent { data, .. } if sent => all.extend_from_slice(data),
            Event::Received { data, .. } if !sent => all.extend_from_slice(data),
            _ => {}
        }
    }
    all
}

#[test]
fn tutorial_exchange_in_order_twenty_times() {
    let server = spawn_tutorial_server();
    let (engine, mut events) = start_engine(EngineConfig::default());
    for round in 0..20 {
        let conn = engine.connect_tcp(loopback(server.addr.port())).expect("queue connect");
        let first = wait_for_event(&mut events, PATIENCE, |e| e.conn() == Some(conn));
        assert!(
            matches!(&first, Event::Connecting { target, .. } if *target == format!("127.0.0.1:{}", server.addr.port()))
        );
        match next_event(&mut events, PATIENCE) {
            Event::Connected { peer, .. } => assert_eq!(peer, server.addr),
            other => panic!("round {round}: expected Connected, got {other:?}"),
        }
        engine.send(conn, Bytes::from_static(REQUEST_GBK)).expect("queue send");
        let rest = events_of(&mut events, conn, PATIENCE);

        // Sent first, then only Received, then the peer's close: nothing lost, nothing reordered.
        assert!(matches!(&rest[0], Event::Sent { data, peer, .. } if data == REQUEST_GBK && *peer == server.addr));
        let (last, middle) = (rest.last().expect("events"), &rest[1..rest.len() - 1]);
        assert!(!middle.is_empty(), "round {round}: no Received in {rest:#?}");
        assert!(middle.iter().all(|e| matches!(e, Event::Received { .. })), "round {round}: {rest:#?}");
        assert_eq!(data_of(middle, false), REPLY_GBK, "round {round}");
        assert!(matches!(last, Event::Closed { reason: CloseReason::PeerClosed, .. }), "round {round}: {last:?}");
    }
    assert_eq!(server.received(), vec![REQUEST_GBK.to_vec(); 20]);
}

#[test]
fn refused_when_nothing_listens() {
    let port = free_port();
    let (engine, mut events) = start_engine(EngineConfig::default());
    let error = connect_error(&engine, &mut events, loopback(port));
    assert_eq!(error, EngineError::Refused { addr: SocketAddr::from(([127, 0, 0, 1], port)) });
}

#[test]
fn timed_out_when_the_backlog_is_full() {
    let backlog = match full_backlog_listener() {
        Ok(backlog) => backlog,
        Err(why) => {
            println!("SKIPPED timed_out_when_the_backlog_is_full: cannot make a connect hang here: {why}");
            return;
        }
    };
    let (engine, mut events) = start_engine(EngineConfig::default());
    let timeout = Duration::from_millis(300);
    let started = Instant::now();
    let error = connect_error(&engine, &mut events, TcpConnect { timeout, ..loopback(backlog.addr.port()) });
    let target = format!("127.0.0.1:{}", backlog.addr.port());
    assert_eq!(error, EngineError::TimedOut { target, after: timeout });
    assert!(started.elapsed() >= timeout, "it waited the whole timeout");
    assert!(started.elapsed() < Duration::from_secs(5), "and not much longer: {:?}", started.elapsed());
}

#[test]
fn host_not_found_through_an_injected_resolver() {
    let failing: Resolver = Arc::new(|_, _| Err(io::Error::new(io::ErrorKind::NotFound, "no such host")));
    let (engine, mut events) = start_engine(EngineConfig { resolver: Some(failing), ..EngineConfig::default() });
    let request = TcpConnect { host: "nowhere.invalid".to_owned(), ..loopback(8000) };
    match connect_error(&engine, &mut events, request.clone()) {
        EngineError::HostNotFound { host, detail } => {
            assert_eq!(host, "nowhere.invalid");
            assert!(detail.contains("no such host"), "{detail}");
        }
        other => panic!("expected HostNotFound, got {other:?}"),
    }

    let empty: Resolver = Arc::new(|_, _| Ok(Vec::new()));
    let (engine, mut events) = start_engine(EngineConfig { resolver: Some(empty), ..EngineConfig::default() });
    let error = connect_error(&engine, &mut events, request);
    assert!(matches!(error, EngineError::HostNotFound { ref host, .. } if host == "nowhere.invalid"), "{error:?}");
}

#[test]
fn names_go_through_the_resolver_and_literals_do_not() {
    let server = spawn_tutorial_server();
    let (names_tx, names_rx) = sync_channel(8);
    let resolver: Resolver = Arc::new(move |host, port| {
        let _ = names_tx.try_send(host.to_owned());
        Ok(vec![SocketAddr::from(([127, 0, 0, 1], port))])
    });
    let (engine, mut events) = start_engine(EngineConfig { resolver: Some(resolver), ..EngineConfig::default() });
    let by_name = TcpConnect { host: "tutorial.test".to_owned(), ..loopback(server.addr.port()) };
    let (_, _, peer) = connect(&engine, &mut events, by_name);
    assert_eq!(peer, server.addr);
    let (_, _, peer) = connect(&engine, &mut events, loopback(server.addr.port()));
    assert_eq!(peer, server.addr);
    assert_eq!(names_rx.try_iter().collect::<Vec<_>>(), vec!["tutorial.test".to_owned()]);
}

#[test]
fn reset_by_peer() {
    let server = spawn_reset_server();
    let (engine, mut events) = start_engine(EngineConfig::default());
    let (conn, _, _) = connect(&engine, &mut events, loopback(server.addr.port()));
    engine.send(conn, Bytes::from_static(b"hello")).expect("queue send");
    let rest = events_of(&mut events, conn, PATIENCE);
    assert!(matches!(&rest[0], Event::Sent { data, .. } if data == "hello"), "{rest:#?}");
    assert!(matches!(&rest[1..], [Event::Closed { reason: CloseReason::Reset, .. }]), "{rest:#?}");
}

#[test]
fn send_to_a_closed_or_unknown_connection_fails() {
    let server = spawn_tutorial_server();
    let (engine, mut events) = start_engine(EngineConfig::default());

    engine.send(999, Bytes::from_static(b"x")).expect("queue send");
    match next_event(&mut events, PATIENCE) {
        Event::CommandFailed { conn, error, .. } => {
            assert_eq!(conn, Some(999));
            assert_eq!(error, EngineError::NotConnected { conn: 999 });
        }
        other => panic!("expected CommandFailed, got {other:?}"),
    }

    let (conn, _, _) = connect(&engine, &mut events, loopback(server.addr.port()));
    engine.send(conn, Bytes::from_static(REQUEST_GBK)).expect("queue send");
    let rest = events_of(&mut events, conn, PATIENCE);
    assert!(matches!(rest.last(), Some(Event::Closed { reason: CloseReason::PeerClosed, .. })));
    engine.send(conn, Bytes::from_static(b"late")).expect("queue send");
    let failed = wait_for_event(&mut events, PATIENCE, |e| matches!(e, Event::CommandFailed { .. }));
    assert!(matches!(failed, Event::CommandFailed { error: EngineError::NotConnected { conn: c }, .. } if c == conn));
}

#[test]
fn disconnect_closes_locally() {
    let server = spawn_sink_server();
    let (engine, mut events) = start_engine(EngineConfig::default());
    let (conn, _, peer) = connect(&engine, &mut events, loopback(server.addr.port()));
    engine.send(conn, Bytes::from_static(b"bye")).expect("queue send");
    wait_for_event(&mut events, PATIENCE, |e| matches!(e, Event::Sent { .. }));
    engine.disconnect(conn).expect("queue disconnect");
    let rest = events_of(&mut events, conn, PATIENCE);
    assert!(
        matches!(&rest[..], [Event::Closed { reason: CloseReason::Local, peer: p, .. }] if *p == peer),
        "{rest:#?}"
    );
    // Gone from the engine now.
    engine.send(conn, Bytes::from_static(b"x")).expect("queue send");
    let failed = wait_for_event(&mut events, PATIENCE, |e| matches!(e, Event::CommandFailed { .. }));
    assert!(matches!(failed, Event::CommandFailed { error: EngineError::NotConnected { .. }, .. }));
}

#[test]
fn sends_cut_short_by_a_disconnect_are_each_reported() {
    // Never accepts: the kernel completes the handshake, nobody reads, so
    // the socket buffers fill and most of the 50 MiB is still queued.
    let stalled = reuse_listener(128);
    let port = stalled.local_addr().expect("addr").port();
    let (engine, mut events) = start_engine(EngineConfig::default());
    let (conn, _, _) = connect(&engine, &mut events, loopback(port));
    let mebibyte = Bytes::from(vec![7u8; 1024 * 1024]);
    for _ in 0..50 {
        engine.send(conn, mebibyte.clone()).expect("queue send");
    }
    engine.disconnect(conn).expect("queue disconnect");
    let rest = events_of(&mut events, conn, PATIENCE);
    let (last, outcomes) = rest.split_last().expect("events");
    assert!(matches!(last, Event::Closed { reason: CloseReason::Local, .. }), "{last:?}");
    // Every payload is either sent in full or reported not sent, in order.
    assert_eq!(outcomes.len(), 50, "{outcomes:#?}");
    let sent = outcomes.iter().take_while(|e| matches!(e, Event::Sent { .. })).count();
    assert!(sent < 50, "50 MiB cannot all fit in the socket buffers");
    let refused = |e: &Event| matches!(e, Event::CommandFailed { error: EngineError::NotConnected { .. }, .. });
    assert!(outcomes[sent..].iter().all(refused), "{outcomes:#?}");
}

#[test]
fn disconnect_while_connecting_cancels_at_once() {
    let backlog = match full_backlog_listener() {
        Ok(backlog) => backlog,
        Err(why) => {
            println!("SKIPPED disconnect_while_connecting_cancels_at_once: cannot make a connect hang here: {why}");
            return;
        }
    };
    let (engine, mut events) = start_engine(EngineConfig::default());
    let request = TcpConnect { timeout: Duration::from_secs(30), ..loopback(backlog.addr.port()) };
    let conn = engine.connect_tcp(request).expect("queue connect");
    let connecting = next_event(&mut events, PATIENCE);
    assert!(matches!(connecting, Event::Connecting { conn: c, .. } if c == conn));
    let started = Instant::now();
    engine.disconnect(conn).expect("queue disconnect");
    match next_event(&mut events, PATIENCE) {
        Event::ConnectFailed { conn: c, error: EngineError::Io { kind, message, .. }, .. } => {
            assert_eq!(c, conn);
            assert_eq!(kind, io::ErrorKind::Interrupted);
            assert_eq!(message, "cancelled by user");
        }
        other => panic!("expected a cancelled ConnectFailed, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(2), "cancelling took {:?}", started.elapsed());
}

#[test]
fn connects_from_the_given_local_port() {
    let server = spawn_sink_server();
    let local_port = free_port();
    let (engine, mut events) = start_engine(EngineConfig::default());
    let request = TcpConnect { local_port: Some(local_port), ..loopback(server.addr.port()) };
    let (conn, local, _) = connect(&engine, &mut events, request);
    assert_eq!(local.port(), local_port);
    engine.disconnect(conn).expect("queue disconnect");
    let rest = events_of(&mut events, conn, PATIENCE);
    assert!(matches!(rest.last(), Some(Event::Closed { reason: CloseReason::Local, .. })));
}

#[test]
fn local_port_in_use_is_explained() {
    let server = spawn_sink_server();
    let busy = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let busy_port = busy.local_addr().expect("addr").port();
    let (engine, mut events) = start_engine(EngineConfig::default());
    let request = TcpConnect { local_port: Some(busy_port), ..loopback(server.addr.port()) };
    let error = connect_error(&engine, &mut events, request);
    assert_eq!(error, EngineError::AddrInUse { addr: SocketAddr::from(([0, 0, 0, 0], busy_port)) });
}

#[test]
fn ten_mebibytes_echo_back_complete_under_back_pressure() {
    const TOTAL: usize = 10 * 1024 * 1024;
    const CHUNK: usize = 256 * 1024;
    let server = spawn_echo_server();
    let config = EngineConfig { event_capacity: 8, read_buffer: 16 * 1024, ..EngineConfig::default() };
    let (engine, mut events) = start_engine(config);
    let (conn, _, _) = connect(&engine, &mut events, loopback(server.addr.port()));

    let payload: Vec<u8> = (0..TOTAL).map(|i| (i % 251) as u8).collect();
    let payload = Bytes::from(payload);
    for start in (0..TOTAL).step_by(CHUNK) {
        engine.send(conn, payload.slice(start..start + CHUNK)).expect("queue send");
    }
    let (mut sent, mut received) = (Vec::with_capacity(TOTAL), Vec::with_capacity(TOTAL));
    while received.len() < TOTAL {
        match next_event(&mut events, PATIENCE) {
            Event::Sent { data, .. } => sent.extend_from_slice(&data),
            Event::Received { data, .. } => received.extend_from_slice(&data),
            other => panic!("unexpected {other:?} after {} bytes received", received.len()),
        }
    }
    assert_eq!(sent.len(), TOTAL, "every payload was reported sent before its echo completed");
    assert!(sent == payload, "Sent events carry exactly what was queued, in order");
    assert!(received == payload, "every byte came back, in order");
    engine.disconnect(conn).expect("queue disconnect");
    let rest = events_of(&mut events, conn, PATIENCE);
    assert!(matches!(&rest[..], [Event::Closed { reason: CloseReason::Local, .. }]), "{rest:#?}");
}

#[test]
fn dropping_the_engine_with_a_full_event_queue_returns_promptly() {
    // The tutorial server's reply is 33 bytes: with 4-byte reads it makes 9
    // Received events, far more than the queue of 2 holds.
    let server = spawn_tutorial_server();
    let (woken_tx, woken) = sync_channel(64);
    let wake: Wake = Arc::new(move || {
        let _ = woken_tx.try_send(());
    });
    let config = EngineConfig { event_capacity: 2, read_buffer: 4, ..EngineConfig::default() };
    let (engine, mut events) = EngineHandle::start(config, wake).expect("engine starts");
    let (conn, _, _) = connect(&engine, &mut events, loopback(server.addr.port()));
    engine.send(conn, Bytes::from_static(REQUEST_GBK)).expect("queue send");
    // Wait until the engine has queued events past the two already taken
    // (Connecting, Connected): the queue is then full and nobody drains it.
    for _ in 0..4 {
        woken.recv_timeout(PATIENCE).expect("the engine queues events");
    }
    let started = Instant::now();
    drop(engine);
    assert!(started.elapsed() < Duration::from_secs(3), "dropping took {:?}", started.elapsed());
    drop(events);
}

#[test]
fn dropping_the_engine_after_the_receiver_returns_promptly() {
    let server = spawn_sink_server();
    let (engine, mut events) = start_engine(EngineConfig::default());
    let (conn, _, _) = connect(&engine, &mut events, loopback(server.addr.port()));
    engine.send(conn, Bytes::from_static(b"x")).expect("queue send");
    drop(events);
    let started = Instant::now();
    drop(engine);
    assert!(started.elapsed() < Duration::from_secs(3), "dropping took {:?}", started.elapsed());
}

#[test]
fn dropping_the_engine_closes_connections_locally() {
    let server = spawn_sink_server();
    let (engine, mut events) = start_engine(EngineConfig::default());
    let (conn, _, _) = connect(&engine, &mut events, loopback(server.addr.port()));
    drop(engine);
    let rest = events_of(&mut events, conn, PATIENCE);
    assert!(matches!(&rest[..], [Event::Closed { reason: CloseReason::Local, .. }]), "{rest:#?}");
    assert!(events.recv_timeout(Duration::from_millis(50)).is_none(), "nothing after shutdown");
}
