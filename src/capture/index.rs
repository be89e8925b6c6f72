//! An index of a capture's records, for a view that scrolls anywhere in a
//! file of any size: every [`STRIDE`]-th record's offset, so any record is
//! reached by one seek and at most `STRIDE - 1` records skipped by their
//! length fields. 8 bytes per 64 records: a 4 GiB capture of 64-byte records
//! (67 million) indexes in 8 MB.
//!
//! [`build_index`] checks every record's checksum and fields as the reader
//! does, so the index ends at the last good record of a truncated or corrupt
//! capture and says what it found there. It is pure work on the calling
//! thread: it hands what it has indexed to a sink every few MiB (so a window
//! shows the first screen at once and a progress bar), and stops when the
//! sink refuses or `cancel` is set. The app runs it on a worker thread.

use std::fs::File;
use std::io::{BufReader, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use super::format::HEADER_LEN;
use super::frames::{Frame, Frames};
use super::record_ref::KindRef;
use super::{CaptureError, CaptureReader};

/// Records between two offsets the index keeps.
pub const STRIDE: u64 = 64;

/// Bytes read between two batches handed to the sink.
const BATCH_BYTES: u64 = 4 << 20;

/// What the index has found so far (every count is cumulative).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IndexCounts {
    /// Records indexed (of kinds this build knows): the rows of the view.
    pub records: u64,
    /// Bytes of the file read through the last record indexed.
    pub bytes_read: u64,
    /// Payload bytes of the data records indexed.
    pub payload_bytes: u64,
    /// Time of the first record indexed (µs since the epoch).
    pub first_micros: Option<i64>,
    /// Time of the last record indexed (µs since the epoch).
    pub last_micros: Option<i64>,
    /// Records of kinds this build does not know, skipped.
    pub skipped: u64,
}

/// One step of an index being built: the offsets found since the last
/// batch, and the counts so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IndexBatch {
    /// Offsets of records `k * STRIDE`, continuing the previous batch's.
    pub offsets: Vec<u64>,
    /// The counts so far.
    pub counts: IndexCounts,
}

/// How an index build ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IndexEnd {
    /// The whole file is indexed.
    Complete,
    /// The file ends early: a truncated or corrupt record (every record
    /// before it is indexed), or a read error.
    Problem(CaptureError),
    /// Cancelled (or the sink went away) before the end.
    Cancelled,
}

/// The index of a capture, as far as it is built: where record `k * STRIDE`
/// starts, for each k.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaptureIndex {
    offsets: Vec<u64>,
    counts: IndexCounts,
}

impl CaptureIndex {
    /// Takes in a batch from [`build_index`].
    pub fn extend(&mut self, batch: IndexBatch) {
        self.offsets.extend(batch.offsets);
        self.counts = batch.counts;
    }

    /// What it has found so far.
    pub fn counts(&self) -> &IndexCounts {
        &self.counts
    }

    /// Records indexed: the rows that can be shown.
    pub fn records(&self) -> u64 {
        self.counts.records
    }

    /// Where to start reading to reach record `record`: the number and the
    /// offset of the nearest indexed record at or before it. `None` if
    /// `record` is not indexed (yet).
    pub fn seek_point(&self, record: u64) -> Option<(u64, u64)> {
        if record >= self.counts.records {
            return None;
        }
        let k = usize::try_from(record / STRIDE).ok()?;
        self.offsets.get(k).map(|&offset| (k as u64 * STRIDE, offset))
    }

    /// Bytes of memory the offsets take.
    pub fn heap_bytes(&self) -> usize {
        self.offsets.capacity() * size_of::<u64>()
    }
}

/// Opens `path` for reading, naming it in the error.
pub(super) fn open(path: &Path) -> Result<File, CaptureError> {
    File::open(path).map_err(|error| CaptureError::Io {
        offset: 0,
        kind: error.kind(),
        message: format!("cannot open {}: {error}", path.display()),
    })
}

/// Opens the capture at `path` and checks its header: `Err` if it is not a
/// capture this build reads (so a wrong file is refused at once). Returns
/// the file and its length.
pub fn open_capture(path: &Path) -> Result<(File, u64), CaptureError> {
    let mut file = open(path)?;
    let len = file.metadata().map_err(|error| CaptureError::io(0, &error))?.len();
    CaptureReader::new(&mut file)?;
    Ok((file, len))
}

/// Indexes the capture in `file` (from [`open_capture`]), handing a batch to
/// `sink` every few MiB and at the end; stops, [`IndexEnd::Cancelled`], when
/// `cancel` is set or `sink` returns false.
pub fn build_index(file: File, cancel: &AtomicBool, mut sink: impl FnMut(IndexBatch) -> bool) -> IndexEnd {
    let mut frames = Frames::new(BufReader::with_capacity(1 << 20, file), HEADER_LEN as u64);
    let mut batch = IndexBatch::default();
    if let Err(error) = frames.inner.seek(SeekFrom::Start(HEADER_LEN as u64)) {
        sink(batch);
        return IndexEnd::Problem(CaptureError::io(HEADER_LEN as u64, &error));
    }
    let mut sent_at = 0;
    let end = loop {
        let offset = frames.offset;
        let counts = &mut batch.counts;
        match frames.next() {
            Ok(Some(Frame::Record(record))) => {
                if counts.records.is_multiple_of(STRIDE) {
                    batch.offsets.push(offset);
                }
                counts.records += 1;
                counts.first_micros.get_or_insert(record.micros);
                counts.last_micros = Some(record.micros);
                if let KindRef::Data { payload } = &record.kind {
                    counts.payload_bytes += payload.len() as u64;
                }
            }
            Ok(Some(Frame::Unknown)) => counts.skipped += 1,
            Ok(None) => break IndexEnd::Complete,
            Err(problem) => break IndexEnd::Problem(problem),
        }
        batch.counts.bytes_read = frames.offset;
        if frames.offset - sent_at >= BATCH_BYTES {
            if cancel.load(Ordering::Relaxed) {
                break IndexEnd::Cancelled;
            }
            let counts = batch.counts.clone();
            if !sink(std::mem::take(&mut batch)) {
                return IndexEnd::Cancelled;
            }
            batch.counts = counts;
            sent_at = frames.offset;
        }
    };
    batch.counts.bytes_read = frames.offset;
    if !sink(batch) {
        return IndexEnd::Cancelled;
    }
    end
}

#[cfg(test)]
#[path = "index_tests.rs"]
mod tests;
