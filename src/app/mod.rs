//! The eframe application: owns the engine handle, the sessions (tabs) and
//! the app-wide parts (profiles, window layout, the menu), drains engine
//! events into the tab each belongs to in `logic` under a time budget, and
//! lays out the panels in `ui`. Each tab is a [`SessionTab`], one value.

mod actions;
mod auto_reply_actions;
mod capture_viewer;
mod frame_stats;
mod job_actions;
mod perf;
mod preset_actions;
mod profile_actions;
mod profiles;
mod reconnect;
mod session_files;
mod tab;

pub use capture_viewer::OpenJob;
pub use frame_stats::{FrameStats, FrameSummary, resident_bytes};
pub use job_actions::Jobs;
pub use profiles::ProfileBook;
pub use reconnect::Reconnect;
pub use session_files::SessionFiles;
pub use tab::SessionTab;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use eframe::egui;

use crate::engine::{EngineConfig, EngineHandle, EventReceiver};
use crate::model::{LinkState, Message, Protocol, Settings, SettingsOverrides};
use crate::profile::WindowLayout;
use crate::ui::{self, MenuIntent, ProfileDialog};
use crate::view::StoreLimits;

/// How long `logic` may spend applying engine events in one frame before it
/// leaves the rest for the next frame (so a flood never freezes the window).
/// 8 ms keeps a frame's own work near 11 ms (p99, measured under a 1 GiB
/// flood in tools/bench_app.py); with data let pass past [`SHOW_BUDGET`]
/// the rest of a backlog is only counted, which takes little of it.
const DRAIN_BUDGET: Duration = Duration::from_millis(8);
/// The part of [`DRAIN_BUDGET`] in which data events are always decoded and
/// shown; past it a frame only counts them while the queue is backed up
/// (see [`NetAssistApp::drain_events`]).
const SHOW_BUDGET: Duration = Duration::from_millis(4);
/// Delay between an engine wake-up and the repaint it asks for, so that a
/// burst of events is applied in one frame instead of one frame per packet,
/// and traffic repaints at most ~30 times a second: in software GL painting
/// had taken 60 % of the CPU under a UDP stream at 10 ms.
const REPAINT_DELAY: Duration = Duration::from_millis(33);

/// How the app starts: which settings to show and whether to connect at once.
///
/// The settings are, in order: `settings` (or the profile named by `profile`,
/// or, with `restore_last`, the profile used last), then `overrides` on top.
#[derive(Clone, Debug, Default)]
pub struct StartOptions {
    /// Initial settings when no profile is opened.
    pub settings: Settings,
    /// Open this saved profile (`--profile`); an unknown name is reported in the window.
    pub profile: Option<String>,
    /// Open the profile used last, if any (a start with no settings asked for).
    pub restore_last: bool,
    /// Settings from the command line, applied last.
    pub overrides: SettingsOverrides,
    /// Connect as soon as the window opens.
    pub connect: bool,
    /// Receive view limits.
    pub limits: StoreLimits,
    /// Where profiles live; `None` keeps them in memory only (tests use a temp dir).
    pub config_dir: Option<PathBuf>,
    /// Why there is no `config_dir`, for the banner.
    pub config_dir_problem: Option<String>,
    /// Where logs and captures go; `None`: logging and capture are unavailable.
    pub data_dir: Option<PathBuf>,
    /// Why there is no `data_dir`.
    pub data_dir_problem: Option<String>,
    /// Write frame times and counters to this file once a second (`--stats-file`, for benchmarks).
    pub stats_file: Option<PathBuf>,
    /// When the process started, to report the time to the first frame.
    pub started_at: Option<Instant>,
    /// The engine's queue sizes and resolver (the default for the real app;
    /// tests inject a resolver, so no real DNS is asked, and tiny queues).
    pub engine: EngineConfig,
    /// How long a frame always shows the data it applies before it lets
    /// data pass while the queue is backed up; `None`: 4 ms (tests of
    /// floods set zero, to let pass all they can).
    pub show_budget: Option<Duration>,
}

/// The netassist window.
pub struct NetAssistApp {
    engine: EngineHandle,
    events: EventReceiver,
    wake_pending: Arc<AtomicBool>,
    /// See [`StartOptions::show_budget`].
    show_budget: Duration,
    /// The sessions, in tab order (one today).
    tabs: Vec<SessionTab>,
    /// The tab in view.
    active: usize,
    /// Addresses offered for binding the server and UDP socket.
    bind_choices: Vec<String>,
    /// The saved profiles and the one in use.
    pub profiles: ProfileBook,
    /// The profile picker's open dialog (name or delete confirmation).
    pub profile_dialog: ProfileDialog,
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
        let mut profiles = ProfileBook::open(options.config_dir.as_deref(), options.config_dir_problem.clone());
        let layout = profiles.layout().unwrap_or_default();
        let (settings, start_problem, connect) = resolve_start(&mut profiles, &options);
        let files = SessionFiles::new(options.data_dir.clone(), options.data_dir_problem.clone());
        let mut tab = SessionTab::new(settings, options.limits, files);
        tab.profile = profiles.current().map(str::to_owned);
        let mut app = Self {
            engine,
            events,
            wake_pending,
            show_budget: options.show_budget.unwrap_or(SHOW_BUDGET),
            tabs: vec![tab],
            active: 0,
            bind_choices: bind_choices(),
            profiles,
            profile_dialog: ProfileDialog::Closed,
            start_problem,
            layout,
            frame_stats: FrameStats::default(),
            show_perf: false,
            perf: perf::PerfOutput::new(options.stats_file.clone(), options.started_at),
        };
        if connect {
            app.connect();
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

    /// Connects (listens, opens) the tab in view, as its Connect button does.
    pub fn connect(&mut self) {
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

    /// Applies queued engine events until the queue is empty or the frame's
    /// budget is spent; returns how many were applied. Data events are shown
    /// for the first part of the budget; past it, while the queue is backed
    /// up (the engine outpaces the UI), they are counted and let pass (the
    /// view notes the gap), so a flood drains at the speed of the network
    /// rather than of decoding, and the frame still ends on time. A slow or
    /// busy machine with no backlog still shows everything.
    pub fn drain_events(&mut self, ctx: &egui::Context) -> usize {
        self.wake_pending.store(false, Ordering::Release);
        let started = Instant::now();
        let mut applied = 0;
        while let Some(event) = self.events.try_recv() {
            // Checked after every event: one event may carry a 64 KiB read to
            // decode, so checking every 64th overshot the budget by ~6 ms.
            let elapsed = started.elapsed();
            let show = elapsed < self.show_budget || !self.events.is_backed_up();
            let owner = self.tabs.iter().position(|tab| tab.owns(&event) == Some(true)).unwrap_or(self.active);
            self.tabs[owner].apply(event, show);
            applied += 1;
            if elapsed > DRAIN_BUDGET {
                // More may be waiting: come back next frame, after painting this one.
                ctx.request_repaint();
                break;
            }
        }
        for tab in &mut self.tabs {
            tab.session.view.note_unshown();
        }
        applied
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
                ui::clients_ui(ui, &mut tab.session, &mut tab.send_to_all)
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
        let tab = &mut self.tabs[self.active];
        match intent {
            Some(MenuIntent::OpenCapture) => tab.open_capture_dialog(ctx),
            Some(MenuIntent::CloseCapture) => tab.close_capture(),
            Some(MenuIntent::SaveViewAs) => tab.save_view_as(ctx),
            Some(MenuIntent::OpenLogFolder) => tab.open_log_folder(),
            Some(MenuIntent::Quit) => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            None => {}
        }
    }
}

/// The settings to start with, a start-up problem to show, and whether to connect.
fn resolve_start(profiles: &mut ProfileBook, options: &StartOptions) -> (Settings, Option<Message>, bool) {
    let mut settings = options.settings.clone();
    let mut error = None;
    let mut connect = options.connect;
    let wanted = options.profile.clone().or_else(|| if options.restore_last { profiles.last_used() } else { None });
    if let Some(name) = wanted {
        match profiles.select(&name) {
            Ok((loaded, _notes)) => settings = loaded,
            Err(_) => {
                error = Some(Message::UnknownProfile { name, known: profiles.names() });
                // Connecting somewhere the user did not ask for would be worse than not connecting.
                connect = false;
            }
        }
    }
    options.overrides.apply(&mut settings);
    (settings, error, connect)
}

/// The wildcard and loopback addresses, then this machine's interface addresses.
fn bind_choices() -> Vec<String> {
    let mut choices: Vec<String> = ["0.0.0.0", "127.0.0.1", "::", "::1"].map(String::from).to_vec();
    for addr in crate::engine::local_addresses() {
        let text = addr.to_string();
        if !choices.contains(&text) {
            choices.push(text);
        }
    }
    choices
}

impl eframe::App for NetAssistApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.frame_stats.begin(Instant::now());
        self.frame_stats.last_events = self.drain_events(ctx);
        let now = Instant::now();
        for tab in &mut self.tabs {
            if let Some(due) = tab.session.view.flush_idle(std::time::SystemTime::now()) {
                ctx.request_repaint_after(due);
            }
            if let Some(due) = tab.update_reconnect(&self.engine, now) {
                // Once a second at least, so the countdown in the left column moves.
                ctx.request_repaint_after(due.min(Duration::from_secs(1)));
            }
            tab.sync_auto_replies(&self.engine);
            tab.update_session_files(&self.engine);
            tab.poll_open_job();
            tab.retain_problems();
        }
        self.profiles.poll();
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let capture_open = self.tab().viewer.is_some();
        let intent = egui::Panel::top("menu").show(ui, |ui| ui::menu_ui(ui, capture_open)).inner;
        self.handle_menu_intent(ui.ctx(), intent);
        self.banner_ui(ui);
        egui::Panel::bottom("status").show(ui, |ui| {
            let tab = self.tab();
            ui::status_ui(ui, &tab.session, tab.problems.latest());
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
                let preview = tab.send_preview();
                ui.add_space(2.0);
                tab.jobs_ui(ui, engine);
                let problem = tab.problems.send.as_ref().map(|p| &p.message);
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
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(viewer) = &mut tab.viewer {
                if ui::capture_ui(ui, viewer) {
                    tab.close_capture();
                }
                return;
            }
            let controls = ui::ReceiveControls {
                mode: &mut tab.settings.view_mode,
                paused_at: &mut tab.display_paused_at,
                framing: &mut tab.settings.framing,
                delimiter_text: &mut tab.delimiter_text,
            };
            ui::receive_ui(ui, &mut tab.session.view, controls);
        });
        tab.rules_window(ui.ctx());
        let window = ui.ctx().input(|i| i.viewport().inner_rect);
        self.note_layout(window.map(|r| r.size()), left.response.rect.width(), send.response.rect.height());
        let mut show = self.show_perf;
        ui::perf_ui(ui, &mut show, || self.stats_line());
        self.show_perf = show;
        self.frame_stats.end(Instant::now());
        self.after_frame(ui.ctx());
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.profiles.set_layout(self.layout);
        self.profiles.flush();
    }
}
