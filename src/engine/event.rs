//! Events the engine reports to the UI.

use std::net::SocketAddr;
use std::time::SystemTime;

use bytes::Bytes;

use super::EngineError;

/// Identifies one connection (or connection attempt) for its whole life.
/// Allocated by [`super::EngineHandle`] when the command is queued.
pub type ConnId = u64;

/// Why a connection ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CloseReason {
    /// The peer closed the connection (we read end-of-stream).
    PeerClosed,
    /// We closed it (Disconnect, or the engine shutting down).
    Local,
    /// The peer reset the connection (RST).
    Reset,
    /// Another I/O error ended it.
    Error(EngineError),
}

/// Something that happened in the engine, in the order it happened.
///
/// For one connection the order is: `Connecting`, then either
/// `ConnectFailed` or `Connected`, then `Sent`/`Received` in the order the
/// writes completed and the reads returned, then exactly one `Closed`.
#[derive(Clone, Debug)]
pub enum Event {
    /// A TCP connect started.
    Connecting {
        /// The connection.
        conn: ConnId,
        /// What is being connected to, as `host:port`.
        target: String,
        /// When.
        at: SystemTime,
    },
    /// The TCP connection is established.
    Connected {
        /// The connection.
        conn: ConnId,
        /// Our local address.
        local: SocketAddr,
        /// The peer's address.
        peer: SocketAddr,
        /// When.
        at: SystemTime,
    },
    /// Connecting failed; no `Closed` follows.
    ConnectFailed {
        /// The connection attempt.
        conn: ConnId,
        /// Why.
        error: EngineError,
        /// When.
        at: SystemTime,
    },
    /// Bytes were written to the socket in full.
    Sent {
        /// The connection.
        conn: ConnId,
        /// The peer they went to.
        peer: SocketAddr,
        /// Exactly the bytes written.
        data: Bytes,
        /// When the write completed.
        at: SystemTime,
    },
    /// Bytes were read from the socket (one read; no byte is dropped or merged across events).
    Received {
        /// The connection.
        conn: ConnId,
        /// The peer they came from.
        peer: SocketAddr,
        /// Exactly the bytes read.
        data: Bytes,
        /// When the read returned.
        at: SystemTime,
    },
    /// The connection ended; nothing more comes for `conn`.
    Closed {
        /// The connection.
        conn: ConnId,
        /// The peer it was connected to.
        peer: SocketAddr,
        /// Why.
        reason: CloseReason,
        /// When.
        at: SystemTime,
    },
    /// A command could not be carried out (e.g. Send to a connection that is gone).
    CommandFailed {
        /// The connection the command named, if any.
        conn: Option<ConnId>,
        /// Why.
        error: EngineError,
        /// When.
        at: SystemTime,
    },
}

impl Event {
    /// The connection this event is about, if any.
    pub fn conn(&self) -> Option<ConnId> {
        match self {
            Event::Connecting { conn, .. }
            | Event::Connected { conn, .. }
            | Event::ConnectFailed { conn, .. }
            | Event::Sent { conn, .. }
            | Event::Received { conn, .. }
            | Event::Closed { conn, .. } => Some(*conn),
            Event::CommandFailed { conn, .. } => *conn,
        }
    }
}
