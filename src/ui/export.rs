//! File ▸ Export capture as pcapng…: which capture, which output (typed,
//! or picked with Browse… where the system's file dialog works), Export,
//! and what came of it.

use eframe::egui::{self, RichText};

use crate::i18n::t;
use crate::model::Message;

/// The capture path field (its accessible name).
pub fn export_capture_field() -> String {
    t("export-capture")
}

/// The output path field (its accessible name).
pub fn export_output_field() -> String {
    t("export-output")
}

/// The Export button.
pub fn export_button() -> String {
    t("export-run")
}

/// What the export window asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub enum ExportIntent {
    /// Pick the capture with the file dialog.
    PickCapture,
    /// Pick the output with the file dialog.
    PickOutput,
    /// Export now.
    Export,
    /// Close the window.
    Close,
}

/// What the export window shows and edits.
pub struct ExportPanel<'a> {
    /// The capture's path as typed or picked.
    pub capture: &'a mut String,
    /// The output's path as typed or picked.
    pub output: &'a mut String,
    /// An export is running.
    pub running: bool,
    /// What the last export (or a dialog) came to, and whether it is an error.
    pub message: Option<(&'a Message, bool)>,
}

/// Draws the export window; returns what the user asked for.
pub fn export_window(ctx: &egui::Context, panel: ExportPanel<'_>) -> Option<ExportIntent> {
    let ExportPanel { capture, output, running, message } = panel;
    let mut intent = None;
    let mut open = true;
    egui::Window::new(t("export-title")).open(&mut open).resizable(true).default_width(520.0).show(ctx, |ui| {
        ui.label(RichText::new(t("export-hint")).small().weak());
        egui::Grid::new("export_grid").num_columns(3).spacing([8.0, 6.0]).show(ui, |ui| {
            for (value, name, pick) in [
                (capture, export_capture_field(), ExportIntent::PickCapture),
                (output, export_output_field(), ExportIntent::PickOutput),
            ] {
                let label = ui.label(name);
                ui.add(egui::TextEdit::singleline(value).desired_width(340.0)).labelled_by(label.id);
                if ui.button(t("export-browse")).clicked() {
                    intent = Some(pick);
                }
                ui.end_row();
            }
        });
        ui.horizontal(|ui| {
            if ui.add_enabled(!running, egui::Button::new(export_button())).clicked() {
                intent = Some(ExportIntent::Export);
            }
            if ui.button(t("export-close")).clicked() {
                intent = Some(ExportIntent::Close);
            }
            if running {
                ui.spinner();
                ui.label(t("export-running"));
            }
        });
        if let Some((message, is_error)) = message {
            let color = if is_error { ui.visuals().error_fg_color } else { ui.visuals().text_color() };
            ui.label(RichText::new(message.to_string()).color(color));
        }
    });
    if !open {
        intent = Some(ExportIntent::Close);
    }
    intent
}
