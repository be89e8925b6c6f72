//! The engine's side of the event queue: capture the event if a capture
//! runs, send it, then wake the UI.

use crate::ids::ConnId;
use std::time::SystemTime;

use super::capture_slot::{self, CaptureSlot};
use super::queue::EventSender;
use super::{EngineError, Event, Wake};
use crate::capture::Transport;

/// The last data event of a connection that found the queue's byte budget
/// spent, held back rather than elided, so that when a flood stops, its
/// last bytes are what the view shows. See [`Emitter::emit_data`].
#[derive(Debug, Default)]
pub(super) struct Tail {
    held: Option<Event>,
}

impl Tail {
    /// Whether an event is held.
    pub(super) fn is_holding(&self) -> bool {
        self.held.is_some()
    }
}

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
    /// while the queue is full, by count or by bytes (back-pressure; or, for
    /// data when the engine elides, queuing its `Elided` at once), then
    /// wakes the UI. Returns false if the UI has dropped its receiver.
    ///
    /// Capturing here, before the UI's queue, puts each connection's records
    /// in the order of its events.
    pub(super) async fn emit(&self, event: Event) -> bool {
        self.capture(&event).await;
        self.queue(event).await
    }

    /// Hands a data event (`Sent` or `Received`) of a connection that keeps
    /// a [`Tail`] to the capture, then queues it: at once if the queue's
    /// byte budget has room; if not and the engine elides, it is held in
    /// `tail` (what was held before goes first: whole if there is room now,
    /// else elided), so the last data of a flood is still shown whole. The
    /// connection must [`Emitter::settle`] or [`Emitter::flush_tail`] before
    /// any other event, and flush at its end. Without eliding, as `emit`.
    pub(super) async fn emit_data(&self, event: Event, tail: &mut Tail) -> bool {
        self.capture(&event).await;
        if !self.events.elides() {
            return self.queue(event).await;
        }
        if !self.settle(tail).await {
            return false;
        }
        match self.events.try_send(event).await {
            Ok(Ok(())) => {
                (self.wake)();
                true
            }
            Ok(Err(())) => false,
            Err(event) => {
                tail.held = Some(event);
                true
            }
        }
    }

    /// Queues what `tail` holds now: whole if the budget has room, else
    /// elided (before an event of another kind, to keep their order).
    pub(super) async fn settle(&self, tail: &mut Tail) -> bool {
        match tail.held.take() {
            Some(held) => self.queue(held).await,
            None => true,
        }
    }

    /// Waits until what `tail` holds can be queued whole, then queues it.
    /// Cancel-safe: dropped before it completes, it leaves `tail` as it was.
    pub(super) async fn flush_tail(&self, tail: &mut Tail) -> bool {
        if tail.held.is_none() {
            return true;
        }
        if self.events.send_held(&mut tail.held).await.is_err() {
            return false;
        }
        (self.wake)();
        true
    }

    /// Hands `event` to the running capture, if any and if it carries bytes
    /// or opens or closes a connection (waiting while the capture's queue is
    /// full: back-pressure, never loss).
    async fn capture(&self, event: &Event) {
        if let Some(capture) = self.capture.sender()
            && let Some(entry) = capture_slot::entry(event, self.transport)
        {
            // Fails at once if the writer has stopped: the capture is over, the connection is not.
            let _ = capture.send(entry).await;
        }
    }

    /// Queues `event` for the UI (see [`Emitter::emit`]) and wakes the UI.
    async fn queue(&self, event: Event) -> bool {
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
