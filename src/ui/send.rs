//! The send box: text or hex, Send button and Ctrl+Enter.

use eframe::egui::{self, Key, Modifiers, RichText};

use crate::app::SendMode;

/// What the user asked for in the send box this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SendIntent {
    /// Send the box's content.
    Send,
}

/// Draws the send box; returns [`SendIntent::Send`] on the button or Ctrl+Enter.
pub fn send_ui(
    ui: &mut egui::Ui,
    text: &mut String,
    mode: &mut SendMode,
    can_send: bool,
    error: Option<&str>,
) -> Option<SendIntent> {
    let mut intent = None;
    let box_id = ui.make_persistent_id("send_text");
    // Ctrl+Enter is taken before the text box sees it, so it sends instead of
    // adding a line; it also works when nothing else has the keyboard (after
    // clicking Send, say), but not while typing in another field.
    let keyboard_free = ui.memory(|m| m.has_focus(box_id) || m.focused().is_none());
    if keyboard_free && ui.input_mut(|i| i.consume_key(Modifiers::COMMAND, Key::Enter)) {
        intent = Some(SendIntent::Send);
    }
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.label(RichText::new("Send").strong());
        for m in [SendMode::Text, SendMode::Hex] {
            ui.radio_value(mode, m, m.label());
        }
        ui.label(RichText::new("Ctrl+Enter sends").small().weak());
    });
    if let Some(error) = error {
        ui.label(RichText::new(error).color(ui.visuals().error_fg_color));
    }
    ui.horizontal(|ui| {
        let button_width = 90.0;
        let hint = match mode {
            SendMode::Text => "Text to send, in the chosen charset",
            SendMode::Hex => "Hex bytes, e.g. C4 E3 BA C3",
        };
        let label = ui.label("Send data");
        let height = ui.available_height().max(40.0);
        ui.add_sized(
            [ui.available_width() - button_width - 8.0, height],
            egui::TextEdit::multiline(text).id(box_id).hint_text(hint).font(egui::TextStyle::Monospace),
        )
        .labelled_by(label.id);
        let send = egui::Button::new(RichText::new("Send / 发送").strong()).min_size(egui::vec2(button_width, height));
        if ui.add(send).on_hover_text(if can_send { "Send (Ctrl+Enter)" } else { "Not connected" }).clicked() {
            intent = Some(SendIntent::Send);
        }
    });
    intent
}
