//! Pure byte/text codecs: charsets (streaming decode, strict encode) and hex.
//!
//! Nothing here knows about the UI, sockets or threads; everything is a plain
//! function or a small state machine, tested alone.

pub mod charset;
pub mod hex;

pub use charset::{Charset, DecodedText, EncodeError, StreamDecoder};
pub use hex::{HexError, format_hex_line, parse_hex};
