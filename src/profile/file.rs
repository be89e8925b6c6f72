//! The whole `profiles.ron`: the profiles, the last one used, the window
//! layout, and the name-keyed operations on the list.

use serde::{Deserialize, Serialize};

use super::data::{PROFILE_VERSION, Profile};
use super::error::{ProfileError, RenamedProfile};
use super::name::{MAX_NAME_CHARS, SHOWN_CHARS, repair_name, shorten, validate_name};
use super::workspace::Workspace;

/// The file format this build writes.
pub const FILE_VERSION: u32 = 1;

/// Window size and panel sizes, in logical points, restored at start.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WindowLayout {
    /// Inner window width.
    pub width: f32,
    /// Inner window height.
    pub height: f32,
    /// Width of the left (connection settings) panel.
    pub left_panel: f32,
    /// Height of the send panel.
    pub send_panel: f32,
}

impl Default for WindowLayout {
    fn default() -> Self {
        // Fits a 1366×768 laptop screen with a taskbar and a title bar.
        Self { width: 1180.0, height: 680.0, left_panel: 270.0, send_panel: 210.0 }
    }
}

impl WindowLayout {
    /// Largest size, in points, taken as plausible by [`WindowLayout::is_sane`].
    pub const MAX_POINTS: f32 = 100_000.0;

    /// Whether every size is finite, positive and at most [`WindowLayout::MAX_POINTS`]
    /// (a hand-edited file may hold anything; ignore the layout when this is false).
    pub fn is_sane(&self) -> bool {
        [self.width, self.height, self.left_panel, self.send_panel]
            .iter()
            .all(|v| v.is_finite() && *v > 0.0 && *v <= Self::MAX_POINTS)
    }
}

/// The window's preferences: language, theme and text size. Absent fields
/// (a file from before they existed) mean "as the system says" and 100 %.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Preferences {
    /// The window's language as a BCP 47 tag ("zh-CN", "en"); `None`: the system's.
    pub language: Option<String>,
    /// "system", "light" or "dark" (anything else: the system's).
    pub theme: String,
    /// Text size as a zoom factor (1.0 = 100 %); 0 or absent: 100 %.
    pub zoom: f32,
}

impl Preferences {
    /// Smallest and largest text zoom offered.
    pub const ZOOM_RANGE: std::ops::RangeInclusive<f32> = 0.7..=2.0;

    /// The zoom to apply: 1.0 when unset or out of range (a hand-edited file).
    pub fn zoom_or_default(&self) -> f32 {
        if Self::ZOOM_RANGE.contains(&self.zoom) { self.zoom } else { 1.0 }
    }
}

/// Everything `profiles.ron` holds.
///
/// Names are unique (case-sensitively); the operations below keep them so and
/// validate new names with [`validate_name`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProfilesFile {
    /// Format version the file was written with.
    pub version: u32,
    /// Name of the profile in use when the app last saved, if any.
    pub last_used: Option<String>,
    /// Window layout at the last save, if known.
    pub window: Option<WindowLayout>,
    /// The profiles, in list order.
    pub profiles: Vec<Profile>,
    /// The tabs open at the last save, if known.
    pub workspace: Option<Workspace>,
    /// Language, theme and text size.
    pub preferences: Preferences,
}

impl Default for ProfilesFile {
    fn default() -> Self {
        Self {
            version: FILE_VERSION,
            last_used: None,
            window: None,
            profiles: Vec::new(),
            workspace: None,
            preferences: Preferences::default(),
        }
    }
}

impl ProfilesFile {
    /// The profile with exactly this name.
    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.name == name)
    }

    /// The names, in list order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.profiles.iter().map(|p| p.name.as_str())
    }

    /// The last used profile, if it is named and still exists.
    pub fn last_used_profile(&self) -> Option<&Profile> {
        self.last_used.as_deref().and_then(|name| self.get(name))
    }

    /// Stores `profile` under its (validated, trimmed) name: replaces the
    /// profile of that name in place, or appends it. Returns the stored name.
    pub fn upsert(&mut self, mut profile: Profile) -> Result<String, ProfileError> {
        profile.name = validate_name(&profile.name)?;
        profile.version = PROFILE_VERSION;
        let name = profile.name.clone();
        match self.position(&name) {
            Some(index) => self.profiles[index] = profile,
            None => self.profiles.push(profile),
        }
        Ok(name)
    }

    /// Renames profile `old` to `new` (validated, trimmed), following it in
    /// `last_used`. Fails if `new` belongs to another profile. Returns the new name.
    pub fn rename(&mut self, old: &str, new: &str) -> Result<String, ProfileError> {
        let new = validate_name(new)?;
        let index = self.position(old).ok_or_else(|| ProfileError::NotFound(old.to_owned()))?;
        if new != old && self.get(&new).is_some() {
            return Err(ProfileError::AlreadyExists(new));
        }
        self.profiles[index].name = new.clone();
        if self.last_used.as_deref() == Some(old) {
            self.last_used = Some(new.clone());
        }
        Ok(new)
    }

    /// Copies profile `name` as `new_name` (validated, trimmed), placed right
    /// after the original. Fails if `new_name` exists. Returns the new name.
    pub fn duplicate(&mut self, name: &str, new_name: &str) -> Result<String, ProfileError> {
        let new_name = validate_name(new_name)?;
        let index = self.position(name).ok_or_else(|| ProfileError::NotFound(name.to_owned()))?;
        if self.get(&new_name).is_some() {
            return Err(ProfileError::AlreadyExists(new_name));
        }
        let copy = Profile { name: new_name.clone(), ..self.profiles[index].clone() };
        self.profiles.insert(index + 1, copy);
        Ok(new_name)
    }

    /// Removes and returns profile `name`; forgets it as last used.
    pub fn remove(&mut self, name: &str) -> Option<Profile> {
        let index = self.position(name)?;
        if self.last_used.as_deref() == Some(name) {
            self.last_used = None;
        }
        Some(self.profiles.remove(index))
    }

    /// `base` if no profile has that name, else `base (2)`, `base (3)`, …
    /// (the base shortened if needed so the result stays within the length limit).
    pub fn unused_name(&self, base: &str) -> String {
        let base = base.trim();
        if self.get(base).is_none() {
            return base.to_owned();
        }
        (2u64..)
            .map(|n| {
                let suffix = format!(" ({n})");
                let keep = MAX_NAME_CHARS.saturating_sub(suffix.chars().count());
                let stem: String = base.chars().take(keep).collect();
                format!("{}{suffix}", stem.trim_end())
            })
            .find(|candidate| self.get(candidate).is_none())
            .unwrap_or_default()
    }

    /// Brings a freshly loaded file to this build's format: versions are set
    /// to the current ones (older files only lack fields, which took their
    /// defaults), names that break the rules of Save as (a hand-edited file)
    /// are repaired and returned, and duplicate names get a ` (n)` suffix.
    pub(super) fn normalize(&mut self) -> Vec<RenamedProfile> {
        self.version = FILE_VERSION;
        let mut renamed = Vec::new();
        let mut seen = ProfilesFile { profiles: Vec::with_capacity(self.profiles.len()), ..ProfilesFile::default() };
        for mut profile in std::mem::take(&mut self.profiles) {
            profile.version = PROFILE_VERSION;
            let original = std::mem::take(&mut profile.name);
            let (mut name, why) = match validate_name(&original) {
                Ok(name) => (name, None),
                Err(why) => (repair_name(&original), Some(why)),
            };
            if seen.get(&name).is_some() {
                name = seen.unused_name(&name);
            }
            if let Some(why) = why {
                if self.last_used.as_deref() == Some(original.as_str()) {
                    self.last_used = Some(name.clone());
                }
                let original_chars = original.chars().count();
                renamed.push(RenamedProfile {
                    original: shorten(&original, SHOWN_CHARS),
                    original_chars,
                    why,
                    name: name.clone(),
                });
            } else if original != name && self.last_used.as_deref() == Some(original.as_str()) {
                // Only trimmed: follow it.
                self.last_used = Some(name.clone());
            }
            profile.name = name;
            seen.profiles.push(profile);
        }
        self.profiles = seen.profiles;
        if self.last_used.as_deref().is_some_and(|n| validate_name(n).is_err()) {
            // A hand-edited name no profile could have: never shown at full length.
            self.last_used = None;
        }
        renamed
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.profiles.iter().position(|p| p.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::NameError;

    fn file_with(names: &[&str]) -> ProfilesFile {
        let mut file = ProfilesFile::default();
        for name in names {
            file.upsert(Profile::named(*name)).unwrap();
        }
        file
    }

    #[test]
    fn upsert_replaces_by_name_and_trims() {
        let mut file = file_with(&["a", "b"]);
        let changed = Profile { remote_port: "9000".into(), ..Profile::named("  a ") };
        assert_eq!(file.upsert(changed).unwrap(), "a");
        assert_eq!(file.names().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(file.get("a").unwrap().remote_port, "9000");
        assert_eq!(file.upsert(Profile::named("a/b")), Err(ProfileError::InvalidName(NameError::PathSeparator('/'))));
    }

    #[test]
    fn names_are_case_sensitive() {
        let mut file = file_with(&["Lab"]);
        file.upsert(Profile::named("lab")).unwrap();
        assert_eq!(file.names().collect::<Vec<_>>(), ["Lab", "lab"]);
    }

    #[test]
    fn rename_follows_last_used_and_refuses_existing() {
        let mut file = file_with(&["a", "b"]);
        file.last_used = Some("a".into());
        assert_eq!(file.rename("a", "b"), Err(ProfileError::AlreadyExists("b".into())));
        assert_eq!(file.rename("zz", "c"), Err(ProfileError::NotFound("zz".into())));
        assert_eq!(file.rename("a", ""), Err(ProfileError::InvalidName(NameError::Empty)));
        assert_eq!(file.rename("a", " c ").unwrap(), "c");
        assert_eq!(file.names().collect::<Vec<_>>(), ["c", "b"]);
        assert_eq!(file.last_used.as_deref(), Some("c"));
        assert_eq!(file.rename("c", "c").unwrap(), "c");
    }

    #[test]
    fn duplicate_inserts_after_original() {
        let mut file = file_with(&["a", "b"]);
        let original = Profile { udp_port: "7".into(), ..Profile::named("a") };
        file.upsert(original).unwrap();
        assert_eq!(file.duplicate("a", "a copy").unwrap(), "a copy");
        assert_eq!(file.names().collect::<Vec<_>>(), ["a", "a copy", "b"]);
        assert_eq!(file.get("a copy").unwrap().udp_port, "7");
        assert_eq!(file.duplicate("a", "b"), Err(ProfileError::AlreadyExists("b".into())));
        assert_eq!(file.duplicate("x", "y"), Err(ProfileError::NotFound("x".into())));
    }

    #[test]
    fn remove_forgets_last_used() {
        let mut file = file_with(&["a", "b"]);
        file.last_used = Some("b".into());
        assert_eq!(file.remove("b").map(|p| p.name), Some("b".into()));
        assert_eq!(file.remove("b"), None);
        assert_eq!(file.last_used, None);
        assert!(file.last_used_profile().is_none());
    }

    #[test]
    fn unused_name_counts_up_within_the_limit() {
        let file = file_with(&["x", "x (2)"]);
        assert_eq!(file.unused_name("x"), "x (3)");
        assert_eq!(file.unused_name("y"), "y");
        let long = "n".repeat(MAX_NAME_CHARS);
        let file = file_with(&[&long]);
        let next = file.unused_name(&long);
        assert_eq!(next.chars().count(), MAX_NAME_CHARS);
        assert!(next.ends_with(" (2)"));
        assert!(validate_name(&next).is_ok());
    }

    #[test]
    fn normalize_renames_duplicates_and_sets_versions() {
        let mut file = ProfilesFile {
            version: 0,
            profiles: vec![Profile { version: 0, ..Profile::named("a") }, Profile::named("a")],
            ..ProfilesFile::default()
        };
        assert!(file.normalize().is_empty());
        assert_eq!(file.version, FILE_VERSION);
        assert_eq!(file.names().collect::<Vec<_>>(), ["a", "a (2)"]);
        assert!(file.profiles.iter().all(|p| p.version == PROFILE_VERSION));
    }

    #[test]
    fn normalize_repairs_names_that_break_the_rules() {
        let huge = "N".repeat(10_000);
        let mut file = ProfilesFile {
            last_used: Some(huge.clone()),
            profiles: vec![Profile::named(&huge), Profile::named("ok"), Profile::named("a/b")],
            ..ProfilesFile::default()
        };
        let renamed = file.normalize();
        assert_eq!(renamed.len(), 2);
        assert_eq!(renamed[0].original_chars, 10_000);
        assert_eq!(renamed[0].original.chars().count(), SHOWN_CHARS);
        assert_eq!(renamed[0].why, NameError::TooLong { chars: 10_000 });
        assert_eq!(renamed[0].name.chars().count(), MAX_NAME_CHARS);
        assert_eq!(renamed[1].name, "a_b");
        assert_eq!(file.last_used.as_deref(), Some(renamed[0].name.as_str()));
        assert!(file.profiles.iter().all(|p| validate_name(&p.name).is_ok()));
    }

    #[test]
    fn window_layout_sanity() {
        assert!(WindowLayout::default().is_sane());
        assert!(!WindowLayout { width: f32::NAN, ..WindowLayout::default() }.is_sane());
        assert!(!WindowLayout { height: -1.0, ..WindowLayout::default() }.is_sane());
        assert!(!WindowLayout { left_panel: f32::INFINITY, ..WindowLayout::default() }.is_sane());
    }
}
