//! What every task of the engine shares: where events go, the engine's
//! configuration, and the table of live tasks. Apart from the dispatcher, so
//! that the tasks it starts need nothing from it.

use std::sync::Arc;

use super::auto_reply::reply_queue::AutoReplies;
use super::emit::Emitter;
use super::registry::Registry;
use super::resolve::Resolver;

/// What every task needs from the engine's configuration.
pub(super) struct ConnSettings {
    /// The most bytes one read (one `Received`) of a TCP connection takes.
    pub read_buffer: usize,
    /// Capacity of each connection's (and UDP socket's) queue of pending sends.
    pub send_queue_capacity: usize,
    /// Resolver for host names; `None`: the system's.
    pub resolver: Option<Resolver>,
    /// The auto-reply rules in force (swapped by `SetAutoReplies`, read by every connection and socket).
    pub auto_replies: AutoReplies,
}

/// Everything a task of the engine shares with the others.
#[derive(Clone)]
pub(super) struct Shared {
    /// Where events go.
    pub emitter: Emitter,
    /// The engine's configuration.
    pub settings: Arc<ConnSettings>,
    /// Live tasks and ids.
    pub registry: Registry,
}
