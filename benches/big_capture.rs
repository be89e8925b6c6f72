//! Issue 15, item 4: a capture of any size opened whole. Over a generated
//! capture of 256 MiB (`NETASSIST_BIG_CAPTURE_MIB` for another size) in the
//! temporary folder (deleted afterwards; warm in the page cache after it is
//! written, so these are CPU costs, not the disk's):
//!
//! - reading the file through (1 MiB reads): the reference every other
//!   figure is a ratio to, in the same run;
//! - building the index (every record's checksum and fields checked);
//! - find over the whole file: text (case kept: a literal over the decoded
//!   text), text ignoring case, hex bytes, a regular expression;
//! - the first screen without a window: open, index the first batch, read
//!   the first 60 rows, and 60 rows from the middle of a complete index.
//!
//! Target (issue 15): find streams at ≥ 200 MiB/s over a 1 GiB capture.
//! Run: `cargo bench --bench big_capture` (`NETASSIST_BIG_CAPTURE_MIB=1024`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a bench fails by panicking
#![allow(missing_docs)] // criterion_group! makes an undocumented pub fn

use std::hint::black_box;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use bytes::Bytes;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use netassist::capture::{
    CaptureIndex, CaptureRecord, CaptureWriter, RecordFilter, RecordKind, RowReader, Transport, build_index,
    filter_capture, open_capture, search_capture,
};
use netassist::codec::Charset;
use netassist::ids::{ConnId, Direction};
use netassist::view::{FindMode, FindQuery, Pattern};

/// The marker written once, in the middle.
const MARKER: &str = "NEEDLE-IN-THE-MIDDLE";

/// A capture of about `mib` MiB: a device's log in TCP reads of 32 to
/// 2,079 bytes on two connections, and GBK replies; the marker in the middle.
fn generate(path: &Path, mib: u64) -> u64 {
    let file = std::fs::File::create(path).unwrap();
    let mut writer = CaptureWriter::new(BufWriter::with_capacity(1 << 20, file)).unwrap();
    let reply = Charset::Gbk.encode("我是服务器,我已经收到了你的信息!").unwrap();
    let (mut seed, mut i, target) = (0x5EED_u64, 0u64, mib << 20);
    let mut marked = false;
    while writer.bytes() < target {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut payload = if seed % 5 == 0 {
            reply.clone()
        } else {
            let mut line = format!("ID {i:010} T={}.{} status=OK seq={i} ", seed % 40, seed % 10).into_bytes();
            line.resize(32 + (seed % 2048) as usize, b'x');
            line.extend_from_slice(b"\r\n");
            line
        };
        if !marked && writer.bytes() >= target / 2 {
            payload.extend_from_slice(MARKER.as_bytes());
            marked = true;
        }
        let record = CaptureRecord {
            micros: 1_700_000_000_000_000 + i as i64,
            conn: ConnId(i % 2),
            transport: Transport::Tcp,
            direction: if seed % 3 == 0 { Direction::Tx } else { Direction::Rx },
            peer: "192.0.2.1:8000".to_owned(),
            kind: RecordKind::Data { payload: Bytes::from(payload) },
        };
        writer.write_record(&record).unwrap();
        i += 1;
    }
    writer.into_inner().flush().unwrap();
    i
}

fn index(path: &Path) -> CaptureIndex {
    let (file, _) = open_capture(path).unwrap();
    let mut index = CaptureIndex::default();
    build_index(file, &AtomicBool::new(false), |batch| {
        index.extend(batch);
        true
    });
    index
}

fn find(path: &Path, text: &str, mode: FindMode, match_case: bool) -> u64 {
    let pattern = Pattern::new(&FindQuery { text: text.to_owned(), mode, match_case }).unwrap();
    let (file, _) = open_capture(path).unwrap();
    let mut matches = 0;
    search_capture(file, pattern, Charset::Gbk, &AtomicBool::new(false), |batch| {
        matches = batch.matches;
        true
    });
    matches
}

/// The filter row's pass: received data only, with `text` (if any) in it.
fn filter(path: &Path, text: Option<&str>) -> u64 {
    let pattern = text.map(|text| {
        Pattern::new(&FindQuery { text: text.to_owned(), mode: FindMode::Text, match_case: true }).unwrap()
    });
    let (file, _) = open_capture(path).unwrap();
    let only_rx = RecordFilter { rx: true, tx: false, events: false };
    let mut passed = 0;
    filter_capture(file, only_rx, pattern, Charset::Gbk, &AtomicBool::new(false), |batch| {
        passed = batch.passed;
        true
    });
    passed
}

fn bench(c: &mut Criterion) {
    let mib = std::env::var("NETASSIST_BIG_CAPTURE_MIB").ok().and_then(|v| v.parse().ok()).unwrap_or(256);
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("big.nacap");
    let records = generate(&path, mib);
    let len = std::fs::metadata(&path).unwrap().len();
    println!("big_capture bench: {records} records, {len} bytes");
    let mut group = c.benchmark_group(format!("big_capture_{mib}MiB"));
    group.sample_size(10).measurement_time(Duration::from_secs(20)).throughput(Throughput::Bytes(len));
    group.bench_function("read (reference)", |b| {
        let mut buf = vec![0u8; 1 << 20];
        b.iter(|| {
            let mut file = std::fs::File::open(&path).unwrap();
            let mut total = 0;
            loop {
                let n = file.read(&mut buf).unwrap();
                if n == 0 {
                    break;
                }
                total += n;
            }
            black_box(total)
        });
    });
    group.bench_function("index", |b| b.iter(|| black_box(index(&path).records())));
    assert_eq!(index(&path).records(), records);
    assert_eq!(find(&path, MARKER, FindMode::Text, true), 1);
    group.bench_function("find text", |b| b.iter(|| black_box(find(&path, MARKER, FindMode::Text, true))));
    group.bench_function("find text any case", |b| {
        b.iter(|| black_box(find(&path, "needle-in", FindMode::Text, false)));
    });
    group.bench_function("find hex", |b| b.iter(|| black_box(find(&path, "4E 45 45 44 4C 45", FindMode::Hex, false))));
    group.bench_function("find regex", |b| {
        b.iter(|| black_box(find(&path, r"NEEDLE-\w+-MIDDLE", FindMode::Regex, true)));
    });
    group.bench_function("filter RX only", |b| b.iter(|| black_box(filter(&path, None))));
    group.bench_function("filter RX with text", |b| b.iter(|| black_box(filter(&path, Some(MARKER)))));
    group.finish();

    let mut group = c.benchmark_group(format!("big_capture_{mib}MiB_screen"));
    group.sample_size(20);
    group.bench_function("first screen (open, first batch, 60 rows)", |b| {
        b.iter(|| {
            let (file, _) = open_capture(&path).unwrap();
            let mut index = CaptureIndex::default();
            build_index(file, &AtomicBool::new(false), |batch| {
                index.extend(batch);
                false // the first batch is enough for a screen
            });
            let mut rows = RowReader::open(&path).unwrap();
            black_box(rows.read(&index, 0, 60, 256).unwrap().len())
        });
    });
    let whole = index(&path);
    let mut rows = RowReader::open(&path).unwrap();
    group.bench_function("60 rows from the middle", |b| {
        b.iter(|| black_box(rows.read(&whole, records / 2, 60, 256).unwrap().len()));
    });
    group.finish();
    println!("index of {records} records: {} bytes", whole.heap_bytes());
}

criterion_group!(benches, bench);
criterion_main!(benches);
