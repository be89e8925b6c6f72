//! One TCP client connection: connect (with timeout), then one task that
//! reads and writes, reporting each completed write and each read in order.

use crate::ids::ConnId;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::stream::{self, Connection};
use crate::engine::IoAction;
use crate::engine::auto_reply::reply_queue::StreamReplies;
use crate::engine::emit::Emitter;
use crate::engine::outgoing::Outgoing;
use crate::engine::request::display_target;
use crate::engine::resolve::{Resolver, resolve};
use crate::engine::shared::ConnSettings;
use crate::engine::{EngineError, Event, TcpConnect};

/// The whole life of client connection `conn`: `Connecting`, then
/// `ConnectFailed`, or `Connected` … `Closed`. Returns `conn` when done.
/// `sends` is the sending end of `queue` (where delayed auto-replies go).
pub(in crate::engine) async fn run(
    conn: ConnId,
    request: TcpConnect,
    mut queue: mpsc::Receiver<Outgoing>,
    sends: mpsc::WeakSender<Outgoing>,
    cancel: CancellationToken,
    emitter: Emitter,
    settings: Arc<ConnSettings>,
) -> ConnId {
    let target = display_target(&request.host, request.port);
    emitter.emit(Event::Connecting { conn, target: target.clone(), at: SystemTime::now() }).await;

    let connecting = tokio::time::timeout(request.timeout, connect(&request, &target, settings.resolver.as_ref()));
    let outcome = tokio::select! {
        biased;
        () = cancel.cancelled() => Err(EngineError::Io {
            action: Box::new(IoAction::Connecting(target.clone())),
            kind: io::ErrorKind::Interrupted,
            message: "cancelled by user".to_owned(),
        }),
        connected = connecting => connected.unwrap_or_else(|_elapsed| {
            Err(EngineError::TimedOut { target: target.clone(), after: request.timeout })
        }),
    };
    let connected = outcome.and_then(|stream| {
        let addrs = stream.local_addr().and_then(|local| Ok((local, stream.peer_addr()?)));
        addrs
            .map(|addrs| (stream, addrs))
            .map_err(|error| EngineError::io(IoAction::Connecting(target.clone()), &error))
    });

    match connected {
        Err(error) => {
            tracing::debug!("connection #{conn} to {target} failed: {error}");
            stream::refuse_unsent(conn, false, &mut queue, &emitter).await;
            emitter.emit(Event::ConnectFailed { conn, error, at: SystemTime::now() }).await;
        }
        Ok((stream, (local, peer))) => {
            if let Err(error) = stream.set_nodelay(true) {
                tracing::debug!("connection #{conn}: cannot set TCP_NODELAY: {error}");
            }
            stream::set_keepalive(&stream, conn, request.keepalive);
            emitter.emit(Event::Connected { conn, local, peer, at: SystemTime::now() }).await;
            let replies = StreamReplies::new(settings.auto_replies.clone(), conn, sends);
            let read_buffer = settings.read_buffer;
            let half_close = request.half_close;
            let connection = Connection { conn, stream, peer, read_buffer, slot: None, replies, half_close };
            stream::serve(connection, &mut queue, &cancel, &emitter).await;
        }
    }
    conn
}

/// Resolves the host, then tries each address in turn; the error of the
/// last attempt is the one reported. The caller bounds the whole of it.
async fn connect(request: &TcpConnect, target: &str, resolver: Option<&Resolver>) -> Result<TcpStream, EngineError> {
    let started = Instant::now();
    let addrs = resolve(&request.host, request.port, resolver).await?;
    let mut last_error = None;
    for addr in addrs {
        match connect_one(addr, request.local_port).await {
            Ok(stream) => return Ok(stream),
            Err(attempt) => {
                tracing::debug!("connect to {addr} failed: {:?}", attempt.error);
                last_error = Some(attempt);
            }
        }
    }
    Err(match last_error {
        Some(attempt) => attempt.classify(target, started),
        None => EngineError::HostNotFound { host: request.host.clone(), detail: "no address to try".to_owned() },
    })
}

/// What was being done when an attempt failed.
enum Stage {
    /// Creating or configuring the socket.
    Setup,
    /// Binding the given local address.
    Bind(SocketAddr),
    /// Connecting to the remote address.
    Connect,
}

/// One failed attempt to connect to `addr`.
struct Attempt {
    addr: SocketAddr,
    stage: Stage,
    error: io::Error,
}

impl Attempt {
    /// The error the user sees.
    fn classify(self, target: &str, started: Instant) -> EngineError {
        let Attempt { addr, stage, error } = self;
        match (error.kind(), stage) {
            (io::ErrorKind::ConnectionRefused, _) => EngineError::Refused { addr },
            (io::ErrorKind::AddrInUse, Stage::Bind(local)) => EngineError::AddrInUse { addr: local },
            (io::ErrorKind::PermissionDenied, Stage::Bind(local)) => {
                EngineError::PermissionDenied { action: IoAction::Binding(local) }
            }
            (io::ErrorKind::PermissionDenied, _) => {
                EngineError::PermissionDenied { action: IoAction::Connecting(addr.to_string()) }
            }
            (io::ErrorKind::TimedOut, Stage::Connect) => {
                EngineError::TimedOut { target: target.to_owned(), after: started.elapsed() }
            }
            (_, Stage::Bind(local)) => EngineError::io(IoAction::Binding(local), &error),
            (_, Stage::Setup) => EngineError::io(IoAction::CreatingSocket(addr), &error),
            (_, Stage::Connect) => EngineError::io(IoAction::Connecting(addr.to_string()), &error),
        }
    }
}

/// One attempt: a fresh socket, bound to `local_port` if one is given.
async fn connect_one(addr: SocketAddr, local_port: Option<u16>) -> Result<TcpStream, Attempt> {
    let fail = |stage| move |error| Attempt { addr, stage, error };
    let socket = if addr.is_ipv4() { TcpSocket::new_v4() } else { TcpSocket::new_v6() };
    let socket = socket.map_err(fail(Stage::Setup))?;
    if let Some(port) = local_port.filter(|&port| port != 0) {
        let any = if addr.is_ipv4() { IpAddr::V4(Ipv4Addr::UNSPECIFIED) } else { IpAddr::V6(Ipv6Addr::UNSPECIFIED) };
        let local = SocketAddr::new(any, port);
        // So the same local port can be used again right after a close
        // (while the old connection sits in TIME_WAIT).
        socket.set_reuseaddr(true).map_err(fail(Stage::Setup))?;
        socket.bind(local).map_err(fail(Stage::Bind(local)))?;
    }
    socket.connect(addr).await.map_err(fail(Stage::Connect))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_are_classified() {
        let addr: SocketAddr = "127.0.0.1:9".parse().unwrap();
        let local: SocketAddr = "0.0.0.0:80".parse().unwrap();
        let started = Instant::now();
        let attempt = |stage, kind| Attempt { addr, stage, error: io::Error::from(kind) };
        let classify = |a: Attempt| a.classify("h:9", started);
        use io::ErrorKind::*;
        assert_eq!(classify(attempt(Stage::Connect, ConnectionRefused)), EngineError::Refused { addr });
        assert_eq!(classify(attempt(Stage::Bind(local), AddrInUse)), EngineError::AddrInUse { addr: local });
        assert_eq!(
            classify(attempt(Stage::Bind(local), PermissionDenied)),
            EngineError::PermissionDenied { action: IoAction::Binding(local) }
        );
        assert!(matches!(classify(attempt(Stage::Connect, TimedOut)), EngineError::TimedOut { .. }));
        assert!(matches!(
            classify(attempt(Stage::Connect, NetworkUnreachable)),
            EngineError::Io { kind: NetworkUnreachable, .. }
        ));
    }
}
