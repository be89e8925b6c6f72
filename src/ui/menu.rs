//! The menu bar across the top of the window: File, View (theme, text
//! size) and 语言 / Language.

use eframe::egui;

use crate::i18n::{Lang, t};

/// The window's colour theme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ThemeChoice {
    /// Follow the system's light or dark setting.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl ThemeChoice {
    /// Every choice, in menu order.
    pub const ALL: [ThemeChoice; 3] = [ThemeChoice::System, ThemeChoice::Light, ThemeChoice::Dark];

    /// Name in the profiles file.
    pub fn name(self) -> &'static str {
        match self {
            ThemeChoice::System => "system",
            ThemeChoice::Light => "light",
            ThemeChoice::Dark => "dark",
        }
    }

    /// The choice a profiles file names (unknown names follow the system).
    pub fn from_name(name: &str) -> ThemeChoice {
        ThemeChoice::ALL.into_iter().find(|c| c.name() == name).unwrap_or_default()
    }

    /// Its label in the View menu.
    pub fn label(self) -> String {
        t(match self {
            ThemeChoice::System => "menu-theme-system",
            ThemeChoice::Light => "menu-theme-light",
            ThemeChoice::Dark => "menu-theme-dark",
        })
    }
}

/// What the menu bar asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub enum MenuIntent {
    /// File ▸ Open capture…
    OpenCapture,
    /// File ▸ Close capture.
    CloseCapture,
    /// File ▸ Export capture as pcapng…
    ExportPcapng,
    /// File ▸ Save receive view as…
    SaveViewAs,
    /// File ▸ Open log folder.
    OpenLogFolder,
    /// File ▸ Quit.
    Quit,
    /// View ▸ a theme.
    Theme(ThemeChoice),
    /// View ▸ Larger text (Ctrl+=).
    TextBigger,
    /// View ▸ Smaller text (Ctrl+-).
    TextSmaller,
    /// View ▸ Default text size (Ctrl+0).
    TextReset,
    /// 语言 / Language ▸ a language.
    Language(Lang),
    /// View ▸ Statistics…
    Statistics,
}

/// What the menu shows checked.
#[derive(Clone, Copy, Debug)]
pub struct MenuState {
    /// A capture is open (offers Close capture).
    pub capture_open: bool,
    /// The theme chosen.
    pub theme: ThemeChoice,
    /// The window's language.
    pub lang: Lang,
}

/// Draws the menu bar; returns what was chosen.
pub fn menu_ui(ui: &mut egui::Ui, state: MenuState) -> Option<MenuIntent> {
    let mut intent = None;
    egui::MenuBar::new().ui(ui, |ui| {
        let mut item = |ui: &mut egui::Ui, label: String, shortcut: Option<&str>, what: MenuIntent| {
            let mut button = egui::Button::new(label);
            if let Some(keys) = shortcut {
                button = button.shortcut_text(keys);
            }
            if ui.add(button).clicked() {
                intent = Some(what);
                ui.close();
            }
        };
        ui.menu_button(t("menu-file"), |ui| {
            item(ui, t("menu-open-capture"), None, MenuIntent::OpenCapture);
            if state.capture_open {
                item(ui, t("menu-close-capture"), None, MenuIntent::CloseCapture);
            }
            item(ui, t("menu-export-pcapng"), None, MenuIntent::ExportPcapng);
            item(ui, t("menu-save-view"), None, MenuIntent::SaveViewAs);
            item(ui, t("menu-open-log-folder"), None, MenuIntent::OpenLogFolder);
            ui.separator();
            item(ui, t("menu-quit"), Some("Ctrl+Q"), MenuIntent::Quit);
        });
        ui.menu_button(t("menu-view"), |ui| {
            item(ui, t("menu-stats"), None, MenuIntent::Statistics);
            ui.separator();
            for theme in ThemeChoice::ALL {
                let mark = if theme == state.theme { "● " } else { "   " };
                item(ui, format!("{mark}{}", theme.label()), None, MenuIntent::Theme(theme));
            }
            ui.separator();
            item(ui, t("menu-text-bigger"), Some("Ctrl+="), MenuIntent::TextBigger);
            item(ui, t("menu-text-smaller"), Some("Ctrl+-"), MenuIntent::TextSmaller);
            item(ui, t("menu-text-reset"), Some("Ctrl+0"), MenuIntent::TextReset);
        });
        // Both words, whatever the current language: someone who cannot read
        // the current one must still find the way back.
        ui.menu_button("语言 / Language", |ui| {
            for lang in Lang::ALL {
                let mark = if lang == state.lang { "● " } else { "   " };
                item(ui, format!("{mark}{}", lang.native_name()), None, MenuIntent::Language(lang));
            }
        });
    });
    intent
}
