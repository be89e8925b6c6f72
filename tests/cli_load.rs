//! `netassist run SCRIPT --connections N --repeat M [--rate R] [--csv FILE]`,
//! the binary, against a threaded echo server on 127.0.0.1.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io;
use std::net::{SocketAddr, TcpListener};

use support::cli::{finish, netassist};
use support::*;

/// An echo server that serves every connection at once, each on a thread.
fn spawn_threaded_echo() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    spawn_named("echo-accept", move || {
        for stream in listener.incoming().flatten() {
            spawn_named("echo-conn", move || {
                if let Ok(mut reader) = stream.try_clone() {
                    let mut writer = stream;
                    let _ = io::copy(&mut reader, &mut writer);
                }
            });
        }
    });
    addr
}

fn script(dir: &tempfile::TempDir, text: &str) -> std::path::PathBuf {
    let path = dir.path().join("load.nas");
    std::fs::write(&path, text).expect("write");
    path
}

const PING: &str = "charset utf-8\nconnect 127.0.0.1:7\nrepeat 5 {\n  send \"ping ${seq}\\n\"\n  expect regex \"ping \\d+\\n\" timeout 5s\n}\nclose\n";

#[test]
fn n_connections_m_runs_with_round_trip_percentiles_and_csv() {
    let echo = spawn_threaded_echo();
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("runs.csv");
    let done = finish(
        netassist()
            .arg("run")
            .arg(script(&dir, PING))
            .args(["--remote", &echo.to_string(), "--connections", "4", "--repeat", "3", "--csv"])
            .arg(&csv),
    );
    assert_eq!(done.code, Some(0), "{done:?}");
    let out = &done.stdout;
    assert!(out.starts_with("load: 4 connections x 3 runs = 12 runs in "), "{out}");
    assert!(out.contains("\nruns: 12 passed, 0 failed\n"), "{out}");
    assert!(out.contains("\nrequests: 60 round trips, "), "{out}");
    let percentiles = out.lines().find(|l| l.starts_with("round trip: p50 ")).expect("percentiles");
    for label in ["p95 ", "p99 ", "max "] {
        assert!(percentiles.contains(label), "{percentiles}");
    }
    let rows: Vec<String> = std::fs::read_to_string(&csv).expect("csv").lines().map(str::to_owned).collect();
    assert_eq!(rows[0], "connection,run,slot_ms,start_ms,duration_ms,passed,failure,round_trips");
    assert_eq!(rows.len(), 13, "{rows:#?}");
    assert!(rows[1..].iter().all(|r| r.ends_with(",true,,5")), "{rows:#?}");
}

#[test]
fn failures_are_counted_by_kind() {
    let port = free_port();
    let dir = tempfile::tempdir().expect("temp dir");
    let done = finish(netassist().arg("run").arg(script(&dir, PING)).args([
        "--remote",
        &format!("127.0.0.1:{port}"),
        "--connections",
        "2",
        "--repeat",
        "2",
    ]));
    assert_eq!(done.code, Some(1), "{done:?}");
    assert!(done.stdout.contains("\nruns: 0 passed, 4 failed (refused 4)\n"), "{}", done.stdout);
    assert!(done.stdout.starts_with("first failure (connection "), "{}", done.stdout);
    assert!(done.stdout.contains("requests: 0 round trips"), "{}", done.stdout);
}

#[test]
fn a_rate_starts_runs_on_a_fixed_schedule() {
    let echo = spawn_threaded_echo();
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("runs.csv");
    let one_ping = "charset utf-8\nconnect 127.0.0.1:7\nsend \"x\"\nexpect \"x\"\nclose\n";
    let done = finish(
        netassist()
            .arg("run")
            .arg(script(&dir, one_ping))
            .args(["--remote", &echo.to_string(), "--connections", "2", "--repeat", "5", "--rate", "100", "--csv"])
            .arg(&csv),
    );
    assert_eq!(done.code, Some(0), "{done:?}");
    assert!(done.stdout.contains("\nrate: 100 runs/s asked; "), "{}", done.stdout);
    let text = std::fs::read_to_string(&csv).expect("csv");
    let mut slots: Vec<f64> = text.lines().skip(1).map(|row| row.split(',').nth(2).unwrap().parse().unwrap()).collect();
    slots.sort_by(f64::total_cmp);
    let want: Vec<f64> = (0..10).map(|k| f64::from(k) * 10.0).collect();
    for (slot, want) in slots.iter().zip(&want) {
        assert!((slot - want).abs() < 0.01, "the k-th run's slot is k/R after the start: {slots:?}");
    }
    assert_eq!(slots.len(), 10);
    let starts: Vec<f64> = text.lines().skip(1).map(|row| row.split(',').nth(3).unwrap().parse().unwrap()).collect();
    for (row, (start, slot)) in starts
        .iter()
        .zip(text.lines().skip(1).map(|r| r.split(',').nth(2).unwrap().parse::<f64>().unwrap()))
        .enumerate()
    {
        assert!(*start >= slot, "run {row} started before its slot: {text}");
    }
}

#[test]
fn load_options_that_do_not_fit_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let listening = script(&dir, "listen 0\naccept\n");
    let done = finish(netassist().arg("run").arg(&listening).args(["--connections", "2"]));
    assert_eq!(done.code, Some(2), "{done:?}");
    assert!(done.stderr.contains("line 1 listens"), "{}", done.stderr);
    let done = finish(netassist().arg("run").arg(&listening).args(["--repeat", "2", "--junit", "x.xml"]));
    assert_eq!(done.code, Some(2), "{done:?}");
    assert!(done.stderr.contains("--junit reports the steps of one run"), "{}", done.stderr);
    let done = finish(netassist().arg("run").arg(&listening).args(["--rate", "0"]));
    assert_eq!(done.code, Some(2), "{done:?}");
    assert!(done.stderr.contains("'0' is not a rate"), "{}", done.stderr);
}
