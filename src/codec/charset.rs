//! Charsets: the list the user picks from, strict encoding of what they type,
//! and streaming decoding of what arrives (one [`StreamDecoder`] per peer and
//! direction, so a multi-byte character split across two reads renders whole).

use std::ops::Range;

use encoding_rs::{Decoder, DecoderResult, EncoderResult};

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
        match self {
            Charset::Utf8 => "UTF-8",
            Charset::Gbk => "GBK",
            Charset::Gb18030 => "GB18030",
            Charset::Big5 => "Big5",
            Charset::ShiftJis => "Shift_JIS",
            Charset::EucKr => "EUC-KR",
            Charset::Windows1252 => "Windows-1252",
        }
    }

    /// The `encoding_rs` encoding behind this charset.
    pub fn encoding(self) -> &'static encoding_rs::Encoding {
        match self {
            Charset::Utf8 => encoding_rs::UTF_8,
            Charset::Gbk => encoding_rs::GBK,
            Charset::Gb18030 => encoding_rs::GB18030,
            Charset::Big5 => encoding_rs::BIG5,
            Charset::ShiftJis => encoding_rs::SHIFT_JIS,
            Charset::EucKr => encoding_rs::EUC_KR,
            Charset::Windows1252 => encoding_rs::WINDOWS_1252,
        }
    }

    /// Parses a user-supplied name, case-insensitively, accepting common aliases
    /// ("gbk", "cp936", "utf8", "utf-8", "gb2312" → GBK, "latin1", "big5", "sjis", …).
    pub fn from_name(name: &str) -> Option<Charset> {
        let name = name.trim().to_ascii_lowercase();
        let charset = match name.as_str() {
            "gbk" | "cp936" | "gb2312" | "936" => Charset::Gbk,
            "utf8" | "utf-8" => Charset::Utf8,
            "gb18030" => Charset::Gb18030,
            "big5" => Charset::Big5,
            "shift_jis" | "shift-jis" | "sjis" => Charset::ShiftJis,
            "euc-kr" | "euckr" => Charset::EucKr,
            "windows-1252" | "cp1252" | "latin1" | "latin-1" | "iso-8859-1" => Charset::Windows1252,
            _ => return None,
        };
        Some(charset)
    }

    /// Encodes `text` strictly: a character the charset cannot represent is an
    /// error naming it (never a silent `?` or `&#NNNN;`).
    pub fn encode(self, text: &str) -> Result<Vec<u8>, EncodeError> {
        if self == Charset::Utf8 {
            return Ok(text.as_bytes().to_vec());
        }
        let mut encoder = self.encoding().new_encoder();
        let mut out = Vec::new();
        let mut read_total = 0;
        loop {
            let rest = &text[read_total..];
            let needed = encoder
                .max_buffer_length_from_utf8_without_replacement(rest.len())
                .unwrap_or(rest.len().saturating_mul(4))
                .max(16);
            out.reserve(needed);
            let (result, read) = encoder.encode_from_utf8_to_vec_without_replacement(rest, &mut out, true);
            read_total += read;
            match result {
                EncoderResult::InputEmpty => return Ok(out),
                // Only happens if the estimate above was short; the reserve
                // at the top of the loop grows the buffer.
                EncoderResult::OutputFull => out.reserve(out.capacity().max(16)),
                EncoderResult::Unmappable(ch) => {
                    // The unmappable character has been consumed: it ends at `read_total`.
                    let start = read_total - ch.len_utf8();
                    return Err(EncodeError {
                        ch,
                        code: u32::from(ch),
                        index: text[..start].chars().count(),
                        charset: self.label(),
                    });
                }
            }
        }
    }

    /// Decodes a complete byte string (no streaming state), invalid bytes shown as `\xNN`.
    pub fn decode_all(self, bytes: &[u8]) -> DecodedText {
        let mut decoder = StreamDecoder::new(self);
        let mut out = DecodedText::default();
        decoder.decode(bytes, &mut out);
        decoder.finish(&mut out);
        out
    }
}

/// Why text could not be encoded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
/// The message counts characters from 1, as people do (and as every other
/// position the window shows): `ab½` in GBK names character 3.
#[error("'{ch}' (U+{code:04X}) at character {} cannot be encoded in {charset}", .index + 1)]
pub struct EncodeError {
    /// The character that has no representation.
    pub ch: char,
    /// Its code point, for the message.
    pub code: u32,
    /// Its index in the text, counted in characters from 0 (the message adds 1).
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

    /// Gives back the spare capacity the text and the marker list grew
    /// while being built, when it is more than an eighth: what is kept for
    /// long (a receive view's record) then holds what it needs.
    pub fn shrink_to_fit(&mut self) {
        if self.text.capacity() - self.text.len() > self.text.len() / 8 {
            self.text.shrink_to_fit();
        }
        if self.invalid.capacity() - self.invalid.len() > self.invalid.len() / 8 {
            self.invalid.shrink_to_fit();
        }
    }

    /// Appends `byte` as an invalid-byte marker `\xNN`, merging its range with
    /// an immediately preceding marker range.
    fn push_invalid(&mut self, byte: u8) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        let start = self.text.len();
        self.text.push_str("\\x");
        self.text.push(char::from(HEX[usize::from(byte >> 4)]));
        self.text.push(char::from(HEX[usize::from(byte & 0x0F)]));
        let end = self.text.len();
        match self.invalid.last_mut() {
            Some(last) if last.end == start => last.end = end,
            _ => self.invalid.push(start..end),
        }
    }
}

/// A streaming decoder for one byte stream (one peer, one direction).
///
/// Feed chunks in order with [`StreamDecoder::decode`]: bytes of a character
/// that is not complete at the end of a chunk are held back and rendered with
/// the next chunk. [`StreamDecoder::finish`] flushes what is held (as invalid
/// bytes) when the stream ends.
pub struct StreamDecoder {
    charset: Charset,
    decoder: Decoder,
    /// Bytes of the stream consumed so far (all bytes passed to `decode`).
    consumed: u64,
    /// Stream position up to which every byte has been rendered (as text or as
    /// an invalid marker); `consumed - decided` bytes are held by `decoder`.
    decided: u64,
    /// The last `recent_len` bytes of the stream (oldest first, right-aligned
    /// at the end of the array), to render malformed sequences that began in
    /// an earlier chunk.
    recent: [u8; RECENT],
    recent_len: usize,
    /// Output buffer for one decoder call, copied into the caller's text:
    /// up to [`SCRATCH`] bytes, written in place (`decode_to_str`). encoding_rs
    /// touches every memory page of the spare capacity of a `String` it
    /// decodes into on every call, and binary data makes a call per invalid
    /// byte (thousands a read): a fixed buffer costs each call only what it
    /// writes.
    scratch: String,
}

/// How many trailing stream bytes are remembered. encoding_rs reports a
/// malformed sequence as up to 4 bytes followed by up to 3 already-consumed
/// bytes; 8 covers every case.
const RECENT: usize = 8;

/// How many bytes at the end of each chunk are fed one at a time, so that the
/// number of held bytes is known exactly (no charset here holds more than 3).
const TAIL: usize = 4;

/// The most input bytes passed to the decoder in one call.
const PIECE: usize = 16 * 1024;

/// Bytes of `StreamDecoder::scratch`: a call that fills it returns, is
/// copied out, and goes on (more than the 4 bytes of any one character).
const SCRATCH: usize = 8 * 1024;

impl StreamDecoder {
    /// A fresh decoder for `charset`.
    pub fn new(charset: Charset) -> Self {
        StreamDecoder {
            charset,
            decoder: charset.encoding().new_decoder_without_bom_handling(),
            consumed: 0,
            decided: 0,
            recent: [0; RECENT],
            recent_len: 0,
            scratch: String::new(),
        }
    }

    /// The charset this decoder decodes.
    pub fn charset(&self) -> Charset {
        self.charset
    }

    /// Decodes the next chunk, appending to `out` (which is not cleared).
    pub fn decode(&mut self, bytes: &[u8], out: &mut DecodedText) {
        // The bulk goes in one call; the last few bytes go one at a time so
        // that `decided` is exact when the chunk ends (see `feed`).
        let split = bytes.len().saturating_sub(TAIL);
        for piece in bytes[..split].chunks(PIECE) {
            self.feed(piece, false, out);
        }
        for i in split..bytes.len() {
            self.feed(&bytes[i..=i], false, out);
        }
    }

    /// Number of bytes held back, waiting for the rest of a character.
    pub fn pending(&self) -> usize {
        usize::try_from(self.consumed - self.decided).unwrap_or(usize::MAX)
    }

    /// Ends the stream: held-back bytes are appended to `out` as invalid bytes,
    /// and the decoder is ready for a new stream.
    pub fn finish(&mut self, out: &mut DecodedText) {
        self.feed(&[], true, out);
        let scratch = std::mem::take(&mut self.scratch);
        *self = StreamDecoder::new(self.charset);
        self.scratch = scratch;
    }

    /// Runs `input` through the decoder until it is all consumed, rendering
    /// malformed sequences as invalid-byte markers.
    ///
    /// `decided` is moved forward whenever something is known to be fully
    /// rendered: past a malformed sequence (but not past the bytes encoding_rs
    /// consumed after it, which it keeps and re-processes itself), and to the
    /// end of the input when the decoder ends up holding nothing. When fed
    /// single bytes at the end of a chunk this makes `consumed - decided`
    /// exactly the length of the incomplete character being held.
    fn feed(&mut self, input: &[u8], last: bool, out: &mut DecodedText) {
        let start = self.consumed;
        let mut read_total = 0;
        loop {
            let rest = &input[read_total..];
            // Grown once to what the stream's reads need (a client saying
            // "hello" keeps a small one), at most SCRATCH.
            let want = rest.len().saturating_mul(3).saturating_add(16).clamp(64, SCRATCH);
            if self.scratch.len() < want {
                let grow = want - self.scratch.len();
                self.scratch.extend(std::iter::repeat_n('\0', grow));
            }
            let (result, read, written) =
                self.decoder.decode_to_str_without_replacement(rest, self.scratch.as_mut_str(), last);
            out.text.push_str(self.scratch.get(..written).unwrap_or_default());
            read_total += read;
            match result {
                DecoderResult::InputEmpty => break,
                // The scratch is full: copied out above, go on.
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(bad, after) => {
                    let pos = start + read_total as u64;
                    let end = pos.saturating_sub(u64::from(after));
                    let begin = end.saturating_sub(u64::from(bad));
                    for p in begin..end {
                        out.push_invalid(self.byte_at(p, start, input));
                    }
                    self.decided = self.decided.max(end);
                }
            }
        }
        self.consumed = start + read_total as u64;
        self.remember(input);
        if !last && self.decoder.latin1_byte_compatible_up_to(&[]).is_some() {
            // Neutral state: nothing is held.
            self.decided = self.consumed;
        }
    }

    /// The stream byte at position `pos`, which is either in `input` (whose
    /// first byte is at stream position `input_start`) or among the remembered
    /// bytes just before it.
    fn byte_at(&self, pos: u64, input_start: u64, input: &[u8]) -> u8 {
        if pos >= input_start {
            usize::try_from(pos - input_start).ok().and_then(|i| input.get(i)).copied().unwrap_or(0)
        } else {
            usize::try_from(input_start - pos)
                .ok()
                .filter(|&back| back <= self.recent_len)
                .map_or(0, |back| self.recent[RECENT - back])
        }
    }

    /// Appends `input` to the remembered tail of the stream.
    fn remember(&mut self, input: &[u8]) {
        if input.len() >= RECENT {
            self.recent.copy_from_slice(&input[input.len() - RECENT..]);
            self.recent_len = RECENT;
        } else {
            let n = input.len();
            self.recent.copy_within(n.., 0);
            self.recent[RECENT - n..].copy_from_slice(input);
            self.recent_len = (self.recent_len + n).min(RECENT);
        }
    }
}

#[cfg(test)]
#[path = "charset_tests.rs"]
mod tests;
