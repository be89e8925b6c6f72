//! One session's state: the link, the counters and the receive view, all
//! changed only by [`Session::apply`] from engine events.

use crate::ids::{ConnId, Direction, JobId};
use std::collections::{BTreeMap, BTreeSet};
use std::net::{IpAddr, SocketAddr};
use std::time::SystemTime;

use bytes::Bytes;

use crate::engine::{CaptureFailure, CloseReason, EngineError, Event, JobEnd};
use crate::view::{NoteLevel, ReceiveView};

use super::message::Message;

/// Where the connection stands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum LinkState {
    /// Not connected.
    #[default]
    Idle,
    /// A connect is under way.
    Connecting {
        /// The attempt.
        conn: ConnId,
        /// `host:port` being connected to.
        target: String,
    },
    /// Connected.
    Connected {
        /// The connection.
        conn: ConnId,
        /// Our address.
        local: SocketAddr,
        /// The peer's address.
        peer: SocketAddr,
    },
    /// A listener or UDP socket is being opened.
    Starting {
        /// The listener or socket.
        conn: ConnId,
        /// The protocol of what is being opened (server or UDP), for the status bar.
        protocol: super::settings::Protocol,
        /// The address it is being opened on.
        bind: std::net::SocketAddr,
    },
    /// The TCP server is listening.
    Listening {
        /// The listener.
        conn: ConnId,
        /// The address it is bound to.
        local: SocketAddr,
    },
    /// The UDP socket is bound.
    UdpOpen {
        /// The socket.
        conn: ConnId,
        /// The address it is bound to.
        local: SocketAddr,
    },
}

impl LinkState {
    /// The connection (or attempt) this state is about.
    pub fn conn(&self) -> Option<ConnId> {
        match self {
            LinkState::Idle => None,
            LinkState::Connecting { conn, .. }
            | LinkState::Connected { conn, .. }
            | LinkState::Starting { conn, .. }
            | LinkState::Listening { conn, .. }
            | LinkState::UdpOpen { conn, .. } => Some(*conn),
        }
    }
}

/// What a job does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobKind {
    /// The same payload again and again.
    Cyclic,
    /// A file in chunks.
    File,
}

/// A cyclic or file send, as the engine last reported it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobInfo {
    /// Cyclic or file.
    pub kind: JobKind,
    /// When it was started.
    pub started: SystemTime,
    /// Payloads or chunks sent.
    pub items: u64,
    /// Their bytes.
    pub bytes: u64,
    /// A file's size.
    pub total_bytes: Option<u64>,
    /// How it ended, once it has.
    pub ended: Option<JobEnd>,
}

impl JobInfo {
    /// A job just started.
    pub fn new(kind: JobKind, started: SystemTime) -> Self {
        Self { kind, started, items: 0, bytes: 0, total_bytes: None, ended: None }
    }
}

/// Where the lossless capture stands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum CaptureState {
    /// None has run yet.
    #[default]
    Off,
    /// Writing to this file.
    Running {
        /// The capture file.
        path: std::path::PathBuf,
    },
    /// Finished; the file is complete.
    Stopped {
        /// The capture file.
        path: std::path::PathBuf,
        /// Records written.
        records: u64,
        /// Its size in bytes.
        bytes: u64,
    },
    /// Could not start, or stopped on a write error.
    Failed {
        /// The capture file.
        path: std::path::PathBuf,
        /// Why.
        error: CaptureFailure,
    },
}

/// Bytes and packets each way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    /// Bytes received.
    pub rx_bytes: u64,
    /// Reads that returned data.
    pub rx_packets: u64,
    /// Bytes sent.
    pub tx_bytes: u64,
    /// Sends completed.
    pub tx_packets: u64,
}

/// A client connected to our TCP server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientInfo {
    /// The client's address.
    pub peer: SocketAddr,
    /// When it connected.
    pub since: SystemTime,
    /// Bytes received from it.
    pub rx_bytes: u64,
    /// Bytes sent to it.
    pub tx_bytes: u64,
    /// Whether it is selected as a send target.
    pub selected: bool,
}

/// The state of one session, driven by engine events.
pub struct Session {
    /// The link.
    pub state: LinkState,
    /// Traffic counters (never reset by the view dropping records).
    pub counters: Counters,
    /// The most recent error of the link, for the status bar.
    pub last_error: Option<Message>,
    /// What the receive view shows.
    pub view: ReceiveView,
    /// TCP server: the clients connected now, by connection.
    pub clients: BTreeMap<ConnId, ClientInfo>,
    /// UDP: who sent the last datagram.
    pub last_sender: Option<SocketAddr>,
    /// UDP: multicast groups joined.
    pub groups: Vec<IpAddr>,
    /// Cyclic and file sends, started this session, by job.
    pub jobs: BTreeMap<JobId, JobInfo>,
    /// The lossless capture, as the engine last reported it.
    pub capture: CaptureState,
    /// UDP sockets opened in this session (their data are datagrams).
    udp_sockets: BTreeSet<ConnId>,
    /// Rates, client counts and round trips over time (bounded rings).
    pub stats: super::stats::Stats,
}

impl Session {
    /// A new idle session around `view`.
    pub fn new(view: ReceiveView) -> Self {
        Self {
            state: LinkState::Idle,
            counters: Counters::default(),
            last_error: None,
            view,
            clients: BTreeMap::new(),
            last_sender: None,
            groups: Vec::new(),
            udp_sockets: BTreeSet::new(),
            capture: CaptureState::Off,
            jobs: BTreeMap::new(),
            stats: super::stats::Stats::default(),
        }
    }

    /// Records an error raised by the UI itself (bad input and the like): in the view and the status bar.
    pub fn report_error(&mut self, message: Message) {
        self.push(SystemTime::now(), NoteLevel::Error, message);
    }

    fn is_current(&self, conn: ConnId) -> bool {
        self.state.conn() == Some(conn)
    }

    /// Applies one engine event, but lets the view pass over its data
    /// without showing it (counted, and noted as a gap): what a frame does
    /// with the data it has no time left to decode in a flood.
    pub fn apply_elided(&mut self, event: Event) {
        match event {
            Event::Sent { conn, peer, data, at } => self.data(conn, Direction::Tx, peer, at, data, false),
            Event::Received { conn, peer, data, at } => self.data(conn, Direction::Rx, peer, at, data, false),
            other => self.apply(other),
        }
    }

    /// Counts data sent or received and shows it (`show`) or lets it pass.
    fn data(&mut self, conn: ConnId, dir: Direction, peer: SocketAddr, at: SystemTime, data: Bytes, show: bool) {
        if !show {
            return self.pass(conn, dir, peer, at, data.len());
        }
        self.count(conn, dir, peer, at, data.len() as u64);
        if self.udp_sockets.contains(&conn) {
            self.view.push_datagram(conn, dir, peer, at, data);
        } else {
            self.view.push_data(conn, dir, peer, at, data);
        }
    }

    /// Counts `len` bytes sent or received that the view elides (counts, does not show).
    fn pass(&mut self, conn: ConnId, dir: Direction, peer: SocketAddr, at: SystemTime, len: usize) {
        self.count(conn, dir, peer, at, len as u64);
        let datagram = self.udp_sockets.contains(&conn);
        self.view.elide(conn, dir, peer, at, len, datagram);
    }

    /// Counts `len` bytes sent or received (one write, read or datagram).
    fn count(&mut self, conn: ConnId, dir: Direction, peer: SocketAddr, at: SystemTime, len: u64) {
        let client = self.clients.get_mut(&conn);
        self.stats.count(conn, dir, peer, at, len, client.is_some());
        match dir {
            Direction::Tx => {
                self.counters.tx_bytes += len;
                self.counters.tx_packets += 1;
                if let Some(client) = client {
                    client.tx_bytes += len;
                }
            }
            Direction::Rx => {
                self.counters.rx_bytes += len;
                self.counters.rx_packets += 1;
                if let Some(client) = client {
                    client.rx_bytes += len;
                }
                if self.udp_sockets.contains(&conn) {
                    self.last_sender = Some(peer);
                }
            }
        }
    }

    /// Applies one engine event.
    pub fn apply(&mut self, event: Event) {
        match event {
            Event::Connecting { conn, target, at } => {
                self.note(at, Message::Connecting { target: target.clone() });
                if self.is_current(conn) {
                    self.state = LinkState::Connecting { conn, target };
                }
            }
            Event::Connected { conn, local, peer, at } => {
                self.note(at, Message::Connected { peer, local });
                if self.is_current(conn) {
                    self.state = LinkState::Connected { conn, local, peer };
                    self.last_error = None;
                }
            }
            Event::ConnectFailed { conn, error: EngineError::Io { kind: std::io::ErrorKind::Interrupted, .. }, at } => {
                // The user cancelled: not an error.
                self.note(at, Message::ConnectCancelled);
                if self.is_current(conn) {
                    self.state = LinkState::Idle;
                }
            }
            Event::ConnectFailed { conn, error, at } => self.failed(conn, at, Message::ConnectFailed(error)),
            Event::Sent { conn, peer, data, at } => self.data(conn, Direction::Tx, peer, at, data, true),
            Event::Received { conn, peer, data, at } => self.data(conn, Direction::Rx, peer, at, data, true),
            Event::Elided { conn, peer, outgoing, len, at } => {
                self.pass(conn, if outgoing { Direction::Tx } else { Direction::Rx }, peer, at, len);
            }
            Event::PeerFinished { conn, peer, at } => {
                let client = self.clients.contains_key(&conn);
                self.note(at, Message::PeerFinished { peer, client });
            }
            // Data lost unsent is worth the status bar's attention, not only the view's.
            Event::Discarded { peer, unsent, at, .. } => {
                self.push(at, NoteLevel::Error, Message::Discarded { peer, unsent });
            }
            Event::Closed { conn, peer, reason, at } => {
                self.view.end_stream(conn, at);
                let client = self.clients.remove(&conn).is_some();
                self.stats.closed(conn);
                self.stats.clients_now(at, self.clients.len());
                let level = match reason {
                    CloseReason::PeerClosed | CloseReason::Local => NoteLevel::Info,
                    CloseReason::Reset | CloseReason::TimedOut | CloseReason::Error(_) => NoteLevel::Error,
                };
                self.push(at, level, Message::Closed { peer, client, reason });
                if self.is_current(conn) {
                    self.state = LinkState::Idle;
                }
            }
            Event::Listening { listener, local, at } => {
                self.note(at, Message::Listening { local });
                if self.is_current(listener) {
                    self.state = LinkState::Listening { conn: listener, local };
                    self.last_error = None;
                }
            }
            Event::ListenFailed { listener, error, at } => self.failed(listener, at, Message::ListenFailed(error)),
            Event::Accepted { conn, peer, at, .. } => {
                self.note(at, Message::ClientConnected { peer });
                self.clients.insert(conn, ClientInfo { peer, since: at, rx_bytes: 0, tx_bytes: 0, selected: false });
                self.stats.clients_now(at, self.clients.len());
            }
            Event::ClientRefused { peer, limit, at, .. } => {
                self.push(at, NoteLevel::Error, Message::ClientRefused { peer, limit });
            }
            Event::ListenerClosed { listener, reason, at } => {
                self.note(at, Message::ServerStopped(reason));
                if self.is_current(listener) {
                    self.state = LinkState::Idle;
                }
            }
            Event::UdpBound { socket, local, at } => {
                self.udp_sockets.insert(socket);
                self.note(at, Message::UdpBound { local });
                if self.is_current(socket) {
                    self.state = LinkState::UdpOpen { conn: socket, local };
                    self.last_error = None;
                }
            }
            Event::UdpBindFailed { socket, error, at } => self.failed(socket, at, Message::UdpBindFailed(error)),
            Event::UdpClosed { socket, reason, at } => {
                self.note(at, Message::UdpClosed(reason));
                self.groups.clear();
                self.last_sender = None;
                if self.is_current(socket) {
                    self.state = LinkState::Idle;
                }
            }
            Event::IcmpReport { report, at, .. } => self.push(at, NoteLevel::Error, Message::Icmp(report)),
            Event::MulticastJoined { group, at, .. } => {
                self.note(at, Message::Joined(group));
                if !self.groups.contains(&group) {
                    self.groups.push(group);
                }
            }
            Event::MulticastLeft { group, at, .. } => {
                self.note(at, Message::Left(group));
                self.groups.retain(|g| *g != group);
            }
            Event::CommandFailed { error, at, .. } => self.push(at, NoteLevel::Error, Message::Engine(error)),
            Event::CaptureStarted { path, at } => {
                self.note(at, Message::CaptureStarted(path.clone()));
                self.capture = CaptureState::Running { path };
            }
            Event::CaptureStopped { path, records, bytes, at } => {
                self.note(at, Message::CaptureSaved { path: path.clone(), records, bytes });
                self.capture = CaptureState::Stopped { path, records, bytes };
            }
            Event::CaptureFailed { path, error, at } => {
                self.push(at, NoteLevel::Error, Message::CaptureFailed(error.clone()));
                self.capture = CaptureState::Failed { path, error };
            }
            Event::AutoReplied { peer, rule, at, .. } => self.note(at, Message::AutoReplied { rule, peer }),
            Event::JobProgress { job, items, bytes, total_bytes, .. } => {
                if let Some(info) = self.jobs.get_mut(&job) {
                    (info.items, info.bytes, info.total_bytes) = (items, bytes, total_bytes.or(info.total_bytes));
                }
            }
            Event::JobEnded { job, items, bytes, unsent, end, at } => {
                let info = self.jobs.entry(job).or_insert_with(|| JobInfo::new(JobKind::Cyclic, at));
                (info.items, info.bytes, info.ended) = (items, bytes, Some(end.clone()));
                let kind = info.kind;
                let level = if matches!(end, JobEnd::Failed(_)) { NoteLevel::Error } else { NoteLevel::Info };
                self.push(at, level, Message::JobEnded { kind, items, bytes, unsent, end });
            }
        }
    }

    /// Shows an informational line in the view.
    pub fn note(&mut self, at: SystemTime, message: Message) {
        self.view.push_note(at, NoteLevel::Info, message.to_string());
    }

    /// Shows a message in the view; errors also go to the status bar.
    fn push(&mut self, at: SystemTime, level: NoteLevel, message: Message) {
        self.view.push_note(at, level, message.to_string());
        if level == NoteLevel::Error {
            self.last_error = Some(message);
        }
    }

    /// Opening `id` failed: say so, and go back to idle if it was the current one.
    fn failed(&mut self, id: ConnId, at: SystemTime, message: Message) {
        self.push(at, NoteLevel::Error, message);
        if self.is_current(id) {
            self.state = LinkState::Idle;
        }
    }

    /// The status bar's error, as text.
    pub fn last_error_text(&self) -> Option<String> {
        self.last_error.as_ref().map(ToString::to_string)
    }
}

/// A bound local address as the user should read it: the wildcard
/// addresses say that they mean every interface.
pub fn describe_local(addr: SocketAddr) -> String {
    if addr.ip().is_unspecified() { format!("{addr} (all interfaces)") } else { addr.to_string() }
}

#[cfg(test)]
#[path = "session_tests.rs"]
mod tests;
