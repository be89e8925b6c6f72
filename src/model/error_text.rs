//! The words for the errors the lower layers report as typed values: one
//! function per error type, each through the catalogs (`messages.ftl`), so a
//! Chinese window gets Chinese sentences. The errors' own `Display` (English)
//! stays for logs, the command line and tests of the lower layers.
//!
//! What the operating system said is worded by its kind ([`os_text`]): Rust
//! programs on Linux get the C locale's English from `strerror`, whatever
//! the desktop's language. A kind without words of ours, and a resolver's
//! detail, pass through as the OS gave them.

use std::path::Path;

use crate::capture::CaptureError;
use crate::codec::{EncodeError, EscapeError, HexError};
use crate::engine::{
    AddrError, CaptureFailure, CommandError, EngineError, IcmpReason, IcmpReport, JobError, MulticastInterface,
    RuleInvalid,
};
use crate::files::FileError;
use crate::i18n::{arg, t, tr};
use crate::profile::{LoadProblem, NameError, ProfileError, StoreError};

use super::os_text::{io_action, os_text};
use super::payload::PayloadError;

/// A path as shown in a message.
fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// Seconds with one decimal (or ms below 0.1 s), e.g. "2.2".
fn seconds(duration: std::time::Duration) -> String {
    let secs = duration.as_secs_f64();
    if secs < 0.1 && secs > 0.0 {
        format!("{:.0} ms", (secs * 1000.0).max(1.0))
    } else {
        format!("{secs:.1} s").replace(".0 s", " s")
    }
}

/// A multicast interface in words.
pub(super) fn interface(interface: MulticastInterface) -> String {
    match interface {
        MulticastInterface::Any => t("err-if-default"),
        MulticastInterface::V4(addr) => tr("err-if-v4", &[arg("addr", addr.to_string())]),
        MulticastInterface::V6(index) => tr("err-if-v6", &[arg("index", index)]),
    }
}

/// An engine error in the window's language.
pub fn engine_error(error: &EngineError) -> String {
    use EngineError as E;
    match error {
        E::HostNotFound { host, detail } => {
            tr("err-host-not-found", &[arg("host", host.as_str()), arg("detail", detail.as_str())])
        }
        E::Refused { addr } => tr("err-refused", &[arg("addr", addr.to_string())]),
        E::TimedOut { target, after } => {
            tr("err-timed-out", &[arg("target", target.as_str()), arg("after", seconds(*after))])
        }
        E::AddrInUse { addr } => tr("err-addr-in-use", &[arg("addr", addr.to_string())]),
        E::PermissionDenied { action } => {
            let key = if action.privileged_port() { "err-permission-privileged" } else { "err-permission" };
            tr(key, &[arg("what", io_action(action))])
        }
        E::Reset { addr } => tr("err-reset", &[arg("addr", addr.to_string())]),
        E::NotConnected { conn } => tr("err-not-connected", &[arg("conn", conn.0)]),
        E::SendQueueFull { conn } => tr("err-queue-full", &[arg("conn", conn.0)]),
        E::NotLocalAddress { addr } => {
            tr("err-not-local", &[arg("addr", addr.to_string()), arg("ip", addr.ip().to_string())])
        }
        E::WrongKind { id, is, expected } => {
            tr("err-wrong-kind", &[arg("conn", id.0), arg("is", *is), arg("expected", *expected)])
        }
        E::NotMulticast { addr } => tr("err-not-multicast", &[arg("addr", addr.to_string())]),
        E::NoSuchInterface { interface: which } => {
            let name = match which {
                MulticastInterface::Any => t("err-if-default"),
                MulticastInterface::V4(addr) => tr("err-no-interface-v4", &[arg("addr", addr.to_string())]),
                MulticastInterface::V6(index) => tr("err-no-interface-v6", &[arg("index", *index)]),
            };
            tr("err-no-interface", &[arg("name", name)])
        }
        E::NoRouteToGroup { group } => tr("err-no-route-group", &[arg("group", group.to_string())]),
        E::AlreadyMember { group, interface: which } => {
            tr("err-already-member", &[arg("group", group.to_string()), arg("interface", interface(*which))])
        }
        E::NotMember { group, interface: which } => {
            tr("err-not-member", &[arg("group", group.to_string()), arg("interface", interface(*which))])
        }
        E::TtlOutOfRange { addr, ttl, max } => {
            tr("err-ttl-range", &[arg("addr", addr.to_string()), arg("ttl", *ttl), arg("max", *max)])
        }
        E::InterfaceMismatch { group, interface: which } => {
            tr("err-interface-mismatch", &[arg("group", group.to_string()), arg("interface", interface(*which))])
        }
        E::FamilyMismatch { local, remote } => {
            tr("err-family", &[arg("local", local.to_string()), arg("remote", remote.to_string())])
        }
        E::DatagramTooLarge { len, max } => tr("err-datagram-too-large", &[arg("len", *len), arg("max", *max)]),
        E::BroadcastNotAllowed { addr } => tr("err-broadcast", &[arg("addr", addr.to_string())]),
        E::InvalidAutoReply { rule, detail } => {
            tr("err-rule-off", &[arg("rule", rule.as_str()), arg("detail", rule_invalid(detail))])
        }
        E::AutoRepliesDropped { conn, limit } => {
            tr("err-replies-dropped", &[arg("conn", conn.0), arg("limit", *limit)])
        }
        E::Io { action, message, kind } => {
            tr("err-io", &[arg("context", io_action(action)), arg("message", os_text(*kind, message))])
        }
    }
}

/// Why an auto-reply rule cannot run.
pub fn rule_invalid(error: &RuleInvalid) -> String {
    match error {
        RuleInvalid::EmptyBytes => t("err-rule-empty-bytes"),
        RuleInvalid::EmptyRegex => t("err-rule-empty-regex"),
        RuleInvalid::Regex(detail) => tr("err-rule-regex", &[arg("detail", detail.as_str())]),
    }
}

/// The engine's command queue refused a command.
pub fn command_error(error: CommandError) -> String {
    t(match error {
        CommandError::QueueFull => "err-engine-busy",
        CommandError::Stopped => "err-engine-stopped",
    })
}

/// An address or port as typed, refused.
pub fn addr_error(error: &AddrError) -> String {
    match error {
        AddrError::EmptyPort => t("err-empty-port"),
        AddrError::BadPort(text) => tr("err-bad-port", &[arg("text", text.as_str())]),
        AddrError::EmptyHost => t("err-empty-host"),
        AddrError::BadHost(text) => tr("err-bad-host", &[arg("text", text.as_str())]),
        AddrError::BadBindPort(text) => tr("err-bad-bind-port", &[arg("text", text.as_str())]),
        AddrError::NotAnIp(text) => tr("err-not-an-ip", &[arg("text", text.as_str())]),
    }
}

/// A cyclic or file send that could not start or carry on.
pub fn job_error(error: &JobError) -> String {
    match error {
        JobError::Target(error) => engine_error(error),
        JobError::NoTarget => t("err-job-no-target"),
        JobError::NoneOpen => t("err-job-none-open"),
        JobError::Interval(interval) => tr("err-job-interval", &[arg("ms", interval.as_secs_f64() * 1000.0)]),
        JobError::DatagramSize { size, max } => tr("err-job-datagram", &[arg("size", *size), arg("max", *max)]),
        JobError::Open { path, detail, kind } => {
            tr("err-job-open", &[arg("path", shown(path)), arg("detail", os_text(*kind, detail))])
        }
        JobError::IsDirectory { path } => tr("err-job-directory", &[arg("path", shown(path))]),
        JobError::Read { path, detail, kind } => {
            tr("err-job-read", &[arg("path", shown(path)), arg("detail", os_text(*kind, detail))])
        }
        JobError::Expand(error) => super::vars_text::expand_error(error),
    }
}

/// A capture that could not start or stopped.
pub fn capture_failure(error: &CaptureFailure) -> String {
    match error {
        CaptureFailure::Exists { path } => tr("err-capture-exists", &[arg("path", shown(path))]),
        CaptureFailure::Create { path, detail, kind } => {
            tr("err-capture-create", &[arg("path", shown(path)), arg("detail", os_text(*kind, detail))])
        }
        CaptureFailure::Write { path, detail, records, kind } => tr(
            "err-capture-write",
            &[arg("path", shown(path)), arg("detail", os_text(*kind, detail)), arg("records", *records)],
        ),
    }
}

/// A payload that cannot be made from the send box.
pub fn payload_error(error: &PayloadError) -> String {
    match error {
        PayloadError::Escape(error) => tr("err-cannot-send", &[arg("why", escape_error(error))]),
        PayloadError::Encode(error) => tr("err-cannot-send", &[arg("why", encode_error(error))]),
        PayloadError::Hex(error) => tr("err-invalid-hex", &[arg("why", hex_error(error))]),
        PayloadError::Template(error) => super::vars_text::template_error(error),
        PayloadError::Expand(error) => super::vars_text::expand_error(error),
    }
}

/// A character the charset lacks. Positions count from 1, as people count.
pub fn encode_error(error: &EncodeError) -> String {
    tr(
        "err-encode",
        &[
            arg("ch", error.ch.to_string()),
            arg("code", format!("{:04X}", error.code)),
            arg("pos", error.index + 1),
            arg("charset", error.charset),
        ],
    )
}

/// A bad escape in the send box.
pub fn escape_error(error: &EscapeError) -> String {
    let (key, escape, pos) = match error {
        EscapeError::Unencodable { pos, escape, error } => {
            let ch = escape.clone().unwrap_or_else(|| error.ch.to_string());
            return tr(
                "err-encode",
                &[
                    arg("ch", ch),
                    arg("code", format!("{:04X}", error.code)),
                    arg("pos", *pos),
                    arg("charset", error.charset),
                ],
            );
        }
        EscapeError::Unknown { escape, pos } => ("err-escape-unknown", escape, pos),
        EscapeError::BadHex { escape, pos } => ("err-escape-hex", escape, pos),
        EscapeError::BadUnicode { escape, pos } => ("err-escape-unicode", escape, pos),
        EscapeError::NotAChar { escape, pos, .. } => ("err-escape-not-char", escape, pos),
    };
    tr(key, &[arg("escape", escape.as_str()), arg("pos", *pos)])
}

/// Text that is not hex bytes.
pub fn hex_error(error: &HexError) -> String {
    match error {
        HexError::InvalidChar { ch, pos } => tr("err-hex-char", &[arg("ch", ch.to_string()), arg("pos", *pos)]),
        HexError::OddDigit { digits, pos } => tr("err-hex-odd", &[arg("digits", digits.as_str()), arg("pos", *pos)]),
    }
}

/// An ICMP error for a datagram sent.
pub fn icmp_report(report: &IcmpReport) -> String {
    let dest = report.destination.map_or_else(|| t("err-icmp-unknown-dest"), |a| a.to_string());
    let by = match (report.reporter, report.destination) {
        (Some(reporter), Some(dest)) if reporter == dest.ip() => String::new(),
        (Some(reporter), _) => tr("err-icmp-by", &[arg("reporter", reporter.to_string())]),
        (None, _) => String::new(),
    };
    let args = |extra: Vec<(&'static str, fluent_bundle::FluentValue<'static>)>| {
        let mut all = vec![arg("dest", dest.clone()), arg("by", by.clone())];
        all.extend(extra);
        all
    };
    match &report.reason {
        IcmpReason::PortUnreachable => tr("err-icmp-port", &args(vec![])),
        IcmpReason::HostUnreachable => tr("err-icmp-host", &args(vec![])),
        IcmpReason::NetworkUnreachable => tr("err-icmp-network", &args(vec![])),
        IcmpReason::ProtocolUnreachable => tr("err-icmp-protocol", &args(vec![])),
        IcmpReason::Prohibited => tr("err-icmp-prohibited", &args(vec![])),
        IcmpReason::TooBig { mtu: 0 } => tr("err-icmp-too-big", &args(vec![])),
        IcmpReason::TooBig { mtu } => tr("err-icmp-too-big-mtu", &args(vec![arg("mtu", *mtu)])),
        IcmpReason::TimeExceeded => tr("err-icmp-time", &args(vec![])),
        IcmpReason::Other { v6, icmp_type, code } => tr(
            "err-icmp-other",
            &args(vec![arg("icmp", if *v6 { "ICMPv6" } else { "ICMP" }), arg("type", *icmp_type), arg("code", *code)]),
        ),
        IcmpReason::Local { errno } => {
            let error = std::io::Error::from_raw_os_error(*errno);
            tr("err-icmp-local", &args(vec![arg("detail", os_text(error.kind(), &error.to_string()))]))
        }
    }
}

/// A log file problem.
pub fn file_error(error: &FileError) -> String {
    match error {
        FileError::NoDataDir { env } => tr("err-no-data-dir", &[arg("env", *env)]),
        FileError::RelativeDataDir { env, detail } => {
            tr("err-relative-data-dir", &[arg("env", *env), arg("detail", detail.as_str())])
        }
        FileError::CreateFolder { path, detail, kind } => {
            tr("err-log-folder", &[arg("path", shown(path)), arg("detail", os_text(*kind, detail))])
        }
        FileError::CreateFile { path, detail, kind } => {
            tr("err-log-file", &[arg("path", shown(path)), arg("detail", os_text(*kind, detail))])
        }
        FileError::Thread { detail } => tr("err-log-thread", &[arg("detail", detail.as_str())]),
        FileError::Write { path, detail, kind } => {
            tr("err-log-write", &[arg("path", shown(path)), arg("detail", os_text(*kind, detail))])
        }
    }
}

/// A capture file that cannot be read (whole).
pub fn capture_error(error: &CaptureError) -> String {
    match error {
        CaptureError::Io { offset, message, kind } => {
            tr("err-cap-io", &[arg("offset", *offset), arg("message", os_text(*kind, message))])
        }
        CaptureError::BadMagic => t("err-cap-magic"),
        CaptureError::TruncatedHeader { len } => tr("err-cap-header", &[arg("len", *len)]),
        CaptureError::UnknownVersion { version } => tr("err-cap-version", &[arg("version", *version)]),
        CaptureError::Truncated { offset } => tr("err-cap-truncated", &[arg("offset", *offset)]),
        CaptureError::CrcMismatch { offset, .. } => tr("err-cap-checksum", &[arg("offset", *offset)]),
        CaptureError::BadLength { offset, len } => tr("err-cap-length", &[arg("offset", *offset), arg("len", *len)]),
        CaptureError::Malformed { offset, detail } => {
            tr("err-cap-malformed", &[arg("offset", *offset), arg("detail", detail.as_str())])
        }
    }
}

/// A profile name refused.
pub fn name_error(error: &NameError) -> String {
    match error {
        NameError::Empty => t("err-name-empty"),
        NameError::TooLong { chars } => {
            tr("err-name-long", &[arg("chars", *chars), arg("max", crate::profile::MAX_NAME_CHARS)])
        }
        NameError::ControlChar { code } => tr("err-name-control", &[arg("code", format!("{code:04X}"))]),
        NameError::PathSeparator(ch) => tr("err-name-separator", &[arg("ch", ch.to_string())]),
        NameError::Dots => t("err-name-dots"),
    }
}

/// A profile action refused.
pub fn profile_error(error: &ProfileError) -> String {
    match error {
        ProfileError::InvalidName(error) => name_error(error),
        ProfileError::NotFound(name) => tr("err-profile-not-found", &[arg("name", name.as_str())]),
        ProfileError::AlreadyExists(name) => tr("err-profile-exists", &[arg("name", name.as_str())]),
    }
}

/// The profiles file could not be written.
pub fn store_error(error: &StoreError) -> String {
    match error {
        StoreError::NoConfigDir => t("err-no-config-dir"),
        StoreError::Io { action, path, message, kind } => {
            // The store's actions are a fixed few; each has its words.
            let action = match *action {
                "create directory" => t("err-action-create-directory"),
                "replace" => t("err-action-replace"),
                "create" => t("err-action-create"),
                "write" => t("err-action-write"),
                other => other.to_owned(),
            };
            let message = os_text(*kind, message);
            tr("err-store-io", &[arg("action", action), arg("path", shown(path)), arg("message", message)])
        }
        StoreError::OverwriteRefused { path } => tr("err-store-refused", &[arg("path", shown(path))]),
        StoreError::Serialize { message } => tr("err-store-serialize", &[arg("message", message.as_str())]),
    }
}

/// Why the profiles file did not load.
pub fn load_problem(problem: &LoadProblem) -> String {
    match problem {
        LoadProblem::Newer { .. } | LoadProblem::NotAFile { .. } | LoadProblem::TooLarge { .. } => {
            super::message_profiles::load_problem(problem)
        }
        LoadProblem::Unreadable { path, message } => {
            tr("err-load-unreadable", &[arg("path", shown(path)), arg("message", message.as_str())])
        }
        LoadProblem::Corrupt { path, line, column, message, kept_copy } => tr(
            "err-load-corrupt",
            &[
                arg("path", shown(path)),
                arg("line", *line),
                arg("column", *column),
                arg("message", message.as_str()),
                arg("copy", shown(kept_copy)),
            ],
        ),
        LoadProblem::CorruptNotKept { path, line, column, message, copy_error } => tr(
            "err-load-corrupt-not-kept",
            &[
                arg("path", shown(path)),
                arg("line", *line),
                arg("column", *column),
                arg("message", message.as_str()),
                arg("copy-error", store_error(copy_error)),
            ],
        ),
    }
}
