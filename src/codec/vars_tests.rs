//! Tests of variables in what is sent: each variable, positions of errors,
//! the counter, captures, and (proptest) that no input makes the parser panic.

use std::time::{Duration, SystemTime};

use super::*;
use proptest::prelude::*;

const GBK: PayloadMode = PayloadMode::Text { charset: Charset::Gbk, escapes: true };
const UTF8: PayloadMode = PayloadMode::Text { charset: Charset::Utf8, escapes: true };

/// 2026-12-04 03:36:00.250 UTC.
fn a_moment() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_millis(1_796_355_360_250)
}

fn expand(text: &str, mode: PayloadMode, vars: &mut Vars) -> Result<Vec<u8>, ExpandError> {
    Template::parse(text, mode).expect("parses").expand(vars, None, a_moment())
}

fn text(text: &str, vars: &mut Vars) -> String {
    String::from_utf8(expand(text, UTF8, vars).expect("expands")).expect("utf-8")
}

#[test]
fn text_without_variables_is_the_send_box_encoding() {
    let mut vars = Vars::default();
    assert_eq!(expand("你好\\r\\n", GBK, &mut vars), Ok(vec![0xc4, 0xe3, 0xba, 0xc3, 0x0d, 0x0a]));
    let template = Template::parse("a $ b $x {c}", UTF8).expect("parses");
    assert!(!template.has_vars());
    assert_eq!(template.expand(&mut vars, None, a_moment()), Ok(b"a $ b $x {c}".to_vec()));
    let raw = PayloadMode::Text { charset: Charset::Utf8, escapes: false };
    assert_eq!(expand("a\\n${seq}", raw, &mut vars), Ok(b"a\\n1".to_vec()));
}

#[test]
fn the_counter_counts_per_send_from_its_start_by_its_step() {
    let mut vars = Vars { counter: Counter::new(10, 5), ..Vars::default() };
    assert_eq!(text("n=${seq} again ${seq}", &mut vars), "n=10 again 10");
    assert_eq!(text("n=${seq}", &mut vars), "n=15");
    assert_eq!(text("no counter here", &mut vars), "no counter here");
    assert_eq!(vars.counter.value(), 20, "a send without ${{seq}} leaves it");
    let template = Template::parse("${seq}", UTF8).expect("parses");
    assert_eq!(template.preview(&vars, None, a_moment()), Ok(b"20".to_vec()));
    assert_eq!(template.preview(&vars, None, a_moment()), Ok(b"20".to_vec()), "the preview does not advance");
    vars.counter.reset();
    assert_eq!(text("${seq}", &mut vars), "10");
    let mut down = Vars { counter: Counter::new(i64::MIN + 1, -1), ..Vars::default() };
    assert_eq!(text("${seq}${seq}", &mut down), format!("{0}{0}", i64::MIN + 1));
    assert_eq!(text("${seq}", &mut down), i64::MIN.to_string());
    assert_eq!(text("${seq}", &mut down), i64::MAX.to_string(), "wraps");
}

#[test]
fn time_and_date() {
    let mut vars = Vars::default();
    assert_eq!(text("${unix_ms}", &mut vars), "1796355360250");
    let local = chrono::DateTime::<chrono::Local>::from(a_moment());
    assert_eq!(text("${date} ${time}", &mut vars), local.format("%Y-%m-%d %H:%M:%S%.3f").to_string());
    assert!(text("${time}", &mut vars).ends_with(":00.250"), "milliseconds shown");
}

#[test]
fn random_numbers_stay_in_range_and_the_preview_shows_the_next() {
    let mut vars = Vars::with_seed(7);
    let template = Template::parse("${rand:-3:3} ${rand_hex:6}", UTF8).expect("parses");
    for _ in 0..200 {
        let next = template.preview(&vars, None, a_moment()).expect("fills");
        let sent = template.expand(&mut vars, None, a_moment()).expect("fills");
        assert_eq!(next, sent, "the preview is what the next send is");
        let sent = String::from_utf8(sent).expect("utf-8");
        let (number, hex) = sent.split_once(' ').expect("two parts");
        assert!((-3..=3).contains(&number.parse::<i64>().expect("number")), "{sent}");
        assert!(hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase()), "{sent}");
    }
    assert_eq!(text("${rand:5:5}", &mut vars), "5");
    let all = format!("${{rand:{}:{}}}", i64::MIN, i64::MAX);
    assert!(text(&all, &mut vars).parse::<i64>().is_ok());
}

#[test]
fn hex_mode_reads_variables_as_hex_digits() {
    let mut vars = Vars::with_seed(1);
    assert_eq!(expand("01 03 00 00", PayloadMode::Hex, &mut vars), Ok(vec![1, 3, 0, 0]));
    let bytes = expand("AA ${rand_hex:4} 55", PayloadMode::Hex, &mut vars).expect("fills");
    assert_eq!((bytes.len(), bytes[0], bytes[3]), (4, 0xAA, 0x55));
    let mut vars = Vars { counter: Counter::new(12, 1), ..Vars::default() };
    assert_eq!(expand("${seq}", PayloadMode::Hex, &mut vars), Ok(vec![0x12]));
    let captures = Captures { rx: vec![0xde, 0xad], ..Captures::default() };
    let echo = Template::parse("00 ${rx} FF", PayloadMode::Hex).expect("parses");
    assert_eq!(echo.expand(&mut vars, Some(&captures), a_moment()), Ok(vec![0, 0xde, 0xad, 0xff]));
    let mut vars = Vars::default();
    let odd = expand("${rand_hex:3}", PayloadMode::Hex, &mut vars).expect_err("three digits");
    assert!(matches!(odd, ExpandError::Hex { error: HexError::OddDigit { .. }, .. }), "{odd:?}");
    assert!(odd.to_string().contains("with the variables filled in"), "{odd}");
}

#[test]
fn captures_and_user_variables_fill_a_reply() {
    let regex = regex::Regex::new(r"GET (?<path>\S+) (\d+)").expect("regex");
    let found = regex.captures("GET /index 42").expect("matches");
    let captures = Captures::from_regex(&regex, &found, "GET /index 42".as_bytes().to_vec());
    let mut vars = Vars::default();
    vars.user.insert("host".to_owned(), "设备".to_owned());
    vars.user.insert("path".to_owned(), "shadowed".to_owned());
    let template = Template::parse("${0}|${1}|${2}|${path}|${host}|${rx}", GBK).expect("parses");
    let bytes = template.expand(&mut vars, Some(&captures), a_moment()).expect("fills");
    let want = Charset::Gbk.encode("GET /index 42|/index|42|/index|设备|GET /index 42").expect("gbk");
    assert_eq!(bytes, want, "a named group comes before a user variable");
    let unset = Template::parse("x${3}", GBK).expect("parses").expand(&mut vars, Some(&captures), a_moment());
    assert_eq!(unset, Err(ExpandError::Unset { name: "3".to_owned(), pos: 2 }));
    let unset = Template::parse("${nobody}", GBK).expect("parses").expand(&mut vars, None, a_moment());
    assert_eq!(unset, Err(ExpandError::Unset { name: "nobody".to_owned(), pos: 1 }));
    assert_eq!(Template::parse("${rx}", GBK).expect("parses").expand(&mut vars, None, a_moment()), Ok(Vec::new()));
}

#[test]
fn rx_is_inserted_as_received_whatever_the_charset() {
    let captures = Captures { rx: vec![0xff, 0x00, 0xc4], ..Captures::default() };
    let mut vars = Vars::default();
    let template = Template::parse("<${rx}>", UTF8).expect("parses");
    assert_eq!(template.expand(&mut vars, Some(&captures), a_moment()), Ok(vec![b'<', 0xff, 0x00, 0xc4, b'>']));
}

#[test]
fn a_value_the_charset_lacks_is_reported_at_its_variable() {
    let mut vars = Vars::default();
    vars.user.insert("smile".to_owned(), "😀".to_owned());
    let error = expand("ab${smile}", GBK, &mut vars).expect_err("no emoji in GBK");
    assert!(matches!(error, ExpandError::Unencodable { pos: 3, .. }), "{error:?}");
    assert!(error.to_string().contains("position 3"), "{error}");
}

#[test]
fn dollar_dollar_brace_is_a_literal() {
    let mut vars = Vars::default();
    assert_eq!(text("$${seq} ${seq} $$ $", &mut vars), "${seq} 1 $$ $");
    assert_eq!(Template::parse("$${", UTF8).map(|t| t.has_vars()), Ok(false));
}

#[test]
fn syntax_errors_name_their_position() {
    let cases: &[(&str, usize)] = &[
        ("abc ${seq", 5),
        ("你好${", 3),
        ("${}", 1),
        ("x${a b}", 2),
        ("${seq:1}", 1),
        ("${rand}", 1),
        ("${rand:1}", 1),
        ("${rand:9:1}", 1),
        ("${rand:a:b}", 1),
        ("${rand_hex:0}", 1),
        ("${rand_hex:1025}", 1),
        ("${rand_hex:-1}", 1),
        ("${1000}", 1),
        ("${1:2}", 1),
        ("${9name}", 1),
        ("${time:x}", 1),
        ("ok ${seq} \\q", 11),
        ("${seq}你好\\x4", 9),
        ("😀${seq}", 1),
    ];
    for &(written, pos) in cases {
        let error = Template::parse(written, GBK).expect_err(written);
        assert_eq!(error.pos(), pos, "{written}: {error}");
        assert!(error.to_string().contains(&format!("position {pos}")), "{written}: {error}");
    }
    let error = Template::parse("01 ${seq} zz", PayloadMode::Hex).expect_err("not hex");
    assert_eq!(error, TemplateError::Hex(HexError::InvalidChar { ch: 'z', pos: 11 }));
    let error = Template::parse("01 0", PayloadMode::Hex).expect_err("odd");
    assert_eq!(error.pos(), 4);
}

#[test]
fn unicode_escapes_after_a_variable_point_at_their_backslash() {
    let error = Template::parse("${seq}\\u{110000}", GBK).expect_err("not a char");
    assert!(matches!(error, TemplateError::Escape(EscapeError::NotAChar { pos: 7, .. })), "{error:?}");
    let error = Template::parse("${seq}ab😀", GBK).expect_err("not gbk");
    let TemplateError::Escape(EscapeError::Unencodable { pos: 9, error: inner, .. }) = error else {
        panic!("{error:?}")
    };
    assert_eq!(inner.index, 8);
}

#[test]
fn names() {
    assert!(is_name("a") && is_name("_x1") && is_name("Host_2"));
    assert!(!is_name("") && !is_name("1a") && !is_name("a-b") && !is_name("名"));
}

fn any_mode() -> impl Strategy<Value = PayloadMode> {
    prop_oneof![
        Just(GBK),
        Just(UTF8),
        Just(PayloadMode::Text { charset: Charset::ShiftJis, escapes: false }),
        Just(PayloadMode::Hex),
    ]
}

proptest! {
    #[test]
    fn parsing_and_expanding_never_panic(
        written in r"(\$|\{|\}|\$\{|\\|:|seq|rand|rand_hex|rx|time|[0-9]|-|a|你|😀| ){0,40}",
        mode in any_mode(),
    ) {
        match Template::parse(&written, mode) {
            Ok(template) => {
                let mut vars = Vars::with_seed(3);
                let _ = template.preview(&vars, None, a_moment());
                let _ = template.expand(&mut vars, Some(&Captures::default()), a_moment());
            }
            Err(error) => {
                let within = (1..=written.chars().count().max(1)).contains(&error.pos());
                prop_assert!(within, "{}: {}", written, error);
            }
        }
    }

    #[test]
    fn arbitrary_text_never_panics(written in any::<String>(), mode in any_mode()) {
        if let Ok(template) = Template::parse(&written, mode) {
            let mut vars = Vars::with_seed(5);
            let _ = template.expand(&mut vars, None, a_moment());
        }
    }

    #[test]
    fn text_without_dollars_is_the_escape_encoding(written in r"[^$]{0,40}") {
        let want = encode_with_escapes(&written, Charset::Gbk).map_err(TemplateError::Escape);
        let got = Template::parse(&written, GBK)
            .map(|t| t.expand(&mut Vars::default(), None, a_moment()).expect("no variables to fail"));
        prop_assert_eq!(got, want);
    }

    #[test]
    fn seq_renders_the_counter(start in any::<i64>(), step in any::<i64>()) {
        let mut vars = Vars { counter: Counter::new(start, step), ..Vars::default() };
        prop_assert_eq!(text("${seq}", &mut vars), start.to_string());
        prop_assert_eq!(text("${seq}", &mut vars), start.wrapping_add(step).to_string());
    }
}
