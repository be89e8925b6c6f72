//! The engine's jobs (cyclic sends, file sends) and auto-replies, over
//! loopback only (127.0.0.1, port 0). Nothing sleeps to wait: each test waits
//! for an event, a reply or a count, with a deadline.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or bench) fails by panicking

mod support;

use std::io::{Read, Write};
use std::net::{SocketAddr, UdpSocket};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use netassist::codec::Charset;
use netassist::engine::*;
#[allow(unused_imports)]
use netassist::ids::{ConnId, Direction, JobId};
use sha2::{Digest, Sha256};
use support::*;

/// `len` pseudo-random bytes (xorshift64*), the same for the same `seed`.
fn random_bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        out.extend_from_slice(&state.wrapping_mul(0x2545_f491_4f6c_dd1d).to_le_bytes());
    }
    out.truncate(len);
    out
}

/// A temporary file holding `data`.
fn temp_file(data: &[u8]) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    file.write_all(data).expect("write temp file");
    file.flush().expect("flush temp file");
    file
}

fn sha256(data: &[u8]) -> Vec<u8> {
    Sha256::digest(data).to_vec()
}

/// Waits for job `job`'s `JobEnded`, keeping every event in `log`; returns (items, bytes, end).
fn job_end(log: &mut EventLog, events: &mut EventReceiver, job: JobId) -> (u64, u64, JobEnd) {
    let ended = |e: &Event| matches!(e, Event::JobEnded { job: j, .. } if *j == job);
    log.until(events, "the job's end", |all| all.iter().any(ended));
    match log.events.iter().find(|e| ended(e)) {
        Some(Event::JobEnded { items, bytes, end, .. }) => (*items, *bytes, end.clone()),
        _ => unreachable!("found above"),
    }
}

/// The `JobProgress` events of `job` in `events`, as (items, bytes, total_bytes).
fn progress_of(events: &[Event], job: JobId) -> Vec<(u64, u64, Option<u64>)> {
    let of = |e: &Event| match e {
        Event::JobProgress { job: j, items, bytes, total_bytes, .. } if *j == job => {
            Some((*items, *bytes, *total_bytes))
        }
        _ => None,
    };
    events.iter().filter_map(of).collect()
}

/// The bytes `Sent` on `conn` in `events`, concatenated, and how many `Sent` there were.
fn sent(events: &[Event], conn: ConnId) -> (Vec<u8>, usize) {
    let mut all = Vec::new();
    let mut count = 0;
    for event in events {
        if let Event::Sent { conn: c, data, .. } = event
            && *c == conn
        {
            all.extend_from_slice(data);
            count += 1;
        }
    }
    (all, count)
}

const MS: Duration = Duration::from_millis(1);

// ---------------------------------------------------------------- cyclic

#[test]
fn a_cyclic_send_of_1000_payloads_at_1_ms_arrives_whole() {
    let (engine, mut events) = start_engine(EngineConfig::default());
    let (server, chunks) = spawn_forwarding_server();
    let conn = connect_tcp(&engine, &mut events, server.addr);
    let payload = b"cyclic payload 0123456789;";
    let started = Instant::now();
    let request = CyclicSend {
        target: SendTarget::Conn(conn),
        data: Bytes::from_static(payload),
        interval: MS,
        count: Some(1000),
        fill: None,
    };
    let job = engine.start_cyclic(request).expect("queue cyclic");
    assert!(job.0 > conn.0, "job ids come from the connections' counter");
    let expected = payload.repeat(1000);
    let received = receive_until(&chunks, |all| all.len() >= expected.len());
    let mut log = EventLog::default();
    let (items, bytes, end) = job_end(&mut log, &mut events, job);
    let elapsed = started.elapsed();
    assert_eq!(end, JobEnd::Completed);
    assert_eq!((items, bytes), (1000, expected.len() as u64));
    assert!(received == expected, "the server got exactly 1000 payloads ({} bytes)", received.len());
    // The first send goes at once, the next 999 one interval apart each: no burst.
    assert!(elapsed >= 999 * MS, "1000 sends at 1 ms took only {elapsed:?}");
    // Each send went through the connection's queue: one `Sent` each, before the end.
    let (sent_bytes, sent_count) = sent(&log.events, conn);
    assert_eq!(sent_count, 1000);
    assert!(sent_bytes == expected);
    let progress = progress_of(&log.events, job);
    assert!(!progress.is_empty(), "progress is reported");
    let most = elapsed.as_millis() / 100 + 2;
    assert!(progress.len() as u128 <= most, "progress at most ~10 a second: {} in {elapsed:?}", progress.len());
    assert!(progress.windows(2).all(|w| w[0].0 < w[1].0), "never two reports for one item: {progress:?}");
}

#[test]
fn a_stopped_cyclic_send_sends_nothing_after_what_it_reports() {
    let (engine, mut events) = start_engine(EngineConfig::default());
    let (server, chunks) = spawn_forwarding_server();
    let conn = connect_tcp(&engine, &mut events, server.addr);
    let payload = b"tick;";
    let request = CyclicSend {
        target: SendTarget::Conn(conn),
        data: Bytes::from_static(payload),
        interval: MS,
        count: None,
        fill: None,
    };
    let job = engine.start_cyclic(request).expect("queue cyclic");
    let mut log = EventLog::default();
    let going = |e: &Event| matches!(e, Event::JobProgress { job: j, items, .. } if *j == job && *items >= 20);
    log.until(&mut events, "some progress", |all| all.iter().any(going));
    engine.stop_job(job).expect("queue stop");
    let (items, bytes, end) = job_end(&mut log, &mut events, job);
    assert_eq!(end, JobEnd::Stopped);
    assert!(items >= 20);
    assert_eq!(bytes, items * payload.len() as u64);
    // A marker sent after the end goes through the same queue, after every
    // payload the job queued: what arrives before it is all the job sent.
    engine.send(conn, Bytes::from_static(b"END!")).expect("queue marker");
    let received = receive_until(&chunks, |all| all.ends_with(b"END!"));
    let before = &received[..received.len() - 4];
    assert_eq!(before.len() as u64, bytes, "the bytes JobEnded reports are the bytes that arrived");
    assert!(before == payload.repeat(items as usize), "whole payloads only");
    // Stopping a job that has ended does nothing.
    engine.stop_job(job).expect("queue stop");
}

#[test]
fn a_cyclic_send_ends_as_soon_as_the_server_closes() {
    let (engine, mut events) = start_engine(EngineConfig::default());
    // Reads the first payload, then closes.
    let server = LoopbackServer::spawn(|mut stream| {
        let mut buf = [0u8; 64];
        let _ = stream.read(&mut buf);
    });
    let conn = connect_tcp(&engine, &mut events, server.addr);
    // An hour between sends: only the close can end it in time.
    let hour = Duration::from_hours(1);
    let request = CyclicSend {
        target: SendTarget::Conn(conn),
        data: Bytes::from_static(b"hello"),
        interval: hour,
        count: None,
        fill: None,
    };
    let started = Instant::now();
    let job = engine.start_cyclic(request).expect("queue cyclic");
    let mut log = EventLog::default();
    let (items, bytes, end) = job_end(&mut log, &mut events, job);
    assert_eq!(end, JobEnd::TargetClosed);
    assert_eq!((items, bytes), (1, 5));
    assert!(started.elapsed() < PATIENCE);
    assert!(log.events.iter().any(|e| matches!(e, Event::Closed { conn: c, .. } if *c == conn)));
}

#[test]
fn a_cyclic_send_to_several_clients_sends_each_payload_to_each() {
    let (engine, mut events) = start_engine(EngineConfig::default());
    let (listener, addr) = listen(&engine, &mut events, ListenTcp::new("127.0.0.1:0".parse().expect("addr")));
    let mut clients = [std_client(addr), std_client(addr)];
    let mut log = EventLog::default();
    log.until(&mut events, "two clients", |all| accepted(all, listener).len() == 2);
    let conns: Vec<ConnId> = log.accepted(listener).iter().map(|(conn, _)| *conn).collect();
    let request = CyclicSend {
        target: SendTarget::Conns(conns),
        data: Bytes::from_static(b"ab"),
        interval: MS,
        count: Some(50),
        fill: None,
    };
    let job = engine.start_cyclic(request).expect("queue cyclic");
    let (items, bytes, end) = job_end(&mut log, &mut events, job);
    // Counted as TX counts them: each payload once per client it was written to.
    assert_eq!((items, bytes, end), (100, 200, JobEnd::Completed), "counted on each connection");
    for client in &mut clients {
        assert_eq!(read_n(client, 100), b"ab".repeat(50));
    }
}

#[test]
fn a_cyclic_send_over_udp_resolves_the_host_once() {
    let lookups = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&lookups);
    let receiver = std_udp("127.0.0.1:0");
    let port = receiver.local_addr().expect("addr").port();
    let resolver: Resolver = Arc::new(move |host, port| {
        counter.fetch_add(1, Ordering::SeqCst);
        match host {
            "device.test" => Ok(vec![SocketAddr::from(([127, 0, 0, 1], port))]),
            _ => Err(std::io::Error::new(std::io::ErrorKind::NotFound, "unknown host")),
        }
    });
    let (engine, mut events) = start_engine(EngineConfig { resolver: Some(resolver), ..EngineConfig::default() });
    let (socket, local) = bind_udp(&engine, &mut events, BindUdp::new("127.0.0.1:0".parse().expect("addr")));
    let target = SendTarget::Udp { socket, host: "device.test".into(), port };
    let request = CyclicSend { target, data: Bytes::from_static(b"beat"), interval: MS, count: Some(5), fill: None };
    let job = engine.start_cyclic(request).expect("queue cyclic");
    let mut log = EventLog::default();
    assert_eq!(job_end(&mut log, &mut events, job), (5, 20, JobEnd::Completed));
    let mut buf = [0u8; 16];
    for _ in 0..5 {
        let (n, from) = receiver.recv_from(&mut buf).expect("datagram");
        assert_eq!((&buf[..n], from), (&b"beat"[..], local));
    }
    assert_eq!(lookups.load(Ordering::SeqCst), 1, "resolved once, at the start");

    let target = SendTarget::Udp { socket, host: "nowhere.test".into(), port };
    let request = CyclicSend { target, data: Bytes::from_static(b"beat"), interval: MS, count: Some(5), fill: None };
    let job = engine.start_cyclic(request).expect("queue cyclic");
    match job_end(&mut log, &mut events, job) {
        (0, 0, JobEnd::Failed(why)) => assert!(why.to_string().contains("host not found: nowhere.test"), "{why}"),
        other => panic!("expected Failed, got {other:?}"),
    }
}

#[test]
fn a_cyclic_send_to_a_connection_that_is_not_open_fails() {
    let (engine, mut events) = start_engine(EngineConfig::default());
    let request = CyclicSend {
        target: SendTarget::Conn(netassist::ids::ConnId(999)),
        data: Bytes::from_static(b"x"),
        interval: MS,
        count: Some(1),
        fill: None,
    };
    let job = engine.start_cyclic(request).expect("queue cyclic");
    let mut log = EventLog::default();
    match job_end(&mut log, &mut events, job) {
        (0, 0, JobEnd::Failed(why)) => assert!(why.to_string().contains("#999 is not open"), "{why}"),
        other => panic!("expected Failed, got {other:?}"),
    }
    let request = CyclicSend {
        target: SendTarget::Conn(netassist::ids::ConnId(999)),
        data: Bytes::from_static(b"x"),
        interval: Duration::ZERO,
        count: Some(1),
        fill: None,
    };
    let job = engine.start_cyclic(request).expect("queue cyclic");
    match job_end(&mut log, &mut events, job) {
        (0, 0, JobEnd::Failed(why)) => assert!(why.to_string().contains("at least 1 ms"), "{why}"),
        other => panic!("expected Failed, got {other:?}"),
    }
}

// ---------------------------------------------------------------- file send

#[test]
fn a_50_mib_file_arrives_byte_identical() {
    const SIZE: usize = 50 * 1024 * 1024;
    let data = random_bytes(SIZE, 0x5eed);
    let digest = sha256(&data);
    let file = temp_file(&data);
    drop(data);
    // Hashes what arrives on the connection and reports (length, digest) when it ends.
    let (done_tx, done) = std::sync::mpsc::sync_channel(1);
    let server = LoopbackServer::spawn(move |mut stream| {
        let (mut hasher, mut len, mut buf) = (Sha256::new(), 0usize, vec![0u8; 256 * 1024]);
        loop {
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    hasher.update(&buf[..n]);
                    len += n;
                }
            }
        }
        let _ = done_tx.send((len, hasher.finalize().to_vec()));
    });
    let (engine, mut events) = start_engine(EngineConfig::default());
    let conn = connect_tcp(&engine, &mut events, server.addr);
    let request = FileSend { target: SendTarget::Conn(conn), path: file.path().to_path_buf(), chunk: 64 * 1024 };
    let job = engine.send_file(request).expect("queue file send");
    // Keeps only the job's events: the 50 MiB of `Sent` would be a lot to hold.
    let mut job_events = Vec::new();
    let deadline = Instant::now() + Duration::from_mins(2);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let event = events.recv_timeout(left).expect("the file send ends within 2 minutes");
        if event.job() == Some(job) {
            let ended = matches!(event, Event::JobEnded { .. });
            job_events.push(event);
            if ended {
                break;
            }
        }
    }
    match job_events.last() {
        Some(Event::JobEnded { items, bytes, end, .. }) => {
            assert_eq!(*end, JobEnd::Completed);
            assert_eq!((*items, *bytes), (800, SIZE as u64));
        }
        other => panic!("expected JobEnded, got {other:?}"),
    }
    // Progress is what is written, every 100 ms while it moves: on loopback
    // the whole file may go before the first report (JobEnded has the final figures).
    let progress = progress_of(&job_events, job);
    assert!(progress.iter().all(|p| p.2 == Some(SIZE as u64)), "progress carries the file's size: {progress:?}");
    assert!(progress.windows(2).all(|w| w[0].1 < w[1].1), "progress only goes forward: {progress:?}");
    assert!(progress.iter().all(|p| p.1 <= SIZE as u64 && p.0 * 64 * 1024 <= p.1), "{progress:?}");
    engine.disconnect(conn).expect("queue disconnect");
    let (len, got) = done.recv_timeout(PATIENCE).expect("the server saw the end of the connection");
    assert_eq!(len, SIZE);
    assert!(got == digest, "SHA-256 of what arrived differs from the file's");
}

#[test]
fn a_file_over_udp_goes_as_one_datagram_per_chunk() {
    const SIZE: usize = 1024 * 1024;
    let data = random_bytes(SIZE, 42);
    let digest = sha256(&data);
    let file = temp_file(&data);
    let receiver = std_udp("127.0.0.1:0");
    // Room for the whole file in the socket's buffer, where the system allows it.
    let _ = socket2::SockRef::from(&receiver).set_recv_buffer_size(8 * 1024 * 1024);
    let to = receiver.local_addr().expect("addr");
    let reading = std::thread::Builder::new()
        .name("engine_jobs-0".to_owned())
        .spawn(move || receive_datagrams(&receiver, SIZE))
        .expect("spawn a thread");
    let (engine, mut events) = start_engine(EngineConfig::default());
    let (socket, _) = bind_udp(&engine, &mut events, BindUdp::new("127.0.0.1:0".parse().expect("addr")));
    let target = SendTarget::Udp { socket, host: to.ip().to_string(), port: to.port() };
    let job = engine.send_file(FileSend { target, path: file.path().to_path_buf(), chunk: 1024 }).expect("queue");
    let mut log = EventLog::default();
    assert_eq!(job_end(&mut log, &mut events, job), (1024, SIZE as u64, JobEnd::Completed));
    let datagrams = reading.join().expect("reader thread");
    assert_eq!(datagrams.len(), 1024);
    assert!(datagrams.iter().all(|d| d.len() == 1024), "every datagram is one 1024-byte chunk");
    assert!(sha256(&datagrams.concat()) == digest, "the datagrams, in order, are the file");
}

/// Receives datagrams on `socket` until they add up to `total` bytes.
fn receive_datagrams(socket: &UdpSocket, total: usize) -> Vec<Vec<u8>> {
    let (mut datagrams, mut len, mut buf) = (Vec::new(), 0, vec![0u8; 65_536]);
    while len < total {
        let n = socket.recv(&mut buf).unwrap_or_else(|error| panic!("after {len} bytes: {error}"));
        datagrams.push(buf[..n].to_vec());
        len += n;
    }
    datagrams
}

#[test]
fn a_udp_file_send_with_an_impossible_datagram_size_fails() {
    let file = temp_file(b"some bytes");
    let (engine, mut events) = start_engine(EngineConfig::default());
    let (socket, _) = bind_udp(&engine, &mut events, BindUdp::new("127.0.0.1:0".parse().expect("addr")));
    let mut log = EventLog::default();
    for chunk in [0, 65_508] {
        let target = SendTarget::Udp { socket, host: "127.0.0.1".into(), port: 9 };
        let job = engine.send_file(FileSend { target, path: file.path().to_path_buf(), chunk }).expect("queue");
        match job_end(&mut log, &mut events, job) {
            (0, 0, JobEnd::Failed(why)) => {
                assert!(
                    why.to_string().contains(&format!("invalid datagram size {chunk}"))
                        && why.to_string().contains("65507"),
                    "{why}"
                );
            }
            other => panic!("expected Failed, got {other:?}"),
        }
    }
}

#[test]
fn a_missing_file_fails_naming_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("missing.bin");
    let (engine, mut events) = start_engine(EngineConfig::default());
    let server = spawn_sink_server();
    let conn = connect_tcp(&engine, &mut events, server.addr);
    let job =
        engine.send_file(FileSend { target: SendTarget::Conn(conn), path: path.clone(), chunk: 4096 }).expect("queue");
    let mut log = EventLog::default();
    match job_end(&mut log, &mut events, job) {
        (0, 0, JobEnd::Failed(why)) => {
            assert!(why.to_string().starts_with(&format!("cannot open {}: ", path.display())), "{why}");
            assert!(why.to_string().contains("os error"), "{why}");
        }
        other => panic!("expected Failed, got {other:?}"),
    }
}

#[test]
fn a_file_send_can_be_stopped() {
    // More than the loopback connection's buffers hold.
    let data = random_bytes(32 * 1024 * 1024, 7);
    let file = temp_file(&data);
    let (engine, mut events) = start_engine(EngineConfig::default());
    // A server that accepts and never reads: the send waits on back-pressure.
    let (hold_tx, hold) = std::sync::mpsc::sync_channel::<()>(1);
    let server = LoopbackServer::spawn(move |_stream| {
        let _ = hold.recv_timeout(PATIENCE);
    });
    let conn = connect_tcp(&engine, &mut events, server.addr);
    let job = engine
        .send_file(FileSend { target: SendTarget::Conn(conn), path: file.path().to_path_buf(), chunk: 64 * 1024 })
        .expect("queue");
    let mut log = EventLog::default();
    log.until(&mut events, "progress", |all| !progress_of(all, job).is_empty());
    engine.stop_job(job).expect("queue stop");
    let (_, bytes, end) = job_end(&mut log, &mut events, job);
    assert_eq!(end, JobEnd::Stopped);
    assert!(bytes < data.len() as u64, "stopped before the end");
    drop(hold_tx);
}

// ---------------------------------------------------------------- auto-reply

fn rule(name: &str, matcher: Matcher, reply: Reply, delay: Duration) -> AutoReplyRule {
    AutoReplyRule { name: name.to_owned(), matcher, reply, delay }
}

fn bytes(data: &'static [u8]) -> Reply {
    Reply::Bytes(Bytes::from_static(data))
}

/// An engine listening on 127.0.0.1 with `rules`, and one client of ours
/// connected to it; returns the client's id in the engine too.
struct Served {
    engine: EngineHandle,
    events: EventReceiver,
    log: EventLog,
    client: std::net::TcpStream,
    conn: ConnId,
}

fn served(rules: Vec<AutoReplyRule>) -> Served {
    let (engine, mut events) = start_engine(EngineConfig::default());
    engine.set_auto_replies(rules).expect("queue rules");
    let (listener, addr) = listen(&engine, &mut events, ListenTcp::new("127.0.0.1:0".parse().expect("addr")));
    let client = std_client(addr);
    let mut log = EventLog::default();
    log.until(&mut events, "the client", |all| !accepted(all, listener).is_empty());
    let conn = log.accepted(listener)[0].0;
    Served { engine, events, log, client, conn }
}

impl Served {
    /// Waits until the engine has received `n` bytes from the client in all.
    fn until_received(&mut self, n: usize) {
        let conn = self.conn;
        self.log.until(&mut self.events, "the client's bytes", |all| received(all, conn).len() >= n);
    }

    /// Closes the client and waits for the engine's `Closed`; returns every event of the connection.
    fn close(mut self) -> Vec<Event> {
        let conn = self.conn;
        drop(self.client);
        let closed = |e: &Event| matches!(e, Event::Closed { conn: c, .. } if *c == conn);
        self.log.until(&mut self.events, "the close", |all| all.iter().any(closed));
        self.log.events.into_iter().filter(|e| e.conn() == Some(conn)).collect()
    }
}

/// The replies in `events` (of one connection): for each `AutoReplied`, its
/// rule and the data of the event right after it, which must be its `Sent`.
fn replies(events: &[Event]) -> Vec<(String, Bytes)> {
    let mut out = Vec::new();
    for (i, event) in events.iter().enumerate() {
        if let Event::AutoReplied { rule, .. } = event {
            match events.get(i + 1..).and_then(|rest| rest.iter().find(|e| !matches!(e, Event::Received { .. }))) {
                Some(Event::Sent { data, .. }) => out.push((rule.clone(), data.clone())),
                other => panic!("AutoReplied ({rule}) is not followed by its Sent but by {other:?}"),
            }
        }
    }
    out
}

#[test]
fn a_ping_gets_a_pong_after_the_delay() {
    let delay = Duration::from_millis(20);
    let mut s = served(vec![rule("pong", Matcher::Contains(b"PING".to_vec()), bytes(b"PONG"), delay)]);
    let started = Instant::now();
    s.client.write_all(b"PING").expect("send");
    assert_eq!(read_n(&mut s.client, 4), b"PONG");
    let elapsed = started.elapsed();
    assert!(elapsed >= delay, "the reply came {elapsed:?} after the request, before the {delay:?} delay");
    let events = s.close();
    assert_eq!(replies(&events), vec![("pong".to_owned(), Bytes::from_static(b"PONG"))]);
    let peer = events.iter().find_map(|e| match e {
        Event::AutoReplied { peer, .. } => Some(*peer),
        _ => None,
    });
    assert!(peer.is_some_and(|p| p.ip().is_loopback()));
}

#[test]
fn a_hex_rule_matches_bytes_split_across_two_reads() {
    let mut s = served(vec![rule("modbus", Matcher::Contains(vec![0x01, 0x03]), bytes(&[0xaa, 0x55]), Duration::ZERO)]);
    s.client.write_all(&[0x01]).expect("send");
    s.until_received(1);
    s.client.write_all(&[0x03]).expect("send");
    assert_eq!(read_n(&mut s.client, 2), [0xaa, 0x55]);
    let events = s.close();
    let reads = events.iter().filter(|e| matches!(e, Event::Received { .. })).count();
    assert_eq!(reads, 2, "two reads");
    assert_eq!(replies(&events).len(), 1);
}

#[test]
fn a_regex_rule_answers_what_starts_a_read() {
    let get = Matcher::Regex { pattern: r"^GET (\S+)".into(), charset: Charset::Utf8 };
    let mut s = served(vec![rule("http", get, bytes(b"HTTP/1.0 200 OK\r\n\r\n"), Duration::ZERO)]);
    let post = b"POST /form HTTP/1.0\r\n\r\n";
    s.client.write_all(post).expect("send");
    s.until_received(post.len());
    s.client.write_all(b"GET /index.html HTTP/1.0\r\n\r\n").expect("send");
    assert_eq!(read_n(&mut s.client, 19), b"HTTP/1.0 200 OK\r\n\r\n");
    let events = s.close();
    assert_eq!(replies(&events).len(), 1, "the POST got no reply");
}

#[test]
fn an_echo_rule_sends_back_what_came() {
    let mut s = served(vec![rule("echo", Matcher::Any, Reply::Echo, Duration::ZERO)]);
    s.client.write_all(b"hello").expect("send");
    assert_eq!(read_n(&mut s.client, 5), b"hello");
    let events = s.close();
    assert_eq!(replies(&events), vec![("echo".to_owned(), Bytes::from_static(b"hello"))]);
}

#[test]
fn the_tutorial_client_gets_its_answer_from_an_auto_replying_server() {
    let (engine, mut events) = start_engine(EngineConfig::default());
    engine.set_auto_replies(vec![rule("tutorial", Matcher::Any, bytes(REPLY_GBK), Duration::ZERO)]).expect("rules");
    let (listener, addr) = listen(&engine, &mut events, ListenTcp::new("127.0.0.1:0".parse().expect("addr")));
    let answer = tutorial_client(addr).join().expect("client thread").expect("the client gets a reply");
    assert_eq!(answer, REPLY_GBK);
    let mut log = EventLog::default();
    log.until(&mut events, "the client's close", |all| all.iter().any(|e| matches!(e, Event::Closed { .. })));
    let conn = log.accepted(listener)[0].0;
    assert_eq!(log.received(conn), REQUEST_GBK);
    let of_conn: Vec<Event> = log.events.into_iter().filter(|e| e.conn() == Some(conn)).collect();
    assert_eq!(replies(&of_conn), vec![("tutorial".to_owned(), Bytes::from_static(REPLY_GBK))]);
}

#[test]
fn a_udp_rule_replies_to_the_sender() {
    let (engine, mut events) = start_engine(EngineConfig::default());
    let rules = vec![
        rule("status", Matcher::StartsWith(b"status?".to_vec()), bytes(b"ok"), Duration::ZERO),
        rule("later", Matcher::Contains(b"later".to_vec()), Reply::Echo, Duration::from_millis(5)),
    ];
    engine.set_auto_replies(rules).expect("rules");
    let (socket, local) = bind_udp(&engine, &mut events, BindUdp::new("127.0.0.1:0".parse().expect("addr")));
    let (a, b) = (std_udp("127.0.0.1:0"), std_udp("127.0.0.1:0"));
    let mut buf = [0u8; 64];
    a.send_to(b"status?", local).expect("send");
    assert_eq!(a.recv_from(&mut buf).expect("reply"), (2, local));
    assert_eq!(&buf[..2], b"ok");
    b.send_to(b"see you later", local).expect("send");
    assert_eq!(b.recv_from(&mut buf).expect("reply"), (13, local));
    assert_eq!(&buf[..13], b"see you later");
    engine.close_udp(socket).expect("close");
    let all = events_of(&mut events, socket, PATIENCE);
    let announced: Vec<(String, SocketAddr)> = all
        .iter()
        .filter_map(|e| match e {
            Event::AutoReplied { rule, peer, .. } => Some((rule.clone(), *peer)),
            _ => None,
        })
        .collect();
    let peers = (a.local_addr().expect("addr"), b.local_addr().expect("addr"));
    assert_eq!(announced, vec![("status".to_owned(), peers.0), ("later".to_owned(), peers.1)]);
    let replied = replies(&all);
    assert_eq!(replied.len(), 2, "each AutoReplied is followed by its Sent");
}

#[test]
fn invalid_rules_are_reported_and_the_others_apply() {
    let bad = rule("bad", Matcher::Regex { pattern: "(".into(), charset: Charset::Utf8 }, Reply::Echo, Duration::ZERO);
    assert!(bad.validate().is_err());
    let mut s = served(Vec::new());
    s.engine.set_auto_replies(vec![bad, rule("good", Matcher::Any, bytes(b"ok"), Duration::ZERO)]).expect("rules");
    // Commands are carried out in order: once this marker arrives, the rules are in force.
    s.engine.send(s.conn, Bytes::from_static(b"1")).expect("marker");
    assert_eq!(read_n(&mut s.client, 1), b"1");
    s.client.write_all(b"x").expect("send");
    assert_eq!(read_n(&mut s.client, 2), b"ok");
    let invalid =
        |e: &Event| matches!(e, Event::CommandFailed { conn: None, error: EngineError::InvalidAutoReply { .. }, .. });
    s.log.until(&mut s.events, "the report", |all| all.iter().any(invalid));
    let failed = s.log.events.iter().find_map(|e| match e {
        Event::CommandFailed { error: EngineError::InvalidAutoReply { rule, detail }, .. } => {
            Some((rule.clone(), detail.clone()))
        }
        _ => None,
    });
    let (name, detail) = failed.expect("the invalid rule is reported");
    assert_eq!(name, "bad");
    assert!(detail.to_string().contains("invalid regex"), "{detail}");
}

#[test]
fn rules_apply_to_live_connections_and_can_be_turned_off() {
    let mut s = served(Vec::new());
    s.engine.set_auto_replies(vec![rule("on", Matcher::Any, bytes(b"on"), Duration::ZERO)]).expect("rules");
    // Commands are carried out in order: once this marker arrives, the rules are in force.
    s.engine.send(s.conn, Bytes::from_static(b"1")).expect("marker");
    assert_eq!(read_n(&mut s.client, 1), b"1");
    s.client.write_all(b"x").expect("send");
    assert_eq!(read_n(&mut s.client, 2), b"on", "a live connection picks the new rules up");
    s.engine.set_auto_replies(Vec::new()).expect("rules off");
    s.engine.send(s.conn, Bytes::from_static(b"2")).expect("marker");
    assert_eq!(read_n(&mut s.client, 1), b"2");
    s.client.write_all(b"y").expect("send");
    s.until_received(2);
    // A reply to "y" would be written before this marker.
    s.engine.send(s.conn, Bytes::from_static(b"3")).expect("marker");
    assert_eq!(read_n(&mut s.client, 1), b"3", "no reply once the rules are off");
}

#[test]
fn delayed_replies_are_bounded_per_socket() {
    let (engine, mut events) = start_engine(EngineConfig::default());
    let hour = Duration::from_hours(1);
    engine.set_auto_replies(vec![rule("slow", Matcher::Any, Reply::Echo, hour)]).expect("rules");
    let (socket, local) = bind_udp(&engine, &mut events, BindUdp::new("127.0.0.1:0".parse().expect("addr")));
    let peer = std_udp("127.0.0.1:0");
    let mut log = EventLog::default();
    let count = |all: &[Event]| all.iter().filter(|e| matches!(e, Event::Received { .. })).count();
    // In batches the engine has read before the next, so none is lost on the way.
    for batch in 0..11 {
        for _ in 0..100 {
            peer.send_to(b"?", local).expect("send");
        }
        log.until(&mut events, "the batch", |all| count(all) == (batch + 1) * 100);
    }
    engine.close_udp(socket).expect("close");
    log.until(&mut events, "the close", |all| all.iter().any(|e| matches!(e, Event::UdpClosed { .. })));
    let dropped = log
        .events
        .iter()
        .filter(|e| {
            matches!(e, Event::CommandFailed { error: EngineError::AutoRepliesDropped { limit: 1024, .. }, .. })
        })
        .count();
    assert_eq!(dropped, 1, "past 1024 waiting replies, dropping is reported once");
    assert!(!log.events.iter().any(|e| matches!(e, Event::AutoReplied { .. })), "none is due yet");
}
