use super::*;
use crate::view::lines::escape_chars;

/// What each byte of `text` is: marked or not.
fn coverage(text: &str, markers: &[Range<usize>]) -> Vec<bool> {
    let mut marked = vec![false; text.len()];
    for m in markers {
        marked[m.clone()].iter_mut().for_each(|b| *b = true);
    }
    marked
}

/// The escaping as it was done before issue 18 (a `String` per character,
/// the text rebuilt character by character): the reference for the result.
fn reference(decoded: &mut DecodedText, charset: Charset) {
    let is_c1 = |c: char| ('\u{80}'..='\u{9F}').contains(&c);
    escape_chars(&mut decoded.text, &mut decoded.invalid, |c| match u8::try_from(c) {
        Ok(b) if is_control(b) => Some(format!("\\x{b:02X}")),
        Ok(b) if is_c1(c) && charset == Charset::Windows1252 => Some(format!("\\x{b:02X}")),
        _ if is_c1(c) || is_invisible(c) => Some(format!("\\u{{{:X}}}", u32::from(c))),
        _ => None,
    });
}

#[test]
fn touching_markers_join_into_one_run() {
    let mut decoded = Charset::Gbk.decode_all(b"a\x00\x01\xFF\x07b\x1B");
    escape_controls(&mut decoded, Charset::Gbk);
    assert_eq!(decoded.text, "a\\x00\\x01\\xFF\\x07b\\x1B");
    assert_eq!(decoded.invalid, vec![1..17, 18..22], "a run of controls and an invalid byte is one marker");
}

#[test]
fn text_without_anything_to_escape_is_left_as_it_is() {
    let mut decoded = Charset::Utf8.decode_all("你好，世界€ tab\there\r\n".as_bytes());
    let before = decoded.clone();
    escape_controls(&mut decoded, Charset::Utf8);
    assert_eq!(decoded, before);
}

proptest::proptest! {
    #[test]
    fn escapes_exactly_what_the_character_by_character_way_did(
        bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600),
        charset in proptest::sample::select(Charset::ALL.to_vec()),
    ) {
        let decoded = charset.decode_all(&bytes);
        let (mut fast, mut slow) = (decoded.clone(), decoded);
        escape_controls(&mut fast, charset);
        reference(&mut slow, charset);
        proptest::prop_assert_eq!(&fast.text, &slow.text);
        proptest::prop_assert_eq!(coverage(&fast.text, &fast.invalid), coverage(&slow.text, &slow.invalid));
        proptest::prop_assert!(fast.invalid.windows(2).all(|w| w[0].end < w[1].start), "sorted, apart: {:?}", fast.invalid);
    }
}
