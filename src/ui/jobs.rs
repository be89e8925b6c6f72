//! The send panel's jobs row: repeat the send box every N ms (cyclic send),
//! and send a file in chunks with a progress bar.

use std::time::Duration;

use eframe::egui::{self, RichText};

use crate::model::JobInfo;

/// The button that starts a cyclic send.
pub const START_REPEAT: &str = "Start repeat";
/// The button that stops it.
pub const STOP_REPEAT: &str = "Stop repeat";
/// The button that picks a file to send.
pub const SEND_FILE: &str = "Send file…";
/// The button that cancels a file send.
pub const CANCEL_FILE: &str = "Cancel file";
/// Accessible name of the interval field.
pub const INTERVAL_FIELD: &str = "Repeat every";
/// Accessible name of the count field.
pub const COUNT_FIELD: &str = "times (0 = ∞)";

/// What the user asked of the jobs this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub enum JobIntent {
    /// Start sending the send box every interval.
    StartCyclic,
    /// Stop the cyclic send.
    StopCyclic,
    /// Pick a file and send it.
    PickFile,
    /// Stop the file send.
    CancelFile,
}

/// The jobs row's state.
pub struct JobsPanel<'a> {
    /// Cyclic interval in ms.
    pub interval_ms: &'a mut u32,
    /// How many cyclic sends (0: until stopped).
    pub count: &'a mut u64,
    /// The running cyclic send.
    pub cyclic: Option<&'a JobInfo>,
    /// Chunk (TCP) or datagram (UDP) size for file sends.
    pub chunk: &'a mut u32,
    /// The running file send, and how long it has run.
    pub file: Option<(&'a JobInfo, Duration)>,
    /// UDP: chunks are datagrams.
    pub udp: bool,
}

/// Draws the row; returns what the user asked for.
pub fn jobs_ui(ui: &mut egui::Ui, panel: JobsPanel<'_>) -> Option<JobIntent> {
    let mut intent = None;
    ui.horizontal_wrapped(|ui| {
        match panel.cyclic {
            Some(job) => {
                ui.label(RichText::new(format!("Repeating: {} sent ({} B)", job.items, job.bytes)).strong());
                if ui.button(STOP_REPEAT).clicked() {
                    intent = Some(JobIntent::StopCyclic);
                }
            }
            None => {
                let label = ui.label(INTERVAL_FIELD);
                ui.add(egui::DragValue::new(panel.interval_ms).range(1..=3_600_000).suffix(" ms"))
                    .labelled_by(label.id);
                let label = ui.label(COUNT_FIELD);
                ui.add(egui::DragValue::new(panel.count).range(0..=u64::MAX))
                    .labelled_by(label.id)
                    .on_hover_text("How many times; 0 = until stopped");
                if ui.button(START_REPEAT).on_hover_text("Send the send box's bytes on a timer").clicked() {
                    intent = Some(JobIntent::StartCyclic);
                }
            }
        }
        ui.separator();
        match panel.file {
            Some((job, running)) => {
                let total = job.total_bytes.unwrap_or(0);
                let fraction = if total > 0 { job.bytes as f32 / total as f32 } else { 0.0 };
                let rate = job.bytes as f64 / running.as_secs_f64().max(0.001) / (1 << 20) as f64;
                let text = format!("{} / {} · {rate:.1} MiB/s", size(job.bytes), size(total));
                ui.add(egui::ProgressBar::new(fraction).text(text).desired_width(260.0));
                if ui.button(CANCEL_FILE).clicked() {
                    intent = Some(JobIntent::CancelFile);
                }
            }
            None => {
                if ui.button(SEND_FILE).on_hover_text("Stream a file of any size in chunks").clicked() {
                    intent = Some(JobIntent::PickFile);
                }
                let label = ui.label(if panel.udp { "datagram" } else { "chunk" });
                let max = if panel.udp { 65_507 } else { 1 << 20 };
                ui.add(egui::DragValue::new(panel.chunk).range(1..=max).suffix(" B")).labelled_by(label.id);
            }
        }
    });
    intent
}

fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 { format!("{:.1} MiB", bytes as f64 / (1 << 20) as f64) } else { format!("{bytes} B") }
}
