//! `netassist export CAPTURE OUT.pcapng` on a capture the real engine made
//! over loopback (127.0.0.1 and ::1, port 0): tshark follows each TCP
//! connection and gets back exactly the bytes captured, both ways; the UDP
//! payloads, times and addresses are the captured ones; no checksum is bad
//! and tshark's TCP analysis finds no lost or out-of-order segment. Where
//! tshark is not installed, the tshark checks print a SKIPPED line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::HashMap;
use std::fs;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::Command;

use bytes::Bytes;
use netassist::capture::{CaptureReader, CaptureRecord, RecordKind, Transport};
use netassist::engine::*;
use netassist::ids::{ConnId, Direction};
use support::*;

/// The captured bytes of each (connection, direction), and the datagrams in order.
struct Captured {
    streams: HashMap<(ConnId, Direction), Vec<u8>>,
    datagrams: Vec<CaptureRecord>,
}

fn read_capture(path: &Path) -> Captured {
    let file = io::BufReader::new(fs::File::open(path).expect("open capture"));
    let mut captured = Captured { streams: HashMap::new(), datagrams: Vec::new() };
    for record in CaptureReader::new(file).expect("a capture") {
        let record = record.expect("an intact capture");
        if let RecordKind::Data { payload } = &record.kind {
            match record.transport {
                Transport::Tcp => {
                    captured.streams.entry((record.conn, record.direction)).or_default().extend_from_slice(payload);
                }
                Transport::Udp => captured.datagrams.push(record),
            }
        }
    }
    captured
}

/// A capture of a TCP client session (127.0.0.1), a TCP server session
/// (::1) and UDP datagrams both ways; returns the ids of the two connections
/// and of the socket.
fn make_capture(path: &Path) -> (ConnId, ConnId, ConnId) {
    let (engine, mut events) = start_engine(EngineConfig::default());
    engine.start_capture(path.to_owned()).expect("queue capture");
    wait_for_event(&mut events, PATIENCE, |e| matches!(e, Event::CaptureStarted { .. }));

    // 1. We connect; the server greets in GBK and answers each read with its bytes inverted.
    let server = LoopbackServer::spawn(|mut stream| {
        let _ = stream.write_all(REPLY_GBK);
        let mut buf = vec![0u8; 32 * 1024];
        while let Ok(n) = stream.read(&mut buf) {
            if n == 0 {
                break;
            }
            let answer: Vec<u8> = buf[..n].iter().map(|b| !b).collect();
            if stream.write_all(&answer).is_err() {
                break;
            }
        }
    });
    let client = connect_tcp(&engine, &mut events, server.addr);
    let mut rng = Rng(0x5EED_0015);
    let (mut sent, mut received) = (0, 0);
    for _ in 0..40 {
        let len = rng.size(20_000);
        let chunk = rng.bytes(len);
        sent += chunk.len();
        engine.send(client, Bytes::from(chunk)).expect("queue send");
    }
    // A chunk over one synthesized segment's size.
    let big = rng.bytes(150_000);
    sent += big.len();
    engine.send(client, Bytes::from(big)).expect("queue send");
    while received < sent + REPLY_GBK.len() {
        if let Event::Received { conn, data, .. } = next_event(&mut events, PATIENCE) {
            assert_eq!(conn, client);
            received += data.len();
        }
    }
    engine.disconnect(client).expect("queue disconnect");
    wait_for_event(&mut events, PATIENCE, |e| matches!(e, Event::Closed { conn, .. } if *conn == client));

    // 2. Our server on ::1; a client sends the tutorial's request, we reply, it closes.
    let (listener, bound) = listen(&engine, &mut events, ListenTcp::new("[::1]:0".parse().expect("addr")));
    let mut peer = TcpStream::connect(bound).expect("connect to ::1");
    let accepted = match wait_for_event(&mut events, PATIENCE, |e| matches!(e, Event::Accepted { .. })) {
        Event::Accepted { conn, .. } => conn,
        other => panic!("{other:?}"),
    };
    peer.write_all(REQUEST_GBK).expect("request");
    wait_for_event(&mut events, PATIENCE, |e| matches!(e, Event::Received { conn, .. } if *conn == accepted));
    engine.send(accepted, Bytes::from_static(REPLY_GBK)).expect("queue reply");
    assert_eq!(read_n(&mut peer, REPLY_GBK.len()), REPLY_GBK);
    drop(peer);
    wait_for_event(&mut events, PATIENCE, |e| matches!(e, Event::Closed { conn, .. } if *conn == accepted));
    engine.stop_listener(listener).expect("queue stop listener");

    // 3. UDP both ways: empty, small, GBK, MTU-sized and the largest datagram.
    let (socket, local) = bind_udp(&engine, &mut events, BindUdp::new("127.0.0.1:0".parse().expect("addr")));
    let other = std_udp("127.0.0.1:0");
    let other_addr = other.local_addr().expect("addr");
    let mut buf = vec![0u8; 65_536];
    for datagram in [Vec::new(), b"x".to_vec(), REQUEST_GBK.to_vec(), rng.bytes(1472), rng.bytes(65_507)] {
        other.send_to(&datagram, local).expect("send to engine");
        match wait_for_event(&mut events, PATIENCE, |e| matches!(e, Event::Received { .. })) {
            Event::Received { data, .. } => assert_eq!(data, datagram),
            other => panic!("{other:?}"),
        }
        let reply: Vec<u8> = datagram.iter().rev().copied().collect();
        engine.send_to(socket, "127.0.0.1".to_owned(), other_addr.port(), Bytes::from(reply.clone())).expect("send");
        let (n, _) = other.recv_from(&mut buf).expect("datagram from the engine");
        assert_eq!(&buf[..n], reply);
    }
    engine.close_udp(socket).expect("queue close");
    wait_for_event(&mut events, PATIENCE, |e| matches!(e, Event::UdpClosed { .. }));
    engine.stop_capture().expect("queue stop");
    wait_for_event(&mut events, PATIENCE, |e| matches!(e, Event::CaptureStopped { .. }));
    (client, accepted, socket)
}

#[test]
fn tshark_reads_back_exactly_the_bytes_captured() {
    let dir = tempfile::tempdir().expect("tempdir");
    let capture = dir.path().join("session.nacap");
    let pcapng = dir.path().join("session.pcapng");
    let (client, accepted, _socket) = make_capture(&capture);
    let captured = read_capture(&capture);
    assert_eq!(captured.streams.len(), 4, "both ways on both connections");
    assert_eq!(captured.datagrams.len(), 10);

    let output = Command::new(env!("CARGO_BIN_EXE_netassist"))
        .arg("export")
        .arg(&capture)
        .arg(&pcapng)
        .output()
        .expect("run netassist export");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    assert!(stdout.contains("2 TCP streams, 10 UDP datagrams"), "{stdout}");
    // Run again: the file is there, and it is not written over.
    let again = Command::new(env!("CARGO_BIN_EXE_netassist")).arg("export").arg(&capture).arg(&pcapng).output();
    let again = again.expect("run netassist export");
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"), "{again:?}");

    if let Err(why) = Command::new("tshark").arg("--version").output() {
        println!("SKIPPED tshark: not runnable ({why}); install it with `apt-get install tshark`");
        return;
    }
    // tshark numbers streams by their first packet: our client's connection came first.
    for (stream, conn) in [(0, client), (1, accepted)] {
        let (node0, to_node1, to_node0) = follow(&pcapng, stream);
        println!("tshark stream {stream}: node 0 {node0} sent {} bytes, node 1 {}", to_node1.len(), to_node0.len());
        let is_local = match (stream, node0.ip().is_ipv6()) {
            (0, false) => true, // we connected: our SYN first
            (1, true) => false, // the peer connected to our server
            other => panic!("stream {stream}: unexpected first node {node0} {other:?}"),
        };
        let (from_node0, from_node1) =
            if is_local { (Direction::Tx, Direction::Rx) } else { (Direction::Rx, Direction::Tx) };
        assert!(
            to_node1 == captured.streams[&(conn, from_node0)],
            "stream {stream}: node 0's bytes are the captured ones"
        );
        assert!(
            to_node0 == captured.streams[&(conn, from_node1)],
            "stream {stream}: node 1's bytes are the captured ones"
        );
    }

    // UDP: payload, ports and time of each datagram, in order.
    let fields = tshark(
        &pcapng,
        &[
            "-Y",
            "udp",
            "-T",
            "fields",
            "-e",
            "frame.time_epoch",
            "-e",
            "udp.srcport",
            "-e",
            "udp.dstport",
            "-e",
            "udp.payload",
        ],
    );
    let lines: Vec<&str> = fields.lines().collect();
    assert_eq!(lines.len(), captured.datagrams.len(), "{fields}");
    for (line, record) in lines.iter().zip(&captured.datagrams) {
        let columns: Vec<&str> = line.split('\t').collect();
        let payload = record.payload().expect("data");
        assert_eq!(columns.get(3).copied().unwrap_or(""), hex(payload), "payload of {record:?}");
        let peer: SocketAddr = record.peer.parse().expect("peer");
        let peer_port = if record.direction == Direction::Rx { columns[1] } else { columns[2] };
        assert_eq!(peer_port, peer.port().to_string());
        let time = format!("{}.{:06}", record.micros / 1_000_000, record.micros % 1_000_000);
        assert!(columns[0].starts_with(&time), "time {} of {record:?}", columns[0]);
    }

    // Every checksum is good, and the TCP analysis finds nothing amiss.
    let checks = ["-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE"];
    let bad = "ip.checksum.status == 0 || tcp.checksum.status == 0 || udp.checksum.status == 0 \
               || tcp.analysis.lost_segment || tcp.analysis.retransmission || tcp.analysis.out_of_order \
               || tcp.analysis.ack_lost_segment";
    let mut args = checks.to_vec();
    args.extend(["-Y", bad]);
    assert_eq!(tshark(&pcapng, &args).trim(), "", "no packet is bad");
    let mut args = checks.to_vec();
    args.extend(["-Y", "tcp.checksum.status == 1"]);
    assert!(tshark(&pcapng, &args).lines().count() > 10, "the checksums were checked");
}

/// Runs tshark on `file` with `args`; its standard output.
fn tshark(file: &Path, args: &[&str]) -> String {
    let output = Command::new("tshark").arg("-r").arg(file).args(args).output().expect("run tshark");
    assert!(output.status.success(), "tshark {args:?}: {output:?}");
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// `tshark -z follow,tcp,raw,STREAM`: node 0's address, the bytes node 0
/// sent, and the bytes node 1 sent.
fn follow(file: &Path, stream: u32) -> (SocketAddr, Vec<u8>, Vec<u8>) {
    let text = tshark(file, &["-q", "-z", &format!("follow,tcp,raw,{stream}")]);
    let mut node0 = None;
    let (mut from0, mut from1) = (Vec::new(), Vec::new());
    for line in text.lines() {
        if let Some(addr) = line.strip_prefix("Node 0: ") {
            node0 = Some(addr.trim().parse::<SocketAddr>().unwrap_or_else(|_| parse_bracketless(addr.trim())));
        } else if let Some(data) = line.strip_prefix('\t') {
            from1.extend(unhex(data));
        } else if !line.is_empty() && line.bytes().all(|b| b.is_ascii_hexdigit()) {
            from0.extend(unhex(line));
        }
    }
    (node0.unwrap_or_else(|| panic!("no Node 0 in {text}")), from0, from1)
}

/// tshark writes an IPv6 node as `::1:PORT`, without brackets.
fn parse_bracketless(text: &str) -> SocketAddr {
    let (ip, port) = text.rsplit_once(':').unwrap_or_else(|| panic!("node {text}"));
    SocketAddr::new(ip.parse().unwrap_or_else(|_| panic!("node {text}")), port.parse().expect("port"))
}

fn unhex(text: &str) -> Vec<u8> {
    let text = text.trim();
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex")).collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
