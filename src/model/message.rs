//! Every sentence the window shows about a session, as a typed value, and
//! the one place ([`Message`]'s `Display`) that turns it into words.
//!
//! Nothing below this layer hands the window a sentence of its own: events
//! and errors arrive as values (addresses, counts, error kinds), and a
//! message is made from them here, so that a translated window translates
//! every message in one file.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use crate::capture::CaptureError;
use crate::engine::{AddrError, CaptureFailure, CloseReason, CommandError, EngineError, IcmpReport, JobEnd};
use crate::files::FileError;
use crate::profile::{LoadProblem, ProfileError, StoreError};

use super::auto_reply::{RuleError, RuleField, RuleProblem};
use super::payload::PayloadError;
use super::profile_note::ProfileNote;
use super::session::{JobKind, describe_local};
use super::settings::Protocol;

/// A sentence the window shows, with the values it is made from.
#[derive(Clone, Debug, PartialEq)]
pub enum Message {
    // ---- The link, from engine events ----
    /// A connect started.
    Connecting {
        /// `host:port` as asked for.
        target: String,
    },
    /// The TCP connection is up.
    Connected {
        /// The peer.
        peer: SocketAddr,
        /// Our end.
        local: SocketAddr,
    },
    /// The user cancelled a connect.
    ConnectCancelled,
    /// A connect failed.
    ConnectFailed(EngineError),
    /// The peer (or a server's client) finished sending but the connection stays open (half-close).
    PeerFinished {
        /// Who.
        peer: SocketAddr,
        /// Whether it is a client of our server.
        client: bool,
    },
    /// A connection ended.
    Closed {
        /// Who.
        peer: SocketAddr,
        /// Whether it was a client of our server.
        client: bool,
        /// How.
        reason: CloseReason,
    },
    /// The TCP server listens.
    Listening {
        /// Where.
        local: SocketAddr,
    },
    /// The TCP server could not listen.
    ListenFailed(EngineError),
    /// A client connected to our server.
    ClientConnected {
        /// Who.
        peer: SocketAddr,
    },
    /// A client was refused: the server has as many as it may.
    ClientRefused {
        /// Who.
        peer: SocketAddr,
        /// The cap.
        limit: usize,
    },
    /// The TCP server stopped.
    ServerStopped(CloseReason),
    /// The UDP socket is bound.
    UdpBound {
        /// Where.
        local: SocketAddr,
    },
    /// The UDP socket could not be bound.
    UdpBindFailed(EngineError),
    /// The UDP socket closed.
    UdpClosed(CloseReason),
    /// An ICMP error a datagram met.
    Icmp(IcmpReport),
    /// Joined a multicast group.
    Joined(IpAddr),
    /// Left a multicast group.
    Left(IpAddr),
    /// A command the engine could not carry out.
    Engine(EngineError),
    /// The engine's command queue refused a command.
    Command(CommandError),
    /// A capture started.
    CaptureStarted(PathBuf),
    /// A capture is complete.
    CaptureSaved {
        /// The file.
        path: PathBuf,
        /// Records in it.
        records: u64,
        /// Its size.
        bytes: u64,
    },
    /// A capture could not start, or stopped on an error.
    CaptureFailed(CaptureFailure),
    /// An auto-reply rule answered.
    AutoReplied {
        /// The rule.
        rule: String,
        /// To whom.
        peer: SocketAddr,
    },
    /// A cyclic or file send ended.
    JobEnded {
        /// Which kind.
        kind: JobKind,
        /// Items sent.
        items: u64,
        /// Their bytes.
        bytes: u64,
        /// How it ended.
        end: JobEnd,
    },
    /// Auto-reconnect will try again after a delay.
    ReconnectPlanned {
        /// Seconds until then.
        secs: u64,
        /// The attempt's number.
        attempt: u32,
    },
    /// Auto-reconnect tries again now.
    Reconnecting {
        /// The attempt's number.
        attempt: u32,
    },

    // ---- What the user typed or asked for, refused ----
    /// The remote address fields.
    Remote(AddrError),
    /// The TCP client's local port.
    LocalPort(AddrError),
    /// The local address of the server or UDP socket.
    LocalAddress(AddrError),
    /// The connect timeout is not a usable number of seconds.
    BadTimeout(f32),
    /// Send (or a preset, or a job) while nothing is open.
    NotOpen(Protocol),
    /// A cyclic or file send while nothing is open.
    JobNotOpen,
    /// Send with an empty box (TCP).
    NothingToSend,
    /// Repeat with an empty box.
    NothingToRepeat,
    /// The server has no clients to send to.
    NoClients,
    /// The server has clients but none is ticked.
    NoClientSelected,
    /// UDP "reply to last sender" before any datagram came.
    NoLastSender,
    /// The send box does not make a payload.
    Payload(PayloadError),
    /// A preset does not make a payload.
    Preset {
        /// The preset's name.
        name: String,
        /// Why.
        error: PayloadError,
    },
    /// A new preset has no name.
    PresetNoName,
    /// A new preset's name is taken.
    PresetExists(String),
    /// A new preset from an empty send box.
    PresetEmptyBox,
    /// An auto-reply rule with a mistake (left out until fixed).
    Rule(RuleError),
    /// Join a multicast group before the socket is open.
    OpenUdpFirst,
    /// The multicast group field is not an IP address.
    BadGroup(String),
    /// The multicast interface field does not fit the group's family.
    BadInterface {
        /// As typed.
        text: String,
        /// Whether the group is IPv6 (which wants an interface index).
        v6: bool,
    },
    /// The send box is too long to preview every frame.
    NoPreview,

    // ---- Files ----
    /// No data directory: logs and captures are unavailable.
    NoDataDir(Option<FileError>),
    /// A capture could not be started or stopped.
    CaptureRefused(EngineError),
    /// The engine could not be asked to start or stop a capture.
    CaptureCommand(CommandError),
    /// Logging to this file.
    LoggingTo(PathBuf),
    /// The log is complete.
    LogSaved(PathBuf),
    /// The log could not be started or written.
    LogFailed(FileError),
    /// A folder could not be opened in the file manager.
    CannotOpenFolder {
        /// The folder.
        path: PathBuf,
        /// The OS error.
        error: String,
    },
    /// A native dialog could not be shown.
    DialogFailed(String),
    /// A dialog's thread ended without an answer.
    DialogVanished,
    /// The receive view was saved.
    ViewSaved(PathBuf),
    /// The receive view could not be saved.
    CannotSave {
        /// The file.
        path: PathBuf,
        /// The OS error.
        error: String,
    },
    /// A capture was opened read-only.
    CaptureOpened(PathBuf),
    /// A capture could not be opened.
    CannotOpenCapture {
        /// The file.
        path: PathBuf,
        /// Why.
        error: CaptureError,
    },
    /// The capture under way, for the left column.
    Capturing(PathBuf),
    /// A capture was asked for while another tab captures.
    CaptureBusy {
        /// The tab that captures.
        tab: String,
    },
    /// A finished capture, for the left column (its file's name only).
    CaptureDone {
        /// The file.
        path: PathBuf,
        /// Records in it.
        records: u64,
        /// Its size.
        bytes: u64,
    },

    // ---- Profiles ----
    /// Profiles cannot be saved (no configuration directory, or no saver thread).
    ProfilesUnsaveable(Box<StoreError>),
    /// `profiles.ron` was not loaded.
    ProfilesNotLoaded(Box<LoadProblem>),
    /// A new profiles file will replace the damaged one.
    NewProfilesFile,
    /// A profile action was refused.
    ProfileRefused(ProfileError),
    /// A background save failed.
    ProfilesNotSaved(Box<StoreError>),
    /// Profile actions done.
    ProfileSaved(String),
    /// A profile renamed.
    ProfileRenamed {
        /// Its old name.
        old: String,
        /// Its new name.
        new: String,
    },
    /// A profile copied.
    ProfileCopied {
        /// The original.
        old: String,
        /// The copy.
        new: String,
    },
    /// A profile deleted.
    ProfileDeleted(String),
    /// Values of a profile that could not be used as stored.
    ProfileNotes(Vec<ProfileNote>),

    // ---- Tabs ----
    /// A tab named after its mode and endpoint.
    Endpoint {
        /// The mode.
        protocol: Protocol,
        /// `host:port` (the remote one for a client, the bound one otherwise).
        endpoint: String,
    },

    // ---- Start-up ----
    /// `--profile NAME` names no saved profile.
    UnknownProfile {
        /// The name asked for.
        name: String,
        /// The names there are.
        known: Vec<String>,
    },
}

impl From<PayloadError> for Message {
    fn from(error: PayloadError) -> Self {
        Message::Payload(error)
    }
}

impl From<CommandError> for Message {
    fn from(error: CommandError) -> Self {
        Message::Command(error)
    }
}

impl From<RuleError> for Message {
    fn from(error: RuleError) -> Self {
        Message::Rule(error)
    }
}

/// A file's name alone, for the short lines of the left column.
fn file_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// "`what`", plus the error when one ended it.
fn ended(f: &mut fmt::Formatter<'_>, what: &str, reason: &CloseReason) -> fmt::Result {
    match reason {
        CloseReason::Error(error) => write!(f, "{what}: {error}"),
        _ => f.write_str(what),
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Message as M;
        match self {
            M::Connecting { target } => write!(f, "Connecting to {target} …"),
            M::Connected { peer, local } => write!(f, "Connected to {peer} (local address {local})"),
            M::ConnectCancelled => f.write_str("Connect cancelled"),
            M::ConnectFailed(error) => write!(f, "Connect failed: {error}"),
            M::PeerFinished { peer, client: true } => {
                write!(f, "Client {peer} finished sending (half-close): you can still send to it; Kick to close")
            }
            M::PeerFinished { peer, client: false } => {
                write!(f, "Peer {peer} finished sending (half-close): you can still send; Disconnect to close")
            }
            M::Closed { peer, client, reason } => {
                let who = if *client { "Client" } else { "Peer" };
                match reason {
                    CloseReason::PeerClosed => write!(f, "{who} {peer} closed the connection"),
                    CloseReason::Local => write!(f, "Disconnected from {peer}"),
                    CloseReason::Reset => write!(f, "Connection reset by {} {peer}", who.to_lowercase()),
                    CloseReason::Error(error) => write!(f, "Connection to {peer} lost: {error}"),
                }
            }
            M::Listening { local } => write!(f, "TCP server listening on {}", describe_local(*local)),
            M::ListenFailed(error) => write!(f, "Cannot listen: {error}"),
            M::ClientConnected { peer } => write!(f, "Client {peer} connected"),
            M::ClientRefused { peer, limit } => {
                write!(f, "Refused client {peer}: the limit of {limit} clients is reached")
            }
            M::ServerStopped(reason) => ended(f, "TCP server stopped", reason),
            M::UdpBound { local } => write!(f, "UDP socket bound to {}", describe_local(*local)),
            M::UdpBindFailed(error) => write!(f, "Cannot bind UDP: {error}"),
            M::UdpClosed(reason) => ended(f, "UDP socket closed", reason),
            M::Icmp(report) => write!(f, "UDP: {report}"),
            M::Joined(group) => write!(f, "Joined multicast group {group}"),
            M::Left(group) => write!(f, "Left multicast group {group}"),
            M::Engine(error) => write!(f, "{error}"),
            M::Command(error) => write!(f, "{error}"),
            M::CaptureStarted(path) => write!(f, "Capture started: {}", path.display()),
            M::CaptureSaved { path, records, bytes } => {
                write!(f, "Capture saved: {} ({records} records, {bytes} bytes)", path.display())
            }
            M::CaptureFailed(error) => write!(f, "Capture stopped: {error}"),
            M::AutoReplied { rule, peer } => write!(f, "Auto-reply \"{rule}\" → {peer} (the next TX)"),
            M::JobEnded { kind, items, bytes, end } => {
                let what = match kind {
                    JobKind::Cyclic => "Cyclic send",
                    JobKind::File => "File send",
                };
                match end {
                    JobEnd::Completed => write!(f, "{what} done: {items} sent, {bytes} bytes"),
                    JobEnd::Stopped => write!(f, "{what} stopped: {items} sent, {bytes} bytes"),
                    JobEnd::TargetClosed => {
                        write!(f, "{what} ended, the connection closed: {items} sent, {bytes} bytes")
                    }
                    JobEnd::Failed(why) => write!(f, "{what} failed: {why}"),
                }
            }
            M::ReconnectPlanned { secs, attempt } => write!(f, "Reconnecting in {secs} s (attempt {attempt})"),
            M::Reconnecting { attempt } => write!(f, "Reconnecting (attempt {attempt})"),

            M::Remote(error) => write!(f, "Remote: {error}"),
            M::LocalPort(error) => write!(f, "Local port: {error}"),
            M::LocalAddress(error) => write!(f, "Local address: {error}"),
            M::BadTimeout(secs) => write!(f, "Timeout: {secs} is not a number of seconds from 0.1 to 120"),
            M::NotOpen(Protocol::TcpClient) => f.write_str("Not connected: press Connect first; nothing was sent"),
            M::NotOpen(Protocol::TcpServer) => {
                f.write_str("The server is not listening: press Listen first; nothing was sent")
            }
            M::NotOpen(Protocol::Udp) => f.write_str("The UDP socket is not open: press Open first; nothing was sent"),
            M::JobNotOpen => f.write_str("Not connected: connect (or listen, or open) first; nothing was started"),
            M::NothingToSend => f.write_str("Nothing to send: the send box is empty"),
            M::NothingToRepeat => f.write_str("Nothing to repeat: the send box is empty"),
            M::NoClients => f.write_str("No client is connected to the server; nothing was sent"),
            M::NoClientSelected => f.write_str("No client selected: tick clients in the list, or tick All"),
            M::NoLastSender => f.write_str("No datagram received yet: there is no last sender to reply to"),
            M::Payload(error) => payload(f, error),
            M::Preset { name, error } => {
                write!(f, "Preset \"{name}\": ")?;
                payload(f, error)
            }
            M::PresetNoName => f.write_str("Give the preset a name first."),
            M::PresetExists(name) => write!(f, "A preset named \"{name}\" already exists."),
            M::PresetEmptyBox => f.write_str("The send box is empty: type the payload first."),
            M::Rule(RuleError { rule, field, problem }) => {
                write!(f, "Rule \"{rule}\": ")?;
                let field = match field {
                    RuleField::Pattern => "pattern",
                    RuleField::Regex => "regex",
                    RuleField::Reply => "reply",
                };
                match problem {
                    RuleProblem::Text(error) => write!(f, "{field}: {error}"),
                    RuleProblem::Hex(error) => write!(f, "{field}: {error}"),
                    RuleProblem::Regex(error) => write!(f, "{field}: {error}"),
                    RuleProblem::EmptyPattern => {
                        f.write_str("the pattern is empty (choose \"anything\" to answer everything)")
                    }
                }
            }
            M::OpenUdpFirst => f.write_str("Open the UDP socket first, then join a group"),
            M::BadGroup(text) => {
                write!(f, "Multicast group '{text}' is not an IP address (e.g. 239.255.0.1 or ff15::1)")
            }
            M::BadInterface { text, v6: false } => {
                write!(f, "Interface '{text}': for an IPv4 group, give the interface's IPv4 address")
            }
            M::BadInterface { text, v6: true } => {
                write!(f, "Interface '{text}': for an IPv6 group, give the interface index (a number)")
            }
            M::NoPreview => f.write_str("→ (no preview for text over 64 KiB)"),

            M::NoDataDir(Some(why)) => write!(f, "{why}"),
            M::NoDataDir(None) => f.write_str("No data directory: none is set"),
            M::CaptureRefused(error) => write!(f, "Cannot capture: {error}"),
            M::CaptureCommand(error) => write!(f, "Cannot capture: {error}"),
            M::LoggingTo(path) => write!(f, "Logging to {}", path.display()),
            M::LogSaved(path) => write!(f, "Log saved: {}", path.display()),
            M::LogFailed(error) => write!(f, "{error}"),
            M::CannotOpenFolder { path, error } => write!(f, "Cannot open {}: {error}", path.display()),
            M::DialogFailed(error) => write!(f, "Cannot open the file dialog: {error}"),
            M::DialogVanished => f.write_str("The file dialog closed unexpectedly."),
            M::ViewSaved(path) => write!(f, "Saved the receive view to {}", path.display()),
            M::CannotSave { path, error } => write!(f, "Cannot save {}: {error}", path.display()),
            M::CaptureOpened(path) => write!(f, "Opened capture {}", path.display()),
            M::CannotOpenCapture { path, error } => write!(f, "Cannot open capture {}: {error}", path.display()),
            M::Capturing(path) => write!(f, "Capturing to {}", file_name(path)),
            M::CaptureBusy { tab } => write!(
                f,
                "Not capturing: the tab \"{tab}\" is capturing, and one capture runs at a time (it holds every tab's traffic)"
            ),
            M::CaptureDone { path, records, bytes } => {
                write!(f, "Capture saved: {} ({records} records, {bytes} B)", file_name(path))
            }

            M::ProfilesUnsaveable(why) => write!(f, "Profiles cannot be saved: {why}"),
            M::ProfilesNotLoaded(problem) if matches!(**problem, LoadProblem::Unreadable { .. }) => write!(
                f,
                "Profiles not loaded — {problem}. It is left untouched; profiles you save now are not written over it."
            ),
            M::ProfilesNotLoaded(problem) => write!(
                f,
                "Profiles not loaded — {problem}. The file is left untouched until you choose to start a new one."
            ),
            M::NewProfilesFile => f.write_str("A new profiles file will be written."),
            M::ProfileRefused(ProfileError::NotFound(name)) if name.is_empty() => {
                f.write_str("Choose or save a profile first.")
            }
            M::ProfileRefused(error) => {
                let text = error.to_string();
                let mut chars = text.chars();
                if let Some(first) = chars.next() {
                    write!(f, "{}{}", first.to_uppercase(), chars.as_str())?;
                }
                f.write_str(".")
            }
            M::ProfilesNotSaved(error) if matches!(**error, StoreError::OverwriteRefused { .. }) => f.write_str(
                "Not saved: the profiles file could not be loaded at start; choose \"Start a new file\" in the banner to replace it.",
            ),
            M::ProfilesNotSaved(error) => write!(f, "Not saved: {error}"),
            M::ProfileSaved(name) => write!(f, "Saved \"{name}\"."),
            M::ProfileRenamed { old, new } => write!(f, "Renamed \"{old}\" to \"{new}\"."),
            M::ProfileCopied { old, new } => write!(f, "Copied \"{old}\" as \"{new}\"."),
            M::ProfileDeleted(name) => write!(f, "Deleted \"{name}\"."),
            M::ProfileNotes(notes) => {
                for (i, note) in notes.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{note}")?;
                }
                Ok(())
            }
            M::Endpoint { protocol, endpoint } => {
                let mode = match protocol {
                    Protocol::TcpClient => "TCP client",
                    Protocol::TcpServer => "TCP server",
                    Protocol::Udp => "UDP",
                };
                write!(f, "{mode} {endpoint}")
            }
            M::UnknownProfile { name, known } => {
                write!(f, "No profile named \"{name}\". ")?;
                if known.is_empty() {
                    f.write_str("There are no saved profiles yet.")?;
                } else {
                    write!(f, "Saved profiles: {}.", known.join(", "))?;
                }
                f.write_str(" Starting with default settings.")
            }
        }
    }
}

/// Why a text makes no payload, in the send box's words.
fn payload(f: &mut fmt::Formatter<'_>, error: &PayloadError) -> fmt::Result {
    match error {
        PayloadError::Escape(error) => write!(f, "Cannot send: {error}"),
        PayloadError::Encode(error) => write!(f, "Cannot send: {error}"),
        PayloadError::Hex(error) => write!(f, "Invalid hex: {error}"),
    }
}
