//! The eframe application: owns the engine handle and the session, drains
//! engine events in `logic` under a time budget, and lays out the panels in `ui`.

mod actions;
mod auto_reply;
mod auto_reply_actions;
mod capture_viewer;
mod frame_stats;
mod history;
mod job_actions;
mod menu;
mod perf;
mod preset_actions;
mod profile_actions;
mod profile_map;
mod profiles;
mod reconnect;
mod session;
mod session_files;
mod settings;

pub use auto_reply::{AutoReplySpec, CompiledRule, MatchKind, ReplyKind};
pub use capture_viewer::{CaptureViewer, OpenJob};
pub use frame_stats::{FrameStats, FrameSummary, resident_bytes};
pub use history::{HISTORY_LEN, SendHistory};
pub use job_actions::Jobs;
pub use profile_map::{from_profile, to_profile};
pub use profiles::{Message, ProfileBook};
pub use reconnect::Reconnect;
pub use session::{CaptureState, ClientInfo, Counters, JobInfo, JobKind, LinkState, Session, describe_local};
pub use session_files::SessionFiles;
pub use settings::{PayloadFormat, Preset, Protocol, SendMode, Settings, SettingsOverrides};

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use eframe::egui;

use crate::engine::{EngineConfig, EngineHandle, EventReceiver};
use crate::profile::WindowLayout;
use crate::ui::{self, ProfileDialog};
use crate::view::{ReceiveView, StoreLimits};

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
    /// data pass while the queue is backed up; `None`: 6 ms (tests of
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
    /// What the user has set in the left column and the mode switches.
    pub settings: Settings,
    /// The session's link, counters and receive view.
    pub session: Session,
    /// The send box's text.
    pub send_text: String,
    /// The name typed for a new quick-send preset.
    pub preset_name: String,
    /// Why the last preset action did nothing.
    pub preset_error: Option<String>,
    /// The custom display delimiter as typed (hex).
    pub delimiter_text: String,
    /// While the display is paused: the first record not shown.
    pub display_paused_at: Option<u64>,
    /// Texts sent, for ↑/↓ recall in the send box.
    pub history: SendHistory,
    /// Why the last Send did nothing (invalid hex, not connected…), shown under the send box.
    pub send_error: Option<String>,
    /// Why the last Connect did nothing (bad port…), shown in the left column.
    pub form_error: Option<String>,
    /// TCP server: send to every client rather than the selected ones.
    pub send_to_all: bool,
    /// Addresses offered for binding the server and UDP socket.
    bind_choices: Vec<String>,
    /// The saved profiles and the one in use.
    pub profiles: ProfileBook,
    /// The profile picker's open dialog (name or delete confirmation).
    pub profile_dialog: ProfileDialog,
    /// A problem with how the app was started (an unknown `--profile`), shown in a banner.
    pub start_error: Option<String>,
    /// Window and panel sizes, as last laid out.
    layout: WindowLayout,
    /// The session's log and other files.
    pub files: SessionFiles,
    /// Cyclic and file sends.
    pub jobs: Jobs,
    /// The auto-reply rules window is open.
    pub show_rules: bool,
    /// Problems of the auto-reply rules (left out until fixed).
    pub rule_errors: Vec<String>,
    /// What the engine's auto-reply rules were made from.
    applied_rules: auto_reply_actions::AppliedRules,
    /// TCP client auto-reconnect.
    pub reconnect: Reconnect,
    /// An opened capture file, shown instead of the live view until closed.
    pub viewer: Option<CaptureViewer>,
    /// An "Open capture…" under way.
    open_job: Option<OpenJob>,
    /// The view limits an opened capture gets.
    viewer_limits: StoreLimits,
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
        let (settings, start_error, connect) = resolve_start(&mut profiles, &options);
        let mut view = ReceiveView::new(settings.charset, settings.view_mode, options.limits);
        view.set_framing(settings.framing.clone());
        let mut app = Self {
            engine,
            events,
            wake_pending,
            show_budget: options.show_budget.unwrap_or(SHOW_BUDGET),
            settings,
            session: Session::new(view),
            send_text: String::new(),
            history: SendHistory::default(),
            display_paused_at: None,
            delimiter_text: String::new(),
            preset_name: String::new(),
            preset_error: None,
            send_error: None,
            form_error: None,
            send_to_all: true,
            bind_choices: bind_choices(),
            profiles,
            profile_dialog: ProfileDialog::Closed,
            start_error,
            layout,
            files: SessionFiles::new(options.data_dir.clone(), options.data_dir_problem.clone()),
            reconnect: Reconnect::default(),
            jobs: Jobs::default(),
            show_rules: false,
            rule_errors: Vec::new(),
            applied_rules: None,
            viewer: None,
            open_job: None,
            viewer_limits: options.limits,
            frame_stats: FrameStats::default(),
            show_perf: false,
            perf: perf::PerfOutput::new(options.stats_file.clone(), options.started_at),
        };
        if connect {
            app.connect();
        }
        Ok(app)
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
            if elapsed < self.show_budget || !self.events.is_backed_up() {
                self.session.apply(event);
            } else {
                self.session.apply_unshown(event);
            }
            applied += 1;
            if elapsed > DRAIN_BUDGET {
                // More may be waiting: come back next frame, after painting this one.
                ctx.request_repaint();
                break;
            }
        }
        self.session.view.note_unshown();
        applied
    }
}

impl NetAssistApp {
    fn left_column_ui(&mut self, ui: &mut egui::Ui) {
        ui.add_space(4.0);
        ui.heading("netassist");
        ui.label(egui::RichText::new("网络调试助手 · network debugging assistant").small().weak());
        ui.separator();
        self.profiles_ui(ui);
        ui.separator();
        let next_attempt = self.reconnect.planned.map(|(due, n)| (due.saturating_duration_since(Instant::now()), n));
        let intent = ui::connection_ui(
            ui,
            &mut self.settings,
            &self.session.state,
            &self.bind_choices,
            self.form_error.as_deref(),
            next_attempt,
        );
        self.handle_connection_intent(intent);
        ui.separator();
        self.auto_reply_ui(ui);
        ui.separator();
        self.session_files_ui(ui);
        let intent = match self.settings.protocol {
            Protocol::TcpClient => None,
            Protocol::TcpServer => {
                ui.separator();
                ui::clients_ui(ui, &mut self.session, &mut self.send_to_all)
            }
            Protocol::Udp => {
                ui.separator();
                ui::multicast_ui(ui, &mut self.settings, &self.session)
            }
        };
        self.handle_connection_intent(intent);
    }
}

/// The settings to start with, a start-up problem to show, and whether to connect.
fn resolve_start(profiles: &mut ProfileBook, options: &StartOptions) -> (Settings, Option<String>, bool) {
    let mut settings = options.settings.clone();
    let mut error = None;
    let mut connect = options.connect;
    let wanted = options.profile.clone().or_else(|| if options.restore_last { profiles.last_used() } else { None });
    if let Some(name) = wanted {
        match profiles.select(&name) {
            Ok((loaded, _notes)) => settings = loaded,
            Err(_) => {
                let names = profiles.names();
                let known = if names.is_empty() {
                    "There are no saved profiles yet.".to_owned()
                } else {
                    format!("Saved profiles: {}.", names.join(", "))
                };
                error = Some(format!("No profile named \"{name}\". {known} Starting with default settings."));
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
        if let Some(due) = self.session.view.flush_idle(std::time::SystemTime::now()) {
            ctx.request_repaint_after(due);
        }
        if let Some(due) = self.update_reconnect(Instant::now()) {
            // Once a second at least, so the countdown in the left column moves.
            ctx.request_repaint_after(due.min(Duration::from_secs(1)));
        }
        self.sync_auto_replies();
        self.update_session_files();
        self.poll_open_job();
        self.profiles.poll();
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::Panel::top("menu").show(ui, |ui| self.menu_ui(ui));
        if self.start_error.is_some() || self.profiles.problem().is_some() {
            egui::Panel::top("banner").show(ui, |ui| self.banner_ui(ui));
        }
        egui::Panel::bottom("status").show(ui, |ui| {
            ui::status_ui(ui, &self.session);
        });
        let left = egui::Panel::left("connection")
            .resizable(true)
            .default_size(self.layout.left_panel)
            .min_size(230.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| self.left_column_ui(ui));
            });
        let send = egui::Panel::bottom("send")
            .resizable(true)
            .default_size(self.layout.send_panel)
            .min_size(110.0)
            .show(ui, |ui| {
                let can_send = matches!(
                    self.session.state,
                    LinkState::Connected { .. } | LinkState::Listening { .. } | LinkState::UdpOpen { .. }
                );
                let preview = self.send_preview();
                ui.add_space(2.0);
                self.jobs_ui(ui);
                let intent = ui::send_ui(
                    ui,
                    &mut self.send_text,
                    &mut self.settings,
                    can_send,
                    self.send_error.as_deref(),
                    &preview,
                    &mut self.history,
                );
                if intent == Some(ui::SendIntent::Send) {
                    self.send();
                }
            });
        egui::Panel::right("presets").resizable(true).default_size(180.0).min_size(140.0).show(ui, |ui| {
            self.presets_ui(ui);
        });
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(viewer) = &mut self.viewer {
                if ui::capture_ui(ui, viewer) {
                    self.close_capture();
                }
                return;
            }
            let controls = ui::ReceiveControls {
                mode: &mut self.settings.view_mode,
                paused_at: &mut self.display_paused_at,
                framing: &mut self.settings.framing,
                delimiter_text: &mut self.delimiter_text,
            };
            ui::receive_ui(ui, &mut self.session.view, controls);
        });
        let window = ui.ctx().input(|i| i.viewport().inner_rect);
        self.note_layout(window.map(|r| r.size()), left.response.rect.width(), send.response.rect.height());
        self.rules_window(ui.ctx());
        self.perf_ui(ui);
        self.frame_stats.end(Instant::now());
        self.after_frame(ui.ctx());
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.profiles.set_layout(self.layout);
        self.profiles.flush();
    }
}
