//! A value of a saved profile that could not be used as stored, and what was used instead.

use std::fmt;

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
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ProfileNote as N;
        match self {
            N::Charset { value, profile, used } => {
                write!(f, "unknown charset \"{value}\" in profile \"{profile}\"; using {}", used.label())
            }
            N::Timeout { secs, profile, used } => {
                write!(f, "timeout {secs} s in profile \"{profile}\" is outside 0.1–120 s; using {used} s")
            }
            N::MaxClients { profile, used } => write!(f, "max clients 0 in profile \"{profile}\"; using {used}"),
            N::LineEnding { value, owner } => {
                write!(f, "unknown line ending \"{value}\" in profile \"{owner}\"; using none")
            }
            N::Delivery { value, profile } => {
                write!(f, "unknown record framing \"{value}\" in profile \"{profile}\"; showing data as received")
            }
            N::Checksum { value, profile } => {
                write!(f, "unknown checksum \"{value}\" in profile \"{profile}\"; using none")
            }
            N::Match { value, rule } => write!(f, "unknown match \"{value}\" in rule \"{rule}\"; disabled"),
            N::Reply { value, rule } => write!(f, "unknown reply \"{value}\" in rule \"{rule}\"; disabled"),
            N::PresetCharset { value, preset, profile } => {
                write!(f, "unknown charset \"{value}\" in preset \"{preset}\" of \"{profile}\"")
            }
            N::PresetLineEnding { value, preset } => {
                write!(f, "unknown line ending \"{value}\" in preset \"{preset}\"")
            }
        }
    }
}
