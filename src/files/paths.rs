//! Where session files live and what they are called.

use super::FileError;
use std::ffi::OsString;
use std::path::PathBuf;
use std::time::SystemTime;

use chrono::{DateTime, Local};

/// Environment variable that overrides the data directory (tests use a temp dir).
pub const DATA_DIR_ENV: &str = "NETASSIST_DATA_DIR";
/// Subdirectory of the data directory for session logs.
pub const LOGS_DIR: &str = "logs";
/// Subdirectory of the data directory for capture files.
pub const CAPTURES_DIR: &str = "captures";

/// The directory logs and captures go under: `NETASSIST_DATA_DIR` if set and
/// non-empty (made absolute), else the platform data directory
/// (`~/.local/share/netassist` on Linux, `%APPDATA%\netassist\data` on
/// Windows, `~/Library/Application Support/netassist` on macOS).
pub fn data_dir() -> Result<PathBuf, FileError> {
    data_dir_from(std::env::var_os(DATA_DIR_ENV))
}

fn data_dir_from(env: Option<OsString>) -> Result<PathBuf, FileError> {
    if let Some(dir) = env.filter(|d| !d.is_empty()) {
        let dir = PathBuf::from(dir);
        return Ok(if dir.is_absolute() {
            dir
        } else {
            std::env::current_dir()
                .map_err(|e| FileError::RelativeDataDir { env: DATA_DIR_ENV, detail: e.to_string() })?
                .join(dir)
        });
    }
    directories::ProjectDirs::from("", "", "netassist")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .ok_or(FileError::NoDataDir { env: DATA_DIR_ENV })
}

/// A file name for a session started at `at`: local time, then the profile
/// (or mode) name with anything but letters, digits, `-` and `_` made `_`,
/// then `extension`, e.g. `2026-11-24_10-30-05_tutorial.log`. The name
/// never holds a path separator, so it stays in the directory it is joined to.
pub fn session_file_name(at: SystemTime, label: &str, extension: &str) -> String {
    let time: DateTime<Local> = at.into();
    let label: String =
        label.chars().take(48).map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    let label = if label.is_empty() { "session".to_owned() } else { label };
    format!("{}_{label}.{extension}", time.format("%Y-%m-%d_%H-%M-%S"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_stay_in_their_directory() {
        let at = SystemTime::UNIX_EPOCH;
        for label in ["../../etc/passwd", "a/b\\c", "..", "", "con:"] {
            let name = session_file_name(at, label, "log");
            assert!(!name.contains('/') && !name.contains('\\') && !name.contains(".."), "{name}");
            assert!(name.ends_with(".log"));
        }
        assert!(session_file_name(at, "教程 1", "log").ends_with("_教程_1.log"));
    }

    #[test]
    fn the_environment_wins() {
        let dir = std::env::temp_dir();
        assert_eq!(data_dir_from(Some(dir.clone().into_os_string())), Ok(dir));
        assert!(
            data_dir_from(Some(OsString::new())).is_ok_and(|d| d.ends_with("netassist"))
                || std::env::var_os("HOME").is_none()
        );
    }
}
