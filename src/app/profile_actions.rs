//! What the app does with the profile picker, the banner about the profiles
//! file, and the window layout it remembers.

use eframe::egui;

use super::NetAssistApp;
use crate::model::LinkState;
use crate::profile::ProfileError;
use crate::ui::{self, Banner, BannerIntent, ProfileDialog, ProfileIntent, ProfilePanel};

impl NetAssistApp {
    /// The profile picker, and the action it asked for.
    pub(super) fn profiles_ui(&mut self, ui: &mut egui::Ui) {
        let names = self.profiles.names();
        let current = self.profiles.current().map(str::to_owned);
        let base = current.as_deref().unwrap_or("session");
        let suggested = self.profiles.suggest_name(base);
        let message = self.profiles.message().map(|(m, is_error)| (m.to_string(), is_error));
        let tab = self.tab();
        let panel = ProfilePanel {
            names: &names,
            current: current.as_deref(),
            dirty: self.profiles.is_dirty(&tab.settings),
            suggested_name: &suggested,
            can_switch: tab.session.state == LinkState::Idle,
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
            ProfileIntent::Save => self.profiles.save(&self.tabs[self.active].settings).map(drop),
            ProfileIntent::SaveAs(name) => self.profiles.save_as(&name, &self.tabs[self.active].settings).map(drop),
            ProfileIntent::Rename(name) => self.profiles.rename(&name).map(drop),
            ProfileIntent::Duplicate(name) => self.profiles.duplicate(&name).map(drop),
            ProfileIntent::Delete(name) => self.profiles.delete(&name),
        };
        match result {
            Ok(()) => self.profile_dialog = ProfileDialog::Closed,
            Err(err) => self.profiles.report_error(err),
        }
        self.tabs[self.active].profile = self.profiles.current().map(str::to_owned);
    }

    /// Loads profile `name` into the active tab's settings. While connected,
    /// the link stays as it is; the new settings apply at the next Connect.
    fn open_profile(&mut self, name: &str) -> Result<(), ProfileError> {
        let (settings, _notes) = self.profiles.select(name)?;
        self.tab_mut().use_settings(settings);
        Ok(())
    }

    /// The banner across the top: an unknown `--profile`, or a profiles file that did not load.
    pub(super) fn banner_ui(&mut self, ui: &mut egui::Ui) {
        let banner = Banner {
            start: self.start_problem.as_ref(),
            profiles: self.profiles.problem(),
            can_replace: self.profiles.can_replace_damaged(),
        };
        if banner.is_empty() {
            return;
        }
        let intent = egui::Panel::top("banner").show(ui, |ui| ui::banner_ui(ui, &banner)).inner;
        match intent {
            Some(BannerIntent::DismissStart) => self.start_problem = None,
            Some(BannerIntent::ReplaceDamaged) => self.profiles.replace_damaged(),
            Some(BannerIntent::DismissProfiles) => self.profiles.dismiss_problem(),
            None => {}
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
