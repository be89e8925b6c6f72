//! What one send is made of: a [`Template`] (variables filled in per send),
//! then a checksum computed over the filled-in bytes at send time, then a
//! fixed suffix (the line ending). The send box, presets, cyclic sends and
//! auto-replies all make their bytes through it.

use std::time::SystemTime;

use super::checksum::{ChecksumKind, append_checksum};
use super::vars::{Captures, ExpandError, Template, Vars};

/// A parsed send: template, checksum and suffix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SendTemplate {
    template: Template,
    checksum: Option<ChecksumKind>,
    suffix: Vec<u8>,
}

impl SendTemplate {
    /// `template`, then `checksum` over it (if any), then `suffix`.
    pub fn new(template: Template, checksum: Option<ChecksumKind>, suffix: Vec<u8>) -> Self {
        Self { template, checksum, suffix }
    }

    /// The template.
    pub fn template(&self) -> &Template {
        &self.template
    }

    /// The bytes to send now (advances the counter and random generator as
    /// [`Template::expand`] does).
    pub fn expand(
        &self,
        vars: &mut Vars,
        captures: Option<&Captures>,
        now: SystemTime,
    ) -> Result<Vec<u8>, ExpandError> {
        let bytes = self.template.expand(vars, captures, now)?;
        Ok(self.finish(bytes))
    }

    /// What [`SendTemplate::expand`] would give now, advancing nothing.
    pub fn preview(&self, vars: &Vars, captures: Option<&Captures>, now: SystemTime) -> Result<Vec<u8>, ExpandError> {
        let bytes = self.template.preview(vars, captures, now)?;
        Ok(self.finish(bytes))
    }

    fn finish(&self, mut bytes: Vec<u8>) -> Vec<u8> {
        if let Some(kind) = self.checksum {
            append_checksum(&mut bytes, kind);
        }
        bytes.extend_from_slice(&self.suffix);
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::{Charset, PayloadMode};

    #[test]
    fn checksum_is_over_the_filled_in_bytes_then_the_suffix() {
        let template = Template::parse("01 03 0${seq}", PayloadMode::Hex).unwrap();
        let send = SendTemplate::new(template, Some(ChecksumKind::Sum8), b"\r\n".to_vec());
        let mut vars = Vars::default();
        let now = SystemTime::now();
        assert_eq!(send.preview(&vars, None, now), Ok(vec![1, 3, 1, 5, b'\r', b'\n']));
        assert_eq!(send.expand(&mut vars, None, now), Ok(vec![1, 3, 1, 5, b'\r', b'\n']));
        assert_eq!(send.expand(&mut vars, None, now), Ok(vec![1, 3, 2, 6, b'\r', b'\n']));
        let text = Template::parse("n=${seq}", PayloadMode::Text { charset: Charset::Utf8, escapes: false }).unwrap();
        assert_eq!(SendTemplate::new(text, None, Vec::new()).preview(&vars, None, now), Ok(b"n=3".to_vec()));
    }
}
