//! One session of the window as one value: everything a tab needs (its
//! settings, link and view, send box, jobs, auto-reply rules, reconnect,
//! files and problems) lives here, so a second tab, a workspace file or a
//! headless runner is "a list of sessions".

use crate::ids::ConnId;
use std::collections::BTreeSet;

use crate::codec::Vars;
use crate::engine::{EngineHandle, Event};
use crate::model::{
    CaptureViewer, FilePurpose, FilterState, FindState, LinkState, Message, PathPrompt, Problems, Protocol,
    SendHistory, Session, Settings,
};
use crate::view::{ReceiveView, StoreLimits};

use super::auto_reply_actions::AppliedRules;
use super::big_capture::BigCaptureTab;
use super::capture_viewer::OpenJob;
use super::export_actions::ExportDialog;
use super::file_dialog::DialogJob;
use super::job_actions::Jobs;
use super::profiles::ProfileUse;
use super::reconnect::Reconnect;
use super::sequence_actions::Sequence;
use super::session_files::SessionFiles;
use crate::ui::ProfileDialog;

/// One session: a tab of the window.
pub struct SessionTab {
    /// What the user has set in the left column and the mode switches.
    pub settings: Settings,
    /// The link, counters and receive view.
    pub session: Session,
    /// The send box's text.
    pub send_text: String,
    /// Texts sent, for ↑/↓ recall in the send box.
    pub history: SendHistory,
    /// The name typed for a new quick-send preset.
    pub preset_name: String,
    /// The custom display delimiter as typed (hex).
    pub delimiter_text: String,
    /// While the display is paused: the first record not shown.
    pub display_paused_at: Option<u64>,
    /// TCP server: send to every client rather than the selected ones.
    pub send_to_all: bool,
    /// The problems shown under the fields, each tied to its cause.
    pub problems: Problems,
    /// The session's log and capture files.
    pub files: SessionFiles,
    /// Cyclic and file sends.
    pub jobs: Jobs,
    /// The auto-reply rules window is open.
    pub show_rules: bool,
    /// What the engine's auto-reply rules were made from.
    pub(super) applied_rules: AppliedRules,
    /// TCP client auto-reconnect.
    pub reconnect: Reconnect,
    /// An opened capture file, shown instead of the live view until closed.
    pub viewer: Option<CaptureViewer>,
    /// A capture too big for a view, opened whole, shown instead of the live view until closed.
    pub big: Option<BigCaptureTab>,
    /// An "Open capture…" under way.
    pub(super) open_job: Option<OpenJob>,
    /// A file dialog under way, and what it chooses a file for.
    pub(super) dialog: Option<(FilePurpose, DialogJob)>,
    /// The path field shown where there is no file dialog.
    pub path_prompt: Option<PathPrompt>,
    /// The view limits an opened capture gets.
    pub(super) viewer_limits: StoreLimits,
    /// The find bar (Ctrl+F) over the pane's view.
    pub find: FindState,
    /// The filter row over the pane's view.
    pub filter: FilterState,
    /// File ▸ Export capture as pcapng…
    pub export: ExportDialog,
    /// The saved profile this tab uses, if any.
    pub profile: Option<ProfileUse>,
    /// The profile picker's open dialog (name, delete or overwrite confirmation).
    pub profile_dialog: ProfileDialog,
    /// The name the user gave the tab; `None`: named after its profile or endpoint.
    pub title: Option<String>,
    /// Traffic arrived while the tab was not in view.
    pub unread: bool,
    /// The sequence panel's run.
    pub sequence: Sequence,
    /// What the tab's sends fill variables from: `${seq}`'s counter, the random generator.
    pub vars: Vars,
    /// The longest a received read waited between the engine and this tab (for the stats file).
    pub rx_lag_max: std::time::Duration,
    /// The connections, listeners and sockets this tab opened and has not seen end.
    pub(super) opened: BTreeSet<ConnId>,
}

impl SessionTab {
    /// A tab with `settings`, idle, with a view bounded by `limits`.
    pub fn new(settings: Settings, limits: StoreLimits, files: SessionFiles) -> Self {
        let mut view = ReceiveView::new(settings.charset, settings.view_mode, limits);
        view.set_framing(settings.framing.clone());
        Self {
            settings,
            session: Session::new(view),
            send_text: String::new(),
            history: SendHistory::default(),
            preset_name: String::new(),
            delimiter_text: String::new(),
            display_paused_at: None,
            send_to_all: true,
            problems: Problems::default(),
            files,
            jobs: Jobs::default(),
            show_rules: false,
            applied_rules: None,
            reconnect: Reconnect::default(),
            viewer: None,
            big: None,
            open_job: None,
            dialog: None,
            path_prompt: None,
            viewer_limits: limits,
            find: FindState::default(),
            filter: FilterState::default(),
            export: ExportDialog::default(),
            profile: None,
            profile_dialog: ProfileDialog::Closed,
            title: None,
            unread: false,
            vars: Vars::default(),
            sequence: Sequence::default(),
            rx_lag_max: std::time::Duration::ZERO,
            opened: BTreeSet::new(),
        }
    }

    /// Whether `event` belongs to this tab (its connection, listener or UDP
    /// socket, a client of its server, or one of its jobs); `None` for an
    /// event about no connection (the capture's), which goes to the tab in view.
    pub fn owns(&self, event: &Event) -> Option<bool> {
        if let Some(job) = event.job() {
            return Some(self.session.jobs.contains_key(&job));
        }
        if let Event::Accepted { listener, .. } = event {
            return Some(self.opened.contains(listener));
        }
        event.conn().map(|conn| self.opened.contains(&conn) || self.session.clients.contains_key(&conn))
    }

    /// Applies an event of this tab's, and forgets an id whose end it reports.
    pub fn apply(&mut self, event: Event, show: bool) {
        let ended = match &event {
            Event::ConnectFailed { conn, .. } | Event::Closed { conn, .. } => Some(*conn),
            Event::ListenFailed { listener, .. } | Event::ListenerClosed { listener, .. } => Some(*listener),
            Event::UdpBindFailed { socket, .. } | Event::UdpClosed { socket, .. } => Some(*socket),
            _ => None,
        };
        if let Event::Received { at, .. } = &event {
            let lag = std::time::SystemTime::now().duration_since(*at).unwrap_or_default();
            self.rx_lag_max = self.rx_lag_max.max(lag);
        }
        self.sequence.offer(&event);
        if show {
            self.session.apply(event);
        } else {
            self.session.apply_elided(event);
        }
        if let Some(id) = ended {
            self.opened.remove(&id);
        }
    }

    /// The problem under the send box, as text (for tests and tools).
    pub fn send_problem(&self) -> Option<String> {
        self.problems.send.as_ref().map(|p| p.message.to_string())
    }

    /// The problem under the connection fields, as text (for tests and tools).
    pub fn form_problem(&self) -> Option<String> {
        self.problems.form.as_ref().map(|p| p.message.to_string())
    }

    /// What the status bar shows as the current problem: the live problem of
    /// a field, else the link's last error.
    pub fn status_problem(&self) -> Option<&Message> {
        self.problems.latest().or(self.session.last_error.as_ref())
    }

    /// Once a frame: forgets the problems whose cause is gone.
    pub fn retain_problems(&mut self) {
        let clients = self.session.clients.len();
        self.problems.retain(&self.settings, &self.session.state, &self.send_text, clients);
    }

    /// Puts `settings` in force (a profile was opened): the view follows their charset and mode.
    pub fn use_settings(&mut self, settings: Settings) {
        let charset_changed = settings.charset != self.settings.charset;
        self.settings = settings;
        if charset_changed {
            self.session.view.set_charset(self.settings.charset);
        }
        self.session.view.set_mode(self.settings.view_mode);
        self.problems.form = None;
    }

    /// The tab's title: the name given to it, else its profile's, else its
    /// mode and endpoint ("TCP client 127.0.0.1:8000").
    pub fn title(&self) -> String {
        if let Some(title) = &self.title {
            return title.clone();
        }
        if let Some(using) = &self.profile {
            return using.name.clone();
        }
        let s = &self.settings;
        let endpoint = match s.protocol {
            Protocol::TcpClient => join_host_port(&s.remote_host, &s.remote_port),
            Protocol::TcpServer => join_host_port(&s.bind_host, &s.listen_port),
            Protocol::Udp => join_host_port(&s.bind_host, &s.udp_port),
        };
        Message::Endpoint { protocol: s.protocol, endpoint }.to_string()
    }

    /// The profile's name, if the tab uses one.
    pub fn profile_name(&self) -> Option<&str> {
        self.profile.as_ref().map(|p| p.name.as_str())
    }

    /// Whether closing the tab would end something: a link open (or opening) or a capture.
    pub fn is_busy(&self) -> bool {
        self.session.state != LinkState::Idle || self.files.is_capturing()
    }

    /// Closes whatever this tab has open (when the tab or the window closes).
    pub fn shut(&mut self, engine: &EngineHandle) {
        self.disconnect(engine);
        if self.files.is_capturing() {
            self.stop_capture(engine);
        }
        self.close_log();
    }
}

/// `host:port`, with brackets around an IPv6 host.
fn join_host_port(host: &str, port: &str) -> String {
    let host = host.trim();
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]:{}", port.trim())
    } else {
        format!("{host}:{}", port.trim())
    }
}
