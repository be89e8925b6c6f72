//! Renders the real app to PNGs in screenshots/ (egui_kittest + wgpu on
//! lavapipe). Only built with `--features screenshots`; run it through
//! `scripts/screenshots.sh`, which installs what it needs.
#![cfg(feature = "screenshots")]

mod support;
mod ui_support;

use egui_kittest::kittest::Queryable;
use netassist::app::{LinkState, StartOptions};
use ui_support::{REPLY_TEXT, REQUEST_TEXT, app_harness, fill, has_text, step_until};

fn save(harness: &mut ui_support::AppHarness, name: &str) {
    harness.set_render_cursor(false);
    let image = harness.render().expect("render");
    let path = format!("{}/screenshots/{name}.png", env!("CARGO_MANIFEST_DIR"));
    image.save(&path).expect("save screenshot");
    println!("wrote {path}");
}

#[test]
fn tutorial_exchange_screenshots() {
    let server = support::spawn_tutorial_server();
    let mut options = StartOptions::default();
    options.settings.remote_port = server.addr.port().to_string();
    let mut harness = app_harness(options);
    harness.step();
    harness.get_by_label("Connect / 连接").click();
    step_until(&mut harness, "Connected", |h| matches!(h.state().session.state, LinkState::Connected { .. }));
    fill(&mut harness, "Send data", REQUEST_TEXT);
    harness.get_by_label("Send / 发送").click();
    step_until(&mut harness, "the reply", |h| has_text(h, REPLY_TEXT));
    step_until(&mut harness, "the close", |h| has_text(h, "closed the connection"));
    harness.run_steps(4);
    save(&mut harness, "tutorial-tcp-client");

    harness.get_by_label("Text+Hex").click();
    harness.run_steps(4);
    save(&mut harness, "tutorial-text-hex");
}
