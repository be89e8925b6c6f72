//! The receive pane of a tab showing a capture opened whole: its header,
//! the find bar (the tab's, searching the whole file on a worker) and its
//! rows; F3 / Shift+F3 step through the matches.

use eframe::egui;

use super::SessionTab;
use crate::capture::RecordFilter;
use crate::model::Message;
use crate::ui::{self, BigCaptureIntent, FilterIntent, FindIntent};
use crate::view::FindQuery;

impl SessionTab {
    /// The find bar's query, if the bar is open and there is one to search for.
    fn big_query(&self) -> Option<FindQuery> {
        let find = &self.find;
        (find.open && !find.query.is_empty()).then(|| FindQuery {
            text: find.query.clone(),
            mode: find.mode,
            match_case: !find.ignore_case,
        })
    }

    /// Searches the opened capture for the find bar's query (once it is
    /// indexed: until then the search waits).
    pub(super) fn restart_big_find(&mut self) {
        let query = self.big_query();
        let Some(big) = &mut self.big else { return };
        big.problem = None;
        if big.capture.indexing() {
            big.find_waiting = query.is_some();
            return;
        }
        big.find_waiting = false;
        if let Err(problem) = big.start_find(query) {
            big.problem = Some(problem);
        }
    }

    /// Filters the opened capture by the filter row (once it is indexed:
    /// until then the filter waits).
    pub(super) fn restart_big_filter(&mut self) {
        let filter = &self.filter;
        let spec = RecordFilter { rx: filter.rx, tx: filter.tx, events: filter.events };
        let query = (!filter.query.is_empty()).then(|| FindQuery {
            text: filter.query.clone(),
            mode: filter.mode,
            match_case: !filter.ignore_case,
        });
        let Some(big) = &mut self.big else { return };
        big.filter_problem = None;
        if big.capture.indexing() {
            big.filter_waiting = query.is_some() || !(spec.rx && spec.tx && spec.events);
            return;
        }
        big.filter_waiting = false;
        if let Err(problem) = big.start_filter(spec, query) {
            big.filter_problem = Some(problem);
        }
    }

    /// Selects the next match in the opened capture and scrolls to it.
    pub(super) fn big_find_next(&mut self, forward: bool) {
        if let Some(big) = &mut self.big {
            let find = &mut big.capture.find;
            let record = if forward { find.select_next() } else { find.select_previous() };
            big.capture.scroll_to = record.or(big.capture.scroll_to);
        }
    }
}

/// The pane of a tab showing a capture opened whole.
pub(super) fn big_pane_ui(ui: &mut egui::Ui, tab: &mut SessionTab) {
    let Some(big) = &mut tab.big else { return };
    match ui::big_capture_header_ui(ui, &mut big.capture) {
        Some(BigCaptureIntent::Close | BigCaptureIntent::Cancel) => {
            tab.close_capture();
            return;
        }
        Some(BigCaptureIntent::CharsetChanged) => {
            if big.capture.find.searched.is_some() {
                tab.restart_big_find();
            }
            if !tab.filter.query.is_empty() {
                tab.restart_big_filter();
            }
        }
        _ => {}
    }
    if tab.big.as_ref().is_some_and(|big| big.find_waiting && !big.capture.indexing()) {
        tab.restart_big_find();
    }
    if tab.big.as_ref().is_some_and(|big| big.filter_waiting && !big.capture.indexing()) {
        tab.restart_big_filter();
    }
    let Some(big) = &mut tab.big else { return };
    if big.busy() {
        ui.ctx().request_repaint();
    }
    if tab.find.open {
        let focus = std::mem::take(&mut tab.find.focus);
        let find = &mut tab.find;
        let (mut query, mut mode, mut ignore_case) = (find.query.clone(), find.mode, find.ignore_case);
        let waiting = big.find_waiting.then_some(Message::CaptureIndexing);
        let problem = big.problem.as_ref().or(waiting.as_ref());
        let panel = ui::FindPanel {
            query: &mut query,
            mode: &mut mode,
            ignore_case: &mut ignore_case,
            focus,
            counter: big.capture.find.counter(),
            progress: big.capture.find.progress(big.capture.file_len),
            problem,
        };
        let intent = ui.push_id("find_bar", |ui| ui::find_bar_ui(ui, panel)).inner;
        (find.query, find.mode, find.ignore_case) = (query, mode, ignore_case);
        match intent {
            Some(FindIntent::Changed) => tab.restart_big_find(),
            Some(FindIntent::Next) => tab.big_find_next(true),
            Some(FindIntent::Previous) => tab.big_find_next(false),
            Some(FindIntent::Close) => {
                tab.find.close();
                if let Some(big) = &mut tab.big {
                    let _ = big.start_find(None);
                }
            }
            None => {}
        }
    }
    big_filter_ui(ui, tab);
    ui.separator();
    if let Some(big) = &mut tab.big {
        ui.push_id("bigcap", |ui| ui::big_capture_rows_ui(ui, &mut big.capture));
    }
}

/// The filter row over a capture opened whole (the tab's, as over a view).
fn big_filter_ui(ui: &mut egui::Ui, tab: &mut SessionTab) {
    let Some(big) = &tab.big else { return };
    let waiting = big.filter_waiting.then_some(Message::CaptureIndexing);
    let problem = big.filter_problem.clone().or(waiting);
    let progress = big.capture.filter.progress(big.capture.row_count());
    let intent = super::find_actions::filter_row_ui(ui, &mut tab.filter, None, progress, problem.as_ref());
    match intent {
        Some(FilterIntent::Changed | FilterIntent::ClearClient) => tab.restart_big_filter(),
        Some(FilterIntent::Clear) => {
            tab.filter.clear();
            tab.restart_big_filter();
        }
        None => {}
    }
}
