//! The title at the top of the left column.

use eframe::egui;

/// The title at the top of the left column.
pub fn title_ui(ui: &mut egui::Ui) {
    ui.add_space(4.0);
    ui.heading("netassist");
    ui.label(egui::RichText::new(crate::i18n::t("app-subtitle")).small().weak());
}
