//! [`CaptureReader`]: a capture's records, in order, from any reader; and
//! [`CaptureError`]: what can be wrong with a capture.

use std::io::{self, Read};

use bytes::Bytes;

use super::format::{
    CRC, CaptureRecord, HEADER_LEN, KIND_CLOSED, KIND_DATA, KIND_OPENED, MAGIC, MAX_BODY, MIN_BODY, RecordKind,
    Transport, VERSION, direction_from_code,
};

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
    fn io(offset: u64, error: &io::Error) -> CaptureError {
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
    inner: R,
    /// Bytes read up to the end of the last good record.
    offset: u64,
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
        Ok(Self { inner, offset: HEADER_LEN as u64, version, skipped: 0, done: false })
    }

    /// The file's format version.
    pub fn version(&self) -> u16 {
        self.version
    }

    /// Bytes read through the end of the last good record (the header
    /// counts): where the next record starts, or where a problem was found.
    pub fn offset(&self) -> u64 {
        self.offset
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
        loop {
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
            // Grows as bytes arrive: a length bigger than what follows costs
            // no more than what follows.
            let mut body = Vec::with_capacity(body_len.min(1 << 20));
            (&mut self.inner).take(u64::from(len)).read_to_end(&mut body).map_err(io_error)?;
            if body.len() < body_len {
                return Err(CaptureError::Truncated { offset });
            }
            let mut crc = [0u8; 4];
            if read_full(&mut self.inner, &mut crc).map_err(io_error)? < 4 {
                return Err(CaptureError::Truncated { offset });
            }
            let stored = u32::from_le_bytes(crc);
            let computed = CRC.checksum(&body);
            if stored != computed {
                return Err(CaptureError::CrcMismatch { offset, stored, computed });
            }
            let parsed = parse(Bytes::from(body)).map_err(|detail| CaptureError::Malformed { offset, detail })?;
            self.offset += 8 + u64::from(len);
            match parsed {
                Some(record) => return Ok(Some(record)),
                None => self.skipped += 1,
            }
        }
    }
}

impl<R: Read> Iterator for CaptureReader<R> {
    type Item = Result<CaptureRecord, CaptureError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_record().transpose()
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

/// The record in `body` (whose checksum matched); `Ok(None)` for a kind this
/// build does not know; `Err` says what makes no sense.
fn parse(body: Bytes) -> Result<Option<CaptureRecord>, String> {
    let kind = body[0];
    if !matches!(kind, KIND_DATA | KIND_OPENED | KIND_CLOSED) {
        if kind == 0 {
            return Err("record kind 0 is never written".to_owned());
        }
        return Ok(None);
    }
    let micros = i64::from_le_bytes(fixed(&body[1..9]));
    let conn = u64::from_le_bytes(fixed(&body[9..17]));
    let transport = Transport::from_code(body[17]).ok_or_else(|| format!("unknown transport {}", body[17]))?;
    let direction = direction_from_code(body[18]).ok_or_else(|| format!("unknown direction {}", body[18]))?;
    let (peer, rest) = text8(&body, 19, "peer address")?;
    let kind = match kind {
        KIND_DATA => RecordKind::Data { payload: body.slice(rest..) },
        KIND_OPENED => {
            // Bytes after the local address are reserved for later versions.
            let (local, _) = text8(&body, rest, "local address")?;
            RecordKind::Opened { local }
        }
        _ => {
            let reason = std::str::from_utf8(&body[rest..]).map_err(|_| "close reason is not UTF-8".to_owned())?;
            RecordKind::Closed { reason: reason.to_owned() }
        }
    };
    Ok(Some(CaptureRecord { micros, conn, transport, direction, peer, kind }))
}

/// The u8-length-prefixed UTF-8 text at `at` in `body`, and where it ends.
fn text8(body: &[u8], at: usize, what: &str) -> Result<(String, usize), String> {
    let len = usize::from(*body.get(at).ok_or_else(|| format!("{what} missing"))?);
    let text = body.get(at + 1..at + 1 + len).ok_or_else(|| format!("{what} runs past the end of the record"))?;
    let text = std::str::from_utf8(text).map_err(|_| format!("{what} is not UTF-8"))?;
    Ok((text.to_owned(), at + 1 + len))
}

/// `bytes` (exactly 8 of them) as an array.
fn fixed(bytes: &[u8]) -> [u8; 8] {
    let mut array = [0u8; 8];
    array.copy_from_slice(bytes);
    array
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::capture::CaptureWriter;
    use crate::view::Direction;

    fn sample() -> Vec<CaptureRecord> {
        let record = |micros, transport, direction, kind| CaptureRecord {
            micros,
            conn: 4,
            transport,
            direction,
            peer: "[::1]:9".to_owned(),
            kind,
        };
        vec![
            record(1, Transport::Tcp, Direction::Tx, RecordKind::Opened { local: "[::1]:50000".to_owned() }),
            record(2, Transport::Tcp, Direction::Tx, RecordKind::Data { payload: Bytes::from_static(b"ping") }),
            record(3, Transport::Tcp, Direction::Rx, RecordKind::Data { payload: Bytes::from_static(b"pong!") }),
            record(4, Transport::Udp, Direction::Rx, RecordKind::Data { payload: Bytes::new() }),
            record(5, Transport::Tcp, Direction::Rx, RecordKind::Closed { reason: "reset by the peer".to_owned() }),
        ]
    }

    /// The file of `records`, and the offset where each record ends.
    fn write(records: &[CaptureRecord]) -> (Vec<u8>, Vec<usize>) {
        let mut writer = CaptureWriter::new(Vec::new()).unwrap();
        let mut ends = Vec::new();
        for record in records {
            writer.write_record(record).unwrap();
            ends.push(writer.bytes() as usize);
        }
        (writer.into_inner(), ends)
    }

    /// Every record `bytes` yields, and the error that ended it, if any.
    fn read_all(bytes: &[u8]) -> Result<(Vec<CaptureRecord>, Option<CaptureError>), CaptureError> {
        let mut records = Vec::new();
        for record in CaptureReader::new(bytes)? {
            match record {
                Ok(record) => records.push(record),
                Err(error) => return Ok((records, Some(error))),
            }
        }
        Ok((records, None))
    }

    #[test]
    fn records_read_back_as_written() {
        let records = sample();
        let (file, ends) = write(&records);
        assert_eq!(file.len(), *ends.last().unwrap());
        let mut reader = CaptureReader::new(&file[..]).unwrap();
        assert_eq!(reader.version(), VERSION);
        for (record, end) in records.iter().zip(&ends) {
            assert_eq!(reader.next_record().unwrap().as_ref(), Some(record));
            assert_eq!(reader.offset(), *end as u64);
        }
        assert_eq!(reader.next_record(), Ok(None));
        assert_eq!(reader.next(), None);
    }

    #[test]
    fn a_capture_cut_at_any_byte_reads_its_complete_records() {
        let records = sample();
        let (file, ends) = write(&records);
        for cut in 0..file.len() {
            let result = read_all(&file[..cut]);
            if cut < HEADER_LEN {
                assert_eq!(result, Err(CaptureError::TruncatedHeader { len: cut as u64 }), "cut at {cut}");
                continue;
            }
            let (got, problem) = result.unwrap();
            let complete = ends.iter().filter(|&&end| end <= cut).count();
            assert_eq!(got, records[..complete], "cut at {cut}");
            let last_end = if complete == 0 { HEADER_LEN } else { ends[complete - 1] };
            if cut == last_end {
                assert_eq!(problem, None, "cut at {cut}, a record boundary");
            } else {
                let expected = CaptureError::Truncated { offset: last_end as u64 };
                assert_eq!(problem, Some(expected.clone()), "cut at {cut}");
                assert!(expected.to_string().contains(&format!("truncated at byte offset {last_end}")));
            }
        }
    }

    #[test]
    fn a_flipped_byte_is_reported_and_the_records_before_it_are_read() {
        let records = sample();
        let (file, ends) = write(&records);
        for at in HEADER_LEN..file.len() {
            let mut bad = file.clone();
            bad[at] ^= 0x5A;
            let (got, problem) = read_all(&bad).unwrap();
            let hit = ends.iter().position(|&end| at < end).unwrap();
            let start = if hit == 0 { HEADER_LEN } else { ends[hit - 1] } as u64;
            assert_eq!(got, records[..hit], "flip at {at}");
            let problem = problem.unwrap_or_else(|| panic!("flip at {at} went unnoticed"));
            // A flip in the length field misframes the record: a bad length,
            // a checksum over the wrong bytes, or a file that ends too soon.
            match problem {
                CaptureError::CrcMismatch { offset, .. }
                | CaptureError::BadLength { offset, .. }
                | CaptureError::Truncated { offset } => assert_eq!(offset, start, "flip at {at}"),
                other => panic!("flip at {at}: {other:?}"),
            }
            if at >= start as usize + 4 {
                assert!(matches!(problem, CaptureError::CrcMismatch { .. }), "flip at {at}: {problem:?}");
            }
        }
    }

    #[test]
    fn header_problems_are_reported() {
        let (file, _) = write(&sample());
        assert_eq!(read_all(b"GIF89a and the rest of a picture").unwrap_err(), CaptureError::BadMagic);
        assert_eq!(read_all(b"NAC").unwrap_err(), CaptureError::TruncatedHeader { len: 3 });
        assert_eq!(read_all(b"NAX").unwrap_err(), CaptureError::BadMagic);
        let mut newer = file.clone();
        newer[8..10].copy_from_slice(&2u16.to_le_bytes());
        let error = read_all(&newer).unwrap_err();
        assert_eq!(error, CaptureError::UnknownVersion { version: 2 });
        assert!(error.to_string().contains("version 2 is not supported"), "{error}");
    }

    #[test]
    fn a_huge_length_is_corruption_not_an_allocation() {
        let mut file = write(&[]).0;
        file.extend_from_slice(&u32::MAX.to_le_bytes());
        file.extend_from_slice(&[0; 64]);
        let (got, problem) = read_all(&file).unwrap();
        assert!(got.is_empty());
        assert_eq!(problem, Some(CaptureError::BadLength { offset: HEADER_LEN as u64, len: u32::MAX }));
        // A length within bounds but past the end: truncated, having read only what is there.
        let mut file = write(&[]).0;
        file.extend_from_slice(&(MAX_BODY as u32).to_le_bytes());
        file.extend_from_slice(&[1; 100]);
        assert_eq!(read_all(&file).unwrap().1, Some(CaptureError::Truncated { offset: HEADER_LEN as u64 }));
    }

    #[test]
    fn a_zero_filled_tail_is_reported() {
        // What some file systems leave after a crash: the file's length grew, its data did not.
        let (mut file, _) = write(&sample());
        let end = file.len() as u64;
        file.extend_from_slice(&[0; 4096]);
        let (got, problem) = read_all(&file).unwrap();
        assert_eq!(got.len(), sample().len());
        assert_eq!(problem, Some(CaptureError::BadLength { offset: end, len: 0 }));
    }

    #[test]
    fn unknown_kinds_are_skipped_and_bad_fields_are_malformed() {
        let (mut file, _) = write(&sample()[..1]);
        // A record of kind 200, framed correctly, from "a newer netassist".
        let body = [200u8; MIN_BODY + 5];
        let frame = |file: &mut Vec<u8>, body: &[u8]| {
            file.extend_from_slice(&(body.len() as u32).to_le_bytes());
            file.extend_from_slice(body);
            file.extend_from_slice(&CRC.checksum(body).to_le_bytes());
        };
        frame(&mut file, &body);
        file.extend_from_slice(&write(&sample()[1..2]).0[HEADER_LEN..]);
        let mut reader = CaptureReader::new(&file[..]).unwrap();
        let got: Vec<_> = reader.by_ref().collect::<Result<_, _>>().unwrap();
        assert_eq!(got, sample()[..2]);
        assert_eq!(reader.skipped(), 1);

        let mut body = write(&sample()[1..2]).0[HEADER_LEN + 4..].to_vec();
        body.truncate(body.len() - 4);
        for (at, value, detail) in [(17, 9, "unknown transport 9"), (18, 0, "unknown direction 0"), (0, 0, "kind 0")] {
            let mut bad = body.clone();
            bad[at] = value;
            let mut file = write(&[]).0;
            frame(&mut file, &bad);
            match read_all(&file).unwrap().1 {
                Some(CaptureError::Malformed { offset: 16, detail: d }) => assert!(d.contains(detail), "{d}"),
                other => panic!("{other:?}"),
            }
        }
        let mut bad = body.clone();
        bad[19] = 200; // the peer's length runs past the end
        let mut file = write(&[]).0;
        frame(&mut file, &bad);
        assert!(matches!(read_all(&file).unwrap().1, Some(CaptureError::Malformed { .. })));
    }

    /// Reads `file` as the app does (reader, then the loader into a view, then
    /// every line rendered): any outcome but a panic.
    fn check_file_never_panics(file: &[u8]) -> Result<(), TestCaseError> {
        use crate::codec::Charset;
        use crate::view::{StoreLimits, ViewMode};
        if let Ok((records, _)) = read_all(file) {
            for record in &records {
                let _ = record.at();
            }
        }
        let limits = StoreLimits { max_records: 64, max_bytes: 1 << 20 };
        if let Ok((view, summary)) = crate::capture::load(file, Charset::Gbk, ViewMode::TextHex, limits) {
            prop_assert!(summary.records as usize >= view.stats().records.saturating_sub(1));
            let (mut line, mut markers) = (String::new(), Vec::new());
            for index in 0..view.line_count() {
                prop_assert!(view.render_line(index, &mut line, &mut markers).is_some());
            }
        }
        Ok(())
    }

    fn any_record() -> impl Strategy<Value = CaptureRecord> {
        let kind = prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..2000)
                .prop_map(|payload| RecordKind::Data { payload: Bytes::from(payload) }),
            "[ -~]{0,60}".prop_map(|local| RecordKind::Opened { local }),
            "\\PC{0,200}".prop_map(|reason| RecordKind::Closed { reason }),
        ];
        (any::<i64>(), any::<u64>(), any::<bool>(), any::<bool>(), "\\PC{0,60}", kind).prop_map(
            |(micros, conn, udp, tx, peer, kind)| CaptureRecord {
                micros,
                conn,
                transport: if udp { Transport::Udp } else { Transport::Tcp },
                direction: if tx { Direction::Tx } else { Direction::Rx },
                peer,
                kind,
            },
        )
    }

    proptest! {
        #[test]
        fn random_records_roundtrip(records in proptest::collection::vec(any_record(), 0..40)) {
            let (file, _) = write(&records);
            let (got, problem) = read_all(&file).unwrap();
            prop_assert_eq!(problem, None);
            prop_assert_eq!(got, records);
        }

        #[test]
        fn arbitrary_bytes_never_panic(tail in proptest::collection::vec(any::<u8>(), 0..4096), header in any::<bool>()) {
            let mut file = if header { write(&[]).0 } else { Vec::new() };
            file.extend_from_slice(&tail);
            check_file_never_panics(&file)?;
        }

        /// Records whose checksum matches but whose bodies are arbitrary:
        /// every field of a record, as a crafted file would set it.
        #[test]
        fn crafted_records_never_panic(
            bodies in proptest::collection::vec(
                (any::<u8>(), proptest::collection::vec(any::<u8>(), MIN_BODY..300)).prop_map(|(kind, mut body)| {
                    // Mostly kinds this build reads, with fields that often parse.
                    body[0] = match kind % 8 { 0 => kind, k => k % 3 + 1 };
                    body[17] %= 3;
                    body[18] %= 3;
                    body[19] %= 64;
                    body
                }),
                1..8,
            ),
        ) {
            let mut file = write(&[]).0;
            for body in &bodies {
                file.extend_from_slice(&(body.len() as u32).to_le_bytes());
                file.extend_from_slice(body);
                file.extend_from_slice(&CRC.checksum(body).to_le_bytes());
            }
            check_file_never_panics(&file)?;
        }

        #[test]
        fn random_damage_never_panics(
            records in proptest::collection::vec(any_record(), 1..10),
            flips in proptest::collection::vec((any::<prop::sample::Index>(), 1u8..), 1..4),
            cut in any::<prop::sample::Index>(),
        ) {
            let (mut file, _) = write(&records);
            for (at, mask) in flips {
                let at = at.index(file.len());
                file[at] ^= mask;
            }
            let cut = cut.index(file.len() + 1);
            // Any outcome but a panic; and what is read is a prefix of what was written.
            if let Ok((got, _)) = read_all(&file[..cut]) {
                prop_assert!(got.len() <= records.len());
                for (one, written) in got.iter().zip(&records) {
                    // A flip can hit a record's checksum and body so both agree only by
                    // an astronomically rare chance; an intact record reads back as written.
                    prop_assert_eq!(one, written);
                }
            }
        }
    }
}
