//! Record frames read one after another and checked (length, checksum,
//! fields), the one way every reader of a capture reads them: the
//! [`super::CaptureReader`] for owned records, the index and the whole-file
//! searches for records read in place.

use std::io::{self, Read};

use bytes::Bytes;

use super::CaptureError;
use super::format::{CRC, CaptureRecord, MAX_BODY, MIN_BODY};
use super::reader::read_full;
use super::record_ref::{RecordRef, parse_ref};

/// One intact record frame.
pub(super) enum Frame<'a> {
    /// A record of a kind this build knows.
    Record(RecordRef<'a>),
    /// A record of a kind it does not know (from a newer netassist).
    Unknown,
}

/// Reads record frames one after another into a reused buffer.
///
/// Allocation is bounded by what the file holds: a corrupt length field is
/// at most [`MAX_BODY`], and the buffer grows only as bytes arrive.
pub(super) struct Frames<R> {
    pub(super) inner: R,
    /// Where the next frame starts: the end of the last good record.
    pub(super) offset: u64,
    body: Vec<u8>,
}

impl<R: Read> Frames<R> {
    /// Frames read from `inner`, which is at `offset` in the file.
    pub(super) fn new(inner: R, offset: u64) -> Self {
        Self { inner, offset, body: Vec::new() }
    }

    /// The next record, read in place; `None` at a clean end of the file.
    pub(super) fn next(&mut self) -> Result<Option<Frame<'_>>, CaptureError> {
        let offset = self.offset;
        let Some(len) = self.read_checked()? else { return Ok(None) };
        let record = parse_ref(&self.body[..len]).map_err(|detail| CaptureError::Malformed { offset, detail })?;
        self.offset += 8 + len as u64;
        Ok(Some(record.map_or(Frame::Unknown, Frame::Record)))
    }

    /// The next record of a kind this build knows, owned (records of
    /// other kinds are counted in `skipped` and passed over); `None` at a
    /// clean end of the file.
    pub(super) fn next_owned(&mut self, skipped: &mut u64) -> Result<Option<CaptureRecord>, CaptureError> {
        loop {
            let offset = self.offset;
            let Some(len) = self.read_checked()? else { return Ok(None) };
            let body = Bytes::copy_from_slice(&self.body[..len]);
            let record = parse_ref(&body).map_err(|detail| CaptureError::Malformed { offset, detail })?;
            self.offset += 8 + len as u64;
            match record {
                Some(record) => return Ok(Some(record.to_record(&body))),
                None => *skipped += 1,
            }
        }
    }

    /// The body of the record [`Frames::next`] returned last.
    pub(super) fn body(&self) -> &[u8] {
        &self.body[..self.body.len().saturating_sub(4)]
    }

    /// Reads the next frame into the buffer (body, then its checksum) and
    /// checks its length and checksum; the body's length, or `None` at a
    /// clean end of the file.
    fn read_checked(&mut self) -> Result<Option<usize>, CaptureError> {
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
        // Grows only as far as the file has bytes (a corrupt length costs no
        // more than what follows it), then is reused.
        self.body.clear();
        (&mut self.inner).take(body_len as u64 + 4).read_to_end(&mut self.body).map_err(io_error)?;
        if self.body.len() < body_len + 4 {
            return Err(CaptureError::Truncated { offset });
        }
        let (body, crc) = self.body.split_at(body_len);
        let stored = u32::from_le_bytes([crc[0], crc[1], crc[2], crc[3]]);
        let computed = CRC.checksum(body);
        if stored != computed {
            return Err(CaptureError::CrcMismatch { offset, stored, computed });
        }
        Ok(Some(body_len))
    }
}
