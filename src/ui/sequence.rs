//! The sequence panel: the steps (in the script format of docs/SCRIPTS.md),
//! Run / Step / Stop, and each step's pass or fail with its time.

use eframe::egui;

use crate::i18n::tr;
use crate::model::Message;

/// The label of the steps editor (for tests and screen readers).
pub fn sequence_steps() -> String {
    crate::i18n::t("seq-steps-field")
}

/// One step run, as the panel shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SequenceRow {
    /// Whether it passed.
    pub passed: bool,
    /// Its script line.
    pub line: usize,
    /// What it did (and, failed, why).
    pub text: String,
    /// How long it took, in ms.
    pub millis: String,
}

/// What the panel shows.
pub struct SequencePanel<'a> {
    /// The steps as written.
    pub text: &'a mut String,
    /// The steps run so far.
    pub rows: &'a [SequenceRow],
    /// A run (or single steps) under way.
    pub running: bool,
    /// Single-stepping, and the step asked for is done: Run goes on, Step does the next.
    pub paused: bool,
    /// How the last run ended (`Some(true)`: every step passed).
    pub passed: Option<bool>,
    /// Why the last Run could not start (a parse error, no connection).
    pub problem: Option<&'a Message>,
}

/// What the user asked of the sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SequenceIntent {
    /// Run all steps on the tab's connection.
    Run,
    /// Run the next step only (starting a run if none is under way).
    Step,
    /// Stop the run.
    Stop,
    /// Load a `.nas` script into the steps.
    Open,
    /// Write the steps as a `.nas` script.
    SaveAs,
}

/// The panel (inside a collapsing header); returns what was asked.
pub fn sequence_ui(ui: &mut egui::Ui, panel: SequencePanel<'_>) -> Option<SequenceIntent> {
    let mut intent = None;
    egui::CollapsingHeader::new(tr("seq-header", &[])).id_salt("sequence").show(ui, |ui| {
        ui.horizontal(|ui| {
            if (!panel.running || panel.paused) && ui.button(tr("seq-run", &[])).clicked() {
                intent = Some(SequenceIntent::Run);
            }
            if panel.running && ui.button(tr("seq-stop", &[])).clicked() {
                intent = Some(SequenceIntent::Stop);
            }
            if ui.button(tr("seq-step", &[])).on_hover_text(tr("seq-step-hover", &[])).clicked() {
                intent = Some(SequenceIntent::Step);
            }
            if ui.button(tr("seq-open", &[])).clicked() {
                intent = Some(SequenceIntent::Open);
            }
            if ui.button(tr("seq-save-as", &[])).clicked() {
                intent = Some(SequenceIntent::SaveAs);
            }
            match panel.passed {
                Some(true) => ui.colored_label(egui::Color32::from_rgb(0, 140, 0), tr("seq-passed", &[])),
                Some(false) => ui.colored_label(egui::Color32::from_rgb(200, 0, 0), tr("seq-failed", &[])),
                None => ui.label(""),
            };
        });
        if let Some(problem) = panel.problem {
            ui.colored_label(egui::Color32::from_rgb(200, 0, 0), problem.to_string());
        }
        ui.columns(2, |columns| {
            let label = columns[0].label(tr("seq-steps", &[]));
            columns[0]
                .add(
                    egui::TextEdit::multiline(panel.text)
                        .code_editor()
                        .desired_rows(6)
                        .hint_text("send \"hello\"\nexpect \"hi\" within 1s"),
                )
                .labelled_by(label.id)
                .on_hover_text(sequence_steps());
            egui::ScrollArea::vertical().id_salt("sequence-rows").max_height(160.0).show(&mut columns[1], |ui| {
                for row in panel.rows {
                    let passed = if row.passed { "yes" } else { "no" };
                    let text = tr(
                        "seq-row",
                        &[
                            ("passed", passed.into()),
                            ("line", row.line.into()),
                            ("step", row.text.as_str().into()),
                            ("ms", row.millis.as_str().into()),
                        ],
                    );
                    let color = if row.passed {
                        egui::Color32::from_rgb(0, 140, 0)
                    } else {
                        egui::Color32::from_rgb(200, 0, 0)
                    };
                    ui.colored_label(color, text);
                }
            });
        });
    });
    intent
}
