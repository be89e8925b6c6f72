//! One record of a capture opened whole, as its row shows it: time,
//! direction, peer, and the payload decoded in the chosen charset and mode
//! (cut to what was read, with a marker saying how much more there is), or
//! what an opening or closing says.

use crate::capture::{RowKind, RowRecord, Transport, from_micros};
use crate::codec::{Charset, DecodedText, StreamDecoder, format_hex_line};
use crate::i18n::{arg, t, tr};
use crate::ids::Direction;
use crate::view::{ViewMode, escape_controls};

/// A row, ready to draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShownRow {
    /// The record's number, from 0.
    pub number: u64,
    /// The time, direction and peer.
    pub head: String,
    /// The payload as text and/or hex, or the event in words.
    pub body: String,
    /// What kind of row, for its colour.
    pub style: RowStyle,
}

/// How a row is coloured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowStyle {
    /// Data received.
    Rx,
    /// Data sent.
    Tx,
    /// An opening or closing.
    Event,
}

/// `record` as its row shows it in `charset` and `mode`.
pub fn show_row(record: &RowRecord, charset: Charset, mode: ViewMode) -> ShownRow {
    let time = chrono::DateTime::<chrono::Local>::from(from_micros(record.micros)).format("%Y-%m-%d %H:%M:%S%.6f");
    let direction = t(match record.direction {
        Direction::Rx => "filter-rx",
        Direction::Tx => "filter-tx",
    });
    let head = format!("{time} {direction} {}", record.peer);
    let (body, style) = match &record.kind {
        RowKind::Data { head: bytes, len } => {
            let style = if record.direction == Direction::Rx { RowStyle::Rx } else { RowStyle::Tx };
            (payload(bytes, *len, charset, mode), style)
        }
        RowKind::Opened { local } => {
            let key = match (record.transport, record.direction) {
                (Transport::Tcp, Direction::Tx) => "bigcap-connected",
                (Transport::Tcp, Direction::Rx) => "bigcap-accepted",
                (Transport::Udp, _) => "bigcap-bound",
            };
            (tr(key, &[arg("peer", record.peer.as_str()), arg("local", local.as_str())]), RowStyle::Event)
        }
        RowKind::Closed { reason } => {
            let key = match record.transport {
                Transport::Tcp => "bigcap-ended",
                Transport::Udp => "bigcap-udp-closed",
            };
            (tr(key, &[arg("peer", record.peer.as_str()), arg("reason", one_line(reason).as_str())]), RowStyle::Event)
        }
    };
    ShownRow { number: record.number, head, body, style }
}

/// The payload's first bytes in `mode`, with a marker if there are more of its `len`.
fn payload(bytes: &[u8], len: usize, charset: Charset, mode: ViewMode) -> String {
    let mut out = String::new();
    if matches!(mode, ViewMode::Text | ViewMode::TextHex) {
        // Cut short: a character split by the cut is left out, not shown as invalid bytes.
        let mut decoded = if len > bytes.len() {
            let mut text = DecodedText::default();
            StreamDecoder::new(charset).decode(bytes, &mut text);
            text
        } else {
            charset.decode_all(bytes)
        };
        escape_controls(&mut decoded, charset);
        out.push_str(&one_line(&decoded.text));
    }
    if matches!(mode, ViewMode::Hex | ViewMode::TextHex) {
        if !out.is_empty() {
            out.push_str("  |  ");
        }
        format_hex_line(bytes, &mut out);
    }
    if len > bytes.len() {
        out.push(' ');
        out.push_str(&tr("bigcap-more", &[arg("count", len - bytes.len())]));
    }
    out
}

/// A character of the private use areas: it means nothing to anyone but
/// its sender's fonts, and egui's icon font claims some of them.
fn is_private_use(c: char) -> bool {
    matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{10FFFF}')
}

/// `text` on one line, so a row is always one line high: line breaks and
/// tabs as `\r`, `\n`, `\t` (other control characters are already `\xNN`),
/// private use characters as `\u{E000}`.
fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || is_private_use(c) => out.push_str(&format!("\\u{{{:X}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::ConnId;

    fn record(kind: RowKind) -> RowRecord {
        RowRecord {
            number: 7,
            micros: 0,
            conn: ConnId(1),
            transport: Transport::Tcp,
            direction: Direction::Rx,
            peer: "127.0.0.1:8000".to_owned(),
            kind,
        }
    }

    #[test]
    fn a_row_is_one_line_in_every_mode_and_says_what_is_cut() {
        let gbk = Charset::Gbk.encode("你好\r\n").unwrap();
        let row = show_row(&record(RowKind::Data { head: gbk.clone(), len: 6 }), Charset::Gbk, ViewMode::Text);
        assert_eq!((row.number, row.body.as_str(), row.style), (7, "你好\\r\\n", RowStyle::Rx));
        assert!(row.head.ends_with("RX 127.0.0.1:8000"), "{}", row.head);
        let row = show_row(&record(RowKind::Data { head: gbk, len: 1000 }), Charset::Gbk, ViewMode::TextHex);
        assert_eq!(row.body, "你好\\r\\n  |  C4 E3 BA C3 0D 0A (994 more bytes)");
        let row = show_row(&record(RowKind::Data { head: vec![0xC4], len: 1 }), Charset::Utf8, ViewMode::Hex);
        assert_eq!(row.body, "C4");
        // A character cut by the row's end is left out; one cut by the file is not.
        let row = show_row(&record(RowKind::Data { head: vec![b'a', 0xC4], len: 9 }), Charset::Gbk, ViewMode::Text);
        assert_eq!(row.body, "a (7 more bytes)");
        let row = show_row(&record(RowKind::Data { head: vec![b'a', 0xC4], len: 2 }), Charset::Gbk, ViewMode::Text);
        assert_eq!(row.body, "a\\xC4");
    }

    #[test]
    fn events_are_worded() {
        let row =
            show_row(&record(RowKind::Closed { reason: "reset\nby peer".to_owned() }), Charset::Utf8, ViewMode::Hex);
        assert_eq!(row.style, RowStyle::Event);
        assert!(row.body.contains("127.0.0.1:8000") && row.body.contains("reset\\nby peer"), "{}", row.body);
    }
}
