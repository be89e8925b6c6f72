//! A tab's sequence: its steps (in the script format, kept in the settings
//! so they are saved with the profile) run by the script [`Runner`] on the
//! tab's connection. The runner is fed the tab's events (see
//! [`SessionTab::apply`]) and polled once a frame, so a run never blocks a
//! frame; a wait or an expect's timeout wakes the window when it is due.

use std::time::Instant;

use eframe::egui;

use super::SessionTab;
use crate::engine::{EngineHandle, Event};
use crate::model::{FilePurpose, LinkState, Message};
use crate::script::{Outcome, RunOptions, Runner, StepReport};
use crate::ui::{self, SequenceIntent, SequencePanel, SequenceRow};

/// The sequence panel's run.
#[derive(Default)]
pub struct Sequence {
    runner: Option<Runner>,
    /// Single-stepping: pause once this many steps have been reported.
    pause_at: Option<usize>,
    /// When the runner wants to be polled again (a wait, a timeout).
    wake_at: Option<Instant>,
    /// The steps run so far, as shown.
    pub rows: Vec<SequenceRow>,
    /// How the last run ended (`Some(true)`: every step passed).
    pub passed: Option<bool>,
    /// Why the last Run did not start, or a file problem.
    pub problem: Option<Message>,
}

#[allow(clippy::missing_fields_in_debug)] // the runner and the dialog have no useful Debug
impl std::fmt::Debug for Sequence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sequence").field("running", &self.runner.is_some()).field("rows", &self.rows).finish()
    }
}

impl Sequence {
    /// Whether a run is under way.
    pub fn running(&self) -> bool {
        self.runner.is_some()
    }

    /// Whether single-stepping has done the step asked for and waits for Step or Run.
    pub fn paused(&self) -> bool {
        self.runner.is_some() && self.pause_at.is_some_and(|at| self.rows.len() >= at)
    }

    /// Gives the run an event of its tab, if it is about the run's connection.
    pub(super) fn offer(&mut self, event: &Event) {
        if let Some(runner) = &mut self.runner
            && runner.owns(event)
        {
            runner.on_event(event.clone());
        }
    }
}

fn row(report: &StepReport) -> SequenceRow {
    let text = match &report.result {
        Ok(detail) => format!("{} — {detail}", report.summary),
        Err(failure) => format!("{} — {failure}", report.summary),
    };
    SequenceRow {
        passed: report.result.is_ok(),
        line: report.line,
        text,
        millis: crate::script::report::millis(report.elapsed),
    }
}

impl SessionTab {
    /// The sequence panel in the send panel.
    pub(super) fn sequence_ui(&mut self, ui: &mut egui::Ui, engine: &EngineHandle) {
        let panel = SequencePanel {
            text: &mut self.settings.sequence,
            rows: &self.sequence.rows,
            running: self.sequence.running(),
            paused: self.sequence.paused(),
            passed: self.sequence.passed,
            problem: self.sequence.problem.as_ref(),
        };
        let intent = ui::sequence_ui(ui, panel);
        match intent {
            Some(SequenceIntent::Run) => self.run_sequence(engine, false),
            Some(SequenceIntent::Step) => self.run_sequence(engine, true),
            Some(SequenceIntent::Stop) => self.stop_sequence(),
            Some(SequenceIntent::Open) => self.ask_for_path(ui.ctx(), FilePurpose::OpenSequence),
            Some(SequenceIntent::SaveAs) => self.ask_for_path(ui.ctx(), FilePurpose::SaveSequence),
            None => {}
        }
    }

    /// Runs the steps on the tab's connection: all of them, or (with
    /// `single`) up to the next step's end, then pauses; pressed again while
    /// paused, goes on. Steps that do not parse, or no connection, are
    /// explained in the panel and nothing runs.
    pub fn run_sequence(&mut self, engine: &EngineHandle, single: bool) {
        if self.sequence.runner.is_some() {
            self.sequence.pause_at = single.then_some(self.sequence.rows.len() + 1);
            self.poll_sequence(engine);
            return;
        }
        self.sequence.problem = None;
        let script = match crate::script::parse(&self.settings.sequence) {
            Ok(script) => script,
            Err(error) => return self.sequence.problem = Some(Message::SequenceParse(error)),
        };
        let mut runner = Runner::new(&script, RunOptions::default());
        match &self.session.state {
            LinkState::Connected { conn, .. } => runner.attach(*conn, false, None),
            LinkState::UdpOpen { conn, .. } => {
                let remote = self.udp_destination().ok();
                runner.attach(*conn, true, remote);
            }
            LinkState::Listening { .. } => match self.send_targets().ok().and_then(|t| t.first().copied()) {
                Some(client) => runner.attach(client, false, None),
                None => return self.sequence.problem = Some(Message::SequenceNoLink),
            },
            _ => return self.sequence.problem = Some(Message::SequenceNoLink),
        }
        self.sequence.rows.clear();
        self.sequence.passed = None;
        self.sequence.pause_at = single.then_some(1);
        self.sequence.runner = Some(runner);
        self.poll_sequence(engine);
    }

    /// Stops the run where it is (the connection stays open).
    pub fn stop_sequence(&mut self) {
        if self.sequence.runner.take().is_some() {
            self.sequence.passed = Some(false);
            self.sequence.problem = None;
        }
    }

    /// Once a frame: moves the run on as far as it can now (never waiting).
    pub(super) fn poll_sequence(&mut self, engine: &EngineHandle) {
        let paused = self.sequence.pause_at.is_some_and(|at| self.sequence.rows.len() >= at);
        let Some(runner) = &mut self.sequence.runner else { return };
        if paused {
            return;
        }
        let max = self.sequence.pause_at.map_or(usize::MAX, |at| at.saturating_sub(self.sequence.rows.len()));
        let progress = runner.poll_steps(engine, Instant::now(), max);
        self.sequence.rows.extend(progress.finished.iter().map(row));
        self.sequence.wake_at = progress.wake_at;
        if let Some(outcome) = progress.outcome.or_else(|| runner.outcome()) {
            self.sequence.passed = Some(outcome == Outcome::Passed);
            self.sequence.runner = None;
        }
    }

    /// When the window should draw again for the run (a wait or timeout due).
    pub(super) fn sequence_wake(&self) -> Option<Instant> {
        self.sequence.runner.as_ref().and(self.sequence.wake_at)
    }

    /// Loads the script file at `path` as the sequence's steps (a file that
    /// does not parse is refused, and the steps stay as they were).
    pub fn open_sequence(&mut self, path: &std::path::Path) -> Result<(), Message> {
        let fail = |kind| Message::ScriptFile { path: path.to_owned(), kind };
        let bytes = std::fs::read(path).map_err(|e| fail(e.kind()))?;
        let text = String::from_utf8(bytes).map_err(|_| fail(std::io::ErrorKind::InvalidData))?;
        crate::script::parse(&text).map_err(Message::SequenceParse)?;
        self.settings.sequence = text;
        self.sequence.rows.clear();
        self.sequence.passed = None;
        Ok(())
    }

    /// Writes the sequence's steps to `path` as a script file (`netassist run` runs it).
    pub fn save_sequence(&self, path: &std::path::Path) -> Result<(), Message> {
        std::fs::write(path, &self.settings.sequence)
            .map_err(|e| Message::ScriptFile { path: path.to_owned(), kind: e.kind() })
    }
}
