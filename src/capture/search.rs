//! Find over a whole capture file, at the speed of the disk: every data
//! record's payload, in file order, fed to a [`Scanner`] (so a match split
//! across two reads of a TCP stream is found), as raw bytes for a hex
//! query or decoded in a charset for text and regular expressions (a TCP
//! stream through one streaming decoder, as the view decodes it).
//!
//! Pure work on the calling thread, like [`super::build_index`]: it hands
//! the matches found to a sink every few MiB and stops when the sink
//! refuses or `cancel` is set. Records are numbered as the index numbers
//! them (records of kinds this build does not know are not counted).

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Seek, SeekFrom};
use std::sync::atomic::{AtomicBool, Ordering};

use super::format::HEADER_LEN;
use super::frames::{Frame, Frames};
use super::record_ref::KindRef;
use super::{CaptureError, Transport};
use crate::codec::{Charset, DecodedText, StreamDecoder};
use crate::ids::Direction;
use crate::view::{Domain, Hit, Pattern, Scanner, StreamKey};

/// The most match positions a search hands over; past it, matches are
/// only counted.
pub const MAX_HITS: usize = 1_000_000;

/// Bytes read between two batches handed to the sink.
const BATCH_BYTES: u64 = 8 << 20;

/// What a search found since its last batch, and how far it has got.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FindBatch {
    /// The record (row) of each match found since the last batch, in
    /// order (a record with two matches is there twice); the record a match
    /// starts in. At most [`MAX_HITS`] over a whole search.
    pub hits: Vec<u64>,
    /// Matches found so far (counted past [`MAX_HITS`]).
    pub matches: u64,
    /// Bytes of the file read so far.
    pub bytes_read: u64,
}

/// How a search ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FindEnd {
    /// Every record was searched (up to the last good one).
    Complete,
    /// Cancelled (or the sink went away) before the end.
    Cancelled,
    /// Reading the file failed.
    Failed(CaptureError),
}

/// What a filter over a whole capture lets through (its text, if any, is
/// the pattern given with it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordFilter {
    /// Data received.
    pub rx: bool,
    /// Data sent.
    pub tx: bool,
    /// Openings and closings (which have no text: with a text to match, they never pass).
    pub events: bool,
}

/// The most rows a filter lists; past it, passing records are only counted.
pub const MAX_ROWS: usize = 4_000_000;

/// What a filter found since its last batch, and how far it has got.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FilterBatch {
    /// The records (rows) that pass, found since the last batch, in order.
    /// At most [`MAX_ROWS`] over a whole filter.
    pub rows: Vec<u64>,
    /// Records that pass so far (counted past [`MAX_ROWS`]).
    pub passed: u64,
    /// Records looked at so far.
    pub seen: u64,
    /// Bytes of the file read so far.
    pub bytes_read: u64,
}

/// What a scan tells its caller, in file order.
enum Scan {
    /// A match that starts in record (row) `0`.
    Hit(u64),
    /// Record `row` was read: data in `dir` or (`None`) an event; `matched`
    /// if a match ended in it.
    Record { row: u64, dir: Option<Direction>, matched: bool },
    /// `0` bytes of the file read: time to hand a batch over (`false` from
    /// the caller stops the scan as cancelled).
    Batch(u64),
}

/// Searches the capture in `file` (opened by [`super::open_capture`]) for
/// `pattern`, text decoded in `charset`.
pub fn search_capture(
    file: File,
    pattern: Pattern,
    charset: Charset,
    cancel: &AtomicBool,
    mut sink: impl FnMut(FindBatch) -> bool,
) -> FindEnd {
    let (mut batch, mut kept) = (FindBatch::default(), 0usize);
    scan(file, Some(pattern), charset, cancel, |event| match event {
        Scan::Hit(row) => {
            batch.matches += 1;
            if kept < MAX_HITS {
                kept += 1;
                batch.hits.push(row);
            }
            true
        }
        Scan::Record { .. } => true,
        Scan::Batch(bytes_read) => {
            batch.bytes_read = bytes_read;
            let (matches, bytes_read) = (batch.matches, batch.bytes_read);
            let go_on = sink(std::mem::take(&mut batch));
            (batch.matches, batch.bytes_read) = (matches, bytes_read);
            go_on
        }
    })
}

/// Lists the records of the capture in `file` that pass `filter` and, with
/// a `pattern`, hold a match of it (a match split across two reads of a TCP
/// stream lets the record it ends in pass), text decoded in `charset`.
pub fn filter_capture(
    file: File,
    filter: RecordFilter,
    pattern: Option<Pattern>,
    charset: Charset,
    cancel: &AtomicBool,
    mut sink: impl FnMut(FilterBatch) -> bool,
) -> FindEnd {
    let with_text = pattern.is_some();
    let (mut batch, mut kept) = (FilterBatch::default(), 0usize);
    scan(file, pattern, charset, cancel, |event| match event {
        Scan::Hit(_) => true,
        Scan::Record { row, dir, matched } => {
            batch.seen += 1;
            let admitted = match dir {
                Some(Direction::Rx) => filter.rx,
                Some(Direction::Tx) => filter.tx,
                None => filter.events && !with_text,
            };
            if admitted && (matched || !with_text) {
                batch.passed += 1;
                if kept < MAX_ROWS {
                    kept += 1;
                    batch.rows.push(row);
                }
            }
            true
        }
        Scan::Batch(bytes_read) => {
            batch.bytes_read = bytes_read;
            let (passed, seen) = (batch.passed, batch.seen);
            let go_on = sink(std::mem::take(&mut batch));
            (batch.passed, batch.seen, batch.bytes_read) = (passed, seen, bytes_read);
            go_on
        }
    })
}

/// Reads every record of the capture in `file` in order, searching data
/// payloads for `pattern` (if any), and tells `on` what it finds; every
/// few MiB and at the end it asks `on` to take a batch.
fn scan(
    file: File,
    pattern: Option<Pattern>,
    charset: Charset,
    cancel: &AtomicBool,
    mut on: impl FnMut(Scan) -> bool,
) -> FindEnd {
    let mut frames = Frames::new(BufReader::with_capacity(1 << 20, file), HEADER_LEN as u64);
    if let Err(error) = frames.inner.seek(SeekFrom::Start(HEADER_LEN as u64)) {
        return FindEnd::Failed(CaptureError::io(HEADER_LEN as u64, &error));
    }
    let domain = pattern.as_ref().map(Pattern::domain);
    let mut scanner = pattern.map(Scanner::new);
    let mut decoders: HashMap<StreamKey, StreamDecoder> = HashMap::new();
    let mut text = DecodedText::default();
    let (mut row, mut sent_at) = (0u64, 0u64);
    let end = loop {
        let (stream, dir, what) = match frames.next() {
            Ok(Some(Frame::Record(record))) => {
                let stream = (record.transport == Transport::Tcp).then_some((record.conn, record.direction));
                let (dir, what) = match record.kind {
                    KindRef::Data { payload } => (Some(record.direction), Some(payload)),
                    KindRef::Closed { .. } => (None, None),
                    KindRef::Opened { .. } => (None, Some(0..0)),
                };
                (stream, dir, what)
            }
            Ok(Some(Frame::Unknown)) => continue,
            // The index ends at the same record, and has said why.
            Ok(None)
            | Err(
                CaptureError::Truncated { .. }
                | CaptureError::BadLength { .. }
                | CaptureError::CrcMismatch { .. }
                | CaptureError::Malformed { .. },
            ) => break FindEnd::Complete,
            Err(error) => break FindEnd::Failed(error),
        };
        let mut matched = false;
        match (what, &mut scanner, domain) {
            (Some(payload), Some(scanner), Some(domain)) if !payload.is_empty() => {
                let bytes = &frames.body()[payload];
                let mut hit = |hit: Hit| {
                    matched = true;
                    on(Scan::Hit(hit.start.unit));
                };
                match (domain, stream) {
                    (Domain::Raw, _) => scanner.feed(stream, row, bytes, &mut hit),
                    (Domain::Text, Some(key)) => {
                        text.clear();
                        decoders.entry(key).or_insert_with(|| StreamDecoder::new(charset)).decode(bytes, &mut text);
                        scanner.feed(stream, row, text.text.as_bytes(), &mut hit);
                    }
                    (Domain::Text, None) => {
                        text = charset.decode_all(bytes);
                        scanner.feed(None, row, text.text.as_bytes(), &mut hit);
                    }
                }
            }
            // A stream's end: its decoders and carried bytes start afresh.
            (None, _, _) => {
                if let Some((conn, _)) = stream {
                    decoders.retain(|(c, _), _| *c != conn);
                }
            }
            _ => {}
        }
        on(Scan::Record { row, dir, matched });
        row += 1;
        if frames.offset - sent_at >= BATCH_BYTES {
            if cancel.load(Ordering::Relaxed) || !on(Scan::Batch(frames.offset)) {
                return FindEnd::Cancelled;
            }
            sent_at = frames.offset;
        }
    };
    if !on(Scan::Batch(frames.offset)) {
        return FindEnd::Cancelled;
    }
    end
}

#[cfg(test)]
#[path = "search_tests.rs"]
mod tests;
