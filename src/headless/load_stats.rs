//! The figures of a load test: runs passed and failed (failures by kind),
//! round trips (a send, then the expect that passed after it) with their
//! times in an HDR histogram, how late runs started against a fixed rate,
//! and the summary printed at the end.

use std::collections::BTreeMap;
use std::fmt;
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;

use crate::script::{StepKind, StepReport};

/// The longest round trip the histogram holds exactly (longer ones count as this).
const MAX_RTT_MICROS: u64 = 3_600_000_000;
/// How late a run may start before it counts as late.
const LATE: Duration = Duration::from_millis(1);

/// One connection's round trip in progress.
#[derive(Debug, Default)]
pub struct RoundTrip {
    /// When the last send of the run started.
    sent: Option<Instant>,
    /// Round trips completed in this run.
    pub count: u32,
}

/// Everything measured so far.
pub struct LoadStats {
    /// Runs that passed.
    pub passed: u64,
    /// Runs that failed.
    pub failed: u64,
    /// Failed runs by the kind of their failure.
    pub failures: BTreeMap<&'static str, u64>,
    /// Round-trip times, in microseconds.
    pub rtt: Histogram<u64>,
    /// Runs started more than 1 ms after their slot (with a rate).
    pub late: u64,
    /// The latest start behind its slot.
    pub max_late: Duration,
    /// The first failed step, as printed.
    pub first_failure: Option<String>,
}

impl LoadStats {
    /// Nothing measured yet.
    pub fn new() -> Result<Self, hdrhistogram::CreationError> {
        Ok(LoadStats {
            passed: 0,
            failed: 0,
            failures: BTreeMap::new(),
            rtt: Histogram::new_with_bounds(1, MAX_RTT_MICROS, 3)?,
            late: 0,
            max_late: Duration::ZERO,
            first_failure: None,
        })
    }

    /// Takes in one finished step of a run whose round trip is `trip`.
    pub fn step(&mut self, report: &StepReport, trip: &mut RoundTrip) {
        match (&report.result, report.kind) {
            (Ok(_), StepKind::Send) => trip.sent = Some(report.started),
            (Ok(_), StepKind::Expect) => {
                if let Some(sent) = trip.sent.take() {
                    let rtt = (report.started + report.elapsed).saturating_duration_since(sent);
                    let micros = u64::try_from(rtt.as_micros()).unwrap_or(u64::MAX).clamp(1, MAX_RTT_MICROS);
                    let _ = self.rtt.record(micros);
                    trip.count += 1;
                }
            }
            (Err(failure), _) => {
                *self.failures.entry(failure.kind()).or_default() += 1;
                self.first_failure.get_or_insert_with(|| report.to_string());
            }
            _ => {}
        }
    }

    /// Takes in a finished run.
    pub fn run(&mut self, passed: bool) {
        if passed {
            self.passed += 1;
        } else {
            self.failed += 1;
        }
    }

    /// Takes in a run's start, `late` after its slot.
    pub fn started(&mut self, late: Duration) {
        if late > LATE {
            self.late += 1;
        }
        self.max_late = self.max_late.max(late);
    }
}

/// The summary printed at the end of a load test.
pub struct Summary<'a> {
    /// The figures.
    pub stats: &'a LoadStats,
    /// `--connections`.
    pub connections: u32,
    /// `--repeat`.
    pub repeat: u64,
    /// `--rate`.
    pub rate: Option<f64>,
    /// From the first start to the last end.
    pub elapsed: Duration,
}

impl fmt::Display for Summary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.stats;
        let secs = self.elapsed.as_secs_f64().max(1e-9);
        let runs = s.passed + s.failed;
        writeln!(
            f,
            "load: {} connections x {} runs = {runs} runs in {:.3} s ({:.1} runs/s)",
            self.connections,
            self.repeat,
            secs,
            runs as f64 / secs
        )?;
        write!(f, "runs: {} passed, {} failed", s.passed, s.failed)?;
        if !s.failures.is_empty() {
            let kinds: Vec<String> = s.failures.iter().map(|(kind, n)| format!("{kind} {n}")).collect();
            write!(f, " ({})", kinds.join(", "))?;
        }
        writeln!(f)?;
        let trips = s.rtt.len();
        write!(f, "requests: {trips} round trips, {:.1} requests/s", trips as f64 / secs)?;
        if trips > 0 {
            let p = |q: f64| micros(s.rtt.value_at_quantile(q));
            write!(f, "\nround trip: p50 {}  p95 {}  p99 {}  max {}", p(0.50), p(0.95), p(0.99), micros(s.rtt.max()))?;
        }
        if let Some(rate) = self.rate {
            write!(
                f,
                "\nrate: {rate} runs/s asked; {} of {runs} runs started more than 1 ms late (latest {})",
                s.late,
                micros(u64::try_from(s.max_late.as_micros()).unwrap_or(u64::MAX))
            )?;
        }
        Ok(())
    }
}

/// `850 µs`, `12.35 ms`.
fn micros(value: u64) -> String {
    if value < 1000 { format!("{value} µs") } else { format!("{:.2} ms", value as f64 / 1000.0) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::{Detail, Shown, StepFailure};

    fn report(kind: StepKind, started: Instant, elapsed_us: u64, ok: bool) -> StepReport {
        StepReport {
            line: 1,
            summary: "step".to_owned(),
            turns: Vec::new(),
            started,
            elapsed: Duration::from_micros(elapsed_us),
            result: if ok {
                Ok(Detail::Sent(Shown { bytes: Vec::new(), charset: None }))
            } else {
                Err(StepFailure::NotClosed { after: Duration::from_secs(1) })
            },
            kind,
        }
    }

    #[test]
    fn a_round_trip_runs_from_the_send_to_the_end_of_the_expect_after_it() {
        let t0 = Instant::now();
        let mut stats = LoadStats::new().expect("valid bounds");
        let mut trip = RoundTrip::default();
        stats.step(&report(StepKind::Expect, t0, 5, true), &mut trip);
        assert_eq!(stats.rtt.len(), 0, "an expect without a send before it is no round trip");
        stats.step(&report(StepKind::Send, t0, 10, true), &mut trip);
        stats.step(&report(StepKind::Expect, t0 + Duration::from_micros(10), 240, true), &mut trip);
        stats.step(&report(StepKind::Expect, t0 + Duration::from_micros(300), 50, true), &mut trip);
        assert_eq!((stats.rtt.len(), trip.count), (1, 1), "one send, one round trip");
        assert_eq!(stats.rtt.max(), 250);
        stats.step(&report(StepKind::ExpectClose, t0, 1, false), &mut trip);
        stats.run(false);
        stats.run(true);
        assert_eq!(stats.failures.get("not closed"), Some(&1));
        stats.started(Duration::from_micros(500));
        stats.started(Duration::from_millis(3));
        let summary =
            Summary { stats: &stats, connections: 2, repeat: 1, rate: Some(10.0), elapsed: Duration::from_secs(2) };
        let text = summary.to_string();
        assert!(text.starts_with("load: 2 connections x 1 runs = 2 runs in 2.000 s (1.0 runs/s)\n"), "{text}");
        assert!(text.contains("runs: 1 passed, 1 failed (not closed 1)\n"), "{text}");
        assert!(
            text.contains(
                "requests: 1 round trips, 0.5 requests/s\nround trip: p50 250 µs  p95 250 µs  p99 250 µs  max 250 µs"
            ),
            "{text}"
        );
        assert!(
            text.ends_with("rate: 10 runs/s asked; 1 of 2 runs started more than 1 ms late (latest 3.00 ms)"),
            "{text}"
        );
        assert!(stats.first_failure.is_some_and(|f| f.starts_with("FAIL")));
    }
}
