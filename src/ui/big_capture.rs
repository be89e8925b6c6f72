//! A capture opened whole: its header (what it holds, the index's progress
//! with Cancel, its own charset and mode, Close) and its rows, one per
//! record, drawn with `ScrollArea::show_rows` so only the rows on screen
//! are read from the file.

use std::time::SystemTime;

use eframe::egui::{self, RichText, TextFormat, text::LayoutJob};

use crate::capture::from_micros;
use crate::codec::Charset;
use crate::i18n::{arg, t, tr};
use crate::model::{BigCapture, Message, ROW_HEAD, RowStyle};
use crate::view::ViewMode;

use super::capture::{capture_charset, close_capture};

/// What the header asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub enum BigCaptureIntent {
    /// Close the capture.
    Close,
    /// Stop indexing it (and close it).
    Cancel,
    /// The charset changed (a text search must start over).
    CharsetChanged,
}

/// The Cancel button shown while a capture is being indexed.
pub fn cancel_index() -> String {
    t("bigcap-cancel")
}

/// Draws the header of a capture opened whole; returns what was asked for.
pub fn big_capture_header_ui(ui: &mut egui::Ui, capture: &mut BigCapture) -> Option<BigCaptureIntent> {
    let mut intent = None;
    let name = capture
        .path
        .file_name()
        .map_or_else(|| capture.path.display().to_string(), |n| n.to_string_lossy().into_owned());
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(tr("capture-title", &[arg("name", name.as_str())])).strong());
        ui.label(RichText::new(t("capture-read-only")).small().weak());
        ui.separator();
        for mode in ViewMode::ALL {
            ui.radio_value(&mut capture.mode, mode, mode.label());
        }
        let label = ui.label(capture_charset());
        let before = capture.charset;
        egui::ComboBox::from_id_salt("bigcap_charset")
            .selected_text(capture.charset.label())
            .show_ui(ui, |ui| {
                for charset in Charset::ALL {
                    ui.selectable_value(&mut capture.charset, charset, charset.label());
                }
            })
            .response
            .labelled_by(label.id);
        if capture.charset != before {
            intent = Some(BigCaptureIntent::CharsetChanged);
        }
        if ui.button(close_capture()).clicked() {
            intent = Some(BigCaptureIntent::Close);
        }
    });
    let counts = capture.index.counts();
    let mut facts = tr("capture-facts", &[arg("records", counts.records), arg("bytes", counts.payload_bytes)]);
    facts += " · ";
    facts += &tr("bigcap-size", &[arg("mib", format!("{:.1}", capture.file_len as f64 / f64::from(1 << 20)))]);
    if let (Some(first), Some(last)) = (counts.first_micros, counts.last_micros) {
        facts += &format!(" · {} – {}", time(from_micros(first)), time(from_micros(last)));
    }
    if counts.skipped > 0 {
        facts += " · ";
        facts += &tr("capture-skipped", &[arg("count", counts.skipped)]);
    }
    ui.label(RichText::new(facts).small());
    ui.label(RichText::new(tr("bigcap-whole", &[arg("head", ROW_HEAD)])).small().weak());
    if capture.indexing() {
        ui.horizontal(|ui| {
            let fraction = capture.index_fraction();
            let text = tr(
                "bigcap-indexing",
                &[arg("percent", (fraction * 100.0).floor() as u32), arg("records", capture.row_count())],
            );
            ui.add(egui::ProgressBar::new(fraction).text(text).desired_width(320.0));
            if ui.button(cancel_index()).on_hover_text(t("bigcap-cancel-tip")).clicked() {
                intent = Some(BigCaptureIntent::Cancel);
            }
        });
    }
    if let Some(problem) = capture.problem() {
        let text = Message::CaptureEndsEarly(problem.clone()).to_string();
        ui.label(RichText::new(text).small().color(ui.visuals().warn_fg_color));
    }
    intent
}

/// Draws the rows on screen (one per record), scrolled to the selected
/// match when one was just selected.
pub fn big_capture_rows_ui(ui: &mut egui::Ui, capture: &mut BigCapture) {
    let font = egui::TextStyle::Monospace.resolve(ui.style());
    let row_height = ui.text_style_height(&egui::TextStyle::Monospace);
    let spacing = ui.spacing().item_spacing.y;
    let mut area = egui::ScrollArea::both().id_salt("bigcap_rows").auto_shrink(false);
    if let Some(record) = capture.scroll_to.take() {
        // With the filter on, rows are the filter's list: the match's record, or the next one shown.
        let row = if capture.filter.active { capture.filter.position_of(record) as u64 } else { record };
        // A few rows above it, so it is not at the very top.
        let y = row.saturating_sub(3) as f64 * f64::from(row_height + spacing);
        area = area.vertical_scroll_offset(y as f32);
    }
    let total = usize::try_from(capture.shown_count()).unwrap_or(usize::MAX);
    let visuals = ui.visuals().clone();
    area.show_rows(ui, row_height, total, |ui, range| {
        let current = capture.find.current_record();
        for row in capture.shown_rows(range.start as u64, range.len()) {
            let mut job = LayoutJob::default();
            let plain = TextFormat { font_id: font.clone(), color: visuals.weak_text_color(), ..TextFormat::default() };
            job.append(&format!("#{} {}  ", row.number + 1, row.head), 0.0, plain);
            let color = match row.style {
                RowStyle::Rx => visuals.text_color(),
                RowStyle::Tx => visuals.hyperlink_color,
                RowStyle::Event => visuals.warn_fg_color,
            };
            let background =
                if current == Some(row.number) { visuals.selection.bg_fill } else { egui::Color32::TRANSPARENT };
            job.append(
                &row.body,
                0.0,
                TextFormat { font_id: font.clone(), color, background, ..TextFormat::default() },
            );
            ui.add(egui::Label::new(job).wrap_mode(egui::TextWrapMode::Extend));
        }
    });
}

fn time(at: SystemTime) -> String {
    chrono::DateTime::<chrono::Local>::from(at).format("%Y-%m-%d %H:%M:%S%.6f").to_string()
}
