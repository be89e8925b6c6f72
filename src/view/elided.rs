//! Data the view elided without showing it, because it arrived faster than
//! it can be decoded and indexed (a flood). The counters, the capture and
//! the engine still see every byte; the view says where it left a gap and
//! how large it is, once per stream and run.

use crate::ids::Direction;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::SystemTime;

use crate::ids::ConnId;

/// One stream's run of data not shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct ElidedRun {
    /// The peer of the last chunk elided.
    pub peer: SocketAddr,
    /// Bytes elided.
    pub bytes: u64,
    /// Reads (or datagrams) elided.
    pub chunks: u64,
    /// Whether they were datagrams.
    pub datagrams: bool,
    /// When the run began.
    pub since: SystemTime,
}

/// The runs of data not shown, per stream, until their notes are written.
#[derive(Debug, Default)]
pub(super) struct Elided {
    gaps: HashMap<(ConnId, Direction), ElidedRun>,
    /// Bytes elided since the view was made (for the performance figures).
    total_bytes: u64,
}

impl Elided {
    /// Adds a chunk elided; true if it starts a new run for its stream.
    pub(super) fn add(
        &mut self,
        key: (ConnId, Direction),
        peer: SocketAddr,
        at: SystemTime,
        len: usize,
        datagram: bool,
    ) -> bool {
        self.total_bytes += len as u64;
        let mut started = false;
        let gap = self.gaps.entry(key).or_insert_with(|| {
            started = true;
            ElidedRun { peer, bytes: 0, chunks: 0, datagrams: datagram, since: at }
        });
        gap.peer = peer;
        gap.bytes += len as u64;
        gap.chunks += 1;
        started
    }

    /// Whether `key` has a run.
    pub(super) fn has(&self, key: (ConnId, Direction)) -> bool {
        !self.gaps.is_empty() && self.gaps.contains_key(&key)
    }

    /// Takes the run of `key`, if any.
    pub(super) fn take(&mut self, key: (ConnId, Direction)) -> Option<ElidedRun> {
        if self.gaps.is_empty() {
            return None;
        }
        self.gaps.remove(&key)
    }

    /// Takes every run, oldest first.
    pub(super) fn take_all(&mut self) -> Vec<((ConnId, Direction), ElidedRun)> {
        let mut all: Vec<_> = self.gaps.drain().collect();
        all.sort_by_key(|((conn, dir), gap)| (gap.since, *conn, *dir == Direction::Rx));
        all
    }

    /// Whether a run is waiting for its note.
    pub(super) fn is_empty(&self) -> bool {
        self.gaps.is_empty()
    }

    /// Bytes elided since the view was made.
    pub(super) fn total_bytes(&self) -> u64 {
        self.total_bytes
    }
}

/// What the view says in place of a run: how much, from or to whom, and
/// where the bytes still are.
pub(super) fn describe(dir: Direction, gap: &ElidedRun) -> String {
    use crate::i18n::{arg, tr};
    let key = match (dir, gap.datagrams) {
        (Direction::Rx, false) => "view-gap-rx-reads",
        (Direction::Rx, true) => "view-gap-rx-datagrams",
        (Direction::Tx, false) => "view-gap-tx-reads",
        (Direction::Tx, true) => "view-gap-tx-datagrams",
    };
    tr(key, &[arg("bytes", human_bytes(gap.bytes)), arg("count", gap.chunks), arg("peer", gap.peer.to_string())])
}

/// `n` bytes as "512 B", "3.2 KiB", "14.7 MiB", "1.02 GiB".
fn human_bytes(n: u64) -> String {
    const KIB: f64 = 1024.0;
    let x = n as f64;
    if x < KIB {
        format!("{n} B")
    } else if x < KIB * KIB {
        format!("{:.1} KiB", x / KIB)
    } else if x < KIB * KIB * KIB {
        format!("{:.1} MiB", x / (KIB * KIB))
    } else {
        format!("{:.2} GiB", x / (KIB * KIB * KIB))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer() -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], 5000))
    }

    #[test]
    fn a_run_adds_up_until_taken() {
        let mut elided = Elided::default();
        let at = SystemTime::UNIX_EPOCH;
        assert!(elided.add((crate::ids::ConnId(1), Direction::Rx), peer(), at, 1000, false));
        assert!(!elided.add((crate::ids::ConnId(1), Direction::Rx), peer(), at, 24, false));
        assert!(elided.add((crate::ids::ConnId(2), Direction::Rx), peer(), at, 5, true));
        let gap = elided.take((crate::ids::ConnId(1), Direction::Rx)).unwrap();
        assert_eq!((gap.bytes, gap.chunks), (1024, 2));
        assert!(elided.take((crate::ids::ConnId(1), Direction::Rx)).is_none());
        assert_eq!(elided.take_all().len(), 1);
        assert!(elided.is_empty());
        assert_eq!(elided.total_bytes(), 1029);
    }

    #[test]
    fn the_note_says_how_much_and_where_the_bytes_are() {
        let gap = ElidedRun {
            peer: peer(),
            bytes: 3 * 1024 * 1024 + 200 * 1024,
            chunks: 52,
            datagrams: false,
            since: SystemTime::UNIX_EPOCH,
        };
        assert_eq!(
            describe(Direction::Rx, &gap),
            "⋯ not shown: 3.2 MiB in 52 reads received from 127.0.0.1:5000 — they came faster than the view can show \
             them; the counters (and a capture, if on) have every byte"
        );
        let one = ElidedRun { bytes: 64, chunks: 1, datagrams: true, ..gap };
        assert!(describe(Direction::Tx, &one).starts_with("⋯ not shown: 64 B in 1 datagram sent to 127.0.0.1:5000 — "));
        assert_eq!(human_bytes(2 * 1024 * 1024 * 1024), "2.00 GiB");
    }
}
