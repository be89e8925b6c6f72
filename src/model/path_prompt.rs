//! The path field offered where the system has no file dialog (no desktop
//! portal, no zenity): what the path is for, what was typed, and why the
//! last try did not work. Nothing typed is lost on a refusal.

use std::path::PathBuf;

use super::Message;

/// What a file dialog (or the path field in its place) chooses a file for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilePurpose {
    /// Send file…: an existing file to send.
    SendFile,
    /// File ▸ Open capture…: an existing capture.
    OpenCapture,
    /// File ▸ Save receive view as…: a file to write.
    SaveView,
    /// The sequence panel's Open…: an existing script.
    OpenSequence,
    /// The sequence panel's Save as…: a file to write.
    SaveSequence,
}

impl FilePurpose {
    /// The file must exist already (an open, not a save).
    pub fn opens(self) -> bool {
        matches!(self, Self::SendFile | Self::OpenCapture | Self::OpenSequence)
    }
}

/// The path field shown instead of a file dialog.
#[derive(Clone, Debug, PartialEq)]
pub struct PathPrompt {
    /// What the path is for.
    pub purpose: FilePurpose,
    /// The path as typed.
    pub text: String,
    /// Why the last OK did not go through (the field keeps its text).
    pub problem: Option<Message>,
}

impl PathPrompt {
    /// An empty field for `purpose`, proposing `suggestion` (a save's file name, or nothing).
    pub fn new(purpose: FilePurpose, suggestion: Option<PathBuf>) -> Self {
        let text = suggestion.map(|path| path.display().to_string()).unwrap_or_default();
        Self { purpose, text, problem: None }
    }

    /// The path typed, checked as far as it can be before it is used: not
    /// empty, and for an open an existing file (a folder or nothing there is
    /// refused with the reason; the text stays for correcting).
    pub fn checked_path(&self) -> Result<PathBuf, Message> {
        let text = self.text.trim();
        if text.is_empty() {
            return Err(Message::PathMissing);
        }
        let path = PathBuf::from(text);
        if self.purpose.opens() {
            match std::fs::metadata(&path) {
                Ok(meta) if meta.is_file() => {}
                Ok(_) => return Err(Message::NotAFile(path)),
                Err(error) => return Err(Message::CannotOpenPath { path, error: error.into() }),
            }
        } else if path.is_dir() {
            return Err(Message::NotAFile(path));
        }
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn an_open_needs_an_existing_file_and_a_save_anything_but_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.bin");
        std::fs::write(&file, b"x").unwrap();
        let mut prompt = PathPrompt::new(FilePurpose::SendFile, None);
        assert_eq!(prompt.checked_path(), Err(Message::PathMissing));
        prompt.text = format!("  {}  ", file.display());
        assert_eq!(prompt.checked_path(), Ok(file.clone()));
        prompt.text = dir.path().display().to_string();
        assert_eq!(prompt.checked_path(), Err(Message::NotAFile(dir.path().to_path_buf())));
        prompt.text = dir.path().join("missing").display().to_string();
        assert!(matches!(prompt.checked_path(), Err(Message::CannotOpenPath { .. })));
        let save = PathPrompt::new(FilePurpose::SaveView, Some(dir.path().join("new.txt")));
        assert_eq!(save.checked_path(), Ok(dir.path().join("new.txt")));
    }
}
