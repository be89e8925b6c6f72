//! What a connection (or UDP socket) received that no expect has matched
//! yet, and finding an expected arrival in it: bytes, or a regex over the
//! bytes decoded in a charset. A match takes what arrived up to its end, so
//! the next expect looks only at what came after.

use std::ops::Range;

use encoding_rs::CoderResult;

use crate::codec::{Captures, Charset};

/// The most unmatched bytes kept; beyond it the oldest go,
/// so a peer that floods a script waiting for something cannot fill memory.
pub const MAX_INBOX: usize = 1024 * 1024;

/// Received bytes not yet matched.
#[derive(Clone, Debug, Default)]
pub struct Inbox {
    bytes: Vec<u8>,
}

/// A match: where it ends in the inbox, and what it gives the steps after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The bytes of the inbox up to the end of the match (taken by [`Inbox::take`]).
    pub end: usize,
    /// The match's groups and bytes.
    pub captures: Captures,
}

impl Inbox {
    /// Appends what arrived.
    pub fn push(&mut self, data: &[u8]) {
        self.bytes.extend_from_slice(data);
        if self.bytes.len() > MAX_INBOX {
            let excess = self.bytes.len() - MAX_INBOX;
            self.bytes.drain(..excess);
        }
    }

    /// The unmatched bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Removes the bytes up to `end` (the end of a match).
    pub fn take(&mut self, end: usize) {
        self.bytes.drain(..end.min(self.bytes.len()));
    }

    /// The first place `needle` appears; `${0}` is it decoded in `charset`
    /// and `${rx}` its bytes.
    pub fn find_bytes(&self, needle: &[u8], charset: Charset) -> Option<Found> {
        let start = memchr::memmem::find(&self.bytes, needle)?;
        let range = start..start + needle.len();
        let text = charset.decode_all(&self.bytes[range.clone()]).text;
        Some(Found {
            end: range.end,
            captures: Captures { rx: needle.to_vec(), groups: vec![Some(text)], ..Captures::default() },
        })
    }

    /// The first match of `regex` in the bytes decoded in `charset` (invalid
    /// bytes as U+FFFD); `${rx}` is the bytes the match was decoded from.
    pub fn find_regex(&self, regex: &regex::Regex, charset: Charset) -> Option<Found> {
        let decoded = Decoded::new(&self.bytes, charset);
        let captures = regex.captures(&decoded.text)?;
        let whole = captures.get(0)?;
        let bytes = decoded.byte_range(whole.range());
        let rx = self.bytes[bytes.clone()].to_vec();
        Some(Found { end: bytes.end, captures: Captures::from_regex(regex, &captures, rx) })
    }
}

/// Bytes decoded into text, with where in the bytes each piece of text came from.
struct Decoded {
    text: String,
    /// For each char boundary of `text` reached after a byte: (text length, bytes read).
    ends: Vec<(usize, usize)>,
}

impl Decoded {
    fn new(bytes: &[u8], charset: Charset) -> Self {
        let mut decoder = charset.encoding().new_decoder_without_bom_handling();
        let mut text = String::with_capacity(bytes.len() + 16);
        let mut ends = vec![(0, 0)];
        // One byte at a time, so every character's last byte is known.
        for (i, byte) in bytes.iter().enumerate() {
            let mut input = std::slice::from_ref(byte);
            loop {
                text.reserve(16);
                let (result, read, _) = decoder.decode_to_string(input, &mut text, false);
                input = &input[read..];
                if result == CoderResult::InputEmpty {
                    break;
                }
            }
            if ends.last().is_some_and(|&(len, _)| len < text.len()) {
                ends.push((text.len(), i + 1));
            }
        }
        // Not flushed: the bytes of a character cut at the end wait for the
        // rest of it, rather than matching as U+FFFD.
        Decoded { text, ends }
    }

    /// The bytes that decoded to `text[range]`: from the last byte boundary
    /// at or before its start to the first at or after its end.
    fn byte_range(&self, range: Range<usize>) -> Range<usize> {
        let start = self.ends.iter().rev().find(|&&(len, _)| len <= range.start).map_or(0, |&(_, b)| b);
        let end = self
            .ends
            .iter()
            .find(|&&(len, _)| len >= range.end)
            .map_or_else(|| self.ends.last().map_or(0, |e| e.1), |&(_, b)| b);
        start..end.max(start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HELLO_GBK: &[u8] = &[0xc4, 0xe3, 0xba, 0xc3]; // 你好

    #[test]
    fn bytes_are_found_across_pushes_and_taken_up_to_the_match() {
        let mut inbox = Inbox::default();
        inbox.push(b"xx");
        inbox.push(&HELLO_GBK[..1]);
        assert_eq!(inbox.find_bytes(HELLO_GBK, Charset::Gbk), None);
        inbox.push(&HELLO_GBK[1..]);
        inbox.push(b"rest");
        let found = inbox.find_bytes(HELLO_GBK, Charset::Gbk).expect("found");
        assert_eq!(found.end, 6);
        assert_eq!(found.captures.groups, vec![Some("你好".to_owned())]);
        assert_eq!(found.captures.rx, HELLO_GBK);
        inbox.take(found.end);
        assert_eq!(inbox.bytes(), b"rest");
        assert_eq!(inbox.find_bytes(HELLO_GBK, Charset::Gbk), None, "a match counts once");
    }

    #[test]
    fn a_regex_matches_decoded_text_and_takes_the_right_bytes() {
        let mut inbox = Inbox::default();
        inbox.push(&[0xff]);
        inbox.push(&Charset::Gbk.encode("温度=23.5℃ 湿度=40%").expect("gbk"));
        let regex = regex::Regex::new(r"温度=(?<t>[0-9.]+)℃").expect("regex");
        let found = inbox.find_regex(&regex, Charset::Gbk).expect("matches");
        assert_eq!(found.captures.groups[1].as_deref(), Some("23.5"));
        assert_eq!(found.captures.named.get("t").map(String::as_str), Some("23.5"));
        assert_eq!(found.captures.rx, Charset::Gbk.encode("温度=23.5℃").expect("gbk"));
        inbox.take(found.end);
        assert_eq!(inbox.bytes(), Charset::Gbk.encode(" 湿度=40%").expect("gbk"));
    }

    #[test]
    fn a_character_split_at_the_end_is_not_matched_early() {
        let mut inbox = Inbox::default();
        inbox.push(&HELLO_GBK[..3]);
        let regex = regex::Regex::new("你好").expect("regex");
        assert_eq!(inbox.find_regex(&regex, Charset::Gbk), None);
        inbox.push(&HELLO_GBK[3..]);
        assert_eq!(inbox.find_regex(&regex, Charset::Gbk).map(|f| f.end), Some(4));
        let any = regex::Regex::new(".*").expect("regex");
        assert_eq!(Inbox::default().find_regex(&any, Charset::Utf8).map(|f| f.end), Some(0));
    }

    #[test]
    fn a_flood_keeps_the_latest_bytes() {
        let mut inbox = Inbox::default();
        inbox.push(&vec![b'a'; MAX_INBOX]);
        inbox.push(b"end");
        assert_eq!(inbox.bytes().len(), MAX_INBOX);
        assert!(inbox.bytes().ends_with(b"aend"));
    }
}
