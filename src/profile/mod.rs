//! Saved sessions ("profiles"): what they hold, the `profiles.ron` file that
//! keeps them, and how that file is read and written safely.
//!
//! This module depends on nothing else in the crate: it speaks plain types
//! (strings, numbers, its own small enums) and leaves the mapping to and from
//! the app's settings to the app.
//!
//! - [`Profile`]: one session's settings, versioned, every field defaulted.
//! - [`ProfilesFile`]: the whole file (profiles, last used, window layout) and
//!   the name-keyed operations on it.
//! - [`ProfileStore`]: where the file lives, loading it (a corrupt file is kept
//!   and never overwritten unasked), and atomic saving.
//! - [`Saver`]: saves on a background thread so a frame never waits on disk.

mod data;
mod error;
mod file;
mod io;
mod name;
mod read;
mod saver;
mod store;
mod workspace;

pub use data::{AutoReplyData, PROFILE_VERSION, PresetData, Profile};
pub use error::{KeptCopy, LoadProblem, NamesFixed, ProfileError, RenamedProfile, StoreError};
pub use file::{FILE_VERSION, Preferences, ProfilesFile, WindowLayout};
pub use name::{MAX_NAME_CHARS, NameError, SHOWN_CHARS, shorten, validate_name};
pub use read::{FileKind, MAX_FILE_BYTES};
pub use saver::Saver;
pub use store::{CONFIG_DIR_ENV, FILE_NAME, LoadOutcome, ProfileStore};
pub use workspace::{Workspace, WorkspaceTab};
