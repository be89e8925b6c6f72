//! File primitives of the store: atomic replace and keeping a copy. Every
//! path written is a fixed file name inside the store's directory.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::error::StoreError;

/// Tells temp files of concurrent saves in one process apart.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Most `-N` suffixes tried for a kept copy before giving up.
const MAX_COPY_SUFFIX: u32 = 1000;

/// Replaces `target` (a file directly in `dir`) with `bytes`: creates `dir` if
/// missing, writes a temp file beside the target, fsyncs it and renames it
/// over the target, so readers see the old file or the new, never a mix.
pub(super) fn write_atomic(dir: &Path, target: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    fs::create_dir_all(dir).map_err(|e| StoreError::io("create directory", dir, &e))?;
    let file_name = target.file_name().and_then(|n| n.to_str()).unwrap_or("profiles.ron");
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let temp = dir.join(format!(".{file_name}.tmp-{}-{n}", std::process::id()));
    let result = write_new(&temp, bytes)
        .and_then(|()| fs::rename(&temp, target).map_err(|e| StoreError::io("replace", target, &e)));
    if result.is_err() {
        // Best effort: the temp file is ours and holds nothing the user lacks.
        let _ = fs::remove_file(&temp);
        return result;
    }
    sync_dir(dir);
    Ok(())
}

/// Keeps a byte-identical copy of `bytes` as `<file_name>.<tag>-<secs>` in
/// `dir` (or `…-<secs>-1`, `-2`, … if taken: an existing copy is never
/// touched) and fsyncs it. If a copy `<file_name>.<tag>-…` with exactly these
/// bytes is already there (the same damaged file met at every start), that
/// one is returned and nothing is written: one copy per distinct content.
/// Returns the copy's path.
pub(super) fn keep_copy(
    dir: &Path,
    file_name: &str,
    tag: &str,
    secs: u64,
    bytes: &[u8],
) -> Result<PathBuf, StoreError> {
    let prefix = format!("{file_name}.{tag}-");
    if let Some(same) = identical_copy(dir, &prefix, bytes) {
        return Ok(same);
    }
    for n in 0..MAX_COPY_SUFFIX {
        let name = match n {
            0 => format!("{prefix}{secs}"),
            n => format!("{prefix}{secs}-{n}"),
        };
        let path = dir.join(name);
        match write_new(&path, bytes) {
            Ok(()) => return Ok(path),
            Err(StoreError::Io { kind: io::ErrorKind::AlreadyExists, .. }) => continue,
            Err(err) => return Err(err),
        }
    }
    let last = dir.join(format!("{prefix}{secs}-{MAX_COPY_SUFFIX}"));
    Err(StoreError::io("create", &last, &io::Error::from(io::ErrorKind::AlreadyExists)))
}

/// Moves `target` (a file directly in `dir` that was not loaded: too large,
/// or not a regular file) aside to `<file_name>.set-aside-<secs>` (or
/// `…-1`, `-2`, … if taken) by renaming, so nothing is copied and nothing
/// is lost when a new file takes its place. Returns the new path.
pub(super) fn set_aside(dir: &Path, target: &Path, file_name: &str, secs: u64) -> Result<PathBuf, StoreError> {
    for n in 0..MAX_COPY_SUFFIX {
        let name = match n {
            0 => format!("{file_name}.set-aside-{secs}"),
            n => format!("{file_name}.set-aside-{secs}-{n}"),
        };
        let path = dir.join(name);
        if fs::symlink_metadata(&path).is_ok() {
            continue;
        }
        return fs::rename(target, &path).map(|()| path).map_err(|e| StoreError::io("move aside", target, &e));
    }
    let last = dir.join(format!("{file_name}.set-aside-{secs}-{MAX_COPY_SUFFIX}"));
    Err(StoreError::io("create", &last, &io::Error::from(io::ErrorKind::AlreadyExists)))
}

/// A regular file in `dir` named `<prefix>…` holding exactly `bytes`
/// (symlinks are not followed; only files of the same length are read).
fn identical_copy(dir: &Path, prefix: &str, bytes: &[u8]) -> Option<PathBuf> {
    fs::read_dir(dir).ok()?.filter_map(Result::ok).find_map(|entry| {
        let name = entry.file_name();
        if !name.to_str().is_some_and(|n| n.starts_with(prefix)) {
            return None;
        }
        let meta = entry.metadata().ok()?; // does not follow symlinks
        if !meta.is_file() || meta.len() != bytes.len() as u64 {
            return None;
        }
        let path = entry.path();
        (fs::read(&path).ok()? == bytes).then_some(path)
    })
}

/// Creates `path` (failing if anything, even a dangling symlink, is there),
/// writes `bytes` and fsyncs. A failed write leaves no partial file behind.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let mut file: File =
        OpenOptions::new().write(true).create_new(true).open(path).map_err(|e| StoreError::io("create", path, &e))?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all()).map_err(|e| StoreError::io("write", path, &e));
    if written.is_err() {
        drop(file);
        let _ = fs::remove_file(path);
    }
    written
}

/// Fsyncs a directory so a rename in it survives a crash (Unix; a no-op
/// elsewhere). Failures are ignored: the data itself is already on disk.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keep_copy_never_overwrites_an_existing_copy() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("p.ron.corrupt-7"), b"first").unwrap();
        fs::write(dir.path().join("p.ron.corrupt-7-1"), b"second").unwrap();
        let kept = keep_copy(dir.path(), "p.ron", "corrupt", 7, b"third").unwrap();
        assert_eq!(kept, dir.path().join("p.ron.corrupt-7-2"));
        assert_eq!(fs::read(&kept).unwrap(), b"third");
        assert_eq!(fs::read(dir.path().join("p.ron.corrupt-7")).unwrap(), b"first");
        assert_eq!(fs::read(dir.path().join("p.ron.corrupt-7-1")).unwrap(), b"second");
    }

    #[cfg(unix)]
    #[test]
    fn keep_copy_does_not_follow_a_planted_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let victim = outside.path().join("victim");
        std::os::unix::fs::symlink(&victim, dir.path().join("p.ron.corrupt-1")).unwrap();
        let kept = keep_copy(dir.path(), "p.ron", "corrupt", 1, b"x").unwrap();
        assert_eq!(kept, dir.path().join("p.ron.corrupt-1-1"));
        assert!(!victim.exists());
    }

    #[test]
    fn keep_copy_keeps_one_copy_per_distinct_content() {
        let dir = tempfile::tempdir().unwrap();
        let first = keep_copy(dir.path(), "p.ron", "corrupt", 7, b"damaged").unwrap();
        assert_eq!(keep_copy(dir.path(), "p.ron", "corrupt", 8, b"damaged").unwrap(), first);
        let other = keep_copy(dir.path(), "p.ron", "corrupt", 8, b"damaged too").unwrap();
        assert_ne!(other, first);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn write_atomic_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a").join("b");
        let target = sub.join("p.ron");
        write_atomic(&sub, &target, b"one").unwrap();
        write_atomic(&sub, &target, b"two").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(&sub).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["p.ron"]);
    }
}
