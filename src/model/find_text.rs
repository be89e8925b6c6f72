//! The words of the find, filter and export messages (keys in `find.ftl`).

use crate::capture::ExportError;
use crate::i18n::{arg, t, tr};
use crate::view::{MAX_QUERY_BYTES, QueryError};

use super::error_text as e;
use super::message::Message;

/// The words of a find, filter or export [`Message`].
pub(super) fn words(message: &Message) -> String {
    match message {
        Message::BadQuery(error) => query_error(error),
        Message::CaptureExported { output, summary } => {
            let done = tr(
                "export-done",
                &[
                    arg("path", output.display().to_string()),
                    arg("packets", summary.packets),
                    arg("streams", summary.streams),
                    arg("datagrams", summary.datagrams),
                    arg("records", summary.records),
                ],
            );
            match &summary.problem {
                Some(problem) => {
                    tr("export-done-early", &[arg("done", done), arg("problem", e::capture_error(problem))])
                }
                None => done,
            }
        }
        Message::ExportFailed(error) => export_error(error),
        Message::ExportPathMissing => t("export-path-missing"),
        // Worded in message_text.rs.
        _ => String::new(),
    }
}

/// Why a find or filter query cannot be used.
fn query_error(error: &QueryError) -> String {
    match error {
        QueryError::Empty => t("find-err-empty"),
        QueryError::Hex(error) => tr("find-err-hex", &[arg("detail", e::hex_error(error))]),
        QueryError::Regex(error) => tr("find-err-regex", &[arg("detail", error.to_string())]),
        QueryError::MatchesEmpty => t("find-err-matches-empty"),
        QueryError::TooLong { len } => tr("find-err-too-long", &[arg("len", *len), arg("max", MAX_QUERY_BYTES)]),
    }
}

/// Why an export did not finish.
fn export_error(error: &ExportError) -> String {
    match error {
        ExportError::Capture(error) => tr("export-err-capture", &[arg("error", e::capture_error(error))]),
        ExportError::Exists { path } => tr("export-err-exists", &[arg("path", path.display().to_string())]),
        ExportError::Write { path, message, .. } => {
            tr("export-err-write", &[arg("path", path.display().to_string()), arg("error", message.as_str())])
        }
        ExportError::Cancelled => t("export-cancelled"),
    }
}
