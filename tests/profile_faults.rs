//! Profile files met in the wild (issue 18, items 1–4): a file from a newer
//! netassist, a huge damaged file, a FIFO or a device where the file should
//! be, the same damaged file at every start, a 10,000-character name. Real
//! files in a temp dir each.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or bench) fails by panicking

use std::fs;
use std::io::Write;
use std::path::Path;

use netassist::profile::{
    FILE_NAME, FileKind, KeptCopy, LoadProblem, MAX_FILE_BYTES, MAX_NAME_CHARS, NameError, ProfileStore, ProfilesFile,
    SHOWN_CHARS, StoreError, validate_name,
};

/// The names of the files in `dir` that start with `profiles.ron.`, sorted.
fn copies(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("profiles.ron."))
        .collect();
    names.sort();
    names
}

const NEWER: &str = r#"(
    version: 999,
    hologram: (depth: 3),
    profiles: [
        (name: "from the future", remote_port: "7000", quantum_mode: true),
    ],
    last_used: Some("from the future"),
)
"#;

#[test]
fn a_newer_file_is_read_reported_and_never_written_over_unasked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    fs::write(&path, NEWER).unwrap();

    let outcome = ProfileStore::open(dir.path());
    // Read as far as it can be.
    assert_eq!(outcome.file.get("from the future").unwrap().remote_port, "7000");
    let Some(LoadProblem::Newer { version: 999, current: 1, kept: KeptCopy::Kept(copy), .. }) = &outcome.problem else {
        panic!("{:?}", outcome.problem)
    };
    assert_eq!(fs::read(copy).unwrap(), NEWER.as_bytes(), "a byte-identical copy");
    assert!(outcome.problem.as_ref().unwrap().to_string().contains("written by a newer netassist"));

    // Saving (as the clean quit does) is refused: the file stays byte-identical.
    let store = outcome.store;
    assert!(store.is_protected());
    assert_eq!(store.save(&outcome.file), Err(StoreError::OverwriteRefused { path: path.clone() }));
    assert_eq!(fs::read_to_string(&path).unwrap(), NEWER);

    // A second start keeps no second copy of the same bytes.
    let again = ProfileStore::open(dir.path());
    assert!(matches!(&again.problem, Some(LoadProblem::Newer { kept: KeptCopy::Kept(c), .. }) if c == copy));
    assert_eq!(copies(dir.path()).len(), 1);

    // Only when the user says so is it written in this version's format; the copy survives.
    store.accept_overwrite();
    store.save(&outcome.file).unwrap();
    assert!(fs::read_to_string(&path).unwrap().contains("version: 1,"));
    assert_eq!(fs::read(copy).unwrap(), NEWER.as_bytes());
}

#[test]
fn a_huge_damaged_file_is_not_read_but_reported_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    // A valid 60-byte-ish prefix, then 20 MB of `A`.
    let mut file = fs::File::create(&path).unwrap();
    file.write_all(b"(\n    version: 1,\n    profiles: [],\n    last_used: ").unwrap();
    file.write_all(&vec![b'A'; 20_000_000]).unwrap();
    drop(file);
    let size = fs::metadata(&path).unwrap().len();

    let outcome = ProfileStore::open(dir.path());
    assert_eq!(outcome.problem, Some(LoadProblem::TooLarge { path: path.clone(), size, limit: MAX_FILE_BYTES }));
    assert_eq!(outcome.file, ProfilesFile::default());
    assert!(copies(dir.path()).is_empty(), "20 MB is not copied");
    let store = outcome.store;
    assert!(matches!(store.save(&ProfilesFile::default()), Err(StoreError::OverwriteRefused { .. })));
    assert_eq!(fs::metadata(&path).unwrap().len(), size);

    // Accepted: the big file is moved aside whole (not copied), a new one written.
    store.accept_overwrite();
    store.save(&ProfilesFile::default()).unwrap();
    let aside = copies(dir.path());
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert!(aside[0].starts_with("profiles.ron.set-aside-"), "{aside:?}");
    assert_eq!(fs::metadata(dir.path().join(&aside[0])).unwrap().len(), size);
    assert!(fs::metadata(&path).unwrap().len() < 300, "a new, nearly empty file");
}

#[test]
fn a_damaged_file_under_the_limit_shows_the_offending_token_shortened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    let mut bytes = b"(\n    version: 1,\n    profiles: [],\n    last_used: Some(\"x\"), window: ".to_vec();
    bytes.extend(std::iter::repeat_n(b'A', 1_000_000));
    fs::write(&path, &bytes).unwrap();
    let outcome = ProfileStore::open(dir.path());
    let Some(LoadProblem::Corrupt { message, .. }) = &outcome.problem else { panic!("{:?}", outcome.problem) };
    assert!(message.chars().count() <= 120, "{} characters: {}", message.chars().count(), &message[..200]);
    assert!(outcome.problem.as_ref().unwrap().to_string().chars().count() < 400);
}

#[test]
fn the_same_damaged_file_at_every_start_is_kept_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    fs::write(&path, "(profiles: [(name: 1)])").unwrap();
    for _ in 0..3 {
        let outcome = ProfileStore::open(dir.path());
        assert!(matches!(outcome.problem, Some(LoadProblem::Corrupt { .. })), "{:?}", outcome.problem);
    }
    assert_eq!(copies(dir.path()).len(), 1, "{:?}", copies(dir.path()));
    // Other damage is other content: a second copy.
    fs::write(&path, "(profiles: [(name: 2)])").unwrap();
    let _ = ProfileStore::open(dir.path());
    assert_eq!(copies(dir.path()).len(), 2);
}

#[cfg(unix)]
#[test]
fn a_fifo_where_the_file_should_be_does_not_block_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    let made = std::process::Command::new("mkfifo").arg(&path).status().unwrap();
    assert!(made.success());
    // Nobody writes to the FIFO: an open for reading without O_NONBLOCK would wait forever.
    let outcome = ProfileStore::open(dir.path());
    assert_eq!(outcome.problem, Some(LoadProblem::NotAFile { path: path.clone(), kind: FileKind::Fifo }));
    assert!(ProfileStore::peek_layout(dir.path()).is_none());
    assert!(outcome.store.is_protected());
    use std::os::unix::fs::FileTypeExt;
    assert!(fs::symlink_metadata(&path).unwrap().file_type().is_fifo(), "left as it is");
}

#[cfg(unix)]
#[test]
fn a_symlink_to_dev_urandom_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    std::os::unix::fs::symlink("/dev/urandom", &path).unwrap();
    let outcome = ProfileStore::open(dir.path());
    assert_eq!(outcome.problem, Some(LoadProblem::NotAFile { path: path.clone(), kind: FileKind::Device }));
    assert!(copies(dir.path()).is_empty());
    assert!(ProfileStore::peek_layout(dir.path()).is_none());
}

#[test]
fn a_ten_thousand_character_name_is_validated_on_load_and_shown_shortened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    let huge = "W".repeat(10_000);
    let text = format!("(version: 1, last_used: Some(\"{huge}\"), profiles: [(name: \"{huge}\", remote_port: \"1\")])");
    fs::write(&path, &text).unwrap();
    let outcome = ProfileStore::open(dir.path());
    assert_eq!(outcome.problem, None);
    let fixed = outcome.names_fixed.expect("the name is reported");
    assert_eq!(fixed.renamed.len(), 1);
    let renamed = &fixed.renamed[0];
    assert_eq!(renamed.why, NameError::TooLong { chars: 10_000 });
    assert_eq!(renamed.original_chars, 10_000);
    assert_eq!(renamed.original.chars().count(), SHOWN_CHARS);
    assert_eq!(renamed.name.chars().count(), MAX_NAME_CHARS);
    assert_eq!(validate_name(&renamed.name).as_ref(), Ok(&renamed.name));
    // Loaded under the new name, still the last used; the file as it was is kept.
    assert_eq!(outcome.file.get(&renamed.name).unwrap().remote_port, "1");
    assert_eq!(outcome.file.last_used.as_deref(), Some(renamed.name.as_str()));
    assert_eq!(fs::read(fixed.kept.path().unwrap()).unwrap(), text.as_bytes());
    assert!(!outcome.store.is_protected());
}

#[test]
fn a_file_from_before_keepalive_loads_with_keepalive_on() {
    // Issue 18, item 10: the interval is in the profile, defaulted so old files load.
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(FILE_NAME), "(version: 1, profiles: [(name: \"old\", remote_port: \"1\")])").unwrap();
    let outcome = ProfileStore::open(dir.path());
    assert_eq!(outcome.problem, None);
    assert_eq!(outcome.file.get("old").unwrap().keepalive_secs, 60);
    assert_eq!(netassist::profile::Profile::default().keepalive_secs, 60);
}
