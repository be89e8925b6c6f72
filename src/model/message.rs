//! Every sentence the window shows about a session, as a typed value; the
//! one place that turns it into words is its `Display`, in `message_text.rs`.
//!
//! Nothing below this layer hands the window a sentence of its own: events
//! and errors arrive as values (addresses, counts, error kinds), and a
//! message is made from them there, so that a translated window translates
//! every message in one file.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use crate::capture::CaptureError;
use crate::engine::{AddrError, CaptureFailure, CloseReason, CommandError, EngineError, IcmpReport, JobEnd, Unsent};
use crate::files::FileError;
use crate::profile::{LoadProblem, NamesFixed, ProfileError, StoreError};

use super::auto_reply::RuleError;
use super::payload::PayloadError;
use super::profile_note::ProfileNote;
use super::session::JobKind;
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
        /// Items written whole.
        items: u64,
        /// Bytes written.
        bytes: u64,
        /// What it had queued that was never written.
        unsent: Unsent,
        /// How it ended.
        end: JobEnd,
    },
    /// A connection closed with data still queued for sending: discarded.
    Discarded {
        /// Whom it was for.
        peer: SocketAddr,
        /// What was discarded.
        unsent: Unsent,
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
    /// The sequence's steps do not parse (script format).
    SequenceParse(crate::script::ParseError),
    /// Run a sequence with no connection (or server client, or UDP socket) to run it on.
    SequenceNoLink,
    /// A script file that cannot be read, written or is not UTF-8 text.
    ScriptFile {
        /// The file.
        path: std::path::PathBuf,
        /// What went wrong.
        kind: std::io::ErrorKind,
    },
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
        /// What the OS said.
        error: super::OsError,
    },
    /// A native dialog could not be shown.
    DialogFailed(String),
    /// A dialog's thread ended without an answer.
    DialogVanished,
    /// No file dialog can be shown here (no desktop portal, no zenity): a path field is offered.
    NoFileDialog,
    /// The path field was left empty.
    PathMissing,
    /// The path names a folder (or something else that is not a file).
    NotAFile(PathBuf),
    /// The file at the path cannot be opened.
    CannotOpenPath {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        error: super::OsError,
    },
    /// The receive view was saved.
    ViewSaved(PathBuf),
    /// The receive view could not be saved.
    CannotSave {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        error: super::OsError,
    },
    /// A capture was opened read-only.
    CaptureOpened(PathBuf),
    /// An opened capture ends before its last record: truncated, corrupt or
    /// unreadable there (every record before it shows).
    CaptureEndsEarly(CaptureError),
    /// Find over a capture opened whole waits for its index.
    CaptureIndexing,
    /// A find or filter query cannot be searched for.
    BadQuery(crate::view::QueryError),
    /// File ▸ Export capture as pcapng wrote its file.
    CaptureExported {
        /// The pcapng file.
        output: PathBuf,
        /// What it holds.
        summary: crate::capture::ExportSummary,
    },
    /// File ▸ Export capture as pcapng failed (nothing was written).
    ExportFailed(crate::capture::ExportError),
    /// File ▸ Export capture as pcapng: the capture or the output is not given.
    ExportPathMissing,
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
    /// The statistics window's plots were saved as a PNG here.
    PlotSaved(PathBuf),

    // ---- Profiles ----
    /// Profiles cannot be saved (no configuration directory, or no saver thread).
    ProfilesUnsaveable(Box<StoreError>),
    /// `profiles.ron` was not loaded (or, written by a newer version, not entirely).
    ProfilesNotLoaded(Box<LoadProblem>),
    /// Profiles whose names (hand-edited) broke the naming rules were loaded under valid ones.
    ProfileNamesFixed(Box<NamesFixed>),
    /// A new profiles file will replace the damaged one.
    NewProfilesFile,
    /// A profile action was refused.
    ProfileRefused(ProfileError),
    /// A background save failed.
    ProfilesNotSaved(Box<StoreError>),
    /// A save refused because the profiles file is a newer netassist's (format `version`), kept as it is.
    ProfilesNewerKept {
        /// The format version found in the file.
        version: u32,
    },
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
