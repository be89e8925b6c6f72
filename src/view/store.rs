//! A ring buffer of records, bounded by count and by bytes.

use std::collections::VecDeque;

use super::Record;

/// How much the view keeps before it drops the oldest records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoreLimits {
    /// Most records kept.
    pub max_records: usize,
    /// Most bytes kept (see [`Record::cost`]).
    pub max_bytes: usize,
}

impl Default for StoreLimits {
    /// 200,000 records / 16 MiB (about 130,000 lines of ASCII text, raw and
    /// decoded): the window's peak RSS under a flood stays near 150 MB with
    /// software GL (docs/BENCHMARKS.md). `--view-memory` raises it.
    fn default() -> Self {
        Self { max_records: 200_000, max_bytes: 16 * 1024 * 1024 }
    }
}

/// Counters of what the store holds and what it has dropped from view.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StoreStats {
    /// Records held.
    pub records: usize,
    /// Memory held, in bytes (see [`Record::cost`]).
    pub bytes: usize,
    /// Records dropped from view since the last clear.
    pub dropped_records: u64,
    /// Memory released by dropping records since the last clear.
    pub dropped_bytes: u64,
}

/// Records in arrival order; the oldest go first when a limit is passed.
#[derive(Debug, Default)]
pub(super) struct RecordStore {
    records: VecDeque<Record>,
    limits: StoreLimits,
    bytes: usize,
    dropped_records: u64,
    dropped_bytes: u64,
}

impl RecordStore {
    pub(super) fn new(limits: StoreLimits) -> Self {
        Self { limits, ..Self::default() }
    }

    /// Appends a record (its `seq` must follow the last one) and returns the
    /// sequence number of the oldest record still held after trimming.
    pub(super) fn push(&mut self, record: Record) -> Option<u64> {
        self.bytes += record.cost();
        self.records.push_back(record);
        self.trim()
    }

    /// Drops the oldest records until both limits hold (the newest record is
    /// always kept) and returns the sequence number of the oldest one left.
    pub(super) fn trim(&mut self) -> Option<u64> {
        while self.records.len() > 1
            && (self.records.len() > self.limits.max_records || self.bytes > self.limits.max_bytes)
        {
            if let Some(old) = self.records.pop_front() {
                let cost = old.cost();
                self.bytes -= cost;
                self.dropped_records += 1;
                self.dropped_bytes += cost as u64;
            }
        }
        self.first_seq()
    }

    pub(super) fn first_seq(&self) -> Option<u64> {
        self.records.front().map(|r| r.seq)
    }

    /// The record with sequence number `seq`, if still held.
    pub(super) fn get(&self, seq: u64) -> Option<&Record> {
        let first = self.first_seq()?;
        let index = usize::try_from(seq.checked_sub(first)?).ok()?;
        self.records.get(index)
    }

    /// The records from sequence number `seq` on (all held if `seq` is older).
    pub(super) fn iter_from(&self, seq: u64) -> impl Iterator<Item = &Record> {
        let first = self.first_seq().unwrap_or(0);
        let index = usize::try_from(seq.saturating_sub(first)).unwrap_or(usize::MAX).min(self.records.len());
        self.records.range(index..)
    }

    /// The record with sequence number `seq`, if still held, to change in
    /// place (then [`RecordStore::recount`]).
    pub(super) fn get_mut(&mut self, seq: u64) -> Option<&mut Record> {
        let first = self.first_seq()?;
        let index = usize::try_from(seq.checked_sub(first)?).ok()?;
        self.records.get_mut(index)
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = &Record> {
        self.records.iter()
    }

    pub(super) fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut Record> {
        self.records.iter_mut()
    }

    /// Recomputes the byte count after records were changed in place, and
    /// trims to the limits; returns the oldest sequence number left.
    pub(super) fn recount(&mut self) -> Option<u64> {
        self.bytes = self.records.iter().map(Record::cost).sum();
        self.trim()
    }

    pub(super) fn clear(&mut self) {
        self.records.clear();
        self.bytes = 0;
        self.dropped_records = 0;
        self.dropped_bytes = 0;
    }

    pub(super) fn stats(&self) -> StoreStats {
        StoreStats {
            records: self.records.len(),
            bytes: self.bytes,
            dropped_records: self.dropped_records,
            dropped_bytes: self.dropped_bytes,
        }
    }
}
