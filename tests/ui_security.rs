//! Security rows of the fault matrix, through the real app: the server binds
//! only what the user chose and says where; the client cap refuses a flood
//! of clients; hostile profile names are refused, and the names the app
//! gives log and capture files keep them inside their folders.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or bench) fails by panicking

mod support;
mod ui_support;

use netassist::ids::Direction;
use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};

use egui_kittest::kittest::Queryable;
use netassist::app::StartOptions;
use netassist::files::{CAPTURES_DIR, LOGS_DIR};
use netassist::model::{LinkState, describe_local};
use netassist::ui::ProfileIntent;
use ui_support::{
    AppHarness, CONNECT, LISTEN, OPEN, SERVER, app_harness, app_harness_with_tofu, choose, fill, has_text, open_local,
    save_as, send_text, step_until,
};

/// The sockets this process has listening (TCP) or bound (UDP), from
/// /proc/net: the ones whose inode is among this process's descriptors.
fn own_sockets() -> Vec<(&'static str, SocketAddr)> {
    let inodes: HashSet<String> = std::fs::read_dir("/proc/self/fd")
        .expect("/proc/self/fd")
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .filter_map(|target| {
            let target = target.to_string_lossy().into_owned();
            Some(target.strip_prefix("socket:[")?.strip_suffix(']')?.to_owned())
        })
        .collect();
    let mut found = Vec::new();
    for (table, kind, v6, wanted_state) in [
        ("/proc/self/net/tcp", "tcp", false, "0A"),
        ("/proc/self/net/tcp6", "tcp", true, "0A"),
        ("/proc/self/net/udp", "udp", false, "07"),
        ("/proc/self/net/udp6", "udp", true, "07"),
    ] {
        let Ok(text) = std::fs::read_to_string(table) else { continue };
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let (Some(local), Some(state), Some(inode)) = (fields.get(1), fields.get(3), fields.get(9)) else {
                continue;
            };
            if *state == wanted_state && inodes.contains(*inode) {
                found.push((kind, parse_proc_addr(local, v6)));
            }
        }
    }
    found
}

/// `0100007F:1F90` (IPv4, or 32 hex digits for IPv6, each 32-bit word in host order) and a hex port.
fn parse_proc_addr(text: &str, v6: bool) -> SocketAddr {
    let (ip, port) = text.split_once(':').expect("addr:port");
    let port = u16::from_str_radix(port, 16).expect("port");
    let words: Vec<u32> =
        (0..ip.len() / 8).map(|i| u32::from_str_radix(&ip[i * 8..i * 8 + 8], 16).expect("hex").swap_bytes()).collect();
    let ip = if v6 {
        let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_be_bytes()).collect();
        IpAddr::from(<[u8; 16]>::try_from(bytes).expect("16 bytes"))
    } else {
        IpAddr::from(words[0].to_be_bytes())
    };
    SocketAddr::new(ip, port)
}

#[test]
fn the_server_binds_only_what_the_user_chose_and_says_where() {
    let before: HashSet<_> = own_sockets().into_iter().collect();
    let mut harness = app_harness(StartOptions::default());
    harness.run_steps(3);
    // Tests only ever bind loopback: a wildcard socket of this process would be the app's own doing.
    let wildcard = |sockets: &[(&str, SocketAddr)]| sockets.iter().any(|(_, a)| a.ip().is_unspecified());
    assert!(!wildcard(&own_sockets()), "starting binds nothing: {:?}", own_sockets());

    for protocol in [SERVER, "UDP"] {
        choose(&mut harness, "Protocol", protocol);
        let field = harness.get_by_label("Local address").value();
        assert_eq!(field.as_deref(), Some("0.0.0.0"), "the default is in plain sight");
        harness.get_by_label("…").click();
        harness.run_steps(2);
        assert!(has_text(&harness, "0.0.0.0  (all interfaces)"), "and the menu says what it means");
        harness.key_press(eframe::egui::Key::Escape);
        harness.run_steps(2);
        assert!(!wildcard(&own_sockets()), "choosing a mode binds nothing");
    }
    for (protocol, button) in [(SERVER, LISTEN), ("UDP", OPEN)] {
        let local = open_local(&mut harness, protocol, button);
        let status = match protocol {
            SERVER => format!("Listening on {local} · 0 clients"),
            _ => format!("UDP bound to {local}"),
        };
        assert!(has_text(&harness, &status), "the status bar shows the bound address: {status}");
        let new: Vec<_> = own_sockets().into_iter().filter(|s| !before.contains(s)).collect();
        let kind = if protocol == SERVER { "tcp" } else { "udp" };
        assert!(new.contains(&(kind, local)), "{local} is bound: {new:?}");
        assert!(!wildcard(&new), "nothing else is: {new:?}");
        if protocol == SERVER {
            let v6 = SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, local.port()));
            assert!(TcpStream::connect(v6).is_err(), "not on ::1 either");
        }
        harness.get_by_label(if protocol == SERVER { "Stop" } else { "Close" }).click();
        step_until(&mut harness, "closed", |h| h.state().tab().session.state == LinkState::Idle);
    }
    // What the status bar says of a wildcard bind (tests never bind one).
    let any: SocketAddr = "0.0.0.0:8000".parse().expect("addr");
    assert_eq!(describe_local(any), "0.0.0.0:8000 (all interfaces)");
    assert_eq!(describe_local("[::]:8000".parse().expect("addr")), "[::]:8000 (all interfaces)");
}

#[test]
fn the_client_cap_refuses_a_flood_of_clients_and_serves_the_admitted() {
    let mut options = StartOptions::default();
    options.settings.max_clients = 3;
    let mut harness = app_harness(options);
    harness.step();
    let addr = open_local(&mut harness, SERVER, LISTEN);
    let mut clients: Vec<TcpStream> = (0..3).map(|_| support::std_client(addr)).collect();
    step_until(&mut harness, "three clients", |h| h.state().tab().session.clients.len() == 3);
    let flood: Vec<TcpStream> = (0..20).map(|_| support::std_client(addr)).collect();
    for stream in &flood {
        let me = stream.local_addr().expect("addr");
        let refused = format!("Refused client {me}: the limit of 3 clients is reached");
        step_until(&mut harness, &refused, |h| h.state().tab().session.view.to_text().contains(&refused));
    }
    assert!(has_text(&harness, "Refused client 127.0.0.1:"), "on screen");
    assert!(has_text(&harness, "Clients (3)"));
    for mut stream in flood {
        assert_eq!(support::read_n(&mut stream, 0), b"");
        let mut rest = Vec::new();
        assert_eq!(std::io::Read::read_to_end(&mut stream, &mut rest).expect("closed"), 0, "refused: closed at once");
    }
    send_text(&mut harness, "you are in");
    for client in &mut clients {
        assert_eq!(support::read_n(client, 10), b"you are in");
    }
    assert!(matches!(harness.state().tab().session.state, LinkState::Listening { .. }));
}

/// The app with its profiles in `root/config` and its files in `root/data`
/// (a name may hold characters no font here draws: a box, as in the real app).
fn app_in(root: &Path) -> AppHarness {
    let options = StartOptions {
        config_dir: Some(root.join("config")),
        data_dir: Some(root.join("data")),
        ..StartOptions::default()
    };
    let mut harness = app_harness_with_tofu(options);
    harness.step();
    harness
}

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() { todo.push(path) } else { out.push(path) }
        }
    }
    out.sort();
    out
}

#[test]
fn hostile_profile_names_are_refused_and_write_nothing() {
    let root = tempfile::tempdir().expect("temp dir");
    let mut harness = app_in(root.path());
    let typed = [
        ("../../x", "The profile name contains a path separator '/'."),
        ("/etc/passwd", "The profile name contains a path separator '/'."),
        ("C:\\Windows\\win.ini", "The profile name contains a path separator '\\'."),
        ("..", "The profile name cannot be '.' or contain '..'."),
        ("x/../../../y", "The profile name contains a path separator '/'."),
        (".", "The profile name cannot be '.' or contain '..'."),
        ("a..b", "The profile name cannot be '.' or contain '..'."),
        (&"x".repeat(65), "The profile name has 65 characters; at most 64 are allowed."),
    ];
    for (name, refusal) in typed {
        save_as(&mut harness, name);
        assert!(has_text(&harness, refusal), "{name:?}: {refusal}");
        harness.get_by_label("Cancel").click();
        harness.step();
    }
    // What a keyboard cannot type goes through the dialog's own OK action.
    let untypable = [
        ("a\0b", "The profile name contains a control character (U+0000)."),
        ("line\nbreak", "The profile name contains a control character (U+000A)."),
        ("esc\u{1b}[2J", "The profile name contains a control character (U+001B)."),
        (&"长".repeat(10_000), "The profile name has 10000 characters; at most 64 are allowed."),
    ];
    for (name, refusal) in untypable {
        harness.state_mut().apply_profile_intent(ProfileIntent::SaveAs(name.to_owned()));
        harness.run_steps(2);
        assert!(has_text(&harness, refusal), "{refusal}");
    }
    harness.state().profiles.wait_saved();
    assert!(harness.state().profiles.names().is_empty(), "none was saved");
    assert!(files_under(root.path()).is_empty(), "nothing was written: {:?}", files_under(root.path()));
}

#[test]
fn log_and_capture_files_stay_in_their_folders_whatever_the_profile_is_called() {
    let server = support::spawn_echo_server();
    let root = tempfile::tempdir().expect("temp dir");
    let mut harness = app_in(root.path());
    fill(&mut harness, "Remote port", &server.addr.port().to_string());
    harness.get_by_label("Log to file").click();
    harness.get_by_label("Capture every byte (lossless)").click();
    harness.step();
    let names = [
        "a:b*?<>|\"~$HOME%APPDATA%",
        "CON",
        "-rf --no-preserve-root",
        ".hidden",
        "x.log",
        "名字 with 空格",
        &"𠀀".repeat(64),
    ];
    for name in names {
        save_as(&mut harness, name);
        assert_eq!(harness.state().tab().profile_name(), Some(name.trim()), "{name:?} is a valid name");
        harness.get_by_label(CONNECT).click();
        step_until(&mut harness, "Connected", |h| matches!(h.state().tab().session.state, LinkState::Connected { .. }));
        send_text(&mut harness, "hello");
        step_until(&mut harness, "the echo", |h| h.state().tab().session.counters.rx_bytes >= 5);
        harness.get_by_label("Disconnect").click();
        step_until(&mut harness, "Idle", |h| h.state().tab().session.state == LinkState::Idle);
        step_until(&mut harness, "the capture saved", |h| {
            matches!(h.state().tab().session.capture, netassist::model::CaptureState::Stopped { .. })
        });
    }
    drop(harness);
    let (logs, captures) = (root.path().join("data").join(LOGS_DIR), root.path().join("data").join(CAPTURES_DIR));
    let files = files_under(root.path());
    let mut counts = (0, 0);
    for file in &files {
        let name = file.file_name().expect("name").to_string_lossy().into_owned();
        let parent = file.parent().expect("parent");
        if parent == logs || parent == captures {
            let (stem, extension) = name.rsplit_once('.').expect("an extension");
            assert_eq!(extension, if parent == logs { "log" } else { "nacap" }, "{file:?}");
            // YYYY-MM-DD_HH-MM-SS_<label>, the label made of letters, digits, '-' and '_' only.
            let label = stem.get(20..).expect("a label");
            assert!(label.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_'), "{name:?}");
            assert!(name.len() <= 255, "{} bytes: {name:?}", name.len());
            if parent == logs { counts.0 += 1 } else { counts.1 += 1 }
        } else {
            assert_eq!(*file, root.path().join("config").join(netassist::profile::FILE_NAME), "stray file {file:?}");
        }
    }
    assert_eq!(counts, (names.len(), names.len()), "one log and one capture per session: {files:#?}");
}

#[test]
fn a_capture_file_with_times_no_calendar_holds_opens_without_a_crash() {
    use netassist::capture::{CaptureRecord, CaptureWriter, RecordKind, Transport};

    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("crafted.nacap");
    let mut writer = CaptureWriter::new(std::fs::File::create(&path).expect("create")).expect("header");
    for micros in [i64::MAX, i64::MIN, 0, -1, 253_402_300_800_000_000] {
        let record = CaptureRecord {
            micros,
            conn: netassist::ids::ConnId(1),
            transport: Transport::Tcp,
            direction: Direction::Rx,
            peer: "127.0.0.1:8000".to_owned(),
            kind: RecordKind::Data { payload: bytes::Bytes::from(format!("at {micros}")) },
        };
        writer.write_record(&record).expect("write");
    }
    writer.flush().expect("flush");
    drop(writer);
    let mut harness = app_harness(StartOptions::default());
    harness.step();
    harness.state_mut().tab_mut().open_capture_file(&path).expect("opens");
    harness.run_steps(3);
    assert!(has_text(&harness, &format!("at {}", i64::MAX)), "every record is shown");
    assert!(has_text(&harness, &format!("at {}", i64::MIN)));
}

#[test]
fn a_hand_edited_profile_with_a_hostile_name_still_writes_only_inside_the_chosen_folders() {
    let server = support::spawn_echo_server();
    let root = tempfile::tempdir().expect("temp dir");
    let config = root.path().join("config");
    std::fs::create_dir_all(&config).expect("mkdir");
    // Save as would refuse these names; a hand edit need not ask.
    let names = ["../../../../tmp/escaped\\n/x", "/etc/cron.d/evil", "..\\\\..\\\\windows\\\\x", "\\u{0}nul"];
    let profiles: Vec<String> = names
        .iter()
        .map(|name| {
            format!("(name: \"{name}\", remote_port: \"{}\", log_session: true, capture: true)", server.addr.port())
        })
        .collect();
    let file = format!("(version: 1, profiles: [{}])\n", profiles.join(", "));
    std::fs::write(config.join(netassist::profile::FILE_NAME), &file).expect("write profiles.ron");
    let loaded = netassist::profile::ProfileStore::open(&config);
    assert!(loaded.problem.is_none(), "{:?}", loaded.problem);
    let loaded: Vec<String> = loaded.file.names().map(str::to_owned).collect();
    assert_eq!(loaded.len(), names.len());
    for name in &loaded {
        let options = StartOptions {
            config_dir: Some(config.clone()),
            data_dir: Some(root.path().join("data")),
            profiles: vec![name.clone()],
            connect: true,
            ..StartOptions::default()
        };
        let mut harness = app_harness_with_tofu(options);
        step_until(&mut harness, "Connected", |h| matches!(h.state().tab().session.state, LinkState::Connected { .. }));
        assert_eq!(harness.state().tab().profile_name(), Some(name.as_str()));
        send_text(&mut harness, "hello");
        step_until(&mut harness, "the echo", |h| h.state().tab().session.counters.rx_bytes >= 5);
        harness.get_by_label("Disconnect").click();
        step_until(&mut harness, "the capture saved", |h| {
            matches!(h.state().tab().session.capture, netassist::model::CaptureState::Stopped { .. })
        });
    }
    let data = root.path().join("data");
    let files = files_under(root.path());
    for file in &files {
        let inside = file.parent() == Some(&data.join(LOGS_DIR)) || file.parent() == Some(&data.join(CAPTURES_DIR));
        assert!(inside || file.parent() == Some(config.as_path()), "stray file {file:?}");
    }
    let written = files.iter().filter(|f| f.starts_with(&data)).count();
    assert_eq!(written, 2 * names.len(), "a log and a capture per session: {files:#?}");
    assert!(!Path::new("/tmp/escaped").exists() && !Path::new("/etc/cron.d/evil").exists());
}
