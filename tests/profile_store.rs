//! The profile store against a real filesystem: every test works in its own
//! temp dir, passed explicitly; the one test of `config_dir()` sets the
//! environment only in a child process. Nothing touches the real home.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or bench) fails by panicking

use std::fs;
use std::path::Path;
use std::process::Command;

use netassist::ids::{Protocol, SendMode};
use netassist::profile::{
    CONFIG_DIR_ENV, FILE_NAME, LoadProblem, Profile, ProfileError, ProfileStore, ProfilesFile, Saver, StoreError,
    WindowLayout,
};
use netassist::view::ViewMode;
use proptest::prelude::*;

fn sample() -> ProfilesFile {
    let mut file = ProfilesFile {
        last_used: Some("tutorial".to_owned()),
        window: Some(WindowLayout { width: 1280.0, height: 800.0, left_panel: 300.0, send_panel: 140.5 }),
        ..ProfilesFile::default()
    };
    file.upsert(Profile {
        protocol: Protocol::Udp,
        remote_host: "192.168.1.20".to_owned(),
        udp_port: "9001".to_owned(),
        broadcast: true,
        multicast_group: "239.1.2.3".to_owned(),
        multicast_ttl: 4,
        charset: "UTF-8".to_owned(),
        view_mode: ViewMode::TextHex,
        send_mode: SendMode::Hex,
        connect_timeout_secs: 2.5,
        ..Profile::named("tutorial")
    })
    .unwrap();
    file.upsert(Profile { remote_host: "网关 \"quoted\"".to_owned(), ..Profile::named("网络 lab") }).unwrap();
    file
}

fn profiles_path(dir: &Path) -> std::path::PathBuf {
    dir.join(FILE_NAME)
}

/// Whether this process can read files whatever their mode (root, as here).
#[cfg(unix)]
fn permissions_are_bypassed(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.join("probe");
    fs::write(&probe, b"x").unwrap();
    fs::set_permissions(&probe, fs::Permissions::from_mode(0o000)).unwrap();
    let bypassed = fs::read(&probe).is_ok();
    fs::remove_file(&probe).unwrap();
    bypassed
}

#[test]
fn missing_file_loads_empty_and_save_creates_the_directory() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("nested").join("netassist");
    let outcome = ProfileStore::open(&dir);
    assert_eq!(outcome.problem, None);
    assert_eq!(outcome.file, ProfilesFile::default());
    assert!(!dir.exists(), "opening never writes");
    outcome.store.save(&sample()).unwrap();
    assert!(profiles_path(&dir).is_file());
}

#[test]
fn round_trip_through_ron_restores_profiles_last_used_and_window() {
    let dir = tempfile::tempdir().unwrap();
    let store = ProfileStore::open(dir.path()).store;
    assert_eq!(store.path(), profiles_path(dir.path()));
    store.save(&sample()).unwrap();

    let text = fs::read_to_string(profiles_path(dir.path())).unwrap();
    assert!(text.contains("name: \"tutorial\""), "{text}");
    assert!(text.contains("protocol: Udp"), "{text}");
    assert!(text.lines().count() > 20, "pretty, one field a line: {text}");

    let reopened = ProfileStore::open(dir.path());
    assert_eq!(reopened.problem, None);
    assert_eq!(reopened.file, sample());
    assert_eq!(reopened.file.last_used_profile().map(|p| p.protocol), Some(Protocol::Udp));
    assert_eq!(reopened.file.window.map(|w| w.send_panel), Some(140.5));
    let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, [FILE_NAME], "no temp files left behind");
}

#[test]
fn older_version_file_loads_with_defaults_for_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = r#"// netassist profiles, format 0
(
    version: 0,
    profiles: [
        (
            name: "old",
            protocol: TcpServer,
            remote_host: "10.0.0.1",
            remote_port: "502",
            charset: "UTF-8",
        ),
    ],
)
"#;
    fs::write(profiles_path(dir.path()), fixture).unwrap();
    let outcome = ProfileStore::open(dir.path());
    assert_eq!(outcome.problem, None);
    let expected = Profile {
        protocol: Protocol::TcpServer,
        remote_host: "10.0.0.1".to_owned(),
        remote_port: "502".to_owned(),
        charset: "UTF-8".to_owned(),
        ..Profile::named("old")
    };
    assert_eq!(outcome.file.profiles, [expected]);
    assert!(!outcome.file.profiles[0].half_close, "a file from before half-close existed keeps the FIN closing");
    assert_eq!(outcome.file.last_used, None);
    assert_eq!(outcome.file.window, None);
}

#[test]
fn unknown_fields_are_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = r#"(
    version: 7,
    theme: Dark,
    window: Some((width: 900.0, height: 600.0, left_panel: 250.0, send_panel: 120.0, maximized: true)),
    profiles: [
        (
            name: "future",
            remote_port: "7000",
            quick_send: [(label: "ping", text: "PING\r\n", hex: false)],
            responder: Some(Rule(when: "AA", reply: {"x": [1, 2.5, 'c']})),
        ),
    ],
    sync: (enabled: false),
)"#;
    fs::write(profiles_path(dir.path()), fixture).unwrap();
    let outcome = ProfileStore::open(dir.path());
    // Read as far as it can be; reported as newer (issue 18, item 1: see tests/profile_faults.rs).
    assert!(matches!(outcome.problem, Some(LoadProblem::Newer { version: 7, .. })), "{:?}", outcome.problem);
    let profile = outcome.file.get("future").unwrap();
    assert_eq!(profile.remote_port, "7000");
    assert_eq!(profile.remote_host, Profile::default().remote_host);
    assert_eq!(outcome.file.window.map(|w| w.width), Some(900.0));
}

#[test]
fn truncated_file_is_kept_reported_and_protected_until_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let path = profiles_path(dir.path());
    let truncated = "(\n    version: 1,\n    profiles: [\n        (\n            name: \"lab\",\n            remote_";
    fs::write(&path, truncated).unwrap();

    let outcome = ProfileStore::open(dir.path());
    let Some(LoadProblem::Corrupt { path: bad, line, column, message, kept_copy }) = outcome.problem.clone() else {
        panic!("expected Corrupt, got {:?}", outcome.problem);
    };
    assert_eq!((bad.as_path(), line, column), (path.as_path(), 6, 20));
    assert!(!message.is_empty());
    let kept_name = kept_copy.file_name().unwrap().to_str().unwrap().to_owned();
    assert!(kept_name.starts_with("profiles.ron.corrupt-"), "{kept_name}");
    assert_eq!(kept_copy.parent(), Some(dir.path()));
    assert_eq!(fs::read(&kept_copy).unwrap(), truncated.as_bytes());
    assert_eq!(fs::read(&path).unwrap(), truncated.as_bytes());
    assert_eq!(outcome.file, ProfilesFile::default());
    let banner = outcome.problem.as_ref().unwrap().to_string();
    assert!(banner.contains("line 6, column 20") && banner.contains(&kept_name), "{banner}");

    let store = outcome.store;
    assert!(store.is_protected());
    assert_eq!(store.save(&sample()), Err(StoreError::OverwriteRefused { path: path.clone() }));
    assert_eq!(fs::read(&path).unwrap(), truncated.as_bytes(), "a refused save leaves the file alone");

    store.accept_overwrite();
    store.save(&sample()).unwrap();
    assert_eq!(ProfileStore::open(dir.path()).file, sample());
    assert_eq!(fs::read(&kept_copy).unwrap(), truncated.as_bytes(), "the copy survives the overwrite");
}

#[test]
fn a_second_damaged_load_of_the_same_bytes_reuses_the_first_copy() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(profiles_path(dir.path()), "(profiles: [(name: 1)])").unwrap();
    let kept = |outcome: netassist::profile::LoadOutcome| match outcome.problem {
        Some(LoadProblem::Corrupt { kept_copy, line: 1, column: 20, .. }) => kept_copy,
        other => panic!("{other:?}"),
    };
    let first = kept(ProfileStore::open(dir.path()));
    let second = kept(ProfileStore::open(dir.path()));
    assert_eq!(first, second, "one copy per distinct content (issue 18, item 3)");
    assert!(first.is_file());
}

#[test]
fn non_utf8_file_is_reported_with_the_position_of_the_bad_byte() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = b"(\n    last_used: Some(\"caf\xE9\"),\n)".to_vec();
    fs::write(profiles_path(dir.path()), &bytes).unwrap();
    let outcome = ProfileStore::open(dir.path());
    match outcome.problem {
        Some(LoadProblem::Corrupt { line: 2, column: 25, ref kept_copy, .. }) => {
            assert_eq!(fs::read(kept_copy).unwrap(), bytes);
        }
        ref other => panic!("{other:?}"),
    }
    assert!(outcome.store.is_protected());
}

#[test]
fn unreadable_file_is_reported_without_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let path = profiles_path(dir.path());

    // As an ordinary user: a file nobody may read. (Root reads it anyway; skip.)
    #[cfg(unix)]
    if !permissions_are_bypassed(dir.path()) {
        use std::os::unix::fs::PermissionsExt;
        fs::write(&path, "(version: 1)").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
        let outcome = ProfileStore::open(dir.path());
        assert!(matches!(outcome.problem, Some(LoadProblem::Unreadable { .. })), "{:?}", outcome.problem);
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        fs::remove_file(&path).unwrap();
    }

    // For anyone: a directory where the file should be.
    fs::create_dir(&path).unwrap();
    let outcome = ProfileStore::open(dir.path());
    match &outcome.problem {
        Some(problem @ LoadProblem::Unreadable { path: bad, message }) => {
            assert_eq!(bad, &path);
            assert!(!message.is_empty());
            assert_eq!(problem.path(), path);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(outcome.file, ProfilesFile::default());
    assert!(matches!(outcome.store.save(&sample()), Err(StoreError::OverwriteRefused { .. })));
    outcome.store.accept_overwrite();
    let err = outcome.store.save(&sample()).unwrap_err();
    assert!(matches!(err, StoreError::Io { action: "replace", .. }), "{err}");
    assert!(path.is_dir(), "nothing replaced the directory");
}

#[test]
fn save_into_an_unwritable_place_is_a_store_error() {
    let root = tempfile::tempdir().unwrap();
    // A regular file where a directory is expected stops root too.
    let blocker = root.path().join("not-a-dir");
    fs::write(&blocker, b"x").unwrap();
    let dir = blocker.join("netassist");
    let outcome = ProfileStore::open(&dir);
    assert_eq!(outcome.problem, None, "a missing file, as far as reading goes");
    let err = outcome.store.save(&sample()).unwrap_err();
    match &err {
        StoreError::Io { action: "create directory", path, message, .. } => {
            assert_eq!(path, &dir);
            assert!(!message.is_empty());
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains(&dir.display().to_string()), "{err}");
    assert_eq!(fs::read(&blocker).unwrap(), b"x");
}

#[test]
fn list_operations_survive_a_save() {
    let dir = tempfile::tempdir().unwrap();
    let store = ProfileStore::open(dir.path()).store;
    let mut file = sample();
    assert_eq!(file.duplicate("tutorial", "tutorial 2").unwrap(), "tutorial 2");
    assert_eq!(file.rename("tutorial", "网络 lab"), Err(ProfileError::AlreadyExists("网络 lab".to_owned())));
    assert_eq!(file.rename("tutorial", "renamed").unwrap(), "renamed");
    assert_eq!(file.last_used.as_deref(), Some("renamed"));
    assert!(file.remove("网络 lab").is_some());
    store.save(&file).unwrap();
    let loaded = ProfileStore::open(dir.path()).file;
    assert_eq!(loaded.names().collect::<Vec<_>>(), ["renamed", "tutorial 2"]);
    assert_eq!(loaded.get("tutorial 2").unwrap().udp_port, "9001");
}

#[test]
fn saver_coalesces_rapid_saves_and_writes_the_last() {
    let dir = tempfile::tempdir().unwrap();
    let saver = Saver::new(ProfileStore::open(dir.path()).store).unwrap();
    let mut file = sample();
    for n in 0..200 {
        file.profiles[0].remote_port = n.to_string();
        saver.save(file.clone());
    }
    saver.flush();
    assert!(saver.writes() >= 1 && saver.writes() <= 200, "{}", saver.writes());
    assert_eq!(saver.last_result(), Some(Ok(())));
    assert_eq!(ProfileStore::open(dir.path()).file, file);
    drop(saver);
    assert_eq!(ProfileStore::open(dir.path()).file, file);
}

#[test]
fn saver_reports_write_errors() {
    let root = tempfile::tempdir().unwrap();
    let blocker = root.path().join("file");
    fs::write(&blocker, b"").unwrap();
    let saver = Saver::new(ProfileStore::open(blocker.join("dir")).store).unwrap();
    assert_eq!(saver.last_result(), None);
    saver.save(sample());
    saver.flush();
    assert!(matches!(saver.last_result(), Some(Err(StoreError::Io { .. }))), "{:?}", saver.last_result());
}

#[test]
fn saver_respects_protection_until_accepted() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(profiles_path(dir.path()), "(").unwrap();
    let saver = Saver::new(ProfileStore::open(dir.path()).store).unwrap();
    saver.save(sample());
    saver.flush();
    assert!(matches!(saver.last_result(), Some(Err(StoreError::OverwriteRefused { .. }))));
    assert_eq!(fs::read(profiles_path(dir.path())).unwrap(), b"(");
    saver.store().accept_overwrite();
    saver.save(sample());
    saver.flush();
    assert_eq!(saver.last_result(), Some(Ok(())));
    assert_eq!(ProfileStore::open(dir.path()).file, sample());
}

/// Marker telling [`config_dir_child_process`] it runs as the child.
const CHILD_MARKER: &str = "NETASSIST_PROFILE_TEST_CHILD";

#[test]
fn config_dir_follows_the_environment() {
    let fake_home = tempfile::tempdir().unwrap();
    let override_dir = tempfile::tempdir().unwrap();
    let run = |override_value: &std::ffi::OsStr, expected: &Path| {
        let output = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "config_dir_child_process", "--nocapture", "--test-threads=1"])
            .env(CHILD_MARKER, expected)
            .env(CONFIG_DIR_ENV, override_value)
            .env("HOME", fake_home.path())
            .env_remove("XDG_CONFIG_HOME")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
        assert!(stdout.contains("1 passed"), "{stdout}");
    };
    run(override_dir.path().as_os_str(), override_dir.path());
    // Empty means unset: the platform dir under the (fake) home.
    if cfg!(target_os = "linux") {
        run("".as_ref(), &fake_home.path().join(".config").join("netassist"));
    }
}

/// Checks `config_dir()` against the marker; does nothing unless run as the child.
#[test]
fn config_dir_child_process() {
    if let Some(expected) = std::env::var_os(CHILD_MARKER) {
        assert_eq!(ProfileStore::config_dir().unwrap(), Path::new(&expected));
    }
}

/// What `save` writes for [`sample`], made once.
fn valid_file_bytes() -> Vec<u8> {
    static BYTES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BYTES
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            ProfileStore::open(dir.path()).store.save(&sample()).unwrap();
            fs::read(profiles_path(dir.path())).unwrap()
        })
        .clone()
}

fn check_open_never_panics(bytes: &[u8]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let path = profiles_path(dir.path());
    fs::write(&path, bytes).unwrap();
    let outcome = ProfileStore::open(dir.path());
    match &outcome.problem {
        None => prop_assert!(!outcome.store.is_protected()),
        Some(LoadProblem::Corrupt { line, column, kept_copy, .. }) => {
            prop_assert!(*line >= 1 && *column >= 1);
            prop_assert_eq!(fs::read(kept_copy).unwrap(), bytes);
            prop_assert!(outcome.store.is_protected());
        }
        Some(other) => prop_assert!(false, "unexpected problem {:?}", other),
    }
    prop_assert_eq!(fs::read(&path).unwrap(), bytes, "open never changes the file");
    Ok(())
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic_open(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        check_open_never_panics(&bytes)?;
    }

    #[test]
    fn damaged_valid_files_never_panic_open(cut in any::<prop::sample::Index>(), at in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let mut bytes = valid_file_bytes();
        let at = at.index(bytes.len());
        bytes[at] = byte;
        bytes.truncate(cut.index(bytes.len() + 1).max(1));
        check_open_never_panics(&bytes)?;
    }
}
