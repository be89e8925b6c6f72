//! What can go wrong with a session's files, as values (the window words them).

use std::io;
use std::path::PathBuf;

/// Why a session's files cannot be written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    /// No data directory: neither `NETASSIST_DATA_DIR` nor a home directory.
    #[error("no data directory: set {env} or HOME")]
    NoDataDir {
        /// The variable that would name one.
        env: &'static str,
    },
    /// `NETASSIST_DATA_DIR` is relative and the working directory is unknown.
    #[error("{env} is relative and {detail}")]
    RelativeDataDir {
        /// The variable.
        env: &'static str,
        /// What the OS said.
        detail: String,
    },
    /// A folder could not be created.
    #[error("cannot create log folder {}: {detail}", path.display())]
    CreateFolder {
        /// The folder.
        path: PathBuf,
        /// What the OS said, as a kind.
        kind: io::ErrorKind,
        /// What the OS said.
        detail: String,
    },
    /// A file could not be created.
    #[error("cannot create log file {}: {detail}", path.display())]
    CreateFile {
        /// The file.
        path: PathBuf,
        /// What the OS said, as a kind.
        kind: io::ErrorKind,
        /// What the OS said.
        detail: String,
    },
    /// The writer thread could not be started.
    #[error("cannot start the log writer: {detail}")]
    Thread {
        /// What the OS said.
        detail: String,
    },
    /// A write failed: the log stopped there.
    #[error("log stopped: cannot write {}: {detail}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// What the OS said, as a kind.
        kind: io::ErrorKind,
        /// What the OS said.
        detail: String,
    },
}
