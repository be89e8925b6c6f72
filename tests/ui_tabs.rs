//! Several sessions in tabs, through the real window and the real engine on
//! 127.0.0.1: opening, switching, closing (asking first when busy),
//! background traffic, a flood beside an exchange, the workspace across a
//! restart, and `--profile A --profile B --connect`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or bench) fails by panicking

mod support;
mod ui_support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use eframe::egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use netassist::app::StartOptions;
use netassist::model::{LinkState, Protocol, Settings, to_profile};
use netassist::profile::{ProfileStore, ProfilesFile};
use ui_support::{LISTEN, SERVER, app_harness, has_text, open_local, send_text, step_until, step_until_within};

fn press(harness: &mut ui_support::AppHarness, modifiers: Modifiers, key: Key) {
    harness.key_press_modifiers(modifiers, key);
    harness.run_steps(2);
}

#[test]
fn tabs_open_switch_and_close_asking_first_when_busy() {
    let mut harness = app_harness(StartOptions::default());
    let addr = open_local(&mut harness, SERVER, LISTEN);
    press(&mut harness, Modifiers::COMMAND, Key::T);
    assert_eq!(harness.state().tabs().len(), 2, "Ctrl+T opens a tab");
    assert_eq!(harness.state().active(), 1, "and brings it into view");
    assert_eq!(harness.state().tab().session.state, LinkState::Idle, "a new tab starts from the defaults");
    press(&mut harness, Modifiers::CTRL, Key::Tab);
    assert_eq!(harness.state().active(), 0, "Ctrl+Tab wraps to the first");
    press(&mut harness, Modifiers::CTRL | Modifiers::SHIFT, Key::Tab);
    assert_eq!(harness.state().active(), 1, "Ctrl+Shift+Tab goes back");
    harness.state_mut().select_tab(0);
    harness.run_steps(2);

    press(&mut harness, Modifiers::COMMAND, Key::W);
    assert!(has_text(&harness, "Close tab?"), "a listening tab asks first");
    harness.get_by_label("Keep it").click();
    harness.run_steps(2);
    assert_eq!(harness.state().tabs().len(), 2, "kept");
    assert!(matches!(harness.state().tabs()[0].session.state, LinkState::Listening { .. }));

    press(&mut harness, Modifiers::COMMAND, Key::W);
    harness.get_by_label("Close tab").click();
    harness.run_steps(2);
    assert_eq!(harness.state().tabs().len(), 1, "closed");
    step_until(&mut harness, "the server to stop listening", |_| TcpStream::connect(addr).is_err());

    press(&mut harness, Modifiers::COMMAND, Key::W);
    assert_eq!(
        harness.state().tabs().len(),
        1,
        "an idle last tab closes without asking and a fresh one takes its place"
    );
    assert!(!has_text(&harness, "Close tab?"));
}

#[test]
fn background_traffic_is_counted_and_marked_while_hidden() {
    let mut harness = app_harness(StartOptions::default());
    let addr = open_local(&mut harness, SERVER, LISTEN);
    press(&mut harness, Modifiers::COMMAND, Key::T);
    assert_eq!(harness.state().active(), 1);
    let mut client = TcpStream::connect(addr).expect("connects");
    client.write_all("后台的数据".as_bytes()).expect("writes");
    step_until(&mut harness, "the hidden tab to count it", |h| h.state().tabs()[0].session.counters.rx_bytes == 15);
    assert!(harness.state().tabs()[0].unread, "marked for the tab bar");
    assert!(!harness.state().tabs()[1].unread);
    assert_eq!(harness.state().tab().session.counters.rx_bytes, 0, "the tab in view saw none of it");
    harness.state_mut().select_tab(0);
    harness.run_steps(2);
    assert!(!harness.state().tab().unread, "seen");
}

#[test]
fn a_flood_in_one_tab_leaves_an_exchange_in_another_whole() {
    let echo = support::spawn_echo_server();
    let mut harness = app_harness(StartOptions::default());
    let addr = open_local(&mut harness, SERVER, LISTEN);
    let flood_bytes: usize = 8 << 20;
    let flood = std::thread::Builder::new()
        .name("flood".to_owned())
        .spawn(move || {
            let mut stream = TcpStream::connect(addr).expect("connects");
            let chunk = vec![b'x'; 64 << 10];
            for _ in 0..flood_bytes / chunk.len() {
                stream.write_all(&chunk).expect("floods");
            }
            stream.shutdown(std::net::Shutdown::Write).ok();
            let _ = stream.read(&mut [0; 1]);
        })
        .expect("thread");
    let settings = Settings { remote_port: echo.addr.port().to_string(), ..Settings::default() };
    harness.state_mut().open_tab(settings, None);
    harness.state_mut().connect();
    step_until(&mut harness, "the second tab to connect", |h| {
        matches!(h.state().tab().session.state, LinkState::Connected { .. })
    });
    for n in 0..5 {
        send_text(&mut harness, &format!("ping {n}"));
        step_until(&mut harness, "the echo", |h| h.state().tab().session.counters.rx_bytes == 6 * (n + 1));
    }
    step_until_within(&mut harness, "the flood to be counted", Duration::from_mins(1), |h| {
        h.state().tabs()[0].session.counters.rx_bytes == flood_bytes as u64
    });
    flood.join().expect("flood thread");
    let exchange = &harness.state().tabs()[1].session;
    assert_eq!(exchange.view.elided_bytes(), 0, "no reply of the exchange was elided for the flood");
    let text = exchange.view.to_text();
    for n in 0..5 {
        assert_eq!(text.matches(&format!("ping {n}")).count(), 2, "sent and echoed, both shown:\n{text}");
    }
}

#[test]
fn the_workspace_comes_back_after_a_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let options =
        || StartOptions { config_dir: Some(dir.path().to_path_buf()), restore_last: true, ..StartOptions::default() };
    {
        let mut harness = app_harness(options());
        let udp = Settings { protocol: Protocol::Udp, udp_port: "9123".to_owned(), ..Settings::default() };
        harness.state_mut().open_tab(udp, None);
        harness.state_mut().rename_tab(1, "device");
        let server = Settings { protocol: Protocol::TcpServer, ..Settings::default() };
        harness.state_mut().open_tab(server, None);
        harness.state_mut().move_tab(2, 0);
        harness.state_mut().select_tab(2);
        harness.run_steps(2);
        let app = harness.state_mut();
        app.remember_workspace();
        app.profiles.flush();
    }
    let harness = app_harness(options());
    let app = harness.state();
    let titles: Vec<String> = app.tabs().iter().map(netassist::app::SessionTab::title).collect();
    assert_eq!(titles.len(), 3, "{titles:?}");
    assert_eq!(app.tabs()[0].settings.protocol, Protocol::TcpServer, "in their order");
    assert_eq!(titles[2], "device", "with their names");
    assert_eq!(app.tabs()[2].settings.udp_port, "9123", "and their settings");
    assert_eq!(app.active(), 2, "the same tab in view");
}

#[test]
fn two_profiles_on_the_command_line_give_a_server_and_its_client() {
    let dir = tempfile::tempdir().expect("temp dir");
    let port = support::free_port();
    let server = Settings {
        protocol: Protocol::TcpServer,
        bind_host: "127.0.0.1".to_owned(),
        listen_port: port.to_string(),
        ..Settings::default()
    };
    let client = Settings { remote_port: port.to_string(), ..Settings::default() };
    let mut file = ProfilesFile::default();
    file.upsert(to_profile("srv", &server)).expect("srv");
    file.upsert(to_profile("cli", &client)).expect("cli");
    ProfileStore::open(dir.path()).store.save(&file).expect("saved");

    let options = StartOptions {
        config_dir: Some(dir.path().to_path_buf()),
        profiles: vec!["srv".to_owned(), "nope".to_owned(), "cli".to_owned()],
        connect: true,
        ..StartOptions::default()
    };
    let mut harness = app_harness(options);
    assert_eq!(harness.state().tabs().len(), 2, "the known profiles open, a tab each");
    assert!(has_text(&harness, "No profile named \"nope\""), "the unknown one is said in the window");
    step_until(&mut harness, "one process that listens and is connected", |h| {
        let tabs = h.state().tabs();
        matches!(tabs[1].session.state, LinkState::Connected { .. }) && tabs[0].session.clients.len() == 1
    });
    assert_eq!(harness.state().tabs()[0].profile_name(), Some("srv"));
    assert_eq!(harness.state().tabs()[1].profile_name(), Some("cli"));
}

#[test]
fn a_save_over_another_tabs_save_asks_first() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut file = ProfilesFile::default();
    file.upsert(to_profile("plc", &Settings::default())).expect("plc");
    ProfileStore::open(dir.path()).store.save(&file).expect("saved");
    let options = StartOptions {
        config_dir: Some(dir.path().to_path_buf()),
        profiles: vec!["plc".to_owned()],
        ..StartOptions::default()
    };
    let mut harness = app_harness(options);
    harness.state_mut().open_profile_tab("plc");
    harness.state_mut().tab_mut().settings.remote_port = "502".to_owned();
    harness.state_mut().apply_profile_intent(netassist::ui::ProfileIntent::Save);
    harness.state_mut().select_tab(0);
    harness.state_mut().tab_mut().settings.remote_port = "503".to_owned();
    harness.state_mut().apply_profile_intent(netassist::ui::ProfileIntent::Save);
    harness.run_steps(2);
    assert!(has_text(&harness, "Another tab saved \"plc\""), "the first tab is asked before overwriting");
    harness.get_by_label("Yes, overwrite").click();
    harness.run_steps(2);
    harness.state().profiles.wait_saved();
    let stored = ProfileStore::open(dir.path()).file;
    assert_eq!(stored.get("plc").map(|p| p.remote_port.as_str()), Some("503"));
}

#[test]
fn each_tab_answers_with_its_own_auto_reply_rules() {
    use netassist::model::{AutoReplySpec, MatchKind};
    let mut harness = app_harness(StartOptions::default());
    let server = |reply: &str| Settings {
        protocol: Protocol::TcpServer,
        bind_host: "127.0.0.1".to_owned(),
        listen_port: "0".to_owned(),
        auto_reply: true,
        auto_replies: vec![AutoReplySpec {
            name: reply.to_owned(),
            match_kind: MatchKind::Contains,
            pattern: "ping".to_owned(),
            reply: reply.to_owned(),
            ..AutoReplySpec::default()
        }],
        ..Settings::default()
    };
    harness.state_mut().tab_mut().use_settings(server("from A"));
    harness.state_mut().connect();
    harness.state_mut().open_tab(server("from B"), None);
    harness.state_mut().connect();
    step_until(&mut harness, "both servers to listen", |h| {
        h.state().tabs().iter().all(|t| matches!(t.session.state, LinkState::Listening { .. }))
    });
    let addr = |h: &ui_support::AppHarness, i: usize| match h.state().tabs()[i].session.state {
        LinkState::Listening { local, .. } => local,
        _ => unreachable!("listening"),
    };
    for (index, expected) in [(0, "from A"), (1, "from B")] {
        let mut client = TcpStream::connect(addr(&harness, index)).expect("connects");
        client.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
        client.write_all(b"ping").expect("writes");
        let mut reply = vec![0; expected.len()];
        // The app answers on its engine thread; the window need not even draw.
        let reader = std::thread::Builder::new()
            .name("auto-reply-reader".to_owned())
            .spawn(move || client.read_exact(&mut reply).map(|()| reply))
            .expect("thread");
        step_until(&mut harness, "the reply", |_| reader.is_finished());
        let reply = reader.join().expect("reader").expect("a reply");
        assert_eq!(String::from_utf8_lossy(&reply), expected, "tab {index} answers with its own rule");
    }
}

#[test]
fn one_capture_runs_at_a_time_and_a_second_tab_is_told_why_not() {
    let data = tempfile::tempdir().expect("temp dir");
    let options = StartOptions { data_dir: Some(data.path().to_path_buf()), ..StartOptions::default() };
    let mut harness = app_harness(options);
    let server = |port: &str| Settings {
        protocol: Protocol::TcpServer,
        bind_host: "127.0.0.1".to_owned(),
        listen_port: port.to_owned(),
        capture: true,
        ..Settings::default()
    };
    harness.state_mut().tab_mut().use_settings(server("0"));
    harness.state_mut().connect();
    step_until(&mut harness, "the first tab's capture", |h| {
        matches!(h.state().tabs()[0].session.capture, netassist::model::CaptureState::Running { .. })
    });
    harness.state_mut().open_tab(server("0"), None);
    harness.state_mut().connect();
    harness.run_steps(2);
    assert!(has_text(&harness, "one capture runs at a time"), "the second tab says why it does not capture");
    assert!(!harness.state().tab().settings.capture, "and its switch is off");
    assert!(
        matches!(harness.state().tabs()[0].session.capture, netassist::model::CaptureState::Running { .. }),
        "the first tab's capture goes on"
    );
}
