//! Cost of the statistics window in a frame: the whole window drawn with
//! the window closed against open, its plots full (10 minutes of traffic
//! every second, 60 server clients, 100,000 round trips). Target: the open
//! window adds < 1 ms a frame.
//!
//! Run: `cargo bench --bench stats`
#![allow(clippy::unwrap_used, clippy::expect_used)] // a bench fails by panicking
#![allow(missing_docs)] // criterion_group! makes an undocumented pub fn

use std::net::SocketAddr;
use std::time::{Duration, SystemTime};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use eframe::egui;
use egui_kittest::Harness;
use netassist::app::{NetAssistApp, StartOptions};
use netassist::ids::{ConnId, Direction};

fn app(open: bool) -> Harness<'static, NetAssistApp> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1100.0, 720.0))
        .build_eframe(move |cc| NetAssistApp::new(cc, StartOptions::default()).expect("engine starts"));
    let app = harness.state_mut();
    let stats = &mut app.tab_mut().session.stats;
    let peer = SocketAddr::from(([127, 0, 0, 1], 8000));
    let now = SystemTime::now();
    for back in 0..600u64 {
        let at = now - Duration::from_secs(back);
        for conn in 0..60u64 {
            stats.count(ConnId(conn), Direction::Tx, peer, at, 100, false);
            stats.count(ConnId(conn), Direction::Rx, peer, at + Duration::from_micros(50 + back), 200, false);
        }
    }
    for i in 0..100_000u64 {
        let at = now - Duration::from_millis(i);
        stats.count(ConnId(1000), Direction::Tx, peer, at, 1, false);
        stats.count(ConnId(1000), Direction::Rx, peer, at + Duration::from_micros(100 + i % 5000), 1, false);
    }
    app.stats.open = open;
    for _ in 0..5 {
        harness.step();
    }
    harness
}

fn bench_stats(c: &mut Criterion) {
    let mut group = c.benchmark_group("stats_window_frame");
    group.sample_size(30);
    for open in [false, true] {
        let mut harness = app(open);
        let name = if open { "open" } else { "closed" };
        group.bench_with_input(BenchmarkId::from_parameter(name), &open, |b, _| b.iter(|| harness.step()));
    }
    group.finish();
}

criterion_group!(benches, bench_stats);
criterion_main!(benches);
