//! The tabs: opening, closing (asking first when one is busy), switching,
//! moving, renaming, showing two side by side, and the workspace (the open
//! tabs, saved with the window layout and restored at the next start).

use eframe::egui::{self, Key, KeyboardShortcut, Modifiers};

use super::profiles::ProfileUse;
use super::{NetAssistApp, SessionFiles, SessionTab};
use crate::model::{Settings, from_profile, to_profile};
use crate::profile::{Workspace, WorkspaceTab};
use crate::ui::{self, TabBar, TabIntent, TabLabel};

/// Ctrl+T: a new tab.
const NEW_TAB: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::T);
/// Ctrl+W: close the tab in view.
const CLOSE_TAB: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::W);
/// Ctrl+Tab: the next tab.
const NEXT_TAB: KeyboardShortcut = KeyboardShortcut::new(Modifiers::CTRL, Key::Tab);
/// Ctrl+Shift+Tab: the previous tab.
const PREVIOUS_TAB: KeyboardShortcut = KeyboardShortcut::new(Modifiers::CTRL.plus(Modifiers::SHIFT), Key::Tab);

impl NetAssistApp {
    /// The tabs, in order.
    pub fn tabs(&self) -> &[SessionTab] {
        &self.tabs
    }

    /// The position of the tab in view.
    pub fn active(&self) -> usize {
        self.active
    }

    /// The tab shown beside the one in view, if the view is split.
    pub fn beside(&self) -> Option<usize> {
        self.beside
    }

    /// Opens a tab with `settings` (using `profile`, if any) after the others and brings it into view.
    pub fn open_tab(&mut self, settings: Settings, profile: Option<ProfileUse>) -> usize {
        let files = SessionFiles::new(self.data_dir.clone(), self.data_dir_problem.clone());
        let mut tab = SessionTab::new(settings, self.limits, files);
        tab.profile = profile;
        self.tabs.push(tab);
        self.select_tab(self.tabs.len() - 1);
        self.remember_workspace();
        self.tabs.len() - 1
    }

    /// Opens a tab with saved profile `name`; an unknown name is said under the picker.
    pub fn open_profile_tab(&mut self, name: &str) -> Option<usize> {
        match self.profiles.select(name) {
            Ok((settings, using)) => Some(self.open_tab(settings, Some(using))),
            Err(error) => {
                self.profiles.report_error(error);
                None
            }
        }
    }

    /// Brings tab `index` into view (a tab shown beside trades places with it).
    pub fn select_tab(&mut self, index: usize) {
        if index >= self.tabs.len() || index == self.active {
            return;
        }
        if self.beside == Some(index) {
            self.beside = Some(self.active);
        }
        self.active = index;
        self.tabs[index].unread = false;
        self.renaming = None;
    }

    /// Closes tab `index`, asking first if it is connected or capturing.
    pub fn close_tab(&mut self, index: usize) {
        if index >= self.tabs.len() {
            return;
        }
        if self.tabs[index].is_busy() {
            self.closing = Some(index);
        } else {
            self.force_close_tab(index);
        }
    }

    /// Closes tab `index` now, ending its connection and capture. The last
    /// tab is replaced by a fresh one: the window always has a session.
    pub fn force_close_tab(&mut self, index: usize) {
        if index >= self.tabs.len() {
            return;
        }
        self.tabs[index].shut(&self.engine);
        self.tabs.remove(index);
        self.closing = None;
        self.renaming = None;
        let shift = |i: usize| if i > index { i - 1 } else { i };
        self.beside = self.beside.filter(|&b| b != index).map(shift);
        if self.tabs.is_empty() {
            self.active = 0;
            self.beside = None;
            let files = SessionFiles::new(self.data_dir.clone(), self.data_dir_problem.clone());
            self.tabs.push(SessionTab::new(Settings::default(), self.limits, files));
        } else {
            self.active = shift(self.active).min(self.tabs.len() - 1);
        }
        if self.beside == Some(self.active) {
            self.beside = None;
        }
        self.remember_workspace();
    }

    /// Moves tab `from` to position `to`; the tab in view stays in view.
    pub fn move_tab(&mut self, from: usize, to: usize) {
        if from >= self.tabs.len() || to >= self.tabs.len() || from == to {
            return;
        }
        let tab = self.tabs.remove(from);
        self.tabs.insert(to, tab);
        self.active = moved_position(self.active, from, to);
        self.beside = self.beside.map(|i| moved_position(i, from, to));
        self.remember_workspace();
    }

    /// Names tab `index` (an empty name: back to its automatic title).
    pub fn rename_tab(&mut self, index: usize, name: &str) {
        if let Some(tab) = self.tabs.get_mut(index) {
            let name: String = name.trim().chars().take(64).collect();
            tab.title = (!name.is_empty()).then_some(name);
        }
        self.renaming = None;
        self.remember_workspace();
    }

    /// Shows tab `index` beside the one in view (`None`: one at a time).
    pub fn show_beside(&mut self, index: Option<usize>) {
        self.beside = index.filter(|&i| i < self.tabs.len() && i != self.active);
        if let Some(i) = self.beside {
            self.tabs[i].unread = false;
        }
        self.remember_workspace();
    }

    /// Ctrl+T, Ctrl+W, Ctrl+Tab and Ctrl+Shift+Tab.
    pub(super) fn tab_shortcuts(&mut self, ctx: &egui::Context) {
        let (new, close, previous, next) = ctx.input_mut(|i| {
            // Ctrl+Shift+Tab is taken first: Ctrl+Tab also matches with Shift held.
            let previous = i.consume_shortcut(&PREVIOUS_TAB);
            (i.consume_shortcut(&NEW_TAB), i.consume_shortcut(&CLOSE_TAB), previous, i.consume_shortcut(&NEXT_TAB))
        });
        let count = self.tabs.len();
        if new {
            self.open_tab(Settings::default(), None);
        }
        if close {
            self.close_tab(self.active);
        }
        if previous && count > 1 {
            self.select_tab((self.active + count - 1) % count);
        } else if next && count > 1 {
            self.select_tab((self.active + 1) % count);
        }
    }

    /// The tab bar, and what it asked for.
    pub(super) fn tab_bar_ui(&mut self, ui: &mut egui::Ui) {
        let labels: Vec<TabLabel> = self
            .tabs
            .iter()
            .map(|tab| TabLabel { title: tab.title(), dot: ui::state_color(&tab.session.state), unread: tab.unread })
            .collect();
        let profiles = self.profiles.names();
        let bar = TabBar {
            tabs: &labels,
            active: self.active,
            beside: self.beside,
            profiles: &profiles,
            renaming: self.renaming.as_mut().map(|(at, text)| (*at, text)),
        };
        match ui::tab_bar_ui(ui, bar) {
            Some(TabIntent::Select(index)) => self.select_tab(index),
            Some(TabIntent::Close(index)) => self.close_tab(index),
            Some(TabIntent::New) => {
                self.open_tab(Settings::default(), None);
            }
            Some(TabIntent::NewFromProfile(name)) => {
                self.open_profile_tab(&name);
            }
            Some(TabIntent::StartRename(index)) => {
                self.renaming = self.tabs.get(index).map(|tab| (index, tab.title()));
            }
            Some(TabIntent::Rename(index, name)) => self.rename_tab(index, &name),
            Some(TabIntent::Move { from, to }) => self.move_tab(from, to),
            Some(TabIntent::Beside(index)) => self.show_beside(index),
            None => {}
        }
        if let Some(index) = self.closing {
            let title = self.tabs.get(index).map(SessionTab::title).unwrap_or_default();
            match ui::confirm_close_ui(ui.ctx(), &title) {
                Some(true) => self.force_close_tab(index),
                Some(false) => self.closing = None,
                None => {}
            }
        }
    }

    /// Writes the open tabs into the profiles file's workspace (saved with the next save).
    pub fn remember_workspace(&mut self) {
        let tabs = self
            .tabs
            .iter()
            .map(|tab| WorkspaceTab {
                title: tab.title.clone(),
                profile: tab.profile_name().map(str::to_owned),
                settings: to_profile(tab.profile_name().unwrap_or(""), &tab.settings),
                send_text: tab.send_text.clone(),
            })
            .collect();
        self.profiles.set_workspace(Workspace { tabs, active: self.active, beside: self.beside });
    }

    /// Reopens the tabs of the last workspace (replacing the tabs open now); false if there was none.
    pub(super) fn restore_workspace(&mut self) -> bool {
        let Some(workspace) = self.profiles.workspace().cloned() else { return false };
        self.tabs.clear();
        for saved in &workspace.tabs {
            let (settings, _notes) = from_profile(&saved.settings);
            let profile = saved.profile.as_ref().and_then(|name| {
                let stored = self.profiles.stored(name)?;
                Some(ProfileUse { name: name.clone(), saved: from_profile(stored).0 })
            });
            let files = SessionFiles::new(self.data_dir.clone(), self.data_dir_problem.clone());
            let mut tab = SessionTab::new(settings, self.limits, files);
            tab.profile = profile;
            tab.title.clone_from(&saved.title);
            tab.send_text.clone_from(&saved.send_text);
            self.tabs.push(tab);
        }
        self.active = workspace.active.min(self.tabs.len() - 1);
        self.beside = workspace.beside.filter(|&b| b < self.tabs.len() && b != self.active);
        true
    }
}

/// Where the tab at `i` is after the tab at `from` moved to `to`.
fn moved_position(i: usize, from: usize, to: usize) -> usize {
    if i == from {
        to
    } else if from < i && i <= to {
        i - 1
    } else if to <= i && i < from {
        i + 1
    } else {
        i
    }
}

#[cfg(test)]
mod tests {
    use super::moved_position;

    #[test]
    fn moving_a_tab_shifts_the_ones_between() {
        // [a b c d]: b (1) moves to 3 → [a c d b].
        assert_eq!([0, 1, 2, 3].map(|i| moved_position(i, 1, 3)), [0, 3, 1, 2]);
        // d (3) moves to 0 → [d a b c].
        assert_eq!([0, 1, 2, 3].map(|i| moved_position(i, 3, 0)), [1, 2, 3, 0]);
    }
}
