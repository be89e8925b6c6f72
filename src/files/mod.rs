//! Files a session leaves behind: where they go, and the text log of a
//! session. No egui: writing happens on threads of their own, so a frame
//! never waits on disk.
//!
//! - [`data_dir`]: `NETASSIST_DATA_DIR`, or the platform data directory;
//!   logs go in its `logs/`, captures in its `captures/`.
//! - [`SessionLog`]: one text file per session, written on a background thread.

mod error;
mod paths;
mod session_log;

pub use error::FileError;
pub use paths::{CAPTURES_DIR, DATA_DIR_ENV, LOGS_DIR, data_dir, session_file_name};
pub use session_log::SessionLog;
