//! The bytes a text stands for, in a payload format: what Send, a preset, a
//! cyclic send and the preview line all make from what was typed.

use std::time::SystemTime;

use crate::codec::{
    EncodeError, EscapeError, ExpandError, HexError, PayloadMode, SendTemplate, Template, TemplateError, Vars, preview,
};

use super::settings::{PayloadFormat, SendMode};

/// Why a text does not make a payload.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PayloadError {
    /// A bad escape, or a character the charset cannot encode (escapes on).
    #[error("{0}")]
    Escape(EscapeError),
    /// A character the charset cannot encode (escapes off).
    #[error("{0}")]
    Encode(EncodeError),
    /// Not hex.
    #[error("{0}")]
    Hex(HexError),
    /// A variable written wrong (`${` not closed, an unknown name, bad arguments).
    #[error("{0}")]
    Template(TemplateError),
    /// A variable that cannot be filled in for this send.
    #[error("{0}")]
    Expand(ExpandError),
}

impl From<TemplateError> for PayloadError {
    fn from(error: TemplateError) -> Self {
        match error {
            TemplateError::Escape(EscapeError::Unencodable { escape: None, error, .. }) => PayloadError::Encode(error),
            TemplateError::Escape(error) => PayloadError::Escape(error),
            TemplateError::Hex(error) => PayloadError::Hex(error),
            other => PayloadError::Template(other),
        }
    }
}

impl From<ExpandError> for PayloadError {
    fn from(error: ExpandError) -> Self {
        match error {
            ExpandError::Hex { error, .. } => PayloadError::Hex(error),
            other => PayloadError::Expand(other),
        }
    }
}

/// Parses `text` once for `format`: variables (`${seq}`, `${rand:0:255}`, …)
/// to fill in at each send, the checksum computed over the filled-in bytes,
/// then, for text, the line ending.
pub fn parse_payload(text: &str, format: &PayloadFormat) -> Result<SendTemplate, PayloadError> {
    let mode = match format.mode {
        SendMode::Text => PayloadMode::Text { charset: format.charset, escapes: format.escapes },
        SendMode::Hex => PayloadMode::Hex,
    };
    let template = Template::parse(text, mode)?;
    let suffix = if format.mode == SendMode::Text { format.line_ending.bytes().to_vec() } else { Vec::new() };
    Ok(SendTemplate::new(template, format.checksum, suffix))
}

/// The bytes `text` stands for: encoded in the charset (with escapes, if on)
/// or parsed as hex, variables filled in from `vars` (the counter advances
/// only if the text uses `${seq}`); then the checksum over them, if one is
/// chosen; then, for text, the line ending.
pub fn build_payload(text: &str, format: &PayloadFormat, vars: &mut Vars) -> Result<Vec<u8>, PayloadError> {
    Ok(parse_payload(text, format)?.expand(vars, None, SystemTime::now())?)
}

/// `N B: xx xx …` for the first `max_bytes` bytes of a payload.
pub fn payload_preview(bytes: &[u8], max_bytes: usize) -> String {
    format!("{} B: {}", bytes.len(), preview(bytes, max_bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Message, Settings};

    #[test]
    fn payloads_get_escapes_checksum_and_line_ending_in_that_order() {
        let mut settings = Settings {
            send_mode: SendMode::Hex,
            checksum: Some(crate::codec::ChecksumKind::Crc16Modbus),
            ..Settings::default()
        };
        assert_eq!(
            build_payload("01 03 00 00 00 0A", &settings.payload_format(), &mut Vars::default()),
            Ok(vec![1, 3, 0, 0, 0, 0x0A, 0xC5, 0xCD])
        );
        settings.line_ending = crate::codec::LineEnding::CrLf;
        assert_eq!(
            build_payload("01", &settings.payload_format(), &mut Vars::default()).map(|p| p.len()),
            Ok(3),
            "no line ending in hex mode"
        );
        let settings =
            Settings { send_escapes: true, line_ending: crate::codec::LineEnding::CrLf, ..Settings::default() };
        assert_eq!(
            build_payload("你\\x41\\t", &settings.payload_format(), &mut Vars::default()),
            Ok(vec![0xC4, 0xE3, 0x41, 0x09, 0x0D, 0x0A])
        );
        let plain = Settings::default();
        assert_eq!(
            build_payload("a\\tb", &plain.payload_format(), &mut Vars::default()),
            Ok(b"a\\tb".to_vec()),
            "escapes off: backslashes are text"
        );
        let shown = |e: PayloadError| Message::Payload(e).to_string();
        assert!(
            build_payload("\\q", &settings.payload_format(), &mut Vars::default())
                .is_err_and(|e| shown(e).contains("position 1"))
        );
        assert!(
            build_payload(
                "zz",
                &Settings { send_mode: SendMode::Hex, ..Settings::default() }.payload_format(),
                &mut Vars::default()
            )
            .is_err_and(|e| shown(e).starts_with("Invalid hex"))
        );
    }
}
