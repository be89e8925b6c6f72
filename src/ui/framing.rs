//! The "Records" control of the receive toolbar: how stream data is cut
//! into records for display (as received, at a delimiter, after an idle gap).

use std::time::Duration;

use eframe::egui::{self, RichText};

use crate::codec::{format_hex_line, parse_hex};
use crate::i18n::t;
use crate::view::Framing;

/// Label of the framing selector (also its accessible name).
pub fn framing_label() -> String {
    t("framing-label")
}
/// Accessible name of the custom delimiter field.
pub fn delimiter_field() -> String {
    t("framing-delimiter")
}
/// Accessible name of the idle gap field.
pub fn idle_gap_field() -> String {
    t("framing-idle-gap")
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Choice {
    AsReceived,
    Lf,
    CrLf,
    Custom,
    Idle,
}

impl Choice {
    const ALL: [Choice; 5] = [Choice::AsReceived, Choice::Lf, Choice::CrLf, Choice::Custom, Choice::Idle];

    fn label(self) -> String {
        t(match self {
            Choice::AsReceived => "framing-as-received",
            Choice::Lf => "framing-lf",
            Choice::CrLf => "framing-crlf",
            Choice::Custom => "framing-custom",
            Choice::Idle => "framing-idle",
        })
    }

    fn of(framing: &Framing) -> Choice {
        match framing {
            Framing::AsReceived => Choice::AsReceived,
            Framing::Delimiter(d) if d == b"\n" => Choice::Lf,
            Framing::Delimiter(d) if d == b"\r\n" => Choice::CrLf,
            Framing::Delimiter(_) => Choice::Custom,
            Framing::IdleGap(_) => Choice::Idle,
        }
    }
}

/// Draws the selector (and the delimiter or gap field it needs); edits `framing`.
/// `delimiter_text` is the custom delimiter as typed; an invalid one leaves
/// `framing` as it was and says why.
pub fn framing_ui(ui: &mut egui::Ui, framing: &mut Framing, delimiter_text: &mut String) {
    let current = Choice::of(framing);
    let mut choice = current;
    let label = ui.label(framing_label());
    egui::ComboBox::from_id_salt("framing")
        .selected_text(current.label())
        .show_ui(ui, |ui| {
            for option in Choice::ALL {
                ui.selectable_value(&mut choice, option, option.label());
            }
        })
        .response
        .labelled_by(label.id)
        .on_hover_text(t("framing-tip"));
    if choice != current {
        *framing = match choice {
            Choice::AsReceived => Framing::AsReceived,
            Choice::Lf => Framing::Delimiter(b"\n".to_vec()),
            Choice::CrLf => Framing::Delimiter(b"\r\n".to_vec()),
            Choice::Custom => {
                let bytes = parse_hex(delimiter_text).ok().filter(|b| !b.is_empty()).unwrap_or_else(|| vec![0x03]);
                delimiter_text.clear();
                format_hex_line(&bytes, delimiter_text);
                Framing::Delimiter(bytes)
            }
            Choice::Idle => Framing::IdleGap(Duration::from_millis(20)),
        };
    }
    match framing {
        Framing::Delimiter(bytes) if choice == Choice::Custom => {
            let label = ui.label(delimiter_field());
            let field = ui.add(egui::TextEdit::singleline(delimiter_text).desired_width(70.0)).labelled_by(label.id);
            if field.changed() {
                match parse_hex(delimiter_text) {
                    Ok(parsed) if !parsed.is_empty() => *bytes = parsed,
                    _ => {}
                }
            }
            if !matches!(parse_hex(delimiter_text), Ok(parsed) if !parsed.is_empty()) {
                ui.label(RichText::new(t("framing-not-hex")).small().color(ui.visuals().error_fg_color));
            }
        }
        Framing::IdleGap(gap) => {
            let label = ui.label(idle_gap_field());
            let mut ms = u64::try_from(gap.as_millis()).unwrap_or(u64::MAX);
            ui.add(egui::DragValue::new(&mut ms).range(1..=60_000).suffix(t("unit-ms"))).labelled_by(label.id);
            *gap = Duration::from_millis(ms);
        }
        _ => {}
    }
}
