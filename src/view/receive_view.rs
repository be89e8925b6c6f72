//! [`ReceiveView`]: the store, the per-stream decoders and the line index together.

use crate::ids::Direction;
use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::time::{Duration, SystemTime};

use bytes::Bytes;

use super::controls::escape_controls;
use super::elided::Elided;
use super::framing::{Frame, Framing, Reassembler};
use super::lines::push_lines;
use super::store::RecordStore;
use super::{Delivery, Line, NoteLevel, Record, RecordBody, StoreLimits, ViewMode};
use crate::codec::{Charset, DecodedText, StreamDecoder};
use crate::ids::ConnId;

/// Peers awaiting a reply tracked at most (a UDP socket may send to many);
/// past it the table starts over.
const MAX_AWAITING_REPLY: usize = 4096;

/// Everything the receive view shows, bounded, decoded, and indexed by line.
pub struct ReceiveView {
    store: RecordStore,
    lines: VecDeque<Line>,
    decoders: HashMap<(ConnId, Direction), StreamDecoder>,
    /// Streams whose last chunk ended in `\r`.
    ended_in_cr: HashSet<(ConnId, Direction)>,
    /// When we last sent to each (connection, peer) that has not answered since.
    awaiting_reply: HashMap<(ConnId, SocketAddr), SystemTime>,
    /// How stream data is cut into records.
    framing: Framing,
    /// Stream data held until its record is complete.
    reassembler: Reassembler,
    charset: Charset,
    mode: ViewMode,
    /// Text lines wrap every this many columns.
    wrap: usize,
    next_seq: u64,
    generation: u64,
    /// Data elided without being shown, until its notes are written.
    elided: Elided,
}

impl ReceiveView {
    /// An empty view.
    pub fn new(charset: Charset, mode: ViewMode, limits: StoreLimits) -> Self {
        Self {
            store: RecordStore::new(limits),
            lines: VecDeque::new(),
            decoders: HashMap::new(),
            ended_in_cr: HashSet::new(),
            awaiting_reply: HashMap::new(),
            framing: Framing::AsReceived,
            reassembler: Reassembler::default(),
            charset,
            mode,
            wrap: super::lines::WRAP_CHARS,
            next_seq: 0,
            generation: 0,
            elided: Elided::default(),
        }
    }

    /// Adds data that went over the wire. It is decoded with the stream's own
    /// decoder, so a character split across two chunks shows whole. With a
    /// [`Framing`] other than as-received, it may be held until its
    /// record is complete (see [`ReceiveView::flush_idle`]).
    pub fn push_data(&mut self, conn: ConnId, dir: Direction, peer: SocketAddr, at: SystemTime, raw: Bytes) {
        if self.framing == Framing::AsReceived {
            return self.push_chunk(conn, dir, peer, at, raw);
        }
        let mut frames = Vec::new();
        self.reassembler.push(&self.framing, (conn, dir, peer), at, &raw, &mut frames);
        self.push_frames(frames);
    }

    fn push_frames(&mut self, frames: Vec<Frame>) {
        for frame in frames {
            self.push_chunk(frame.conn, frame.dir, frame.peer, frame.at, frame.raw);
        }
    }

    /// How stream data is cut into records.
    pub fn framing(&self) -> &Framing {
        &self.framing
    }

    /// Changes how stream data is cut into records from now on; what is held
    /// under the old framing is shown first.
    pub fn set_framing(&mut self, framing: Framing) {
        if framing == self.framing {
            return;
        }
        let mut frames = Vec::new();
        self.reassembler.flush_all(&mut frames);
        self.push_frames(frames);
        self.framing = framing;
    }

    /// Shows the records whose stream has been quiet long enough at `now`
    /// (idle-gap framing, or a delimiter that has not come); returns how long
    /// until the next one is due, so the caller can come back then.
    pub fn flush_idle(&mut self, now: SystemTime) -> Option<Duration> {
        if !self.reassembler.is_holding() {
            return None;
        }
        let mut frames = Vec::new();
        let next = self.reassembler.flush_idle(&self.framing, now, &mut frames);
        self.push_frames(frames);
        next
    }

    fn push_chunk(&mut self, conn: ConnId, dir: Direction, peer: SocketAddr, at: SystemTime, raw: Bytes) {
        self.note_elided_run(conn, dir);
        let charset = self.charset;
        let decoder = self.decoders.entry((conn, dir)).or_insert_with(|| StreamDecoder::new(charset));
        let mut decoded = DecodedText::default();
        decoder.decode(&raw, &mut decoded);
        escape_controls(&mut decoded, charset);
        decoded.shrink_to_fit();
        let follows_cr = if raw.is_empty() {
            self.ended_in_cr.contains(&(conn, dir))
        } else if raw.last() == Some(&b'\r') {
            !self.ended_in_cr.insert((conn, dir))
        } else {
            self.ended_in_cr.remove(&(conn, dir))
        };
        let rtt = self.round_trip(conn, dir, peer, at);
        self.push(at, RecordBody::Data { conn, dir, peer, raw, delivery: Delivery::Stream, follows_cr, decoded, rtt });
    }

    /// Adds a whole datagram, decoded on its own (no state carried between
    /// datagrams, so one peer's bytes never complete another's character).
    pub fn push_datagram(&mut self, conn: ConnId, dir: Direction, peer: SocketAddr, at: SystemTime, raw: Bytes) {
        self.note_elided_run(conn, dir);
        let mut decoded = self.charset.decode_all(&raw);
        escape_controls(&mut decoded, self.charset);
        decoded.shrink_to_fit();
        let rtt = self.round_trip(conn, dir, peer, at);
        self.push(
            at,
            RecordBody::Data { conn, dir, peer, raw, delivery: Delivery::Datagram, follows_cr: false, decoded, rtt },
        );
    }

    /// Adds a note (connected, closed, an error…).
    pub fn push_note(&mut self, at: SystemTime, level: NoteLevel, text: impl Into<String>) {
        self.push(at, RecordBody::Note { level, text: text.into() });
    }

    /// Ends the streams of `conn`: bytes still held for an incomplete
    /// character are appended to the stream's last record as invalid bytes,
    /// rather than lost.
    pub fn end_stream(&mut self, conn: ConnId, _at: SystemTime) {
        let mut frames = Vec::new();
        self.reassembler.flush_conn(conn, &mut frames);
        self.push_frames(frames);
        for dir in [Direction::Tx, Direction::Rx] {
            self.note_elided_run(conn, dir);
            self.ended_in_cr.remove(&(conn, dir));
            if let Some(seq) = self.finish_decoder(conn, dir) {
                self.reindex_record(seq);
            }
        }
    }

    /// Drops the decoder of (`conn`, `dir`); bytes it still held for an
    /// incomplete character are appended to the stream's last record as
    /// invalid bytes. The sequence number of the record changed, if one did
    /// (its lines need re-indexing).
    fn finish_decoder(&mut self, conn: ConnId, dir: Direction) -> Option<u64> {
        if let Some(mut decoder) = self.decoders.remove(&(conn, dir))
            && decoder.pending() > 0
        {
            let mut rest = DecodedText::default();
            decoder.finish(&mut rest);
            if let Some((seq, decoded)) = last_of_stream(self.store.iter_mut().rev(), conn, dir) {
                append(decoded, rest);
                return Some(seq);
            }
        }
        None
    }

    /// Notes a send's time; for the first data back from the same peer on the
    /// same connection after it, the time since (a request/reply round trip).
    fn round_trip(&mut self, conn: ConnId, dir: Direction, peer: SocketAddr, at: SystemTime) -> Option<Duration> {
        match dir {
            Direction::Tx => {
                if self.awaiting_reply.len() >= MAX_AWAITING_REPLY {
                    self.awaiting_reply.clear();
                }
                self.awaiting_reply.insert((conn, peer), at);
                None
            }
            Direction::Rx => {
                let sent = self.awaiting_reply.remove(&(conn, peer))?;
                Some(at.duration_since(sent).unwrap_or_default())
            }
        }
    }

    fn push(&mut self, at: SystemTime, body: RecordBody) {
        let mut record = Record { seq: self.next_seq, at, body, lines: 0 };
        self.next_seq += 1;
        record.lines = push_lines(&record, self.mode, self.wrap, &mut self.lines);
        let first = self.store.push(record);
        self.drop_lines_before(first);
    }

    /// Drops the index entries of records the store no longer holds.
    fn drop_lines_before(&mut self, first: Option<u64>) {
        let first = first.unwrap_or(u64::MAX);
        while self.lines.front().is_some_and(|line| line.seq < first) {
            self.lines.pop_front();
        }
    }

    /// The charset text is decoded in.
    pub fn charset(&self) -> Charset {
        self.charset
    }

    /// Changes the charset and re-decodes everything held from the raw bytes.
    pub fn set_charset(&mut self, charset: Charset) {
        if charset == self.charset {
            return;
        }
        self.charset = charset;
        let mut decoders: HashMap<(ConnId, Direction), StreamDecoder> = HashMap::new();
        for record in self.store.iter_mut() {
            if let RecordBody::Data { conn, dir, raw, delivery, decoded, .. } = &mut record.body {
                match delivery {
                    Delivery::Stream => {
                        let decoder = decoders.entry((*conn, *dir)).or_insert_with(|| StreamDecoder::new(charset));
                        decoded.clear();
                        decoder.decode(raw, decoded);
                    }
                    Delivery::Datagram => *decoded = charset.decode_all(raw),
                }
                escape_controls(decoded, charset);
                decoded.shrink_to_fit();
            }
        }
        for (key, mut decoder) in decoders {
            if let Some(live) = self.decoders.get_mut(&key) {
                // Streams still open keep decoding from where the history left off.
                *live = decoder;
            } else if decoder.pending() > 0 {
                // A closed stream: what the new charset holds back is shown, not lost.
                let mut rest = DecodedText::default();
                decoder.finish(&mut rest);
                if let Some((_, decoded)) = last_of_stream(self.store.iter_mut().rev(), key.0, key.1) {
                    append(decoded, rest);
                }
            }
        }
        for (_, decoder) in self.decoders.iter_mut().filter(|(_, d)| d.charset() != charset) {
            *decoder = StreamDecoder::new(charset);
        }
        self.rebuild_lines();
    }

    /// How data records are shown.
    pub fn mode(&self) -> ViewMode {
        self.mode
    }

    /// Switches between text, hex and both; the history re-renders.
    pub fn set_mode(&mut self, mode: ViewMode) {
        if mode != self.mode {
            self.mode = mode;
            self.rebuild_lines();
        }
    }

    /// Text lines wrap every this many columns.
    pub fn wrap(&self) -> usize {
        self.wrap
    }

    /// Wraps text lines every `columns` (clamped to [`super::lines::MIN_WRAP`] ..=
    /// [`super::lines::WRAP_CHARS`]); the history re-renders when it changes.
    pub fn set_wrap(&mut self, columns: usize) {
        let columns = columns.clamp(super::lines::MIN_WRAP, super::lines::WRAP_CHARS);
        if columns != self.wrap {
            self.wrap = columns;
            self.rebuild_lines();
        }
    }

    /// Re-indexes record `seq` alone, changed in place (a stream's held
    /// bytes appended when it ended), then re-applies the limits. A stream
    /// of binary data ends inside a character about every other time;
    /// re-indexing the whole store for it re-wrapped up to 16 MiB of text,
    /// once for each client ending.
    fn reindex_record(&mut self, seq: u64) {
        let start = self.lines.partition_point(|line| line.seq < seq);
        let end = self.lines.partition_point(|line| line.seq <= seq);
        let Some(record) = self.store.get_mut(seq) else { return };
        let mut fresh = VecDeque::new();
        record.lines = push_lines(record, self.mode, self.wrap, &mut fresh);
        if fresh.len() == end - start {
            // Usually: the few bytes join the record's last text line.
            for (slot, line) in self.lines.range_mut(start..end).zip(fresh) {
                *slot = line;
            }
        } else {
            let after: Vec<Line> = self.lines.drain(end..).collect();
            self.lines.truncate(start);
            self.lines.extend(fresh);
            self.lines.extend(after);
        }
        let first = self.store.recount();
        self.drop_lines_before(first);
        self.generation += 1;
    }

    /// Re-indexes every record for the current mode and charset, then
    /// re-applies the limits (the cost of records may have changed).
    fn rebuild_lines(&mut self) {
        self.lines.clear();
        for record in self.store.iter_mut() {
            record.lines = push_lines(record, self.mode, self.wrap, &mut self.lines);
        }
        let first = self.store.recount();
        self.drop_lines_before(first);
        if self.lines.capacity() > 2 * self.lines.len() + 1024 {
            self.lines.shrink_to_fit();
        }
        self.generation += 1;
    }

    /// Removes every record (decoders of open streams are kept).
    pub fn clear(&mut self) {
        self.store.clear();
        self.lines.clear();
        self.generation += 1;
    }

    /// Room the display-line index holds (tests: it grows a quarter at a time).
    #[cfg(test)]
    pub(super) fn line_capacity(&self) -> usize {
        self.lines.capacity()
    }

    /// Changes on every charset/mode switch and clear, so a UI can drop caches.
    pub fn generation(&self) -> u64 {
        self.generation
    }
}

/// The sequence number and decoded text of the last stream record of
/// (`conn`, `dir`) among `records` (newest first).
fn last_of_stream<'a>(
    mut records: impl Iterator<Item = &'a mut Record>,
    conn: ConnId,
    dir: Direction,
) -> Option<(u64, &'a mut DecodedText)> {
    records.find_map(|record| match &mut record.body {
        RecordBody::Data { conn: c, dir: d, delivery: Delivery::Stream, decoded, .. } if *c == conn && *d == dir => {
            Some((record.seq, decoded))
        }
        _ => None,
    })
}

/// Appends `rest` to `decoded`, moving its markers along.
fn append(decoded: &mut DecodedText, rest: DecodedText) {
    let offset = decoded.text.len();
    decoded.text.push_str(&rest.text);
    decoded.invalid.extend(rest.invalid.into_iter().map(|r| r.start + offset..r.end + offset));
    decoded.shrink_to_fit();
}

// Flood gaps (data elided) and reading the view out, each in a file of its own.
#[path = "receive_view_elided.rs"]
mod gaps;
#[path = "receive_view_text.rs"]
mod text;

#[cfg(test)]
#[path = "receive_view_binary_tests.rs"]
mod binary_tests;
#[cfg(test)]
#[path = "receive_view_tests.rs"]
mod tests;
