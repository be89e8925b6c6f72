//! Escapes in the send box's Text mode: what the user types (`AT\r\n`,
//! `\x02…\x03`, `\u4F60`) turned into the bytes to send, plus the line ending
//! appended to each send.
//!
//! Literal text is encoded strictly in the chosen charset; escapes either give a
//! raw byte directly (`\r \n \t \\ \0 \xNN`) or name a character that is then
//! encoded in the charset (`\uXXXX`, `\u{X…}`). Every error names what was
//! typed and its position, counted in characters from 1 as the user sees them.

use super::charset::{Charset, EncodeError};

/// Why the text in the send box could not be turned into bytes.
///
/// Positions count characters from 1 over the whole text; for an escape they
/// point at its backslash. `escape` is the escape as typed (for a bad one, the
/// backslash and the few characters after it that were read as part of it).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EscapeError {
    /// A backslash followed by something that is not an escape (`\q`), or by
    /// nothing at all (a lone `\` at the end).
    #[error("invalid escape '{escape}' at position {pos}: use \\r \\n \\t \\\\ \\0 \\xNN or \\uXXXX")]
    Unknown {
        /// The escape as typed, e.g. `\q` or `\`.
        escape: String,
        /// 1-based character position of the backslash.
        pos: usize,
    },
    /// `\x` not followed by exactly two hex digits (`\x4`, `\xZZ`).
    #[error("invalid escape '{escape}' at position {pos}: \\x needs exactly two hex digits, e.g. \\x0D")]
    BadHex {
        /// The escape as typed, e.g. `\x4`.
        escape: String,
        /// 1-based character position of the backslash.
        pos: usize,
    },
    /// `\u` not followed by four hex digits, nor by 1 to 6 hex digits in braces
    /// (`\u12`, `\u{}`, `\u{1234567}`, `\u{12` without its `}`).
    #[error(
        "invalid escape '{escape}' at position {pos}: \\u needs four hex digits (\\u4F60) \
         or 1 to 6 in braces (\\u{{1F600}})"
    )]
    BadUnicode {
        /// The escape as typed, e.g. `\u12`.
        escape: String,
        /// 1-based character position of the backslash.
        pos: usize,
    },
    /// A well-formed `\u` escape whose code point is not a character: a
    /// surrogate (`\uD800`) or above U+10FFFF (`\u{110000}`).
    #[error(
        "invalid escape '{escape}' at position {pos}: U+{code:04X} is a surrogate or above U+10FFFF, \
         not a character; write characters beyond U+FFFF whole, e.g. \\u{{1F600}}"
    )]
    NotAChar {
        /// The escape as typed, e.g. `\uD83D`.
        escape: String,
        /// The code point it names.
        code: u32,
        /// 1-based character position of the backslash.
        pos: usize,
    },
    /// A character (typed, or named by a `\u` escape) that the charset cannot encode.
    #[error(
        "'{}' (U+{:04X}) at position {pos} cannot be encoded in {}",
        shown_char(.escape.as_deref(), .error.ch),
        .error.code,
        .error.charset
    )]
    Unencodable {
        /// 1-based character position of the character, or of the backslash
        /// of the `\u` escape that named it.
        pos: usize,
        /// The `\u` escape as typed, when the character came from one.
        escape: Option<String>,
        /// The charset's error, with `index` made relative to the whole text
        /// (0-based, so always `pos - 1`).
        error: EncodeError,
    },
}

/// What an unencodable character is shown as: the `\u` escape as typed, or the character.
fn shown_char(escape: Option<&str>, ch: char) -> String {
    escape.map_or_else(|| ch.to_string(), str::to_owned)
}

impl EscapeError {
    /// The 1-based character position the error points at (for placing the cursor).
    pub fn pos(&self) -> usize {
        match self {
            EscapeError::Unknown { pos, .. }
            | EscapeError::BadHex { pos, .. }
            | EscapeError::BadUnicode { pos, .. }
            | EscapeError::NotAChar { pos, .. }
            | EscapeError::Unencodable { pos, .. } => *pos,
        }
    }
}

/// Turns text typed in the send box into the bytes to send.
///
/// Literal text is encoded in `charset` with [`Charset::encode`] (strict: a
/// character the charset lacks is an [`EscapeError::Unencodable`] at its position).
/// Escapes:
///
/// | typed          | bytes                                                           |
/// |----------------|-----------------------------------------------------------------|
/// | `\r` `\n` `\t` | `0D` `0A` `09`                                                  |
/// | `\\`           | `5C` (a backslash; the text after it is literal)                |
/// | `\0`           | `00` (only that: `\012` is `00` then the text "12")             |
/// | `\xNN`         | the raw byte `NN` (exactly two hex digits), never encoded       |
/// | `\uXXXX`       | the character U+XXXX (exactly four hex digits), in `charset`  |
/// | `\u{X…}`       | the character U+X… (1 to 6 hex digits, in braces), in `charset` |
///
/// Hex digits may be in either case; escape letters are lower case only. The
/// bytes of `\r \n \t \\ \0` are given directly, whatever the charset.
pub fn encode_with_escapes(text: &str, charset: Charset) -> Result<Vec<u8>, EscapeError> {
    let mut out = Vec::with_capacity(text.len());
    // Start of the literal run not yet encoded: byte offset and 0-based char index.
    let mut run_start = 0;
    let mut run_index = 0;
    while let Some(found) = text[run_start..].find('\\') {
        let backslash = run_start + found;
        let literal = &text[run_start..backslash];
        encode_literal(literal, run_index, charset, &mut out)?;
        let index = run_index + literal.chars().count();
        let rest = &text[backslash..];
        let len = match parse_escape(rest) {
            Ok((Escape::Byte(b), len)) => {
                out.push(b);
                len
            }
            Ok((Escape::Char(ch), len)) => {
                let mut buf = [0; 4];
                let bytes = charset.encode(ch.encode_utf8(&mut buf)).map_err(|mut error| {
                    error.index = index;
                    EscapeError::Unencodable { pos: index + 1, escape: Some(rest[..len].to_owned()), error }
                })?;
                out.extend_from_slice(&bytes);
                len
            }
            Err(bad) => return Err(bad.into_error(rest, index + 1)),
        };
        run_start = backslash + len;
        run_index = index + rest[..len].chars().count();
    }
    encode_literal(&text[run_start..], run_index, charset, &mut out)?;
    Ok(out)
}

/// Encodes a run of text without escapes that starts at character `index`
/// (0-based) of the whole text, appending to `out`.
fn encode_literal(literal: &str, index: usize, charset: Charset, out: &mut Vec<u8>) -> Result<(), EscapeError> {
    if literal.is_empty() {
        return Ok(());
    }
    let bytes = charset.encode(literal).map_err(|mut error| {
        error.index += index;
        EscapeError::Unencodable { pos: error.index + 1, escape: None, error }
    })?;
    out.extend_from_slice(&bytes);
    Ok(())
}

/// What a well-formed escape stands for.
enum Escape {
    /// A raw byte, sent as is.
    Byte(u8),
    /// A character, to be encoded in the charset.
    Char(char),
}

/// A malformed escape: which kind, and how many bytes of the text (from the
/// backslash) to show as "the escape as typed".
enum BadEscape {
    Unknown(usize),
    Hex(usize),
    Unicode(usize),
    NotAChar(usize, u32),
}

impl BadEscape {
    /// The error for this escape, found at the start of `rest`, at 1-based position `pos`.
    fn into_error(self, rest: &str, pos: usize) -> EscapeError {
        let shown = |len: usize| rest.get(..len).unwrap_or(rest).to_owned();
        match self {
            BadEscape::Unknown(len) => EscapeError::Unknown { escape: shown(len), pos },
            BadEscape::Hex(len) => EscapeError::BadHex { escape: shown(len), pos },
            BadEscape::Unicode(len) => EscapeError::BadUnicode { escape: shown(len), pos },
            BadEscape::NotAChar(len, code) => EscapeError::NotAChar { escape: shown(len), code, pos },
        }
    }
}

/// Parses the escape at the start of `rest` (which starts with a backslash),
/// returning what it stands for and its length in bytes.
fn parse_escape(rest: &str) -> Result<(Escape, usize), BadEscape> {
    let after = &rest[1..];
    let Some(letter) = after.chars().next() else {
        return Err(BadEscape::Unknown(1));
    };
    let body = &after[letter.len_utf8()..];
    let byte = match letter {
        'r' => b'\r',
        'n' => b'\n',
        't' => b'\t',
        '\\' => b'\\',
        '0' => 0,
        'x' => {
            return match hex_prefix(body, 2) {
                Some((value, 2)) => Ok((Escape::Byte(value as u8), 4)),
                _ => Err(BadEscape::Hex(2 + shown_len(body, 2))),
            };
        }
        'u' => return parse_unicode(body),
        _ => return Err(BadEscape::Unknown(1 + letter.len_utf8())),
    };
    Ok((Escape::Byte(byte), 2))
}

/// Parses what follows `\u`: four hex digits, or 1 to 6 in braces.
fn parse_unicode(body: &str) -> Result<(Escape, usize), BadEscape> {
    let (code, len) = if let Some(inner) = body.strip_prefix('{') {
        match hex_prefix(inner, 6) {
            Some((code, digits)) if inner[digits..].starts_with('}') => (code, 2 + 1 + digits + 1),
            _ => {
                // Show up to the closing brace if it comes soon, else a few characters.
                let window = &inner[..shown_len(inner, 8)];
                let len = window.find('}').map_or_else(|| shown_len(inner, 7), |at| at + 1);
                return Err(BadEscape::Unicode(3 + len));
            }
        }
    } else {
        match hex_prefix(body, 4) {
            Some((code, 4)) => (code, 2 + 4),
            _ => return Err(BadEscape::Unicode(2 + shown_len(body, 4))),
        }
    };
    match char::from_u32(code) {
        Some(ch) => Ok((Escape::Char(ch), len)),
        None => Err(BadEscape::NotAChar(len, code)),
    }
}

/// The value of the hex digits (at most `max`) at the start of `s`, and how
/// many there are; `None` when `s` does not start with a hex digit.
fn hex_prefix(s: &str, max: usize) -> Option<(u32, usize)> {
    let mut value = 0;
    let mut count = 0;
    for ch in s.chars().take(max) {
        let Some(digit) = ch.to_digit(16) else { break };
        value = value << 4 | digit;
        count += 1;
    }
    (count > 0).then_some((value, count))
}

/// Byte length of the first (at most `max`) characters of `s` that could have
/// been meant as part of an escape: it stops at whitespace and at a backslash,
/// which starts the next escape.
fn shown_len(s: &str, max: usize) -> usize {
    s.chars().take(max).take_while(|&c| !c.is_whitespace() && c != '\\').map(char::len_utf8).sum()
}

/// The line ending appended to each text send.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LineEnding {
    /// Nothing appended.
    None,
    /// `\r\n` (0D 0A): AT commands, HTTP, Windows.
    CrLf,
    /// `\n` (0A).
    Lf,
    /// `\r` (0D).
    Cr,
}

impl LineEnding {
    /// Every line ending, in the order the UI lists them.
    pub const ALL: [LineEnding; 4] = [LineEnding::None, LineEnding::CrLf, LineEnding::Lf, LineEnding::Cr];

    /// The bytes appended (the same in every charset).
    pub fn bytes(self) -> &'static [u8] {
        match self {
            LineEnding::None => b"",
            LineEnding::CrLf => b"\r\n",
            LineEnding::Lf => b"\n",
            LineEnding::Cr => b"\r",
        }
    }

    /// Short name shown in the UI: "none", or the escapes as typed ("\r\n", "\n", "\r").
    pub fn label(self) -> &'static str {
        match self {
            LineEnding::None => "none",
            LineEnding::CrLf => "\\r\\n",
            LineEnding::Lf => "\\n",
            LineEnding::Cr => "\\r",
        }
    }
}

#[cfg(test)]
#[path = "escape_tests.rs"]
mod tests;
