//! Reading `profiles.ron` from disk without trusting what is there: only a
//! regular file is read (a FIFO would block the start forever, a device could
//! be endless), and never more than [`MAX_FILE_BYTES`].

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// Largest profiles file read, in bytes (4 MiB). A profiles file is a few
/// kilobytes; a bigger one is refused, reported and left as it is.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// What sits where `profiles.ron` should be, when it is not a regular file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// A named pipe (FIFO).
    Fifo,
    /// A character or block device (e.g. a symlink to `/dev/urandom`).
    Device,
    /// A Unix domain socket.
    Socket,
    /// Anything else that is neither a regular file nor a directory.
    Other,
}

/// Why the bytes of the file were not read.
#[derive(Debug)]
pub(super) enum ReadFailure {
    /// The OS refused (permissions, a directory, …).
    Io(io::Error),
    /// Not a regular file: not opened for reading beyond a non-blocking open.
    NotAFile(FileKind),
    /// Bigger than [`MAX_FILE_BYTES`]; `size` is at least what was seen.
    TooLarge {
        /// The size found (the file's length, or more than the limit for a file that grew).
        size: u64,
    },
}

/// Reads the file at `path`: `Ok(None)` if nothing is there (or a parent is a
/// file), the bytes of a regular file of at most [`MAX_FILE_BYTES`], or why not.
/// Never blocks on a FIFO and never reads more than the limit plus one byte.
pub(super) fn read_capped(path: &Path) -> Result<Option<Vec<u8>>, ReadFailure> {
    if let Some(kind) = special_kind(path) {
        return Err(ReadFailure::NotAFile(kind));
    }
    let file = match open_nonblocking(path) {
        Ok(file) => file,
        Err(err) if matches!(err.kind(), io::ErrorKind::NotFound | io::ErrorKind::NotADirectory) => return Ok(None),
        Err(err) => return Err(ReadFailure::Io(err)),
    };
    // Checked again on the open handle: the path may have changed since.
    let meta = file.metadata().map_err(ReadFailure::Io)?;
    if let Some(kind) = kind_of(meta.file_type()) {
        return Err(ReadFailure::NotAFile(kind));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(ReadFailure::TooLarge { size: meta.len() });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(ReadFailure::Io)?;
    let read = bytes.len() as u64;
    if read > MAX_FILE_BYTES {
        return Err(ReadFailure::TooLarge { size: read });
    }
    Ok(Some(bytes))
}

/// The kind of a non-regular, non-directory file at `path` (following symlinks), if it is one.
fn special_kind(path: &Path) -> Option<FileKind> {
    std::fs::metadata(path).ok().and_then(|meta| kind_of(meta.file_type()))
}

/// `None` for a regular file or a directory (a directory fails at the read, with the OS's words).
fn kind_of(file_type: std::fs::FileType) -> Option<FileKind> {
    if file_type.is_file() || file_type.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some(FileKind::Fifo);
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return Some(FileKind::Device);
        }
        if file_type.is_socket() {
            return Some(FileKind::Socket);
        }
    }
    Some(FileKind::Other)
}

/// Opens for reading; on Linux with `O_NONBLOCK`, so a FIFO swapped in after
/// the type check cannot hold the open (the handle's type is checked next).
fn open_nonblocking(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(nix::libc::O_NONBLOCK);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_is_read_and_a_missing_one_is_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.ron");
        assert!(matches!(read_capped(&path), Ok(None)));
        std::fs::write(&path, b"(version: 1)").unwrap();
        assert_eq!(read_capped(&path).unwrap().unwrap(), b"(version: 1)");
    }

    #[test]
    fn a_file_over_the_limit_is_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.ron");
        let file = File::create(&path).unwrap();
        file.set_len(MAX_FILE_BYTES + 1).unwrap();
        assert!(matches!(read_capped(&path), Err(ReadFailure::TooLarge { size }) if size == MAX_FILE_BYTES + 1));
        std::fs::write(&path, vec![b' '; usize::try_from(MAX_FILE_BYTES).unwrap()]).unwrap();
        assert_eq!(read_capped(&path).unwrap().unwrap().len() as u64, MAX_FILE_BYTES);
    }
}
