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
//! job never fills a connection's queue with more than that.
//!
//! What a job reports as sent is what was written to the socket, counted
//! where it is written (a [`Tally`], beside each `Sent`): the figures TX
//! shows. When a job ends (stopped, failed) it withdraws its items still
//! queued, and an item being written is cut short there: nothing of it goes
//! out after its `JobEnded`, which says what was written and what was not.

pub(super) mod cyclic;
pub(super) mod file_send;
mod outlet;

use crate::ids::{ConnId, JobId};
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use tokio_util::sync::CancellationToken;

use super::emit::Emitter;
use super::outgoing::Tally;
use super::shared::Shared;
use super::{Event, JobEnd};
use outlet::{Outlet, Totals};

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

/// Reports a job's progress, at most every [`PROGRESS_EVERY`], and its end.
struct Progress<'a> {
    job: JobId,
    total_bytes: Option<u64>,
    emitter: &'a Emitter,
}

impl<'a> Progress<'a> {
    /// For job `job`, whose bytes reach `total_bytes` if it completes.
    fn new(job: JobId, total_bytes: Option<u64>, emitter: &'a Emitter) -> Self {
        Self { job, total_bytes, emitter }
    }

    /// Runs `work`, meanwhile reporting what `tally` counts every
    /// [`PROGRESS_EVERY`] when it has changed: so progress follows the bytes
    /// written (TX), also while the job waits for a connection that is not
    /// taking any more, not only when it queues an item.
    async fn during<T>(&self, tally: &Tally, work: impl Future<Output = T>) -> T {
        let mut work = std::pin::pin!(work);
        let mut every = tokio::time::interval_at(tokio::time::Instant::now() + PROGRESS_EVERY, PROGRESS_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last = (0, 0);
        loop {
            tokio::select! {
                biased;
                done = &mut work => return done,
                _ = every.tick() => {
                    let now = tally.get();
                    if now != last {
                        last = now;
                        let (job, total_bytes, (items, bytes)) = (self.job, self.total_bytes, now);
                        let event = Event::JobProgress { job, items, bytes, total_bytes, at: SystemTime::now() };
                        self.emitter.emit(event).await;
                    }
                }
            }
        }
    }

    /// Reports the end, with what was written and what was not.
    async fn ended(&self, totals: Totals, end: JobEnd) {
        let Totals { items, bytes, unsent } = totals;
        tracing::debug!("job #{} ended after {items} items, {bytes} bytes written ({unsent:?} not): {end:?}", self.job);
        let event = Event::JobEnded { job: self.job, items, bytes, unsent, end, at: SystemTime::now() };
        self.emitter.emit(event).await;
    }
}

/// Opens `target` for a job, unless it is stopped meanwhile. `Err`: how the
/// job ends (`Failed` with why it cannot start, or `Stopped`).
async fn open(target: &SendTarget, cancel: &CancellationToken, shared: &Shared) -> Result<Outlet, JobEnd> {
    tokio::select! {
        biased;
        () = cancel.cancelled() => Err(JobEnd::Stopped),
        opened = Outlet::open(target, shared) => opened.map_err(JobEnd::Failed),
    }
}
