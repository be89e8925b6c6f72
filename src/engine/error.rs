//! Errors the engine reports, each worded for the person at the screen.

use crate::ids::ConnId;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use super::{IoAction, MulticastInterface};

/// A network failure, classified so the UI can say what happened in plain words.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// Name resolution failed or returned no address.
    #[error("host not found: {host} ({detail})")]
    HostNotFound {
        /// The host as typed.
        host: String,
        /// The resolver's message.
        detail: String,
    },
    /// The peer actively refused (nothing listening there).
    #[error("connection refused by {addr}: is the server running and listening on that port?")]
    Refused {
        /// The address tried last.
        addr: SocketAddr,
    },
    /// Connecting took longer than the configured timeout.
    #[error("connect to {target} timed out after {}", seconds(*.after))]
    TimedOut {
        /// `host:port` as typed.
        target: String,
        /// The timeout that expired.
        after: Duration,
    },
    /// The local address/port to bind is already in use.
    #[error("local address {addr} is already in use")]
    AddrInUse {
        /// The address we tried to bind.
        addr: SocketAddr,
    },
    /// The OS refused a bind or connect (e.g. a privileged port).
    #[error("permission denied for {action}{}", if .action.privileged_port() { " (ports below 1024 need administrator rights)" } else { "" })]
    PermissionDenied {
        /// What was being done, e.g. binding 0.0.0.0:80.
        action: IoAction,
    },
    /// The connection was reset by the peer.
    #[error("connection reset by peer {addr}")]
    Reset {
        /// The peer.
        addr: SocketAddr,
    },
    /// A command named a connection that is not open.
    #[error("not connected: connection #{conn} is not open")]
    NotConnected {
        /// The connection named.
        conn: ConnId,
    },
    /// A connection's send queue is full; the data was not queued.
    #[error("send queue of connection #{conn} is full; data not sent")]
    SendQueueFull {
        /// The connection.
        conn: ConnId,
    },
    /// The address to bind is not one of this machine's addresses.
    #[error(
        "cannot use {addr}: {} is not an address of this machine (choose one from the list, or 0.0.0.0 / ::)",
        .addr.ip()
    )]
    NotLocalAddress {
        /// The address we tried to bind.
        addr: SocketAddr,
    },
    /// A command named an id of the wrong kind (e.g. `send` to a listener).
    #[error("#{id} is a {is}, not a {expected}")]
    WrongKind {
        /// The id named.
        id: ConnId,
        /// What it is: "TCP listener", "UDP socket", "TCP connection".
        is: &'static str,
        /// What the command needs.
        expected: &'static str,
    },
    /// A multicast join/leave named an address that is not a multicast group.
    #[error("{addr} is not a multicast address (IPv4: 224.0.0.0 to 239.255.255.255, IPv6: ff00::/8)")]
    NotMulticast {
        /// The address given as the group.
        addr: IpAddr,
    },
    /// The network interface chosen for multicast does not exist.
    #[error("no such network interface: {}", match .interface {
        MulticastInterface::Any => "the default interface".to_owned(),
        MulticastInterface::V4(addr) => format!("{addr} (no interface has this IPv4 address)"),
        MulticastInterface::V6(index) => format!("index {index} (no interface has this index)"),
    })]
    NoSuchInterface {
        /// The interface as chosen (an IPv4 address or an IPv6 interface index).
        interface: MulticastInterface,
    },
    /// No interface has a route to the group, and none was chosen.
    #[error("no such network interface: no interface has a route to {group}; choose the interface to use")]
    NoRouteToGroup {
        /// The group.
        group: IpAddr,
    },
    /// A join of a group the socket is already a member of on that interface.
    #[error(
        "joining multicast group {group} on {interface}: this socket is already a member of that group on that interface"
    )]
    AlreadyMember {
        /// The group.
        group: IpAddr,
        /// The interface.
        interface: MulticastInterface,
    },
    /// A leave of a group the socket is not a member of on that interface.
    #[error(
        "leaving multicast group {group} on {interface}: this socket is not a member of that group on that interface"
    )]
    NotMember {
        /// The group.
        group: IpAddr,
        /// The interface.
        interface: MulticastInterface,
    },
    /// A multicast TTL (hop limit) out of range.
    #[error("setting the multicast TTL of UDP socket {addr}: {ttl} is out of range: the TTL (hop limit) is 0 to {max}")]
    TtlOutOfRange {
        /// The socket.
        addr: SocketAddr,
        /// The TTL asked for.
        ttl: u32,
        /// The largest TTL.
        max: u32,
    },
    /// An IPv4 group with an IPv6 interface index, or the other way round.
    #[error(
        "cannot use {interface} for group {group}: an IPv4 group needs an IPv4 interface address, an IPv6 group an interface index"
    )]
    InterfaceMismatch {
        /// The group.
        group: IpAddr,
        /// The interface chosen.
        interface: MulticastInterface,
    },
    /// IPv4 and IPv6 mixed: e.g. sending to an IPv6 address from a socket bound to an IPv4 one.
    #[error(
        "{remote} and the socket's address {local} are of different IP versions: bind to an address of the same version (:: takes both)"
    )]
    FamilyMismatch {
        /// The socket's local address.
        local: SocketAddr,
        /// The address it was to reach or join.
        remote: IpAddr,
    },
    /// A datagram larger than UDP over this IP version can carry; not sent.
    #[error("datagram of {len} bytes is too large: UDP carries at most {max} bytes here; not sent")]
    DatagramTooLarge {
        /// Its size.
        len: usize,
        /// The most one datagram can carry (65,507 over IPv4, 65,527 over IPv6).
        max: usize,
    },
    /// Sending to a broadcast address without the socket's broadcast option.
    #[error("sending to broadcast address {addr} needs the Broadcast option: enable it and bind again")]
    BroadcastNotAllowed {
        /// The destination.
        addr: SocketAddr,
    },
    /// An auto-reply rule that cannot be used (e.g. its regex does not
    /// compile): the engine leaves it out and applies the others.
    #[error("auto-reply rule '{rule}' is off: {detail}")]
    InvalidAutoReply {
        /// The rule's name.
        rule: String,
        /// Why it cannot be used.
        detail: super::auto_reply::RuleInvalid,
    },
    /// A connection or UDP socket already has `limit` auto-replies waiting
    /// (for their delay, or for a peer that does not read); further ones are
    /// dropped. Reported once each time dropping starts.
    #[error("auto-replies on #{conn} are being dropped: {limit} are already waiting to be sent")]
    AutoRepliesDropped {
        /// The connection or UDP socket.
        conn: ConnId,
        /// The most replies that wait.
        limit: usize,
    },
    /// Any other I/O error, with what we were doing.
    #[error("{action}: {message}")]
    Io {
        /// What we were doing, e.g. listening on 127.0.0.1:8000 (boxed:
        /// events carrying errors stay small).
        action: Box<IoAction>,
        /// The OS error's kind.
        kind: std::io::ErrorKind,
        /// The OS error's message.
        message: String,
    },
}

impl EngineError {
    /// Classifies a failed bind (or listen) of `addr`; `action` says what
    /// for (listening on it, or binding UDP to it).
    pub(super) fn bind_failed(addr: SocketAddr, action: IoAction, error: &io::Error) -> EngineError {
        match error.kind() {
            io::ErrorKind::AddrInUse => EngineError::AddrInUse { addr },
            io::ErrorKind::AddrNotAvailable => EngineError::NotLocalAddress { addr },
            io::ErrorKind::PermissionDenied => EngineError::PermissionDenied { action },
            _ => EngineError::io(action, error),
        }
    }

    /// An `Io` error: what we were doing, and the OS error.
    pub(super) fn io(action: IoAction, error: &io::Error) -> EngineError {
        EngineError::Io { action: Box::new(action), kind: error.kind(), message: error.to_string() }
    }
}

/// `duration` for people: "5 s", "0.3 s" (rounded to a tenth of a second,
/// with the decimal only if it is not whole), or "40 ms" below 0.05 s.
fn seconds(duration: Duration) -> String {
    let nanos = duration.as_nanos();
    let tenths = (nanos + 50_000_000) / 100_000_000;
    if tenths == 0 && nanos > 0 {
        let millis = (nanos + 500_000) / 1_000_000;
        return format!("{} ms", millis.max(1));
    }
    match tenths % 10 {
        0 => format!("{} s", tenths / 10),
        tenth => format!("{}.{tenth} s", tenths / 10),
    }
}

/// Why a command could not even be queued to the engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    /// The engine's command queue is full (it is busy); try again.
    #[error("the network engine is busy (command queue full); try again")]
    QueueFull,
    /// The engine thread has stopped.
    #[error("the network engine has stopped")]
    Stopped,
}

/// Why a host/port text typed by the user is not usable.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AddrError {
    /// The port field is empty.
    #[error("port is empty: enter a number from 1 to 65535")]
    EmptyPort,
    /// The port is not a number in range.
    #[error("port '{0}' is not valid: enter a number from 1 to 65535")]
    BadPort(String),
    /// The host field is empty.
    #[error("host is empty: enter an IP address or a host name")]
    EmptyHost,
    /// The host is not a plausible host name or IP literal.
    #[error("host '{0}' is not a valid IP address or host name")]
    BadHost(String),
    /// A local port to bind is not a number from 0 to 65535.
    #[error("port '{0}' is not valid: enter a number from 0 (any free port) to 65535")]
    BadBindPort(String),
    /// A local address to bind is not an IP address.
    #[error("'{0}' is not an IP address: a local address to bind must be one (e.g. 0.0.0.0, 127.0.0.1, ::)")]
    NotAnIp(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_rounded_seconds() {
        let cases = [
            (Duration::from_secs(5), "5 s"),
            (Duration::from_millis(300), "0.3 s"),
            (Duration::from_secs_f32(2.2), "2.2 s"),
            (Duration::from_millis(2950), "3 s"),
            (Duration::from_millis(1049), "1 s"),
            (Duration::from_millis(1050), "1.1 s"),
            (Duration::from_secs(90), "90 s"),
            (Duration::from_millis(40), "40 ms"),
            (Duration::from_micros(300), "1 ms"),
            (Duration::ZERO, "0 s"),
        ];
        for (duration, expected) in cases {
            assert_eq!(seconds(duration), expected, "{duration:?}");
        }
        let error = EngineError::TimedOut { target: "127.0.0.1:8000".into(), after: Duration::from_secs_f32(2.2) };
        assert_eq!(error.to_string(), "connect to 127.0.0.1:8000 timed out after 2.2 s");
    }

    #[test]
    fn bind_failures_are_classified() {
        let addr = |text: &str| text.parse::<SocketAddr>().unwrap();
        let fail = |text: &str, kind| {
            EngineError::bind_failed(addr(text), IoAction::Listening(addr(text)), &io::Error::from(kind))
        };
        use io::ErrorKind::*;
        assert_eq!(fail("127.0.0.1:8000", AddrInUse), EngineError::AddrInUse { addr: addr("127.0.0.1:8000") });
        let not_local = fail("192.0.2.1:8000", AddrNotAvailable);
        assert_eq!(not_local, EngineError::NotLocalAddress { addr: addr("192.0.2.1:8000") });
        assert!(not_local.to_string().contains("192.0.2.1 is not an address of this machine"), "{not_local}");
        let low = fail("0.0.0.0:80", PermissionDenied);
        assert_eq!(low, EngineError::PermissionDenied { action: IoAction::Listening(addr("0.0.0.0:80")) });
        assert_eq!(
            low.to_string(),
            "permission denied for listening on 0.0.0.0:80 (ports below 1024 need administrator rights)"
        );
        let high = fail("0.0.0.0:8000", PermissionDenied);
        assert_eq!(high.to_string(), "permission denied for listening on 0.0.0.0:8000");
        assert!(matches!(fail("[::1]:1", InvalidInput), EngineError::Io { kind: InvalidInput, .. }));
    }
}

/// Why a cyclic or file send could not start or carry on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    /// Its target is not open, not of the right kind, not found, or a send to it failed.
    #[error("{0}")]
    Target(EngineError),
    /// It was given no connection to send to.
    #[error("no connection to send to")]
    NoTarget,
    /// None of the connections it was given is open.
    #[error("none of the connections to send to is open")]
    NoneOpen,
    /// A cyclic send's variables could not be filled in for one send.
    #[error("{0}")]
    Expand(crate::codec::ExpandError),
    /// A cyclic send's interval is under the minimum.
    #[error("the interval of a cyclic send must be at least 1 ms, not {0:?}")]
    Interval(Duration),
    /// A UDP file send's datagram size is out of range.
    #[error(
        "invalid datagram size {size}: a UDP datagram carries 1 to {max} bytes (choose a chunk size in that range)"
    )]
    DatagramSize {
        /// The size asked for.
        size: usize,
        /// The largest datagram.
        max: usize,
    },
    /// The file cannot be opened (or its size read).
    #[error("cannot open {}: {detail}", path.display())]
    Open {
        /// The file.
        path: PathBuf,
        /// What the OS said, as a kind.
        kind: io::ErrorKind,
        /// What the OS said.
        detail: String,
    },
    /// The file is a directory.
    #[error("cannot send {}: it is a directory", path.display())]
    IsDirectory {
        /// The directory.
        path: PathBuf,
    },
    /// Reading the file failed part-way.
    #[error("cannot read {}: {detail}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What the OS said, as a kind.
        kind: io::ErrorKind,
        /// What the OS said.
        detail: String,
    },
}

impl JobError {
    /// `Open` or `Read` from an I/O error on `path`.
    pub(super) fn io(path: &std::path::Path, error: &io::Error, reading: bool) -> Self {
        let (path, kind, detail) = (path.to_path_buf(), error.kind(), error.to_string());
        if reading { JobError::Read { path, kind, detail } } else { JobError::Open { path, kind, detail } }
    }
}

/// Why a capture could not start, or stopped.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CaptureFailure {
    /// The file exists: a capture never overwrites one.
    #[error("cannot capture to {}: the file already exists (a capture never overwrites a file; choose another name)", path.display())]
    Exists {
        /// The file.
        path: PathBuf,
    },
    /// The file could not be created, or its header written.
    #[error("cannot create capture file {}: {detail}", path.display())]
    Create {
        /// The file.
        path: PathBuf,
        /// What the OS said, as a kind.
        kind: io::ErrorKind,
        /// What the OS said.
        detail: String,
    },
    /// A write failed part-way (a full disk, say): the file keeps what came before.
    #[error(
        "writing capture file {} failed: {detail}; capture stopped after {records} whole records (the file keeps what was written before the error; the connections carry on)",
        path.display()
    )]
    Write {
        /// The file.
        path: PathBuf,
        /// What the OS said, as a kind.
        kind: io::ErrorKind,
        /// What the OS said.
        detail: String,
        /// Whole records written before the error.
        records: u64,
    },
}
