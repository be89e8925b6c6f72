//! The words for variables written wrong or that cannot be filled in
//! (`${seq}`, `${rand:0:255}`, …), in the window's language: the one place
//! a [`TemplateError`] or an [`ExpandError`] becomes a sentence; and the
//! sequence panel's problems (steps that do not parse, script files).

use fluent_bundle::FluentValue;

use crate::codec::{ExpandError, TemplateError};
use crate::i18n::tr;

/// Why the text's variables cannot be parsed: nothing is sent.
pub(super) fn template_error(error: &TemplateError) -> String {
    let pos = FluentValue::from(error.pos());
    match error {
        TemplateError::Unclosed { .. } => tr("vars-unclosed", &[("pos", pos)]),
        TemplateError::BadName { name, .. } => {
            tr("vars-bad-name", &[("pos", pos), ("name", FluentValue::from(name.as_str()))])
        }
        TemplateError::BadArgs { written, .. } => {
            let key = match written.split(':').next().unwrap_or_default() {
                "rand" => "vars-args-rand",
                "rand_hex" => "vars-args-rand-hex",
                name if name.chars().all(|c| c.is_ascii_digit()) => "vars-args-group",
                _ => "vars-args-none",
            };
            tr(key, &[("pos", pos), ("written", FluentValue::from(written.as_str()))])
        }
        // Worded with the send box's own escape and hex messages.
        TemplateError::Escape(error) => error.to_string(),
        TemplateError::Hex(error) => error.to_string(),
    }
}

/// Why a variable cannot be filled in for this send: nothing is sent.
pub(super) fn expand_error(error: &ExpandError) -> String {
    match error {
        ExpandError::Unset { name, pos } => {
            tr("vars-unset", &[("pos", FluentValue::from(*pos)), ("name", FluentValue::from(name.as_str()))])
        }
        ExpandError::Unencodable { pos, error } => tr(
            "vars-unencodable",
            &[
                ("pos", FluentValue::from(*pos)),
                ("char", FluentValue::from(error.ch.to_string())),
                ("charset", FluentValue::from(error.charset)),
            ],
        ),
        ExpandError::Hex { error, text } => tr(
            "vars-bad-hex",
            &[("error", FluentValue::from(error.to_string())), ("text", FluentValue::from(text.as_str()))],
        ),
    }
}

/// Why the sequence's steps do not parse: where (line, column) and what.
pub(super) fn sequence_parse(error: &crate::script::ParseError) -> String {
    tr(
        "seq-parse",
        &[
            ("line", FluentValue::from(error.line)),
            ("col", FluentValue::from(error.col)),
            ("error", FluentValue::from(error.kind.to_string())),
        ],
    )
}

/// Why a script file cannot be opened or saved.
pub(super) fn script_file(path: &std::path::Path, kind: std::io::ErrorKind) -> String {
    tr(
        "seq-file",
        &[
            ("path", FluentValue::from(path.display().to_string())),
            ("error", FluentValue::from(super::os_text::os_text(kind, &kind.to_string()))),
        ],
    )
}
