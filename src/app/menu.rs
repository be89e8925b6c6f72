//! The menu bar: what the app does with files (logs, captures, the view) and quitting.

use eframe::egui;

use super::NetAssistApp;

impl NetAssistApp {
    /// The menu bar across the top of the window.
    pub(super) fn menu_ui(&mut self, ui: &mut egui::Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui.button("Quit").clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
        });
    }
}
