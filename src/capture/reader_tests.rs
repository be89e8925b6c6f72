//! Tests of the capture reader: every cut point, every flipped byte, hostile lengths, round trips.

use crate::ids::Direction;
use proptest::prelude::*;

use super::*;
use crate::capture::format::CRC;
use crate::capture::{CaptureWriter, RecordKind, Transport};
use bytes::Bytes;

fn sample() -> Vec<CaptureRecord> {
    let record = |micros, transport, direction, kind| CaptureRecord {
        micros,
        conn: crate::ids::ConnId(4),
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
            conn: crate::ids::ConnId(conn),
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
