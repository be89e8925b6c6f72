//! The files a session writes: the text log (opened when a session starts
//! with logging on, or when logging is switched on during one; closed when
//! the session ends), "Save receive view as…", and "Open log folder".

use std::path::PathBuf;
use std::time::SystemTime;

use super::SessionTab;
use crate::engine::EngineHandle;
use crate::files::{CAPTURES_DIR, FileError, LOGS_DIR, SessionLog, session_file_name};
use crate::model::{CaptureState, LinkState, Message, Protocol};

/// The session's files: where they go, the open log, and jobs under way.
#[derive(Default)]
pub struct SessionFiles {
    /// Where logs and captures go (`None`: no data directory; logging is unavailable).
    pub data_dir: Option<PathBuf>,
    /// Why there is no data directory.
    pub data_dir_problem: Option<FileError>,
    /// The open log.
    log: Option<SessionLog>,
    /// The next view record the log has not seen.
    log_seq: u64,
    /// The first view record of the session under way.
    session_start_seq: u64,
    /// What happened last with the session's files, and whether it is an error.
    pub message: Option<(Message, bool)>,
    /// Whether we asked the engine to capture (and have not asked it to stop).
    capturing: bool,
    /// The capture file last asked for (its events name it).
    capture_path: Option<PathBuf>,
    /// Another tab's title while that tab captures (one capture runs at a time).
    pub capture_elsewhere: Option<String>,
}

impl SessionFiles {
    /// Session files under `data_dir` (`None`: unavailable, because of `problem`).
    pub fn new(data_dir: Option<PathBuf>, problem: Option<FileError>) -> Self {
        Self { data_dir, data_dir_problem: problem, ..Self::default() }
    }

    /// The log file being written, if any.
    pub fn log_path(&self) -> Option<&std::path::Path> {
        self.log.as_ref().map(SessionLog::path)
    }

    /// The folder captures go to.
    pub fn captures_dir(&self) -> Option<PathBuf> {
        self.data_dir.as_ref().map(|dir| dir.join(CAPTURES_DIR))
    }

    /// The capture file this session last asked for.
    pub fn capture_path(&self) -> Option<&std::path::Path> {
        self.capture_path.as_deref()
    }

    /// Whether a capture was asked for and not stopped.
    pub fn is_capturing(&self) -> bool {
        self.capturing
    }

    /// The folder logs go to.
    pub fn logs_dir(&self) -> Option<PathBuf> {
        self.data_dir.as_ref().map(|dir| dir.join(LOGS_DIR))
    }
}

impl SessionTab {
    /// Marks the start of a session (Connect, Listen or Open was accepted) and opens its log if asked.
    pub(super) fn session_started(&mut self) {
        self.reconnect_session_started();
        self.files.session_start_seq = self.session.view.next_seq();
        self.files.log_seq = self.files.session_start_seq;
        if self.settings.log_session {
            self.open_log();
        }
    }

    /// Asks the engine to capture to a new file, if the capture switch is on
    /// and none runs; returns whether one was asked for.
    pub(super) fn start_capture_if_asked(&mut self, engine: &EngineHandle) -> bool {
        if !self.settings.capture || self.files.capturing {
            return false;
        }
        if let Some(other) = self.files.capture_elsewhere.clone() {
            // The engine writes one capture at a time: starting this one would end the other tab's.
            self.files.message = Some((Message::CaptureBusy { tab: other }, true));
            self.settings.capture = false;
            return false;
        }
        let Some(dir) = self.files.captures_dir() else {
            self.files.message = Some((Message::NoDataDir(self.files.data_dir_problem.clone()), true));
            self.settings.capture = false;
            return false;
        };
        let name = session_file_name(SystemTime::now(), &self.session_label(), "nacap");
        let path = dir.join(name);
        match engine.start_capture(path.clone()) {
            Ok(()) => {
                self.files.capturing = true;
                self.files.capture_path = Some(path);
                true
            }
            Err(error) => {
                self.files.message = Some((Message::CaptureCommand(error), true));
                self.settings.capture = false;
                false
            }
        }
    }

    /// Asks the engine to stop the capture (it reports the file when it is complete).
    pub(super) fn stop_capture(&mut self, engine: &EngineHandle) {
        if std::mem::take(&mut self.files.capturing)
            && let Err(error) = engine.stop_capture()
        {
            self.files.message = Some((Message::CaptureCommand(error), true));
        }
    }

    /// The profile's name, or the mode's, for file names.
    fn session_label(&self) -> String {
        self.profile_name().map_or_else(|| self.protocol_slug().to_owned(), str::to_owned)
    }

    fn open_log(&mut self) {
        let Some(dir) = self.files.logs_dir() else {
            self.files.message = Some((Message::NoDataDir(self.files.data_dir_problem.clone()), true));
            self.settings.log_session = false;
            return;
        };
        let label = self.session_label();
        let now = SystemTime::now();
        let header = format!(
            "# netassist session log\n# started {}\n# profile: {}\n# mode: {}, charset: {}, view: {}\n",
            chrono::DateTime::<chrono::Local>::from(now).format("%Y-%m-%d %H:%M:%S%.3f %:z"),
            self.profile_name().unwrap_or("(none)"),
            self.settings.protocol.label(),
            self.settings.charset.label(),
            self.settings.view_mode.label(),
        );
        let mut attempt = 0;
        let created = loop {
            // Two sessions started in the same second get "-2", "-3"… rather than sharing a file.
            let name = match attempt {
                0 => session_file_name(now, &label, "log"),
                n => session_file_name(now, &format!("{label}-{}", n + 1), "log"),
            };
            match SessionLog::create(&dir, &name, &header) {
                Err(_) if attempt < 20 && dir.join(&name).exists() => attempt += 1,
                other => break other,
            }
        };
        match created {
            Ok(log) => {
                self.files.message = Some((Message::LoggingTo(log.path().to_path_buf()), false));
                // Switched on during a session: the session so far goes in too, as far as the view still holds it.
                self.files.log_seq = self.files.session_start_seq;
                self.files.log = Some(log);
            }
            Err(error) => {
                self.files.message = Some((Message::LogFailed(error), true));
                self.settings.log_session = false;
            }
        }
    }

    fn protocol_slug(&self) -> &'static str {
        match self.settings.protocol {
            Protocol::TcpClient => "tcp-client",
            Protocol::TcpServer => "tcp-server",
            Protocol::Udp => "udp",
        }
    }

    /// Once per frame, after the events are applied: feeds the log what the
    /// view gained, follows the log switch, closes the log when the session
    /// ended, and picks up a finished save.
    pub(super) fn update_session_files(&mut self, engine: &EngineHandle) {
        let active = self.session.state != LinkState::Idle;
        if self.files.capturing && matches!(self.session.capture, CaptureState::Failed { .. }) {
            // The engine stopped it (e.g. disk full) and said why in the view.
            self.files.capturing = false;
            self.settings.capture = false;
        }
        if self.settings.capture && active && !self.files.capturing {
            self.start_capture_if_asked(engine);
        } else if self.files.capturing && (!active || !self.settings.capture) {
            self.stop_capture(engine);
        }
        if self.settings.log_session && active && self.files.log.is_none() {
            self.open_log();
        }
        if let Some(log) = &mut self.files.log {
            let mut text = String::new();
            let missed = self.session.view.render_since(self.files.log_seq, &mut text);
            if missed > 0 {
                text.insert_str(0, &format!("[log: {missed} records left the view before they could be logged]\n"));
            }
            self.files.log_seq = self.session.view.next_seq();
            log.append(text);
            if let Some(error) = log.error() {
                self.files.message = Some((Message::LogFailed(error), true));
                self.settings.log_session = false;
                self.files.log = None;
            } else if !active || !self.settings.log_session {
                self.close_log();
            }
        }
    }

    pub(super) fn close_log(&mut self) {
        if let Some(log) = self.files.log.take() {
            self.files.message = Some((Message::LogSaved(log.path().to_path_buf()), false));
            // Closing waits for the disk: never in a frame.
            let _ = std::thread::Builder::new().name("netassist-log-close".to_owned()).spawn(move || log.close());
        }
    }

    /// Opens the logs folder in the desktop's file manager (creating it first).
    pub fn open_log_folder(&mut self) {
        let Some(dir) = self.files.logs_dir() else {
            self.files.message = Some((Message::NoDataDir(self.files.data_dir_problem.clone()), true));
            return;
        };
        let result = std::fs::create_dir_all(&dir).and_then(|()| open::that_detached(&dir));
        if let Err(error) = result {
            self.files.message = Some((Message::CannotOpenFolder { path: dir, error: error.into() }, true));
        }
    }

    /// Asks where to save the receive view as text (the system's file
    /// dialog, or the path field where there is none), then writes it there.
    pub fn save_view_as(&mut self, ctx: &eframe::egui::Context) {
        self.ask_for_path(ctx, crate::model::FilePurpose::SaveView);
    }

    /// Writes the receive view, as shown, to `path` (what the dialog's choice leads to).
    pub fn save_view_to(&mut self, path: &std::path::Path) -> Result<(), Message> {
        std::fs::write(path, self.session.view.to_text())
            .map_err(|e| Message::CannotSave { path: path.to_path_buf(), error: e.into() })
    }
}
