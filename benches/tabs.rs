//! Cost of one whole-window frame as tabs pile up: 1 tab against 20 tabs,
//! each tab's view holding 100,000 records. Only the tab in view is drawn
//! and every tab's per-frame upkeep is constant-time, so 20 tabs should cost
//! about what one does (target: at most 1.2x).
//!
//! Run: `cargo bench --bench tabs`
#![allow(clippy::unwrap_used, clippy::expect_used)] // a bench fails by panicking
#![allow(missing_docs)] // criterion_group! makes an undocumented pub fn

use netassist::ids::Direction;
use std::hint::black_box;
use std::net::SocketAddr;
use std::time::SystemTime;

use bytes::Bytes;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use eframe::egui;
use egui_kittest::Harness;
use netassist::app::{NetAssistApp, StartOptions};
use netassist::model::Settings;
use netassist::view::StoreLimits;

const RECORDS: usize = 100_000;

fn app_with(tabs: usize) -> Harness<'static, NetAssistApp> {
    let options =
        StartOptions { limits: StoreLimits { max_records: RECORDS, max_bytes: usize::MAX }, ..StartOptions::default() };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1100.0, 720.0))
        .build_eframe(move |cc| NetAssistApp::new(cc, options).expect("engine starts"));
    let app = harness.state_mut();
    for _ in 1..tabs {
        app.open_tab(Settings::default(), None);
    }
    let peer = SocketAddr::from(([127, 0, 0, 1], 8000));
    for index in 0..tabs {
        app.select_tab(index);
        let view = &mut app.tab_mut().session.view;
        for i in 0..RECORDS {
            let dir = if i % 2 == 0 { Direction::Tx } else { Direction::Rx };
            view.push_data(
                netassist::ids::ConnId(1),
                dir,
                peer,
                SystemTime::now(),
                Bytes::from(format!("#{i:07} 我是服务器,我已经收到了你的信息!")),
            );
        }
    }
    app.select_tab(0);
    for _ in 0..5 {
        harness.step(); // fonts, atlas and layout settle
    }
    harness
}

fn bench_tabs(c: &mut Criterion) {
    let mut group = c.benchmark_group("window_frame");
    group.sample_size(30);
    for tabs in [1usize, 20] {
        let mut harness = app_with(tabs);
        group.bench_function(BenchmarkId::new("tabs_of_100k_records", tabs), |b| {
            b.iter(|| {
                harness.step();
                black_box(harness.state().active())
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench_tabs);
criterion_main!(benches);
