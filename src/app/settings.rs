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
            view_mode: ViewMode::Text,
            send_mode: SendMode::Text,
        }
    }
}
