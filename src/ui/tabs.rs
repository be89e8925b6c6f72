//! The tab bar above the receive view: one tab per session, with its
//! state's dot and a mark for traffic not yet seen; "+" opens a new one.

use eframe::egui::{self, Color32, RichText};

use crate::i18n::{arg, t, tr};

/// Accessible name of the "+" button (new tab).
pub fn new_tab() -> String {
    t("tabs-new")
}
/// Accessible name of the rename field.
pub fn tab_name_field() -> String {
    t("tabs-name")
}

/// What a tab looks like in the bar.
pub struct TabLabel {
    /// Its title.
    pub title: String,
    /// The state's colour.
    pub dot: Color32,
    /// Traffic arrived while it was not in view.
    pub unread: bool,
}

/// What the tab bar asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub enum TabIntent {
    /// Bring tab `n` into view.
    Select(usize),
    /// Close tab `n` (the app asks first if it is busy).
    Close(usize),
    /// A new tab with default settings.
    New,
    /// A new tab from this saved profile.
    NewFromProfile(String),
    /// Start renaming tab `n`.
    StartRename(usize),
    /// Give tab `n` this name (empty: back to its automatic title).
    Rename(usize, String),
    /// Move tab `from` to position `to`.
    Move {
        /// Its position now.
        from: usize,
        /// Its position after.
        to: usize,
    },
    /// Show tab `n` beside the one in view (`None`: one tab at a time).
    Beside(Option<usize>),
}

/// What the bar shows.
pub struct TabBar<'a> {
    /// The tabs, in order.
    pub tabs: &'a [TabLabel],
    /// The tab in view.
    pub active: usize,
    /// The tab shown beside it.
    pub beside: Option<usize>,
    /// Saved profile names, for "+ ▸ from profile".
    pub profiles: &'a [String],
    /// A rename under way: the tab and the name as typed.
    pub renaming: Option<(usize, &'a mut String)>,
}

/// Draws the tab bar; returns what was asked for.
pub fn tab_bar_ui(ui: &mut egui::Ui, bar: TabBar<'_>) -> Option<TabIntent> {
    let mut intent = None;
    let count = bar.tabs.len();
    let mut renaming = bar.renaming;
    ui.horizontal_wrapped(|ui| {
        for (index, tab) in bar.tabs.iter().enumerate() {
            if let Some((at, text)) = renaming.as_mut().filter(|(at, _)| *at == index) {
                let label = ui.label(RichText::new(tab_name_field()).small());
                let field = ui.add(egui::TextEdit::singleline(*text).desired_width(140.0)).labelled_by(label.id);
                field.request_focus();
                if field.lost_focus() || ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    intent = Some(TabIntent::Rename(*at, text.trim().to_owned()));
                }
                continue;
            }
            let selected = index == bar.active || Some(index) == bar.beside;
            let response = ui.selectable_label(selected, tab_text(ui, tab));
            if response.clicked() {
                intent = Some(TabIntent::Select(index));
            }
            if response.middle_clicked() {
                intent = Some(TabIntent::Close(index));
            }
            if response.double_clicked() {
                intent = Some(TabIntent::StartRename(index));
            }
            response.context_menu(|ui| {
                let mut item = |ui: &mut egui::Ui, key: &str, enabled: bool, what: TabIntent| {
                    if ui.add_enabled(enabled, egui::Button::new(t(key))).clicked() {
                        intent = Some(what);
                        ui.close();
                    }
                };
                item(ui, "tabs-rename", true, TabIntent::StartRename(index));
                item(ui, "tabs-move-left", index > 0, TabIntent::Move { from: index, to: index.saturating_sub(1) });
                item(ui, "tabs-move-right", index + 1 < count, TabIntent::Move { from: index, to: index + 1 });
                if index != bar.active {
                    item(ui, "tabs-beside", true, TabIntent::Beside(Some(index)));
                }
                if bar.beside.is_some() {
                    item(ui, "tabs-one-at-a-time", true, TabIntent::Beside(None));
                }
                item(ui, "tabs-close", true, TabIntent::Close(index));
            });
            let close = ui.small_button("×").on_hover_text(t("tabs-close-tip"));
            if close.clicked() {
                intent = Some(TabIntent::Close(index));
            }
            ui.separator();
        }
        let plus = ui.menu_button("+", |ui| {
            if ui.add(egui::Button::new(new_tab()).shortcut_text("Ctrl+T")).clicked() {
                intent = Some(TabIntent::New);
                ui.close();
            }
            if !bar.profiles.is_empty() {
                ui.separator();
                ui.label(RichText::new(t("tabs-from-profile")).small().weak());
                for name in bar.profiles {
                    if ui.button(name).clicked() {
                        intent = Some(TabIntent::NewFromProfile(name.clone()));
                        ui.close();
                    }
                }
            }
        });
        plus.response.on_hover_text(new_tab());
    });
    intent
}

/// "● title •": the dot in the state's colour, the mark when traffic is unseen.
fn tab_text(ui: &egui::Ui, tab: &TabLabel) -> egui::text::LayoutJob {
    let font = egui::TextStyle::Button.resolve(ui.style());
    let color = ui.visuals().text_color();
    let format = |color| egui::TextFormat { font_id: font.clone(), color, ..Default::default() };
    let mut job = egui::text::LayoutJob::default();
    job.append("● ", 0.0, format(tab.dot));
    job.append(&tab.title, 0.0, format(color));
    if tab.unread {
        job.append(" •", 0.0, format(ui.visuals().warn_fg_color));
    }
    job
}

/// Asks before closing a tab that is connected or capturing; returns
/// `Some(true)` to close, `Some(false)` to keep it.
pub fn confirm_close_ui(ctx: &egui::Context, title: &str) -> Option<bool> {
    let mut answer = None;
    egui::Window::new(t("tabs-confirm-title"))
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ctx, |ui| {
            ui.label(tr("tabs-confirm-close", &[arg("title", title)]));
            ui.horizontal(|ui| {
                if ui.button(t("tabs-close-tab")).clicked() {
                    answer = Some(true);
                }
                if ui.button(t("tabs-keep")).clicked() {
                    answer = Some(false);
                }
            });
        });
    answer
}
