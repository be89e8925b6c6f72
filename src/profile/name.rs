//! Profile name rules.

/// Longest profile name, in characters (after trimming).
pub const MAX_NAME_CHARS: usize = 64;

/// Why a profile name was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// Nothing left after trimming whitespace.
    #[error("the profile name is empty")]
    Empty,
    /// More than [`MAX_NAME_CHARS`] characters.
    #[error("the profile name has {chars} characters; at most {max} are allowed", max = MAX_NAME_CHARS)]
    TooLong {
        /// Its length in characters.
        chars: usize,
    },
    /// Holds a control character (newline, tab, NUL, …).
    #[error("the profile name contains a control character (U+{code:04X})")]
    ControlChar {
        /// The character's code point.
        code: u32,
    },
    /// Holds `/` or `\`.
    #[error("the profile name contains a path separator '{0}'")]
    PathSeparator(char),
    /// Holds `..`, or is `.`.
    #[error("the profile name cannot be '.' or contain '..'")]
    Dots,
}

/// Checks a profile name and returns it trimmed.
///
/// A valid name is 1 to [`MAX_NAME_CHARS`] characters after trimming, with no
/// control characters, no `/` or `\`, and no `..` (nor is it `.`). Names never
/// become file paths; the path-like rules are defence in depth.
pub fn validate_name(name: &str) -> Result<String, NameError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(NameError::TooLong { chars });
    }
    if let Some(ch) = name.chars().find(|ch| ch.is_control()) {
        return Err(NameError::ControlChar { code: u32::from(ch) });
    }
    if let Some(ch) = name.chars().find(|&ch| ch == '/' || ch == '\\') {
        return Err(NameError::PathSeparator(ch));
    }
    if name == "." || name.contains("..") {
        return Err(NameError::Dots);
    }
    Ok(name.to_owned())
}

/// Most characters of a name (or a parser's token) shown in a message.
pub const SHOWN_CHARS: usize = 40;

/// `text` cut to at most `max_chars` characters, ending in `…` when cut, so
/// a hand-edited 10,000-character value never fills a banner or a panel.
pub fn shorten(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        None => text.to_owned(),
        Some(_) => {
            let keep = max_chars.saturating_sub(1);
            let end = text.char_indices().nth(keep).map_or(text.len(), |(i, _)| i);
            format!("{}…", &text[..end])
        }
    }
}

/// A valid name made from one that breaks the rules (read from a
/// hand-edited file): control characters dropped, path separators and `..`
/// made `_`, cut to fit with `…`; `profile` if nothing is left. The caller
/// still makes it unique.
pub(super) fn repair_name(name: &str) -> String {
    let cleaned: String =
        name.chars().filter(|ch| !ch.is_control()).map(|ch| if ch == '/' || ch == '\\' { '_' } else { ch }).collect();
    let mut cleaned = cleaned.trim().replace("..", "_");
    if cleaned == "." {
        cleaned.clear();
    }
    let cut = shorten(&cleaned, MAX_NAME_CHARS);
    let cut = cut.trim();
    if cut.is_empty() { "profile".to_owned() } else { cut.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_validation_table() {
        let long = "a".repeat(MAX_NAME_CHARS);
        let too_long = "a".repeat(MAX_NAME_CHARS + 1);
        let wide = "网".repeat(MAX_NAME_CHARS);
        let cases: Vec<(&str, Result<&str, NameError>)> = vec![
            ("tutorial", Ok("tutorial")),
            ("  padded\t", Ok("padded")),
            ("PLC 192.168.1.5:502", Ok("PLC 192.168.1.5:502")),
            ("网络调试", Ok("网络调试")),
            ("v1.2", Ok("v1.2")),
            (&long, Ok(&long)),
            (&wide, Ok(&wide)),
            ("", Err(NameError::Empty)),
            ("   \n ", Err(NameError::Empty)),
            (&too_long, Err(NameError::TooLong { chars: MAX_NAME_CHARS + 1 })),
            ("a\nb", Err(NameError::ControlChar { code: 0x0A })),
            ("a\0b", Err(NameError::ControlChar { code: 0 })),
            ("a\u{7f}", Err(NameError::ControlChar { code: 0x7F })),
            ("a/b", Err(NameError::PathSeparator('/'))),
            ("a\\b", Err(NameError::PathSeparator('\\'))),
            ("..", Err(NameError::Dots)),
            (".", Err(NameError::Dots)),
            ("x..y", Err(NameError::Dots)),
        ];
        for (input, expected) in cases {
            assert_eq!(validate_name(input), expected.map(str::to_owned), "input {input:?}");
        }
    }

    #[test]
    fn long_text_is_shortened_and_bad_names_repaired() {
        assert_eq!(shorten("abc", 3), "abc");
        assert_eq!(shorten("abcd", 3), "ab…");
        assert_eq!(shorten(&"网".repeat(10_000), 5), "网网网网…");
        let repaired = repair_name(&"n".repeat(10_000));
        assert_eq!(repaired.chars().count(), MAX_NAME_CHARS);
        assert!(repaired.ends_with('…'));
        assert_eq!(validate_name(&repaired), Ok(repaired.clone()));
        for (bad, fixed) in [("a/b", "a_b"), ("x..y", "x_y"), (".", "profile"), ("\n", "profile"), ("a\tb", "ab")] {
            assert_eq!(repair_name(bad), fixed, "{bad:?}");
            assert!(validate_name(fixed).is_ok());
        }
    }

    #[test]
    fn name_errors_read_well() {
        assert_eq!(
            NameError::TooLong { chars: 70 }.to_string(),
            "the profile name has 70 characters; at most 64 are allowed"
        );
        assert_eq!(
            NameError::ControlChar { code: 10 }.to_string(),
            "the profile name contains a control character (U+000A)"
        );
    }
}
