//! The app's side of saved profiles: the list in memory, which one is in
//! use, and every change written through the background [`Saver`].

use std::path::{Path, PathBuf};

use crate::profile::{ProfileError, ProfileStore, ProfilesFile, Saver, WindowLayout};

use crate::model::{Message, ProfileNote, Settings, from_profile, to_profile};

/// The profiles, the one in use, and what went wrong with them lately.
pub struct ProfileBook {
    saver: Option<Saver>,
    file: ProfilesFile,
    current: Option<String>,
    /// The settings of the profile in use as saved (the dirty marker compares with them).
    saved: Option<Settings>,
    /// Why `profiles.ron` was not loaded (or cannot be saved); shown in a banner until dismissed.
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
    pub fn open(dir: Option<&Path>, why_not: Option<String>) -> Self {
        let mut book = Self {
            saver: None,
            file: ProfilesFile::default(),
            current: None,
            saved: None,
            problem: why_not.map(Message::ProfilesUnsaveable),
            protected: false,
            message: None,
            seen_writes: 0,
        };
        let Some(dir) = dir else { return book };
        let outcome = ProfileStore::open(dir);
        book.file = outcome.file;
        if let Some(problem) = outcome.problem {
            book.protected = true;
            book.problem = Some(Message::ProfilesNotLoaded(problem));
        }
        match Saver::new(outcome.store) {
            Ok(saver) => book.saver = Some(saver),
            Err(err) => book.problem = Some(Message::ProfilesUnsaveable(err.to_string())),
        }
        book
    }

    /// The platform's profile directory, or why there is none.
    pub fn platform_dir() -> Result<PathBuf, String> {
        ProfileStore::config_dir().map_err(|e| e.to_string())
    }

    /// The profile names, in list order.
    pub fn names(&self) -> Vec<String> {
        self.file.names().map(str::to_owned).collect()
    }

    /// The profile in use, if any.
    pub fn current(&self) -> Option<&str> {
        self.current.as_deref()
    }

    /// The profile used last time, if it still exists.
    pub fn last_used(&self) -> Option<String> {
        self.file.last_used_profile().map(|p| p.name.clone())
    }

    /// Whether `settings` differ from the saved profile in use (always false with no profile in use).
    pub fn is_dirty(&self, settings: &Settings) -> bool {
        // Asked every frame: compares with the settings kept at load/save, no conversion.
        self.saved.as_ref().is_some_and(|saved| saved != settings)
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
            self.message = Some((Message::ProfilesNotSaved(err), true));
        }
    }

    /// Makes profile `name` the one in use; returns its settings and notes
    /// about values that could not be used as stored.
    pub fn select(&mut self, name: &str) -> Result<(Settings, Vec<ProfileNote>), ProfileError> {
        let profile = self.file.get(name).ok_or_else(|| ProfileError::NotFound(name.to_owned()))?;
        let (settings, notes) = from_profile(profile);
        self.current = Some(profile.name.clone());
        self.saved = Some(settings.clone());
        self.file.last_used = self.current.clone();
        self.message = (!notes.is_empty()).then(|| (Message::ProfileNotes(notes.clone()), true));
        self.persist();
        Ok((settings, notes))
    }

    /// Stops using a profile (the settings stay as they are).
    pub fn deselect(&mut self) {
        self.current = None;
        self.saved = None;
        self.file.last_used = None;
        self.persist();
    }

    /// Saves `settings` into the profile in use. Without one, nothing
    /// happens and the caller should ask for a name (Save as).
    pub fn save(&mut self, settings: &Settings) -> Result<String, ProfileError> {
        let name = self.current.clone().ok_or_else(|| ProfileError::NotFound(String::new()))?;
        self.store_as(&name, settings, true)
    }

    /// Saves `settings` as a new profile `name` and uses it. Refuses a name in use.
    pub fn save_as(&mut self, name: &str, settings: &Settings) -> Result<String, ProfileError> {
        self.store_as(name, settings, false)
    }

    fn store_as(&mut self, name: &str, settings: &Settings, replace: bool) -> Result<String, ProfileError> {
        let trimmed = name.trim();
        if !replace && self.file.get(trimmed).is_some() {
            return Err(ProfileError::AlreadyExists(trimmed.to_owned()));
        }
        let stored = self.file.upsert(to_profile(name, settings))?;
        self.current = Some(stored.clone());
        self.saved = Some(settings.clone());
        self.file.last_used = Some(stored.clone());
        self.message = Some((Message::ProfileSaved(stored.clone()), false));
        self.persist();
        Ok(stored)
    }

    /// Renames the profile in use.
    pub fn rename(&mut self, new: &str) -> Result<String, ProfileError> {
        let old = self.current.clone().ok_or_else(|| ProfileError::NotFound(String::new()))?;
        let new = self.file.rename(&old, new)?;
        self.current = Some(new.clone());
        self.file.last_used = Some(new.clone());
        self.message = Some((Message::ProfileRenamed { old: old.clone(), new: new.clone() }, false));
        self.persist();
        Ok(new)
    }

    /// Copies the profile in use as `new` (as saved, not the unsaved edits) and switches to the copy.
    pub fn duplicate(&mut self, new: &str) -> Result<String, ProfileError> {
        let old = self.current.clone().ok_or_else(|| ProfileError::NotFound(String::new()))?;
        let new = self.file.duplicate(&old, new)?;
        self.current = Some(new.clone());
        self.file.last_used = Some(new.clone());
        self.message = Some((Message::ProfileCopied { old: old.clone(), new: new.clone() }, false));
        self.persist();
        Ok(new)
    }

    /// Deletes profile `name` (the settings on screen stay).
    pub fn delete(&mut self, name: &str) -> Result<(), ProfileError> {
        self.file.remove(name).ok_or_else(|| ProfileError::NotFound(name.to_owned()))?;
        if self.current.as_deref() == Some(name) {
            self.current = None;
            self.saved = None;
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
