//! The engine's main task: takes the UI's commands, starts one task per
//! connection, listener and UDP socket, and routes sends and closes to them
//! through the [`Registry`] (where each task stays until it ends).

use crate::ids::{ConnId, JobId};
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::auto_reply::{AutoReplyRule, RuleSet};
use super::capturing::{Capturing, Target};
use super::emit::Emitter;
use super::jobs::{cyclic, file_send};
use super::outgoing::Outgoing;
use super::outgoing::UdpCommand;
use super::registry::{self, Registry, Route};
use super::shared::Shared;
use super::tcp::{client as tcp_client, server as tcp_server};
use super::udp;
use super::{BindUdp, CyclicSend, EngineError, Event, FileSend, ListenTcp, MulticastInterface, TcpConnect};

/// How long tasks get, once the engine is stopping, to report their
/// `Closed` before they are dropped (the UI may not be draining).
const SHUTDOWN_GRACE: Duration = Duration::from_millis(500);

/// What the UI asks the engine to do.
#[derive(Debug)]
pub(super) enum Command {
    /// Start a TCP client connection.
    Connect { conn: ConnId, request: TcpConnect },
    /// Start a TCP listener.
    Listen { listener: ConnId, request: ListenTcp },
    /// Bind a UDP socket.
    BindUdp { socket: ConnId, request: BindUdp },
    /// Send bytes on a TCP connection.
    Send { conn: ConnId, data: Bytes },
    /// Send the same bytes on each of several TCP connections.
    SendMany { conns: Vec<ConnId>, data: Bytes },
    /// Send one datagram from a UDP socket.
    SendTo { socket: ConnId, host: String, port: u16, data: Bytes },
    /// Join (`join: true`) or leave a multicast group on a UDP socket.
    Multicast { socket: ConnId, group: IpAddr, interface: MulticastInterface, join: bool },
    /// Close a connection (or cancel it while connecting), stop a listener, or close a UDP socket.
    Close { id: ConnId },
    /// Start capturing to `path` (stopping the running capture first).
    StartCapture { path: PathBuf, target: Target },
    /// Stop the running capture, if any.
    StopCapture,
    /// Start a cyclic send.
    StartCyclic { job: JobId, request: CyclicSend },
    /// Start a file send.
    SendFile { job: JobId, request: FileSend },
    /// Stop a job.
    StopJob { job: JobId },
    /// Replace the engine-wide auto-reply rules (`root: None`), or the rules
    /// of one root and the connections under it (`rules: None`: back to the engine-wide set).
    SetAutoReplies { root: Option<ConnId>, rules: Option<Vec<AutoReplyRule>> },
}

/// Runs until the command channel closes or `root` is cancelled, then
/// cancels every task and gives them [`SHUTDOWN_GRACE`] to report.
/// A capture that runs is finished (its file complete) before this returns.
pub(super) async fn run(mut commands: mpsc::Receiver<Command>, root: CancellationToken, shared: Shared) {
    let mut tasks: JoinSet<()> = JoinSet::new();
    let mut capture = Capturing::new(shared.emitter.capture_slot());
    loop {
        tokio::select! {
            biased;
            () = root.cancelled() => break,
            Some(ended) = tasks.join_next(), if !tasks.is_empty() => {
                // A task's registration is dropped with it, panic or not.
                if let Err(error) = ended {
                    tracing::error!("engine task failed: {error}");
                }
            }
            outcome = capture.ended(), if capture.is_active() => {
                capture.writer_ended(outcome, &shared.emitter, &root).await;
            }
            command = commands.recv() => match command {
                Some(command) => handle(command, &mut tasks, &mut capture, &root, &shared).await,
                None => break,
            },
        }
    }
    root.cancel();
    drop(commands);
    let drained = tokio::time::timeout(SHUTDOWN_GRACE, async { while tasks.join_next().await.is_some() {} }).await;
    if drained.is_err() {
        tracing::debug!("{} engine task(s) did not finish in time; dropping them", tasks.len());
    }
    // After the tasks, so their last events (each connection's close) are in the file.
    capture.shutdown().await;
}

async fn handle(
    command: Command,
    tasks: &mut JoinSet<()>,
    capture: &mut Capturing,
    root: &CancellationToken,
    shared: &Shared,
) {
    let Shared { emitter, settings, registry } = shared;
    match command {
        Command::Connect { conn, request } => {
            let (sends, queue) = mpsc::channel(settings.send_queue_capacity);
            let cancel = root.child_token();
            let own = sends.downgrade();
            let registration = registry.register(conn, Route::Stream { sends, cancel: cancel.clone() });
            let (emitter, settings) = (emitter.clone(), Arc::clone(settings));
            tasks.spawn(async move {
                tcp_client::run(conn, request, queue, own, cancel, emitter, settings).await;
                drop(registration);
            });
        }
        Command::Listen { listener, request } => {
            let cancel = root.child_token();
            let registration = registry.register(listener, Route::Listener { cancel: cancel.clone() });
            let shared = shared.clone();
            tasks.spawn(async move {
                tcp_server::run(listener, request, cancel, shared).await;
                drop(registration);
            });
        }
        Command::BindUdp { socket, request } => {
            let (commands, queue) = mpsc::channel(settings.send_queue_capacity);
            let cancel = root.child_token();
            let own = commands.downgrade();
            let registration = registry.register(socket, Route::Udp { commands, cancel: cancel.clone() });
            let shared = shared.clone();
            tasks.spawn(async move {
                udp::run(socket, request, queue, own, cancel, shared).await;
                drop(registration);
            });
        }
        Command::Send { conn, data } => {
            if let Err(error) = queue_send(registry, conn, data) {
                fail(emitter, root, conn, error).await;
            }
        }
        Command::SendMany { conns, data } => {
            for conn in conns {
                if let Err(error) = queue_send(registry, conn, data.clone()) {
                    fail(emitter, root, conn, error).await;
                }
            }
        }
        Command::SendTo { socket, host, port, data } => {
            if let Err(error) = queue_udp(registry, socket, UdpCommand::SendTo { host, port, data }) {
                fail(emitter, root, socket, error).await;
            }
        }
        Command::Multicast { socket, group, interface, join } => {
            let command =
                if join { UdpCommand::Join { group, interface } } else { UdpCommand::Leave { group, interface } };
            if let Err(error) = queue_udp(registry, socket, command) {
                fail(emitter, root, socket, error).await;
            }
        }
        Command::Close { id } => {
            let found = registry.with(id, |route| route.map(|route| route.cancel().cancel()));
            if found.is_none() {
                tracing::debug!("close of #{id}, which is not open");
            }
        }
        Command::StartCapture { path, target } => capture.start(path, target, emitter, root).await,
        Command::StopCapture => capture.stop(emitter, root).await,
        Command::StartCyclic { job, request } => {
            let cancel = root.child_token();
            let registration = registry.register_job(job, Route::Job { cancel: cancel.clone() });
            let shared = shared.clone();
            tasks.spawn(async move {
                cyclic::run(job, request, &cancel, &shared).await;
                drop(registration);
            });
        }
        Command::SendFile { job, request } => {
            let cancel = root.child_token();
            let registration = registry.register_job(job, Route::Job { cancel: cancel.clone() });
            let shared = shared.clone();
            tasks.spawn(async move {
                file_send::run(job, request, &cancel, &shared).await;
                drop(registration);
            });
        }
        Command::StopJob { job } => {
            let found = registry.with_job(job, |route| match route {
                Some(Route::Job { cancel }) => {
                    cancel.cancel();
                    true
                }
                _ => false,
            });
            if !found {
                tracing::debug!("stop of job #{job}, which is not running");
            }
        }
        Command::SetAutoReplies { root: scope, rules } => {
            let (rules, invalid) = match rules {
                Some(rules) => {
                    let (set, invalid) = RuleSet::compile(rules);
                    (Some(set), invalid)
                }
                None => (None, Vec::new()),
            };
            match (scope, rules) {
                (None, rules) => settings.auto_replies.replace(rules.unwrap_or_default()),
                (Some(scope), rules) => settings.auto_replies.replace_for(scope, rules),
            }
            for (rule, detail) in invalid {
                let failed = Event::CommandFailed {
                    conn: scope,
                    error: EngineError::InvalidAutoReply { rule, detail },
                    at: std::time::SystemTime::now(),
                };
                tokio::select! {
                    _ = emitter.emit(failed) => {}
                    () = root.cancelled() => {}
                }
            }
        }
    }
}

/// Queues `data` on TCP connection `conn`.
fn queue_send(registry: &Registry, conn: ConnId, data: Bytes) -> Result<(), EngineError> {
    registry.with(conn, |route| match route {
        None => Err(EngineError::NotConnected { conn }),
        Some(Route::Stream { sends, .. }) => sends.try_send(Outgoing::user(data)).map_err(|error| match error {
            mpsc::error::TrySendError::Full(_) => EngineError::SendQueueFull { conn },
            mpsc::error::TrySendError::Closed(_) => EngineError::NotConnected { conn },
        }),
        Some(other) => Err(EngineError::WrongKind { id: conn, is: other.kind(), expected: registry::STREAM }),
    })
}

/// Queues `command` on UDP socket `socket`.
fn queue_udp(registry: &Registry, socket: ConnId, command: UdpCommand) -> Result<(), EngineError> {
    registry.with(socket, |route| match route {
        None => Err(EngineError::NotConnected { conn: socket }),
        Some(Route::Udp { commands, .. }) => commands.try_send(command).map_err(|error| match error {
            mpsc::error::TrySendError::Full(_) => EngineError::SendQueueFull { conn: socket },
            mpsc::error::TrySendError::Closed(_) => EngineError::NotConnected { conn: socket },
        }),
        Some(other) => Err(EngineError::WrongKind { id: socket, is: other.kind(), expected: registry::UDP }),
    })
}

/// Reports a command that failed for `id`, giving up on a full event queue
/// if the engine is stopping.
async fn fail(emitter: &Emitter, root: &CancellationToken, id: ConnId, error: EngineError) {
    tokio::select! {
        _ = emitter.command_failed(id, error) => {}
        () = root.cancelled() => {}
    }
}
