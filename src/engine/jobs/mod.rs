//! Jobs: sends that run on their own in the engine, one task each — a
//! cyclic send ([`self::cyclic`]) and a file send ([`self::file_send`]).
//!
//! What they share is here: where they send ([`SendTarget`], opened as an
//! [`Outlet`]), how they report (`JobProgress`, `JobEnded`).
//!
//! A job's items go through the same queue as the user's sends, so each
//! gives a `Sent` event, counts, and is captured; a full queue makes the job
//! wait (back-pressure), never drop. Each item is acknowledged once written
//! (for UDP: sent), and at most [`MAX_IN_FLIGHT`] items (and about
//! [`MAX_IN_FLIGHT_BYTES`]) of one job are queued but not yet written, so a
//! job never fills a connection's queue with more than that, and a stop
//! leaves at most that much still to go out.

pub(super) mod cyclic;
pub(super) mod file_send;

use crate::ids::{ConnId, JobId};
use std::collections::VecDeque;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::task::Poll;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;

use super::emit::Emitter;
use super::outgoing::UdpCommand;
use super::outgoing::{Ack, Outgoing};
use super::registry::{self, Route};
use super::resolve::resolve;
use super::shared::Shared;
use super::{EngineError, Event, JobEnd, JobError};

/// The most items of one job queued on its connection(s) and not yet written.
pub(super) const MAX_IN_FLIGHT: usize = 64;
/// The most bytes of one job queued and not yet written (at least one item is always allowed).
pub(super) const MAX_IN_FLIGHT_BYTES: usize = 4 * 1024 * 1024;
/// The least time between two `JobProgress` of one job.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// Where a job sends its items.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendTarget {
    /// One TCP connection (client or an accepted client).
    Conn(ConnId),
    /// Several TCP connections (server "send to all / selected"): each item
    /// goes to each. Those not open when the job starts are reported
    /// (`CommandFailed`) and left out; the job carries on while one remains.
    Conns(Vec<ConnId>),
    /// A UDP socket sending to `host:port` (an IP literal or a name, resolved
    /// once when the job starts).
    Udp {
        /// The UDP socket.
        socket: ConnId,
        /// The destination host.
        host: String,
        /// The destination port.
        port: u16,
    },
}

/// A cyclic send: the same payload every `interval`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CyclicSend {
    /// Where to.
    pub target: SendTarget,
    /// The payload (for UDP: one datagram each time).
    pub data: Bytes,
    /// Time between two sends, at least 1 ms. The first goes at once. When
    /// the connection is slower than that, sends wait for it and the next
    /// one follows a whole interval later (no burst to catch up).
    pub interval: Duration,
    /// How many sends (`None`: until stopped or the target closes).
    pub count: Option<u64>,
    /// With variables (`${seq}`, `${time}`, …): each send is this template
    /// filled in anew, and `data` is not used. A send that cannot be filled
    /// in ends the job (`JobError::Expand`).
    pub fill: Option<CyclicFill>,
}

/// What a cyclic send with variables fills in each time.
#[derive(Clone, Debug)]
pub struct CyclicFill {
    /// The payload, parsed.
    pub send: crate::codec::SendTemplate,
    /// The variables it starts from (the counter moves with each send).
    pub vars: crate::codec::Vars,
}

impl PartialEq for CyclicFill {
    /// Two fills are the same payload (the random generator's state is not compared).
    fn eq(&self, other: &Self) -> bool {
        self.send == other.send && self.vars.counter == other.vars.counter && self.vars.user == other.vars.user
    }
}

impl Eq for CyclicFill {}

/// A file send: a file streamed in chunks, never read whole into memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileSend {
    /// Where to.
    pub target: SendTarget,
    /// The file.
    pub path: PathBuf,
    /// Bytes per chunk: for TCP the size of each write (taken as 1 to
    /// [`MAX_TCP_CHUNK`]: a TCP stream keeps no write boundaries), for UDP the
    /// size of each datagram, 1 to [`MAX_UDP_CHUNK`] (the last one is
    /// shorter); another size ends a UDP job `Failed`.
    pub chunk: usize,
}

/// The largest chunk of a TCP file send (a larger one is taken as this).
pub const MAX_TCP_CHUNK: usize = 1024 * 1024;
/// The largest chunk (datagram) of a UDP file send.
pub const MAX_UDP_CHUNK: usize = 65_507;

/// One connection or socket a job sends to.
enum Sink {
    /// A TCP connection's send queue.
    Stream { conn: ConnId, sends: mpsc::Sender<Outgoing> },
    /// A UDP socket's command queue, and where its datagrams go.
    Udp { socket: ConnId, commands: mpsc::Sender<UdpCommand>, host: Arc<str>, addrs: Arc<[SocketAddr]> },
}

impl Sink {
    fn id(&self) -> ConnId {
        match self {
            Sink::Stream { conn, .. } => *conn,
            Sink::Udp { socket, .. } => *socket,
        }
    }

    /// Queues `data`, waiting for room; `Err` if the connection or socket has ended.
    async fn send(&self, data: Bytes, ack: Ack) -> Result<(), ()> {
        match self {
            Sink::Stream { sends, .. } => {
                let out = Outgoing { data, ack: Some(ack), rule: None };
                sends.send(out).await.map_err(drop)
            }
            Sink::Udp { commands, host, addrs, .. } => {
                let command = UdpCommand::SendResolved {
                    host: Arc::clone(host),
                    addrs: Arc::clone(addrs),
                    data,
                    ack: Some(ack),
                    rule: None,
                };
                commands.send(command).await.map_err(drop)
            }
        }
    }

    /// Completes once the connection or socket has ended (its queue closed).
    async fn closed(&self) {
        match self {
            Sink::Stream { sends, .. } => sends.closed().await,
            Sink::Udp { commands, .. } => commands.closed().await,
        }
    }
}

/// An item queued on one sink and not yet acknowledged.
struct InFlight {
    sink: ConnId,
    len: usize,
    ack: oneshot::Receiver<Result<(), EngineError>>,
}

/// The connection(s) or socket a job sends to, with its count of items sent.
pub(super) struct Outlet {
    sinks: Vec<Sink>,
    in_flight: VecDeque<InFlight>,
    in_flight_bytes: usize,
    /// Items handed to at least one sink.
    pub items: u64,
    /// Their bytes (once per item).
    pub bytes: u64,
}

impl Outlet {
    /// Looks up `target` (resolving a UDP host name). `Err`: why the job cannot start.
    pub(super) async fn open(target: &SendTarget, shared: &Shared) -> Result<Outlet, JobError> {
        let sinks = match target {
            SendTarget::Conn(conn) => vec![stream_sink(shared, *conn).map_err(JobError::Target)?],
            SendTarget::Conns(conns) => {
                let mut sinks: Vec<Sink> = Vec::new();
                for &conn in conns {
                    if sinks.iter().any(|sink| sink.id() == conn) {
                        continue;
                    }
                    match stream_sink(shared, conn) {
                        Ok(sink) => sinks.push(sink),
                        Err(error) => {
                            shared.emitter.command_failed(conn, error).await;
                        }
                    }
                }
                if sinks.is_empty() {
                    return Err(match conns.as_slice() {
                        [] => JobError::NoTarget,
                        _ => JobError::NoneOpen,
                    });
                }
                sinks
            }
            SendTarget::Udp { socket, host, port } => {
                let commands = shared.registry.with(*socket, |route| match route {
                    None => Err(EngineError::NotConnected { conn: *socket }),
                    Some(Route::Udp { commands, .. }) => Ok(commands.clone()),
                    Some(other) => {
                        Err(EngineError::WrongKind { id: *socket, is: other.kind(), expected: registry::UDP })
                    }
                });
                let commands = commands.map_err(JobError::Target)?;
                let addrs = match host.parse::<IpAddr>() {
                    Ok(ip) => vec![SocketAddr::new(ip, *port)],
                    Err(_) => {
                        resolve(host, *port, shared.settings.resolver.as_ref()).await.map_err(JobError::Target)?
                    }
                };
                vec![Sink::Udp { socket: *socket, commands, host: Arc::from(host.as_str()), addrs: Arc::from(addrs) }]
            }
        };
        Ok(Outlet { sinks, in_flight: VecDeque::new(), in_flight_bytes: 0, items: 0, bytes: 0 })
    }

    /// Queues `data` on every sink, first waiting while too much is in flight.
    /// `Err`: how the job ends (stopped, every target closed, a send failed).
    pub(super) async fn push(&mut self, data: Bytes, cancel: &CancellationToken) -> Result<(), JobEnd> {
        self.settle()?;
        while !self.in_flight.is_empty()
            && (self.in_flight.len() >= MAX_IN_FLIGHT || self.in_flight_bytes >= MAX_IN_FLIGHT_BYTES)
        {
            self.await_oldest(cancel).await?;
        }
        let mut taken = false;
        let mut gone = Vec::new();
        for sink in &self.sinks {
            let (ack, answer) = oneshot::channel();
            tokio::select! {
                biased;
                () = cancel.cancelled() => {
                    self.count(taken, data.len());
                    return Err(JobEnd::Stopped);
                }
                queued = sink.send(data.clone(), ack) => match queued {
                    Ok(()) => {
                        taken = true;
                        self.in_flight.push_back(InFlight { sink: sink.id(), len: data.len(), ack: answer });
                        self.in_flight_bytes += data.len();
                    }
                    Err(()) => gone.push(sink.id()),
                },
            }
        }
        self.count(taken, data.len());
        for id in gone {
            self.remove(id)?;
        }
        Ok(())
    }

    fn count(&mut self, taken: bool, len: usize) {
        if taken {
            self.items += 1;
            self.bytes += len as u64;
        }
    }

    /// Waits until everything queued is written. `Err` as for [`Outlet::push`].
    pub(super) async fn flush(&mut self, cancel: &CancellationToken) -> Result<(), JobEnd> {
        while !self.in_flight.is_empty() {
            self.await_oldest(cancel).await?;
        }
        Ok(())
    }

    /// Completes when one of the sinks has ended: drops it, and `Err(TargetClosed)`
    /// if it was the last. Never completes while every sink is open.
    pub(super) async fn closed(&mut self) -> Result<(), JobEnd> {
        let mut waits: Vec<_> = self.sinks.iter().map(|sink| Box::pin(sink.closed())).collect();
        let index = std::future::poll_fn(|cx| {
            for (index, wait) in waits.iter_mut().enumerate() {
                if wait.as_mut().poll(cx).is_ready() {
                    return Poll::Ready(index);
                }
            }
            Poll::Pending
        })
        .await;
        drop(waits);
        let id = self.sinks[index].id();
        self.remove(id)
    }

    /// Handles the acknowledgements already in, without waiting.
    fn settle(&mut self) -> Result<(), JobEnd> {
        while let Some(oldest) = self.in_flight.front_mut() {
            match oldest.ack.try_recv() {
                Err(oneshot::error::TryRecvError::Empty) => return Ok(()),
                Ok(outcome) => self.acknowledged(Ok(outcome))?,
                Err(oneshot::error::TryRecvError::Closed) => self.acknowledged(Err(()))?,
            }
        }
        Ok(())
    }

    /// Waits for the oldest item's acknowledgement (or the stop).
    async fn await_oldest(&mut self, cancel: &CancellationToken) -> Result<(), JobEnd> {
        let Some(oldest) = self.in_flight.front_mut() else { return Ok(()) };
        let answer = tokio::select! {
            biased;
            () = cancel.cancelled() => return Err(JobEnd::Stopped),
            answer = &mut oldest.ack => answer.map_err(drop),
        };
        self.acknowledged(answer)
    }

    /// Takes the oldest in-flight item off with its `answer` (`Err`: the sink
    /// ended before writing it).
    fn acknowledged(&mut self, answer: Result<Result<(), EngineError>, ()>) -> Result<(), JobEnd> {
        let Some(InFlight { sink, len, .. }) = self.in_flight.pop_front() else { return Ok(()) };
        self.in_flight_bytes -= len;
        match answer {
            Ok(Ok(())) => Ok(()),
            Ok(Err(error)) => Err(JobEnd::Failed(JobError::Target(error))),
            Err(()) => self.remove(sink),
        }
    }

    /// Drops sink `id` (it has ended); `Err(TargetClosed)` if none is left.
    fn remove(&mut self, id: ConnId) -> Result<(), JobEnd> {
        self.sinks.retain(|sink| sink.id() != id);
        if self.sinks.is_empty() { Err(JobEnd::TargetClosed) } else { Ok(()) }
    }
}

/// TCP connection `conn`'s send queue.
fn stream_sink(shared: &Shared, conn: ConnId) -> Result<Sink, EngineError> {
    shared.registry.with(conn, |route| match route {
        None => Err(EngineError::NotConnected { conn }),
        Some(Route::Stream { sends, .. }) => Ok(Sink::Stream { conn, sends: sends.clone() }),
        Some(other) => Err(EngineError::WrongKind { id: conn, is: other.kind(), expected: registry::STREAM }),
    })
}

/// Reports a job's progress, at most every [`PROGRESS_EVERY`], and its end.
pub(super) struct Progress<'a> {
    job: JobId,
    total_bytes: Option<u64>,
    emitter: &'a Emitter,
    last: Option<Instant>,
}

impl<'a> Progress<'a> {
    /// For job `job`, whose bytes reach `total_bytes` if it completes.
    pub(super) fn new(job: JobId, total_bytes: Option<u64>, emitter: &'a Emitter) -> Self {
        Self { job, total_bytes, emitter, last: None }
    }

    /// After an item: reports the progress if it is the first item or
    /// [`PROGRESS_EVERY`] has passed since the last report.
    pub(super) async fn item(&mut self, outlet: &Outlet) {
        if self.last.is_some_and(|last| last.elapsed() < PROGRESS_EVERY) {
            return;
        }
        self.last = Some(Instant::now());
        let (job, total_bytes) = (self.job, self.total_bytes);
        let event =
            Event::JobProgress { job, items: outlet.items, bytes: outlet.bytes, total_bytes, at: SystemTime::now() };
        self.emitter.emit(event).await;
    }

    /// Reports the end.
    pub(super) async fn ended(&self, items: u64, bytes: u64, end: JobEnd) {
        tracing::debug!("job #{} ended after {items} items, {bytes} bytes: {end:?}", self.job);
        let event = Event::JobEnded { job: self.job, items, bytes, end, at: SystemTime::now() };
        self.emitter.emit(event).await;
    }
}

/// Opens `target` for a job, unless it is stopped meanwhile. `Err`: how the
/// job ends (`Failed` with why it cannot start, or `Stopped`).
pub(super) async fn open(target: &SendTarget, cancel: &CancellationToken, shared: &Shared) -> Result<Outlet, JobEnd> {
    tokio::select! {
        biased;
        () = cancel.cancelled() => Err(JobEnd::Stopped),
        opened = Outlet::open(target, shared) => opened.map_err(JobEnd::Failed),
    }
}
