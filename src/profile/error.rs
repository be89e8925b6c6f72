//! What can go wrong with profiles: on disk ([`StoreError`], [`LoadProblem`])
//! and in the list ([`ProfileError`]).

use std::io;
use std::path::{Path, PathBuf};

use super::name::NameError;
use super::read::FileKind;

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

/// Why `profiles.ron` was not loaded (or, for [`LoadProblem::Newer`], not
/// entirely). The app shows it in a banner and starts with the list it could
/// read (empty but for a newer file); the file on disk is left untouched and
/// saving over it is refused until the user accepts.
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
    /// Something other than a regular file is there (a FIFO, a device, …): it
    /// was not read (a FIFO would block, a device may never end) and is left as it is.
    #[error("{} is not a regular file ({kind:?})", path.display())]
    NotAFile {
        /// The profiles file's path.
        path: PathBuf,
        /// What is there instead.
        kind: FileKind,
    },
    /// The file is bigger than any profiles file (see [`crate::profile::MAX_FILE_BYTES`]):
    /// not read, left as it is.
    #[error("{} is {size} bytes, more than the {limit} a profiles file may have", path.display())]
    TooLarge {
        /// The profiles file.
        path: PathBuf,
        /// Its size in bytes (at least).
        size: u64,
        /// The limit, in bytes.
        limit: u64,
    },
    /// The file was written by a newer netassist (a higher format version).
    /// Its profiles were read as far as this build understands them; the file
    /// is left as it is until the user accepts replacing it (a byte-identical
    /// copy is kept beforehand as well).
    #[error("{} was written by a newer netassist (format {version}; this one writes {current}); {kept}", path.display())]
    Newer {
        /// The profiles file.
        path: PathBuf,
        /// The version found in the file.
        version: u32,
        /// The version this build writes.
        current: u32,
        /// The copy kept of it.
        kept: KeptCopy,
    },
}

/// The byte-identical copy kept of a profiles file before it may be replaced.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeptCopy {
    /// Kept (or an identical copy was already there) at this path.
    #[error("a copy was kept as {}", .0.display())]
    Kept(PathBuf),
    /// The copy could not be written.
    #[error("no copy could be kept: {0}")]
    NotKept(StoreError),
}

impl KeptCopy {
    /// The copy's path, when it was kept.
    pub fn path(&self) -> Option<&Path> {
        match self {
            KeptCopy::Kept(path) => Some(path),
            KeptCopy::NotKept(_) => None,
        }
    }
}

/// A profile whose name, as read from the file, broke the naming rules (a
/// hand-edited file): it was loaded under a valid name instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenamedProfile {
    /// The name as read, shortened for display (see [`crate::profile::shorten`]).
    pub original: String,
    /// The name's length as read, in characters.
    pub original_chars: usize,
    /// Why it was refused.
    pub why: NameError,
    /// The name it was loaded as.
    pub name: String,
}

/// Profiles loaded under another name because their names broke the rules,
/// and the copy of the file as it was (kept before anything is written).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamesFixed {
    /// The profiles renamed, in list order.
    pub renamed: Vec<RenamedProfile>,
    /// The copy of the file as it was.
    pub kept: KeptCopy,
}

impl LoadProblem {
    /// The profiles file the problem is about.
    pub fn path(&self) -> &Path {
        match self {
            LoadProblem::Unreadable { path, .. }
            | LoadProblem::Corrupt { path, .. }
            | LoadProblem::CorruptNotKept { path, .. }
            | LoadProblem::NotAFile { path, .. }
            | LoadProblem::TooLarge { path, .. }
            | LoadProblem::Newer { path, .. } => path,
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
