//! The statistics window after a scripted exchange with an echo server on
//! 127.0.0.1: the round trips are counted, their values plausible, the
//! rates plotted; the text copies; nothing sleeps.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
mod ui_support;

use egui_kittest::kittest::Queryable;
use netassist::app::StartOptions;
use ui_support::*;

#[test]
fn round_trips_of_a_scripted_exchange_show_in_the_statistics() {
    let echo = support::spawn_echo_server();
    let mut harness = connected_harness(echo.addr.port());
    for i in 1..=5u64 {
        send_text(&mut harness, &format!("ping {i}"));
        step_until(&mut harness, "the echo", |h| h.state().tab().session.counters.rx_packets == i);
    }
    harness.get_by_label("View").click();
    harness.run_steps(2);
    harness.get_by_label("Statistics…").click();
    harness.run_steps(3);
    assert!(harness.state().stats.open);
    let summary = harness.state().tab().session.stats.round_trips.summary();
    assert_eq!(summary.count, 5, "{summary:?}");
    assert!(summary.min_ms > 0.0 && summary.min_ms <= summary.median_ms, "{summary:?}");
    assert!(summary.median_ms <= summary.p95_ms && summary.p95_ms <= summary.max_ms, "{summary:?}");
    assert!(summary.max_ms < 15_000.0, "within the test's patience: {summary:?}");
    assert!(has_text(&harness, "Round trips: 5"), "the window says so");
    let second = harness
        .state_mut()
        .tab_mut()
        .session
        .stats
        .tab
        .last(netassist::model::stats::epoch_second(std::time::SystemTime::now()), 60);
    let rx: u64 = second.iter().map(|(_, s)| s.rx_bytes).sum();
    assert_eq!(rx, harness.state().tab().session.counters.rx_bytes, "the plotted bytes are the bytes received");
    harness.get_by_label("Copy statistics").click();
    harness.run_steps(1);
}

#[test]
fn the_statistics_window_speaks_chinese() {
    let options = StartOptions { system_lang: netassist::i18n::Lang::ZhCn, ..StartOptions::default() };
    let mut harness = app_harness(options);
    harness.get_by_label("视图").click();
    harness.run_steps(2);
    harness.get_by_label("统计…").click();
    harness.run_steps(3);
    assert!(has_text(&harness, "往返时间：暂无"));
    assert!(harness.query_by_label("复制统计").is_some());
}
