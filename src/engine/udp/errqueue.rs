//! ICMP errors about the datagrams a UDP socket sent ("port unreachable" and
//! the like), read from the socket's error queue.
//!
//! An unconnected UDP socket on Linux hears of them only with IP_RECVERR
//! (IPV6_RECVERR for IPv6) set; the kernel then queues each on the socket's
//! error queue (where, unread, it takes room from the receive buffer) with
//! the datagram's destination as the message's address and a
//! `sock_extended_err` (ICMP type, code, who sent it) as its control message,
//! and marks the socket in error: epoll reports EPOLLERR (tokio's
//! `Interest::ERROR`), and the next `recv_from` or `send_to` fails once
//! with that error. Reading the queue (`recvmsg` with MSG_ERRQUEUE) takes
//! one entry at a time and clears the mark with the last.
//!
//! Elsewhere this does nothing and the socket behaves as before (Windows
//! reports "port unreachable" on the next receive, which the UDP task reports).
//!
//! The syscalls go through nix, whose safe `recvmsg`, `setsockopt` and
//! control-message parsing keep this crate free of `unsafe`.

use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::net::UdpSocket;

use super::icmp::IcmpReport;

/// Watches one UDP socket's ICMP errors (on Linux; elsewhere it is off).
pub(in crate::engine) struct IcmpWatch {
    /// Whether the error queue is read: the options are set and reading it has not failed.
    on: AtomicBool,
}

impl IcmpWatch {
    /// Asks the system to report ICMP errors on `socket`, bound to `local`.
    /// Off (and the socket as before) where that is not possible or not needed.
    pub(in crate::engine) fn start(socket: &UdpSocket, local: SocketAddr) -> IcmpWatch {
        let on = match sys::enable(socket, local) {
            Ok(on) => on,
            Err(error) => {
                tracing::debug!("UDP socket {local}: ICMP errors will not be reported: {error}");
                false
            }
        };
        IcmpWatch { on: AtomicBool::new(on) }
    }

    /// Whether reports are read.
    pub(in crate::engine) fn is_on(&self) -> bool {
        self.on.load(Ordering::Relaxed)
    }

    /// Stops reading reports (after the error queue could not be read: never retried, so never a spin).
    pub(in crate::engine) fn turn_off(&self, error: &io::Error) {
        tracing::warn!("cannot read a UDP socket's ICMP errors any more: {error}");
        self.on.store(false, Ordering::Relaxed);
    }

    /// Waits until the socket has an error queued, then takes one entry:
    /// its report, or `None` for an entry that is not an ICMP report. One
    /// entry per call, so the caller's loop serves its other work in between.
    /// Never resolves while off.
    pub(in crate::engine) async fn next(&self, socket: &UdpSocket) -> io::Result<Option<IcmpReport>> {
        if !self.is_on() {
            return std::future::pending().await;
        }
        sys::next(socket).await
    }

    /// The reports queued now, at most `max`, without waiting (after a send
    /// or receive failed with the error an ICMP report leaves behind).
    pub(in crate::engine) fn drain(&self, socket: &UdpSocket, max: usize) -> Vec<IcmpReport> {
        let mut reports = Vec::new();
        if !self.is_on() {
            return reports;
        }
        for _ in 0..max {
            match sys::take_one(socket) {
                Ok(Some(report)) => reports.push(report),
                Ok(None) => {}
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => break,
                Err(error) => {
                    self.turn_off(&error);
                    break;
                }
            }
        }
        reports
    }
}

#[cfg(target_os = "linux")]
mod sys {
    use std::io::{self, IoSliceMut};
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
    use std::os::fd::AsRawFd;

    use nix::libc;
    use nix::sys::socket::{self, ControlMessageOwned, MsgFlags, SockaddrStorage, sockopt};
    use tokio::io::Interest;
    use tokio::net::UdpSocket;

    use crate::engine::request::canonical;
    use crate::engine::udp::icmp::{IcmpReason, IcmpReport, Origin};

    /// Sets IP_RECVERR (IPv4) or IPV6_RECVERR (IPv6; and IP_RECVERR too,
    /// for the IPv4 peers of a dual-stack socket, where the system allows it).
    pub(in crate::engine) fn enable(socket: &UdpSocket, local: SocketAddr) -> io::Result<bool> {
        if local.is_ipv4() {
            socket::setsockopt(socket, sockopt::Ipv4RecvErr, &true)?;
        } else {
            socket::setsockopt(socket, sockopt::Ipv6RecvErr, &true)?;
            if let Err(error) = socket::setsockopt(socket, sockopt::Ipv4RecvErr, &true) {
                tracing::debug!("UDP socket {local}: no ICMP errors for IPv4 peers: {error}");
            }
        }
        Ok(true)
    }

    /// Waits for the socket's error mark, then takes one entry. An empty
    /// queue clears the readiness (`WouldBlock`) and waits again.
    pub(in crate::engine) async fn next(socket: &UdpSocket) -> io::Result<Option<IcmpReport>> {
        socket.async_io(Interest::ERROR, || take_one_or_clear(socket)).await
    }

    /// [`take_one`]; on an empty queue, also clears a pending socket error
    /// that no entry carries (so it cannot fail a later send or receive).
    fn take_one_or_clear(socket: &UdpSocket) -> io::Result<Option<IcmpReport>> {
        let taken = take_one(socket);
        if matches!(&taken, Err(error) if error.kind() == io::ErrorKind::WouldBlock)
            && let Ok(Some(error)) = socket.take_error()
        {
            tracing::debug!("UDP: a socket error without an ICMP report: {error}");
        }
        taken
    }

    /// Takes one entry from the error queue without waiting: its report,
    /// `None` if it is not an ICMP report, `WouldBlock` if the queue is empty.
    pub(in crate::engine) fn take_one(socket: &UdpSocket) -> io::Result<Option<IcmpReport>> {
        // The kernel wants room for some of the datagram's payload; one byte will do.
        let mut payload = [0u8; 1];
        let mut iov = [IoSliceMut::new(&mut payload)];
        let mut control = nix::cmsg_space!(libc::sock_extended_err, libc::sockaddr_in6);
        let flags = MsgFlags::MSG_ERRQUEUE | MsgFlags::MSG_DONTWAIT;
        let msg = socket::recvmsg::<SockaddrStorage>(socket.as_raw_fd(), &mut iov, Some(&mut control), flags)?;
        let destination = msg.address.as_ref().and_then(socket_addr).map(canonical);
        let Ok(cmsgs) = msg.cmsgs() else {
            // Cut short (cannot happen with the room above): nothing to read safely.
            return Ok(None);
        };
        for cmsg in cmsgs {
            let (error, reporter) = match cmsg {
                ControlMessageOwned::Ipv4RecvErr(error, offender) => (error, offender.and_then(|a| ipv4(&a))),
                ControlMessageOwned::Ipv6RecvErr(error, offender) => (error, offender.and_then(|a| ipv6(&a))),
                _ => continue,
            };
            let origin = match error.ee_origin {
                libc::SO_EE_ORIGIN_LOCAL => Origin::Local,
                libc::SO_EE_ORIGIN_ICMP => Origin::Icmp,
                libc::SO_EE_ORIGIN_ICMP6 => Origin::Icmp6,
                _ => Origin::Other,
            };
            let errno = i32::try_from(error.ee_errno).unwrap_or(0);
            let reason = IcmpReason::classify(origin, error.ee_type, error.ee_code, error.ee_info, errno);
            return Ok(Some(IcmpReport { destination, reason, reporter }));
        }
        Ok(None)
    }

    /// The datagram's destination, from the message's address.
    fn socket_addr(storage: &SockaddrStorage) -> Option<SocketAddr> {
        if let Some(v4) = storage.as_sockaddr_in() {
            return Some(SocketAddr::from(*v4));
        }
        storage.as_sockaddr_in6().map(|v6| SocketAddr::from(*v6))
    }

    /// The sender of the ICMP error, if the kernel named one (it leaves the
    /// family unset for errors of this machine's own).
    fn ipv4(offender: &libc::sockaddr_in) -> Option<IpAddr> {
        (i32::from(offender.sin_family) == libc::AF_INET)
            .then(|| IpAddr::V4(Ipv4Addr::from(u32::from_be(offender.sin_addr.s_addr))))
    }

    /// [`ipv4`] for an IPv6 socket (an IPv4 sender comes IPv4-mapped).
    fn ipv6(offender: &libc::sockaddr_in6) -> Option<IpAddr> {
        (i32::from(offender.sin6_family) == libc::AF_INET6)
            .then(|| Ipv6Addr::from(offender.sin6_addr.s6_addr).to_canonical())
    }
}

#[cfg(not(target_os = "linux"))]
mod sys {
    use std::io;
    use std::net::SocketAddr;

    use tokio::net::UdpSocket;

    use crate::engine::udp::icmp::IcmpReport;

    /// Nothing to set here: off.
    pub(in crate::engine) fn enable(_socket: &UdpSocket, _local: SocketAddr) -> io::Result<bool> {
        Ok(false)
    }

    /// Never called while off.
    pub(in crate::engine) async fn next(_socket: &UdpSocket) -> io::Result<Option<IcmpReport>> {
        std::future::pending().await
    }

    /// Never called while off.
    pub(in crate::engine) fn take_one(_socket: &UdpSocket) -> io::Result<Option<IcmpReport>> {
        Err(io::ErrorKind::WouldBlock.into())
    }
}
