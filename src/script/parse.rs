//! Reading a script file into a [`Script`]: one command per line, `repeat N {
//! … }` blocks, settings (`charset`, `timeout`) that apply to the lines after
//! them. The format is described in docs/SCRIPTS.md.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

pub use super::args::parse_duration;
use super::args::{Args, Options, Quoted, address_of, named, port_of};
use super::error::{LoadError, ParseError, ParseErrorKind};
use super::lex::{Token, TokenKind, tokens};
use super::model::{Action, Check, DEFAULT_TIMEOUT, Expect, Pattern, Payload, Script, Send, Step};
use crate::codec::{Charset, ChecksumKind, Counter, LineEnding, PayloadMode};
use crate::engine::{AddrError, parse_bind, parse_target};

/// Reads and parses the script at `path`.
pub fn load(path: &Path) -> Result<Script, LoadError> {
    let bytes = std::fs::read(path).map_err(|error| LoadError::Unreadable { path: path.to_owned(), error })?;
    let text = String::from_utf8(bytes)
        .map_err(|error| LoadError::NotUtf8 { path: path.to_owned(), offset: error.utf8_error().valid_up_to() })?;
    parse(&text).map_err(|error| LoadError::Parse { path: path.to_owned(), error })
}

/// Parses a script's text.
pub fn parse(text: &str) -> Result<Script, ParseError> {
    let mut parser = Parser {
        charset: Charset::Gbk,
        timeout: DEFAULT_TIMEOUT,
        script: Script { steps: Vec::new(), counter: Counter::default(), vars: BTreeMap::new() },
        blocks: Vec::new(),
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (index, line) in text.lines().enumerate() {
        parser.line(line, index + 1)?;
    }
    if let Some(block) = parser.blocks.pop() {
        return Err(ParseError { line: block.line, col: block.col, kind: ParseErrorKind::UnclosedBlock });
    }
    Ok(parser.script)
}

/// A `repeat` block being read.
struct Block {
    line: usize,
    col: usize,
    times: u64,
    outer: Vec<Step>,
}

struct Parser {
    /// The charset of text from here on (`charset`).
    charset: Charset,
    /// The timeout from here on (`timeout`).
    timeout: Duration,
    script: Script,
    /// Open `repeat` blocks, innermost last; `script.steps` collects the innermost's body.
    blocks: Vec<Block>,
}

impl Parser {
    fn line(&mut self, text: &str, line: usize) -> Result<(), ParseError> {
        let tokens = tokens(text, line)?;
        let Some(first) = tokens.first() else { return Ok(()) };
        let mut args = Args { tokens: &tokens[1..], line, end: text.chars().count() + 1 };
        let err = |kind| ParseError { line, col: first.col, kind };
        if first.kind == TokenKind::Close {
            args.finish()?;
            let block = self.blocks.pop().ok_or_else(|| err(ParseErrorKind::UnmatchedClose))?;
            let body = std::mem::replace(&mut self.script.steps, block.outer);
            self.script.steps.push(Step { line: block.line, action: Action::Repeat { times: block.times, body } });
            return Ok(());
        }
        let Some(command) = first.word() else { return Err(err(ParseErrorKind::Unexpected(first.shown()))) };
        let action = match command {
            "charset" => {
                self.charset = args.charset("charset", "charset gbk")?;
                None
            }
            "timeout" => {
                self.timeout = args.duration("timeout", "timeout 3s")?;
                None
            }
            "seq" => {
                let start = args.int("seq", "a start value", "seq 1 1")?;
                let step = if args.is_done() { 1 } else { args.int("seq", "a step", "seq 1 1")? };
                self.script.counter = Counter::new(start, step);
                None
            }
            "var" => {
                let name = args.name("var", "var host \"device-1\"")?;
                let value = args.string("var", "a quoted value", "var host \"device-1\"")?;
                self.script.vars.insert(name, value.text);
                None
            }
            "repeat" => {
                // `repeat forever {`: until a step fails or the run is stopped (Stop, Ctrl+C).
                let times = match args.keyword(&["forever"]) {
                    Some(_) => u64::MAX,
                    None => args.count("repeat", "repeat 3 {")?,
                };
                let open = args.next().filter(|t| t.kind == TokenKind::Open);
                if open.is_none() {
                    return Err(args.missing("repeat", "a '{' at the end of the line", "repeat 3 {"));
                }
                let outer = std::mem::take(&mut self.script.steps);
                self.blocks.push(Block { line, col: first.col, times, outer });
                args.finish()?;
                return Ok(());
            }
            _ => Some(self.action(command, first, &mut args)?),
        };
        args.finish()?;
        if let Some(action) = action {
            self.script.steps.push(Step { line, action });
        }
        Ok(())
    }

    /// The step a command line makes.
    fn action(&self, command: &str, first: &Token, args: &mut Args<'_>) -> Result<Action, ParseError> {
        Ok(match command {
            "connect" => {
                let (host, port) = args.address("connect", "connect 127.0.0.1:8000", |t| parse_target(t, ""))?;
                let options = args.options("connect", &[("timeout", true), ("from", true)], "timeout, from")?;
                let local_port = match options.get("from") {
                    Some(Some(token)) => Some(port_of(token, args.line)?),
                    _ => None,
                };
                let timeout = options.duration("timeout", args.line)?.unwrap_or(self.timeout);
                Action::Connect { host, port, local_port, timeout }
            }
            "listen" => Action::Listen { bind: args.address("listen", "listen 8000", parse_local)? },
            "accept" => {
                let options = args.options("accept", &[("timeout", true)], "timeout")?;
                Action::Accept { timeout: options.duration("timeout", args.line)?.unwrap_or(self.timeout) }
            }
            "bind" => {
                let bind = args.address("bind", "bind 9000 to 127.0.0.1:9001", parse_local)?;
                let options = args.options("bind", &[("to", true)], "to")?;
                let remote = match options.get("to") {
                    Some(Some(token)) => Some(address_of(token, args.line, |t| parse_target(t, ""))?),
                    _ => None,
                };
                Action::BindUdp { bind, remote }
            }
            "send" => self.send(args)?,
            "wait" => Action::Wait(args.duration("wait", "wait 500ms")?),
            "expect" => self.expect(args)?,
            "set" => {
                let name = args.name("set", "set id \"${rand_hex:8}\"")?;
                let value = args.string("set", "a quoted value", "set id \"${rand_hex:8}\"")?;
                let options = args.options("set", &[("charset", true)], "charset")?;
                let mode =
                    PayloadMode::Text { charset: options.charset(args.line)?.unwrap_or(self.charset), escapes: true };
                Action::Set { name, value: payload(&value, mode, args.line)? }
            }
            "close" => Action::Close,
            _ => {
                return Err(ParseError {
                    line: args.line,
                    col: first.col,
                    kind: ParseErrorKind::UnknownCommand(command.to_owned()),
                });
            }
        })
    }

    fn send(&self, args: &mut Args<'_>) -> Result<Action, ParseError> {
        const EXAMPLE: &str = "send \"hello\\r\\n\" or send hex \"01 03 00 00 00 0A\" checksum crc16-modbus";
        let hex = args.keyword(&["hex", "text"]) == Some("hex");
        let quoted = args.string("send", "the text or hex to send, in quotes", EXAMPLE)?;
        let known = "charset, raw, checksum, append";
        let spec = [("charset", true), ("raw", false), ("checksum", true), ("append", true)];
        let options = args.options("send", &spec, known)?;
        let mode = self.mode(hex, &options, args.line)?;
        let checksum = match options.get("checksum") {
            Some(Some(token)) => Some(named(token, args.line, ChecksumKind::from_label, ParseErrorKind::BadChecksum)?),
            _ => None,
        };
        let append = match options.get("append") {
            Some(Some(token)) => named(token, args.line, line_ending, ParseErrorKind::BadLineEnding)?,
            _ => LineEnding::None,
        };
        Ok(Action::Send(Send { payload: payload(&quoted, mode, args.line)?, checksum, append }))
    }

    fn expect(&self, args: &mut Args<'_>) -> Result<Action, ParseError> {
        const EXAMPLE: &str = "expect \"OK\" timeout 2s, expect regex \"ID=(\\d+)\", expect close";
        let kind = args.keyword(&["contains", "hex", "regex", "close"]);
        if kind == Some("close") {
            let options = args.options("expect close", &[("timeout", true)], "timeout")?;
            let timeout = options.duration("timeout", args.line)?.unwrap_or(self.timeout);
            return Ok(Action::Expect(Expect { check: Check::Closed, timeout }));
        }
        let quoted = args.string("expect", "what to wait for, in quotes", EXAMPLE)?;
        let spec = [("charset", true), ("raw", false), ("timeout", true)];
        let options = args.options("expect", &spec, "charset, raw, timeout")?;
        let timeout = options.duration("timeout", args.line)?.unwrap_or(self.timeout);
        let at = |kind| ParseError { line: args.line, col: quoted.col, kind };
        if quoted.text.is_empty() {
            return Err(at(ParseErrorKind::EmptyPattern));
        }
        let check = if kind == Some("regex") {
            let charset = options.charset(args.line)?.unwrap_or(self.charset);
            let regex =
                regex::Regex::new(&quoted.text).map_err(|error| at(ParseErrorKind::Regex(error.to_string())))?;
            Check::Regex(Pattern { regex, charset })
        } else {
            let pattern = payload(&quoted, self.mode(kind == Some("hex"), &options, args.line)?, args.line)?;
            if pattern.template().has_vars() {
                return Err(at(ParseErrorKind::VariableInExpect));
            }
            Check::Contains(pattern)
        };
        Ok(Action::Expect(Expect { check, timeout }))
    }

    /// Hex, or text in the charset given (or the current one), escapes on unless `raw`.
    fn mode(&self, hex: bool, options: &Options, line: usize) -> Result<PayloadMode, ParseError> {
        let charset = options.charset(line)?;
        if hex {
            if let Some(name) = ["charset", "raw"].into_iter().find(|name| options.contains_key(name)) {
                let col = options.col(name).unwrap_or(1);
                return Err(ParseError {
                    line,
                    col,
                    kind: ParseErrorKind::Unexpected(format!("{name} (hex has none)")),
                });
            }
            return Ok(PayloadMode::Hex);
        }
        Ok(PayloadMode::Text { charset: charset.unwrap_or(self.charset), escapes: !options.contains_key("raw") })
    }
}

/// The payload written in `quoted`; an error in it points at its character's column.
fn payload(quoted: &Quoted, mode: PayloadMode, line: usize) -> Result<Payload, ParseError> {
    Payload::new(&quoted.text, mode).map_err(|error| {
        let col = quoted.cols.get(error.pos().saturating_sub(1)).or(quoted.cols.last()).copied().unwrap_or(quoted.col);
        ParseError { line, col, kind: ParseErrorKind::Payload(error) }
    })
}

/// A local address to listen on or bind: `PORT` (all IPv4 interfaces), `IP:PORT` or `[IPv6]:PORT`.
pub fn parse_local(text: &str) -> Result<SocketAddr, AddrError> {
    if text.chars().all(|c| c.is_ascii_digit()) {
        return parse_bind("0.0.0.0", text);
    }
    match text.rsplit_once(':') {
        Some((ip, port)) => parse_bind(ip, port),
        None => Err(AddrError::EmptyPort),
    }
}

fn line_ending(name: &str) -> Option<LineEnding> {
    match name.to_ascii_lowercase().as_str() {
        "crlf" | "\\r\\n" => Some(LineEnding::CrLf),
        "lf" | "\\n" => Some(LineEnding::Lf),
        "cr" | "\\r" => Some(LineEnding::Cr),
        _ => None,
    }
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
