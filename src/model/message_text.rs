//! The one place that words a [`Message`]: every sentence the window shows
//! is made here from the values it carries (so translating the window means
//! translating this file).

use std::fmt;

use crate::engine::{CloseReason, JobEnd};
use crate::profile::{LoadProblem, ProfileError, StoreError};

use super::auto_reply::{RuleError, RuleField, RuleProblem};
use super::message::Message;
use super::payload::PayloadError;
use super::session::{JobKind, describe_local};
use super::settings::Protocol;

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
                    CloseReason::TimedOut => f.write_str(&crate::i18n::tr(
                        if *client { "msg-client-timed-out" } else { "msg-peer-timed-out" },
                        &[("peer", fluent_bundle::FluentValue::from(peer.to_string()))],
                    )),
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
            M::ProfilesNotLoaded(problem) if super::message_profiles::words(problem) => {
                super::message_profiles::load_problem(f, problem)
            }
            M::ProfileNamesFixed(fixed) => super::message_profiles::names_fixed(f, fixed),
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
