//! Making a UDP socket as asked: bound, with its broadcast and multicast
//! options set (socket2, for the options tokio does not offer).

use std::io;
use std::net::{SocketAddr, UdpSocket as StdUdpSocket};

use socket2::{Domain, Protocol, Socket, Type};
use tokio::net::UdpSocket;

use crate::engine::{BindUdp, EngineError, IoAction, UdpOption};

/// The largest multicast TTL / hop limit.
const MAX_TTL: u32 = 255;

/// The receive buffer asked for: bursts of datagrams wait in it while the
/// engine is busy, instead of being dropped by the kernel. The kernel caps
/// it at `net.core.rmem_max` (208 KiB by default on Linux, which then
/// doubles the default buffer; 4 MiB where raised); a smaller grant is fine.
const RECV_BUFFER: usize = 4 * 1024 * 1024;

/// A bound, configured, non-blocking UDP socket. Must run inside the runtime.
pub(in crate::engine) fn bind(request: &BindUdp) -> Result<UdpSocket, EngineError> {
    let addr = request.bind;
    let setup = |option| move |error: io::Error| EngineError::io(IoAction::SettingUdp(option, addr), &error);
    let socket = Socket::new(Domain::for_address(addr), Type::DGRAM, Some(Protocol::UDP))
        .map_err(|error| EngineError::io(IoAction::CreatingUdp(addr), &error))?;
    socket.set_broadcast(request.broadcast).map_err(setup(UdpOption::Broadcast))?;
    if let Some(ttl) = request.multicast_ttl {
        if ttl > MAX_TTL {
            return Err(EngineError::TtlOutOfRange { addr, ttl, max: MAX_TTL });
        }
        let set = if addr.is_ipv4() { socket.set_multicast_ttl_v4(ttl) } else { socket.set_multicast_hops_v6(ttl) };
        set.map_err(setup(UdpOption::MulticastTtl))?;
    }
    let set_loop = if addr.is_ipv4() {
        socket.set_multicast_loop_v4(request.multicast_loop)
    } else {
        socket.set_multicast_loop_v6(request.multicast_loop)
    };
    set_loop.map_err(setup(UdpOption::MulticastLoop))?;
    if let Err(error) = socket.set_recv_buffer_size(RECV_BUFFER) {
        // Only a larger buffer was refused: the default one still works.
        tracing::debug!("UDP socket {addr}: SO_RCVBUF {RECV_BUFFER} refused: {error}");
    }
    socket.set_nonblocking(true).map_err(setup(UdpOption::NonBlocking))?;
    socket.bind(&addr.into()).map_err(|error| EngineError::bind_failed(addr, IoAction::BindingUdp(addr), &error))?;
    UdpSocket::from_std(StdUdpSocket::from(socket))
        .map_err(|error| EngineError::io(IoAction::RegisteringUdp(addr), &error))
}

/// The most payload one datagram to `addr` can carry: 65,535 minus the IP
/// (20 or 40 bytes) and UDP (8 bytes) headers. IPv4-mapped IPv6 addresses
/// go over IPv4.
pub(in crate::engine) fn max_datagram(addr: SocketAddr) -> usize {
    match addr {
        SocketAddr::V4(_) => 65_507,
        SocketAddr::V6(v6) if v6.ip().to_ipv4_mapped().is_some() => 65_507,
        SocketAddr::V6(_) => 65_527,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datagram_limits() {
        assert_eq!(max_datagram("127.0.0.1:1".parse().unwrap()), 65_507);
        assert_eq!(max_datagram("[::ffff:127.0.0.1]:1".parse().unwrap()), 65_507);
        assert_eq!(max_datagram("[::1]:1".parse().unwrap()), 65_527);
    }

    #[tokio::test]
    async fn options_are_set() {
        let request = BindUdp {
            bind: "127.0.0.1:0".parse().unwrap(),
            broadcast: true,
            multicast_ttl: Some(7),
            multicast_loop: false,
        };
        let socket = bind(&request).unwrap();
        assert!(socket.broadcast().unwrap());
        assert_eq!(socket.multicast_ttl_v4().unwrap(), 7);
        assert!(!socket.multicast_loop_v4().unwrap());
        assert_ne!(socket.local_addr().unwrap().port(), 0);
        let granted = socket2::SockRef::from(&socket).recv_buffer_size().unwrap();
        if cfg!(target_os = "linux") {
            assert!(granted > 212_992, "a larger receive buffer than Linux's default: {granted}");
        }

        let v6 = BindUdp { multicast_ttl: Some(3), ..BindUdp::new("[::1]:0".parse().unwrap()) };
        let socket = bind(&v6).unwrap();
        assert_eq!(socket2::SockRef::from(&socket).multicast_hops_v6().unwrap(), 3);
        assert!(socket.multicast_loop_v6().unwrap());

        let bad_ttl = BindUdp { multicast_ttl: Some(256), ..BindUdp::new("127.0.0.1:0".parse().unwrap()) };
        assert!(matches!(bind(&bad_ttl), Err(EngineError::TtlOutOfRange { ttl: 256, max: MAX_TTL, .. })));
    }
}
