//! Cyclic sends and file sends: where they go (as a Send would), starting
//! and stopping them on the engine.

use crate::ids::JobId;
use std::path::Path;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use eframe::egui;

use super::SessionTab;
use crate::engine::{CyclicFill, CyclicSend, EngineHandle, FileSend, SendTarget};
use crate::model::{FilePurpose, JobInfo, JobKind, LinkState, Message, PayloadError, Protocol, parse_payload};
use crate::ui::{self, JobIntent, JobsPanel};

/// The jobs row's settings and the jobs running.
#[derive(Debug)]
pub struct Jobs {
    /// Cyclic interval in ms.
    pub interval_ms: u32,
    /// Cyclic count (0: until stopped).
    pub count: u64,
    /// File chunk (TCP) or datagram (UDP) size.
    pub chunk: u32,
    /// The running cyclic send.
    pub cyclic: Option<JobId>,
    /// The running file send.
    pub file: Option<JobId>,
}

impl Default for Jobs {
    fn default() -> Self {
        Self { interval_ms: 1000, count: 0, chunk: 1024, cyclic: None, file: None }
    }
}

impl SessionTab {
    /// The jobs row of the send panel.
    pub(super) fn jobs_ui(&mut self, ui: &mut egui::Ui, engine: &EngineHandle) {
        self.forget_ended_jobs();
        let cyclic = self.jobs.cyclic.and_then(|job| self.session.jobs.get(&job));
        let file = self
            .jobs
            .file
            .and_then(|job| self.session.jobs.get(&job))
            .map(|info| (info, SystemTime::now().duration_since(info.started).unwrap_or_default()));
        let panel = JobsPanel {
            interval_ms: &mut self.jobs.interval_ms,
            count: &mut self.jobs.count,
            cyclic,
            chunk: &mut self.jobs.chunk,
            file,
            udp: self.settings.protocol == Protocol::Udp,
        };
        let intent = ui::jobs_ui(ui, panel);
        ui::seq_ui(ui, &mut self.vars.counter);
        self.sequence_ui(ui, engine);
        if self.jobs.cyclic.is_some() || self.jobs.file.is_some() {
            // Progress moves without input: keep the counts current.
            ui.ctx().request_repaint_after(Duration::from_millis(100));
        }
        match intent {
            Some(JobIntent::StartCyclic) => self.start_cyclic(engine),
            Some(JobIntent::StopCyclic) => self.stop_job(engine, self.jobs.cyclic),
            Some(JobIntent::PickFile) => self.ask_for_path(ui.ctx(), FilePurpose::SendFile),
            Some(JobIntent::CancelFile) => self.stop_job(engine, self.jobs.file),
            None => {}
        }
    }

    fn forget_ended_jobs(&mut self) {
        let ended = |job: Option<JobId>, jobs: &std::collections::BTreeMap<JobId, JobInfo>| {
            job.filter(|id| jobs.get(id).is_some_and(|info| info.ended.is_none()))
        };
        self.jobs.cyclic = ended(self.jobs.cyclic, &self.session.jobs);
        self.jobs.file = ended(self.jobs.file, &self.session.jobs);
    }

    /// Where a job's items go: the same place a Send goes.
    fn job_target(&self) -> Result<SendTarget, Message> {
        match &self.session.state {
            LinkState::Connected { conn, .. } => Ok(SendTarget::Conn(*conn)),
            LinkState::Listening { .. } => Ok(SendTarget::Conns(self.send_targets()?)),
            LinkState::UdpOpen { conn: socket, .. } => {
                let (host, port) = self.udp_destination()?;
                Ok(SendTarget::Udp { socket: *socket, host, port })
            }
            _ => Err(Message::JobNotOpen),
        }
    }

    /// Starts sending the send box's bytes every interval (count times, or until stopped).
    pub fn start_cyclic(&mut self, engine: &EngineHandle) {
        self.problems.send = None;
        let result =
            parse_payload(&self.send_text, &self.settings.payload_format()).map_err(Message::from).and_then(|send| {
                // The first send is checked now: bad variables start nothing.
                let mut vars = self.vars.clone();
                let data = send.preview(&vars, None, SystemTime::now()).map_err(PayloadError::from)?;
                if data.is_empty() {
                    return Err(Message::NothingToRepeat);
                }
                // With variables the job fills them in at each send, from the
                // tab's counter on; the tab's counter then goes on from where a
                // counted job will leave it.
                let fill = send.template().has_vars().then(|| CyclicFill { send: send.clone(), vars: vars.clone() });
                if self.jobs.count > 0 && send.template().uses_seq() {
                    vars.counter.skip(self.jobs.count);
                }
                let request = CyclicSend {
                    target: self.job_target()?,
                    data: Bytes::from(data),
                    interval: Duration::from_millis(u64::from(self.jobs.interval_ms.max(1))),
                    count: (self.jobs.count > 0).then_some(self.jobs.count),
                    fill,
                };
                let job = engine.start_cyclic(request)?;
                self.vars = vars;
                Ok(job)
            });
        match result {
            Ok(job) => {
                self.session.jobs.insert(job, JobInfo::new(JobKind::Cyclic, SystemTime::now()));
                self.jobs.cyclic = Some(job);
            }
            Err(message) => self.fail_send(message),
        }
    }

    /// Starts streaming the file at `path` to where a Send goes.
    pub fn start_file_send(&mut self, engine: &EngineHandle, path: &Path) {
        self.problems.send = None;
        let result = self.job_target().and_then(|target| {
            let request = FileSend { target, path: path.to_path_buf(), chunk: self.jobs.chunk.max(1) as usize };
            Ok(engine.send_file(request)?)
        });
        match result {
            Ok(job) => {
                let mut info = JobInfo::new(JobKind::File, SystemTime::now());
                info.total_bytes = std::fs::metadata(path).ok().map(|m| m.len());
                self.session.jobs.insert(job, info);
                self.jobs.file = Some(job);
            }
            Err(message) => self.fail_send(message),
        }
    }

    fn stop_job(&mut self, engine: &EngineHandle, job: Option<JobId>) {
        if let Some(job) = job
            && let Err(error) = engine.stop_job(job)
        {
            self.fail_send(error.into());
        }
    }
}
