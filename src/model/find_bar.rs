//! The find bar (Ctrl+F) and the filter row of a tab's receive pane, as
//! values: what was typed, the search or filter job over the view shown,
//! and why a query cannot be used (a typed [`Message`]). No egui: the
//! panels edit these fields and return intents; the app calls the methods.

use std::net::SocketAddr;

use crate::ids::ConnId;
use crate::view::{
    FilterProgress, FilterSpec, FilteredView, FindBudget, FindJob, FindMode, FindProgress, FindQuery, ReceiveView,
    Source,
};

use super::Message;

/// Which view of a tab the pane shows (find and filter start over when it changes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PaneView {
    /// The live receive view.
    #[default]
    Live,
    /// An opened capture.
    Capture,
}

/// Ctrl+F: what is looked for in the pane's view, and the search under way.
#[derive(Debug, Default)]
pub struct FindState {
    /// The bar is shown.
    pub open: bool,
    /// The query as typed.
    pub query: String,
    /// Text, hex bytes or regex.
    pub mode: FindMode,
    /// Letters match in either case.
    pub ignore_case: bool,
    /// The query box should take the keyboard focus (the bar was just opened).
    pub focus: bool,
    /// The view line to scroll into view (a match was just selected).
    pub scroll_to: Option<usize>,
    job: Option<FindJob>,
    problem: Option<Message>,
    on: PaneView,
}

impl FindState {
    /// Shows the bar and puts the cursor in its query box.
    pub fn show(&mut self) {
        self.open = true;
        self.focus = true;
    }

    /// Hides the bar; its matches go (the query stays for the next Ctrl+F).
    pub fn close(&mut self) {
        self.open = false;
        self.job = None;
        self.problem = None;
        self.scroll_to = None;
    }

    /// The query, mode or case changed: the search starts over (an empty
    /// query finds nothing and is no error; a bad one says why).
    pub fn restart(&mut self) {
        self.job = None;
        self.problem = None;
        self.scroll_to = None;
        if self.query.is_empty() {
            return;
        }
        let query = FindQuery { text: self.query.clone(), mode: self.mode, match_case: !self.ignore_case };
        match FindJob::new(query) {
            Ok(job) => self.job = Some(job),
            Err(error) => self.problem = Some(Message::BadQuery(error)),
        }
    }

    /// Once a frame: searches a `budget` more of `view` (the `on` view of
    /// the pane); `None` when there is no search.
    pub fn advance(&mut self, view: &ReceiveView, on: PaneView, budget: FindBudget) -> Option<FindProgress> {
        if on != self.on {
            self.on = on;
            if self.job.is_some() {
                self.restart();
            }
        }
        if !self.open {
            return None;
        }
        Some(self.job.as_mut()?.advance(view, budget))
    }

    /// Selects the next match (F3, Enter) and asks for it to be scrolled into view.
    pub fn next(&mut self, view: &ReceiveView) {
        if let Some(job) = &mut self.job
            && let Some(hit) = job.select_next()
        {
            self.scroll_to = job.line_of(view, hit);
        }
    }

    /// Selects the previous match (Shift+F3) and asks for it to be scrolled into view.
    pub fn previous(&mut self, view: &ReceiveView) {
        if let Some(job) = &mut self.job
            && let Some(hit) = job.select_previous()
        {
            self.scroll_to = job.line_of(view, hit);
        }
    }

    /// The search, while the bar is open.
    pub fn job(&self) -> Option<&FindJob> {
        self.job.as_ref().filter(|_| self.open)
    }

    /// Why the query cannot be searched for.
    pub fn problem(&self) -> Option<&Message> {
        self.problem.as_ref()
    }

    /// "3 / 120": the selected match's number from 1 (0 if none) and the count.
    pub fn counter(&self) -> (usize, usize) {
        self.job.as_ref().map_or((0, 0), FindJob::counter)
    }
}

/// The filter row: which records the pane shows. The store and the
/// counters keep everything; the filter only hides.
#[derive(Debug)]
pub struct FilterState {
    /// Data received passes.
    pub rx: bool,
    /// Data sent passes.
    pub tx: bool,
    /// Notes (connected, closed, errors) pass.
    pub events: bool,
    /// Only records with this text (empty: any).
    pub query: String,
    /// How the text is read.
    pub mode: FindMode,
    /// Letters match in either case.
    pub ignore_case: bool,
    /// Only this server client's records (picked in the client list).
    pub client: Option<(ConnId, SocketAddr)>,
    filtered: Option<FilteredView>,
    problem: Option<Message>,
    on: PaneView,
}

impl Default for FilterState {
    fn default() -> Self {
        Self {
            rx: true,
            tx: true,
            events: true,
            query: String::new(),
            mode: FindMode::Text,
            ignore_case: false,
            client: None,
            filtered: None,
            problem: None,
            on: PaneView::Live,
        }
    }
}

impl FilterState {
    /// A choice changed: the filter is built again (a bad text is reported
    /// and left out; the direction and client still filter).
    pub fn restart(&mut self) {
        self.problem = None;
        let text = if self.query.is_empty() {
            None
        } else {
            let query = FindQuery { text: self.query.clone(), mode: self.mode, match_case: !self.ignore_case };
            match crate::view::Pattern::new(&query) {
                Ok(_) => Some(query),
                Err(error) => {
                    self.problem = Some(Message::BadQuery(error));
                    None
                }
            }
        };
        let source = match (self.client, self.on) {
            (Some((conn, peer)), PaneView::Live) => Source::Connection { conn, peer },
            _ => Source::All,
        };
        let spec = FilterSpec { rx: self.rx, tx: self.tx, events: self.events, source, text };
        self.filtered = if spec.passes_all() { None } else { FilteredView::new(spec).ok() };
    }

    /// Shows only `conn`'s records, or everyone's again if it was the one shown.
    pub fn toggle_client(&mut self, conn: ConnId, peer: SocketAddr) {
        self.client = if self.client.is_some_and(|(c, _)| c == conn) { None } else { Some((conn, peer)) };
        self.restart();
    }

    /// Shows every client's records again.
    pub fn clear_client(&mut self) {
        self.client = None;
        self.restart();
    }

    /// Lets everything pass again.
    pub fn clear(&mut self) {
        self.rx = true;
        self.tx = true;
        self.events = true;
        self.query.clear();
        self.client = None;
        self.restart();
    }

    /// Once a frame: takes in a `budget` more of `view` (the `on` view of the pane).
    pub fn update(&mut self, view: &ReceiveView, on: PaneView, budget: FindBudget) -> Option<FilterProgress> {
        if on != self.on {
            self.on = on;
            self.restart();
        }
        Some(self.filtered.as_mut()?.update(view, budget))
    }

    /// The filtered index, when something is filtered out.
    pub fn filtered(&self) -> Option<&FilteredView> {
        self.filtered.as_ref()
    }

    /// Why the text cannot be filtered by.
    pub fn problem(&self) -> Option<&Message> {
        self.problem.as_ref()
    }
}

#[cfg(test)]
#[path = "find_bar_tests.rs"]
mod tests;
