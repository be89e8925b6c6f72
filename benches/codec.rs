//! Throughput of the byte-to-text work the UI thread does for every read:
//! streaming decode (GBK Chinese, GBK ASCII, UTF-8, random bytes), hex
//! formatting, and the receive view taking a 64 KiB read (decode + escapes +
//! line index) in each view mode, random bytes against CRLF text in the
//! same run (issue 18: binary data must keep the 4 ms decode budget).
//!
//! Run: `cargo bench --bench codec` (criterion reports MiB/s as "thrpt").
#![allow(clippy::unwrap_used, clippy::expect_used)] // a bench fails by panicking
#![allow(missing_docs)] // criterion_group! makes an undocumented pub fn

use netassist::ids::Direction;
use std::hint::black_box;
use std::net::SocketAddr;
use std::time::SystemTime;

use bytes::Bytes;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use netassist::codec::{Charset, DecodedText, StreamDecoder, format_hex_line};
use netassist::view::{ReceiveView, StoreLimits, ViewMode};

const CHUNK: usize = 64 << 10;

/// 64 KiB of CRLF-terminated ASCII lines, as a device's log output.
fn ascii_lines() -> Vec<u8> {
    let mut out = Vec::with_capacity(CHUNK);
    let mut n = 0;
    while out.len() < CHUNK {
        out.extend_from_slice(format!("{n:08} temp=21.{} hum=40 status=OK the quick brown fox\r\n", n % 10).as_bytes());
        n += 1;
    }
    out.truncate(CHUNK);
    out
}

/// 64 KiB of random bytes (binary data: a file, compressed or encrypted
/// traffic), the same every run.
fn random_bytes() -> Vec<u8> {
    let mut rng = fastrand::Rng::with_seed(18);
    (0..CHUNK).map(|_| rng.u8(..)).collect()
}

/// 64 KiB of GBK Chinese text with line breaks.
fn gbk_text() -> Vec<u8> {
    let line = Charset::Gbk.encode("我是服务器,我已经收到了你的信息!网络调试助手\r\n").unwrap_or_default();
    line.iter().copied().cycle().take(CHUNK).collect()
}

fn decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode");
    group.throughput(Throughput::Bytes(CHUNK as u64));
    for (name, charset, data) in [
        ("gbk_chinese", Charset::Gbk, gbk_text()),
        ("gbk_ascii", Charset::Gbk, ascii_lines()),
        ("utf8_ascii", Charset::Utf8, ascii_lines()),
        (
            "utf8_chinese",
            Charset::Utf8,
            "我是服务器,我已经收到了你的信息!\r\n".repeat(1800).into_bytes()[..CHUNK].to_vec(),
        ),
        ("gbk_random", Charset::Gbk, random_bytes()),
        ("utf8_random", Charset::Utf8, random_bytes()),
    ] {
        group.bench_function(name, |b| {
            let mut decoder = StreamDecoder::new(charset);
            let mut out = DecodedText::default();
            b.iter(|| {
                out.clear();
                decoder.decode(black_box(&data), &mut out);
                black_box(out.text.len())
            });
        });
    }
    group.finish();
}

fn hex(c: &mut Criterion) {
    let mut group = c.benchmark_group("hex");
    let data = gbk_text();
    group.throughput(Throughput::Bytes(CHUNK as u64));
    group.bench_function("format_64KiB_in_16_byte_lines", |b| {
        let mut line = String::new();
        b.iter(|| {
            let mut total = 0;
            for row in data.chunks(16) {
                line.clear();
                format_hex_line(row, &mut line);
                total += line.len();
            }
            black_box(total)
        });
    });
    group.finish();
}

fn view_ingest(c: &mut Criterion) {
    let mut group = c.benchmark_group("view_ingest");
    group.throughput(Throughput::Bytes(CHUNK as u64));
    group.measurement_time(std::time::Duration::from_secs(3));
    let peer = SocketAddr::from(([127, 0, 0, 1], 8000));
    for (name, charset, data) in [
        ("gbk_ascii_lines", Charset::Gbk, ascii_lines()),
        ("gbk_chinese", Charset::Gbk, gbk_text()),
        ("gbk_random", Charset::Gbk, random_bytes()),
        ("utf8_ascii_lines", Charset::Utf8, ascii_lines()),
        ("utf8_random", Charset::Utf8, random_bytes()),
    ] {
        let data = Bytes::from(data);
        for (mode_name, mode) in [("text", ViewMode::Text), ("hex", ViewMode::Hex), ("text_hex", ViewMode::TextHex)] {
            if mode != ViewMode::Text && name == "gbk_chinese" {
                continue; // the modes are compared on ASCII lines against random bytes
            }
            // The store fills to its limit and then drops the oldest records, as under a flood.
            group.bench_function(format!("{name}/{mode_name}"), |b| {
                let mut view = ReceiveView::new(charset, mode, StoreLimits::default());
                b.iter(|| {
                    view.push_data(netassist::ids::ConnId(1), Direction::Rx, peer, SystemTime::now(), data.clone());
                });
            });
        }
    }
    group.finish();
}

criterion_group!(benches, decode, hex, view_ingest);
criterion_main!(benches);
