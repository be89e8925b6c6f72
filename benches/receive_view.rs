//! Cost of one frame of the receive view (egui layout + tessellation, no GPU)
//! as the history grows: the view is virtual, so 1,000,000 records should
//! cost about what 1,000 do.
//!
//! Run: `cargo bench --bench receive_view`

use std::hint::black_box;
use std::net::SocketAddr;
use std::time::SystemTime;

use bytes::Bytes;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use eframe::egui;
use netassist::codec::Charset;
use netassist::ui::{fonts, lines_ui};
use netassist::view::{Direction, ReceiveView, StoreLimits, ViewMode};

const REPLY_GBK: &[u8] = &[
    0xce, 0xd2, 0xca, 0xc7, 0xb7, 0xfe, 0xce, 0xf1, 0xc6, 0xf7, 0x2c, 0xce, 0xd2, 0xd2, 0xd1, 0xbe, 0xad, 0xca, 0xd5,
    0xb5, 0xbd, 0xc1, 0xcb, 0xc4, 0xe3, 0xb5, 0xc4, 0xd0, 0xc5, 0xcf, 0xa2, 0x21,
];

fn filled_view(records: usize, mode: ViewMode) -> ReceiveView {
    let limits = StoreLimits { max_records: records, max_bytes: usize::MAX };
    let mut view = ReceiveView::new(Charset::Gbk, mode, limits);
    let peer = SocketAddr::from(([127, 0, 0, 1], 8000));
    let now = SystemTime::now();
    for i in 0..records {
        let dir = if i % 2 == 0 { Direction::Tx } else { Direction::Rx };
        view.push_data(1, dir, peer, now, Bytes::from_static(REPLY_GBK));
    }
    view
}

fn frame(ctx: &egui::Context, view: &ReceiveView) -> usize {
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1100.0, 720.0))),
        ..Default::default()
    };
    let output = ctx.run_ui(input, |ui| {
        egui::CentralPanel::default().show(ui, |ui| lines_ui(ui, view));
    });
    ctx.tessellate(output.shapes, output.pixels_per_point).len()
}

fn bench_frames(c: &mut Criterion) {
    let mut group = c.benchmark_group("receive_view_frame");
    for records in [1_000usize, 10_000, 100_000, 1_000_000] {
        for mode in [ViewMode::Text, ViewMode::TextHex] {
            let view = filled_view(records, mode);
            let ctx = egui::Context::default();
            fonts::install_fonts(&ctx);
            for _ in 0..3 {
                frame(&ctx, &view); // fonts, atlas and scroll position settle
            }
            group.bench_with_input(BenchmarkId::new(mode.label(), records), &view, |b, view| {
                b.iter(|| black_box(frame(&ctx, view)));
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench_frames);
criterion_main!(benches);
