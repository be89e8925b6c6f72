//! The menu bar, and the "Session files" part of the left column: what the
//! app does with files (logs, captures, the view) and quitting.

use eframe::egui;

use super::NetAssistApp;

impl NetAssistApp {
    /// The menu bar across the top of the window.
    pub(super) fn menu_ui(&mut self, ui: &mut egui::Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui.button("Open capture…").clicked() {
                    self.open_capture_dialog(ui.ctx());
                    ui.close();
                }
                if self.viewer.is_some() && ui.button("Close capture").clicked() {
                    self.close_capture();
                    ui.close();
                }
                if ui.button("Save receive view as…").clicked() {
                    self.save_view_as(ui.ctx());
                    ui.close();
                }
                if ui.button("Open log folder").clicked() {
                    self.open_log_folder();
                    ui.close();
                }
                ui.separator();
                if ui.button("Quit").clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
        });
    }
}

impl NetAssistApp {
    /// The "Session files" switches and the last thing that happened to those files.
    pub(super) fn session_files_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.checkbox(&mut self.settings.log_session, "Log to file")
                .on_hover_text("A text log of the session, as shown, one file per session");
            if ui.button("Open log folder").clicked() {
                self.open_log_folder();
            }
        });
        ui.checkbox(&mut self.settings.capture, "Capture every byte (lossless)").on_hover_text(
            "Every byte sent and received, with µs timestamps, to a capture file; File ▸ Open capture… reads it back",
        );
        if let Some(status) = capture_status(&self.session.capture) {
            ui.label(egui::RichText::new(status.0).small().color(if status.1 {
                ui.visuals().error_fg_color
            } else {
                ui.visuals().weak_text_color()
            }));
        }
        if let Some((text, is_error)) = &self.files.message {
            let color = if *is_error { ui.visuals().error_fg_color } else { ui.visuals().weak_text_color() };
            ui.label(egui::RichText::new(text).small().color(color));
        }
    }
}

/// A line about the capture: (text, is_error).
fn capture_status(state: &super::CaptureState) -> Option<(String, bool)> {
    use super::CaptureState;
    let name = |path: &std::path::Path| {
        path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
    };
    match state {
        CaptureState::Off => None,
        CaptureState::Running { path } => Some((format!("Capturing to {}", name(path)), false)),
        CaptureState::Stopped { path, records, bytes } => {
            Some((format!("Capture saved: {} ({records} records, {bytes} B)", name(path)), false))
        }
        CaptureState::Failed { error, .. } => Some((format!("Capture stopped: {error}"), true)),
    }
}
