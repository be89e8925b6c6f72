//! The engine's UDP sockets, over loopback only (127.0.0.1 and ::1, port 0):
//! whole datagrams both ways at every size that matters, source addresses,
//! names through the resolver, errors that explain themselves, broadcast on
//! 127.255.255.255, and multicast inside a private network namespace.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or bench) fails by panicking

mod support;

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::process::Command;
use std::sync::Arc;

use bytes::Bytes;
use netassist::engine::*;
#[allow(unused_imports)]
use netassist::ids::{ConnId, Direction, JobId};
use support::*;

/// The payload sizes that matter on IPv4: empty, one byte, a full Ethernet
/// MTU's worth (1500 - 20 - 8) and the largest UDP datagram.
const SIZES_V4: [usize; 4] = [0, 1, 1472, 65_507];
/// The same on IPv6 (1500 - 40 - 8; 65,535 - 8).
const SIZES_V6: [usize; 4] = [0, 1, 1452, 65_527];

/// A payload of `len` bytes that differs from one size to the next.
fn payload(len: usize) -> Bytes {
    (0..len).map(|i| (i * 7 + len) as u8).collect::<Vec<u8>>().into()
}

/// Sends `data` from engine socket `socket` to `to` and waits for its `Sent`.
fn send_to(engine: &EngineHandle, events: &mut EventReceiver, socket: ConnId, to: SocketAddr, data: &Bytes) {
    engine.send_to(socket, to.ip().to_string(), to.port(), data.clone()).expect("queue send_to");
    match wait_for_event(events, PATIENCE, |e| e.conn() == Some(socket)) {
        Event::Sent { peer, data: sent, .. } => {
            assert_eq!(peer, to);
            assert!(sent == *data, "Sent carries the datagram");
        }
        other => panic!("expected Sent of {} bytes, got {other:?}", data.len()),
    }
}

/// The next event of `socket`, which must be a `CommandFailed`; returns its error.
fn failure(events: &mut EventReceiver, socket: ConnId) -> EngineError {
    match wait_for_event(events, PATIENCE, |e| e.conn() == Some(socket)) {
        Event::CommandFailed { error, .. } => error,
        other => panic!("expected CommandFailed, got {other:?}"),
    }
}

/// Both directions between an engine socket and a std socket on `ip`, one
/// datagram of each size: each arrives whole, as one event, from the right address.
fn round_trips(ip: &str, sizes: &[usize]) {
    let (engine, mut events) = start_engine(EngineConfig::default());
    let (socket, local) = bind_udp(&engine, &mut events, BindUdp::new(SocketAddr::new(ip.parse().expect("ip"), 0)));
    assert_ne!(local.port(), 0, "UdpBound reports the actual port");
    let other = std_udp(&SocketAddr::new(local.ip(), 0).to_string());
    let other_addr = other.local_addr().expect("addr");
    let mut buf = vec![0u8; 65_536];
    for &len in sizes {
        let data = payload(len);
        send_to(&engine, &mut events, socket, other_addr, &data);
        let (n, from) = other.recv_from(&mut buf).expect("std socket receives");
        assert_eq!((n, from), (len, local), "engine → std, {len} bytes");
        assert!(buf[..n] == data[..], "engine → std, {len} bytes intact");

        other.send_to(&data, local).expect("std socket sends");
        match wait_for_event(&mut events, PATIENCE, |e| e.conn() == Some(socket)) {
            Event::Received { peer, data: got, .. } => {
                assert_eq!(peer, other_addr, "source address, {len} bytes");
                assert!(got == data, "std → engine: one event with exactly the {len} bytes (got {})", got.len());
            }
            other => panic!("expected Received of {len} bytes, got {other:?}"),
        }
    }
}

#[test]
fn datagrams_stay_whole_both_ways_on_ipv4() {
    round_trips("127.0.0.1", &SIZES_V4);
}

#[test]
fn datagrams_stay_whole_both_ways_on_ipv6() {
    round_trips("::1", &SIZES_V6);
}

#[test]
fn too_large_a_datagram_is_refused_and_the_socket_carries_on() {
    let (engine, mut events) = start_engine(EngineConfig::default());
    let (socket, _) = bind_udp(&engine, &mut events, BindUdp::new("127.0.0.1:0".parse().expect("addr")));
    let other = std_udp("127.0.0.1:0");
    let to = other.local_addr().expect("addr");
    engine.send_to(socket, to.ip().to_string(), to.port(), payload(65_508)).expect("queue send_to");
    let error = failure(&mut events, socket);
    assert_eq!(error, EngineError::DatagramTooLarge { len: 65_508, max: 65_507 });
    assert!(error.to_string().contains("too large"), "{error}");

    let (v6, _) = bind_udp(&engine, &mut events, BindUdp::new("[::1]:0".parse().expect("addr")));
    engine.send_to(v6, "::1".to_owned(), 9, payload(65_528)).expect("queue send_to");
    assert_eq!(failure(&mut events, v6), EngineError::DatagramTooLarge { len: 65_528, max: 65_527 });

    send_to(&engine, &mut events, socket, to, &payload(3));
    let mut buf = [0u8; 16];
    assert_eq!(other.recv_from(&mut buf).expect("receive").0, 3);
}

/// Datagrams from an engine socket on `ip` to a port there where nothing
/// listens (bound a moment ago, then released): each is sent (`Sent`); on
/// Linux the ICMP "port unreachable" that comes back for each is reported
/// (`IcmpReport`), naming the destination; the socket stays open, receives
/// and sends. (Where the system reports it on the next receive instead, as
/// Windows does, it is a `CommandFailed` "an earlier datagram was refused".)
fn a_closed_port_is_reported_and_the_socket_carries_on(ip: &str) {
    let nowhere = std_udp(&SocketAddr::new(ip.parse().expect("ip"), 0).to_string()).local_addr().expect("addr");
    let (engine, mut events) = start_engine(EngineConfig::default());
    let (socket, local) = bind_udp(&engine, &mut events, BindUdp::new(SocketAddr::new(nowhere.ip(), 0)));
    let mut log = EventLog::default();
    for n in 1..=3 {
        engine.send_to(socket, nowhere.ip().to_string(), nowhere.port(), payload(10)).expect("queue send_to");
        log.until(&mut events, "Sent", |all| all.iter().filter(|e| matches!(e, Event::Sent { .. })).count() == n);
    }
    if cfg!(target_os = "linux") {
        let reports = |all: &[Event]| -> Vec<IcmpReport> {
            let of = |e: &Event| match e {
                Event::IcmpReport { socket: s, report, .. } if *s == socket => Some(report.clone()),
                _ => None,
            };
            all.iter().filter_map(of).collect()
        };
        log.until(&mut events, "three ICMP reports", |all| reports(all).len() == 3);
        for report in reports(&log.events) {
            assert_eq!(report.destination, Some(nowhere));
            assert_eq!(report.reason, IcmpReason::PortUnreachable);
            assert_eq!(
                report.to_string(),
                format!("{nowhere} is unreachable (ICMP port unreachable): nothing listens there")
            );
        }
    }
    assert!(!log.events.iter().any(|e| matches!(e, Event::UdpClosed { .. })), "{:#?}", log.events);
    // The socket still works both ways.
    let other = std_udp(&SocketAddr::new(nowhere.ip(), 0).to_string());
    let other_addr = other.local_addr().expect("addr");
    other.send_to(b"still there?", local).expect("send");
    let received = wait_for_event(&mut events, PATIENCE, |e| match e {
        Event::CommandFailed { error: EngineError::Io { kind, .. }, .. } => {
            // Linux reports it from the error queue; other systems as a refused receive.
            #[allow(clippy::assertions_on_constants)]
            {
                assert!(
                    !cfg!(target_os = "linux"),
                    "reported from the error queue on Linux, not as a refused receive: {e:?}"
                );
            }
            assert_eq!(*kind, io::ErrorKind::ConnectionRefused);
            false
        }
        Event::CommandFailed { .. } | Event::UdpClosed { .. } => panic!("{e:?}"),
        _ => e.conn() == Some(socket) && !matches!(e, Event::IcmpReport { .. }),
    });
    assert!(matches!(received, Event::Received { peer, data, .. } if peer == other_addr && data == "still there?"));
    send_to(&engine, &mut events, socket, other_addr, &payload(5));
}

#[test]
fn sending_to_a_port_where_nothing_listens_is_reported_and_breaks_nothing() {
    a_closed_port_is_reported_and_the_socket_carries_on("127.0.0.1");
}

#[test]
fn sending_to_a_port_where_nothing_listens_is_reported_and_breaks_nothing_on_ipv6() {
    if let Err(error) = UdpSocket::bind("[::1]:0") {
        println!("SKIPPED ICMPv6 port unreachable: cannot bind [::1]:0 ({error})");
        return;
    }
    a_closed_port_is_reported_and_the_socket_carries_on("::1");
}

#[test]
fn broadcast_needs_the_option() {
    // Loopback's broadcast address: this proves SO_BROADCAST is set and
    // that a broadcast datagram is delivered on this machine, not how it
    // spreads over a real network (no test sends beyond loopback).
    let receiver = std_udp("127.255.255.255:0");
    let port = receiver.local_addr().expect("addr").port();
    let broadcast = SocketAddr::from(([127, 255, 255, 255], port));
    let (engine, mut events) = start_engine(EngineConfig::default());

    let (plain, _) = bind_udp(&engine, &mut events, BindUdp::new("127.0.0.1:0".parse().expect("addr")));
    engine.send_to(plain, "127.255.255.255".to_owned(), port, payload(4)).expect("queue send_to");
    let error = failure(&mut events, plain);
    assert_eq!(error, EngineError::BroadcastNotAllowed { addr: broadcast });
    assert!(error.to_string().contains("Broadcast option"), "{error}");

    let request = BindUdp { broadcast: true, ..BindUdp::new("127.0.0.1:0".parse().expect("addr")) };
    let (caster, caster_addr) = bind_udp(&engine, &mut events, request);
    send_to(&engine, &mut events, caster, broadcast, &payload(4));
    let mut buf = [0u8; 16];
    let (n, from) = receiver.recv_from(&mut buf).expect("the broadcast arrives");
    assert_eq!((&buf[..n], from), (&payload(4)[..], caster_addr));
}

#[test]
fn names_go_through_the_resolver_in_order() {
    let other = std_udp("127.0.0.1:0");
    let to = other.local_addr().expect("addr");
    let resolver: Resolver = Arc::new(|host, port| match host {
        "peer.test" => Ok(vec![SocketAddr::from(([127, 0, 0, 1], port))]),
        "v6only.test" => Ok(vec![SocketAddr::from((Ipv6Addr::LOCALHOST, port))]),
        _ => Err(io::Error::new(io::ErrorKind::NotFound, "no such host")),
    });
    let (engine, mut events) = start_engine(EngineConfig { resolver: Some(resolver), ..EngineConfig::default() });
    let (socket, _) = bind_udp(&engine, &mut events, BindUdp::new("127.0.0.1:0".parse().expect("addr")));

    // A name then a literal: they go out in the order queued.
    engine.send_to(socket, "peer.test".to_owned(), to.port(), Bytes::from_static(b"first")).expect("queue");
    engine.send_to(socket, "127.0.0.1".to_owned(), to.port(), Bytes::from_static(b"second")).expect("queue");
    let mut buf = [0u8; 16];
    for want in [&b"first"[..], b"second"] {
        let (n, _) = other.recv_from(&mut buf).expect("receive");
        assert_eq!(&buf[..n], want);
    }

    engine.send_to(socket, "nowhere.test".to_owned(), 9, Bytes::from_static(b"x")).expect("queue");
    let skipped = |e: &Event| matches!(e, Event::Sent { .. });
    let failed = wait_for_event(&mut events, PATIENCE, |e| e.conn() == Some(socket) && !skipped(e));
    let not_found = |e: &Event| match e {
        Event::CommandFailed { error: EngineError::HostNotFound { host, .. }, .. } => host == "nowhere.test",
        _ => false,
    };
    assert!(not_found(&failed), "{failed:?}");
    engine.send_to(socket, "v6only.test".to_owned(), 9, Bytes::from_static(b"x")).expect("queue");
    match failure(&mut events, socket) {
        EngineError::FamilyMismatch { remote, .. } => assert_eq!(remote, IpAddr::V6(Ipv6Addr::LOCALHOST)),
        other => panic!("expected FamilyMismatch, got {other:?}"),
    }
}

#[test]
fn port_in_use_and_close() {
    let busy = UdpSocket::bind("127.0.0.1:0").expect("bind");
    let busy_addr = busy.local_addr().expect("addr");
    let (engine, mut events) = start_engine(EngineConfig::default());
    let failed = engine.bind_udp(BindUdp::new(busy_addr)).expect("queue bind");
    let all = events_of(&mut events, failed, PATIENCE);
    assert!(
        matches!(&all[..], [Event::UdpBindFailed { error: EngineError::AddrInUse { addr }, .. }] if *addr == busy_addr),
        "{all:#?}"
    );

    let (socket, _) = bind_udp(&engine, &mut events, BindUdp::new("127.0.0.1:0".parse().expect("addr")));
    engine.close_udp(socket).expect("queue close");
    let rest = events_of(&mut events, socket, PATIENCE);
    assert!(matches!(&rest[..], [Event::UdpClosed { reason: CloseReason::Local, .. }]), "{rest:#?}");
    engine.send_to(socket, "127.0.0.1".to_owned(), 9, payload(1)).expect("queue send_to");
    assert_eq!(failure(&mut events, socket), EngineError::NotConnected { conn: socket });
}

#[test]
fn multicast_mistakes_are_explained_without_joining() {
    // Each of these fails before anything is sent, so it may run anywhere.
    let (engine, mut events) = start_engine(EngineConfig::default());
    let (v4, v4_addr) = bind_udp(&engine, &mut events, BindUdp::new("127.0.0.1:0".parse().expect("addr")));
    let (v6, _) = bind_udp(&engine, &mut events, BindUdp::new("[::1]:0".parse().expect("addr")));
    let unicast = IpAddr::V4(Ipv4Addr::LOCALHOST);
    engine.join_multicast(v4, unicast, MulticastInterface::Any).expect("queue join");
    let error = failure(&mut events, v4);
    assert_eq!(error, EngineError::NotMulticast { addr: unicast });
    assert!(error.to_string().contains("not a multicast address"), "{error}");

    let group6: IpAddr = "ff15::4e41".parse().expect("group");
    engine.join_multicast(v6, group6, MulticastInterface::V4(Ipv4Addr::LOCALHOST)).expect("queue join");
    assert!(matches!(failure(&mut events, v6), EngineError::InterfaceMismatch { .. }));
    engine.join_multicast(v4, group6, MulticastInterface::V6(1)).expect("queue join");
    assert_eq!(failure(&mut events, v4), EngineError::FamilyMismatch { local: v4_addr, remote: group6 });
    engine.join_multicast(v6, group6, MulticastInterface::V6(999_999)).expect("queue join");
    let error = failure(&mut events, v6);
    assert_eq!(error, EngineError::NoSuchInterface { interface: MulticastInterface::V6(999_999) });
    assert!(error.to_string().contains("index 999999 (no interface has this index)"), "{error}");
}

/// Set in the re-executed test inside its own network namespace.
const IN_NETNS: &str = "NETASSIST_IN_NETNS";

#[test]
fn multicast_in_a_private_network_namespace() {
    // Multicast must never leave this machine: the test runs only inside a
    // network namespace of its own, whose only interface is loopback.
    if std::env::var_os(IN_NETNS).is_some() {
        multicast_on_isolated_loopback();
        return;
    }
    let name = "multicast_in_a_private_network_namespace";
    if let Err(why) = run(Command::new("unshare").args(["--net", "true"])) {
        println!("SKIPPED multicast: cannot make a private network namespace ({why})");
        return;
    }
    let exe = std::env::current_exe().expect("test binary");
    let output = Command::new("unshare")
        .arg("--net")
        .arg(exe)
        .args(["--exact", name, "--nocapture", "--test-threads=1"])
        .env(IN_NETNS, "1")
        .output()
        .expect("run the test in a network namespace");
    let stdout = String::from_utf8_lossy(&output.stdout);
    // Shows the child's SKIPPED lines (and everything else) with --nocapture.
    println!("{stdout}");
    assert!(output.status.success(), "inside the namespace: {}\n{stdout}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("1 passed"), "the test ran inside the namespace:\n{stdout}");
}

/// Runs `command`; `Err` says why it did not succeed.
fn run(command: &mut Command) -> Result<(), String> {
    match command.output() {
        Ok(output) if output.status.success() => Ok(()),
        Ok(output) => Err(format!("{:?}: {}", output.status, String::from_utf8_lossy(&output.stderr).trim())),
        Err(error) => Err(error.to_string()),
    }
}

/// Inside the namespace: loopback up, IPv6 multicast routed to local
/// delivery, then join, send, receive and leave with the engine.
fn multicast_on_isolated_loopback() {
    // This process's own view of its interfaces (per network namespace).
    let devices = std::fs::read_to_string("/proc/self/net/dev").expect("/proc/self/net/dev");
    let names: Vec<&str> = devices.lines().skip(2).filter_map(|line| line.split(':').next()).map(str::trim).collect();
    assert_eq!(names, ["lo"], "the namespace must have no interface but lo");
    if let Err(why) = run(Command::new("ip").args(["link", "set", "lo", "up"])) {
        println!("SKIPPED multicast: cannot bring lo up in the namespace ({why})");
        return;
    }
    dual_stack_round();
    let (engine, mut events) = start_engine(EngineConfig::default());
    let group: IpAddr = "239.255.0.1".parse().expect("group");
    multicast_round(&engine, &mut events, "0.0.0.0", "127.0.0.1", group, MulticastInterface::V4(Ipv4Addr::LOCALHOST));

    // Linux turns a route through lo into a reject route unless it is of type
    // local; a local route delivers the group's datagrams to this host.
    let route = ["-6", "route", "add", "local", "ff00::/8", "dev", "lo", "table", "local"];
    if let Err(why) = run(Command::new("ip").args(route)) {
        println!("SKIPPED IPv6 multicast: cannot route ff00::/8 to lo ({why})");
        return;
    }
    let lo = local_interfaces().into_iter().find(|i| i.ip == IpAddr::V6(Ipv6Addr::LOCALHOST)).and_then(|i| i.index);
    let lo = lo.expect("lo has ::1 and an index");
    let group: IpAddr = "ff15::4e41".parse().expect("group");
    multicast_round(&engine, &mut events, "::", "::1", group, MulticastInterface::V6(lo));
}

/// A receiving socket on `any` joins `group` on `interface`; a socket on
/// `sender_ip` sends to the group; the receiver gets it; the receiver leaves.
fn multicast_round(
    engine: &EngineHandle,
    events: &mut EventReceiver,
    any: &str,
    sender_ip: &str,
    group: IpAddr,
    interface: MulticastInterface,
) {
    let any: IpAddr = any.parse().expect("ip");
    let (receiver, receiver_addr) = bind_udp(engine, events, BindUdp::new(SocketAddr::new(any, 0)));
    engine.join_multicast(receiver, group, interface).expect("queue join");
    let joined = wait_for_event(events, PATIENCE, |e| e.conn() == Some(receiver));
    assert!(
        matches!(joined, Event::MulticastJoined { group: g, interface: i, .. } if g == group && i == interface),
        "{joined:?}"
    );

    let request =
        BindUdp { multicast_ttl: Some(1), ..BindUdp::new(SocketAddr::new(sender_ip.parse().expect("ip"), 0)) };
    let (sender, sender_addr) = bind_udp(engine, events, request);
    let to = SocketAddr::new(group, receiver_addr.port());
    engine.send_to(sender, group.to_string(), to.port(), payload(100)).expect("queue send_to");
    // The receiver may report the datagram before the sender reports it sent.
    let mut log = EventLog::default();
    let datagram = |e: &Event, id: ConnId| match e {
        Event::Sent { conn, peer, data, .. } if *conn == id => *peer == to && *data == payload(100),
        Event::Received { conn, peer, data, .. } if *conn == id => *peer == sender_addr && *data == payload(100),
        _ => false,
    };
    log.until(events, "the datagram sent and received", |all| {
        all.iter().any(|e| datagram(e, sender)) && all.iter().any(|e| datagram(e, receiver))
    });
    let others: Vec<&Event> = log.events.iter().filter(|e| !datagram(e, sender) && !datagram(e, receiver)).collect();
    assert!(others.is_empty(), "{others:#?}");

    engine.leave_multicast(receiver, group, interface).expect("queue leave");
    let left = wait_for_event(events, PATIENCE, |e| e.conn() == Some(receiver));
    assert!(matches!(left, Event::MulticastLeft { group: g, .. } if g == group), "{left:?}");
    engine.leave_multicast(receiver, group, interface).expect("queue leave");
    let error = failure(events, receiver);
    assert_eq!(error, EngineError::NotMember { group, interface });
    assert!(error.to_string().contains("not a member"), "{error}");
    engine.join_multicast(receiver, "127.0.0.1".parse().expect("ip"), MulticastInterface::Any).expect("queue join");
    assert!(matches!(failure(events, receiver), EngineError::NotMulticast { .. }));
    println!("multicast {group} on {interface}: joined, received, left");
}

/// A socket on `::` takes IPv4 too; the engine shows IPv4-mapped peers as
/// IPv4 and sends to IPv4 addresses. (Run in the namespace: `::` listens on
/// every interface, and there only loopback exists.)
fn dual_stack_round() {
    let (engine, mut events) = start_engine(EngineConfig::default());
    let (socket, local) = bind_udp(&engine, &mut events, BindUdp::new("[::]:0".parse().expect("addr")));
    let other = std_udp("127.0.0.1:0");
    let other_addr = other.local_addr().expect("addr");
    other.send_to(b"v4", SocketAddr::from(([127, 0, 0, 1], local.port()))).expect("send");
    let received = wait_for_event(&mut events, PATIENCE, |e| e.conn() == Some(socket));
    assert!(matches!(received, Event::Received { peer, .. } if peer == other_addr), "{received:?}");
    send_to(&engine, &mut events, socket, other_addr, &payload(2));
    let mut buf = [0u8; 4];
    assert_eq!(other.recv_from(&mut buf).expect("receive"), (2, SocketAddr::from(([127, 0, 0, 1], local.port()))));
}

#[test]
fn eliding_counts_every_datagram_and_the_last_arrives_whole() {
    // 20 datagrams of 4,000 bytes (each takes at most 8 KiB of the socket's
    // buffer): well under the smallest receive buffer Linux grants (416 KiB),
    // so none is dropped while nobody takes the events; far over the 8 KiB
    // event budget, so most go as their length only.
    const COUNT: usize = 20;
    const SIZE: usize = 4_000;
    let config = EngineConfig { event_bytes_budget: 8 * 1024, elide_when_behind: true, ..EngineConfig::default() };
    // Each event queued wakes "the UI": counted, to know when the engine has
    // read every datagram before any event is taken.
    let (woken_tx, woken) = std::sync::mpsc::sync_channel(4 * COUNT);
    let wake: Wake = Arc::new(move || {
        let _ = woken_tx.try_send(());
    });
    let (engine, mut events) = EngineHandle::start(config, wake).expect("engine starts");
    let (socket, local) = bind_udp(&engine, &mut events, BindUdp::new("127.0.0.1:0".parse().expect("addr")));
    let sender = std_udp("127.0.0.1:0");
    let datagram = |i: usize| vec![i as u8; SIZE];
    for i in 0..COUNT {
        sender.send_to(&datagram(i), local).expect("send");
    }
    // UdpBound, then every datagram but the last (held back whole while the
    // budget is spent) queued, whole or elided.
    for _ in 0..COUNT {
        woken.recv_timeout(PATIENCE).expect("the engine queues the datagrams");
    }
    let (mut whole, mut elided, mut last) = (0, 0, Vec::new());
    while whole + elided < COUNT {
        match next_event(&mut events, PATIENCE) {
            Event::Received { conn, data, .. } if conn == socket => {
                assert_eq!(data.len(), SIZE, "a datagram arrives whole or not at all");
                whole += 1;
                last = data.to_vec();
            }
            Event::Elided { conn, len, outgoing: false, .. } if conn == socket => {
                assert_eq!(len, SIZE);
                elided += 1;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(elided > 0, "the budget made the engine elide");
    assert_eq!(last, datagram(COUNT - 1), "the last datagram is shown whole");
    engine.close_udp(socket).expect("close");
    assert!(matches!(next_event(&mut events, PATIENCE), Event::UdpClosed { .. }));
}
