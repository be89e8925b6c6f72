//! Reading the receive view out: its display lines one by one (for the
//! screen), since a record (for the session log), or all of it as text.

use std::ops::Range;

use super::ReceiveView;
use crate::view::lines::{LineStyle, render_line};
use crate::view::{Line, Record, StoreStats};

impl ReceiveView {
    /// Number of display lines.
    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    /// Renders display line `index` into `out`, with marker ranges in `markers`.
    pub fn render_line(&self, index: usize, out: &mut String, markers: &mut Vec<Range<usize>>) -> Option<LineStyle> {
        let line = self.lines.get(index)?;
        let record = self.store.get(line.seq)?;
        Some(render_line(record, line.kind, out, markers))
    }

    /// Counters of what is held and what was dropped from view.
    pub fn stats(&self) -> StoreStats {
        self.store.stats()
    }

    /// The records held, oldest first.
    pub fn records(&self) -> impl Iterator<Item = &Record> {
        self.store.iter()
    }

    /// The records held numbered `seq` and later, oldest first.
    pub fn records_from(&self, seq: u64) -> impl Iterator<Item = &Record> {
        self.store.iter_from(seq)
    }

    /// The record numbered `seq`, if held.
    pub fn record(&self, seq: u64) -> Option<&Record> {
        self.store.get(seq)
    }

    /// Display line `index`: which record and which part of it.
    pub fn line(&self, index: usize) -> Option<Line> {
        self.lines.get(index).copied()
    }

    /// Number of display lines of the records numbered below `seq` (what a
    /// display paused when `seq` was next shows).
    pub fn line_count_before(&self, seq: u64) -> usize {
        self.lines.partition_point(|line| line.seq < seq)
    }

    /// The sequence number the next record will get.
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// Appends to `out` the display lines of the records numbered `from` and
    /// later, as [`ReceiveView::render_line`] renders them, one per line (a
    /// session log follows the view this way). Returns how many of those
    /// records the view no longer holds (dropped before they were rendered).
    pub fn render_since(&self, from: u64, out: &mut String) -> u64 {
        let first_held = self.store.first_seq().unwrap_or(self.next_seq);
        let missed = first_held.min(self.next_seq).saturating_sub(from);
        let start = self.lines.partition_point(|line| line.seq < from);
        let (mut text, mut markers) = (String::new(), Vec::new());
        for line in self.lines.range(start..) {
            if let Some(record) = self.store.get(line.seq) {
                render_line(record, line.kind, &mut text, &mut markers);
                out.push_str(&text);
                out.push('\n');
            }
        }
        missed
    }

    /// The whole view as plain text, one display line per line (for saving and tests).
    pub fn to_text(&self) -> String {
        let mut all = String::new();
        let (mut line, mut markers) = (String::new(), Vec::new());
        for index in 0..self.line_count() {
            if self.render_line(index, &mut line, &mut markers).is_some() {
                all.push_str(&line);
                all.push('\n');
            }
        }
        all
    }
}
