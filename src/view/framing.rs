//! Display framing: how a byte stream is cut into records for display. As
//! received (one record per read), at a delimiter, or after an idle gap — so
//! a device that sends one message in several TCP segments shows one record.
//! Only the display is affected: counters and captures see every read.

use crate::ids::Direction;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::{Duration, SystemTime};

use bytes::{Bytes, BytesMut};

use crate::ids::ConnId;

/// A record never grows past this many bytes; the rest starts the next one.
pub const MAX_FRAME_BYTES: usize = 64 << 10;
/// With delimiter framing, bytes that wait this long with no delimiter are
/// shown anyway (a device that never sends one must still be seen).
pub const DELIMITER_IDLE_FLUSH: Duration = Duration::from_secs(1);

/// How stream data is cut into display records.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Framing {
    /// One record per read, as the network delivered it.
    #[default]
    AsReceived,
    /// A record ends after each occurrence of these bytes (e.g. `\r\n`).
    Delimiter(Vec<u8>),
    /// A record ends when the stream has been quiet this long.
    IdleGap(Duration),
}

/// A complete display record cut from a stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// The connection.
    pub conn: ConnId,
    /// Sent or received.
    pub dir: Direction,
    /// The peer.
    pub peer: SocketAddr,
    /// When its first byte arrived.
    pub at: SystemTime,
    /// Its bytes.
    pub raw: Bytes,
}

struct Pending {
    peer: SocketAddr,
    first_at: SystemTime,
    last_at: SystemTime,
    raw: BytesMut,
}

/// Holds each stream's incomplete record until the framing says it is done.
#[derive(Default)]
pub struct Reassembler {
    pending: HashMap<(ConnId, Direction), Pending>,
}

impl Reassembler {
    /// Adds a read; appends every record it completes to `out`, in stream order.
    pub fn push(
        &mut self,
        framing: &Framing,
        (conn, dir, peer): (ConnId, Direction, SocketAddr),
        at: SystemTime,
        raw: &[u8],
        out: &mut Vec<Frame>,
    ) {
        let key = (conn, dir);
        if let Framing::IdleGap(gap) = framing
            && self.pending.get(&key).is_some_and(|p| elapsed(p.last_at, at) >= *gap)
        {
            self.flush(key, out);
        }
        let pending = self.pending.entry(key).or_insert_with(|| Pending {
            peer,
            first_at: at,
            last_at: at,
            raw: BytesMut::new(),
        });
        let scan_from = match framing {
            Framing::Delimiter(delimiter) => pending.raw.len().saturating_sub(delimiter.len().saturating_sub(1)),
            _ => 0,
        };
        pending.raw.extend_from_slice(raw);
        pending.last_at = at;
        if let Framing::Delimiter(delimiter) = framing
            && !delimiter.is_empty()
        {
            let mut from = scan_from;
            loop {
                let end = match find(&pending.raw[from..], delimiter) {
                    Some(found) if from + found + delimiter.len() <= MAX_FRAME_BYTES => from + found + delimiter.len(),
                    // No delimiter within a record's limit: the record ends at the limit.
                    _ if pending.raw.len() >= MAX_FRAME_BYTES => MAX_FRAME_BYTES,
                    _ => break,
                };
                let raw = pending.raw.split_to(end).freeze();
                out.push(Frame { conn, dir, peer: pending.peer, at: pending.first_at, raw });
                pending.first_at = at;
                from = 0;
            }
        }
        while pending.raw.len() >= MAX_FRAME_BYTES {
            let raw = pending.raw.split_to(MAX_FRAME_BYTES).freeze();
            out.push(Frame { conn, dir, peer: pending.peer, at: pending.first_at, raw });
            pending.first_at = at;
        }
        if pending.raw.is_empty() {
            self.pending.remove(&key);
        }
    }

    /// Completes the records whose stream has been quiet long enough at
    /// `now`; returns how long until the next one would be due, if any waits.
    pub fn flush_idle(&mut self, framing: &Framing, now: SystemTime, out: &mut Vec<Frame>) -> Option<Duration> {
        let gap = match framing {
            Framing::AsReceived => return None,
            Framing::Delimiter(_) => DELIMITER_IDLE_FLUSH,
            Framing::IdleGap(gap) => *gap,
        };
        let mut due: Vec<(ConnId, Direction)> =
            self.pending.iter().filter(|(_, p)| elapsed(p.last_at, now) >= gap).map(|(key, _)| *key).collect();
        due.sort_by_key(|key| self.pending.get(key).map(|p| p.first_at));
        for key in due {
            self.flush(key, out);
        }
        self.pending.values().map(|p| gap.saturating_sub(elapsed(p.last_at, now))).min()
    }

    /// Completes the records of `conn` (it closed).
    pub fn flush_conn(&mut self, conn: ConnId, out: &mut Vec<Frame>) {
        for dir in [Direction::Tx, Direction::Rx] {
            self.flush((conn, dir), out);
        }
    }

    /// Completes every record (the framing changes, or the view is cleared).
    pub fn flush_all(&mut self, out: &mut Vec<Frame>) {
        let mut keys: Vec<_> = self.pending.keys().copied().collect();
        keys.sort_by_key(|key| self.pending.get(key).map(|p| p.first_at));
        for key in keys {
            self.flush(key, out);
        }
    }

    /// Whether any stream holds bytes not yet shown.
    pub fn is_holding(&self) -> bool {
        !self.pending.is_empty()
    }

    fn flush(&mut self, key: (ConnId, Direction), out: &mut Vec<Frame>) {
        if let Some(p) = self.pending.remove(&key)
            && !p.raw.is_empty()
        {
            out.push(Frame { conn: key.0, dir: key.1, peer: p.peer, at: p.first_at, raw: p.raw.freeze() });
        }
    }
}

fn elapsed(from: SystemTime, to: SystemTime) -> Duration {
    to.duration_since(from).unwrap_or_default()
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    match needle {
        [] => None,
        [byte] => haystack.iter().position(|b| b == byte),
        _ => haystack.windows(needle.len()).position(|w| w == needle),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PEER: SocketAddr = SocketAddr::V4(std::net::SocketAddrV4::new(std::net::Ipv4Addr::LOCALHOST, 502));

    fn t(ms: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_millis(ms)
    }

    fn raws(frames: &[Frame]) -> Vec<&[u8]> {
        frames.iter().map(|f| f.raw.as_ref()).collect()
    }

    #[test]
    fn a_delimiter_split_across_reads_still_ends_the_record() {
        let framing = Framing::Delimiter(b"\r\n".to_vec());
        let (mut r, mut out) = (Reassembler::default(), Vec::new());
        r.push(&framing, (crate::ids::ConnId(1), Direction::Rx, PEER), t(0), b"HEL", &mut out);
        r.push(&framing, (crate::ids::ConnId(1), Direction::Rx, PEER), t(1), b"LO\r", &mut out);
        assert!(out.is_empty());
        r.push(&framing, (crate::ids::ConnId(1), Direction::Rx, PEER), t(2), b"\nWOR", &mut out);
        assert_eq!(raws(&out), [b"HELLO\r\n".as_slice()]);
        assert_eq!(out[0].at, t(0), "a record is timed by its first byte");
        r.flush_conn(crate::ids::ConnId(1), &mut out);
        assert_eq!(raws(&out), [b"HELLO\r\n".as_slice(), b"WOR"]);
    }

    #[test]
    fn idle_gap_cuts_after_silence_and_the_timer_says_when() {
        let framing = Framing::IdleGap(Duration::from_millis(20));
        let (mut r, mut out) = (Reassembler::default(), Vec::new());
        r.push(&framing, (crate::ids::ConnId(1), Direction::Rx, PEER), t(0), b"01 03", &mut out);
        r.push(&framing, (crate::ids::ConnId(1), Direction::Rx, PEER), t(5), b" 14", &mut out);
        assert_eq!(r.flush_idle(&framing, t(10), &mut out), Some(Duration::from_millis(15)));
        assert!(out.is_empty());
        assert_eq!(r.flush_idle(&framing, t(25), &mut out), None);
        assert_eq!(raws(&out), [b"01 03 14".as_slice()]);
        // A read after the gap starts a new record even before the timer ran.
        r.push(&framing, (crate::ids::ConnId(1), Direction::Rx, PEER), t(30), b"a", &mut out);
        r.push(&framing, (crate::ids::ConnId(1), Direction::Rx, PEER), t(60), b"b", &mut out);
        assert_eq!(raws(&out).last(), Some(&b"a".as_slice()));
    }

    #[test]
    fn records_are_capped_and_streams_kept_apart() {
        let framing = Framing::Delimiter(b"\n".to_vec());
        let (mut r, mut out) = (Reassembler::default(), Vec::new());
        r.push(
            &framing,
            (crate::ids::ConnId(1), Direction::Rx, PEER),
            t(0),
            &vec![b'x'; MAX_FRAME_BYTES + 10],
            &mut out,
        );
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].raw.len(), MAX_FRAME_BYTES);
        r.push(&framing, (crate::ids::ConnId(2), Direction::Rx, PEER), t(0), b"other\n", &mut out);
        r.push(&framing, (crate::ids::ConnId(1), Direction::Rx, PEER), t(0), b"\n", &mut out);
        assert_eq!(out[1].raw.as_ref(), b"other\n");
        assert_eq!(out[2].raw.len(), 11);
        assert!(!r.is_holding());
    }

    fn any_framing() -> impl Strategy<Value = Framing> {
        prop_oneof![
            Just(Framing::AsReceived),
            proptest::collection::vec(prop_oneof![any::<u8>(), Just(b'\n'), Just(b'\r')], 0..4)
                .prop_map(Framing::Delimiter),
            (0u64..50).prop_map(|ms| Framing::IdleGap(Duration::from_millis(ms))),
        ]
    }

    /// One step of a stream: a read on one of four streams at some time
    /// (which may go backwards), perhaps followed by an idle check.
    fn any_read() -> impl Strategy<Value = (usize, u64, Vec<u8>, bool)> {
        let bytes = prop_oneof![
            8 => proptest::collection::vec(prop_oneof![any::<u8>(), Just(b'\n'), Just(b'\r')], 0..300),
            1 => (any::<u8>(), 60_000usize..140_000).prop_map(|(byte, len)| vec![byte; len]),
        ];
        (0usize..4, 0u64..200, bytes, any::<bool>())
    }

    #[test]
    fn a_delimiter_past_the_record_limit_does_not_stretch_the_record() {
        // One read of 100,000 bytes with its only line break near the end:
        // records of at most MAX_FRAME_BYTES, the first cut at the limit.
        let framing = Framing::Delimiter(b"\n".to_vec());
        let (mut r, mut out) = (Reassembler::default(), Vec::new());
        let mut read = vec![b'x'; 100_000];
        read[90_000] = b'\n';
        r.push(&framing, (crate::ids::ConnId(1), Direction::Rx, PEER), t(0), &read, &mut out);
        r.flush_all(&mut out);
        let lens: Vec<usize> = out.iter().map(|f| f.raw.len()).collect();
        assert_eq!(lens, [MAX_FRAME_BYTES, 90_001 - MAX_FRAME_BYTES, 9_999]);
        assert_eq!(out[1].raw.last(), Some(&b'\n'));
    }

    proptest! {
        #[test]
        fn framing_never_panics_and_keeps_every_byte(
            framing in any_framing(),
            reads in proptest::collection::vec(any_read(), 0..40),
        ) {
            let streams = [(1, Direction::Rx), (1, Direction::Tx), (2, Direction::Rx), (2, Direction::Tx)];
            let (mut r, mut out) = (Reassembler::default(), Vec::new());
            let mut fed: HashMap<(ConnId, Direction), Vec<u8>> = HashMap::new();
            for (stream, ms, bytes, idle) in reads {
                let (conn, dir) = streams[stream];
                r.push(&framing, (crate::ids::ConnId(conn), dir, PEER), t(ms), &bytes, &mut out);
                fed.entry((crate::ids::ConnId(conn), dir)).or_default().extend_from_slice(&bytes);
                if idle {
                    let _ = r.flush_idle(&framing, t(ms + 30), &mut out);
                }
            }
            r.flush_all(&mut out);
            prop_assert!(!r.is_holding());
            let mut shown: HashMap<(ConnId, Direction), Vec<u8>> = HashMap::new();
            for frame in &out {
                prop_assert!(!frame.raw.is_empty() && frame.raw.len() <= MAX_FRAME_BYTES);
                shown.entry((frame.conn, frame.dir)).or_default().extend_from_slice(&frame.raw);
            }
            fed.retain(|_, bytes| !bytes.is_empty());
            prop_assert_eq!(shown, fed, "every byte shown once, in order, on its own stream");
        }

        #[test]
        fn delimiter_framing_is_independent_of_how_the_stream_was_split(
            messages in proptest::collection::vec("[a-z\r]{0,12}", 1..20),
            cuts in proptest::collection::vec(0usize..400, 0..30),
        ) {
            let framing = Framing::Delimiter(b"\r\n".to_vec());
            let stream: Vec<u8> = messages.iter().flat_map(|m| m.bytes().chain(*b"\r\n")).collect();
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % (stream.len() + 1)).collect();
            cuts.sort_unstable();
            cuts.push(stream.len());
            let (mut r, mut out, mut start) = (Reassembler::default(), Vec::new(), 0);
            for cut in cuts {
                r.push(&framing, (crate::ids::ConnId(7), Direction::Rx, PEER), t(0), &stream[start..cut], &mut out);
                start = cut;
            }
            prop_assert!(!r.is_holding());
            // Cutting the whole stream at every "\r\n" gives the same records, whatever the reads were.
            let mut expected = Vec::new();
            let mut rest = stream.as_slice();
            while let Some(i) = find(rest, b"\r\n") {
                expected.push(&rest[..i + 2]);
                rest = &rest[i + 2..];
            }
            prop_assert_eq!(raws(&out), expected);
        }
    }
}
