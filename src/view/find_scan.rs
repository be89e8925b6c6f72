//! What find looks for, and the scanner that looks: a [`FindQuery`] (text,
//! hex bytes or a regular expression) becomes a [`Pattern`]; a [`Scanner`]
//! is fed the searchable units (records) one by one, in order, and reports
//! each [`Hit`], including a hit split across two reads of a TCP stream.
//!
//! The scanner knows nothing of the receive view: units are numbered by the
//! caller (a record's sequence number, or a capture record's index), so the
//! same scanner searches the view's store and a capture file read from disk.

use std::collections::{HashMap, VecDeque};
use std::ops::Range;

use memchr::memmem;

use crate::codec::{HexError, parse_hex};
use crate::ids::{ConnId, Direction};

/// The longest query, in bytes: a match may span reads, and the scanner
/// keeps up to this much of each stream to find it.
pub const MAX_QUERY_BYTES: usize = 4096;

/// How far a match of a regular expression with no longest match (`a.*b`)
/// is looked for across a read boundary: at most this many bytes on either side.
pub const UNBOUNDED_SPAN: usize = 256;

/// How the query's text is read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum FindMode {
    /// The text as the view decodes it in its charset.
    #[default]
    Text,
    /// Hex bytes (`C4 E3`, `c4e3`, `0xC4,0xE3`), looked for in the raw bytes.
    Hex,
    /// A regular expression (Rust `regex` syntax) over the decoded text.
    Regex,
}

/// What to find.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct FindQuery {
    /// As typed.
    pub text: String,
    /// How it is read.
    pub mode: FindMode,
    /// Upper and lower case differ (text and regex; hex has no case).
    pub match_case: bool,
}

/// Why a query cannot be searched for.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum QueryError {
    /// Nothing typed.
    #[error("type something to find")]
    Empty,
    /// The hex does not parse.
    #[error("not hex bytes: {0}")]
    Hex(#[from] HexError),
    /// The regular expression does not parse (or is too big to compile).
    #[error("not a regular expression: {0}")]
    Regex(#[from] regex::Error),
    /// The regular expression matches empty text, so it would match everywhere.
    #[error("the regular expression matches empty text; find needs at least one character")]
    MatchesEmpty,
    /// The query is longer than [`MAX_QUERY_BYTES`].
    #[error("the text to find is {len} bytes long; at most {MAX_QUERY_BYTES} are searched for")]
    TooLong {
        /// Its length in bytes.
        len: usize,
    },
}

/// What a pattern is matched against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Domain {
    /// The decoded text (and the text of notes).
    Text,
    /// The raw bytes of data records.
    Raw,
}

/// A query made ready to search.
#[derive(Clone, Debug)]
pub struct Pattern {
    domain: Domain,
    matcher: Matcher,
    /// The longest match, less one: how much of a stream before a read
    /// boundary (and after it) a match crossing the boundary can cover.
    span: usize,
}

#[derive(Clone, Debug)]
enum Matcher {
    Literal(Box<memmem::Finder<'static>>),
    Regex(regex::bytes::Regex),
}

impl Pattern {
    /// Parses `query`.
    pub fn new(query: &FindQuery) -> Result<Pattern, QueryError> {
        if query.text.is_empty() {
            return Err(QueryError::Empty);
        }
        if query.text.len() > MAX_QUERY_BYTES {
            return Err(QueryError::TooLong { len: query.text.len() });
        }
        match query.mode {
            FindMode::Hex => {
                let bytes = parse_hex(&query.text)?;
                if bytes.is_empty() {
                    return Err(QueryError::Empty);
                }
                Ok(Self::literal(Domain::Raw, &bytes))
            }
            FindMode::Text if query.match_case => Ok(Self::literal(Domain::Text, query.text.as_bytes())),
            FindMode::Text => Self::regex(&regex::escape(&query.text), false),
            FindMode::Regex => Self::regex(&query.text, query.match_case),
        }
    }

    fn literal(domain: Domain, needle: &[u8]) -> Pattern {
        let span = needle.len() - 1;
        Pattern { domain, matcher: Matcher::Literal(Box::new(memmem::Finder::new(needle).into_owned())), span }
    }

    fn regex(pattern: &str, match_case: bool) -> Result<Pattern, QueryError> {
        let regex =
            regex::bytes::RegexBuilder::new(pattern).case_insensitive(!match_case).size_limit(16 << 20).build()?;
        // It parsed for the regex crate, so it parses here; the longest and
        // shortest match come from its syntax tree.
        let hir = regex_syntax::ParserBuilder::new().case_insensitive(!match_case).build().parse(pattern);
        let properties = hir.as_ref().map(regex_syntax::hir::Hir::properties);
        if properties.is_ok_and(|p| p.minimum_len() == Some(0)) {
            return Err(QueryError::MatchesEmpty);
        }
        let longest = properties.ok().and_then(regex_syntax::hir::Properties::maximum_len);
        let span = longest.map_or(UNBOUNDED_SPAN, |len| len.saturating_sub(1).min(MAX_QUERY_BYTES * 4));
        Ok(Pattern { domain: Domain::Text, matcher: Matcher::Regex(regex), span })
    }

    /// What it is matched against.
    pub fn domain(&self) -> Domain {
        self.domain
    }

    /// The first match in `hay` starting at or after `from`.
    fn find_at(&self, hay: &[u8], from: usize) -> Option<Range<usize>> {
        match &self.matcher {
            Matcher::Literal(finder) => {
                let at = finder.find(hay.get(from..)?)?;
                Some(from + at..from + at + finder.needle().len())
            }
            Matcher::Regex(regex) => regex.find_at(hay, from).map(|m| m.range()),
        }
    }
}

/// A place in the searched units: which unit (a record's sequence number)
/// and the byte offset in its text (or raw bytes, for [`Domain::Raw`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// The unit.
    pub unit: u64,
    /// Byte offset in it.
    pub offset: u32,
}

/// One match: from `start` to `end` (exclusive). `end` is in a later unit
/// than `start` when the match is split across reads of a stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Hit {
    /// Where it starts.
    pub start: Position,
    /// Where it ends (exclusive).
    pub end: Position,
}

/// A TCP stream: one connection, one direction.
pub type StreamKey = (ConnId, Direction);

/// Searches units fed in order; keeps the end of each stream so a match
/// crossing into the next read of the same stream is found. Matches do not
/// overlap within a stream (each search goes on after the last match).
#[derive(Debug)]
pub struct Scanner {
    pattern: Pattern,
    carries: HashMap<StreamKey, Carry>,
    window: Vec<u8>,
}

/// The last bytes of a stream, and where they came from.
#[derive(Debug, Default)]
struct Carry {
    /// At most `span` bytes.
    tail: Vec<u8>,
    /// The units the tail's bytes are from, oldest first.
    pieces: VecDeque<Piece>,
    /// Bytes at the front of the tail that a match may not start in: they
    /// are at or before the end of the stream's last match.
    skip: usize,
}

#[derive(Clone, Copy, Debug)]
struct Piece {
    unit: u64,
    /// Offset in the unit of its first byte in the tail.
    offset: usize,
    len: usize,
}

impl Carry {
    /// The position of byte `index` of the tail.
    fn position(&self, mut index: usize) -> Position {
        for piece in &self.pieces {
            if index < piece.len {
                return Position { unit: piece.unit, offset: to_u32(piece.offset + index) };
            }
            index -= piece.len;
        }
        let last = self.pieces.back().copied().unwrap_or(Piece { unit: 0, offset: 0, len: 0 });
        Position { unit: last.unit, offset: to_u32(last.offset + last.len) }
    }

    /// Appends `hay` (unit `unit`), keeping the last `span` bytes; `ended`
    /// is where in `hay` the last match found in it ended, if one did.
    fn push(&mut self, unit: u64, hay: &[u8], span: usize, ended: Option<usize>) {
        if hay.len() >= span {
            let offset = hay.len() - span;
            self.tail.clear();
            self.tail.extend_from_slice(&hay[offset..]);
            self.pieces.clear();
            self.pieces.push_back(Piece { unit, offset, len: span });
            self.skip = ended.map_or(0, |end| end.saturating_sub(offset));
            return;
        }
        let drop = (self.tail.len() + hay.len()).saturating_sub(span);
        self.tail.drain(..drop);
        let mut left = drop;
        while left > 0 {
            let Some(front) = self.pieces.front_mut() else { break };
            if front.len <= left {
                left -= front.len;
                self.pieces.pop_front();
            } else {
                front.offset += left;
                front.len -= left;
                left = 0;
            }
        }
        let before = self.tail.len();
        self.skip = match ended {
            Some(end) => before + end,
            None => self.skip.saturating_sub(drop),
        };
        self.tail.extend_from_slice(hay);
        self.pieces.push_back(Piece { unit, offset: 0, len: hay.len() });
    }
}

impl Scanner {
    /// A scanner for `pattern`.
    pub fn new(pattern: Pattern) -> Self {
        Self { pattern, carries: HashMap::new(), window: Vec::new() }
    }

    /// Its pattern.
    pub fn pattern(&self) -> &Pattern {
        &self.pattern
    }

    /// Forgets the ends of streams (the units they came from are gone).
    pub fn forget_streams(&mut self) {
        self.carries.clear();
    }

    /// Searches `hay`, unit number `unit`: part of `stream` (a match may
    /// begin in the stream's earlier units), or on its own (`None`: a
    /// datagram, a note). Calls `hit` for each match, in order.
    pub fn feed(&mut self, stream: Option<StreamKey>, unit: u64, hay: &[u8], mut hit: impl FnMut(Hit)) {
        if hay.is_empty() {
            return;
        }
        let span = self.pattern.span;
        let mut carry = match stream {
            Some(key) if span > 0 => Some(self.carries.entry(key).or_default()),
            _ => None,
        };
        let mut from = 0;
        let mut ended = None;
        if let Some(carry) = carry.as_deref_mut()
            && carry.tail.len() > carry.skip
        {
            let tail = carry.tail.len();
            self.window.clear();
            self.window.extend_from_slice(&carry.tail);
            self.window.extend_from_slice(&hay[..hay.len().min(span)]);
            let mut at = carry.skip;
            while let Some(found) = self.pattern.find_at(&self.window, at) {
                if found.start >= tail {
                    break; // in this unit alone: found below
                }
                if found.end > tail {
                    let end = found.end - tail;
                    hit(Hit { start: carry.position(found.start), end: Position { unit, offset: to_u32(end) } });
                    (from, ended) = (end, Some(end));
                    break;
                }
                at = found.end; // wholly before this unit: found when it was fed
            }
        }
        while let Some(found) = self.pattern.find_at(hay, from) {
            let start = Position { unit, offset: to_u32(found.start) };
            hit(Hit { start, end: Position { unit, offset: to_u32(found.end) } });
            (from, ended) = (found.end, Some(found.end));
        }
        if let Some(carry) = carry {
            carry.push(unit, hay, span, ended);
        }
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
