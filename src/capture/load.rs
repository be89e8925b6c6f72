//! Reopening a capture in a [`ReceiveView`], so it reads like the live session.

use crate::ids::Direction;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufReader, Read};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::time::SystemTime;

use super::{CaptureError, CaptureReader, CaptureRecord, RecordKind, Transport};
use crate::codec::Charset;
use crate::view::{NoteLevel, ReceiveView, Record, StoreLimits, ViewMode};

/// What loading a capture found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadSummary {
    /// Records read (of every kind this build knows).
    pub records: u64,
    /// Payload bytes of the data records read.
    pub payload_bytes: u64,
    /// The time of the first record read.
    pub first: Option<SystemTime>,
    /// The time of the last record read.
    pub last: Option<SystemTime>,
    /// Records read but not in the view, because it keeps only the newest
    /// (see [`StoreLimits`]): the oldest `dropped_from_view` records.
    pub dropped_from_view: u64,
    /// Records of kinds this build does not know (from a newer netassist), skipped.
    pub skipped: u64,
    /// What ended the reading early, if anything: a truncated last record
    /// (a crash, a full disk) or a corrupt one. Every record before it was
    /// read, and the view ends with a note saying so.
    pub problem: Option<CaptureError>,
}

/// Opens the capture at `path` and loads it as [`load`] does.
pub fn load_file(
    path: &Path,
    charset: Charset,
    mode: ViewMode,
    limits: StoreLimits,
) -> Result<(ReceiveView, LoadSummary), CaptureError> {
    let file = File::open(path).map_err(|error| CaptureError::Io {
        offset: 0,
        kind: error.kind(),
        message: format!("cannot open {}: {error}", path.display()),
    })?;
    load(BufReader::with_capacity(1 << 20, file), charset, mode, limits)
}

/// Reads the capture in `source` into a new [`ReceiveView`] with `charset`,
/// `mode` and `limits`, so it shows as the live session did: TCP data
/// through the stream decoder, each UDP datagram on its own, openings and
/// closings as notes (a stream's end flushes its decoder, as live).
///
/// `Err` only if `source` cannot be read as a capture at all (its header);
/// a problem further on ends the reading and is reported in the summary,
/// with everything before it loaded.
///
/// Memory stays within `limits` however large the capture: records that the
/// view could not keep anyway are dropped as they are read, never decoded;
/// the summary counts them. (So a stream's oldest record shown is decoded
/// without the bytes before it: a character split across that boundary
/// shows as invalid bytes.)
pub fn load(
    source: impl Read,
    charset: Charset,
    mode: ViewMode,
    limits: StoreLimits,
) -> Result<(ReceiveView, LoadSummary), CaptureError> {
    let mut reader = CaptureReader::new(source)?;
    let mut summary = LoadSummary::default();
    let mut newest = Newest::new(limits);
    for record in reader.by_ref() {
        match record {
            Ok(record) => {
                summary.records += 1;
                summary.payload_bytes += record.payload().map_or(0, |payload| payload.len() as u64);
                let at = record.at();
                summary.first.get_or_insert(at);
                summary.last = Some(at);
                newest.push(record);
            }
            Err(problem) => summary.problem = Some(problem),
        }
    }
    summary.skipped = reader.skipped();
    let mut view = ReceiveView::new(charset, mode, limits);
    for record in newest.records {
        show(&mut view, record);
    }
    if let Some(problem) = &summary.problem {
        let at = summary.last.unwrap_or(SystemTime::UNIX_EPOCH);
        view.push_note(at, NoteLevel::Error, format!("The capture ends early: {problem}"));
    }
    summary.dropped_from_view = newest.dropped + view.stats().dropped_records;
    Ok((view, summary))
}

/// The newest records read, at least all those the view will keep.
struct Newest {
    records: VecDeque<CaptureRecord>,
    limits: StoreLimits,
    /// The least each held record will cost in the view.
    cost: usize,
    /// Records dropped before reaching the view.
    dropped: u64,
}

impl Newest {
    fn new(limits: StoreLimits) -> Self {
        Self { records: VecDeque::new(), limits, cost: 0, dropped: 0 }
    }

    /// The least `record` costs in the view: its bytes or text, and the
    /// record itself (see [`Record::cost`]).
    fn cost(record: &CaptureRecord) -> usize {
        let text = match &record.kind {
            RecordKind::Data { payload } => payload.len(),
            RecordKind::Opened { local } => local.len() + record.peer.len(),
            RecordKind::Closed { reason } => reason.len() + record.peer.len(),
        };
        size_of::<Record>() + text
    }

    /// Adds `record`, dropping the oldest ones the view would drop anyway
    /// (the newest is always kept, as the view does).
    fn push(&mut self, record: CaptureRecord) {
        self.cost += Self::cost(&record);
        self.records.push_back(record);
        while self.records.len() > 1
            && (self.records.len() > self.limits.max_records || self.cost > self.limits.max_bytes)
        {
            if let Some(old) = self.records.pop_front() {
                self.cost -= Self::cost(&old);
                self.dropped += 1;
            }
        }
    }
}

/// Adds `record` to `view` as the live session adds its event.
fn show(view: &mut ReceiveView, record: CaptureRecord) {
    let at = record.at();
    let CaptureRecord { conn, transport, direction, peer, kind, .. } = record;
    match kind {
        RecordKind::Data { payload } => {
            let peer = parse_peer(&peer);
            match transport {
                Transport::Tcp => view.push_data(conn, direction, peer, at, payload),
                Transport::Udp => view.push_datagram(conn, direction, peer, at, payload),
            }
        }
        RecordKind::Opened { local } => {
            let text = match (transport, direction) {
                (Transport::Tcp, Direction::Tx) => format!("Connected to {peer} (local address {local})"),
                (Transport::Tcp, Direction::Rx) => format!("Client {peer} connected (local address {local})"),
                (Transport::Udp, _) => format!("UDP socket bound to {local}"),
            };
            view.push_note(at, NoteLevel::Info, text);
        }
        RecordKind::Closed { reason } => {
            let text = match transport {
                Transport::Tcp => {
                    view.end_stream(conn, at);
                    format!("Connection with {peer} ended: {reason}")
                }
                Transport::Udp => format!("UDP socket closed: {reason}"),
            };
            view.push_note(at, NoteLevel::Info, text);
        }
    }
}

/// The peer's address; 0.0.0.0:0 if the text is not one (a capture written
/// by another tool may name peers otherwise).
fn parse_peer(text: &str) -> SocketAddr {
    text.parse().unwrap_or(SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0)))
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use super::*;
    use crate::capture::CaptureWriter;

    fn record(micros: i64, transport: Transport, direction: Direction, kind: RecordKind) -> CaptureRecord {
        CaptureRecord {
            micros,
            conn: crate::ids::ConnId(1),
            transport,
            direction,
            peer: "127.0.0.1:8000".to_owned(),
            kind,
        }
    }

    fn data(micros: i64, bytes: &'static [u8]) -> CaptureRecord {
        record(micros, Transport::Tcp, Direction::Rx, RecordKind::Data { payload: Bytes::from_static(bytes) })
    }

    fn capture(records: &[CaptureRecord]) -> Vec<u8> {
        let mut writer = CaptureWriter::new(Vec::new()).unwrap();
        for record in records {
            writer.write_record(record).unwrap();
        }
        writer.into_inner()
    }

    #[test]
    fn a_capture_reads_like_the_live_session() {
        let opened = RecordKind::Opened { local: "127.0.0.1:50000".to_owned() };
        let closed = RecordKind::Closed { reason: "the peer closed it".to_owned() };
        let file = capture(&[
            record(10, Transport::Tcp, Direction::Tx, opened),
            // A character split across two reads shows whole, as live.
            data(11, b"hello \xE4\xBD"),
            data(12, b"\xA0\xE5\xA5\xBD\n"),
            record(13, Transport::Tcp, Direction::Rx, closed),
        ]);
        let (view, summary) = load(&file[..], Charset::Utf8, ViewMode::Text, StoreLimits::default()).unwrap();
        let text = view.to_text();
        assert!(text.contains("Connected to 127.0.0.1:8000 (local address 127.0.0.1:50000)"), "{text}");
        assert!(text.contains("\nhello \n") && text.contains("\n你好\n"), "{text}");
        assert!(text.contains("Connection with 127.0.0.1:8000 ended: the peer closed it"), "{text}");
        assert_eq!(summary.records, 4);
        assert_eq!(summary.payload_bytes, 13);
        assert_eq!(summary.first, Some(crate::capture::from_micros(10)));
        assert_eq!(summary.last, Some(crate::capture::from_micros(13)));
        assert_eq!((summary.dropped_from_view, summary.problem), (0, None));
    }

    #[test]
    fn datagrams_show_alone() {
        let datagram = |text: &'static [u8]| RecordKind::Data { payload: Bytes::from_static(text) };
        let file = capture(&[
            record(1, Transport::Udp, Direction::Rx, datagram(&[0xE4, 0xBD])),
            record(2, Transport::Udp, Direction::Rx, datagram(&[0xA0])),
        ]);
        let (view, _) = load(&file[..], Charset::Utf8, ViewMode::Text, StoreLimits::default()).unwrap();
        // Half a character in one datagram does not join the next.
        assert!(view.to_text().contains("\\xE4\\xBD"), "{}", view.to_text());
    }

    #[test]
    fn a_large_capture_keeps_the_newest_records_and_counts_the_rest() {
        let records: Vec<_> = (0..1000).map(|i| data(i, if i % 2 == 0 { b"even\n" } else { b"odd\n" })).collect();
        let file = capture(&records);
        let limits = StoreLimits { max_records: 10, max_bytes: 1 << 20 };
        let (view, summary) = load(&file[..], Charset::Utf8, ViewMode::Text, limits).unwrap();
        assert_eq!(summary.records, 1000);
        assert_eq!(view.stats().records, 10);
        assert_eq!(summary.dropped_from_view, 990);
        let times: Vec<_> = view.records().map(|r| r.at).collect();
        assert_eq!(times.first(), Some(&crate::capture::from_micros(990)));
        assert_eq!(times.last(), Some(&crate::capture::from_micros(999)));
        // Bounded by bytes too.
        let limits = StoreLimits { max_records: 1_000_000, max_bytes: 4096 };
        let (view, summary) = load(&file[..], Charset::Utf8, ViewMode::Text, limits).unwrap();
        assert!(view.stats().bytes <= 4096);
        assert_eq!(summary.dropped_from_view + view.stats().records as u64, 1000);
    }

    #[test]
    fn a_truncated_capture_loads_up_to_its_last_good_record_and_says_so() {
        let file = capture(&[data(1, b"first\n"), data(2, b"second\n")]);
        let cut = &file[..file.len() - 3];
        let (view, summary) = load(cut, Charset::Utf8, ViewMode::Text, StoreLimits::default()).unwrap();
        assert_eq!(summary.records, 1);
        let Some(CaptureError::Truncated { offset }) = summary.problem else { panic!("{summary:?}") };
        let text = view.to_text();
        assert!(text.contains("first") && !text.contains("second"), "{text}");
        assert!(text.contains(&format!("truncated at byte offset {offset}")), "{text}");
    }

    #[test]
    fn not_a_capture_is_an_error() {
        let result = load(&b"hello, world, not a capture"[..], Charset::Utf8, ViewMode::Text, StoreLimits::default());
        assert!(matches!(result, Err(CaptureError::BadMagic)));
    }
}
