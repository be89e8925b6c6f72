//! The engine's side of the event queue: send an event, then wake the UI.

use std::time::SystemTime;

use super::queue::EventSender;
use super::{ConnId, EngineError, Event, Wake};

/// Sends events to the UI. Cheap to clone: every task holds one.
#[derive(Clone)]
pub(super) struct Emitter {
    events: EventSender,
    wake: Wake,
}

impl Emitter {
    pub(super) fn new(events: EventSender, wake: Wake) -> Self {
        Self { events, wake }
    }

    /// Queues `event`, waiting while the queue is full, by count or by
    /// bytes (back-pressure), then wakes the UI. Returns false if the UI
    /// has dropped its receiver.
    pub(super) async fn emit(&self, event: Event) -> bool {
        if self.events.send(event).await.is_err() {
            return false;
        }
        (self.wake)();
        true
    }

    /// Reports a command that could not be carried out for `conn`.
    pub(super) async fn command_failed(&self, conn: ConnId, error: EngineError) -> bool {
        self.emit(Event::CommandFailed { conn: Some(conn), error, at: SystemTime::now() }).await
    }
}
