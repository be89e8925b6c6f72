//! The UI's side of the engine: start it, queue commands, drain events.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;

use super::{CommandError, ConnId, Event};

/// Called by the engine after it queued one or more events, to wake the UI.
/// Must be cheap and must not block (the UI passes `request_repaint_after`).
pub type Wake = Arc<dyn Fn() + Send + Sync>;

/// Channel sizes and limits of an engine.
#[derive(Clone, Debug)]
pub struct EngineConfig {
    /// Capacity of the UI → engine command queue.
    pub command_capacity: usize,
    /// Capacity of the engine → UI event queue (back-pressure beyond it).
    pub event_capacity: usize,
    /// Capacity of each connection's queue of pending sends.
    pub send_queue_capacity: usize,
    /// Size of the buffer each read uses (the most bytes one `Received` carries).
    pub read_buffer: usize,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            command_capacity: 256,
            event_capacity: 4096,
            send_queue_capacity: 256,
            read_buffer: 64 * 1024,
        }
    }
}

/// What to connect to, as a TCP client.
#[derive(Clone, Debug)]
pub struct TcpConnect {
    /// Host name or IP literal (no brackets).
    pub host: String,
    /// Remote port.
    pub port: u16,
    /// Local port to bind before connecting (None or Some(0): any).
    pub local_port: Option<u16>,
    /// How long connecting may take, DNS included.
    pub timeout: Duration,
}

/// Handle to a running engine, owned by the UI thread.
///
/// Dropping it shuts the engine down (connections closed, thread joined).
pub struct EngineHandle {
    // implementation detail
}

/// The engine → UI event queue. Drain it with [`EventReceiver::try_recv`].
pub struct EventReceiver {
    // implementation detail
}

impl EngineHandle {
    /// Starts the engine thread ("netassist-engine") with its tokio runtime.
    pub fn start(config: EngineConfig, wake: Wake) -> std::io::Result<(EngineHandle, EventReceiver)> {
        todo!()
    }

    /// Queues a TCP connect; returns the id its events will carry.
    pub fn connect_tcp(&self, request: TcpConnect) -> Result<ConnId, CommandError> {
        todo!()
    }

    /// Queues `data` to be sent on `conn`. A `Sent` event follows once it is
    /// written; a `CommandFailed` event if `conn` is not open or its queue is full.
    pub fn send(&self, conn: ConnId, data: Bytes) -> Result<(), CommandError> {
        todo!()
    }

    /// Closes `conn` (or cancels it while it is still connecting).
    pub fn disconnect(&self, conn: ConnId) -> Result<(), CommandError> {
        todo!()
    }
}

impl EventReceiver {
    /// The next queued event, without blocking.
    pub fn try_recv(&mut self) -> Option<Event> {
        todo!()
    }

    /// Waits up to `timeout` for the next event (for tests and tools; the UI uses `try_recv`).
    pub fn recv_timeout(&mut self, timeout: Duration) -> Option<Event> {
        todo!()
    }
}
