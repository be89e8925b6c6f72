//! File ▸ Open capture…: a capture file read back into a read-only view,
//! where charset and text/hex can be changed (so a GBK capture looked at in
//! UTF-8 at the time reads right later).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError, sync_channel};

use super::NetAssistApp;
use crate::capture::{LoadSummary, load_file};
use crate::codec::Charset;
use crate::view::{ReceiveView, StoreLimits, ViewMode};

/// An opened capture.
pub struct CaptureViewer {
    /// The file.
    pub path: PathBuf,
    /// Its records, as the live view would show them.
    pub view: ReceiveView,
    /// What reading it found (counts, times, a truncation…).
    pub summary: LoadSummary,
    /// The charset chosen for it.
    pub charset: Charset,
    /// The mode chosen for it.
    pub mode: ViewMode,
}

/// What a background open produced: `Ok(None)` when the dialog was cancelled.
type OpenResult = Result<Option<CaptureViewer>, String>;

/// An "Open capture…" under way.
pub struct OpenJob(Receiver<OpenResult>);

impl NetAssistApp {
    /// Loads the capture at `path` into the viewer now (on this thread), with
    /// the session's charset and view mode. Errors are shown, and returned.
    pub fn open_capture_file(&mut self, path: &Path) -> Result<(), String> {
        let loaded = load_viewer(path, self.settings.charset, self.settings.view_mode, self.viewer_limits);
        self.finish_open(Ok(Some(loaded?)));
        Ok(())
    }

    /// Asks which capture to open (a native dialog) and loads it, both on a
    /// thread of their own; the viewer opens when it is read.
    pub fn open_capture_dialog(&mut self, ctx: &eframe::egui::Context) {
        if self.open_job.is_some() {
            return;
        }
        let (charset, mode, limits) = (self.settings.charset, self.settings.view_mode, self.viewer_limits);
        let start_dir = self.files.captures_dir();
        let (done, job) = sync_channel(1);
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new().name("netassist-open-capture".to_owned()).spawn(move || {
            let mut dialog =
                rfd::FileDialog::new().set_title("Open capture").add_filter("netassist capture", &["nacap"]);
            if let Some(dir) = start_dir.filter(|d| d.is_dir()) {
                dialog = dialog.set_directory(dir);
            }
            let result = match dialog.pick_file() {
                None => Ok(None),
                Some(path) => load_viewer(&path, charset, mode, limits).map(Some),
            };
            let _ = done.send(result);
            ctx.request_repaint();
        });
        match spawned {
            Ok(_) => self.open_job = Some(OpenJob(job)),
            Err(error) => self.files.message = Some((format!("Cannot open the file dialog: {error}"), true)),
        }
    }

    /// Picks up a finished background open.
    pub(super) fn poll_open_job(&mut self) {
        let Some(OpenJob(job)) = &self.open_job else { return };
        let result = match job.try_recv() {
            Err(TryRecvError::Empty) => return,
            Ok(result) => result,
            Err(TryRecvError::Disconnected) => Err("The open dialog closed unexpectedly.".to_owned()),
        };
        self.open_job = None;
        self.finish_open(result);
    }

    fn finish_open(&mut self, result: OpenResult) {
        match result {
            Ok(Some(viewer)) => {
                self.files.message = Some((format!("Opened capture {}", viewer.path.display()), false));
                self.viewer = Some(viewer);
            }
            Ok(None) => {}
            Err(error) => self.files.message = Some((error, true)),
        }
    }

    /// Closes the capture viewer; the live session shows again.
    pub fn close_capture(&mut self) {
        self.viewer = None;
    }
}

fn load_viewer(path: &Path, charset: Charset, mode: ViewMode, limits: StoreLimits) -> Result<CaptureViewer, String> {
    let (view, summary) =
        load_file(path, charset, mode, limits).map_err(|e| format!("Cannot open capture {}: {e}", path.display()))?;
    Ok(CaptureViewer { path: path.to_path_buf(), view, summary, charset, mode })
}
