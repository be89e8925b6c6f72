//! What goes through a TCP connection's send queue: the bytes, and whether
//! they are an auto-reply (whose rule is announced before they are written).

use std::sync::Arc;

use bytes::Bytes;

/// One payload queued on a TCP connection.
#[derive(Debug)]
pub(super) struct Outgoing {
    /// The bytes to write.
    pub data: Bytes,
    /// For an auto-reply: the rule's name, reported (`AutoReplied`) right
    /// before the connection starts writing it.
    pub rule: Option<Arc<str>>,
}

impl Outgoing {
    /// A payload the user sent.
    pub(super) fn user(data: Bytes) -> Self {
        Self { data, rule: None }
    }

    /// Whether the user queued it (not an auto-reply): only those are
    /// reported one by one (`CommandFailed`) when they cannot be sent; an
    /// auto-reply not sent was never announced.
    pub(super) fn is_user(&self) -> bool {
        self.rule.is_none()
    }
}
