//! Renders the real app to PNGs in screenshots/ (egui_kittest + wgpu on
//! lavapipe). Only built with `--features screenshots`; run it through
//! `scripts/screenshots.sh`, which installs what it needs.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or bench) fails by panicking
#![cfg(feature = "screenshots")]

mod support;
mod ui_support;

use std::io::Write;
use std::net::{TcpStream, UdpSocket};

use egui_kittest::kittest::Queryable;
use netassist::app::StartOptions;
use netassist::model::LinkState;
use ui_support::{
    LISTEN, OPEN, REPLY_TEXT, REQUEST_TEXT, SERVER, app_harness, app_harness_sized, capturing_client, choose, fill,
    has_text, open_local, step_until,
};

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
    harness.get_by_label("Connect").click();
    step_until(&mut harness, "Connected", |h| matches!(h.state().tab().session.state, LinkState::Connected { .. }));
    fill(&mut harness, "Send data", REQUEST_TEXT);
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the reply", |h| has_text(h, REPLY_TEXT));
    step_until(&mut harness, "the close", |h| has_text(h, "closed the connection"));
    harness.run_steps(4);
    save(&mut harness, "tutorial-tcp-client");

    harness.get_by_label("Text+Hex").click();
    harness.run_steps(4);
    save(&mut harness, "tutorial-text-hex");

    // Find (Ctrl+F): every match highlighted, the selected one stronger.
    harness.key_press_modifiers(eframe::egui::Modifiers::COMMAND, eframe::egui::Key::F);
    harness.run_steps(2);
    fill(&mut harness, &netassist::ui::find_field(), "服务器");
    harness.run_steps(2);
    harness.key_press(eframe::egui::Key::F3);
    step_until(&mut harness, "the count", |h| has_text(h, "1 / 2"));
    harness.run_steps(4);
    save(&mut harness, "find");
}

/// Picks a theme from the View menu (in the window's language).
fn theme(harness: &mut ui_support::AppHarness, menu: &str, item: &str) {
    harness.get_by_label(menu).click();
    harness.run_steps(2);
    harness.get_by_label_contains(item).click();
    harness.run_steps(4);
}

#[test]
fn chinese_tutorial_screenshots() {
    let server = support::spawn_tutorial_server();
    let config = tempfile::tempdir().expect("temp dir");
    let mut options = StartOptions {
        config_dir: Some(config.path().to_path_buf()),
        system_lang: netassist::i18n::Lang::ZhCn,
        ..StartOptions::default()
    };
    options.settings.remote_port = server.addr.port().to_string();
    let mut harness = app_harness(options);
    harness.step();
    theme(&mut harness, "视图", "深色");
    harness.get_by_label("连接").click();
    step_until(&mut harness, "已连接", |h| matches!(h.state().tab().session.state, LinkState::Connected { .. }));
    fill(&mut harness, "发送数据", REQUEST_TEXT);
    harness.get_by_label("发送").click();
    step_until(&mut harness, "the reply", |h| has_text(h, REPLY_TEXT));
    step_until(&mut harness, "the close", |h| has_text(h, "关闭了连接"));
    harness.run_steps(4);
    save(&mut harness, "zh-tutorial-tcp-client");
    theme(&mut harness, "视图", "浅色");
    save(&mut harness, "zh-tutorial-tcp-client-light");
}

#[test]
fn chinese_server_screenshot() {
    let config = tempfile::tempdir().expect("temp dir");
    let options = StartOptions {
        config_dir: Some(config.path().to_path_buf()),
        system_lang: netassist::i18n::Lang::ZhCn,
        ..StartOptions::default()
    };
    let mut harness = app_harness(options);
    harness.step();
    theme(&mut harness, "视图", "浅色");
    choose(&mut harness, "协议类型", "TCP 服务器");
    fill(&mut harness, "本地主机地址", "127.0.0.1");
    fill(&mut harness, "本地端口", "0");
    harness.get_by_label("监听").click();
    step_until(&mut harness, "listening", |h| matches!(h.state().tab().session.state, LinkState::Listening { .. }));
    let LinkState::Listening { local, .. } = harness.state().tab().session.state else { unreachable!() };
    let mut client = TcpStream::connect(local).expect("connect");
    client.write_all(support::REQUEST_GBK).expect("write");
    step_until(&mut harness, "the greeting", |h| has_text(h, REQUEST_TEXT));
    fill(&mut harness, "发送数据", REPLY_TEXT);
    harness.get_by_label("发送").click();
    step_until(&mut harness, "the reply", |h| h.state().tab().session.counters.tx_packets == 1);
    harness.run_steps(4);
    save(&mut harness, "zh-tcp-server");
}

#[test]
fn english_light_screenshot() {
    let server = support::spawn_tutorial_server();
    let config = tempfile::tempdir().expect("temp dir");
    let mut options = StartOptions { config_dir: Some(config.path().to_path_buf()), ..StartOptions::default() };
    options.settings.remote_port = server.addr.port().to_string();
    let mut harness = app_harness(options);
    harness.step();
    theme(&mut harness, "View", "light");
    harness.get_by_label("Connect").click();
    step_until(&mut harness, "Connected", |h| matches!(h.state().tab().session.state, LinkState::Connected { .. }));
    fill(&mut harness, "Send data", REQUEST_TEXT);
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the close", |h| has_text(h, "closed the connection"));
    harness.run_steps(4);
    save(&mut harness, "tutorial-tcp-client-light");
}

#[test]
fn server_with_several_clients_screenshot() {
    let mut harness = app_harness(StartOptions::default());
    harness.step();
    let local = open_local(&mut harness, SERVER, LISTEN);
    let mut clients: Vec<TcpStream> = (0..3).map(|_| TcpStream::connect(local).expect("connect")).collect();
    step_until(&mut harness, "three clients", |h| h.state().tab().session.clients.len() == 3);
    let messages: [&[u8]; 3] =
        [support::REQUEST_GBK, b"device #2: temp=21.5C\r\n", b"\x01\x03\x00\x00\x00\x0a\xc5\xcd"];
    for (client, message) in clients.iter_mut().zip(messages) {
        client.write_all(message).expect("write");
        client.flush().expect("flush");
    }
    step_until(&mut harness, "the messages", |h| has_text(h, "temp=21.5C") && has_text(h, REQUEST_TEXT));
    fill(&mut harness, "Send data", REPLY_TEXT);
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the reply", |h| h.state().tab().session.counters.tx_packets == 3);
    harness.run_steps(4);
    save(&mut harness, "tcp-server-clients");
}

#[test]
fn udp_screenshot() {
    let mut harness = app_harness(StartOptions::default());
    harness.step();
    let local = open_local(&mut harness, "UDP", OPEN);
    let peer = UdpSocket::bind("127.0.0.1:0").expect("bind");
    peer.send_to(support::REQUEST_GBK, local).expect("send");
    peer.send_to(b"\x01\x03\x00\x00\x00\x0a\xc5\xcd", local).expect("send");
    step_until(&mut harness, "two datagrams", |h| h.state().tab().session.counters.rx_packets == 2);
    harness.get_by_label("Reply to last sender").click();
    harness.get_by_label("as hex").click();
    fill(&mut harness, "Send data", "01 03 14 00 01 00 02");
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the reply", |h| h.state().tab().session.counters.tx_packets == 1);
    harness.get_by_label("Text+Hex").click();
    harness.run_steps(4);
    save(&mut harness, "udp");
}

#[test]
fn send_toolkit_screenshot() {
    use std::io::Read;
    // A Modbus-like device: answers every request with a register frame (CRC included).
    let device = support::LoopbackServer::spawn(|mut stream| {
        let mut buf = [0u8; 256];
        while let Ok(n) = stream.read(&mut buf) {
            if n == 0 || stream.write_all(b"\x01\x03\x04\x00\xd7\x01\x90\x5a\x4c").is_err() {
                break;
            }
        }
    });
    let config = tempfile::tempdir().expect("temp dir");
    let mut options = StartOptions { config_dir: Some(config.path().to_path_buf()), ..StartOptions::default() };
    options.settings.remote_port = device.addr.port().to_string();
    let mut harness = app_harness_sized(options, eframe::egui::vec2(1280.0, 800.0));
    harness.step();
    harness.get_by_label("Connect").click();
    step_until(&mut harness, "Connected", |h| matches!(h.state().tab().session.state, LinkState::Connected { .. }));
    harness.get_by_label("as hex").click();
    harness.step();
    choose(&mut harness, "Checksum", "CRC-16/MODBUS");
    fill(&mut harness, "Send data", "01 03 00 00 00 02");
    fill(&mut harness, &netassist::ui::preset_name_field(), "read 2 registers");
    harness.get_by_label("Add from send box").click();
    harness.run_steps(2);
    fill(&mut harness, "Send data", "01 06 00 01 00 2A");
    fill(&mut harness, &netassist::ui::preset_name_field(), "write setpoint 42");
    harness.get_by_label("Add from send box").click();
    harness.run_steps(2);
    harness.get_by_label("read 2 registers").click();
    step_until(&mut harness, "the device's answer", |h| h.state().tab().session.counters.rx_packets >= 1);
    harness.get_by_label("Save as…").click();
    harness.step();
    fill(&mut harness, &netassist::ui::name_field(), "PLC bench");
    harness.get_by_label("OK").click();
    harness.run_steps(2);
    harness.get_by_label("Text+Hex").click();
    fill(&mut harness, "Send data", "01 03 00 00 00 0A");
    harness.run_steps(4);
    save(&mut harness, "send-toolkit");

    harness.get_by_label("Rules…").click();
    harness.run_steps(2);
    harness.get_by_label(&netassist::ui::add_rule()).click();
    harness.run_steps(4);
    harness.get_by_label(&netassist::ui::add_rule()).click();
    harness.run_steps(4);
    fill(&mut harness, "Rule 1 name", "ping");
    fill(&mut harness, "Rule 1 pattern", "PING\\r\\n");
    fill(&mut harness, "Rule 1 reply", "PONG\\r\\n");
    fill(&mut harness, "Rule 2 name", "modbus read");
    choose(&mut harness, "Rule 2 match", "contains hex");
    fill(&mut harness, "Rule 2 pattern", "01 03");
    choose(&mut harness, "Rule 2 reply kind", "hex");
    fill(&mut harness, "Rule 2 reply", "01 03 04 00 D7 01 90");
    choose(&mut harness, "Rule 2 checksum", "CRC-16/MODBUS");
    harness.run_steps(4);
    save(&mut harness, "auto-reply-rules");
}

#[test]
fn capture_viewer_screenshot() {
    let server = support::spawn_tutorial_server();
    let data = tempfile::tempdir().expect("temp dir");
    let options = capturing_client(data.path(), server.addr.port());
    let mut harness = app_harness_sized(options, eframe::egui::vec2(1280.0, 800.0));
    step_until(&mut harness, "Connected", |h| matches!(h.state().tab().session.state, LinkState::Connected { .. }));
    fill(&mut harness, "Send data", REQUEST_TEXT);
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the capture", |h| {
        matches!(h.state().tab().session.capture, netassist::model::CaptureState::Stopped { .. })
    });
    let path = match &harness.state().tab().session.capture {
        netassist::model::CaptureState::Stopped { path, .. } => path.clone(),
        _ => unreachable!(),
    };
    harness.state_mut().tab_mut().open_capture_file(&path).expect("opens");
    harness.get_by_label("Text+Hex").click();
    harness.run_steps(4);
    save(&mut harness, "capture-viewer");
}

#[test]
fn two_tabs_side_by_side_screenshot() {
    let server = support::spawn_tutorial_server();
    let mut harness = app_harness_sized(StartOptions::default(), eframe::egui::vec2(1366.0, 720.0));
    harness.step();
    // Tab 1 plays the tutorial's server for its client.
    let local = open_local(&mut harness, SERVER, LISTEN);
    let client = support::tutorial_client(local);
    step_until(&mut harness, "the tutorial client's greeting", |h| has_text(h, REQUEST_TEXT));
    fill(&mut harness, "Send data", REPLY_TEXT);
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the reply sent", |h| h.state().tab().session.counters.tx_packets == 1);
    client.join().expect("client thread").expect("the tutorial client got its reply");
    // Tab 2 plays the tutorial's client for its server.
    let settings = netassist::model::Settings { remote_port: server.addr.port().to_string(), ..Default::default() };
    harness.state_mut().open_tab(settings, None);
    harness.state_mut().connect();
    step_until(&mut harness, "Connected", |h| matches!(h.state().tab().session.state, LinkState::Connected { .. }));
    fill(&mut harness, "Send data", REQUEST_TEXT);
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the reply", |h| h.state().tab().session.view.to_text().contains(REPLY_TEXT));
    harness.state_mut().show_beside(Some(0));
    harness.run_steps(6);
    save(&mut harness, "two-tabs-side-by-side");
}

#[test]
fn statistics_screenshot() {
    let echo = support::spawn_echo_server();
    let mut options = StartOptions::default();
    options.settings.remote_port = echo.addr.port().to_string();
    options.connect = true;
    let mut harness = app_harness_sized(options, eframe::egui::vec2(1280.0, 800.0));
    step_until(&mut harness, "Connected", |h| matches!(h.state().tab().session.state, LinkState::Connected { .. }));
    for i in 1..=20u64 {
        fill(&mut harness, "Send data", &format!("ping {i}"));
        harness.get_by_label("Send").click();
        step_until(&mut harness, "the echo", |h| h.state().tab().session.counters.rx_packets == i);
    }
    harness.get_by_label("View").click();
    harness.run_steps(2);
    harness.get_by_label("Statistics…").click();
    harness.run_steps(6);
    save(&mut harness, "statistics");
}

#[test]
fn chinese_no_file_dialog_screenshot() {
    let config = tempfile::tempdir().expect("temp dir");
    let options = StartOptions {
        config_dir: Some(config.path().to_path_buf()),
        data_dir: Some(std::path::PathBuf::from("/home/学生/.local/share/netassist")),
        system_lang: netassist::i18n::Lang::ZhCn,
        ..StartOptions::default()
    };
    let mut harness = app_harness(options);
    harness.step();
    theme(&mut harness, "视图", "浅色");
    // What a desktop without a portal or zenity leads to (shown directly,
    // so a machine that has a dialog renders the same picture).
    harness.state_mut().tab_mut().prompt_for_path(netassist::model::FilePurpose::SaveView);
    harness.run_steps(2);
    harness.state_mut().tab_mut().path_prompt.as_mut().expect("the field").text =
        "/home/学生/没有这个目录/接收.txt".to_owned();
    harness.get_by_label("保存到此文件").click();
    step_until(&mut harness, "the refusal", |h| has_text(h, "无法保存"));
    harness.run_steps(4);
    save(&mut harness, "zh-no-file-dialog");
}
