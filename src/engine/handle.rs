//! The UI's side of the engine: start it, queue commands, drain events.

use crate::ids::{ConnId, JobId};
use std::fmt;
use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use bytes::Bytes;
use tokio::runtime::Runtime;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::capturing::Target;
use super::dispatch::{self, Command};
use super::emit::Emitter;
use super::queue::{self, QueueReceiver};
use super::registry::Registry;
use super::shared::{ConnSettings, Shared};
use super::{AutoReplyRule, CyclicSend, FileSend};
use super::{BindUdp, CommandError, Event, ListenTcp, MulticastInterface, Resolver, TcpConnect};

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
    /// Capacity of the engine → UI event queue, in events (back-pressure beyond it).
    pub event_capacity: usize,
    /// The most payload bytes (of `Sent` and `Received` events) the event
    /// queue holds; back-pressure beyond it. Every event counts as at least
    /// one byte, and one larger than the budget waits for the whole of it.
    pub event_bytes_budget: usize,
    /// When the UI is behind (the byte budget is spent), queue data as
    /// [`Event::Elided`] (its length only) instead of waiting: connections
    /// run at the network's speed, the UI counts what it cannot show. Off
    /// (the default): every byte reaches the queue, and a slow UI slows the
    /// connections (back-pressure). The app turns it on.
    pub elide_when_behind: bool,
    /// Capacity of each connection's queue of pending sends.
    pub send_queue_capacity: usize,
    /// The most bytes one read of a TCP connection takes (so the most one
    /// `Received` carries). Reads go through a per-thread scratch buffer,
    /// so an idle connection holds no read buffer; this costs memory once
    /// per engine thread, not per connection. (UDP always receives whole
    /// datagrams, up to 65,536 bytes.)
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
            .field("event_bytes_budget", &self.event_bytes_budget)
            .field("elide_when_behind", &self.elide_when_behind)
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
            event_capacity: 16384,
            event_bytes_budget: 2 * 1024 * 1024,
            elide_when_behind: false,
            send_queue_capacity: 256,
            read_buffer: 64 * 1024,
            resolver: None,
        }
    }
}

/// Handle to a running engine, owned by the UI thread.
///
/// Dropping it shuts the engine down (connections closed, thread joined).
pub struct EngineHandle {
    /// Hands out ids (shared with the engine, which gives accepted clients theirs).
    registry: Registry,
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
    events: QueueReceiver,
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
            .on_thread_start(super::priority::yield_to_window)
            .enable_all()
            .build()?;
        let (command_tx, command_rx) = mpsc::channel(config.command_capacity.max(1));
        let (event_tx, event_rx) =
            queue::channel(config.event_capacity, config.event_bytes_budget, config.elide_when_behind);
        let root = CancellationToken::new();
        let settings = Arc::new(ConnSettings {
            read_buffer: config.read_buffer.max(1),
            send_queue_capacity: config.send_queue_capacity.max(1),
            resolver: config.resolver,
            auto_replies: Default::default(),
        });
        let registry = Registry::new();
        let shared = Shared { emitter: Emitter::new(event_tx, wake), settings, registry: registry.clone() };
        let dispatcher = dispatch::run(command_rx, root.clone(), shared);
        let thread = std::thread::Builder::new().name("netassist-engine".to_owned()).spawn(move || {
            super::priority::yield_to_window();
            runtime.block_on(dispatcher);
            runtime.shutdown_timeout(RUNTIME_SHUTDOWN);
        })?;
        let handle = EngineHandle { registry, commands: Some(command_tx), root, thread: Some(thread) };
        Ok((handle, EventReceiver { events: event_rx, waiter: None }))
    }

    /// Queues a TCP connect; returns the id its events will carry.
    pub fn connect_tcp(&self, request: TcpConnect) -> Result<ConnId, CommandError> {
        let conn = self.registry.next_id();
        self.queue(Command::Connect { conn, request })?;
        Ok(conn)
    }

    /// Queues a TCP listener; returns the id its events carry (`Listening`
    /// or `ListenFailed`, `Accepted`, `ClientRefused`, `ListenerClosed`).
    /// Each accepted client gets an id of its own, in its `Accepted` event.
    pub fn listen_tcp(&self, request: ListenTcp) -> Result<ConnId, CommandError> {
        let listener = self.registry.next_id();
        self.queue(Command::Listen { listener, request })?;
        Ok(listener)
    }

    /// Stops `listener`: it stops accepting, closes every client it
    /// accepted (each reports `Closed { Local }`) and then reports
    /// `ListenerClosed`. The same as [`EngineHandle::disconnect`] on its id.
    pub fn stop_listener(&self, listener: ConnId) -> Result<(), CommandError> {
        self.queue(Command::Close { id: listener })
    }

    /// Queues `data` to be sent on TCP connection `conn` (a client
    /// connection or a client a listener accepted). A `Sent` event follows
    /// once it is written; a `CommandFailed` event if `conn` is not open,
    /// is not a TCP connection, or its queue is full. If the connection
    /// ends while `data` is partly written, a `Sent` of the part written
    /// comes first, then a `CommandFailed` for the rest.
    pub fn send(&self, conn: ConnId, data: Bytes) -> Result<(), CommandError> {
        self.queue(Command::Send { conn, data })
    }

    /// Queues `data` on each of `conns` (e.g. every client of a listener),
    /// as one command: the same as [`EngineHandle::send`] to each, with a
    /// `Sent` or `CommandFailed` event per connection.
    pub fn send_many(&self, conns: Vec<ConnId>, data: Bytes) -> Result<(), CommandError> {
        self.queue(Command::SendMany { conns, data })
    }

    /// Closes `conn` (or cancels it while it is still connecting; for a
    /// client a listener accepted: kicks it). Given a listener's or a UDP
    /// socket's id, it stops that listener or closes that socket.
    pub fn disconnect(&self, conn: ConnId) -> Result<(), CommandError> {
        self.queue(Command::Close { id: conn })
    }

    /// Queues binding a UDP socket; returns the id its events carry
    /// (`UdpBound` or `UdpBindFailed`, datagrams as `Sent`/`Received`, on
    /// Linux an `IcmpReport` for each ICMP error a datagram sent met, `UdpClosed`).
    pub fn bind_udp(&self, request: BindUdp) -> Result<ConnId, CommandError> {
        let socket = self.registry.next_id();
        self.queue(Command::BindUdp { socket, request })?;
        Ok(socket)
    }

    /// Queues one datagram from UDP socket `socket` to `host:port` (an IP
    /// literal, or a name resolved like a TCP client's host). A `Sent` event
    /// follows once it is sent, or a `CommandFailed` (too large, host not
    /// found, broadcast not allowed, …). Datagrams go out in the order queued.
    pub fn send_to(&self, socket: ConnId, host: String, port: u16, data: Bytes) -> Result<(), CommandError> {
        self.queue(Command::SendTo { socket, host, port, data })
    }

    /// Joins multicast `group` on `interface` with UDP socket `socket`:
    /// `MulticastJoined`, or `CommandFailed` (`NotMulticast`, `NoSuchInterface`, …).
    pub fn join_multicast(
        &self,
        socket: ConnId,
        group: IpAddr,
        interface: MulticastInterface,
    ) -> Result<(), CommandError> {
        self.queue(Command::Multicast { socket, group, interface, join: true })
    }

    /// Leaves multicast `group` on `interface`: `MulticastLeft`, or `CommandFailed`.
    pub fn leave_multicast(
        &self,
        socket: ConnId,
        group: IpAddr,
        interface: MulticastInterface,
    ) -> Result<(), CommandError> {
        self.queue(Command::Multicast { socket, group, interface, join: false })
    }

    /// Closes UDP socket `socket` (`UdpClosed { Local }`). The same as
    /// [`EngineHandle::disconnect`] on its id.
    pub fn close_udp(&self, socket: ConnId) -> Result<(), CommandError> {
        self.queue(Command::Close { id: socket })
    }

    /// Starts capturing every byte sent and received, on every connection
    /// and UDP socket, with each connection's opening and closing, to a new
    /// file at `path` (its parent directories are created; an existing file
    /// is never overwritten). See [`crate::capture`] for the format.
    ///
    /// A capture that runs is stopped first (`CaptureStopped`). Then
    /// `CaptureStarted`, or `CaptureFailed` if the file cannot be created. A
    /// write error later (e.g. a full disk) stops the capture with
    /// `CaptureFailed`; the connections carry on. A slow disk slows the
    /// connections down rather than losing bytes.
    pub fn start_capture(&self, path: PathBuf) -> Result<(), CommandError> {
        self.queue(Command::StartCapture { path, target: Target::File })
    }

    /// Like [`EngineHandle::start_capture`], but writes the capture to `sink`
    /// (e.g. a pipe, or a test's writer); `path` only names it in events.
    pub fn start_capture_to(&self, path: PathBuf, sink: Box<dyn Write + Send>) -> Result<(), CommandError> {
        self.queue(Command::StartCapture { path, target: Target::Sink(sink) })
    }

    /// Stops the running capture, if any: everything captured so far is
    /// written, then `CaptureStopped` (or `CaptureFailed` if that last write
    /// failed). Nothing happens if no capture runs. Dropping the handle
    /// finishes a running capture's file too (without an event).
    pub fn stop_capture(&self) -> Result<(), CommandError> {
        self.queue(Command::StopCapture)
    }

    /// Starts a cyclic send (see [`CyclicSend`]); returns the id its events
    /// carry: `JobProgress` (what is written) about ten times a second while
    /// it changes, and one `JobEnded` (`Completed` after `count` sends,
    /// all written; `Stopped`; `TargetClosed`; or `Failed`, e.g. the target is not open).
    /// Each send also gives the connection's usual `Sent`.
    pub fn start_cyclic(&self, request: CyclicSend) -> Result<JobId, CommandError> {
        let job = self.registry.next_job();
        self.queue(Command::StartCyclic { job, request })?;
        Ok(job)
    }

    /// Starts sending a file (see [`FileSend`]); returns the id its events
    /// carry: `JobProgress` (what is written, with the file's size) about ten
    /// times a second while it changes, and one `JobEnded`: `Completed`
    /// once every chunk is written (for UDP: sent), `Stopped`, `TargetClosed`,
    /// or `Failed` (the file cannot be opened or read — the message names it
    /// and the OS error —, an invalid datagram size, a host not found, …).
    pub fn send_file(&self, request: FileSend) -> Result<JobId, CommandError> {
        let job = self.registry.next_job();
        self.queue(Command::SendFile { job, request })?;
        Ok(job)
    }

    /// Stops job `job` (`JobEnded { Stopped }`, unless it had ended already).
    /// It queues nothing more; what it had queued and was not written yet is
    /// withdrawn (a chunk being written is cut short), so its `JobEnded`
    /// says what was written, all that the peer gets, and what was not.
    pub fn stop_job(&self, job: JobId) -> Result<(), CommandError> {
        self.queue(Command::StopJob { job })
    }

    /// Replaces the auto-reply rule set (empty: off). Applies to every
    /// connection and UDP socket, live ones included, from their next read
    /// on. Rules that are not valid (check with [`AutoReplyRule::validate`])
    /// are left out, each reported once as a `CommandFailed`
    /// (`InvalidAutoReply`); the others apply. See [`super::auto_reply`] for how rules match.
    pub fn set_auto_replies(&self, rules: Vec<AutoReplyRule>) -> Result<(), CommandError> {
        self.queue(Command::SetAutoReplies { root: None, rules: Some(rules) })
    }

    /// Replaces the auto-reply rules of one root — a TCP client connection, a
    /// listener (its accepted clients included) or a UDP socket — so that
    /// each session answers with its own rules; `None` puts the root back
    /// under the engine-wide set ([`EngineHandle::set_auto_replies`]). Invalid
    /// rules are reported as there, with `conn: Some(root)`.
    pub fn set_auto_replies_for(&self, root: ConnId, rules: Option<Vec<AutoReplyRule>>) -> Result<(), CommandError> {
        self.queue(Command::SetAutoReplies { root: Some(root), rules })
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
    /// Closes every connection, listener and UDP socket (each reports its `Closed` if the event
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
    /// The next queued event, without blocking. Taking it frees its room
    /// in the queue (its count and its bytes) for the engine.
    pub fn try_recv(&mut self) -> Option<Event> {
        self.events.try_recv()
    }

    /// Whether the queue is at least half full (by bytes or by count): the
    /// engine is outpacing the UI, which should then count data rather than
    /// decode it (see `NetAssistApp::drain_events`).
    pub fn is_backed_up(&self) -> bool {
        self.events.is_backed_up()
    }

    /// Waits up to `timeout` for the next event (for tests and tools; the UI
    /// uses `try_recv`). Like `try_recv`, taking it frees its room in the queue.
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
