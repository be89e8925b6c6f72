//! The engine's side of capturing: the slot every [`Emitter`] looks in, what
//! of an event goes to the capture, and the dispatcher's [`Capturing`],
//! which starts and stops captures and reports how they end.
//!
//! Emitters take a clone of the writer's sender under a read lock and await
//! the send outside it, so a slow disk slows the connections down rather
//! than losing bytes. Once a writer has stopped (asked to, or on a write
//! error) its receiver is gone: a send fails at once and is ignored, so a
//! dead capture never holds a connection up.

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;

use super::capture_slot::CaptureSlot;
use super::emit::Emitter;
use super::{CaptureFailure, Event};
use crate::capture::{self, Entry, Outcome, Totals};

/// Entries the channel to the writer thread holds before emitters wait. Each
/// holds one event's payload (a TCP read is at most `read_buffer` bytes, 64
/// KiB by default: 4 MiB queued at most). The kernel's socket buffers, not
/// this queue, are what absorb a slow disk; a deeper queue only held more of
/// a flood in memory (256 entries: 16 MiB).
const CAPTURE_QUEUE: usize = 64;

/// How long a stopping engine waits for the writer to finish its file.
const SHUTDOWN_WAIT: Duration = Duration::from_secs(5);

/// Where a capture is written.
pub(super) enum Target {
    /// A new file at the capture's path.
    File,
    /// A writer of the caller's; the path only names it in events.
    Sink(Box<dyn Write + Send>),
}

impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::File => f.write_str("File"),
            Target::Sink(_) => f.write_str("Sink(..)"),
        }
    }
}

/// The running capture.
struct Active {
    path: PathBuf,
    /// The writer thread's outcome, sent as it ends.
    done: oneshot::Receiver<Outcome>,
}

/// Starts and stops captures, one at a time; run by the dispatcher.
pub(super) struct Capturing {
    slot: CaptureSlot,
    active: Option<Active>,
}

impl Capturing {
    /// Captures into `slot` (the emitters' one).
    pub(super) fn new(slot: CaptureSlot) -> Self {
        Self { slot, active: None }
    }

    /// Whether a capture runs.
    pub(super) fn is_active(&self) -> bool {
        self.active.is_some()
    }

    /// Resolves when the running capture's writer ends by itself (a write
    /// error: it cannot end otherwise while the slot holds its sender);
    /// never if none runs. Pass its outcome to [`Capturing::writer_ended`].
    pub(super) async fn ended(&mut self) -> Outcome {
        match self.active.as_mut() {
            Some(active) => (&mut active.done).await.unwrap_or_else(|_| Err(lost())),
            None => std::future::pending().await,
        }
    }

    /// The running capture's writer ended with `outcome`: report it.
    pub(super) async fn writer_ended(&mut self, outcome: Outcome, emitter: &Emitter, root: &CancellationToken) {
        if let Some(active) = self.active.take() {
            self.slot.replace(None);
            report(emitter, root, ended_event(active.path, outcome)).await;
        }
    }

    /// Stops the running capture, if any, then starts one to `path`:
    /// `CaptureStarted`, or `CaptureFailed` if it cannot start.
    pub(super) async fn start(&mut self, path: PathBuf, target: Target, emitter: &Emitter, root: &CancellationToken) {
        self.stop(emitter, root).await;
        let opening = {
            let path = path.clone();
            tokio::task::spawn_blocking(move || open(&path, target)).await
        };
        let opened = opening.unwrap_or_else(|error| {
            Err(CaptureFailure::Create { path: path.clone(), kind: io::ErrorKind::Other, detail: error.to_string() })
        });
        let at = SystemTime::now();
        match opened {
            Ok((sender, thread)) => {
                tracing::debug!("capturing to {}", path.display());
                self.slot.replace(Some(sender));
                self.active = Some(Active { path: path.clone(), done: thread.done });
                report(emitter, root, Event::CaptureStarted { path, at }).await;
            }
            Err(error) => {
                tracing::debug!("capture to {} failed: {error}", path.display());
                report(emitter, root, Event::CaptureFailed { path, error, at }).await;
            }
        }
    }

    /// Stops the running capture, if any: what was captured before is
    /// written and flushed, then `CaptureStopped` (or `CaptureFailed`, if
    /// the last writes failed).
    pub(super) async fn stop(&mut self, emitter: &Emitter, root: &CancellationToken) {
        let Some(active) = self.active.take() else {
            return;
        };
        // Dropping our sender lets the writer end once it has written what
        // emitters already handed over (their clones are dropped as each send completes).
        self.slot.replace(None);
        let Active { path, mut done } = active;
        let outcome = tokio::select! {
            outcome = &mut done => outcome.unwrap_or_else(|_| Err(lost())),
            // The engine is stopping meanwhile: do not let a stuck disk hold it up for long.
            () = root.cancelled() => {
                finish(&path, done).await;
                return;
            }
        };
        report(emitter, root, ended_event(path, outcome)).await;
    }

    /// The engine is stopping: finish the file (waiting a while for the
    /// writer), reporting nothing.
    pub(super) async fn shutdown(&mut self) {
        let Some(active) = self.active.take() else {
            return;
        };
        self.slot.replace(None);
        finish(&active.path, active.done).await;
    }
}

/// Waits a while for the writer of the capture to `path` to finish its file, logging how it ended.
async fn finish(path: &Path, done: oneshot::Receiver<Outcome>) {
    let path = path.display();
    match tokio::time::timeout(SHUTDOWN_WAIT, done).await {
        Ok(Ok(Ok(totals))) => tracing::debug!("capture to {path} finished: {totals:?}"),
        Ok(Ok(Err((error, _)))) => tracing::error!("capture to {path} failed: {error}"),
        Ok(Err(_)) => tracing::error!("the capture writer for {path} stopped unexpectedly"),
        Err(_) => tracing::error!("the capture to {path} did not finish within {SHUTDOWN_WAIT:?}"),
    }
}

/// Creates the file (unless writing to a sink), writes the header and
/// starts the writer thread.
fn open(path: &Path, target: Target) -> Result<(mpsc::Sender<Entry>, capture::WriterThread), CaptureFailure> {
    let (sink, created): (Box<dyn Write + Send>, bool) = match target {
        Target::Sink(sink) => (sink, false),
        Target::File => match capture::create_file(path) {
            Ok(file) => (Box::new(file), true),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
                return Err(CaptureFailure::Exists { path: path.to_path_buf() });
            }
            Err(error) => {
                let detail = error.to_string();
                return Err(CaptureFailure::Create { path: path.to_path_buf(), kind: error.kind(), detail });
            }
        },
    };
    capture::spawn_writer(sink, CAPTURE_QUEUE).map_err(|error| {
        if created {
            // Nothing of ours is in it; do not leave an empty file behind.
            let _ = std::fs::remove_file(path);
        }
        CaptureFailure::Create { path: path.to_path_buf(), kind: error.kind(), detail: error.to_string() }
    })
}

/// The event that reports how the capture to `path` ended.
fn ended_event(path: PathBuf, outcome: Outcome) -> Event {
    let at = SystemTime::now();
    match outcome {
        Ok(Totals { records, bytes }) => {
            tracing::debug!("capture to {} stopped: {records} records, {bytes} bytes", path.display());
            Event::CaptureStopped { path, records, bytes, at }
        }
        Err((error, Totals { records, .. })) => {
            let error =
                CaptureFailure::Write { path: path.clone(), kind: error.kind(), detail: error.to_string(), records };
            tracing::debug!("{error}");
            Event::CaptureFailed { path, error, at }
        }
    }
}

/// The outcome of a writer thread that ended without saying how (it panicked).
fn lost() -> (io::Error, Totals) {
    (io::Error::other("the capture writer stopped unexpectedly"), Totals::default())
}

/// Emits `event`, giving up if the engine is stopping (the UI may not be draining).
async fn report(emitter: &Emitter, root: &CancellationToken, event: Event) {
    tokio::select! {
        _ = emitter.emit(event) => {}
        () = root.cancelled() => {}
    }
}
