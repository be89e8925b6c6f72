use fluent_bundle::FluentValue;

use super::*;

#[test]
fn catalogs_parse_and_have_the_same_keys() {
    for lang in Lang::ALL {
        assert_eq!(catalog_errors(lang), 0, "{lang:?} catalog has syntax errors");
    }
    let mut en = keys(Lang::En);
    let mut zh = keys(Lang::ZhCn);
    en.sort();
    zh.sort();
    assert!(!en.is_empty());
    assert_eq!(en, zh, "en and zh-CN catalogs differ in keys");
}

/// Every `$variable` any catalog mentions, each with a value (a number, so
/// plural selectors and number formatting are exercised too).
fn every_variable() -> Vec<(String, FluentValue<'static>)> {
    let pattern = regex::Regex::new(r"\$([A-Za-z][A-Za-z0-9_-]*)").expect("a valid pattern");
    let mut names: Vec<String> = Lang::ALL
        .iter()
        .flat_map(|lang| lang.sources())
        .flat_map(|source| pattern.captures_iter(source).map(|c| c[1].to_owned()).collect::<Vec<_>>())
        .collect();
    names.sort();
    names.dedup();
    names.into_iter().map(|name| (name, FluentValue::from(3))).collect()
}

#[test]
fn every_key_formats_in_both_languages() {
    let owned = every_variable();
    let args: Vec<(&str, FluentValue<'_>)> = owned.iter().map(|(n, v)| (n.as_str(), v.clone())).collect();
    for lang in Lang::ALL {
        for key in keys(lang) {
            let text = tr_in(lang, &key, &args);
            assert!(!text.contains('⟨'), "{lang:?} {key}: {text}");
            assert!(!text.contains("{$"), "{lang:?} {key}: {text}");
        }
    }
}

#[test]
fn plurals_per_language() {
    let one = [("count", FluentValue::from(1))];
    let two = [("count", FluentValue::from(2))];
    assert_eq!(tr_in(Lang::En, "clients-count", &one), "1 client");
    assert_eq!(tr_in(Lang::En, "clients-count", &two), "2 clients");
    assert_eq!(tr_in(Lang::ZhCn, "clients-count", &one), "1 个客户端");
}

#[test]
fn language_is_per_thread() {
    set_lang(Lang::ZhCn);
    assert_eq!(tr("button-send", &[]), "发送");
    let other = std::thread::Builder::new()
        .name("tests-0".to_owned())
        .spawn(|| tr("button-send", &[]))
        .expect("spawn a thread")
        .join();
    assert_eq!(other.ok().as_deref(), Some("Send"));
    set_lang(Lang::En);
}

#[test]
fn missing_key_shows_a_marker() {
    assert_eq!(tr_in(Lang::En, "no-such-key", &[]), "⟨no-such-key⟩");
}

#[test]
fn system_language_from_the_environment() {
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| (*v).to_owned())
    };
    assert_eq!(detect::from_vars(env(&[("LANG", "zh_CN.UTF-8")])), Some(Lang::ZhCn));
    assert_eq!(detect::from_vars(env(&[("LANG", "en_US.UTF-8")])), Some(Lang::En));
    assert_eq!(detect::from_vars(env(&[("LANGUAGE", "zh_TW:en"), ("LANG", "en_US.UTF-8")])), Some(Lang::ZhCn));
    assert_eq!(detect::from_vars(env(&[("LC_ALL", "C"), ("LANG", "zh_CN")])), Some(Lang::ZhCn));
    assert_eq!(detect::from_vars(env(&[])), None);
}
