//! Pure byte/text codecs: charsets (streaming decode, strict encode), hex,
//! send-box escapes, checksums, the send preview and variables in what is sent.
//!
//! Nothing here knows about the UI, sockets or threads; everything is a plain
//! function or a small state machine, tested alone.

pub mod charset;
pub mod checksum;
pub mod escape;
pub mod hex;
pub mod preview;
pub mod send_template;
pub mod vars;
mod vars_values;

pub use charset::{Charset, DecodedText, EncodeError, StreamDecoder};
pub use checksum::{ChecksumKind, append_checksum};
pub use escape::{EscapeError, LineEnding, encode_with_escapes};
pub use hex::{HexError, format_hex_line, parse_hex};
pub use preview::preview;
pub use send_template::SendTemplate;
pub use vars::{Captures, Counter, ExpandError, PayloadMode, Template, TemplateError, Vars};
