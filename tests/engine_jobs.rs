//! The engine's auto-replies, over loopback only (127.0.0.1, port 0). Nothing sleeps to wait: each test waits
//! for an event, a reply or a count, with a deadline.

mod support;

use std::io::Write;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use netassist::codec::Charset;
use netassist::engine::*;
use support::*;

// ---------------------------------------------------------------- auto-reply

fn rule(name: &str, matcher: Matcher, reply: Reply, delay: Duration) -> AutoReplyRule {
    AutoReplyRule { name: name.to_owned(), matcher, reply, delay }
}

fn bytes(data: &'static [u8]) -> Reply {
    Reply::Bytes(Bytes::from_static(data))
}

/// An engine listening on 127.0.0.1 with `rules`, and one client of ours
/// connected to it; returns the client's id in the engine too.
struct Served {
    engine: EngineHandle,
    events: EventReceiver,
    log: EventLog,
    client: std::net::TcpStream,
    conn: ConnId,
}

fn served(rules: Vec<AutoReplyRule>) -> Served {
    let (engine, mut events) = start_engine(EngineConfig::default());
    engine.set_auto_replies(rules).expect("queue rules");
    let (listener, addr) = listen(&engine, &mut events, ListenTcp::new("127.0.0.1:0".parse().expect("addr")));
    let client = std_client(addr);
    let mut log = EventLog::default();
    log.until(&mut events, "the client", |all| !accepted(all, listener).is_empty());
    let conn = log.accepted(listener)[0].0;
    Served { engine, events, log, client, conn }
}

impl Served {
    /// Waits until the engine has received `n` bytes from the client in all.
    fn until_received(&mut self, n: usize) {
        let conn = self.conn;
        self.log.until(&mut self.events, "the client's bytes", |all| received(all, conn).len() >= n);
    }

    /// Closes the client and waits for the engine's `Closed`; returns every event of the connection.
    fn close(mut self) -> Vec<Event> {
        let conn = self.conn;
        drop(self.client);
        let closed = |e: &Event| matches!(e, Event::Closed { conn: c, .. } if *c == conn);
        self.log.until(&mut self.events, "the close", |all| all.iter().any(closed));
        self.log.events.into_iter().filter(|e| e.conn() == Some(conn)).collect()
    }
}

/// The replies in `events` (of one connection): for each `AutoReplied`, its
/// rule and the data of the event right after it, which must be its `Sent`.
fn replies(events: &[Event]) -> Vec<(String, Bytes)> {
    let mut out = Vec::new();
    for (i, event) in events.iter().enumerate() {
        if let Event::AutoReplied { rule, .. } = event {
            match events.get(i + 1..).and_then(|rest| rest.iter().find(|e| !matches!(e, Event::Received { .. }))) {
                Some(Event::Sent { data, .. }) => out.push((rule.clone(), data.clone())),
                other => panic!("AutoReplied ({rule}) is not followed by its Sent but by {other:?}"),
            }
        }
    }
    out
}

#[test]
fn a_ping_gets_a_pong_after_the_delay() {
    let delay = Duration::from_millis(20);
    let mut s = served(vec![rule("pong", Matcher::Contains(b"PING".to_vec()), bytes(b"PONG"), delay)]);
    let started = Instant::now();
    s.client.write_all(b"PING").expect("send");
    assert_eq!(read_n(&mut s.client, 4), b"PONG");
    let elapsed = started.elapsed();
    assert!(elapsed >= delay, "the reply came {elapsed:?} after the request, before the {delay:?} delay");
    let events = s.close();
    assert_eq!(replies(&events), vec![("pong".to_owned(), Bytes::from_static(b"PONG"))]);
    let peer = events.iter().find_map(|e| match e {
        Event::AutoReplied { peer, .. } => Some(*peer),
        _ => None,
    });
    assert!(peer.is_some_and(|p| p.ip().is_loopback()));
}

#[test]
fn a_hex_rule_matches_bytes_split_across_two_reads() {
    let mut s = served(vec![rule("modbus", Matcher::Contains(vec![0x01, 0x03]), bytes(&[0xaa, 0x55]), Duration::ZERO)]);
    s.client.write_all(&[0x01]).expect("send");
    s.until_received(1);
    s.client.write_all(&[0x03]).expect("send");
    assert_eq!(read_n(&mut s.client, 2), [0xaa, 0x55]);
    let events = s.close();
    let reads = events.iter().filter(|e| matches!(e, Event::Received { .. })).count();
    assert_eq!(reads, 2, "two reads");
    assert_eq!(replies(&events).len(), 1);
}

#[test]
fn a_regex_rule_answers_what_starts_a_read() {
    let get = Matcher::Regex { pattern: r"^GET (\S+)".into(), charset: Charset::Utf8 };
    let mut s = served(vec![rule("http", get, bytes(b"HTTP/1.0 200 OK\r\n\r\n"), Duration::ZERO)]);
    let post = b"POST /form HTTP/1.0\r\n\r\n";
    s.client.write_all(post).expect("send");
    s.until_received(post.len());
    s.client.write_all(b"GET /index.html HTTP/1.0\r\n\r\n").expect("send");
    assert_eq!(read_n(&mut s.client, 19), b"HTTP/1.0 200 OK\r\n\r\n");
    let events = s.close();
    assert_eq!(replies(&events).len(), 1, "the POST got no reply");
}

#[test]
fn an_echo_rule_sends_back_what_came() {
    let mut s = served(vec![rule("echo", Matcher::Any, Reply::Echo, Duration::ZERO)]);
    s.client.write_all(b"hello").expect("send");
    assert_eq!(read_n(&mut s.client, 5), b"hello");
    let events = s.close();
    assert_eq!(replies(&events), vec![("echo".to_owned(), Bytes::from_static(b"hello"))]);
}

#[test]
fn the_tutorial_client_gets_its_answer_from_an_auto_replying_server() {
    let (engine, mut events) = start_engine(EngineConfig::default());
    engine.set_auto_replies(vec![rule("tutorial", Matcher::Any, bytes(REPLY_GBK), Duration::ZERO)]).expect("rules");
    let (listener, addr) = listen(&engine, &mut events, ListenTcp::new("127.0.0.1:0".parse().expect("addr")));
    let answer = tutorial_client(addr).join().expect("client thread").expect("the client gets a reply");
    assert_eq!(answer, REPLY_GBK);
    let mut log = EventLog::default();
    log.until(&mut events, "the client's close", |all| all.iter().any(|e| matches!(e, Event::Closed { .. })));
    let conn = log.accepted(listener)[0].0;
    assert_eq!(log.received(conn), REQUEST_GBK);
    let of_conn: Vec<Event> = log.events.into_iter().filter(|e| e.conn() == Some(conn)).collect();
    assert_eq!(replies(&of_conn), vec![("tutorial".to_owned(), Bytes::from_static(REPLY_GBK))]);
}

#[test]
fn a_udp_rule_replies_to_the_sender() {
    let (engine, mut events) = start_engine(EngineConfig::default());
    let rules = vec![
        rule("status", Matcher::StartsWith(b"status?".to_vec()), bytes(b"ok"), Duration::ZERO),
        rule("later", Matcher::Contains(b"later".to_vec()), Reply::Echo, Duration::from_millis(5)),
    ];
    engine.set_auto_replies(rules).expect("rules");
    let (socket, local) = bind_udp(&engine, &mut events, BindUdp::new("127.0.0.1:0".parse().expect("addr")));
    let (a, b) = (std_udp("127.0.0.1:0"), std_udp("127.0.0.1:0"));
    let mut buf = [0u8; 64];
    a.send_to(b"status?", local).expect("send");
    assert_eq!(a.recv_from(&mut buf).expect("reply"), (2, local));
    assert_eq!(&buf[..2], b"ok");
    b.send_to(b"see you later", local).expect("send");
    assert_eq!(b.recv_from(&mut buf).expect("reply"), (13, local));
    assert_eq!(&buf[..13], b"see you later");
    engine.close_udp(socket).expect("close");
    let all = events_of(&mut events, socket, PATIENCE);
    let announced: Vec<(String, SocketAddr)> = all
        .iter()
        .filter_map(|e| match e {
            Event::AutoReplied { rule, peer, .. } => Some((rule.clone(), *peer)),
            _ => None,
        })
        .collect();
    let peers = (a.local_addr().expect("addr"), b.local_addr().expect("addr"));
    assert_eq!(announced, vec![("status".to_owned(), peers.0), ("later".to_owned(), peers.1)]);
    let replied = replies(&all);
    assert_eq!(replied.len(), 2, "each AutoReplied is followed by its Sent");
}

#[test]
fn invalid_rules_are_reported_and_the_others_apply() {
    let bad = rule("bad", Matcher::Regex { pattern: "(".into(), charset: Charset::Utf8 }, Reply::Echo, Duration::ZERO);
    assert!(bad.validate().is_err());
    let mut s = served(Vec::new());
    s.engine.set_auto_replies(vec![bad, rule("good", Matcher::Any, bytes(b"ok"), Duration::ZERO)]).expect("rules");
    // Commands are carried out in order: once this marker arrives, the rules are in force.
    s.engine.send(s.conn, Bytes::from_static(b"1")).expect("marker");
    assert_eq!(read_n(&mut s.client, 1), b"1");
    s.client.write_all(b"x").expect("send");
    assert_eq!(read_n(&mut s.client, 2), b"ok");
    let invalid =
        |e: &Event| matches!(e, Event::CommandFailed { conn: None, error: EngineError::InvalidAutoReply { .. }, .. });
    s.log.until(&mut s.events, "the report", |all| all.iter().any(invalid));
    let failed = s.log.events.iter().find_map(|e| match e {
        Event::CommandFailed { error: EngineError::InvalidAutoReply { rule, detail }, .. } => {
            Some((rule.clone(), detail.clone()))
        }
        _ => None,
    });
    let (name, detail) = failed.expect("the invalid rule is reported");
    assert_eq!(name, "bad");
    assert!(detail.contains("invalid regex"), "{detail}");
}

#[test]
fn rules_apply_to_live_connections_and_can_be_turned_off() {
    let mut s = served(Vec::new());
    s.engine.set_auto_replies(vec![rule("on", Matcher::Any, bytes(b"on"), Duration::ZERO)]).expect("rules");
    // Commands are carried out in order: once this marker arrives, the rules are in force.
    s.engine.send(s.conn, Bytes::from_static(b"1")).expect("marker");
    assert_eq!(read_n(&mut s.client, 1), b"1");
    s.client.write_all(b"x").expect("send");
    assert_eq!(read_n(&mut s.client, 2), b"on", "a live connection picks the new rules up");
    s.engine.set_auto_replies(Vec::new()).expect("rules off");
    s.engine.send(s.conn, Bytes::from_static(b"2")).expect("marker");
    assert_eq!(read_n(&mut s.client, 1), b"2");
    s.client.write_all(b"y").expect("send");
    s.until_received(2);
    // A reply to "y" would be written before this marker.
    s.engine.send(s.conn, Bytes::from_static(b"3")).expect("marker");
    assert_eq!(read_n(&mut s.client, 1), b"3", "no reply once the rules are off");
}

#[test]
fn delayed_replies_are_bounded_per_socket() {
    let (engine, mut events) = start_engine(EngineConfig::default());
    let hour = Duration::from_secs(3600);
    engine.set_auto_replies(vec![rule("slow", Matcher::Any, Reply::Echo, hour)]).expect("rules");
    let (socket, local) = bind_udp(&engine, &mut events, BindUdp::new("127.0.0.1:0".parse().expect("addr")));
    let peer = std_udp("127.0.0.1:0");
    let mut log = EventLog::default();
    let count = |all: &[Event]| all.iter().filter(|e| matches!(e, Event::Received { .. })).count();
    // In batches the engine has read before the next, so none is lost on the way.
    for batch in 0..11 {
        for _ in 0..100 {
            peer.send_to(b"?", local).expect("send");
        }
        log.until(&mut events, "the batch", |all| count(all) == (batch + 1) * 100);
    }
    engine.close_udp(socket).expect("close");
    log.until(&mut events, "the close", |all| all.iter().any(|e| matches!(e, Event::UdpClosed { .. })));
    let dropped = log
        .events
        .iter()
        .filter(|e| {
            matches!(e, Event::CommandFailed { error: EngineError::AutoRepliesDropped { limit: 1024, .. }, .. })
        })
        .count();
    assert_eq!(dropped, 1, "past 1024 waiting replies, dropping is reported once");
    assert!(!log.events.iter().any(|e| matches!(e, Event::AutoReplied { .. })), "none is due yet");
}
