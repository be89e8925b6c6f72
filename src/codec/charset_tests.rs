//! Tests of the charsets: the tutorial strings split at every boundary,
//! streaming equals whole decoding (proptest), strict encoding.

use super::*;
use proptest::prelude::*;

const HELLO: &str = "你好服务器,我是客户端";
const HELLO_GBK: [u8; 21] = [
    0xc4, 0xe3, 0xba, 0xc3, 0xb7, 0xfe, 0xce, 0xf1, 0xc6, 0xf7, 0x2c, 0xce, 0xd2, 0xca, 0xc7, 0xbf, 0xcd, 0xbb, 0xa7,
    0xb6, 0xcb,
];
const REPLY: &str = "我是服务器,我已经收到了你的信息!";
const REPLY_GBK: [u8; 32] = [
    0xce, 0xd2, 0xca, 0xc7, 0xb7, 0xfe, 0xce, 0xf1, 0xc6, 0xf7, 0x2c, 0xce, 0xd2, 0xd2, 0xd1, 0xbe, 0xad, 0xca, 0xd5,
    0xb5, 0xbd, 0xc1, 0xcb, 0xc4, 0xe3, 0xb5, 0xc4, 0xd0, 0xc5, 0xcf, 0xa2, 0x21,
];
const CLIENT_REPLY: &str = "我是客户端,我已经收到了你的消息!";

fn decode_chunks(charset: Charset, chunks: &[&[u8]]) -> DecodedText {
    let mut dec = StreamDecoder::new(charset);
    let mut out = DecodedText::default();
    for chunk in chunks {
        dec.decode(chunk, &mut out);
    }
    dec.finish(&mut out);
    out
}

/// Reference rendering for UTF-8 built on std's `Utf8Chunks`, which splits
/// invalid input the same (WHATWG "maximal subpart") way.
fn utf8_reference(bytes: &[u8]) -> DecodedText {
    let mut out = DecodedText::default();
    for chunk in bytes.utf8_chunks() {
        out.text.push_str(chunk.valid());
        for &b in chunk.invalid() {
            out.push_invalid(b);
        }
    }
    out
}

fn assert_markers_well_formed(d: &DecodedText) {
    let mut prev_end = 0;
    for r in &d.invalid {
        assert!(r.start >= prev_end && r.start < r.end && r.end <= d.text.len());
        assert_eq!((r.end - r.start) % 4, 0);
        for m in d.text[r.clone()].as_bytes().chunks(4) {
            assert_eq!(&m[..2], b"\\x");
            assert!(m[2..].iter().all(|c| matches!(c, b'0'..=b'9' | b'A'..=b'F')));
        }
        prev_end = r.end;
    }
}

/// Every split of `bytes` (a valid encoding of `text`) into two and three
/// chunks decodes to `text` with no markers.
fn check_every_split(charset: Charset, text: &str, bytes: &[u8]) {
    let n = bytes.len();
    for k in 0..=n {
        let mut dec = StreamDecoder::new(charset);
        let mut out = DecodedText::default();
        dec.decode(&bytes[..k], &mut out);
        let first = out.text.clone();
        // The first chunk's output is exactly the characters that are complete in it.
        let (boundary, _) = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .map(|i| (i, charset.encode(&text[..i]).map_or(0, |b| b.len())))
            .rfind(|&(_, len)| len <= k)
            .unwrap_or((0, 0));
        assert_eq!(first, text[..boundary], "{charset:?} split at {k}");
        let complete_bytes = charset.encode(&text[..boundary]).unwrap().len();
        assert_eq!(dec.pending(), k - complete_bytes, "{charset:?} split at {k}");
        dec.decode(&bytes[k..], &mut out);
        assert_eq!(dec.pending(), 0);
        dec.finish(&mut out);
        assert_eq!(out.text, text);
        assert!(out.invalid.is_empty());
    }
    for i in 0..=n {
        for j in i..=n {
            let out = decode_chunks(charset, &[&bytes[..i], &bytes[i..j], &bytes[j..]]);
            assert_eq!(out.text, text, "{charset:?} split at {i},{j}");
            assert!(out.invalid.is_empty());
        }
    }
}

#[test]
fn tutorial_strings_in_gbk() {
    assert_eq!(Charset::Gbk.encode(HELLO).unwrap(), HELLO_GBK);
    assert_eq!(Charset::Gbk.encode(REPLY).unwrap(), REPLY_GBK);
    let client = Charset::Gbk.encode(CLIENT_REPLY).unwrap();
    assert_eq!(client.len(), 32);
    for (text, bytes) in [(HELLO, &HELLO_GBK[..]), (REPLY, &REPLY_GBK[..]), (CLIENT_REPLY, &client)] {
        let all = Charset::Gbk.decode_all(bytes);
        assert_eq!(all.text, text);
        assert!(all.invalid.is_empty());
        assert_eq!(Charset::Gb18030.decode_all(bytes).text, text);
        check_every_split(Charset::Gbk, text, bytes);
    }
}

#[test]
fn split_inside_gbk_char_holds_one_byte() {
    // Split between c4 and e3 ('你').
    let mut dec = StreamDecoder::new(Charset::Gbk);
    let mut out = DecodedText::default();
    dec.decode(&HELLO_GBK[..1], &mut out);
    assert_eq!(out.text, "");
    assert_eq!(dec.pending(), 1);
    dec.decode(&HELLO_GBK[1..3], &mut out);
    assert_eq!(out.text, "你");
    assert_eq!(dec.pending(), 1);
    dec.decode(&HELLO_GBK[3..], &mut out);
    assert_eq!(out.text, HELLO);
    assert_eq!(dec.pending(), 0);
}

#[test]
fn utf8_every_split() {
    let text = "aé你好😀z€";
    check_every_split(Charset::Utf8, text, text.as_bytes());
    check_every_split(Charset::Gb18030, text, &Charset::Gb18030.encode(text).unwrap());
    let mut dec = StreamDecoder::new(Charset::Utf8);
    let mut out = DecodedText::default();
    dec.decode(&"😀".as_bytes()[..3], &mut out);
    assert_eq!(dec.pending(), 3);
    assert_eq!(out.text, "");
}

#[test]
fn other_charsets_every_split() {
    for (charset, text) in [
        (Charset::Big5, "中文繁體,測試!"),
        (Charset::ShiftJis, "日本語テキスト、ｶﾀｶﾅ!"),
        (Charset::EucKr, "한국어 텍스트!"),
        (Charset::Windows1252, "café €5 naïve"),
    ] {
        let bytes = charset.encode(text).unwrap();
        assert_ne!(bytes, text.as_bytes());
        check_every_split(charset, text, &bytes);
    }
}

#[test]
fn utf8_view_of_gbk_bytes() {
    let out = Charset::Utf8.decode_all(&REPLY_GBK);
    assert!(out.text.contains("\\x"));
    assert!(!out.invalid.is_empty());
    assert_markers_well_formed(&out);
    assert!(out.text.contains(','));
    assert!(out.text.ends_with('!'));
    // Every byte >= 0x80 is shown: as a marker, or (by chance, e.g. C7 B7
    // is valid UTF-8 for 'Ƿ') as part of a valid character.
    let high = REPLY_GBK.iter().filter(|&&b| b >= 0x80).count();
    let marked: usize = out.invalid.iter().map(|r| r.len() / 4).sum();
    let by_chance: usize = out.text.chars().filter(|c| !c.is_ascii()).map(char::len_utf8).sum();
    assert_eq!(marked + by_chance, high);
    assert!(out.text.starts_with("\\xCE\\xD2\\xCAǷ\\xFE"));
    assert_eq!(out, utf8_reference(&REPLY_GBK));
}

#[test]
fn invalid_bytes_are_rendered_and_merged() {
    let out = Charset::Utf8.decode_all(b"a\xff\xfeb\x80");
    assert_eq!(out.text, "a\\xFF\\xFEb\\x80");
    assert_eq!(out.invalid, vec![1..9, 10..14]);
    // Truncated sequence at the end of the stream comes out on finish.
    let mut dec = StreamDecoder::new(Charset::Utf8);
    let mut out = DecodedText::default();
    dec.decode(b"ok\xe4\xbd", &mut out);
    assert_eq!(out.text, "ok");
    assert_eq!(dec.pending(), 2);
    dec.finish(&mut out);
    assert_eq!(out.text, "ok\\xE4\\xBD");
    assert_eq!(out.invalid, vec![2..10]);
    assert_eq!(dec.pending(), 0);
    // After finish the decoder starts a fresh stream.
    dec.decode("好".as_bytes(), &mut out);
    assert_eq!(out.text, "ok\\xE4\\xBD好");
    // A lone GBK lead byte followed by ASCII: the lead byte is invalid, the ASCII kept.
    let out = Charset::Gbk.decode_all(b"\xc4 \xc4");
    assert_eq!(out.text, "\\xC4 \\xC4");
    assert_eq!(out.invalid, vec![0..4, 5..9]);
}

#[test]
fn gb18030_malformed_with_bytes_consumed_after() {
    // 81 30 is the start of a four-byte sequence; a bad third byte yields
    // Malformed(1, 1), a bad fourth byte Malformed(1, 2): the bytes after
    // the bad lead must come out normally, not be lost or duplicated.
    for charset in [Charset::Gbk, Charset::Gb18030] {
        let han = charset.decode_all(b"\x81A").text;
        assert_eq!(han.chars().count(), 1);
        let with_han = format!("\\x810{han}");
        let cases: [(&[u8], &str); 6] = [
            (b"\x81\x30A", "\\x810A"),
            (b"\x81\x30\x81A", &with_han),
            (b"\x81\x30\x81\x7f", "\\x810\\x81\x7f"),
            (b"\x81\x30\x81\xff", "\\x810\\x81\\xFF"),
            // At the end of the stream a held partial sequence is one
            // error (WHATWG), so its ASCII digit is shown as a marker too.
            (b"\x81\x30\x81", "\\x81\\x30\\x81"),
            (b"\x81\x30", "\\x81\\x30"),
        ];
        for (bytes, want) in cases {
            let all = charset.decode_all(bytes);
            assert_eq!(all.text, want, "{bytes:02X?}");
            assert_markers_well_formed(&all);
            for k in 0..=bytes.len() {
                assert_eq!(decode_chunks(charset, &[&bytes[..k], &bytes[k..]]), all);
            }
            let singles: Vec<&[u8]> = bytes.chunks(1).collect();
            assert_eq!(decode_chunks(charset, &singles), all);
        }
    }
    // Pending counts a held partial four-byte sequence exactly.
    let mut dec = StreamDecoder::new(Charset::Gb18030);
    let mut out = DecodedText::default();
    dec.decode(b"\x81\x81\x30\x81", &mut out);
    assert_eq!(dec.pending(), 1);
    let mut dec = StreamDecoder::new(Charset::Gb18030);
    dec.decode(b"\x41\x81\x30\x81", &mut out);
    assert_eq!(dec.pending(), 3);
    dec.decode(b"\x30", &mut out);
    assert_eq!(dec.pending(), 0);
}

#[test]
fn large_chunks_are_split_correctly() {
    // Bigger than PIECE, with malformed and split sequences everywhere.
    let mut state = 0x1234_5678_u32;
    let mut noise = Vec::new();
    let sample = "你好,world! é😀".as_bytes();
    for _ in 0..60_000 {
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let r = (state >> 24) as usize;
        if r < 200 {
            noise.push(sample[r % sample.len()]);
        } else {
            noise.push(r as u8);
        }
    }
    for charset in Charset::ALL {
        let all = charset.decode_all(&noise);
        assert_markers_well_formed(&all);
        for size in [1, 7, 1400, PIECE - 1, PIECE + 3, 50_000] {
            let chunks: Vec<&[u8]> = noise.chunks(size).collect();
            assert_eq!(decode_chunks(charset, &chunks), all, "{charset:?} {size}");
        }
    }
    assert_eq!(Charset::Utf8.decode_all(&noise), utf8_reference(&noise));
}

#[test]
fn no_bom_sniffing() {
    let out = Charset::Gbk.decode_all(b"\xef\xbb\xbfA");
    assert_ne!(out.text, "A");
    let out = Charset::Utf8.decode_all(b"\xef\xbb\xbfA");
    assert_eq!(out.text, "\u{FEFF}A");
}

#[test]
fn strict_encode_errors() {
    let err = Charset::Gbk.encode("ab你😀c").unwrap_err();
    assert_eq!(err, EncodeError { ch: '😀', code: 0x1F600, index: 3, charset: "GBK" });
    assert_eq!(err.to_string(), "'😀' (U+1F600) at character 4 cannot be encoded in GBK");
    // Positions count from 1 in every message (issue 18, item 9).
    let err = Charset::Gbk.encode("ab½").unwrap_err();
    assert_eq!(err.index, 2);
    assert_eq!(err.to_string(), "'½' (U+00BD) at character 3 cannot be encoded in GBK");
    assert_eq!(Charset::Gb18030.encode("😀").unwrap(), b"\x94\x39\xfc\x36");
    let err = Charset::Windows1252.encode("x你").unwrap_err();
    assert_eq!((err.ch, err.index, err.charset), ('你', 1, "Windows-1252"));
    assert!(Charset::EucKr.encode("你好😀").is_err());
    assert_eq!(Charset::Utf8.encode("😀").unwrap(), "😀".as_bytes());
    assert_eq!(Charset::Gbk.encode("").unwrap(), b"");
    // Long input: the output buffer estimate must be enough.
    let long = HELLO.repeat(1000);
    assert_eq!(Charset::Gbk.encode(&long).unwrap(), HELLO_GBK.repeat(1000));
}

#[test]
fn from_name_table() {
    let table = [
        ("gbk", Charset::Gbk),
        ("GBK", Charset::Gbk),
        (" cp936 ", Charset::Gbk),
        ("GB2312", Charset::Gbk),
        ("936", Charset::Gbk),
        ("utf8", Charset::Utf8),
        ("UTF-8", Charset::Utf8),
        ("gb18030", Charset::Gb18030),
        ("BIG5", Charset::Big5),
        ("shift_jis", Charset::ShiftJis),
        ("Shift-JIS", Charset::ShiftJis),
        ("sjis", Charset::ShiftJis),
        ("euc-kr", Charset::EucKr),
        ("EUCKR", Charset::EucKr),
        ("windows-1252", Charset::Windows1252),
        ("cp1252", Charset::Windows1252),
        ("latin1", Charset::Windows1252),
        ("Latin-1", Charset::Windows1252),
        ("ISO-8859-1", Charset::Windows1252),
    ];
    for (name, want) in table {
        assert_eq!(Charset::from_name(name), Some(want), "{name}");
    }
    for c in Charset::ALL {
        assert_eq!(Charset::from_name(c.label()), Some(c));
        assert_eq!(Charset::from_name(&c.label().to_lowercase()), Some(c));
    }
    for bad in ["", "utf16", "utf-16le", "ascii", "gb", "x"] {
        assert_eq!(Charset::from_name(bad), None, "{bad}");
    }
}

fn any_charset() -> impl Strategy<Value = Charset> {
    proptest::sample::select(Charset::ALL.to_vec())
}

/// Bytes biased towards multi-byte lead/trail values so that splits land
/// inside characters and malformed sequences are common.
fn stream_bytes() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(
        prop_oneof![any::<u8>(), 0x81u8..=0xfe, 0x30u8..=0x39, 0x40u8..=0x7e, 0x80u8..=0xbf, 0xe0u8..=0xf4,],
        0..64,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn streaming_equals_decode_all(
        charset in any_charset(),
        bytes in stream_bytes(),
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..8),
    ) {
        let all = charset.decode_all(&bytes);
        let mut points: Vec<usize> = cuts.iter().map(|c| c.index(bytes.len() + 1)).collect();
        points.sort_unstable();
        let mut chunks = Vec::new();
        let mut prev = 0;
        for p in points {
            chunks.push(&bytes[prev..p]);
            prev = p;
        }
        chunks.push(&bytes[prev..]);
        prop_assert_eq!(&decode_chunks(charset, &chunks), &all);
        let singles: Vec<&[u8]> = bytes.chunks(1).collect();
        prop_assert_eq!(&decode_chunks(charset, &singles), &all);
        assert_markers_well_formed(&all);
    }

    #[test]
    fn nothing_dropped_compared_to_replacement_decode(
        charset in any_charset(),
        bytes in stream_bytes(),
    ) {
        let ours = charset.decode_all(&bytes);
        let (theirs, _) = charset.encoding().decode_without_bom_handling(&bytes);
        let mut stripped = String::new();
        let mut at = 0;
        for r in &ours.invalid {
            stripped.push_str(&ours.text[at..r.start]);
            at = r.end;
        }
        stripped.push_str(&ours.text[at..]);
        let theirs_stripped: String = theirs.chars().filter(|&c| c != '\u{FFFD}').collect();
        let stripped: String = stripped.chars().filter(|&c| c != '\u{FFFD}').collect();
        prop_assert_eq!(stripped, theirs_stripped);
        // Each replacement for an error is at least one marked byte
        // (U+FFFD that was validly encoded in the input is in both).
        let marked: usize = ours.invalid.iter().map(|r| r.len() / 4).sum();
        let replaced = theirs.chars().filter(|&c| c == '\u{FFFD}').count();
        let genuine = ours.text.chars().filter(|&c| c == '\u{FFFD}').count();
        prop_assert!(marked >= replaced - genuine);
    }

    #[test]
    fn finish_renders_exactly_the_pending_bytes(
        charset in any_charset(),
        bytes in stream_bytes(),
    ) {
        let mut dec = StreamDecoder::new(charset);
        let mut out = DecodedText::default();
        dec.decode(&bytes, &mut out);
        let pending = dec.pending();
        prop_assert!(pending <= 3);
        let before = out.text.len();
        dec.finish(&mut out);
        let added = out.text.len() - before;
        prop_assert_eq!(added, pending * 4);
        if pending > 0 {
            prop_assert_eq!(out.invalid.last().map(|r| r.end), Some(out.text.len()));
            prop_assert!(out.invalid.last().is_some_and(|r| r.len() >= added));
        }
        prop_assert_eq!(dec.pending(), 0);
    }

    #[test]
    fn utf8_matches_std_reference(bytes in stream_bytes()) {
        prop_assert_eq!(Charset::Utf8.decode_all(&bytes), utf8_reference(&bytes));
    }

    #[test]
    fn pending_is_incomplete_suffix_utf8(bytes in stream_bytes()) {
        // With UTF-8, pending must be the length of a trailing incomplete
        // sequence as std reports it (`error_len() == None`).
        let mut dec = StreamDecoder::new(Charset::Utf8);
        let mut out = DecodedText::default();
        dec.decode(&bytes, &mut out);
        let want = match std::str::from_utf8(&bytes) {
            Err(e) if e.error_len().is_none() => bytes.len() - e.valid_up_to(),
            _ => {
                // Find the trailing incomplete sequence after the last error.
                let last = bytes.utf8_chunks().last();
                match last {
                    Some(c) if !c.invalid().is_empty() => {
                        let tail = c.invalid();
                        match std::str::from_utf8(tail) {
                            Err(e) if e.error_len().is_none() => tail.len(),
                            _ => 0,
                        }
                    }
                    _ => 0,
                }
            }
        };
        prop_assert_eq!(dec.pending(), want);
    }

    #[test]
    fn encode_decode_round_trip(charset in any_charset(), text in "\\PC{0,20}") {
        if let Ok(bytes) = charset.encode(&text) {
            let back = charset.decode_all(&bytes);
            prop_assert!(back.invalid.is_empty());
            // Not always `text` itself: some characters are encode-only
            // aliases (Shift_JIS encodes '¥' as 0x5C, which decodes as '\\').
            prop_assert_eq!(charset.encode(&back.text), Ok(bytes));
        }
    }
}

// Default config (256 cases; `PROPTEST_CASES` raises it for a long run).
proptest! {
    #[test]
    fn streaming_decode_never_panics(
        charset in any_charset(),
        bytes in proptest::collection::vec(any::<u8>(), 0..2048),
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..16),
    ) {
        let mut points: Vec<usize> = cuts.iter().map(|c| c.index(bytes.len() + 1)).collect();
        points.sort_unstable();
        let mut dec = StreamDecoder::new(charset);
        let mut out = DecodedText::default();
        let mut prev = 0;
        for p in points.into_iter().chain([bytes.len()]) {
            dec.decode(&bytes[prev..p], &mut out);
            prop_assert!(dec.pending() <= 3);
            prev = p;
        }
        dec.finish(&mut out);
        prop_assert_eq!(dec.pending(), 0);
        for marker in &out.invalid {
            prop_assert!(marker.start < marker.end && marker.end <= out.text.len());
            prop_assert!(out.text.is_char_boundary(marker.start) && out.text.is_char_boundary(marker.end));
        }
        // Every byte is accounted for: decoding it all at once gives the same text.
        prop_assert_eq!(out, charset.decode_all(&bytes));
    }
}
