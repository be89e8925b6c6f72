//! Cutting records into display lines of one height each, and rendering one
//! line's text on demand. This is what makes the view virtual: the index is
//! a few bytes per line, and text is produced only for lines on screen.

use crate::ids::Direction;
use std::collections::VecDeque;
use std::ops::Range;

use chrono::{DateTime, Local};

use super::{NoteLevel, Record, RecordBody};
use crate::codec::format_hex_line;

/// How data records are shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ViewMode {
    /// Decoded text in the view's charset.
    #[default]
    Text,
    /// Hex bytes, 16 per line.
    Hex,
    /// The text, followed by the hex bytes.
    TextHex,
}

impl ViewMode {
    /// Every mode, in UI order.
    pub const ALL: [ViewMode; 3] = [ViewMode::Text, ViewMode::Hex, ViewMode::TextHex];

    /// Label shown in the UI, in the thread's language.
    pub fn label(self) -> String {
        crate::i18n::tr(
            match self {
                ViewMode::Text => "view-mode-text",
                ViewMode::Hex => "view-mode-hex",
                ViewMode::TextHex => "view-mode-text-hex",
            },
            &[],
        )
    }
}

/// Longest text line, in columns, before it wraps onto the next line (with
/// 自动换行 off; on, lines wrap at the view's width, see [`MIN_WRAP`]).
pub const WRAP_CHARS: usize = 160;
/// The narrowest wrap width the view accepts, in columns.
pub const MIN_WRAP: usize = 16;
/// Bytes per hex line.
pub const HEX_BYTES_PER_LINE: usize = 16;

/// What one display line shows of its record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// Time, direction, peer and size of a data record.
    Header,
    /// A note's text.
    Note,
    /// A slice `start..end` (byte offsets) of the record's decoded text.
    Text {
        /// Start byte offset into the decoded text.
        start: u32,
        /// End byte offset into the decoded text.
        end: u32,
    },
    /// Up to [`HEX_BYTES_PER_LINE`] raw bytes from `offset`.
    Hex {
        /// Offset into the raw bytes.
        offset: u32,
    },
}

/// One display line: which record and which part of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line {
    /// The record's sequence number.
    pub seq: u64,
    /// The part shown.
    pub kind: LineKind,
}

/// How a rendered line should be styled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineStyle {
    /// A data header, by direction.
    Header(Direction),
    /// A note, by level.
    Note(NoteLevel),
    /// Decoded text (markers styled apart).
    Text,
    /// Hex bytes.
    Hex,
}

/// Appends the display lines of `record` in `mode` to `out`; returns how many.
pub(super) fn push_lines(record: &Record, mode: ViewMode, wrap: usize, out: &mut VecDeque<Line>) -> u32 {
    let seq = record.seq;
    let before = out.len();
    let mut push = |kind| {
        if out.len() == out.capacity() {
            // A quarter more room, not double: the view's memory limit counts
            // its lines, not the room after them (up to half of the index,
            // 1.5 MB under binary data, when it doubled).
            out.reserve_exact(out.len() / 4 + 256);
        }
        out.push_back(Line { seq, kind });
    };
    match &record.body {
        RecordBody::Note { .. } => push(LineKind::Note),
        RecordBody::Data { raw, decoded, follows_cr, .. } => {
            push(LineKind::Header);
            if matches!(mode, ViewMode::Text | ViewMode::TextHex) {
                for range in wrapped_line_ranges(&decoded.text, *follows_cr, wrap) {
                    push(LineKind::Text { start: to_u32(range.start), end: to_u32(range.end) });
                }
            }
            if matches!(mode, ViewMode::Hex | ViewMode::TextHex) {
                for offset in (0..raw.len()).step_by(HEX_BYTES_PER_LINE) {
                    push(LineKind::Hex { offset: to_u32(offset) });
                }
            }
        }
    }
    to_u32(out.len() - before)
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Byte ranges of the display lines of `text`: split at `\r\n`, `\n` or `\r`
/// (the break itself is not shown), then wrapped every [`WRAP_CHARS`]
/// characters. A trailing line break adds no empty line; empty text is one
/// empty line. With `follows_cr` (the stream's previous chunk ended in `\r`)
/// a leading `\n` finishes that `\r\n` and adds no line of its own.
pub fn text_line_ranges(text: &str, follows_cr: bool) -> Vec<Range<usize>> {
    wrapped_line_ranges(text, follows_cr, WRAP_CHARS)
}

/// [`text_line_ranges`], wrapped every `wrap` columns (a wide character,
/// e.g. Chinese, takes two) instead of [`WRAP_CHARS`].
pub fn wrapped_line_ranges(text: &str, follows_cr: bool, wrap: usize) -> Vec<Range<usize>> {
    let wrap = wrap.clamp(MIN_WRAP, WRAP_CHARS);
    let mut ranges = Vec::new();
    let bytes = text.as_bytes();
    let mut start = 0;
    if follows_cr && bytes.first() == Some(&b'\n') {
        if bytes.len() == 1 {
            return ranges;
        }
        start = 1;
    }
    // memchr finds the breaks with SIMD: a flood of short lines is mostly this loop.
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if i < start {
            continue; // the \n of a \r\n already consumed
        }
        wrap_into(text, start..i, wrap, &mut ranges);
        start = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') { i + 2 } else { i + 1 };
    }
    if start < bytes.len() || ranges.is_empty() {
        wrap_into(text, start..bytes.len(), wrap, &mut ranges);
    }
    ranges
}

fn wrap_into(text: &str, range: Range<usize>, wrap: usize, out: &mut Vec<Range<usize>>) {
    let segment = &text[range.clone()];
    // A character takes at most as many columns as it has UTF-8 bytes.
    if segment.len() <= wrap {
        out.push(range);
        return;
    }
    let mut line_start = range.start;
    let mut used = 0;
    for (offset, c) in segment.char_indices() {
        let width = columns(c);
        if used + width > wrap && used > 0 {
            out.push(line_start..range.start + offset);
            line_start = range.start + offset;
            used = 0;
        }
        used += width;
    }
    out.push(line_start..range.end);
}

/// Columns a character takes in the monospace view: two for the wide
/// (East Asian) ranges, one for the rest.
fn columns(c: char) -> usize {
    match u32::from(c) {
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

/// Renders `kind` of `record` into `out` (cleared first); marker ranges
/// (invalid bytes, control characters) are written to `markers` relative to
/// `out`. Returns how to style the line.
pub fn render_line(record: &Record, kind: LineKind, out: &mut String, markers: &mut Vec<Range<usize>>) -> LineStyle {
    use std::fmt::Write as _;
    out.clear();
    markers.clear();
    match (&record.body, kind) {
        (RecordBody::Note { level, text }, _) => {
            push_time(record, out);
            out.push_str("  ");
            out.push_str(text);
            LineStyle::Note(*level)
        }
        (RecordBody::Data { dir, peer, raw, rtt, .. }, LineKind::Header) => {
            push_time(record, out);
            let arrow = match dir {
                Direction::Tx => "→",
                Direction::Rx => "←",
            };
            let _ = write!(out, "  {} {arrow} {peer}  ({} B", dir.label(), raw.len());
            if let Some(rtt) = rtt {
                let ms = format!("{:.3}", rtt.as_secs_f64() * 1000.0);
                out.push_str(&crate::i18n::tr("view-reply-after", &[crate::i18n::arg("ms", ms)]));
            }
            out.push(')');
            LineStyle::Header(*dir)
        }
        (RecordBody::Data { decoded, .. }, LineKind::Text { start, end }) => {
            let (start, end) = (start as usize, end as usize);
            if let Some(slice) = decoded.text.get(start..end) {
                out.push_str(slice);
                // Markers are in order: start at the first that ends past the
                // line (a record of binary data has thousands; a line, a few).
                let first = decoded.invalid.partition_point(|m| m.end <= start);
                for marker in decoded.invalid[first..].iter().take_while(|m| m.start < end) {
                    let (s, e) = (marker.start.max(start), marker.end.min(end));
                    if s < e {
                        markers.push(s - start..e - start);
                    }
                }
            }
            LineStyle::Text
        }
        (RecordBody::Data { raw, .. }, LineKind::Hex { offset }) => {
            let offset = offset as usize;
            let end = (offset + HEX_BYTES_PER_LINE).min(raw.len());
            let _ = write!(out, "{offset:04X}  ");
            format_hex_line(raw.get(offset..end).unwrap_or_default(), out);
            LineStyle::Hex
        }
        (RecordBody::Data { .. }, LineKind::Note) => LineStyle::Text,
    }
}

/// Replaces every character for which `escape` returns a replacement with
/// that replacement, recorded as a marker; existing marker ranges move with
/// the text. Used for control characters, and by the UI for characters that
/// no font can draw (so they show as `\u{37B}`, not as a box).
pub fn escape_chars(
    text: &mut String,
    markers: &mut Vec<Range<usize>>,
    mut escape: impl FnMut(char) -> Option<String>,
) {
    // A marker that touches the one before joins it: a line of binary data
    // is then a few styled runs, not one per escaped character (each run
    // is shaped on its own when the line is laid out).
    fn mark(markers: &mut Vec<Range<usize>>, range: Range<usize>) {
        match markers.last_mut() {
            Some(last) if last.end == range.start => last.end = range.end,
            _ => markers.push(range),
        }
    }
    let old_text = std::mem::take(text);
    let old_markers = std::mem::take(markers);
    text.reserve(old_text.len() + old_text.len() / 4);
    let mut pending = old_markers.iter().peekable();
    let mut open: Option<(usize, usize)> = None; // (old end, new start) of a marker being copied
    for (i, ch) in old_text.char_indices() {
        if let Some((end, start)) = open
            && end <= i
        {
            mark(markers, start..text.len());
            open = None;
        }
        if open.is_none()
            && let Some(marker) = pending.next_if(|m| m.start <= i)
        {
            open = Some((marker.end, text.len()));
        }
        match escape(ch) {
            Some(replacement) if open.is_none() => {
                let start = text.len();
                text.push_str(&replacement);
                mark(markers, start..text.len());
            }
            _ => text.push(ch),
        }
    }
    if let Some((_, start)) = open {
        mark(markers, start..text.len());
    }
}

fn push_time(record: &Record, out: &mut String) {
    use std::fmt::Write as _;
    let local: DateTime<Local> = record.at.into();
    let _ = write!(out, "{}", local.format("%H:%M:%S%.3f"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<&str> {
        text_line_ranges(text, false).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn splits_on_every_kind_of_line_break() {
        assert_eq!(lines("a\r\nb\nc\rd"), ["a", "b", "c", "d"]);
        assert_eq!(lines("a\n"), ["a"]);
        assert_eq!(lines("a\n\nb"), ["a", "", "b"]);
        assert_eq!(lines(""), [""]);
        assert_eq!(lines("\n"), [""]);
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)]
    fn escaping_moves_existing_markers_along() {
        let mut text = "a\\xC4b\u{37B}c".to_owned();
        let mut markers = vec![1..5];
        escape_chars(&mut text, &mut markers, |c| (c == '\u{37B}').then(|| format!("\\u{{{:X}}}", c as u32)));
        assert_eq!(text, "a\\xC4b\\u{37B}c");
        assert_eq!(markers, vec![1..5, 6..13]);
        // Characters inside an existing marker are left alone.
        let mut text = "\\xC4".to_owned();
        let mut markers = vec![0..4];
        escape_chars(&mut text, &mut markers, |c| (c == 'x').then(|| "X".to_owned()));
        assert_eq!((text.as_str(), markers), ("\\xC4", vec![0..4]));
    }

    #[test]
    fn a_crlf_split_across_chunks_adds_no_blank_line() {
        let after_cr = |text: &str| -> Vec<String> {
            text_line_ranges(text, true).into_iter().map(|r| text[r].to_owned()).collect()
        };
        assert_eq!(after_cr("\nb\r\n"), ["b"]);
        assert!(after_cr("\n").is_empty());
        assert_eq!(after_cr("\n\nb"), ["", "b"], "a second line break is a real empty line");
        assert_eq!(after_cr("b"), ["b"]);
    }

    #[test]
    fn wraps_long_lines_on_character_boundaries() {
        // A Chinese character takes two columns of the view.
        let text = "你".repeat(WRAP_CHARS + 3);
        let got = lines(&text);
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].chars().count(), WRAP_CHARS / 2);
        assert_eq!(got[2].chars().count(), 3);
        assert_eq!(got.concat(), text);
        let ascii = "a".repeat(WRAP_CHARS * 2 + 3);
        assert_eq!(lines(&ascii).iter().map(|l| l.len()).collect::<Vec<_>>(), [WRAP_CHARS, WRAP_CHARS, 3]);
    }

    #[test]
    fn wraps_at_a_narrower_width_when_asked() {
        let text = format!("{}你好你好你好", "a".repeat(30));
        let got: Vec<&str> = wrapped_line_ranges(&text, false, 20).into_iter().map(|r| &text[r]).collect();
        assert_eq!(got, ["a".repeat(20).as_str(), &format!("{}你好你好你", "a".repeat(10)), "好"], "two columns each");
        let narrowest: Vec<&str> = wrapped_line_ranges("abcdefghijklmnopqrstu", false, 1)
            .into_iter()
            .map(|r| &"abcdefghijklmnopqrstu"[r])
            .collect();
        assert_eq!(narrowest, ["abcdefghijklmnop", "qrstu"], "never narrower than MIN_WRAP");
    }
}
