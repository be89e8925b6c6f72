//! The menu bar, and the "Session files" part of the left column: what the
//! app does with files (logs, captures, the view) and quitting.

use eframe::egui;

use super::NetAssistApp;

impl NetAssistApp {
    /// The menu bar across the top of the window.
    pub(super) fn menu_ui(&mut self, ui: &mut egui::Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
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
        if let Some((text, is_error)) = &self.files.message {
            let color = if *is_error { ui.visuals().error_fg_color } else { ui.visuals().weak_text_color() };
            ui.label(egui::RichText::new(text).small().color(color));
        }
    }
}
