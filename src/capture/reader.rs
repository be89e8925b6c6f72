//! [`CaptureReader`]: a capture's records, in order, from any reader; and
//! [`CaptureError`]: what can be wrong with a capture.

use std::io::{self, Read};

use super::format::{CaptureRecord, HEADER_LEN, MAGIC, MAX_BODY, MIN_BODY, VERSION};
use super::frames::Frames;

/// What is wrong with a capture. Errors about the header mean the file
/// cannot be read at all; every other one ends the reading at `offset`,
/// after every complete, intact record before it (a capture cut short by a
/// crash or a full disk still opens up to its last good record).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CaptureError {
    /// Reading failed.
    #[error("reading the capture at byte offset {offset} failed: {message}")]
    Io {
        /// Where in the file.
        offset: u64,
        /// The OS error's kind.
        kind: io::ErrorKind,
        /// The OS error's message.
        message: String,
    },
    /// The file does not start with [`MAGIC`].
    #[error("not a netassist capture: the file does not start with the capture signature")]
    BadMagic,
    /// The file is shorter than its header.
    #[error("capture truncated: the file has {len} bytes, less than its {HEADER_LEN}-byte header")]
    TruncatedHeader {
        /// How many bytes it has.
        len: u64,
    },
    /// The file is of a format version this build does not read.
    #[error("capture format version {version} is not supported (this netassist reads version {VERSION})")]
    UnknownVersion {
        /// The file's version.
        version: u16,
    },
    /// The file ends inside the record that starts at `offset`: what a crash
    /// or a full disk leaves.
    #[error("capture truncated at byte offset {offset}: the file ends inside the record that starts there")]
    Truncated {
        /// Where the incomplete record starts (the end of the last good one).
        offset: u64,
    },
    /// The record at `offset` does not match its checksum.
    #[error(
        "capture corrupt at byte offset {offset}: the record's checksum does not match (stored {stored:#010x}, computed {computed:#010x})"
    )]
    CrcMismatch {
        /// Where the record starts.
        offset: u64,
        /// The checksum in the file.
        stored: u32,
        /// The checksum of the body as read.
        computed: u32,
    },
    /// The record at `offset` has a length no record can have.
    #[error("capture corrupt at byte offset {offset}: record length {len} is not between {MIN_BODY} and {MAX_BODY}")]
    BadLength {
        /// Where the record starts.
        offset: u64,
        /// The length field.
        len: u32,
    },
    /// The record at `offset` has an intact checksum but fields that make no sense.
    #[error("capture corrupt at byte offset {offset}: {detail}")]
    Malformed {
        /// Where the record starts.
        offset: u64,
        /// What is wrong.
        detail: String,
    },
}

impl CaptureError {
    pub(super) fn io(offset: u64, error: &io::Error) -> CaptureError {
        CaptureError::Io { offset, kind: error.kind(), message: error.to_string() }
    }
}

/// Reads a capture, record by record, from any [`Read`] (wrap a file in a
/// `BufReader`). As an iterator it yields each record, then at most one
/// error, after which it yields nothing: an error ends the reading, and
/// every record before it was complete and intact.
///
/// Allocation is bounded by what the file holds: a corrupt length field is
/// at most [`MAX_BODY`], and a record's buffer grows only as bytes arrive.
pub struct CaptureReader<R> {
    /// The records after the header; its offset is where the last good one ends.
    frames: Frames<R>,
    version: u16,
    /// Records of kinds this build does not know, skipped.
    skipped: u64,
    /// An error or the end was reached.
    done: bool,
}

impl<R: Read> CaptureReader<R> {
    /// Reads and checks the header. `Err` if `inner` is not a capture this
    /// build can read ([`CaptureError::BadMagic`], [`CaptureError::UnknownVersion`],
    /// [`CaptureError::TruncatedHeader`], or an I/O error).
    pub fn new(mut inner: R) -> Result<Self, CaptureError> {
        let mut header = [0u8; HEADER_LEN];
        let got = read_full(&mut inner, &mut header).map_err(|error| CaptureError::io(0, &error))?;
        let magic_len = got.min(MAGIC.len());
        if header[..magic_len] != MAGIC[..magic_len] {
            return Err(CaptureError::BadMagic);
        }
        if got < HEADER_LEN {
            return Err(CaptureError::TruncatedHeader { len: got as u64 });
        }
        let version = u16::from_le_bytes([header[8], header[9]]);
        if version != VERSION {
            return Err(CaptureError::UnknownVersion { version });
        }
        Ok(Self { frames: Frames::new(inner, HEADER_LEN as u64), version, skipped: 0, done: false })
    }

    /// The file's format version.
    pub fn version(&self) -> u16 {
        self.version
    }

    /// Bytes read through the end of the last good record (the header
    /// counts): where the next record starts, or where a problem was found.
    pub fn offset(&self) -> u64 {
        self.frames.offset
    }

    /// How many intact records of kinds this build does not know were skipped
    /// (written by a newer netassist).
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// The next record; `Ok(None)` at a clean end of the file. After an
    /// error, or the end, it returns `Ok(None)`.
    pub fn next_record(&mut self) -> Result<Option<CaptureRecord>, CaptureError> {
        if self.done {
            return Ok(None);
        }
        let result = self.read_record();
        if !matches!(result, Ok(Some(_))) {
            self.done = true;
        }
        result
    }

    fn read_record(&mut self) -> Result<Option<CaptureRecord>, CaptureError> {
        self.frames.next_owned(&mut self.skipped)
    }
}

impl<R: Read> Iterator for CaptureReader<R> {
    type Item = Result<CaptureRecord, CaptureError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_record().transpose()
    }
}

/// Reads until `buf` is full or the end of `reader`; returns how many bytes were read.
pub(super) fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
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

#[cfg(test)]
#[path = "reader_tests.rs"]
mod tests;
