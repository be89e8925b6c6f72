//! A session's text log: the receive view's lines, as shown (charset and
//! text/hex choice), appended to one file per session by a background thread.

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

use super::FileError;

/// Chunks of text queued for the writer thread at most.
const QUEUE_CHUNKS: usize = 64;
/// Text held back while the writer is behind, at most; past it, text is
/// skipped and the log says how much (the capture, not the log, is lossless).
const MAX_PENDING_BYTES: usize = 16 << 20;

/// An open session log.
///
/// [`SessionLog::append`] never blocks: text goes to the writer thread through
/// a bounded queue; while the queue is full it is held (up to 16 MiB) and
/// sent with the next append or [`SessionLog::close`]. A write error stops the
/// log; [`SessionLog::error`] says why, and the session goes on.
pub struct SessionLog {
    path: PathBuf,
    queue: Option<SyncSender<String>>,
    pending: String,
    skipped: u64,
    error: Arc<Mutex<Option<FileError>>>,
    thread: Option<JoinHandle<()>>,
}

impl SessionLog {
    /// Creates `dir/name` (and `dir`), refusing to replace an existing file,
    /// writes `header` as its first lines, and starts the writer thread.
    pub fn create(dir: &Path, name: &str, header: &str) -> Result<SessionLog, FileError> {
        fs::create_dir_all(dir).map_err(|e| FileError::CreateFolder {
            path: dir.to_path_buf(),
            kind: e.kind(),
            detail: e.to_string(),
        })?;
        let path = dir.join(name);
        let file = OpenOptions::new().write(true).create_new(true).open(&path).map_err(|e| FileError::CreateFile {
            path: path.clone(),
            kind: e.kind(),
            detail: e.to_string(),
        })?;
        let (queue, chunks) = mpsc::sync_channel(QUEUE_CHUNKS);
        let error = Arc::new(Mutex::new(None));
        let thread = {
            let (path, error) = (path.clone(), Arc::clone(&error));
            std::thread::Builder::new()
                .name("netassist-log".to_owned())
                .spawn(move || write_all(file, &path, &chunks, &error))
                .map_err(|e| FileError::Thread { detail: e.to_string() })?
        };
        let mut log =
            SessionLog { path, queue: Some(queue), pending: String::new(), skipped: 0, error, thread: Some(thread) };
        log.append(header.to_owned());
        Ok(log)
    }

    /// The file written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Queues `text` (whole lines) for the file. Never blocks.
    pub fn append(&mut self, text: String) {
        if text.is_empty() && self.pending.is_empty() {
            return;
        }
        if self.pending.len() + text.len() > MAX_PENDING_BYTES {
            self.skipped += text.len() as u64;
        } else if self.pending.is_empty() {
            self.pending = text;
        } else {
            self.pending.push_str(&text);
        }
        self.send_pending();
    }

    fn send_pending(&mut self) {
        let Some(queue) = &self.queue else { return };
        if self.skipped > 0 {
            self.pending
                .push_str(&format!("[log: {} bytes of text skipped while the disk was behind]\n", self.skipped));
        }
        match queue.try_send(std::mem::take(&mut self.pending)) {
            Ok(()) => self.skipped = 0,
            Err(TrySendError::Full(text)) => self.pending = text,
            // The writer stopped on an error; `error` says why.
            Err(TrySendError::Disconnected(_)) => self.queue = None,
        }
    }

    /// Why the log stopped, if a write failed.
    pub fn error(&self) -> Option<FileError> {
        self.error.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Writes what is held, flushes the file and waits for the writer
    /// (for the end of a session; it blocks on disk). Returns the first error, if any.
    pub fn close(mut self) -> Result<PathBuf, FileError> {
        self.finish();
        match self.error() {
            Some(error) => Err(error),
            None => Ok(self.path.clone()),
        }
    }

    fn finish(&mut self) {
        if let Some(queue) = self.queue.take()
            && !self.pending.is_empty()
        {
            let _ = queue.send(std::mem::take(&mut self.pending));
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for SessionLog {
    fn drop(&mut self) {
        self.finish();
    }
}

/// The writer thread: appends chunks until the log is closed or a write fails.
fn write_all(file: File, path: &Path, chunks: &Receiver<String>, error: &Mutex<Option<FileError>>) {
    let mut out = BufWriter::with_capacity(256 << 10, file);
    let result = (|| {
        while let Ok(chunk) = chunks.recv() {
            out.write_all(chunk.as_bytes())?;
            while let Ok(more) = chunks.try_recv() {
                out.write_all(more.as_bytes())?;
            }
            // Nothing more waiting: put it on disk, so a crash loses little.
            out.flush()?;
        }
        out.flush()
    })();
    if let Err(e) = result {
        *error.lock().unwrap_or_else(PoisonError::into_inner) =
            Some(FileError::Write { path: path.to_path_buf(), kind: e.kind(), detail: e.to_string() });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_in_order_and_refuses_to_replace() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut log = SessionLog::create(dir.path(), "a.log", "# header\n").expect("created");
        for i in 0..1000 {
            log.append(format!("line {i}\n"));
        }
        let path = log.close().expect("no error");
        let text = fs::read_to_string(&path).expect("read");
        assert!(text.starts_with("# header\nline 0\n"));
        assert!(text.ends_with("line 999\n"));
        assert_eq!(text.lines().count(), 1001);
        assert!(SessionLog::create(dir.path(), "a.log", "").is_err_and(|e| e.to_string().contains("a.log")));
    }

    #[test]
    fn a_full_disk_stops_the_log_with_a_message() {
        // /dev/full answers every write with ENOSPC (Linux).
        let full = Path::new("/dev/full");
        if !full.exists() {
            return;
        }
        let file = OpenOptions::new().write(true).open(full).expect("open /dev/full");
        let (queue, chunks) = mpsc::sync_channel(1);
        let error = Mutex::new(None);
        queue.send("x".repeat(300_000)).expect("queued");
        drop(queue);
        write_all(file, full, &chunks, &error);
        let message = error.lock().expect("lock").clone().expect("an error");
        assert!(
            message.to_string().contains("/dev/full") && message.to_string().contains("No space left"),
            "{message}"
        );
    }
}
