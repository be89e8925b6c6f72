//! What running a step gave: a [`StepReport`] with what happened
//! ([`Detail`]) or why it failed ([`StepFailure`]). Each is a typed value;
//! the sentences a person reads are made here, in their `Display`.

use std::fmt;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use super::model::{Action, Check, Expect};
use crate::codec::{Charset, ExpandError, preview};
use crate::engine::{CloseReason, CommandError, EngineError, IcmpReport};

/// The most characters of data a report shows.
const SHOWN_CHARS: usize = 120;
/// The most bytes a report shows as hex.
const SHOWN_HEX: usize = 48;

/// One step run once.
#[derive(Clone, Debug)]
pub struct StepReport {
    /// The step's line in the script.
    pub line: usize,
    /// The step, short (e.g. `send "你好服务器,我是客户端"`).
    pub summary: String,
    /// The turn of each `repeat` around it, outermost first (1-based).
    pub turns: Vec<u64>,
    /// When it started.
    pub started: Instant,
    /// How long it took.
    pub elapsed: Duration,
    /// What it did, or why it failed.
    pub result: Result<Detail, StepFailure>,
    /// Whether it was a send (for round-trip times: a send, then an expect).
    pub kind: StepKind,
}

/// The kind of step a report is about, for tallies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// connect, listen, accept, bind.
    Open,
    /// send.
    Send,
    /// expect (data).
    Expect,
    /// expect close.
    ExpectClose,
    /// wait, set, close.
    Other,
}

impl StepKind {
    /// The kind of `action`.
    pub fn of(action: &Action) -> StepKind {
        match action {
            Action::Connect { .. } | Action::Listen { .. } | Action::Accept { .. } | Action::BindUdp { .. } => {
                StepKind::Open
            }
            Action::Send(_) => StepKind::Send,
            Action::Expect(Expect { check: Check::Closed, .. }) => StepKind::ExpectClose,
            Action::Expect(_) => StepKind::Expect,
            Action::Wait(_) | Action::Set { .. } | Action::Repeat { .. } | Action::Close => StepKind::Other,
        }
    }
}

/// Bytes shown as text in a charset (controls escaped) or, without one, as hex.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// Their charset; `None`: hex.
    pub charset: Option<Charset>,
}

/// What a step that passed did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Detail {
    /// Connected.
    Connected {
        /// Our end.
        local: SocketAddr,
        /// The server.
        peer: SocketAddr,
    },
    /// Listening.
    Listening {
        /// Where (with the actual port if 0 was asked).
        local: SocketAddr,
    },
    /// A client connected.
    Accepted {
        /// The client.
        peer: SocketAddr,
    },
    /// A UDP socket is bound.
    Bound {
        /// Where.
        local: SocketAddr,
    },
    /// Bytes were written.
    Sent(Shown),
    /// The time went by.
    Waited,
    /// What was expected arrived.
    Matched(Shown),
    /// The peer closed the connection.
    PeerClosed(ShownReason),
    /// A variable was set.
    Set {
        /// Its name.
        name: String,
        /// Its value.
        value: String,
    },
    /// The connection (or socket, or listener) is closed.
    Closed,
    /// It had been closed already (by the peer).
    AlreadyClosed(ShownReason),
}

/// Why a step failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StepFailure {
    /// The network said no (refused, timed out, host not found, address in use…).
    #[error("{0}")]
    Engine(EngineError),
    /// The engine did not take the command.
    #[error("{0}")]
    Command(CommandError),
    /// A step that needs a connection, with none.
    #[error("no connection: connect, listen and accept, or bind first")]
    NoConnection,
    /// `accept` without a listener.
    #[error("no listener: listen before accept")]
    NoListener,
    /// The connection is closed already.
    #[error("the connection is closed ({0})")]
    Closed(ShownReason),
    /// A UDP send with no address to send to.
    #[error("no one to send to: bind … to HOST:PORT (or --remote), or let a datagram arrive first")]
    NoPeer,
    /// `expect close` on a UDP socket.
    #[error("a UDP socket has no connection for the peer to close")]
    NotAStream,
    /// A variable could not be filled in.
    #[error("{0}")]
    Expand(ExpandError),
    /// What was expected did not arrive in time.
    #[error("not received within {}; unmatched: {received}", seconds(*.after))]
    Timeout {
        /// The timeout.
        after: Duration,
        /// What arrived and was not matched.
        received: Shown,
    },
    /// The peer closed before what was expected arrived.
    #[error("the peer closed the connection ({reason}) before it arrived; unmatched: {received}")]
    ClosedFirst {
        /// How it closed.
        reason: ShownReason,
        /// What arrived and was not matched.
        received: Shown,
    },
    /// A UDP datagram sent met an ICMP error (e.g. nothing listens there).
    #[error("{0}")]
    Unreachable(IcmpReport),
    /// The peer did not close in time.
    #[error("the connection was still open after {}", seconds(*.after))]
    NotClosed {
        /// The timeout.
        after: Duration,
    },
    /// No client connected in time.
    #[error("no client connected within {}", seconds(*.after))]
    NoClient {
        /// The timeout.
        after: Duration,
    },
    /// The listener stopped or could not start.
    #[error("the listener is not running")]
    ListenerGone,
    /// Writing took too long (the peer does not read).
    #[error("not written within {}: the peer is not reading", seconds(*.after))]
    SendTimeout {
        /// How long it waited.
        after: Duration,
    },
}

impl StepFailure {
    /// A short name of the kind of failure, for tallies (load mode, JUnit).
    pub fn kind(&self) -> &'static str {
        match self {
            StepFailure::Engine(EngineError::Refused { .. }) => "refused",
            StepFailure::Engine(EngineError::TimedOut { .. }) => "connect timeout",
            StepFailure::Engine(EngineError::Reset { .. }) => "reset",
            StepFailure::Engine(EngineError::HostNotFound { .. }) => "host not found",
            StepFailure::Engine(_) => "network error",
            StepFailure::Command(_) => "engine busy",
            StepFailure::NoConnection | StepFailure::NoListener | StepFailure::NoPeer | StepFailure::NotAStream => {
                "script error"
            }
            StepFailure::Closed(_) | StepFailure::ClosedFirst { .. } => "closed by peer",
            StepFailure::Expand(_) => "variable",
            StepFailure::Timeout { .. } => "expect timeout",
            StepFailure::NotClosed { .. } => "not closed",
            StepFailure::NoClient { .. } | StepFailure::ListenerGone => "no client",
            StepFailure::Unreachable(_) => "unreachable",
            StepFailure::SendTimeout { .. } => "send timeout",
        }
    }
}

/// A [`CloseReason`], worded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShownReason(pub CloseReason);

impl fmt::Display for ShownReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            CloseReason::PeerClosed => f.write_str("closed by the peer"),
            CloseReason::Local => f.write_str("closed here"),
            CloseReason::Reset => f.write_str("reset by the peer"),
            CloseReason::TimedOut => f.write_str("timed out: the peer stopped answering"),
            CloseReason::Error(error) => write!(f, "{error}"),
        }
    }
}

impl fmt::Display for Detail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Detail::Connected { local, peer } => write!(f, "connected {local} → {peer}"),
            Detail::Listening { local } => write!(f, "listening on {local}"),
            Detail::Accepted { peer } => write!(f, "client {peer}"),
            Detail::Bound { local } => write!(f, "bound to {local}"),
            Detail::Sent(shown) => write!(f, "sent {shown}"),
            Detail::Waited => Ok(()),
            Detail::Matched(shown) => write!(f, "received {shown}"),
            Detail::PeerClosed(reason) => write!(f, "{reason}"),
            Detail::Set { name, value } => write!(f, "{name} = {value:?}"),
            Detail::Closed => f.write_str("closed"),
            Detail::AlreadyClosed(reason) => write!(f, "already {reason}"),
        }
    }
}

impl fmt::Display for Shown {
    /// `"text"` (controls as escapes, cut after 120 characters) or hex, with the size.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.bytes.is_empty() {
            return f.write_str("nothing");
        }
        let unit = if self.bytes.len() == 1 { "byte" } else { "bytes" };
        match self.charset {
            None => write!(f, "{} ({} {unit})", preview(&self.bytes, SHOWN_HEX), self.bytes.len()),
            Some(charset) => {
                let text = charset.decode_all(&self.bytes).text;
                let mut shown = String::new();
                for (i, ch) in text.chars().enumerate() {
                    if i == SHOWN_CHARS {
                        shown.push('…');
                        break;
                    }
                    match ch {
                        '\r' => shown.push_str("\\r"),
                        '\n' => shown.push_str("\\n"),
                        '\t' => shown.push_str("\\t"),
                        '"' => shown.push_str("\\\""),
                        c if c.is_control() => shown.push_str(&format!("\\u{{{:X}}}", u32::from(c))),
                        c => shown.push(c),
                    }
                }
                write!(f, "\"{shown}\" ({} {unit}, {})", self.bytes.len(), charset.label())
            }
        }
    }
}

impl fmt::Display for StepReport {
    /// `PASS  line 4  send "…"  0.3 ms  sent "…" (21 bytes, GBK)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verdict = if self.result.is_ok() { "PASS" } else { "FAIL" };
        write!(f, "{verdict}  line {}", self.line)?;
        if !self.turns.is_empty() {
            let turns: Vec<String> = self.turns.iter().map(u64::to_string).collect();
            write!(f, " [{}]", turns.join("."))?;
        }
        write!(f, "  {}  {}", self.summary, millis(self.elapsed))?;
        match &self.result {
            Ok(Detail::Waited) => Ok(()),
            Ok(detail) => write!(f, "  {detail}"),
            Err(failure) => write!(f, "  {failure}"),
        }
    }
}

/// `12.345 ms`.
pub fn millis(duration: Duration) -> String {
    format!("{:.3} ms", duration.as_secs_f64() * 1e3)
}

fn seconds(duration: Duration) -> String {
    format!("{} s", duration.as_secs_f64())
}

/// The step in a few words, as written in a script (payloads cut after 60 characters).
pub fn summary(action: &Action) -> String {
    let full = match action {
        Action::Connect { host, port, .. } if host.contains(':') => format!("connect [{host}]:{port}"),
        Action::Connect { host, port, .. } => format!("connect {host}:{port}"),
        Action::Accept { .. } => "accept".to_owned(),
        Action::Expect(Expect { check: Check::Closed, .. }) => "expect close".to_owned(),
        Action::Send(send) if send.payload.charset().is_none() => format!("send hex \"{}\"", send.payload.written()),
        Action::Send(send) => format!("send \"{}\"", send.payload.written()),
        Action::Expect(Expect { check: Check::Contains(p), .. }) if p.charset().is_none() => {
            format!("expect hex \"{}\"", p.written())
        }
        Action::Expect(Expect { check: Check::Contains(p), .. }) => format!("expect \"{}\"", p.written()),
        Action::Expect(Expect { check: Check::Regex(p), .. }) => format!("expect regex \"{}\"", p.regex.as_str()),
        Action::Set { name, value } => format!("set {name} \"{}\"", value.written()),
        other => other.to_string(),
    };
    match full.char_indices().nth(72) {
        Some((cut, _)) => format!("{}…", &full[..cut]),
        None => full,
    }
}
