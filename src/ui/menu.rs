//! The menu bar across the top of the window.

use eframe::egui;

/// What the menu bar asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub enum MenuIntent {
    /// File ▸ Open capture…
    OpenCapture,
    /// File ▸ Close capture.
    CloseCapture,
    /// File ▸ Save receive view as…
    SaveViewAs,
    /// File ▸ Open log folder.
    OpenLogFolder,
    /// File ▸ Quit.
    Quit,
}

/// Draws the menu bar; `capture_open` offers Close capture.
pub fn menu_ui(ui: &mut egui::Ui, capture_open: bool) -> Option<MenuIntent> {
    let mut intent = None;
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            let mut item = |ui: &mut egui::Ui, label: &str, what: MenuIntent| {
                if ui.button(label).clicked() {
                    intent = Some(what);
                    ui.close();
                }
            };
            item(ui, "Open capture…", MenuIntent::OpenCapture);
            if capture_open {
                item(ui, "Close capture", MenuIntent::CloseCapture);
            }
            item(ui, "Save receive view as…", MenuIntent::SaveViewAs);
            item(ui, "Open log folder", MenuIntent::OpenLogFolder);
            ui.separator();
            item(ui, "Quit", MenuIntent::Quit);
        });
    });
    intent
}
