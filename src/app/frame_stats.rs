//! How long each frame's own work takes (`logic` + `ui`, not the GPU), kept
//! for the last few thousand frames: shown in the F12 overlay and written to
//! the `--stats-file` for benchmarks.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// Frames remembered.
pub const WINDOW: usize = 4096;

/// Frame times and counts.
#[derive(Clone, Debug, Default)]
pub struct FrameStats {
    times: VecDeque<Duration>,
    started: Option<Instant>,
    drained: Option<Instant>,
    /// Frames measured since start.
    pub frames: u64,
    /// The longest frame since start (or the last [`FrameStats::reset_max`]).
    pub max: Duration,
    /// Events applied in the last frame.
    pub last_events: usize,
    /// How much of the longest frame went to taking in engine events.
    pub max_drain: Duration,
    /// The last frame's work after taking in events (laying out what it
    /// shows, the panels): what the next frame's drain leaves room for.
    pub last_rest: Duration,
}

/// A summary of the remembered frames.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FrameSummary {
    /// Frames in the summary.
    pub count: usize,
    /// Mean frame time.
    pub mean: Duration,
    /// 99th percentile.
    pub p99: Duration,
    /// The longest.
    pub max: Duration,
}

impl FrameStats {
    /// A frame starts (called first thing in `logic`).
    pub fn begin(&mut self, now: Instant) {
        self.started = Some(now);
        self.drained = None;
    }

    /// The frame has taken in the engine's events (called after the drain).
    pub fn drained(&mut self, now: Instant) {
        self.drained = Some(now);
    }

    /// The frame's work is done (called last thing in `ui`).
    pub fn end(&mut self, now: Instant) {
        let Some(started) = self.started.take() else { return };
        let took = now.saturating_duration_since(started);
        let drained = self.drained.take().unwrap_or(started);
        self.last_rest = now.saturating_duration_since(drained);
        if took > self.max {
            self.max_drain = drained.saturating_duration_since(started);
        }
        if self.times.len() == WINDOW {
            self.times.pop_front();
        }
        self.times.push_back(took);
        self.frames += 1;
        self.max = self.max.max(took);
    }

    /// Forgets the longest frame so far (e.g. after start-up).
    pub fn reset_max(&mut self) {
        self.max = Duration::ZERO;
        self.max_drain = Duration::ZERO;
    }

    /// Mean, p99 and max over the remembered frames.
    pub fn summary(&self) -> FrameSummary {
        if self.times.is_empty() {
            return FrameSummary::default();
        }
        let mut sorted: Vec<Duration> = self.times.iter().copied().collect();
        sorted.sort_unstable();
        let count = sorted.len();
        let total: Duration = sorted.iter().sum();
        let p99 = sorted[(count * 99).div_ceil(100).saturating_sub(1).min(count - 1)];
        FrameSummary { count, mean: total / count as u32, p99, max: sorted[count - 1] }
    }
}

/// This process's resident memory in bytes (Linux: /proc/self/statm), if known.
pub fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_of_frames() {
        let mut stats = FrameStats::default();
        let t0 = Instant::now();
        for ms in 1..=100u64 {
            stats.begin(t0);
            stats.end(t0 + Duration::from_millis(ms));
        }
        let s = stats.summary();
        assert_eq!((s.count, s.p99, s.max), (100, Duration::from_millis(99), Duration::from_millis(100)));
        assert_eq!(s.mean, Duration::from_micros(50_500));
        assert_eq!(stats.frames, 100);
        stats.end(t0);
        assert_eq!(stats.frames, 100, "an end without a begin is not a frame");
    }
}
