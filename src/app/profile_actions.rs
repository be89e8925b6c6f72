//! What the app does with the profile picker, the banner about the profiles
//! file, and the window layout it remembers. The picker acts on the tab in
//! view: each tab uses a profile of its own (or none).

use eframe::egui;

use super::NetAssistApp;
use super::profiles::{ProfileBook, ProfileUse};
use crate::model::LinkState;
use crate::profile::ProfileError;
use crate::ui::{self, Banner, BannerIntent, ProfileDialog, ProfileIntent, ProfilePanel};

impl NetAssistApp {
    /// The profile picker, and the action it asked for.
    pub(super) fn profiles_ui(&mut self, ui: &mut egui::Ui) {
        let names = self.profiles.names();
        let tab = &mut self.tabs[self.active];
        let current = tab.profile_name().map(str::to_owned);
        let base = current.as_deref().unwrap_or("session");
        let suggested = self.profiles.suggest_name(base);
        let message = self.profiles.message().map(|(m, is_error)| (m.to_string(), is_error));
        let panel = ProfilePanel {
            names: &names,
            current: current.as_deref(),
            dirty: ProfileBook::is_dirty(tab.profile.as_ref(), &tab.settings),
            suggested_name: &suggested,
            can_switch: tab.session.state == LinkState::Idle,
            message: message.as_ref().map(|(text, is_error)| (text.as_str(), *is_error)),
        };
        if let Some(intent) = ui::profiles_ui(ui, &panel, &mut tab.profile_dialog) {
            self.apply_profile_intent(intent);
        }
    }

    /// Carries out a profile action for the tab in view; a refused one leaves
    /// its dialog open with the reason.
    pub fn apply_profile_intent(&mut self, intent: ProfileIntent) {
        let settings = self.tabs[self.active].settings.clone();
        let using = self.tabs[self.active].profile.clone();
        let in_use = || using.clone().ok_or_else(|| ProfileError::NotFound(String::new()));
        let result: Result<Option<ProfileUse>, ProfileError> = match intent {
            ProfileIntent::Select(name) => self.open_profile(&name).map(Some),
            ProfileIntent::Deselect => {
                self.profiles.deselect();
                Ok(None)
            }
            ProfileIntent::Save => match in_use() {
                Ok(using) if self.profiles.changed_since(&using) => {
                    self.tabs[self.active].profile_dialog = ProfileDialog::ConfirmOverwrite(using.name);
                    return;
                }
                Ok(using) => self.profiles.save(&using, &settings).map(Some),
                Err(error) => Err(error),
            },
            ProfileIntent::Overwrite => in_use().and_then(|using| self.profiles.save(&using, &settings)).map(Some),
            ProfileIntent::SaveAs(name) => self.profiles.save_as(&name, &settings).map(Some),
            ProfileIntent::Rename(new) => in_use().and_then(|using| {
                let stored = self.profiles.rename(&using.name, &new)?;
                // Every tab using it follows the new name.
                for other in &mut self.tabs {
                    if let Some(other) = other.profile.as_mut().filter(|p| p.name == using.name) {
                        other.name.clone_from(&stored);
                    }
                }
                Ok(Some(ProfileUse { name: stored, saved: using.saved }))
            }),
            ProfileIntent::Duplicate(new) => {
                in_use().and_then(|using| self.profiles.duplicate(&using.name, &new)).map(Some)
            }
            ProfileIntent::Delete(name) => self.profiles.delete(&name).map(|()| {
                for other in &mut self.tabs {
                    if other.profile_name() == Some(name.as_str()) {
                        other.profile = None;
                    }
                }
                None
            }),
        };
        let tab = &mut self.tabs[self.active];
        match result {
            Ok(using) => {
                tab.profile = using;
                tab.profile_dialog = ProfileDialog::Closed;
                self.remember_workspace();
            }
            Err(err) => self.profiles.report_error(err),
        }
    }

    /// Loads profile `name` into the tab in view. While connected, the link
    /// stays as it is; the new settings apply at the next Connect.
    fn open_profile(&mut self, name: &str) -> Result<ProfileUse, ProfileError> {
        let (settings, using) = self.profiles.select(name)?;
        self.tab_mut().use_settings(settings);
        Ok(using)
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
