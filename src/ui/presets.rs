//! The quick-send panel: one button per preset (click sends it), and adding
//! the send box's content as a new preset.

use eframe::egui::{self, RichText};

use crate::i18n::t;
use crate::model::{Message, Preset};

/// Accessible name of the new preset's name field.
pub fn preset_name_field() -> String {
    t("presets-name")
}

/// What the user asked of the presets this frame.
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub enum PresetIntent {
    /// Send preset `n`.
    Send(usize),
    /// Add the send box's content (and its format) as a preset with this name.
    Add(String),
    /// Put preset `n`'s text and format into the send box, for editing.
    Load(usize),
    /// Delete preset `n`.
    Delete(usize),
}

/// Draws the panel. `preview` describes the bytes a preset sends (asked only while it is hovered).
pub fn presets_ui(
    ui: &mut egui::Ui,
    presets: &[Preset],
    preview: &dyn Fn(&Preset) -> String,
    new_name: &mut String,
    message: Option<&Message>,
) -> Option<PresetIntent> {
    let mut intent = None;
    ui.add_space(4.0);
    ui.label(RichText::new(t("presets-title")).strong());
    ui.label(RichText::new(t("presets-hint")).small().weak());
    ui.separator();
    egui::ScrollArea::vertical().max_height(ui.available_height() - 90.0).auto_shrink([false, true]).show(ui, |ui| {
        if presets.is_empty() {
            ui.label(RichText::new(t("presets-empty")).small().weak());
        }
        for (index, preset) in presets.iter().enumerate() {
            let button = egui::Button::new(&preset.name).min_size(egui::vec2(ui.available_width(), 24.0));
            let response = ui.add(button).on_hover_ui(|ui| {
                ui.label(preview(preset));
            });
            if response.clicked() {
                intent = Some(PresetIntent::Send(index));
            }
            response.context_menu(|ui| {
                if ui.button(t("presets-load")).clicked() {
                    intent = Some(PresetIntent::Load(index));
                    ui.close();
                }
                if ui.button(t("button-delete")).clicked() {
                    intent = Some(PresetIntent::Delete(index));
                    ui.close();
                }
            });
        }
    });
    ui.separator();
    let label = ui.label(preset_name_field());
    let field =
        ui.add(egui::TextEdit::singleline(new_name).hint_text(t("presets-name-hint")).desired_width(f32::INFINITY));
    field.labelled_by(label.id);
    if ui.button(t("presets-add")).clicked() {
        intent = Some(PresetIntent::Add(new_name.clone()));
    }
    if let Some(message) = message {
        ui.label(RichText::new(message.to_string()).small().color(ui.visuals().error_fg_color));
    }
    intent
}
