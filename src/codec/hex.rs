//! Hex: parsing what the user types in the send box's Hex mode, and formatting
//! bytes for the receive view.

/// Why a hex string was rejected. Positions count characters from 1, as the
/// user sees them in the send box.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HexError {
    /// A character that is neither a hex digit nor a separator.
    #[error("'{ch}' at position {pos} is not a hex digit")]
    InvalidChar {
        /// The offending character.
        ch: char,
        /// 1-based character position.
        pos: usize,
    },
    /// A hex digit that does not pair up into a whole byte, e.g. the `e` in `c4 e`.
    #[error("incomplete byte '{digits}' at position {pos}: every byte needs two hex digits")]
    OddDigit {
        /// The lone digit(s) as typed.
        digits: String,
        /// 1-based character position of the lone digit.
        pos: usize,
    },
}

/// Parses hex typed by a user.
///
/// Accepted: pairs of hex digits in either case, written together
/// (`C4E3BAC3`) or separated by any mix of whitespace, `,`, `;`, `:`, `-`;
/// an optional `0x`/`0X` prefix per byte (`0xC4 0xE3`). A group of digits
/// between separators must have an even length (`c4e3` is two bytes, `c4 e`
/// is an error at the `e`). Empty input (or only separators) is zero bytes.
pub fn parse_hex(input: &str) -> Result<Vec<u8>, HexError> {
    let mut out = Vec::with_capacity(input.len() / 2);
    // The high nibble of a byte in progress, with the position of its digit.
    let mut high: Option<(u8, char, usize)> = None;
    // True right after a separator (or at the start): a `0x` prefix may follow.
    let mut at_group_start = true;
    let mut chars = input.chars().enumerate().peekable();
    while let Some((i, ch)) = chars.next() {
        let pos = i + 1;
        if let Some(value) = hex_value(ch) {
            if at_group_start
                && ch == '0'
                && let Some(&(_, x @ ('x' | 'X'))) = chars.peek()
            {
                chars.next();
                // A prefix must be followed by at least one digit.
                if chars.peek().is_none_or(|&(_, c)| hex_value(c).is_none()) {
                    return Err(HexError::OddDigit { digits: format!("0{x}"), pos: pos + 1 });
                }
                at_group_start = false;
                continue;
            }
            at_group_start = false;
            match high.take() {
                None => high = Some((value, ch, pos)),
                Some((h, _, _)) => out.push(h << 4 | value),
            }
        } else if is_separator(ch) {
            if let Some((_, digit, digit_pos)) = high {
                return Err(odd(digit, digit_pos));
            }
            at_group_start = true;
        } else {
            return Err(HexError::InvalidChar { ch, pos });
        }
    }
    match high {
        Some((_, digit, digit_pos)) => Err(odd(digit, digit_pos)),
        None => Ok(out),
    }
}

/// The error for a lone hex digit at the end of a group.
fn odd(digit: char, pos: usize) -> HexError {
    HexError::OddDigit { digits: digit.to_string(), pos }
}

/// The value of an ASCII hex digit.
fn hex_value(ch: char) -> Option<u8> {
    match ch {
        '0'..='9' => Some(ch as u8 - b'0'),
        'a'..='f' => Some(ch as u8 - b'a' + 10),
        'A'..='F' => Some(ch as u8 - b'A' + 10),
        _ => None,
    }
}

/// Characters allowed between groups of digits.
fn is_separator(ch: char) -> bool {
    ch.is_whitespace() || matches!(ch, ',' | ';' | ':' | '-')
}

/// Formats `bytes` as upper-case hex pairs separated by single spaces
/// (`CE D2 CA C7`), appending to `out`.
pub fn format_hex_line(bytes: &[u8], out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.reserve(bytes.len() * 3);
    for (i, &b) in bytes.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0x0F)]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts() {
        let table: [(&str, &[u8]); 12] = [
            ("c4 e3 ba c3", &[0xc4, 0xe3, 0xba, 0xc3]),
            ("C4E3BAC3", &[0xc4, 0xe3, 0xba, 0xc3]),
            ("c4,e3", &[0xc4, 0xe3]),
            ("0xC4 0xE3", &[0xc4, 0xe3]),
            ("0Xc4,0xe3", &[0xc4, 0xe3]),
            ("0xC4E3", &[0xc4, 0xe3]),
            ("c4-e3:ba;c3", &[0xc4, 0xe3, 0xba, 0xc3]),
            ("c4\ne3\r\n\tba  ,, c3\n", &[0xc4, 0xe3, 0xba, 0xc3]),
            ("00 0a FF", &[0x00, 0x0a, 0xff]),
            ("c4\u{3000}e3", &[0xc4, 0xe3]),
            ("", &[]),
            ("  ", &[]),
        ];
        for (input, want) in table {
            assert_eq!(parse_hex(input).as_deref(), Ok(want), "{input:?}");
        }
        assert_eq!(parse_hex(" ,;:- \t"), Ok(vec![]));
    }

    #[test]
    fn rejects() {
        use HexError::*;
        let table = [
            ("c4 e", OddDigit { digits: "e".into(), pos: 4 }),
            ("zz", InvalidChar { ch: 'z', pos: 1 }),
            ("c4e", OddDigit { digits: "e".into(), pos: 3 }),
            ("c4e3b ", OddDigit { digits: "b".into(), pos: 5 }),
            ("g0", InvalidChar { ch: 'g', pos: 1 }),
            ("你好", InvalidChar { ch: '你', pos: 1 }),
            ("你 c4", InvalidChar { ch: '你', pos: 1 }),
            ("c4 你", InvalidChar { ch: '你', pos: 4 }),
            ("\u{3000}\u{3000}c4 e", OddDigit { digits: "e".into(), pos: 6 }),
            ("c4 e3 x", InvalidChar { ch: 'x', pos: 7 }),
            ("0x", OddDigit { digits: "0x".into(), pos: 2 }),
            ("c4 0X ", OddDigit { digits: "0X".into(), pos: 5 }),
            ("c40xe3", InvalidChar { ch: 'x', pos: 4 }),
            ("0xxc4", OddDigit { digits: "0x".into(), pos: 2 }),
            ("c4ez", InvalidChar { ch: 'z', pos: 4 }),
            ("c4.e3", InvalidChar { ch: '.', pos: 3 }),
        ];
        for (input, want) in table {
            assert_eq!(parse_hex(input), Err(want), "{input:?}");
        }
        assert_eq!(
            parse_hex("c4 e").unwrap_err().to_string(),
            "incomplete byte 'e' at position 4: every byte needs two hex digits"
        );
        assert_eq!(parse_hex("zz").unwrap_err().to_string(), "'z' at position 1 is not a hex digit");
        assert_eq!(
            parse_hex("0x").unwrap_err().to_string(),
            "incomplete byte '0x' at position 2: every byte needs two hex digits"
        );
    }

    #[test]
    fn formats() {
        let mut s = String::new();
        format_hex_line(&[0xce, 0xd2, 0xca, 0xc7], &mut s);
        assert_eq!(s, "CE D2 CA C7");
        format_hex_line(&[], &mut s);
        assert_eq!(s, "CE D2 CA C7");
        let mut s = String::from("> ");
        format_hex_line(&[0x00, 0x0f, 0xff], &mut s);
        assert_eq!(s, "> 00 0F FF");
    }

    proptest! {
        #[test]
        fn parse_never_panics(input in "\\PC*") {
            let _ = parse_hex(&input);
        }

        #[test]
        fn error_positions_point_at_the_culprit(input in "[0-9a-fA-FxX ,;:\\-\\t\\n你g]{0,40}") {
            let chars: Vec<char> = input.chars().collect();
            match parse_hex(&input) {
                Ok(bytes) => prop_assert!(bytes.len() * 2 <= chars.len()),
                Err(HexError::InvalidChar { ch, pos }) => {
                    prop_assert!(pos >= 1 && pos <= chars.len());
                    prop_assert_eq!(chars[pos - 1], ch);
                }
                Err(HexError::OddDigit { digits, pos }) => {
                    prop_assert!(pos >= 1 && pos <= chars.len());
                    prop_assert_eq!(Some(chars[pos - 1]), digits.chars().last());
                }
            }
        }

        #[test]
        fn format_then_parse_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let mut s = String::new();
            format_hex_line(&bytes, &mut s);
            prop_assert_eq!(s.len(), (bytes.len() * 3).saturating_sub(1));
            prop_assert_eq!(parse_hex(&s), Ok(bytes.clone()));
            prop_assert_eq!(parse_hex(&s.replace(' ', "")), Ok(bytes.clone()));
            prop_assert_eq!(parse_hex(&s.to_lowercase()), Ok(bytes));
        }
    }
}
