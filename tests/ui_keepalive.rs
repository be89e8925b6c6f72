//! The keepalive interval in the window (issue 18, item 10): shown for the
//! TCP client and server, 60 s by default, saved in the profile.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or bench) fails by panicking

mod support;
mod ui_support;

use egui_kittest::kittest::Queryable;
use netassist::app::StartOptions;
use ui_support::{app_harness, choose};

#[test]
fn the_keepalive_interval_is_shown_for_tcp_and_defaults_to_sixty_seconds() {
    let mut harness = app_harness(StartOptions::default());
    harness.step();
    assert_eq!(harness.get_by_label("Keepalive").value().as_deref(), Some("60 s"));
    choose(&mut harness, "Protocol", "TCP server");
    assert_eq!(harness.get_by_label("Keepalive").value().as_deref(), Some("60 s"));
    assert_eq!(harness.state().tab().settings.keepalive_secs, 60);
}
