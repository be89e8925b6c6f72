//! One UDP socket, serviced by one task: received datagrams, the queue of
//! datagrams to send (each resolved first if a host name was given),
//! multicast membership changes and cancellation in a single `select!` loop.
//! A failed send or join is reported and the socket carries on.

use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::time::SystemTime;

use bytes::Bytes;
use tokio::net::UdpSocket;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::dispatch::Shared;
use super::emit::Emitter;
use super::request::canonical;
use super::resolve::resolve;
use super::udp_setup::{self, max_datagram};
use super::{BindUdp, CloseReason, ConnId, EngineError, Event, MulticastInterface, multicast};

/// Receive buffer per socket: more than the largest datagram (65,527 bytes
/// over IPv6), so a datagram is never cut short.
const RECV_BUFFER: usize = 65_536;

/// What the UI asks of a UDP socket, in the order asked.
#[derive(Debug)]
pub(super) enum UdpCommand {
    /// Send one datagram to `host:port`.
    SendTo { host: String, port: u16, data: Bytes },
    /// Join a multicast group.
    Join { group: IpAddr, interface: MulticastInterface },
    /// Leave a multicast group.
    Leave { group: IpAddr, interface: MulticastInterface },
}

/// The whole life of UDP socket `id`: `UdpBindFailed`, or `UdpBound` … `UdpClosed`.
pub(super) async fn run(
    id: ConnId,
    request: BindUdp,
    mut commands: mpsc::Receiver<UdpCommand>,
    cancel: CancellationToken,
    shared: Shared,
) {
    // This socket's data are datagrams, for a capture.
    let shared = Shared { emitter: shared.emitter.for_udp(), ..shared };
    let emitter = &shared.emitter;
    let bound = udp_setup::bind(&request).and_then(|socket| match socket.local_addr() {
        Ok(local) => Ok((socket, local)),
        Err(error) => Err(EngineError::io(format!("binding UDP {}", request.bind), &error)),
    });
    let (socket, local) = match bound {
        Ok(bound) => bound,
        Err(error) => {
            tracing::debug!("UDP socket #{id} failed: {error}");
            refuse_unsent(id, 0, &mut commands, emitter).await;
            emitter.emit(Event::UdpBindFailed { socket: id, error, at: SystemTime::now() }).await;
            return;
        }
    };
    emitter.emit(Event::UdpBound { socket: id, local, at: SystemTime::now() }).await;
    let udp = Udp { id, socket, local, broadcast: request.broadcast, shared: &shared };
    let (reason, unsent) = udp.pump(&mut commands, &cancel).await;
    drop(udp);
    tracing::debug!("UDP socket #{id} on {local} closed: {reason:?}");
    refuse_unsent(id, unsent, &mut commands, emitter).await;
    emitter.emit(Event::UdpClosed { socket: id, reason, at: SystemTime::now() }).await;
}

/// Stops `commands` taking more and reports `unsent` plus each command still
/// queued as not carried out (`CommandFailed` with `NotConnected`).
async fn refuse_unsent(id: ConnId, unsent: usize, commands: &mut mpsc::Receiver<UdpCommand>, emitter: &Emitter) {
    commands.close();
    let mut refused = unsent;
    while commands.try_recv().is_ok() {
        refused += 1;
    }
    for _ in 0..refused {
        emitter.command_failed(id, EngineError::NotConnected { conn: id }).await;
    }
}

/// A host name being resolved for a datagram.
type Resolving = Pin<Box<dyn Future<Output = Result<Vec<SocketAddr>, EngineError>> + Send>>;

/// A bound socket and what its loop needs.
struct Udp<'a> {
    id: ConnId,
    socket: UdpSocket,
    local: SocketAddr,
    /// Whether SO_BROADCAST is set (to explain EACCES).
    broadcast: bool,
    shared: &'a Shared,
}

impl Udp<'_> {
    /// The loop: returns why the socket closed and how many datagrams were
    /// taken from the queue but not sent.
    async fn pump(
        &self,
        commands: &mut mpsc::Receiver<UdpCommand>,
        cancel: &CancellationToken,
    ) -> (CloseReason, usize) {
        let mut buf = vec![0u8; RECV_BUFFER];
        // At most one datagram is on its way out: its host being resolved, or being sent.
        let mut resolving: Option<(String, Resolving, Bytes)> = None;
        let mut sending: Option<(SocketAddr, Bytes)> = None;
        let mut queue_open = true;
        loop {
            let busy = resolving.is_some() || sending.is_some();
            if cancel.is_cancelled() {
                return (CloseReason::Local, usize::from(busy));
            }
            tokio::select! {
                () = cancel.cancelled() => {}
                received = self.socket.recv_from(&mut buf) => {
                    if let Err(reason) = self.on_received(received, &buf).await {
                        return (reason, usize::from(busy));
                    }
                }
                resolved = async { match resolving.as_mut() {
                    Some((_, future, _)) => future.as_mut().await,
                    None => std::future::pending().await,
                } }, if resolving.is_some() => {
                    if let Some((host, _, data)) = resolving.take() {
                        sending = self.checked(&host, resolved, data).await;
                    }
                }
                sent = async { match sending.as_ref() {
                    Some((addr, data)) => self.socket.send_to(data, *addr).await,
                    None => std::future::pending().await,
                } }, if sending.is_some() => {
                    if let Some((addr, data)) = sending.take() {
                        self.on_sent(sent, addr, data).await;
                    }
                }
                command = commands.recv(), if !busy && queue_open => match command {
                    Some(UdpCommand::SendTo { host, port, data }) => match host.parse::<IpAddr>() {
                        Ok(ip) => sending = self.checked(&host, Ok(vec![SocketAddr::new(ip, port)]), data).await,
                        Err(_) => {
                            let resolver = self.shared.settings.resolver.clone();
                            let name = host.clone();
                            let future = async move { resolve(&name, port, resolver.as_ref()).await };
                            resolving = Some((host, Box::pin(future), data));
                        }
                    },
                    Some(UdpCommand::Join { group, interface }) => self.membership(group, interface, true).await,
                    Some(UdpCommand::Leave { group, interface }) => self.membership(group, interface, false).await,
                    None => queue_open = false,
                },
            }
        }
    }

    /// Reports a received datagram; `Err` if the socket is broken.
    async fn on_received(&self, received: io::Result<(usize, SocketAddr)>, buf: &[u8]) -> Result<(), CloseReason> {
        match received {
            Ok((n, from)) => {
                let data = Bytes::copy_from_slice(&buf[..n]);
                let event = Event::Received { conn: self.id, peer: canonical(from), data, at: SystemTime::now() };
                self.shared.emitter.emit(event).await;
            }
            Err(error) if is_icmp_report(&error) => {
                let context = format!("UDP socket {}: an earlier datagram was refused", self.local);
                self.shared.emitter.command_failed(self.id, EngineError::io(context, &error)).await;
            }
            Err(error) => {
                let context = format!("receiving on UDP socket {}", self.local);
                return Err(CloseReason::Error(EngineError::io(context, &error)));
            }
        }
        Ok(())
    }

    /// Where a datagram for `host` goes, given what it resolved to; `None`
    /// (and the failure reported) if it cannot be sent.
    async fn checked(
        &self,
        host: &str,
        resolved: Result<Vec<SocketAddr>, EngineError>,
        data: Bytes,
    ) -> Option<(SocketAddr, Bytes)> {
        match resolved.and_then(|addrs| self.destination(host, &addrs, data.len())) {
            Ok(addr) => Some((addr, data)),
            Err(error) => {
                self.shared.emitter.command_failed(self.id, error).await;
                None
            }
        }
    }

    /// Reports how sending `data` to `addr` went.
    async fn on_sent(&self, sent: io::Result<usize>, addr: SocketAddr, data: Bytes) {
        let (conn, at) = (self.id, SystemTime::now());
        let event = match sent {
            Ok(_) => Event::Sent { conn, peer: canonical(addr), data, at },
            Err(error) => {
                Event::CommandFailed { conn: Some(conn), error: self.send_error(addr, data.len(), &error), at }
            }
        };
        self.shared.emitter.emit(event).await;
    }

    /// Picks where a datagram of `len` bytes goes among `addrs` (what `host`
    /// resolved to): the first of the socket's IP version (an IPv4 one,
    /// mapped, for an IPv6 socket if there is none); and checks that it fits
    /// in one datagram.
    fn destination(&self, host: &str, addrs: &[SocketAddr], len: usize) -> Result<SocketAddr, EngineError> {
        let same = addrs.iter().find(|addr| addr.is_ipv4() == self.local.is_ipv4());
        let addr = match (same, addrs.first()) {
            (Some(addr), _) => *addr,
            (None, Some(SocketAddr::V4(v4))) if self.local.is_ipv6() => {
                SocketAddr::new(IpAddr::V6(v4.ip().to_ipv6_mapped()), v4.port())
            }
            (None, Some(other)) => return Err(EngineError::FamilyMismatch { local: self.local, remote: other.ip() }),
            (None, None) => {
                let detail = "the resolver returned no address".to_owned();
                return Err(EngineError::HostNotFound { host: host.to_owned(), detail });
            }
        };
        let max = max_datagram(addr);
        if len > max {
            return Err(EngineError::DatagramTooLarge { len, max });
        }
        Ok(addr)
    }

    /// The error the user sees for a failed `send_to`.
    fn send_error(&self, addr: SocketAddr, len: usize, error: &io::Error) -> EngineError {
        let addr = canonical(addr);
        match error.kind() {
            io::ErrorKind::PermissionDenied if !self.broadcast => EngineError::BroadcastNotAllowed { addr },
            io::ErrorKind::PermissionDenied => EngineError::PermissionDenied { what: format!("sending to {addr}") },
            _ => EngineError::io(format!("sending {len} bytes to {addr}"), error),
        }
    }

    /// Joins or leaves a group and reports how it went.
    async fn membership(&self, group: IpAddr, interface: MulticastInterface, join: bool) {
        let (socket, at) = (self.id, SystemTime::now());
        let event = match multicast::change(&self.socket, self.local, group, interface, join) {
            Ok(()) if join => Event::MulticastJoined { socket, group, interface, at },
            Ok(()) => Event::MulticastLeft { socket, group, interface, at },
            Err(error) => Event::CommandFailed { conn: Some(socket), error, at },
        };
        self.shared.emitter.emit(event).await;
    }
}

/// A receive error that reports what happened to an earlier datagram (an
/// ICMP error: Windows reports "port unreachable" this way, Linux only on
/// connected sockets), not a broken socket.
fn is_icmp_report(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::HostUnreachable
            | io::ErrorKind::NetworkUnreachable
    )
}
