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
use super::index::{Frame, Frames};
use super::record_ref::KindRef;
use super::{CaptureError, Transport};
use crate::codec::{Charset, DecodedText, StreamDecoder};
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

/// Searches the capture in `file` (opened by [`super::open_capture`]) for
/// `pattern`, text decoded in `charset`.
pub fn search_capture(
    file: File,
    pattern: Pattern,
    charset: Charset,
    cancel: &AtomicBool,
    mut sink: impl FnMut(FindBatch) -> bool,
) -> FindEnd {
    let mut frames = Frames::new(BufReader::with_capacity(1 << 20, file), HEADER_LEN as u64);
    if let Err(error) = frames.inner.seek(SeekFrom::Start(HEADER_LEN as u64)) {
        return FindEnd::Failed(CaptureError::io(HEADER_LEN as u64, &error));
    }
    let domain = pattern.domain();
    let mut scanner = Scanner::new(pattern);
    let mut decoders: HashMap<StreamKey, StreamDecoder> = HashMap::new();
    let mut text = DecodedText::default();
    let (mut batch, mut kept, mut row, mut sent_at) = (FindBatch::default(), 0usize, 0u64, 0u64);
    let end = loop {
        let (stream, what) = match frames.next() {
            Ok(Some(Frame::Record(record))) => {
                let stream = (record.transport == Transport::Tcp).then_some((record.conn, record.direction));
                let what = match record.kind {
                    KindRef::Data { payload } => Some(payload),
                    KindRef::Closed { .. } => None,
                    KindRef::Opened { .. } => Some(0..0),
                };
                (stream, what)
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
        match what {
            Some(payload) if !payload.is_empty() => {
                let bytes = &frames.body()[payload];
                let mut hit = |hit: Hit| {
                    batch.matches += 1;
                    if kept < MAX_HITS {
                        kept += 1;
                        batch.hits.push(hit.start.unit);
                    }
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
            Some(_) => {}
            // A stream's end: its decoders and carried bytes start afresh.
            None => {
                if let Some((conn, _)) = stream {
                    decoders.retain(|(c, _), _| *c != conn);
                }
            }
        }
        row += 1;
        batch.bytes_read = frames.offset;
        if frames.offset - sent_at >= BATCH_BYTES {
            if cancel.load(Ordering::Relaxed) {
                return FindEnd::Cancelled;
            }
            let (matches, bytes_read) = (batch.matches, batch.bytes_read);
            if !sink(std::mem::take(&mut batch)) {
                return FindEnd::Cancelled;
            }
            (batch.matches, batch.bytes_read) = (matches, bytes_read);
            sent_at = frames.offset;
        }
    };
    batch.bytes_read = frames.offset;
    if !sink(batch) {
        return FindEnd::Cancelled;
    }
    end
}

#[cfg(test)]
#[path = "search_tests.rs"]
mod tests;
