//! What goes through a TCP connection's send queue: the bytes, and who wants
//! to know about them (a job waiting for its write, an auto-reply rule to name).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use bytes::Bytes;
use tokio::sync::oneshot;
use tokio_util::sync::CancellationToken;

use super::{EngineError, MulticastInterface};

/// Payloads (or chunks) queued for sending and never written, and their bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Unsent {
    /// How many (one cut short counts as one, for its unwritten rest).
    pub items: u64,
    /// Their bytes not written.
    pub bytes: u64,
}

impl Unsent {
    /// Counts one more, of `len` bytes.
    pub fn add(&mut self, len: usize) {
        self.items += 1;
        self.bytes += len as u64;
    }
}

impl std::ops::AddAssign for Unsent {
    fn add_assign(&mut self, other: Unsent) {
        self.items += other.items;
        self.bytes += other.bytes;
    }
}

/// Told how a job's item went: `Ok` once it is written (its `Sent` emitted),
/// `Err` if it could not be sent (e.g. a UDP send error). Dropped unanswered
/// if it was not written whole: the connection or socket ended first, or its
/// job withdrew it or stopped while it was being written.
pub(super) type Ack = oneshot::Sender<Result<(), EngineError>>;

/// The bytes of one job written to its connection(s) or socket, counted
/// where they are written, when their `Sent` is emitted: what TX counts.
#[derive(Debug, Default)]
pub(super) struct Tally {
    items: AtomicU64,
    bytes: AtomicU64,
}

impl Tally {
    /// An item written whole.
    pub(super) fn whole(&self, len: usize) {
        self.items.fetch_add(1, Ordering::AcqRel);
        self.bytes.fetch_add(len as u64, Ordering::AcqRel);
    }

    /// The first `len` bytes of an item cut short (by its job's stop or the close).
    pub(super) fn part(&self, len: usize) {
        self.bytes.fetch_add(len as u64, Ordering::AcqRel);
    }

    /// (items written whole, bytes written).
    pub(super) fn get(&self) -> (u64, u64) {
        (self.items.load(Ordering::Acquire), self.bytes.load(Ordering::Acquire))
    }
}

/// What a job's item carries besides its bytes.
#[derive(Debug)]
pub(super) struct JobItem {
    /// Answered once the item is written whole.
    pub ack: Ack,
    /// Set by whichever takes the item first: its connection (or socket), to
    /// send it, or its job, to withdraw it when it ends. So the job knows,
    /// without waiting, which items will never be written.
    pub taken: Arc<AtomicBool>,
    /// Where the bytes written are counted.
    pub tally: Arc<Tally>,
    /// Fires when the job ends: an item being written is cut short there.
    pub stop: CancellationToken,
}

impl JobItem {
    /// Takes the item to send it: `false` if its job has withdrawn it or
    /// ended (then it is dropped unsent, and the job knows it).
    pub(super) fn take(&self) -> bool {
        !self.taken.swap(true, Ordering::AcqRel) && !self.stop.is_cancelled()
    }

    /// It was written whole: counts it and tells the job.
    pub(super) fn written(self, len: usize) {
        self.tally.whole(len);
        // The job may have ended (stopped) meanwhile: nobody to tell.
        let _ = self.ack.send(Ok(()));
    }
}

/// One payload queued on a TCP connection.
#[derive(Debug)]
pub(super) struct Outgoing {
    /// The bytes to write.
    pub data: Bytes,
    /// For a job's item: counted and answered once written.
    pub job: Option<JobItem>,
    /// For an auto-reply: the rule's name, reported (`AutoReplied`) right
    /// before the connection starts writing it.
    pub rule: Option<Arc<str>>,
}

impl Outgoing {
    /// A payload the user sent.
    pub(super) fn user(data: Bytes) -> Self {
        Self { data, job: None, rule: None }
    }

    /// Whether the user queued it (not a job, not an auto-reply): only those
    /// are reported one by one (`CommandFailed`) when they cannot be sent.
    /// A job learns it from its dropped [`Ack`]; an auto-reply not sent was never announced.
    pub(super) fn is_user(&self) -> bool {
        self.job.is_none() && self.rule.is_none()
    }

    /// Takes it from the queue to write it: `false` for a job's item its job
    /// has withdrawn (see [`JobItem::take`]).
    pub(super) fn take(&self) -> bool {
        self.job.as_ref().is_none_or(JobItem::take)
    }

    /// Its job's stop, if it is a job's item.
    pub(super) fn stop(&self) -> Option<&CancellationToken> {
        self.job.as_ref().map(|job| &job.stop)
    }

    /// Tells the job, if any, that it was written whole.
    pub(super) fn written(self) {
        if let Some(job) = self.job {
            job.written(self.data.len());
        }
    }

    /// Counts the first `written` bytes of a job's item cut short (its ack is dropped with it).
    pub(super) fn cut(&self, written: usize) {
        if let Some(job) = &self.job {
            job.tally.part(written);
        }
    }
}

/// What the UI asks of a UDP socket, in the order asked.
#[derive(Debug)]
pub(super) enum UdpCommand {
    /// Send one datagram to `host:port`.
    SendTo { host: String, port: u16, data: Bytes },
    /// Send one datagram to the first usable of `addrs` (what `host` resolved
    /// to): a job's item (with `job`) or a delayed auto-reply (with `rule`).
    SendResolved { host: Arc<str>, addrs: Arc<[SocketAddr]>, data: Bytes, job: Option<JobItem>, rule: Option<Arc<str>> },
    /// Join a multicast group.
    Join { group: IpAddr, interface: MulticastInterface },
    /// Leave a multicast group.
    Leave { group: IpAddr, interface: MulticastInterface },
}

impl UdpCommand {
    /// Whether the user queued it: only those are reported one by one
    /// (`CommandFailed`) when the socket closes before carrying them out.
    pub(super) fn is_user(&self) -> bool {
        match self {
            UdpCommand::SendResolved { job, rule, .. } => job.is_none() && rule.is_none(),
            _ => true,
        }
    }
}
