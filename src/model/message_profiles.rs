//! The words of the profile-file messages added for issue 18 (a newer file,
//! a file too large or not a regular file, names repaired on load), through
//! the catalogs (`locales/*/profiles.ftl`).

use fluent_bundle::FluentValue;

use crate::i18n::tr;
use crate::profile::{FileKind, KeptCopy, LoadProblem, NamesFixed};

/// A path as an argument.
fn path_arg(path: &std::path::Path) -> FluentValue<'static> {
    FluentValue::from(path.display().to_string())
}

/// The sentence about the copy kept of the file.
fn kept_text(kept: &KeptCopy) -> String {
    match kept {
        KeptCopy::Kept(copy) => tr("profiles-kept", &[("copy", path_arg(copy))]),
        KeptCopy::NotKept(error) => {
            tr("profiles-not-kept", &[("error", FluentValue::from(super::error_text::store_error(error)))])
        }
    }
}

/// Whether [`load_problem`] words this problem (the older ones are worded in `message_text`).
pub(super) fn words(problem: &LoadProblem) -> bool {
    matches!(problem, LoadProblem::Newer { .. } | LoadProblem::NotAFile { .. } | LoadProblem::TooLarge { .. })
}

/// The words for a load problem [`words`] accepts.
pub(super) fn load_problem(problem: &LoadProblem) -> String {
    match problem {
        LoadProblem::Newer { path, version, current, kept } => tr(
            "profiles-newer",
            &[
                ("path", path_arg(path)),
                ("version", FluentValue::from(*version)),
                ("current", FluentValue::from(*current)),
                ("kept", FluentValue::from(kept_text(kept))),
            ],
        ),
        LoadProblem::NotAFile { path, kind } => {
            let kind = match kind {
                FileKind::Fifo => "profiles-kind-fifo",
                FileKind::Device => "profiles-kind-device",
                FileKind::Socket => "profiles-kind-socket",
                FileKind::Other => "profiles-kind-other",
            };
            tr("profiles-not-a-file", &[("path", path_arg(path)), ("kind", FluentValue::from(tr(kind, &[])))])
        }
        LoadProblem::TooLarge { path, size, limit } => tr(
            "profiles-too-large",
            &[
                ("path", path_arg(path)),
                ("size", FluentValue::from(size.to_string())),
                ("limit", FluentValue::from(limit.to_string())),
            ],
        ),
        LoadProblem::Unreadable { .. } | LoadProblem::Corrupt { .. } | LoadProblem::CorruptNotKept { .. } => {
            super::error_text::load_problem(problem)
        }
    }
}

/// The words for profiles loaded under repaired names.
pub(super) fn names_fixed(fixed: &NamesFixed) -> String {
    let list: Vec<String> = fixed
        .renamed
        .iter()
        .map(|r| {
            tr(
                "profiles-renamed-item",
                &[
                    ("original", FluentValue::from(r.original.clone())),
                    ("chars", FluentValue::from(r.original_chars)),
                    ("name", FluentValue::from(r.name.clone())),
                ],
            )
        })
        .collect();
    tr(
        "profiles-names-fixed",
        &[
            ("count", FluentValue::from(fixed.renamed.len())),
            ("list", FluentValue::from(list.join("; "))),
            ("kept", FluentValue::from(kept_text(&fixed.kept))),
        ],
    )
}
