//! What goes through a TCP connection's send queue: the bytes, and who wants
//! to know about them (a job waiting for its write, an auto-reply rule to name).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use bytes::Bytes;
use tokio::sync::oneshot;

use super::{EngineError, MulticastInterface};

/// Told how a job's item went: `Ok` once it is written (its `Sent` emitted),
/// `Err` if it could not be sent (e.g. a UDP send error). Dropped unanswered
/// if the connection or socket ended first.
pub(super) type Ack = oneshot::Sender<Result<(), EngineError>>;

/// One payload queued on a TCP connection.
#[derive(Debug)]
pub(super) struct Outgoing {
    /// The bytes to write.
    pub data: Bytes,
    /// For a job's item: answered once written.
    pub ack: Option<Ack>,
    /// For an auto-reply: the rule's name, reported (`AutoReplied`) right
    /// before the connection starts writing it.
    pub rule: Option<Arc<str>>,
}

impl Outgoing {
    /// A payload the user sent.
    pub(super) fn user(data: Bytes) -> Self {
        Self { data, ack: None, rule: None }
    }

    /// Whether the user queued it (not a job, not an auto-reply): only those
    /// are reported one by one (`CommandFailed`) when they cannot be sent.
    /// A job learns it from its dropped [`Ack`]; an auto-reply not sent was never announced.
    pub(super) fn is_user(&self) -> bool {
        self.ack.is_none() && self.rule.is_none()
    }

    /// Tells the job, if any, that it was written.
    pub(super) fn written(self) {
        if let Some(ack) = self.ack {
            // The job may have ended (stopped) meanwhile: nobody to tell.
            let _ = ack.send(Ok(()));
        }
    }
}

/// What the UI asks of a UDP socket, in the order asked.
#[derive(Debug)]
pub(super) enum UdpCommand {
    /// Send one datagram to `host:port`.
    SendTo { host: String, port: u16, data: Bytes },
    /// Send one datagram to the first usable of `addrs` (what `host` resolved
    /// to): a job's item (with `ack`) or a delayed auto-reply (with `rule`).
    SendResolved { host: Arc<str>, addrs: Arc<[SocketAddr]>, data: Bytes, ack: Option<Ack>, rule: Option<Arc<str>> },
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
            UdpCommand::SendResolved { ack, rule, .. } => ack.is_none() && rule.is_none(),
            _ => true,
        }
    }
}
