//! Find in the receive view: a [`FindJob`] searches the view's records a
//! budget at a time (so a frame never waits for a search), keeps the
//! matches in order, steps through them (next / previous, "3 / 120"), and
//! says which parts of a display line to highlight.
//!
//! A panel drives it frame by frame: [`FindJob::advance`] with a small
//! budget until [`FindProgress::done`], then again each frame to take in
//! records that arrived since (the job follows a live view). A change of
//! charset or view mode, or a clear, starts the search over (the text it
//! searched has changed); records the view drops take their matches along.

use std::collections::VecDeque;
use std::ops::Range;
use std::time::{Duration, Instant};

use super::find_scan::{Domain, FindQuery, Hit, Pattern, QueryError, Scanner};
use super::{Delivery, LineKind, ReceiveView, Record, RecordBody};

/// The most matches a job keeps; past it the search stops and says so.
pub const MAX_MATCHES: usize = 250_000;

/// How much one [`FindJob::advance`] may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FindBudget {
    /// Time.
    pub time: Duration,
    /// Bytes searched.
    pub bytes: usize,
}

impl FindBudget {
    /// No limit: search everything now (for tests, benches and headless use).
    pub const UNLIMITED: FindBudget = FindBudget { time: Duration::MAX, bytes: usize::MAX };

    /// A frame's share: 4 ms or 32 MiB, whichever comes first.
    pub const FRAME: FindBudget = FindBudget { time: Duration::from_millis(4), bytes: 32 << 20 };
}

/// How far a job has got.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FindProgress {
    /// Records searched of those the view holds.
    pub searched: u64,
    /// Records the view holds.
    pub total: u64,
    /// Every record held has been searched (or the job stopped at [`MAX_MATCHES`]).
    pub done: bool,
    /// Matches found so far.
    pub matches: usize,
    /// The job stopped at [`MAX_MATCHES`]; there may be more.
    pub capped: bool,
}

impl FindProgress {
    /// Searched so far, from 0.0 to 1.0.
    pub fn fraction(&self) -> f32 {
        if self.done || self.total == 0 { 1.0 } else { self.searched as f32 / self.total as f32 }
    }
}

/// A part of a rendered display line to highlight.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Highlight {
    /// Byte range in the line as [`ReceiveView::render_line`] renders it.
    pub range: Range<usize>,
    /// It is part of the selected match.
    pub current: bool,
}

/// A search of one view, with its matches in order.
#[derive(Debug)]
pub struct FindJob {
    query: FindQuery,
    scanner: Scanner,
    /// The view's generation the matches are of.
    generation: u64,
    /// The next record to search.
    next: u64,
    matches: VecDeque<Hit>,
    current: Option<usize>,
    capped: bool,
}

impl FindJob {
    /// A job for `query`, or why it cannot be searched for.
    pub fn new(query: FindQuery) -> Result<Self, QueryError> {
        let scanner = Scanner::new(Pattern::new(&query)?);
        Ok(Self {
            query,
            scanner,
            generation: u64::MAX,
            next: 0,
            matches: VecDeque::new(),
            current: None,
            capped: false,
        })
    }

    /// What it looks for.
    pub fn query(&self) -> &FindQuery {
        &self.query
    }

    /// Searches the records of `view` not yet searched, within `budget`.
    pub fn advance(&mut self, view: &ReceiveView, budget: FindBudget) -> FindProgress {
        if self.generation != view.generation() {
            self.restart(view.generation());
        }
        let first = view.records().next().map_or(view.next_seq(), |record| record.seq);
        self.drop_before(first);
        if self.next < first {
            // Records went before they were searched: their streams' ends are gone too.
            self.scanner.forget_streams();
            self.next = first;
        }
        let started = Instant::now();
        let mut bytes = 0;
        let domain = self.scanner.pattern().domain();
        for (count, record) in view.records_from(self.next).enumerate() {
            if self.capped {
                break;
            }
            if count % 64 == 63 && (bytes >= budget.bytes || started.elapsed() >= budget.time) {
                break;
            }
            if let Some((stream, hay)) = searchable(record, domain) {
                bytes += hay.len();
                let (matches, current, capped) = (&mut self.matches, &mut self.current, &mut self.capped);
                self.scanner.feed(stream, record.seq, hay, |hit| insert(matches, current, capped, hit));
            }
            self.next = record.seq + 1;
        }
        self.progress(view)
    }

    /// How far it has got in `view`.
    pub fn progress(&self, view: &ReceiveView) -> FindProgress {
        let first = view.records().next().map_or(view.next_seq(), |record| record.seq);
        let total = view.next_seq() - first;
        let searched = self.next.saturating_sub(first).min(total);
        let current_generation = self.generation == view.generation();
        FindProgress {
            searched: if current_generation { searched } else { 0 },
            total,
            done: current_generation && (searched == total || self.capped),
            matches: self.matches.len(),
            capped: self.capped,
        }
    }

    fn restart(&mut self, generation: u64) {
        self.scanner.forget_streams();
        self.generation = generation;
        self.next = 0;
        self.matches.clear();
        self.current = None;
        self.capped = false;
    }

    /// Drops the matches that start before record `first`.
    fn drop_before(&mut self, first: u64) {
        let gone = self.matches.partition_point(|hit| hit.start.unit < first);
        if gone > 0 {
            self.matches.drain(..gone);
            self.current = self.current.and_then(|current| current.checked_sub(gone));
        }
    }

    /// The matches found, in the order they appear.
    pub fn matches(&self) -> &VecDeque<Hit> {
        &self.matches
    }

    /// The selected match: its index among [`FindJob::matches`] and itself.
    pub fn current(&self) -> Option<(usize, Hit)> {
        let index = self.current?;
        Some((index, *self.matches.get(index)?))
    }

    /// "3 / 120": the selected match's number from 1 (0 if none) and the count.
    pub fn counter(&self) -> (usize, usize) {
        (self.current.map_or(0, |index| index + 1), self.matches.len())
    }

    /// Selects the next match (the first after the last), and returns it.
    pub fn select_next(&mut self) -> Option<Hit> {
        let len = self.matches.len();
        if len == 0 {
            return None;
        }
        let index = self.current.map_or(0, |index| (index + 1) % len);
        self.current = Some(index);
        self.matches.get(index).copied()
    }

    /// Selects the previous match (the last before the first), and returns it.
    pub fn select_previous(&mut self) -> Option<Hit> {
        let len = self.matches.len();
        if len == 0 {
            return None;
        }
        let index = self.current.map_or(len - 1, |index| (index + len - 1) % len);
        self.current = Some(index);
        self.matches.get(index).copied()
    }

    /// Selects the first match in record `seq` or after it (the first of
    /// all if none is), e.g. from the top of what is on screen.
    pub fn select_from(&mut self, seq: u64) -> Option<Hit> {
        if self.matches.is_empty() {
            return None;
        }
        let index = self.matches.partition_point(|hit| hit.start.unit < seq) % self.matches.len();
        self.current = Some(index);
        self.matches.get(index).copied()
    }

    /// The display line of `view` to scroll to for `hit`: the line showing
    /// its start (its record's header when the view mode does not show the
    /// text or bytes it was found in).
    pub fn line_of(&self, view: &ReceiveView, hit: Hit) -> Option<usize> {
        let first = view.line_count_before(hit.start.unit);
        let offset = hit.start.offset;
        let domain = self.scanner.pattern().domain();
        let mut index = first;
        while let Some(line) = view.line(index) {
            if line.seq != hit.start.unit {
                break;
            }
            let contains = match (line.kind, domain) {
                (LineKind::Text { end, .. }, Domain::Text) => offset < end,
                (LineKind::Hex { offset: at }, Domain::Raw) => (offset as usize) < at as usize + HEX_PER_LINE,
                (LineKind::Note, Domain::Text) => true,
                _ => false,
            };
            if contains {
                return Some(index);
            }
            index += 1;
        }
        (first < view.line_count()).then_some(first)
    }

    /// The parts of display line `index` of `view`, rendered as `rendered`,
    /// that are matches, into `out` (cleared first).
    pub fn highlights(&self, view: &ReceiveView, index: usize, rendered: &str, out: &mut Vec<Highlight>) {
        out.clear();
        let Some(line) = view.line(index) else { return };
        let Some(record) = view.record(line.seq) else { return };
        let domain = self.scanner.pattern().domain();
        let seq = line.seq;
        let current = self.current();
        // Matches are in order of their start; one that starts in an earlier
        // record (split across reads) is among the few just before.
        let from = self.matches.partition_point(|hit| hit.start.unit < seq);
        let lookback = from.saturating_sub(LOOKBACK);
        for (i, hit) in self.matches.range(lookback..).enumerate() {
            if hit.start.unit > seq {
                break;
            }
            if hit.end.unit < seq {
                continue;
            }
            let start = if hit.start.unit == seq { hit.start.offset as usize } else { 0 };
            let end = if hit.end.unit == seq { hit.end.offset as usize } else { usize::MAX };
            if let Some(range) = line_range(record, line.kind, domain, start..end, rendered) {
                let current = current.is_some_and(|(index, _)| index == lookback + i);
                out.push(Highlight { range, current });
            }
        }
    }
}

/// Matches before a record's first that are checked for reaching into it.
const LOOKBACK: usize = 64;
/// Raw bytes per hex line.
const HEX_PER_LINE: usize = super::lines::HEX_BYTES_PER_LINE;

/// Where in the rendered `line` of `record` the bytes `range` of its text
/// (or raw bytes) are, if the line shows any of them.
fn line_range(
    record: &Record,
    kind: LineKind,
    domain: Domain,
    range: Range<usize>,
    rendered: &str,
) -> Option<Range<usize>> {
    match (kind, domain, &record.body) {
        (LineKind::Text { start, end }, Domain::Text, _) => {
            let (start, end) = (start as usize, end as usize);
            let (s, e) = (range.start.max(start), range.end.min(end));
            (s < e).then(|| s - start..e - start)
        }
        (LineKind::Note, Domain::Text, RecordBody::Note { text, .. }) => {
            // The note's text ends the line (after its time).
            let prefix = rendered.len().checked_sub(text.len())?;
            let end = range.end.min(text.len());
            (range.start < end).then(|| prefix + range.start..prefix + end)
        }
        (LineKind::Hex { offset }, Domain::Raw, RecordBody::Data { raw, .. }) => {
            let offset = offset as usize;
            let shown = (raw.len() - offset).min(HEX_PER_LINE);
            let (s, e) = (range.start.max(offset), range.end.min(offset + shown));
            if s >= e {
                return None;
            }
            // "OFFSET  C4 E3 ...": the bytes end the line, 3 characters each but the last.
            let prefix = rendered.len().checked_sub(shown * 3 - 1)?;
            Some(prefix + (s - offset) * 3..prefix + (e - offset) * 3 - 1)
        }
        _ => None,
    }
}

/// What of `record` is searched in `domain`: its stream (if it is part of
/// one) and its bytes.
pub(super) fn searchable(record: &Record, domain: Domain) -> Option<(Option<super::find_scan::StreamKey>, &[u8])> {
    match (&record.body, domain) {
        (RecordBody::Data { conn, dir, delivery, decoded, .. }, Domain::Text) => {
            Some((stream_of(*conn, *dir, *delivery), decoded.text.as_bytes()))
        }
        (RecordBody::Data { conn, dir, delivery, raw, .. }, Domain::Raw) => {
            Some((stream_of(*conn, *dir, *delivery), raw))
        }
        (RecordBody::Note { text, .. }, Domain::Text) => Some((None, text.as_bytes())),
        (RecordBody::Note { .. }, Domain::Raw) => None,
    }
}

fn stream_of(
    conn: crate::ids::ConnId,
    dir: crate::ids::Direction,
    delivery: Delivery,
) -> Option<super::find_scan::StreamKey> {
    (delivery == Delivery::Stream).then_some((conn, dir))
}

/// Adds `hit` in order of start (a match split across reads is found
/// after matches that start later, in other streams' records between).
fn insert(matches: &mut VecDeque<Hit>, current: &mut Option<usize>, capped: &mut bool, hit: Hit) {
    if matches.len() >= MAX_MATCHES {
        *capped = true;
        return;
    }
    if matches.back().is_none_or(|last| last.start <= hit.start) {
        matches.push_back(hit);
        return;
    }
    let at = matches.partition_point(|other| other.start <= hit.start);
    matches.insert(at, hit);
    if let Some(index) = current
        && *index >= at
    {
        *index += 1;
    }
}

#[cfg(test)]
#[path = "find_tests.rs"]
mod tests;
