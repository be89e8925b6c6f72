//! The `${seq}` row of the send panel: the counter's start and step, its
//! next value, and Reset.

use eframe::egui;
use fluent_bundle::FluentValue;

use crate::codec::Counter;
use crate::i18n::tr;

/// The counter row; edits `counter`'s start and step in place, and resets it
/// on Reset (or when the start changes, so the next send uses the new start).
pub fn seq_ui(ui: &mut egui::Ui, counter: &mut Counter) {
    ui.horizontal(|ui| {
        let label = ui.label(tr("vars-seq-start", &[]));
        let start = ui.add(egui::DragValue::new(&mut counter.start).speed(1.0)).labelled_by(label.id);
        let label = ui.label(tr("vars-seq-step", &[]));
        ui.add(egui::DragValue::new(&mut counter.step).speed(1.0)).labelled_by(label.id);
        ui.label(tr("vars-seq-next", &[("value", FluentValue::from(counter.value().to_string()))]));
        if start.changed()
            || ui.button(tr("vars-seq-reset", &[])).on_hover_text(tr("vars-seq-reset-hover", &[])).clicked()
        {
            counter.reset();
        }
    });
}
