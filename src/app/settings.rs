//! The connection settings the user edits in the left column.

use crate::codec::Charset;
use crate::view::ViewMode;

/// Which kind of endpoint netassist plays.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Protocol {
    /// Connect out to a TCP server.
    #[default]
    TcpClient,
    /// Listen for TCP clients (coming).
    TcpServer,
    /// Send and receive UDP datagrams (coming).
    Udp,
}

impl Protocol {
    /// Every protocol, in UI order.
    pub const ALL: [Protocol; 3] = [Protocol::TcpClient, Protocol::TcpServer, Protocol::Udp];

    /// Label shown in the protocol selector.
    pub fn label(self) -> &'static str {
        match self {
            Protocol::TcpClient => "TCP 客户端 / TCP client",
            Protocol::TcpServer => "TCP 服务器 / TCP server",
            Protocol::Udp => "UDP",
        }
    }

    /// Whether this build can run the protocol yet.
    pub fn is_available(self) -> bool {
        matches!(self, Protocol::TcpClient)
    }
}

/// How the send box's text is turned into bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SendMode {
    /// Encode the text in the session's charset.
    #[default]
    Text,
    /// Parse the text as hex bytes.
    Hex,
}

impl SendMode {
    /// Label shown in the UI.
    pub fn label(self) -> &'static str {
        match self {
            SendMode::Text => "as text",
            SendMode::Hex => "as hex",
        }
    }
}

/// Everything the left column and the mode switches hold.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Client, server or UDP.
    pub protocol: Protocol,
    /// Remote host as typed (IP literal or name; may carry `:port`).
    pub remote_host: String,
    /// Remote port as typed.
    pub remote_port: String,
    /// Local port as typed; empty means "any".
    pub local_port: String,
    /// Charset for text views and text sends.
    pub charset: Charset,
    /// Connect timeout in seconds.
    pub connect_timeout_secs: f32,
    /// Receive view mode.
    pub view_mode: ViewMode,
    /// Send box mode.
    pub send_mode: SendMode,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            protocol: Protocol::TcpClient,
            remote_host: "127.0.0.1".to_owned(),
            remote_port: "8000".to_owned(),
            local_port: String::new(),
            charset: Charset::Gbk,
            connect_timeout_secs: 5.0,
            view_mode: ViewMode::Text,
            send_mode: SendMode::Text,
        }
    }
}
