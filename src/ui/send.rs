//! The send box: text or hex, Send button and Ctrl+Enter.

use eframe::egui::{self, Key, Modifiers, RichText};

use crate::codec::{Charset, ChecksumKind, LineEnding, format_hex_line, parse_hex};
use crate::i18n::t;
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
    // Wrapped: at the window's minimum width the options take a second row
    // instead of running off the right edge.
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(t("send-title")).strong());
        let before = settings.send_mode;
        for m in [SendMode::Text, SendMode::Hex] {
            ui.radio_value(&mut settings.send_mode, m, m.label());
        }
        if settings.send_mode != before {
            convert_box(text, before, settings.send_mode, settings.charset);
        }
        ui.separator();
        options_ui(ui, settings);
        ui.label(RichText::new(t("send-shortcut-hint")).small().weak());
    });
    // One line, always: the box below does not jump when a preview or an error comes and goes.
    let (line, colour) = match error {
        Some(error) => (error.to_string(), ui.visuals().error_fg_color),
        None if preview.is_empty() => (" ".to_owned(), ui.visuals().weak_text_color()),
        None => (preview.to_owned(), ui.visuals().weak_text_color()),
    };
    ui.add(egui::Label::new(RichText::new(line).small().monospace().color(colour)).truncate());
    ui.horizontal(|ui| {
        let button_width = 90.0;
        let hint = t(match settings.send_mode {
            SendMode::Text => "send-hint-text",
            SendMode::Hex => "send-hint-hex",
        });
        let label = ui.label(t("send-data"));
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
        let send =
            egui::Button::new(RichText::new(t("button-send")).strong()).min_size(egui::vec2(button_width, height));
        if ui.add(send).on_hover_text(t(if can_send { "send-tip" } else { "send-tip-closed" })).clicked() {
            intent = Some(SendIntent::Send);
        }
    });
    intent
}

/// Escapes, line ending and checksum choices.
fn options_ui(ui: &mut egui::Ui, settings: &mut Settings) {
    let text_mode = settings.send_mode == SendMode::Text;
    ui.add_enabled(text_mode, egui::Checkbox::new(&mut settings.send_escapes, t("send-escapes")))
        .on_hover_text(t("send-escapes-tip"));
    let label = ui.label(t("send-append"));
    ui.add_enabled_ui(text_mode, |ui| {
        egui::ComboBox::from_id_salt("line_ending")
            .selected_text(ending_label(settings.line_ending))
            .width(50.0)
            .show_ui(ui, |ui| {
                for ending in LineEnding::ALL {
                    ui.selectable_value(&mut settings.line_ending, ending, ending_label(ending));
                }
            })
            .response
            .labelled_by(label.id)
    });
    let label = ui.label(t("send-checksum"));
    egui::ComboBox::from_id_salt("checksum")
        .selected_text(settings.checksum.map_or_else(|| t("checksum-none"), |c| c.label().to_owned()))
        .width(130.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut settings.checksum, None, t("checksum-none"));
            for kind in ChecksumKind::ALL {
                ui.selectable_value(&mut settings.checksum, Some(kind), kind.label());
            }
        })
        .response
        .labelled_by(label.id);
}

/// A line ending's name in the menu ("none" in the window's language).
fn ending_label(ending: LineEnding) -> String {
    match ending {
        LineEnding::None => t("checksum-none"),
        other => other.label().to_owned(),
    }
}

/// Switching the box between text and hex converts what it holds, as
/// NetAssist does: text becomes the hex of its bytes in the charset; hex
/// becomes text where its bytes decode whole. What cannot be converted (a
/// character the charset lacks, bytes that do not decode, not hex at all) is
/// left as typed, so nothing is lost.
pub fn convert_box(text: &mut String, from: SendMode, to: SendMode, charset: Charset) {
    match (from, to) {
        (SendMode::Text, SendMode::Hex) => {
            if let Ok(bytes) = charset.encode(text) {
                let mut hex = String::new();
                format_hex_line(&bytes, &mut hex);
                *text = hex;
            }
        }
        (SendMode::Hex, SendMode::Text) => {
            if let Ok(bytes) = parse_hex(text) {
                let decoded = charset.decode_all(&bytes);
                if decoded.invalid.is_empty() {
                    *text = decoded.text;
                }
            }
        }
        _ => {}
    }
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
