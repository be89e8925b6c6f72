//! Issue "lossless capture": what capturing costs a TCP flood. A plain
//! server thread on 127.0.0.1 writes 256 MiB as fast as it can to an engine
//! client connection, and a minimal consumer drains the engine's events
//! (counting the bytes received): with no capture, capturing to a file in
//! the build's temporary folder (same disk as the build), and capturing to
//! `io::sink()` (the capture's own cost without the disk's), in alternating
//! rounds of the same run.
//!
//! A run is timed from `Connected` until the connection's `Closed` and, when
//! capturing, the capture's `CaptureStopped` (its file complete and flushed
//! to the OS; no fsync, as in the app). Reports MiB/s per round, the median
//! of each mode and the ratios to OFF.
//!
//! Run: `cargo bench --bench capture` (`NETASSIST_FLOOD_MIB=64` for another size).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a bench fails by panicking
#![allow(missing_docs)] // criterion_group! makes an undocumented pub fn

use std::io::Write;
use std::net::TcpListener;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use netassist::engine::{EngineConfig, EngineHandle, Event, EventReceiver, TcpConnect};

/// MiB sent unless `NETASSIST_FLOOD_MIB` says otherwise.
const DEFAULT_MIB: usize = 256;
/// Rounds of each mode.
const ROUNDS: usize = 5;
/// Bytes per server write.
const CHUNK: usize = 64 * 1024;
/// How long one event may take before the bench gives up.
const PATIENCE: Duration = Duration::from_mins(1);

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("capture bench: FAILED: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mib = match std::env::var("NETASSIST_FLOOD_MIB") {
        Ok(text) => text.parse::<usize>().map_err(|_| format!("NETASSIST_FLOOD_MIB={text} is not a number"))?,
        Err(_) => DEFAULT_MIB,
    };
    let total = mib << 20;
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).map_err(|e| format!("temp dir: {e}"))?;
    println!("capture bench: {mib} MiB loopback TCP flood through the engine, {ROUNDS} rounds of each mode");
    let (mut off, mut on, mut sink) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let seconds = flood(total, Capture::Off)?;
        println!("round {round}: capture OFF  {:8.1} MiB/s ({seconds:.3} s)", mib as f64 / seconds);
        off.push(mib as f64 / seconds);
        let path = dir.path().join(format!("flood-{round}.nacap"));
        let seconds = flood(total, Capture::File(&path))?;
        let size = std::fs::metadata(&path).map_err(|e| format!("capture file: {e}"))?.len();
        println!(
            "round {round}: capture ON   {:8.1} MiB/s ({seconds:.3} s, file {:.1} MiB)",
            mib as f64 / seconds,
            size as f64 / f64::from(1 << 20)
        );
        on.push(mib as f64 / seconds);
        std::fs::remove_file(&path).map_err(|e| format!("removing the capture: {e}"))?;
        let seconds = flood(total, Capture::Sink)?;
        println!("round {round}: capture SINK {:8.1} MiB/s ({seconds:.3} s)", mib as f64 / seconds);
        sink.push(mib as f64 / seconds);
    }
    let (off, on, sink) = (median(&mut off), median(&mut on), median(&mut sink));
    println!(
        "median: OFF {off:.1} MiB/s, ON {on:.1} MiB/s (ON/OFF {:.2}), SINK {sink:.1} MiB/s (SINK/OFF {:.2})",
        on / off,
        sink / off
    );
    Ok(())
}

/// Where a flood is captured.
#[derive(Clone, Copy)]
enum Capture<'a> {
    /// Not at all.
    Off,
    /// To a new file.
    File(&'a Path),
    /// To `io::sink()`: records, checksums and the writer thread, no disk.
    Sink,
}

/// One flood of `total` bytes, captured as `capture` says; returns seconds taken.
fn flood(total: usize, capture: Capture<'_>) -> Result<f64, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("bind: {e}"))?;
    let addr = listener.local_addr().map_err(|e| format!("addr: {e}"))?;
    let server = std::thread::Builder::new()
        .name("capture-0".to_owned())
        .spawn(move || -> std::io::Result<()> {
            let (mut stream, _) = listener.accept()?;
            // Not all zeros, not compressible by accident; the same for every round.
            let chunk: Vec<u8> = (0..CHUNK).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
            let mut left = total;
            while left > 0 {
                let n = left.min(CHUNK);
                stream.write_all(&chunk[..n])?;
                left -= n;
            }
            Ok(())
        })
        .expect("spawn a thread");
    let (engine, mut events) =
        EngineHandle::start(EngineConfig::default(), Arc::new(|| {})).map_err(|e| format!("engine: {e}"))?;
    let started_capture = match capture {
        Capture::Off => Ok(false),
        Capture::File(path) => engine.start_capture(path.to_owned()).map(|()| true),
        Capture::Sink => engine.start_capture_to("sink".into(), Box::new(std::io::sink())).map(|()| true),
    };
    if started_capture.map_err(|e| e.to_string())? {
        match next(&mut events)? {
            Event::CaptureStarted { .. } => {}
            other => return Err(format!("expected CaptureStarted, got {other:?}")),
        }
    }
    let request = TcpConnect {
        host: "127.0.0.1".to_owned(),
        port: addr.port(),
        local_port: None,
        timeout: Duration::from_secs(5),
        half_close: false,
        keepalive: Some(netassist::engine::DEFAULT_KEEPALIVE),
    };
    engine.connect_tcp(request).map_err(|e| e.to_string())?;
    let mut started = None;
    let mut received = 0;
    loop {
        match next(&mut events)? {
            Event::Connected { .. } => started = Some(Instant::now()),
            Event::Received { data, .. } => received += data.len(),
            Event::Closed { .. } => break,
            Event::Connecting { .. } => {}
            other => return Err(format!("unexpected {other:?}")),
        }
    }
    if received != total {
        return Err(format!("received {received} bytes of {total}"));
    }
    if !matches!(capture, Capture::Off) {
        engine.stop_capture().map_err(|e| e.to_string())?;
        match next(&mut events)? {
            Event::CaptureStopped { bytes, .. } if bytes > total as u64 => {}
            other => return Err(format!("expected CaptureStopped of the whole flood, got {other:?}")),
        }
    }
    let seconds = started.ok_or("never connected")?.elapsed().as_secs_f64();
    server.join().map_err(|_| "server thread panicked")?.map_err(|e| format!("server: {e}"))?;
    drop(engine);
    Ok(seconds)
}

fn next(events: &mut EventReceiver) -> Result<Event, String> {
    events.recv_timeout(PATIENCE).ok_or_else(|| format!("no engine event within {PATIENCE:?}"))
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
