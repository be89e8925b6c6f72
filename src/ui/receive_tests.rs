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
