//! What a file send reports when it cannot finish: sent to a peer that does
//! not read, then stopped or cut off by a disconnect, the job's figures are
//! what was written to the socket (what TX counts and what the peer gets
//! once it reads), and what was handed over but not written is reported, by
//! the job and (when the close drops it) by the connection. Loopback only
//! (127.0.0.1, port 0); nothing sleeps to wait.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or bench) fails by panicking

mod support;

use std::io::Read;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use netassist::engine::*;
use netassist::ids::{ConnId, JobId};
use support::*;

/// More than the loopback connection's buffers and the job's 4 MiB in flight hold.
const SIZE: usize = 48 * 1024 * 1024;
/// Bytes per chunk.
const CHUNK: usize = 64 * 1024;

/// A file of `SIZE` random bytes in a temporary directory, with its content.
fn big_file() -> (tempfile::TempDir, std::path::PathBuf, Vec<u8>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("firmware.bin");
    let data = Rng(0x00f1_1e5e_4d00).bytes(SIZE);
    std::fs::write(&path, &data).expect("write the file");
    (dir, path, data)
}

/// A server that accepts and reads nothing until `go` is sent, then reads
/// to the end of the connection and hands over everything it got.
fn held_server() -> (LoopbackServer, SyncSender<()>, Receiver<Vec<u8>>) {
    let (go_tx, go) = sync_channel::<()>(1);
    let (got_tx, got) = sync_channel(1);
    let server = LoopbackServer::spawn(move |mut stream| {
        let _ = go.recv_timeout(PATIENCE);
        let mut all = Vec::new();
        let _ = stream.read_to_end(&mut all);
        let _ = got_tx.send(all);
    });
    (server, go_tx, got)
}

/// Starts sending the file at `path` to `conn` and waits for its first
/// progress report (by then the peer's buffers are full and the job waits).
fn start(
    engine: &EngineHandle,
    events: &mut EventReceiver,
    log: &mut EventLog,
    conn: ConnId,
    path: &std::path::Path,
) -> JobId {
    let request = FileSend { target: SendTarget::Conn(conn), path: path.to_path_buf(), chunk: CHUNK };
    let job = engine.send_file(request).expect("queue the file send");
    let progress = |e: &Event| matches!(e, Event::JobProgress { job: j, bytes, .. } if *j == job && *bytes > 0);
    log.until(events, "the first progress", |all| all.iter().any(progress));
    job
}

/// Job `job`'s end: (items, bytes, unsent, end).
fn job_end(log: &mut EventLog, events: &mut EventReceiver, job: JobId) -> (u64, u64, Unsent, JobEnd) {
    let ended = |e: &Event| matches!(e, Event::JobEnded { job: j, .. } if *j == job);
    log.until(events, "the job's end", |all| all.iter().any(ended));
    match log.events.iter().find(|e| ended(e)) {
        Some(Event::JobEnded { items, bytes, unsent, end, .. }) => (*items, *bytes, *unsent, end.clone()),
        _ => unreachable!("found above"),
    }
}

/// The bytes TX counts for `conn` in `events`: every `Sent`, and those elided in a flood.
fn tx(events: &[Event], conn: ConnId) -> u64 {
    let of = |e: &Event| match e {
        Event::Sent { conn: c, data, .. } if *c == conn => data.len() as u64,
        Event::Elided { conn: c, outgoing: true, len, .. } if *c == conn => *len as u64,
        _ => 0,
    };
    events.iter().map(of).sum()
}

/// What the connection reported discarded at its close, if anything.
fn discarded(events: &[Event], conn: ConnId) -> Option<Unsent> {
    events.iter().find_map(|e| match e {
        Event::Discarded { conn: c, unsent, .. } if *c == conn => Some(*unsent),
        _ => None,
    })
}

/// Written and unsent add up to the whole chunks the job handed over (the
/// one written in part counted in both).
fn whole_chunks_handed_over(items: u64, written: u64, unsent: Unsent) {
    let handed = written + unsent.bytes;
    assert!(handed <= SIZE as u64, "{handed}");
    assert_eq!(handed % CHUNK as u64, 0, "whole chunks handed over: {written} + {unsent:?}");
    assert_eq!(handed / CHUNK as u64, items + unsent.items, "whole chunks written, and the others (one maybe in part)");
}

/// Lets the held server read to the end: it gets exactly the `written`
/// bytes, the start of `data`.
fn peer_gets_what_was_written(go: &SyncSender<()>, got: &Receiver<Vec<u8>>, data: &[u8], written: u64) {
    go.send(()).expect("the server waits");
    let received = got.recv_timeout(PATIENCE).expect("the server read to the end");
    assert_eq!(received.len() as u64, written, "the peer got exactly what the job reports written");
    assert!(received[..] == data[..received.len()], "the start of the file, byte for byte");
}

/// A big file being sent over a connection to a held server (one that reads
/// nothing until told to), and what the test needs of it.
struct Sending {
    /// Kept until the test ends (the file's folder).
    dir: tempfile::TempDir,
    data: Vec<u8>,
    /// Kept until the test ends (the server's thread).
    server: LoopbackServer,
    go: SyncSender<()>,
    got: Receiver<Vec<u8>>,
    engine: EngineHandle,
    events: EventReceiver,
    conn: ConnId,
    log: EventLog,
    job: JobId,
}

fn sending_a_big_file() -> Sending {
    let (dir, path, data) = big_file();
    let (server, go, got) = held_server();
    let (engine, mut events) = start_engine(EngineConfig::default());
    let conn = connect_tcp(&engine, &mut events, server.addr);
    let mut log = EventLog::default();
    let job = start(&engine, &mut events, &mut log, conn, &path);
    Sending { dir, data, server, go, got, engine, events, conn, log, job }
}

fn closed(events: &[Event], conn: ConnId) -> bool {
    events.iter().any(|e| matches!(e, Event::Closed { conn: c, .. } if *c == conn))
}

#[test]
fn a_stopped_file_send_reports_the_bytes_that_reached_the_peer_and_withdraws_the_rest() {
    let Sending { dir: _dir, data, server: _server, go, got, engine, mut events, conn, mut log, job } =
        sending_a_big_file();
    engine.stop_job(job).expect("queue the stop");
    let (items, written, unsent, end) = job_end(&mut log, &mut events, job);
    assert_eq!(end, JobEnd::Stopped);
    assert!(written > 0 && unsent.bytes > 0, "the peer took some and the job had more queued: {written}, {unsent:?}");
    whole_chunks_handed_over(items, written, unsent);
    assert_eq!(tx(&log.events, conn), written, "the job's figure is TX's");

    // Nothing of the job is left queued: the close discards nothing.
    engine.disconnect(conn).expect("queue the disconnect");
    log.until(&mut events, "the close", |all| closed(all, conn));
    assert_eq!(discarded(&log.events, conn), None, "the job withdrew what it had queued");
    assert_eq!(tx(&log.events, conn), written, "nothing more was written after the job's end");

    peer_gets_what_was_written(&go, &got, &data, written);
}

#[test]
fn a_file_send_cut_off_by_disconnect_reports_what_the_close_discarded() {
    let Sending { dir: _dir, data, server: _server, go, got, engine, mut events, conn, mut log, job } =
        sending_a_big_file();
    engine.disconnect(conn).expect("queue the disconnect");
    let (items, written, unsent, end) = job_end(&mut log, &mut events, job);
    log.until(&mut events, "the close", |all| closed(all, conn));
    assert_eq!(end, JobEnd::TargetClosed);
    assert!(written > 0 && unsent.bytes > 0, "{written}, {unsent:?}");
    whole_chunks_handed_over(items, written, unsent);
    // The connection says what it dropped: what the job had queued and was not written.
    assert_eq!(discarded(&log.events, conn), Some(unsent), "the close reports what it discarded");
    let at = |want: fn(&Event) -> bool| log.events.iter().position(|e| e.conn() == Some(conn) && want(e));
    assert!(
        at(|e| matches!(e, Event::Discarded { .. })) < at(|e| matches!(e, Event::Closed { .. })),
        "Discarded comes right before Closed"
    );
    assert_eq!(tx(&log.events, conn), written, "the job's figure is TX's");

    peer_gets_what_was_written(&go, &got, &data, written);
}

#[test]
fn a_completed_file_send_leaves_nothing_unsent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("small.bin");
    let data = Rng(7).bytes(3 * CHUNK + 123);
    std::fs::write(&path, &data).expect("write the file");
    let (server, go, got) = held_server();
    go.send(()).expect("the server reads at once");
    let (engine, mut events) = start_engine(EngineConfig::default());
    let conn = connect_tcp(&engine, &mut events, server.addr);
    let job = engine
        .send_file(FileSend { target: SendTarget::Conn(conn), path: path.clone(), chunk: CHUNK })
        .expect("queue the file send");
    let mut log = EventLog::default();
    let (items, written, unsent, end) = job_end(&mut log, &mut events, job);
    assert_eq!((items, written, unsent, end), (4, data.len() as u64, Unsent::default(), JobEnd::Completed));
    engine.disconnect(conn).expect("queue the disconnect");
    log.until(&mut events, "the close", |all| closed(all, conn));
    assert_eq!(discarded(&log.events, conn), None);
    assert!(got.recv_timeout(PATIENCE).expect("the whole file") == data);
}
