//! Issue "TCP server holds N concurrent clients": an engine listener on
//! 127.0.0.1 with `max_clients = N`, N clients connecting at once (tokio, on
//! a runtime of their own in this process), and a [`Session`] driven by the
//! engine's events, as the app drives it, until all N are listed. Then one
//! `send_many` to all of them, which every client must receive.
//!
//! Reports N, the time to accept and list all, the time for the send to
//! reach all, and the process's peak RSS (VmHWM: the engine, the session and
//! the clients' side, all in this process).
//!
//! Each client costs two file descriptors here (ours and the engine's), so
//! it first raises RLIMIT_NOFILE to the hard limit.
//!
//! Run: `cargo bench --bench many_clients` (N = 10,000;
//! `NETASSIST_CLIENTS=1000 cargo bench --bench many_clients` for another N).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a bench fails by panicking
#![allow(missing_docs)] // criterion_group! makes an undocumented pub fn

use netassist::ids::ConnId;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use bytes::Bytes;
use netassist::codec::Charset;
use netassist::engine::{EngineConfig, EngineHandle, Event, EventReceiver, ListenTcp};
use netassist::model::Session;
use netassist::view::{ReceiveView, StoreLimits, ViewMode};
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;
use tokio::task::JoinSet;

/// N unless `NETASSIST_CLIENTS` says otherwise.
const DEFAULT_CLIENTS: usize = 10_000;
/// What `send_many` sends to every client.
const MESSAGE: &[u8] = b"hello, every client of netassist\n";
/// How long each stage may take before the bench gives up.
const PATIENCE: Duration = Duration::from_mins(2);
/// File descriptors besides the clients' (stdio, epoll, the listener, ...).
const SPARE_FDS: u64 = 16;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("many_clients: FAILED: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let n = clients_wanted()?;
    let fd_limit = raise_fd_limit();
    if let Some(limit) = fd_limit
        && limit < 2 * n as u64 + SPARE_FDS
    {
        let room = limit.saturating_sub(SPARE_FDS) / 2;
        eprintln!("many_clients: RLIMIT_NOFILE is {limit}: room for about {room} clients, not {n}");
    }
    let clients_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("bench-clients")
        .enable_all()
        .build()
        .map_err(|error| format!("client runtime: {error}"))?;
    let (engine, mut events) = EngineHandle::start(EngineConfig::default(), Arc::new(|| {}))
        .map_err(|error| format!("starting the engine: {error}"))?;
    let mut session = Session::new(ReceiveView::new(Charset::Utf8, ViewMode::Text, StoreLimits::default()));

    let bind = SocketAddr::from(([127, 0, 0, 1], 0));
    let listener =
        engine.listen_tcp(ListenTcp { max_clients: n, ..ListenTcp::new(bind) }).map_err(|error| error.to_string())?;
    let addr = listening(&mut events, &mut session, listener)?;

    let started = Instant::now();
    let failure = Arc::new(OnceLock::new());
    let connecting = clients_rt.spawn(open_clients(addr, n, Arc::clone(&failure)));
    let all_listed = |session: &Session| session.clients.len() == n;
    drive(&mut events, &mut session, "every client to be listed", all_listed, || failure.get().cloned())?;
    let listed = started.elapsed();
    let streams = clients_rt.block_on(connecting).map_err(|error| format!("connecting task: {error}"))?;
    if streams.len() != n {
        return Err(format!("{} of {n} clients connected", streams.len()));
    }

    let started = Instant::now();
    let reading = clients_rt.spawn(read_message(streams));
    let conns: Vec<ConnId> = session.clients.keys().copied().collect();
    engine.send_many(conns, Bytes::from_static(MESSAGE)).map_err(|error| error.to_string())?;
    let sent_to_all = |session: &Session| session.clients.values().all(|c| c.tx_bytes == MESSAGE.len() as u64);
    drive(&mut events, &mut session, "a Sent for every client", sent_to_all, || None)?;
    let got = clients_rt.block_on(async { tokio::time::timeout(PATIENCE, reading).await });
    let got = got.map_err(|_| "the clients did not all receive the message in time".to_owned())?;
    let (got, streams) = got.map_err(|error| format!("reading task: {error}"))??;
    let delivered = started.elapsed();
    if got != n {
        return Err(format!("only {got} of {n} clients received the message"));
    }

    let rss = peak_rss().unwrap_or_else(|| "n/a".to_owned());
    let limit = fd_limit.map_or_else(|| "n/a".to_owned(), |limit| limit.to_string());
    println!();
    println!("many_clients: one listener, max_clients = N, all clients on 127.0.0.1 (RLIMIT_NOFILE {limit})");
    println!(
        "| {:>7} | {:>21} | {:>21} | {:>16} |",
        "N", "accepted + listed", "send_many reached all", "peak RSS (VmHWM)"
    );
    println!("|{:-<9}|{:-<23}|{:-<23}|{:-<18}|", "", "", "", "");
    println!("| {n:>7} | {:>21} | {:>21} | {rss:>16} |", secs(listed), secs(delivered));

    // Close without waiting on the UI: dropping the receiver first means the
    // engine's final events fail at once instead of filling the queue.
    drop(events);
    drop(engine);
    drop(streams);
    drop(clients_rt);
    Ok(())
}

/// N from `NETASSIST_CLIENTS`, or [`DEFAULT_CLIENTS`].
fn clients_wanted() -> Result<usize, String> {
    match std::env::var("NETASSIST_CLIENTS") {
        Ok(text) => match text.trim().parse::<usize>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(format!("NETASSIST_CLIENTS={text:?} is not a positive number")),
        },
        Err(_) => Ok(DEFAULT_CLIENTS),
    }
}

/// Raises the soft RLIMIT_NOFILE to the hard limit; returns the limit now
/// in force (`None` where there is no such limit).
#[cfg(unix)]
fn raise_fd_limit() -> Option<u64> {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => Some(limit),
        Err(error) => {
            eprintln!("many_clients: cannot raise RLIMIT_NOFILE: {error}");
            rlimit::Resource::NOFILE.get().ok().map(|(soft, _hard)| soft)
        }
    }
}

#[cfg(not(unix))]
fn raise_fd_limit() -> Option<u64> {
    None
}

/// Waits for the listener's `Listening` and returns its address.
fn listening(events: &mut EventReceiver, session: &mut Session, listener: ConnId) -> Result<SocketAddr, String> {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let event = events.recv_timeout(left).ok_or("the listener did not start in time")?;
        let outcome = match &event {
            Event::Listening { listener: l, local, .. } if *l == listener => Some(Ok(*local)),
            Event::ListenFailed { error, .. } => Some(Err(format!("cannot listen: {error}"))),
            _ => None,
        };
        session.apply(event);
        if let Some(outcome) = outcome {
            return outcome;
        }
    }
}

/// Applies events to `session` until `done` holds. Fails at once on an
/// event that says a client could not be served, on `failed` (checked
/// between events), or after [`PATIENCE`].
fn drive(
    events: &mut EventReceiver,
    session: &mut Session,
    what: &str,
    done: impl Fn(&Session) -> bool,
    failed: impl Fn() -> Option<String>,
) -> Result<(), String> {
    let deadline = Instant::now() + PATIENCE;
    while !done(session) {
        if let Some(why) = failed() {
            return Err(format!("while waiting for {what}: {why} ({} clients listed)", session.clients.len()));
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            let last = session.last_error_text().unwrap_or_else(|| "none".to_owned());
            return Err(format!(
                "gave up waiting for {what} after {PATIENCE:?}: {} clients listed; last error: {last}",
                session.clients.len()
            ));
        }
        // Short waits, so `failed` is looked at often.
        let Some(event) = events.recv_timeout(left.min(Duration::from_millis(100))) else { continue };
        let refusal = match &event {
            Event::ClientRefused { peer, limit, .. } => Some(format!("client {peer} refused at the limit of {limit}")),
            Event::CommandFailed { error, .. } => Some(error.to_string()),
            Event::Closed { peer, reason, .. } => Some(format!("client {peer} closed early: {reason:?}")),
            Event::ListenerClosed { reason, .. } => Some(format!("the listener stopped: {reason:?}")),
            _ => None,
        };
        session.apply(event);
        if let Some(why) = refusal {
            return Err(format!("while waiting for {what}: {why} ({} clients listed)", session.clients.len()));
        }
    }
    Ok(())
}

/// Connects `n` clients to `addr`, all at once; returns those that
/// connected. The first failure, if any, is put in `failure` as it happens.
async fn open_clients(addr: SocketAddr, n: usize, failure: Arc<OnceLock<String>>) -> Vec<TcpStream> {
    let mut connects = JoinSet::new();
    for _ in 0..n {
        connects.spawn(TcpStream::connect(addr));
    }
    let mut streams = Vec::with_capacity(n);
    while let Some(connected) = connects.join_next().await {
        match connected {
            Ok(Ok(stream)) => streams.push(stream),
            Ok(Err(error)) => {
                let _ = failure.set(format!("a client could not connect ({} had): {error}", streams.len()));
            }
            Err(error) => {
                let _ = failure.set(format!("a connecting task failed: {error}"));
            }
        }
    }
    streams
}

/// Reads [`MESSAGE`] on every stream; returns how many got exactly it, and
/// the streams, to be closed only once the engine's events are all seen.
async fn read_message(streams: Vec<TcpStream>) -> Result<(usize, Vec<TcpStream>), String> {
    let mut reads = JoinSet::new();
    for mut stream in streams {
        reads.spawn(async move {
            let mut buf = [0u8; MESSAGE.len()];
            let read = stream.read_exact(&mut buf).await;
            (read.is_ok() && buf == MESSAGE, stream)
        });
    }
    let (mut got, mut streams) = (0, Vec::with_capacity(reads.len()));
    while let Some(read) = reads.join_next().await {
        let (ok, stream) = read.map_err(|error| format!("reading task: {error}"))?;
        got += usize::from(ok);
        streams.push(stream);
    }
    Ok((got, streams))
}

/// The process's peak resident set (VmHWM), in MiB.
fn peak_rss() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(format!("{:.1} MiB", kib / 1024.0))
}

/// `duration` in seconds, to the millisecond.
fn secs(duration: Duration) -> String {
    format!("{:.3} s", duration.as_secs_f64())
}
