//! What showing a byte of data has cost lately, so the drain can tell
//! before it decodes a read whether the read fits the time left to show.

use std::time::Duration;

use crate::engine::Event;

/// Reads shorter than this teach nothing: their cost is mostly overhead.
const LEARN_FROM: usize = 4096;
/// How much each new read moves the estimate (an exponential average).
const WEIGHT: f64 = 0.25;

/// The recent cost of showing data, per byte.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ShowCost {
    nanos_per_byte: f64,
}

impl ShowCost {
    /// How long showing `bytes` is likely to take (nothing until a read was measured).
    pub fn predict(self, bytes: usize) -> Duration {
        #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        // a read's length, and a time far below u64::MAX nanoseconds
        Duration::from_nanos((bytes as f64 * self.nanos_per_byte) as u64)
    }

    /// Showing `bytes` took `took`.
    pub fn note(&mut self, bytes: usize, took: Duration) {
        if bytes < LEARN_FROM {
            return;
        }
        #[allow(clippy::cast_precision_loss)] // a read's length
        let sample = took.as_secs_f64() * 1e9 / bytes as f64;
        self.nanos_per_byte = if self.nanos_per_byte == 0.0 {
            sample
        } else {
            self.nanos_per_byte + WEIGHT * (sample - self.nanos_per_byte)
        };
    }
}

/// The bytes of data `event` carries to show (a read or a send), else 0.
pub fn data_bytes(event: &Event) -> usize {
    match event {
        Event::Received { data, .. } | Event::Sent { data, .. } => data.len(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cost_follows_what_reads_took() {
        let mut cost = ShowCost::default();
        assert_eq!(cost.predict(65_536), Duration::ZERO, "nothing is known before the first read");
        cost.note(100, Duration::from_millis(50));
        assert_eq!(cost.predict(65_536), Duration::ZERO, "a short read teaches nothing");
        cost.note(65_536, Duration::from_nanos(65_536)); // 1 ns a byte
        assert_eq!(cost.predict(1_000_000), Duration::from_millis(1));
        cost.note(65_536, Duration::from_nanos(5 * 65_536)); // 5 ns a byte: a quarter of the way there
        assert_eq!(cost.predict(1_000_000), Duration::from_millis(2));
    }
}
