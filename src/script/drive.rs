//! Running a script to its end on this thread: poll the runner, wait on the
//! engine's event queue until an event comes or the runner's next deadline,
//! repeat. (The window does not use this: it polls from its frame loop.)

use std::time::{Duration, Instant};

use super::report::StepReport;
use super::runner::{Outcome, Runner};
use crate::engine::{EngineHandle, EventReceiver};

/// How long to wait for an event when no step has a deadline.
const IDLE: Duration = Duration::from_secs(1);

/// Runs `runner` until it ends, handing each finished step to `report`.
/// Events of other runs on the same engine are dropped.
pub fn run_to_end(
    runner: &mut Runner,
    engine: &EngineHandle,
    events: &mut EventReceiver,
    mut report: impl FnMut(&StepReport),
) -> Outcome {
    loop {
        let progress = runner.poll(engine, Instant::now());
        for step in &progress.finished {
            report(step);
        }
        if let Some(outcome) = progress.outcome {
            return outcome;
        }
        let wait = progress.wake_at.map_or(IDLE, |at| at.saturating_duration_since(Instant::now()));
        if let Some(event) = events.recv_timeout(wait) {
            if runner.owns(&event) {
                runner.on_event(event);
            }
            // Take in everything already queued before the next look.
            while let Some(event) = events.try_recv() {
                if runner.owns(&event) {
                    runner.on_event(event);
                }
            }
        }
    }
}
