//! [`CaptureWriter`]: the format onto any writer; and the engine's writer
//! thread, fed through a bounded channel.

use crate::ids::Direction;
use std::collections::VecDeque;
use std::fmt::Display;
use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::net::SocketAddr;
use std::path::Path;
use std::time::SystemTime;

use bytes::Bytes;
use tokio::sync::{mpsc, oneshot};

use super::format::{
    CaptureRecord, Encoder, KIND_CLOSED, KIND_DATA, KIND_OPENED, MAX_PAYLOAD, RecordKind, Transport, header, to_micros,
};
use crate::ids::ConnId;

/// The writer thread's buffer: big writes to the disk, flushed whenever the
/// channel runs dry, so little is ever held back.
const WRITE_BUFFER: usize = 1024 * 1024;

/// Writes a capture to `out`: the header at once, then one record per
/// [`CaptureWriter::write_record`]. Does no buffering of its own: give it a
/// `BufWriter` (the engine's writer thread does).
pub struct CaptureWriter<W: Write> {
    out: W,
    encoder: Encoder,
    records: u64,
    bytes: u64,
    /// With [`CaptureWriter::track_ends`]: where each record handed to `out`
    /// and not yet known to be in the sink ends (offsets from the file's start).
    ends: Option<VecDeque<u64>>,
    /// Records known to be whole in the sink (see [`CaptureWriter::settle`]).
    settled: u64,
}

impl<W: Write> CaptureWriter<W> {
    /// Writes the file header to `out`.
    pub fn new(mut out: W) -> io::Result<Self> {
        let header = header();
        out.write_all(&header)?;
        Ok(Self { out, encoder: Encoder::new(), records: 0, bytes: header.len() as u64, ends: None, settled: 0 })
    }

    /// Remembers where each record ends from now on, so that after a write
    /// error [`CaptureWriter::settle`] can tell how many records reached the
    /// sink whole (a buffered `out` takes records the sink never gets).
    pub(crate) fn track_ends(&mut self) {
        self.ends.get_or_insert_with(VecDeque::new);
    }

    /// Given how many bytes the sink has accepted from the file's start,
    /// returns how many records it holds whole (all of them when not tracking).
    pub(crate) fn settle(&mut self, accepted: u64) -> u64 {
        let Some(ends) = &mut self.ends else { return self.records };
        while ends.front().is_some_and(|&end| end <= accepted) {
            ends.pop_front();
            self.settled += 1;
        }
        self.settled
    }

    /// The writer given to [`CaptureWriter::new`], borrowed.
    pub(crate) fn get_ref(&self) -> &W {
        &self.out
    }

    /// Appends `record`. A data payload larger than [`super::MAX_PAYLOAD`] is
    /// written as several data records, in order. A peer or local address
    /// longer than 255 bytes is cut (at a character boundary), and so is a
    /// close reason longer than [`super::MAX_PAYLOAD`].
    pub fn write_record(&mut self, record: &CaptureRecord) -> io::Result<()> {
        let CaptureRecord { micros, conn, transport, direction, peer, kind } = record;
        let peer: &dyn Display = peer;
        let head =
            Head { micros: *micros, conn: *conn, transport: *transport, direction: *direction, peer: Some(peer) };
        match kind {
            RecordKind::Data { payload } => self.data(&head, payload),
            RecordKind::Opened { local } => self.opened(&head, local),
            RecordKind::Closed { reason } => self.closed(&head, reason),
        }
    }

    /// Appends what the engine handed over.
    pub(crate) fn write_entry(&mut self, entry: &Entry) -> io::Result<()> {
        let Entry { at, conn, transport, direction, peer, kind } = entry;
        let peer = peer.as_ref().map(|peer| peer as &dyn Display);
        let head = Head { micros: to_micros(*at), conn: *conn, transport: *transport, direction: *direction, peer };
        match kind {
            EntryKind::Data(payload) => self.data(&head, payload),
            EntryKind::Opened { local } => self.opened(&head, local),
            EntryKind::Closed { reason } => self.closed(&head, reason),
        }
    }

    fn data(&mut self, head: &Head<'_>, payload: &[u8]) -> io::Result<()> {
        let mut chunks = payload.chunks(MAX_PAYLOAD);
        // An empty payload (an empty datagram) is one record too.
        let first = chunks.next().unwrap_or_default();
        for chunk in std::iter::once(first).chain(chunks) {
            head.start(&mut self.encoder, KIND_DATA);
            self.frame(chunk)?;
        }
        Ok(())
    }

    fn opened(&mut self, head: &Head<'_>, local: &dyn Display) -> io::Result<()> {
        head.start(&mut self.encoder, KIND_OPENED);
        self.encoder.text8(Some(local));
        self.frame(&[])
    }

    fn closed(&mut self, head: &Head<'_>, reason: &str) -> io::Result<()> {
        head.start(&mut self.encoder, KIND_CLOSED);
        let mut end = reason.len().min(MAX_PAYLOAD);
        while !reason.is_char_boundary(end) {
            end -= 1;
        }
        self.frame(&reason.as_bytes()[..end])
    }

    fn frame(&mut self, tail: &[u8]) -> io::Result<()> {
        self.bytes += self.encoder.frame(&mut self.out, tail)?;
        self.records += 1;
        if let Some(ends) = &mut self.ends {
            ends.push_back(self.bytes);
        }
        Ok(())
    }

    /// Flushes `out`.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// Records written so far (a payload split in several counts as several).
    pub fn records(&self) -> u64 {
        self.records
    }

    /// Bytes written so far, header included: the file's size once flushed.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The writer given to [`CaptureWriter::new`].
    pub fn into_inner(self) -> W {
        self.out
    }
}

/// The fields every record has, borrowed.
struct Head<'a> {
    micros: i64,
    conn: ConnId,
    transport: Transport,
    direction: Direction,
    peer: Option<&'a dyn Display>,
}

impl Head<'_> {
    fn start(&self, encoder: &mut Encoder, kind: u8) {
        encoder.start(kind, self.micros, self.conn, self.transport, self.direction, self.peer);
    }
}

/// Creates a capture file at `path` for writing: its parent directories
/// first if need be; never over an existing file (`AlreadyExists`).
pub fn create_file(path: &Path) -> io::Result<File> {
    if let Some(parent) = path.parent().filter(|parent| !parent.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    OpenOptions::new().write(true).create_new(true).open(path)
}

/// What the engine hands the writer thread: one event's worth, unformatted
/// (addresses become text on the writer thread, not on the engine's).
#[derive(Debug)]
pub(crate) struct Entry {
    /// The event's time.
    pub at: SystemTime,
    /// The connection or socket.
    pub conn: ConnId,
    /// TCP or UDP.
    pub transport: Transport,
    /// See [`CaptureRecord::direction`].
    pub direction: Direction,
    /// The peer; `None` for a UDP socket's opening and closing.
    pub peer: Option<SocketAddr>,
    /// What happened.
    pub kind: EntryKind,
}

/// What an [`Entry`] says.
#[derive(Debug)]
pub(crate) enum EntryKind {
    /// Bytes sent or received.
    Data(Bytes),
    /// Opened, with our local address.
    Opened { local: SocketAddr },
    /// Closed, and why.
    Closed { reason: String },
}

/// A sink that counts the bytes it accepted (a write error accepts none).
pub(crate) struct Counted<W> {
    sink: W,
    accepted: u64,
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.sink.write(buf)?;
        self.accepted += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.sink.flush()
    }
}

/// Records and bytes a writer thread wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Totals {
    /// Records written.
    pub records: u64,
    /// Bytes written, header included.
    pub bytes: u64,
}

/// How a writer thread ended: every entry written and flushed after its
/// channel closed, or a write error (with what was written before it).
pub(crate) type Outcome = Result<Totals, (io::Error, Totals)>;

/// A running writer thread: its outcome arrives once it has ended, its
/// sink closed.
pub(crate) struct WriterThread {
    /// Sent by the thread as its last act.
    pub done: oneshot::Receiver<Outcome>,
}

/// Writes the header to `sink` (through a 1 MiB buffer, flushed at once so a
/// sink that cannot be written fails here), then starts the
/// "netassist-capture" thread, which writes every entry sent on the returned
/// channel (`capacity` entries, so senders wait while the disk is slow).
///
/// The thread flushes whenever the channel is empty. It ends once every
/// sender is dropped and the channel drained, or at the first write error:
/// then it drops its receiver, so senders fail at once instead of waiting.
pub(crate) fn spawn_writer<W: Write + Send + 'static>(
    sink: W,
    capacity: usize,
) -> io::Result<(mpsc::Sender<Entry>, WriterThread)> {
    let mut writer = CaptureWriter::new(BufWriter::with_capacity(WRITE_BUFFER, Counted { sink, accepted: 0 }))?;
    writer.track_ends();
    writer.flush()?;
    let (entries_tx, entries) = mpsc::channel(capacity.max(1));
    let (done_tx, done) = oneshot::channel();
    std::thread::Builder::new().name("netassist-capture".to_owned()).spawn(move || {
        let outcome = write_all(writer, entries);
        // Nobody waiting is fine: the engine stopped caring.
        let _ = done_tx.send(outcome);
    })?;
    Ok((entries_tx, WriterThread { done }))
}

/// The writer thread's loop; the sink and the receiver are dropped before it returns.
fn write_all<W: Write>(
    mut writer: CaptureWriter<BufWriter<Counted<W>>>,
    mut entries: mpsc::Receiver<Entry>,
) -> Outcome {
    let written = (|| -> io::Result<()> {
        loop {
            let entry = match entries.try_recv() {
                Ok(entry) => entry,
                Err(mpsc::error::TryRecvError::Empty) => {
                    // A lull: put what we have on disk before waiting.
                    writer.flush()?;
                    match entries.blocking_recv() {
                        Some(entry) => entry,
                        None => break,
                    }
                }
                Err(mpsc::error::TryRecvError::Disconnected) => break,
            };
            writer.write_entry(&entry)?;
            // Forget the ends the sink has passed (keeps the list to the buffer's records).
            let accepted = writer.get_ref().get_ref().accepted;
            writer.settle(accepted);
        }
        writer.flush()
    })();
    // Senders waiting for room fail now, rather than wait on a dead writer.
    drop(entries);
    // What the sink holds, not what was handed to the buffer: after a failed
    // write the last record may be cut short, and it is not counted.
    let accepted = writer.get_ref().get_ref().accepted;
    let totals = Totals { records: writer.settle(accepted), bytes: accepted };
    match written {
        Ok(()) => {
            drop(writer);
            Ok(totals)
        }
        Err(error) => {
            // Drop what the buffer still holds rather than write to a
            // failing sink again on drop.
            let (sink, _unwritten) = writer.into_inner().into_parts();
            drop(sink.sink);
            Err((error, totals))
        }
    }
}

#[cfg(test)]
#[path = "writer_tests.rs"]
mod tests;
