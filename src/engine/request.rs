//! What the UI asks for: the parameters of a TCP connect, a TCP listener and a UDP socket.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

/// What to connect to, as a TCP client.
#[derive(Clone, Debug)]
pub struct TcpConnect {
    /// Host name or IP literal (no brackets).
    pub host: String,
    /// Remote port.
    pub port: u16,
    /// Local port to bind before connecting (None or Some(0): any).
    pub local_port: Option<u16>,
    /// How long connecting may take, DNS included.
    pub timeout: Duration,
    /// Half-close: when the peer finishes sending (FIN), report `PeerFinished`
    /// and keep the connection open for sending instead of ending it; it then
    /// ends on a disconnect, a write error or the peer's reset. Off: the FIN
    /// ends the connection (`Closed { PeerClosed }`).
    pub half_close: bool,
    /// TCP keepalive: after this long without traffic the OS probes the
    /// peer (every this long, [`KEEPALIVE_PROBES`] times) and ends a
    /// connection whose peer no longer answers, reported as
    /// `Closed { TimedOut }`. `None`: off.
    pub keepalive: Option<Duration>,
}

/// The keepalive interval used unless told otherwise (on by default for
/// clients and a server's clients, so a half-open connection does not stay
/// "Connected" forever).
pub const DEFAULT_KEEPALIVE: Duration = Duration::from_mins(1);

/// Unanswered keepalive probes after which the OS ends the connection.
pub const KEEPALIVE_PROBES: u32 = 3;

/// How many clients a listener serves at once unless told otherwise.
pub const DEFAULT_MAX_CLIENTS: usize = 1024;

/// Where and how to listen, as a TCP server.
#[derive(Clone, Debug)]
pub struct ListenTcp {
    /// Local address and port (port 0: any free port, reported in `Listening`).
    /// `0.0.0.0` listens on every IPv4 address, `::` on every IPv6 and IPv4 one.
    pub bind: SocketAddr,
    /// The most clients served at once; one more is refused (`ClientRefused`)
    /// and the listener keeps running. 0 is taken as 1.
    pub max_clients: usize,
    /// Half-close for every client it accepts: see [`TcpConnect::half_close`].
    pub half_close: bool,
    /// Keepalive for every client it accepts: see [`TcpConnect::keepalive`].
    pub keepalive: Option<Duration>,
}

impl ListenTcp {
    /// Listens on `bind` with [`DEFAULT_MAX_CLIENTS`], half-close off, keepalive [`DEFAULT_KEEPALIVE`].
    pub fn new(bind: SocketAddr) -> Self {
        Self { bind, max_clients: DEFAULT_MAX_CLIENTS, half_close: false, keepalive: Some(DEFAULT_KEEPALIVE) }
    }
}

/// Where and how to bind a UDP socket.
#[derive(Clone, Debug)]
pub struct BindUdp {
    /// Local address and port (port 0: any free port, reported in `UdpBound`).
    pub bind: SocketAddr,
    /// Sets SO_BROADCAST, needed to send to a broadcast address (IPv4).
    pub broadcast: bool,
    /// Multicast TTL (IPv4) or hop limit (IPv6) of datagrams sent to a group,
    /// 0 to 255; `None`: the system's default (1).
    pub multicast_ttl: Option<u32>,
    /// Whether our own multicast datagrams are looped back to this machine's members.
    pub multicast_loop: bool,
}

impl BindUdp {
    /// Binds `bind`: no broadcast, default multicast TTL, multicast loopback on.
    pub fn new(bind: SocketAddr) -> Self {
        Self { bind, broadcast: false, multicast_ttl: None, multicast_loop: true }
    }
}

/// The network interface a multicast group is joined (or left) on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MulticastInterface {
    /// Let the system choose (by its routing table).
    Any,
    /// For an IPv4 group: the interface that has this IPv4 address.
    V4(Ipv4Addr),
    /// For an IPv6 group: the interface with this index (see [`super::local_interfaces`]).
    V6(u32),
}

impl fmt::Display for MulticastInterface {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MulticastInterface::Any => f.write_str("the default interface"),
            MulticastInterface::V4(addr) => write!(f, "the interface with address {addr}"),
            MulticastInterface::V6(index) => write!(f, "interface #{index}"),
        }
    }
}

/// `host:port`, with brackets around an IPv6 host.
pub(super) fn display_target(host: &str, port: u16) -> String {
    if host.contains(':') { format!("[{host}]:{port}") } else { format!("{host}:{port}") }
}

/// `addr` with an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`, what a dual-stack
/// socket reports for an IPv4 peer) shown as the IPv4 address it is.
pub(super) fn canonical(addr: SocketAddr) -> SocketAddr {
    match addr.ip().to_canonical() {
        ip @ IpAddr::V4(_) => SocketAddr::new(ip, addr.port()),
        IpAddr::V6(_) => addr,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_show_ipv6_in_brackets() {
        assert_eq!(display_target("127.0.0.1", 8000), "127.0.0.1:8000");
        assert_eq!(display_target("example.com", 80), "example.com:80");
        assert_eq!(display_target("::1", 8000), "[::1]:8000");
    }

    #[test]
    fn mapped_addresses_are_shown_as_ipv4() {
        let mapped: SocketAddr = "[::ffff:127.0.0.1]:80".parse().unwrap();
        assert_eq!(canonical(mapped), "127.0.0.1:80".parse().unwrap());
        let v6: SocketAddr = "[::1]:80".parse().unwrap();
        assert_eq!(canonical(v6), v6);
    }

    #[test]
    fn interfaces_read_well() {
        assert_eq!(MulticastInterface::V6(3).to_string(), "interface #3");
        assert_eq!(MulticastInterface::V4(Ipv4Addr::LOCALHOST).to_string(), "the interface with address 127.0.0.1");
    }
}
