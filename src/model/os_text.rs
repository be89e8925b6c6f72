//! What the operating system said, and what the engine was doing when it
//! said it, in the window's language: Rust programs on Linux get the C
//! locale's English from `strerror` whatever the desktop's language, and the
//! engine reports its actions as typed [`IoAction`]s, so both are worded
//! here from the catalogs (`os-*` and `act-*` keys in `messages.ftl`).

use crate::engine::{IoAction, UdpOption};
use crate::i18n::{arg, t, tr};

use super::OsError;
use super::error_text::interface;

/// What the operating system said, in the window's language: the words
/// for its `kind`, or `os_message` (the OS's own text) for a kind without
/// words (also EMFILE/ENFILE, which std files under no kind of their own).
pub fn os_text(kind: std::io::ErrorKind, os_message: &str) -> String {
    use std::io::ErrorKind as K;
    let key = match kind {
        K::NotFound => "os-not-found",
        K::PermissionDenied => "os-permission-denied",
        K::AlreadyExists => "os-already-exists",
        K::IsADirectory => "os-is-a-directory",
        K::NotADirectory => "os-not-a-directory",
        K::StorageFull => "os-storage-full",
        K::ReadOnlyFilesystem => "os-read-only",
        K::FileTooLarge => "os-file-too-large",
        K::QuotaExceeded => "os-quota",
        K::ResourceBusy => "os-busy",
        K::OutOfMemory => "os-out-of-memory",
        K::InvalidInput => "os-invalid-input",
        K::InvalidData => "os-invalid-data",
        K::UnexpectedEof => "os-unexpected-eof",
        K::TimedOut => "os-timed-out",
        K::ConnectionRefused => "os-refused",
        K::ConnectionReset => "os-reset",
        K::ConnectionAborted => "os-aborted",
        K::BrokenPipe => "os-broken-pipe",
        K::NotConnected => "os-not-connected",
        K::AddrInUse => "os-addr-in-use",
        K::AddrNotAvailable => "os-addr-not-available",
        K::NetworkUnreachable => "os-network-unreachable",
        K::HostUnreachable => "os-host-unreachable",
        K::NetworkDown => "os-network-down",
        K::Unsupported => "os-unsupported",
        K::Interrupted => "os-interrupted",
        _ if os_message.starts_with("Too many open files") => "os-too-many-files",
        _ => return os_message.to_owned(),
    };
    t(key)
}

/// An [`OsError`] in the window's language (see [`os_text`]).
pub fn os_error(error: &OsError) -> String {
    os_text(error.kind, &error.message)
}

/// What the engine was doing when the OS said no.
pub fn io_action(action: &IoAction) -> String {
    let at = |key: &str, addr: &std::net::SocketAddr| tr(key, &[arg("addr", addr.to_string())]);
    match action {
        IoAction::Listening(addr) => at("act-listening", addr),
        IoAction::Accepting(addr) => at("act-accepting", addr),
        IoAction::Binding(addr) => at("act-binding", addr),
        IoAction::CreatingSocket(addr) => at("act-creating-socket", addr),
        IoAction::Connecting(target) => tr("act-connecting", &[arg("target", target.as_str())]),
        IoAction::WritingTo(addr) => at("act-writing", addr),
        IoAction::ReadingFrom(addr) => at("act-reading", addr),
        IoAction::Watching(addr) => at("act-watching", addr),
        IoAction::CreatingUdp(addr) => at("act-creating-udp", addr),
        IoAction::SettingUdp(option, addr) => {
            let option = t(match option {
                UdpOption::Broadcast => "act-opt-broadcast",
                UdpOption::MulticastTtl => "act-opt-ttl",
                UdpOption::MulticastLoop => "act-opt-loop",
                UdpOption::NonBlocking => "act-opt-nonblocking",
            });
            tr("act-setting-udp", &[arg("option", option), arg("addr", addr.to_string())])
        }
        IoAction::BindingUdp(addr) => at("act-binding-udp", addr),
        IoAction::RegisteringUdp(addr) => at("act-registering-udp", addr),
        IoAction::Receiving(addr) => at("act-receiving", addr),
        IoAction::EarlierDatagram(addr) => at("act-earlier-datagram", addr),
        IoAction::SendingTo { len, addr } => tr("act-sending-to", &[arg("len", *len), arg("addr", addr.to_string())]),
        IoAction::Multicast { join, group, interface: which } => tr(
            if *join { "act-multicast-join" } else { "act-multicast-leave" },
            &[arg("group", group.to_string()), arg("interface", interface(*which))],
        ),
    }
}
