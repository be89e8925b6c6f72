//! Fonts: egui's defaults plus a bundled Simplified Chinese font.
//!
//! Why bundle: egui's own fonts have no Chinese, and the people this tool is
//! for read Chinese. A GB2312 subset of Noto Sans SC (3 MB, OFL; see
//! `scripts/make-font-subset.py`) makes the common 7,445 characters, full-width
//! punctuation and arrows render identically on every machine, including ones
//! with no CJK font at all, and keeps tests and screenshots deterministic.
//! Characters outside GB2312 (rare GBK, Traditional, Japanese, Korean…) are
//! looked up on demand in the system's fonts by eframe's `system_fonts`
//! provider, so a machine with any common CJK font covers all of GBK.

use eframe::egui::{self, FontData, FontDefinitions, FontFamily};
use std::sync::Arc;
use std::time::Duration;

/// Name under which the bundled CJK font is registered.
pub const CJK_FONT_NAME: &str = "NotoSansSC-GB2312";

static CJK_FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-GB2312.otf");

/// egui's default fonts with the bundled CJK font as the first fallback of
/// both the proportional and the monospace family.
pub fn font_definitions() -> FontDefinitions {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert(CJK_FONT_NAME.to_owned(), Arc::new(FontData::from_static(CJK_FONT)));
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        fonts.families.entry(family).or_default().push(CJK_FONT_NAME.to_owned());
    }
    fonts
}

/// Installs [`font_definitions`] into `ctx`.
pub fn install_fonts(ctx: &egui::Context) {
    ctx.set_fonts(font_definitions());
}

/// How long one frame of the window may spend rasterizing glyphs it has not
/// drawn before. A page of binary data decoded as GBK, with a full Chinese
/// font on the system, holds hundreds of new glyphs at 20–40 µs each; past
/// this the rest are drawn in the frames that follow (issue 18, item 5).
pub const GLYPH_RASTER_BUDGET: Duration = Duration::from_millis(3);

/// Limits the window's glyph rasterization per frame to
/// [`GLYPH_RASTER_BUDGET`] (vendored epaint). Call on the thread that runs
/// the window. Only the window does this: headless harnesses lay out whole
/// frames.
pub fn limit_glyph_rasterizing() {
    egui::epaint::text::set_glyph_raster_budget(Some(GLYPH_RASTER_BUDGET));
}

/// Asks for another frame if this one left glyphs out for lack of
/// rasterization time: the next one draws them.
pub fn redraw_if_glyphs_deferred(ctx: &egui::Context) {
    // The method's path does not meet `fonts`' higher-ranked closure bound.
    #[allow(clippy::redundant_closure_for_method_calls)]
    let deferred = ctx.fonts(|f| f.glyphs_deferred());
    if deferred {
        ctx.request_repaint();
    }
}

#[cfg(test)]
#[path = "fonts_tests.rs"]
mod tests;
