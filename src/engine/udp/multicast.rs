//! Joining and leaving multicast groups on a UDP socket, with errors a person understands.

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use tokio::net::UdpSocket;

use crate::engine::{EngineError, IoAction, MulticastInterface};

/// ENODEV ("no such device"): what Linux and the BSDs answer for an
/// interface that does not exist, or no route to the group. Same number on each.
#[cfg(unix)]
const ENODEV: i32 = 19;

/// Joins (`join`) or leaves `group` on `interface` with `socket`, bound to `local`.
pub(in crate::engine) fn change(
    socket: &UdpSocket,
    local: SocketAddr,
    group: IpAddr,
    interface: MulticastInterface,
    join: bool,
) -> Result<(), EngineError> {
    if !group.is_multicast() {
        return Err(EngineError::NotMulticast { addr: group });
    }
    // A socket bound to `::` is dual-stack and may take IPv4 groups too.
    let dual_stack = local.ip() == IpAddr::V6(std::net::Ipv6Addr::UNSPECIFIED);
    if local.is_ipv4() != group.is_ipv4() && !(group.is_ipv4() && dual_stack) {
        return Err(EngineError::FamilyMismatch { local, remote: group });
    }
    let result = match (group, interface) {
        (IpAddr::V4(group), MulticastInterface::Any | MulticastInterface::V4(_)) => {
            let on = match interface {
                MulticastInterface::V4(addr) => addr,
                _ => Ipv4Addr::UNSPECIFIED,
            };
            if join { socket.join_multicast_v4(group, on) } else { socket.leave_multicast_v4(group, on) }
        }
        (IpAddr::V6(group), MulticastInterface::Any | MulticastInterface::V6(_)) => {
            let index = match interface {
                MulticastInterface::V6(index) => index,
                _ => 0,
            };
            if join { socket.join_multicast_v6(&group, index) } else { socket.leave_multicast_v6(&group, index) }
        }
        _ => return Err(EngineError::InterfaceMismatch { group, interface }),
    };
    result.map_err(|error| classify(&error, group, interface, join))
}

/// The error the user sees for a failed join or leave.
fn classify(error: &io::Error, group: IpAddr, interface: MulticastInterface, join: bool) -> EngineError {
    #[cfg(unix)]
    let no_device = error.raw_os_error() == Some(ENODEV);
    #[cfg(not(unix))]
    let no_device = false;
    match (error.kind(), interface) {
        (_, MulticastInterface::Any) if no_device => EngineError::NoRouteToGroup { group },
        (_, _) if no_device => EngineError::NoSuchInterface { interface },
        (io::ErrorKind::AddrNotAvailable, MulticastInterface::V4(_)) if join => {
            EngineError::NoSuchInterface { interface }
        }
        (io::ErrorKind::AddrInUse, _) if join => EngineError::AlreadyMember { group, interface },
        (io::ErrorKind::AddrNotAvailable, _) if !join => EngineError::NotMember { group, interface },
        _ => EngineError::io(IoAction::Multicast { join, group, interface }, error),
    }
}
