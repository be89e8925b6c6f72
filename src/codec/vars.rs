//! Variables in what is sent: `${seq}`, `${time}`, `${rand:0:255}`, regex
//! captures, user variables…
//!
//! Parse once into a [`Template`] (bad syntax is reported with its position,
//! and nothing can be sent from a template that did not parse), then expand
//! it for each send with [`Template::expand`], which fills in the variables
//! from [`Vars`] (counter, random numbers, user variables) and, for a reply,
//! from the [`Captures`] of the match. [`Template::preview`] shows what the
//! next send will be without advancing anything.
//!
//! | written            | gives                                                     |
//! |--------------------|-----------------------------------------------------------|
//! | `${seq}`           | the counter (start and step set in [`Counter`]), decimal    |
//! | `${time}`          | local time `HH:MM:SS.mmm`                                  |
//! | `${date}`          | local date `YYYY-MM-DD`                                     |
//! | `${unix_ms}`       | milliseconds since 1970-01-01 UTC                           |
//! | `${rand:LO:HI}`    | a random whole number from LO to HI (both included)         |
//! | `${rand_hex:N}`    | N random hex digits (upper case), 1 to 1024                 |
//! | `${1}`, `${0}`     | a group of the regex match (0: all of it)                  |
//! | `${name}`          | the regex group `name`, else the user variable `name`       |
//! | `${rx}`            | the bytes received that matched (in text: as received)      |
//! | `$${`              | a literal `${`                                              |
//!
//! A `$` not followed by `{` is literal. In text mode the literal parts go
//! through the send box's escapes (if on) and the charset, once, when the
//! template is parsed; each variable's value is encoded in the charset as it
//! is (escapes in a value are not interpreted) and `${rx}` is inserted as the
//! raw bytes. In hex mode every variable gives text that is read as hex
//! digits together with the rest (`${rand_hex:4}` is two random bytes, `${rx}`
//! the received bytes), so a template is valid hex once filled in.
//!
//! Positions count characters from 1 over the whole template, as the user
//! sees them; for a variable they point at its `$`.

use std::collections::BTreeMap;
use std::time::SystemTime;

use super::charset::{Charset, EncodeError};
use super::escape::{EscapeError, encode_with_escapes};
use super::hex::{HexError, parse_hex};
pub use super::vars_values::{Captures, Counter, Vars};

/// The most digits `${rand_hex:N}` gives.
pub const MAX_RAND_HEX: usize = 1024;

/// How a template's text becomes bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PayloadMode {
    /// Text encoded strictly in `charset`; with `escapes`, the send box's
    /// escapes (`\r`, `\xNN`, `\u4F60`, …) in the literal parts are turned into bytes.
    Text {
        /// The charset literal text and variable values are encoded in.
        charset: Charset,
        /// Whether backslash escapes in the literal parts are interpreted.
        escapes: bool,
    },
    /// Hex digits (with separators and `0x` prefixes, as [`parse_hex`] reads them).
    Hex,
}

/// Why a template could not be parsed: nothing can be sent from it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// `${` without its closing `}`.
    #[error("'${{' at position {pos} is not closed: add '}}' (write $${{ for a literal ${{)")]
    Unclosed {
        /// 1-based character position of the `$`.
        pos: usize,
    },
    /// A variable name that is neither built in nor a valid name.
    #[error(
        "'${{{name}}}' at position {pos} is not a variable: use seq, time, date, unix_ms, rand:LO:HI, \
         rand_hex:N, rx, a group number or a name of letters, digits and _"
    )]
    BadName {
        /// What was written between the braces.
        name: String,
        /// 1-based character position of the `$`.
        pos: usize,
    },
    /// A variable with arguments it does not take, or bad ones.
    #[error("'${{{written}}}' at position {pos}: {expected}")]
    BadArgs {
        /// What was written between the braces.
        written: String,
        /// What the variable takes.
        expected: &'static str,
        /// 1-based character position of the `$`.
        pos: usize,
    },
    /// An escape or a character the charset lacks, in the literal text.
    #[error(transparent)]
    Escape(EscapeError),
    /// Hex that is not valid (a template without variables is checked whole;
    /// one with variables, character by character, and whole when filled in).
    #[error(transparent)]
    Hex(HexError),
}

impl TemplateError {
    /// The 1-based character position the error points at.
    pub fn pos(&self) -> usize {
        match self {
            TemplateError::Unclosed { pos }
            | TemplateError::BadName { pos, .. }
            | TemplateError::BadArgs { pos, .. } => *pos,
            TemplateError::Escape(error) => error.pos(),
            TemplateError::Hex(HexError::InvalidChar { pos, .. } | HexError::OddDigit { pos, .. }) => *pos,
        }
    }
}

/// Why a parsed template could not be filled in for a send: nothing is sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExpandError {
    /// A named variable that is neither a group of the match nor a user variable,
    /// or a group number the match does not have (or that took no part in it).
    #[error("'${{{name}}}' at position {pos} has no value: no such regex group matched and no such variable is set")]
    Unset {
        /// The name or group number.
        name: String,
        /// 1-based character position of the `$`.
        pos: usize,
    },
    /// A variable's value has a character the charset cannot encode.
    #[error("the value of the variable at position {pos} cannot be sent: {error}")]
    Unencodable {
        /// 1-based character position of the `$`.
        pos: usize,
        /// The charset's error (its index counts within the value).
        error: EncodeError,
    },
    /// In hex mode, the text with the variables filled in is not valid hex
    /// (positions count in that filled-in text).
    #[error("with the variables filled in, the hex is not valid: {error} (in '{text}')")]
    Hex {
        /// The hex error.
        error: HexError,
        /// The filled-in text.
        text: String,
    },
}

/// A variable, as parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Var {
    Seq,
    Time,
    Date,
    UnixMs,
    Rand { low: i64, high: i64 },
    RandHex { digits: usize },
    Rx,
    Group(usize),
    Named(String),
}

/// One piece of a template.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    /// Text mode: literal text, already encoded. Hex mode: literal hex text.
    Literal { bytes: Vec<u8>, hex: String },
    /// A variable, with the 1-based position of its `$`.
    Var { var: Var, pos: usize },
}

/// What is sent, parsed once: literal text (already encoded in text mode)
/// and the variables to fill in at each send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    mode: PayloadMode,
    parts: Vec<Part>,
}

impl Template {
    /// Parses `text` for `mode`. In text mode the literal parts are encoded
    /// here, so a bad escape or a character the charset lacks is reported now.
    pub fn parse(text: &str, mode: PayloadMode) -> Result<Template, TemplateError> {
        let mut parts = Vec::new();
        for piece in split(text)? {
            match piece {
                Piece::Literal { text: literal, start } => parts.push(literal_part(&literal, start, mode)?),
                Piece::Var { var, pos } => parts.push(Part::Var { var, pos }),
            }
        }
        if mode == PayloadMode::Hex && !parts.iter().any(|p| matches!(p, Part::Var { .. })) {
            // No variables: the hex is complete now, so check it whole.
            let hex: String = parts
                .iter()
                .filter_map(|p| if let Part::Literal { hex, .. } = p { Some(hex.as_str()) } else { None })
                .collect();
            let bytes = parse_hex(&hex).map_err(TemplateError::Hex)?;
            parts = vec![Part::Literal { bytes, hex }];
        }
        Ok(Template { mode, parts })
    }

    /// How this template's text becomes bytes.
    pub fn mode(&self) -> PayloadMode {
        self.mode
    }

    /// Whether it has variables at all (without, every send is the same bytes).
    pub fn has_vars(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Var { .. }))
    }

    /// Whether it uses `${seq}` (each send that does advances the counter).
    pub fn uses_seq(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Var { var: Var::Seq, .. }))
    }

    /// The bytes to send now: the variables filled in from `vars` and (for a
    /// reply) `captures`, at time `now`. Advances the counter if `${seq}` is
    /// used (every `${seq}` of one send gives the same value) and the random
    /// generator if a random variable is.
    pub fn expand(
        &self,
        vars: &mut Vars,
        captures: Option<&Captures>,
        now: SystemTime,
    ) -> Result<Vec<u8>, ExpandError> {
        let bytes = self.fill(vars.counter.value(), &vars.user, &mut vars.rng, captures, now)?;
        if self.uses_seq() {
            vars.counter.advance();
        }
        Ok(bytes)
    }

    /// What [`Template::expand`] would give now, without advancing the
    /// counter or the random generator (for the preview line).
    pub fn preview(&self, vars: &Vars, captures: Option<&Captures>, now: SystemTime) -> Result<Vec<u8>, ExpandError> {
        let mut rng = vars.rng.clone();
        self.fill(vars.counter.value(), &vars.user, &mut rng, captures, now)
    }

    fn fill(
        &self,
        seq: i64,
        user: &BTreeMap<String, String>,
        rng: &mut fastrand::Rng,
        captures: Option<&Captures>,
        now: SystemTime,
    ) -> Result<Vec<u8>, ExpandError> {
        if let (PayloadMode::Hex, [Part::Literal { bytes, .. }]) = (self.mode, self.parts.as_slice()) {
            // No variables: checked whole when parsed, the bytes are ready.
            return Ok(bytes.clone());
        }
        let mut out = Vec::new();
        let mut hex = String::new();
        for part in &self.parts {
            match part {
                Part::Literal { bytes, hex: literal } => match self.mode {
                    PayloadMode::Text { .. } => out.extend_from_slice(bytes),
                    PayloadMode::Hex => hex.push_str(literal),
                },
                Part::Var { var, pos } => {
                    let value = value_of(var, *pos, seq, user, rng, captures, now)?;
                    match (self.mode, value) {
                        (PayloadMode::Text { .. }, Value::Bytes(bytes)) => out.extend_from_slice(bytes),
                        (PayloadMode::Text { charset, .. }, Value::Text(text)) => {
                            let bytes =
                                charset.encode(&text).map_err(|error| ExpandError::Unencodable { pos: *pos, error })?;
                            out.extend_from_slice(&bytes);
                        }
                        (PayloadMode::Hex, Value::Bytes(bytes)) => super::hex::format_hex_line(bytes, &mut hex),
                        (PayloadMode::Hex, Value::Text(text)) => hex.push_str(&text),
                    }
                }
            }
        }
        if self.mode == PayloadMode::Hex {
            return parse_hex(&hex).map_err(|error| ExpandError::Hex { error, text: hex });
        }
        Ok(out)
    }
}

/// A variable's value: text (encoded in the charset, or read as hex) or raw bytes.
enum Value<'a> {
    Text(String),
    Bytes(&'a [u8]),
}

fn value_of<'a>(
    var: &Var,
    pos: usize,
    seq: i64,
    user: &BTreeMap<String, String>,
    rng: &mut fastrand::Rng,
    captures: Option<&'a Captures>,
    now: SystemTime,
) -> Result<Value<'a>, ExpandError> {
    let local = || chrono::DateTime::<chrono::Local>::from(now);
    let text = match var {
        Var::Seq => seq.to_string(),
        Var::Time => local().format("%H:%M:%S%.3f").to_string(),
        Var::Date => local().format("%Y-%m-%d").to_string(),
        Var::UnixMs => now.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_millis()).to_string(),
        Var::Rand { low, high } => rng.i64(*low..=*high).to_string(),
        Var::RandHex { digits } => (0..*digits).map(|_| char::from(b"0123456789ABCDEF"[rng.usize(..16)])).collect(),
        Var::Rx => return Ok(Value::Bytes(captures.map_or(&[][..], |c| c.rx.as_slice()))),
        Var::Group(index) => match captures.and_then(|c| c.groups.get(*index)).and_then(Option::as_ref) {
            Some(text) => text.clone(),
            None => return Err(ExpandError::Unset { name: index.to_string(), pos }),
        },
        Var::Named(name) => match captures.and_then(|c| c.named.get(name)).or_else(|| user.get(name)) {
            Some(text) => text.clone(),
            None => return Err(ExpandError::Unset { name: name.clone(), pos }),
        },
    };
    Ok(Value::Text(text))
}

/// A piece of the template text before encoding.
enum Piece {
    Literal { text: String, start: usize },
    Var { var: Var, pos: usize },
}

/// Cuts `text` into literal runs and variables. `start` is the 0-based
/// character index of a literal run's first character.
fn split(text: &str) -> Result<Vec<Piece>, TemplateError> {
    let chars: Vec<char> = text.chars().collect();
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut literal_start = 0;
    let mut i = 0;
    while i < chars.len() {
        let next = |k: usize| chars.get(i + k).copied();
        if chars[i] == '$' && next(1) == Some('$') && next(2) == Some('{') {
            if literal.is_empty() {
                literal_start = i;
            }
            literal.push_str("${");
            i += 3;
        } else if chars[i] == '$' && next(1) == Some('{') {
            let pos = i + 1;
            let Some(close) = chars[i + 2..].iter().position(|&c| c == '}') else {
                return Err(TemplateError::Unclosed { pos });
            };
            let written: String = chars[i + 2..i + 2 + close].iter().collect();
            if !literal.is_empty() {
                pieces.push(Piece::Literal { text: std::mem::take(&mut literal), start: literal_start });
            }
            pieces.push(Piece::Var { var: parse_var(&written, pos)?, pos });
            i += 2 + close + 1;
        } else {
            if literal.is_empty() {
                literal_start = i;
            }
            literal.push(chars[i]);
            i += 1;
        }
    }
    if !literal.is_empty() {
        pieces.push(Piece::Literal { text: literal, start: literal_start });
    }
    Ok(pieces)
}

/// Parses what is written between `${` and `}`.
fn parse_var(written: &str, pos: usize) -> Result<Var, TemplateError> {
    let mut args = written.split(':');
    let name = args.next().unwrap_or_default();
    let args: Vec<&str> = args.collect();
    let bad = |expected| TemplateError::BadArgs { written: written.to_owned(), expected, pos };
    let simple =
        |var: Var| if args.is_empty() { Ok(var) } else { Err(bad("this variable takes no arguments after ':'")) };
    match name {
        "seq" => simple(Var::Seq),
        "time" => simple(Var::Time),
        "date" => simple(Var::Date),
        "unix_ms" => simple(Var::UnixMs),
        "rx" => simple(Var::Rx),
        "rand" => {
            const EXPECTED: &str = "write ${rand:LO:HI} with whole numbers LO ≤ HI, e.g. ${rand:0:255}";
            let [low, high] = args[..] else { return Err(bad(EXPECTED)) };
            match (low.trim().parse::<i64>(), high.trim().parse::<i64>()) {
                (Ok(low), Ok(high)) if low <= high => Ok(Var::Rand { low, high }),
                _ => Err(bad(EXPECTED)),
            }
        }
        "rand_hex" => {
            const EXPECTED: &str = "write ${rand_hex:N} with N hex digits from 1 to 1024, e.g. ${rand_hex:4}";
            let [digits] = args[..] else { return Err(bad(EXPECTED)) };
            match digits.trim().parse::<usize>() {
                Ok(digits) if (1..=MAX_RAND_HEX).contains(&digits) => Ok(Var::RandHex { digits }),
                _ => Err(bad(EXPECTED)),
            }
        }
        _ if !name.is_empty() && name.chars().all(|c| c.is_ascii_digit()) => match name.parse::<usize>() {
            Ok(index) if index < 1000 && args.is_empty() => Ok(Var::Group(index)),
            _ => Err(bad("a regex group is a number from 0 to 999, without arguments")),
        },
        _ if is_name(name) => simple(Var::Named(name.to_owned())),
        _ => Err(TemplateError::BadName { name: written.to_owned(), pos }),
    }
}

/// Whether `name` is a valid variable name: a letter or `_`, then letters, digits and `_`.
pub fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A literal run starting at 0-based character `start`, made ready for `mode`.
fn literal_part(text: &str, start: usize, mode: PayloadMode) -> Result<Part, TemplateError> {
    match mode {
        PayloadMode::Text { charset, escapes } => {
            let encoded = if escapes {
                encode_with_escapes(text, charset)
            } else {
                charset.encode(text).map_err(|error| EscapeError::Unencodable {
                    pos: error.index + 1,
                    escape: None,
                    error,
                })
            };
            let bytes = encoded.map_err(|error| TemplateError::Escape(shift_escape(error, start)))?;
            Ok(Part::Literal { bytes, hex: String::new() })
        }
        PayloadMode::Hex => {
            // With variables the hex is only complete when filled in; what can be checked now is each character.
            let bad = text.chars().enumerate().find(|&(_, c)| {
                !(c.is_ascii_hexdigit() || matches!(c, 'x' | 'X' | ',' | ';' | ':' | '-') || c.is_whitespace())
            });
            if let Some((i, ch)) = bad {
                return Err(TemplateError::Hex(HexError::InvalidChar { ch, pos: start + i + 1 }));
            }
            Ok(Part::Literal { bytes: Vec::new(), hex: text.to_owned() })
        }
    }
}

/// `error`, found in a run starting at 0-based character `offset`, with its position made relative to the whole template.
fn shift_escape(error: EscapeError, offset: usize) -> EscapeError {
    match error {
        EscapeError::Unknown { escape, pos } => EscapeError::Unknown { escape, pos: pos + offset },
        EscapeError::BadHex { escape, pos } => EscapeError::BadHex { escape, pos: pos + offset },
        EscapeError::BadUnicode { escape, pos } => EscapeError::BadUnicode { escape, pos: pos + offset },
        EscapeError::NotAChar { escape, code, pos } => EscapeError::NotAChar { escape, code, pos: pos + offset },
        EscapeError::Unencodable { pos, escape, mut error } => {
            error.index += offset;
            EscapeError::Unencodable { pos: pos + offset, escape, error }
        }
    }
}

#[cfg(test)]
#[path = "vars_tests.rs"]
mod tests;
