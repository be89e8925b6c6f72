//! A capture file read back into a read-only view, where charset and
//! text/hex can be changed (so a GBK capture looked at in UTF-8 at the time
//! reads right later).

use std::path::{Path, PathBuf};

use crate::capture::{LoadSummary, load_file};
use crate::codec::Charset;
use crate::view::{ReceiveView, StoreLimits, ViewMode};

use super::message::Message;

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

impl CaptureViewer {
    /// Reads the capture at `path` (on the calling thread: a worker's, for a large file).
    pub fn load(path: &Path, charset: Charset, mode: ViewMode, limits: StoreLimits) -> Result<Self, Message> {
        let (view, summary) = load_file(path, charset, mode, limits)
            .map_err(|error| Message::CannotOpenCapture { path: path.to_path_buf(), error })?;
        Ok(CaptureViewer { path: path.to_path_buf(), view, summary, charset, mode })
    }
}
