//! The eframe application: owns the engine handle, the sessions (tabs) and
//! the app-wide parts (profiles, window layout, the menu), drains engine
//! events into the tab each belongs to in `logic` under a time budget, and
//! lays out the panels in `ui`. Each tab is a [`SessionTab`], one value.

mod actions;
mod auto_reply_actions;
mod big_capture;
mod big_pane;
mod capture_viewer;
mod drain;
mod export_actions;
mod file_dialog;
mod find_actions;
mod frame_stats;
mod job_actions;
mod look;
mod path_actions;
mod perf;
mod preset_actions;
mod profile_actions;
mod profiles;
mod reconnect;
mod sequence_actions;
mod session_files;
mod show_cost;
mod start;
mod stats;
mod tab;
mod tabs;

pub use big_capture::BigCaptureTab;
pub use capture_viewer::OpenJob;
pub use export_actions::ExportDialog;
pub use frame_stats::{FrameStats, FrameSummary, resident_bytes};
pub use job_actions::Jobs;
pub use look::start_lang;
pub use profiles::{ProfileBook, ProfileUse};
pub use reconnect::Reconnect;
pub use session_files::SessionFiles;
pub use start::StartOptions;
pub use tab::SessionTab;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use eframe::egui;

use crate::engine::{EngineHandle, EventReceiver};
use crate::files::FileError;
use crate::model::{LinkState, Message, Protocol, Settings};
use crate::profile::WindowLayout;
use crate::ui::{self, MenuIntent};
use crate::view::StoreLimits;

/// Delay between an engine wake-up and the repaint it asks for, so that a
/// burst of events is applied in one frame instead of one frame per packet,
/// and traffic repaints at most ~30 times a second: in software GL painting
/// had taken 60 % of the CPU under a UDP stream at 10 ms.
const REPAINT_DELAY: Duration = Duration::from_millis(33);

/// The netassist window.
pub struct NetAssistApp {
    engine: EngineHandle,
    events: EventReceiver,
    wake_pending: Arc<AtomicBool>,
    /// What taking events in carries from frame to frame.
    drain: drain::Drain,
    /// The sessions, in tab order (never empty).
    tabs: Vec<SessionTab>,
    /// The tab in view.
    active: usize,
    /// The tab shown beside it, if the view is split.
    beside: Option<usize>,
    /// A tab being renamed: its position and the name as typed.
    renaming: Option<(usize, String)>,
    /// A busy tab whose close waits for the user's answer.
    closing: Option<usize>,
    /// The receive view limits every tab gets.
    limits: StoreLimits,
    /// Where logs and captures go, for new tabs.
    data_dir: Option<PathBuf>,
    /// Why there is no data directory.
    data_dir_problem: Option<FileError>,
    /// Addresses offered for binding the server and UDP socket.
    bind_choices: Vec<String>,
    /// The saved profiles and the one in use.
    pub profiles: ProfileBook,
    /// A problem with how the app was started (an unknown `--profile`), shown in a banner.
    pub start_problem: Option<Message>,
    /// Window and panel sizes, as last laid out.
    layout: WindowLayout,
    /// Frame times, for the F12 overlay and the stats file.
    pub frame_stats: FrameStats,
    /// The performance overlay (F12) is shown.
    pub show_perf: bool,
    /// Where and when the stats were last written, and the start-up time.
    perf: perf::PerfOutput,
    /// The statistics window: shown, and for which client and span.
    pub stats: ui::StatsChoice,
    /// A plot image being saved.
    plot_save: Option<stats::PlotSave>,
}

impl NetAssistApp {
    /// Builds the app inside eframe (or a test harness): installs fonts and starts the engine.
    pub fn new(cc: &eframe::CreationContext<'_>, options: StartOptions) -> std::io::Result<Self> {
        let since_start = |what: &str| {
            if let Some(t) = options.started_at {
                tracing::info!("start-up: {what} after {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
            }
        };
        since_start("window and GL context ready");
        ui::fonts::install_fonts(&cc.egui_ctx);
        since_start("fonts installed");
        let ctx = cc.egui_ctx.clone();
        let wake_pending = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&wake_pending);
        // One repaint request per burst: the flag is cleared when `logic` drains.
        let wake = Arc::new(move || {
            if !flag.swap(true, Ordering::AcqRel) {
                ctx.request_repaint_after(REPAINT_DELAY);
            }
        });
        let (engine, events) = EngineHandle::start(options.engine.clone(), wake)?;
        since_start("engine started");
        let profiles = ProfileBook::open(options.config_dir.as_deref(), options.config_dir_problem.clone());
        let layout = profiles.layout().unwrap_or_default();
        let files = SessionFiles::new(options.data_dir.clone(), options.data_dir_problem.clone());
        let mut app = Self {
            engine,
            events,
            wake_pending,
            drain: drain::Drain::new(options.show_budget),
            tabs: vec![SessionTab::new(Settings::default(), options.limits, files)],
            active: 0,
            beside: None,
            renaming: None,
            closing: None,
            limits: options.limits,
            data_dir: options.data_dir.clone(),
            data_dir_problem: options.data_dir_problem.clone(),
            bind_choices: start::bind_choices(),
            profiles,
            start_problem: None,
            layout,
            frame_stats: FrameStats::default(),
            show_perf: false,
            perf: perf::PerfOutput::new(options.stats_file.clone(), options.started_at),
            stats: ui::StatsChoice::default(),
            plot_save: None,
        };
        app.apply_look(&cc.egui_ctx, start_lang(app.profiles.preferences(), options.system_lang));
        let asked = app.open_start_tabs(&options);
        if options.connect {
            for index in 0..asked {
                app.note_captures();
                let tab = &mut app.tabs[index];
                tab.reconnect_user_connected();
                tab.connect(&app.engine);
            }
        }
        Ok(app)
    }

    /// The tab in view.
    pub fn tab(&self) -> &SessionTab {
        &self.tabs[self.active]
    }

    /// The tab in view, to change.
    pub fn tab_mut(&mut self) -> &mut SessionTab {
        &mut self.tabs[self.active]
    }

    /// Tells each tab which other tab captures, if one does (the engine
    /// writes one capture at a time, so a second would end the first).
    fn note_captures(&mut self) {
        let capturing: Vec<(usize, String)> =
            self.tabs.iter().enumerate().filter(|(_, t)| t.files.is_capturing()).map(|(i, t)| (i, t.title())).collect();
        for (index, tab) in self.tabs.iter_mut().enumerate() {
            tab.files.capture_elsewhere = capturing.iter().find(|(i, _)| *i != index).map(|(_, title)| title.clone());
        }
    }

    /// Connects (listens, opens) the tab in view, as its Connect button does.
    pub fn connect(&mut self) {
        self.note_captures();
        let tab = &mut self.tabs[self.active];
        tab.reconnect_user_connected();
        tab.connect(&self.engine);
    }

    /// Sends the tab in view's send box, as its Send button does.
    pub fn send(&mut self) {
        self.tabs[self.active].send(&self.engine);
    }

    /// Starts a cyclic send of the tab in view's send box.
    pub fn start_cyclic(&mut self) {
        self.tabs[self.active].start_cyclic(&self.engine);
    }

    /// Starts sending the file at `path` from the tab in view.
    pub fn start_file_send(&mut self, path: &std::path::Path) {
        self.tabs[self.active].start_file_send(&self.engine, path);
    }

    /// Carries out a quick-send action in the tab in view.
    pub fn apply_preset_intent(&mut self, intent: ui::PresetIntent) {
        self.tabs[self.active].apply_preset_intent(&self.engine, intent);
    }

    /// The engine, for tests and tools that drive it beside the UI (e.g. a
    /// capture to a writer of their own, to stand in for a failing disk).
    pub fn engine(&self) -> &EngineHandle {
        &self.engine
    }
}

impl NetAssistApp {
    fn left_column_ui(&mut self, ui: &mut egui::Ui) {
        ui::title_ui(ui);
        ui.separator();
        self.profiles_ui(ui);
        ui.separator();
        let engine = &self.engine;
        let tab = &mut self.tabs[self.active];
        let next_attempt = tab.reconnect.planned.map(|(due, n)| (due.saturating_duration_since(Instant::now()), n));
        let form_problem = tab.problems.form.as_ref().map(|p| &p.message);
        let intent = ui::connection_ui(
            ui,
            &mut tab.settings,
            &tab.session.state,
            &self.bind_choices,
            form_problem,
            next_attempt,
        );
        tab.handle_connection_intent(engine, intent);
        ui.separator();
        tab.auto_reply_ui(ui);
        ui.separator();
        let panel = ui::FilesPanel {
            log_session: &mut tab.settings.log_session,
            capture: &mut tab.settings.capture,
            capture_state: &tab.session.capture,
            message: tab.files.message.as_ref().map(|(m, is_error)| (m, *is_error)),
        };
        if ui::files_ui(ui, panel) {
            tab.open_log_folder();
        }
        let intent = match tab.settings.protocol {
            Protocol::TcpClient => None,
            Protocol::TcpServer => {
                ui.separator();
                ui::clients_ui(ui, &mut tab.session, &mut tab.send_to_all, tab.filter.client.map(|(conn, _)| conn))
            }
            Protocol::Udp => {
                ui.separator();
                ui::multicast_ui(ui, &mut tab.settings, &tab.session)
            }
        };
        tab.handle_connection_intent(engine, intent);
    }

    /// Carries out what the menu bar asked for.
    fn handle_menu_intent(&mut self, ctx: &egui::Context, intent: Option<MenuIntent>) {
        if let Some(intent) = intent
            && self.change_look(ctx, intent)
        {
            return;
        }
        if intent == Some(MenuIntent::Statistics) {
            self.open_stats();
            return;
        }
        let tab = &mut self.tabs[self.active];
        match intent {
            Some(MenuIntent::OpenCapture) => tab.ask_for_path(ctx, crate::model::FilePurpose::OpenCapture),
            Some(MenuIntent::CloseCapture) => tab.close_capture(),
            Some(MenuIntent::ExportPcapng) => tab.open_export(),
            Some(MenuIntent::SaveViewAs) => tab.save_view_as(ctx),
            Some(MenuIntent::OpenLogFolder) => tab.open_log_folder(),
            Some(MenuIntent::Quit) => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Some(
                MenuIntent::Theme(_)
                | MenuIntent::TextBigger
                | MenuIntent::TextSmaller
                | MenuIntent::TextReset
                | MenuIntent::Language(_)
                | MenuIntent::Statistics,
            )
            | None => {}
        }
    }
}

impl eframe::App for NetAssistApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.frame_stats.begin(Instant::now());
        self.frame_stats.last_events = self.drain_events(ctx);
        self.frame_stats.drained(Instant::now());
        let now = Instant::now();
        self.note_captures();
        for tab in &mut self.tabs {
            if let Some(due) = tab.session.view.flush_idle(std::time::SystemTime::now()) {
                ctx.request_repaint_after(due);
            }
            if let Some(due) = tab.update_reconnect(&self.engine, now) {
                // Once a second at least, so the countdown in the left column moves.
                ctx.request_repaint_after(due.min(Duration::from_secs(1)));
            }
            tab.sync_auto_replies(&self.engine);
            tab.poll_sequence(&self.engine);
            if let Some(due) = tab.sequence_wake() {
                ctx.request_repaint_after(due.saturating_duration_since(Instant::now()));
            }
            tab.update_session_files(&self.engine);
            tab.poll_dialog(ctx, &self.engine);
            tab.poll_open_job();
            tab.poll_big_capture();
            tab.poll_export();
            tab.retain_problems();
        }
        self.profiles.poll();
        self.poll_plot_save();
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.tab_shortcuts(ui.ctx());
        self.tabs[self.active].find_shortcuts(ui.ctx());
        let state = ui::MenuState {
            capture_open: self.tab().viewer.is_some() || self.tab().big.is_some(),
            theme: self.theme(),
            lang: crate::i18n::lang(),
        };
        let keys = self.look_shortcuts(ui.ctx());
        let intent = egui::Panel::top("menu").show(ui, |ui| ui::menu_ui(ui, state)).inner;
        self.handle_menu_intent(ui.ctx(), intent.or(keys));
        self.banner_ui(ui);
        egui::Panel::bottom("status").show(ui, |ui| {
            let tab = &mut self.tabs[self.active];
            if ui::status_ui(ui, &tab.session, tab.problems.latest()) {
                tab.session.counters = crate::model::Counters::default();
            }
        });
        let left = egui::Panel::left("connection")
            .resizable(true)
            .default_size(self.layout.left_panel)
            .min_size(230.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| self.left_column_ui(ui));
            });
        let engine = &self.engine;
        let tab = &mut self.tabs[self.active];
        let send = egui::Panel::bottom("send")
            .resizable(true)
            .default_size(self.layout.send_panel)
            .min_size(110.0)
            .show(ui, |ui| {
                let can_send = matches!(
                    tab.session.state,
                    LinkState::Connected { .. } | LinkState::Listening { .. } | LinkState::UdpOpen { .. }
                );
                // A payload that cannot be made shows in the error colour before Send is pressed.
                let (preview, unsendable) = match tab.send_preview() {
                    Ok(preview) => (preview, None),
                    Err(problem) => (String::new(), Some(problem)),
                };
                ui.add_space(2.0);
                tab.jobs_ui(ui, engine);
                let problem = tab.problems.send.as_ref().map(|p| &p.message).or(unsendable.as_ref());
                let intent = ui::send_ui(
                    ui,
                    &mut tab.send_text,
                    &mut tab.settings,
                    can_send,
                    problem,
                    &preview,
                    &mut tab.history,
                );
                if intent == Some(ui::SendIntent::Send) {
                    tab.send(engine);
                }
            });
        egui::Panel::right("presets").resizable(true).default_size(180.0).min_size(140.0).show(ui, |ui| {
            tab.presets_ui(ui, engine);
        });
        tab.rules_window(ui.ctx());
        tab.export_ui(ui.ctx());
        tab.path_prompt_window(ui.ctx(), engine);
        self.stats_ui(ui.ctx());
        egui::CentralPanel::default().show(ui, |ui| {
            self.tab_bar_ui(ui);
            ui.separator();
            match self.beside {
                Some(beside) if beside < self.tabs.len() => {
                    let (left, right) = (self.active, beside);
                    let mut focus = None;
                    ui.columns(2, |columns| {
                        for (column, index) in columns.iter_mut().zip([left, right]) {
                            let tab = &mut self.tabs[index];
                            column.push_id(("pane", index), |ui| {
                                let title = tab.title();
                                let header = if index == left { format!("» {title}") } else { title };
                                if ui.selectable_label(index == left, header).clicked() {
                                    focus = Some(index);
                                }
                                find_actions::receive_pane_ui(ui, tab);
                            });
                        }
                    });
                    if let Some(index) = focus {
                        self.select_tab(index);
                    }
                }
                _ => find_actions::receive_pane_ui(ui, &mut self.tabs[self.active]),
            }
        });
        let window = ui.ctx().input(|i| i.viewport().inner_rect);
        self.note_layout(window.map(|r| r.size()), left.response.rect.width(), send.response.rect.height());
        let mut show = self.show_perf;
        ui::perf_ui(ui, &mut show, || self.stats_line());
        self.show_perf = show;
        ui::fonts::redraw_if_glyphs_deferred(ui.ctx());
        self.frame_stats.end(Instant::now());
        self.after_frame(ui.ctx());
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.remember_workspace();
        self.profiles.set_layout(self.layout);
        self.profiles.flush();
    }
}

impl Drop for NetAssistApp {
    /// Every way out saves: a normal exit has saved in `on_exit` already (this
    /// writes nothing new); a window destroyed from outside, which ends in a
    /// panic inside winit, saves here while the panic unwinds.
    fn drop(&mut self) {
        self.remember_workspace();
        self.profiles.set_layout(self.layout);
        self.profiles.flush();
    }
}
