//! Cutting one line of a script into tokens: bare words, quoted strings and
//! braces, each with the 1-based column (in characters) where it starts.
//!
//! A `#` outside quotes starts a comment to the end of the line. In a quoted
//! string `\"` stands for a quote; every other backslash is kept as written,
//! for the send box's escapes (`\r`, `\x02`, `\\`) or a regex (`\d`) to read.

use super::error::{ParseError, ParseErrorKind};

/// What a token is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum TokenKind {
    /// A bare word: a keyword, a number, an address, a name.
    Word(String),
    /// A quoted string, quotes removed and `\"` turned into `"`.
    Str {
        /// The text between the quotes.
        text: String,
        /// The column of each character of `text`, plus one past its end
        /// (the closing quote's), so positions inside it map to the file.
        cols: Vec<usize>,
    },
    /// `{`: a block starts.
    Open,
    /// `}`: a block ends.
    Close,
}

/// A token and where it starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Token {
    /// What it is.
    pub kind: TokenKind,
    /// 1-based column of its first character (the opening quote of a string).
    pub col: usize,
}

impl Token {
    /// The word, if this is a bare word.
    pub fn word(&self) -> Option<&str> {
        match &self.kind {
            TokenKind::Word(word) => Some(word),
            _ => None,
        }
    }

    /// How this token is shown in an error: the word, `"…"` or the brace.
    pub fn shown(&self) -> String {
        match &self.kind {
            TokenKind::Word(word) => word.clone(),
            TokenKind::Str { text, .. } => format!("\"{text}\""),
            TokenKind::Open => "{".to_owned(),
            TokenKind::Close => "}".to_owned(),
        }
    }
}

/// The tokens of line `line` (1-based, for errors).
pub(super) fn tokens(text: &str, line: usize) -> Result<Vec<Token>, ParseError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let col = i + 1;
        match chars[i] {
            c if c.is_whitespace() => i += 1,
            '#' => break,
            '{' => {
                out.push(Token { kind: TokenKind::Open, col });
                i += 1;
            }
            '}' => {
                out.push(Token { kind: TokenKind::Close, col });
                i += 1;
            }
            '"' => {
                let (token, next) = string(&chars, i, line)?;
                out.push(token);
                i = next;
            }
            _ => {
                let start = i;
                while i < chars.len() && !chars[i].is_whitespace() && !matches!(chars[i], '"' | '#' | '{' | '}') {
                    i += 1;
                }
                out.push(Token { kind: TokenKind::Word(chars[start..i].iter().collect()), col });
            }
        }
    }
    Ok(out)
}

/// The string whose opening quote is at `chars[open]`, and the index after its closing quote.
fn string(chars: &[char], open: usize, line: usize) -> Result<(Token, usize), ParseError> {
    let mut text = String::new();
    let mut cols = Vec::new();
    let mut i = open + 1;
    while i < chars.len() {
        match chars[i] {
            '"' => {
                cols.push(i + 1);
                return Ok((Token { kind: TokenKind::Str { text, cols }, col: open + 1 }, i + 1));
            }
            '\\' if chars.get(i + 1) == Some(&'"') => {
                text.push('"');
                cols.push(i + 1);
                i += 2;
            }
            '\\' if chars.get(i + 1) == Some(&'\\') => {
                // Kept as written (two backslashes: one literal backslash for the
                // escapes), but skipped together so `\\"` ends the string.
                text.push_str("\\\\");
                cols.extend([i + 1, i + 2]);
                i += 2;
            }
            c => {
                text.push(c);
                cols.push(i + 1);
                i += 1;
            }
        }
    }
    Err(ParseError { line, col: open + 1, kind: ParseErrorKind::UnclosedString })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<TokenKind> {
        tokens(text, 1).expect("lexes").into_iter().map(|t| t.kind).collect()
    }

    fn word(w: &str) -> TokenKind {
        TokenKind::Word(w.to_owned())
    }

    #[test]
    fn words_strings_braces_and_comments() {
        let got = tokens("  send \"a b\" # \"not this\"", 1).expect("lexes");
        assert_eq!(got[0], Token { kind: word("send"), col: 3 });
        assert_eq!(
            got[1],
            Token { kind: TokenKind::Str { text: "a b".to_owned(), cols: vec![9, 10, 11, 12] }, col: 8 }
        );
        assert_eq!(got.len(), 2);
        assert_eq!(kinds("repeat 3 {"), vec![word("repeat"), word("3"), TokenKind::Open]);
        assert_eq!(kinds("}"), vec![TokenKind::Close]);
        assert_eq!(kinds("connect [::1]:80#c"), vec![word("connect"), word("[::1]:80")]);
        assert!(kinds("# only a comment").is_empty());
    }

    #[test]
    fn quotes_and_backslashes_in_strings() {
        let str_of = |t: &str| match &kinds(t)[0] {
            TokenKind::Str { text, .. } => text.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(str_of(r#""say \"hi\"""#), r#"say "hi""#);
        assert_eq!(str_of(r#""a\r\n\x02""#), r"a\r\n\x02");
        assert_eq!(str_of(r#""ends in \\""#), r"ends in \\");
        assert_eq!(str_of(r#""\d+ # not a comment""#), r"\d+ # not a comment");
        assert_eq!(str_of("\"你好\""), "你好");
    }

    #[test]
    fn string_columns_follow_the_characters_as_written() {
        let got = tokens(r#"x "a\"b""#, 1).expect("lexes");
        let TokenKind::Str { text, cols } = &got[1].kind else { panic!() };
        assert_eq!(text, "a\"b");
        assert_eq!(cols, &vec![4, 5, 7, 8], "the quote's column is its backslash's");
    }

    #[test]
    fn an_unclosed_string_is_reported_at_its_quote() {
        let error = tokens("send \"abc", 7).expect_err("unclosed");
        assert_eq!((error.line, error.col), (7, 6));
        let error = tokens(r#"send "abc\""#, 1).expect_err("the quote is escaped");
        assert_eq!(error.col, 6);
    }
}
