//! The engine as a TCP client, over loopback only (127.0.0.1, port 0, no
//! DNS): the tutorial exchange, every way a connect can fail, resets, local
//! closes, a local port, a large echo under back-pressure, the event
//! queue's byte budget, and shutdown.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or bench) fails by panicking

mod support;

use std::io::{self, Write};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::mpsc::sync_channel;
use std::time::{Duration, Instant};

use bytes::Bytes;
use netassist::engine::*;
#[allow(unused_imports)]
use netassist::ids::{ConnId, Direction, JobId};
use socket2::SockRef;
use support::*;

/// A connect request for 127.0.0.1:`port`.
fn loopback(port: u16) -> TcpConnect {
    TcpConnect {
        host: "127.0.0.1".to_owned(),
        port,
        local_port: None,
        timeout: Duration::from_secs(5),
        half_close: false,
        keepalive: Some(netassist::engine::DEFAULT_KEEPALIVE),
    }
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
    let Some(backlog) = full_backlog_or_skip("timed_out_when_the_backlog_is_full") else { return };
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

    engine.send(netassist::ids::ConnId(999), Bytes::from_static(b"x")).expect("queue send");
    match next_event(&mut events, PATIENCE) {
        Event::CommandFailed { conn, error, .. } => {
            assert_eq!(conn, Some(netassist::ids::ConnId(999)));
            assert_eq!(error, EngineError::NotConnected { conn: netassist::ids::ConnId(999) });
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
    // An odd size, so the socket buffers are unlikely to fill at a payload's end.
    const SIZE: usize = 300_007;
    const PAYLOADS: usize = 100;
    // Never accepts: the kernel completes the handshake, nobody reads, so
    // the socket buffers fill and most of the 30 MB is still queued, one
    // payload most likely half written.
    let stalled = reuse_listener(128);
    let port = stalled.local_addr().expect("addr").port();
    let (engine, mut events) = start_engine(EngineConfig::default());
    let (conn, _, _) = connect(&engine, &mut events, loopback(port));
    // A pattern that does not repeat every payload, so a misplaced byte shows.
    let queued = Bytes::from((0..PAYLOADS * SIZE).map(|i| (i % 251) as u8).collect::<Vec<u8>>());
    for start in (0..queued.len()).step_by(SIZE) {
        engine.send(conn, queued.slice(start..start + SIZE)).expect("queue send");
    }
    // Once the first payload is written the engine is soon stuck in a later
    // one, the buffers full: disconnecting then cuts that one short.
    let first = wait_for_event(&mut events, PATIENCE, |e| e.conn() == Some(conn));
    engine.disconnect(conn).expect("queue disconnect");
    let mut rest = vec![first];
    rest.extend(events_of(&mut events, conn, PATIENCE));
    let (last, outcomes) = rest.split_last().expect("events");
    assert!(matches!(last, Event::Closed { reason: CloseReason::Local, .. }), "{last:?}");
    // Right before it, how much of what was queued the close discarded.
    let (discarded, outcomes) = outcomes.split_last().expect("events");
    let Event::Discarded { unsent, .. } = discarded else { panic!("expected Discarded, got {discarded:?}") };

    // Each payload has exactly one outcome, in order: sent in full; or cut
    // short, its written part `Sent` and then the rest refused; or refused.
    let refused = |e: &Event| matches!(e, Event::CommandFailed { error: EngineError::NotConnected { .. }, .. });
    let (mut kinds, mut sent, mut at) = (String::new(), Vec::new(), 0);
    while let Some(event) = outcomes.get(at) {
        match event {
            Event::Sent { data, .. } if data.len() == SIZE => kinds.push('S'),
            Event::Sent { data, .. } if !data.is_empty() && data.len() < SIZE => {
                let rest = outcomes.get(at + 1);
                assert!(rest.is_some_and(refused), "a partial Sent is followed by its refusal: {:#?}", &outcomes[at..]);
                kinds.push('P');
                at += 1;
            }
            event if refused(event) => kinds.push('F'),
            other => panic!("unexpected outcome {other:?} after {kinds}"),
        }
        if let Event::Sent { data, .. } = event {
            sent.extend_from_slice(data);
        }
        at += 1;
    }
    assert_eq!(kinds.len(), PAYLOADS, "one outcome per payload: {kinds}");
    let full = kinds.chars().take_while(|&k| k == 'S').count();
    let partial = usize::from(kinds[full..].starts_with('P'));
    assert!(
        kinds[full + partial..].chars().all(|k| k == 'F'),
        "sent, then at most one cut short, then refused: {kinds}"
    );
    assert!(full < PAYLOADS, "30 MB cannot all fit in the socket buffers: {kinds}");
    assert!(queued.starts_with(&sent), "the bytes reported sent are exactly the start of what was queued");
    let unwritten = Unsent { items: (PAYLOADS - full) as u64, bytes: (queued.len() - sent.len()) as u64 };
    assert_eq!(*unsent, unwritten, "Discarded counts every payload not written whole, and the bytes not written");
}

#[test]
fn disconnect_while_connecting_cancels_at_once() {
    let Some(backlog) = full_backlog_or_skip("disconnect_while_connecting_cancels_at_once") else { return };
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
fn a_full_event_byte_budget_stops_reading_until_the_ui_drains() {
    const TOTAL: usize = 10 * 1024 * 1024;
    const BUDGET: usize = 64 * 1024;
    // How long a write may find no room at all before we take it that the
    // engine has stopped reading (on loopback it reads in microseconds).
    const STALL: Duration = Duration::from_secs(1);
    let listener = reuse_listener(128);
    let port = listener.local_addr().expect("addr").port();
    let (engine, mut events) = start_engine(EngineConfig { event_bytes_budget: BUDGET, ..EngineConfig::default() });
    let (conn, _, _) = connect(&engine, &mut events, loopback(port));
    let (mut flood, _) = listener.accept().expect("accept");
    // A fixed send buffer (no autotuning), so our side holds little.
    SockRef::from(&flood).set_send_buffer_size(64 * 1024).expect("SO_SNDBUF");
    let payload = Bytes::from((0..TOTAL).map(|i| (i % 251) as u8).collect::<Vec<u8>>());

    // Nobody drains the events: the peer writes until a write finds no room
    // for STALL (SO_SNDTIMEO: the write fails with WouldBlock), says how far
    // it got, then writes the rest.
    let (stalled_tx, stalled) = sync_channel(1);
    let writer = {
        let payload = payload.clone();
        std::thread::Builder::new()
            .name("engine_tcp_client-0".to_owned())
            .spawn(move || -> io::Result<()> {
                flood.set_write_timeout(Some(STALL))?;
                let mut written = 0;
                while written < TOTAL {
                    match flood.write(&payload[written..]) {
                        Ok(n) => written += n,
                        Err(error) if matches!(error.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                            break;
                        }
                        Err(error) => return Err(error),
                    }
                }
                let _ = stalled_tx.send(written);
                flood.set_write_timeout(Some(PATIENCE))?;
                flood.write_all(&payload[written..])
            })
            .expect("spawn a thread")
    };
    let stalled_at = stalled.recv_timeout(PATIENCE).expect("the flood stalls or ends");
    assert!(stalled_at < TOTAL, "the engine read all {TOTAL} bytes with nobody taking its events");

    // Draining frees the budget: the engine reads again, and every byte arrives in order.
    let mut received = Vec::with_capacity(TOTAL);
    while received.len() < TOTAL {
        match next_event(&mut events, PATIENCE) {
            Event::Received { data, .. } => received.extend_from_slice(&data),
            other => panic!("unexpected {other:?} after {} bytes received", received.len()),
        }
    }
    assert!(received == payload, "all {TOTAL} bytes arrived intact (the flood stalled after {stalled_at})");
    writer.join().expect("writer thread").expect("the flood is written in full");
    let rest = events_of(&mut events, conn, PATIENCE);
    assert!(matches!(&rest[..], [Event::Closed { reason: CloseReason::PeerClosed, .. }]), "{rest:#?}");
}

#[test]
fn eliding_reads_a_flood_at_network_speed_counts_every_byte_and_shows_its_end_whole() {
    const TOTAL: usize = 16 * 1024 * 1024;
    const BUDGET: usize = 64 * 1024;
    let listener = reuse_listener(128);
    let port = listener.local_addr().expect("addr").port();
    let config = EngineConfig { event_bytes_budget: BUDGET, elide_when_behind: true, ..EngineConfig::default() };
    let (engine, mut events) = start_engine(config);
    let (conn, _, _) = connect(&engine, &mut events, loopback(port));
    let (mut flood, _) = listener.accept().expect("accept");
    let payload = Bytes::from((0..TOTAL).map(|i| (i % 251) as u8).collect::<Vec<u8>>());
    // Nobody takes the events while the peer writes: far more than the
    // budget and the socket buffers hold goes through all the same.
    flood.set_write_timeout(Some(PATIENCE)).expect("SO_SNDTIMEO");
    flood.write_all(&payload).expect("the engine reads the whole flood with nobody taking its events");
    drop(flood);
    let (mut whole, mut elided, mut last_whole) = (0usize, 0usize, Bytes::new());
    let mut order_ok = true;
    loop {
        match next_event(&mut events, PATIENCE) {
            Event::Received { data, .. } => {
                // Whole reads are the bytes at their place in the stream.
                let at = whole + elided;
                order_ok &= payload[at..at + data.len()] == data[..];
                whole += data.len();
                last_whole = data;
            }
            Event::Elided { len, outgoing: false, .. } => elided += len,
            Event::Closed { conn: c, reason: CloseReason::PeerClosed, .. } if c == conn => break,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(whole + elided, TOTAL, "every byte counted, whole or elided");
    assert!(elided > 0, "the budget of {BUDGET} bytes made the engine elide");
    assert!(order_ok, "whole reads carry the right bytes in stream order");
    assert!(payload.ends_with(&last_whole) && !last_whole.is_empty(), "the flood's last read arrives whole");
}

#[test]
fn dropping_the_engine_with_a_full_event_queue_returns_promptly() {
    // The tutorial server's reply is 32 bytes: with 4-byte reads it makes 8
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
