//! What can go wrong with profiles: on disk ([`StoreError`], [`LoadProblem`])
//! and in the list ([`ProfileError`]).

use std::io;
use std::path::{Path, PathBuf};

use super::name::NameError;

/// A failed disk operation of the profile store. Messages name the path and
/// carry the OS's own words, ready for a status line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// Neither `NETASSIST_CONFIG_DIR` nor a home directory is available.
    #[error("no configuration directory: set NETASSIST_CONFIG_DIR or HOME")]
    NoConfigDir,
    /// An I/O call failed.
    #[error("cannot {action} {}: {message}", path.display())]
    Io {
        /// What was being done, e.g. "create directory", "write", "replace".
        action: &'static str,
        /// The file or directory concerned.
        path: PathBuf,
        /// The OS error, as text.
        message: String,
        /// The OS error's kind, for callers that branch on it.
        kind: io::ErrorKind,
    },
    /// The file on disk could not be loaded and was not replaced: the user has
    /// not accepted overwriting it (see `ProfileStore::accept_overwrite`).
    #[error("{} could not be loaded and was left as it is; not saving over it until you accept", path.display())]
    OverwriteRefused {
        /// The protected file.
        path: PathBuf,
    },
    /// The profiles could not be turned into RON.
    #[error("cannot write profiles as RON: {message}")]
    Serialize {
        /// The serializer's message.
        message: String,
    },
}

impl StoreError {
    /// Wraps an I/O error with what was being done and where.
    pub(super) fn io(action: &'static str, path: &Path, err: &io::Error) -> Self {
        StoreError::Io { action, path: path.to_path_buf(), message: err.to_string(), kind: err.kind() }
    }
}

/// Why `profiles.ron` was not loaded. The app shows it in a banner and starts
/// with an empty list; the file on disk is left untouched and saving over it
/// is refused until the user accepts.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LoadProblem {
    /// The file exists but could not be read (permissions, a directory, …).
    #[error("cannot read {}: {message}", path.display())]
    Unreadable {
        /// The profiles file.
        path: PathBuf,
        /// The OS error, as text.
        message: String,
    },
    /// The file was read but is not valid RON (or not UTF-8, or not a profiles file);
    /// a byte-identical copy was kept.
    #[error("{} is damaged at line {line}, column {column}: {message} (a copy was kept as {})", path.display(), kept_copy.display())]
    Corrupt {
        /// The profiles file.
        path: PathBuf,
        /// Line of the error, from 1.
        line: usize,
        /// Column of the error, from 1, in characters.
        column: usize,
        /// The parser's message.
        message: String,
        /// Where the copy of the damaged file was written.
        kept_copy: PathBuf,
    },
    /// Like [`LoadProblem::Corrupt`], but the copy could not be written either;
    /// the original is still left untouched.
    #[error("{} is damaged at line {line}, column {column}: {message} (and no copy could be kept: {copy_error})", path.display())]
    CorruptNotKept {
        /// The profiles file.
        path: PathBuf,
        /// Line of the error, from 1.
        line: usize,
        /// Column of the error, from 1, in characters.
        column: usize,
        /// The parser's message.
        message: String,
        /// Why the copy failed.
        copy_error: StoreError,
    },
}

impl LoadProblem {
    /// The profiles file the problem is about.
    pub fn path(&self) -> &Path {
        match self {
            LoadProblem::Unreadable { path, .. }
            | LoadProblem::Corrupt { path, .. }
            | LoadProblem::CorruptNotKept { path, .. } => path,
        }
    }
}

/// A refused change to the profile list.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    /// The new name breaks the naming rules.
    #[error(transparent)]
    InvalidName(#[from] NameError),
    /// No profile has this name.
    #[error("no profile named \"{0}\"")]
    NotFound(String),
    /// Another profile already has this name.
    #[error("a profile named \"{0}\" already exists")]
    AlreadyExists(String),
}
