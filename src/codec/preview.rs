//! The preview under the send box: the bytes a send will put on the wire.

use super::hex::format_hex_line;

/// The first `max_bytes` of `bytes` as upper-case hex pairs separated by
/// spaces (`41 54 0D 0A`); when there are more, " … (N bytes)" follows, N
/// being the total length. Empty input gives an empty string.
pub fn preview(bytes: &[u8], max_bytes: usize) -> String {
    let shown = &bytes[..bytes.len().min(max_bytes)];
    let mut out = String::with_capacity(shown.len() * 3 + 24);
    format_hex_line(shown, &mut out);
    if shown.len() < bytes.len() {
        if !out.is_empty() {
            out.push(' ');
        }
        let unit = if bytes.len() == 1 { "byte" } else { "bytes" };
        out.push_str(&format!("… ({} {unit})", bytes.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn short_input_is_shown_whole() {
        assert_eq!(preview(b"AT\r\n", 16), "41 54 0D 0A");
        assert_eq!(preview(b"AT\r\n", 4), "41 54 0D 0A");
        assert_eq!(preview(&[0x00, 0xff, 0x0a], 3), "00 FF 0A");
        assert_eq!(preview(&[], 8), "");
        assert_eq!(preview(&[], 0), "");
    }

    #[test]
    fn long_input_is_cut_with_its_length() {
        assert_eq!(preview(b"AT\r\n", 2), "41 54 … (4 bytes)");
        assert_eq!(preview(b"AT\r\n", 3), "41 54 0D … (4 bytes)");
        assert_eq!(preview(&[0xab], 0), "… (1 byte)");
        assert_eq!(preview(&[0xab, 0xcd], 0), "… (2 bytes)");
        assert_eq!(preview(&[0u8; 1000], 1), "00 … (1000 bytes)");
    }

    proptest! {
        #[test]
        fn preview_starts_with_the_hex_of_the_shown_bytes(
            bytes in proptest::collection::vec(any::<u8>(), 0..64),
            max in 0usize..80,
        ) {
            let text = preview(&bytes, max);
            let n = bytes.len().min(max);
            let mut hex = String::new();
            format_hex_line(&bytes[..n], &mut hex);
            prop_assert!(text.starts_with(&hex));
            prop_assert_eq!(text.contains('…'), bytes.len() > max);
            if bytes.len() > max {
                let suffix = format!("({} byte", bytes.len());
                prop_assert!(text.contains(&suffix));
            } else {
                prop_assert_eq!(text, hex);
            }
        }
    }
}
