//! File ▸ Open capture…: a capture file read back into a read-only view,
//! where charset and text/hex can be changed (so a GBK capture looked at in
//! UTF-8 at the time reads right later). A capture that fits the view's
//! limits is loaded into a view, as the live session showed it; a bigger one
//! is opened whole, through an index (see `big_capture`).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError, sync_channel};

use super::SessionTab;
use crate::model::{CaptureViewer, Message};
use crate::view::StoreLimits;

/// What a background open produced (`Ok(None)`: nothing was opened).
type OpenResult = Result<Option<Opened>, Message>;

/// A capture read, or found too big to read into a view.
enum Opened {
    /// Loaded into a view: every record fits.
    Small(Box<CaptureViewer>),
    /// Too big for a view: to be opened whole.
    Big(PathBuf),
}

/// Loads the capture at `path` into a view if it fits `limits` whole;
/// otherwise it is to be opened whole.
fn open(path: &Path, charset: crate::codec::Charset, mode: crate::view::ViewMode, limits: StoreLimits) -> OpenResult {
    // Bigger than the view's bytes: it cannot fit (a record costs at least its bytes).
    let too_big = std::fs::metadata(path).is_ok_and(|meta| meta.len() > limits.max_bytes as u64);
    if too_big {
        return Ok(Some(Opened::Big(path.to_path_buf())));
    }
    let viewer = CaptureViewer::load(path, charset, mode, limits)?;
    if viewer.summary.dropped_from_view > 0 {
        return Ok(Some(Opened::Big(path.to_path_buf())));
    }
    Ok(Some(Opened::Small(Box::new(viewer))))
}

/// An "Open capture…" under way.
pub struct OpenJob(Receiver<OpenResult>);

impl SessionTab {
    /// Opens the capture at `path` with the session's charset and view mode:
    /// loaded into the viewer now (on this thread) if it fits the view, else
    /// opened whole (its index is built on a worker; see
    /// [`SessionTab::open_big_capture`]). Errors are shown, and returned.
    pub fn open_capture_file(&mut self, path: &Path) -> Result<(), Message> {
        match open(path, self.settings.charset, self.settings.view_mode, self.viewer_limits) {
            Ok(Some(Opened::Big(path))) => self.open_big_capture(&path),
            Ok(opened) => {
                self.finish_open(Ok(opened));
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
            let _ = done.send(open(&path, charset, mode, limits));
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
            Ok(Some(Opened::Small(viewer))) => {
                self.files.message = Some((Message::CaptureOpened(viewer.path.clone()), false));
                self.big = None;
                self.viewer = Some(*viewer);
            }
            Ok(Some(Opened::Big(path))) => {
                // Shown by open_big_capture, and returned only to a caller that asked.
                let _ = self.open_big_capture(&path);
            }
            Ok(None) => {}
            Err(error) => self.files.message = Some((error, true)),
        }
    }

    /// Closes the capture viewer (and stops a capture opened whole from
    /// being indexed or searched); the live session shows again.
    pub fn close_capture(&mut self) {
        self.viewer = None;
        self.big = None;
    }
}
