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

#[cfg(test)]
#[path = "fonts_tests.rs"]
mod tests;
