//! Every string a person sees goes through the catalogs: this test fails
//! when a panel hands egui an English literal (or a `format!` of one)
//! instead of a catalog message. It reads the sources of the window's
//! layers (`src/ui`, `src/app`) and looks at the arguments of the calls that
//! put text on screen.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

/// Calls whose first argument is shown to a person.
const SHOWN: &str = r#"(?:set_title|add_filter|\.label|\.button|\.small_button|\.checkbox|on_hover_text|on_disabled_hover_text|hint_text|selectable_label|selectable_value|menu_button|Window::new|Button::new|Checkbox::new|\.heading|RichText::new|selected_text|ProgressBar::new\([^)]*\)\.text|\.text)\(\s*(?:&mut [a-z_.]+,\s*)?(?:[a-z_.]+,\s*)?(?:format!\()?"([^"]*)""#;

/// Literals allowed on screen as they are: names that are the same in every
/// language, symbols, and the language menu's own title (both languages on
/// purpose, so someone who cannot read the current one finds the way back).
const ALLOWED: &[&str] = &[
    // The hint of the sequence box is script syntax (`send "hello"` …), the
    // same in every language; the check sees it up to its first escaped quote.
    "send \\",
    "netassist",
    "语言 / Language",
    "1–65535",
    "…",
    "×",
    "+",
    "●",
    "{mark}{}",
    "{choice}",
];

fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") && !path.to_string_lossy().ends_with("_tests.rs") {
            out.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
        }
    }
}

#[test]
fn no_english_literal_reaches_the_screen_without_the_catalog() {
    let shown = regex::Regex::new(SHOWN).unwrap();
    let word = regex::Regex::new("[A-Za-z]{2,}").unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src/ui"), &mut files);
    sources(&root.join("src/app"), &mut files);
    let mut bypasses = Vec::new();
    for (path, text) in &files {
        for (number, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for capture in shown.captures_iter(line) {
                let literal = &capture[1];
                if ALLOWED.contains(&literal) || !word.is_match(literal) {
                    continue;
                }
                bypasses.push(format!("{path}:{}: \"{literal}\"", number + 1));
            }
        }
    }
    assert!(bypasses.is_empty(), "text shown without the catalog (use i18n::t / tr):\n{}", bypasses.join("\n"));
}

#[test]
fn the_check_sees_a_bypass() {
    let shown = regex::Regex::new(SHOWN).unwrap();
    for line in [
        r#"ui.label("Protocol");"#,
        r#"ui.button("Save as…")"#,
        r#"ui.checkbox(&mut settings.broadcast, "Allow broadcast");"#,
        r#".on_hover_text("Addresses of this machine");"#,
        r#"RichText::new(format!("Capture: {name}"))"#,
    ] {
        assert!(shown.is_match(line), "{line}");
    }
    assert!(!shown.is_match(r#"ui.label(t("conn-protocol"))"#));
}
