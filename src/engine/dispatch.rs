//! The engine's main task: takes the UI's commands, starts one task per
//! connection, routes sends and disconnects to it, and forgets it when it ends.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::emit::Emitter;
use super::resolve::Resolver;
use super::tcp_client;
use super::{ConnId, EngineError, TcpConnect};

/// How long connections get, once the engine is stopping, to report their
/// `Closed` before their tasks are dropped (the UI may not be draining).
const SHUTDOWN_GRACE: Duration = Duration::from_millis(500);

/// What the UI asks the engine to do.
#[derive(Debug)]
pub(super) enum Command {
    /// Start a TCP client connection.
    Connect { conn: ConnId, request: TcpConnect },
    /// Send bytes on a connection.
    Send { conn: ConnId, data: Bytes },
    /// Close a connection, or cancel it while connecting.
    Disconnect { conn: ConnId },
}

/// What every connection task needs from the engine's configuration.
pub(super) struct ConnSettings {
    /// Bytes per read.
    pub read_buffer: usize,
    /// Capacity of each connection's queue of pending sends.
    pub send_queue_capacity: usize,
    /// Resolver for host names; `None`: the system's.
    pub resolver: Option<Resolver>,
}

/// The dispatcher's view of one live connection.
struct Live {
    /// Payloads to send, in order.
    sends: mpsc::Sender<Bytes>,
    /// Cancelled by Disconnect (a child of the engine's root token).
    cancel: CancellationToken,
    /// The connection task, to forget the entry if the task panics.
    task: tokio::task::Id,
}

/// Runs until the command channel closes or `root` is cancelled, then
/// cancels every connection and gives them [`SHUTDOWN_GRACE`] to report.
pub(super) async fn run(
    mut commands: mpsc::Receiver<Command>,
    root: CancellationToken,
    emitter: Emitter,
    settings: Arc<ConnSettings>,
) {
    let mut live: HashMap<ConnId, Live> = HashMap::new();
    let mut tasks: JoinSet<ConnId> = JoinSet::new();
    loop {
        tokio::select! {
            biased;
            () = root.cancelled() => break,
            Some(ended) = tasks.join_next_with_id(), if !tasks.is_empty() => match ended {
                Ok((_, conn)) => {
                    live.remove(&conn);
                }
                Err(error) => {
                    tracing::error!("connection task failed: {error}");
                    live.retain(|_, entry| entry.task != error.id());
                }
            },
            command = commands.recv() => match command {
                Some(command) => handle(command, &mut live, &mut tasks, &root, &emitter, &settings).await,
                None => break,
            },
        }
    }
    root.cancel();
    drop(commands);
    drop(live);
    let drained = tokio::time::timeout(SHUTDOWN_GRACE, async { while tasks.join_next().await.is_some() {} }).await;
    if drained.is_err() {
        tracing::debug!("{} connection task(s) did not finish in time; dropping them", tasks.len());
    }
}

async fn handle(
    command: Command,
    live: &mut HashMap<ConnId, Live>,
    tasks: &mut JoinSet<ConnId>,
    root: &CancellationToken,
    emitter: &Emitter,
    settings: &Arc<ConnSettings>,
) {
    match command {
        Command::Connect { conn, request } => {
            let (sends, queue) = mpsc::channel(settings.send_queue_capacity);
            let cancel = root.child_token();
            let task = tasks
                .spawn(tcp_client::run(conn, request, queue, cancel.clone(), emitter.clone(), Arc::clone(settings)))
                .id();
            live.insert(conn, Live { sends, cancel, task });
        }
        Command::Send { conn, data } => {
            let refused = match live.get(&conn) {
                None => Some(EngineError::NotConnected { conn }),
                Some(entry) => match entry.sends.try_send(data) {
                    Ok(()) => None,
                    Err(mpsc::error::TrySendError::Full(_)) => Some(EngineError::SendQueueFull { conn }),
                    Err(mpsc::error::TrySendError::Closed(_)) => Some(EngineError::NotConnected { conn }),
                },
            };
            if let Some(error) = refused {
                // Give up waiting on a full event queue if the engine is stopping.
                tokio::select! {
                    _ = emitter.command_failed(conn, error) => {}
                    () = root.cancelled() => {}
                }
            }
        }
        Command::Disconnect { conn } => match live.get(&conn) {
            Some(entry) => entry.cancel.cancel(),
            None => tracing::debug!("disconnect of connection #{conn}, which is not open"),
        },
    }
}
