//! The capture file format's constants, its record type, and the encoding
//! of one record (`docs/CAPTURE.md` describes the same, for other readers).

use crate::ids::Direction;
use std::fmt::Display;
use std::io::{self, Write};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;

use crate::ids::ConnId;

/// The first 8 bytes of every capture file: `NACAP`, CR LF (which a
/// line-ending conversion would damage) and Ctrl-Z (which stops a DOS `type`).
pub const MAGIC: [u8; 8] = *b"NACAP\r\n\x1a";

/// The format version this build writes and the only one it reads.
pub const VERSION: u16 = 1;

/// Bytes of the file header: [`MAGIC`], the version (u16 LE), 6 reserved zero bytes.
pub const HEADER_LEN: usize = 16;

/// The most payload one data record carries. A larger payload (a TCP send of
/// more than 16 MiB) is written as consecutive data records.
pub const MAX_PAYLOAD: usize = 16 * 1024 * 1024;

/// The largest record body a reader accepts: [`MAX_PAYLOAD`] plus room for
/// the fixed fields and the peer's address. A larger length field is
/// corruption, so a corrupt length never makes a reader allocate more.
pub const MAX_BODY: usize = MAX_PAYLOAD + 1024;

/// The smallest record body: the fixed fields and an empty peer address.
pub const MIN_BODY: usize = 20;

/// Record kind byte: bytes sent or received.
pub(super) const KIND_DATA: u8 = 1;
/// Record kind byte: a connection (or UDP socket) opened.
pub(super) const KIND_OPENED: u8 = 2;
/// Record kind byte: a connection (or UDP socket) closed.
pub(super) const KIND_CLOSED: u8 = 3;

/// CRC-32/ISO-HDLC (the CRC of zlib, PNG and Ethernet), computed by
/// crc32fast: the same CRC as the crc crate's `CRC_32_ISO_HDLC`, but with
/// SIMD (PCLMULQDQ) it runs at memory speed, where a table CRC was most of
/// the capture's CPU cost under a flood.
pub(super) struct Crc32;

impl Crc32 {
    /// The CRC of `data`.
    pub(super) fn checksum(&self, data: &[u8]) -> u32 {
        crc32fast::hash(data)
    }

    /// A CRC computed over several pieces.
    pub(super) fn digest(&self) -> crc32fast::Hasher {
        crc32fast::Hasher::new()
    }
}

/// The capture's record CRC.
pub(super) static CRC: Crc32 = Crc32;

/// What kind of socket a record is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Transport {
    /// A TCP connection: data records are parts of a byte stream.
    Tcp,
    /// A UDP socket: each data record is one whole datagram.
    Udp,
}

impl Transport {
    /// Its byte in the format.
    pub(super) fn code(self) -> u8 {
        match self {
            Transport::Tcp => 1,
            Transport::Udp => 2,
        }
    }

    /// The transport of byte `code`, if it is one.
    pub(super) fn from_code(code: u8) -> Option<Transport> {
        match code {
            1 => Some(Transport::Tcp),
            2 => Some(Transport::Udp),
            _ => None,
        }
    }
}

/// A direction's byte in the format: 1 for RX, 2 for TX.
pub(super) fn direction_code(direction: Direction) -> u8 {
    match direction {
        Direction::Rx => 1,
        Direction::Tx => 2,
    }
}

/// The direction of byte `code`, if it is one.
pub(super) fn direction_from_code(code: u8) -> Option<Direction> {
    match code {
        1 => Some(Direction::Rx),
        2 => Some(Direction::Tx),
        _ => None,
    }
}

/// What one record says, beyond the fields every record has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordKind {
    /// Bytes that went over the wire: for TCP, part of the stream (one read
    /// or one send); for UDP, one whole datagram.
    Data {
        /// Exactly the bytes.
        payload: Bytes,
    },
    /// A connection was established, or a UDP socket bound. The record's
    /// direction says who opened it: TX we did (connect, bind), RX the peer
    /// did (a client our listener accepted). A UDP socket's peer is empty.
    Opened {
        /// Our local address, as text (e.g. `127.0.0.1:51234`).
        local: String,
    },
    /// A connection or UDP socket ended; nothing more comes for its id.
    /// The record's direction says who ended it: TX we did, RX the peer or
    /// the network did (peer closed, reset, an error).
    Closed {
        /// Why, in words.
        reason: String,
    },
}

/// One record of a capture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaptureRecord {
    /// When it happened: microseconds since 1970-01-01 00:00 UTC (negative
    /// before). See [`CaptureRecord::at`].
    pub micros: i64,
    /// The engine's id of the connection or UDP socket.
    pub conn: ConnId,
    /// TCP or UDP.
    pub transport: Transport,
    /// Received (RX) or sent (TX); for opened and closed records, who opened
    /// or ended it (see [`RecordKind`]).
    pub direction: Direction,
    /// The peer's address as text (e.g. `127.0.0.1:8000`, `[::1]:9`); empty
    /// where there is no one peer (a UDP socket's opened and closed records).
    /// At most 255 bytes.
    pub peer: String,
    /// What kind of record, with what only that kind carries.
    pub kind: RecordKind,
}

impl CaptureRecord {
    /// When it happened, as a [`SystemTime`].
    pub fn at(&self) -> SystemTime {
        from_micros(self.micros)
    }

    /// The payload of a data record, or `None` for other kinds.
    pub fn payload(&self) -> Option<&Bytes> {
        match &self.kind {
            RecordKind::Data { payload } => Some(payload),
            _ => None,
        }
    }
}

/// `at` as microseconds since the Unix epoch (negative before it), saturating
/// at the ends of `i64` (about ±292,000 years).
pub fn to_micros(at: SystemTime) -> i64 {
    match at.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_micros()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_micros()).map_or(i64::MIN, |micros| -micros),
    }
}

/// The earliest time a capture's record is read as: 0001-01-01 00:00:00 UTC.
const MIN_MICROS: i64 = -62_135_596_800_000_000;
/// The latest: 9999-12-31 23:59:59.999999 UTC.
const MAX_MICROS: i64 = 253_402_300_799_999_999;

/// The time `micros` microseconds after the Unix epoch (before it if
/// negative); the epoch itself outside the years 1 to 9999. A time out there
/// comes only from a damaged or crafted file, and showing it would crash the
/// view: chrono panics converting a time past its ±262,000 years.
pub fn from_micros(micros: i64) -> SystemTime {
    if !(MIN_MICROS..=MAX_MICROS).contains(&micros) {
        return UNIX_EPOCH;
    }
    let offset = Duration::from_micros(micros.unsigned_abs());
    let at = if micros >= 0 { UNIX_EPOCH.checked_add(offset) } else { UNIX_EPOCH.checked_sub(offset) };
    at.unwrap_or(UNIX_EPOCH)
}

/// The file header.
pub(super) fn header() -> [u8; HEADER_LEN] {
    let mut header = [0u8; HEADER_LEN];
    header[..8].copy_from_slice(&MAGIC);
    header[8..10].copy_from_slice(&VERSION.to_le_bytes());
    header
}

/// Builds record bodies in a reusable buffer: the fixed fields, then the
/// kind's own, then `frame` writes length, body and checksum.
pub(super) struct Encoder {
    head: Vec<u8>,
}

impl Encoder {
    pub(super) fn new() -> Self {
        Self { head: Vec::with_capacity(256) }
    }

    /// Starts a body with the fields every record has.
    pub(super) fn start(
        &mut self,
        kind: u8,
        micros: i64,
        conn: ConnId,
        transport: Transport,
        direction: Direction,
        peer: Option<&dyn Display>,
    ) {
        self.head.clear();
        self.head.push(kind);
        self.head.extend_from_slice(&micros.to_le_bytes());
        self.head.extend_from_slice(&conn.0.to_le_bytes());
        self.head.push(transport.code());
        self.head.push(direction_code(direction));
        self.text8(peer);
    }

    /// Appends `text` (nothing if `None`) with a u8 length before it,
    /// cut to 255 bytes at a character boundary.
    pub(super) fn text8(&mut self, text: Option<&dyn Display>) {
        let at = self.head.len();
        self.head.push(0);
        if let Some(text) = text {
            // Writing to a Vec cannot fail.
            let _ = write!(self.head, "{text}");
        }
        let start = at + 1;
        let mut len = self.head.len() - start;
        if len > usize::from(u8::MAX) {
            len = usize::from(u8::MAX);
            // Back up to the start of the character that would be cut.
            while len > 0 && self.head[start + len] & 0xC0 == 0x80 {
                len -= 1;
            }
            self.head.truncate(start + len);
        }
        self.head[at] = len as u8;
    }

    /// Writes one record: the body started here followed by `tail` (at most
    /// [`MAX_PAYLOAD`] bytes), framed. Returns the bytes written.
    pub(super) fn frame(&self, out: &mut impl Write, tail: &[u8]) -> io::Result<u64> {
        let len = self.head.len() + tail.len();
        debug_assert!((MIN_BODY..=MAX_BODY).contains(&len), "record body of {len} bytes");
        let len32 = u32::try_from(len).map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "record too large"))?;
        let mut digest = CRC.digest();
        digest.update(&self.head);
        digest.update(tail);
        out.write_all(&len32.to_le_bytes())?;
        out.write_all(&self.head)?;
        out.write_all(tail)?;
        out.write_all(&digest.finalize().to_le_bytes())?;
        Ok(8 + len as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checksum_is_the_zlib_crc32() {
        assert_eq!(CRC.checksum(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn microseconds_roundtrip_on_both_sides_of_the_epoch() {
        for micros in [0, 1, -1, 1_700_000_000_123_456, -86_400_000_000] {
            assert_eq!(to_micros(from_micros(micros)), micros);
        }
        let now = SystemTime::now();
        let back = from_micros(to_micros(now));
        assert!(now.duration_since(back).unwrap() < Duration::from_micros(1));
    }

    #[test]
    fn times_no_calendar_shows_read_as_the_epoch() {
        for micros in [MIN_MICROS, MAX_MICROS] {
            let at = from_micros(micros);
            assert_eq!(to_micros(at), micros);
            // The view formats every record's time like this; it must not panic.
            let shown = chrono::DateTime::<chrono::Utc>::from(at).format("%Y-%m-%d").to_string();
            assert!(shown == "0001-01-01" || shown == "9999-12-31", "{shown}");
        }
        for micros in [i64::MIN, MIN_MICROS - 1, MAX_MICROS + 1, i64::MAX] {
            assert_eq!(from_micros(micros), UNIX_EPOCH, "{micros}");
        }
    }

    #[test]
    fn long_text_is_cut_at_a_character_boundary() {
        let mut encoder = Encoder::new();
        let text = "é".repeat(200); // 400 bytes; 255 would split a character
        encoder.text8(Some(&text));
        assert_eq!(encoder.head[0], 254);
        assert_eq!(std::str::from_utf8(&encoder.head[1..]).unwrap(), "é".repeat(127));
    }

    #[test]
    fn a_data_record_is_laid_out_as_documented() {
        let mut encoder = Encoder::new();
        let peer = "127.0.0.1:8000";
        // The example in docs/CAPTURE.md.
        encoder.start(KIND_DATA, 1, crate::ids::ConnId(7), Transport::Tcp, Direction::Tx, Some(&peer));
        let mut out = Vec::new();
        assert_eq!(encoder.frame(&mut out, b"hi").unwrap(), out.len() as u64);
        let body_len = MIN_BODY + peer.len() + 2;
        assert_eq!(out[..4], (body_len as u32).to_le_bytes());
        let body = &out[4..4 + body_len];
        assert_eq!(body[0], KIND_DATA);
        assert_eq!(body[1..9], 1i64.to_le_bytes());
        assert_eq!(body[9..17], 7u64.to_le_bytes());
        assert_eq!(body[17..20], [1, 2, peer.len() as u8]);
        assert_eq!(&body[20..20 + peer.len()], peer.as_bytes());
        assert_eq!(&body[20 + peer.len()..], b"hi");
        assert_eq!(out[4 + body_len..], CRC.checksum(body).to_le_bytes());
        assert_eq!(out[..4], [0x24, 0, 0, 0]);
        assert_eq!(out[4 + body_len..], [0x47, 0xB1, 0x38, 0x6E]);
    }
}
