//! Why a script could not be read or parsed: each error names its line and
//! column (1-based, counted in characters, as an editor shows them).

use std::path::PathBuf;

use crate::codec::TemplateError;
use crate::engine::AddrError;

/// A script that does not parse: where, and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {col}: {kind}")]
pub struct ParseError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    /// What is wrong there.
    pub kind: ParseErrorKind,
}

/// What is wrong at a [`ParseError`]'s place.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseErrorKind {
    /// A `"` without its closing quote on the same line.
    #[error("this string has no closing quote (write \\\" for a quote inside it)")]
    UnclosedString,
    /// A line that starts with something that is not a command.
    #[error(
        "'{0}' is not a command: use connect, listen, accept, bind, send, wait, expect, set, repeat, close, \
         charset, timeout, seq or var"
    )]
    UnknownCommand(String),
    /// Something a command needs is missing.
    #[error("{command} needs {what}, e.g. {example}")]
    Missing {
        /// The command.
        command: &'static str,
        /// What it needs.
        what: &'static str,
        /// How to write it.
        example: &'static str,
    },
    /// A token where the command takes nothing more.
    #[error("unexpected '{0}' here")]
    Unexpected(String),
    /// An option the command does not take.
    #[error("{command} has no option '{option}' (it takes: {known})")]
    UnknownOption {
        /// The command.
        command: &'static str,
        /// The option as written.
        option: String,
        /// The options it takes.
        known: &'static str,
    },
    /// An option that takes a value, without one.
    #[error("option '{0}' needs a value after it")]
    NoValue(String),
    /// The same option twice.
    #[error("option '{0}' is given twice")]
    DuplicateOption(String),
    /// A number out of range or not a number.
    #[error("'{written}' is not {what}")]
    BadNumber {
        /// As written.
        written: String,
        /// What was expected, e.g. "a whole number from 1 to 1000000000".
        what: &'static str,
    },
    /// A duration that does not read.
    #[error("'{0}' is not a duration: write milliseconds (500, 500ms) or seconds (2s, 1.5s), at most one day")]
    BadDuration(String),
    /// An unknown charset.
    #[error("unknown charset '{0}': use gbk, utf-8, gb18030, big5, shift_jis, euc-kr or windows-1252")]
    BadCharset(String),
    /// An unknown checksum.
    #[error("unknown checksum '{0}': use sum8, xor8, crc8, crc16-modbus, crc16-ccitt-false or crc32")]
    BadChecksum(String),
    /// An unknown line ending.
    #[error("unknown line ending '{0}': use crlf, lf or cr")]
    BadLineEnding(String),
    /// An address or port that does not read.
    #[error("'{written}': {error}")]
    BadAddress {
        /// As written.
        written: String,
        /// Why.
        error: AddrError,
    },
    /// What is sent (or expected) does not parse: a bad escape, variable or
    /// hex, or a character the charset lacks. The column is the character's
    /// (the inner error's position counts within the quotes).
    #[error("in the quoted text: {0}")]
    Payload(TemplateError),
    /// An expect pattern with a variable: expectations are matched as written.
    #[error("variables are not filled in in what is expected (write $${{ for a literal ${{, or use expect regex)")]
    VariableInExpect,
    /// An empty pattern would match anything.
    #[error("the pattern is empty: an expect needs something to look for")]
    EmptyPattern,
    /// A regex that does not compile.
    #[error("the regex does not compile: {0}")]
    Regex(String),
    /// A variable name that is not one.
    #[error("'{0}' is not a variable name: use letters, digits and _, not starting with a digit")]
    BadName(String),
    /// A `repeat` whose block is never closed (reported at the `repeat`).
    #[error("this repeat's block has no closing '}}'")]
    UnclosedBlock,
    /// A `}` with no block open.
    #[error("'}}' closes no block")]
    UnmatchedClose,
}

/// Why a script file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// It could not be read.
    #[error("cannot read {}: {error}", .path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// The OS error.
        error: std::io::Error,
    },
    /// It is not UTF-8 text.
    #[error("{} is not UTF-8 text (byte {offset} is not valid): save the script as UTF-8", .path.display())]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// Where the first invalid byte is.
        offset: usize,
    },
    /// It does not parse.
    #[error("{}: {error}", .path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// Where and why.
        error: ParseError,
    },
}
