//! The sequence panel through the real UI: steps run on the tab's own
//! connection to a loopback peer, each shown passed or failed; the steps are
//! saved with the profile and open from / save to a script file.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or bench) fails by panicking

mod support;
mod ui_support;

use egui_kittest::kittest::Queryable;
use netassist::model::LinkState;
use ui_support::{connected_harness, has_text, step_until};

const STEPS: &str = "send \"ping ${seq}\"\nexpect \"ping 1\" timeout 5s\nwait 10ms\nsend hex \"41 42\"\nexpect hex \"41 42\"\nexpect \"never\" timeout 50ms\n";

#[test]
fn a_sequence_runs_on_the_tabs_connection_and_shows_each_step() {
    let server = support::spawn_echo_server();
    let mut harness = connected_harness(server.addr.port());
    harness.state_mut().tab_mut().settings.sequence = STEPS.to_owned();
    harness.get_by_label("Sequence").click();
    harness.run_steps(3);
    harness.get_by_label("Run").click();
    step_until(&mut harness, "the run's end", |h| h.state().tab().sequence.passed.is_some());
    let tab = harness.state().tab();
    let marks: Vec<bool> = tab.sequence.rows.iter().map(|r| r.passed).collect();
    assert_eq!(marks, vec![true, true, true, true, true, false], "{:#?}", tab.sequence.rows);
    assert_eq!(tab.sequence.passed, Some(false));
    assert!(matches!(tab.session.state, LinkState::Connected { .. }), "the tab's connection stays open");
    assert_eq!(tab.session.counters.tx_bytes, 8, "ping 1 and AB went out on the tab's connection");
    harness.run_steps(2);
    assert!(has_text(&harness, "A step failed"));
    assert!(harness.query_all_by_label_contains("PASS line 2").next().is_some(), "a passed expect is shown");
    assert!(harness.query_all_by_label_contains("FAIL line 6").next().is_some(), "the failed expect is shown");
}

#[test]
fn steps_that_do_not_parse_are_explained_by_line_and_column_and_nothing_runs() {
    let server = support::spawn_echo_server();
    let mut harness = connected_harness(server.addr.port());
    harness.state_mut().tab_mut().settings.sequence = "send \"ok\"\nexpect \"unclosed\n".to_owned();
    harness.get_by_label("Sequence").click();
    harness.run_steps(3);
    harness.get_by_label("Run").click();
    harness.run_steps(3);
    assert!(has_text(&harness, "The sequence cannot run: line 2"), "the problem is shown");
    assert!(harness.state().tab().sequence.rows.is_empty());
    assert_eq!(harness.state().tab().session.counters.tx_bytes, 0);
}

#[test]
fn a_sequence_is_saved_with_the_profile_and_as_a_script_file() {
    use netassist::model::{Settings, from_profile, to_profile};
    use netassist::profile::ProfileStore;
    let config = tempfile::tempdir().expect("config dir");
    let settings = Settings { sequence: STEPS.to_owned(), ..Settings::default() };
    let opened = ProfileStore::open(config.path());
    let mut file = opened.file;
    file.upsert(to_profile("seq", &settings)).expect("upsert");
    opened.store.save(&file).expect("saved");
    let reopened = ProfileStore::open(config.path());
    assert!(reopened.problem.is_none());
    let back = reopened.file.get("seq").expect("the profile");
    assert_eq!(from_profile(back).0.sequence, STEPS, "the steps come back with the profile");
    // A file written before sequences loads, with no steps.
    let old = config.path().join(netassist::profile::FILE_NAME);
    let text = std::fs::read_to_string(&old).expect("read");
    let without = text.lines().filter(|l| !l.trim_start().starts_with("sequence:")).collect::<Vec<_>>().join("\n");
    assert_ne!(without, text, "the file names the sequence");
    std::fs::write(&old, without).expect("write");
    let older = ProfileStore::open(config.path());
    assert!(older.problem.is_none(), "{:?}", older.problem);
    assert_eq!(older.file.get("seq").map(|p| p.sequence.as_str()), Some(""));

    let server = support::spawn_echo_server();
    let mut harness = connected_harness(server.addr.port());
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("seq.nas");
    harness.state_mut().tab_mut().settings.sequence = STEPS.to_owned();
    harness.state().tab().save_sequence(&path).expect("saved");
    assert!(netassist::script::load(&path).is_ok(), "the saved file is a script netassist run reads");
    harness.state_mut().tab_mut().settings.sequence.clear();
    harness.state_mut().tab_mut().open_sequence(&path).expect("opened");
    assert_eq!(harness.state().tab().settings.sequence, STEPS);
    std::fs::write(&path, "bogus step\n").expect("write");
    let refused = harness.state_mut().tab_mut().open_sequence(&path).expect_err("refused");
    assert!(refused.to_string().contains("line 1"), "{refused}");
    assert_eq!(harness.state().tab().settings.sequence, STEPS, "the steps stay");
}

#[test]
fn step_runs_one_step_at_a_time_and_run_goes_on() {
    let server = support::spawn_echo_server();
    let mut harness = connected_harness(server.addr.port());
    harness.state_mut().tab_mut().settings.sequence = "send \"a\"\nexpect \"a\"\nsend \"b\"\nexpect \"b\"\n".to_owned();
    harness.get_by_label("Sequence").click();
    harness.run_steps(3);
    harness.get_by_label("Step").click();
    step_until(&mut harness, "the first step", |h| h.state().tab().sequence.paused());
    assert_eq!(harness.state().tab().sequence.rows.len(), 1, "one step, then a pause");
    harness.get_by_label("Step").click();
    step_until(&mut harness, "the second step", |h| {
        h.state().tab().sequence.rows.len() == 2 && h.state().tab().sequence.paused()
    });
    assert_eq!(harness.state().tab().session.counters.tx_bytes, 1, "b is not sent yet");
    harness.run_steps(2);
    harness.get_by_label("Run").click();
    step_until(&mut harness, "the run's end", |h| h.state().tab().sequence.passed.is_some());
    assert_eq!(harness.state().tab().sequence.passed, Some(true));
    assert_eq!(harness.state().tab().sequence.rows.len(), 4);
}

#[test]
fn a_sequence_and_auto_reply_work_together_on_a_server_client() {
    use netassist::app::StartOptions;
    use netassist::model::{AutoReplySpec, MatchKind, Protocol, Settings};
    use std::io::{Read, Write};
    let mut harness = ui_support::app_harness(StartOptions::default());
    let settings = Settings {
        protocol: Protocol::TcpServer,
        bind_host: "127.0.0.1".to_owned(),
        listen_port: "0".to_owned(),
        auto_reply: true,
        auto_replies: vec![AutoReplySpec {
            name: "pong".to_owned(),
            match_kind: MatchKind::Contains,
            pattern: "ping".to_owned(),
            reply: "pong;".to_owned(),
            ..AutoReplySpec::default()
        }],
        sequence: "expect \"ping\" timeout 5s\nsend \"hello;\"\n".to_owned(),
        ..Settings::default()
    };
    harness.state_mut().tab_mut().use_settings(settings);
    harness.state_mut().connect();
    step_until(&mut harness, "listening", |h| matches!(h.state().tab().session.state, LinkState::Listening { .. }));
    let LinkState::Listening { local, .. } = harness.state().tab().session.state else { unreachable!("listening") };
    let mut client = std::net::TcpStream::connect(local).expect("connects");
    client.set_read_timeout(Some(std::time::Duration::from_secs(10))).expect("timeout");
    step_until(&mut harness, "the client", |h| !h.state().tab().session.clients.is_empty());
    harness.get_by_label("Sequence").click();
    harness.run_steps(3);
    harness.get_by_label("Run").click();
    harness.run_steps(2);
    client.write_all(b"ping").expect("writes");
    step_until(&mut harness, "the run's end", |h| h.state().tab().sequence.passed.is_some());
    assert_eq!(harness.state().tab().sequence.passed, Some(true), "{:#?}", harness.state().tab().sequence.rows);
    let mut got = vec![0; "pong;hello;".len()];
    client.read_exact(&mut got).expect("both arrive");
    let got = String::from_utf8_lossy(&got);
    assert!(got.contains("pong;") && got.contains("hello;"), "{got}");
}
