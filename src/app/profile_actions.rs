//! What the app does with the profile picker, the banner about the profiles
//! file, and the window layout it remembers.

use eframe::egui::{self, RichText};

use super::NetAssistApp;
use crate::profile::ProfileError;
use crate::ui::{self, ProfileDialog, ProfileIntent, ProfilePanel};

impl NetAssistApp {
    /// The profile picker, and the action it asked for.
    pub(super) fn profiles_ui(&mut self, ui: &mut egui::Ui) {
        let names = self.profiles.names();
        let current = self.profiles.current().map(str::to_owned);
        let base = current.as_deref().unwrap_or("session");
        let suggested = self.profiles.suggest_name(base);
        let message = self.profiles.message().map(|m| (m.text.clone(), m.is_error));
        let panel = ProfilePanel {
            names: &names,
            current: current.as_deref(),
            dirty: self.profiles.is_dirty(&self.settings),
            suggested_name: &suggested,
            can_switch: self.session.state == super::LinkState::Idle,
            message: message.as_ref().map(|(text, is_error)| (text.as_str(), *is_error)),
        };
        if let Some(intent) = ui::profiles_ui(ui, &panel, &mut self.profile_dialog) {
            self.apply_profile_intent(intent);
        }
    }

    /// Carries out a profile action; a refused one leaves its dialog open with the reason.
    pub fn apply_profile_intent(&mut self, intent: ProfileIntent) {
        let result = match intent {
            ProfileIntent::Select(name) => self.open_profile(&name),
            ProfileIntent::Deselect => {
                self.profiles.deselect();
                Ok(())
            }
            ProfileIntent::Save => self.profiles.save(&self.settings).map(drop),
            ProfileIntent::SaveAs(name) => self.profiles.save_as(&name, &self.settings).map(drop),
            ProfileIntent::Rename(name) => self.profiles.rename(&name).map(drop),
            ProfileIntent::Duplicate(name) => self.profiles.duplicate(&name).map(drop),
            ProfileIntent::Delete(name) => self.profiles.delete(&name),
        };
        match result {
            Ok(()) => self.profile_dialog = ProfileDialog::Closed,
            Err(err) => self.profiles.report_error(describe(&err)),
        }
    }

    /// Loads profile `name` into the settings. While connected, the link stays
    /// as it is; the new settings apply at the next Connect.
    fn open_profile(&mut self, name: &str) -> Result<(), ProfileError> {
        let (settings, _notes) = self.profiles.select(name)?;
        let charset_changed = settings.charset != self.settings.charset;
        self.settings = settings;
        if charset_changed {
            self.session.view.set_charset(self.settings.charset);
        }
        self.session.view.set_mode(self.settings.view_mode);
        self.form_error = None;
        Ok(())
    }

    /// The banner across the top: an unknown `--profile`, or a profiles file that did not load.
    pub(super) fn banner_ui(&mut self, ui: &mut egui::Ui) {
        let warn = ui.visuals().warn_fg_color;
        if let Some(error) = self.start_error.clone() {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(error).color(warn));
                if ui.button("Dismiss").clicked() {
                    self.start_error = None;
                }
            });
        }
        if let Some(problem) = self.profiles.problem().map(str::to_owned) {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(problem).color(warn));
                if self.profiles.can_replace_damaged() && ui.button("Start a new file").clicked() {
                    self.profiles.replace_damaged();
                }
                if ui.button("Dismiss").clicked() {
                    self.profiles.dismiss_problem();
                }
            });
        }
    }

    /// Remembers the sizes just laid out, for the next start.
    pub(super) fn note_layout(&mut self, window: Option<egui::Vec2>, left_panel: f32, send_panel: f32) {
        if let Some(size) = window {
            self.layout.width = size.x;
            self.layout.height = size.y;
        }
        self.layout.left_panel = left_panel;
        self.layout.send_panel = send_panel;
        self.profiles.set_layout(self.layout);
    }
}

/// A refused profile action, in the picker's words.
fn describe(err: &ProfileError) -> String {
    match err {
        ProfileError::NotFound(name) if name.is_empty() => "Choose or save a profile first.".to_owned(),
        other => {
            let mut text = other.to_string();
            if let Some(first) = text.get(..1) {
                text = first.to_uppercase() + &text[1..];
            }
            text + "."
        }
    }
}
