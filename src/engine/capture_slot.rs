//! The running capture's channel, shared by every emitter, and what of an
//! event goes into a capture. Apart from the capture's lifecycle
//! (`capturing`), so that emitting needs nothing from it.

use std::sync::{Arc, PoisonError, RwLock};

use tokio::sync::mpsc;

use super::{CloseReason, Event};
use crate::capture::{Entry, EntryKind, Transport};
use crate::ids::Direction;

/// The running capture's channel, if any; shared by every emitter.
#[derive(Clone, Default)]
pub(super) struct CaptureSlot {
    sender: Arc<RwLock<Option<mpsc::Sender<Entry>>>>,
}

impl CaptureSlot {
    /// A sender to the running capture, if one runs. Cloned under the read
    /// lock, so the caller awaits its send without holding the lock.
    pub(super) fn sender(&self) -> Option<mpsc::Sender<Entry>> {
        self.sender.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Puts `sender` in the slot; returns the one it held.
    pub(super) fn replace(&self, sender: Option<mpsc::Sender<Entry>>) -> Option<mpsc::Sender<Entry>> {
        let mut slot = self.sender.write().unwrap_or_else(PoisonError::into_inner);
        std::mem::replace(&mut *slot, sender)
    }
}

/// What of `event` goes to a capture, if anything: the bytes of `Sent` and
/// `Received`, and the opening and closing of connections and UDP sockets.
/// Nothing else (a half-close's `PeerFinished` carries no bytes and ends
/// nothing: the connection's `Closed` is its record).
/// `transport` is that of the task emitting it.
pub(super) fn entry(event: &Event, transport: Transport) -> Option<Entry> {
    let (at, conn, transport, direction, peer, kind) = match event {
        Event::Sent { conn, peer, data, at } => {
            (at, conn, transport, Direction::Tx, Some(*peer), EntryKind::Data(data.clone()))
        }
        Event::Received { conn, peer, data, at } => {
            (at, conn, transport, Direction::Rx, Some(*peer), EntryKind::Data(data.clone()))
        }
        Event::Connected { conn, local, peer, at } => {
            (at, conn, Transport::Tcp, Direction::Tx, Some(*peer), EntryKind::Opened { local: *local })
        }
        Event::Accepted { conn, local, peer, at, .. } => {
            (at, conn, Transport::Tcp, Direction::Rx, Some(*peer), EntryKind::Opened { local: *local })
        }
        Event::Closed { conn, peer, reason, at } => {
            let (direction, reason) = close_reason(reason);
            (at, conn, Transport::Tcp, direction, Some(*peer), EntryKind::Closed { reason })
        }
        Event::UdpBound { socket, local, at } => {
            (at, socket, Transport::Udp, Direction::Tx, None, EntryKind::Opened { local: *local })
        }
        Event::UdpClosed { socket, reason, at } => {
            let (direction, reason) = close_reason(reason);
            (at, socket, Transport::Udp, direction, None, EntryKind::Closed { reason })
        }
        Event::PeerFinished { .. } => return None,
        _ => return None,
    };
    Some(Entry { at: *at, conn: *conn, transport, direction, peer, kind })
}

/// Who ended it (TX: we did; RX: the peer or the network) and why, in words.
fn close_reason(reason: &CloseReason) -> (Direction, String) {
    match reason {
        CloseReason::PeerClosed => (Direction::Rx, "the peer closed it".to_owned()),
        CloseReason::Local => (Direction::Tx, "closed locally".to_owned()),
        CloseReason::Reset => (Direction::Rx, "reset by the peer".to_owned()),
        CloseReason::TimedOut => (Direction::Rx, "the peer stopped answering (timed out)".to_owned()),
        CloseReason::Error(error) => (Direction::Rx, error.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::SystemTime;

    #[test]
    fn a_half_close_is_not_a_record() {
        let event = Event::PeerFinished {
            conn: crate::ids::ConnId(1),
            peer: "127.0.0.1:1".parse().unwrap(),
            at: SystemTime::now(),
        };
        assert!(entry(&event, Transport::Tcp).is_none());
    }
}
