use std::sync::Arc;

use eframe::egui::{self, FontId, RawInput, RichText, TextureId, epaint::ImageData};

/// The whole-atlas updates of one frame of `text` at `size` points: the
/// image each sends, and how many hold that image (the atlas and the update).
fn full_updates(ctx: &egui::Context, text: &str, size: f32) -> Vec<(Arc<egui::ColorImage>, usize)> {
    let mut output = ctx.run_ui(RawInput::default(), |ui| {
        ui.label(RichText::new(text).font(FontId::proportional(size)));
    });
    let updates = output
        .textures_delta
        .set
        .iter()
        .filter(|(id, _)| **id == TextureId::default())
        .flat_map(|(_, deltas)| deltas.iter())
        .filter(|delta| delta.pos.is_none())
        .map(|delta| match &delta.image {
            ImageData::Color(image) => {
                let holders = Arc::strong_count(image);
                (Arc::clone(image), holders)
            }
        })
        .collect();
    output.textures_delta.clear(); // no painter here to apply them
    updates
}

/// vendor/epaint: a full update of the glyph atlas (its first upload, and
/// every time it grows) shares the atlas's image instead of copying it, so
/// growing a 16384-pixel-wide atlas does not hold it twice (issue 18 item 5:
/// 8 MB less at the peak with a full Chinese font).
#[test]
fn a_full_atlas_update_shares_the_atlas_image() {
    let ctx = egui::Context::default();
    super::install_fonts(&ctx);
    let first = full_updates(&ctx, "netassist", 14.0);
    assert_eq!(first.len(), 1, "the first frame uploads the whole atlas");
    assert_eq!(first[0].1, 2, "held by the atlas and the update, not copied");
    let height = first[0].0.height();
    drop(first);
    // Glyphs taller than the atlas grow it: a whole new image again, shared.
    let grown = full_updates(&ctx, "你好服务器", 96.0);
    assert_eq!(grown.len(), 1, "growing uploads the whole atlas");
    let (image, holders) = &grown[0];
    assert_eq!(*holders, 2);
    assert!(image.height() > height, "{} rows, was {height}", image.height());
    assert!(image.pixels.iter().filter(|p| p.a() > 0).count() > 1000, "the glyphs are in it");
}
