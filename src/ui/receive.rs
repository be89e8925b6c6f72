//! The receive view: a virtualized list of display lines, only the visible
//! ones laid out each frame, so 1,000,000 records cost what 1,000 do.

use crate::ids::Direction;
use std::ops::Range;
use std::time::{Duration, Instant};

use eframe::egui::{self, Color32, FontId, RichText, TextFormat, TextStyle, text::LayoutJob};

use crate::i18n::{arg, t, tr};
use crate::view::lines::{LineStyle, escape_chars};
use crate::view::{Framing, Highlight, NoteLevel, ReceiveView, ViewMode};

/// The receive toolbar's choices, held by the app.
pub struct ReceiveControls<'a> {
    /// Text, Hex or Text+Hex.
    pub mode: &'a mut ViewMode,
    /// While it holds a record number, only the records before it are shown
    /// (the rest keep arriving, and show on Resume).
    pub paused_at: &'a mut Option<u64>,
    /// How stream data is cut into records.
    pub framing: &'a mut Framing,
    /// The custom delimiter as typed.
    pub delimiter_text: &'a mut String,
    /// 自动换行: long lines wrap at the view's width.
    pub wrap_lines: &'a mut bool,
}

/// Draws the view's toolbar (mode, records, Pause, Clear, counts); the
/// lines follow with [`super::marked_lines_ui`] (after the find bar and filter row).
pub fn receive_toolbar_ui(ui: &mut egui::Ui, view: &mut ReceiveView, controls: ReceiveControls<'_>) {
    let ReceiveControls { mode, paused_at, framing, delimiter_text, wrap_lines } = controls;
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(t("receive-title")).strong());
        for m in ViewMode::ALL {
            ui.radio_value(mode, m, m.label());
        }
        if *mode != view.mode() {
            view.set_mode(*mode);
        }
        ui.separator();
        super::framing::framing_ui(ui, framing, delimiter_text);
        if framing != view.framing() {
            view.set_framing(framing.clone());
        }
        ui.separator();
        ui.checkbox(wrap_lines, t("receive-wrap")).on_hover_text(t("receive-wrap-tip"));
        let pause_label = t(if paused_at.is_some() { "receive-resume" } else { "receive-pause" });
        if ui.button(pause_label).on_hover_text(t("receive-pause-tip")).clicked() {
            *paused_at = match paused_at {
                Some(_) => None,
                None => Some(view.next_seq()),
            };
        }
        if ui.button(t("receive-clear")).on_hover_text(t("receive-clear-tip")).clicked() {
            view.clear();
        }
        if let Some(seq) = *paused_at {
            let waiting = view.next_seq().saturating_sub(seq);
            ui.label(RichText::new(tr("receive-paused", &[arg("count", waiting)])).color(ui.visuals().warn_fg_color));
        }
        let stats = view.stats();
        ui.label(
            RichText::new(tr("receive-stats", &[arg("records", stats.records), arg("kib", stats.bytes / 1024)]))
                .small()
                .weak(),
        );
    });
    wrap_to_width(ui, view, *wrap_lines);
}

/// With 自动换行 on, text lines wrap at the view's width, counted in columns
/// of the monospace font (a Chinese character takes two); the view re-wraps
/// when the width in columns changes. Off: at the view's fixed maximum.
pub fn wrap_to_width(ui: &egui::Ui, view: &mut ReceiveView, wrap_lines: bool) {
    let columns = if wrap_lines {
        let font = TextStyle::Monospace.resolve(ui.style());
        let column = ui.fonts_mut(|f| f.glyph_width(&font, '0')).max(1.0);
        // Room for the indent of text lines and the scroll bar.
        let width = ui.available_width() - ui.spacing().scroll.bar_width - 8.0;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // a width in columns, ≥ 0
        let fit = (width / column).max(0.0) as usize;
        fit.saturating_sub(4)
    } else {
        crate::view::lines::WRAP_CHARS
    };
    view.set_wrap(columns);
}

/// Draws the lines of `view` in a scroll area that sticks to the bottom, or,
/// with `jump_to`, scrolls so that that display line is at the top.
pub fn lines_ui(ui: &mut egui::Ui, view: &ReceiveView, jump_to: Option<usize>) {
    lines_ui_upto(ui, view, jump_to, view.line_count());
}

/// [`lines_ui`] showing only the first `visible` display lines.
pub fn lines_ui_upto(ui: &mut egui::Ui, view: &ReceiveView, jump_to: Option<usize>, visible: usize) {
    super::marked_lines_ui(ui, view, super::LineMarks { jump_to, visible, ..super::LineMarks::default() });
}

/// How long one receive pane's lines may spend in a frame asking the system
/// for fonts that have characters the bundled and already found fonts lack
/// (two panes side by side: twice this). Each character
/// not met before can take a search of every installed font (where none has
/// it, the search is only remembered for that one character), and a fresh
/// page of binary data in GBK holds a thousand such characters.
const FONT_SEARCH_BUDGET: Duration = Duration::from_millis(2);

/// One pane's searches for fonts in a frame, within [`FONT_SEARCH_BUDGET`]: a
/// character met after it is shown escaped for that frame, and looked up in
/// a following one.
pub(super) struct FontSearches {
    deadline: Instant,
    deferred: bool,
}

impl FontSearches {
    /// A frame's searches, starting now.
    pub(super) fn new() -> Self {
        Self { deadline: Instant::now() + FONT_SEARCH_BUDGET, deferred: false }
    }

    /// Whether a character was left for a following frame (which must then be drawn).
    pub(super) fn deferred(&self) -> bool {
        self.deferred
    }
}

/// A character that no font (bundled or system) can draw would be a box
/// ("tofu"); show it as a `\u{XXXX}` marker instead, which can be read.
pub(super) fn show_missing_glyphs_as_escapes(
    ui: &egui::Ui,
    font: &FontId,
    text: &mut String,
    markers: &mut Vec<Range<usize>>,
    searches: &mut FontSearches,
) {
    ui.fonts_mut(|fonts| {
        // Every ASCII character is drawn (the default fonts have them all, and
        // controls are markers already): only the rest is looked up.
        let mut drawable = |fonts: &mut egui::epaint::text::FontsView<'_>, c: char| {
            if c.is_ascii() || c.is_control() || c.is_whitespace() {
                return true;
            }
            match fonts.has_known_glyph(font, c) {
                Some(known) => known,
                None if Instant::now() < searches.deadline => fonts.has_glyph(font, c),
                None => {
                    searches.deferred = true;
                    false
                }
            }
        };
        if text.chars().all(|c| drawable(fonts, c)) {
            return;
        }
        escape_chars(text, markers, |c| (!drawable(fonts, c)).then(|| format!("\\u{{{:X}}}", c as u32)));
    });
}

/// The colours of the view's lines.
pub(super) struct Palette {
    tx: Color32,
    rx: Color32,
    info: Color32,
    error: Color32,
    text: Color32,
    hex: Color32,
    marker: Color32,
    found: Color32,
    current: Color32,
}

impl Palette {
    pub(super) fn new(dark: bool) -> Self {
        if dark {
            Self {
                tx: Color32::from_rgb(240, 180, 70),
                rx: Color32::from_rgb(100, 210, 130),
                info: Color32::from_rgb(130, 160, 200),
                error: Color32::from_rgb(240, 100, 90),
                text: Color32::from_rgb(230, 230, 230),
                hex: Color32::from_rgb(150, 190, 240),
                marker: Color32::from_rgb(230, 120, 200),
                found: Color32::from_rgb(90, 80, 20),
                current: Color32::from_rgb(170, 90, 0),
            }
        } else {
            Self {
                tx: Color32::from_rgb(170, 100, 0),
                rx: Color32::from_rgb(20, 130, 50),
                info: Color32::from_rgb(60, 90, 140),
                error: Color32::from_rgb(190, 30, 30),
                text: Color32::from_rgb(20, 20, 20),
                hex: Color32::from_rgb(30, 80, 160),
                marker: Color32::from_rgb(170, 40, 140),
                found: Color32::from_rgb(255, 240, 140),
                current: Color32::from_rgb(255, 170, 60),
            }
        }
    }
}

/// A line as egui text: its colour by style, escape markers in italics,
/// find matches on a background (the selected one stronger).
pub(super) fn layout_job(
    text: &str,
    markers: &[Range<usize>],
    highlights: &[Highlight],
    style: LineStyle,
    font: &FontId,
    palette: &Palette,
) -> LayoutJob {
    let mut job = LayoutJob::default();
    job.wrap.max_width = f32::INFINITY;
    let (base, indent) = match style {
        LineStyle::Header(Direction::Tx) => (palette.tx, ""),
        LineStyle::Header(Direction::Rx) => (palette.rx, ""),
        LineStyle::Note(NoteLevel::Info) => (palette.info, ""),
        LineStyle::Note(NoteLevel::Error) => (palette.error, ""),
        LineStyle::Text => (palette.text, "    "),
        LineStyle::Hex => (palette.hex, "    "),
    };
    job.append(indent, 0.0, TextFormat::simple(font.clone(), base));
    if text.is_empty() {
        job.append("", 0.0, TextFormat::simple(font.clone(), base));
        return job;
    }
    // Cut the line wherever a marker or a highlight starts or ends.
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for range in markers.iter().chain(highlights.iter().map(|h| &h.range)) {
        cuts.extend([range.start.min(text.len()), range.end.min(text.len())]);
    }
    cuts.sort_unstable();
    cuts.dedup();
    for piece in cuts.windows(2) {
        let (start, end) = (piece[0], piece[1]);
        let Some(slice) = text.get(start..end) else { continue };
        let marked = markers.iter().any(|m| m.start <= start && end <= m.end);
        let mut format = TextFormat::simple(font.clone(), if marked { palette.marker } else { base });
        format.italics = marked;
        let found = highlights.iter().filter(|h| h.range.start <= start && end <= h.range.end);
        if let Some(current) = found.map(|h| h.current).reduce(|a, b| a || b) {
            format.background = if current { palette.current } else { palette.found };
        }
        job.append(slice, 0.0, format);
    }
    job
}

#[cfg(test)]
#[path = "receive_tests.rs"]
mod tests;
