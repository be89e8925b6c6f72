//! Filtering the receive view without losing anything: a [`FilteredView`]
//! is an index of the records that pass a [`FilterSpec`] (by direction, by
//! connection or peer, by text, hex or regex), over the view's store. The
//! store, its counters and the capture keep everything; the filter says how
//! many records it hides.
//!
//! A panel drives it frame by frame, as find: [`FilteredView::update`] with
//! a budget takes in the records that arrived since (a few per frame; a new
//! filter over a full store takes a few frames with a text pattern), and
//! then asks for [`FilteredView::line_count`] and maps each visible line to
//! the view's own with [`FilteredView::view_line`] (two binary searches a
//! line), so a frame costs what is on screen.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::time::Instant;

use super::find::{FindBudget, searchable};
use super::find_scan::{FindQuery, Pattern, QueryError, Scanner};
use super::{ReceiveView, Record, RecordBody};
use crate::ids::{ConnId, Direction};

/// Whose records pass.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Source {
    /// Everyone's.
    #[default]
    All,
    /// One connection's (a server's client, picked in its client list): its
    /// data, and notes that name its peer.
    Connection {
        /// The connection.
        conn: ConnId,
        /// Its peer's address.
        peer: SocketAddr,
    },
    /// One peer's, on any connection or socket (a UDP peer): its data, and
    /// notes that name it.
    Peer(SocketAddr),
}

/// What passes a filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilterSpec {
    /// Data received.
    pub rx: bool,
    /// Data sent.
    pub tx: bool,
    /// Notes (connected, closed, errors, gaps).
    pub events: bool,
    /// Whose.
    pub source: Source,
    /// Only records with a match of this query (as find matches it; a match
    /// split across reads lets the records it starts and ends in pass).
    pub text: Option<FindQuery>,
}

impl Default for FilterSpec {
    /// Everything passes.
    fn default() -> Self {
        Self { rx: true, tx: true, events: true, source: Source::All, text: None }
    }
}

impl FilterSpec {
    /// Whether everything passes (the view can be shown unfiltered).
    pub fn passes_all(&self) -> bool {
        self.rx && self.tx && self.events && self.source == Source::All && self.text.is_none()
    }

    /// Whether `record` passes the direction and source tests (not the text).
    fn admits(&self, record: &Record) -> bool {
        match (&record.body, self.source) {
            (RecordBody::Data { dir, .. }, _) if !self.wants(*dir) => false,
            (RecordBody::Data { .. }, Source::All) => true,
            (RecordBody::Data { conn, .. }, Source::Connection { conn: wanted, .. }) => *conn == wanted,
            (RecordBody::Data { peer, .. }, Source::Peer(wanted)) => *peer == wanted,
            (RecordBody::Note { .. }, _) if !self.events => false,
            (RecordBody::Note { .. }, Source::All) => true,
            (RecordBody::Note { text, .. }, Source::Connection { peer, .. } | Source::Peer(peer)) => {
                mentions(text, peer)
            }
        }
    }

    fn wants(&self, dir: Direction) -> bool {
        match dir {
            Direction::Rx => self.rx,
            Direction::Tx => self.tx,
        }
    }
}

/// Whether a note's `text` names `peer` (as the view writes addresses).
fn mentions(text: &str, peer: SocketAddr) -> bool {
    let mut buf = [0u8; 64];
    let name = {
        use std::io::Write as _;
        let mut cursor = std::io::Cursor::new(&mut buf[..]);
        let _ = write!(cursor, "{peer}");
        let len = cursor.position() as usize;
        &buf[..len]
    };
    memchr::memmem::find(text.as_bytes(), name).is_some()
}

/// Where a filter has got.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FilterProgress {
    /// Records held that pass.
    pub shown: u64,
    /// Records held that do not (so far).
    pub hidden: u64,
    /// Records held not yet looked at.
    pub pending: u64,
}

impl FilterProgress {
    /// Every record held has been looked at.
    pub fn done(&self) -> bool {
        self.pending == 0
    }
}

/// A record that passes: its sequence number, display lines, and the
/// filtered lines before it (counted from the first record ever indexed).
#[derive(Clone, Copy, Debug)]
struct Entry {
    seq: u64,
    lines: u32,
    before: u64,
}

/// The records of a view that pass a [`FilterSpec`], indexed by display line.
#[derive(Debug)]
pub struct FilteredView {
    spec: FilterSpec,
    scanner: Option<Scanner>,
    generation: u64,
    /// The next record to look at.
    next: u64,
    entries: VecDeque<Entry>,
}

impl FilteredView {
    /// A filter for `spec`, or why its text cannot be searched for.
    pub fn new(spec: FilterSpec) -> Result<Self, QueryError> {
        let scanner = spec.text.as_ref().map(Pattern::new).transpose()?.map(Scanner::new);
        Ok(Self { spec, scanner, generation: u64::MAX, next: 0, entries: VecDeque::new() })
    }

    /// What passes.
    pub fn spec(&self) -> &FilterSpec {
        &self.spec
    }

    /// Takes in the records of `view` not yet looked at, within `budget`.
    pub fn update(&mut self, view: &ReceiveView, budget: FindBudget) -> FilterProgress {
        if self.generation != view.generation() {
            self.generation = view.generation();
            self.next = 0;
            self.entries.clear();
            if let Some(scanner) = &mut self.scanner {
                scanner.forget_streams();
            }
        }
        let first = first_seq(view);
        while self.entries.front().is_some_and(|entry| entry.seq < first) {
            self.entries.pop_front();
        }
        if self.next < first {
            if let Some(scanner) = &mut self.scanner {
                scanner.forget_streams();
            }
            self.next = first;
        }
        let started = Instant::now();
        let mut bytes = 0;
        for (count, record) in view.records_from(self.next).enumerate() {
            if count % 256 == 255 && (bytes >= budget.bytes || started.elapsed() >= budget.time) {
                break;
            }
            self.next = record.seq + 1;
            if !self.spec.admits(record) {
                continue;
            }
            let Some(scanner) = &mut self.scanner else {
                push(&mut self.entries, record);
                continue;
            };
            let Some((stream, hay)) = searchable(record, scanner.pattern().domain()) else { continue };
            bytes += hay.len();
            let mut passes = false;
            let mut earlier = None;
            scanner.feed(stream, record.seq, hay, |hit| {
                passes = true;
                if hit.start.unit < record.seq {
                    earlier = Some(hit.start.unit);
                }
            });
            if let Some(seq) = earlier
                && let Some(earlier) = view.record(seq)
            {
                insert(&mut self.entries, earlier);
            }
            if passes {
                push(&mut self.entries, record);
            }
        }
        self.progress(view)
    }

    /// Where it has got in `view`.
    pub fn progress(&self, view: &ReceiveView) -> FilterProgress {
        let first = first_seq(view);
        let end = view.next_seq();
        let next = self.next.clamp(first, end);
        let gone = self.entries.partition_point(|entry| entry.seq < first);
        let shown = (self.entries.len() - gone) as u64;
        FilterProgress { shown, hidden: (next - first).saturating_sub(shown), pending: end - next }
    }

    /// Display lines of the records that pass.
    pub fn line_count(&self) -> usize {
        match (self.entries.front(), self.entries.back()) {
            (Some(first), Some(last)) => (last.before + u64::from(last.lines) - first.before) as usize,
            _ => 0,
        }
    }

    /// The index in `view` of filtered display line `index`.
    pub fn view_line(&self, view: &ReceiveView, index: usize) -> Option<usize> {
        let base = self.entries.front()?.before;
        let wanted = base + index as u64;
        let at = self.entries.partition_point(|entry| entry.before + u64::from(entry.lines) <= wanted);
        let entry = self.entries.get(at)?;
        let within = (wanted - entry.before) as usize;
        view.record(entry.seq)?;
        Some(view.line_count_before(entry.seq) + within)
    }

    /// The filtered display line showing `view`'s line `view_line` (e.g. a
    /// find match's), or, if its record is hidden, the next one shown.
    pub fn filtered_line(&self, view: &ReceiveView, view_line: usize) -> Option<usize> {
        let line = view.line(view_line)?;
        let base = self.entries.front()?.before;
        let at = self.entries.partition_point(|entry| entry.seq < line.seq);
        let entry = self.entries.get(at)?;
        let within = if entry.seq == line.seq { view_line - view.line_count_before(line.seq) } else { 0 };
        Some((entry.before - base) as usize + within)
    }
}

fn first_seq(view: &ReceiveView) -> u64 {
    view.records().next().map_or(view.next_seq(), |record| record.seq)
}

/// Appends `record` (the newest looked at) if it is not there yet.
fn push(entries: &mut VecDeque<Entry>, record: &Record) {
    if entries.back().is_some_and(|last| last.seq >= record.seq) {
        return;
    }
    let before = entries.back().map_or(0, |last| last.before + u64::from(last.lines));
    entries.push_back(Entry { seq: record.seq, lines: record.lines, before });
}

/// Inserts `record` (looked at before and hidden, now shown: a match that
/// ends in a later read starts in it) in order, moving the lines after it.
fn insert(entries: &mut VecDeque<Entry>, record: &Record) {
    let at = entries.partition_point(|entry| entry.seq < record.seq);
    if entries.get(at).is_some_and(|entry| entry.seq == record.seq) {
        return;
    }
    let before = match at.checked_sub(1).and_then(|i| entries.get(i)) {
        Some(previous) => previous.before + u64::from(previous.lines),
        None => entries.front().map_or(0, |first| first.before),
    };
    for entry in entries.range_mut(at..) {
        entry.before += u64::from(record.lines);
    }
    entries.insert(at, Entry { seq: record.seq, lines: record.lines, before });
}

#[cfg(test)]
#[path = "filter_tests.rs"]
mod tests;
