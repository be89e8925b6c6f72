//! Reading the words after a command: arguments in order, then `name
//! [value]` options, each error at its token's column.

use std::collections::BTreeMap;
use std::time::Duration;

use super::error::{ParseError, ParseErrorKind};
use super::lex::{Token, TokenKind};
use crate::codec::Charset;
use crate::codec::vars::is_name;
use crate::engine::{AddrError, parse_port};

/// The longest wait or timeout a script may ask for.
const MAX_DURATION: Duration = Duration::from_hours(24);
/// The most times a block may repeat.
const MAX_REPEAT: u64 = 1_000_000_000;

/// `token`'s word looked up with `find`; else the error `bad` makes.
pub(super) fn named<T>(
    token: &Token,
    line: usize,
    find: impl Fn(&str) -> Option<T>,
    bad: fn(String) -> ParseErrorKind,
) -> Result<T, ParseError> {
    let text = token_text(token);
    find(&text).ok_or_else(|| ParseError { line, col: token.col, kind: bad(text) })
}

pub(super) fn token_text(token: &Token) -> String {
    match &token.kind {
        TokenKind::Word(word) => word.clone(),
        TokenKind::Str { text, .. } => text.clone(),
        _ => token.shown(),
    }
}

pub(super) fn port_of(token: &Token, line: usize) -> Result<u16, ParseError> {
    address_of(token, line, parse_port)
}

pub(super) fn address_of<T>(
    token: &Token,
    line: usize,
    parse: impl Fn(&str) -> Result<T, AddrError>,
) -> Result<T, ParseError> {
    let written = token_text(token);
    parse(&written).map_err(|error| ParseError {
        line,
        col: token.col,
        kind: ParseErrorKind::BadAddress { written, error },
    })
}

/// Reads a duration: `500` or `500ms` (milliseconds), `2s` or `1.5s` (seconds).
pub fn parse_duration(text: &str) -> Option<Duration> {
    let (number, scale) = match text.strip_suffix("ms") {
        Some(number) => (number, 1e-3),
        None => text.strip_suffix('s').map_or((text, 1e-3), |number| (number, 1.0)),
    };
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let seconds = number.parse::<f64>().ok()? * scale;
    (seconds.is_finite() && seconds <= MAX_DURATION.as_secs_f64()).then(|| Duration::from_secs_f64(seconds))
}

/// The options after a command's arguments: name → value token (`None` for a flag).
pub(super) struct Options(BTreeMap<&'static str, (usize, Option<Token>)>);

impl Options {
    pub(super) fn get(&self, name: &str) -> Option<&Option<Token>> {
        self.0.get(name).map(|(_, value)| value)
    }

    pub(super) fn contains_key(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    pub(super) fn col(&self, name: &str) -> Option<usize> {
        self.0.get(name).map(|(col, _)| *col)
    }

    pub(super) fn duration(&self, name: &str, line: usize) -> Result<Option<Duration>, ParseError> {
        match self.get(name) {
            Some(Some(token)) => named(token, line, parse_duration, ParseErrorKind::BadDuration).map(Some),
            _ => Ok(None),
        }
    }

    pub(super) fn charset(&self, line: usize) -> Result<Option<Charset>, ParseError> {
        match self.get("charset") {
            Some(Some(token)) => named(token, line, Charset::from_name, ParseErrorKind::BadCharset).map(Some),
            _ => Ok(None),
        }
    }
}

/// A quoted string as read: its text, the column of each character (and one
/// past the last), and the column of its opening quote.
pub(super) struct Quoted {
    pub text: String,
    pub cols: Vec<usize>,
    pub col: usize,
}

/// The tokens after a command, read in order.
pub(super) struct Args<'t> {
    pub tokens: &'t [Token],
    pub line: usize,
    /// The column just past the line's end, where a missing argument is reported.
    pub end: usize,
}

impl<'t> Args<'t> {
    pub(super) fn next(&mut self) -> Option<&'t Token> {
        let (first, rest) = self.tokens.split_first()?;
        self.tokens = rest;
        Some(first)
    }

    pub(super) fn is_done(&self) -> bool {
        self.tokens.is_empty()
    }

    pub(super) fn missing(&self, command: &'static str, what: &'static str, example: &'static str) -> ParseError {
        let col = self.tokens.first().map_or(self.end, |t| t.col);
        ParseError { line: self.line, col, kind: ParseErrorKind::Missing { command, what, example } }
    }

    /// Anything left is an error.
    pub(super) fn finish(&mut self) -> Result<(), ParseError> {
        match self.next() {
            Some(token) => {
                Err(ParseError { line: self.line, col: token.col, kind: ParseErrorKind::Unexpected(token.shown()) })
            }
            None => Ok(()),
        }
    }

    /// The next word, if it is one of `words` (taken), else nothing (left).
    pub(super) fn keyword(&mut self, words: &[&'static str]) -> Option<&'static str> {
        let word = self.tokens.first()?.word()?;
        let found = words.iter().copied().find(|w| *w == word)?;
        self.next();
        Some(found)
    }

    pub(super) fn word(
        &mut self,
        command: &'static str,
        what: &'static str,
        example: &'static str,
    ) -> Result<&'t Token, ParseError> {
        match self.tokens.first() {
            Some(token) if token.word().is_some() => Ok(self.next().unwrap_or(token)),
            _ => Err(self.missing(command, what, example)),
        }
    }

    pub(super) fn string(
        &mut self,
        command: &'static str,
        what: &'static str,
        example: &'static str,
    ) -> Result<Quoted, ParseError> {
        match self.tokens.first() {
            Some(Token { kind: TokenKind::Str { text, cols }, col }) => {
                self.next();
                Ok(Quoted { text: text.clone(), cols: cols.clone(), col: *col })
            }
            _ => Err(self.missing(command, what, example)),
        }
    }

    pub(super) fn name(&mut self, command: &'static str, example: &'static str) -> Result<String, ParseError> {
        let token = self.word(command, "a variable name", example)?;
        let name = token_text(token);
        if is_name(&name) {
            Ok(name)
        } else {
            Err(ParseError { line: self.line, col: token.col, kind: ParseErrorKind::BadName(name) })
        }
    }

    pub(super) fn charset(&mut self, command: &'static str, example: &'static str) -> Result<Charset, ParseError> {
        let token = self.word(command, "a charset", example)?;
        named(token, self.line, Charset::from_name, ParseErrorKind::BadCharset)
    }

    pub(super) fn duration(&mut self, command: &'static str, example: &'static str) -> Result<Duration, ParseError> {
        let token = self.word(command, "a duration", example)?;
        named(token, self.line, parse_duration, ParseErrorKind::BadDuration)
    }

    pub(super) fn int(
        &mut self,
        command: &'static str,
        what: &'static str,
        example: &'static str,
    ) -> Result<i64, ParseError> {
        let token = self.word(command, what, example)?;
        let bad = ParseErrorKind::BadNumber { written: token_text(token), what: "a whole number" };
        token_text(token).parse().map_err(|_| ParseError { line: self.line, col: token.col, kind: bad })
    }

    pub(super) fn count(&mut self, command: &'static str, example: &'static str) -> Result<u64, ParseError> {
        let token = self.word(command, "a count", example)?;
        match token_text(token).parse::<u64>() {
            Ok(n) if (1..=MAX_REPEAT).contains(&n) => Ok(n),
            _ => Err(ParseError {
                line: self.line,
                col: token.col,
                kind: ParseErrorKind::BadNumber { written: token_text(token), what: "a count from 1 to 1000000000" },
            }),
        }
    }

    pub(super) fn address<T>(
        &mut self,
        command: &'static str,
        example: &'static str,
        parse: impl Fn(&str) -> Result<T, AddrError>,
    ) -> Result<T, ParseError> {
        let token = self.word(command, "an address", example)?;
        address_of(token, self.line, parse)
    }

    /// Reads `name [value]` options until the end of the line; `spec` lists
    /// each option and whether it takes a value.
    pub(super) fn options(
        &mut self,
        command: &'static str,
        spec: &[(&'static str, bool)],
        known: &'static str,
    ) -> Result<Options, ParseError> {
        let mut found = BTreeMap::new();
        while let Some(token) = self.next() {
            let written = token_text(token);
            let Some(&(name, takes_value)) = spec.iter().find(|(name, _)| token.word() == Some(*name)) else {
                let kind = ParseErrorKind::UnknownOption { command, option: written, known };
                return Err(ParseError { line: self.line, col: token.col, kind });
            };
            let value = if takes_value {
                match self.next() {
                    Some(value) if value.kind != TokenKind::Open && value.kind != TokenKind::Close => {
                        Some(value.clone())
                    }
                    _ => {
                        return Err(ParseError {
                            line: self.line,
                            col: token.col,
                            kind: ParseErrorKind::NoValue(written),
                        });
                    }
                }
            } else {
                None
            };
            if found.insert(name, (token.col, value)).is_some() {
                return Err(ParseError {
                    line: self.line,
                    col: token.col,
                    kind: ParseErrorKind::DuplicateOption(written),
                });
            }
        }
        Ok(Options(found))
    }
}
