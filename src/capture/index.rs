//! An index of a capture's records, built on a worker thread
//! ("netassist-index") while the capture is already being shown: every
//! [`STRIDE`]-th record's offset, so any record is reached by one seek and
//! at most `STRIDE - 1` records read past. 8 bytes per 64 records: a 4 GiB
//! capture of 100-byte records (43 million) indexes in 5 MB.
//!
//! The worker checks every record's checksum and fields as the reader does,
//! so the index ends at the last good record of a truncated or corrupt
//! capture and says what it found there. It publishes what it has indexed
//! every few thousand records (a frame sees the count grow, and can show
//! the first screen at once), and stops when cancelled or dropped.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::thread::JoinHandle;

use super::format::{CRC, HEADER_LEN, MAX_BODY, MIN_BODY};
use super::record_ref::{KindRef, RecordRef, parse_ref};
use super::{CaptureError, CaptureReader};

/// Records between two offsets the index keeps.
pub const STRIDE: u64 = 64;

/// Records indexed between two publications of the index, at most…
const PUBLISH_EVERY: u64 = 8192;
/// …and bytes read.
const PUBLISH_BYTES: u64 = 16 << 20;

/// How far the index has got.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IndexProgress {
    /// Records indexed (of kinds this build knows).
    pub records: u64,
    /// Bytes of the file read through the last record indexed.
    pub bytes_read: u64,
    /// The file's length when it was opened.
    pub file_len: u64,
    /// Payload bytes of the data records indexed.
    pub payload_bytes: u64,
    /// Time of the first and of the last record indexed (µs since the epoch).
    pub first_micros: Option<i64>,
    /// See `first_micros`.
    pub last_micros: Option<i64>,
    /// Records of kinds this build does not know, skipped.
    pub skipped: u64,
    /// The index is complete (the end, a problem, or cancelled).
    pub done: bool,
    /// It was cancelled before the end.
    pub cancelled: bool,
    /// What ended it early: a truncated or corrupt record (every record
    /// before it is indexed), or a read error.
    pub problem: Option<CaptureError>,
}

impl IndexProgress {
    /// Read so far, from 0.0 to 1.0.
    pub fn fraction(&self) -> f32 {
        if self.done || self.file_len == 0 { 1.0 } else { self.bytes_read as f32 / self.file_len as f32 }
    }
}

#[derive(Debug, Default)]
struct Shared {
    progress: IndexProgress,
    /// Offset of record `k * STRIDE`, for each k indexed.
    offsets: Vec<u64>,
}

/// The index of one capture file, growing while its worker runs.
#[derive(Debug)]
pub struct CaptureIndex {
    path: PathBuf,
    shared: Arc<RwLock<Shared>>,
    cancel: Arc<AtomicBool>,
    worker: Option<JoinHandle<()>>,
}

impl CaptureIndex {
    /// Opens the capture at `path`, checks its header here (so a file that
    /// is not a capture is an error at once), and starts indexing it.
    pub fn build(path: &Path) -> Result<Self, CaptureError> {
        let file = open(path)?;
        let file_len = file.metadata().map_err(|error| CaptureError::io(0, &error))?.len();
        CaptureReader::new(&file)?;
        let shared = Arc::new(RwLock::new(Shared::default()));
        shared.write().unwrap_or_else(PoisonError::into_inner).progress.file_len = file_len;
        let cancel = Arc::new(AtomicBool::new(false));
        let worker = {
            let (shared, cancel) = (Arc::clone(&shared), Arc::clone(&cancel));
            std::thread::Builder::new()
                .name("netassist-index".to_owned())
                .spawn(move || index(file, &shared, &cancel))
                .map_err(|error| CaptureError::io(0, &error))?
        };
        Ok(Self { path: path.to_owned(), shared, cancel, worker: Some(worker) })
    }

    /// The capture's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How far it has got.
    pub fn progress(&self) -> IndexProgress {
        self.read().progress.clone()
    }

    /// Records indexed so far.
    pub fn records(&self) -> u64 {
        self.read().progress.records
    }

    /// Stops the worker; what it indexed so far stays usable.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Waits for the worker to finish (for tests and tools; a frame polls
    /// [`CaptureIndex::progress`] instead).
    pub fn wait(&mut self) -> IndexProgress {
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
        self.progress()
    }

    /// Where to start reading to reach record `record`: the offset of the
    /// nearest indexed record at or before it, and that record's number.
    /// `None` if `record` is not indexed (yet).
    pub fn seek_point(&self, record: u64) -> Option<(u64, u64)> {
        let shared = self.read();
        if record >= shared.progress.records {
            return None;
        }
        let k = usize::try_from(record / STRIDE).ok()?;
        shared.offsets.get(k).map(|&offset| (k as u64 * STRIDE, offset))
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Shared> {
        self.shared.read().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for CaptureIndex {
    fn drop(&mut self) {
        self.cancel();
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
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

/// The worker: reads every record after the header, publishing as it goes.
fn index(file: File, shared: &RwLock<Shared>, cancel: &AtomicBool) {
    let mut frames = Frames::new(BufReader::with_capacity(1 << 20, file), HEADER_LEN as u64);
    let mut local = IndexProgress::default();
    let mut offsets = Vec::new();
    let publish = |local: &IndexProgress, offsets: &mut Vec<u64>, done: bool| {
        let mut shared = shared.write().unwrap_or_else(PoisonError::into_inner);
        let file_len = shared.progress.file_len;
        shared.progress = IndexProgress { file_len, done, ..local.clone() };
        shared.offsets.append(offsets);
    };
    if let Err(error) = frames.inner.seek(SeekFrom::Start(HEADER_LEN as u64)) {
        local.problem = Some(CaptureError::io(HEADER_LEN as u64, &error));
        return publish(&local, &mut offsets, true);
    }
    // Records and bytes at the last publication.
    let mut published = (0, 0);
    loop {
        let offset = frames.offset;
        match frames.next() {
            Ok(Some(Some(record))) => {
                if local.records.is_multiple_of(STRIDE) {
                    offsets.push(offset);
                }
                local.records += 1;
                local.first_micros.get_or_insert(record.micros);
                local.last_micros = Some(record.micros);
                if let KindRef::Data { payload } = &record.kind {
                    local.payload_bytes += payload.len() as u64;
                }
            }
            Ok(Some(None)) => local.skipped += 1,
            Ok(None) => break,
            Err(problem) => {
                local.problem = Some(problem);
                break;
            }
        }
        local.bytes_read = frames.offset;
        if local.records - published.0 >= PUBLISH_EVERY || local.bytes_read - published.1 >= PUBLISH_BYTES {
            if cancel.load(Ordering::Relaxed) {
                local.cancelled = true;
                break;
            }
            publish(&local, &mut offsets, false);
            published = (local.records, local.bytes_read);
        }
    }
    local.bytes_read = frames.offset;
    publish(&local, &mut offsets, true);
}

/// Reads record frames one after another into a reused buffer, checking
/// each as [`CaptureReader`] does.
pub(super) struct Frames<R> {
    pub(super) inner: R,
    /// Where the next frame starts.
    pub(super) offset: u64,
    body: Vec<u8>,
}

impl<R: Read> Frames<R> {
    /// Frames read from `inner`, which is at `offset` in the file.
    pub(super) fn new(inner: R, offset: u64) -> Self {
        Self { inner, offset, body: Vec::new() }
    }

    /// The next record: `Some(None)` for one of a kind this build does not
    /// know, `None` at a clean end of the file.
    pub(super) fn next(&mut self) -> Result<Option<Option<RecordRef<'_>>>, CaptureError> {
        let offset = self.offset;
        let io_error = |error: io::Error| CaptureError::io(offset, &error);
        let mut len = [0u8; 4];
        match read_full(&mut self.inner, &mut len).map_err(io_error)? {
            0 => return Ok(None),
            4 => {}
            _ => return Err(CaptureError::Truncated { offset }),
        }
        let len = u32::from_le_bytes(len);
        let body_len = len as usize;
        if !(MIN_BODY..=MAX_BODY).contains(&body_len) {
            return Err(CaptureError::BadLength { offset, len });
        }
        self.body.resize(body_len + 4, 0);
        if read_full(&mut self.inner, &mut self.body).map_err(io_error)? < body_len + 4 {
            return Err(CaptureError::Truncated { offset });
        }
        let (body, crc) = self.body.split_at(body_len);
        let stored = u32::from_le_bytes([crc[0], crc[1], crc[2], crc[3]]);
        let computed = CRC.checksum(body);
        if stored != computed {
            return Err(CaptureError::CrcMismatch { offset, stored, computed });
        }
        self.offset += 8 + u64::from(len);
        let record = parse_ref(body).map_err(|detail| CaptureError::Malformed { offset, detail })?;
        Ok(Some(record))
    }

    /// The body of the record [`Frames::next`] returned last.
    pub(super) fn body(&self) -> &[u8] {
        &self.body[..self.body.len().saturating_sub(4)]
    }
}

/// Reads until `buf` is full or the end of `reader`; returns how many bytes were read.
fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(filled)
}
