//! The bytes a text stands for, in a payload format: what Send, a preset, a
//! cyclic send and the preview line all make from what was typed.

use crate::codec::{EncodeError, EscapeError, HexError, append_checksum, encode_with_escapes, parse_hex, preview};

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
}

/// The bytes `text` stands for: encoded in the charset (with escapes, if on)
/// or parsed as hex; then the checksum over them, if one is chosen; then, for
/// text, the line ending.
pub fn build_payload(text: &str, format: &PayloadFormat) -> Result<Vec<u8>, PayloadError> {
    let mut payload = match format.mode {
        SendMode::Text if format.escapes => encode_with_escapes(text, format.charset).map_err(PayloadError::Escape)?,
        SendMode::Text => format.charset.encode(text).map_err(PayloadError::Encode)?,
        SendMode::Hex => parse_hex(text).map_err(PayloadError::Hex)?,
    };
    if let Some(kind) = format.checksum {
        append_checksum(&mut payload, kind);
    }
    if format.mode == SendMode::Text {
        payload.extend_from_slice(format.line_ending.bytes());
    }
    Ok(payload)
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
            build_payload("01 03 00 00 00 0A", &settings.payload_format()),
            Ok(vec![1, 3, 0, 0, 0, 0x0A, 0xC5, 0xCD])
        );
        settings.line_ending = crate::codec::LineEnding::CrLf;
        assert_eq!(
            build_payload("01", &settings.payload_format()).map(|p| p.len()),
            Ok(3),
            "no line ending in hex mode"
        );
        let settings =
            Settings { send_escapes: true, line_ending: crate::codec::LineEnding::CrLf, ..Settings::default() };
        assert_eq!(
            build_payload("你\\x41\\t", &settings.payload_format()),
            Ok(vec![0xC4, 0xE3, 0x41, 0x09, 0x0D, 0x0A])
        );
        let plain = Settings::default();
        assert_eq!(
            build_payload("a\\tb", &plain.payload_format()),
            Ok(b"a\\tb".to_vec()),
            "escapes off: backslashes are text"
        );
        let shown = |e: PayloadError| Message::Payload(e).to_string();
        assert!(build_payload("\\q", &settings.payload_format()).is_err_and(|e| shown(e).contains("position 1")));
        assert!(
            build_payload("zz", &Settings { send_mode: SendMode::Hex, ..Settings::default() }.payload_format())
                .is_err_and(|e| shown(e).starts_with("Invalid hex"))
        );
    }
}
