//! Auto-reply: rules the engine applies to every read of every TCP
//! connection and every datagram of every UDP socket, in the connection's
//! (or socket's) own task, so replies keep up with a flood.
//!
//! The rules are shared by all tasks and swapped as a whole (by
//! [`super::EngineHandle::set_auto_replies`]); each task reads the current
//! set once per read.
//!
//! Matching, per read (TCP) or datagram (UDP):
//! - the rules are tried in order and the **first** that matches fires; a
//!   read fires at most one reply;
//! - `Contains` also finds its bytes split across two reads: each TCP
//!   connection, and each peer of a UDP socket (at most [`MAX_UDP_PEERS`] at
//!   a time), keeps the last bytes received that matched nothing, as many as
//!   the rules need (the needle's length − 1; [`REGEX_WINDOW`] for a regex);
//! - `Regex` is matched against the read decoded on its own (so `^` is the
//!   start of the read), then against the kept bytes followed by (up to
//!   [`REGEX_WINDOW`] bytes of) the read, where only a match that ends in the
//!   new read counts;
//! - once a rule fires, the bytes kept so far are dropped: a match counts once,
//!   and the next one must end in data received after it.
//!
//! Replies: a rule without delay queues its reply at once (TCP: at most
//! [`MAX_PENDING_REPLIES`] wait to be written; while that many wait, the
//! connection stops reading, so a flooding peer is slowed by TCP, not answered
//! out of memory. UDP cannot slow its peers: beyond that many, replies are
//! dropped). A rule with a delay starts a timer task; at most
//! [`MAX_PENDING_REPLIES`] such timers wait per connection or socket, and
//! replies beyond are dropped, with one `CommandFailed` (`AutoRepliesDropped`)
//! each time dropping starts. `AutoReplied` is emitted right before the
//! connection (or socket) starts writing the reply, so the next `Sent` of that
//! connection is the reply.

pub(super) mod reply_queue;

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use encoding_rs::{CoderResult, Decoder};
use memchr::memmem::Finder;
use regex::Regex;

use crate::codec::{Captures, Charset};

/// The most replies of one connection (or UDP socket) waiting: to be written
/// (rules without delay), or for their delay (each such is a timer task).
pub const MAX_PENDING_REPLIES: usize = 1024;
/// The most bytes a `Regex` rule looks back into the data received before a read.
pub const REGEX_WINDOW: usize = 1024;
/// The most peers of one UDP socket whose last bytes are kept for matching
/// across datagrams; beyond it, some peer's are forgotten.
pub const MAX_UDP_PEERS: usize = 256;

/// What received data an auto-reply rule answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Matcher {
    /// The bytes appear in the received data — also when split across two
    /// reads of a TCP stream (or two datagrams from the same peer).
    Contains(Vec<u8>),
    /// A received read (TCP) or datagram (UDP) starts with these bytes.
    StartsWith(Vec<u8>),
    /// The received data, decoded in `charset` (invalid bytes as U+FFFD),
    /// matches the regex (Rust `regex` syntax; `^` is the start of a read).
    Regex {
        /// The regular expression.
        pattern: String,
        /// How to decode the bytes into the text it is matched against.
        charset: Charset,
    },
    /// Any received data (an "answer everything" rule).
    Any,
}

/// What an auto-reply rule sends back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    /// These bytes.
    Bytes(Bytes),
    /// The read (TCP) or datagram (UDP) that matched, as received.
    Echo,
    /// A template filled in for each reply: `${seq}`, `${time}`, … and, for
    /// a regex rule, the match's groups (`${1}`, `${name}`) and `${rx}` (the
    /// read). Groups come from the read decoded on its own; a match found
    /// only across two reads gives no groups, and a reply that cannot be
    /// filled in is not sent.
    Template(Arc<ReplyFill>),
}

/// A reply with variables, and the variables it fills in from (shared by
/// every connection the rule answers on: one counter per rule).
#[derive(Debug)]
pub struct ReplyFill {
    /// The reply, parsed.
    pub send: crate::codec::SendTemplate,
    /// Its counter and random generator.
    pub vars: std::sync::Mutex<crate::codec::Vars>,
}

impl ReplyFill {
    /// `send`, filling in from `vars`.
    pub fn new(send: crate::codec::SendTemplate, vars: crate::codec::Vars) -> Self {
        Self { send, vars: std::sync::Mutex::new(vars) }
    }
}

impl PartialEq for ReplyFill {
    /// The same reply template (the counters are not compared).
    fn eq(&self, other: &Self) -> bool {
        self.send == other.send
    }
}

impl Eq for ReplyFill {}

/// One auto-reply rule: when received data matches, send a reply after a delay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AutoReplyRule {
    /// Its name, reported in `AutoReplied`.
    pub name: String,
    /// What it answers.
    pub matcher: Matcher,
    /// What it answers with.
    pub reply: Reply,
    /// How long after the matching read the reply is queued (zero: at once).
    pub delay: Duration,
}

impl AutoReplyRule {
    /// Whether the engine can use this rule: `Err` says why not, for the
    /// person at the screen (an empty pattern, a regex that does not compile).
    /// The engine skips invalid rules (reporting each once).
    pub fn validate(&self) -> Result<(), RuleInvalid> {
        Test::compile(&self.matcher).map(drop)
    }
}

/// Why the engine cannot use a rule.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RuleInvalid {
    /// Contains / starts-with with nothing to look for.
    #[error("the bytes to look for are empty")]
    EmptyBytes,
    /// A regex rule with no regex.
    #[error("the regex is empty")]
    EmptyRegex,
    /// A regex that does not compile (the regex crate's explanation).
    #[error("invalid regex: {0}")]
    Regex(String),
}

/// How a compiled rule tests a read.
#[derive(Debug)]
enum Test {
    Contains(Box<Finder<'static>>),
    StartsWith(Vec<u8>),
    Regex(Regex, Charset),
    Any,
}

impl Test {
    fn compile(matcher: &Matcher) -> Result<Test, RuleInvalid> {
        Ok(match matcher {
            Matcher::Contains(bytes) if bytes.is_empty() => return Err(RuleInvalid::EmptyBytes),
            Matcher::Contains(bytes) => Test::Contains(Box::new(Finder::new(bytes).into_owned())),
            Matcher::StartsWith(bytes) if bytes.is_empty() => return Err(RuleInvalid::EmptyBytes),
            Matcher::StartsWith(bytes) => Test::StartsWith(bytes.clone()),
            Matcher::Regex { pattern, .. } if pattern.is_empty() => return Err(RuleInvalid::EmptyRegex),
            Matcher::Regex { pattern, charset } => match Regex::new(pattern) {
                Ok(regex) => Test::Regex(regex, *charset),
                Err(error) => return Err(RuleInvalid::Regex(error.to_string())),
            },
            Matcher::Any => Test::Any,
        })
    }

    /// How many bytes before a read this test looks at.
    fn window(&self) -> usize {
        match self {
            Test::Contains(finder) => finder.needle().len() - 1,
            Test::Regex(..) => REGEX_WINDOW,
            Test::StartsWith(_) | Test::Any => 0,
        }
    }

    /// Whether `data`, received after `before`, matches (with the match ending in `data`).
    fn matches(&self, before: &[u8], data: &[u8]) -> bool {
        match self {
            Test::Contains(finder) => contains(finder, before, data),
            Test::StartsWith(prefix) => data.starts_with(prefix),
            Test::Regex(regex, charset) => regex_matches(regex, *charset, before, data),
            Test::Any => true,
        }
    }
}

/// `finder`'s needle in `data`, or across the seam of `before` and `data`.
fn contains(finder: &Finder<'_>, before: &[u8], data: &[u8]) -> bool {
    if finder.find(data).is_some() {
        return true;
    }
    // A match across the seam starts in the last n−1 bytes before it and ends in the first n−1 after it.
    let reach = finder.needle().len() - 1;
    let before = &before[before.len().saturating_sub(reach)..];
    if before.is_empty() || data.is_empty() {
        return false;
    }
    let mut seam = Vec::with_capacity(before.len() + reach.min(data.len()));
    seam.extend_from_slice(before);
    seam.extend_from_slice(&data[..reach.min(data.len())]);
    finder.find(&seam).is_some()
}

/// `regex` on `data` decoded alone, else on `before` + `data` decoded as one
/// text where the match must end after `before`'s text.
fn regex_matches(regex: &Regex, charset: Charset, before: &[u8], data: &[u8]) -> bool {
    let mut text = String::new();
    decode(&mut charset.encoding().new_decoder_without_bom_handling(), data, true, &mut text);
    if regex.is_match(&text) {
        return true;
    }
    let before = &before[before.len().saturating_sub(REGEX_WINDOW)..];
    if before.is_empty() {
        return false;
    }
    text.clear();
    let mut decoder = charset.encoding().new_decoder_without_bom_handling();
    // Not the last input: a character split at the seam is completed by `data`.
    decode(&mut decoder, before, false, &mut text);
    let seam = text.len();
    decode(&mut decoder, &data[..data.len().min(REGEX_WINDOW)], true, &mut text);
    regex.find_iter(&text).any(|found| found.end() > seam)
}

/// Appends `bytes` decoded by `decoder` to `out`, malformed bytes as U+FFFD.
fn decode(decoder: &mut Decoder, bytes: &[u8], last: bool, out: &mut String) {
    let mut read_total = 0;
    loop {
        let rest = &bytes[read_total..];
        let needed = decoder.max_utf8_buffer_length(rest.len()).unwrap_or(rest.len().saturating_mul(3));
        out.reserve(needed.max(16));
        let (result, read, _replaced) = decoder.decode_to_string(rest, out, last);
        read_total += read;
        if result == CoderResult::InputEmpty {
            return;
        }
    }
}

/// A rule ready to run.
#[derive(Debug)]
pub(super) struct CompiledRule {
    /// Its name, for `AutoReplied`.
    pub name: Arc<str>,
    test: Test,
    reply: Reply,
    /// How long to wait before queueing the reply.
    pub delay: Duration,
}

impl CompiledRule {
    /// The reply to `data`; `None` when its variables cannot be filled in.
    pub(super) fn reply_to(&self, data: &Bytes) -> Option<Bytes> {
        match &self.reply {
            Reply::Bytes(bytes) => Some(bytes.clone()),
            Reply::Echo => Some(data.clone()),
            Reply::Template(fill) => {
                let captures = match &self.test {
                    Test::Regex(regex, charset) => {
                        let mut text = String::new();
                        decode(&mut charset.encoding().new_decoder_without_bom_handling(), data, true, &mut text);
                        regex.captures(&text).map(|found| Captures::from_regex(regex, &found, data.to_vec()))
                    }
                    _ => None,
                }
                .unwrap_or_else(|| Captures { rx: data.to_vec(), ..Captures::default() });
                let mut vars = fill.vars.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                fill.send.expand(&mut vars, Some(&captures), std::time::SystemTime::now()).ok().map(Bytes::from)
            }
        }
    }
}

/// The valid rules of a [`AutoReplies::replace`], in order.
#[derive(Debug, Default)]
pub(super) struct RuleSet {
    rules: Vec<CompiledRule>,
    /// The most bytes before a read any rule looks at.
    pub(super) window: usize,
}

impl RuleSet {
    /// Compiles `rules`, leaving out the invalid ones, which are returned
    /// with why (name, reason).
    pub(super) fn compile(rules: Vec<AutoReplyRule>) -> (RuleSet, Vec<(String, RuleInvalid)>) {
        let mut set = RuleSet::default();
        let mut invalid = Vec::new();
        for AutoReplyRule { name, matcher, reply, delay } in rules {
            match Test::compile(&matcher) {
                Ok(test) => {
                    set.window = set.window.max(test.window());
                    set.rules.push(CompiledRule { name: Arc::from(name), test, reply, delay });
                }
                Err(why) => invalid.push((name, why)),
            }
        }
        (set, invalid)
    }

    /// Whether there is no rule.
    pub(super) fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The first rule that `data` matches, given `window` (the bytes kept from
    /// before it on the same stream); updates `window`: emptied if a rule
    /// fires, else the last bytes (as many as the rules need) kept.
    pub(super) fn first_match(&self, window: &mut Window, data: &[u8]) -> Option<&CompiledRule> {
        let hit = self.rules.iter().find(|rule| rule.test.matches(&window.bytes, data));
        if hit.is_some() {
            window.bytes.clear();
        } else {
            window.keep(data, self.window);
        }
        hit
    }
}

/// The last bytes received on one stream that matched no rule.
#[derive(Debug, Default)]
pub(super) struct Window {
    /// The bytes kept from earlier reads.
    pub(super) bytes: Vec<u8>,
}

impl Window {
    /// Appends `data`, keeping only the last `size` bytes.
    fn keep(&mut self, data: &[u8], size: usize) {
        if data.len() >= size {
            self.bytes.clear();
            self.bytes.extend_from_slice(&data[data.len() - size..]);
        } else {
            let excess = (self.bytes.len() + data.len()).saturating_sub(size);
            self.bytes.drain(..excess);
            self.bytes.extend_from_slice(data);
        }
    }
}

#[cfg(test)]
mod tests;
