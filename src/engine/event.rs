//! Events the engine reports to the UI.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::SystemTime;

use bytes::Bytes;

use super::{CaptureFailure, EngineError, IcmpReport, JobError, MulticastInterface, Unsent};
use crate::ids::{ConnId, JobId};

/// How a job ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobEnd {
    /// Every item was sent: all of them queued and written (for UDP: sent).
    Completed,
    /// Stopped by [`super::EngineHandle::stop_job`] (or the engine shutting down).
    Stopped,
    /// The connection or UDP socket it sent to closed (for several
    /// connections: the last of them). Items it had queued but not written are not sent.
    TargetClosed,
    /// It could not start or carry on, for the reason given (e.g. the file
    /// cannot be opened; a host not found; an invalid datagram size; a
    /// datagram that could not be sent).
    Failed(JobError),
}

/// Why a connection, listener or UDP socket ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CloseReason {
    /// The peer closed the connection (we read end-of-stream).
    PeerClosed,
    /// We closed it (Disconnect/stop/close, its listener stopping, or the engine shutting down).
    Local,
    /// The peer reset the connection (RST).
    Reset,
    /// The peer stopped answering: keepalive probes (or retransmissions)
    /// went unanswered and the OS gave the connection up (ETIMEDOUT).
    TimedOut,
    /// Another I/O error ended it.
    Error(EngineError),
}

/// Something that happened in the engine, in the order it happened.
///
/// For one connection the order is: `Connecting`, then either
/// `ConnectFailed` or `Connected`, then `Sent`/`Received` in the order the
/// writes completed and the reads returned (with half-close on, at most one
/// `PeerFinished` among them, after the last `Received`), then exactly one `Closed`.
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
    /// Bytes were written to the socket: one payload in full (for UDP: one
    /// datagram sent); or, when a TCP connection ended while a payload was
    /// partly written, the part that was written, followed by a
    /// `CommandFailed` (`NotConnected`) for the rest.
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
    /// Bytes were read from the socket (one read; no byte is dropped or
    /// merged across events). For UDP: exactly one whole datagram.
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
    /// Data sent or received whose bytes were left out of the queue because
    /// the UI was behind (the queue's byte budget was spent, and the engine
    /// was started with [`crate::engine::EngineConfig::elide_when_behind`]):
    /// the UI counts it without showing it, and the connection goes on at
    /// the network's speed. A running capture has the bytes (it is written
    /// before the queue). In place of a `Sent` (`outgoing`) or a `Received`.
    Elided {
        /// The connection (or UDP socket).
        conn: ConnId,
        /// The peer they went to or came from.
        peer: SocketAddr,
        /// True in place of a `Sent`, false of a `Received`.
        outgoing: bool,
        /// How many bytes.
        len: usize,
        /// When the write or read completed.
        at: SystemTime,
    },
    /// The peer finished sending (FIN) on a connection with half-close on
    /// (see [`super::TcpConnect::half_close`]): nothing more is read from it,
    /// but the connection stays open for sending until it is disconnected,
    /// a write fails or the peer resets it (then `Closed`).
    PeerFinished {
        /// The connection.
        conn: ConnId,
        /// The peer that finished sending.
        peer: SocketAddr,
        /// When its end-of-stream was read.
        at: SystemTime,
    },
    /// The connection ended with payloads still queued (sends, a job's
    /// chunks, auto-replies): they were discarded, never written. Right
    /// before its `Closed`, only when there were some. A job's items it had
    /// withdrawn itself are not among them (its `JobEnded` counts those).
    Discarded {
        /// The connection.
        conn: ConnId,
        /// The peer they were for.
        peer: SocketAddr,
        /// What was discarded.
        unsent: Unsent,
        /// When.
        at: SystemTime,
    },
    /// The connection (client or accepted) ended; nothing more comes for `conn`.
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
    /// A TCP listener is accepting clients.
    Listening {
        /// The listener.
        listener: ConnId,
        /// The address it listens on (with the actual port if 0 was asked).
        local: SocketAddr,
        /// When.
        at: SystemTime,
    },
    /// A TCP listener could not start; no `ListenerClosed` follows.
    ListenFailed {
        /// The listener.
        listener: ConnId,
        /// Why (e.g. `AddrInUse`, `PermissionDenied`, `NotLocalAddress`).
        error: EngineError,
        /// When.
        at: SystemTime,
    },
    /// A listener accepted a client; the client's events carry `conn`.
    Accepted {
        /// The listener that accepted it.
        listener: ConnId,
        /// The new client's id (use it with `send`, `disconnect`).
        conn: ConnId,
        /// Our end of the connection.
        local: SocketAddr,
        /// The client's address.
        peer: SocketAddr,
        /// When.
        at: SystemTime,
    },
    /// A client connected while the listener had `limit` clients already;
    /// it was accepted and closed at once. The listener keeps running.
    ClientRefused {
        /// The listener.
        listener: ConnId,
        /// The client refused.
        peer: SocketAddr,
        /// The listener's client limit.
        limit: usize,
        /// When.
        at: SystemTime,
    },
    /// A listener stopped, after all its clients were closed; nothing more comes for it.
    ListenerClosed {
        /// The listener.
        listener: ConnId,
        /// Why.
        reason: CloseReason,
        /// When.
        at: SystemTime,
    },
    /// A UDP socket is bound and receiving.
    UdpBound {
        /// The socket.
        socket: ConnId,
        /// Its local address (with the actual port if 0 was asked).
        local: SocketAddr,
        /// When.
        at: SystemTime,
    },
    /// A UDP socket could not be bound (or configured); no `UdpClosed` follows.
    UdpBindFailed {
        /// The socket.
        socket: ConnId,
        /// Why.
        error: EngineError,
        /// When.
        at: SystemTime,
    },
    /// A UDP socket joined a multicast group.
    MulticastJoined {
        /// The socket.
        socket: ConnId,
        /// The group.
        group: IpAddr,
        /// The interface it was joined on.
        interface: MulticastInterface,
        /// When.
        at: SystemTime,
    },
    /// A UDP socket left a multicast group.
    MulticastLeft {
        /// The socket.
        socket: ConnId,
        /// The group.
        group: IpAddr,
        /// The interface it was left on.
        interface: MulticastInterface,
        /// When.
        at: SystemTime,
    },
    /// An ICMP error came back for a datagram a UDP socket sent (e.g. "port
    /// unreachable": nothing listens there). Only a report: the socket stays
    /// open, sending and receiving. On Linux, where the engine reads the
    /// socket's error queue; elsewhere such errors show as a `CommandFailed`
    /// when the system reports them on a later receive.
    IcmpReport {
        /// The socket that sent the datagram.
        socket: ConnId,
        /// What came back, about which destination.
        report: IcmpReport,
        /// When it was read.
        at: SystemTime,
    },
    /// A UDP socket was closed; nothing more comes for it.
    UdpClosed {
        /// The socket.
        socket: ConnId,
        /// Why.
        reason: CloseReason,
        /// When.
        at: SystemTime,
    },
    /// How far a job has got: what of it is written to the socket(s), as
    /// TX counts it, at most about ten times a second while that changes.
    JobProgress {
        /// The job.
        job: JobId,
        /// Items written whole so far: payloads (cyclic send) or chunks (file
        /// send), on each connection (two clients: two per item).
        items: u64,
        /// The bytes written so far, on all its connections (a chunk cut short counts in part).
        bytes: u64,
        /// For a file send: the file's size times its connections, what `bytes` reaches at the end.
        total_bytes: Option<u64>,
        /// When.
        at: SystemTime,
    },
    /// A job ended; nothing more comes for it.
    JobEnded {
        /// The job.
        job: JobId,
        /// Items written whole, as in `JobProgress`.
        items: u64,
        /// The bytes written, as in `JobProgress`: on one connection, exactly
        /// what went to the peer (unless the connection broke).
        bytes: u64,
        /// What it had queued that was never written: withdrawn when it
        /// stopped (or failed), discarded when its connection closed.
        unsent: Unsent,
        /// How it ended.
        end: JobEnd,
        /// When.
        at: SystemTime,
    },
    /// An auto-reply rule fired: reported right before the connection (or
    /// UDP socket) starts writing the reply, so the next `Sent` of `conn` is
    /// that reply (or, if the connection breaks meanwhile, none is).
    AutoReplied {
        /// The connection or UDP socket that replies.
        conn: ConnId,
        /// Who the reply goes to (for UDP: the sender of the datagram that matched).
        peer: SocketAddr,
        /// The rule's name.
        rule: String,
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
    /// A capture started: from now on every byte sent and received (and each
    /// connection's opening and closing) is written to `path`.
    CaptureStarted {
        /// The capture file.
        path: PathBuf,
        /// When.
        at: SystemTime,
    },
    /// A capture stopped (asked to, or because another one started, or the
    /// engine is stopping) and its file is complete.
    CaptureStopped {
        /// The capture file.
        path: PathBuf,
        /// Records written.
        records: u64,
        /// The file's size in bytes.
        bytes: u64,
        /// When.
        at: SystemTime,
    },
    /// A capture could not start (e.g. the file exists or cannot be created)
    /// or stopped on a write error (e.g. the disk is full). The connections
    /// are not affected; nothing more is captured.
    CaptureFailed {
        /// The capture file.
        path: PathBuf,
        /// What went wrong.
        error: CaptureFailure,
        /// When.
        at: SystemTime,
    },
}

impl Event {
    /// The id this event is about, if any (none for job events, see
    /// [`Event::job`]): the connection's, the
    /// listener's (for listener events) or the UDP socket's. For `Accepted`
    /// it is the new client's id, so a client's events start with it; its
    /// listener is [`Event::listener`].
    pub fn conn(&self) -> Option<ConnId> {
        match self {
            Event::Connecting { conn, .. }
            | Event::Connected { conn, .. }
            | Event::ConnectFailed { conn, .. }
            | Event::Sent { conn, .. }
            | Event::Received { conn, .. }
            | Event::Elided { conn, .. }
            | Event::PeerFinished { conn, .. }
            | Event::Discarded { conn, .. }
            | Event::Closed { conn, .. }
            | Event::Accepted { conn, .. }
            | Event::AutoReplied { conn, .. } => Some(*conn),
            Event::Listening { listener, .. }
            | Event::ListenFailed { listener, .. }
            | Event::ClientRefused { listener, .. }
            | Event::ListenerClosed { listener, .. } => Some(*listener),
            Event::UdpBound { socket, .. }
            | Event::UdpBindFailed { socket, .. }
            | Event::MulticastJoined { socket, .. }
            | Event::MulticastLeft { socket, .. }
            | Event::IcmpReport { socket, .. }
            | Event::UdpClosed { socket, .. } => Some(*socket),
            Event::CommandFailed { conn, .. } => *conn,
            Event::CaptureStarted { .. }
            | Event::CaptureStopped { .. }
            | Event::CaptureFailed { .. }
            | Event::JobProgress { .. }
            | Event::JobEnded { .. } => None,
        }
    }

    /// The job this event is about, if it is a job event (`JobProgress`, `JobEnded`).
    /// Job events have no [`Event::conn`].
    pub fn job(&self) -> Option<JobId> {
        match self {
            Event::JobProgress { job, .. } | Event::JobEnded { job, .. } => Some(*job),
            _ => None,
        }
    }

    /// The TCP listener this event is about, if it is a listener event
    /// (`Listening`, `ListenFailed`, `Accepted`, `ClientRefused`, `ListenerClosed`).
    pub fn listener(&self) -> Option<ConnId> {
        match self {
            Event::Listening { listener, .. }
            | Event::ListenFailed { listener, .. }
            | Event::Accepted { listener, .. }
            | Event::ClientRefused { listener, .. }
            | Event::ListenerClosed { listener, .. } => Some(*listener),
            _ => None,
        }
    }

    /// Whether this is the last event of its id: `ConnectFailed`, `Closed`,
    /// `ListenFailed`, `ListenerClosed`, `UdpBindFailed` or `UdpClosed`.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            Event::ConnectFailed { .. }
                | Event::Closed { .. }
                | Event::ListenFailed { .. }
                | Event::ListenerClosed { .. }
                | Event::UdpBindFailed { .. }
                | Event::UdpClosed { .. }
        )
    }
}
