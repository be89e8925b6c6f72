//! Cost of one frame of the receive view (egui layout + tessellation, no GPU)
//! as the history grows: the view is virtual, so 1,000,000 records should
//! cost about what 1,000 do. Three cases:
//!
//! - `steady`: nothing new; the visible rows' layouts come from egui's cache.
//! - `live`: a new, distinct record arrives before every frame (a device
//!   talking), so the newest rows are laid out fresh.
//! - `jump`: every frame shows another page of the history, so every visible
//!   row is laid out from scratch (the worst case: dragging the scroll bar).
//! - `flood`: a 64 KiB read arrives before every frame (taken in, then the
//!   newest page drawn), random bytes against CRLF text in each view mode:
//!   binary data costs the UI thread what text does (issue 18).
//!
//! Run: `cargo bench --bench receive_view`
#![allow(clippy::unwrap_used, clippy::expect_used)] // a bench fails by panicking
#![allow(missing_docs)] // criterion_group! makes an undocumented pub fn

use netassist::ids::Direction;
use std::hint::black_box;
use std::net::SocketAddr;
use std::time::SystemTime;

use bytes::Bytes;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use eframe::egui;
use netassist::codec::Charset;
use netassist::ui::{fonts, lines_ui};
use netassist::view::{ReceiveView, StoreLimits, ViewMode};

const REPLY_GBK: &[u8] = &[
    0xce, 0xd2, 0xca, 0xc7, 0xb7, 0xfe, 0xce, 0xf1, 0xc6, 0xf7, 0x2c, 0xce, 0xd2, 0xd2, 0xd1, 0xbe, 0xad, 0xca, 0xd5,
    0xb5, 0xbd, 0xc1, 0xcb, 0xc4, 0xe3, 0xb5, 0xc4, 0xd0, 0xc5, 0xcf, 0xa2, 0x21,
];

fn record(i: usize) -> Bytes {
    let mut data = format!("#{i:07} ").into_bytes();
    data.extend_from_slice(REPLY_GBK);
    Bytes::from(data)
}

fn push(view: &mut ReceiveView, i: usize) {
    let dir = if i.is_multiple_of(2) { Direction::Tx } else { Direction::Rx };
    let peer = SocketAddr::from(([127, 0, 0, 1], 8000));
    view.push_data(netassist::ids::ConnId(1), dir, peer, SystemTime::now(), record(i));
}

fn filled_view(records: usize, mode: ViewMode) -> ReceiveView {
    let limits = StoreLimits { max_records: records, max_bytes: usize::MAX };
    let mut view = ReceiveView::new(Charset::Gbk, mode, limits);
    for i in 0..records {
        push(&mut view, i);
    }
    view
}

fn frame(ctx: &egui::Context, view: &ReceiveView, jump_to: Option<usize>) -> usize {
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1100.0, 720.0))),
        ..Default::default()
    };
    let output = ctx.run_ui(input, |ui| {
        egui::CentralPanel::default().show(ui, |ui| lines_ui(ui, view, jump_to));
    });
    ctx.tessellate(output.shapes, output.pixels_per_point).len()
}

fn bench_frames(c: &mut Criterion) {
    let mut group = c.benchmark_group("receive_view_frame");
    for records in [1_000usize, 10_000, 100_000, 1_000_000] {
        let mut view = filled_view(records, ViewMode::Text);
        let ctx = egui::Context::default();
        fonts::install_fonts(&ctx);
        for _ in 0..3 {
            frame(&ctx, &view, None); // fonts, atlas and scroll position settle
        }
        group.bench_function(BenchmarkId::new("steady", records), |b| {
            b.iter(|| black_box(frame(&ctx, &view, None)));
        });
        let mut next = records;
        group.bench_function(BenchmarkId::new("live", records), |b| {
            b.iter(|| {
                push(&mut view, next);
                next += 1;
                black_box(frame(&ctx, &view, None))
            });
        });
        let lines = view.line_count();
        let mut page = 0usize;
        group.bench_function(BenchmarkId::new("jump", records), |b| {
            b.iter(|| {
                // A different page every frame, spread over the whole history.
                page = (page + 7919) % lines.saturating_sub(60).max(1);
                black_box(frame(&ctx, &view, Some(page)))
            });
        });
    }
    group.finish();
}

/// 64 KiB reads: random bytes (distinct each, so new glyphs keep coming),
/// or CRLF-terminated ASCII lines.
fn flood_chunks(random: bool) -> Vec<Bytes> {
    let mut rng = fastrand::Rng::with_seed(18);
    (0..16)
        .map(|k| {
            let data: Vec<u8> = if random {
                (0..64 << 10).map(|_| rng.u8(..)).collect()
            } else {
                let mut text = Vec::with_capacity(64 << 10);
                let mut n = k * 1000;
                while text.len() < 64 << 10 {
                    text.extend_from_slice(format!("{n:08} temp=21.{} hum=40 status=OK\r\n", n % 10).as_bytes());
                    n += 1;
                }
                text.truncate(64 << 10);
                text
            };
            Bytes::from(data)
        })
        .collect()
}

fn bench_flood(c: &mut Criterion) {
    let mut group = c.benchmark_group("receive_view_flood");
    group.measurement_time(std::time::Duration::from_secs(4));
    let peer = SocketAddr::from(([127, 0, 0, 1], 8000));
    for (payload, random) in [("crlf_text", false), ("random", true)] {
        let chunks = flood_chunks(random);
        for (mode_name, mode) in [("text", ViewMode::Text), ("hex", ViewMode::Hex), ("text_hex", ViewMode::TextHex)] {
            let mut view = ReceiveView::new(Charset::Gbk, mode, StoreLimits::default());
            let ctx = egui::Context::default();
            fonts::install_fonts(&ctx);
            let mut next = 0usize;
            let mut step = |view: &mut ReceiveView| {
                let chunk = chunks[next % chunks.len()].clone();
                next += 1;
                view.push_data(netassist::ids::ConnId(1), Direction::Rx, peer, SystemTime::now(), chunk);
                black_box(frame(&ctx, view, None))
            };
            for _ in 0..40 {
                step(&mut view); // fonts, atlas and the store settle
            }
            group.bench_function(BenchmarkId::new(payload, mode_name), |b| b.iter(|| step(&mut view)));
        }
    }
    group.finish();
}

criterion_group!(benches, bench_frames, bench_flood);
criterion_main!(benches);
