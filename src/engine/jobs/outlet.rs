//! Where a job's items go: its [`Outlet`], one or several connections (or
//! a UDP socket), with what it handed over, and what of that was written.

use crate::ids::ConnId;
use std::collections::VecDeque;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::Poll;

use bytes::Bytes;
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;

use super::{MAX_IN_FLIGHT, MAX_IN_FLIGHT_BYTES, SendTarget};
use crate::engine::outgoing::{JobItem, Outgoing, Tally, UdpCommand};
use crate::engine::registry::{self, Route};
use crate::engine::resolve::resolve;
use crate::engine::shared::Shared;
use crate::engine::{EngineError, JobEnd, JobError, Unsent};

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
    async fn send(&self, data: Bytes, job: JobItem) -> Result<(), ()> {
        match self {
            Sink::Stream { sends, .. } => {
                let out = Outgoing { data, job: Some(job), rule: None };
                sends.send(out).await.map_err(drop)
            }
            Sink::Udp { commands, host, addrs, .. } => {
                let command = UdpCommand::SendResolved {
                    host: Arc::clone(host),
                    addrs: Arc::clone(addrs),
                    data,
                    job: Some(job),
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
    /// Shared with the item: see [`JobItem::taken`].
    taken: Arc<AtomicBool>,
}

/// The connection(s) or socket a job sends to, with its counts.
pub(super) struct Outlet {
    sinks: Vec<Sink>,
    in_flight: VecDeque<InFlight>,
    in_flight_bytes: usize,
    /// Items handed to at least one sink.
    pub items: u64,
    /// Items and bytes handed to the sinks, once per sink.
    handed: Unsent,
    /// What of them is written, counted where it is written.
    tally: Arc<Tally>,
    /// Fired when the job ends: cuts short its item being written.
    stop: CancellationToken,
}

/// What a job ended with: what was written, and what was not.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Totals {
    /// Items written whole.
    pub items: u64,
    /// Bytes written.
    pub bytes: u64,
    /// Handed over and not written.
    pub unsent: Unsent,
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
        Ok(Outlet {
            sinks,
            in_flight: VecDeque::new(),
            in_flight_bytes: 0,
            items: 0,
            handed: Unsent::default(),
            tally: Arc::default(),
            stop: CancellationToken::new(),
        })
    }

    /// How many connections (or sockets) it sends to now.
    pub(super) fn width(&self) -> usize {
        self.sinks.len()
    }

    /// Where what is written is counted.
    pub(super) fn tally(&self) -> Arc<Tally> {
        Arc::clone(&self.tally)
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
            let claim = Arc::new(AtomicBool::new(false));
            let job = JobItem { ack, taken: Arc::clone(&claim), tally: self.tally(), stop: self.stop.clone() };
            tokio::select! {
                biased;
                () = cancel.cancelled() => {
                    self.items += u64::from(taken);
                    return Err(JobEnd::Stopped);
                }
                queued = sink.send(data.clone(), job) => match queued {
                    Ok(()) => {
                        taken = true;
                        let len = data.len();
                        self.in_flight.push_back(InFlight { sink: sink.id(), len, ack: answer, taken: claim });
                        self.in_flight_bytes += len;
                        self.handed.add(len);
                    }
                    Err(()) => gone.push(sink.id()),
                },
            }
        }
        self.items += u64::from(taken);
        for id in gone {
            self.remove(id)?;
        }
        Ok(())
    }

    /// Ends the job's sending: withdraws its items still queued (unless
    /// `withdraw` is off: every target has closed and discards them itself),
    /// cuts short those being written, and waits for their connections to
    /// say so (at once: none waits for the peer). Returns what was written
    /// and what was not, final: nothing of the job is written after this.
    pub(super) async fn finish(&mut self, withdraw: bool) -> Totals {
        self.stop.cancel();
        while let Some(item) = self.in_flight.pop_front() {
            if withdraw && !item.taken.swap(true, Ordering::AcqRel) {
                // Still queued, and now never to be written.
                continue;
            }
            // Written, or being cut short, or dropped with its connection: answered soon.
            let _ = item.ack.await;
        }
        self.in_flight_bytes = 0;
        let (items, bytes) = self.tally.get();
        let unsent =
            Unsent { items: self.handed.items.saturating_sub(items), bytes: self.handed.bytes.saturating_sub(bytes) };
        Totals { items, bytes, unsent }
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
