//! Between the app's [`Settings`] and the saved [`Profile`]: the profile
//! module speaks plain types, so the mapping (and what to do with values a
//! hand-edited file got wrong) lives here.

use crate::codec::parse_hex;
use crate::codec::{Charset, ChecksumKind, LineEnding};
use crate::profile::{AutoReplyData, PresetData, Profile};
use crate::view::Framing;

use super::auto_reply::{AutoReplySpec, MatchKind, ReplyKind};
use super::profile_note::ProfileNote;
use super::settings::{PayloadFormat, Preset, Settings};

/// The connect timeout range the UI accepts, in seconds.
const TIMEOUT_RANGE: std::ops::RangeInclusive<f32> = 0.1..=120.0;

/// The profile named `name` holding `settings`.
pub fn to_profile(name: &str, settings: &Settings) -> Profile {
    Profile {
        name: name.to_owned(),
        protocol: settings.protocol,
        remote_host: settings.remote_host.clone(),
        remote_port: settings.remote_port.clone(),
        local_port: settings.local_port.clone(),
        bind_host: settings.bind_host.clone(),
        listen_port: settings.listen_port.clone(),
        max_clients: settings.max_clients,
        udp_port: settings.udp_port.clone(),
        broadcast: settings.broadcast,
        reply_to_last_sender: settings.reply_to_last_sender,
        multicast_group: settings.multicast_group.clone(),
        multicast_interface: settings.multicast_interface.clone(),
        multicast_ttl: settings.multicast_ttl,
        multicast_loop: settings.multicast_loop,
        charset: settings.charset.label().to_owned(),
        view_mode: settings.view_mode,
        wrap_lines: settings.wrap_lines,
        send_mode: settings.send_mode,
        connect_timeout_secs: settings.connect_timeout_secs,
        auto_reconnect: settings.auto_reconnect,
        half_close: settings.half_close,
        keepalive_secs: settings.keepalive_secs,
        framing: framing_name(&settings.framing),
        send_escapes: settings.send_escapes,
        line_ending: line_ending_name(settings.line_ending).to_owned(),
        checksum: checksum_name(settings.checksum),
        presets: settings.presets.iter().map(preset_data).collect(),
        auto_reply: settings.auto_reply,
        auto_replies: settings.auto_replies.iter().map(rule_data).collect(),
        sequence: settings.sequence.clone(),
        log_session: settings.log_session,
        capture: settings.capture,
        ..Profile::default()
    }
}

/// The settings a profile holds, and a note for each value that could not be
/// used as stored (an unknown charset, a timeout out of range, …), which then
/// takes its default.
pub fn from_profile(profile: &Profile) -> (Settings, Vec<ProfileNote>) {
    let defaults = Settings::default();
    let mut notes = Vec::new();
    let charset = Charset::from_name(&profile.charset).unwrap_or_else(|| {
        notes.push(ProfileNote::Charset {
            value: profile.charset.clone(),
            profile: profile.name.clone(),
            used: defaults.charset,
        });
        defaults.charset
    });
    let connect_timeout_secs = if TIMEOUT_RANGE.contains(&profile.connect_timeout_secs) {
        profile.connect_timeout_secs
    } else {
        notes.push(ProfileNote::Timeout {
            secs: profile.connect_timeout_secs,
            profile: profile.name.clone(),
            used: defaults.connect_timeout_secs,
        });
        defaults.connect_timeout_secs
    };
    let max_clients = if profile.max_clients == 0 {
        notes.push(ProfileNote::MaxClients { profile: profile.name.clone(), used: defaults.max_clients });
        defaults.max_clients
    } else {
        profile.max_clients
    };
    let line_ending = line_ending_from(&profile.line_ending).unwrap_or_else(|| {
        notes.push(ProfileNote::LineEnding { value: profile.line_ending.clone(), owner: profile.name.clone() });
        LineEnding::None
    });
    let framing = framing_from(&profile.framing).unwrap_or_else(|| {
        notes.push(ProfileNote::Delivery { value: profile.framing.clone(), profile: profile.name.clone() });
        Framing::AsReceived
    });
    let checksum = checksum_from(&profile.checksum, &profile.name, &mut notes);
    let auto_replies = profile.auto_replies.iter().map(|r| rule_from(r, &profile.name, &mut notes)).collect();
    let presets = profile.presets.iter().map(|p| preset_from(p, charset, &profile.name, &mut notes)).collect();
    let settings = Settings {
        protocol: profile.protocol,
        remote_host: profile.remote_host.clone(),
        remote_port: profile.remote_port.clone(),
        local_port: profile.local_port.clone(),
        bind_host: profile.bind_host.clone(),
        listen_port: profile.listen_port.clone(),
        max_clients,
        udp_port: profile.udp_port.clone(),
        broadcast: profile.broadcast,
        reply_to_last_sender: profile.reply_to_last_sender,
        multicast_group: profile.multicast_group.clone(),
        multicast_interface: profile.multicast_interface.clone(),
        multicast_ttl: profile.multicast_ttl.min(255),
        multicast_loop: profile.multicast_loop,
        charset,
        connect_timeout_secs,
        auto_reconnect: profile.auto_reconnect,
        half_close: profile.half_close,
        keepalive_secs: profile.keepalive_secs,
        view_mode: profile.view_mode,
        wrap_lines: profile.wrap_lines,
        send_mode: profile.send_mode,
        framing,
        send_escapes: profile.send_escapes,
        line_ending,
        checksum,
        presets,
        auto_reply: profile.auto_reply,
        auto_replies,
        sequence: profile.sequence.clone(),
        log_session: profile.log_session,
        capture: profile.capture,
    };
    (settings, notes)
}

/// How a profile writes a display framing.
fn framing_name(framing: &Framing) -> String {
    match framing {
        Framing::AsReceived => "as-received".to_owned(),
        Framing::Delimiter(bytes) => {
            format!("delimiter:{}", bytes.iter().map(|b| format!("{b:02X}")).collect::<String>())
        }
        Framing::IdleGap(gap) => format!("idle:{}", gap.as_millis()),
    }
}

fn framing_from(text: &str) -> Option<Framing> {
    let text = text.trim();
    if text.is_empty() || text == "as-received" {
        return Some(Framing::AsReceived);
    }
    if let Some(hex) = text.strip_prefix("delimiter:") {
        return parse_hex(hex).ok().filter(|b| !b.is_empty() && b.len() <= 16).map(Framing::Delimiter);
    }
    let ms: u64 = text.strip_prefix("idle:")?.trim().parse().ok()?;
    (1..=60_000).contains(&ms).then(|| Framing::IdleGap(std::time::Duration::from_millis(ms)))
}

fn checksum_name(kind: Option<ChecksumKind>) -> String {
    kind.map(|kind| kind.label().to_owned()).unwrap_or_default()
}

fn checksum_from(label: &str, profile: &str, notes: &mut Vec<ProfileNote>) -> Option<ChecksumKind> {
    match label.trim() {
        "" | "none" => None,
        label => ChecksumKind::from_label(label).or_else(|| {
            notes.push(ProfileNote::Checksum { value: label.to_owned(), profile: profile.to_owned() });
            None
        }),
    }
}

fn rule_data(rule: &AutoReplySpec) -> AutoReplyData {
    AutoReplyData {
        enabled: rule.enabled,
        name: rule.name.clone(),
        match_kind: rule.match_kind.name().to_owned(),
        pattern: rule.pattern.clone(),
        reply_kind: rule.reply_kind.label().to_owned(),
        reply: rule.reply.clone(),
        checksum: checksum_name(rule.checksum),
        delay_ms: rule.delay_ms,
    }
}

fn rule_from(data: &AutoReplyData, profile: &str, notes: &mut Vec<ProfileNote>) -> AutoReplySpec {
    let match_kind = MatchKind::from_name(&data.match_kind).unwrap_or_else(|| {
        notes.push(ProfileNote::Match { value: data.match_kind.clone(), rule: data.name.clone() });
        MatchKind::Contains
    });
    let reply_kind = ReplyKind::from_name(&data.reply_kind).unwrap_or_else(|| {
        notes.push(ProfileNote::Reply { value: data.reply_kind.clone(), rule: data.name.clone() });
        ReplyKind::Text
    });
    let known = MatchKind::from_name(&data.match_kind).is_some() && ReplyKind::from_name(&data.reply_kind).is_some();
    AutoReplySpec {
        enabled: data.enabled && known,
        name: data.name.clone(),
        match_kind,
        pattern: data.pattern.clone(),
        reply_kind,
        reply: data.reply.clone(),
        checksum: checksum_from(&data.checksum, profile, notes),
        delay_ms: data.delay_ms.min(600_000),
    }
}

fn preset_data(preset: &Preset) -> PresetData {
    let format = &preset.format;
    PresetData {
        name: preset.name.clone(),
        text: preset.text.clone(),
        mode: format.mode,
        escapes: format.escapes,
        charset: format.charset.label().to_owned(),
        line_ending: line_ending_name(format.line_ending).to_owned(),
        checksum: checksum_name(format.checksum),
    }
}

fn preset_from(data: &PresetData, profile_charset: Charset, profile: &str, notes: &mut Vec<ProfileNote>) -> Preset {
    let charset = match data.charset.trim() {
        "" => profile_charset,
        name => Charset::from_name(name).unwrap_or_else(|| {
            notes.push(ProfileNote::PresetCharset {
                value: name.to_owned(),
                preset: data.name.clone(),
                profile: profile.to_owned(),
            });
            profile_charset
        }),
    };
    let line_ending = line_ending_from(&data.line_ending).unwrap_or_else(|| {
        notes.push(ProfileNote::PresetLineEnding { value: data.line_ending.clone(), preset: data.name.clone() });
        LineEnding::None
    });
    Preset {
        name: data.name.clone(),
        text: data.text.clone(),
        format: PayloadFormat {
            mode: data.mode,
            escapes: data.escapes,
            charset,
            line_ending,
            checksum: checksum_from(&data.checksum, profile, notes),
        },
    }
}

/// How a profile names a line ending.
fn line_ending_name(ending: LineEnding) -> &'static str {
    match ending {
        LineEnding::None => "none",
        LineEnding::CrLf => "crlf",
        LineEnding::Lf => "lf",
        LineEnding::Cr => "cr",
    }
}

fn line_ending_from(name: &str) -> Option<LineEnding> {
    LineEnding::ALL.into_iter().find(|e| line_ending_name(*e).eq_ignore_ascii_case(name.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{Protocol, SendMode};
    use crate::view::ViewMode;

    #[test]
    fn settings_survive_the_round_trip() {
        let settings = Settings {
            protocol: Protocol::Udp,
            remote_host: "::1".to_owned(),
            udp_port: "9000".to_owned(),
            charset: Charset::Big5,
            view_mode: ViewMode::TextHex,
            send_mode: SendMode::Hex,
            broadcast: true,
            connect_timeout_secs: 2.5,
            auto_reconnect: true,
            half_close: true,
            framing: Framing::Delimiter(vec![0x0D, 0x0A]),
            send_escapes: true,
            line_ending: LineEnding::CrLf,
            checksum: Some(ChecksumKind::Crc16Modbus),
            presets: vec![Preset {
                name: "read regs".to_owned(),
                text: "01 03 00 00 00 0A".to_owned(),
                format: PayloadFormat {
                    mode: SendMode::Hex,
                    escapes: false,
                    charset: Charset::Utf8,
                    line_ending: LineEnding::None,
                    checksum: Some(ChecksumKind::Crc16Modbus),
                },
            }],
            auto_reply: true,
            auto_replies: vec![AutoReplySpec {
                name: "ping".to_owned(),
                pattern: "PING".to_owned(),
                reply: "PONG\\r\\n".to_owned(),
                delay_ms: 20,
                ..AutoReplySpec::default()
            }],
            log_session: true,
            capture: true,
            ..Settings::default()
        };
        let (back, notes) = from_profile(&to_profile("x", &settings));
        assert_eq!(back, settings);
        assert!(notes.is_empty());
    }

    #[test]
    fn defaults_agree() {
        // A profile file missing every field loads as the app's defaults.
        let (settings, notes) = from_profile(&Profile::named("empty"));
        assert_eq!(settings, Settings::default());
        assert!(notes.is_empty());
    }

    use proptest::prelude::*;

    /// Text a hand edit might leave in a field: anything, or nearly a valid value.
    fn field() -> impl Strategy<Value = String> {
        prop_oneof![
            "\\PC{0,24}",
            "delimiter:[0-9A-Fa-fx ,]{0,40}",
            "idle:[0-9 +-]{0,8}",
            prop::sample::select(vec!["GBK", "utf8", "crlf", "LF", "CRC-16/MODBUS", "none", "as-received", ""])
                .prop_map(str::to_owned),
        ]
    }

    proptest! {
        #[test]
        fn stored_values_never_panic_and_load_within_range(
            fields in proptest::collection::vec(field(), 12),
            numbers in (any::<f32>(), any::<u32>(), any::<u32>()),
            presets in proptest::collection::vec((field(), field(), field(), field(), any::<bool>()), 0..4),
        ) {
            let (timeout, max_clients, ttl) = numbers;
            let f = |i: usize| fields[i].clone();
            let profile = Profile {
                name: f(0),
                remote_host: f(1),
                remote_port: f(2),
                local_port: f(3),
                bind_host: f(4),
                listen_port: f(5),
                charset: f(6),
                framing: f(7),
                line_ending: f(8),
                checksum: f(9),
                multicast_group: f(10),
                multicast_interface: f(11),
                connect_timeout_secs: timeout,
                max_clients,
                multicast_ttl: ttl,
                presets: presets
                    .into_iter()
                    .map(|(name, text, charset, checksum, escapes)| PresetData {
                        name,
                        text,
                        escapes,
                        charset,
                        checksum,
                        ..PresetData::default()
                    })
                    .collect(),
                ..Profile::named("x")
            };
            let (settings, _notes) = from_profile(&profile);
            prop_assert!(TIMEOUT_RANGE.contains(&settings.connect_timeout_secs));
            prop_assert!(settings.max_clients >= 1 && settings.multicast_ttl <= 255);
            if let Framing::Delimiter(bytes) = &settings.framing {
                prop_assert!(!bytes.is_empty() && bytes.len() <= 16);
            }
            // What loads, saves and loads again the same, with nothing left to note.
            let (again, notes) = from_profile(&to_profile(&profile.name, &settings));
            prop_assert_eq!(again, settings);
            prop_assert!(notes.is_empty(), "{:?}", notes);
        }
    }

    #[test]
    fn bad_values_fall_back_with_a_note() {
        let profile = Profile {
            charset: "KLINGON".to_owned(),
            connect_timeout_secs: f32::NAN,
            max_clients: 0,
            ..Profile::named("odd")
        };
        let (settings, notes) = from_profile(&profile);
        assert_eq!(settings.charset, Charset::Gbk);
        assert_eq!(settings.connect_timeout_secs, 5.0);
        assert_eq!(settings.max_clients, 1024);
        assert_eq!(notes.len(), 3, "{notes:?}");
        assert!(notes[0].to_string().contains("KLINGON"));
    }
}
