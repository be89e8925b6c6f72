//! Tests of find over a whole capture file.

use std::io::Write;
use std::sync::atomic::AtomicBool;

use bytes::Bytes;

use super::*;
use crate::capture::{CaptureRecord, CaptureWriter, RecordKind, open_capture};
use crate::ids::{ConnId, Direction};
use crate::view::{FindMode, FindQuery};

fn data(conn: u64, transport: Transport, payload: &[u8]) -> CaptureRecord {
    CaptureRecord {
        micros: 1,
        conn: ConnId(conn),
        transport,
        direction: Direction::Rx,
        peer: "127.0.0.1:8000".to_owned(),
        kind: RecordKind::Data { payload: Bytes::copy_from_slice(payload) },
    }
}

fn file_of(records: &[CaptureRecord]) -> tempfile::NamedTempFile {
    let mut writer = CaptureWriter::new(Vec::new()).unwrap();
    for record in records {
        writer.write_record(record).unwrap();
    }
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(&writer.into_inner()).unwrap();
    file
}

/// Every match's record, the count and how it ended.
fn search(file: &tempfile::NamedTempFile, text: &str, mode: FindMode, charset: Charset) -> (Vec<u64>, u64, FindEnd) {
    let pattern = Pattern::new(&FindQuery { text: text.to_owned(), mode, match_case: false }).unwrap();
    let (opened, _) = open_capture(file.path()).unwrap();
    let (mut hits, mut matches) = (Vec::new(), 0);
    let end = search_capture(opened, pattern, charset, &AtomicBool::new(false), |batch| {
        hits.extend(batch.hits);
        matches = batch.matches;
        true
    });
    (hits, matches, end)
}

#[test]
fn a_marker_among_many_records_is_found_in_its_record() {
    let mut records: Vec<_> = (0..5000).map(|i| data(1, Transport::Tcp, format!("line {i}\n").as_bytes())).collect();
    records[2500] = data(1, Transport::Tcp, b"the MARKER is here\n");
    let file = file_of(&records);
    let (hits, matches, end) = search(&file, "marker", FindMode::Text, Charset::Utf8);
    assert_eq!((hits, matches, end), (vec![2500], 1, FindEnd::Complete));
    let (hits, matches, _) = search(&file, "line 4", FindMode::Text, Charset::Utf8);
    assert_eq!(matches, 1111, "4, 40-49, 400-499, 4000-4999");
    assert_eq!(hits.len(), 1111);
    assert!(hits.windows(2).all(|w| w[0] <= w[1]), "in order");
}

#[test]
fn a_match_split_across_two_reads_is_found_where_it_starts() {
    let gbk = Charset::Gbk.encode("你好世界").unwrap();
    let file = file_of(&[
        data(1, Transport::Tcp, b"noise"),
        data(1, Transport::Tcp, &gbk[..3]),
        data(2, Transport::Tcp, b"other stream"),
        data(1, Transport::Tcp, &gbk[3..]),
    ]);
    // 你 is whole in the first read; 好's first byte too, decoded with the next.
    let (hits, _, _) = search(&file, "你好", FindMode::Text, Charset::Gbk);
    assert_eq!(hits, vec![1]);
    assert_eq!(search(&file, "好世", FindMode::Text, Charset::Gbk).0, vec![3]);
    let (hits, _, _) = search(&file, "BA C3 CA C0", FindMode::Hex, Charset::Gbk);
    assert_eq!(hits, vec![1]);
    // Datagrams do not join.
    let file = file_of(&[data(1, Transport::Udp, &gbk[..3]), data(1, Transport::Udp, &gbk[3..])]);
    assert_eq!(search(&file, "你好", FindMode::Text, Charset::Gbk).1, 0);
}

#[test]
fn cancelling_stops_the_search() {
    let records: Vec<_> = (0..3000).map(|_| data(1, Transport::Tcp, &[b'x'; 8000])).collect();
    let file = file_of(&records);
    let pattern = Pattern::new(&FindQuery { text: "y".to_owned(), mode: FindMode::Text, match_case: true }).unwrap();
    let (opened, _) = open_capture(file.path()).unwrap();
    let end = search_capture(opened, pattern, Charset::Utf8, &AtomicBool::new(true), |_| true);
    assert_eq!(end, FindEnd::Cancelled);
}
