//! A cyclic send: the same payload (or, with variables, the same template
//! filled in anew) every interval, `count` times or until
//! stopped, through the target's send queue (see [`crate::engine::jobs`]).
//!
//! Timing is tokio's `interval` with [`MissedTickBehavior::Delay`]: the first
//! send goes at once and the next ones on a fixed schedule; when a send had
//! to wait for the connection (back-pressure) past its tick, the schedule
//! restarts from that send, so two sends are never closer than the interval
//! and no burst of missed ticks follows a stall. (`Burst`, tokio's default,
//! would fire the missed ticks back to back; `Skip` could fire the next
//! tick right after a late send.) A tick is only late past tokio's 5 ms
//! slack, so 1 ms intervals keep their schedule when the connection keeps up.

use crate::ids::JobId;
use std::time::Duration;

use bytes::Bytes;
use tokio::time::MissedTickBehavior;
use tokio_util::sync::CancellationToken;

use super::{CyclicFill, Outlet, Progress, Totals};
use crate::engine::shared::Shared;
use crate::engine::{CyclicSend, JobEnd, JobError};

/// The shortest interval.
const MIN_INTERVAL: Duration = Duration::from_millis(1);

/// The whole life of cyclic send `job`, up to its `JobEnded`.
pub(in crate::engine) async fn run(job: JobId, request: CyclicSend, cancel: &CancellationToken, shared: &Shared) {
    let CyclicSend { target, data, interval, count, mut fill } = request;
    let progress = Progress::new(job, None, &shared.emitter);
    if interval < MIN_INTERVAL {
        progress.ended(Totals::default(), JobEnd::Failed(JobError::Interval(interval))).await;
        return;
    }
    let mut outlet = match super::open(&target, cancel, shared).await {
        Ok(outlet) => outlet,
        Err(end) => return progress.ended(Totals::default(), end).await,
    };
    let tally = outlet.tally();
    let cycling = cycle(&mut outlet, &data, fill.as_mut(), interval, count, cancel);
    let end = match progress.during(&tally, cycling).await {
        Ok(()) => JobEnd::Completed,
        Err(end) => end,
    };
    let totals = outlet.finish(end != JobEnd::TargetClosed).await;
    progress.ended(totals, end).await;
}

/// Sends `data` every `interval`, `count` times (or forever), then waits
/// until all of it is written. `Err`: how the job ended otherwise.
async fn cycle(
    outlet: &mut Outlet,
    data: &Bytes,
    mut fill: Option<&mut CyclicFill>,
    interval: Duration,
    count: Option<u64>,
    cancel: &CancellationToken,
) -> Result<(), JobEnd> {
    let mut ticks = tokio::time::interval(interval);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    while count.is_none_or(|count| outlet.items < count) {
        tokio::select! {
            biased;
            () = cancel.cancelled() => return Err(JobEnd::Stopped),
            // A target that closes ends the job now, not at the next tick.
            closed = outlet.closed() => {
                closed?;
                continue;
            }
            _ = ticks.tick() => {}
        }
        let item = match fill.as_deref_mut() {
            None => data.clone(),
            Some(CyclicFill { send, vars }) => match send.expand(vars, None, std::time::SystemTime::now()) {
                Ok(bytes) => Bytes::from(bytes),
                Err(error) => return Err(JobEnd::Failed(JobError::Expand(error))),
            },
        };
        outlet.push(item, cancel).await?;
    }
    outlet.flush(cancel).await
}
