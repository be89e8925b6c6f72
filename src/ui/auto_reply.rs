//! The auto-reply rules window: one row per rule (on, name, what to match,
//! pattern, reply, checksum, delay), first match wins.

use eframe::egui::{self, RichText};

use crate::codec::ChecksumKind;
use crate::i18n::{arg, t, tr};
use crate::model::{AutoReplySpec, MatchKind, Message, ReplyKind};

/// Title of the rules window.
pub fn rules_window() -> String {
    t("rules-window")
}
/// The button that adds a rule.
pub fn add_rule() -> String {
    t("rules-add")
}

/// Draws the window while `open`; edits `rules` in place. `errors` are the
/// rules' problems (shown under the table).
pub fn auto_reply_window(ctx: &egui::Context, open: &mut bool, rules: &mut Vec<AutoReplySpec>, errors: &[Message]) {
    egui::Window::new(rules_window()).open(open).default_width(760.0).resizable(true).show(ctx, |ui| {
        ui.label(RichText::new(t("rules-intro")).small().weak());
        let mut delete = None;
        egui::ScrollArea::vertical().max_height(320.0).show(ui, |ui| {
            egui::Grid::new("rules").striped(true).num_columns(9).show(ui, |ui| {
                for header in [
                    "rules-on",
                    "rules-name",
                    "rules-when",
                    "rules-pattern",
                    "rules-reply",
                    "rules-reply-data",
                    "rules-checksum",
                    "rules-delay",
                ] {
                    ui.label(RichText::new(t(header)).strong());
                }
                ui.label("");
                ui.end_row();
                for (index, rule) in rules.iter_mut().enumerate() {
                    // Each widget is its own grid cell (a wrapping `push_id` would put the whole row in one).
                    rule_row(ui, index, rule, &mut delete);
                    ui.end_row();
                }
            });
        });
        if let Some(index) = delete {
            rules.remove(index);
        }
        if ui.button(add_rule()).clicked() {
            rules.push(AutoReplySpec {
                name: tr("rules-default-name", &[arg("n", rules.len() + 1)]),
                ..AutoReplySpec::default()
            });
        }
        for error in errors {
            ui.label(RichText::new(error.to_string()).color(ui.visuals().error_fg_color));
        }
    });
}

fn rule_row(ui: &mut egui::Ui, index: usize, rule: &mut AutoReplySpec, delete: &mut Option<usize>) {
    let n = index + 1;
    let on = rule.enabled;
    ui.checkbox(&mut rule.enabled, "").widget_info(|| {
        egui::WidgetInfo::selected(egui::Role::CheckBox, true, on, tr("rules-a11y-on", &[arg("n", n)]))
    });
    field(ui, &mut rule.name, 90.0, tr("rules-a11y-name", &[arg("n", n)]));
    egui::ComboBox::from_id_salt(("match", index))
        .selected_text(rule.match_kind.label())
        .width(110.0)
        .show_ui(ui, |ui| {
            for kind in MatchKind::ALL {
                ui.selectable_value(&mut rule.match_kind, kind, kind.label());
            }
        })
        .response
        .widget_info(|| accessible(egui::Role::ComboBox, tr("rules-a11y-match", &[arg("n", n)])));
    if rule.match_kind == MatchKind::Any {
        ui.label("");
    } else {
        field(ui, &mut rule.pattern, 130.0, tr("rules-a11y-pattern", &[arg("n", n)]));
    }
    egui::ComboBox::from_id_salt(("reply", index))
        .selected_text(rule.reply_kind.shown())
        .width(55.0)
        .show_ui(ui, |ui| {
            for kind in ReplyKind::ALL {
                ui.selectable_value(&mut rule.reply_kind, kind, kind.shown());
            }
        })
        .response
        .widget_info(|| accessible(egui::Role::ComboBox, tr("rules-a11y-reply-kind", &[arg("n", n)])));
    if rule.reply_kind == ReplyKind::Echo {
        ui.label(t("rules-echo-data"));
    } else {
        field(ui, &mut rule.reply, 150.0, tr("rules-a11y-reply", &[arg("n", n)]));
    }
    egui::ComboBox::from_id_salt(("rule_checksum", index))
        .selected_text(rule.checksum.map_or_else(|| t("checksum-none"), |c| c.label().to_owned()))
        .width(100.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut rule.checksum, None, t("checksum-none"));
            for kind in ChecksumKind::ALL {
                ui.selectable_value(&mut rule.checksum, Some(kind), kind.label());
            }
        })
        .response
        .widget_info(|| accessible(egui::Role::ComboBox, tr("rules-a11y-checksum", &[arg("n", n)])));
    ui.add(egui::DragValue::new(&mut rule.delay_ms).range(0..=600_000).suffix(t("unit-ms")))
        .widget_info(|| accessible(egui::Role::SpinButton, tr("rules-a11y-delay", &[arg("n", n)])));
    if ui.button(t("button-delete")).clicked() {
        *delete = Some(index);
    }
}

fn field(ui: &mut egui::Ui, text: &mut String, width: f32, name: String) {
    // A fixed size: in a grid, a text field's desired width alone shrinks to the column's last width.
    let height = ui.spacing().interact_size.y;
    ui.add_sized([width, height], egui::TextEdit::singleline(text))
        .widget_info(move || accessible(egui::Role::TextInput, name.clone()));
}

/// The grid has no label beside each field: give each an accessible name.
fn accessible(typ: egui::Role, name: String) -> egui::WidgetInfo {
    egui::WidgetInfo::labeled(typ, true, name)
}

/// The auto-reply switch and the Rules… button in the left column, with the
/// rules' problems under them; returns true when Rules… was pressed.
#[must_use]
pub fn auto_reply_row_ui(ui: &mut egui::Ui, on: &mut bool, enabled_rules: usize, errors: &[Message]) -> bool {
    let mut open = false;
    ui.horizontal(|ui| {
        ui.checkbox(on, tr("rules-switch", &[arg("count", enabled_rules)])).on_hover_text(t("rules-switch-tip"));
        open = ui.button(t("rules-open")).clicked();
    });
    for error in errors {
        ui.label(RichText::new(error.to_string()).small().color(ui.visuals().error_fg_color));
    }
    open
}
