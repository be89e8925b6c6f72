//! One UDP socket, serviced by one task: received datagrams, the queue of
//! datagrams to send (each resolved first if a host name was given),
//! multicast membership changes and cancellation in a single `select!` loop.
//! A failed send or join is reported and the socket carries on. Each
//! datagram received goes through the auto-reply rules here too, and the
//! replies without delay are sent before the next queued command. ICMP
//! errors about datagrams sent ("port unreachable") are reported as they
//! come back, on Linux from the socket's error queue (see [`self::errqueue`]).

pub(super) mod errqueue;
pub(super) mod icmp;
mod multicast;
pub(super) mod setup;

use crate::ids::ConnId;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::time::SystemTime;

use bytes::Bytes;
use tokio::net::UdpSocket;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use self::errqueue::IcmpWatch;
use self::setup::max_datagram;
use super::auto_reply::reply_queue::{UdpReplies, UdpReply};
use super::emit::{Emitter, Tail};
use super::outgoing::JobItem;
use super::outgoing::UdpCommand;
use super::request::canonical;
use super::resolve::resolve;
use super::shared::Shared;
use super::{BindUdp, CloseReason, EngineError, Event, IcmpReport, IoAction, MulticastInterface};

/// Receive buffer per socket: more than the largest datagram (65,527 bytes
/// over IPv6), so a datagram is never cut short.
const RECV_BUFFER: usize = 65_536;
/// The most ICMP reports read at once after a failed receive (the rest
/// follow one per turn of the loop).
const MAX_REPORTS: usize = 64;
/// How many times a datagram is sent again when the send fails only
/// because of an earlier datagram's ICMP error (see [`Udp::send_datagram`]).
const STALE_RETRIES: usize = 3;

/// The whole life of UDP socket `id`: `UdpBindFailed`, or `UdpBound` … `UdpClosed`.
/// `sender` is the sending end of `commands` (where delayed auto-replies go).
pub(super) async fn run(
    id: ConnId,
    request: BindUdp,
    mut commands: mpsc::Receiver<UdpCommand>,
    sender: mpsc::WeakSender<UdpCommand>,
    cancel: CancellationToken,
    shared: Shared,
) {
    // This socket's data are datagrams, for a capture.
    let shared = Shared { emitter: shared.emitter.for_udp(), ..shared };
    let emitter = &shared.emitter;
    let bound = setup::bind(&request).and_then(|socket| match socket.local_addr() {
        Ok(local) => Ok((socket, local)),
        Err(error) => Err(EngineError::io(IoAction::BindingUdp(request.bind), &error)),
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
    let icmp = IcmpWatch::start(&socket, local);
    let udp = Udp { id, socket, local, broadcast: request.broadcast, icmp, shared: &shared };
    let mut replies = UdpReplies::new(shared.settings.auto_replies.clone(), id, sender);
    let mut tail = Tail::default();
    let (reason, unsent) = udp.pump(&mut commands, &mut replies, &mut tail, &cancel).await;
    drop(udp);
    tracing::debug!("UDP socket #{id} on {local} closed: {reason:?}");
    // The last datagram held back in a flood is shown whole before the close.
    emitter.flush_tail(&mut tail).await;
    refuse_unsent(id, unsent, &mut commands, emitter).await;
    emitter.emit(Event::UdpClosed { socket: id, reason, at: SystemTime::now() }).await;
}

/// Stops `commands` taking more and reports `unsent` plus each command the
/// user queued that is still queued as not carried out (`CommandFailed` with
/// `NotConnected`). Jobs' datagrams and delayed auto-replies are dropped: their
/// jobs learn it from their dropped acknowledgements, and those replies were never announced.
async fn refuse_unsent(id: ConnId, unsent: usize, commands: &mut mpsc::Receiver<UdpCommand>, emitter: &Emitter) {
    commands.close();
    let mut refused = unsent;
    while let Ok(command) = commands.try_recv() {
        refused += usize::from(command.is_user());
    }
    for _ in 0..refused {
        emitter.command_failed(id, EngineError::NotConnected { conn: id }).await;
    }
}

/// A host name being resolved for a datagram.
type Resolving = Pin<Box<dyn Future<Output = Result<Vec<SocketAddr>, EngineError>> + Send>>;

/// A datagram being sent.
struct Sending {
    addr: SocketAddr,
    data: Bytes,
    /// For a job's datagram: told how it went.
    job: Option<JobItem>,
    /// Whether the user queued it (reported as not sent if the socket closes first).
    user: bool,
}

/// A bound socket and what its loop needs.
struct Udp<'a> {
    id: ConnId,
    socket: UdpSocket,
    local: SocketAddr,
    /// Whether SO_BROADCAST is set (to explain EACCES).
    broadcast: bool,
    /// Reads the ICMP errors about datagrams sent (on Linux).
    icmp: IcmpWatch,
    shared: &'a Shared,
}

impl Udp<'_> {
    /// The loop: returns why the socket closed and how many datagrams the
    /// user queued were taken from the queue but not sent.
    async fn pump(
        &self,
        commands: &mut mpsc::Receiver<UdpCommand>,
        replies: &mut UdpReplies,
        tail: &mut Tail,
        cancel: &CancellationToken,
    ) -> (CloseReason, usize) {
        let emitter = &self.shared.emitter;
        let mut buf = vec![0u8; RECV_BUFFER];
        // At most one datagram is on its way out: its host being resolved, or being sent.
        let mut resolving: Option<(String, Resolving, Bytes)> = None;
        let mut sending: Option<Sending> = None;
        let mut queue_open = true;
        loop {
            let unsent = usize::from(resolving.is_some() || sending.as_ref().is_some_and(|s| s.user));
            if cancel.is_cancelled() {
                return (CloseReason::Local, unsent);
            }
            // Replies without delay go before the queued commands.
            if resolving.is_none()
                && sending.is_none()
                && let Some(reply) = replies.next_immediate()
            {
                emitter.settle(tail).await;
                sending = self.start_reply(reply).await;
            }
            let busy = resolving.is_some() || sending.is_some();
            tokio::select! {
                () = cancel.cancelled() => {}
                received = self.socket.recv_from(&mut buf) => {
                    if let Err(reason) = self.on_received(received, &buf, replies, tail).await {
                        return (reason, unsent);
                    }
                }
                // One error queue entry per turn: never more than a bounded amount of work per wakeup.
                // A datagram held back in a flood goes whole as soon as the queue has room for it.
                _ = emitter.flush_tail(tail), if tail.is_holding() => {}
                report = self.icmp.next(&self.socket), if self.icmp.is_on() => match report {
                    Ok(Some(report)) => {
                        emitter.settle(tail).await;
                        self.report_icmp(report).await;
                    }
                    Ok(None) => {}
                    Err(error) => self.icmp.turn_off(&error),
                },
                resolved = async { match resolving.as_mut() {
                    Some((_, future, _)) => future.as_mut().await,
                    None => std::future::pending().await,
                } }, if resolving.is_some() => {
                    emitter.settle(tail).await;
                    if let Some((host, _, data)) = resolving.take() {
                        sending = self.checked(&host, resolved, data, None, true).await;
                    }
                }
                sent = async { match sending.as_ref() {
                    Some(Sending { addr, data, .. }) => self.send_datagram(data, *addr).await,
                    None => std::future::pending().await,
                } }, if sending.is_some() => {
                    emitter.settle(tail).await;
                    if let Some(done) = sending.take() {
                        self.on_sent(sent, done).await;
                    }
                }
                command = commands.recv(), if !busy && queue_open => {
                    // What was received before the command is shown before what it does.
                    emitter.settle(tail).await;
                    match command {
                        Some(UdpCommand::SendTo { host, port, data }) => match host.parse::<IpAddr>() {
                            Ok(ip) => {
                                let addrs = Ok(vec![SocketAddr::new(ip, port)]);
                                sending = self.checked(&host, addrs, data, None, true).await;
                            }
                            Err(_) => {
                                let resolver = self.shared.settings.resolver.clone();
                                let name = host.clone();
                                let future = async move { resolve(&name, port, resolver.as_ref()).await };
                                resolving = Some((host, Box::pin(future), data));
                            }
                        },
                        // A job's datagram its job has withdrawn is dropped unsent.
                        Some(UdpCommand::SendResolved { job: Some(job), .. }) if !job.take() => {}
                        Some(UdpCommand::SendResolved { host, addrs, data, job, rule }) => {
                            if let (Some(rule), Some(to)) = (rule, addrs.first()) {
                                self.announce(*to, &rule).await;
                            }
                            sending = self.checked(&host, Ok(addrs.to_vec()), data, job, false).await;
                        }
                        Some(UdpCommand::Join { group, interface }) => self.membership(group, interface, true).await,
                        Some(UdpCommand::Leave { group, interface }) => self.membership(group, interface, false).await,
                        None => queue_open = false,
                    }
                }
            }
        }
    }

    /// Reports a received datagram and applies the auto-reply rules to it;
    /// `Err` if the socket is broken.
    async fn on_received(
        &self,
        received: io::Result<(usize, SocketAddr)>,
        buf: &[u8],
        replies: &mut UdpReplies,
        tail: &mut Tail,
    ) -> Result<(), CloseReason> {
        match received {
            Ok((n, from)) => {
                let data = Bytes::copy_from_slice(&buf[..n]);
                let at = SystemTime::now();
                let event = Event::Received { conn: self.id, peer: canonical(from), data: data.clone(), at };
                self.shared.emitter.emit_data(event, tail).await;
                replies.on_received(self.id, from, &data, &self.shared.emitter).await;
            }
            Err(error) if is_icmp_report(&error) => {
                self.shared.emitter.settle(tail).await;
                // On Linux the error queue says which datagram it was, and why.
                let reports = self.icmp.drain(&self.socket, MAX_REPORTS);
                if reports.is_empty() {
                    let error = EngineError::io(IoAction::EarlierDatagram(self.local), &error);
                    self.shared.emitter.command_failed(self.id, error).await;
                }
                for report in reports {
                    self.report_icmp(report).await;
                }
            }
            Err(error) => {
                return Err(CloseReason::Error(EngineError::io(IoAction::Receiving(self.local), &error)));
            }
        }
        Ok(())
    }

    /// Reports an ICMP error about a datagram sent; the socket carries on.
    async fn report_icmp(&self, report: IcmpReport) {
        tracing::debug!("UDP socket #{} on {}: {report}", self.id, self.local);
        self.shared.emitter.emit(Event::IcmpReport { socket: self.id, report, at: SystemTime::now() }).await;
    }

    /// Sends one datagram. With ICMP errors reported (Linux), an error that
    /// came back for an earlier datagram marks the socket, and the next send
    /// fails with it once, without sending: this datagram is not at fault,
    /// so it is sent again (up to [`STALE_RETRIES`] times; the error itself
    /// is reported from the error queue, which that failure does not empty).
    async fn send_datagram(&self, data: &[u8], addr: SocketAddr) -> io::Result<usize> {
        let mut retries = 0;
        loop {
            match self.socket.send_to(data, addr).await {
                Err(error) if retries < STALE_RETRIES && self.icmp.is_on() && is_icmp_report(&error) => {
                    tracing::debug!("UDP socket #{}: send to {addr} met an earlier ICMP error: {error}", self.id);
                    retries += 1;
                }
                sent => return sent,
            }
        }
    }

    /// Reports that `rule` fires and its reply to `to` is being sent.
    async fn announce(&self, to: SocketAddr, rule: &str) {
        let event =
            Event::AutoReplied { conn: self.id, peer: canonical(to), rule: rule.to_owned(), at: SystemTime::now() };
        self.shared.emitter.emit(event).await;
    }

    /// Starts sending an auto-reply without delay, announcing it first.
    async fn start_reply(&self, reply: UdpReply) -> Option<Sending> {
        let UdpReply { to, rule, data } = reply;
        self.announce(to, &rule).await;
        self.checked(&to.to_string(), Ok(vec![to]), data, None, false).await
    }

    /// Where a datagram for `host` goes, given what it resolved to; `None`
    /// (and the failure reported, to `ack` too) if it cannot be sent.
    async fn checked(
        &self,
        host: &str,
        resolved: Result<Vec<SocketAddr>, EngineError>,
        data: Bytes,
        job: Option<JobItem>,
        user: bool,
    ) -> Option<Sending> {
        match resolved.and_then(|addrs| self.destination(host, &addrs, data.len())) {
            Ok(addr) => Some(Sending { addr, data, job, user }),
            Err(error) => {
                if let Some(job) = job {
                    let _ = job.ack.send(Err(error.clone()));
                }
                self.shared.emitter.command_failed(self.id, error).await;
                None
            }
        }
    }

    /// Reports how sending a datagram went (to its job too, if any).
    async fn on_sent(&self, sent: io::Result<usize>, done: Sending) {
        let Sending { addr, data, job, .. } = done;
        let (conn, at, len) = (self.id, SystemTime::now(), data.len());
        let (event, outcome) = match sent {
            Ok(_) => (Event::Sent { conn, peer: canonical(addr), data, at }, Ok(())),
            Err(error) => {
                let error = self.send_error(addr, data.len(), &error);
                (Event::CommandFailed { conn: Some(conn), error: error.clone(), at }, Err(error))
            }
        };
        self.shared.emitter.emit(event).await;
        match (job, outcome) {
            (Some(job), Ok(())) => job.written(len),
            (Some(job), Err(error)) => {
                let _ = job.ack.send(Err(error));
            }
            (None, _) => {}
        }
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
            io::ErrorKind::PermissionDenied => {
                EngineError::PermissionDenied { action: IoAction::SendingTo { len, addr } }
            }
            _ => EngineError::io(IoAction::SendingTo { len, addr }, error),
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

/// A receive (or send) error that reports what happened to an earlier
/// datagram (an ICMP error: Windows reports "port unreachable" this way;
/// Linux too, once, for a socket with IP_RECVERR, whose error queue then
/// tells more), not a broken socket.
fn is_icmp_report(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::HostUnreachable
            | io::ErrorKind::NetworkUnreachable
    )
}
