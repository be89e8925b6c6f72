//! The app's side of saved profiles: the list in memory, every change
//! written through the background [`Saver`], and what went wrong lately.
//! Which profile a tab uses is the tab's own ([`ProfileUse`]): two tabs may
//! use the same profile, and one tab's switch does not touch another.

use std::path::{Path, PathBuf};

use crate::profile::{Profile, ProfileError, ProfileStore, ProfilesFile, Saver, StoreError, WindowLayout, Workspace};

use crate::model::{Message, Settings, from_profile, to_profile};

/// A tab's use of a saved profile: its name, and its settings as the tab
/// last loaded or saved them (the unsaved-changes marker compares with them,
/// and a save notices when another tab saved the profile since).
#[derive(Clone, Debug, PartialEq)]
pub struct ProfileUse {
    /// The profile's name.
    pub name: String,
    /// Its settings as this tab last loaded or saved them.
    pub saved: Settings,
}

/// The saved profiles, and what went wrong with them lately.
pub struct ProfileBook {
    saver: Option<Saver>,
    file: ProfilesFile,
    /// Why `profiles.ron` was not loaded (or cannot be saved, or had names repaired); shown in a banner until dismissed.
    problem: Option<Message>,
    /// Whether the banner offers to replace a file that could not be loaded.
    protected: bool,
    /// The outcome of the last action (or a saving error) for the profile panel, and whether it is an error.
    message: Option<(Message, bool)>,
    /// The save result already reported (so each failure is shown once).
    seen_writes: u64,
}

impl ProfileBook {
    /// Opens the profiles in `dir`; `None` keeps profiles in memory only
    /// (tests, or no config directory), with `why_not` explaining it if set.
    pub fn open(dir: Option<&Path>, why_not: Option<StoreError>) -> Self {
        let mut book = Self {
            saver: None,
            file: ProfilesFile::default(),
            problem: why_not.map(|why| Message::ProfilesUnsaveable(Box::new(why))),
            protected: false,
            message: None,
            seen_writes: 0,
        };
        let Some(dir) = dir else { return book };
        let outcome = ProfileStore::open(dir);
        book.file = outcome.file;
        if let Some(problem) = outcome.problem {
            book.protected = true;
            book.problem = Some(Message::ProfilesNotLoaded(Box::new(problem)));
        }
        if let Some(fixed) = outcome.names_fixed {
            // In the banner (a panel message would go at the first profile action), unless
            // a bigger problem holds it: that one's kept copy already has the same bytes.
            if book.problem.is_none() {
                book.problem = Some(Message::ProfileNamesFixed(Box::new(fixed)));
            }
        }
        match Saver::new(outcome.store) {
            Ok(saver) => book.saver = Some(saver),
            Err(err) => book.problem = Some(Message::ProfilesUnsaveable(Box::new(err))),
        }
        book
    }

    /// The platform's profile directory, or why there is none.
    pub fn platform_dir() -> Result<PathBuf, StoreError> {
        ProfileStore::config_dir()
    }

    /// The profile names, in list order.
    pub fn names(&self) -> Vec<String> {
        self.file.names().map(str::to_owned).collect()
    }

    /// The saved profile `name`, as stored.
    pub fn stored(&self, name: &str) -> Option<&Profile> {
        self.file.get(name)
    }

    /// The profile used last time, if it still exists.
    pub fn last_used(&self) -> Option<String> {
        self.file.last_used_profile().map(|p| p.name.clone())
    }

    /// Whether `settings` differ from what `using` saved (always false with no profile in use).
    pub fn is_dirty(using: Option<&ProfileUse>, settings: &Settings) -> bool {
        // Asked every frame: compares with the settings kept at load/save, no conversion.
        using.is_some_and(|u| u.saved != *settings)
    }

    /// Whether profile `using.name` was saved (by another tab) since `using` loaded or saved it.
    pub fn changed_since(&self, using: &ProfileUse) -> bool {
        self.file.get(&using.name).is_some_and(|stored| from_profile(stored).0 != using.saved)
    }

    /// The banner text about the profiles file, if it could not be loaded or saved to.
    pub fn problem(&self) -> Option<&Message> {
        self.problem.as_ref()
    }

    /// Whether the banner can offer to start a new profiles file over the damaged one.
    pub fn can_replace_damaged(&self) -> bool {
        self.protected
    }

    /// Hides the banner (the file stays protected).
    pub fn dismiss_problem(&mut self) {
        self.problem = None;
    }

    /// Lets saves replace the file that could not be loaded (a damaged file
    /// was already copied aside), and saves the current list.
    pub fn replace_damaged(&mut self) {
        if let Some(saver) = &self.saver {
            saver.store().accept_overwrite();
        }
        self.protected = false;
        self.problem = None;
        self.message = Some((Message::NewProfilesFile, false));
        self.persist();
    }

    /// The message for the profile panel.
    pub fn message(&self) -> Option<(&Message, bool)> {
        self.message.as_ref().map(|(m, is_error)| (m, *is_error))
    }

    /// Shows a refused action as an error under the picker.
    pub fn report_error(&mut self, error: ProfileError) {
        self.message = Some((Message::ProfileRefused(error), true));
    }

    /// The window layout saved last time, if sane.
    pub fn layout(&self) -> Option<WindowLayout> {
        self.file.window.filter(WindowLayout::is_sane)
    }

    /// The open tabs saved last time, if any.
    pub fn workspace(&self) -> Option<&Workspace> {
        self.file.workspace.as_ref().filter(|w| !w.tabs.is_empty())
    }

    /// Remembers the open tabs, and saves them if they changed.
    pub fn set_workspace(&mut self, workspace: Workspace) {
        if self.file.workspace.as_ref() != Some(&workspace) {
            self.file.workspace = Some(workspace);
            self.persist();
        }
    }

    /// The window's preferences (language, theme, text size).
    pub fn preferences(&self) -> &crate::profile::Preferences {
        &self.file.preferences
    }

    /// Changes the preferences, and saves them if they changed.
    pub fn set_preferences(&mut self, preferences: crate::profile::Preferences) {
        if self.file.preferences != preferences {
            self.file.preferences = preferences;
            self.persist();
        }
    }

    /// Clears the panel's message.
    pub fn clear_message(&mut self) {
        self.message = None;
    }

    /// Picks up the result of a finished background save: a failure becomes
    /// the panel's message (once).
    pub fn poll(&mut self) {
        let Some(saver) = &self.saver else { return };
        let writes = saver.writes();
        if writes == self.seen_writes {
            return;
        }
        self.seen_writes = writes;
        if let Some(Err(err)) = saver.last_result() {
            // Refused because the file on disk is a newer netassist's: say that, not "could not be loaded".
            let newer = match (&self.problem, &err) {
                (Some(Message::ProfilesNotLoaded(problem)), crate::profile::StoreError::OverwriteRefused { .. }) => {
                    match **problem {
                        crate::profile::LoadProblem::Newer { version, .. } => Some(version),
                        _ => None,
                    }
                }
                _ => None,
            };
            let message = match newer {
                Some(version) => Message::ProfilesNewerKept { version },
                None => Message::ProfilesNotSaved(Box::new(err)),
            };
            self.message = Some((message, true));
        }
    }

    /// Loads profile `name`: its settings (and notes about values that could
    /// not be used as stored), and the tab's use of it.
    pub fn select(&mut self, name: &str) -> Result<(Settings, ProfileUse), ProfileError> {
        let profile = self.file.get(name).ok_or_else(|| ProfileError::NotFound(name.to_owned()))?;
        let (settings, notes) = from_profile(profile);
        let using = ProfileUse { name: profile.name.clone(), saved: settings.clone() };
        self.file.last_used = Some(using.name.clone());
        self.message = (!notes.is_empty()).then_some((Message::ProfileNotes(notes), true));
        self.persist();
        Ok((settings, using))
    }

    /// A tab stopped using a profile (its settings stay as they are).
    pub fn deselect(&mut self) {
        self.file.last_used = None;
        self.persist();
    }

    /// Saves `settings` into the profile `using` names.
    pub fn save(&mut self, using: &ProfileUse, settings: &Settings) -> Result<ProfileUse, ProfileError> {
        self.store_as(&using.name, settings, true)
    }

    /// Saves `settings` as a new profile `name`. Refuses a name in use.
    pub fn save_as(&mut self, name: &str, settings: &Settings) -> Result<ProfileUse, ProfileError> {
        self.store_as(name, settings, false)
    }

    fn store_as(&mut self, name: &str, settings: &Settings, replace: bool) -> Result<ProfileUse, ProfileError> {
        let trimmed = name.trim();
        if !replace && self.file.get(trimmed).is_some() {
            return Err(ProfileError::AlreadyExists(trimmed.to_owned()));
        }
        let stored = self.file.upsert(to_profile(name, settings))?;
        self.file.last_used = Some(stored.clone());
        self.message = Some((Message::ProfileSaved(stored.clone()), false));
        self.persist();
        Ok(ProfileUse { name: stored, saved: settings.clone() })
    }

    /// Renames profile `old`; returns the name stored.
    pub fn rename(&mut self, old: &str, new: &str) -> Result<String, ProfileError> {
        let new = self.file.rename(old, new)?;
        self.file.last_used = Some(new.clone());
        self.message = Some((Message::ProfileRenamed { old: old.to_owned(), new: new.clone() }, false));
        self.persist();
        Ok(new)
    }

    /// Copies profile `old` as `new` (as saved, not unsaved edits); returns the copy's use.
    pub fn duplicate(&mut self, old: &str, new: &str) -> Result<ProfileUse, ProfileError> {
        let new = self.file.duplicate(old, new)?;
        self.file.last_used = Some(new.clone());
        self.message = Some((Message::ProfileCopied { old: old.to_owned(), new: new.clone() }, false));
        self.persist();
        let saved = self.file.get(&new).map(|p| from_profile(p).0).unwrap_or_default();
        Ok(ProfileUse { name: new, saved })
    }

    /// Deletes profile `name` (the settings on screen stay).
    pub fn delete(&mut self, name: &str) -> Result<(), ProfileError> {
        self.file.remove(name).ok_or_else(|| ProfileError::NotFound(name.to_owned()))?;
        if self.file.last_used.as_deref() == Some(name) {
            self.file.last_used = None;
        }
        self.message = Some((Message::ProfileDeleted(name.to_owned()), false));
        self.persist();
        Ok(())
    }

    /// A name not in use, for the Save as / Duplicate dialogs.
    pub fn suggest_name(&self, base: &str) -> String {
        self.file.unused_name(base)
    }

    /// Remembers the window layout; written with the next save (or [`ProfileBook::flush`]).
    pub fn set_layout(&mut self, layout: WindowLayout) {
        if layout.is_sane() {
            self.file.window = Some(layout);
        }
    }

    /// Writes the list and waits for it (for exit; never call it in a frame).
    pub fn flush(&mut self) {
        self.persist();
        if let Some(saver) = &self.saver {
            saver.flush();
        }
    }

    /// Waits for pending saves without asking for a new one (tests).
    pub fn wait_saved(&self) {
        if let Some(saver) = &self.saver {
            saver.flush();
        }
    }

    fn persist(&self) {
        if let Some(saver) = &self.saver {
            saver.save(self.file.clone());
        }
    }
}
