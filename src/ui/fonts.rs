//! Fonts: egui's defaults plus a bundled Simplified Chinese font.
//!
//! Why bundle: egui's own fonts have no Chinese, and the people this tool is
//! for read Chinese. A GB2312 subset of Noto Sans SC (3 MB, OFL; see
//! `scripts/make-font-subset.py`) makes the common 7,445 characters, full-width
//! punctuation and arrows render identically on every machine, including ones
//! with no CJK font at all, and keeps tests and screenshots deterministic.
//! Characters outside GB2312 (rare GBK, Traditional, Japanese, Korean…) are
//! looked up on demand in the system's fonts ([`use_system_fonts`]), so a
//! machine with any common CJK font covers all of GBK.

use eframe::egui::{self, FontData, FontDefinitions, FontFamily, FontProvider};
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

/// Characters whose lookup in the system's fonts [`use_system_fonts`] makes
/// ahead of need: a Han character outside GB2312 (丂, the first of GBK's
/// extension), and a private-use one (GBK's user-defined areas decode to
/// them; no font has them, so their lookup reads every fallback family).
/// The first lookup for a script asks fontconfig (or the platform's
/// fallback) for its fonts and reads every one of them: 11 ms of the frame
/// that first showed random bytes decoded as GBK, on a machine with a full
/// Chinese font, and 1–4 ms more for the first private-use character
/// (issue 18, item 5). Later lookups use what those read: 0.1 ms.
const SYSTEM_FONT_WARM_UP: [&str; 2] = ["丂", "\u{E000}"];

/// Lets `ctx` draw characters no installed font has with the system's fonts
/// (the window's place for eframe's `system_fonts`; set
/// `NativeOptions::system_font_fallback` to `false` beside it). The system's
/// fonts are listed on a thread of their own, and the first lookups of
/// [`SYSTEM_FONT_WARM_UP`] are made there too, so that the window's first
/// frame of such text finds them ready. Headless harnesses leave this out:
/// their text is drawn with the bundled fonts alone, the same on every machine.
pub fn use_system_fonts(ctx: &egui::Context) {
    let provider = Arc::new(egui_system_font_provider::SystemFontProvider::new());
    ctx.add_font_provider(provider.clone());
    let spawned =
        std::thread::Builder::new().name("netassist-font-warm-up".to_owned()).spawn(move || warm_up(provider.as_ref()));
    if let Err(error) = spawned {
        tracing::debug!("system fonts are looked up when first needed: {error}");
    }
}

/// Asks `provider` for [`SYSTEM_FONT_WARM_UP`] in the monospace (receive
/// view) and proportional (the rest) families. Only the provider's own
/// caches are wanted: the fonts it finds are dropped, and inserted by the
/// window when a character needs them.
fn warm_up(provider: &dyn FontProvider) {
    for family in [FontFamily::Monospace, FontFamily::Proportional] {
        for cluster in SYSTEM_FONT_WARM_UP {
            let _ = provider.font_for(&egui::FallbackRequest { cluster, family: &family });
        }
    }
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
