use std::sync::Arc;

use eframe::egui::{
    self, Color32, FontId, RawInput, RichText, TextureId,
    epaint::{AlphaImage, ImageData, TextOptions, TextureAtlas},
};

/// The whole-atlas updates of one frame of `text` at `size` points: the
/// image each sends, and how many hold that image (the atlas and the update).
fn full_updates(ctx: &egui::Context, text: &str, size: f32) -> Vec<(Arc<AlphaImage>, usize)> {
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
            ImageData::Alpha(image) => {
                let holders = Arc::strong_count(image);
                (Arc::clone(image), holders)
            }
            ImageData::Color(_) => panic!("the atlas of text is kept at one byte a pixel"),
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
    assert!(image.pixels.iter().filter(|&&a| a > 0).count() > 1000, "the glyphs are in it");
}

/// vendor/epaint: the glyph atlas grows a quarter at a time, in whole
/// 16-row steps, not double: it is as wide as the largest texture and held
/// twice (in egui and in the renderer), and doubling left up to half of
/// both empty (issue 18 item 5: 45 of 128 rows, 1.5 MB, under binary data).
/// Every step still sends the whole atlas, with what it held.
#[test]
fn the_glyph_atlas_grows_by_a_quarter_not_double() {
    let mut atlas = TextureAtlas::new([1024, 32], TextOptions::default());
    let mut heights = vec![atlas.size()[1]];
    let mut last = (0, 0);
    for _ in 0..40 {
        atlas.take_delta();
        last = atlas.allocate((1024, 4)); // a row of its own each time
        atlas.write(last, [1024, 4], |_, _| Color32::WHITE);
        let height = atlas.size()[1];
        if heights.last() != Some(&height) {
            heights.push(height);
            let delta = atlas.take_delta().expect("the grown atlas is sent");
            assert_eq!(delta.pos, None, "growing sends the whole atlas");
            assert_eq!(delta.image.height(), height);
        }
    }
    assert_eq!(heights, [32, 48, 64, 80, 112, 144, 192, 240]);
    let used = last.1 + 4;
    assert!(atlas.size()[1] - used <= used / 4 + 16, "{used} of {} rows used", atlas.size()[1]);
}

/// vendor/epaint: the glyph atlas keeps one byte a pixel (white at some
/// opacity) and sends its updates so, a quarter of the memory of colour in
/// egui and in the renderer's texture (issue 18 item 5: the Text view's
/// atlas with a full Chinese font was 8.4 MB twice). A colour glyph
/// (emoji) turns it into a colour atlas, sent whole, with what it held.
#[test]
fn the_glyph_atlas_is_one_byte_a_pixel_until_a_colour_glyph_comes() {
    let mut atlas = TextureAtlas::new([1024, 64], TextOptions::default());
    assert!(atlas.is_alpha());
    let first = atlas.take_delta().expect("the first upload");
    assert!(matches!(&first.image, ImageData::Alpha(image) if image.pixels.len() == 1024 * 64));

    // A grey glyph: a partial update, still one byte a pixel.
    let at = atlas.allocate((3, 2));
    atlas.write(at, [3, 2], |x, _| Color32::from_white_alpha(100 + x as u8));
    let delta = atlas.take_delta().expect("the glyph's update");
    assert_eq!(delta.pos, Some([at.0, at.1]));
    match &delta.image {
        ImageData::Alpha(image) => assert_eq!(image.pixels, [100, 101, 102, 100, 101, 102]),
        ImageData::Color(_) => panic!("a grey glyph keeps the atlas at one byte a pixel"),
    }

    // A colour glyph: the whole atlas in colour, the grey glyph kept.
    let red = Color32::from_rgb(200, 0, 0);
    let emoji = atlas.allocate((2, 2));
    atlas.write(emoji, [2, 2], |_, _| red);
    assert!(!atlas.is_alpha());
    let delta = atlas.take_delta().expect("the colour atlas");
    assert_eq!(delta.pos, None, "sent whole");
    let ImageData::Color(image) = &delta.image else { panic!("a colour atlas") };
    assert_eq!(image[(at.0 + 2, at.1 + 1)], Color32::from_white_alpha(102));
    assert_eq!(image[(emoji.0 + 1, emoji.1 + 1)], red);
    assert_eq!(image[(0, 0)], Color32::WHITE, "the white pixel kept");
}

/// One frame of `text` at `size` points: whether it left glyphs out, and how
/// many glyphs it drew (quads in the atlas's texture).
fn drawn_glyphs(ctx: &egui::Context, text: &str, size: f32) -> (bool, usize) {
    let mut output = ctx.run_ui(RawInput::default(), |ui| {
        ui.label(RichText::new(text).font(FontId::proportional(size)));
    });
    output.textures_delta.clear(); // no painter here to apply them
    #[allow(clippy::redundant_closure_for_method_calls)] // the path misses the closure bound
    let deferred = ctx.fonts(|f| f.glyphs_deferred());
    let meshes = ctx.tessellate(output.shapes, output.pixels_per_point);
    let quads = meshes
        .iter()
        .map(|m| match &m.primitive {
            egui::epaint::Primitive::Mesh(mesh) if mesh.texture_id == TextureId::default() => mesh.indices.len() / 6,
            _ => 0,
        })
        .sum();
    (deferred, quads)
}

/// vendor/epaint: with a rasterization budget, a frame of many new glyphs
/// draws what the budget allows, says it left the rest out, and the frames
/// that follow draw the rest; none is lost, and the last frame's galley is
/// the complete one, kept in the cache (issue 18, item 5).
#[test]
fn glyphs_past_the_raster_budget_are_drawn_in_the_following_frames() {
    let text: String = "你好服务器我是客户端已经收到了的信息".chars().cycle().take(18).collect();
    let whole = {
        let ctx = egui::Context::default();
        super::install_fonts(&ctx);
        let (deferred, quads) = drawn_glyphs(&ctx, &text, 40.0);
        assert!(!deferred, "no budget: the whole frame");
        quads
    };
    assert!(whole >= 18, "{whole} glyphs drawn");

    let ctx = egui::Context::default();
    super::install_fonts(&ctx);
    drawn_glyphs(&ctx, "warm-up", 14.0); // the UI's own glyphs, without a budget
    egui::epaint::text::set_glyph_raster_budget(Some(std::time::Duration::from_nanos(1)));
    let mut frames = Vec::new();
    loop {
        let (deferred, quads) = drawn_glyphs(&ctx, &text, 40.0);
        frames.push(quads);
        if !deferred {
            break;
        }
        assert!(frames.len() <= 40, "every frame must draw at least one more glyph: {frames:?}");
    }
    egui::epaint::text::set_glyph_raster_budget(None);
    assert!(frames.len() > 2, "one new glyph a frame: {frames:?}");
    assert!(frames.windows(2).all(|w| w[0] < w[1]), "each frame draws more: {frames:?}");
    assert_eq!(frames.last(), Some(&whole), "in the end, every glyph");
    // The complete galley stays cached: the same text again is whole at once.
    assert_eq!(drawn_glyphs(&ctx, &text, 40.0), (false, whole));
}

/// Records what it is asked for, finds nothing.
#[derive(Default)]
struct AskedFor(std::sync::Mutex<Vec<(String, egui::FontFamily)>>);

impl egui::FontProvider for AskedFor {
    fn font_for(&self, request: &egui::FallbackRequest<'_>) -> Option<egui::FontInsert> {
        self.0.lock().unwrap().push((request.cluster.to_owned(), request.family.clone()));
        None
    }
}

/// The window asks the system's fonts, ahead of need, for characters that
/// data in GBK brings and the bundled fonts lack: a Han character outside
/// GB2312 and the private-use characters of GBK's user-defined areas. The
/// first such lookup took 11 ms of the frame that first showed random bytes
/// (issue 18, item 5); made ahead, the window's took 0.1 ms.
#[test]
fn the_window_looks_up_what_gbk_data_needs_from_the_system_fonts_ahead_of_need() {
    let provider = AskedFor::default();
    super::warm_up(&provider);
    let asked = provider.0.into_inner().unwrap();
    let expected: Vec<(String, egui::FontFamily)> = [egui::FontFamily::Monospace, egui::FontFamily::Proportional]
        .into_iter()
        .flat_map(|family| super::SYSTEM_FONT_WARM_UP.map(|c| (c.to_owned(), family.clone())))
        .collect();
    assert_eq!(asked, expected);

    // Each is one the bundled fonts lack, so data would need the lookup.
    let ctx = egui::Context::default();
    super::install_fonts(&ctx);
    ctx.run_ui(RawInput::default(), |_| {}).textures_delta.clear(); // no painter here
    for cluster in super::SYSTEM_FONT_WARM_UP {
        let c = cluster.chars().next().unwrap();
        assert!(!ctx.fonts_mut(|f| f.has_glyph(&FontId::monospace(14.0), c)), "{c:?} is bundled");
    }
    // And GBK data brings them: 丂 is GBK's first character past GB2312,
    // U+E000 the first of its user-defined areas.
    let (han, _) = encoding_rs::GBK.decode_without_bom_handling(&[0x81, 0x40]);
    let (private, _) = encoding_rs::GBK.decode_without_bom_handling(&[0xAA, 0xA1]);
    assert_eq!([han.as_ref(), private.as_ref()], super::SYSTEM_FONT_WARM_UP);
}
