//! How the streaming commands show traffic in a terminal: a timestamped
//! header per read, the text with control characters escaped (so a peer
//! cannot move the cursor or recolour the terminal), or a hex dump.

use std::fmt::Write;
use std::time::SystemTime;

/// `HH:MM:SS.mmm`, local time.
pub fn timestamp(at: SystemTime) -> String {
    chrono::DateTime::<chrono::Local>::from(at).format("%H:%M:%S%.3f").to_string()
}

/// Decoded text made safe for a terminal, cut into its lines: line breaks
/// (`\n`, `\r\n`) split it, other control characters (ESC, a lone `\r`, NUL,
/// C1 controls, …) are written as `\xNN` / `\u{NN}`; tabs stay. A break at
/// the very end adds no empty line.
pub fn text_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\n' => lines.push(std::mem::take(&mut line)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\t' => line.push('\t'),
            c if (c as u32) < 0x20 || c == '\u{7F}' => {
                let _ = write!(line, "\\x{:02X}", c as u32);
            }
            c if ('\u{80}'..='\u{9F}').contains(&c) => {
                let _ = write!(line, "\\u{{{:X}}}", c as u32);
            }
            c => line.push(c),
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// A classic hex dump of `bytes`: offset, 16 bytes in two groups of 8, and
/// the printable ASCII characters.
pub fn hex_dump(bytes: &[u8]) -> Vec<String> {
    bytes
        .chunks(16)
        .enumerate()
        .map(|(row, chunk)| {
            let mut line = format!("{:04x}  ", row * 16);
            for i in 0..16 {
                match chunk.get(i) {
                    Some(b) => {
                        let _ = write!(line, "{b:02x} ");
                    }
                    None => line.push_str("   "),
                }
                if i == 7 {
                    line.push(' ');
                }
            }
            line.push_str(" |");
            line.extend(chunk.iter().map(|&b| if b.is_ascii_graphic() || b == b' ' { b as char } else { '.' }));
            line.push('|');
            line
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_and_controls_are_escaped() {
        assert_eq!(text_lines("hello"), ["hello"]);
        assert_eq!(text_lines("a\r\nb\n"), ["a", "b"]);
        assert_eq!(text_lines("a\n\nb"), ["a", "", "b"]);
        assert_eq!(text_lines("\x1b[31mred\r\0\t."), ["\\x1B[31mred\\x0D\\x00\t."]);
        assert_eq!(text_lines("\u{85}你好\u{7f}"), ["\\u{85}你好\\x7F"]);
        assert_eq!(text_lines(""), [""]);
        assert_eq!(text_lines("\n"), [""]);
    }

    #[test]
    fn a_hex_dump_shows_offsets_bytes_and_ascii() {
        let dump = hex_dump(b"\x01\x03AB0123456789abcdefgh");
        assert_eq!(dump.len(), 2);
        assert_eq!(dump[0], "0000  01 03 41 42 30 31 32 33  34 35 36 37 38 39 61 62  |..AB0123456789ab|");
        assert_eq!(dump[1], "0010  63 64 65 66 67 68                                 |cdefgh|");
        assert!(hex_dump(&[]).is_empty());
    }
}
