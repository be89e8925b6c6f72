//! The banner across the top: a start-up problem (an unknown `--profile`)
//! and a profiles file that did not load.

use eframe::egui::{self, RichText};

use crate::i18n::t;
use crate::model::Message;

/// What the banner asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub enum BannerIntent {
    /// Hide the start-up problem.
    DismissStart,
    /// Put a new profiles file in place of the damaged one (a copy of it is kept).
    ReplaceDamaged,
    /// Hide the profiles file's problem.
    DismissProfiles,
}

/// What the banner shows.
pub struct Banner<'a> {
    /// A problem with how the app was started.
    pub start: Option<&'a Message>,
    /// The profiles file's problem.
    pub profiles: Option<&'a Message>,
    /// Whether "Start a new file" is offered.
    pub can_replace: bool,
}

impl Banner<'_> {
    /// Whether there is anything to show.
    pub fn is_empty(&self) -> bool {
        self.start.is_none() && self.profiles.is_none()
    }
}

/// Draws the banner's lines; returns what was pressed.
pub fn banner_ui(ui: &mut egui::Ui, banner: &Banner<'_>) -> Option<BannerIntent> {
    let mut intent = None;
    let warn = ui.visuals().warn_fg_color;
    if let Some(problem) = banner.start {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(problem.to_string()).color(warn));
            if ui.button(t("button-dismiss")).clicked() {
                intent = Some(BannerIntent::DismissStart);
            }
        });
    }
    if let Some(problem) = banner.profiles {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(problem.to_string()).color(warn));
            if banner.can_replace && ui.button(t("banner-new-file")).clicked() {
                intent = Some(BannerIntent::ReplaceDamaged);
            }
            if ui.button(t("button-dismiss")).clicked() {
                intent = Some(BannerIntent::DismissProfiles);
            }
        });
    }
    intent
}
