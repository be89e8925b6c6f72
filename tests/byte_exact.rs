//! Byte-exactness through the real app (real engine, 127.0.0.1, port 0): a
//! TCP flood in random chunk sizes and a UDP burst of random sizes, both
//! captured; the capture's payloads hash to exactly what went over the wire,
//! and the session's counters match, while a tiny receive view dropped most
//! of the records.
//!
//! The flood is 64 MiB; `NETASSIST_FLOOD_MIB=256` (or any size) for a manual run.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or bench) fails by panicking

mod support;
mod ui_support;

use netassist::ids::Direction;
use std::io::{BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::time::{Duration, Instant};

use eframe::egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use netassist::app::StartOptions;
use netassist::capture::{CaptureReader, CaptureRecord, RecordKind};
use netassist::model::LinkState;
use netassist::view::StoreLimits;
use sha2::{Digest, Sha256};
use support::Rng;
use ui_support::{AppHarness, OPEN, app_harness, fill, open_local, saved_capture, step_until, step_until_within};

/// The flood's default size, in MiB.
const DEFAULT_FLOOD_MIB: usize = 64;

/// A view that keeps almost nothing, so nearly every record is dropped from it.
const TINY: StoreLimits = StoreLimits { max_records: 16, max_bytes: 256 << 10 };

fn sha256(data: &[u8]) -> Vec<u8> {
    Sha256::digest(data).to_vec()
}

/// Every record of the capture at `path`, failing on any damage.
fn read_capture(path: &Path) -> Vec<CaptureRecord> {
    let file = std::fs::File::open(path).expect("the capture file");
    CaptureReader::new(BufReader::new(file)).expect("a capture").map(|r| r.expect("every record intact")).collect()
}

/// The app with the capture switched on, writing under `data_dir`.
fn capturing(data_dir: &Path, connect_to: Option<u16>) -> AppHarness {
    let mut options = StartOptions { data_dir: Some(data_dir.to_path_buf()), limits: TINY, ..StartOptions::default() };
    options.settings.capture = true;
    if let Some(port) = connect_to {
        options.settings.remote_port = port.to_string();
        options.connect = true;
    }
    app_harness(options)
}

#[test]
fn a_tcp_flood_in_random_chunks_is_captured_and_counted_to_the_byte() {
    let mib = std::env::var("NETASSIST_FLOOD_MIB").ok().and_then(|n| n.parse().ok()).unwrap_or(DEFAULT_FLOOD_MIB);
    let flood = mib << 20;
    // What the app sends while the flood comes in: 16 payloads of 1 KiB, typed as hex.
    const UP_SENDS: usize = 16;
    let mut up = Vec::new();
    Rng(0x5EED_B0B0).fill(&mut up, 1024);
    let up_hex: String = up.iter().map(|b| format!("{b:02X} ")).collect();

    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let server = std::thread::Builder::new()
        .name("byte_exact-0".to_owned())
        .spawn(move || -> std::io::Result<(Vec<u8>, Vec<u8>)> {
            let (stream, _) = listener.accept()?;
            stream.set_read_timeout(Some(support::PATIENCE))?;
            let mut writer = stream.try_clone()?;
            // Random chunk sizes (1 byte to 128 KiB) of random bytes, hashed as written.
            let flooding = std::thread::Builder::new()
                .name("byte_exact-1".to_owned())
                .spawn(move || -> std::io::Result<Vec<u8>> {
                    let (mut rng, mut hash, mut left, mut chunk) = (Rng(0x5EED_F100), Sha256::new(), flood, Vec::new());
                    while left > 0 {
                        let len = (1 + rng.upto(128 << 10)).min(left);
                        rng.fill(&mut chunk, len);
                        writer.write_all(&chunk)?;
                        hash.update(&chunk);
                        left -= len;
                    }
                    Ok(hash.finalize().to_vec())
                })
                .expect("spawn a thread");
            let mut received = Vec::new();
            (&stream).take((UP_SENDS * 1024) as u64).read_to_end(&mut received)?;
            let sent = flooding.join().expect("flood thread")?;
            Ok((sent, received))
            // Closing ends the session, which stops the capture.
        })
        .expect("spawn a thread");

    let data = tempfile::tempdir().expect("temp dir");
    let mut harness = capturing(data.path(), Some(port));
    step_until(&mut harness, "Connected", |h| matches!(h.state().tab().session.state, LinkState::Connected { .. }));
    harness.get_by_label("as hex").click();
    harness.step();
    fill(&mut harness, "Send data", &up_hex);
    let started = Instant::now();
    for _ in 0..UP_SENDS {
        harness.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
        harness.step();
    }
    // A debug build moves ~6 MiB/s through the app here; leave room for slower machines.
    let patience = Duration::from_mins(1) + Duration::from_secs(2) * mib as u32;
    step_until_within(&mut harness, "the flood to end", patience, |h| {
        h.state().tab().session.state == LinkState::Idle && h.state().tab().session.counters.rx_bytes > 0
    });
    let elapsed = started.elapsed();
    let (flood_digest, up_received) = server.join().expect("server thread").expect("server I/O");
    println!("flood: {mib} MiB through the app in {elapsed:.1?}");

    let session = &harness.state().tab().session;
    assert_eq!(session.counters.rx_bytes, flood as u64, "RX counter");
    assert_eq!((session.counters.tx_bytes, session.counters.tx_packets), ((UP_SENDS * 1024) as u64, UP_SENDS as u64));
    assert_eq!(up_received, up.repeat(UP_SENDS), "the server got every byte sent, in order");
    let stats = session.view.stats();
    assert!(stats.records <= 16 && stats.dropped_records > 100, "the view dropped most records: {stats:?}");
    let rx_packets = session.counters.rx_packets;

    let records = read_capture(&saved_capture(&mut harness));
    let (mut rx, mut tx, mut rx_records, mut rx_bytes) = (Sha256::new(), Vec::new(), 0u64, 0u64);
    for record in &records {
        match (&record.kind, record.direction) {
            (RecordKind::Data { payload }, Direction::Rx) => {
                rx.update(payload);
                rx_records += 1;
                rx_bytes += payload.len() as u64;
            }
            (RecordKind::Data { payload }, Direction::Tx) => tx.extend_from_slice(payload),
            _ => {}
        }
    }
    assert_eq!(rx_bytes, flood as u64, "captured RX bytes");
    assert_eq!(rx.finalize().to_vec(), flood_digest, "the captured RX payloads hash to what the server sent");
    assert_eq!(rx_records, rx_packets, "one capture record per read the session counted");
    assert_eq!(sha256(&tx), sha256(&up_received), "the captured TX payloads are what the server received");
    assert!(matches!(records.first().map(|r| &r.kind), Some(RecordKind::Opened { .. })));
    assert!(matches!(records.last().map(|r| &r.kind), Some(RecordKind::Closed { .. })));
}

#[test]
fn a_udp_burst_of_random_sizes_is_captured_whole_and_counted() {
    const DATAGRAMS: usize = 600;
    /// Datagrams sent before waiting for the app to take them (the socket's
    /// receive buffer must hold a window, or the kernel drops datagrams).
    const WINDOW_BYTES: usize = 128 << 10;
    let data = tempfile::tempdir().expect("temp dir");
    let mut harness = capturing(data.path(), None);
    harness.step();
    let local = open_local(&mut harness, "UDP", OPEN);
    let peer = support::std_udp("127.0.0.1:0");
    let peer_addr = peer.local_addr().expect("addr");

    // Empty, one byte, MTU-sized and the largest, then random sizes (mostly small, some huge).
    let mut rng = Rng(0x5EED_0D0D);
    let mut sizes = vec![0, 1, 1472, 65_507];
    sizes.extend((4..DATAGRAMS).map(|_| if rng.upto(7) == 0 { rng.upto(65_507) } else { rng.upto(1500) }));
    let datagrams: Vec<Vec<u8>> = sizes
        .iter()
        .map(|&len| {
            let mut d = Vec::new();
            rng.fill(&mut d, len);
            d
        })
        .collect();
    let mut sent = 0;
    while sent < datagrams.len() {
        let (mut end, mut bytes) = (sent, 0);
        while end < datagrams.len() && (end == sent || bytes + datagrams[end].len() <= WINDOW_BYTES) {
            bytes += datagrams[end].len();
            end += 1;
        }
        for datagram in &datagrams[sent..end] {
            peer.send_to(datagram, local).expect("send");
        }
        step_until(&mut harness, "the window to arrive", |h| h.state().tab().session.counters.rx_packets == end as u64);
        sent = end;
    }
    let total: usize = sizes.iter().sum();
    let session = &harness.state().tab().session;
    assert_eq!(session.counters.rx_bytes, total as u64);
    assert!(session.view.stats().dropped_records > 500, "{:?}", session.view.stats());
    harness.get_by_label("Close").click();

    let records = read_capture(&saved_capture(&mut harness));
    let payloads: Vec<&[u8]> =
        records.iter().filter(|r| r.direction == Direction::Rx).filter_map(|r| r.payload().map(|p| &p[..])).collect();
    assert_eq!(payloads.len(), DATAGRAMS, "one record per datagram");
    assert!(payloads.iter().zip(&datagrams).all(|(got, want)| got == want), "each datagram whole, in order");
    assert_eq!(sha256(&payloads.concat()), sha256(&datagrams.concat()));
    let data_records = records.iter().filter(|r| r.payload().is_some());
    assert!(data_records.clone().all(|r| r.peer == peer_addr.to_string()), "each with its source");
}
