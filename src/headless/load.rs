//! `netassist run SCRIPT --connections N --repeat M [--rate R] [--csv FILE]`:
//! N runners of the script at once on one engine, each running it M times;
//! with a rate, runs start on a fixed schedule (the k-th at start + k/R, so
//! a late start does not push the ones after it), whichever runner is free.
//! Prints runs/s, failures by kind and round-trip percentiles.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::args::RunArgs;
use super::load_stats::{LoadStats, RoundTrip, Summary};
use super::run::run_options;
use super::{EXIT_FAILED, EXIT_PASSED, EXIT_UNUSABLE, say};
use crate::engine::{EngineConfig, EngineHandle, Event};
use crate::ids::ConnId;
use crate::script::{Action, Outcome, Runner, Script, Step};

/// How long to wait for an event when nothing is due.
const IDLE: Duration = Duration::from_secs(1);

/// One of the N runners.
struct Worker {
    runner: Runner,
    runs_done: u64,
    running: bool,
    /// When its current run started, and its slot (with a rate).
    started: Instant,
    slot: Instant,
    trip: RoundTrip,
    /// When it asked to be polled again (a stale heap entry is one that differs).
    wake_at: Option<Instant>,
}

/// Runs the load test; the exit code.
pub fn run_load(script: &Script, args: &RunArgs) -> i32 {
    if args.junit.is_some() {
        eprintln!(
            "netassist: --junit reports the steps of one run; it does not go with --connections, --repeat, --rate or --csv"
        );
        return EXIT_UNUSABLE;
    }
    if args.connections > 1
        && let Some(line) = first_listen(&script.steps)
    {
        eprintln!(
            "netassist: line {line} listens: N connections at once need a script that connects (or binds UDP), not one that listens"
        );
        return EXIT_UNUSABLE;
    }
    let mut csv = match &args.csv {
        None => None,
        Some(path) => match File::create(path) {
            Ok(file) => Some(BufWriter::new(file)),
            Err(error) => {
                eprintln!("netassist: cannot write {}: {error}", path.display());
                return EXIT_UNUSABLE;
            }
        },
    };
    let mut stats = match LoadStats::new() {
        Ok(stats) => stats,
        Err(error) => {
            eprintln!("netassist: {error:?}");
            return EXIT_FAILED;
        }
    };
    let connections = args.connections as usize;
    let config = EngineConfig { command_capacity: (connections * 4).max(256), ..EngineConfig::default() };
    let (engine, mut events) = match EngineHandle::start(config, Arc::new(|| {})) {
        Ok(engine) => engine,
        Err(error) => {
            eprintln!("netassist: cannot start the network engine: {error}");
            return EXIT_FAILED;
        }
    };
    if let Some(out) = csv.as_mut() {
        let _ = writeln!(out, "connection,run,slot_ms,start_ms,duration_ms,passed,failure,round_trips");
    }
    let options = run_options(args);
    let t0 = Instant::now();
    let mut workers: Vec<Worker> = (0..connections)
        .map(|_| Worker {
            runner: Runner::new(script, options.clone()),
            runs_done: 0,
            running: false,
            started: t0,
            slot: t0,
            trip: RoundTrip::default(),
            wake_at: None,
        })
        .collect();
    let total = args.connections as u64 * args.repeat;
    let slot = |k: u64| args.rate.map(|rate| t0 + Duration::from_secs_f64(k as f64 / rate));
    let mut next_slot = 0u64;
    let mut idle: VecDeque<usize> = (0..connections).collect();
    let mut due: BinaryHeap<Reverse<(Instant, usize)>> = BinaryHeap::new();
    let mut touched: Vec<usize> = Vec::new();
    let mut routes: HashMap<ConnId, usize> = HashMap::new();
    let mut finished = 0u64;
    let mut failure: Option<(usize, String)> = None;
    while finished < total {
        let now = Instant::now();
        // Start what is due: every free runner at once, or the slots whose time has come.
        while next_slot < total {
            let at = slot(next_slot).unwrap_or(now);
            if at > now {
                break;
            }
            let Some(index) = idle.pop_front() else { break };
            let worker = &mut workers[index];
            worker.runner.restart();
            (worker.running, worker.started, worker.slot, worker.trip) = (true, now, at, RoundTrip::default());
            stats.started(now.saturating_duration_since(at));
            touched.push(index);
            next_slot += 1;
        }
        while let Some(&Reverse((at, index))) = due.peek() {
            if at > now {
                break;
            }
            due.pop();
            if workers[index].wake_at == Some(at) {
                touched.push(index);
            }
        }
        touched.sort_unstable();
        touched.dedup();
        for index in std::mem::take(&mut touched) {
            let worker = &mut workers[index];
            if !worker.running {
                continue;
            }
            let progress = worker.runner.poll(&engine, now);
            for report in &progress.finished {
                stats.step(report, &mut worker.trip);
            }
            for id in worker.runner.ids() {
                routes.insert(id, index);
            }
            worker.wake_at = progress.wake_at;
            if let Some(at) = progress.wake_at {
                due.push(Reverse((at, index)));
            }
            let Some(outcome) = progress.outcome else { continue };
            let passed = outcome == Outcome::Passed;
            stats.run(passed);
            let failed_step = progress.finished.iter().find(|r| r.result.is_err());
            if let Some(out) = csv.as_mut() {
                let offset = |at: Instant| at.saturating_duration_since(t0).as_secs_f64() * 1e3;
                let kind = failed_step.and_then(|r| r.result.as_ref().err()).map_or("", |f| f.kind());
                let _ = writeln!(
                    out,
                    "{},{},{:.3},{:.3},{:.3},{passed},{kind},{}",
                    index + 1,
                    worker.runs_done + 1,
                    offset(worker.slot),
                    offset(worker.started),
                    now.saturating_duration_since(worker.started).as_secs_f64() * 1e3,
                    worker.trip.count
                );
            }
            if failure.is_none()
                && let Some(step) = failed_step
            {
                failure = Some((index + 1, step.to_string()));
            }
            worker.running = false;
            worker.runs_done += 1;
            worker.wake_at = None;
            finished += 1;
            if worker.runs_done < args.repeat {
                idle.push_back(index);
            }
        }
        if finished >= total {
            break;
        }
        // Wait for an event, the next deadline or the next slot.
        let next_due = due.peek().map(|Reverse((at, _))| *at);
        let next_start = (!idle.is_empty() && next_slot < total).then(|| slot(next_slot).unwrap_or(now));
        let until = [next_due, next_start].into_iter().flatten().min();
        let wait = until.map_or(IDLE, |at| at.saturating_duration_since(Instant::now()));
        if let Some(event) = events.recv_timeout(wait) {
            route(event, &mut workers, &mut routes, &mut touched);
            while let Some(event) = events.try_recv() {
                route(event, &mut workers, &mut routes, &mut touched);
            }
        }
    }
    let elapsed = t0.elapsed();
    if let Some(out) = csv.as_mut()
        && let Err(error) = out.flush()
    {
        eprintln!("netassist: cannot write the CSV file: {error}");
    }
    if let Some((connection, line)) = &failure {
        say(format_args!("first failure (connection {connection}): {line}"));
    }
    say(Summary { stats: &stats, connections: args.connections, repeat: args.repeat, rate: args.rate, elapsed });
    if stats.failed == 0 { EXIT_PASSED } else { EXIT_FAILED }
}

/// Hands `event` to the runner it belongs to.
fn route(event: Event, workers: &mut [Worker], routes: &mut HashMap<ConnId, usize>, touched: &mut Vec<usize>) {
    let Some(id) = event.conn().or_else(|| event.listener()) else { return };
    let index = match routes.get(&id) {
        Some(&index) => Some(index),
        // A client a listener accepted: ask the runners.
        None => workers.iter().position(|w| w.runner.owns(&event)),
    };
    let Some(index) = index else { return };
    if event.is_final() {
        routes.remove(&id);
    }
    let runner = &mut workers[index].runner;
    if runner.owns(&event) {
        runner.on_event(event);
        touched.push(index);
    }
}

/// The line of the first `listen` step, if any.
fn first_listen(steps: &[Step]) -> Option<usize> {
    steps.iter().find_map(|step| match &step.action {
        Action::Listen { .. } => Some(step.line),
        Action::Repeat { body, .. } => first_listen(body),
        _ => None,
    })
}
