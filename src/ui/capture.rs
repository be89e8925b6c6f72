//! The read-only view of an opened capture file: what it holds, its own
//! charset and mode, and Close.

use std::time::SystemTime;

use eframe::egui::{self, RichText};

use crate::codec::Charset;
use crate::i18n::{arg, t, tr};
use crate::model::CaptureViewer;
use crate::view::ViewMode;

/// Label of the capture view's charset selector (also its accessible name).
pub fn capture_charset() -> String {
    t("capture-charset")
}
/// The capture view's close button.
pub fn close_capture() -> String {
    t("capture-close")
}

/// Draws the opened capture's header (its lines follow, with the find bar's
/// marks, from [`super::marked_lines_ui`]); returns true when the user closes it.
pub fn capture_ui(ui: &mut egui::Ui, viewer: &mut CaptureViewer) -> bool {
    let mut close = false;
    let name =
        viewer.path.file_name().map_or_else(|| viewer.path.display().to_string(), |n| n.to_string_lossy().into_owned());
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(tr("capture-title", &[arg("name", name.as_str())])).strong());
        ui.label(RichText::new(t("capture-read-only")).small().weak());
        ui.separator();
        for mode in ViewMode::ALL {
            ui.radio_value(&mut viewer.mode, mode, mode.label());
        }
        if viewer.mode != viewer.view.mode() {
            viewer.view.set_mode(viewer.mode);
        }
        let label = ui.label(capture_charset());
        egui::ComboBox::from_id_salt("capture_charset")
            .selected_text(viewer.charset.label())
            .show_ui(ui, |ui| {
                for charset in Charset::ALL {
                    ui.selectable_value(&mut viewer.charset, charset, charset.label());
                }
            })
            .response
            .labelled_by(label.id);
        if viewer.charset != viewer.view.charset() {
            viewer.view.set_charset(viewer.charset);
        }
        if ui.button(close_capture()).clicked() {
            close = true;
        }
    });
    let s = &viewer.summary;
    let mut facts = tr("capture-facts", &[arg("records", s.records), arg("bytes", s.payload_bytes)]);
    if let (Some(first), Some(last)) = (s.first, s.last) {
        facts += &format!(" · {} – {}", time(first), time(last));
    }
    if s.dropped_from_view > 0 {
        facts += " · ";
        facts += &tr("capture-dropped", &[arg("count", s.dropped_from_view)]);
    }
    if s.skipped > 0 {
        facts += " · ";
        facts += &tr("capture-skipped", &[arg("count", s.skipped)]);
    }
    ui.label(RichText::new(facts).small());
    if let Some(problem) = &s.problem {
        ui.label(
            RichText::new(tr("capture-problem", &[arg("problem", problem.to_string())]))
                .small()
                .color(ui.visuals().warn_fg_color),
        );
    }
    close
}

fn time(at: SystemTime) -> String {
    chrono::DateTime::<chrono::Local>::from(at).format("%Y-%m-%d %H:%M:%S%.6f").to_string()
}
