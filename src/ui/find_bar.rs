//! The find bar (Ctrl+F) over the receive view or an opened capture: the
//! query, text / hex / regex, ignore case, previous / next, "3 / 120",
//! progress while the search runs, and why a query cannot be searched for.

use eframe::egui::{self, Key, RichText};

use crate::i18n::{arg, t, tr};
use crate::model::Message;
use crate::view::{FindMode, FindProgress};

/// The find bar's query box (its accessible name).
pub fn find_field() -> String {
    t("find-field")
}

/// The find bar's mode selector (its accessible name).
pub fn find_mode_label() -> String {
    t("find-mode")
}

/// The label of a find or filter mode.
pub fn find_mode_name(mode: FindMode) -> String {
    t(match mode {
        FindMode::Text => "find-mode-text",
        FindMode::Hex => "find-mode-hex",
        FindMode::Regex => "find-mode-regex",
    })
}

/// What the find bar asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub enum FindIntent {
    /// The query, mode or case changed: search again.
    Changed,
    /// Select the next match (Enter, the Next button).
    Next,
    /// Select the previous match (Shift+Enter, the Previous button).
    Previous,
    /// Close the bar.
    Close,
}

/// What the find bar shows and edits.
pub struct FindPanel<'a> {
    /// The query as typed.
    pub query: &'a mut String,
    /// Text, hex or regex.
    pub mode: &'a mut FindMode,
    /// Letters match in either case.
    pub ignore_case: &'a mut bool,
    /// Put the cursor in the query box.
    pub focus: bool,
    /// The selected match's number (0: none) and the count.
    pub counter: (usize, usize),
    /// The search's progress, if one runs.
    pub progress: Option<FindProgress>,
    /// Why the query cannot be searched for.
    pub problem: Option<&'a Message>,
}

/// The text / hex / regex selector the find and filter bars share, labelled
/// `label`; true when the choice changed.
pub(super) fn mode_ui(ui: &mut egui::Ui, id: &str, label: &str, mode: &mut FindMode) -> bool {
    let label = ui.label(label);
    let before = *mode;
    egui::ComboBox::from_id_salt(id)
        .selected_text(find_mode_name(*mode))
        .show_ui(ui, |ui| {
            for choice in [FindMode::Text, FindMode::Hex, FindMode::Regex] {
                ui.selectable_value(mode, choice, find_mode_name(choice));
            }
        })
        .response
        .labelled_by(label.id);
    *mode != before
}

/// Draws the find bar; returns what the user asked for.
pub fn find_bar_ui(ui: &mut egui::Ui, panel: FindPanel<'_>) -> Option<FindIntent> {
    let FindPanel { query, mode, ignore_case, focus, counter, progress, problem } = panel;
    let mut intent = None;
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(RichText::new(find_field()).strong());
        let field = ui
            .add(egui::TextEdit::singleline(query).hint_text(t("find-hint")).desired_width(200.0))
            .labelled_by(label.id);
        if focus {
            field.request_focus();
        }
        if field.changed() {
            intent = Some(FindIntent::Changed);
        }
        if field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
            let shift = ui.input(|i| i.modifiers.shift);
            intent = Some(if shift { FindIntent::Previous } else { FindIntent::Next });
            field.request_focus();
        }
        if mode_ui(ui, "find_mode", &find_mode_label(), mode) {
            intent = Some(FindIntent::Changed);
        }
        if ui.checkbox(ignore_case, t("find-ignore-case")).changed() {
            intent = Some(FindIntent::Changed);
        }
        if ui.button(t("find-previous")).on_hover_text(t("find-previous-tip")).clicked() {
            intent = Some(FindIntent::Previous);
        }
        if ui.button(t("find-next")).on_hover_text(t("find-next-tip")).clicked() {
            intent = Some(FindIntent::Next);
        }
        ui.label(tr("find-counter", &[arg("current", counter.0), arg("total", counter.1)]));
        if let Some(progress) = progress.filter(|p| !p.done) {
            let percent = (progress.fraction() * 100.0).round();
            ui.add(
                egui::ProgressBar::new(progress.fraction())
                    .desired_width(120.0)
                    .text(tr("find-searching", &[arg("percent", f64::from(percent))])),
            );
        }
        if progress.is_some_and(|p| p.capped) {
            ui.label(RichText::new(t("find-capped")).color(ui.visuals().warn_fg_color));
        }
        if ui.button("×").on_hover_text(t("find-close-tip")).clicked() {
            intent = Some(FindIntent::Close);
        }
    });
    if let Some(problem) = problem {
        ui.label(RichText::new(problem.to_string()).color(ui.visuals().error_fg_color));
    }
    intent
}
