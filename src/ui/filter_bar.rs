//! The filter row of the receive view: by direction (RX / TX / events), by
//! text, hex or regex, and by the server client picked in the client list;
//! it says how many records it hides (the store and counters keep them).

use std::net::SocketAddr;

use eframe::egui::{self, RichText};

use crate::i18n::{arg, t, tr};
use crate::model::Message;
use crate::view::{FilterProgress, FindMode};

/// The filter's text box (its accessible name).
pub fn filter_field() -> String {
    t("filter-field")
}

/// The filter's mode selector (its accessible name).
pub fn filter_mode_label() -> String {
    t("filter-mode")
}

/// What the filter row asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub enum FilterIntent {
    /// A choice changed: filter again.
    Changed,
    /// Show every client's records again.
    ClearClient,
    /// Let everything pass.
    Clear,
}

/// What the filter row shows and edits.
pub struct FilterPanel<'a> {
    /// Data received passes.
    pub rx: &'a mut bool,
    /// Data sent passes.
    pub tx: &'a mut bool,
    /// Notes pass.
    pub events: &'a mut bool,
    /// The text as typed.
    pub query: &'a mut String,
    /// How the text is read.
    pub mode: &'a mut FindMode,
    /// Letters match in either case.
    pub ignore_case: &'a mut bool,
    /// The server client shown alone, if one is.
    pub client: Option<SocketAddr>,
    /// Where the filter has got, when it filters.
    pub progress: Option<FilterProgress>,
    /// Why the text cannot be filtered by.
    pub problem: Option<&'a Message>,
}

/// Draws the filter row; returns what the user asked for.
pub fn filter_bar_ui(ui: &mut egui::Ui, panel: FilterPanel<'_>) -> Option<FilterIntent> {
    let FilterPanel { rx, tx, events, query, mode, ignore_case, client, progress, problem } = panel;
    let mut intent = None;
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(t("filter-title")).strong());
        for (value, key, tip) in [
            (rx, "filter-rx", "filter-rx-tip"),
            (tx, "filter-tx", "filter-tx-tip"),
            (events, "filter-events", "filter-events-tip"),
        ] {
            if ui.checkbox(value, t(key)).on_hover_text(t(tip)).changed() {
                intent = Some(FilterIntent::Changed);
            }
        }
        let label = ui.label(filter_field());
        let field = ui
            .add(egui::TextEdit::singleline(query).hint_text(t("filter-hint")).desired_width(140.0))
            .labelled_by(label.id);
        if field.changed() {
            intent = Some(FilterIntent::Changed);
        }
        if super::find_bar::mode_ui(ui, "filter_mode", &filter_mode_label(), mode) {
            intent = Some(FilterIntent::Changed);
        }
        if ui.checkbox(ignore_case, t("filter-any-case")).changed() {
            intent = Some(FilterIntent::Changed);
        }
        if let Some(peer) = client {
            ui.label(RichText::new(tr("filter-client", &[arg("peer", peer.to_string())])).strong());
            if ui.button(t("filter-all-clients")).clicked() {
                intent = Some(FilterIntent::ClearClient);
            }
        }
        if let Some(progress) = progress {
            let text = if progress.done() {
                tr("filter-hidden", &[arg("count", progress.hidden)])
            } else {
                tr("filter-pending", &[arg("hidden", progress.hidden), arg("pending", progress.pending)])
            };
            ui.label(RichText::new(text).color(ui.visuals().warn_fg_color));
            if ui.button(t("filter-clear")).on_hover_text(t("filter-clear-tip")).clicked() {
                intent = Some(FilterIntent::Clear);
            }
        }
    });
    if let Some(problem) = problem {
        ui.label(RichText::new(problem.to_string()).color(ui.visuals().error_fg_color));
    }
    intent
}
