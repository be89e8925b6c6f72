//! Where `profiles.ron` lives, loading it without ever losing a damaged file,
//! and saving it atomically.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use ron::ser::PrettyConfig;

use super::error::{KeptCopy, LoadProblem, NamesFixed, RenamedProfile, StoreError};
use super::file::{FILE_VERSION, ProfilesFile, WindowLayout};
use super::io::{keep_copy, set_aside, write_atomic};
use super::name::shorten;
use super::read::{MAX_FILE_BYTES, ReadFailure, read_capped};

/// The profiles file's name inside the config directory.
pub const FILE_NAME: &str = "profiles.ron";

/// Environment variable that, when set and non-empty, replaces the platform
/// config directory (tests and portable installs use it).
pub const CONFIG_DIR_ENV: &str = "NETASSIST_CONFIG_DIR";

/// The profile store: one directory holding `profiles.ron`.
///
/// It only ever writes `profiles.ron`, its temp files and kept copies of a
/// damaged file, all directly inside its directory; nothing read from the
/// file chooses a path.
#[derive(Debug)]
pub struct ProfileStore {
    dir: PathBuf,
    path: PathBuf,
    /// Set when the file on disk could not be loaded: saving must not replace it.
    protected: AtomicBool,
    /// Set when the file on disk was not read at all (too large, not a regular
    /// file): the first save after [`ProfileStore::accept_overwrite`] moves it aside first.
    displace: AtomicBool,
    /// The clock reading of the load, naming a file moved aside.
    secs: u64,
}

/// What [`ProfileStore::open`] found.
#[derive(Debug)]
pub struct LoadOutcome {
    /// The store, ready to save (unless `problem` is set: see [`ProfileStore::accept_overwrite`]).
    pub store: ProfileStore,
    /// The loaded profiles; empty when the file is missing or could not be loaded.
    pub file: ProfilesFile,
    /// Why the file on disk was not loaded, for a banner.
    pub problem: Option<LoadProblem>,
    /// Profiles whose names broke the naming rules and were loaded under
    /// valid ones (a copy of the file as it was is kept first).
    pub names_fixed: Option<NamesFixed>,
}

impl ProfileStore {
    /// The directory profiles live in: `NETASSIST_CONFIG_DIR` if set and
    /// non-empty (made absolute), else the platform config directory
    /// (`~/.config/netassist` on Linux, `%APPDATA%\netassist\config` on
    /// Windows, `~/Library/Application Support/netassist` on macOS).
    pub fn config_dir() -> Result<PathBuf, StoreError> {
        config_dir_from(std::env::var_os(CONFIG_DIR_ENV))
    }

    /// Opens the store in `dir` and loads `profiles.ron` from it.
    ///
    /// A missing file (or one holding only whitespace) gives an empty list and
    /// no problem. A file that cannot be read, or does not parse, gives an
    /// empty list and a [`LoadProblem`]; a damaged file is first copied to
    /// `profiles.ron.corrupt-<unix-seconds>`, and in both cases the store
    /// refuses to save over the original until [`ProfileStore::accept_overwrite`].
    /// Never panics, whatever the file holds.
    pub fn open(dir: impl Into<PathBuf>) -> LoadOutcome {
        let secs = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        Self::open_at(dir.into(), secs)
    }

    /// [`ProfileStore::open`] with the clock reading used to name a kept copy.
    pub(super) fn open_at(dir: PathBuf, secs: u64) -> LoadOutcome {
        let path = dir.join(FILE_NAME);
        let store =
            ProfileStore { dir, path, protected: AtomicBool::new(false), displace: AtomicBool::new(false), secs };
        let mut names_fixed = None;
        let (file, problem) = match read_capped(&store.path) {
            // Not there (or a parent is a file): nothing to protect; a save reports the real trouble.
            Ok(None) => (ProfilesFile::default(), None),
            Err(ReadFailure::Io(err)) => {
                let problem = LoadProblem::Unreadable { path: store.path.clone(), message: err.to_string() };
                (ProfilesFile::default(), Some(problem))
            }
            Err(ReadFailure::NotAFile(kind)) => {
                store.displace.store(true, Ordering::Release);
                (ProfilesFile::default(), Some(LoadProblem::NotAFile { path: store.path.clone(), kind }))
            }
            Err(ReadFailure::TooLarge { size }) => {
                store.displace.store(true, Ordering::Release);
                let problem = LoadProblem::TooLarge { path: store.path.clone(), size, limit: MAX_FILE_BYTES };
                (ProfilesFile::default(), Some(problem))
            }
            Ok(Some(bytes)) => match parse(&bytes) {
                Ok(Parsed { file, version, renamed }) => {
                    let newer = (version > FILE_VERSION).then(|| LoadProblem::Newer {
                        path: store.path.clone(),
                        version,
                        current: FILE_VERSION,
                        kept: store.keep(&bytes, "newer", secs),
                    });
                    if !renamed.is_empty() {
                        let kept = match &newer {
                            Some(LoadProblem::Newer { kept, .. }) => kept.clone(),
                            _ => store.keep(&bytes, "renamed", secs),
                        };
                        names_fixed = Some(NamesFixed { renamed, kept });
                    }
                    (file, newer)
                }
                Err(err) => (ProfilesFile::default(), Some(store.keep_damaged(&bytes, err, secs))),
            },
        };
        store.protected.store(problem.is_some(), Ordering::Release);
        LoadOutcome { store, file, problem, names_fixed }
    }

    /// The window layout saved in `dir`'s profiles file, if it loads and is
    /// sane. Reads only: nothing is copied or reported (that is [`ProfileStore::open`]'s
    /// job), so it can run before the window exists, to size it.
    pub fn peek_layout(dir: &Path) -> Option<WindowLayout> {
        let bytes = read_capped(&dir.join(FILE_NAME)).ok()??;
        parse(&bytes).ok()?.file.window.filter(WindowLayout::is_sane)
    }

    /// The store's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The full path of `profiles.ron`.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether saving is refused because the file on disk could not be loaded.
    pub fn is_protected(&self) -> bool {
        self.protected.load(Ordering::Acquire)
    }

    /// Lets [`ProfileStore::save`] replace a file that could not be loaded
    /// (the user has been told, and a copy of a damaged file was kept).
    pub fn accept_overwrite(&self) {
        self.protected.store(false, Ordering::Release);
    }

    /// Writes `file` as pretty RON to `profiles.ron`, atomically (temp file in
    /// the same directory, fsync, rename), creating the directory if needed.
    ///
    /// Blocks on disk: call it from a background thread (see [`crate::profile::Saver`]).
    /// Refused with [`StoreError::OverwriteRefused`] while [`ProfileStore::is_protected`].
    pub fn save(&self, file: &ProfilesFile) -> Result<(), StoreError> {
        if self.is_protected() {
            return Err(StoreError::OverwriteRefused { path: self.path.clone() });
        }
        let text = to_ron(file)?;
        if self.displace.load(Ordering::Acquire) {
            // The file there was never read: keep it whole under another name.
            set_aside(&self.dir, &self.path, FILE_NAME, self.secs)?;
            self.displace.store(false, Ordering::Release);
        }
        write_atomic(&self.dir, &self.path, text.as_bytes())
    }

    fn keep(&self, bytes: &[u8], tag: &str, secs: u64) -> KeptCopy {
        match keep_copy(&self.dir, FILE_NAME, tag, secs, bytes) {
            Ok(path) => KeptCopy::Kept(path),
            Err(err) => KeptCopy::NotKept(err),
        }
    }

    fn keep_damaged(&self, bytes: &[u8], err: ParseError, secs: u64) -> LoadProblem {
        let ParseError { line, column, message } = err;
        let path = self.path.clone();
        match keep_copy(&self.dir, FILE_NAME, "corrupt", secs, bytes) {
            Ok(kept_copy) => LoadProblem::Corrupt { path, line, column, message, kept_copy },
            Err(copy_error) => LoadProblem::CorruptNotKept { path, line, column, message, copy_error },
        }
    }
}

/// Most characters of the parser's message shown (it may quote a huge token).
const SHOWN_MESSAGE_CHARS: usize = 120;

/// A parsed file: brought to this build's format, with what it said before.
#[derive(Debug)]
struct Parsed {
    file: ProfilesFile,
    /// The format version the file declared.
    version: u32,
    /// Profiles loaded under another name.
    renamed: Vec<RenamedProfile>,
}

/// Where and why `profiles.ron` did not parse.
#[derive(Debug)]
struct ParseError {
    line: usize,
    column: usize,
    message: String,
}

/// Serializes `file` as the human-readable RON that `save` writes.
fn to_ron(file: &ProfilesFile) -> Result<String, StoreError> {
    let config = PrettyConfig::new().indentor("    ".to_owned());
    let mut text =
        ron::ser::to_string_pretty(file, config).map_err(|e| StoreError::Serialize { message: e.to_string() })?;
    text.push('\n');
    Ok(text)
}

/// Parses the bytes of `profiles.ron` and brings the result to the current
/// format. Lenient where hand edits slip: a UTF-8 byte order mark is skipped
/// and `Some(..)` may be left out around optional values.
fn parse(bytes: &[u8]) -> Result<Parsed, ParseError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Parsed { file: ProfilesFile::default(), version: FILE_VERSION, renamed: Vec::new() });
    }
    let options = ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    let mut file: ProfilesFile = options.from_bytes(bytes).map_err(|err| {
        let (line, column) = error_position(bytes, &err);
        ParseError { line, column, message: shorten(&err.code.to_string(), SHOWN_MESSAGE_CHARS) }
    })?;
    let version = file.version;
    let renamed = file.normalize();
    Ok(Parsed { file, version, renamed })
}

/// Line and column (from 1, columns in characters) to show for a parse
/// error. ron's span ends where the parser stopped, which is the place for
/// most errors (missing colon, unexpected end, bad byte, trailing text); for
/// errors about a token already read (unknown variant, bad value, duplicate
/// field) the span's start is the token, after any whitespace before it.
fn error_position(bytes: &[u8], err: &ron::error::SpannedError) -> (usize, usize) {
    use ron::Error as E;
    let about_read_token = matches!(
        err.code,
        E::InvalidValueForType { .. }
            | E::NoSuchEnumVariant { .. }
            | E::NoSuchStructField { .. }
            | E::DuplicateStructField { .. }
            | E::ExpectedDifferentStructName { .. }
            | E::InvalidIdentifier(_)
            | E::SuggestRawIdentifier(_)
            | E::IntegerOutOfBounds
            | E::Message(_)
    );
    let text = match std::str::from_utf8(bytes) {
        Ok(text) if about_read_token => text,
        _ => return (err.span.end.line, err.span.end.col),
    };
    let start = (err.span.start.line, err.span.start.col);
    let (mut line, mut column) = (1, 1);
    for ch in text.chars() {
        if (line, column) >= start && !ch.is_whitespace() {
            break;
        }
        if ch == '\n' {
            (line, column) = (line + 1, 1);
        } else {
            column += 1;
        }
    }
    (line, column)
}

fn config_dir_from(overridden: Option<OsString>) -> Result<PathBuf, StoreError> {
    match overridden {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            std::path::absolute(&dir).map_err(|e| StoreError::io("resolve", &dir, &e))
        }
        _ => directories::ProjectDirs::from("", "", "netassist")
            .map(|dirs| dirs.config_dir().to_path_buf())
            .ok_or(StoreError::NoConfigDir),
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    #[test]
    fn config_dir_override_wins_when_non_empty() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(config_dir_from(Some(dir.path().as_os_str().to_owned())).unwrap(), dir.path());
        let relative = config_dir_from(Some("rel/dir".into())).unwrap();
        assert!(relative.is_absolute() && relative.ends_with("rel/dir"));
        // Empty or unset falls back to the platform dir (or NoConfigDir without a home).
        for unset in [None, Some(OsString::new())] {
            match config_dir_from(unset) {
                Ok(platform) => assert!(platform.ends_with("netassist"), "{}", platform.display()),
                Err(err) => assert_eq!(err, StoreError::NoConfigDir),
            }
        }
    }

    #[test]
    fn kept_copy_gets_a_counter_when_the_name_is_taken() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(FILE_NAME), "(profiles: [").unwrap();
        fs::write(dir.path().join("profiles.ron.corrupt-42"), "older copy").unwrap();
        let outcome = ProfileStore::open_at(dir.path().to_path_buf(), 42);
        let Some(LoadProblem::Corrupt { kept_copy, .. }) = outcome.problem else { panic!("{:?}", outcome.problem) };
        assert_eq!(kept_copy, dir.path().join("profiles.ron.corrupt-42-1"));
        assert_eq!(fs::read_to_string(dir.path().join("profiles.ron.corrupt-42")).unwrap(), "older copy");
    }

    #[test]
    fn blank_file_and_bom_are_accepted() {
        assert_eq!(parse(b"").unwrap().file, ProfilesFile::default());
        assert_eq!(parse(b" \n\t").unwrap().file, ProfilesFile::default());
        let file = parse(b"\xEF\xBB\xBF(last_used: Some(\"a\"), profiles: [(name: \"a\")])").unwrap().file;
        assert_eq!(file.last_used.as_deref(), Some("a"));
    }

    #[test]
    fn some_may_be_left_out() {
        let file = parse(b"(last_used: \"a\", window: (width: 10.0), profiles: [(name: \"a\")])").unwrap().file;
        assert_eq!(file.last_used.as_deref(), Some("a"));
        assert_eq!(file.window.map(|w| w.width), Some(10.0));
        assert_eq!(parse(b"(last_used: None)").unwrap().file.last_used, None);
    }

    #[test]
    fn error_positions_point_at_the_problem() {
        let position = |src: &[u8]| {
            let err = parse(src).unwrap_err();
            (err.line, err.column)
        };
        // Not UTF-8: the bad byte (columns count characters).
        assert_eq!(position(b"(\n  last_used: Some(\"\xC3\xA9\xFF\"))"), (2, 21));
        // Truncated: where the input ends.
        assert_eq!(position(b"(\n  profiles: [\n    (name: \"a\","), (3, 16));
        // Where the parser stopped: a missing colon, a wrong token, trailing text.
        assert_eq!(position(b"(\n  profiles: [(\n    remote_"), (3, 12));
        assert_eq!(position(b"(\n  profiles: [(name:\n     3)],\n)"), (3, 6));
        assert_eq!(position(b"(version: 1)  x"), (1, 15));
        assert_eq!(position(b"\xEF\xBB\xBF(version: x)"), (1, 11));
        // About a token already read: its start.
        assert_eq!(position(b"(profiles: [(protocol:  Tcp)])"), (1, 25));
        assert_eq!(position(b"(profiles: [(max_clients: -1)])"), (1, 28));
        assert_eq!(position(b"(profiles: [(broadcast: yes)])"), (1, 25));
        assert_eq!(position(b"(version: 99999999999)"), (1, 11));
        assert_eq!(position(b"(version: 1, version: 2)"), (1, 14));
        assert_eq!(position(b"Other(version: 1)"), (1, 1));
    }
}
