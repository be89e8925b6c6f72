//! The engine's side of the event queue: capture the event if a capture
//! runs, send it, then wake the UI.

use std::time::SystemTime;

use super::capturing::{self, CaptureSlot};
use super::queue::EventSender;
use super::{ConnId, EngineError, Event, Wake};
use crate::capture::Transport;

/// Sends events to the UI. Cheap to clone: every task holds one.
#[derive(Clone)]
pub(super) struct Emitter {
    events: EventSender,
    wake: Wake,
    /// The running capture, if any (shared by all emitters of the engine).
    capture: CaptureSlot,
    /// The transport of the task emitting, for the capture's data records.
    transport: Transport,
}

impl Emitter {
    pub(super) fn new(events: EventSender, wake: Wake) -> Self {
        Self { events, wake, capture: CaptureSlot::default(), transport: Transport::Tcp }
    }

    /// The same emitter, for a UDP socket's task (its data are datagrams).
    pub(super) fn for_udp(&self) -> Emitter {
        Emitter { transport: Transport::Udp, ..self.clone() }
    }

    /// The capture slot every emitter of this engine shares.
    pub(super) fn capture_slot(&self) -> CaptureSlot {
        self.capture.clone()
    }

    /// Hands `event` to the running capture, if any and if it carries bytes
    /// or opens or closes a connection (waiting while the capture's queue is
    /// full: back-pressure, never loss), then queues it for the UI, waiting
    /// while the queue is full, by count or by bytes (back-pressure), then
    /// wakes the UI. Returns false if the UI has dropped its receiver.
    ///
    /// Capturing here, before the UI's queue, puts each connection's records
    /// in the order of its events.
    pub(super) async fn emit(&self, event: Event) -> bool {
        if let Some(capture) = self.capture.sender()
            && let Some(entry) = capturing::entry(&event, self.transport)
        {
            // Fails at once if the writer has stopped: the capture is over, the connection is not.
            let _ = capture.send(entry).await;
        }
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
