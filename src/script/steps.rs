//! Each kind of step: how it starts (the command it queues) and when it is
//! done (a test over what the events told the run).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use super::link::{Link, LinkKind};
use super::model::{Action, Check, Expect, Send};
use super::report::{Detail, Shown, ShownReason, StepFailure};
use super::runner::{Retry, Runner, SEND_TIMEOUT};
use crate::codec::{Charset, append_checksum};
use crate::engine::{BindUdp, CommandError, EngineError, EngineHandle, ListenTcp, TcpConnect};
use crate::ids::ConnId;

/// How long a close may take before it fails.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(10);
/// Beyond its own timeout (which the engine applies), how long a connect may take.
const CONNECT_GRACE: Duration = Duration::from_secs(2);

/// What a started step waits for.
#[derive(Clone, Debug)]
pub(super) enum Waiting {
    /// Nothing: it is done.
    Now(Result<Detail, StepFailure>),
    Connect {
        id: ConnId,
        deadline: Instant,
        target: String,
        timeout: Duration,
    },
    Listen,
    Accept {
        deadline: Instant,
        timeout: Duration,
    },
    Bind {
        id: ConnId,
    },
    Send {
        id: ConnId,
        shown: Shown,
        bytes: u64,
        events: u64,
        deadline: Instant,
    },
    Sleep {
        until: Instant,
    },
    Expect {
        id: ConnId,
        deadline: Instant,
        timeout: Duration,
    },
    ExpectClose {
        id: ConnId,
        deadline: Instant,
        timeout: Duration,
    },
    Close {
        id: ConnId,
        deadline: Instant,
    },
    StopListener,
}

/// Whether a step is done.
pub(super) enum Started {
    /// Not yet: look again at this time, or on the next event.
    Waiting(Option<Instant>),
    /// Done.
    Done(Result<Detail, StepFailure>),
}

type Start = Result<Waiting, Retry>;

/// A command the engine refused: retry when busy, else the step fails.
fn refused(error: CommandError) -> Start {
    match error {
        CommandError::QueueFull => Err(Retry),
        CommandError::Stopped => Ok(Waiting::Now(Err(StepFailure::Command(error)))),
    }
}

#[allow(clippy::unnecessary_wraps)] // a `Start` like every other arm of `start`
fn now_done(result: Result<Detail, StepFailure>) -> Start {
    Ok(Waiting::Now(result))
}

impl Runner {
    /// Starts the running step: queues its command, or does it at once.
    pub(super) fn start(&mut self, engine: &EngineHandle, now: Instant) -> Start {
        let Some(step) = self.active_step() else { return now_done(Ok(Detail::Waited)) };
        match step.action.clone() {
            Action::Connect { host, port, local_port, timeout } => {
                let (host, port) = self.options.remote.clone().unwrap_or((host, port));
                self.drop_current(engine, LinkKind::Tcp);
                let target = if host.contains(':') { format!("[{host}]:{port}") } else { format!("{host}:{port}") };
                let request = TcpConnect {
                    host,
                    port,
                    local_port,
                    timeout,
                    half_close: false,
                    keepalive: Some(crate::engine::DEFAULT_KEEPALIVE),
                };
                match engine.connect_tcp(request) {
                    Ok(id) => {
                        self.adopt(id, LinkKind::Tcp);
                        Ok(Waiting::Connect { id, deadline: now + timeout + CONNECT_GRACE, target, timeout })
                    }
                    Err(error) => refused(error),
                }
            }
            Action::Listen { bind } => {
                let bind = self.local(bind);
                if let Some(id) = self.links.listener.id.filter(|_| !self.links.listener.closed) {
                    let _ = engine.stop_listener(id);
                }
                match engine.listen_tcp(ListenTcp::new(bind)) {
                    Ok(id) => {
                        self.links.listener = Default::default();
                        self.links.listener.id = Some(id);
                        self.links.listeners.push(id);
                        Ok(Waiting::Listen)
                    }
                    Err(error) => refused(error),
                }
            }
            Action::Accept { timeout } => match self.links.listener.id {
                None => now_done(Err(StepFailure::NoListener)),
                Some(_) => Ok(Waiting::Accept { deadline: now + timeout, timeout }),
            },
            Action::BindUdp { bind, remote } => {
                let bind = self.local(bind);
                self.drop_current(engine, LinkKind::Udp);
                match engine.bind_udp(BindUdp::new(bind)) {
                    Ok(id) => {
                        self.udp_remote = self.options.remote.clone().or(remote);
                        self.adopt(id, LinkKind::Udp);
                        Ok(Waiting::Bind { id })
                    }
                    Err(error) => refused(error),
                }
            }
            Action::Send(send) => self.start_send(&send, engine, now),
            Action::Wait(duration) => Ok(Waiting::Sleep { until: now + duration }),
            Action::Expect(Expect { check, timeout }) => {
                let Some((id, link)) = self.current_link() else { return now_done(Err(StepFailure::NoConnection)) };
                let deadline = now + timeout;
                match (check, link.kind) {
                    (Check::Closed, LinkKind::Udp) => now_done(Err(StepFailure::NotAStream)),
                    (Check::Closed, LinkKind::Tcp) => Ok(Waiting::ExpectClose { id, deadline, timeout }),
                    _ => {
                        if let Some(link) = self.links.links.get_mut(&id) {
                            link.icmp = None;
                        }
                        Ok(Waiting::Expect { id, deadline, timeout })
                    }
                }
            }
            Action::Set { name, value } => {
                let charset = value.charset().unwrap_or(Charset::Utf8);
                match value.template().expand(&mut self.vars, self.captures.as_ref(), Runner::wall_clock()) {
                    Ok(bytes) => {
                        let value = charset.decode_all(&bytes).text;
                        self.vars.user.insert(name.clone(), value.clone());
                        now_done(Ok(Detail::Set { name, value }))
                    }
                    Err(error) => now_done(Err(StepFailure::Expand(error))),
                }
            }
            Action::Close => self.start_close(engine, now),
            Action::Repeat { .. } => now_done(Ok(Detail::Waited)),
        }
    }

    fn start_send(&mut self, send: &Send, engine: &EngineHandle, now: Instant) -> Start {
        let Some((id, link)) = self.current_link() else { return now_done(Err(StepFailure::NoConnection)) };
        if let Some(reason) = &link.closed {
            return now_done(Err(StepFailure::Closed(ShownReason(reason.clone()))));
        }
        let to = match link.kind {
            LinkKind::Tcp => None,
            LinkKind::Udp => match (&self.udp_remote, link.last_peer) {
                (Some((host, port)), _) => Some((host.clone(), *port)),
                (None, Some(peer)) => Some((peer.ip().to_string(), peer.port())),
                (None, None) => return now_done(Err(StepFailure::NoPeer)),
            },
        };
        let (bytes_before, events_before) = (link.sent_bytes, link.sent_events);
        // Filled in once: a retry (engine busy) sends the same bytes, and ${seq} advances once.
        let data = match self.pending_send.take() {
            Some(data) => data,
            None => {
                let expanded =
                    send.payload.template().expand(&mut self.vars, self.captures.as_ref(), Runner::wall_clock());
                let mut data = match expanded {
                    Ok(data) => data,
                    Err(error) => return now_done(Err(StepFailure::Expand(error))),
                };
                if let Some(kind) = send.checksum {
                    append_checksum(&mut data, kind);
                }
                data.extend_from_slice(send.append.bytes());
                data
            }
        };
        let shown = Shown { bytes: data.clone(), charset: send.payload.charset() };
        if data.is_empty() && to.is_none() {
            return now_done(Ok(Detail::Sent(shown)));
        }
        let len = data.len() as u64;
        let queued = match &to {
            Some((host, port)) => engine.send_to(id, host.clone(), *port, data.clone().into()),
            None => engine.send(id, data.clone().into()),
        };
        match queued {
            Ok(()) => {
                if let Some(link) = self.links.links.get_mut(&id) {
                    link.command_failed = None;
                }
                let deadline = now + SEND_TIMEOUT;
                Ok(Waiting::Send { id, shown, bytes: bytes_before + len, events: events_before + 1, deadline })
            }
            Err(error) => {
                self.pending_send = Some(data);
                refused(error)
            }
        }
    }

    fn start_close(&mut self, engine: &EngineHandle, now: Instant) -> Start {
        if let Some((id, link)) = self.current_link() {
            if let Some(reason) = &link.closed {
                return now_done(Ok(Detail::AlreadyClosed(ShownReason(reason.clone()))));
            }
            return match engine.disconnect(id) {
                Ok(()) => Ok(Waiting::Close { id, deadline: now + CLOSE_TIMEOUT }),
                Err(error) => refused(error),
            };
        }
        match self.links.listener.id {
            Some(id) if !self.links.listener.closed => match engine.stop_listener(id) {
                Ok(()) => Ok(Waiting::StopListener),
                Err(error) => refused(error),
            },
            _ => now_done(Err(StepFailure::NoConnection)),
        }
    }

    /// Whether the running step is done, from what the events said.
    pub(super) fn check(&mut self, waiting: &Waiting, now: Instant) -> Started {
        let links = &self.links.links;
        let done = Started::Done;
        match waiting {
            Waiting::Now(result) => done(result.clone()),
            Waiting::Connect { id, deadline, target, timeout } => match links.get(id) {
                Some(link) if link.opened.is_some() => match link.opened {
                    Some((local, Some(peer))) => done(Ok(Detail::Connected { local, peer })),
                    _ => done(Err(StepFailure::NoConnection)),
                },
                Some(Link { failed: Some(error), .. }) => done(Err(StepFailure::Engine(error.clone()))),
                _ if now >= *deadline => {
                    done(Err(StepFailure::Engine(EngineError::TimedOut { target: target.clone(), after: *timeout })))
                }
                _ => Started::Waiting(Some(*deadline)),
            },
            Waiting::Listen => {
                let listener = &self.links.listener;
                match (&listener.local, &listener.failed) {
                    (Some(local), _) => done(Ok(Detail::Listening { local: *local })),
                    (None, Some(error)) => done(Err(StepFailure::Engine(error.clone()))),
                    _ if listener.closed => done(Err(StepFailure::ListenerGone)),
                    _ => Started::Waiting(None),
                }
            }
            Waiting::Accept { deadline, timeout } => {
                if let Some(id) = self.links.listener.waiting.pop_front() {
                    self.current = Some(id);
                    let peer = links.get(&id).and_then(|l| l.opened).and_then(|(_, peer)| peer);
                    let fallback = SocketAddr::from(([0, 0, 0, 0], 0));
                    return done(Ok(Detail::Accepted { peer: peer.unwrap_or(fallback) }));
                }
                if self.links.listener.closed || self.links.listener.failed.is_some() {
                    done(Err(StepFailure::ListenerGone))
                } else if now >= *deadline {
                    done(Err(StepFailure::NoClient { after: *timeout }))
                } else {
                    Started::Waiting(Some(*deadline))
                }
            }
            Waiting::Bind { id } => match links.get(id) {
                Some(Link { opened: Some((local, _)), .. }) => done(Ok(Detail::Bound { local: *local })),
                Some(Link { failed: Some(error), .. }) => done(Err(StepFailure::Engine(error.clone()))),
                _ => Started::Waiting(None),
            },
            Waiting::Send { id, shown, bytes, events, deadline } => match links.get(id) {
                Some(link) if link.sent_bytes >= *bytes && link.sent_events >= *events => {
                    done(Ok(Detail::Sent(shown.clone())))
                }
                Some(Link { command_failed: Some(error), .. }) => done(Err(StepFailure::Engine(error.clone()))),
                Some(Link { closed: Some(reason), .. }) => done(Err(StepFailure::Closed(ShownReason(reason.clone())))),
                _ if now >= *deadline => done(Err(StepFailure::SendTimeout { after: SEND_TIMEOUT })),
                _ => Started::Waiting(Some(*deadline)),
            },
            Waiting::Sleep { until } if now >= *until => done(Ok(Detail::Waited)),
            Waiting::Sleep { until } => Started::Waiting(Some(*until)),
            Waiting::Expect { id, deadline, timeout } => self.check_expect(*id, *deadline, *timeout, now),
            Waiting::ExpectClose { id, deadline, timeout } => match links.get(id).and_then(|l| l.closed.clone()) {
                Some(reason) => done(Ok(Detail::PeerClosed(ShownReason(reason)))),
                None if now >= *deadline => done(Err(StepFailure::NotClosed { after: *timeout })),
                None => Started::Waiting(Some(*deadline)),
            },
            Waiting::Close { id, deadline } => match links.get(id) {
                Some(Link { closed: Some(_), .. }) | None => done(Ok(Detail::Closed)),
                _ if now >= *deadline => done(Err(StepFailure::NotClosed { after: CLOSE_TIMEOUT })),
                _ => Started::Waiting(Some(*deadline)),
            },
            Waiting::StopListener if self.links.listener.closed => done(Ok(Detail::Closed)),
            Waiting::StopListener => Started::Waiting(None),
        }
    }

    fn check_expect(&mut self, id: ConnId, deadline: Instant, timeout: Duration, now: Instant) -> Started {
        let step = self.active_step();
        let Some(Action::Expect(Expect { check, .. })) = step.as_deref().map(|s| &s.action) else {
            return Started::Done(Err(StepFailure::NoConnection));
        };
        let Some(link) = self.links.links.get_mut(&id) else { return Started::Done(Err(StepFailure::NoConnection)) };
        let (found, charset) = match check {
            Check::Contains(pattern) => {
                let needle = pattern.template().preview(&self.vars, None, Runner::wall_clock()).unwrap_or_default();
                (link.inbox.find_bytes(&needle, pattern.charset().unwrap_or(Charset::Utf8)), pattern.charset())
            }
            Check::Regex(pattern) => (link.inbox.find_regex(&pattern.regex, pattern.charset), Some(pattern.charset)),
            Check::Closed => (None, None),
        };
        if let Some(found) = found {
            link.inbox.take(found.end);
            let shown = Shown { bytes: found.captures.rx.clone(), charset };
            self.captures = Some(found.captures);
            return Started::Done(Ok(Detail::Matched(shown)));
        }
        let received = Shown { bytes: link.inbox.bytes().to_vec(), charset };
        if let Some(reason) = &link.closed {
            return Started::Done(Err(StepFailure::ClosedFirst { reason: ShownReason(reason.clone()), received }));
        }
        if let Some(report) = &link.icmp {
            return Started::Done(Err(StepFailure::Unreachable(report.clone())));
        }
        if now >= deadline {
            return Started::Done(Err(StepFailure::Timeout { after: timeout, received }));
        }
        Started::Waiting(Some(deadline))
    }

    /// The current link, if there is one.
    fn current_link(&self) -> Option<(ConnId, &Link)> {
        let id = self.current?;
        self.links.links.get(&id).map(|link| (id, link))
    }

    /// Closes the current link before a new one of `kind` replaces it.
    fn drop_current(&mut self, engine: &EngineHandle, kind: LinkKind) {
        if let Some((id, link)) = self.current_link()
            && link.kind == kind
            && link.is_live()
        {
            let _ = engine.disconnect(id);
        }
    }

    /// `bind` with `--bind` and `--local-port` over it.
    pub(super) fn local(&self, bind: SocketAddr) -> SocketAddr {
        let ip = self.options.bind_ip.unwrap_or(bind.ip());
        SocketAddr::new(ip, self.options.local_port.unwrap_or(bind.port()))
    }
}
