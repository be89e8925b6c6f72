//! Tests of the script format: every command, settings that apply from their
//! line on, blocks, errors by line and column, and the text a script saves as.

use std::time::{Duration, SystemTime};

use super::*;
use crate::codec::Vars;
use crate::script::model::{self, Check, Pattern};
use proptest::prelude::*;

fn one(text: &str) -> Action {
    let script = parse(text).expect("parses");
    assert_eq!(script.steps.len(), 1, "{text}");
    script.steps.into_iter().next().map(|s| s.action).expect("a step")
}

fn bytes(payload: &Payload) -> Vec<u8> {
    payload.template().expand(&mut Vars::default(), None, SystemTime::UNIX_EPOCH).expect("fills")
}

fn error(text: &str) -> (usize, usize, String) {
    let error = parse(text).expect_err(text);
    (error.line, error.col, error.to_string())
}

#[test]
fn the_tutorial_client() {
    let script = parse(
        "# the tutorial's client\n\
         charset gbk\n\
         connect 127.0.0.1:8000 timeout 3s\n\
         send \"你好服务器,我是客户端\"\n\
         expect \"我是服务器,我已经收到了你的信息!\" timeout 2s\n\
         expect close\n",
    )
    .expect("parses");
    let lines: Vec<usize> = script.steps.iter().map(|s| s.line).collect();
    assert_eq!(lines, [3, 4, 5, 6]);
    let Action::Connect { host, port, local_port, timeout } = &script.steps[0].action else { panic!() };
    assert_eq!((host.as_str(), *port, *local_port, *timeout), ("127.0.0.1", 8000, None, Duration::from_secs(3)));
    let Action::Send(send) = &script.steps[1].action else { panic!() };
    assert_eq!(bytes(&send.payload).len(), 21, "GBK: two bytes a character, one for the comma");
    let Action::Expect(Expect { check: Check::Contains(reply), timeout }) = &script.steps[2].action else { panic!() };
    assert_eq!((bytes(reply).len(), *timeout), (32, Duration::from_secs(2)));
    let Action::Expect(Expect { check: Check::Closed, timeout }) = &script.steps[3].action else { panic!() };
    assert_eq!(*timeout, model::DEFAULT_TIMEOUT);
}

#[test]
fn addresses() {
    assert_eq!(one("listen 8000"), Action::Listen { bind: "0.0.0.0:8000".parse().unwrap() });
    assert_eq!(one("listen [::1]:0"), Action::Listen { bind: "[::1]:0".parse().unwrap() });
    assert_eq!(one("listen 127.0.0.1:9"), Action::Listen { bind: "127.0.0.1:9".parse().unwrap() });
    let Action::Connect { host, port, local_port, .. } = one("connect [::1]:80 from 4000") else { panic!() };
    assert_eq!((host.as_str(), port, local_port), ("::1", 80, Some(4000)));
    assert_eq!(
        one("bind 127.0.0.1:0 to localhost:9001"),
        Action::BindUdp { bind: "127.0.0.1:0".parse().unwrap(), remote: Some(("localhost".to_owned(), 9001)) }
    );
    assert_eq!(one("bind 9000"), Action::BindUdp { bind: "0.0.0.0:9000".parse().unwrap(), remote: None });
}

#[test]
fn send_options() {
    let Action::Send(send) = one("send hex \"01 03 00 00 00 0A\" checksum crc16-modbus") else { panic!() };
    assert_eq!(send.checksum, Some(ChecksumKind::Crc16Modbus));
    assert_eq!(bytes(&send.payload), [1, 3, 0, 0, 0, 0x0a]);
    let Action::Send(send) = one("send \"AT\" append crlf charset utf-8") else { panic!() };
    assert_eq!((send.append, send.payload.charset()), (LineEnding::CrLf, Some(Charset::Utf8)));
    let Action::Send(send) = one("send text \"a\\n\" raw") else { panic!() };
    assert_eq!(bytes(&send.payload), b"a\\n");
    let Action::Send(send) = one("send \"say \\\"hi\\\"\\r\"") else { panic!() };
    assert_eq!(bytes(&send.payload), b"say \"hi\"\r");
}

#[test]
fn expect_kinds() {
    let Action::Expect(expect) = one("expect hex \"ce d2\" timeout 250") else { panic!() };
    assert_eq!(expect.timeout, Duration::from_millis(250));
    let Check::Contains(pattern) = &expect.check else { panic!() };
    assert_eq!(bytes(pattern), [0xce, 0xd2]);
    let Action::Expect(expect) = one("expect regex \"ID=(?<id>\\d+)\" charset utf-8") else { panic!() };
    let Check::Regex(Pattern { regex, charset }) = &expect.check else { panic!() };
    assert_eq!((regex.as_str(), *charset), (r"ID=(?<id>\d+)", Charset::Utf8));
    assert!(matches!(one("expect contains \"$${x}\""), Action::Expect(_)));
}

#[test]
fn settings_apply_from_their_line_on() {
    let script = parse(
        "expect close\n\
         timeout 1.5s\n\
         charset utf-8\n\
         expect \"é\"\n\
         seq 100 -2\n\
         var who \"设备 1\"\n\
         set id \"${rand_hex:4}\"\n",
    )
    .expect("parses");
    let timeouts: Vec<Duration> = script
        .steps
        .iter()
        .filter_map(|s| if let Action::Expect(e) = &s.action { Some(e.timeout) } else { None })
        .collect();
    assert_eq!(timeouts, [model::DEFAULT_TIMEOUT, Duration::from_millis(1500)]);
    let Action::Expect(Expect { check: Check::Contains(e), .. }) = &script.steps[1].action else { panic!() };
    assert_eq!(bytes(e), "é".as_bytes());
    assert_eq!((script.counter.start, script.counter.step), (100, -2));
    assert_eq!(script.vars.get("who").map(String::as_str), Some("设备 1"));
    assert!(matches!(&script.steps[2].action, Action::Set { name, .. } if name == "id"));
}

#[test]
fn repeat_blocks_nest() {
    let script = parse("repeat 2 {\n  send \"a\"\n  repeat 3 {\n    wait 1\n  }\n}\nclose\n").expect("parses");
    assert_eq!(script.steps.len(), 2);
    let Action::Repeat { times: 2, body } = &script.steps[0].action else { panic!() };
    assert_eq!(script.steps[0].line, 1);
    assert_eq!(body.len(), 2);
    let Action::Repeat { times: 3, body: inner } = &body[1].action else { panic!() };
    assert_eq!(inner[0], Step { line: 4, action: Action::Wait(Duration::from_millis(1)) });
    assert_eq!(script.steps[1], Step { line: 7, action: Action::Close });
}

#[test]
fn a_block_can_repeat_until_stopped() {
    let script = parse("repeat forever {\n  send \"ping\"\n}\n").expect("parses");
    let Action::Repeat { times, body } = &script.steps[0].action else { panic!() };
    assert_eq!((*times, body.len()), (u64::MAX, 1));
    let written = script.to_text();
    assert!(written.contains("\nrepeat forever {\n"), "{written}");
    let back = parse(&written).expect("reads back");
    assert!(matches!(back.steps[0].action, Action::Repeat { times: u64::MAX, .. }));
}

#[test]
fn errors_name_line_and_column() {
    let cases: &[(&str, usize, usize, &str)] = &[
        ("conect 1.2.3.4:5", 1, 1, "'conect' is not a command"),
        ("\n\n  send", 3, 7, "send needs the text or hex to send"),
        ("send \"abc", 1, 6, "no closing quote"),
        ("send \"ab\\q\"", 1, 9, "invalid escape '\\q'"),
        ("send \"ab${seq\"", 1, 9, "is not closed"),
        ("send \"你好😀\" charset gbk", 1, 9, "cannot be encoded in GBK"),
        ("send hex \"01 0\"", 1, 14, "incomplete byte"),
        ("send hex \"01\" charset gbk", 1, 15, "hex has none"),
        ("send \"a\" checksum crc99", 1, 19, "unknown checksum 'crc99'"),
        ("send \"a\" append tab", 1, 17, "unknown line ending"),
        ("send \"a\" loud", 1, 10, "send has no option 'loud'"),
        ("send \"a\" append", 1, 10, "option 'append' needs a value"),
        ("send \"a\" raw raw", 1, 14, "given twice"),
        ("connect 127.0.0.1", 1, 9, "port is empty"),
        ("connect 127.0.0.1:0", 1, 9, "port '0' is not valid"),
        ("connect h:1 timeout soon", 1, 21, "'soon' is not a duration"),
        ("listen 70000", 1, 8, "not valid"),
        ("listen host:80", 1, 8, "not an IP address"),
        ("wait", 1, 5, "wait needs a duration"),
        ("wait 2h", 1, 6, "not a duration"),
        ("wait 90000s", 1, 6, "not a duration"),
        ("expect \"\"", 1, 8, "pattern is empty"),
        ("expect \"${seq}\"", 1, 8, "variables are not filled in"),
        ("expect regex \"(\"", 1, 14, "regex does not compile"),
        ("expect close \"x\"", 1, 14, "expect close has no option"),
        ("repeat 0 {\n}", 1, 8, "count from 1"),
        ("repeat 2\nclose", 1, 9, "a '{' at the end"),
        ("close\nrepeat 2 {\nclose", 2, 1, "no closing '}'"),
        ("close\n}", 2, 1, "closes no block"),
        ("close now", 1, 7, "unexpected 'now'"),
        ("charset klingon", 1, 9, "unknown charset"),
        ("set 9x \"a\"", 1, 5, "not a variable name"),
        ("seq one", 1, 5, "not a whole number"),
        ("\"hello\"", 1, 1, "unexpected '\"hello\"'"),
    ];
    for &(text, line, col, says) in cases {
        let (got_line, got_col, message) = error(text);
        assert_eq!((got_line, got_col), (line, col), "{text:?}: {message}");
        assert!(message.starts_with(&format!("line {line}, column {col}: ")), "{message}");
        assert!(message.contains(says), "{text:?}: {message}");
    }
}

#[test]
fn columns_count_characters_and_escaped_quotes() {
    let (_, col, _) = error("send \"你好\\\"\\q\"");
    assert_eq!(col, 11, "send + space (5), quote (6), 你 好 (7, 8), \\\" (9, 10), \\q at 11");
}

#[test]
fn a_byte_order_mark_and_crlf_lines_are_fine() {
    let script = parse("\u{feff}charset utf-8\r\nsend \"a\"\r\nclose\r\n").expect("parses");
    assert_eq!(script.steps.len(), 2);
    assert_eq!(script.steps[0].line, 2);
}

#[test]
fn durations() {
    let ms = Duration::from_millis;
    assert_eq!(parse_duration("250"), Some(ms(250)));
    assert_eq!(parse_duration("250ms"), Some(ms(250)));
    assert_eq!(parse_duration("2s"), Some(ms(2000)));
    assert_eq!(parse_duration("1.5s"), Some(ms(1500)));
    assert_eq!(parse_duration("86400s"), Some(Duration::from_hours(24)));
    for bad in ["", "s", "ms", "-1", "1e3", "1.5.2s", "inf", "nan", "86401s", "1 s"] {
        assert_eq!(parse_duration(bad), None, "{bad}");
    }
}

#[test]
fn a_script_saves_as_text_that_parses_back_the_same() {
    let script = parse(
        "seq 5 2\nvar host \"a \\\"b\\\"\"\ncharset gbk\ntimeout 2s\nconnect [::1]:8000 from 4000\n\
         listen 127.0.0.1:0\naccept\nbind 0.0.0.0:0 to example.org:9\n\
         send \"你好 ${seq}\\r\\n\" checksum crc16-ccitt-false append lf\nsend hex \"01 ${rand_hex:2}\" checksum crc32\n\
         send \"raw\\n\" raw charset shift_jis\nwait 1.25s\nrepeat 3 {\n  expect \"OK\"\n  repeat 2 {\n    expect regex \"(?<n>\\d+)\" charset utf-8\n  }\n}\n\
         expect hex \"0d 0a\" timeout 100\nset id \"${1}-${host}\"\nexpect close timeout 10s\nclose\n",
    )
    .expect("parses");
    let text = script.to_text();
    let again = parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(without_lines(&again.steps), without_lines(&script.steps), "{text}");
    assert_eq!((again.counter, &again.vars), (script.counter, &script.vars));
}

/// The steps with every line number (in blocks too) set to 0.
fn without_lines(steps: &[Step]) -> Vec<Step> {
    let strip = |step: &Step| {
        let action = match &step.action {
            Action::Repeat { times, body } => Action::Repeat { times: *times, body: without_lines(body) },
            action => action.clone(),
        };
        Step { line: 0, action }
    };
    steps.iter().map(strip).collect()
}

proptest! {
    #[test]
    fn parsing_never_panics(text in r#"(connect|send|expect|repeat|wait|listen|bind|hex|regex|close|charset|timeout|from|to|\{|\}|"|\\|\$\{|seq|[0-9:.]+| |\n|#|你|[a-z]){0,30}"#) {
        if let Err(error) = parse(&text) {
            prop_assert!(error.line >= 1 && error.col >= 1, "{}", error);
            prop_assert!(error.line <= text.lines().count().max(1), "{}", error);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let _ = parse(&text);
    }
}
