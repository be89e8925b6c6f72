//! Auto-reply rules as the user writes them (text or hex patterns and
//! replies, in the session's charset), saved in the profile; turned into
//! the engine's byte-level rules when they change.

use crate::codec::{Charset, ChecksumKind, EscapeError, HexError, encode_with_escapes, parse_hex};

/// What a rule looks for in received data.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MatchKind {
    /// The text (in the charset, escapes allowed) appears anywhere, also across reads.
    #[default]
    Contains,
    /// A read or datagram starts with the text.
    StartsWith,
    /// The received text matches a regular expression.
    Regex,
    /// The hex bytes appear anywhere, also across reads.
    HexBytes,
    /// Anything received.
    Any,
}

impl MatchKind {
    /// Every kind, in UI order.
    pub const ALL: [MatchKind; 5] =
        [MatchKind::Contains, MatchKind::StartsWith, MatchKind::Regex, MatchKind::HexBytes, MatchKind::Any];

    /// Label in the rules window.
    pub fn label(self) -> String {
        crate::i18n::t(match self {
            MatchKind::Contains => "match-contains",
            MatchKind::StartsWith => "match-starts-with",
            MatchKind::Regex => "match-regex",
            MatchKind::HexBytes => "match-hex",
            MatchKind::Any => "match-any",
        })
    }

    /// Name in the profile.
    pub fn name(self) -> &'static str {
        match self {
            MatchKind::Contains => "contains",
            MatchKind::StartsWith => "starts-with",
            MatchKind::Regex => "regex",
            MatchKind::HexBytes => "hex",
            MatchKind::Any => "any",
        }
    }

    /// The kind a profile names, if known.
    pub fn from_name(name: &str) -> Option<MatchKind> {
        MatchKind::ALL.into_iter().find(|k| k.name() == name.trim())
    }
}

/// What a rule answers with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReplyKind {
    /// Text in the charset (escapes allowed).
    #[default]
    Text,
    /// Hex bytes.
    Hex,
    /// The received data itself.
    Echo,
}

impl ReplyKind {
    /// Every kind, in UI order.
    pub const ALL: [ReplyKind; 3] = [ReplyKind::Text, ReplyKind::Hex, ReplyKind::Echo];

    /// Label in the rules window (and name in the profile).
    pub fn label(self) -> &'static str {
        match self {
            ReplyKind::Text => "text",
            ReplyKind::Hex => "hex",
            ReplyKind::Echo => "echo",
        }
    }

    /// Name shown in the window, in its language.
    pub fn shown(self) -> String {
        crate::i18n::t(match self {
            ReplyKind::Text => "reply-kind-text",
            ReplyKind::Hex => "reply-kind-hex",
            ReplyKind::Echo => "reply-kind-echo",
        })
    }

    /// The kind a profile names, if known.
    pub fn from_name(name: &str) -> Option<ReplyKind> {
        ReplyKind::ALL.into_iter().find(|k| k.label() == name.trim())
    }
}

/// One auto-reply rule as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AutoReplySpec {
    /// Whether it is in force.
    pub enabled: bool,
    /// Shown in the view when it fires.
    pub name: String,
    /// What it looks for.
    pub match_kind: MatchKind,
    /// The text, hex or regex looked for (unused for "anything").
    pub pattern: String,
    /// What it answers with.
    pub reply_kind: ReplyKind,
    /// The reply's text or hex (unused for echo).
    pub reply: String,
    /// Appended to the reply.
    pub checksum: Option<ChecksumKind>,
    /// Wait before replying, in milliseconds.
    pub delay_ms: u32,
}

impl Default for AutoReplySpec {
    fn default() -> Self {
        Self {
            enabled: true,
            name: String::new(),
            match_kind: MatchKind::Contains,
            pattern: String::new(),
            reply_kind: ReplyKind::Text,
            reply: String::new(),
            checksum: None,
            delay_ms: 0,
        }
    }
}

/// A rule turned into bytes: what the engine needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompiledRule {
    /// The rule's name.
    pub name: String,
    /// The pattern: bytes for contains / starts-with / hex, the regex text for regex.
    pub pattern: Vec<u8>,
    /// The kind of match.
    pub match_kind: MatchKind,
    /// The reply bytes; `None` for echo.
    pub reply: Option<Vec<u8>>,
    /// A reply with variables (`${seq}`, `${1}`, `${rx}`, …): filled in at
    /// each reply (then `reply` is its bytes as of compiling, unused).
    pub template: Option<crate::codec::SendTemplate>,
    /// Wait before replying, in milliseconds.
    pub delay_ms: u32,
}

/// The field of a rule that has a mistake.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleField {
    /// What it looks for (text or hex).
    Pattern,
    /// The regular expression it looks for.
    Regex,
    /// What it answers with.
    Reply,
}

/// Why a rule cannot be handed to the engine: the rule's name, the field, and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleError {
    /// The rule's name ("unnamed" when it has none).
    pub rule: String,
    /// The field that is wrong.
    pub field: RuleField,
    /// What is wrong.
    pub problem: RuleProblem,
}

/// What is wrong with a rule's field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleProblem {
    /// A bad escape or a character the charset cannot encode.
    Text(EscapeError),
    /// Not hex.
    Hex(HexError),
    /// Not a regular expression (the regex crate's explanation).
    Regex(String),
    /// Nothing to look for, and the kind is not "anything".
    EmptyPattern,
    /// A variable written wrong in the reply.
    Template(crate::codec::TemplateError),
    /// A variable in the reply the match can never fill in (a regex group
    /// the regex does not have, or a group in a rule that is not a regex).
    Unfillable(crate::codec::ExpandError),
}

impl AutoReplySpec {
    /// The rule in bytes, with text in `charset`; an error says which field is wrong.
    pub fn compile(&self, charset: Charset) -> Result<CompiledRule, RuleError> {
        let name = if self.name.trim().is_empty() { "unnamed" } else { self.name.trim() };
        let fail = |field, problem| RuleError { rule: name.to_owned(), field, problem };
        let pattern = match self.match_kind {
            MatchKind::Contains | MatchKind::StartsWith => encode_with_escapes(&self.pattern, charset)
                .map_err(|e| fail(RuleField::Pattern, RuleProblem::Text(e)))?,
            MatchKind::HexBytes => {
                parse_hex(&self.pattern).map_err(|e| fail(RuleField::Pattern, RuleProblem::Hex(e)))?
            }
            MatchKind::Regex => {
                regex::Regex::new(&self.pattern)
                    .map_err(|e| fail(RuleField::Regex, RuleProblem::Regex(e.to_string())))?;
                self.pattern.clone().into_bytes()
            }
            MatchKind::Any => Vec::new(),
        };
        if pattern.is_empty() && self.match_kind != MatchKind::Any {
            return Err(fail(RuleField::Pattern, RuleProblem::EmptyPattern));
        }
        let (reply, template) = match self.reply_kind {
            ReplyKind::Echo => (None, None),
            kind => {
                let mode = if kind == ReplyKind::Hex {
                    crate::codec::PayloadMode::Hex
                } else {
                    crate::codec::PayloadMode::Text { charset, escapes: true }
                };
                let parsed = crate::codec::Template::parse(&self.reply, mode).map_err(|e| match e {
                    crate::codec::TemplateError::Escape(e) => fail(RuleField::Reply, RuleProblem::Text(e)),
                    crate::codec::TemplateError::Hex(e) => fail(RuleField::Reply, RuleProblem::Hex(e)),
                    other => fail(RuleField::Reply, RuleProblem::Template(other)),
                })?;
                let has_vars = parsed.has_vars();
                let send = crate::codec::SendTemplate::new(parsed, self.checksum, Vec::new());
                // Filled in as a match would fill it: every group the regex has, `${rx}`.
                let sample = self.sample_captures();
                let bytes = send
                    .preview(&crate::codec::Vars::default(), Some(&sample), std::time::SystemTime::now())
                    .map_err(|e| match e {
                    crate::codec::ExpandError::Hex { error, .. } => fail(RuleField::Reply, RuleProblem::Hex(error)),
                    other => fail(RuleField::Reply, RuleProblem::Unfillable(other)),
                })?;
                (Some(bytes), has_vars.then_some(send))
            }
        };
        Ok(CompiledRule {
            name: name.to_owned(),
            pattern,
            match_kind: self.match_kind,
            reply,
            template,
            delay_ms: self.delay_ms,
        })
    }
}

impl AutoReplySpec {
    /// Captures as a match of this rule gives them, with every group the
    /// regex has taking part (as "0", hex-safe): what a reply may use.
    fn sample_captures(&self) -> crate::codec::Captures {
        let mut captures = crate::codec::Captures { rx: b"0".to_vec(), ..Default::default() };
        if self.match_kind == MatchKind::Regex
            && let Ok(regex) = regex::Regex::new(&self.pattern)
        {
            captures.groups = vec![Some("00".to_owned()); regex.captures_len()];
            captures.named = regex.capture_names().flatten().map(|n| (n.to_owned(), "00".to_owned())).collect();
        }
        captures
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Message;

    #[test]
    fn rules_compile_to_bytes_in_the_charset() {
        let rule = AutoReplySpec {
            name: "ping".to_owned(),
            pattern: "PING\\r\\n".to_owned(),
            reply: "我是服务器".to_owned(),
            ..AutoReplySpec::default()
        };
        let compiled = rule.compile(Charset::Gbk).expect("valid");
        assert_eq!(compiled.pattern, b"PING\r\n");
        assert_eq!(compiled.reply.as_deref(), Some(&[0xCE, 0xD2, 0xCA, 0xC7, 0xB7, 0xFE, 0xCE, 0xF1, 0xC6, 0xF7][..]));
        let modbus = AutoReplySpec {
            match_kind: MatchKind::HexBytes,
            pattern: "01 03".to_owned(),
            reply_kind: ReplyKind::Hex,
            reply: "01 03 02 00 2A".to_owned(),
            checksum: Some(ChecksumKind::Crc16Modbus),
            ..AutoReplySpec::default()
        };
        assert_eq!(modbus.compile(Charset::Utf8).expect("valid").reply.map(|r| r.len()), Some(7));
    }

    #[test]
    fn mistakes_name_the_rule_and_the_field() {
        let bad_regex = AutoReplySpec {
            name: "r".to_owned(),
            match_kind: MatchKind::Regex,
            pattern: "(".to_owned(),
            ..AutoReplySpec::default()
        };
        assert!(
            bad_regex
                .compile(Charset::Utf8)
                .is_err_and(|e| Message::Rule(e).to_string().starts_with("Rule \"r\": regex:"))
        );
        let bad_hex =
            AutoReplySpec { match_kind: MatchKind::HexBytes, pattern: "0g".to_owned(), ..AutoReplySpec::default() };
        assert!(
            bad_hex
                .compile(Charset::Utf8)
                .is_err_and(|e| Message::Rule(e).to_string().contains("\"unnamed\": pattern"))
        );
        let empty = AutoReplySpec::default();
        assert!(empty.compile(Charset::Utf8).is_err_and(|e| Message::Rule(e).to_string().contains("pattern is empty")));
        let any = AutoReplySpec { match_kind: MatchKind::Any, reply_kind: ReplyKind::Echo, ..AutoReplySpec::default() };
        assert_eq!(any.compile(Charset::Utf8).map(|c| c.reply), Ok(None));
    }
}
