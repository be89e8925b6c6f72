//! The receive view's lines with find matches highlighted and a filter
//! applied: still virtualized (only the visible rows are rendered), a
//! filtered row mapped to the view's own line by the filter's index.

use eframe::egui::{self, TextStyle};

use super::receive::{FontSearches, Palette, layout_job, show_missing_glyphs_as_escapes};
use crate::view::{FilteredView, FindJob, ReceiveView};

/// What to show of a view, and how.
#[derive(Clone, Copy, Default)]
pub struct LineMarks<'a> {
    /// Highlight this search's matches.
    pub find: Option<&'a FindJob>,
    /// Show only the records that pass this filter.
    pub filter: Option<&'a FilteredView>,
    /// Scroll so that this view line shows (a match just selected).
    pub jump_to: Option<usize>,
    /// Show only the view's first `visible` lines (the display is paused); `usize::MAX`: all.
    pub visible: usize,
}

/// Rows shown above a line scrolled to, so it is not at the very top.
const CONTEXT_ROWS: usize = 3;

/// Draws the lines of `view` as `marks` says, in a scroll area that sticks to the bottom.
pub fn marked_lines_ui(ui: &mut egui::Ui, view: &ReceiveView, marks: LineMarks<'_>) {
    let font = TextStyle::Monospace.resolve(ui.style());
    let row_height = ui.fonts_mut(|f| f.row_height(&font));
    let palette = Palette::new(ui.visuals().dark_mode);
    let visible = marks.visible.min(view.line_count());
    let (rows, jump) = match marks.filter {
        None => (visible, marks.jump_to),
        Some(filter) => {
            let rows = if visible < view.line_count() {
                filter.filtered_line(view, visible).unwrap_or_else(|| filter.line_count())
            } else {
                filter.line_count()
            };
            (rows, marks.jump_to.and_then(|line| filter.filtered_line(view, line)))
        }
    };
    let mut area = egui::ScrollArea::both().auto_shrink(false).stick_to_bottom(true);
    if let Some(row) = jump {
        let top = row.saturating_sub(CONTEXT_ROWS);
        area = area.vertical_scroll_offset(top as f32 * (row_height + ui.spacing().item_spacing.y));
    }
    let (mut text, mut markers, mut highlights) = (String::new(), Vec::new(), Vec::new());
    let mut searches = FontSearches::new();
    area.show_rows(ui, row_height, rows, |ui, range| {
        for row in range {
            let index = match marks.filter {
                None => row,
                Some(filter) => match filter.view_line(view, row) {
                    Some(index) => index,
                    None => continue,
                },
            };
            let Some(style) = view.render_line(index, &mut text, &mut markers) else { continue };
            highlights.clear();
            if let Some(job) = marks.find {
                job.highlights(view, index, &text, &mut highlights);
            }
            let before = text.len();
            show_missing_glyphs_as_escapes(ui, &font, &mut text, &mut markers, &mut searches);
            if text.len() != before {
                // Escapes moved the text: the match ranges no longer fit it.
                highlights.clear();
            }
            let job = layout_job(&text, &markers, &highlights, style, &font, &palette);
            ui.add(egui::Label::new(job).wrap_mode(egui::TextWrapMode::Extend));
        }
    });
    if searches.deferred() {
        ui.ctx().request_repaint();
    }
}
