//! File ▸ Open capture…: a capture file read back into a read-only view,
//! where charset and text/hex can be changed (so a GBK capture looked at in
//! UTF-8 at the time reads right later).

use std::path::Path;
use std::sync::mpsc::{Receiver, TryRecvError, sync_channel};

use super::SessionTab;
use crate::model::{CaptureViewer, Message};

/// What a background open produced: `Ok(None)` when the dialog was cancelled.
type OpenResult = Result<Option<CaptureViewer>, Message>;

/// An "Open capture…" under way.
pub struct OpenJob(Receiver<OpenResult>);

impl SessionTab {
    /// Loads the capture at `path` into the viewer now (on this thread), with
    /// the session's charset and view mode. Errors are shown, and returned.
    pub fn open_capture_file(&mut self, path: &Path) -> Result<(), Message> {
        let loaded = CaptureViewer::load(path, self.settings.charset, self.settings.view_mode, self.viewer_limits);
        match loaded {
            Ok(viewer) => {
                self.finish_open(Ok(Some(viewer)));
                Ok(())
            }
            Err(error) => {
                self.finish_open(Err(error.clone()));
                Err(error)
            }
        }
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
        // Worded here: the language is the UI thread's.
        let (title, filter) = (crate::i18n::t("dialog-open-capture"), crate::i18n::t("dialog-capture-files"));
        let spawned = std::thread::Builder::new().name("netassist-open-capture".to_owned()).spawn(move || {
            let mut dialog = rfd::FileDialog::new().set_title(&title).add_filter(&filter, &["nacap"]);
            if let Some(dir) = start_dir.filter(|d| d.is_dir()) {
                dialog = dialog.set_directory(dir);
            }
            let result = match dialog.pick_file() {
                None => Ok(None),
                Some(path) => CaptureViewer::load(&path, charset, mode, limits).map(Some),
            };
            let _ = done.send(result);
            ctx.request_repaint();
        });
        match spawned {
            Ok(_) => self.open_job = Some(OpenJob(job)),
            Err(error) => self.files.message = Some((Message::DialogFailed(error.to_string()), true)),
        }
    }

    /// Picks up a finished background open.
    pub(super) fn poll_open_job(&mut self) {
        let Some(OpenJob(job)) = &self.open_job else { return };
        let result = match job.try_recv() {
            Err(TryRecvError::Empty) => return,
            Ok(result) => result,
            Err(TryRecvError::Disconnected) => Err(Message::DialogVanished),
        };
        self.open_job = None;
        self.finish_open(result);
    }

    fn finish_open(&mut self, result: OpenResult) {
        match result {
            Ok(Some(viewer)) => {
                self.files.message = Some((Message::CaptureOpened(viewer.path.clone()), false));
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
