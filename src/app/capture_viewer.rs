//! File ▸ Open capture…: a capture file read back into a read-only view,
//! where charset and text/hex can be changed (so a GBK capture looked at in
//! UTF-8 at the time reads right later).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError, sync_channel};

use super::SessionTab;
use crate::model::{CaptureViewer, Message};

/// What a background open produced (`Ok(None)`: nothing was opened).
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

    /// Loads the capture at `path` on a thread of its own; the viewer opens
    /// when it is read.
    pub(super) fn load_capture(&mut self, ctx: &eframe::egui::Context, path: PathBuf) {
        if self.open_job.is_some() {
            return;
        }
        let (charset, mode, limits) = (self.settings.charset, self.settings.view_mode, self.viewer_limits);
        let (done, job) = sync_channel(1);
        let (ctx, shown) = (ctx.clone(), path.clone());
        let spawned = std::thread::Builder::new().name("netassist-open-capture".to_owned()).spawn(move || {
            let _ = done.send(CaptureViewer::load(&path, charset, mode, limits).map(Some));
            ctx.request_repaint();
        });
        match spawned {
            Ok(_) => self.open_job = Some(OpenJob(job)),
            Err(error) => {
                self.files.message = Some((Message::CannotOpenPath { path: shown, error: error.into() }, true));
            }
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
