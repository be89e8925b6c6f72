//! The path field shown where the system has no file dialog: it says why,
//! takes the path as typed, and keeps it when the path is refused.

use eframe::egui::{self, RichText};

use crate::i18n::t;
use crate::model::{FilePurpose, Message, PathPrompt};

/// The path field (its accessible name).
pub fn path_field() -> String {
    t("path-prompt-field")
}

/// The window's title for `purpose` (the title its file dialog would have had).
pub fn path_prompt_title(purpose: FilePurpose) -> String {
    t(match purpose {
        FilePurpose::SendFile => "dialog-send-file",
        FilePurpose::OpenCapture => "dialog-open-capture",
        FilePurpose::SaveView => "dialog-save-view",
        FilePurpose::OpenSequence => "dialog-open-sequence",
        FilePurpose::SaveSequence => "dialog-save-sequence",
    })
}

/// The button that uses the path: Open or Save.
pub fn path_prompt_button(purpose: FilePurpose) -> String {
    t(if purpose.opens() { "path-prompt-open" } else { "path-prompt-save" })
}

/// What the path window asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub enum PathPromptIntent {
    /// Use the path typed.
    Accept,
    /// Close without a path.
    Cancel,
}

/// Draws the path window over the tab; returns what the user asked for
/// (Enter in the field accepts, as the button does).
pub fn path_prompt_ui(ctx: &egui::Context, prompt: &mut PathPrompt) -> Option<PathPromptIntent> {
    let mut intent = None;
    let mut open = true;
    egui::Window::new(path_prompt_title(prompt.purpose))
        .open(&mut open)
        .collapsible(false)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .default_width(480.0)
        .show(ctx, |ui| {
            ui.label(Message::NoFileDialog.to_string());
            ui.horizontal(|ui| {
                let label = ui.label(path_field());
                let field =
                    ui.add(egui::TextEdit::singleline(&mut prompt.text).desired_width(360.0)).labelled_by(label.id);
                if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    intent = Some(PathPromptIntent::Accept);
                }
            });
            ui.horizontal(|ui| {
                if ui.button(path_prompt_button(prompt.purpose)).clicked() {
                    intent = Some(PathPromptIntent::Accept);
                }
                if ui.button(t("button-cancel")).clicked() {
                    intent = Some(PathPromptIntent::Cancel);
                }
            });
            if let Some(problem) = &prompt.problem {
                ui.label(RichText::new(problem.to_string()).color(ui.visuals().error_fg_color));
            }
        });
    if !open {
        intent = Some(PathPromptIntent::Cancel);
    }
    intent
}
