//! The profile picker at the top of the left column: choose a saved
//! profile, Save / Save as / Rename / Duplicate / Delete, and see whether the
//! settings on screen differ from the saved ones.

use eframe::egui::{self, Color32, RichText};

use super::connection::FIELD_WIDTH;
use crate::i18n::{arg, t, tr};

/// Label of the profile selector (also its accessible name).
pub fn profile_label() -> String {
    t("profiles-label")
}
/// Text shown in the selector when no profile is in use.
pub fn no_profile() -> String {
    t("profiles-none")
}
/// Accessible name of the name field of the Save as / Rename / Duplicate dialogs.
pub fn name_field() -> String {
    t("profiles-name")
}

/// What the user asked of the profiles this frame.
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub enum ProfileIntent {
    /// Load this profile.
    Select(String),
    /// Stop using a profile, keep the settings.
    Deselect,
    /// Save the settings into the profile in use.
    Save,
    /// Save them even though another tab saved the profile since this tab opened it (confirmed).
    Overwrite,
    /// Save the settings as a new profile.
    SaveAs(String),
    /// Rename the profile in use.
    Rename(String),
    /// Copy the profile in use under a new name.
    Duplicate(String),
    /// Delete this profile (already confirmed).
    Delete(String),
}

/// Which name the dialog asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameAction {
    /// A new profile from the current settings.
    SaveAs,
    /// A new name for the profile in use.
    Rename,
    /// The copy's name.
    Duplicate,
}

/// A dialog open under the picker.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ProfileDialog {
    /// None open.
    #[default]
    Closed,
    /// Asking for a name.
    Name {
        /// What the name is for.
        action: NameAction,
        /// The name as typed.
        text: String,
    },
    /// Asking to confirm deleting this profile.
    ConfirmDelete(String),
    /// Asking to confirm saving over changes another tab saved to this profile.
    ConfirmOverwrite(String),
}

/// What the picker shows.
pub struct ProfilePanel<'a> {
    /// Saved profile names, in order.
    pub names: &'a [String],
    /// The profile in use.
    pub current: Option<&'a str>,
    /// Whether the settings differ from the saved profile.
    pub dirty: bool,
    /// A suggestion for a new name (Save as, Duplicate).
    pub suggested_name: &'a str,
    /// Whether another profile may be loaded now (not while connected).
    pub can_switch: bool,
    /// The last action's outcome: (text, is_error).
    pub message: Option<(&'a str, bool)>,
}

/// Draws the picker; returns what the user asked for.
pub fn profiles_ui(ui: &mut egui::Ui, panel: &ProfilePanel<'_>, dialog: &mut ProfileDialog) -> Option<ProfileIntent> {
    let mut intent = None;
    ui.horizontal(|ui| {
        let label = ui.label(profile_label());
        let selected = match panel.current {
            Some(name) if panel.dirty => format!("{name} *"),
            Some(name) => name.to_owned(),
            None => no_profile(),
        };
        // Truncated to the field: a long name (up to 64 wide characters) never widens the left panel.
        let combo = egui::ComboBox::from_id_salt("profile").selected_text(selected).width(FIELD_WIDTH + 8.0).truncate();
        let response = ui.add_enabled_ui(panel.can_switch, |ui| {
            combo
                .show_ui(ui, |ui| {
                    if ui.selectable_label(panel.current.is_none(), no_profile()).clicked() && panel.current.is_some() {
                        intent = Some(ProfileIntent::Deselect);
                    }
                    for name in panel.names {
                        if ui.selectable_label(panel.current == Some(name.as_str()), name).clicked() {
                            intent = Some(ProfileIntent::Select(name.clone()));
                        }
                    }
                })
                .response
                .labelled_by(label.id)
        });
        response.response.on_disabled_hover_text(t("profiles-disconnect-first"));
    });
    if panel.dirty {
        ui.label(RichText::new(t("profiles-unsaved")).small().color(Color32::from_rgb(200, 140, 0)));
    }
    ui.horizontal_wrapped(|ui| {
        let has_current = panel.current.is_some();
        let save = ui.add_enabled(panel.current.is_none() || panel.dirty, egui::Button::new(t("profiles-save")));
        if save.clicked() {
            if has_current {
                intent = Some(ProfileIntent::Save);
            } else {
                *dialog = name_dialog(NameAction::SaveAs, panel.suggested_name);
            }
        }
        if ui.button(t("profiles-save-as")).clicked() {
            *dialog = name_dialog(NameAction::SaveAs, panel.suggested_name);
        }
        if ui.add_enabled(has_current, egui::Button::new(t("profiles-rename"))).clicked() {
            *dialog = name_dialog(NameAction::Rename, panel.current.unwrap_or_default());
        }
        if ui.add_enabled(has_current, egui::Button::new(t("profiles-duplicate"))).clicked() {
            *dialog = name_dialog(NameAction::Duplicate, panel.suggested_name);
        }
        if ui.add_enabled(has_current, egui::Button::new(t("profiles-delete"))).clicked()
            && let Some(name) = panel.current
        {
            *dialog = ProfileDialog::ConfirmDelete(name.to_owned());
        }
    });
    if let Some(done) = dialog_ui(ui, dialog) {
        intent = Some(done);
    }
    if let Some((text, is_error)) = panel.message {
        let color = if is_error { ui.visuals().error_fg_color } else { ui.visuals().weak_text_color() };
        ui.label(RichText::new(text).small().color(color));
    }
    intent
}

fn name_dialog(action: NameAction, text: &str) -> ProfileDialog {
    ProfileDialog::Name { action, text: text.to_owned() }
}

/// The open dialog, if any; returns the confirmed action and closes it.
fn dialog_ui(ui: &mut egui::Ui, dialog: &mut ProfileDialog) -> Option<ProfileIntent> {
    let mut intent = None;
    let mut close = false;
    match dialog {
        ProfileDialog::Closed => {}
        ProfileDialog::Name { action, text } => {
            ui.label(
                RichText::new(t(match action {
                    NameAction::SaveAs => "profiles-ask-save-as",
                    NameAction::Rename => "profiles-ask-rename",
                    NameAction::Duplicate => "profiles-ask-duplicate",
                }))
                .small(),
            );
            ui.horizontal(|ui| {
                let label = ui.label(name_field());
                let field =
                    ui.add(egui::TextEdit::singleline(text).desired_width(FIELD_WIDTH - 40.0)).labelled_by(label.id);
                let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if ui.button(t("button-ok")).clicked() || enter {
                    let name = text.clone();
                    intent = Some(match action {
                        NameAction::SaveAs => ProfileIntent::SaveAs(name),
                        NameAction::Rename => ProfileIntent::Rename(name),
                        NameAction::Duplicate => ProfileIntent::Duplicate(name),
                    });
                }
                if ui.button(t("button-cancel")).clicked() {
                    close = true;
                }
            });
        }
        ProfileDialog::ConfirmDelete(name) => {
            ui.label(tr("profiles-confirm-delete", &[arg("name", name.as_str())]));
            ui.horizontal(|ui| {
                if ui.button(t("profiles-yes-delete")).clicked() {
                    intent = Some(ProfileIntent::Delete(name.clone()));
                }
                if ui.button(t("button-cancel")).clicked() {
                    close = true;
                }
            });
        }
        ProfileDialog::ConfirmOverwrite(name) => {
            ui.label(tr("profiles-confirm-overwrite", &[arg("name", name.as_str())]));
            ui.horizontal(|ui| {
                if ui.button(t("profiles-yes-overwrite")).clicked() {
                    intent = Some(ProfileIntent::Overwrite);
                }
                if ui.button(t("button-cancel")).clicked() {
                    close = true;
                }
            });
        }
    }
    if close {
        *dialog = ProfileDialog::Closed;
    }
    intent
}
