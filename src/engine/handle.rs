//! The UI's side of the engine: start it, queue commands, drain events.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use bytes::Bytes;
use tokio::runtime::Runtime;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::dispatch::{self, Command, ConnSettings};
use super::emit::Emitter;
use super::{CommandError, ConnId, Event, Resolver};

/// How long dropping the handle waits for the runtime's blocking work
/// (e.g. a resolver call) before leaving it behind.
const RUNTIME_SHUTDOWN: Duration = Duration::from_secs(1);

/// Called by the engine after it queued one or more events, to wake the UI.
/// Must be cheap and must not block (the UI passes `request_repaint_after`).
pub type Wake = Arc<dyn Fn() + Send + Sync>;

/// Channel sizes and limits of an engine.
#[derive(Clone)]
pub struct EngineConfig {
    /// Capacity of the UI → engine command queue.
    pub command_capacity: usize,
    /// Capacity of the engine → UI event queue (back-pressure beyond it).
    pub event_capacity: usize,
    /// Capacity of each connection's queue of pending sends.
    pub send_queue_capacity: usize,
    /// Size of the buffer each read uses (the most bytes one `Received` carries).
    pub read_buffer: usize,
    /// Resolves host names; `None` (the default): the system resolver.
    /// IP literals are never resolved. Tests set one to avoid real DNS.
    pub resolver: Option<Resolver>,
}

impl fmt::Debug for EngineConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EngineConfig")
            .field("command_capacity", &self.command_capacity)
            .field("event_capacity", &self.event_capacity)
            .field("send_queue_capacity", &self.send_queue_capacity)
            .field("read_buffer", &self.read_buffer)
            .field("resolver", &self.resolver.as_ref().map(|_| "custom"))
            .finish()
    }
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            command_capacity: 256,
            event_capacity: 4096,
            send_queue_capacity: 256,
            read_buffer: 64 * 1024,
            resolver: None,
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
    /// The next connection id to hand out.
    next_conn: AtomicU64,
    /// UI → engine commands; `None` once dropping.
    commands: Option<mpsc::Sender<Command>>,
    /// Cancelling it stops the dispatcher and every connection.
    root: CancellationToken,
    /// The "netassist-engine" thread.
    thread: Option<JoinHandle<()>>,
}

/// The engine → UI event queue. Drain it with [`EventReceiver::try_recv`].
pub struct EventReceiver {
    /// Engine → UI events.
    events: mpsc::Receiver<Event>,
    /// A small runtime of our own for `recv_timeout`'s timer, made on first
    /// use (so waiting works even after the engine has stopped).
    waiter: Option<Runtime>,
}

impl EngineHandle {
    /// Starts the engine thread ("netassist-engine") with its tokio runtime.
    pub fn start(config: EngineConfig, wake: Wake) -> std::io::Result<(EngineHandle, EventReceiver)> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("netassist-engine-worker")
            .enable_all()
            .build()?;
        let (command_tx, command_rx) = mpsc::channel(config.command_capacity.max(1));
        let (event_tx, event_rx) = mpsc::channel(config.event_capacity.max(1));
        let root = CancellationToken::new();
        let settings = Arc::new(ConnSettings {
            read_buffer: config.read_buffer.max(1),
            send_queue_capacity: config.send_queue_capacity.max(1),
            resolver: config.resolver,
        });
        let dispatcher = dispatch::run(command_rx, root.clone(), Emitter::new(event_tx, wake), settings);
        let thread = std::thread::Builder::new().name("netassist-engine".to_owned()).spawn(move || {
            runtime.block_on(dispatcher);
            runtime.shutdown_timeout(RUNTIME_SHUTDOWN);
        })?;
        let handle =
            EngineHandle { next_conn: AtomicU64::new(1), commands: Some(command_tx), root, thread: Some(thread) };
        Ok((handle, EventReceiver { events: event_rx, waiter: None }))
    }

    /// Queues a TCP connect; returns the id its events will carry.
    pub fn connect_tcp(&self, request: TcpConnect) -> Result<ConnId, CommandError> {
        let conn = self.next_conn.fetch_add(1, Ordering::Relaxed);
        self.queue(Command::Connect { conn, request })?;
        Ok(conn)
    }

    /// Queues `data` to be sent on `conn`. A `Sent` event follows once it is
    /// written; a `CommandFailed` event if `conn` is not open or its queue is full.
    pub fn send(&self, conn: ConnId, data: Bytes) -> Result<(), CommandError> {
        self.queue(Command::Send { conn, data })
    }

    /// Closes `conn` (or cancels it while it is still connecting).
    pub fn disconnect(&self, conn: ConnId) -> Result<(), CommandError> {
        self.queue(Command::Disconnect { conn })
    }

    fn queue(&self, command: Command) -> Result<(), CommandError> {
        let commands = self.commands.as_ref().ok_or(CommandError::Stopped)?;
        commands.try_send(command).map_err(|error| match error {
            mpsc::error::TrySendError::Full(_) => CommandError::QueueFull,
            mpsc::error::TrySendError::Closed(_) => CommandError::Stopped,
        })
    }
}

impl Drop for EngineHandle {
    /// Closes every connection (each reports `Closed { Local }` if the event
    /// queue has room), stops the runtime and joins the engine thread. Does
    /// not wait on the UI: a full or dropped event queue cannot make it hang.
    fn drop(&mut self) {
        self.root.cancel();
        self.commands = None;
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::error!("the network engine thread panicked");
        }
    }
}

impl EventReceiver {
    /// The next queued event, without blocking.
    pub fn try_recv(&mut self) -> Option<Event> {
        self.events.try_recv().ok()
    }

    /// Waits up to `timeout` for the next event (for tests and tools; the UI uses `try_recv`).
    pub fn recv_timeout(&mut self, timeout: Duration) -> Option<Event> {
        if let Some(event) = self.try_recv() {
            return Some(event);
        }
        if self.waiter.is_none() {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build();
            match runtime {
                Ok(runtime) => self.waiter = Some(runtime),
                Err(error) => {
                    tracing::error!("cannot wait for engine events: {error}");
                    return None;
                }
            }
        }
        let waiter = self.waiter.as_ref()?;
        let events = &mut self.events;
        // Like any `block_on`, this must not be called from async code.
        waiter.block_on(async { tokio::time::timeout(timeout, events.recv()).await.ok().flatten() })
    }
}

impl Drop for EventReceiver {
    fn drop(&mut self) {
        // Dropping a runtime blocks, which panics inside async code; this does not.
        if let Some(waiter) = self.waiter.take() {
            waiter.shutdown_background();
        }
    }
}
