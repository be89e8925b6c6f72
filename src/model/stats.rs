//! Live statistics of a session: bytes and packets per second over the last
//! minutes (the tab's and each server client's), the number of clients over
//! time, and the round-trip times of request/reply pairs. Every series is a
//! fixed-size ring and the round trips a fixed-size histogram: what a long
//! session records is bounded whether the statistics are shown or not.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hdrhistogram::Histogram;

use crate::ids::{ConnId, Direction};

/// Seconds the tab's series keep (10 minutes).
pub const TAB_SECONDS: usize = 600;
/// Seconds each server client's series keep.
pub const CLIENT_SECONDS: usize = 60;
/// Most clients that get a series of their own (the rest count in the tab's).
pub const MAX_CLIENT_SERIES: usize = 4096;
/// Most request/reply pairs waiting for their reply.
const MAX_PENDING: usize = 4096;

/// Traffic of one second.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Second {
    /// Bytes received.
    pub rx_bytes: u64,
    /// Bytes sent.
    pub tx_bytes: u64,
    /// Reads (TCP) or datagrams received.
    pub rx_packets: u64,
    /// Writes or datagrams sent.
    pub tx_packets: u64,
    /// Server clients connected at the end of that second.
    pub clients: u64,
}

/// A ring of the last `N` seconds, by wall-clock second.
#[derive(Clone, Debug)]
pub struct Series {
    seconds: Vec<Second>,
    /// The wall-clock second (since the epoch) of the newest slot.
    newest: Option<u64>,
}

impl Series {
    /// A ring of `len` seconds.
    pub fn new(len: usize) -> Self {
        Self { seconds: vec![Second::default(); len.max(1)], newest: None }
    }

    /// The slot of second `at`, after clearing the seconds skipped since the
    /// newest one; `None` for a second older than the ring.
    fn slot(&mut self, at: u64) -> Option<&mut Second> {
        let len = self.seconds.len() as u64;
        let newest = *self.newest.get_or_insert(at);
        if at > newest {
            let carry = self.seconds[(newest % len) as usize].clients;
            for second in (newest + 1)..=at.min(newest + len) {
                self.seconds[(second % len) as usize] = Second { clients: carry, ..Second::default() };
            }
            // A jump longer than the ring clears it all (the loop above did).
            self.newest = Some(at);
        } else if newest - at >= len {
            return None;
        }
        Some(&mut self.seconds[(at % len) as usize])
    }

    /// Counts `len` bytes in `dir` at second `at`.
    pub fn count(&mut self, at: u64, dir: Direction, len: u64) {
        if let Some(second) = self.slot(at) {
            match dir {
                Direction::Rx => {
                    second.rx_bytes += len;
                    second.rx_packets += 1;
                }
                Direction::Tx => {
                    second.tx_bytes += len;
                    second.tx_packets += 1;
                }
            }
        }
    }

    /// Notes how many clients are connected at second `at`.
    pub fn clients(&mut self, at: u64, clients: u64) {
        if let Some(second) = self.slot(at) {
            second.clients = clients;
        }
    }

    /// The last `n` seconds up to `now` (oldest first; seconds with no
    /// traffic are zeros), as (seconds before now, traffic).
    pub fn last(&mut self, now: u64, n: usize) -> Vec<(i64, Second)> {
        let len = self.seconds.len();
        let n = n.min(len);
        if self.newest.is_some() {
            let _ = self.slot(now); // clears the quiet seconds up to now
        }
        let newest = self.newest.unwrap_or(now);
        (0..n as u64)
            .rev()
            .map(|back| {
                let second = now.checked_sub(back).filter(|s| *s <= newest && newest - s < len as u64);
                let value = second.map_or_else(Second::default, |s| self.seconds[(s % len as u64) as usize]);
                (-(back as i64), value)
            })
            .collect()
    }
}

/// Round trips: the time from a send to the first data back on the same
/// connection (and, for UDP, from the same peer).
#[derive(Clone, Debug)]
pub struct RoundTrips {
    /// In microseconds, 1 µs to 1 hour, 3 significant digits.
    histogram: Histogram<u64>,
    pending: HashMap<(ConnId, SocketAddr), SystemTime>,
}

impl Default for RoundTrips {
    #[allow(clippy::expect_used)] // constant bounds and precision, in the crate's range: it cannot fail
    fn default() -> Self {
        Self {
            histogram: Histogram::new_with_bounds(1, 3_600_000_000, 3).expect("valid histogram bounds"),
            pending: HashMap::new(),
        }
    }
}

/// The summary of the round trips recorded.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RoundTripSummary {
    /// Pairs measured.
    pub count: u64,
    /// Fastest, in milliseconds.
    pub min_ms: f64,
    /// Median.
    pub median_ms: f64,
    /// 95th percentile.
    pub p95_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Slowest.
    pub max_ms: f64,
}

impl RoundTrips {
    /// A send at `at` starts a pair (unless one is already waiting: the
    /// first send of a burst counts, as in a request followed by its parts).
    pub fn sent(&mut self, conn: ConnId, peer: SocketAddr, at: SystemTime) {
        if self.pending.len() >= MAX_PENDING {
            self.pending.clear();
        }
        self.pending.entry((conn, peer)).or_insert(at);
    }

    /// Data back at `at` ends the pair waiting on `conn` (and `peer`).
    pub fn received(&mut self, conn: ConnId, peer: SocketAddr, at: SystemTime) {
        if let Some(sent) = self.pending.remove(&(conn, peer)) {
            let micros = at.duration_since(sent).unwrap_or_default().as_micros();
            let micros = u64::try_from(micros).unwrap_or(u64::MAX).clamp(1, self.histogram.high());
            let _ = self.histogram.record(micros);
        }
    }

    /// A connection closed: its waiting pair will never end.
    pub fn closed(&mut self, conn: ConnId) {
        self.pending.retain(|(c, _), _| *c != conn);
    }

    /// Count, min, median, p95, p99 and max.
    pub fn summary(&self) -> RoundTripSummary {
        let h = &self.histogram;
        if h.is_empty() {
            return RoundTripSummary::default();
        }
        let ms = |micros: u64| micros as f64 / 1000.0;
        RoundTripSummary {
            count: h.len(),
            min_ms: ms(h.min()),
            median_ms: ms(h.value_at_quantile(0.5)),
            p95_ms: ms(h.value_at_quantile(0.95)),
            p99_ms: ms(h.value_at_quantile(0.99)),
            max_ms: ms(h.max()),
        }
    }

    /// A histogram of `buckets` bars from the fastest to the slowest round
    /// trip: (bar's lower bound in ms, bar's upper bound in ms, pairs).
    pub fn bars(&self, buckets: usize) -> Vec<(f64, f64, u64)> {
        let h = &self.histogram;
        if h.is_empty() || buckets == 0 {
            return Vec::new();
        }
        let (low, high) = (h.min(), h.max().max(h.min() + 1));
        let step = (high - low).div_ceil(buckets as u64).max(1);
        (0..buckets as u64)
            .map(|i| {
                let from = low + i * step;
                let to = from + step;
                let count = h.count_between(from, to.saturating_sub(1)).min(h.len());
                (from as f64 / 1000.0, to as f64 / 1000.0, count)
            })
            .collect()
    }
}

/// The statistics of one session.
#[derive(Clone, Debug)]
pub struct Stats {
    /// The tab's traffic per second.
    pub tab: Series,
    /// Each server client's traffic per second (the first [`MAX_CLIENT_SERIES`] clients).
    pub clients: HashMap<ConnId, Series>,
    /// Request/reply round trips.
    pub round_trips: RoundTrips,
}

impl Default for Stats {
    fn default() -> Self {
        Self { tab: Series::new(TAB_SECONDS), clients: HashMap::new(), round_trips: RoundTrips::default() }
    }
}

/// Whole seconds since the epoch.
pub fn epoch_second(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO).as_secs()
}

impl Stats {
    /// Counts one read, write or datagram of `len` bytes.
    pub fn count(&mut self, conn: ConnId, dir: Direction, peer: SocketAddr, at: SystemTime, len: u64, client: bool) {
        let second = epoch_second(at);
        self.tab.count(second, dir, len);
        if client {
            if let Some(series) = self.clients.get_mut(&conn) {
                series.count(second, dir, len);
            } else if self.clients.len() < MAX_CLIENT_SERIES {
                let mut series = Series::new(CLIENT_SECONDS);
                series.count(second, dir, len);
                self.clients.insert(conn, series);
            }
        }
        match dir {
            Direction::Tx => self.round_trips.sent(conn, peer, at),
            Direction::Rx => self.round_trips.received(conn, peer, at),
        }
    }

    /// The number of server clients changed at `at`.
    pub fn clients_now(&mut self, at: SystemTime, clients: usize) {
        self.tab.clients(epoch_second(at), clients as u64);
    }

    /// A connection closed.
    pub fn closed(&mut self, conn: ConnId) {
        self.clients.remove(&conn);
        self.round_trips.closed(conn);
    }
}

#[cfg(test)]
#[path = "stats_tests.rs"]
mod tests;
