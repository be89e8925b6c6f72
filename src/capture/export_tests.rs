use bytes::Bytes;
use etherparse::{IpSlice, TcpSlice, UdpSlice};

use super::*;
use crate::capture::CaptureWriter;

/// A packet read back: time, addresses, and its TCP or UDP part.
#[derive(Debug)]
struct Packet {
    micros: u64,
    source: SocketAddr,
    destination: SocketAddr,
    tcp: Option<Tcp>,
    payload: Vec<u8>,
}

#[derive(Debug, PartialEq, Eq)]
struct Tcp {
    seq: u32,
    ack: Option<u32>,
    flags: &'static str,
}

/// The packets of a pcapng file as [`PcapngWriter`] writes it.
fn packets(file: &[u8]) -> Vec<Packet> {
    let u32_at = |at: usize| u32::from_le_bytes([file[at], file[at + 1], file[at + 2], file[at + 3]]);
    let mut packets = Vec::new();
    let mut at = 0;
    while at < file.len() {
        let (kind, total) = (u32_at(at), u32_at(at + 4) as usize);
        assert_eq!(u32_at(at + total - 4) as usize, total, "block lengths agree");
        if kind == 6 {
            let micros = (u64::from(u32_at(at + 12)) << 32) | u64::from(u32_at(at + 16));
            let len = u32_at(at + 20) as usize;
            let data = &file[at + 28..at + 28 + len];
            let ip = IpSlice::from_slice(data).expect("an IP packet");
            let (source_ip, destination_ip) = (ip.source_addr(), ip.destination_addr());
            let transport = ip.payload().payload;
            let (tcp, ports, payload) = match TcpSlice::from_slice(transport) {
                Ok(tcp) if ip.payload_ip_number() == etherparse::IpNumber::TCP => {
                    let flags = match (tcp.syn(), tcp.fin(), tcp.psh(), tcp.ack()) {
                        (true, _, _, false) => "SYN",
                        (true, _, _, true) => "SYN-ACK",
                        (_, true, _, _) => "FIN-ACK",
                        (_, _, true, _) => "PSH-ACK",
                        _ => "ACK",
                    };
                    let ack = tcp.ack().then(|| tcp.acknowledgment_number());
                    let ports = (tcp.source_port(), tcp.destination_port());
                    (Some(Tcp { seq: tcp.sequence_number(), ack, flags }), ports, tcp.payload().to_vec())
                }
                _ => {
                    let udp = UdpSlice::from_slice(transport).expect("UDP");
                    (None, (udp.source_port(), udp.destination_port()), udp.payload().to_vec())
                }
            };
            packets.push(Packet {
                micros,
                source: SocketAddr::new(source_ip, ports.0),
                destination: SocketAddr::new(destination_ip, ports.1),
                tcp,
                payload,
            });
        }
        at += total;
    }
    packets
}

fn record(
    micros: i64,
    conn: u64,
    transport: Transport,
    direction: Direction,
    peer: &str,
    kind: RecordKind,
) -> CaptureRecord {
    CaptureRecord { micros, conn: ConnId(conn), transport, direction, peer: peer.to_owned(), kind }
}

fn data(payload: &[u8]) -> RecordKind {
    RecordKind::Data { payload: Bytes::copy_from_slice(payload) }
}

fn capture(records: &[CaptureRecord]) -> Vec<u8> {
    let mut writer = CaptureWriter::new(Vec::new()).unwrap();
    for record in records {
        writer.write_record(record).unwrap();
    }
    writer.into_inner()
}

const SERVER: &str = "127.0.0.1:8000";
const LOCAL: &str = "127.0.0.1:50000";

#[test]
fn a_tcp_connection_is_a_stream_with_a_handshake_and_consistent_numbers() {
    let opened = RecordKind::Opened { local: LOCAL.to_owned() };
    let closed = RecordKind::Closed { reason: "the peer closed it".to_owned() };
    let file = capture(&[
        record(10, 1, Transport::Tcp, Direction::Tx, SERVER, opened),
        record(11, 1, Transport::Tcp, Direction::Tx, SERVER, data(b"hello")),
        record(12, 1, Transport::Tcp, Direction::Rx, SERVER, data(b"hi")),
        record(13, 1, Transport::Tcp, Direction::Rx, SERVER, data(b" there")),
        record(14, 1, Transport::Tcp, Direction::Rx, SERVER, closed),
    ]);
    let (summary, out) = export_to_vec(&file[..]).unwrap();
    assert_eq!((summary.records, summary.packets, summary.streams, summary.problem), (5, 9, 1, None));
    let got = packets(&out);
    let (local, server): (SocketAddr, SocketAddr) = (LOCAL.parse().unwrap(), SERVER.parse().unwrap());
    let tx = |p: &Packet| p.source == local && p.destination == server;
    let rx = |p: &Packet| p.source == server && p.destination == local;
    let expect = [
        // (from us, flags, seq, ack, payload, time)
        (true, "SYN", ISN_OPENER, None, &b""[..], 10),
        (false, "SYN-ACK", ISN_OTHER, Some(ISN_OPENER + 1), b"", 10),
        (true, "ACK", ISN_OPENER + 1, Some(ISN_OTHER + 1), b"", 10),
        (true, "PSH-ACK", ISN_OPENER + 1, Some(ISN_OTHER + 1), b"hello", 11),
        (false, "PSH-ACK", ISN_OTHER + 1, Some(ISN_OPENER + 6), b"hi", 12),
        (false, "PSH-ACK", ISN_OTHER + 3, Some(ISN_OPENER + 6), b" there", 13),
        // The peer closed it: its FIN first.
        (false, "FIN-ACK", ISN_OTHER + 9, Some(ISN_OPENER + 6), b"", 14),
        (true, "FIN-ACK", ISN_OPENER + 6, Some(ISN_OTHER + 10), b"", 14),
        (false, "ACK", ISN_OTHER + 10, Some(ISN_OPENER + 7), b"", 14),
    ];
    assert_eq!(got.len(), 9);
    for (packet, (from_us, flags, seq, ack, payload, micros)) in got.iter().zip(expect) {
        assert!(if from_us { tx(packet) } else { rx(packet) }, "{packet:?}");
        assert_eq!(packet.tcp, Some(Tcp { seq, ack, flags }), "{packet:?}");
        assert_eq!((packet.payload.as_slice(), packet.micros), (payload, micros));
    }
}

#[test]
fn a_client_our_server_accepted_opens_from_the_peer_and_big_reads_are_cut_into_segments() {
    let client = "[::1]:40000";
    let opened = RecordKind::Opened { local: "[::1]:9000".to_owned() };
    let big: Vec<u8> = (0..MAX_SEGMENT * 2 + 10).map(|i| i as u8).collect();
    let file = capture(&[
        record(1, 7, Transport::Tcp, Direction::Rx, client, opened),
        record(2, 7, Transport::Tcp, Direction::Rx, client, data(&big)),
        record(3, 7, Transport::Tcp, Direction::Tx, client, RecordKind::Closed { reason: "closed locally".to_owned() }),
    ]);
    let (summary, out) = export_to_vec(&file[..]).unwrap();
    let got = packets(&out);
    assert_eq!(summary.packets, got.len() as u64);
    let flags: Vec<_> = got.iter().map(|p| p.tcp.as_ref().unwrap().flags).collect();
    assert_eq!(flags, ["SYN", "SYN-ACK", "ACK", "PSH-ACK", "PSH-ACK", "PSH-ACK", "FIN-ACK", "FIN-ACK", "ACK"]);
    assert_eq!(got[0].source, client.parse().unwrap(), "the client's SYN");
    let received: Vec<u8> = got[3..6].iter().flat_map(|p| p.payload.clone()).collect();
    assert_eq!(received, big);
    assert_eq!(got[4].tcp.as_ref().unwrap().seq, ISN_OPENER + 1 + MAX_SEGMENT as u32);
    assert_eq!(got[6].source, "[::1]:9000".parse().unwrap(), "we closed it: our FIN first");
}

#[test]
fn udp_datagrams_are_datagrams_with_their_addresses_and_times() {
    let bound = RecordKind::Opened { local: "127.0.0.1:9000".to_owned() };
    let file = capture(&[
        record(1_700_000_000_000_001, 3, Transport::Udp, Direction::Tx, "", bound),
        record(1_700_000_000_000_002, 3, Transport::Udp, Direction::Rx, "127.0.0.1:7000", data(b"")),
        record(1_700_000_000_000_003, 3, Transport::Udp, Direction::Tx, "127.0.0.1:7001", data(b"\xC4\xE3")),
        record(5, 3, Transport::Udp, Direction::Tx, "", RecordKind::Closed { reason: "closed locally".to_owned() }),
    ]);
    let (summary, out) = export_to_vec(&file[..]).unwrap();
    assert_eq!((summary.datagrams, summary.packets, summary.streams), (2, 2, 0));
    let got = packets(&out);
    assert_eq!(got[0].source, "127.0.0.1:7000".parse().unwrap());
    assert_eq!(got[0].destination, "127.0.0.1:9000".parse().unwrap());
    assert_eq!((got[0].payload.len(), got[0].micros), (0, 1_700_000_000_000_002));
    assert_eq!(got[1].source, "127.0.0.1:9000".parse().unwrap());
    assert_eq!(got[1].destination, "127.0.0.1:7001".parse().unwrap());
    assert_eq!(got[1].payload, b"\xC4\xE3");
    assert!(got.iter().all(|p| p.tcp.is_none()));
}

#[test]
fn a_connection_whose_opening_was_missed_still_makes_a_stream() {
    let file = capture(&[
        record(1, 42, Transport::Tcp, Direction::Rx, SERVER, data(b"late")),
        record(2, 43, Transport::Tcp, Direction::Rx, "[::ffff:127.0.0.1]:8001", data(b"mapped")),
    ]);
    let (summary, out) = export_to_vec(&file[..]).unwrap();
    assert_eq!(summary.streams, 2);
    let got = packets(&out);
    assert_eq!(got.len(), 8);
    assert_eq!(got[3].payload, b"late");
    assert_eq!(got[3].destination, SocketAddr::new(Ipv4Addr::UNSPECIFIED.into(), 49_152 + 42));
    // An IPv4-mapped peer is written as IPv4.
    assert_eq!(got[7].source, "127.0.0.1:8001".parse().unwrap());
}

#[test]
fn a_truncated_capture_exports_up_to_its_last_good_record() {
    let file = capture(&[
        record(1, 1, Transport::Udp, Direction::Rx, "127.0.0.1:7000", data(b"first")),
        record(2, 1, Transport::Udp, Direction::Rx, "127.0.0.1:7000", data(b"second")),
    ]);
    let (summary, out) = export_to_vec(&file[..file.len() - 2]).unwrap();
    assert!(matches!(summary.problem, Some(CaptureError::Truncated { .. })), "{summary:?}");
    let got = packets(&out);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].payload, b"first");
    assert!(matches!(export_to_vec(&b"not a capture"[..]), Err(ExportError::Capture(CaptureError::BadMagic))));
}

#[test]
fn an_export_never_writes_over_a_file_and_a_cancelled_one_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.nacap");
    let records: Vec<_> =
        (0..5000).map(|i| record(i, 1, Transport::Udp, Direction::Rx, "127.0.0.1:7000", data(b"x"))).collect();
    std::fs::write(&input, capture(&records)).unwrap();
    let existing = dir.path().join("precious.pcapng");
    std::fs::write(&existing, b"precious").unwrap();
    let error = export_file(&input, &existing, |_| true).unwrap_err();
    assert!(matches!(error, ExportError::Exists { .. }), "{error}");
    assert!(error.to_string().contains("already exists"), "{error}");
    assert_eq!(std::fs::read(&existing).unwrap(), b"precious");

    let output = dir.path().join("out.pcapng");
    let error = export_file(&input, &output, |_| false).unwrap_err();
    assert!(matches!(error, ExportError::Cancelled));
    assert!(!output.exists(), "a cancelled export leaves no file");

    let mut seen = Vec::new();
    let summary = export_file(&input, &output, |read| {
        seen.push(read);
        true
    })
    .unwrap();
    assert_eq!(summary.datagrams, 5000);
    assert_eq!(seen.last(), Some(&std::fs::metadata(&input).unwrap().len()), "progress ends at the whole file");
    assert!(seen.windows(2).all(|w| w[0] <= w[1]));
    let missing = export_file(&dir.path().join("missing.nacap"), &dir.path().join("x.pcapng"), |_| true).unwrap_err();
    assert!(missing.to_string().contains("cannot open"), "{missing}");
}
