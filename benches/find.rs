//! Find over the full default store (200,000 records / 16 MiB, whichever
//! binds first): a whole search, as [`FindJob::advance`] with no budget,
//! for text (with and without case), hex bytes and a regular expression;
//! against a reference in the same run: memchr's memmem over the same text
//! laid end to end in one buffer (the fastest a search of these bytes can
//! be, with no records, streams or matches to keep). Target: < 100 ms each.
//!
//! Also the filter: building one over the full store (by direction; by
//! text) and a frame's work once it is built.
//!
//! Run: `cargo bench --bench find`

#![allow(clippy::unwrap_used, clippy::expect_used)] // a bench fails by panicking
#![allow(missing_docs)] // criterion_group! makes an undocumented pub fn

use std::hint::black_box;
use std::net::SocketAddr;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use criterion::{Criterion, criterion_group, criterion_main};
use netassist::codec::Charset;
use netassist::ids::{ConnId, Direction};
use netassist::view::{
    FilterSpec, FilteredView, FindBudget, FindJob, FindMode, FindQuery, ReceiveView, RecordBody, StoreLimits, ViewMode,
};

/// `我是服务器,我已经收到了你的信息!` in GBK.
const REPLY_GBK: &[u8] = &[
    0xce, 0xd2, 0xca, 0xc7, 0xb7, 0xfe, 0xce, 0xf1, 0xc6, 0xf7, 0x2c, 0xce, 0xd2, 0xd2, 0xd1, 0xbe, 0xad, 0xca, 0xd5,
    0xb5, 0xbd, 0xc1, 0xcb, 0xc4, 0xe3, 0xb5, 0xc4, 0xd0, 0xc5, 0xcf, 0xa2, 0x21,
];

/// A default view filled until it drops records: a device's log lines in
/// reads of varying size on two connections, and GBK replies.
fn full_view() -> ReceiveView {
    let mut view = ReceiveView::new(Charset::Gbk, ViewMode::Text, StoreLimits::default());
    let peer = SocketAddr::from(([127, 0, 0, 1], 8000));
    let mut seed = 0x5EED_u64;
    let mut i = 0u64;
    while view.stats().dropped_records < 10_000 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let data = match seed % 4 {
            0 => Bytes::from_static(REPLY_GBK),
            1 => Bytes::from(format!("T={}.{} ", seed % 40, seed % 10)),
            2 => Bytes::from(format!("ID {i:08} status=OK\r\n")),
            _ => Bytes::from(format!("seq={i} v={}\n", seed % 100_000)),
        };
        let dir = if i.is_multiple_of(3) { Direction::Tx } else { Direction::Rx };
        view.push_data(ConnId(i % 2), dir, peer, SystemTime::now(), data);
        i += 1;
    }
    view
}

fn query(text: &str, mode: FindMode, match_case: bool) -> FindQuery {
    FindQuery { text: text.to_owned(), mode, match_case }
}

fn bench_find(c: &mut Criterion) {
    let view = full_view();
    let stats = view.stats();
    let text: Vec<u8> = view
        .records()
        .filter_map(|r| match &r.body {
            RecordBody::Data { decoded, .. } => Some(decoded.text.as_bytes()),
            RecordBody::Note { .. } => None,
        })
        .flatten()
        .copied()
        .collect();
    let raw: usize = view
        .records()
        .map(|r| match &r.body {
            RecordBody::Data { raw, .. } => raw.len(),
            RecordBody::Note { .. } => 0,
        })
        .sum();
    eprintln!(
        "store: {} records, {:.1} MiB accounted, {:.1} MiB decoded text, {:.1} MiB raw",
        stats.records,
        stats.bytes as f64 / (1 << 20) as f64,
        text.len() as f64 / (1 << 20) as f64,
        raw as f64 / (1 << 20) as f64
    );

    let mut group = c.benchmark_group("find");
    group.sample_size(10).measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    group.bench_function("reference_memmem_one_buffer", |b| {
        let finder = memchr::memmem::Finder::new("我已经".as_bytes());
        b.iter(|| black_box(finder.find_iter(black_box(&text)).count()));
    });
    let cases = [
        ("text_rare", query("ID 00123456", FindMode::Text, true)),
        ("text_common", query("我已经", FindMode::Text, true)),
        ("text_any_case", query("status=ok", FindMode::Text, false)),
        ("hex", query("C4 E3 B5 C4", FindMode::Hex, true)),
        ("regex", query(r"T=3\d\.\d", FindMode::Regex, true)),
    ];
    for (name, query) in cases {
        let mut job = FindJob::new(query.clone()).expect("query");
        let progress = job.advance(&view, FindBudget::UNLIMITED);
        eprintln!("{name}: {} matches", progress.matches);
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut job = FindJob::new(query.clone()).expect("query");
                black_box(job.advance(&view, FindBudget::UNLIMITED))
            });
        });
    }
    group.finish();

    // Filter: a new filter over the full store, and a frame's work once it
    // is built (nothing new to take in; map the ~40 visible lines).
    let mut group = c.benchmark_group("filter");
    group.sample_size(10).measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    let specs = [
        ("build_rx_only", FilterSpec { tx: false, ..FilterSpec::default() }),
        ("build_text", FilterSpec { text: Some(query("status=OK", FindMode::Text, true)), ..FilterSpec::default() }),
    ];
    for (name, spec) in specs {
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut filter = FilteredView::new(spec.clone()).expect("spec");
                black_box(filter.update(&view, FindBudget::UNLIMITED))
            });
        });
    }
    let mut filter = FilteredView::new(FilterSpec { tx: false, ..FilterSpec::default() }).expect("spec");
    filter.update(&view, FindBudget::UNLIMITED);
    let middle = filter.line_count() / 2;
    group.bench_function("frame_40_lines", |b| {
        b.iter(|| {
            black_box(filter.update(&view, FindBudget::FRAME));
            (middle..middle + 40).filter_map(|i| filter.view_line(&view, i)).sum::<usize>()
        });
    });
    group.finish();
}

criterion_group!(benches, bench_find);
criterion_main!(benches);
