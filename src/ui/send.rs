//! The send box: text or hex, Send button and Ctrl+Enter.

use eframe::egui::{self, Key, Modifiers, RichText};

use crate::codec::{ChecksumKind, LineEnding};
use crate::model::{Message, SendHistory, SendMode, Settings};

/// What the user asked for in the send box this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub enum SendIntent {
    /// Send the box's content.
    Send,
}

/// Draws the send box; returns [`SendIntent::Send`] on the button or Ctrl+Enter.
pub fn send_ui(
    ui: &mut egui::Ui,
    text: &mut String,
    settings: &mut Settings,
    can_send: bool,
    error: Option<&Message>,
    preview: &str,
    history: &mut SendHistory,
) -> Option<SendIntent> {
    let mut intent = None;
    let box_id = ui.make_persistent_id("send_text");
    recall_ui(ui, box_id, text, history);
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
            ui.radio_value(&mut settings.send_mode, m, m.label());
        }
        ui.separator();
        options_ui(ui, settings);
        ui.label(RichText::new("Ctrl+Enter sends").small().weak());
    });
    if let Some(error) = error {
        ui.label(RichText::new(error.to_string()).color(ui.visuals().error_fg_color));
    } else if !preview.is_empty() {
        ui.label(RichText::new(preview).small().monospace().weak());
    }
    ui.horizontal(|ui| {
        let button_width = 90.0;
        let hint = match settings.send_mode {
            SendMode::Text => "Text to send, in the chosen charset",
            SendMode::Hex => "Hex bytes, e.g. C4 E3 BA C3",
        };
        let label = ui.label("Send data");
        let height = ui.available_height().max(40.0);
        let width = ui.available_width() - button_width - 8.0;
        // A long text scrolls inside the box, so the panel and the Send button stay in the window.
        egui::ScrollArea::vertical().id_salt("send_text_scroll").max_height(height).show(ui, |ui| {
            ui.add_sized(
                [width, height],
                egui::TextEdit::multiline(text).id(box_id).hint_text(hint).font(egui::TextStyle::Monospace),
            )
            .labelled_by(label.id);
        });
        let send = egui::Button::new(RichText::new("Send / 发送").strong()).min_size(egui::vec2(button_width, height));
        if ui.add(send).on_hover_text(if can_send { "Send (Ctrl+Enter)" } else { "Not connected" }).clicked() {
            intent = Some(SendIntent::Send);
        }
    });
    intent
}

/// Escapes, line ending and checksum choices.
fn options_ui(ui: &mut egui::Ui, settings: &mut Settings) {
    let text_mode = settings.send_mode == SendMode::Text;
    ui.add_enabled(text_mode, egui::Checkbox::new(&mut settings.send_escapes, "Escapes"))
        .on_hover_text("\\r \\n \\t \\\\ \\0 \\xNN (a raw byte) and \\uXXXX (a character in the charset)");
    let label = ui.label("Append");
    ui.add_enabled_ui(text_mode, |ui| {
        egui::ComboBox::from_id_salt("line_ending")
            .selected_text(settings.line_ending.label())
            .width(50.0)
            .show_ui(ui, |ui| {
                for ending in LineEnding::ALL {
                    ui.selectable_value(&mut settings.line_ending, ending, ending.label());
                }
            })
            .response
            .labelled_by(label.id)
    });
    let label = ui.label("Checksum");
    egui::ComboBox::from_id_salt("checksum")
        .selected_text(settings.checksum.map_or("none", ChecksumKind::label))
        .width(130.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut settings.checksum, None, "none");
            for kind in ChecksumKind::ALL {
                ui.selectable_value(&mut settings.checksum, Some(kind), kind.label());
            }
        })
        .response
        .labelled_by(label.id);
}

/// ↑/↓ in the send box recall the history while its text is one line (in a
/// longer text they move the cursor; Alt+↑/↓ recall there). The cursor goes
/// to the end of the recalled text.
fn recall_ui(ui: &mut egui::Ui, box_id: egui::Id, text: &mut String, history: &mut SendHistory) {
    if !ui.memory(|m| m.has_focus(box_id)) {
        return;
    }
    let one_line = !text.contains('\n');
    let pressed =
        |key| ui.input_mut(|i| i.consume_key(Modifiers::ALT, key) || (one_line && i.consume_key(Modifiers::NONE, key)));
    let recalled = if pressed(Key::ArrowUp) {
        history.older(text)
    } else if pressed(Key::ArrowDown) {
        history.newer()
    } else {
        None
    };
    if let Some(recalled) = recalled {
        *text = recalled;
        if let Some(mut state) = egui::TextEdit::load_state(ui.ctx(), box_id) {
            let end = egui::text::CCursor::new(text.chars().count());
            state.cursor.set_char_range(Some(egui::text::CCursorRange::one(end)));
            state.store(ui.ctx(), box_id);
        }
    }
}
