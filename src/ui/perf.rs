//! The performance overlay (F12): frame times, counters, memory.

use eframe::egui;

/// Toggles the overlay on F12 and draws it while `show` holds; `text` is the stats line.
pub fn perf_ui(ui: &mut egui::Ui, show: &mut bool, text: impl FnOnce() -> String) {
    if ui.input(|i| i.key_pressed(egui::Key::F12)) {
        *show = !*show;
    }
    if !*show {
        return;
    }
    let text = text().replace(' ', "\n");
    egui::Window::new(crate::i18n::t("perf-title")).default_pos([700.0, 80.0]).resizable(false).show(ui.ctx(), |ui| {
        ui.label(egui::RichText::new(text).monospace().small());
    });
}
