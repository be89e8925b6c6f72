//! Tests of the send-box escapes: the documented examples, every error with
//! its exact position and message, and properties (plain text equals the
//! charset's encoding, `\xNN` round-trips any bytes, nothing panics).

use super::*;
use proptest::prelude::*;

fn enc(text: &str, charset: Charset) -> Result<Vec<u8>, EscapeError> {
    encode_with_escapes(text, charset)
}

/// Every byte of `bytes` written as a `\xNN` escape, alternating digit case.
fn escape_bytes(bytes: &[u8]) -> String {
    bytes
        .iter()
        .enumerate()
        .map(|(i, b)| if i % 2 == 0 { format!("\\x{b:02X}") } else { format!("\\x{b:02x}") })
        .collect()
}

#[test]
fn simple_escapes() {
    let table: [(&str, &[u8]); 12] = [
        (r"AT\r\n", &[0x41, 0x54, 0x0D, 0x0A]),
        (r"\x00\xFF", &[0x00, 0xFF]),
        (r"\xab\xAB\xaB", &[0xAB, 0xAB, 0xAB]),
        (r"a\tb", &[0x61, 0x09, 0x62]),
        (r"\\", &[0x5C]),
        (r"\\x41", &[0x5C, 0x78, 0x34, 0x31]),
        (r"\\\\", &[0x5C, 0x5C]),
        (r"\0", &[0x00]),
        (r"\012", &[0x00, 0x31, 0x32]),
        (r"\x414", &[0x41, 0x34]),
        ("", &[]),
        ("plain", b"plain"),
    ];
    for (text, want) in table {
        assert_eq!(enc(text, Charset::Utf8).as_deref(), Ok(want), "{text:?}");
        assert_eq!(enc(text, Charset::Gbk).as_deref(), Ok(want), "{text:?}");
    }
}

#[test]
fn literal_text_is_encoded_in_the_charset() {
    assert_eq!(enc(r"你好\r\n", Charset::Gbk), Ok(vec![0xC4, 0xE3, 0xBA, 0xC3, 0x0D, 0x0A]));
    assert_eq!(enc(r"你好\r\n", Charset::Utf8), Ok(vec![0xE4, 0xBD, 0xA0, 0xE5, 0xA5, 0xBD, 0x0D, 0x0A]));
    assert_eq!(enc(r"你\x00好", Charset::Gbk), Ok(vec![0xC4, 0xE3, 0x00, 0xBA, 0xC3]));
    // \xNN is a raw byte, never encoded: \xC4\xE3 is 你 in GBK, two bytes in any charset.
    assert_eq!(enc(r"\xC4\xE3", Charset::Utf8), Ok(vec![0xC4, 0xE3]));
    assert_eq!(enc(r"\xE9", Charset::Windows1252), Ok(vec![0xE9]));
}

#[test]
fn unicode_escapes_are_encoded_in_the_charset() {
    assert_eq!(enc(r"\u4F60", Charset::Gbk), Ok(vec![0xC4, 0xE3]));
    assert_eq!(enc(r"\u4f60\u597D", Charset::Gbk), Ok(vec![0xC4, 0xE3, 0xBA, 0xC3]));
    assert_eq!(enc(r"\u4F60", Charset::Utf8), Ok(vec![0xE4, 0xBD, 0xA0]));
    assert_eq!(enc(r"\u0041BC", Charset::Utf8), Ok(b"ABC".to_vec()));
    assert_eq!(enc(r"\u00E9", Charset::Windows1252), Ok(vec![0xE9]));
    assert_eq!(enc(r"\u00E9", Charset::Utf8), Ok(vec![0xC3, 0xA9]));
    assert_eq!(enc(r"\u{1F600}", Charset::Utf8), Ok(vec![0xF0, 0x9F, 0x98, 0x80]));
    assert_eq!(enc(r"\u{1f600}!", Charset::Utf8), Ok(vec![0xF0, 0x9F, 0x98, 0x80, 0x21]));
    assert_eq!(enc(r"\u{41}", Charset::Gbk), Ok(vec![0x41]));
    assert_eq!(enc(r"\u{004F60}", Charset::Gbk), Ok(vec![0xC4, 0xE3]));
    assert_eq!(enc(r"\u{10FFFF}", Charset::Utf8), Ok(vec![0xF4, 0x8F, 0xBF, 0xBF]));
    // GB18030 has four-byte codes for everything.
    assert_eq!(enc(r"\u{1F600}", Charset::Gb18030), Ok(vec![0x94, 0x39, 0xFC, 0x36]));
}

#[test]
fn unencodable_escape_names_the_escape() {
    let err = enc(r"\u{1F600}", Charset::Gbk).unwrap_err();
    assert_eq!(
        err,
        EscapeError::Unencodable {
            pos: 1,
            escape: Some(r"\u{1F600}".into()),
            error: EncodeError { ch: '😀', code: 0x1F600, index: 0, charset: "GBK" },
        }
    );
    assert_eq!(err.to_string(), r"'\u{1F600}' (U+1F600) at position 1 cannot be encoded in GBK");
    assert_eq!(err.pos(), 1);

    let err = enc(r"ok\r\n\u4F60", Charset::Windows1252).unwrap_err();
    assert_eq!(
        err,
        EscapeError::Unencodable {
            pos: 7,
            escape: Some(r"\u4F60".into()),
            error: EncodeError { ch: '你', code: 0x4F60, index: 6, charset: "Windows-1252" },
        }
    );
}

#[test]
fn unencodable_literal_has_its_position_in_the_whole_text() {
    let literal = |pos: usize, ch: char, charset: Charset| EscapeError::Unencodable {
        pos,
        escape: None,
        error: EncodeError { ch, code: u32::from(ch), index: pos - 1, charset: charset.label() },
    };
    let table = [
        ("😀", Charset::Gbk, literal(1, '😀', Charset::Gbk)),
        ("ok😀", Charset::Gbk, literal(3, '😀', Charset::Gbk)),
        // After escapes: \ r \ n are four characters.
        (r"\r\n😀", Charset::Gbk, literal(5, '😀', Charset::Gbk)),
        (r"你\x41好😀", Charset::Gbk, literal(7, '😀', Charset::Gbk)),
        (r"你\u597D好😀", Charset::Gbk, literal(9, '😀', Charset::Gbk)),
        (r"a\\b你", Charset::Windows1252, literal(5, '你', Charset::Windows1252)),
        (r"\u{41}\u{42}x你", Charset::Windows1252, literal(14, '你', Charset::Windows1252)),
    ];
    for (text, charset, want) in table {
        assert_eq!(enc(text, charset), Err(want), "{text:?}");
    }
    assert_eq!(
        enc("ok😀", Charset::Gbk).unwrap_err().to_string(),
        "'😀' (U+1F600) at position 3 cannot be encoded in GBK"
    );
}

#[test]
fn bad_escapes_with_exact_positions() {
    let unknown = |escape: &str, pos| EscapeError::Unknown { escape: escape.into(), pos };
    let hex = |escape: &str, pos| EscapeError::BadHex { escape: escape.into(), pos };
    let uni = |escape: &str, pos| EscapeError::BadUnicode { escape: escape.into(), pos };
    let not_char = |escape: &str, code, pos| EscapeError::NotAChar { escape: escape.into(), code, pos };
    let table = [
        (r"abcd\q", unknown(r"\q", 5)),
        (r"\q", unknown(r"\q", 1)),
        ("\\", unknown("\\", 1)),
        (r"AT\r\n\", unknown("\\", 7)),
        (r"你好\", unknown("\\", 3)),
        (r"\R", unknown(r"\R", 1)),
        (r"\X41", unknown(r"\X", 1)),
        (r"\U4F60", unknown(r"\U", 1)),
        (r"\a", unknown(r"\a", 1)),
        ("\\ ", unknown("\\ ", 1)),
        ("\\\n", unknown("\\\n", 1)),
        (r"你\好", unknown(r"\好", 2)),
        (r"\\\q", unknown(r"\q", 3)),
        (r"\x4", hex(r"\x4", 1)),
        (r"\xZZ", hex(r"\xZZ", 1)),
        (r"\x", hex(r"\x", 1)),
        (r"ab\x4 cd", hex(r"\x4", 3)),
        (r"\x4\n", hex(r"\x4", 1)),
        (r"你好\xG1", hex(r"\xG1", 3)),
        (r"\x0\x00", hex(r"\x0", 1)),
        (r"\x00\x", hex(r"\x", 5)),
        (r"\u12", uni(r"\u12", 1)),
        (r"\u", uni(r"\u", 1)),
        (r"\u12 34", uni(r"\u12", 1)),
        (r"\u12\n", uni(r"\u12", 1)),
        (r"\u4F6", uni(r"\u4F6", 1)),
        (r"\uZZZZZ", uni(r"\uZZZZ", 1)),
        (r"x\u{}", uni(r"\u{}", 2)),
        (r"\u{", uni(r"\u{", 1)),
        (r"\u{12", uni(r"\u{12", 1)),
        (r"\u{1234567}", uni(r"\u{1234567}", 1)),
        (r"\u{12 }", uni(r"\u{12", 1)),
        (r"\u{zz}", uni(r"\u{zz}", 1)),
        (r"\u{123456789abcdef}", uni(r"\u{1234567", 1)),
        (r"\uD800", not_char(r"\uD800", 0xD800, 1)),
        (r"ab\uDFFF", not_char(r"\uDFFF", 0xDFFF, 3)),
        (r"\u{D83D}", not_char(r"\u{D83D}", 0xD83D, 1)),
        (r"\u{110000}", not_char(r"\u{110000}", 0x11_0000, 1)),
        (r"\u{FFFFFF}", not_char(r"\u{FFFFFF}", 0xFF_FFFF, 1)),
    ];
    for (text, want) in table {
        assert_eq!(enc(text, Charset::Utf8), Err(want.clone()), "{text:?}");
        assert_eq!(enc(text, Charset::Gbk), Err(want), "{text:?}");
    }
}

#[test]
fn first_error_wins() {
    // An unencodable character before a bad escape is reported first, and the other way round.
    assert_eq!(enc(r"😀\q", Charset::Gbk).unwrap_err().pos(), 1);
    assert_eq!(enc(r"\q😀", Charset::Gbk).unwrap_err().pos(), 1);
    assert_eq!(enc(r"a\q😀", Charset::Gbk), Err(EscapeError::Unknown { escape: r"\q".into(), pos: 2 }));
}

#[test]
fn error_messages() {
    let msg = |text: &str| enc(text, Charset::Utf8).unwrap_err().to_string();
    assert_eq!(msg(r"abcd\q"), r"invalid escape '\q' at position 5: use \r \n \t \\ \0 \xNN or \uXXXX");
    assert_eq!(msg(r"AT\"), r"invalid escape '\' at position 3: use \r \n \t \\ \0 \xNN or \uXXXX");
    assert_eq!(msg(r"\x4"), r"invalid escape '\x4' at position 1: \x needs exactly two hex digits, e.g. \x0D");
    assert_eq!(
        msg(r"\u12"),
        r"invalid escape '\u12' at position 1: \u needs four hex digits (\u4F60) or 1 to 6 in braces (\u{1F600})"
    );
    assert_eq!(
        msg(r"\uD83D"),
        concat!(
            r"invalid escape '\uD83D' at position 1: U+D83D is a surrogate or above U+10FFFF, not a character; ",
            r"write characters beyond U+FFFF whole, e.g. \u{1F600}"
        )
    );
}

#[test]
fn line_endings() {
    assert_eq!(LineEnding::ALL, [LineEnding::None, LineEnding::CrLf, LineEnding::Lf, LineEnding::Cr]);
    assert_eq!(LineEnding::ALL.map(LineEnding::bytes), [&b""[..], b"\r\n", b"\n", b"\r"]);
    assert_eq!(LineEnding::ALL.map(LineEnding::label), ["none", "\\r\\n", "\\n", "\\r"]);
    // Each label other than "none", typed into the send box, gives the ending's bytes.
    for ending in &LineEnding::ALL[1..] {
        assert_eq!(enc(ending.label(), Charset::Gbk).as_deref(), Ok(ending.bytes()));
    }
}

/// One piece of send-box text and the bytes it stands for (in GBK and UTF-8 alike).
fn token() -> impl Strategy<Value = (String, Vec<u8>)> {
    prop_oneof![
        "[a-zA-Z0-9 ,.:;!?{}]{1,6}".prop_map(|s| (s.clone(), s.into_bytes())),
        any::<u8>().prop_map(|b| (format!("\\x{b:02x}"), vec![b])),
        prop::sample::select(vec![("\\r", 0x0D), ("\\n", 0x0A), ("\\t", 0x09), ("\\\\", 0x5C), ("\\0", 0x00)])
            .prop_map(|(s, b)| (s.to_owned(), vec![b])),
        (0x20u32..0x7F).prop_map(|c| (format!("\\u{c:04X}"), vec![c as u8])),
        (0x20u32..0x7F).prop_map(|c| (format!("\\u{{{c:x}}}"), vec![c as u8])),
    ]
}

proptest! {
    #[test]
    fn text_without_backslashes_is_just_encoded(text in "[^\\\\]{0,40}") {
        for charset in [Charset::Utf8, Charset::Gbk] {
            let want = charset.encode(&text).map_err(|error| EscapeError::Unencodable {
                pos: error.index + 1,
                escape: None,
                error,
            });
            prop_assert_eq!(encode_with_escapes(&text, charset), want);
        }
    }

    #[test]
    fn hex_escapes_round_trip_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..100)) {
        let text = escape_bytes(&bytes);
        prop_assert_eq!(encode_with_escapes(&text, Charset::Utf8), Ok(bytes.clone()));
        prop_assert_eq!(encode_with_escapes(&text, Charset::Gbk), Ok(bytes));
    }

    #[test]
    fn concatenated_tokens_give_concatenated_bytes(tokens in proptest::collection::vec(token(), 0..12)) {
        let text: String = tokens.iter().map(|(s, _)| s.as_str()).collect();
        let want: Vec<u8> = tokens.iter().flat_map(|(_, b)| b.iter().copied()).collect();
        prop_assert_eq!(encode_with_escapes(&text, Charset::Utf8), Ok(want.clone()));
        prop_assert_eq!(encode_with_escapes(&text, Charset::Gbk), Ok(want));
    }

    #[test]
    fn never_panics_and_errors_point_at_the_culprit(
        text in "(\\PC|\\\\|\\\\[xu{}0-9a-fA-FrntqD]){0,30}",
        charset in prop::sample::select(Charset::ALL.to_vec()),
    ) {
        let chars: Vec<char> = text.chars().collect();
        let at = |pos: usize| chars.get(pos.wrapping_sub(1)..).map(|rest| rest.iter().collect::<String>());
        match encode_with_escapes(&text, charset) {
            Ok(_) => {}
            Err(EscapeError::Unencodable { pos, escape: None, error }) => {
                prop_assert_eq!(chars.get(pos - 1), Some(&error.ch));
                prop_assert_eq!(error.index, pos - 1);
            }
            Err(EscapeError::Unencodable { pos, escape: Some(escape), error }) => {
                prop_assert!(at(pos).is_some_and(|rest| rest.starts_with(&escape)));
                prop_assert!(escape.starts_with("\\u"));
                prop_assert_eq!(error.index, pos - 1);
            }
            Err(
                EscapeError::Unknown { escape, pos }
                | EscapeError::BadHex { escape, pos }
                | EscapeError::BadUnicode { escape, pos }
                | EscapeError::NotAChar { escape, pos, .. },
            ) => {
                prop_assert!(escape.starts_with('\\'));
                prop_assert!(at(pos).is_some_and(|rest| rest.starts_with(&escape)), "{escape:?} at {pos}");
            }
        }
    }

    #[test]
    fn arbitrary_strings_never_panic(text in "\\PC*") {
        for charset in Charset::ALL {
            let _ = encode_with_escapes(&text, charset);
        }
    }
}
