//! How the window looks and speaks: its language, theme and text size,
//! taken from the saved preferences (or the system) at start, changed from
//! the menu and the keyboard, and remembered in the profiles file.

use eframe::egui::{self, Key, KeyboardShortcut, Modifiers};

use super::NetAssistApp;
use crate::i18n::{self, Lang};
use crate::profile::Preferences;
use crate::ui::{MenuIntent, ThemeChoice};

/// Ctrl+Q: quit, as the File menu says.
const QUIT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Q);
/// Ctrl+= (and Ctrl++): larger text.
const BIGGER: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Equals);
/// Ctrl++ on keyboards that send Plus.
const BIGGER_PLUS: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Plus);
/// Ctrl+-: smaller text.
const SMALLER: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Minus);
/// Ctrl+0: the default text size.
const RESET: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Num0);

/// One step of text size.
const ZOOM_STEP: f32 = 0.1;

/// The language to start in: the saved choice, else the system's (`system`,
/// given by the caller so tests are not at the mercy of the machine's locale).
pub fn start_lang(preferences: &Preferences, system: Lang) -> Lang {
    preferences
        .language
        .as_deref()
        .and_then(|tag| Lang::ALL.into_iter().find(|lang| lang.tag() == tag))
        .unwrap_or(system)
}

impl NetAssistApp {
    /// Applies the saved preferences (and `lang`) to the window, at start.
    pub(super) fn apply_look(&self, ctx: &egui::Context, lang: Lang) {
        i18n::set_lang(lang);
        let preferences = self.profiles.preferences();
        ctx.set_theme(theme_preference(ThemeChoice::from_name(&preferences.theme)));
        ctx.set_zoom_factor(preferences.zoom_or_default());
    }

    /// The theme chosen in the menu.
    pub(super) fn theme(&self) -> ThemeChoice {
        ThemeChoice::from_name(&self.profiles.preferences().theme)
    }

    /// Ctrl+Q, Ctrl+= / Ctrl+- / Ctrl+0; returns the menu intent each stands for.
    pub(super) fn look_shortcuts(&self, ctx: &egui::Context) -> Option<MenuIntent> {
        ctx.input_mut(|i| {
            if i.consume_shortcut(&QUIT) {
                Some(MenuIntent::Quit)
            } else if i.consume_shortcut(&BIGGER) || i.consume_shortcut(&BIGGER_PLUS) {
                Some(MenuIntent::TextBigger)
            } else if i.consume_shortcut(&SMALLER) {
                Some(MenuIntent::TextSmaller)
            } else if i.consume_shortcut(&RESET) {
                Some(MenuIntent::TextReset)
            } else {
                None
            }
        })
    }

    /// Carries out a look change from the menu or the keyboard; true when it was one.
    pub(super) fn change_look(&mut self, ctx: &egui::Context, intent: MenuIntent) -> bool {
        let mut preferences = self.profiles.preferences().clone();
        match intent {
            MenuIntent::Language(lang) => {
                i18n::set_lang(lang);
                preferences.language = Some(lang.tag().to_owned());
                // Messages already on screen are words of the old language
                // only until the next frame: they are typed values, worded when drawn.
            }
            MenuIntent::Theme(choice) => {
                ctx.set_theme(theme_preference(choice));
                preferences.theme = choice.name().to_owned();
            }
            MenuIntent::TextBigger | MenuIntent::TextSmaller | MenuIntent::TextReset => {
                let now = preferences.zoom_or_default();
                let zoom = match intent {
                    MenuIntent::TextBigger => now + ZOOM_STEP,
                    MenuIntent::TextSmaller => now - ZOOM_STEP,
                    _ => 1.0,
                };
                let zoom = (zoom * 10.0).round() / 10.0;
                let zoom = zoom.clamp(*Preferences::ZOOM_RANGE.start(), *Preferences::ZOOM_RANGE.end());
                ctx.set_zoom_factor(zoom);
                preferences.zoom = zoom;
            }
            _ => return false,
        }
        self.profiles.set_preferences(preferences);
        true
    }
}

/// egui's theme setting for a menu choice.
fn theme_preference(choice: ThemeChoice) -> egui::ThemePreference {
    match choice {
        ThemeChoice::System => egui::ThemePreference::System,
        ThemeChoice::Light => egui::ThemePreference::Light,
        ThemeChoice::Dark => egui::ThemePreference::Dark,
    }
}
