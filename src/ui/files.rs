//! The "Session files" part of the left column: the log and capture
//! switches, and the last thing that happened to those files.

use eframe::egui::{self, RichText};

use crate::i18n::t;
use crate::model::{CaptureState, Message};

/// What the files panel shows and edits.
pub struct FilesPanel<'a> {
    /// Log to file.
    pub log_session: &'a mut bool,
    /// Capture every byte.
    pub capture: &'a mut bool,
    /// Where the capture stands.
    pub capture_state: &'a CaptureState,
    /// The last thing that happened to the session's files, and whether it is an error.
    pub message: Option<(&'a Message, bool)>,
}

/// Draws the panel; returns true when "Open log folder" was pressed.
#[must_use]
pub fn files_ui(ui: &mut egui::Ui, panel: FilesPanel<'_>) -> bool {
    let mut open_folder = false;
    ui.horizontal(|ui| {
        ui.checkbox(panel.log_session, t("files-log")).on_hover_text(t("files-log-tip"));
        open_folder = ui.button(t("files-open-folder")).clicked();
    });
    ui.checkbox(panel.capture, t("files-capture")).on_hover_text(t("files-capture-tip"));
    let capture = match panel.capture_state {
        CaptureState::Off => None,
        CaptureState::Running { path } => Some((Message::Capturing(path.clone()), false)),
        CaptureState::Stopped { path, records, bytes } => {
            Some((Message::CaptureDone { path: path.clone(), records: *records, bytes: *bytes }, false))
        }
        CaptureState::Failed { error, .. } => Some((Message::CaptureFailed(error.clone()), true)),
    };
    for (message, is_error) in capture.iter().map(|(m, e)| (m, *e)).chain(panel.message) {
        let color = if is_error { ui.visuals().error_fg_color } else { ui.visuals().weak_text_color() };
        ui.label(RichText::new(message.to_string()).small().color(color));
    }
    open_folder
}
