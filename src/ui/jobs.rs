//! The send panel's jobs row: repeat the send box every N ms (cyclic send),
//! and send a file in chunks with a progress bar.

use std::time::Duration;

use eframe::egui::{self, RichText};

use crate::i18n::{arg, t, tr};
use crate::model::JobInfo;

/// The button that starts a cyclic send.
pub fn start_repeat() -> String {
    t("jobs-start-repeat")
}
/// The button that stops it.
pub fn stop_repeat() -> String {
    t("jobs-stop-repeat")
}
/// The button that picks a file to send.
pub fn send_file() -> String {
    t("jobs-send-file")
}
/// The button that cancels a file send.
pub fn cancel_file() -> String {
    t("jobs-cancel-file")
}
/// Accessible name of the interval field.
pub fn interval_field() -> String {
    t("jobs-interval")
}
/// Accessible name of the count field.
pub fn count_field() -> String {
    t("jobs-count")
}

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
                ui.label(
                    RichText::new(tr("jobs-repeating", &[arg("items", job.items), arg("bytes", job.bytes)])).strong(),
                );
                if ui.button(stop_repeat()).clicked() {
                    intent = Some(JobIntent::StopCyclic);
                }
            }
            None => {
                let label = ui.label(interval_field());
                ui.add(egui::DragValue::new(panel.interval_ms).range(1..=3_600_000).suffix(t("unit-ms")))
                    .labelled_by(label.id);
                let label = ui.label(count_field());
                ui.add(egui::DragValue::new(panel.count).range(0..=u64::MAX))
                    .labelled_by(label.id)
                    .on_hover_text(t("jobs-count-tip"));
                if ui.button(start_repeat()).on_hover_text(t("jobs-start-repeat-tip")).clicked() {
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
                if ui.button(cancel_file()).clicked() {
                    intent = Some(JobIntent::CancelFile);
                }
            }
            None => {
                if ui.button(send_file()).on_hover_text(t("jobs-send-file-tip")).clicked() {
                    intent = Some(JobIntent::PickFile);
                }
                let label = ui.label(t(if panel.udp { "jobs-datagram" } else { "jobs-chunk" }));
                let max = if panel.udp { 65_507 } else { 1 << 20 };
                ui.add(egui::DragValue::new(panel.chunk).range(1..=max).suffix(t("unit-bytes"))).labelled_by(label.id);
            }
        }
    });
    intent
}

fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 { format!("{:.1} MiB", bytes as f64 / (1 << 20) as f64) } else { format!("{bytes} B") }
}
