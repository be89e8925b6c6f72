//! Charsets: the list the user picks from, strict encoding of what they type,
//! and streaming decoding of what arrives (one [`StreamDecoder`] per peer and
//! direction, so a multi-byte character split across two reads renders whole).

use std::ops::Range;

/// A character encoding the user can choose for text views and text sends.
///
/// All are backed by `encoding_rs`. Only encodings that `encoding_rs` can
/// also *encode* are listed (it cannot encode UTF-16).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Charset {
    /// UTF-8.
    Utf8,
    /// GBK (decoded with the GB18030 decoder, a superset; encoded as GBK).
    Gbk,
    /// GB18030.
    Gb18030,
    /// Big5 (Traditional Chinese).
    Big5,
    /// Shift_JIS (Japanese).
    ShiftJis,
    /// EUC-KR (Korean).
    EucKr,
    /// windows-1252, which is what "Latin-1 / ISO-8859-1" means in practice.
    Windows1252,
}

impl Charset {
    /// Every charset, in the order the UI lists them (GBK and UTF-8 first).
    pub const ALL: [Charset; 7] = [
        Charset::Gbk,
        Charset::Utf8,
        Charset::Gb18030,
        Charset::Big5,
        Charset::ShiftJis,
        Charset::EucKr,
        Charset::Windows1252,
    ];

    /// Short name shown in the UI and accepted on the command line, e.g. "GBK", "UTF-8".
    pub fn label(self) -> &'static str {
        todo!()
    }

    /// The `encoding_rs` encoding behind this charset.
    pub fn encoding(self) -> &'static encoding_rs::Encoding {
        todo!()
    }

    /// Parses a user-supplied name, case-insensitively, accepting common aliases
    /// ("gbk", "cp936", "utf8", "utf-8", "gb2312" → GBK, "latin1", "big5", "sjis", …).
    pub fn from_name(name: &str) -> Option<Charset> {
        todo!()
    }

    /// Encodes `text` strictly: a character the charset cannot represent is an
    /// error naming it (never a silent `?` or `&#NNNN;`).
    pub fn encode(self, text: &str) -> Result<Vec<u8>, EncodeError> {
        todo!()
    }

    /// Decodes a complete byte string (no streaming state), invalid bytes shown as `\xNN`.
    pub fn decode_all(self, bytes: &[u8]) -> DecodedText {
        todo!()
    }
}

/// Why text could not be encoded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("'{ch}' (U+{code:04X}) at character {index} cannot be encoded in {charset}")]
pub struct EncodeError {
    /// The character that has no representation.
    pub ch: char,
    /// Its code point, for the message.
    pub code: u32,
    /// Its index in the text, counted in characters from 0.
    pub index: usize,
    /// The charset's label.
    pub charset: &'static str,
}

/// Decoded text plus where in it the invalid input bytes were rendered.
///
/// Invalid bytes are written into `text` as `\xNN` (upper-case hex) so that
/// nothing is ever dropped silently; `invalid` lists the byte ranges of `text`
/// that hold such markers, so a view can colour them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DecodedText {
    /// The text, with invalid input bytes rendered as `\xNN`.
    pub text: String,
    /// Byte ranges into `text` that are invalid-byte markers (adjacent ones may be merged).
    pub invalid: Vec<Range<usize>>,
}

impl DecodedText {
    /// Empties the text and the marker list, keeping allocations.
    pub fn clear(&mut self) {
        self.text.clear();
        self.invalid.clear();
    }
}

/// A streaming decoder for one byte stream (one peer, one direction).
///
/// Feed chunks in order with [`StreamDecoder::decode`]: bytes of a character
/// that is not complete at the end of a chunk are held back and rendered with
/// the next chunk. [`StreamDecoder::finish`] flushes what is held (as invalid
/// bytes) when the stream ends.
pub struct StreamDecoder {
    // implementation detail
}

impl StreamDecoder {
    /// A fresh decoder for `charset`.
    pub fn new(charset: Charset) -> Self {
        todo!()
    }

    /// The charset this decoder decodes.
    pub fn charset(&self) -> Charset {
        todo!()
    }

    /// Decodes the next chunk, appending to `out` (which is not cleared).
    pub fn decode(&mut self, bytes: &[u8], out: &mut DecodedText) {
        todo!()
    }

    /// Number of bytes held back, waiting for the rest of a character.
    pub fn pending(&self) -> usize {
        todo!()
    }

    /// Ends the stream: held-back bytes are appended to `out` as invalid bytes,
    /// and the decoder is ready for a new stream.
    pub fn finish(&mut self, out: &mut DecodedText) {
        todo!()
    }
}
