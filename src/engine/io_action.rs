//! What the engine was doing when the operating system said no, as a typed
//! value: the window words it in the user's language
//! (`model::error_text::io_action`); its `Display` is the English of logs,
//! the command line and engine tests.

use std::fmt;
use std::net::{IpAddr, SocketAddr};

use super::MulticastInterface;

/// A socket option the engine sets on a UDP socket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UdpOption {
    /// `SO_BROADCAST`.
    Broadcast,
    /// The multicast TTL (hop limit).
    MulticastTtl,
    /// Multicast loopback.
    MulticastLoop,
    /// Non-blocking mode.
    NonBlocking,
}

/// What the engine was doing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IoAction {
    /// Listening (TCP) on an address.
    Listening(SocketAddr),
    /// Accepting a client on a listener's address.
    Accepting(SocketAddr),
    /// Binding a TCP client's local address.
    Binding(SocketAddr),
    /// Creating a socket to connect to an address.
    CreatingSocket(SocketAddr),
    /// Connecting to a target (an address, or `host:port` as typed).
    Connecting(String),
    /// Writing to a TCP peer.
    WritingTo(SocketAddr),
    /// Reading from a TCP peer.
    ReadingFrom(SocketAddr),
    /// Watching a TCP connection for errors (after a half-close).
    Watching(SocketAddr),
    /// Creating a UDP socket for an address.
    CreatingUdp(SocketAddr),
    /// Setting an option of a UDP socket.
    SettingUdp(UdpOption, SocketAddr),
    /// Binding a UDP socket.
    BindingUdp(SocketAddr),
    /// Handing a UDP socket to the runtime.
    RegisteringUdp(SocketAddr),
    /// Receiving on a UDP socket.
    Receiving(SocketAddr),
    /// A UDP socket's error queue told of an earlier datagram refused.
    EarlierDatagram(SocketAddr),
    /// Sending a datagram of `len` bytes.
    SendingTo {
        /// The datagram's size.
        len: usize,
        /// Where to.
        addr: SocketAddr,
    },
    /// Joining (or leaving) a multicast group on an interface.
    Multicast {
        /// Joining (`false`: leaving).
        join: bool,
        /// The group.
        group: IpAddr,
        /// The interface.
        interface: MulticastInterface,
    },
}

impl IoAction {
    /// A port below 1024 being bound or listened on (needs administrator rights).
    pub fn privileged_port(&self) -> bool {
        match self {
            IoAction::Listening(addr) | IoAction::Binding(addr) | IoAction::BindingUdp(addr) => {
                addr.port() != 0 && addr.port() < 1024
            }
            _ => false,
        }
    }
}

impl fmt::Display for UdpOption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            UdpOption::Broadcast => "setting the broadcast option",
            UdpOption::MulticastTtl => "setting the multicast TTL",
            UdpOption::MulticastLoop => "setting multicast loopback",
            UdpOption::NonBlocking => "making non-blocking",
        })
    }
}

impl fmt::Display for IoAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IoAction::Listening(addr) => write!(f, "listening on {addr}"),
            IoAction::Accepting(addr) => write!(f, "accepting a client on {addr}"),
            IoAction::Binding(addr) => write!(f, "binding {addr}"),
            IoAction::CreatingSocket(addr) => write!(f, "creating a socket for {addr}"),
            IoAction::Connecting(target) => write!(f, "connect to {target}"),
            IoAction::WritingTo(addr) => write!(f, "writing to {addr}"),
            IoAction::ReadingFrom(addr) => write!(f, "reading from {addr}"),
            IoAction::Watching(addr) => write!(f, "connection with {addr}"),
            IoAction::CreatingUdp(addr) => write!(f, "creating UDP socket {addr}"),
            IoAction::SettingUdp(option, addr) => write!(f, "{option} of UDP socket {addr}"),
            IoAction::BindingUdp(addr) => write!(f, "binding UDP {addr}"),
            IoAction::RegisteringUdp(addr) => write!(f, "registering UDP socket {addr}"),
            IoAction::Receiving(addr) => write!(f, "receiving on UDP socket {addr}"),
            IoAction::EarlierDatagram(addr) => write!(f, "UDP socket {addr}: an earlier datagram was refused"),
            IoAction::SendingTo { len, addr } => write!(f, "sending {len} bytes to {addr}"),
            IoAction::Multicast { join, group, interface } => {
                write!(f, "{} multicast group {group} on {interface}", if *join { "joining" } else { "leaving" })
            }
        }
    }
}
