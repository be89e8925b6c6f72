//! The connection settings the user edits in the left column.

use crate::codec::{Charset, ChecksumKind, LineEnding};
pub use crate::ids::{Protocol, SendMode};
use crate::view::{Framing, ViewMode};

impl Protocol {
    /// Every protocol, in UI order.
    pub const ALL: [Protocol; 3] = [Protocol::TcpClient, Protocol::TcpServer, Protocol::Udp];

    /// Label shown in the protocol selector, in the thread's language.
    pub fn label(self) -> String {
        crate::i18n::tr(
            match self {
                Protocol::TcpClient => "protocol-tcp-client",
                Protocol::TcpServer => "protocol-tcp-server",
                Protocol::Udp => "protocol-udp",
            },
            &[],
        )
    }
}

impl SendMode {
    /// Label shown in the UI, in the thread's language.
    pub fn label(self) -> String {
        crate::i18n::tr(
            match self {
                SendMode::Text => "send-mode-text",
                SendMode::Hex => "send-mode-hex",
            },
            &[],
        )
    }
}

/// Keepalive interval of a new session, in seconds (on by default: a dead peer
/// does not leave a connection "Connected" forever).
pub const DEFAULT_KEEPALIVE_SECS: u32 = 60;
/// Everything the left column and the mode switches hold.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Client, server or UDP.
    pub protocol: Protocol,
    /// Remote host as typed (IP literal or name; may carry `:port`).
    pub remote_host: String,
    /// Remote port as typed.
    pub remote_port: String,
    /// TCP client: local port to bind as typed; empty means "any".
    pub local_port: String,
    /// TCP server and UDP: the local address to bind, as typed or picked.
    pub bind_host: String,
    /// TCP server: the port to listen on (0: any free port).
    pub listen_port: String,
    /// TCP server: most clients at once; the next is refused.
    pub max_clients: u32,
    /// UDP: the local port to bind (0: any free port).
    pub udp_port: String,
    /// UDP: allow sending to broadcast addresses (SO_BROADCAST).
    pub broadcast: bool,
    /// UDP: answer whoever sent the last datagram instead of the remote address.
    pub reply_to_last_sender: bool,
    /// UDP: multicast group to join, as typed.
    pub multicast_group: String,
    /// UDP: interface for multicast: empty (any), an IPv4 address, or an IPv6 interface index.
    pub multicast_interface: String,
    /// UDP: multicast TTL / hop limit.
    pub multicast_ttl: u32,
    /// UDP: receive our own multicast datagrams.
    pub multicast_loop: bool,
    /// Charset for text views and text sends.
    pub charset: Charset,
    /// Connect timeout in seconds.
    pub connect_timeout_secs: f32,
    /// TCP client: connect again (with growing delays) when the connection ends on its own.
    pub auto_reconnect: bool,
    /// TCP client and server: half-close, i.e. the peer's FIN (it finished
    /// sending) leaves the connection open for sending, until Disconnect.
    pub half_close: bool,
    /// TCP client and server: keepalive interval in seconds (idle time before
    /// the first probe, and between probes); 0 turns keepalive off.
    pub keepalive_secs: u32,
    /// Receive view mode.
    pub view_mode: ViewMode,
    /// Long lines wrap at the view's width (自动换行, on by default as in NetAssist).
    pub wrap_lines: bool,
    /// Send box mode.
    pub send_mode: SendMode,
    /// How TCP data is cut into records for display.
    pub framing: Framing,
    /// Text sends: turn `\r \n \t \\ \0 \xNN \uXXXX` into bytes.
    pub send_escapes: bool,
    /// Text sends: what to append (after any checksum).
    pub line_ending: LineEnding,
    /// A checksum over the payload, appended to every send.
    pub checksum: Option<ChecksumKind>,
    /// Quick-send presets, in panel order.
    pub presets: Vec<Preset>,
    /// Auto-reply is on (the rules below that are enabled answer).
    pub auto_reply: bool,
    /// Auto-reply rules, first match wins.
    pub auto_replies: Vec<crate::model::AutoReplySpec>,
    /// The sequence panel's steps, in the script format (docs/SCRIPTS.md).
    pub sequence: String,
    /// Write a text log of the session (as shown) to the data directory.
    pub log_session: bool,
    /// Write every byte sent and received to a capture file (lossless).
    pub capture: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
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
            charset: Charset::Gbk,
            connect_timeout_secs: 5.0,
            auto_reconnect: false,
            half_close: false,
            keepalive_secs: DEFAULT_KEEPALIVE_SECS,
            view_mode: ViewMode::Text,
            wrap_lines: true,
            send_mode: SendMode::Text,
            framing: Framing::AsReceived,
            send_escapes: false,
            line_ending: LineEnding::None,
            checksum: None,
            presets: Vec::new(),
            auto_reply: false,
            auto_replies: Vec::new(),
            sequence: String::new(),
            log_session: false,
            capture: false,
        }
    }
}

/// How a text becomes the bytes sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PayloadFormat {
    /// Text (encoded) or hex (parsed).
    pub mode: SendMode,
    /// Text: interpret backslash escapes.
    pub escapes: bool,
    /// Text: the charset to encode in.
    pub charset: Charset,
    /// Text: appended after any checksum.
    pub line_ending: LineEnding,
    /// Appended to the payload.
    pub checksum: Option<ChecksumKind>,
}

/// A named payload in the quick-send panel: its text and how to turn it into bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preset {
    /// Shown on its button; unique in a profile.
    pub name: String,
    /// The text (or hex) as typed.
    pub text: String,
    /// How it becomes bytes (its own charset, escapes, checksum…).
    pub format: PayloadFormat,
}

impl Settings {
    /// How the send box's text becomes bytes now.
    pub fn payload_format(&self) -> PayloadFormat {
        PayloadFormat {
            mode: self.send_mode,
            escapes: self.send_escapes,
            charset: self.charset,
            line_ending: self.line_ending,
            checksum: self.checksum,
        }
    }
}

/// Settings given on the command line: they win over the profile (or the
/// defaults) the app starts with. `None` leaves the value alone.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SettingsOverrides {
    /// `--mode`.
    pub protocol: Option<Protocol>,
    /// `--remote HOST:PORT`.
    pub remote: Option<(String, u16)>,
    /// `--local-port`: the port of whichever mode is in effect.
    pub local_port: Option<u16>,
    /// `--bind`.
    pub bind: Option<std::net::IpAddr>,
    /// `--charset`.
    pub charset: Option<Charset>,
    /// `--view`.
    pub view_mode: Option<ViewMode>,
    /// `--timeout`, in seconds.
    pub timeout_secs: Option<f32>,
    /// `--max-clients`.
    pub max_clients: Option<u32>,
}

impl SettingsOverrides {
    /// Whether no setting was given.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Writes the given values into `settings` (the mode first, so that
    /// `local_port` lands in that mode's field).
    pub fn apply(&self, settings: &mut Settings) {
        if let Some(protocol) = self.protocol {
            settings.protocol = protocol;
        }
        if let Some((host, port)) = &self.remote {
            settings.remote_host.clone_from(host);
            settings.remote_port = port.to_string();
        }
        if let Some(port) = self.local_port {
            let field = match settings.protocol {
                Protocol::TcpClient => &mut settings.local_port,
                Protocol::TcpServer => &mut settings.listen_port,
                Protocol::Udp => &mut settings.udp_port,
            };
            *field = port.to_string();
        }
        if let Some(ip) = self.bind {
            settings.bind_host = ip.to_string();
        }
        if let Some(charset) = self.charset {
            settings.charset = charset;
        }
        if let Some(mode) = self.view_mode {
            settings.view_mode = mode;
        }
        if let Some(secs) = self.timeout_secs {
            settings.connect_timeout_secs = secs;
        }
        if let Some(max) = self.max_clients {
            settings.max_clients = max;
        }
    }
}
