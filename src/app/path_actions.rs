//! Choosing a file for a tab: the system's file dialog first, and where
//! there is none, a path field in the window (it says why). Whichever
//! answered, the path goes to the same place: a file send, a capture to
//! open, a file to save the view or the sequence in.

use std::path::PathBuf;
use std::time::SystemTime;

use eframe::egui;

use super::SessionTab;
use super::file_dialog::{DialogJob, DialogSpec, Picked};
use crate::engine::EngineHandle;
use crate::files::session_file_name;
use crate::i18n::t;
use crate::model::{FilePurpose, Message, PathPrompt};
use crate::ui::{self, PathPromptIntent};

impl SessionTab {
    /// Asks for a file for `purpose`: the system's dialog on its thread, or
    /// (where it cannot be shown) the path field. One at a time per tab.
    pub fn ask_for_path(&mut self, ctx: &egui::Context, purpose: FilePurpose) {
        if self.dialog.is_some() || self.path_prompt.is_some() {
            return;
        }
        match DialogJob::start(ctx, self.dialog_spec(purpose)) {
            Ok(job) => self.dialog = Some((purpose, job)),
            Err(error) => self.path_problem(purpose, error),
        }
    }

    /// Opens the path field for `purpose` straight away (what a missing
    /// dialog leads to; tests and the command line use it too).
    pub fn prompt_for_path(&mut self, purpose: FilePurpose) {
        let spec = self.dialog_spec(purpose);
        let suggestion =
            spec.file_name.map(|name| spec.start_dir.map_or_else(|| PathBuf::from(&name), |d| d.join(&name)));
        self.path_prompt = Some(PathPrompt::new(purpose, suggestion));
    }

    fn dialog_spec(&self, purpose: FilePurpose) -> DialogSpec {
        // Worded here: the language is the UI thread's.
        let title = ui::path_prompt_title(purpose);
        match purpose {
            FilePurpose::SendFile => DialogSpec { title, ..DialogSpec::default() },
            FilePurpose::OpenCapture => DialogSpec {
                title,
                filter: Some((t("dialog-capture-files"), &["nacap"])),
                start_dir: self.files.captures_dir(),
                ..DialogSpec::default()
            },
            FilePurpose::SaveView => DialogSpec {
                title,
                filter: Some((t("dialog-text-files"), &["txt", "log"])),
                file_name: Some(session_file_name(SystemTime::now(), self.profile_name().unwrap_or("receive"), "txt")),
                start_dir: self.files.logs_dir(),
                save: true,
            },
            FilePurpose::OpenSequence => {
                DialogSpec { title, filter: Some((t("seq-script-files"), &["nas"])), ..DialogSpec::default() }
            }
            FilePurpose::SaveSequence => DialogSpec {
                title,
                filter: Some((t("seq-script-files"), &["nas"])),
                file_name: Some("sequence.nas".to_owned()),
                save: true,
                ..DialogSpec::default()
            },
        }
    }

    /// Picks up a dialog's answer: a path is used, a cancel does nothing, no
    /// dialog at all opens the path field.
    pub(super) fn poll_dialog(&mut self, ctx: &egui::Context, engine: &EngineHandle) {
        let Some((purpose, job)) = &self.dialog else { return };
        let purpose = *purpose;
        let Some(picked) = job.poll() else { return };
        self.dialog = None;
        match picked {
            Picked::Path(path) => {
                if let Err(problem) = self.use_path(ctx, engine, purpose, &path) {
                    self.path_problem(purpose, problem);
                }
            }
            Picked::Cancelled => {}
            Picked::Unavailable => self.prompt_for_path(purpose),
        }
    }

    /// Draws the path field's window while it is open, and uses its path on OK.
    pub(super) fn path_prompt_window(&mut self, ctx: &egui::Context, engine: &EngineHandle) {
        let Some(prompt) = &mut self.path_prompt else { return };
        match ui::path_prompt_ui(ctx, prompt) {
            None => {}
            Some(PathPromptIntent::Cancel) => self.path_prompt = None,
            Some(PathPromptIntent::Accept) => {
                let purpose = prompt.purpose;
                let result = prompt.checked_path().and_then(|path| self.use_path(ctx, engine, purpose, &path));
                match (result, &mut self.path_prompt) {
                    (Ok(()), _) => self.path_prompt = None,
                    (Err(problem), Some(prompt)) => prompt.problem = Some(problem),
                    (Err(problem), None) => self.path_problem(purpose, problem),
                }
            }
        }
    }

    /// Uses `path` for `purpose`. `Err`: it was refused, and why (a dialog's
    /// refusal shows where that action shows its problems; the path field's
    /// stays in its window, with the text).
    fn use_path(
        &mut self,
        ctx: &egui::Context,
        engine: &EngineHandle,
        purpose: FilePurpose,
        path: &std::path::Path,
    ) -> Result<(), Message> {
        match purpose {
            FilePurpose::SendFile => {
                self.start_file_send(engine, path);
                Ok(())
            }
            FilePurpose::OpenCapture => {
                self.load_capture(ctx, path.to_path_buf());
                Ok(())
            }
            FilePurpose::SaveView => {
                self.save_view_to(path)?;
                self.files.message = Some((Message::ViewSaved(path.to_path_buf()), false));
                Ok(())
            }
            FilePurpose::OpenSequence | FilePurpose::SaveSequence => {
                if purpose == FilePurpose::OpenSequence { self.open_sequence(path) } else { self.save_sequence(path) }?;
                self.sequence.problem = None;
                Ok(())
            }
        }
    }

    /// Shows a problem of `purpose` where that action shows its problems.
    fn path_problem(&mut self, purpose: FilePurpose, problem: Message) {
        match purpose {
            FilePurpose::SendFile => self.fail_send(problem),
            FilePurpose::OpenCapture | FilePurpose::SaveView => self.files.message = Some((problem, true)),
            FilePurpose::OpenSequence | FilePurpose::SaveSequence => self.sequence.problem = Some(problem),
        }
    }
}
