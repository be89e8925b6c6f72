//! The one place that words a [`Message`]: every sentence the window shows
//! is made here from the values it carries, through the catalogs
//! (`locales/*/messages.ftl`), in the window's language.

use std::fmt;

use crate::engine::{CloseReason, JobEnd, Unsent};
use crate::i18n::{arg, t, tr};
use crate::profile::{LoadProblem, ProfileError, StoreError};

use super::auto_reply::{RuleError, RuleField, RuleProblem};
use super::error_text as e;
use super::message::Message;
use super::session::{JobKind, describe_local};
use super::settings::Protocol;

/// A file's name alone, for the short lines of the left column.
fn file_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// A path as shown.
fn shown(path: &std::path::Path) -> String {
    path.display().to_string()
}

/// "`key`", plus ": the error" when an error ended it.
fn ended(key: &str, reason: &CloseReason) -> String {
    match reason {
        CloseReason::Error(error) => format!("{}: {}", t(key), e::engine_error(error)),
        _ => t(key),
    }
}

/// How a job ended: what it wrote, and what it had queued that was not written, if any.
fn job_ended(kind: JobKind, items: u64, bytes: u64, unsent: Unsent, end: &JobEnd) -> String {
    let what = t(match kind {
        JobKind::Cyclic => "msg-job-cyclic",
        JobKind::File => "msg-job-file",
    });
    let mut args = vec![arg("what", what), arg("items", items), arg("bytes", bytes)];
    let key = match (end, unsent.bytes > 0) {
        (JobEnd::Completed, _) => "msg-job-done",
        (JobEnd::Stopped, false) => "msg-job-stopped",
        (JobEnd::Stopped, true) => "msg-job-stopped-unsent",
        (JobEnd::TargetClosed, false) => "msg-job-target-closed",
        (JobEnd::TargetClosed, true) => "msg-job-target-closed-unsent",
        (JobEnd::Failed(_), false) => "msg-job-failed",
        (JobEnd::Failed(_), true) => "msg-job-failed-unsent",
    };
    if let JobEnd::Failed(why) = end {
        args.push(arg("error", e::job_error(why)));
    }
    args.push(arg("unsent", unsent.bytes));
    tr(key, &args)
}

/// The words of a message, in the window's language.
fn words(message: &Message) -> String {
    use Message as M;
    match message {
        M::Connecting { target } => tr("msg-connecting", &[arg("target", target.as_str())]),
        M::Connected { peer, local } => {
            tr("msg-connected", &[arg("peer", peer.to_string()), arg("local", local.to_string())])
        }
        M::ConnectCancelled => t("msg-connect-cancelled"),
        M::ConnectFailed(error) => tr("msg-connect-failed", &[arg("error", e::engine_error(error))]),
        M::PeerFinished { peer, client } => {
            tr(if *client { "msg-client-finished" } else { "msg-peer-finished" }, &[arg("peer", peer.to_string())])
        }
        M::Closed { peer, client, reason } => {
            let peer = arg("peer", peer.to_string());
            match (reason, client) {
                (CloseReason::PeerClosed, true) => tr("msg-client-closed", &[peer]),
                (CloseReason::PeerClosed, false) => tr("msg-peer-closed", &[peer]),
                (CloseReason::Local, _) => tr("msg-disconnected", &[peer]),
                (CloseReason::Reset, true) => tr("msg-client-reset", &[peer]),
                (CloseReason::Reset, false) => tr("msg-peer-reset", &[peer]),
                (CloseReason::TimedOut, true) => tr("msg-client-timed-out", &[peer]),
                (CloseReason::TimedOut, false) => tr("msg-peer-timed-out", &[peer]),
                (CloseReason::Error(error), _) => tr("msg-lost", &[peer, arg("error", e::engine_error(error))]),
            }
        }
        M::Listening { local } => tr("msg-listening", &[arg("local", describe_local(*local))]),
        M::ListenFailed(error) => tr("msg-listen-failed", &[arg("error", e::engine_error(error))]),
        M::ClientConnected { peer } => tr("msg-client-connected", &[arg("peer", peer.to_string())]),
        M::ClientRefused { peer, limit } => {
            tr("msg-client-refused", &[arg("peer", peer.to_string()), arg("limit", *limit)])
        }
        M::ServerStopped(reason) => ended("msg-server-stopped", reason),
        M::UdpBound { local } => tr("msg-udp-bound", &[arg("local", describe_local(*local))]),
        M::UdpBindFailed(error) => tr("msg-udp-bind-failed", &[arg("error", e::engine_error(error))]),
        M::UdpClosed(reason) => ended("msg-udp-closed", reason),
        M::Icmp(report) => format!("UDP: {}", e::icmp_report(report)),
        M::Joined(group) => tr("msg-joined", &[arg("group", group.to_string())]),
        M::Left(group) => tr("msg-left", &[arg("group", group.to_string())]),
        M::Engine(error) => e::engine_error(error),
        M::Command(error) => e::command_error(*error),
        M::CaptureStarted(path) => tr("msg-capture-started", &[arg("path", shown(path))]),
        M::CaptureSaved { path, records, bytes } => {
            tr("msg-capture-saved", &[arg("path", shown(path)), arg("records", *records), arg("bytes", *bytes)])
        }
        M::CaptureFailed(error) => tr("msg-capture-stopped", &[arg("error", e::capture_failure(error))]),
        M::AutoReplied { rule, peer } => {
            tr("msg-auto-replied", &[arg("rule", rule.as_str()), arg("peer", peer.to_string())])
        }
        M::JobEnded { kind, items, bytes, unsent, end } => job_ended(*kind, *items, *bytes, *unsent, end),
        M::Discarded { peer, unsent } => tr(
            "msg-discarded",
            &[arg("peer", peer.to_string()), arg("bytes", unsent.bytes), arg("items", unsent.items)],
        ),
        M::ReconnectPlanned { secs, attempt } => {
            tr("msg-reconnect-planned", &[arg("secs", *secs), arg("attempt", *attempt)])
        }
        M::Reconnecting { attempt } => tr("msg-reconnecting", &[arg("attempt", *attempt)]),

        M::Remote(error) => tr("msg-remote", &[arg("error", e::addr_error(error))]),
        M::LocalPort(error) => tr("msg-local-port", &[arg("error", e::addr_error(error))]),
        M::LocalAddress(error) => tr("msg-local-address", &[arg("error", e::addr_error(error))]),
        M::BadTimeout(secs) => tr("msg-bad-timeout", &[arg("secs", f64::from(*secs))]),
        M::NotOpen(Protocol::TcpClient) => t("msg-not-connected"),
        M::NotOpen(Protocol::TcpServer) => t("msg-not-listening"),
        M::NotOpen(Protocol::Udp) => t("msg-udp-not-open"),
        M::JobNotOpen => t("msg-job-not-open"),
        M::NothingToSend => t("msg-nothing-to-send"),
        M::NothingToRepeat => t("msg-nothing-to-repeat"),
        M::SequenceParse(error) => super::vars_text::sequence_parse(error),
        M::SequenceNoLink => t("seq-no-link"),
        M::ScriptFile { path, kind } => super::vars_text::script_file(path, *kind),
        M::NoClients => t("msg-no-clients"),
        M::NoClientSelected => t("msg-no-client-selected"),
        M::NoLastSender => t("msg-no-last-sender"),
        M::Payload(error) => e::payload_error(error),
        M::Preset { name, error } => {
            tr("msg-preset-problem", &[arg("name", name.as_str()), arg("error", e::payload_error(error))])
        }
        M::PresetNoName => t("msg-preset-no-name"),
        M::PresetExists(name) => tr("msg-preset-exists", &[arg("name", name.as_str())]),
        M::PresetEmptyBox => t("msg-preset-empty-box"),
        M::Rule(RuleError { rule, field, problem }) => {
            let field = t(match field {
                RuleField::Pattern => "msg-rule-field-pattern",
                RuleField::Regex => "msg-rule-field-regex",
                RuleField::Reply => "msg-rule-field-reply",
            });
            let problem = match problem {
                RuleProblem::Text(error) => e::escape_error(error),
                RuleProblem::Hex(error) => e::hex_error(error),
                RuleProblem::Regex(error) => error.clone(),
                RuleProblem::Template(error) => super::vars_text::template_error(error),
                RuleProblem::Unfillable(error) => super::vars_text::expand_error(error),
                RuleProblem::EmptyPattern => t("msg-rule-empty-pattern"),
            };
            tr("msg-rule-problem", &[arg("rule", rule.as_str()), arg("field", field), arg("problem", problem)])
        }
        M::OpenUdpFirst => t("msg-open-udp-first"),
        M::BadGroup(text) => tr("msg-bad-group", &[arg("text", text.as_str())]),
        M::BadInterface { text, v6 } => {
            tr(if *v6 { "msg-bad-interface-v6" } else { "msg-bad-interface-v4" }, &[arg("text", text.as_str())])
        }
        M::NoPreview => t("msg-no-preview"),

        M::NoDataDir(Some(why)) => e::file_error(why),
        M::NoDataDir(None) => t("msg-no-data-dir"),
        M::CaptureRefused(error) => tr("msg-cannot-capture", &[arg("error", e::engine_error(error))]),
        M::CaptureCommand(error) => tr("msg-cannot-capture", &[arg("error", e::command_error(*error))]),
        M::LoggingTo(path) => tr("msg-logging-to", &[arg("path", shown(path))]),
        M::LogSaved(path) => tr("msg-log-saved", &[arg("path", shown(path))]),
        M::LogFailed(error) => e::file_error(error),
        M::CannotOpenFolder { path, error } => {
            tr("msg-cannot-open-folder", &[arg("path", shown(path)), arg("error", super::os_text::os_error(error))])
        }
        M::BadQuery(_) | M::CaptureExported { .. } | M::ExportFailed(_) | M::ExportPathMissing => {
            super::find_text::words(message)
        }
        M::DialogFailed(error) => tr("msg-dialog-failed", &[arg("error", error.as_str())]),
        M::DialogVanished => t("msg-dialog-vanished"),
        M::NoFileDialog => t("msg-no-file-dialog"),
        M::PathMissing => t("msg-path-missing"),
        M::NotAFile(path) => tr("msg-not-a-file", &[arg("path", shown(path))]),
        M::CannotOpenPath { path, error } => {
            tr("msg-cannot-open-path", &[arg("path", shown(path)), arg("error", super::os_text::os_error(error))])
        }
        M::ViewSaved(path) => tr("msg-view-saved", &[arg("path", shown(path))]),
        M::CannotSave { path, error } => {
            tr("msg-cannot-save", &[arg("path", shown(path)), arg("error", super::os_text::os_error(error))])
        }
        M::CaptureOpened(path) => tr("msg-capture-opened", &[arg("path", shown(path))]),
        M::CaptureIndexing => t("bigcap-find-wait"),
        M::CaptureEndsEarly(problem) => tr("msg-capture-ends-early", &[arg("problem", e::capture_error(problem))]),
        M::CannotOpenCapture { path, error } => {
            tr("msg-cannot-open-capture", &[arg("path", shown(path)), arg("error", e::capture_error(error))])
        }
        M::Capturing(path) => tr("msg-capturing", &[arg("file", file_name(path))]),
        M::CaptureBusy { tab } => tr("msg-capture-busy", &[arg("tab", tab.as_str())]),
        M::CaptureDone { path, records, bytes } => {
            tr("msg-capture-done", &[arg("file", file_name(path)), arg("records", *records), arg("bytes", *bytes)])
        }

        M::PlotSaved(path) => tr("msg-plot-saved", &[arg("path", shown(path))]),

        M::ProfilesUnsaveable(why) => tr("msg-profiles-unsaveable", &[arg("error", e::store_error(why))]),
        M::ProfilesNotLoaded(problem) if super::message_profiles::words(problem) => {
            super::message_profiles::load_problem(problem)
        }
        M::ProfileNamesFixed(fixed) => super::message_profiles::names_fixed(fixed),
        M::ProfilesNotLoaded(problem) if matches!(**problem, LoadProblem::Unreadable { .. }) => {
            tr("msg-profiles-unreadable", &[arg("problem", e::load_problem(problem))])
        }
        M::ProfilesNotLoaded(problem) => tr("msg-profiles-damaged", &[arg("problem", e::load_problem(problem))]),
        M::NewProfilesFile => t("msg-new-profiles-file"),
        M::ProfileRefused(ProfileError::NotFound(name)) if name.is_empty() => t("msg-choose-profile"),
        M::ProfileRefused(error) => tr("msg-profile-refused", &[arg("error", e::profile_error(error))]),
        M::ProfilesNotSaved(error) if matches!(**error, StoreError::OverwriteRefused { .. }) => {
            t("msg-not-saved-refused")
        }
        M::ProfilesNotSaved(error) => tr("msg-not-saved", &[arg("error", e::store_error(error))]),
        M::ProfilesNewerKept { version } => tr("msg-not-saved-newer", &[arg("version", *version)]),
        M::ProfileSaved(name) => tr("msg-profile-saved", &[arg("name", name.as_str())]),
        M::ProfileRenamed { old, new } => {
            tr("msg-profile-renamed", &[arg("old", old.as_str()), arg("new", new.as_str())])
        }
        M::ProfileCopied { old, new } => {
            tr("msg-profile-copied", &[arg("old", old.as_str()), arg("new", new.as_str())])
        }
        M::ProfileDeleted(name) => tr("msg-profile-deleted", &[arg("name", name.as_str())]),
        M::ProfileNotes(notes) => {
            let separator = t("msg-list-separator");
            notes.iter().map(ToString::to_string).collect::<Vec<_>>().join(&separator)
        }
        M::Endpoint { protocol, endpoint } => format!("{} {endpoint}", protocol.label()),
        M::UnknownProfile { name, known } => {
            let known = if known.is_empty() {
                t("msg-no-saved-profiles")
            } else {
                tr("msg-saved-profiles", &[arg("names", known.join(", "))])
            };
            tr("msg-unknown-profile", &[arg("name", name.as_str()), arg("known", known)])
        }
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&words(self))
    }
}
