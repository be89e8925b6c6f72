//! The system's file dialogs, each on a thread of its own (a dialog never
//! holds a frame up), and telling "cancelled" from "there is no dialog".
//!
//! On Linux rfd asks the desktop portal and falls back to zenity; where
//! neither exists its `pick_file` answers `None`, just as for a cancel, and
//! the reason goes to the `log` crate. [`install_watch`] puts a logger in
//! place that notes, per thread, when rfd's zenity fallback failed, so the
//! window can say so and offer a path field instead of doing nothing.

use std::cell::Cell;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError, sync_channel};

use eframe::egui;

use crate::model::Message;

/// What a file dialog came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Picked {
    /// A path was chosen.
    Path(PathBuf),
    /// The user cancelled.
    Cancelled,
    /// No file dialog could be shown (no desktop portal, no zenity).
    Unavailable,
}

/// Which dialog to show.
#[derive(Clone, Debug, Default)]
pub struct DialogSpec {
    /// The dialog's title, worded on the UI thread.
    pub title: String,
    /// A named filter and its extensions (without dots).
    pub filter: Option<(String, &'static [&'static str])>,
    /// The file name a save dialog proposes.
    pub file_name: Option<String>,
    /// The folder the dialog starts in, if it exists.
    pub start_dir: Option<PathBuf>,
    /// A save dialog (`false`: open an existing file).
    pub save: bool,
}

/// A file dialog under way.
#[derive(Debug)]
pub struct DialogJob(Receiver<Picked>);

impl DialogJob {
    /// Shows the dialog described by `spec` on a thread of its own; the
    /// window is asked to draw again when it is answered.
    pub fn start(ctx: &egui::Context, spec: DialogSpec) -> Result<Self, Message> {
        install_watch();
        let (done, answer) = sync_channel(1);
        let ctx = ctx.clone();
        std::thread::Builder::new()
            .name("netassist-file-dialog".to_owned())
            .spawn(move || {
                let _ = done.send(show(spec));
                ctx.request_repaint();
            })
            .map_err(|error| Message::DialogFailed(error.to_string()))?;
        Ok(Self(answer))
    }

    /// The dialog's answer once there is one (a thread that ended without
    /// one counts as no dialog).
    pub fn poll(&self) -> Option<Picked> {
        match self.0.try_recv() {
            Ok(picked) => Some(picked),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Picked::Unavailable),
        }
    }
}

fn show(spec: DialogSpec) -> Picked {
    let mut dialog = rfd::FileDialog::new().set_title(&spec.title);
    if let Some((name, extensions)) = &spec.filter {
        dialog = dialog.add_filter(name, extensions);
    }
    if let Some(dir) = spec.start_dir.filter(|dir| dir.is_dir()) {
        dialog = dialog.set_directory(dir);
    }
    if let Some(name) = &spec.file_name {
        dialog = dialog.set_file_name(name);
    }
    NO_DIALOG.set(false);
    let path = if spec.save { dialog.save_file() } else { dialog.pick_file() };
    match path {
        Some(path) => Picked::Path(path),
        None if NO_DIALOG.get() => Picked::Unavailable,
        None => Picked::Cancelled,
    }
}

thread_local! {
    /// rfd reported on this thread that its last fallback failed.
    static NO_DIALOG: Cell<bool> = const { Cell::new(false) };
}

/// Notes rfd's "no dialog at all" on the thread it happens on, and passes
/// rfd's warnings and errors on to stderr; other crates' records are not
/// taken (they went nowhere before, and still do).
struct DialogWatch;

impl log::Log for DialogWatch {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.target().starts_with("rfd") && metadata.level() <= log::Level::Warn
    }

    fn log(&self, record: &log::Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let text = record.args().to_string();
        // rfd 0.17: "Failed to pick file with zenity: …" once the portal
        // and then zenity both failed (tests/ui_file_dialogs.rs pins it).
        if record.level() == log::Level::Error && text.contains("zenity") {
            NO_DIALOG.set(true);
        }
        eprintln!("netassist: {}: {text}", record.target());
    }

    fn flush(&self) {}
}

/// Puts the dialog watch in place as the process's logger (once; a logger
/// someone else installed first is left alone, and then a missing dialog
/// looks like a cancel, as before).
pub fn install_watch() {
    static WATCH: DialogWatch = DialogWatch;
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if log::set_logger(&WATCH).is_ok() {
            log::set_max_level(log::LevelFilter::Warn);
        }
    });
}
