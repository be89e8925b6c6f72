//! A value of a saved profile that could not be used as stored, and what was used instead.

use std::fmt;

use crate::i18n::{arg, tr};

use crate::codec::Charset;

/// A stored value that was not used (it then takes its default).
#[derive(Clone, Debug, PartialEq)]
pub enum ProfileNote {
    /// An unknown charset.
    Charset {
        /// As stored.
        value: String,
        /// The profile.
        profile: String,
        /// What is used instead.
        used: Charset,
    },
    /// A connect timeout out of range.
    Timeout {
        /// As stored.
        secs: f32,
        /// The profile.
        profile: String,
        /// What is used instead.
        used: f32,
    },
    /// A client cap of 0.
    MaxClients {
        /// The profile.
        profile: String,
        /// What is used instead.
        used: u32,
    },
    /// An unknown line ending of a profile.
    LineEnding {
        /// As stored.
        value: String,
        /// The profile.
        owner: String,
    },
    /// An unknown record framing.
    Delivery {
        /// As stored.
        value: String,
        /// The profile.
        profile: String,
    },
    /// An unknown checksum.
    Checksum {
        /// As stored.
        value: String,
        /// The profile.
        profile: String,
    },
    /// An auto-reply rule's unknown match kind (the rule is disabled).
    Match {
        /// As stored.
        value: String,
        /// The rule.
        rule: String,
    },
    /// An auto-reply rule's unknown reply kind (the rule is disabled).
    Reply {
        /// As stored.
        value: String,
        /// The rule.
        rule: String,
    },
    /// A preset's unknown charset (the profile's is used).
    PresetCharset {
        /// As stored.
        value: String,
        /// The preset.
        preset: String,
        /// The profile.
        profile: String,
    },
    /// A preset's unknown line ending.
    PresetLineEnding {
        /// As stored.
        value: String,
        /// The preset.
        preset: String,
    },
}

impl fmt::Display for ProfileNote {
    /// In the window's language (the catalogs' `note-*` messages).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ProfileNote as N;
        let text = match self {
            N::Charset { value, profile, used } => tr(
                "note-charset",
                &[arg("value", value.as_str()), arg("profile", profile.as_str()), arg("used", used.label())],
            ),
            N::Timeout { secs, profile, used } => tr(
                "note-timeout",
                &[arg("secs", f64::from(*secs)), arg("profile", profile.as_str()), arg("used", f64::from(*used))],
            ),
            N::MaxClients { profile, used } => {
                tr("note-max-clients", &[arg("profile", profile.as_str()), arg("used", *used)])
            }
            N::LineEnding { value, owner } => {
                tr("note-line-ending", &[arg("value", value.as_str()), arg("profile", owner.as_str())])
            }
            N::Delivery { value, profile } => {
                tr("note-framing", &[arg("value", value.as_str()), arg("profile", profile.as_str())])
            }
            N::Checksum { value, profile } => {
                tr("note-checksum", &[arg("value", value.as_str()), arg("profile", profile.as_str())])
            }
            N::Match { value, rule } => tr("note-match", &[arg("value", value.as_str()), arg("rule", rule.as_str())]),
            N::Reply { value, rule } => tr("note-reply", &[arg("value", value.as_str()), arg("rule", rule.as_str())]),
            N::PresetCharset { value, preset, profile } => tr(
                "note-preset-charset",
                &[arg("value", value.as_str()), arg("preset", preset.as_str()), arg("profile", profile.as_str())],
            ),
            N::PresetLineEnding { value, preset } => {
                tr("note-preset-line-ending", &[arg("value", value.as_str()), arg("preset", preset.as_str())])
            }
        };
        f.write_str(&text)
    }
}
