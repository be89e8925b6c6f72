//! Tests of the session: how engine events change the link, the counters, the clients and the view.

use std::time::SystemTime;

use bytes::Bytes;

use super::*;
use crate::codec::Charset;
use crate::view::{StoreLimits, ViewMode};

fn session() -> Session {
    Session::new(ReceiveView::new(Charset::Gbk, ViewMode::Text, StoreLimits::default()))
}

#[test]
fn a_tutorial_exchange_moves_the_state_and_counters() {
    let mut s = session();
    let (local, peer) = ("127.0.0.1:50000".parse().unwrap(), "127.0.0.1:8000".parse().unwrap());
    let at = SystemTime::now();
    s.state = LinkState::Connecting { conn: crate::ids::ConnId(7), target: "127.0.0.1:8000".into() };
    s.apply(Event::Connecting { conn: crate::ids::ConnId(7), target: "127.0.0.1:8000".into(), at });
    s.apply(Event::Connected { conn: crate::ids::ConnId(7), local, peer, at });
    assert_eq!(s.state, LinkState::Connected { conn: crate::ids::ConnId(7), local, peer });
    s.apply(Event::Sent { conn: crate::ids::ConnId(7), peer, data: Bytes::from_static(b"hi"), at });
    s.apply(Event::Received { conn: crate::ids::ConnId(7), peer, data: Bytes::from_static(b"\xce\xd2"), at });
    s.apply(Event::Closed { conn: crate::ids::ConnId(7), peer, reason: CloseReason::PeerClosed, at });
    assert_eq!(s.state, LinkState::Idle);
    assert_eq!(s.counters, Counters { rx_bytes: 2, rx_packets: 1, tx_bytes: 2, tx_packets: 1 });
    let text = s.view.to_text();
    let order = ["Connecting to", "Connected to", "TX →", "hi", "RX ←", "我", "closed the connection"];
    let mut from = 0;
    for needle in order {
        let at = text[from..].find(needle).unwrap_or_else(|| panic!("{needle} after {from} in {text}"));
        from += at + needle.len();
    }
    assert_eq!(s.last_error, None);
}

#[test]
fn errors_are_kept_for_the_status_bar_and_stale_events_do_not_move_the_state() {
    let mut s = session();
    let at = SystemTime::now();
    s.state = LinkState::Connecting { conn: crate::ids::ConnId(2), target: "x:1".into() };
    let addr = "127.0.0.1:1".parse().unwrap();
    // A late event of an older connection must not disturb the current one.
    s.apply(Event::Closed { conn: crate::ids::ConnId(1), peer: addr, reason: CloseReason::Reset, at });
    assert!(matches!(s.state, LinkState::Connecting { conn: crate::ids::ConnId(2), .. }));
    s.apply(Event::ConnectFailed { conn: crate::ids::ConnId(2), error: EngineError::Refused { addr }, at });
    assert_eq!(s.state, LinkState::Idle);
    assert!(s.last_error_text().as_deref().is_some_and(|e| e.contains("refused")));
}

#[test]
fn data_elided_is_counted_like_data_shown() {
    let mut s = session();
    let (local, peer) = ("127.0.0.1:50000".parse().unwrap(), "127.0.0.1:8000".parse().unwrap());
    let at = SystemTime::now();
    s.apply(Event::Accepted { listener: crate::ids::ConnId(1), conn: crate::ids::ConnId(9), local, peer, at });
    s.apply_elided(Event::Received { conn: crate::ids::ConnId(9), peer, data: Bytes::from_static(b"flood"), at });
    s.apply_elided(Event::Sent { conn: crate::ids::ConnId(9), peer, data: Bytes::from_static(b"ack"), at });
    s.apply(Event::Elided { conn: crate::ids::ConnId(9), peer, outgoing: false, len: 1000, at });
    s.apply(Event::Received { conn: crate::ids::ConnId(9), peer, data: Bytes::from_static(b"shown"), at });
    assert_eq!(s.counters, Counters { rx_bytes: 1010, rx_packets: 3, tx_bytes: 3, tx_packets: 1 });
    let client = &s.clients[&crate::ids::ConnId(9)];
    assert_eq!((client.rx_bytes, client.tx_bytes), (1010, 3));
    assert_eq!(s.view.elided_bytes(), 1008);
    let text = s.view.to_text();
    assert!(text.contains("not shown: 1005 B in 2 reads received from") && text.contains("shown"), "{text}");
    // Events without data are applied as they are.
    s.apply_elided(Event::Closed { conn: crate::ids::ConnId(9), peer, reason: CloseReason::PeerClosed, at });
    assert!(s.clients.is_empty());
    assert!(s.view.to_text().contains("not shown: 3 B in 1 read sent to 127.0.0.1:8000 — "));
}

#[test]
fn a_peer_that_finished_sending_leaves_the_link_open_with_a_note() {
    let mut s = session();
    let (local, peer) = ("127.0.0.1:50000".parse().unwrap(), "127.0.0.1:8000".parse().unwrap());
    let at = SystemTime::now();
    s.state = LinkState::Connected { conn: crate::ids::ConnId(7), local, peer };
    s.apply(Event::PeerFinished { conn: crate::ids::ConnId(7), peer, at });
    assert_eq!(
        s.state,
        LinkState::Connected { conn: crate::ids::ConnId(7), local, peer },
        "still connected: we can send"
    );
    assert!(
        s.view
            .to_text()
            .contains("Peer 127.0.0.1:8000 finished sending (half-close): you can still send; Disconnect to close"),
        "{}",
        s.view.to_text()
    );
    assert_eq!(s.last_error, None, "not an error");

    // A server's client stays in the list.
    let client = "127.0.0.1:50001".parse().unwrap();
    s.apply(Event::Accepted { listener: crate::ids::ConnId(1), conn: crate::ids::ConnId(9), local, peer: client, at });
    s.apply(Event::PeerFinished { conn: crate::ids::ConnId(9), peer: client, at });
    assert!(s.clients.contains_key(&crate::ids::ConnId(9)));
    assert!(
        s.view
            .to_text()
            .contains("Client 127.0.0.1:50001 finished sending (half-close): you can still send to it; Kick to close")
    );
}

#[test]
fn an_icmp_report_is_shown_and_the_udp_socket_stays_open() {
    let mut s = session();
    let (local, at) = ("127.0.0.1:5000".parse().unwrap(), SystemTime::now());
    s.state = LinkState::UdpOpen { conn: crate::ids::ConnId(3), local };
    let report = crate::engine::IcmpReport {
        destination: Some("127.0.0.1:9".parse().unwrap()),
        reason: crate::engine::IcmpReason::PortUnreachable,
        reporter: Some("127.0.0.1".parse().unwrap()),
    };
    s.apply(Event::IcmpReport { socket: crate::ids::ConnId(3), report, at });
    let message = "UDP: 127.0.0.1:9 is unreachable (ICMP port unreachable): nothing listens there";
    assert!(s.view.to_text().contains(message), "{}", s.view.to_text());
    assert_eq!(s.last_error_text().as_deref(), Some(message), "in the status bar");
    assert_eq!(s.state, LinkState::UdpOpen { conn: crate::ids::ConnId(3), local });
}

#[test]
fn a_connection_keepalive_ended_says_so() {
    // Issue 18, item 10: the engine's `CloseReason::TimedOut` (ETIMEDOUT after
    // unanswered keepalive probes) is worded, not shown as a bare OS error.
    let mut s = session();
    let at = SystemTime::now();
    let (local, peer) = ("127.0.0.1:50000".parse().unwrap(), "127.0.0.1:8000".parse().unwrap());
    s.apply(Event::Connected { conn: crate::ids::ConnId(3), local, peer, at });
    s.apply(Event::Closed { conn: crate::ids::ConnId(3), peer, reason: CloseReason::TimedOut, at });
    assert_eq!(s.state, LinkState::Idle);
    let shown = s.last_error_text().expect("the status bar says why");
    assert!(shown.starts_with("Connection to 127.0.0.1:8000 ended: the peer stopped answering (keepalive"), "{shown}");
    crate::i18n::set_lang(crate::i18n::Lang::ZhCn);
    let zh = s.last_error_text().expect("the status bar says why");
    crate::i18n::set_lang(crate::i18n::Lang::En);
    assert!(zh.contains("保活探测"), "{zh}");
}

#[test]
fn a_job_ended_by_a_close_and_what_the_close_discarded_are_said_plainly() {
    let mut s = session();
    let at = SystemTime::now();
    let (conn, job) = (crate::ids::ConnId(4), crate::ids::JobId(5));
    let peer = "127.0.0.1:8000".parse().unwrap();
    s.jobs.insert(job, JobInfo::new(JobKind::File, at));
    s.apply(Event::JobProgress { job, items: 40, bytes: 2_621_440, total_bytes: Some(100 << 20), at });
    assert_eq!((s.jobs[&job].items, s.jobs[&job].bytes), (40, 2_621_440), "progress is what was written");
    let unsent = crate::engine::Unsent { items: 64, bytes: 4_194_304 };
    s.apply(Event::Discarded { conn, peer, unsent, at });
    s.apply(Event::Closed { conn, peer, reason: CloseReason::Local, at });
    s.apply(Event::JobEnded { job, items: 42, bytes: 2_752_512, unsent, end: JobEnd::TargetClosed, at });
    assert_eq!((s.jobs[&job].items, s.jobs[&job].bytes), (42, 2_752_512), "the end's figures are the last word");
    let text = s.view.to_text();
    assert!(
        text.contains(
            "The connection to 127.0.0.1:8000 closed with 4194304 bytes still queued for sending (64 chunks): they were discarded, never sent"
        ),
        "{text}"
    );
    assert!(
        text.contains("File send ended, the connection closed: 42 sent, 2752512 bytes written; 4194304 bytes still queued were discarded"),
        "{text}"
    );
    assert!(s.last_error_text().as_deref().is_some_and(|e| e.contains("discarded")), "the status bar says it too");
}
