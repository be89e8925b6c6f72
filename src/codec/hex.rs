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
    todo!()
}

/// Formats `bytes` as upper-case hex pairs separated by single spaces
/// (`CE D2 CA C7`), appending to `out`.
pub fn format_hex_line(bytes: &[u8], out: &mut String) {
    todo!()
}
