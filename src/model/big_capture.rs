//! A capture too big for a receive view, opened whole: its index (built by
//! a worker the app runs, taken in here batch by batch), the rows on screen
//! read from the file and decoded in the chosen charset and mode, and find
//! over the whole file (also a worker's; its matches are taken in here).
//!
//! Memory stays bounded however large the file: the index keeps 8 bytes per
//! 64 records, the rows on screen are the only records read, each data
//! record shows at most [`ROW_HEAD`] bytes of its payload, and find keeps at
//! most [`crate::capture::MAX_HITS`] match positions. No egui here.

use std::path::{Path, PathBuf};

use crate::capture::{CaptureError, CaptureIndex, FindBatch, FindEnd, IndexBatch, IndexEnd, RowReader, open_capture};
use crate::codec::Charset;
use crate::view::{FindProgress, FindQuery, ViewMode};

use super::Message;
use super::big_capture_rows::{ShownRow, show_row};
use super::big_filter::BigFilter;

/// The most payload bytes a row shows; the rest is counted after a marker.
pub const ROW_HEAD: usize = 256;

/// A capture opened whole.
pub struct BigCapture {
    /// The file.
    pub path: PathBuf,
    /// Its length when opened.
    pub file_len: u64,
    /// What is indexed so far.
    pub index: CaptureIndex,
    /// How the index ended; `None` while it is being built.
    pub end: Option<IndexEnd>,
    /// The charset the rows are decoded in.
    pub charset: Charset,
    /// Text, hex or both.
    pub mode: ViewMode,
    /// The record to scroll into view (a match was selected), taken by the panel.
    pub scroll_to: Option<u64>,
    /// Find over the whole file.
    pub find: BigFind,
    /// The filter row over the whole file.
    pub filter: BigFilter,
    reader: RowReader,
    cache: RowCache,
    /// Reading rows failed (the file changed or went away since it was indexed).
    pub read_problem: Option<CaptureError>,
}

/// The rows last read, and what they were read for.
#[derive(Default)]
struct RowCache {
    key: Option<(u64, usize, u64, Charset, ViewMode)>,
    rows: Vec<ShownRow>,
}

impl BigCapture {
    /// Opens the capture at `path` (its header is checked now) for rows in
    /// `charset` and `mode`; returns it with the file for the index worker.
    pub fn open(path: &Path, charset: Charset, mode: ViewMode) -> Result<(Self, std::fs::File), Message> {
        let cannot = |error| Message::CannotOpenCapture { path: path.to_path_buf(), error };
        let (file, file_len) = open_capture(path).map_err(cannot)?;
        let reader = RowReader::open(path).map_err(cannot)?;
        let capture = BigCapture {
            path: path.to_path_buf(),
            file_len,
            index: CaptureIndex::default(),
            end: None,
            charset,
            mode,
            scroll_to: None,
            find: BigFind::default(),
            filter: BigFilter::default(),
            reader,
            cache: RowCache::default(),
            read_problem: None,
        };
        Ok((capture, file))
    }

    /// Takes in what the index worker found.
    pub fn index_batch(&mut self, batch: IndexBatch) {
        self.index.extend(batch);
    }

    /// The index worker ended.
    pub fn index_ended(&mut self, end: IndexEnd) {
        self.end = Some(end);
    }

    /// The index is still being built.
    pub fn indexing(&self) -> bool {
        self.end.is_none()
    }

    /// Indexed so far, from 0.0 to 1.0.
    pub fn index_fraction(&self) -> f32 {
        if self.end.is_some() || self.file_len == 0 {
            1.0
        } else {
            self.index.counts().bytes_read as f32 / self.file_len as f32
        }
    }

    /// Rows that can be shown: the records indexed so far.
    pub fn row_count(&self) -> u64 {
        self.index.records()
    }

    /// What ended the index early: a truncated or corrupt record (every
    /// record before it shows), or a read error.
    pub fn problem(&self) -> Option<&CaptureError> {
        match &self.end {
            Some(IndexEnd::Problem(problem)) => Some(problem),
            _ => self.read_problem.as_ref(),
        }
    }

    /// Rows that can be shown: the records indexed so far, or with the
    /// filter on, those it has listed so far.
    pub fn shown_count(&self) -> u64 {
        if self.filter.active { self.filter.rows.len() as u64 } else { self.row_count() }
    }

    /// The rows at positions `first` to `first + count - 1` of what is
    /// shown (the records themselves, or the filter's list), read from the
    /// file unless the last call asked for the same.
    pub fn shown_rows(&mut self, first: u64, count: usize) -> &[ShownRow] {
        if !self.filter.active {
            return self.rows(first, count);
        }
        // A filter generation never equals a record count of the unfiltered key's
        // (it is tagged by the top bit), so the two caches cannot be confused.
        let key = (first, count, self.filter.generation | 1 << 63, self.charset, self.mode);
        if self.cache.key != Some(key) {
            self.cache.key = Some(key);
            self.cache.rows.clear();
            let start = usize::try_from(first).unwrap_or(usize::MAX).min(self.filter.rows.len());
            let end = start.saturating_add(count).min(self.filter.rows.len());
            for &record in &self.filter.rows[start..end] {
                match self.reader.read(&self.index, record, 1, ROW_HEAD) {
                    Ok(records) => {
                        self.cache.rows.extend(records.iter().map(|r| show_row(r, self.charset, self.mode)));
                    }
                    Err(error) => {
                        self.read_problem = Some(error);
                        break;
                    }
                }
            }
        }
        &self.cache.rows
    }

    /// Rows `first` to `first + count - 1` as shown (fewer past the end),
    /// read from the file unless the last call asked for the same.
    pub fn rows(&mut self, first: u64, count: usize) -> &[ShownRow] {
        let key = (first, count, self.index.records(), self.charset, self.mode);
        if self.cache.key != Some(key) {
            self.cache.key = Some(key);
            self.cache.rows.clear();
            match self.reader.read(&self.index, first, count, ROW_HEAD) {
                Ok(records) => {
                    self.cache.rows.extend(records.iter().map(|record| show_row(record, self.charset, self.mode)));
                }
                Err(error) => self.read_problem = Some(error),
            }
        }
        &self.cache.rows
    }
}

/// Find over the whole capture: the matches a worker has found so far.
#[derive(Debug, Default)]
pub struct BigFind {
    /// What is being (or was) searched for, and in which charset.
    pub searched: Option<(FindQuery, Charset)>,
    /// The record of each match kept, in order.
    pub hits: Vec<u64>,
    /// Matches found (counted past those kept).
    pub matches: u64,
    /// Bytes of the file searched.
    pub bytes_read: u64,
    /// The search has ended.
    pub done: bool,
    /// The selected match (an index into `hits`).
    pub current: Option<usize>,
    /// The search could not read the file.
    pub failed: Option<CaptureError>,
}

impl BigFind {
    /// A new search for `query` in `charset` starts (the last one's matches go).
    pub fn start(&mut self, query: FindQuery, charset: Charset) {
        *self = BigFind { searched: Some((query, charset)), ..BigFind::default() };
    }

    /// No search (the query was emptied or is bad).
    pub fn clear(&mut self) {
        *self = BigFind::default();
    }

    /// Takes in what the find worker found.
    pub fn batch(&mut self, batch: FindBatch) {
        self.hits.extend(batch.hits);
        self.matches = batch.matches;
        self.bytes_read = batch.bytes_read;
    }

    /// The find worker ended.
    pub fn ended(&mut self, end: FindEnd) {
        self.done = true;
        if let FindEnd::Failed(error) = end {
            self.failed = Some(error);
        }
    }

    /// "3 / 120": the selected match's number from 1 (0 if none) and the count.
    pub fn counter(&self) -> (usize, usize) {
        (self.current.map_or(0, |c| c + 1), usize::try_from(self.matches).unwrap_or(usize::MAX))
    }

    /// The search's progress over a file of `file_len` bytes, as the find bar shows it.
    pub fn progress(&self, file_len: u64) -> Option<FindProgress> {
        self.searched.as_ref()?;
        Some(FindProgress {
            searched: self.bytes_read,
            total: file_len.max(1),
            done: self.done,
            matches: self.hits.len(),
            capped: self.matches > self.hits.len() as u64,
        })
    }

    /// Selects the next match (wrapping); the record it is in.
    pub fn select_next(&mut self) -> Option<u64> {
        if self.hits.is_empty() {
            return None;
        }
        let next = self.current.map_or(0, |c| (c + 1) % self.hits.len());
        self.current = Some(next);
        Some(self.hits[next])
    }

    /// Selects the previous match (wrapping); the record it is in.
    pub fn select_previous(&mut self) -> Option<u64> {
        if self.hits.is_empty() {
            return None;
        }
        let len = self.hits.len();
        let previous = self.current.map_or(len - 1, |c| (c + len - 1) % len);
        self.current = Some(previous);
        Some(self.hits[previous])
    }

    /// The record of the selected match.
    pub fn current_record(&self) -> Option<u64> {
        self.hits.get(self.current?).copied()
    }
}
