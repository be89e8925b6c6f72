//! Tests of the capture index and of reading rows through it: offsets,
//! counts, a truncated or corrupt tail, cancelling.

use std::io::Write;
use std::sync::atomic::AtomicBool;

use bytes::Bytes;

use super::*;
use crate::capture::{CaptureRecord, CaptureWriter, RecordKind, RowKind, RowReader, Transport};
use crate::ids::{ConnId, Direction};

/// Record `i` of the sample: a TCP read of `size(i)` bytes starting with its number.
fn sample(i: u64, size: usize) -> CaptureRecord {
    let mut payload = format!("record {i:06} ").into_bytes();
    payload.resize(size.max(payload.len()), b'.');
    CaptureRecord {
        micros: 1_000 + i as i64,
        conn: ConnId(3),
        transport: Transport::Tcp,
        direction: if i.is_multiple_of(2) { Direction::Rx } else { Direction::Tx },
        peer: "127.0.0.1:8000".to_owned(),
        kind: RecordKind::Data { payload: Bytes::from(payload) },
    }
}

/// A capture of `count` records sized by `size`, and each record's offset.
fn capture(count: u64, size: impl Fn(u64) -> usize) -> (Vec<u8>, Vec<u64>) {
    let mut writer = CaptureWriter::new(Vec::new()).unwrap();
    let mut offsets = Vec::new();
    for i in 0..count {
        offsets.push(writer.bytes());
        writer.write_record(&sample(i, size(i))).unwrap();
    }
    (writer.into_inner(), offsets)
}

fn temp_file(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(bytes).unwrap();
    file.flush().unwrap();
    file
}

/// Indexes `file` to the end, counting the batches.
fn index_of(file: &tempfile::NamedTempFile) -> (CaptureIndex, IndexEnd, usize) {
    let (opened, _) = open_capture(file.path()).unwrap();
    let mut index = CaptureIndex::default();
    let mut batches = 0;
    let end = build_index(opened, &AtomicBool::new(false), |batch| {
        batches += 1;
        index.extend(batch);
        true
    });
    (index, end, batches)
}

#[test]
fn every_strideth_offset_is_kept_and_any_record_is_reached_from_it() {
    // ~6 MiB: more than one batch.
    let (bytes, offsets) = capture(1000, |i| (i as usize * 37) % 12_000);
    let file = temp_file(&bytes);
    let (index, end, batches) = index_of(&file);
    assert_eq!(end, IndexEnd::Complete);
    assert!(batches > 1, "{batches} batches");
    let counts = index.counts();
    assert_eq!(counts.records, 1000);
    assert_eq!(counts.bytes_read, bytes.len() as u64);
    assert_eq!((counts.first_micros, counts.last_micros), (Some(1000), Some(1999)));
    let payload: u64 = (0..1000).map(|i| sample(i, (i as usize * 37) % 12_000).payload().unwrap().len() as u64).sum();
    assert_eq!(counts.payload_bytes, payload);
    for record in [0, 1, 63, 64, 65, 500, 999] {
        let (at, offset) = index.seek_point(record).unwrap();
        assert_eq!(at, record / STRIDE * STRIDE);
        assert_eq!(offset, offsets[at as usize], "record {record}");
    }
    assert_eq!(index.seek_point(1000), None);
    assert!(index.heap_bytes() < 1000 / STRIDE as usize * 8 * 4);
}

#[test]
fn rows_read_anywhere_show_the_right_records_cut_to_their_head() {
    let (bytes, _) = capture(700, |i| if i == 300 { 100_000 } else { 40 });
    let file = temp_file(&bytes);
    let (index, _, _) = index_of(&file);
    let mut reader = RowReader::open(file.path()).unwrap();
    for first in [0, 63, 64, 299, 650] {
        let rows = reader.read(&index, first, 5, 16).unwrap();
        let numbers: Vec<u64> = rows.iter().map(|r| r.number).collect();
        let want: Vec<u64> = (first..(first + 5).min(700)).collect();
        assert_eq!(numbers, want);
        for row in &rows {
            let RowKind::Data { head, len } = &row.kind else { panic!("{row:?}") };
            let whole = sample(row.number, 40);
            assert_eq!(head.as_slice(), &whole.payload().unwrap()[..16]);
            assert_eq!(*len, if row.number == 300 { 100_000 } else { 40 });
            assert_eq!(row.micros, 1000 + row.number as i64);
            assert_eq!(row.peer, "127.0.0.1:8000");
        }
    }
    assert_eq!(reader.read(&index, 698, 5, 16).unwrap().len(), 2, "the rows end with the file");
}

#[test]
fn a_truncated_capture_is_indexed_up_to_its_last_good_record() {
    let (bytes, offsets) = capture(200, |_| 100);
    let file = temp_file(&bytes[..bytes.len() - 7]);
    let (index, end, _) = index_of(&file);
    assert_eq!(end, IndexEnd::Problem(CaptureError::Truncated { offset: offsets[199] }));
    assert_eq!(index.records(), 199);
    assert_eq!(index.counts().bytes_read, offsets[199]);
    let mut reader = RowReader::open(file.path()).unwrap();
    let rows = reader.read(&index, 190, 50, 64).unwrap();
    assert_eq!(rows.last().map(|r| r.number), Some(198));
}

#[test]
fn a_corrupt_record_ends_the_index_before_it() {
    let (mut bytes, offsets) = capture(200, |_| 100);
    bytes[offsets[120] as usize + 40] ^= 0x55;
    let file = temp_file(&bytes);
    let (index, end, _) = index_of(&file);
    assert!(matches!(end, IndexEnd::Problem(CaptureError::CrcMismatch { offset, .. }) if offset == offsets[120]));
    assert_eq!(index.records(), 120);
    // A zero-filled tail (what a crash can leave) is a bad length.
    let (mut bytes, offsets) = capture(10, |_| 100);
    bytes.extend_from_slice(&[0; 64]);
    let file = temp_file(&bytes);
    let (index, end, _) = index_of(&file);
    assert_eq!(index.records(), 10);
    let tail = bytes.len() as u64 - 64;
    assert!(tail > offsets[9]);
    assert_eq!(end, IndexEnd::Problem(CaptureError::BadLength { offset: tail, len: 0 }));
}

#[test]
fn not_a_capture_is_refused_at_once() {
    let file = temp_file(b"GET / HTTP/1.1\r\n\r\n");
    assert!(matches!(open_capture(file.path()), Err(CaptureError::BadMagic)));
    let missing = std::env::temp_dir().join("netassist-no-such-capture.nacap");
    assert!(matches!(open_capture(&missing), Err(CaptureError::Io { .. })));
}

#[test]
fn cancelling_stops_the_index_early() {
    let (bytes, _) = capture(2000, |_| 8000); // ~16 MiB: several batches
    let file = temp_file(&bytes);
    // Set from the start: it stops at the first batch boundary.
    let (opened, _) = open_capture(file.path()).unwrap();
    let mut index = CaptureIndex::default();
    let end = build_index(opened, &AtomicBool::new(true), |batch| {
        index.extend(batch);
        true
    });
    assert_eq!(end, IndexEnd::Cancelled);
    assert!(index.records() < 2000, "{}", index.records());
    // A sink that goes away (the viewer closed) stops it too.
    let (opened, _) = open_capture(file.path()).unwrap();
    let mut batches = 0;
    let end = build_index(opened, &AtomicBool::new(false), |_| {
        batches += 1;
        false
    });
    assert_eq!((end, batches), (IndexEnd::Cancelled, 1));
}
