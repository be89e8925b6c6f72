//! The step model: what a script (or, later, the window's sequence) is made
//! of. Plain values, no egui and no engine: each step carries everything it
//! needs (its charset, its timeout), so a step list can be edited, saved as a
//! script ([`Script::to_text`]) and run the same way from a file or a window.

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use crate::codec::{Charset, ChecksumKind, Counter, LineEnding, PayloadMode, Template, TemplateError};

/// How long connect, accept and expect wait unless a script says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// A parsed script: steps, and the variables it starts with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Script {
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// `${seq}`'s start and step (`seq START STEP`).
    pub counter: Counter,
    /// Variables the script sets before it starts (`var NAME "VALUE"`);
    /// `--set NAME=VALUE` overrides them.
    pub vars: BTreeMap<String, String>,
}

/// One step, with where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// 1-based line in the script (0 for a step made elsewhere, e.g. in the window).
    pub line: usize,
    /// What it does.
    pub action: Action,
}

/// What a step does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Connect as a TCP client; passes once connected.
    Connect {
        /// Host name or IP literal.
        host: String,
        /// Remote port.
        port: u16,
        /// Local port to connect from (`None`: any).
        local_port: Option<u16>,
        /// How long connecting may take.
        timeout: Duration,
    },
    /// Listen for TCP clients; passes once listening.
    Listen {
        /// Local address and port (port 0: any free port).
        bind: SocketAddr,
    },
    /// Wait for a client of the listener; the steps after it talk to that client.
    Accept {
        /// How long to wait.
        timeout: Duration,
    },
    /// Bind a UDP socket; passes once bound.
    BindUdp {
        /// Local address and port.
        bind: SocketAddr,
        /// Where sends go (`None`: to whoever sent the last datagram).
        remote: Option<(String, u16)>,
    },
    /// Send bytes; passes once they are written.
    Send(Send),
    /// Do nothing for a while.
    Wait(Duration),
    /// Wait for something to arrive (or the connection to close).
    Expect(Expect),
    /// Set a variable for the steps after it.
    Set {
        /// The variable.
        name: String,
        /// Its value (variables in it are filled in when the step runs).
        value: Payload,
    },
    /// Run `body` `times` times.
    Repeat {
        /// How many times.
        times: u64,
        /// The steps repeated.
        body: Vec<Step>,
    },
    /// Close the connection (or UDP socket, or listener).
    Close,
}

/// What a send step sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Send {
    /// The text or hex, with its variables.
    pub payload: Payload,
    /// A checksum appended over the payload.
    pub checksum: Option<ChecksumKind>,
    /// A line ending appended last (after the checksum).
    pub append: LineEnding,
}

/// What an expect step waits for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expect {
    /// The test.
    pub check: Check,
    /// How long to wait from the step's start (what arrived earlier and was
    /// not yet matched counts too).
    pub timeout: Duration,
}

/// What counts as the expected arrival.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Check {
    /// These bytes (text in a charset with escapes, or hex) appear in what arrived.
    Contains(Payload),
    /// What arrived, decoded in the charset, matches the regex; its groups
    /// become `${1}`, `${name}` and `${rx}` for the steps after it.
    Regex(Pattern),
    /// The peer closes the connection.
    Closed,
}

/// Text or hex as written, and its parsed template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payload {
    written: String,
    template: Template,
}

impl Payload {
    /// Parses `written` for `mode`.
    pub fn new(written: &str, mode: PayloadMode) -> Result<Payload, TemplateError> {
        Ok(Payload { written: written.to_owned(), template: Template::parse(written, mode)? })
    }

    /// As written.
    pub fn written(&self) -> &str {
        &self.written
    }

    /// Parsed.
    pub fn template(&self) -> &Template {
        &self.template
    }

    /// The charset of a text payload (`None` for hex).
    pub fn charset(&self) -> Option<Charset> {
        match self.template.mode() {
            PayloadMode::Text { charset, .. } => Some(charset),
            PayloadMode::Hex => None,
        }
    }
}

/// A compiled regex and the charset what arrives is decoded in to match it.
#[derive(Clone, Debug)]
pub struct Pattern {
    /// The regex.
    pub regex: regex::Regex,
    /// The charset.
    pub charset: Charset,
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.regex.as_str() == other.regex.as_str() && self.charset == other.charset
    }
}

impl Eq for Pattern {}

impl Script {
    /// The script as text that parses back to the same steps (each step with
    /// its options written out), e.g. to save a sequence made in the window.
    pub fn to_text(&self) -> String {
        let mut out = String::from("# netassist script\n");
        if self.counter != Counter::default() {
            out.push_str(&format!("seq {} {}\n", self.counter.start, self.counter.step));
        }
        for (name, value) in &self.vars {
            out.push_str(&format!("var {name} {}\n", quoted(value)));
        }
        write_steps(&self.steps, 0, &mut out);
        out
    }
}

fn write_steps(steps: &[Step], depth: usize, out: &mut String) {
    for step in steps {
        out.push_str(&"    ".repeat(depth));
        match &step.action {
            Action::Repeat { times, body } => {
                if *times == u64::MAX {
                    out.push_str("repeat forever {\n");
                } else {
                    out.push_str(&format!("repeat {times} {{\n"));
                }
                write_steps(body, depth + 1, out);
                out.push_str(&"    ".repeat(depth));
                out.push_str("}\n");
            }
            action => out.push_str(&format!("{action}\n")),
        }
    }
}

impl fmt::Display for Action {
    /// The step as a script line (a repeat without its body).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::Connect { host, port, local_port, timeout } => {
                write!(f, "connect {} timeout {}", target(host, *port), millis(*timeout))?;
                match local_port {
                    Some(port) => write!(f, " from {port}"),
                    None => Ok(()),
                }
            }
            Action::Listen { bind } => write!(f, "listen {bind}"),
            Action::Accept { timeout } => write!(f, "accept timeout {}", millis(*timeout)),
            Action::BindUdp { bind, remote } => {
                write!(f, "bind {bind}")?;
                match remote {
                    Some((host, port)) => write!(f, " to {}", target(host, *port)),
                    None => Ok(()),
                }
            }
            Action::Send(send) => {
                write!(f, "send {}", payload(&send.payload))?;
                if let Some(kind) = send.checksum {
                    write!(f, " checksum {}", kind.label().to_ascii_lowercase().replace('/', "-"))?;
                }
                match send.append {
                    LineEnding::None => Ok(()),
                    LineEnding::CrLf => write!(f, " append crlf"),
                    LineEnding::Lf => write!(f, " append lf"),
                    LineEnding::Cr => write!(f, " append cr"),
                }
            }
            Action::Wait(duration) => write!(f, "wait {}", millis(*duration)),
            Action::Expect(Expect { check, timeout }) => {
                match check {
                    Check::Contains(pattern) => write!(f, "expect {}", payload(pattern))?,
                    Check::Regex(Pattern { regex, charset }) => {
                        write!(f, "expect regex {} charset {}", quoted(regex.as_str()), charset.label())?;
                    }
                    Check::Closed => f.write_str("expect close")?,
                }
                write!(f, " timeout {}", millis(*timeout))
            }
            Action::Set { name, value } => write!(f, "set {name} {}", payload(value)),
            Action::Repeat { times: u64::MAX, .. } => f.write_str("repeat forever { … }"),
            Action::Repeat { times, .. } => write!(f, "repeat {times} {{ … }}"),
            Action::Close => f.write_str("close"),
        }
    }
}

/// A payload as the script writes it: kind, quoted text, charset and escapes.
fn payload(payload: &Payload) -> String {
    match payload.template().mode() {
        PayloadMode::Hex => format!("hex {}", quoted(payload.written())),
        PayloadMode::Text { charset, escapes } => {
            let raw = if escapes { "" } else { " raw" };
            format!("{} charset {}{raw}", quoted(payload.written()), charset.label())
        }
    }
}

/// `text` in double quotes, with its quotes written `\"`.
pub(super) fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\\\""))
}

fn millis(duration: Duration) -> String {
    format!("{}ms", duration.as_millis())
}

fn target(host: &str, port: u16) -> String {
    if host.contains(':') { format!("[{host}]:{port}") } else { format!("{host}:{port}") }
}
