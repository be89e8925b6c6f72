//! One TCP listener: bind and listen, then one task that accepts clients,
//! admits each under the listener's client limit (a semaphore) and serves
//! it in a task of its own with [`stream::serve`]. No client's error
//! ends the listener; stopping the listener closes all its clients.

use crate::ids::ConnId;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::stream::{self, Connection};
use crate::engine::IoAction;
use crate::engine::auto_reply::reply_queue::StreamReplies;
use crate::engine::outgoing::Outgoing;
use crate::engine::registry::{Registration, Route};
use crate::engine::request::canonical;
use crate::engine::shared::Shared;
use crate::engine::{CloseReason, EngineError, Event, ListenTcp};

/// How many connections the kernel may queue for us to accept (capped by
/// the OS: `net.core.somaxconn`, 4096 on current Linux). A full queue drops
/// SYNs, and each dropped one costs its client a 1 s retransmission: with
/// 1024, 10,000 clients connecting in a loop overflowed it whenever the
/// engine was descheduled for ~25 ms, and took 1.3–2.4 s instead of 0.4.
const BACKLOG: u32 = 4096;
/// How long to pause accepting after an error such as "too many open
/// files", which would otherwise repeat at once.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(200);

/// The whole life of `listener`: `ListenFailed`, or `Listening` … `ListenerClosed`.
pub(in crate::engine) async fn run(listener: ConnId, request: ListenTcp, cancel: CancellationToken, shared: Shared) {
    let bound = bind(request.bind).and_then(|socket| Ok((socket.local_addr()?, socket)));
    let (local, socket) = match bound {
        Ok(bound) => bound,
        Err(error) => {
            let error = EngineError::bind_failed(request.bind, IoAction::Listening(request.bind), &error);
            tracing::debug!("listener #{listener} failed: {error}");
            shared.emitter.emit(Event::ListenFailed { listener, error, at: SystemTime::now() }).await;
            return;
        }
    };
    shared.emitter.emit(Event::Listening { listener, local, at: SystemTime::now() }).await;

    let limit = request.max_clients.clamp(1, Semaphore::MAX_PERMITS);
    let permits = Arc::new(Semaphore::new(limit));
    let half_close = request.half_close;
    let keepalive = request.keepalive;
    let mut server = Server { listener, local, limit, permits, half_close, keepalive, clients: JoinSet::new() };
    loop {
        tokio::select! {
            biased;
            () = cancel.cancelled() => break,
            Some(ended) = server.clients.join_next(), if !server.clients.is_empty() => {
                if let Err(error) = ended {
                    tracing::error!("a client task of listener #{listener} failed: {error}");
                }
            }
            accepted = socket.accept() => match accepted {
                Ok((stream, peer)) => server.admit(stream, canonical(peer), &cancel, &shared).await,
                Err(error) if is_transient(&error) => tracing::debug!("listener #{listener}: accept: {error}"),
                Err(error) => {
                    let error = EngineError::io(IoAction::Accepting(local), &error);
                    shared.emitter.command_failed(listener, error).await;
                    tokio::select! {
                        () = cancel.cancelled() => break,
                        () = tokio::time::sleep(ACCEPT_BACKOFF) => {}
                    }
                }
            },
        }
    }
    // Stop accepting (and free the port) first; the clients' tokens are
    // children of `cancel`, so each is closing and reports `Closed { Local }`.
    drop(socket);
    while let Some(ended) = server.clients.join_next().await {
        if let Err(error) = ended {
            tracing::error!("a client task of listener #{listener} failed: {error}");
        }
    }
    tracing::debug!("listener #{listener} on {local} closed");
    shared.emitter.emit(Event::ListenerClosed { listener, reason: CloseReason::Local, at: SystemTime::now() }).await;
}

/// A socket listening on `addr`.
fn bind(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = if addr.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
    // On Unix, SO_REUSEADDR lets the server listen again at once after a
    // stop while old connections sit in TIME_WAIT; it does not allow two
    // listeners on one port. (On Windows it would, so it is not set there.)
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}

/// Accept errors that concern one connection only (it went away before we took it).
fn is_transient(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
            | io::ErrorKind::WouldBlock
    )
}

/// A running listener's state.
struct Server {
    /// The listener's id.
    listener: ConnId,
    /// Where it listens.
    local: SocketAddr,
    /// Its client limit.
    limit: usize,
    /// One permit per client being served.
    permits: Arc<Semaphore>,
    /// Half-close for its clients.
    half_close: bool,
    /// Keepalive for each client accepted.
    keepalive: Option<std::time::Duration>,
    /// The client tasks.
    clients: JoinSet<()>,
}

impl Server {
    /// Serves `stream` if there is room, else closes it and reports `ClientRefused`.
    async fn admit(&mut self, stream: TcpStream, peer: SocketAddr, cancel: &CancellationToken, shared: &Shared) {
        let listener = self.listener;
        let Ok(permit) = Arc::clone(&self.permits).try_acquire_owned() else {
            drop(stream);
            tracing::debug!("listener #{listener}: refused {peer}: {} clients already", self.limit);
            let refused = Event::ClientRefused { listener, peer, limit: self.limit, at: SystemTime::now() };
            shared.emitter.emit(refused).await;
            return;
        };
        let conn = shared.registry.next_id();
        let (sends, queue) = mpsc::channel(shared.settings.send_queue_capacity);
        let client_cancel = cancel.child_token();
        let replies = StreamReplies::new(shared.settings.auto_replies.clone(), listener, sends.downgrade());
        let registration = shared.registry.register(conn, Route::Stream { sends, cancel: client_cancel.clone() });
        let local = stream.local_addr().map_or(self.local, canonical);
        let half_close = self.half_close;
        stream::set_keepalive(&stream, conn, self.keepalive);
        let cancel = client_cancel;
        let client =
            Client { listener, conn, stream, local, peer, queue, cancel, permit, registration, replies, half_close };
        self.clients.spawn(client.serve(shared.clone()));
    }
}

/// One accepted client and what its task holds until it ends.
struct Client {
    listener: ConnId,
    conn: ConnId,
    stream: TcpStream,
    local: SocketAddr,
    peer: SocketAddr,
    queue: mpsc::Receiver<Outgoing>,
    cancel: CancellationToken,
    /// Its place under the listener's client limit.
    permit: OwnedSemaphorePermit,
    /// Keeps the client reachable by `send`/`disconnect` while it lives.
    registration: Registration,
    /// Its auto-replies.
    replies: StreamReplies,
    /// Whether its FIN leaves it open for sending.
    half_close: bool,
}

impl Client {
    /// `Accepted`, then the client's traffic, then its `Closed`.
    async fn serve(self, shared: Shared) {
        let Client {
            listener,
            conn,
            stream,
            local,
            peer,
            mut queue,
            cancel,
            permit,
            registration,
            replies,
            half_close,
        } = self;
        if let Err(error) = stream.set_nodelay(true) {
            tracing::debug!("connection #{conn}: cannot set TCP_NODELAY: {error}");
        }
        shared.emitter.emit(Event::Accepted { listener, conn, local, peer, at: SystemTime::now() }).await;
        let read_buffer = shared.settings.read_buffer;
        let connection = Connection { conn, stream, peer, read_buffer, slot: Some(permit), replies, half_close };
        stream::serve(connection, &mut queue, &cancel, &shared.emitter).await;
        drop(registration);
    }
}
