//! The fault matrix through the real app (real engine, real sockets on
//! 127.0.0.1 / ::1, port 0), driven through its UI with egui_kittest: every
//! fault ends in a message the user can read, in the window, and the app
//! carries on (after each fault it connects to a fresh echo server and
//! exchanges a line). See docs/RELIABILITY.md for the whole matrix.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or bench) fails by panicking

mod support;
mod ui_support;

use std::io::{self, Read, Write};
use std::net::{TcpStream, UdpSocket};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use eframe::egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use netassist::app::StartOptions;
use netassist::codec::Charset;
use netassist::engine::{EngineConfig, Resolver};
use netassist::model::{CaptureState, LinkState};
use netassist::view::Framing;

use socket2::SockRef;
use ui_support::{
    AppHarness, CONNECT, LISTEN, OPEN, REPLY_TEXT, REQUEST_TEXT, SERVER, app_harness, assert_still_works, choose,
    clear_field, connected_harness, fill, has_text, open_local, send_text, server_for_clients, step_until,
};

/// The app as a TCP client of 127.0.0.1:`port`, connecting at once, with `engine`.
fn client_app(port: u16, engine: EngineConfig) -> AppHarness {
    let mut options = StartOptions { connect: true, engine, ..StartOptions::default() };
    options.settings.remote_port = port.to_string();
    app_harness(options)
}

fn wait_connected(harness: &mut AppHarness) {
    step_until(harness, "Connected", |h| matches!(h.state().tab().session.state, LinkState::Connected { .. }));
}

/// The receive view as text (what the window shows, line by line).
fn view_text(harness: &AppHarness) -> String {
    harness.state().tab().session.view.to_text()
}

#[test]
fn a_connect_timeout_is_explained_and_the_app_carries_on() {
    let Some(backlog) = support::full_backlog_or_skip("a_connect_timeout_is_explained_and_the_app_carries_on") else {
        return;
    };
    let mut options = StartOptions { connect: true, ..StartOptions::default() };
    options.settings.remote_port = backlog.addr.port().to_string();
    options.settings.connect_timeout_secs = 0.3;
    let started = Instant::now();
    let mut harness = app_harness(options);
    let expected = format!("Connect failed: connect to 127.0.0.1:{} timed out after 0.3 s", backlog.addr.port());
    step_until(&mut harness, "the timeout message", |h| has_text(h, &expected));
    assert!(started.elapsed() >= Duration::from_millis(300), "it waited the whole timeout");
    assert_eq!(harness.state().tab().session.state, LinkState::Idle);
    assert_eq!(
        harness.state().tab().session.last_error_text().as_deref(),
        Some(expected.as_str()),
        "in the status bar too"
    );
    assert_still_works(&mut harness);
}

#[test]
fn host_not_found_is_explained_and_the_app_carries_on() {
    // The engine's resolver seam: no real DNS is asked.
    let resolver: Resolver =
        Arc::new(|_, _| Err(io::Error::new(io::ErrorKind::NotFound, "Name or service not known (test resolver)")));
    let mut options = StartOptions {
        engine: EngineConfig { resolver: Some(resolver), ..EngineConfig::default() },
        ..Default::default()
    };
    options.settings.remote_host = "nowhere.invalid".to_owned();
    let mut harness = app_harness(options);
    harness.step();
    harness.get_by_label(CONNECT).click();
    let expected = "Connect failed: host not found: nowhere.invalid (Name or service not known (test resolver))";
    step_until(&mut harness, "the message", |h| has_text(h, expected));
    assert_eq!(harness.state().tab().session.state, LinkState::Idle);
    assert_still_works(&mut harness);
}

#[test]
fn a_reset_mid_stream_is_explained_after_the_data_before_it() {
    // Replies once, then resets the connection when the next bytes arrive.
    let server = support::LoopbackServer::spawn(|mut stream| {
        let mut buf = [0u8; 1024];
        if stream.read(&mut buf).unwrap_or(0) == 0 {
            return;
        }
        let _ = stream.write_all(b"partial reply before the reset");
        let _ = stream.read(&mut buf);
        let _ = SockRef::from(&stream).set_linger(Some(Duration::ZERO));
    });
    let mut harness = client_app(server.addr.port(), EngineConfig::default());
    wait_connected(&mut harness);
    send_text(&mut harness, "first");
    step_until(&mut harness, "the reply", |h| has_text(h, "partial reply before the reset"));
    send_text(&mut harness, "second");
    let expected = format!("Connection reset by peer 127.0.0.1:{}", server.addr.port());
    step_until(&mut harness, "the reset message", |h| has_text(h, &expected));
    assert_eq!(harness.state().tab().session.state, LinkState::Idle);
    let text = view_text(&harness);
    let reply = text.find("partial reply before the reset").expect("reply in the view");
    assert!(text.find(&expected).is_some_and(|reset| reply < reset), "data first, then the reset: {text}");
    assert_still_works(&mut harness);
}

#[test]
fn the_tutorial_servers_reply_and_close_show_in_order() {
    let server = support::spawn_tutorial_server();
    let mut harness = connected_harness(server.addr.port());
    send_text(&mut harness, REQUEST_TEXT);
    let closed = format!("Peer 127.0.0.1:{} closed the connection", server.addr.port());
    step_until(&mut harness, "the close", |h| has_text(h, &closed));
    assert!(has_text(&harness, REPLY_TEXT));
    let text = view_text(&harness);
    let reply = text.find(REPLY_TEXT).expect("the reply");
    assert!(text.find(&closed).is_some_and(|close| reply < close), "reply, then close: {text}");
    assert_eq!(harness.state().tab().session.state, LinkState::Idle);
    assert_eq!(harness.state().tab().session.counters.rx_bytes, support::REPLY_GBK.len() as u64, "nothing lost");
    assert_still_works(&mut harness);
}

/// Row 5b: with "Keep open after FIN" ticked, a peer that
/// sends a line and then its FIN (`shutdown(Write)`) leaves the session
/// connected with a note saying so; a send still reaches the peer, and
/// Disconnect closes (the peer reads end-of-stream).
#[test]
fn after_a_peer_half_close_the_app_can_still_send_until_disconnect() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let port = listener.local_addr().expect("addr").port();
    let (reads_tx, reads) = std::sync::mpsc::sync_channel(2);
    let peer = std::thread::Builder::new()
        .name("ui_faults-0".to_owned())
        .spawn(move || {
            let (mut stream, _) = listener.accept().expect("accept");
            stream.set_read_timeout(Some(support::PATIENCE)).expect("read timeout");
            stream.write_all(b"the last line from the peer\n").expect("write");
            stream.shutdown(std::net::Shutdown::Write).expect("shutdown(Write)");
            let mut after = [0u8; 14];
            let _ = reads_tx.send(stream.read_exact(&mut after).map(|()| after.to_vec()));
            let mut rest = Vec::new();
            let _ = reads_tx.send(stream.read_to_end(&mut rest).map(|_| rest));
        })
        .expect("spawn a thread");
    let mut harness = app_harness(StartOptions::default());
    harness.step();
    fill(&mut harness, "Remote host", "127.0.0.1");
    fill(&mut harness, "Remote port", &port.to_string());
    let (check, connect) =
        (harness.get_by_label(&netassist::ui::half_close()).rect(), harness.get_by_label(CONNECT).rect());
    assert!(check.right() <= connect.right(), "the box fits the left column: {check:?}, {connect:?}");
    harness.get_by_label(&netassist::ui::half_close()).click();
    harness.step();
    assert!(harness.state().tab().settings.half_close, "the box is ticked");
    harness.get_by_label(CONNECT).click();
    let note = format!("Peer 127.0.0.1:{port} finished sending (half-close): you can still send; Disconnect to close");
    step_until(&mut harness, "the half-close note", |h| has_text(h, &note));
    let text = view_text(&harness);
    let line = text.find("the last line from the peer").expect("the peer's line");
    assert!(text.find(&note).is_some_and(|at| line < at), "its line, then the note: {text}");
    assert!(matches!(harness.state().tab().session.state, LinkState::Connected { .. }), "still connected");
    assert!(harness.get_by_label("Disconnect").rect().is_positive());

    send_text(&mut harness, "after your FIN");
    let got = reads.recv_timeout(support::PATIENCE).expect("the peer's read").expect("read");
    assert_eq!(got, b"after your FIN", "the peer reads what was sent after its FIN");
    step_until(&mut harness, "the send shown", |h| has_text(h, &format!("TX → 127.0.0.1:{port}")));
    harness.get_by_label("Disconnect").click();
    step_until(&mut harness, "the disconnect", |h| {
        h.state().tab().session.state == LinkState::Idle && has_text(h, &format!("Disconnected from 127.0.0.1:{port}"))
    });
    let rest = reads.recv_timeout(support::PATIENCE).expect("the peer's last read").expect("read");
    assert_eq!(rest, b"", "our FIN: the peer reads end-of-stream");
    peer.join().expect("peer thread");
    // The server's clients have the same option (one setting for both modes).
    choose(&mut harness, "Protocol", SERVER);
    assert!(harness.get_by_label(&netassist::ui::half_close()).rect().is_positive(), "the box in server mode");
    assert_still_works(&mut harness);
}

#[test]
fn a_privileged_port_is_explained() {
    if let Some(why) = support::privileged_port_allowed(1) {
        // Binding would succeed: nothing to provoke, and tests bind no low port.
        println!("SKIPPED privileged port: {why}");
        return;
    }
    let mut harness = app_harness(StartOptions::default());
    harness.step();
    choose(&mut harness, "Protocol", SERVER);
    fill(&mut harness, "Local address", "127.0.0.1");
    fill(&mut harness, "Local port", "1");
    harness.get_by_label(LISTEN).click();
    let expected = "Cannot listen: permission denied for listening on 127.0.0.1:1 \
                    (ports below 1024 need administrator rights)";
    step_until(&mut harness, "the refusal", |h| has_text(h, expected));
    assert_eq!(harness.state().tab().session.state, LinkState::Idle);
    choose(&mut harness, "Protocol", "UDP");
    // (Each mode has its own port field.)
    fill(&mut harness, "Local port", "1");
    harness.get_by_label(OPEN).click();
    let expected = "Cannot bind UDP: permission denied for binding UDP 127.0.0.1:1 \
                    (ports below 1024 need administrator rights)";
    step_until(&mut harness, "the UDP refusal", |h| has_text(h, expected));
    assert_still_works(&mut harness);
}

/// The text in the field labelled `label`.
fn field_value(harness: &AppHarness, label: &str) -> String {
    harness.get_by_label(label).value().unwrap_or_default()
}

/// Presses the open button of the mode on screen and checks that `expected`
/// is shown and nothing was opened.
fn refused(harness: &mut AppHarness, button: &str, expected: &str) {
    harness.get_by_label(button).click();
    harness.run_steps(2);
    assert!(has_text(harness, expected), "{expected:?} is shown; the view: {}", view_text(harness));
    assert_eq!(harness.state().tab().form_problem().as_deref(), Some(expected), "beside the fields");
    assert_eq!(harness.state().tab().session.state, LinkState::Idle, "nothing was opened for {expected:?}");
}

#[test]
fn invalid_addresses_and_ports_are_explained_field_by_field() {
    let mut harness = app_harness(StartOptions::default());
    harness.step();
    let client = [
        ("Remote host", "", "Remote: host is empty: enter an IP address or a host name"),
        (
            "Remote host",
            "http://example.org",
            "Remote: host 'http://example.org' is not a valid IP address or host name",
        ),
        ("Remote host", "300.1.1.1", "Remote: host '300.1.1.1' is not a valid IP address or host name"),
        ("Remote host", "[::1", "Remote: host '[::1' is not a valid IP address or host name"),
        ("Remote host", "127.0.0.1", ""),
        ("Remote port", "", "Remote: port is empty: enter a number from 1 to 65535"),
        ("Remote port", "0", "Remote: port '0' is not valid: enter a number from 1 to 65535"),
        ("Remote port", "-1", "Remote: port '-1' is not valid: enter a number from 1 to 65535"),
        ("Remote port", "８０", "Remote: port '８０' is not valid: enter a number from 1 to 65535"),
        ("Remote port", "8000", ""),
        ("Local port", "70000", "Local port: port '70000' is not valid: enter a number from 1 to 65535"),
    ];
    for (field, text, expected) in client {
        if text.is_empty() {
            clear_field(&mut harness, field);
        } else {
            fill(&mut harness, field, text);
        }
        assert_eq!(field_value(&harness, field), text);
        if !expected.is_empty() {
            refused(&mut harness, CONNECT, expected);
        }
    }
    clear_field(&mut harness, "Local port");

    for (protocol, button) in [(SERVER, LISTEN), ("UDP", OPEN)] {
        choose(&mut harness, "Protocol", protocol);
        let cases = [
            (
                "Local address",
                "example.org",
                "Local address: 'example.org' is not an IP address: a local address to bind must be one (e.g. 0.0.0.0, 127.0.0.1, ::)",
            ),
            (
                "Local address",
                "[127.0.0.1]",
                "Local address: '[127.0.0.1]' is not an IP address: a local address to bind must be one (e.g. 0.0.0.0, 127.0.0.1, ::)",
            ),
            ("Local address", "127.0.0.1", ""),
            (
                "Local port",
                "65536",
                "Local address: port '65536' is not valid: enter a number from 0 (any free port) to 65535",
            ),
            (
                "Local port",
                "+80",
                "Local address: port '+80' is not valid: enter a number from 0 (any free port) to 65535",
            ),
        ];
        for (field, text, expected) in cases {
            fill(&mut harness, field, text);
            if !expected.is_empty() {
                refused(&mut harness, button, expected);
            }
        }
    }
    choose(&mut harness, "Protocol", ui_support::CLIENT);
    assert_still_works(&mut harness);
}

#[test]
fn sending_with_nowhere_to_send_is_explained_in_every_mode() {
    let mut harness = app_harness(StartOptions::default());
    harness.step();
    // (The TCP client's "Not connected" is in ui_tcp_client.rs.)
    choose(&mut harness, "Protocol", SERVER);
    send_text(&mut harness, "hello");
    harness.step();
    assert!(has_text(&harness, "The server is not listening: press Listen first; nothing was sent"));
    choose(&mut harness, "Protocol", "UDP");
    send_text(&mut harness, "hello");
    harness.step();
    assert!(has_text(&harness, "The UDP socket is not open: press Open first; nothing was sent"));

    open_local(&mut harness, SERVER, LISTEN);
    send_text(&mut harness, "hello");
    harness.step();
    assert!(has_text(&harness, "No client is connected to the server; nothing was sent"));
    harness.get_by_label("Stop").click();
    step_until(&mut harness, "the server to stop", |h| h.state().tab().session.state == LinkState::Idle);

    open_local(&mut harness, "UDP", OPEN);
    harness.get_by_label("Reply to last sender").click();
    send_text(&mut harness, "hello");
    harness.step();
    assert!(has_text(&harness, "No datagram received yet: there is no last sender to reply to"));
    harness.get_by_label("Close").click();
    assert_still_works(&mut harness);
}

#[test]
fn udp_to_a_closed_port_shows_what_was_sent_and_the_socket_carries_on() {
    let mut harness = app_harness(StartOptions::default());
    harness.step();
    let local = open_local(&mut harness, "UDP", OPEN);
    // A port where nothing listens (bound a moment ago, then released).
    let closed = UdpSocket::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    fill(&mut harness, "Remote host", "127.0.0.1");
    fill(&mut harness, "Remote port", &closed.to_string());
    for i in 0..3 {
        send_text(&mut harness, &format!("anyone there? {i}"));
    }
    step_until(&mut harness, "the three datagrams sent", |h| h.state().tab().session.counters.tx_packets == 3);
    assert!(has_text(&harness, &format!("TX → 127.0.0.1:{closed}  (15 B)")), "each shows as sent, with where to");
    // Linux: the ICMP "port unreachable" of each, read from the socket's error
    // queue, in the view and the status bar. Where the OS reports it on the
    // next receive instead (Windows): "an earlier datagram was refused".
    let unreachable = format!("UDP: 127.0.0.1:{closed} is unreachable (ICMP port unreachable): nothing listens there");
    if cfg!(target_os = "linux") {
        step_until(&mut harness, "the three reports", |h| view_text(h).matches(&unreachable).count() == 3);
        step_until(&mut harness, "the report on screen", |h| has_text(h, &unreachable));
        assert_eq!(
            harness.state().tab().session.last_error_text().as_deref(),
            Some(unreachable.as_str()),
            "in the status bar"
        );
    }
    let peer = support::std_udp("127.0.0.1:0");
    peer.send_to(b"a datagram after the refusals", local).expect("send");
    step_until(&mut harness, "the datagram", |h| has_text(h, "a datagram after the refusals"));
    match harness.state().tab().session.last_error_text().as_deref() {
        Some(error) if cfg!(target_os = "linux") => assert_eq!(error, unreachable),
        None => assert!(!view_text(&harness).contains("refused")),
        Some(error) => assert!(error.contains("an earlier datagram was refused"), "{error}"),
    }
    assert!(matches!(harness.state().tab().session.state, LinkState::UdpOpen { .. }), "the socket stays open");
    fill(&mut harness, "Remote port", &peer.local_addr().expect("addr").port().to_string());
    send_text(&mut harness, "and it still sends");
    let mut buf = [0u8; 64];
    let (n, from) = peer.recv_from(&mut buf).expect("the reply");
    assert_eq!((&buf[..n], from), (&b"and it still sends"[..], local));
}

#[test]
fn invalid_bytes_show_as_markers_in_every_charset() {
    let mut harness = app_harness(StartOptions::default());
    harness.step();
    let local = open_local(&mut harness, "UDP", OPEN);
    let peer = support::std_udp("127.0.0.1:0");
    // Per charset: bytes it cannot decode (plus NUL and DEL), and what the view shows.
    let table: [(Charset, &[u8], &str); 7] = [
        (Charset::Gbk, b"\xFF\x81", "\\xFF\\x81"),
        (Charset::Utf8, b"\xC3(\xFF\xE4\xBD", "\\xC3(\\xFF\\xE4\\xBD"),
        (Charset::Gb18030, b"\x81\x30\xFF", "\\x810\\xFF"),
        (Charset::Big5, b"\xFF\x80", "\\xFF\\x80"),
        (Charset::ShiftJis, b"\xA0\xFD\x85", "\\xA0\\xFD\\x85"),
        (Charset::EucKr, b"\xFF\xC9", "\\xFF\\xC9"),
        // Undefined in Windows-1252 (they decode to C1 controls, which no font draws).
        (Charset::Windows1252, b"\x81\x8D\x8F\x90\x9D", "\\x81\\x8D\\x8F\\x90\\x9D"),
    ];
    for (n, (charset, bytes, markers)) in table.into_iter().enumerate() {
        choose(&mut harness, "Charset", charset.label());
        assert_eq!(harness.state().tab().session.view.charset(), charset);
        let datagram = [format!("[{}] ", charset.label()).as_bytes(), bytes, b" \x00\x7F."].concat();
        peer.send_to(&datagram, local).expect("send");
        step_until(&mut harness, "the datagram", |h| h.state().tab().session.counters.rx_packets == n as u64 + 1);
        let shown = format!("[{}] {markers} \\x00\\x7F.", charset.label());
        assert_eq!(view_text(&harness).lines().last(), Some(shown.as_str()), "{charset:?}");
        step_until(&mut harness, &format!("{shown} on screen"), |h| has_text(h, &shown));
    }
    // Every byte value, re-read in every charset: markers, never a panic.
    let every: Vec<u8> = (0..=255).collect();
    peer.send_to(&every, local).expect("send");
    step_until(&mut harness, "the datagram of every byte", |h| h.state().tab().session.counters.rx_packets == 8);
    for charset in Charset::ALL {
        choose(&mut harness, "Charset", charset.label());
        harness.run_steps(2);
        let text = view_text(&harness);
        let last = text.lines().skip_while(|l| !l.contains("(256 B)")).skip(1).collect::<String>();
        assert!(last.starts_with("\\x00\\x01\\x02"), "{charset:?}: {last}");
        let c1 = last.chars().any(|c| ('\u{80}'..='\u{9F}').contains(&c) || c.is_ascii_control() && c != '\t');
        assert!(!c1, "{charset:?}: no control character reaches the screen: {last:?}");
    }
}

#[test]
fn a_64_kib_line_is_shown_wrapped_without_freezing() {
    const LINE: usize = 64 * 1024;
    let line: Vec<u8> = (0..LINE - 16).map(|i| b'a' + (i % 26) as u8).chain(*b"<END-OF-LINE-64K").collect();
    assert_eq!(line.len(), LINE);
    let wire = [line.as_slice(), b"\n"].concat();
    let server = support::LoopbackServer::spawn(move |mut stream| {
        let _ = stream.write_all(&wire);
        let mut rest = Vec::new();
        let _ = stream.read_to_end(&mut rest);
    });
    let mut options = StartOptions { connect: true, ..StartOptions::default() };
    options.settings.remote_port = server.addr.port().to_string();
    // Records end at a line break, so the line is one record however TCP cut it.
    options.settings.framing = Framing::Delimiter(b"\n".to_vec());
    let mut harness = app_harness(options);
    step_until(&mut harness, "the whole line", |h| h.state().tab().session.counters.rx_bytes == LINE as u64 + 1);
    step_until(&mut harness, "its end on screen", |h| has_text(h, "<END-OF-LINE-64K"));
    let records: Vec<usize> = harness
        .state()
        .tab()
        .session
        .view
        .records()
        .filter_map(|r| match &r.body {
            netassist::view::RecordBody::Data { raw, .. } => Some(raw.len()),
            netassist::view::RecordBody::Note { .. } => None,
        })
        .collect();
    assert_eq!(records, [LINE, 1], "one record of 64 KiB (a record holds at most that), then the line break");
    // Wrapped: 160 characters a display line.
    let wrapped = netassist::view::lines::text_line_ranges(std::str::from_utf8(&line).expect("ASCII"), false);
    assert_eq!(wrapped.len(), LINE.div_ceil(netassist::view::lines::WRAP_CHARS));
    assert!(harness.state().tab().session.view.line_count() > wrapped.len());
    // No freeze: frames stay short with the line on screen (only visible lines are laid out).
    let started = Instant::now();
    harness.run_steps(10);
    let per_frame = started.elapsed() / 10;
    println!("64 KiB line on screen: {per_frame:?} a frame");
    assert!(per_frame < Duration::from_millis(500), "a frame took {per_frame:?}");
    harness.get_by_label("Hex").click();
    step_until(&mut harness, "the hex of the line's end", |h| {
        has_text(h, "3C 45 4E 44 2D 4F 46 2D 4C 49 4E 45 2D 36 34 4B")
    });
    harness.get_by_label("Disconnect").click();
    assert_still_works(&mut harness);
}

#[test]
fn nul_bytes_show_as_markers() {
    let server = support::LoopbackServer::spawn(|mut stream| {
        let _ = stream.write_all(b"before\0after\0\0end");
        let mut rest = Vec::new();
        let _ = stream.read_to_end(&mut rest);
    });
    let mut harness = client_app(server.addr.port(), EngineConfig::default());
    step_until(&mut harness, "the NULs", |h| has_text(h, "before\\x00after\\x00\\x00end"));
    harness.get_by_label("Hex").click();
    step_until(&mut harness, "the hex", |h| has_text(h, "62 65 66 6F 72 65 00 61 66 74 65 72 00 00 65 6E"));
}

#[test]
fn a_server_with_a_thousand_clients_half_resetting_keeps_serving_the_rest() {
    const CLIENTS: usize = 1000;
    let (mut harness, addr) = server_for_clients(CLIENTS);
    let mut clients: Vec<TcpStream> = (0..CLIENTS).map(|_| support::std_client(addr)).collect();
    step_until(&mut harness, "every client listed", |h| h.state().tab().session.clients.len() == CLIENTS);
    assert!(has_text(&harness, &format!("Clients ({CLIENTS})")));
    // Half of them reset, every other one.
    let survivors: Vec<TcpStream> = clients
        .drain(..)
        .enumerate()
        .filter_map(|(i, stream)| {
            if i % 2 == 0 {
                return Some(stream);
            }
            let _ = SockRef::from(&stream).set_linger(Some(Duration::ZERO));
            None
        })
        .collect();
    step_until(&mut harness, "the resets", |h| h.state().tab().session.clients.len() == CLIENTS / 2);
    assert!(has_text(&harness, "Connection reset by client 127.0.0.1:"));
    assert!(has_text(&harness, &format!("Listening on 127.0.0.1:{} · {} clients", addr.port(), CLIENTS / 2)));
    // Send to all: every survivor gets it (one engine command, however many clients).
    send_text(&mut harness, "to every survivor");
    let mut survivors = survivors;
    for (i, stream) in survivors.iter_mut().enumerate() {
        let mut buf = [0u8; 17];
        stream
            .read_exact(&mut buf)
            .unwrap_or_else(|e| panic!("survivor {i}: {e}; send error {:?}", harness.state().tab().send_problem()));
        assert_eq!(&buf, b"to every survivor");
    }
    assert_eq!(harness.state().tab().send_problem(), None);
    // And each one's own bytes reach the view.
    let rx_before = harness.state().tab().session.counters.rx_bytes;
    let tags: Vec<String> = survivors.iter().map(|s| format!("<from {}>", s.local_addr().expect("addr"))).collect();
    for (stream, tag) in survivors.iter_mut().zip(&tags) {
        stream.write_all(tag.as_bytes()).expect("write");
    }
    let total: usize = tags.iter().map(String::len).sum();
    step_until(&mut harness, "every survivor's bytes", |h| {
        h.state().tab().session.counters.rx_bytes == rx_before + total as u64
    });
    let text = view_text(&harness);
    assert!(tags.iter().all(|tag| text.contains(tag.as_str())), "every survivor's bytes are in the view");
    let last = tags.iter().max_by_key(|tag| text.rfind(tag.as_str())).expect("tags");
    step_until(&mut harness, "the last one on screen", |h| has_text(h, last));
}

/// Saves the settings as a new profile `name` through the Save as… dialog.
fn save_profile_as(harness: &mut AppHarness, name: &str) {
    harness.get_by_label("Save as…").click();
    harness.step();
    fill(harness, &netassist::ui::name_field(), name);
    harness.get_by_label("OK").click();
    harness.run_steps(2);
    harness.state().profiles.wait_saved();
    harness.run_steps(2);
}

#[test]
fn an_unreadable_profiles_file_is_reported_and_left_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A directory where profiles.ron should be: unreadable as a file, even for root.
    let path = dir.path().join(netassist::profile::FILE_NAME);
    std::fs::create_dir(&path).expect("mkdir");
    let options = StartOptions { config_dir: Some(dir.path().to_path_buf()), restore_last: true, ..Default::default() };
    let mut harness = app_harness(options);
    harness.step();
    assert!(has_text(&harness, &format!("Profiles not loaded — cannot read {}: ", path.display())), "the banner");
    assert!(has_text(&harness, "It is left untouched; profiles you save now are not written over it."));
    save_profile_as(&mut harness, "in memory");
    assert!(has_text(
        &harness,
        "Not saved: the profiles file could not be loaded at start; choose \"Start a new file\" in the banner to replace it."
    ));
    assert!(path.is_dir(), "nothing was written over it");
    assert_eq!(harness.state().profiles.names(), ["in memory"], "the profile is kept for this session");
    assert_still_works(&mut harness);
}

#[test]
fn a_config_folder_that_cannot_be_made_is_reported_on_save() {
    let root = tempfile::tempdir().expect("temp dir");
    // A regular file where a folder is needed stops root too.
    let blocker = root.path().join("a-file");
    std::fs::write(&blocker, b"precious").expect("write");
    let dir = blocker.join("netassist");
    let options = StartOptions { config_dir: Some(dir.clone()), restore_last: true, ..Default::default() };
    let mut harness = app_harness(options);
    harness.step();
    assert!(harness.state().profiles.problem().is_none(), "nothing to load is not a problem");
    save_profile_as(&mut harness, "tutorial");
    assert!(has_text(&harness, &format!("Not saved: cannot create directory {}: ", dir.display())));
    assert_eq!(std::fs::read(&blocker).expect("read"), b"precious");
    assert_still_works(&mut harness);
}

/// A disk with room for `room` bytes, then ENOSPC, as a full disk fails.
struct FullDisk {
    room: usize,
}

impl Write for FullDisk {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.room == 0 {
            return Err(io::Error::from_raw_os_error(28));
        }
        let n = buf.len().min(self.room);
        self.room -= n;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_disk_filling_up_stops_the_capture_with_the_reason_and_the_connection_goes_on() {
    let server = support::spawn_echo_server();
    let mut harness = connected_harness(server.addr.port());
    let path = PathBuf::from("/full-disk/capture.nacap");
    // The engine writes the capture to this writer, as it would to the file.
    harness.state().engine().start_capture_to(path.clone(), Box::new(FullDisk { room: 48 << 10 })).expect("queued");
    step_until(&mut harness, "the capture to start", |h| has_text(h, "Capture started: /full-disk/capture.nacap"));
    // 16 KiB a send, with Ctrl+Enter.
    fill(&mut harness, "Send data", &"x".repeat(16 << 10));
    let deadline = Instant::now() + Duration::from_secs(15);
    while !matches!(harness.state().tab().session.capture, CaptureState::Failed { .. }) {
        let app = harness.state();
        assert!(
            Instant::now() < deadline,
            "the capture never failed: {:?}, TX {} B, send error {:?}",
            app.tab().session.capture,
            app.tab().session.counters.tx_bytes,
            app.tab().send_problem()
        );
        harness.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
        harness.run_steps(3);
    }
    let expected = "Capture stopped: writing capture file /full-disk/capture.nacap failed: \
                    no space left on the device; capture stopped after";
    step_until(&mut harness, "the reason", |h| has_text(h, expected));
    assert!(
        harness.state().tab().session.last_error_text().as_deref().is_some_and(|e| e.starts_with(expected)),
        "status bar"
    );
    // The connection carries on, both ways.
    let rx_before = harness.state().tab().session.counters.rx_bytes;
    send_text(&mut harness, "after the disk filled up");
    step_until(&mut harness, "the echo", |h| h.state().tab().session.counters.rx_bytes >= rx_before + 24);
    assert!(matches!(harness.state().tab().session.state, LinkState::Connected { .. }));
}

#[test]
fn a_full_engine_command_queue_is_explained_and_the_window_stays_live() {
    let server = support::spawn_echo_server();
    let mut harness = client_app(server.addr.port(), EngineConfig { command_capacity: 1, ..EngineConfig::default() });
    wait_connected(&mut harness);
    // Declared after the harness, so dropped (opened) before it.
    let gate = support::HangingDisk::default();
    // A capture whose disk hangs as it starts holds the engine's command loop: sends pile up.
    harness.state().engine().start_capture_to("/hanging/disk.nacap".into(), Box::new(gate.clone())).expect("queued");
    let busy = "the network engine is busy (command queue full); try again";
    let mut sent = 0;
    while !has_text(&harness, busy) {
        assert!(sent < 10, "a queue of one command is full after a few sends");
        let frame = Instant::now();
        send_text(&mut harness, &format!("message {sent}."));
        // The refusal shows from the next frame on (the box was drawn before the click was handled).
        harness.step();
        assert!(frame.elapsed() < Duration::from_secs(2), "Send never blocks the window");
        sent += 1;
    }
    assert_eq!(harness.state().tab().send_problem().as_deref(), Some(busy), "under the send box");
    assert_eq!(
        harness.state().tab().status_problem().map(ToString::to_string).as_deref(),
        Some(busy),
        "and in the status bar"
    );
    harness.run_steps(5);
    assert!(matches!(harness.state().tab().session.state, LinkState::Connected { .. }));
    gate.open();
    step_until(&mut harness, "the capture to start", |h| has_text(h, "Capture started: /hanging/disk.nacap"));
    let rx_before = harness.state().tab().session.counters.rx_bytes;
    send_text(&mut harness, "the engine caught up");
    step_until(&mut harness, "the echo", |h| h.state().tab().session.counters.rx_bytes >= rx_before + 20);
    assert_eq!(harness.state().tab().send_problem(), None);
}

#[test]
fn a_long_text_in_the_send_box_keeps_the_send_button_in_the_window() {
    let server = support::spawn_echo_server();
    let mut harness = connected_harness(server.addr.port());
    let window = harness.ctx.content_rect();
    let long = "0123456789abcdef".repeat(1024);
    fill(&mut harness, "Send data", &long);
    harness.run_steps(3);
    let button = harness.get_by_label("Send").rect();
    assert!(window.contains_rect(button), "the Send button {button:?} stays in the window {window:?}");
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the 16 KiB echoed", |h| h.state().tab().session.counters.rx_bytes == long.len() as u64);
    assert_eq!(harness.state().tab().session.counters.tx_bytes, long.len() as u64);
}
