//! The filter row over a capture opened whole: the records that pass, as a
//! worker lists them over the whole file (by direction, and by text, hex or
//! regex), taken in batch by batch. A filter is a view: the capture and its
//! find keep everything, and the row says how many records it hides.
//! Memory stays bounded: at most [`crate::capture::MAX_ROWS`] rows are
//! listed (8 bytes each); past it passing records are only counted.

use crate::capture::{CaptureError, FilterBatch, FindEnd};
use crate::view::FilterProgress;

/// The records of a capture opened whole that pass the filter row.
#[derive(Debug, Default)]
pub struct BigFilter {
    /// A filter is on (something is filtered out); `false`: every record shows.
    pub active: bool,
    /// The records that pass so far, in order.
    pub rows: Vec<u64>,
    /// Records that pass (counted past those listed).
    pub passed: u64,
    /// Records looked at so far.
    pub seen: u64,
    /// The worker has looked at every record.
    pub done: bool,
    /// The filter could not read the file.
    pub failed: Option<CaptureError>,
    /// Bumped at each new filter, so rows read for the last one are not reused.
    pub generation: u64,
}

impl BigFilter {
    /// A new filter starts (`active`: it filters something out); the last
    /// one's rows go.
    pub fn start(&mut self, active: bool) {
        let generation = self.generation + 1;
        *self = BigFilter { active, done: !active, generation, ..BigFilter::default() };
    }

    /// Takes in what the filter worker found.
    pub fn batch(&mut self, batch: FilterBatch) {
        self.rows.extend(batch.rows);
        self.passed = batch.passed;
        self.seen = batch.seen;
        self.generation += 1;
    }

    /// The filter worker ended.
    pub fn ended(&mut self, end: FindEnd) {
        self.done = true;
        if let FindEnd::Failed(error) = end {
            self.failed = Some(error);
        }
    }

    /// Where the filter has got over `records` records, as the filter row
    /// shows it; `None` while nothing is filtered out.
    pub fn progress(&self, records: u64) -> Option<FilterProgress> {
        self.active.then(|| {
            let seen = if self.done { records } else { self.seen.min(records) };
            FilterProgress { shown: self.passed, hidden: seen - self.passed.min(seen), pending: records - seen }
        })
    }

    /// The row (position in the filtered list) of `record`, or of the
    /// first listed record after it (for a jump to a match it hides).
    pub fn position_of(&self, record: u64) -> usize {
        self.rows.partition_point(|&row| row < record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_add_up_and_progress_says_what_is_hidden() {
        let mut filter = BigFilter::default();
        assert_eq!(filter.progress(10), None, "nothing filtered, nothing to say");
        filter.start(true);
        filter.batch(FilterBatch { rows: vec![1, 4], passed: 2, seen: 5, bytes_read: 100 });
        assert_eq!(filter.progress(10), Some(FilterProgress { shown: 2, hidden: 3, pending: 5 }));
        filter.batch(FilterBatch { rows: vec![8], passed: 3, seen: 10, bytes_read: 200 });
        filter.ended(FindEnd::Complete);
        assert_eq!(filter.rows, vec![1, 4, 8]);
        assert_eq!(filter.progress(10), Some(FilterProgress { shown: 3, hidden: 7, pending: 0 }));
        assert_eq!(filter.position_of(4), 1);
        assert_eq!(filter.position_of(5), 2, "a hidden record jumps to the next one shown");
        filter.start(false);
        assert!(filter.rows.is_empty() && filter.done && filter.progress(10).is_none());
    }
}
