//! How the window starts: the tabs the command line (or the last workspace)
//! asks for, and the addresses offered for binding.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::{NetAssistApp, ProfileUse};
use crate::engine::EngineConfig;
use crate::files::FileError;
use crate::model::{Message, Settings, SettingsOverrides};
use crate::profile::StoreError;
use crate::view::StoreLimits;

/// How the app starts: which tabs to open and whether to connect at once.
///
/// With no `profiles`: one tab of `settings` with `overrides` on top (or,
/// with `restore_last`, the tabs open at the last exit, else the profile
/// used last). With one profile: its tab, `overrides` on top. With several:
/// a tab each, and the `overrides`, if any, in a tab of their own.
#[derive(Clone, Debug, Default)]
pub struct StartOptions {
    /// Initial settings when no profile is opened.
    pub settings: Settings,
    /// Open these saved profiles, a tab each (`--profile`, repeatable); an
    /// unknown name is reported in the window and the others still open.
    pub profiles: Vec<String>,
    /// Reopen the last workspace (or the profile used last), for a start with no settings asked for.
    pub restore_last: bool,
    /// Settings from the command line, applied last.
    pub overrides: SettingsOverrides,
    /// Connect every tab as soon as the window opens.
    pub connect: bool,
    /// Receive view limits.
    pub limits: StoreLimits,
    /// Where profiles live; `None` keeps them in memory only (tests use a temp dir).
    pub config_dir: Option<PathBuf>,
    /// Why there is no `config_dir`, for the banner.
    pub config_dir_problem: Option<StoreError>,
    /// Where logs and captures go; `None`: logging and capture are unavailable.
    pub data_dir: Option<PathBuf>,
    /// Why there is no `data_dir`.
    pub data_dir_problem: Option<FileError>,
    /// Write frame times and counters to this file once a second (`--stats-file`, for benchmarks).
    pub stats_file: Option<PathBuf>,
    /// When the process started, to report the time to the first frame.
    pub started_at: Option<Instant>,
    /// The engine's queue sizes and resolver (the default for the real app;
    /// tests inject a resolver, so no real DNS is asked, and tiny queues).
    pub engine: EngineConfig,
    /// How long a frame always shows the data it applies before it lets
    /// data pass while the queue is backed up; `None`: 4 ms (tests of
    /// floods set zero, to elided all they can).
    pub show_budget: Option<Duration>,
    /// The system's language (main reads it from the locale), used when the
    /// profiles file has no saved choice; tests start in English unless they say.
    pub system_lang: crate::i18n::Lang,
}

impl NetAssistApp {
    /// Opens the tabs `options` ask for (see [`StartOptions`]); returns how
    /// many of them (the first ones) `--connect` may connect: none when every
    /// profile asked for is unknown, since connecting somewhere the user did
    /// not ask for would be worse than not connecting.
    pub(super) fn open_start_tabs(&mut self, options: &StartOptions) -> usize {
        let mut first = true;
        let mut put = |app: &mut Self, settings: Settings, using: Option<ProfileUse>| {
            if std::mem::take(&mut first) {
                app.tabs[0].use_settings(settings);
                app.tabs[0].profile = using;
            } else {
                app.open_tab(settings, using);
            }
        };
        let mut unknown = Vec::new();
        let mut opened = 0;
        for name in &options.profiles {
            match self.profiles.select(name) {
                Ok((mut settings, using)) => {
                    if options.profiles.len() == 1 {
                        options.overrides.apply(&mut settings);
                    }
                    put(self, settings, Some(using));
                    opened += 1;
                }
                Err(_) => unknown.push(name.clone()),
            }
        }
        if let Some(name) = unknown.first() {
            self.start_problem = Some(Message::UnknownProfile { name: name.clone(), known: self.profiles.names() });
        }
        let own_tab = options.profiles.len() != 1 && !options.overrides.is_empty();
        if opened == 0 || own_tab {
            if opened == 0 && options.profiles.is_empty() && options.restore_last && self.restore_workspace() {
                self.active = self.active.min(self.tabs.len() - 1);
                return self.tabs.len();
            }
            let mut settings = options.settings.clone();
            let mut using = None;
            if opened == 0
                && options.profiles.is_empty()
                && options.restore_last
                && let Some((loaded, last)) = self.profiles.last_used().and_then(|n| self.profiles.select(&n).ok())
            {
                settings = loaded;
                using = Some(last);
            }
            options.overrides.apply(&mut settings);
            put(self, settings, using);
        }
        self.active = 0;
        if opened == 0 && !options.profiles.is_empty() { 0 } else { self.tabs.len() }
    }
}

/// The wildcard and loopback addresses, then this machine's interface addresses.
pub(super) fn bind_choices() -> Vec<String> {
    let mut choices: Vec<String> = ["0.0.0.0", "127.0.0.1", "::", "::1"].map(String::from).to_vec();
    for addr in crate::engine::local_addresses() {
        let text = addr.to_string();
        if !choices.contains(&text) {
            choices.push(text);
        }
    }
    choices
}
