//! Carrying out auto-replies: the engine's shared, swappable rule set, and
//! each connection's (or UDP socket's) queue of replies — immediate ones
//! written before queued sends, delayed ones on bounded timers. The rules and
//! how they match are in [`crate::engine::auto_reply`].

use crate::ids::ConnId;
use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, PoisonError, RwLock};

use bytes::Bytes;
use tokio::sync::{Semaphore, mpsc};

use super::{MAX_PENDING_REPLIES, MAX_UDP_PEERS, RuleSet, Window};
use crate::engine::EngineError;
use crate::engine::emit::Emitter;
use crate::engine::outgoing::Outgoing;
use crate::engine::outgoing::UdpCommand;

/// The engine's rules, shared by every task. Cheap to clone.
///
/// A root (a TCP client connection, a listener with every client it accepts,
/// a UDP socket) may have rules of its own ([`AutoReplies::replace_for`]):
/// each session of the window answers with its own rules. Roots without
/// any use the engine-wide set ([`AutoReplies::replace`]).
#[derive(Clone, Default)]
pub(in crate::engine) struct AutoReplies {
    current: Arc<RwLock<Scopes>>,
}

/// The engine-wide rules and the roots' own.
#[derive(Default)]
struct Scopes {
    all: Arc<RuleSet>,
    by_root: HashMap<ConnId, Arc<RuleSet>>,
}

impl AutoReplies {
    /// The rules now in force for connections under `root` (a snapshot: a
    /// later `replace` does not change it).
    pub(in crate::engine) fn current(&self, root: ConnId) -> Arc<RuleSet> {
        let scopes = self.current.read().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(scopes.by_root.get(&root).unwrap_or(&scopes.all))
    }

    /// Puts `rules` in force for every connection and socket without rules
    /// of its own, from their next read on.
    pub(in crate::engine) fn replace(&self, rules: RuleSet) {
        self.current.write().unwrap_or_else(PoisonError::into_inner).all = Arc::new(rules);
    }

    /// Puts `rules` in force for the connections under `root` (`None`: back to the engine-wide set).
    pub(in crate::engine) fn replace_for(&self, root: ConnId, rules: Option<RuleSet>) {
        let mut scopes = self.current.write().unwrap_or_else(PoisonError::into_inner);
        match rules {
            Some(rules) => scopes.by_root.insert(root, Arc::new(rules)),
            None => scopes.by_root.remove(&root),
        };
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
pub(in crate::engine) struct StreamReplies {
    rules: AutoReplies,
    /// Whose rules apply: the connection's own id, or its listener's.
    root: ConnId,
    window: Window,
    /// Replies without delay, to be written before the next queued payload.
    immediate: VecDeque<Outgoing>,
    delayed: Delayed,
    /// The connection's own send queue, where delayed replies go.
    sends: mpsc::WeakSender<Outgoing>,
}

impl StreamReplies {
    /// The auto-replies of a connection under `root` whose send queue is `sends`.
    pub(in crate::engine) fn new(rules: AutoReplies, root: ConnId, sends: mpsc::WeakSender<Outgoing>) -> Self {
        Self { rules, root, window: Window::default(), immediate: VecDeque::new(), delayed: Delayed::new(), sends }
    }

    /// Whether the connection may read: fewer than [`MAX_PENDING_REPLIES`] replies wait to be written.
    pub(in crate::engine) fn has_room(&self) -> bool {
        self.immediate.len() < MAX_PENDING_REPLIES
    }

    /// The next reply to write at once, if any.
    pub(in crate::engine) fn next_immediate(&mut self) -> Option<Outgoing> {
        self.immediate.pop_front()
    }

    /// Applies the rules to `data`, just read on connection `conn`.
    pub(in crate::engine) async fn on_received(&mut self, conn: ConnId, data: &Bytes, emitter: &Emitter) {
        let rules = self.rules.current(self.root);
        if rules.is_empty() {
            self.window.bytes.clear();
            return;
        }
        let Some(rule) = rules.first_match(&mut self.window, data) else { return };
        let Some(data) = rule.reply_to(data) else { return };
        let reply = Outgoing { data, job: None, rule: Some(Arc::clone(&rule.name)) };
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
pub(in crate::engine) struct UdpReply {
    /// The sender of the datagram that matched.
    pub to: SocketAddr,
    /// The rule that fired.
    pub rule: Arc<str>,
    /// The reply.
    pub data: Bytes,
}

/// The auto-reply side of one UDP socket's task.
pub(in crate::engine) struct UdpReplies {
    rules: AutoReplies,
    /// The socket, whose rules apply.
    root: ConnId,
    /// Per peer, the last bytes that matched nothing.
    windows: HashMap<SocketAddr, Window>,
    immediate: VecDeque<UdpReply>,
    delayed: Delayed,
    /// The socket's own command queue, where delayed replies go.
    commands: mpsc::WeakSender<UdpCommand>,
}

impl UdpReplies {
    /// The auto-replies of socket `root` whose command queue is `commands`.
    pub(in crate::engine) fn new(rules: AutoReplies, root: ConnId, commands: mpsc::WeakSender<UdpCommand>) -> Self {
        Self { rules, root, windows: HashMap::new(), immediate: VecDeque::new(), delayed: Delayed::new(), commands }
    }

    /// The next reply to send at once, if any.
    pub(in crate::engine) fn next_immediate(&mut self) -> Option<UdpReply> {
        self.immediate.pop_front()
    }

    /// Applies the rules to datagram `data` from `from`, just received on socket `socket`.
    pub(in crate::engine) async fn on_received(
        &mut self,
        socket: ConnId,
        from: SocketAddr,
        data: &Bytes,
        emitter: &Emitter,
    ) {
        let rules = self.rules.current(self.root);
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
        let Some(reply) = rule.reply_to(data) else { return };
        let name = Arc::clone(&rule.name);
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
                    job: None,
                    rule: Some(name),
                };
                let _ = commands.send(command).await;
                drop(permit);
            })
            .await;
    }
}
