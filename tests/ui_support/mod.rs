//! Helpers for driving the real app through egui_kittest: build it, step
//! until a condition holds (never sleep), fill a field as a person would.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers fail the test by panicking
#![allow(dead_code)]

use std::time::{Duration, Instant};

use eframe::egui::accesskit::Role;
use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::net::SocketAddr;

use netassist::app::{NetAssistApp, StartOptions};
use netassist::model::LinkState;

/// The tutorial client's message.
pub const REQUEST_TEXT: &str = "你好服务器,我是客户端";
/// The tutorial server's reply.
pub const REPLY_TEXT: &str = "我是服务器,我已经收到了你的信息!";

/// The harness type for the whole app.
pub type AppHarness = Harness<'static, NetAssistApp>;

/// The real app, with a real engine, in a 1100×720 harness.
pub fn app_harness(options: StartOptions) -> AppHarness {
    app_harness_sized(options, egui::vec2(1100.0, 720.0))
}

/// The real app in a harness of `size` points.
pub fn app_harness_sized(options: StartOptions, size: egui::Vec2) -> AppHarness {
    Harness::builder().with_size(size).build_eframe(move |cc| NetAssistApp::new(cc, options).expect("engine starts"))
}

/// [`app_harness`], drawing a box ("tofu") for a character no font has,
/// as the real app does, instead of failing the test (the harness's default).
pub fn app_harness_with_tofu(options: StartOptions) -> AppHarness {
    Harness::builder()
        .with_size(egui::vec2(1100.0, 720.0))
        .allow_missing_glyphs()
        .build_eframe(move |cc| NetAssistApp::new(cc, options).expect("engine starts"))
}

/// Steps frames until `done` holds, failing after a generous timeout. Each
/// step runs a frame, which drains whatever the engine has sent.
pub fn step_until(harness: &mut AppHarness, what: &str, mut done: impl FnMut(&AppHarness) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !done(harness) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        harness.step();
    }
}

/// [`step_until`] with a timeout of the caller's (for floods whose size is chosen at run time).
pub fn step_until_within(
    harness: &mut AppHarness,
    what: &str,
    timeout: Duration,
    mut done: impl FnMut(&AppHarness) -> bool,
) {
    let deadline = Instant::now() + timeout;
    while !done(harness) {
        assert!(Instant::now() < deadline, "timed out after {timeout:?} waiting for {what}");
        harness.step();
    }
}

/// Replaces the text of the field labelled `label`: click, select all, type.
pub fn fill(harness: &mut AppHarness, label: &str, text: &str) {
    harness.get_by_label(label).click();
    harness.step();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.step();
    harness.get_by_label(label).type_text(text);
    harness.step();
}

/// Empties the field labelled `label`: click, select all, delete.
pub fn clear_field(harness: &mut AppHarness, label: &str) {
    harness.get_by_label(label).click();
    harness.step();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.step();
    harness.key_press(Key::Backspace);
    harness.step();
}

/// Picks `option` in the combo box labelled `combo`.
pub fn choose(harness: &mut AppHarness, combo: &str, option: &str) {
    harness.get_by_label(combo).click();
    harness.run_steps(3);
    harness.get_by_role(Role::ListBox).get_by_label(option).click();
    harness.run_steps(3);
}

/// Whether any widget's text contains `text`.
pub fn has_text(harness: &AppHarness, text: &str) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}

/// The app, already connected (through `--connect`-style start options) to
/// a TCP server on 127.0.0.1:`port`.
pub fn connected_harness(port: u16) -> AppHarness {
    let mut options = StartOptions::default();
    options.settings.remote_port = port.to_string();
    options.connect = true;
    let mut harness = app_harness(options);
    step_until(&mut harness, "Connected", |h| matches!(h.state().tab().session.state, LinkState::Connected { .. }));
    harness
}

/// Start options of a TCP client to 127.0.0.1:`port` that connects at once
/// and captures every byte into `data_dir`.
pub fn capturing_client(data_dir: &std::path::Path, port: u16) -> StartOptions {
    let mut options = StartOptions { data_dir: Some(data_dir.to_path_buf()), connect: true, ..StartOptions::default() };
    options.settings.remote_port = port.to_string();
    options.settings.capture = true;
    options
}

/// Picks `protocol` in the UI, binds 127.0.0.1 on any port, presses the
/// open button (`button`: Listen or Open), and returns the bound address.
pub fn open_local(harness: &mut AppHarness, protocol: &str, button: &str) -> SocketAddr {
    choose(harness, "Protocol", protocol);
    fill(harness, "Local address", "127.0.0.1");
    fill(harness, "Local port", "0");
    harness.get_by_label(button).click();
    step_until(harness, "the socket to open", |h| {
        matches!(h.state().tab().session.state, LinkState::Listening { .. } | LinkState::UdpOpen { .. })
    });
    match harness.state().tab().session.state {
        LinkState::Listening { local, .. } | LinkState::UdpOpen { local, .. } => local,
        _ => unreachable!("checked above"),
    }
}

/// The TCP server mode's label in the protocol selector.
pub const SERVER: &str = "TCP server";
/// The server mode's open button.
pub const LISTEN: &str = "Listen";
/// The UDP mode's open button.
pub const OPEN: &str = "Open";

/// The TCP client mode's label in the protocol selector.
pub const CLIENT: &str = "TCP client";
/// The TCP client mode's open button.
pub const CONNECT: &str = "Connect";
/// The send button.
pub const SEND: &str = "Send";

/// Types `text` into the send box and presses Send, then runs a frame.
pub fn send_text(harness: &mut AppHarness, text: &str) {
    fill(harness, "Send data", text);
    // The preview line above the button follows the text a frame later:
    // let the layout settle, so the click lands where the button is.
    let mut before = harness.get_by_label(SEND).rect();
    for _ in 0..10 {
        harness.step();
        let now = harness.get_by_label(SEND).rect();
        if now == before {
            break;
        }
        before = now;
    }
    harness.get_by_label(SEND).click();
    harness.step();
}

/// Proves the app still works after a fault: waits until it is idle, then,
/// as a TCP client, connects to a fresh echo server on 127.0.0.1, sends a
/// line, sees the echo in the view, and disconnects.
pub fn assert_still_works(harness: &mut AppHarness) {
    step_until(harness, "the app to be idle", |h| h.state().tab().session.state == LinkState::Idle);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let port = listener.local_addr().expect("addr").port();
    let echo = std::thread::Builder::new()
        .name("still-works-echo".to_owned())
        .spawn(move || {
            if let Ok((stream, _)) = listener.accept()
                && let Ok(mut reader) = stream.try_clone()
            {
                let mut writer = stream;
                let _ = std::io::copy(&mut reader, &mut writer);
            }
        })
        .expect("spawn the echo thread");
    if harness.state().tab().settings.protocol != netassist::model::Protocol::TcpClient {
        choose(harness, "Protocol", CLIENT);
    }
    if harness.state().tab().settings.view_mode != netassist::view::ViewMode::Text {
        harness.get_by_label("Text").click();
        harness.step();
    }
    fill(harness, "Remote host", "127.0.0.1");
    fill(harness, "Remote port", &port.to_string());
    harness.get_by_label(CONNECT).click();
    step_until(
        harness,
        "Connected to the echo server",
        |h| matches!(h.state().tab().session.state, LinkState::Connected { peer, .. } if peer.port() == port),
    );
    let probe = format!("still alive after the fault ({port})");
    let rx_before = harness.state().tab().session.counters.rx_bytes;
    send_text(harness, &probe);
    // In the view, not just counted: a framing that waits for a line break shows it a moment later.
    let rx = format!("RX ← 127.0.0.1:{port}");
    let echoed = |h: &AppHarness| {
        h.state().tab().session.counters.rx_bytes >= rx_before + probe.len() as u64 && {
            let text = h.state().tab().session.view.to_text();
            text.rfind(&rx).is_some_and(|at| text[at..].contains(&probe))
        }
    };
    let deadline = Instant::now() + Duration::from_secs(15);
    while !echoed(harness) {
        let app = harness.state();
        assert!(
            Instant::now() < deadline,
            "no echo of {probe:?}; send box {:?}, send error {:?}; the view: {}",
            app.tab().send_text,
            app.tab().send_problem(),
            app.tab().session.view.to_text()
        );
        harness.step();
    }
    harness.get_by_label("Disconnect").click();
    step_until(harness, "the disconnect", |h| h.state().tab().session.state == LinkState::Idle);
    echo.join().expect("echo thread");
}

/// Saves the settings on screen as a new profile called `name` through the
/// Save as… dialog.
pub fn save_as(harness: &mut AppHarness, name: &str) {
    harness.get_by_label("Save as…").click();
    harness.step();
    fill(harness, &netassist::ui::name_field(), name);
    harness.get_by_label("OK").click();
    harness.run_steps(2);
}

/// Waits until the running capture has stopped and returns its file.
pub fn saved_capture(harness: &mut AppHarness) -> std::path::PathBuf {
    step_until(harness, "the capture to be saved", |h| {
        matches!(h.state().tab().session.capture, netassist::model::CaptureState::Stopped { .. })
    });
    match &harness.state().tab().session.capture {
        netassist::model::CaptureState::Stopped { path, .. } => path.clone(),
        other => unreachable!("{other:?}"),
    }
}

/// Steps frames until the chunks a forwarding server received
/// (`support::spawn_forwarding_server`) add up to `len` bytes, and returns
/// them (frames take the engine's events meanwhile, as the window does).
pub fn received_at_server(
    harness: &mut AppHarness,
    chunks: &std::sync::mpsc::Receiver<Vec<u8>>,
    len: usize,
) -> Vec<u8> {
    let mut got = Vec::new();
    step_until(harness, "the whole file at the server", |_| {
        while let Ok(chunk) = chunks.try_recv() {
            got.extend_from_slice(&chunk);
        }
        got.len() >= len
    });
    got
}

/// The app listening as a TCP server on 127.0.0.1 with room for `clients`
/// clients, the descriptor limit raised for them and their peers in this
/// process; returns it and the address it listens on.
pub fn server_for_clients(clients: usize) -> (AppHarness, SocketAddr) {
    let limit = rlimit::increase_nofile_limit(u64::MAX).unwrap_or(0);
    assert!(limit >= 2 * clients as u64 + 200, "RLIMIT_NOFILE {limit} is too low for {clients} loopback clients");
    let mut options = StartOptions::default();
    options.settings.max_clients = u32::try_from(2 * clients).expect("a client count");
    let mut harness = app_harness(options);
    harness.step();
    let addr = open_local(&mut harness, SERVER, LISTEN);
    (harness, addr)
}
