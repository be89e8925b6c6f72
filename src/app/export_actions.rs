//! File ▸ Export capture as pcapng…: the window's state, the file dialogs
//! and the export, each on a thread of their own (a dialog or a large
//! capture never holds a frame up); what came of it is a typed message.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError, sync_channel};

use eframe::egui;

use super::SessionTab;
use super::file_dialog::{DialogJob, DialogSpec, Picked};
use crate::capture::{ExportError, ExportSummary, export_file};
use crate::i18n::t;
use crate::model::{CaptureState, Message};
use crate::ui::{self, ExportIntent};

/// Which path a file dialog picks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pick {
    Capture,
    Output,
}

/// The export window of a tab.
#[derive(Default)]
pub struct ExportDialog {
    /// The window is shown.
    pub open: bool,
    /// The capture to export, as typed or picked.
    pub capture: String,
    /// The pcapng file to write, as typed or picked.
    pub output: String,
    /// What the last export (or a dialog) came to, and whether it is an error.
    pub message: Option<(Message, bool)>,
    running: Option<Receiver<Result<ExportSummary, ExportError>>>,
    picking: Option<(Pick, DialogJob)>,
}

impl ExportDialog {
    /// An export is running.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }
}

impl SessionTab {
    /// Opens the export window, offering the capture in view (or the last one saved).
    pub fn open_export(&mut self) {
        let dialog = &mut self.export;
        dialog.open = true;
        if dialog.capture.is_empty() {
            let last = match (&self.viewer, &self.session.capture) {
                (Some(viewer), _) => Some(viewer.path.clone()),
                (None, _) if self.big.is_some() => self.big.as_ref().map(|big| big.capture.path.clone()),
                (None, CaptureState::Stopped { path, .. }) => Some(path.clone()),
                _ => None,
            };
            if let Some(path) = last {
                dialog.output = path.with_extension("pcapng").display().to_string();
                dialog.capture = path.display().to_string();
            }
        }
    }

    /// Exports the capture named in the window to the output named there, on a thread.
    pub fn start_export(&mut self) {
        let dialog = &mut self.export;
        let (capture, output) = (dialog.capture.trim(), dialog.output.trim());
        if capture.is_empty() || output.is_empty() {
            dialog.message = Some((Message::ExportPathMissing, true));
            return;
        }
        let (capture, output) = (PathBuf::from(capture), PathBuf::from(output));
        let (done, running) = sync_channel(1);
        let spawned = std::thread::Builder::new().name("netassist-export".to_owned()).spawn(move || {
            let _ = done.send(export_file(&capture, &output, |_| true));
        });
        match spawned {
            Ok(_) => {
                dialog.running = Some(running);
                dialog.message = None;
            }
            Err(error) => dialog.message = Some((Message::DialogFailed(error.to_string()), true)),
        }
    }

    /// Asks for a path with the system's file dialog, on a thread; where
    /// there is none, the window says so and the path field stays for typing.
    fn pick_export_path(&mut self, ctx: &egui::Context, pick: Pick) {
        if self.export.picking.is_some() {
            return;
        }
        let start = PathBuf::from(if pick == Pick::Capture { &self.export.capture } else { &self.export.output });
        let start_dir = start.parent().filter(|d| d.is_dir()).map(PathBuf::from).or_else(|| self.files.captures_dir());
        // Worded here: the language is the UI thread's.
        let filter = if pick == Pick::Capture {
            (t("dialog-capture-files"), &["nacap"][..])
        } else {
            (t("export-pcapng-files"), &["pcapng"][..])
        };
        let spec = DialogSpec {
            title: t("export-title"),
            filter: Some(filter),
            start_dir,
            save: pick == Pick::Output,
            ..DialogSpec::default()
        };
        match DialogJob::start(ctx, spec) {
            Ok(job) => self.export.picking = Some((pick, job)),
            Err(error) => self.export.message = Some((error, true)),
        }
    }

    /// Picks up a finished dialog or export.
    pub(super) fn poll_export(&mut self) {
        let dialog = &mut self.export;
        if let Some((pick, picking)) = &dialog.picking
            && let Some(picked) = picking.poll()
        {
            let pick = *pick;
            dialog.picking = None;
            match picked {
                Picked::Path(path) => {
                    let path = path.display().to_string();
                    match pick {
                        Pick::Capture => dialog.capture = path,
                        Pick::Output => dialog.output = path,
                    }
                }
                Picked::Cancelled => {}
                Picked::Unavailable => dialog.message = Some((Message::NoFileDialog, true)),
            }
        }
        let Some(running) = &dialog.running else { return };
        let result = match running.try_recv() {
            Err(TryRecvError::Empty) => return,
            Ok(result) => result,
            Err(TryRecvError::Disconnected) => Err(ExportError::Cancelled),
        };
        dialog.running = None;
        let message = match result {
            Ok(summary) => (Message::CaptureExported { output: PathBuf::from(dialog.output.trim()), summary }, false),
            Err(error) => (Message::ExportFailed(error), true),
        };
        self.files.message = Some(message.clone());
        dialog.message = Some(message);
    }

    /// Draws the export window (when open) and carries out what it asks for.
    pub(super) fn export_ui(&mut self, ctx: &egui::Context) {
        if !self.export.open {
            return;
        }
        if self.export.is_running() {
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
        }
        let dialog = &mut self.export;
        let panel = ui::ExportPanel {
            capture: &mut dialog.capture,
            output: &mut dialog.output,
            running: dialog.running.is_some(),
            message: dialog.message.as_ref().map(|(m, is_error)| (m, *is_error)),
        };
        match ui::export_window(ctx, panel) {
            Some(ExportIntent::PickCapture) => self.pick_export_path(ctx, Pick::Capture),
            Some(ExportIntent::PickOutput) => self.pick_export_path(ctx, Pick::Output),
            Some(ExportIntent::Export) => self.start_export(),
            Some(ExportIntent::Close) => self.export.open = false,
            None => {}
        }
    }
}
