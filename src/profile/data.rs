//! One profile: everything needed to reopen a session.

use serde::{Deserialize, Serialize};

pub use crate::ids::{Protocol, SendMode};
pub use crate::view::ViewMode;

/// The profile format this build writes. Older versions load with defaults
/// for the fields they lack.
pub const PROFILE_VERSION: u32 = 1;

/// A quick-send preset as stored: a named payload and how it becomes bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PresetData {
    /// Shown on its button.
    pub name: String,
    /// The text or hex as typed.
    pub text: String,
    /// Text (encoded in `charset`) or hex.
    pub mode: SendMode,
    /// Text: interpret backslash escapes.
    pub escapes: bool,
    /// Text: charset label; empty for the profile's charset.
    pub charset: String,
    /// Text: appended line ending: "none", "crlf", "lf" or "cr".
    pub line_ending: String,
    /// Checksum label; empty for none.
    pub checksum: String,
}

impl Default for PresetData {
    fn default() -> Self {
        Self {
            name: String::new(),
            text: String::new(),
            mode: SendMode::Text,
            escapes: false,
            charset: String::new(),
            line_ending: "none".to_owned(),
            checksum: String::new(),
        }
    }
}

/// An auto-reply rule as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AutoReplyData {
    /// In force.
    pub enabled: bool,
    /// Shown when it fires.
    pub name: String,
    /// "contains", "starts-with", "regex", "hex" or "any".
    pub match_kind: String,
    /// Text (escapes allowed), hex or regex looked for.
    pub pattern: String,
    /// "text", "hex" or "echo".
    pub reply_kind: String,
    /// The reply's text or hex.
    pub reply: String,
    /// Checksum label appended to the reply; empty for none.
    pub checksum: String,
    /// Wait before replying, in milliseconds.
    pub delay_ms: u32,
}

impl Default for AutoReplyData {
    fn default() -> Self {
        Self {
            enabled: true,
            name: String::new(),
            match_kind: "contains".to_owned(),
            pattern: String::new(),
            reply_kind: "text".to_owned(),
            reply: String::new(),
            checksum: String::new(),
            delay_ms: 0,
        }
    }
}

/// A saved session: its name and every setting needed to reopen it.
///
/// Fields are plain types so this module needs nothing from the app. Every
/// field has a default (those of the app's `Settings::default()`), so a file
/// written by an older version, or hand-edited down to a few fields, loads;
/// fields this version does not know are ignored. New fields (quick-send
/// presets, auto-reply rules, …) are added with defaults and, when their
/// meaning changes, a new [`PROFILE_VERSION`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Profile {
    /// Format version this profile was written with.
    pub version: u32,
    /// Unique name shown in the profile list (see [`crate::profile::validate_name`]).
    pub name: String,
    /// Client, server or UDP.
    pub protocol: Protocol,
    /// Remote host as typed (IP literal or name; may carry `:port`).
    pub remote_host: String,
    /// Remote port as typed.
    pub remote_port: String,
    /// TCP client: local port to bind as typed; empty means "any".
    pub local_port: String,
    /// TCP server and UDP: the local address to bind.
    pub bind_host: String,
    /// TCP server: the port to listen on.
    pub listen_port: String,
    /// TCP server: most clients at once.
    pub max_clients: u32,
    /// UDP: the local port to bind.
    pub udp_port: String,
    /// UDP: allow sending to broadcast addresses.
    pub broadcast: bool,
    /// UDP: answer whoever sent the last datagram.
    pub reply_to_last_sender: bool,
    /// UDP: multicast group to join, as typed.
    pub multicast_group: String,
    /// UDP: multicast interface, as typed.
    pub multicast_interface: String,
    /// UDP: multicast TTL / hop limit.
    pub multicast_ttl: u32,
    /// UDP: receive our own multicast datagrams.
    pub multicast_loop: bool,
    /// Charset label, e.g. "GBK"; the app maps it (and decides about unknown names).
    pub charset: String,
    /// Receive view mode.
    pub view_mode: ViewMode,
    /// Long lines wrap at the view's width (自动换行); off: at 160 columns, scrolled sideways.
    pub wrap_lines: bool,
    /// Send box mode.
    pub send_mode: SendMode,
    /// Connect timeout in seconds (as stored; the app validates the range).
    pub connect_timeout_secs: f32,
    /// TCP client: reconnect when the connection ends on its own.
    pub auto_reconnect: bool,
    /// TCP client and server: keep sending after the peer's FIN (half-close).
    /// Absent in files written before it existed: off.
    pub half_close: bool,
    /// TCP client and server: keepalive interval in seconds; 0 is off.
    /// Absent in files written before it existed: 60 (on).
    pub keepalive_secs: u32,
    /// How TCP data is cut into records for display: "as-received",
    /// "delimiter:<hex>" (e.g. "delimiter:0D0A") or "idle:<ms>".
    pub framing: String,
    /// Text sends: interpret backslash escapes.
    pub send_escapes: bool,
    /// Text sends: appended line ending: "none", "crlf", "lf" or "cr".
    pub line_ending: String,
    /// Checksum appended to sends, by label (e.g. "CRC-16/MODBUS"); empty for none.
    pub checksum: String,
    /// Quick-send presets, in panel order.
    pub presets: Vec<PresetData>,
    /// Auto-reply switched on.
    pub auto_reply: bool,
    /// Auto-reply rules, first match wins.
    pub auto_replies: Vec<AutoReplyData>,
    /// The sequence panel's steps, in the script format (docs/SCRIPTS.md);
    /// empty in files written before sequences (the field's default).
    pub sequence: String,
    /// Write a text log of each session.
    pub log_session: bool,
    /// Write a lossless capture file of each session.
    pub capture: bool,
}

impl Default for Profile {
    fn default() -> Self {
        Self {
            version: PROFILE_VERSION,
            name: String::new(),
            protocol: Protocol::TcpClient,
            remote_host: "127.0.0.1".to_owned(),
            remote_port: "8000".to_owned(),
            local_port: String::new(),
            bind_host: "0.0.0.0".to_owned(),
            listen_port: "8000".to_owned(),
            max_clients: 1024,
            udp_port: "8000".to_owned(),
            broadcast: false,
            reply_to_last_sender: false,
            multicast_group: String::new(),
            multicast_interface: String::new(),
            multicast_ttl: 1,
            multicast_loop: true,
            charset: "GBK".to_owned(),
            view_mode: ViewMode::Text,
            wrap_lines: true,
            send_mode: SendMode::Text,
            connect_timeout_secs: 5.0,
            auto_reconnect: false,
            half_close: false,
            keepalive_secs: 60,
            framing: "as-received".to_owned(),
            send_escapes: false,
            line_ending: "none".to_owned(),
            checksum: String::new(),
            presets: Vec::new(),
            auto_reply: false,
            auto_replies: Vec::new(),
            sequence: String::new(),
            log_session: false,
            capture: false,
        }
    }
}

impl Profile {
    /// A profile with default settings and the given name (not validated).
    pub fn named(name: impl Into<String>) -> Self {
        Self { name: name.into(), ..Self::default() }
    }
}
