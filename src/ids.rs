//! The words every layer shares, at the bottom of the house: which
//! connection, which job, which way. Nothing here depends on anything else in
//! the crate, so the pure layers (codec, view, capture, profile, files) can
//! name a connection without knowing the engine that made it.

use std::fmt;

/// Identifies one connection (or connection attempt), TCP listener or UDP
/// socket for its whole life. The engine hands them out when a command is
/// queued, or for a client a listener accepted; they are never reused within
/// one engine.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConnId(pub u64);

/// Identifies one job (a cyclic send or a file send) for its whole life.
/// Jobs are numbered from the same counter as connections, so a job's number
/// is never a connection's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobId(pub u64);

impl fmt::Display for ConnId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Which way data went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Sent by us.
    Tx,
    /// Received from the peer.
    Rx,
}

impl Direction {
    /// "TX" or "RX".
    pub fn label(self) -> &'static str {
        match self {
            Direction::Tx => "TX",
            Direction::Rx => "RX",
        }
    }
}

/// Which kind of endpoint netassist plays.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Protocol {
    /// Connect out to a TCP server.
    #[default]
    TcpClient,
    /// Listen for TCP clients.
    TcpServer,
    /// Send and receive UDP datagrams.
    Udp,
}

/// How the send box's text is turned into bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum SendMode {
    /// Encode the text in the session's charset.
    #[default]
    Text,
    /// Parse the text as hex bytes.
    Hex,
}
