//! The lossless capture through the real app: switched on in the UI, it
//! holds every byte of a flood while the view keeps only a few records;
//! File ▸ Open capture reads it back, in any charset (one too big for the
//! view opens whole, first record to last); a capture folder that
//! cannot be written is reported and the connection goes on.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or bench) fails by panicking

mod support;
mod ui_support;

use netassist::ids::Direction;
use std::io::Write;
use std::path::Path;

use egui_kittest::kittest::Queryable;
use netassist::app::StartOptions;
use netassist::capture::{CaptureReader, RecordKind};
use netassist::files::CAPTURES_DIR;
use netassist::model::{CaptureState, LinkState};
use netassist::view::StoreLimits;
use sha2::{Digest, Sha256};
use ui_support::{
    AppHarness, REPLY_TEXT, REQUEST_TEXT, app_harness, app_harness_with_tofu, capturing_client, choose, fill, has_text,
    saved_capture, step_until,
};

/// The app with the capture switched on, writing under `data_dir`, connecting to 127.0.0.1:`port`.
fn capturing_app(data_dir: &Path, port: u16, limits: StoreLimits) -> AppHarness {
    app_harness(StartOptions { limits, ..capturing_client(data_dir, port) })
}

fn wait_connected(harness: &mut AppHarness) {
    step_until(harness, "Connected", |h| matches!(h.state().tab().session.state, LinkState::Connected { .. }));
}

#[test]
fn the_tutorial_exchange_is_captured_and_reads_back_in_any_charset() {
    let server = support::spawn_tutorial_server();
    let data = tempfile::tempdir().expect("temp dir");
    let mut harness = capturing_app(data.path(), server.addr.port(), StoreLimits::default());
    wait_connected(&mut harness);
    fill(&mut harness, "Send data", REQUEST_TEXT);
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the peer's close", |h| h.state().tab().session.state == LinkState::Idle);
    let path = saved_capture(&mut harness);
    assert!(path.starts_with(data.path().join(CAPTURES_DIR)), "{path:?}");
    assert!(path.extension().is_some_and(|e| e == "nacap"));
    harness.run_steps(2);
    assert!(has_text(&harness, "Capture saved:"));

    harness.state_mut().tab_mut().session.view.clear();
    harness.state_mut().tab_mut().open_capture_file(&path).expect("opens");
    harness.run_steps(2);
    assert!(has_text(&harness, "read-only"));
    assert!(has_text(&harness, REPLY_TEXT) && has_text(&harness, REQUEST_TEXT));
    assert!(has_text(&harness, "53 payload bytes"), "21 sent + 32 received");
    choose(&mut harness, &netassist::ui::capture_charset(), "UTF-8");
    harness.run_steps(2);
    assert!(!has_text(&harness, REPLY_TEXT) && has_text(&harness, "\\xCE"), "re-read in another charset");
    choose(&mut harness, &netassist::ui::capture_charset(), "GBK");
    harness.run_steps(2);
    assert!(has_text(&harness, REPLY_TEXT));
    harness.get_by_label(&netassist::ui::close_capture()).click();
    harness.run_steps(2);
    assert!(harness.state().tab().viewer.is_none());
}

#[test]
fn a_flood_is_captured_whole_while_the_view_keeps_only_a_few_records() {
    const FLOOD: usize = 8 << 20;
    let (digest_tx, digest_rx) = std::sync::mpsc::sync_channel(1);
    let server = support::LoopbackServer::spawn(move |mut stream| {
        let (mut hash, mut state, mut left) = (Sha256::new(), 0x2545_F491_4F6C_DD1Du64, FLOOD);
        let mut chunk = Vec::new();
        while left > 0 {
            // Random chunk sizes and bytes (xorshift), so no framing lines up by luck.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let size = (state as usize % 60_000 + 1).min(left);
            chunk.clear();
            chunk.extend((0..size).map(|i| (state >> (i % 8 * 8)) as u8 ^ i as u8));
            if stream.write_all(&chunk).is_err() {
                return;
            }
            hash.update(&chunk);
            left -= size;
        }
        let _ = digest_tx.send(hash.finalize().to_vec());
        // Closing ends the session, which stops the capture.
    });
    let data = tempfile::tempdir().expect("temp dir");
    let tiny = StoreLimits { max_records: 16, max_bytes: 256 << 10 };
    // Random bytes decode to characters no font here has: shown as boxes, as in the app.
    let mut harness =
        app_harness_with_tofu(StartOptions { limits: tiny, ..capturing_client(data.path(), server.addr.port()) });
    step_until(&mut harness, "the flood to end", |h| {
        h.state().tab().session.state == LinkState::Idle && h.state().tab().session.counters.rx_bytes > 0
    });
    let sent = digest_rx.recv().expect("server digest");
    assert_eq!(harness.state().tab().session.counters.rx_bytes, FLOOD as u64);
    assert!(harness.state().tab().session.view.stats().dropped_records > 0, "the view dropped most records");
    let path = saved_capture(&mut harness);

    let file = std::fs::File::open(&path).expect("capture file");
    let (mut hash, mut kinds) = (Sha256::new(), Vec::new());
    for record in CaptureReader::new(std::io::BufReader::new(file)).expect("a capture") {
        let record = record.expect("every record intact");
        match &record.kind {
            RecordKind::Data { payload } if record.direction == Direction::Rx => hash.update(payload),
            RecordKind::Opened { .. } => kinds.push("opened"),
            RecordKind::Closed { .. } => kinds.push("closed"),
            RecordKind::Data { .. } => {}
        }
    }
    assert_eq!(hash.finalize().to_vec(), sent, "the capture holds exactly what was sent");
    assert_eq!(kinds, ["opened", "closed"]);

    // Far bigger than the view: it opens whole, every record in it.
    harness.state_mut().tab_mut().open_capture_file(&path).expect("opens");
    assert!(harness.state().tab().viewer.is_none());
    step_until(&mut harness, "the index", |h| h.state().tab().big.as_ref().is_some_and(|b| !b.capture.indexing()));
    let big = &mut harness.state_mut().tab_mut().big.as_mut().expect("opened whole").capture;
    assert_eq!(big.index.counts().payload_bytes, FLOOD as u64);
    assert!(big.problem().is_none());
    let rows = big.row_count();
    let first = big.rows(0, 1)[0].body.clone();
    assert!(first.starts_with("Connected to 127.0.0.1:"), "the first record is the opening: {first}");
    let last = big.rows(rows - 1, 1)[0].body.clone();
    assert!(
        last.contains("Connection with 127.0.0.1:") && last.contains("ended"),
        "the last record is the close: {last}"
    );
}

#[test]
fn an_unwritable_capture_folder_is_reported_and_the_connection_goes_on() {
    let server = support::spawn_tutorial_server();
    let data = tempfile::tempdir().expect("temp dir");
    let blocked = data.path().join("a-file");
    std::fs::write(&blocked, b"").expect("write");
    let mut harness = capturing_app(&blocked, server.addr.port(), StoreLimits::default());
    wait_connected(&mut harness);
    step_until(&mut harness, "the capture failure", |h| {
        matches!(h.state().tab().session.capture, CaptureState::Failed { .. })
    });
    harness.run_steps(2);
    assert!(has_text(&harness, "Capture stopped:"));
    assert!(!harness.state().tab().settings.capture, "the switch goes off");
    fill(&mut harness, "Send data", REQUEST_TEXT);
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the reply", |h| has_text(h, REPLY_TEXT));
}
