//! One established TCP connection (a client's, or one a listener accepted),
//! serviced by one task: reads, the queued writes and cancellation in a
//! single `select!` loop, so events come out in the order things completed
//! on the socket. Each read goes through the auto-reply rules here too, and
//! the replies without delay are written before the next queued payload.
//!
//! The peer's FIN ends the connection, unless half-close is on: then the
//! loop reports `PeerFinished`, stops reading and goes on writing until a
//! disconnect, a failed write or the peer's reset.

use crate::ids::ConnId;
use std::cell::RefCell;
use std::io;
use std::net::SocketAddr;
use std::time::SystemTime;

use bytes::Bytes;
use tokio::io::{AsyncWriteExt, Interest};
use tokio::net::TcpStream;
use tokio::net::tcp::ReadHalf;
use tokio::sync::{OwnedSemaphorePermit, mpsc};
use tokio_util::sync::CancellationToken;

use crate::engine::auto_reply::reply_queue::StreamReplies;
use crate::engine::emit::{Emitter, Tail};
use crate::engine::outgoing::Outgoing;
use crate::engine::{CloseReason, EngineError, Event, IoAction, Unsent};

/// One connected stream and what its task needs to report on it.
pub(in crate::engine) struct Connection {
    /// The connection's id in events.
    pub conn: ConnId,
    /// The connected socket.
    pub stream: TcpStream,
    /// The peer, for events.
    pub peer: SocketAddr,
    /// Bytes per read (the most one `Received` carries).
    pub read_buffer: usize,
    /// For a client a listener accepted: its place under the listener's
    /// client limit, given back as soon as the socket is closed, before
    /// `Closed` is reported (so a client that connects after seeing it is served).
    pub slot: Option<OwnedSemaphorePermit>,
    /// Its auto-replies.
    pub replies: StreamReplies,
    /// Half-close: the peer's FIN does not end the connection (see [`crate::engine::TcpConnect::half_close`]).
    pub half_close: bool,
}

thread_local! {
    /// Where reads land before being copied into a `Received` of exactly the
    /// bytes read. One per engine thread, not one per connection: a server
    /// with thousands of idle clients holds no read buffers. It is filled and
    /// emptied with no await in between, so tasks never share it.
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Reads what `reader` has ready, at most `limit` bytes, without waiting:
/// `Ok` of empty bytes at end-of-stream, `WouldBlock` if nothing was ready.
fn try_read(reader: &ReadHalf<'_>, limit: usize) -> io::Result<Bytes> {
    SCRATCH.with_borrow_mut(|scratch| {
        if scratch.len() < limit {
            scratch.resize(limit, 0);
        }
        let n = reader.try_read(&mut scratch[..limit])?;
        Ok(Bytes::copy_from_slice(&scratch[..n]))
    })
}

/// A payload being written: `out.data[written..]` is still to go.
struct Pending {
    out: Outgoing,
    written: usize,
}

/// Services `connection` until the peer closes it, an error ends it, or
/// `cancel` fires; then reports the part of a payload cut short that was
/// written (`Sent`), every payload of the user or rest of one that was not
/// (a `CommandFailed` each), how much of everything queued was discarded
/// unwritten (`Discarded`, if any was) and finally emits the connection's one `Closed`.
pub(in crate::engine) async fn serve(
    connection: Connection,
    queue: &mut mpsc::Receiver<Outgoing>,
    cancel: &CancellationToken,
    emitter: &Emitter,
) {
    let Connection { conn, mut stream, peer, read_buffer, slot, mut replies, half_close } = connection;
    let link = Link { conn, peer, read_buffer, half_close, emitter };
    let mut tail = Tail::default();
    let (reason, cut_short) = link.pump(&mut stream, queue, &mut replies, &mut tail, cancel).await;
    drop(stream);
    drop(slot);
    tracing::debug!("connection #{conn} to {peer} closed: {reason:?}");
    // The last data held back in a flood is shown whole before the close.
    emitter.flush_tail(&mut tail).await;
    let mut unsent = Unsent::default();
    if let Some(Pending { out, written }) = &cut_short {
        if *written > 0 {
            // Those bytes went to the socket (and with its close, onto the wire).
            let data = out.data.slice(..*written);
            emitter.emit(Event::Sent { conn, peer, data, at: SystemTime::now() }).await;
            out.cut(*written);
        }
        unsent.add(out.data.len() - written);
    }
    // A job's item cut short is not acknowledged: its job learns the connection ended.
    let user_cut_short = cut_short.as_ref().is_some_and(|pending| pending.out.is_user());
    unsent += refuse_unsent(conn, user_cut_short, queue, emitter).await;
    if unsent.items > 0 {
        emitter.emit(Event::Discarded { conn, peer, unsent, at: SystemTime::now() }).await;
    }
    drop(cut_short);
    emitter.emit(Event::Closed { conn, peer, reason, at: SystemTime::now() }).await;
}

/// Stops `queue` taking payloads and reports every payload the user queued
/// that is still queued, after the (rest of the) one being written if
/// `cut_short`, as not sent (`CommandFailed` with `NotConnected`). Jobs'
/// items and auto-replies still queued are dropped: their jobs learn it from
/// their dropped acknowledgements, and those replies were never announced.
/// Returns what was discarded: every payload still queued but the jobs'
/// items their jobs had withdrawn already (they report those themselves).
pub(in crate::engine) async fn refuse_unsent(
    conn: ConnId,
    cut_short: bool,
    queue: &mut mpsc::Receiver<Outgoing>,
    emitter: &Emitter,
) -> Unsent {
    queue.close();
    let mut refused = usize::from(cut_short);
    let mut unsent = Unsent::default();
    while let Ok(out) = queue.try_recv() {
        refused += usize::from(out.is_user());
        if out.take() {
            unsent.add(out.data.len());
        }
    }
    for _ in 0..refused {
        emitter.command_failed(conn, EngineError::NotConnected { conn }).await;
    }
    unsent
}

/// What the loop reports on.
struct Link<'a> {
    conn: ConnId,
    peer: SocketAddr,
    read_buffer: usize,
    /// Whether the peer's FIN leaves the connection open for sending.
    half_close: bool,
    emitter: &'a Emitter,
}

impl Link<'_> {
    /// The loop: returns why the connection ended and the payload that was
    /// being written when it did, if any, with how much of it was written.
    async fn pump(
        &self,
        stream: &mut TcpStream,
        queue: &mut mpsc::Receiver<Outgoing>,
        replies: &mut StreamReplies,
        tail: &mut Tail,
        cancel: &CancellationToken,
    ) -> (CloseReason, Option<Pending>) {
        let Link { conn, peer, read_buffer, half_close, emitter } = *self;
        let (reader, mut writer) = stream.split();
        let read_buffer = read_buffer.max(1);
        let mut pending: Option<Pending> = None;
        let mut queue_open = true;
        // Half-close: the peer has sent its FIN. Reading stops (the socket
        // would report end-of-stream at every poll); only a reset or another
        // error the socket reports, a failed write or cancellation end it now.
        let mut peer_finished = false;
        loop {
            // Cancellation wins over anything else that is ready; the branches
            // below are polled in random order so neither direction starves.
            if cancel.is_cancelled() {
                // Graceful close: send FIN; the peer may already be gone.
                let _ = writer.shutdown().await;
                return (CloseReason::Local, pending);
            }
            // Replies without delay go before the queued payloads.
            if pending.is_none()
                && let Some(reply) = replies.next_immediate()
            {
                pending = self.start(reply, tail).await;
            }
            let unwritten: &[u8] = match &pending {
                Some(p) => &p.out.data[p.written..],
                None => &[],
            };
            // A job's item being written: its job's end cuts it short.
            let stop = pending.as_ref().and_then(|p| p.out.stop());
            tokio::select! {
                () = cancel.cancelled() => {}
                () = stopped(stop), if stop.is_some() => {
                    if let Some(p) = pending.take() {
                        self.cut(p, tail).await;
                    }
                }
                written = writer.write(unwritten), if !unwritten.is_empty() => match (written, pending.take()) {
                    (Ok(0), p) => {
                        let error = io::Error::from(io::ErrorKind::WriteZero);
                        return (close_reason(error, IoAction::WritingTo(peer)), p);
                    }
                    (Ok(n), Some(mut p)) => {
                        p.written += n;
                        if p.written < p.out.data.len() {
                            pending = Some(p);
                        } else {
                            self.sent(p.out, tail).await;
                        }
                    }
                    (Ok(_), None) => {}
                    (Err(error), p) => return (close_reason(error, IoAction::WritingTo(peer)), p),
                },
                next = queue.recv(), if pending.is_none() && queue_open => match next {
                    // A job's item its job has withdrawn is dropped unwritten.
                    Some(out) if out.take() => pending = self.start(out, tail).await,
                    Some(_) => {}
                    None => queue_open = false,
                },
                // Data held back in a flood goes whole as soon as the queue has room for it.
                _ = emitter.flush_tail(tail), if tail.is_holding() => {}
                error = reader.as_ref().async_io(Interest::ERROR, || pending_error(reader.as_ref())), if peer_finished => {
                    let error = error.unwrap_or_else(|error| error);
                    return (close_reason(error, IoAction::Watching(peer)), pending);
                }
                // While too many replies wait to be written, stop reading: TCP slows the peer down.
                ready = reader.readable(), if !peer_finished && replies.has_room() => {
                    match ready.and_then(|()| try_read(&reader, read_buffer)) {
                        Ok(data) if data.is_empty() && !half_close => return (CloseReason::PeerClosed, pending),
                        Ok(data) if data.is_empty() => {
                            peer_finished = true;
                            // What the peer sent before its FIN is shown before it.
                            emitter.flush_tail(tail).await;
                            emitter.emit(Event::PeerFinished { conn, peer, at: SystemTime::now() }).await;
                        }
                        Ok(data) => {
                            let event = Event::Received { conn, peer, data: data.clone(), at: SystemTime::now() };
                            emitter.emit_data(event, tail).await;
                            replies.on_received(conn, &data, emitter).await;
                        }
                        // Readiness was stale; `try_read` cleared it, so wait again.
                        Err(error) if error.kind() == io::ErrorKind::WouldBlock => {}
                        Err(error) => return (close_reason(error, IoAction::ReadingFrom(peer)), pending),
                    }
                }
            }
        }
    }

    /// Starts writing `out` (announcing it first if it is an auto-reply);
    /// `None` if there is nothing to write (an empty payload is reported sent at once).
    async fn start(&self, out: Outgoing, tail: &mut Tail) -> Option<Pending> {
        let Link { conn, peer, emitter, .. } = *self;
        if let Some(rule) = &out.rule {
            emitter.settle(tail).await;
            emitter.emit(Event::AutoReplied { conn, peer, rule: rule.to_string(), at: SystemTime::now() }).await;
        }
        if out.data.is_empty() {
            self.sent(out, tail).await;
            return None;
        }
        Some(Pending { out, written: 0 })
    }

    /// Stops writing a job's item because its job ended: reports (`Sent`)
    /// and counts what of it was written; the rest is not written, and the
    /// job, which is waiting for it, learns that from its dropped acknowledgement.
    async fn cut(&self, p: Pending, tail: &mut Tail) {
        let Link { conn, peer, emitter, .. } = *self;
        if p.written > 0 {
            let data = p.out.data.slice(..p.written);
            emitter.emit_data(Event::Sent { conn, peer, data, at: SystemTime::now() }, tail).await;
            p.out.cut(p.written);
        }
    }

    /// Reports `out` written, then tells its job, if any.
    async fn sent(&self, out: Outgoing, tail: &mut Tail) {
        let Link { conn, peer, emitter, .. } = *self;
        emitter.emit_data(Event::Sent { conn, peer, data: out.data.clone(), at: SystemTime::now() }, tail).await;
        out.written();
    }
}

/// Completes once `stop` fires (never for `None`).
async fn stopped(stop: Option<&CancellationToken>) {
    match stop {
        Some(stop) => stop.cancelled().await,
        None => std::future::pending().await,
    }
}

/// The error the socket holds (a reset, …), taken from it; `WouldBlock` if
/// there is none, so that a readiness without one is cleared, not polled again.
fn pending_error(stream: &TcpStream) -> io::Result<io::Error> {
    match stream.take_error() {
        Ok(Some(error)) | Err(error) => Ok(error),
        Ok(None) => Err(io::ErrorKind::WouldBlock.into()),
    }
}

/// Classifies the I/O error that ended a connection.
/// Turns TCP keepalive on for `stream` (idle time and probe interval
/// `interval`, [`crate::engine::KEEPALIVE_PROBES`] probes), or leaves it off
/// for `None`. A failure is logged, not fatal: the connection works without.
pub(super) fn set_keepalive(stream: &TcpStream, conn: crate::ids::ConnId, interval: Option<std::time::Duration>) {
    let Some(interval) = interval else { return };
    let keepalive = socket2::TcpKeepalive::new().with_time(interval);
    #[cfg(any(unix, windows))]
    let keepalive = keepalive.with_interval(interval);
    #[cfg(all(unix, not(target_os = "openbsd")))]
    let keepalive = keepalive.with_retries(crate::engine::KEEPALIVE_PROBES);
    if let Err(error) = socket2::SockRef::from(stream).set_tcp_keepalive(&keepalive) {
        tracing::debug!("connection #{conn}: cannot turn keepalive on: {error}");
    }
}

fn close_reason(error: io::Error, action: IoAction) -> CloseReason {
    match error.kind() {
        io::ErrorKind::TimedOut => CloseReason::TimedOut,
        io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted | io::ErrorKind::BrokenPipe => {
            CloseReason::Reset
        }
        kind => CloseReason::Error(EngineError::Io { action: Box::new(action), kind, message: error.to_string() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timed_out_connection_is_its_own_close_reason() {
        let peer = std::net::SocketAddr::from(([127, 0, 0, 1], 8000));
        // What a read returns once keepalive probes went unanswered (ETIMEDOUT).
        let reason = close_reason(io::Error::from(io::ErrorKind::TimedOut), IoAction::ReadingFrom(peer));
        assert!(matches!(reason, CloseReason::TimedOut), "{reason:?}");
        let reason = close_reason(io::Error::from(io::ErrorKind::ConnectionReset), IoAction::ReadingFrom(peer));
        assert!(matches!(reason, CloseReason::Reset), "{reason:?}");
    }
}
