use eframe::egui::{Color32, FontId};

use super::*;

fn sections(highlights: &[Highlight], markers: &[Range<usize>]) -> Vec<(String, Color32, bool)> {
    let palette = Palette::new(false);
    let job = layout_job("say hello world", markers, highlights, LineStyle::Text, &FontId::monospace(12.0), &palette);
    job.sections
        .iter()
        .map(|s| (job.text[s.byte_range.start.0..s.byte_range.end.0].to_owned(), s.format.background, s.format.italics))
        .collect()
}

#[test]
fn matches_are_drawn_on_a_background_and_the_selected_one_stronger() {
    let palette = Palette::new(false);
    let found = [Highlight { range: 4..9, current: false }, Highlight { range: 10..15, current: true }];
    let got = sections(&found, &[]);
    assert_eq!(
        got,
        [
            // The indent of a text line, then the text.
            ("    say ".to_owned(), Color32::TRANSPARENT, false),
            ("hello".to_owned(), palette.found, false),
            (" ".to_owned(), Color32::TRANSPARENT, false),
            ("world".to_owned(), palette.current, false),
        ]
    );
    // An escape marker inside a match keeps its italics and takes the background.
    let marker = 6..8;
    let got = sections(&found[..1], std::slice::from_ref(&marker));
    assert!(got.contains(&("ll".to_owned(), palette.found, true)), "{got:?}");
    assert!(got.contains(&("he".to_owned(), palette.found, false)), "{got:?}");
}

/// `text` as a line of the view shows it, with this frame's font searches.
fn drawn(ctx: &eframe::egui::Context, text: &str, searches: &mut FontSearches) -> String {
    let (mut text, mut markers) = (text.to_owned(), Vec::new());
    let mut output = ctx.run_ui(eframe::egui::RawInput::default(), |ui| {
        show_missing_glyphs_as_escapes(ui, &FontId::monospace(12.0), &mut text, &mut markers, searches);
    });
    output.textures_delta.clear(); // no painter here to take the font atlas
    text
}

/// A frame whose font-search time is used up.
fn spent() -> FontSearches {
    FontSearches { deadline: Instant::now(), deferred: false }
}

#[test]
fn a_character_no_font_has_is_escaped_and_searched_for_once() {
    let ctx = eframe::egui::Context::default();
    // U+4E02 is GBK but not GB2312: no font of a bare context has it.
    let mut searches = FontSearches::new();
    assert_eq!(drawn(&ctx, "a丂b", &mut searches), "a\\u{4E02}b");
    assert!(!searches.deferred(), "searched within the frame's time");
    // Known now: a frame with no time left still answers without deferring.
    let mut later = spent();
    assert_eq!(drawn(&ctx, "丂", &mut later), "\\u{4E02}");
    assert!(!later.deferred());
}

#[test]
fn a_character_met_after_the_search_time_waits_for_a_following_frame() {
    let ctx = eframe::egui::Context::default();
    let mut searches = spent();
    assert_eq!(drawn(&ctx, "x丂", &mut searches), "x\\u{4E02}");
    assert!(searches.deferred(), "the frame must be followed by one that searches");
    // ASCII needs no search, whatever the time.
    let mut ascii = spent();
    assert_eq!(drawn(&ctx, "plain text", &mut ascii), "plain text");
    assert!(!ascii.deferred());
}
