//! A tab's receive pane: its toolbar (or an opened capture's header), the
//! find bar and filter row, and the lines with their marks. Find and filter
//! work a frame's budget at a time, so a search never holds a frame up.

use eframe::egui::{self, Key, Modifiers};

use super::SessionTab;
use crate::model::{CaptureViewer, FilterState, Message, PaneView, Session};
use crate::ui::{self, FilterIntent, FindIntent};
use crate::view::{FilterProgress, FindBudget, ReceiveView};

/// The view a pane shows: an opened capture's, else the live one.
fn pane_view<'a>(viewer: Option<&'a CaptureViewer>, session: &'a Session) -> (&'a ReceiveView, PaneView) {
    match viewer {
        Some(viewer) => (&viewer.view, PaneView::Capture),
        None => (&session.view, PaneView::Live),
    }
}

impl SessionTab {
    /// Ctrl+F opens the find bar, F3 / Shift+F3 select the next / previous
    /// match, Esc closes the bar (for the tab in view).
    pub(super) fn find_shortcuts(&mut self, ctx: &egui::Context) {
        let open = self.find.open;
        let (show, previous, next, close) = ctx.input_mut(|i| {
            let show = i.consume_key(Modifiers::COMMAND, Key::F);
            // Shift+F3 first: F3 alone also matches with Shift held.
            let previous = i.consume_key(Modifiers::SHIFT, Key::F3);
            let next = i.consume_key(Modifiers::NONE, Key::F3);
            let close = open && i.consume_key(Modifiers::NONE, Key::Escape);
            (show, previous, next, close)
        });
        if show || ((previous || next) && !open) {
            self.find.show();
        }
        if close {
            self.find.close();
        }
        if self.big.is_some() {
            if close {
                let _ = self.big.as_mut().map(|big| big.start_find(None));
            }
            if next || previous {
                self.big_find_next(next);
            }
            return;
        }
        let (view, _) = pane_view(self.viewer.as_ref(), &self.session);
        if next {
            self.find.next(view);
        } else if previous {
            self.find.previous(view);
        }
    }

    /// Selects the next match of the find bar's search.
    pub fn find_next(&mut self) {
        if self.big.is_some() {
            return self.big_find_next(true);
        }
        let (view, _) = pane_view(self.viewer.as_ref(), &self.session);
        self.find.next(view);
    }

    /// Selects the previous match of the find bar's search.
    pub fn find_previous(&mut self) {
        if self.big.is_some() {
            return self.big_find_next(false);
        }
        let (view, _) = pane_view(self.viewer.as_ref(), &self.session);
        self.find.previous(view);
    }

    /// Draws the find bar (when open) and the filter row, carries out what
    /// they ask for, and moves the search and the filter on by a frame's budget.
    fn find_filter_ui(&mut self, ui: &mut egui::Ui) {
        let (view, on) = pane_view(self.viewer.as_ref(), &self.session);
        let found = self.find.advance(view, on, FindBudget::FRAME);
        let filtered = self.filter.update(view, on, FindBudget::FRAME);
        if found.is_some_and(|p| !p.done) || filtered.is_some_and(|p| !p.done()) {
            ui.ctx().request_repaint();
        }
        if self.find.open {
            let focus = std::mem::take(&mut self.find.focus);
            let (mut query, mut mode, mut ignore_case) =
                (self.find.query.clone(), self.find.mode, self.find.ignore_case);
            let problem = self.find.problem().cloned();
            let intent = ui.push_id("find_bar", |ui| {
                ui::find_bar_ui(
                    ui,
                    ui::FindPanel {
                        query: &mut query,
                        mode: &mut mode,
                        ignore_case: &mut ignore_case,
                        focus,
                        counter: self.find.counter(),
                        progress: found,
                        problem: problem.as_ref(),
                    },
                )
            });
            (self.find.query, self.find.mode, self.find.ignore_case) = (query, mode, ignore_case);
            match intent.inner {
                Some(FindIntent::Changed) => {
                    self.find.restart();
                    ui.ctx().request_repaint();
                }
                Some(FindIntent::Next) => self.find.next(view),
                Some(FindIntent::Previous) => self.find.previous(view),
                Some(FindIntent::Close) => self.find.close(),
                None => {}
            }
        }
        let filter = &mut self.filter;
        let problem = filter.problem().cloned();
        let client = filter.client.map(|(_, peer)| peer).filter(|_| on == PaneView::Live);
        let intent = filter_row_ui(ui, filter, client, filtered, problem.as_ref());
        match intent {
            Some(FilterIntent::Changed) => filter.restart(),
            Some(FilterIntent::ClearClient) => filter.clear_client(),
            Some(FilterIntent::Clear) => filter.clear(),
            None => {}
        }
        if intent.is_some() {
            ui.ctx().request_repaint();
        }
    }
}

/// A tab's receive view (or its opened capture), with its own controls,
/// the find bar and the filter row.
pub(super) fn receive_pane_ui(ui: &mut egui::Ui, tab: &mut SessionTab) {
    if tab.big.is_some() {
        return super::big_pane::big_pane_ui(ui, tab);
    }
    if let Some(viewer) = &mut tab.viewer {
        if ui::capture_ui(ui, viewer) {
            tab.close_capture();
            return;
        }
    } else {
        let controls = ui::ReceiveControls {
            mode: &mut tab.settings.view_mode,
            paused_at: &mut tab.display_paused_at,
            framing: &mut tab.settings.framing,
            delimiter_text: &mut tab.delimiter_text,
            wrap_lines: &mut tab.settings.wrap_lines,
        };
        ui::receive_toolbar_ui(ui, &mut tab.session.view, controls);
    }
    tab.find_filter_ui(ui);
    ui.separator();
    let jump_to = tab.find.scroll_to.take();
    let (view, on) = pane_view(tab.viewer.as_ref(), &tab.session);
    let visible = match (on, tab.display_paused_at) {
        (PaneView::Live, Some(seq)) => view.line_count_before(seq),
        _ => usize::MAX,
    };
    let marks = ui::LineMarks { find: tab.find.job(), filter: tab.filter.filtered(), jump_to, visible };
    let id = if on == PaneView::Capture { "capture_lines" } else { "live_lines" };
    ui.push_id(id, |ui| ui::marked_lines_ui(ui, view, marks));
}

/// Draws the filter row over `filter`'s choices (a pane's, or a capture
/// opened whole's); returns what the user asked for.
pub(super) fn filter_row_ui(
    ui: &mut egui::Ui,
    filter: &mut FilterState,
    client: Option<std::net::SocketAddr>,
    progress: Option<FilterProgress>,
    problem: Option<&Message>,
) -> Option<FilterIntent> {
    let panel = ui::FilterPanel {
        rx: &mut filter.rx,
        tx: &mut filter.tx,
        events: &mut filter.events,
        query: &mut filter.query,
        mode: &mut filter.mode,
        ignore_case: &mut filter.ignore_case,
        client,
        progress,
        problem,
    };
    ui.push_id("filter_row", |ui| ui::filter_bar_ui(ui, panel)).inner
}
