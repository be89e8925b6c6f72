//! Errors the engine reports, each worded for the person at the screen.

use std::net::SocketAddr;
use std::time::Duration;

/// A network failure, classified so the UI can say what happened in plain words.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// Name resolution failed or returned no address.
    #[error("host not found: {host} ({detail})")]
    HostNotFound {
        /// The host as typed.
        host: String,
        /// The resolver's message.
        detail: String,
    },
    /// The peer actively refused (nothing listening there).
    #[error("connection refused by {addr}: is the server running and listening on that port?")]
    Refused {
        /// The address tried last.
        addr: SocketAddr,
    },
    /// Connecting took longer than the configured timeout.
    #[error("connect to {target} timed out after {after:?}")]
    TimedOut {
        /// `host:port` as typed.
        target: String,
        /// The timeout that expired.
        after: Duration,
    },
    /// The local address/port to bind is already in use.
    #[error("local address {addr} is already in use")]
    AddrInUse {
        /// The address we tried to bind.
        addr: SocketAddr,
    },
    /// The OS refused a bind or connect (e.g. a privileged port).
    #[error("permission denied for {what}")]
    PermissionDenied {
        /// What was being done, e.g. "binding 0.0.0.0:80".
        what: String,
    },
    /// The connection was reset by the peer.
    #[error("connection reset by peer {addr}")]
    Reset {
        /// The peer.
        addr: SocketAddr,
    },
    /// A command named a connection that is not open.
    #[error("not connected: connection #{conn} is not open")]
    NotConnected {
        /// The connection named.
        conn: u64,
    },
    /// A connection's send queue is full; the data was not queued.
    #[error("send queue of connection #{conn} is full; data not sent")]
    SendQueueFull {
        /// The connection.
        conn: u64,
    },
    /// Any other I/O error, with what we were doing.
    #[error("{context}: {message}")]
    Io {
        /// What we were doing, e.g. "reading from 127.0.0.1:8000".
        context: String,
        /// The OS error's kind.
        kind: std::io::ErrorKind,
        /// The OS error's message.
        message: String,
    },
}

/// Why a command could not even be queued to the engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    /// The engine's command queue is full (it is busy); try again.
    #[error("the network engine is busy (command queue full); try again")]
    QueueFull,
    /// The engine thread has stopped.
    #[error("the network engine has stopped")]
    Stopped,
}

/// Why a host/port text typed by the user is not usable.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AddrError {
    /// The port field is empty.
    #[error("port is empty: enter a number from 1 to 65535")]
    EmptyPort,
    /// The port is not a number in range.
    #[error("port '{0}' is not valid: enter a number from 1 to 65535")]
    BadPort(String),
    /// The host field is empty.
    #[error("host is empty: enter an IP address or a host name")]
    EmptyHost,
    /// The host is not a plausible host name or IP literal.
    #[error("host '{0}' is not a valid IP address or host name")]
    BadHost(String),
}
