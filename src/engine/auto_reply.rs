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

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use bytes::Bytes;
use encoding_rs::{CoderResult, Decoder};
use memchr::memmem::Finder;
use regex::Regex;
use tokio::sync::{Semaphore, mpsc};

use super::emit::Emitter;
use super::outgoing::Outgoing;
use super::udp::UdpCommand;
use super::{ConnId, EngineError};
use crate::codec::Charset;

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
}

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
    pub fn validate(&self) -> Result<(), String> {
        Test::compile(&self.matcher).map(drop)
    }
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
    fn compile(matcher: &Matcher) -> Result<Test, String> {
        Ok(match matcher {
            Matcher::Contains(bytes) if bytes.is_empty() => return Err("the bytes to look for are empty".to_owned()),
            Matcher::Contains(bytes) => Test::Contains(Box::new(Finder::new(bytes).into_owned())),
            Matcher::StartsWith(bytes) if bytes.is_empty() => {
                return Err("the bytes to look for are empty".to_owned());
            }
            Matcher::StartsWith(bytes) => Test::StartsWith(bytes.clone()),
            Matcher::Regex { pattern, .. } if pattern.is_empty() => return Err("the regex is empty".to_owned()),
            Matcher::Regex { pattern, charset } => match Regex::new(pattern) {
                Ok(regex) => Test::Regex(regex, *charset),
                Err(error) => return Err(format!("invalid regex: {error}")),
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
    /// The reply to `data`.
    pub(super) fn reply_to(&self, data: &Bytes) -> Bytes {
        match &self.reply {
            Reply::Bytes(bytes) => bytes.clone(),
            Reply::Echo => data.clone(),
        }
    }
}

/// The valid rules of a [`AutoReplies::replace`], in order.
#[derive(Debug, Default)]
pub(super) struct RuleSet {
    rules: Vec<CompiledRule>,
    /// The most bytes before a read any rule looks at.
    window: usize,
}

impl RuleSet {
    /// Compiles `rules`, leaving out the invalid ones, which are returned
    /// with why (name, reason).
    pub(super) fn compile(rules: Vec<AutoReplyRule>) -> (RuleSet, Vec<(String, String)>) {
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
    bytes: Vec<u8>,
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

/// The engine's current rules, shared by every task. Cheap to clone.
#[derive(Clone, Default)]
pub(super) struct AutoReplies {
    current: Arc<RwLock<Arc<RuleSet>>>,
}

impl AutoReplies {
    /// The rules now in force (a snapshot: a later `replace` does not change it).
    pub(super) fn current(&self) -> Arc<RuleSet> {
        Arc::clone(&self.current.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Puts `rules` in force for every connection and socket from their next read on.
    pub(super) fn replace(&self, rules: RuleSet) {
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(rules);
    }
}

/// Bounds the delayed replies of one connection or socket, and reports once
/// when it starts dropping them.
struct Delayed {
    timers: Arc<Semaphore>,
    dropping: bool,
}

impl Delayed {
    fn new() -> Self {
        Self { timers: Arc::new(Semaphore::new(MAX_PENDING_REPLIES)), dropping: false }
    }

    /// Starts `task` (given its permit) if fewer than [`MAX_PENDING_REPLIES`]
    /// wait; else drops it, reporting that once per run of drops.
    async fn spawn<F>(
        &mut self,
        id: ConnId,
        emitter: &Emitter,
        task: impl FnOnce(tokio::sync::OwnedSemaphorePermit) -> F,
    ) where
        F: Future<Output = ()> + Send + 'static,
    {
        match Arc::clone(&self.timers).try_acquire_owned() {
            Ok(permit) => {
                self.dropping = false;
                tokio::spawn(task(permit));
            }
            Err(_) => self.dropped(id, emitter).await,
        }
    }

    /// A reply was dropped: says so if it is the first of a run.
    async fn dropped(&mut self, id: ConnId, emitter: &Emitter) {
        if !self.dropping {
            self.dropping = true;
            emitter.command_failed(id, EngineError::AutoRepliesDropped { conn: id, limit: MAX_PENDING_REPLIES }).await;
        }
    }
}

/// The auto-reply side of one TCP connection's task.
pub(super) struct StreamReplies {
    rules: AutoReplies,
    window: Window,
    /// Replies without delay, to be written before the next queued payload.
    immediate: VecDeque<Outgoing>,
    delayed: Delayed,
    /// The connection's own send queue, where delayed replies go.
    sends: mpsc::WeakSender<Outgoing>,
}

impl StreamReplies {
    /// The auto-replies of a connection whose send queue is `sends`.
    pub(super) fn new(rules: AutoReplies, sends: mpsc::WeakSender<Outgoing>) -> Self {
        Self { rules, window: Window::default(), immediate: VecDeque::new(), delayed: Delayed::new(), sends }
    }

    /// Whether the connection may read: fewer than [`MAX_PENDING_REPLIES`] replies wait to be written.
    pub(super) fn has_room(&self) -> bool {
        self.immediate.len() < MAX_PENDING_REPLIES
    }

    /// The next reply to write at once, if any.
    pub(super) fn next_immediate(&mut self) -> Option<Outgoing> {
        self.immediate.pop_front()
    }

    /// Applies the rules to `data`, just read on connection `conn`.
    pub(super) async fn on_received(&mut self, conn: ConnId, data: &Bytes, emitter: &Emitter) {
        let rules = self.rules.current();
        if rules.is_empty() {
            self.window.bytes.clear();
            return;
        }
        let Some(rule) = rules.first_match(&mut self.window, data) else { return };
        let reply = Outgoing { data: rule.reply_to(data), ack: None, rule: Some(Arc::clone(&rule.name)) };
        if rule.delay.is_zero() {
            self.immediate.push_back(reply);
            return;
        }
        let (delay, sends) = (rule.delay, self.sends.clone());
        self.delayed
            .spawn(conn, emitter, move |permit| async move {
                let Some(sends) = sends.upgrade() else { return };
                tokio::select! {
                    () = tokio::time::sleep(delay) => {}
                    () = sends.closed() => return,
                }
                // Waits for room in the queue; fails once the connection has ended.
                let _ = sends.send(reply).await;
                drop(permit);
            })
            .await;
    }
}

/// A reply a UDP socket sends at once: to whom, for which rule, what.
pub(super) struct UdpReply {
    /// The sender of the datagram that matched.
    pub to: SocketAddr,
    /// The rule that fired.
    pub rule: Arc<str>,
    /// The reply.
    pub data: Bytes,
}

/// The auto-reply side of one UDP socket's task.
pub(super) struct UdpReplies {
    rules: AutoReplies,
    /// Per peer, the last bytes that matched nothing.
    windows: HashMap<SocketAddr, Window>,
    immediate: VecDeque<UdpReply>,
    delayed: Delayed,
    /// The socket's own command queue, where delayed replies go.
    commands: mpsc::WeakSender<UdpCommand>,
}

impl UdpReplies {
    /// The auto-replies of a socket whose command queue is `commands`.
    pub(super) fn new(rules: AutoReplies, commands: mpsc::WeakSender<UdpCommand>) -> Self {
        Self { rules, windows: HashMap::new(), immediate: VecDeque::new(), delayed: Delayed::new(), commands }
    }

    /// The next reply to send at once, if any.
    pub(super) fn next_immediate(&mut self) -> Option<UdpReply> {
        self.immediate.pop_front()
    }

    /// Applies the rules to datagram `data` from `from`, just received on socket `socket`.
    pub(super) async fn on_received(&mut self, socket: ConnId, from: SocketAddr, data: &Bytes, emitter: &Emitter) {
        let rules = self.rules.current();
        if rules.is_empty() {
            self.windows.clear();
            return;
        }
        let hit = if rules.window == 0 {
            self.windows.clear();
            rules.first_match(&mut Window::default(), data)
        } else {
            if self.windows.len() >= MAX_UDP_PEERS
                && !self.windows.contains_key(&from)
                && let Some(evicted) = self.windows.keys().next().copied()
            {
                self.windows.remove(&evicted);
            }
            let window = self.windows.entry(from).or_default();
            let hit = rules.first_match(window, data);
            if window.bytes.is_empty() {
                // Nothing kept for this peer: do not hold a slot for it.
                self.windows.remove(&from);
            }
            hit
        };
        let Some(rule) = hit else { return };
        let (name, reply) = (Arc::clone(&rule.name), rule.reply_to(data));
        if rule.delay.is_zero() {
            if self.immediate.len() < MAX_PENDING_REPLIES {
                self.delayed.dropping = false;
                self.immediate.push_back(UdpReply { to: from, rule: name, data: reply });
            } else {
                self.delayed.dropped(socket, emitter).await;
            }
            return;
        }
        let (delay, commands) = (rule.delay, self.commands.clone());
        self.delayed
            .spawn(socket, emitter, move |permit| async move {
                let Some(commands) = commands.upgrade() else { return };
                tokio::select! {
                    () = tokio::time::sleep(delay) => {}
                    () = commands.closed() => return,
                }
                let command = UdpCommand::SendResolved {
                    host: Arc::from(from.to_string()),
                    addrs: Arc::from([from]),
                    data: reply,
                    ack: None,
                    rule: Some(name),
                };
                let _ = commands.send(command).await;
                drop(permit);
            })
            .await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(name: &str, matcher: Matcher) -> AutoReplyRule {
        AutoReplyRule { name: name.to_owned(), matcher, reply: Reply::Echo, delay: Duration::ZERO }
    }

    fn set(rules: Vec<AutoReplyRule>) -> RuleSet {
        let (set, invalid) = RuleSet::compile(rules);
        assert!(invalid.is_empty(), "{invalid:?}");
        set
    }

    /// Feeds `reads` in order; the name of the rule each fired, if any.
    fn run(set: &RuleSet, reads: &[&[u8]]) -> Vec<Option<String>> {
        let mut window = Window::default();
        reads.iter().map(|read| set.first_match(&mut window, read).map(|rule| rule.name.to_string())).collect()
    }

    #[test]
    fn contains_matches_across_reads_once() {
        let set = set(vec![rule("ping", Matcher::Contains(b"PING".to_vec()))]);
        let hit = Some("ping".to_owned());
        assert_eq!(run(&set, &[b"xxPI", b"NGyy"]), vec![None, hit.clone()]);
        assert_eq!(run(&set, &[b"P", b"I", b"N", b"G"]), vec![None, None, None, hit.clone()]);
        // The bytes of a match are used once: "PING" then "G" is not a second match.
        assert_eq!(run(&set, &[b"PING", b"G", b"PIN"]), vec![hit.clone(), None, None]);
        assert_eq!(run(&set, &[b"PIN", b"", b"G"]), vec![None, None, hit]);
        let hex = set_of(Matcher::Contains(vec![0x01, 0x03]));
        assert_eq!(run(&hex, &[&[0x01], &[0x03]]), vec![None, Some("r".to_owned())]);
    }

    fn set_of(matcher: Matcher) -> RuleSet {
        set(vec![rule("r", matcher)])
    }

    #[test]
    fn starts_with_and_any_look_at_one_read() {
        let set = set(vec![rule("get", Matcher::StartsWith(b"GET".to_vec())), rule("any", Matcher::Any)]);
        assert_eq!(
            run(&set, &[b"GET /", b"xGET", b"G", b"ET"]),
            vec![Some("get".into()), Some("any".into()), Some("any".into()), Some("any".into())]
        );
    }

    #[test]
    fn regexes_match_decoded_text_from_the_start_of_a_read_or_across_the_seam() {
        let get = set_of(Matcher::Regex { pattern: r"^GET (\S+)".into(), charset: Charset::Utf8 });
        let hit = Some("r".to_owned());
        assert_eq!(run(&get, &[b"GET /a HTTP/1.1\r\n", b"GET /b\r\n"]), vec![hit.clone(), hit.clone()]);
        assert_eq!(run(&get, &[b"GE", b"T /x"]), vec![None, hit.clone()]);
        assert_eq!(run(&get, &[b"xGET /a"]), vec![None]);
        // 你好 in GBK is c4 e3 ba c3: split inside the second character.
        let nihao = set_of(Matcher::Regex { pattern: "你好".into(), charset: Charset::Gbk });
        assert_eq!(run(&nihao, &[&[0xc4, 0xe3, 0xba], &[0xc3]]), vec![None, hit.clone()]);
        // A match wholly in the bytes kept from before does not fire again.
        let ab = set_of(Matcher::Regex { pattern: "ab".into(), charset: Charset::Utf8 });
        let mut window = Window::default();
        window.keep(b"xxab", REGEX_WINDOW);
        assert!(ab.first_match(&mut window, b"zz").is_none());
    }

    #[test]
    fn the_first_matching_rule_wins() {
        let set = set(vec![rule("one", Matcher::Contains(b"B".to_vec())), rule("two", Matcher::Any)]);
        assert_eq!(run(&set, &[b"ABC", b"x"]), vec![Some("one".into()), Some("two".into())]);
    }

    #[test]
    fn invalid_rules_are_explained_and_left_out() {
        let bad_regex = rule("bad", Matcher::Regex { pattern: "(".into(), charset: Charset::Utf8 });
        let error = bad_regex.validate().unwrap_err();
        assert!(error.starts_with("invalid regex"), "{error}");
        assert!(rule("empty", Matcher::Contains(Vec::new())).validate().is_err());
        assert!(rule("ok", Matcher::Any).validate().is_ok());
        let (set, invalid) = RuleSet::compile(vec![bad_regex, rule("ok", Matcher::Any)]);
        assert_eq!(set.rules.len(), 1);
        assert_eq!(invalid.len(), 1);
        assert_eq!(invalid[0].0, "bad");
    }

    #[test]
    fn windows_keep_the_last_bytes() {
        let mut window = Window::default();
        window.keep(b"abcdef", 4);
        assert_eq!(window.bytes, b"cdef");
        window.keep(b"gh", 4);
        assert_eq!(window.bytes, b"efgh");
        window.keep(b"ij", 0);
        assert!(window.bytes.is_empty());
    }
}
