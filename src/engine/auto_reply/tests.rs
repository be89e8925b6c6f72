//! Tests of the auto-reply rules: matching across reads, first match wins, bounds.

use super::*;

fn rule(name: &str, matcher: Matcher) -> AutoReplyRule {
    AutoReplyRule { name: name.to_owned(), matcher, reply: Reply::Echo, delay: Duration::ZERO }
}

fn set(rules: Vec<AutoReplyRule>) -> RuleSet {
    let (set, invalid) = RuleSet::compile(rules);
    assert!(invalid.is_empty(), "{invalid:?}");
    set
}

/// Feeds `reads` in order; the name of the rule each fired, if any.
fn run(set: &RuleSet, reads: &[&[u8]]) -> Vec<Option<String>> {
    let mut window = Window::default();
    reads.iter().map(|read| set.first_match(&mut window, read).map(|rule| rule.name.to_string())).collect()
}

#[test]
fn contains_matches_across_reads_once() {
    let set = set(vec![rule("ping", Matcher::Contains(b"PING".to_vec()))]);
    let hit = Some("ping".to_owned());
    assert_eq!(run(&set, &[b"xxPI", b"NGyy"]), vec![None, hit.clone()]);
    assert_eq!(run(&set, &[b"P", b"I", b"N", b"G"]), vec![None, None, None, hit.clone()]);
    // The bytes of a match are used once: "PING" then "G" is not a second match.
    assert_eq!(run(&set, &[b"PING", b"G", b"PIN"]), vec![hit.clone(), None, None]);
    assert_eq!(run(&set, &[b"PIN", b"", b"G"]), vec![None, None, hit]);
    let hex = set_of(Matcher::Contains(vec![0x01, 0x03]));
    assert_eq!(run(&hex, &[&[0x01], &[0x03]]), vec![None, Some("r".to_owned())]);
}

fn set_of(matcher: Matcher) -> RuleSet {
    set(vec![rule("r", matcher)])
}

#[test]
fn starts_with_and_any_look_at_one_read() {
    let set = set(vec![rule("get", Matcher::StartsWith(b"GET".to_vec())), rule("any", Matcher::Any)]);
    assert_eq!(
        run(&set, &[b"GET /", b"xGET", b"G", b"ET"]),
        vec![Some("get".into()), Some("any".into()), Some("any".into()), Some("any".into())]
    );
}

#[test]
fn regexes_match_decoded_text_from_the_start_of_a_read_or_across_the_seam() {
    let get = set_of(Matcher::Regex { pattern: r"^GET (\S+)".into(), charset: Charset::Utf8 });
    let hit = Some("r".to_owned());
    assert_eq!(run(&get, &[b"GET /a HTTP/1.1\r\n", b"GET /b\r\n"]), vec![hit.clone(), hit.clone()]);
    assert_eq!(run(&get, &[b"GE", b"T /x"]), vec![None, hit.clone()]);
    assert_eq!(run(&get, &[b"xGET /a"]), vec![None]);
    // 你好 in GBK is c4 e3 ba c3: split inside the second character.
    let nihao = set_of(Matcher::Regex { pattern: "你好".into(), charset: Charset::Gbk });
    assert_eq!(run(&nihao, &[&[0xc4, 0xe3, 0xba], &[0xc3]]), vec![None, hit.clone()]);
    // A match wholly in the bytes kept from before does not fire again.
    let ab = set_of(Matcher::Regex { pattern: "ab".into(), charset: Charset::Utf8 });
    let mut window = Window::default();
    window.keep(b"xxab", REGEX_WINDOW);
    assert!(ab.first_match(&mut window, b"zz").is_none());
}

#[test]
fn the_first_matching_rule_wins() {
    let set = set(vec![rule("one", Matcher::Contains(b"B".to_vec())), rule("two", Matcher::Any)]);
    assert_eq!(run(&set, &[b"ABC", b"x"]), vec![Some("one".into()), Some("two".into())]);
}

#[test]
fn invalid_rules_are_explained_and_left_out() {
    let bad_regex = rule("bad", Matcher::Regex { pattern: "(".into(), charset: Charset::Utf8 });
    let error = bad_regex.validate().unwrap_err();
    assert!(error.to_string().starts_with("invalid regex"), "{error}");
    assert!(rule("empty", Matcher::Contains(Vec::new())).validate().is_err());
    assert!(rule("ok", Matcher::Any).validate().is_ok());
    let (set, invalid) = RuleSet::compile(vec![bad_regex, rule("ok", Matcher::Any)]);
    assert_eq!(set.rules.len(), 1);
    assert_eq!(invalid.len(), 1);
    assert_eq!(invalid[0].0, "bad");
}

#[test]
fn windows_keep_the_last_bytes() {
    let mut window = Window::default();
    window.keep(b"abcdef", 4);
    assert_eq!(window.bytes, b"cdef");
    window.keep(b"gh", 4);
    assert_eq!(window.bytes, b"efgh");
    window.keep(b"ij", 0);
    assert!(window.bytes.is_empty());
}
