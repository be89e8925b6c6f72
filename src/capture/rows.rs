//! Reading a few records anywhere in a capture, for the rows on screen:
//! one seek to the nearest indexed record, the records before the wanted
//! ones skipped by their length fields, and of each data record only the
//! start of its payload (a row shows that much), so a screenful costs a few
//! KiB of reading however large the file and its records.
//!
//! The index has checked every record's checksum and fields; these reads
//! trust it (a file changed since is read as it now is, and a record that
//! no longer parses ends the rows with an error).

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use super::format::MIN_BODY;
use super::index::{CaptureIndex, open};
use super::reader::read_full;
use super::record_ref::{KindRef, parse_ref};
use super::{CaptureError, Transport};
use crate::ids::{ConnId, Direction};

/// What a row shows of one record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowRecord {
    /// The record's number (0 for the first record of the file).
    pub number: u64,
    /// When it happened, µs since the epoch.
    pub micros: i64,
    /// The connection or UDP socket.
    pub conn: ConnId,
    /// TCP or UDP.
    pub transport: Transport,
    /// RX or TX.
    pub direction: Direction,
    /// The peer's address as text.
    pub peer: String,
    /// The kind, with as much of its content as a row shows.
    pub kind: RowKind,
}

/// A row's record kind and content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowKind {
    /// Data: the first bytes of the payload and its whole length.
    Data {
        /// At most the `head` bytes asked for.
        head: Vec<u8>,
        /// The payload's length.
        len: usize,
    },
    /// Opened, with our local address.
    Opened {
        /// As text.
        local: String,
    },
    /// Closed, with the reason.
    Closed {
        /// In words.
        reason: String,
    },
}

/// Reads rows of one capture file.
pub struct RowReader {
    file: BufReader<File>,
}

impl RowReader {
    /// Opens the capture at `path` for reading rows.
    pub fn open(path: &Path) -> Result<Self, CaptureError> {
        Ok(Self { file: BufReader::with_capacity(64 << 10, open(path)?) })
    }

    /// Records `first` to `first + count - 1` (fewer at the end of what
    /// `index` has indexed), each data record's payload cut to `head` bytes.
    pub fn read(
        &mut self,
        index: &CaptureIndex,
        first: u64,
        count: usize,
        head: usize,
    ) -> Result<Vec<RowRecord>, CaptureError> {
        let Some((mut number, mut offset)) = index.seek_point(first) else { return Ok(Vec::new()) };
        let last = index.records().min(first.saturating_add(count as u64));
        self.file.seek(SeekFrom::Start(offset)).map_err(|error| CaptureError::io(offset, &error))?;
        let mut rows = Vec::with_capacity(count.min(4096));
        let mut body = Vec::new();
        while number < last {
            let io_error = |error: std::io::Error| CaptureError::io(offset, &error);
            let mut prefix = [0u8; 5];
            if read_full(&mut self.file, &mut prefix).map_err(io_error)? < prefix.len() {
                return Err(CaptureError::Truncated { offset });
            }
            let len = u32::from_le_bytes([prefix[0], prefix[1], prefix[2], prefix[3]]) as usize;
            if len < MIN_BODY {
                return Err(CaptureError::BadLength { offset, len: len as u32 });
            }
            let known = matches!(prefix[4], 1..=3);
            // Data: the fixed fields, the peer and the head of the payload;
            // other kinds whole (an address, a reason).
            let want = match prefix[4] {
                _ if !known || number < first => 1,
                1 => len.min(MIN_BODY + 255 + head),
                _ => len,
            };
            body.clear();
            body.push(prefix[4]);
            (&mut self.file).take(want as u64 - 1).read_to_end(&mut body).map_err(io_error)?;
            if body.len() < want {
                return Err(CaptureError::Truncated { offset });
            }
            let skip = (len - want + 4) as i64;
            self.file.seek_relative(skip).map_err(io_error)?;
            if known && number >= first {
                rows.push(row(number, &body, len, head, offset)?);
            }
            number += u64::from(known);
            offset += 8 + len as u64;
        }
        Ok(rows)
    }
}

/// The row of record `number`, from `body` (all of it, or for data the
/// start of it; the whole body is `len` bytes), its payload cut to `head` bytes.
fn row(number: u64, body: &[u8], len: usize, head: usize, offset: u64) -> Result<RowRecord, CaptureError> {
    let malformed = |detail: String| CaptureError::Malformed { offset, detail };
    let record = parse_ref(body).map_err(malformed)?.ok_or_else(|| malformed("unknown kind".to_owned()))?;
    let kind = match record.kind {
        KindRef::Data { payload } => {
            let start = payload.start;
            let end = payload.end.min(start + head);
            RowKind::Data { head: body[start..end].to_vec(), len: len - start }
        }
        KindRef::Opened { local } => RowKind::Opened { local: local.to_owned() },
        KindRef::Closed { reason } => RowKind::Closed { reason: reason.to_owned() },
    };
    Ok(RowRecord {
        number,
        micros: record.micros,
        conn: record.conn,
        transport: record.transport,
        direction: record.direction,
        peer: record.peer.to_owned(),
        kind,
    })
}
