//! One session's state: the link, the counters and the receive view, all
//! changed only by [`Session::apply`] from engine events.

use std::collections::{BTreeMap, BTreeSet};
use std::net::{IpAddr, SocketAddr};
use std::time::SystemTime;

use bytes::Bytes;

use crate::engine::{CloseReason, ConnId, EngineError, Event, JobEnd, JobId};
use crate::view::{Direction, NoteLevel, ReceiveView};

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
        id: ConnId,
        /// What is being opened, for the status bar.
        what: String,
    },
    /// The TCP server is listening.
    Listening {
        /// The listener.
        listener: ConnId,
        /// The address it is bound to.
        local: SocketAddr,
    },
    /// The UDP socket is bound.
    UdpOpen {
        /// The socket.
        socket: ConnId,
        /// The address it is bound to.
        local: SocketAddr,
    },
}

impl LinkState {
    /// The connection (or attempt) this state is about.
    pub fn conn(&self) -> Option<ConnId> {
        match self {
            LinkState::Idle => None,
            LinkState::Connecting { conn, .. } | LinkState::Connected { conn, .. } => Some(*conn),
            LinkState::Starting { id, .. } => Some(*id),
            LinkState::Listening { listener, .. } => Some(*listener),
            LinkState::UdpOpen { socket, .. } => Some(*socket),
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
        /// Why, naming the file and the OS error.
        error: String,
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
    /// The most recent error, for the status bar.
    pub last_error: Option<String>,
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
        }
    }

    /// Records an error raised by the UI itself (bad input and the like).
    pub fn report_error(&mut self, message: impl Into<String>) {
        let message = message.into();
        self.view.push_note(SystemTime::now(), NoteLevel::Error, message.clone());
        self.last_error = Some(message);
    }

    fn is_current(&self, conn: ConnId) -> bool {
        self.state.conn() == Some(conn)
    }

    /// Applies one engine event, but lets the view pass over its data
    /// without showing it (counted, and noted as a gap): what a frame does
    /// with the data it has no time left to decode in a flood.
    pub fn apply_unshown(&mut self, event: Event) {
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
        self.count(conn, dir, peer, data.len() as u64);
        if self.udp_sockets.contains(&conn) {
            self.view.push_datagram(conn, dir, peer, at, data);
        } else {
            self.view.push_data(conn, dir, peer, at, data);
        }
    }

    /// Counts `len` bytes sent or received that the view lets pass unshown.
    fn pass(&mut self, conn: ConnId, dir: Direction, peer: SocketAddr, at: SystemTime, len: usize) {
        self.count(conn, dir, peer, len as u64);
        let datagram = self.udp_sockets.contains(&conn);
        self.view.let_pass(conn, dir, peer, at, len, datagram);
    }

    /// Counts `len` bytes sent or received (one write, read or datagram).
    fn count(&mut self, conn: ConnId, dir: Direction, peer: SocketAddr, len: u64) {
        let client = self.clients.get_mut(&conn);
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
                self.note(at, format!("Connecting to {target} …"));
                if self.is_current(conn) {
                    self.state = LinkState::Connecting { conn, target };
                }
            }
            Event::Connected { conn, local, peer, at } => {
                self.note(at, format!("Connected to {peer} (local address {local})"));
                if self.is_current(conn) {
                    self.state = LinkState::Connected { conn, local, peer };
                    self.last_error = None;
                }
            }
            Event::ConnectFailed { conn, error: EngineError::Io { kind: std::io::ErrorKind::Interrupted, .. }, at } => {
                // The user cancelled: not an error.
                self.note(at, "Connect cancelled".to_owned());
                if self.is_current(conn) {
                    self.state = LinkState::Idle;
                }
            }
            Event::ConnectFailed { conn, error, at } => self.failed(conn, at, format!("Connect failed: {error}")),
            Event::Sent { conn, peer, data, at } => self.data(conn, Direction::Tx, peer, at, data, true),
            Event::Received { conn, peer, data, at } => self.data(conn, Direction::Rx, peer, at, data, true),
            Event::Elided { conn, peer, outgoing, len, at } => {
                self.pass(conn, if outgoing { Direction::Tx } else { Direction::Rx }, peer, at, len);
            }
            Event::PeerFinished { conn, peer, at } => {
                let message = if self.clients.contains_key(&conn) {
                    format!("Client {peer} finished sending (half-close): you can still send to it; Kick to close")
                } else {
                    format!("Peer {peer} finished sending (half-close): you can still send; Disconnect to close")
                };
                self.note(at, message);
            }
            Event::Closed { conn, peer, reason, at } => {
                self.view.end_stream(conn, at);
                let who = if self.clients.remove(&conn).is_some() { "Client" } else { "Peer" };
                let (level, message) = match reason {
                    CloseReason::PeerClosed => (NoteLevel::Info, format!("{who} {peer} closed the connection")),
                    CloseReason::Local => (NoteLevel::Info, format!("Disconnected from {peer}")),
                    CloseReason::Reset => {
                        (NoteLevel::Error, format!("Connection reset by {} {peer}", who.to_lowercase()))
                    }
                    CloseReason::Error(error) => (NoteLevel::Error, format!("Connection to {peer} lost: {error}")),
                };
                self.push(at, level, message);
                if self.is_current(conn) {
                    self.state = LinkState::Idle;
                }
            }
            Event::Listening { listener, local, at } => {
                self.note(at, format!("TCP server listening on {}", describe_local(local)));
                if self.is_current(listener) {
                    self.state = LinkState::Listening { listener, local };
                    self.last_error = None;
                }
            }
            Event::ListenFailed { listener, error, at } => self.failed(listener, at, format!("Cannot listen: {error}")),
            Event::Accepted { conn, peer, at, .. } => {
                self.note(at, format!("Client {peer} connected"));
                self.clients.insert(conn, ClientInfo { peer, since: at, rx_bytes: 0, tx_bytes: 0, selected: false });
            }
            Event::ClientRefused { peer, limit, at, .. } => {
                self.push(
                    at,
                    NoteLevel::Error,
                    format!("Refused client {peer}: the limit of {limit} clients is reached"),
                );
            }
            Event::ListenerClosed { listener, reason, at } => {
                self.note(at, ended("TCP server stopped", reason));
                if self.is_current(listener) {
                    self.state = LinkState::Idle;
                }
            }
            Event::UdpBound { socket, local, at } => {
                self.udp_sockets.insert(socket);
                self.note(at, format!("UDP socket bound to {}", describe_local(local)));
                if self.is_current(socket) {
                    self.state = LinkState::UdpOpen { socket, local };
                    self.last_error = None;
                }
            }
            Event::UdpBindFailed { socket, error, at } => self.failed(socket, at, format!("Cannot bind UDP: {error}")),
            Event::UdpClosed { socket, reason, at } => {
                self.note(at, ended("UDP socket closed", reason));
                self.groups.clear();
                self.last_sender = None;
                if self.is_current(socket) {
                    self.state = LinkState::Idle;
                }
            }
            Event::IcmpReport { report, at, .. } => self.push(at, NoteLevel::Error, format!("UDP: {report}")),
            Event::MulticastJoined { group, at, .. } => {
                self.note(at, format!("Joined multicast group {group}"));
                if !self.groups.contains(&group) {
                    self.groups.push(group);
                }
            }
            Event::MulticastLeft { group, at, .. } => {
                self.note(at, format!("Left multicast group {group}"));
                self.groups.retain(|g| *g != group);
            }
            Event::CommandFailed { error, at, .. } => self.push(at, NoteLevel::Error, error.to_string()),
            Event::CaptureStarted { path, at } => {
                self.note(at, format!("Capture started: {}", path.display()));
                self.capture = CaptureState::Running { path };
            }
            Event::CaptureStopped { path, records, bytes, at } => {
                self.note(at, format!("Capture saved: {} ({records} records, {bytes} bytes)", path.display()));
                self.capture = CaptureState::Stopped { path, records, bytes };
            }
            Event::CaptureFailed { path, error, at } => {
                self.push(at, NoteLevel::Error, format!("Capture stopped: {error}"));
                self.capture = CaptureState::Failed { path, error };
            }
            Event::AutoReplied { peer, rule, at, .. } => {
                self.note(at, format!("Auto-reply \"{rule}\" → {peer} (the next TX)"));
            }
            Event::JobProgress { job, items, bytes, total_bytes, .. } => {
                if let Some(info) = self.jobs.get_mut(&job) {
                    (info.items, info.bytes, info.total_bytes) = (items, bytes, total_bytes.or(info.total_bytes));
                }
            }
            Event::JobEnded { job, items, bytes, end, at } => {
                let info = self.jobs.entry(job).or_insert_with(|| JobInfo::new(JobKind::Cyclic, at));
                (info.items, info.bytes, info.ended) = (items, bytes, Some(end.clone()));
                let what = match info.kind {
                    JobKind::Cyclic => "Cyclic send",
                    JobKind::File => "File send",
                };
                let text = match &end {
                    JobEnd::Completed => format!("{what} done: {items} sent, {bytes} bytes"),
                    JobEnd::Stopped => format!("{what} stopped: {items} sent, {bytes} bytes"),
                    JobEnd::TargetClosed => format!("{what} ended, the connection closed: {items} sent, {bytes} bytes"),
                    JobEnd::Failed(why) => format!("{what} failed: {why}"),
                };
                let level = if matches!(end, JobEnd::Failed(_)) { NoteLevel::Error } else { NoteLevel::Info };
                self.push(at, level, text);
            }
        }
    }

    fn note(&mut self, at: SystemTime, text: String) {
        self.view.push_note(at, NoteLevel::Info, text);
    }

    /// Shows a message in the view; errors also go to the status bar.
    fn push(&mut self, at: SystemTime, level: NoteLevel, message: String) {
        if level == NoteLevel::Error {
            self.last_error = Some(message.clone());
        }
        self.view.push_note(at, level, message);
    }

    /// Opening `id` failed: say so, and go back to idle if it was the current one.
    fn failed(&mut self, id: ConnId, at: SystemTime, message: String) {
        self.push(at, NoteLevel::Error, message);
        if self.is_current(id) {
            self.state = LinkState::Idle;
        }
    }
}

/// A bound local address as the user should read it: the wildcard
/// addresses say that they mean every interface.
pub fn describe_local(addr: SocketAddr) -> String {
    if addr.ip().is_unspecified() { format!("{addr} (all interfaces)") } else { addr.to_string() }
}

/// "`what`", plus the error when one ended it.
fn ended(what: &str, reason: CloseReason) -> String {
    match reason {
        CloseReason::Error(error) => format!("{what}: {error}"),
        _ => what.to_owned(),
    }
}

#[cfg(test)]
#[path = "session_tests.rs"]
mod tests;
