//! Characters that would draw as nothing, made visible in the decoded text
//! as markers: control characters and invisible format characters.
//!
//! This runs on every read the view shows, so it is one pass over the text
//! with no allocation per character: binary data is about one control
//! character in eight bytes, and a flood of it must cost what text does
//! (issue 18).

use std::fmt::Write as _;
use std::ops::Range;

use crate::codec::{Charset, DecodedText};

/// Shows control characters other than tab and line breaks as markers, so
/// NUL and friends are visible instead of silently vanishing: ASCII ones
/// (one byte in every charset here) as `\xNN`; C1 ones (U+0080 to U+009F,
/// which no font draws) as `\xNN` in Windows-1252, where each is the byte of
/// that value (the five bytes Windows-1252 leaves undefined decode to them),
/// else as `\u{NN}`, since they took more than one byte. Invisible format
/// characters (zero-width space and joiners, word joiner, byte order mark,
/// bidirectional overrides, soft hyphen: see [`is_invisible`]) show as
/// `\u{…}` too, so `pass\u{200B}word` never looks like `password`.
///
/// A marker next to another (an invalid byte's, or the previous escape's)
/// joins it, as the decoder joins its own: a run of binary data is one
/// marker range, not one per byte.
pub fn escape_controls(decoded: &mut DecodedText, charset: Charset) {
    let Some(first) = decoded.text.bytes().position(is_candidate) else { return };
    let old = std::mem::take(&mut decoded.text);
    let old_markers = std::mem::take(&mut decoded.invalid);
    let mut out = Escaped {
        text: String::with_capacity(old.len() + old.len() / 4),
        markers: Vec::with_capacity(old_markers.len()),
        pending: old_markers.into_iter().peekable(),
    };
    let (mut copied, mut i) = (0, first);
    while let Some(offset) = old.as_bytes()[i..].iter().position(|&b| is_candidate(b)) {
        i += offset;
        // A candidate byte is ASCII or a UTF-8 lead byte: always a character boundary.
        let Some(c) = old.get(i..).and_then(|rest| rest.chars().next()) else { break };
        if let Some(escaped) = escape(c, charset) {
            out.copy(&old, copied..i);
            let start = out.text.len();
            escaped.write(&mut out.text);
            out.mark(start..out.text.len());
            copied = i + c.len_utf8();
        }
        i += c.len_utf8();
    }
    out.copy(&old, copied..old.len());
    decoded.text = out.text;
    decoded.invalid = out.markers;
}

/// The text being rebuilt, and the old markers still to move into it.
struct Escaped {
    text: String,
    markers: Vec<Range<usize>>,
    pending: std::iter::Peekable<std::vec::IntoIter<Range<usize>>>,
}

impl Escaped {
    /// Copies `old[range]` (which holds no escaped character) with the old
    /// markers that lie in it, moved along.
    fn copy(&mut self, old: &str, range: Range<usize>) {
        let shift = |at: usize, text_len: usize| at - range.start + text_len;
        let text_len = self.text.len();
        self.text.push_str(&old[range.clone()]);
        while let Some(marker) = self.pending.next_if(|m| m.start < range.end) {
            let start = shift(marker.start.max(range.start), text_len);
            let end = shift(marker.end.min(range.end), text_len);
            self.mark(start..end);
        }
    }

    /// Adds a marker, joined to the last one if they touch.
    fn mark(&mut self, range: Range<usize>) {
        match self.markers.last_mut() {
            Some(last) if last.end == range.start => last.end = range.end,
            _ => self.markers.push(range),
        }
    }
}

/// How a character is shown escaped.
#[derive(Clone, Copy)]
enum Escape {
    /// `\xNN`: the byte it was.
    Byte(u8),
    /// `\u{N}`: the code point.
    Char(char),
}

impl Escape {
    fn write(self, out: &mut String) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        match self {
            Escape::Byte(b) => {
                out.push_str("\\x");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0x0F)]));
            }
            Escape::Char(c) => {
                let _ = write!(out, "\\u{{{:X}}}", u32::from(c));
            }
        }
    }
}

/// Whether a byte of UTF-8 text may start a character that is escaped:
/// an ASCII control, or the lead byte of a C1 control or U+00AD (0xC2) or
/// of an invisible format character (0xE2, 0xEF).
fn is_candidate(b: u8) -> bool {
    CANDIDATE[usize::from(b)]
}

/// [`is_candidate`] for every byte: one load a byte in the scan.
static CANDIDATE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        // `b` < 256: the cast keeps its value.
        #[allow(clippy::cast_possible_truncation)]
        let byte = b as u8;
        table[b] = is_control(byte) || matches!(byte, 0xC2 | 0xE2 | 0xEF);
        b += 1;
    }
    table
};

const fn is_control(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7F
}

/// How `c` is shown, if it is escaped.
fn escape(c: char, charset: Charset) -> Option<Escape> {
    let is_c1 = ('\u{80}'..='\u{9F}').contains(&c);
    match u8::try_from(c) {
        Ok(b) if is_control(b) => Some(Escape::Byte(b)),
        Ok(b) if is_c1 && charset == Charset::Windows1252 => Some(Escape::Byte(b)),
        _ if is_c1 || is_invisible(c) => Some(Escape::Char(c)),
        _ => None,
    }
}

/// Characters that draw as nothing (or reorder what follows) yet change
/// what the text is: soft hyphen, zero-width space / non-joiner / joiner,
/// left-to-right and right-to-left marks, the bidirectional embeddings,
/// overrides and isolates, word joiner and the invisible operators, and the
/// zero-width no-break space (byte order mark).
pub(super) fn is_invisible(c: char) -> bool {
    matches!(c, '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}')
}

#[cfg(test)]
#[path = "controls_tests.rs"]
mod tests;
