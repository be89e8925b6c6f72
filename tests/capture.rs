//! Lossless capture through the engine, over loopback only (127.0.0.1, port
//! 0): a TCP flood both ways and a UDP burst land in the capture byte for
//! byte while the receive view drops old records; a failing disk stops the
//! capture, never the connection; existing files are never overwritten; a
//! new capture stops the old one first; dropping the engine finishes the file.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or bench) fails by panicking

mod support;

use netassist::ids::{ConnId, Direction};
use std::fs;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use bytes::Bytes;
use netassist::capture::{self, CaptureError, CaptureReader, CaptureRecord, RecordKind, Transport};
use netassist::codec::Charset;
use netassist::engine::*;
use netassist::view::{ReceiveView, RecordBody, StoreLimits, ViewMode};
use sha2::{Digest, Sha256};
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

/// Every record of the capture at `path`, and the problem that ended the reading, if any.
fn read_capture(path: &Path) -> (Vec<CaptureRecord>, Option<CaptureError>) {
    let file = io::BufReader::new(fs::File::open(path).expect("open capture"));
    let mut records = Vec::new();
    for record in CaptureReader::new(file).expect("a capture") {
        match record {
            Ok(record) => records.push(record),
            Err(problem) => return (records, Some(problem)),
        }
    }
    (records, None)
}

/// Waits for `CaptureStarted` of `path`, failing the test on `CaptureFailed`.
fn capture_started(events: &mut EventReceiver, path: &Path) {
    match wait_for_event(events, PATIENCE, is_capture_event) {
        Event::CaptureStarted { path: started, .. } => assert_eq!(started, path),
        other => panic!("expected CaptureStarted of {}, got {other:?}", path.display()),
    }
}

/// Waits for `CaptureStopped` of `path`; returns its records and bytes.
fn capture_stopped(events: &mut EventReceiver, path: &Path) -> (u64, u64) {
    match wait_for_event(events, PATIENCE, is_capture_event) {
        Event::CaptureStopped { path: stopped, records, bytes, .. } => {
            assert_eq!(stopped, path);
            (records, bytes)
        }
        other => panic!("expected CaptureStopped of {}, got {other:?}", path.display()),
    }
}

fn is_capture_event(event: &Event) -> bool {
    matches!(event, Event::CaptureStarted { .. } | Event::CaptureStopped { .. } | Event::CaptureFailed { .. })
}

/// The payloads of `records` about `conn` going `direction`, one per record.
fn payloads(records: &[CaptureRecord], conn: ConnId, direction: Direction) -> Vec<Bytes> {
    records.iter().filter(|r| r.conn == conn && r.direction == direction).filter_map(|r| r.payload().cloned()).collect()
}

fn sha256<'a>(chunks: impl IntoIterator<Item = &'a [u8]>) -> Vec<u8> {
    let mut hash = Sha256::new();
    for chunk in chunks {
        hash.update(chunk);
    }
    hash.finalize().to_vec()
}

#[test]
fn a_tcp_flood_is_captured_whole_while_the_view_drops_old_records() {
    const DOWN: usize = 32 << 20;
    const UP: usize = 4 << 20;
    const MAX_CHUNK: usize = 64 * 1024;
    const IN_FLIGHT: usize = 16;

    // The server floods DOWN random bytes in random chunks while it reads UP
    // bytes from us; then it closes. It reports what it sent and received.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let server_addr = listener.local_addr().expect("addr");
    let server = std::thread::Builder::new()
        .name("capture-0".to_owned())
        .spawn(move || -> io::Result<(Vec<u8>, Vec<u8>, usize)> {
            let (mut stream, _) = listener.accept()?;
            stream.set_read_timeout(Some(PATIENCE))?;
            let mut flood_stream = stream.try_clone()?;
            let flood = std::thread::Builder::new()
                .name("capture-1".to_owned())
                .spawn(move || -> io::Result<Vec<u8>> {
                    let (mut rng, mut hash, mut left) = (Rng(0x5EED_0001), Sha256::new(), DOWN);
                    while left > 0 {
                        let len = rng.size(MAX_CHUNK).min(left);
                        let chunk = rng.bytes(len);
                        flood_stream.write_all(&chunk)?;
                        hash.update(&chunk);
                        left -= chunk.len();
                    }
                    Ok(hash.finalize().to_vec())
                })
                .expect("spawn a thread");
            let (mut hash, mut got, mut buf) = (Sha256::new(), 0, vec![0u8; MAX_CHUNK]);
            while got < UP {
                let n = stream.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                hash.update(&buf[..n]);
                got += n;
            }
            let sent = flood.join().expect("flood thread")?;
            Ok((sent, hash.finalize().to_vec(), got))
        })
        .expect("spawn a thread");

    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("flood.nacap");
    let (engine, mut events) = start_engine(EngineConfig::default());
    engine.start_capture(path.clone()).expect("queue capture");
    capture_started(&mut events, &path);
    let conn = engine.connect_tcp(loopback(server_addr.port())).expect("queue connect");
    let (local, peer) = match wait_for_event(&mut events, PATIENCE, |e| matches!(e, Event::Connected { .. })) {
        Event::Connected { local, peer, .. } => (local, peer),
        other => panic!("{other:?}"),
    };
    assert_eq!(peer, server_addr);

    // A tiny consumer: a view that holds a few records only, as a UI whose
    // view drops old records while the capture must keep them all.
    let limits = StoreLimits { max_records: 64, max_bytes: 256 * 1024 };
    let mut view = ReceiveView::new(Charset::Utf8, ViewMode::Text, limits);
    let (mut rng, mut up_hash) = (Rng(0x5EED_0002), Sha256::new());
    let (mut queued, mut in_flight, mut received, mut sent) = (0, 0, 0, 0);
    loop {
        while queued < UP && in_flight < IN_FLIGHT {
            let len = rng.size(MAX_CHUNK).min(UP - queued);
            let chunk = rng.bytes(len);
            up_hash.update(&chunk);
            queued += chunk.len();
            in_flight += 1;
            engine.send(conn, Bytes::from(chunk)).expect("queue send");
        }
        match next_event(&mut events, PATIENCE) {
            Event::Received { data, peer, at, .. } => {
                received += data.len();
                view.push_data(conn, Direction::Rx, peer, at, data);
            }
            Event::Sent { data, peer, at, .. } => {
                sent += data.len();
                in_flight -= 1;
                view.push_data(conn, Direction::Tx, peer, at, data);
            }
            Event::Closed { reason, at, .. } => {
                assert_eq!(reason, CloseReason::PeerClosed);
                view.end_stream(conn, at);
                break;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    let (down_sent, up_received, up_len) = server.join().expect("server thread").expect("server I/O");
    assert_eq!((received, sent, up_len), (DOWN, UP, UP));
    let stats = view.stats();
    assert!(stats.records < 64 && stats.dropped_records > 500, "the view dropped most records: {stats:?}");

    engine.stop_capture().expect("queue stop");
    let (records, bytes) = capture_stopped(&mut events, &path);
    assert_eq!(fs::metadata(&path).expect("capture file").len(), bytes);

    let (read, problem) = read_capture(&path);
    assert_eq!(problem, None);
    assert_eq!(read.len() as u64, records);
    let rx = payloads(&read, conn, Direction::Rx);
    let tx = payloads(&read, conn, Direction::Tx);
    assert_eq!(rx.iter().map(Bytes::len).sum::<usize>(), DOWN);
    assert_eq!(tx.iter().map(Bytes::len).sum::<usize>(), UP);
    assert!(sha256(rx.iter().map(|b| &b[..])) == down_sent, "RX payloads are what the server sent");
    assert!(sha256(tx.iter().map(|b| &b[..])) == up_received, "TX payloads are what the server received");
    assert_eq!(up_hash.finalize().to_vec(), up_received);

    let first = read.first().expect("records");
    assert_eq!((first.conn, first.transport, first.direction), (conn, Transport::Tcp, Direction::Tx));
    assert_eq!(first.peer, server_addr.to_string());
    assert_eq!(first.kind, RecordKind::Opened { local: local.to_string() });
    let last = read.last().expect("records");
    assert_eq!((last.conn, last.direction), (conn, Direction::Rx));
    assert_eq!(last.kind, RecordKind::Closed { reason: "the peer closed it".to_owned() });

    // Reopened, it ends as the session did; what the view cannot hold is counted.
    let limits = StoreLimits { max_records: 32, max_bytes: 64 << 20 };
    let (reopened, summary) = capture::load_file(&path, Charset::Utf8, ViewMode::Text, limits).expect("load");
    assert_eq!(reopened.stats().records, 32);
    assert_eq!(summary.records, records);
    assert_eq!(summary.payload_bytes, (DOWN + UP) as u64);
    assert_eq!((summary.first, summary.last), (Some(first.at()), Some(last.at())));
    assert_eq!(summary.problem, None);
    assert_eq!(summary.dropped_from_view + reopened.stats().records as u64, records);
    assert!(summary.dropped_from_view > records / 2, "{summary:?}");
    match &reopened.records().last().expect("view records").body {
        RecordBody::Note { text, .. } => {
            assert_eq!(*text, format!("Connection with {server_addr} ended: the peer closed it"));
        }
        other @ RecordBody::Data { .. } => panic!("the last record shown is the close, not {other:?}"),
    }
    // The first record shown is the oldest one kept: the capture's record right after those dropped.
    let oldest_kept = &read[summary.dropped_from_view as usize];
    let shown = reopened.records().next().expect("view records");
    assert_eq!(shown.at, oldest_kept.at());
    match (&shown.body, oldest_kept.payload()) {
        (RecordBody::Data { raw, .. }, Some(payload)) => assert_eq!(raw, payload),
        (shown, kept) => panic!("shown {shown:?}, kept {kept:?}"),
    }
}

#[test]
fn udp_datagrams_are_captured_whole_one_record_each() {
    const WINDOW_BYTES: usize = 96 * 1024;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("udp.nacap");
    let (engine, mut events) = start_engine(EngineConfig::default());
    engine.start_capture(path.clone()).expect("queue capture");
    capture_started(&mut events, &path);
    let (socket, local) = bind_udp(&engine, &mut events, BindUdp::new("127.0.0.1:0".parse().expect("addr")));
    let other = std_udp("127.0.0.1:0");
    let other_addr = other.local_addr().expect("addr");

    // Empty, tiny, MTU-sized and the largest datagram, then random sizes.
    let mut rng = Rng(0x5EED_0003);
    let mut sizes = vec![0, 1, 1472, 65_507];
    sizes.extend((0..300).map(|_| {
        let max = if rng.next().is_multiple_of(8) { 65_507 } else { 2000 };
        rng.size(max)
    }));
    let datagrams: Vec<Bytes> = sizes.iter().map(|&n| Bytes::from(rng.bytes(n))).collect();
    let (mut to_engine, mut from_engine) = (Vec::new(), Vec::new());
    // In windows that fit in the sockets' receive buffers, so none is lost.
    let mut start = 0;
    while start < datagrams.len() {
        let mut end = start + 1;
        let mut bytes = datagrams[start].len();
        while end < datagrams.len() && end - start < 16 && bytes + datagrams[end].len() <= WINDOW_BYTES {
            bytes += datagrams[end].len();
            end += 1;
        }
        let window = &datagrams[start..end];
        for datagram in window {
            other.send_to(datagram, local).expect("send to engine");
        }
        for _ in window {
            match wait_for_event(&mut events, PATIENCE, |e| matches!(e, Event::Received { .. })) {
                Event::Received { data, peer, .. } => {
                    assert_eq!(peer, other_addr);
                    to_engine.push(data);
                }
                other => panic!("{other:?}"),
            }
        }
        for datagram in window {
            engine.send_to(socket, "127.0.0.1".to_owned(), other_addr.port(), datagram.clone()).expect("queue send_to");
        }
        let mut buf = vec![0u8; 65_536];
        for _ in window {
            let (n, from) = other.recv_from(&mut buf).expect("datagram from the engine");
            assert_eq!(from, local);
            from_engine.push(Bytes::copy_from_slice(&buf[..n]));
        }
        start = end;
    }
    assert_eq!(to_engine, datagrams, "the engine received every datagram whole");
    assert_eq!(from_engine, datagrams, "the engine sent every datagram whole");
    engine.close_udp(socket).expect("queue close");
    wait_for_event(&mut events, PATIENCE, |e| matches!(e, Event::UdpClosed { .. }));
    engine.stop_capture().expect("queue stop");
    let (records, _) = capture_stopped(&mut events, &path);

    let (read, problem) = read_capture(&path);
    assert_eq!(problem, None);
    assert_eq!(records, 2 * datagrams.len() as u64 + 2, "one record per datagram, the opening and the closing");
    assert!(read.iter().all(|r| r.conn == socket && r.transport == Transport::Udp));
    assert_eq!(payloads(&read, socket, Direction::Rx), datagrams);
    assert_eq!(payloads(&read, socket, Direction::Tx), datagrams);
    let all = sha256(datagrams.iter().map(|d| &d[..]));
    assert_eq!(sha256(payloads(&read, socket, Direction::Rx).iter().map(|d| &d[..])), all);
    assert!(read.iter().filter(|r| r.payload().is_some()).all(|r| r.peer == other_addr.to_string()));
    assert_eq!(read[0].kind, RecordKind::Opened { local: local.to_string() });
    assert_eq!(read[0].peer, "");
    assert_eq!(read.last().expect("records").kind, RecordKind::Closed { reason: "closed locally".to_owned() });
    assert_eq!(read.last().expect("records").direction, Direction::Tx);

    // Room for every record (the default view keeps 16 MiB).
    let limits = StoreLimits { max_bytes: 256 * 1024 * 1024, ..StoreLimits::default() };
    let (view, summary) = capture::load_file(&path, Charset::Utf8, ViewMode::Hex, limits).expect("load");
    assert_eq!(summary.records, records);
    assert_eq!(summary.dropped_from_view, 0);
    let shown: Vec<&RecordBody> = view.records().map(|r| &r.body).collect();
    assert!(matches!(shown[0], RecordBody::Note { text, .. } if *text == format!("UDP socket bound to {local}")));
    let datagrams_shown = shown
        .iter()
        .filter(|body| matches!(body, RecordBody::Data { delivery: netassist::view::Delivery::Datagram, .. }))
        .count();
    assert_eq!(datagrams_shown, 2 * datagrams.len());
}

/// A disk that takes `limit` bytes, then fails as a full one does; keeps what it took.
#[derive(Clone)]
struct FullDisk {
    kept: Arc<Mutex<Vec<u8>>>,
    limit: usize,
}

impl Write for FullDisk {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut kept = self.kept.lock().expect("lock");
        let room = self.limit - kept.len();
        if room == 0 {
            return Err(io::Error::new(io::ErrorKind::StorageFull, "No space left on device (test disk)"));
        }
        let n = room.min(buf.len());
        kept.extend_from_slice(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_write_error_stops_the_capture_and_the_connection_carries_on() {
    let server = spawn_echo_server();
    let (engine, mut events) = start_engine(EngineConfig::default());
    let disk = FullDisk { kept: Arc::default(), limit: 200_000 };
    let path = PathBuf::from("/captures/full-disk.nacap");
    engine.start_capture_to(path.clone(), Box::new(disk.clone())).expect("queue capture");
    capture_started(&mut events, &path);
    let conn = engine.connect_tcp(loopback(server.addr.port())).expect("queue connect");
    wait_for_event(&mut events, PATIENCE, |e| matches!(e, Event::Connected { .. }));

    // Echo 64 KiB at a time until the capture fails (each round captures 128 KiB).
    let chunk = Bytes::from(Rng(0x5EED_0004).bytes(64 * 1024));
    let mut failure = None;
    for _round in 0..50 {
        engine.send(conn, chunk.clone()).expect("queue send");
        let mut echoed = 0;
        while echoed < chunk.len() {
            match next_event(&mut events, PATIENCE) {
                Event::Received { data, .. } => echoed += data.len(),
                Event::Sent { .. } => {}
                Event::CaptureFailed { path: failed, error, .. } => {
                    assert_eq!(failed, path);
                    failure = Some(error);
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        if failure.is_some() {
            break;
        }
    }
    let error = failure.expect("the capture failed once the disk was full");
    assert!(error.to_string().contains("writing capture file /captures/full-disk.nacap failed"), "{error}");
    assert!(error.to_string().contains("No space left on device (test disk)"), "{error}");

    // The connection carries on, both ways.
    engine.send(conn, Bytes::from_static(b"after the failure")).expect("queue send");
    let mut echoed = Vec::new();
    while echoed.len() < b"after the failure".len() {
        match next_event(&mut events, PATIENCE) {
            Event::Received { data, .. } => echoed.extend_from_slice(&data),
            Event::Sent { data, .. } => assert_eq!(data, "after the failure"),
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(echoed, b"after the failure");

    // What reached the disk opens up to the record it cut short.
    let kept = disk.kept.lock().expect("lock").clone();
    assert_eq!(kept.len(), 200_000);
    let mut reader = CaptureReader::new(&kept[..]).expect("a capture");
    let good = reader.by_ref().take_while(Result::is_ok).count();
    assert!(good >= 2, "the opening and some data: {good}");
    let problem = CaptureReader::new(&kept[..]).expect("a capture").find_map(Result::err);
    assert!(matches!(problem, Some(CaptureError::Truncated { .. })), "{problem:?}");
    // The message counts the WHOLE records on disk, not the one cut short (issue 18, item 7).
    let CaptureFailure::Write { records, .. } = &error else { panic!("{error:?}") };
    assert_eq!(*records, good as u64, "{error}");
    assert!(error.to_string().contains(&format!("capture stopped after {good} whole records")), "{error}");

    // Stopping now does nothing; a new capture starts.
    engine.stop_capture().expect("queue stop");
    let dir = tempfile::tempdir().expect("tempdir");
    let next = dir.path().join("next.nacap");
    engine.start_capture(next.clone()).expect("queue capture");
    capture_started(&mut events, &next);
}

#[test]
fn an_existing_file_is_never_overwritten_and_missing_folders_are_made() {
    let dir = tempfile::tempdir().expect("tempdir");
    let existing = dir.path().join("precious.nacap");
    fs::write(&existing, b"precious").expect("write");
    let (engine, mut events) = start_engine(EngineConfig::default());
    engine.start_capture(existing.clone()).expect("queue capture");
    match wait_for_event(&mut events, PATIENCE, is_capture_event) {
        Event::CaptureFailed { path, error, .. } => {
            assert_eq!(path, existing);
            assert!(
                error.to_string().contains(&existing.display().to_string())
                    && error.to_string().contains("already exists"),
                "{error}"
            );
        }
        other => panic!("expected CaptureFailed, got {other:?}"),
    }
    assert_eq!(fs::read(&existing).expect("read"), b"precious");

    let nested = dir.path().join("a/b/c/capture.nacap");
    engine.start_capture(nested.clone()).expect("queue capture");
    capture_started(&mut events, &nested);
    engine.stop_capture().expect("queue stop");
    assert_eq!(capture_stopped(&mut events, &nested), (0, capture::HEADER_LEN as u64));
    assert_eq!(read_capture(&nested), (Vec::new(), None));
}

#[test]
fn starting_a_capture_stops_the_running_one_first() {
    let server = spawn_echo_server();
    let dir = tempfile::tempdir().expect("tempdir");
    let (first, second) = (dir.path().join("first.nacap"), dir.path().join("second.nacap"));
    let (engine, mut events) = start_engine(EngineConfig::default());
    engine.start_capture(first.clone()).expect("queue capture");
    capture_started(&mut events, &first);
    let conn = engine.connect_tcp(loopback(server.addr.port())).expect("queue connect");
    let echo = |events: &mut EventReceiver, text: &'static [u8]| {
        engine.send(conn, Bytes::from_static(text)).expect("queue send");
        let mut echoed = Vec::new();
        while echoed != text {
            if let Event::Received { data, .. } = next_event(events, PATIENCE) {
                echoed.extend_from_slice(&data);
            }
        }
    };
    echo(&mut events, b"one");
    engine.start_capture(second.clone()).expect("queue capture");
    let (records, _) = capture_stopped(&mut events, &first);
    capture_started(&mut events, &second);
    echo(&mut events, b"two");
    engine.disconnect(conn).expect("queue disconnect");
    wait_for_event(&mut events, PATIENCE, |e| matches!(e, Event::Closed { .. }));
    engine.stop_capture().expect("queue stop");
    capture_stopped(&mut events, &second);

    let kinds = |records: &[CaptureRecord]| -> Vec<(Direction, String)> {
        records
            .iter()
            .map(|r| {
                let what = match &r.kind {
                    RecordKind::Data { payload } => String::from_utf8_lossy(payload).into_owned(),
                    RecordKind::Opened { .. } => "opened".to_owned(),
                    RecordKind::Closed { reason } => reason.clone(),
                };
                (r.direction, what)
            })
            .collect()
    };
    let (read, problem) = read_capture(&first);
    assert_eq!((read.len() as u64, problem), (records, None));
    let expected = [(Direction::Tx, "opened"), (Direction::Tx, "one"), (Direction::Rx, "one")];
    assert_eq!(kinds(&read), expected.map(|(d, s)| (d, s.to_owned())));
    let (read, problem) = read_capture(&second);
    assert_eq!(problem, None);
    let expected = [(Direction::Tx, "two"), (Direction::Rx, "two"), (Direction::Tx, "closed locally")];
    assert_eq!(kinds(&read), expected.map(|(d, s)| (d, s.to_owned())));
}

#[test]
fn dropping_the_engine_finishes_the_capture_of_a_server() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("server.nacap");
    let (engine, mut events) = start_engine(EngineConfig::default());
    engine.start_capture(path.clone()).expect("queue capture");
    capture_started(&mut events, &path);
    let (_, listening) = listen(&engine, &mut events, ListenTcp::new("127.0.0.1:0".parse().expect("addr")));
    let mut client = std_client(listening);
    let client_addr: SocketAddr = client.local_addr().expect("addr");
    client.write_all(b"hello").expect("write");
    let conn = match wait_for_event(&mut events, PATIENCE, |e| matches!(e, Event::Received { .. })) {
        Event::Received { conn, data, .. } => {
            assert_eq!(data, "hello");
            conn
        }
        other => panic!("{other:?}"),
    };
    engine.send(conn, Bytes::from_static(b"world")).expect("queue send");
    assert_eq!(read_n(&mut client, 5), b"world");
    wait_for_event(&mut events, PATIENCE, |e| matches!(e, Event::Sent { .. }));
    let before = SystemTime::now();
    drop(engine);

    let (read, problem) = read_capture(&path);
    assert_eq!(problem, None);
    let summary: Vec<_> = read.iter().map(|r| (r.conn, r.direction, r.kind.clone())).collect();
    assert_eq!(
        summary,
        [
            (conn, Direction::Rx, RecordKind::Opened { local: listening.to_string() }),
            (conn, Direction::Rx, RecordKind::Data { payload: Bytes::from_static(b"hello") }),
            (conn, Direction::Tx, RecordKind::Data { payload: Bytes::from_static(b"world") }),
            (conn, Direction::Tx, RecordKind::Closed { reason: "closed locally".to_owned() }),
        ]
    );
    assert!(read.iter().all(|r| r.peer == client_addr.to_string()));
    assert!(read.last().expect("records").at() >= before, "closed as the engine stopped");
    let mut rest = Vec::new();
    client.read_to_end(&mut rest).expect("the engine closed the connection");
}

#[test]
fn a_capture_file_that_is_not_one_is_refused_by_the_loader() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("notes.txt");
    fs::write(&path, "just some notes").expect("write");
    let result = capture::load_file(&path, Charset::Utf8, ViewMode::Text, StoreLimits::default());
    assert!(matches!(result, Err(CaptureError::BadMagic)));
    let missing =
        capture::load_file(&dir.path().join("missing"), Charset::Utf8, ViewMode::Text, StoreLimits::default());
    assert!(matches!(missing, Err(CaptureError::Io { kind: io::ErrorKind::NotFound, .. })));
}
