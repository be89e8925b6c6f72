//! Running a script against the engine, one step at a time, without ever
//! blocking: feed it the engine's events ([`Runner::on_event`], for those it
//! [`Runner::owns`]) and call [`Runner::poll`], which starts steps, checks
//! whether the running one is done and says when it next needs a look. The
//! window can call both from its frame loop; `netassist run` calls them
//! from a plain loop that waits on the event queue.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use super::link::{Link, LinkKind, Links};
use super::model::{Action, Script, Step};
use super::report::{StepKind, StepReport, summary};
use super::steps::{Started, Waiting};
use crate::codec::{Captures, Vars};
use crate::engine::{EngineHandle, Event};
use crate::ids::ConnId;

/// How long a send may take to be written before it fails.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// The most steps one [`Runner::poll`] runs (a long loop of instant steps
/// yields in between, so a window's frame is never held up).
const STEPS_PER_POLL: usize = 1000;
/// How soon a command the engine had no room for is tried again.
const RETRY: Duration = Duration::from_millis(2);

/// What the command line (or the window) sets over the script.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// Replaces the target of every `connect`, and the remote of every `bind`.
    pub remote: Option<(String, u16)>,
    /// Replaces the port of every `listen` and `bind`.
    pub local_port: Option<u16>,
    /// Replaces the address of every `listen` and `bind`.
    pub bind_ip: Option<IpAddr>,
    /// Variables set over the script's `var`s (`--set NAME=VALUE`).
    pub vars: BTreeMap<String, String>,
}

/// The flattened script: steps, and the start and end of each repeat.
#[derive(Clone, Debug)]
enum Op {
    Step(Arc<Step>),
    Begin { times: u64 },
    End { begin: usize },
}

/// A repeat block being run.
#[derive(Clone, Copy, Debug)]
#[allow(clippy::struct_field_names)] // `turn.turn`: which turn of the block this is
struct Turn {
    begin: usize,
    times: u64,
    turn: u64,
}

/// The step running now.
#[derive(Debug)]
pub(super) struct Active {
    pub step: Arc<Step>,
    pub started: Instant,
    /// `None` until its command is queued (it is retried while the engine is busy).
    pub waiting: Option<Waiting>,
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Every step passed.
    Passed,
    /// A step failed; the steps after it did not run.
    Failed,
}

/// What one [`Runner::poll`] did.
#[derive(Debug, Default)]
pub struct Progress {
    /// The steps that finished, in order.
    pub finished: Vec<StepReport>,
    /// When to poll again at the latest if no event comes (`None`: only on an event).
    pub wake_at: Option<Instant>,
    /// Set once the run is over.
    pub outcome: Option<Outcome>,
}

/// A script being run.
#[derive(Debug)]
pub struct Runner {
    ops: Vec<Op>,
    pc: usize,
    turns: Vec<Turn>,
    pub(super) options: RunOptions,
    pub(super) vars: Vars,
    pub(super) captures: Option<Captures>,
    pub(super) links: Links,
    /// What send, expect and close act on.
    pub(super) current: Option<ConnId>,
    /// Where UDP sends go, from the last `bind … to` (or `--remote`).
    pub(super) udp_remote: Option<(String, u16)>,
    /// A send's bytes the engine had no room for yet (sent as they are on the retry).
    pub(super) pending_send: Option<Vec<u8>>,
    active: Option<Active>,
    outcome: Option<Outcome>,
    /// A connection (or UDP socket) the run was lent ([`Runner::attach`]): left open at the end.
    borrowed: Option<ConnId>,
}

impl Runner {
    /// A run of `script` with `options` over it.
    pub fn new(script: &Script, options: RunOptions) -> Self {
        let mut ops = Vec::new();
        flatten(&script.steps, &mut ops);
        let mut vars = Vars::default();
        vars.counter = script.counter;
        vars.user = script.vars.clone();
        vars.user.extend(options.vars.clone());
        Runner {
            ops,
            pc: 0,
            turns: Vec::new(),
            options,
            vars,
            captures: None,
            links: Links::default(),
            current: None,
            udp_remote: None,
            pending_send: None,
            active: None,
            outcome: None,
            borrowed: None,
        }
    }

    /// Lends the run an open connection (or, with `udp`, a UDP socket whose
    /// sends go to `udp_remote`, else to the last sender), made current: its
    /// send, expect and close steps act on it, and the run leaves it open at
    /// its end. The window runs a sequence on its tab's connection this way;
    /// feed the run that connection's events ([`Runner::owns`]).
    pub fn attach(&mut self, id: ConnId, udp: bool, udp_remote: Option<(String, u16)>) {
        self.adopt(id, if udp { LinkKind::Udp } else { LinkKind::Tcp });
        self.udp_remote = udp_remote;
        self.borrowed = Some(id);
    }

    /// Runs the script again from its first step (after it ended), keeping
    /// the variables (so `${seq}` goes on counting).
    pub fn restart(&mut self) {
        self.pc = 0;
        self.turns.clear();
        self.captures = None;
        self.links = Links::default();
        self.current = None;
        self.udp_remote = None;
        self.pending_send = None;
        self.active = None;
        self.outcome = None;
    }

    /// Whether `event` is about a connection, socket or listener of this run.
    pub fn owns(&self, event: &Event) -> bool {
        self.links.owns(event)
    }

    /// The ids of the connections, UDP sockets and listeners of the current
    /// run so far (to route events to many runners without asking each).
    pub fn ids(&self) -> impl Iterator<Item = ConnId> + '_ {
        self.links.links.keys().copied().chain(self.links.listeners.iter().copied())
    }

    /// Takes in an event it [`Runner::owns`] (others are ignored).
    pub fn on_event(&mut self, event: Event) {
        self.links.apply(event);
    }

    /// How the run ended, once it has.
    pub fn outcome(&self) -> Option<Outcome> {
        self.outcome
    }

    /// Runs steps as far as it can now: starts the next ones, finishes the
    /// running one if its event came or its time is up.
    pub fn poll(&mut self, engine: &EngineHandle, now: Instant) -> Progress {
        self.poll_steps(engine, now, usize::MAX)
    }

    /// [`Runner::poll`], but stops once `max` steps have finished in this
    /// call (the window's Step runs one step at a time this way).
    pub fn poll_steps(&mut self, engine: &EngineHandle, now: Instant, max: usize) -> Progress {
        let mut progress = Progress::default();
        for _ in 0..STEPS_PER_POLL {
            if let Some(outcome) = self.outcome {
                progress.outcome = Some(outcome);
                return progress;
            }
            if self.active.is_none() && !self.next_step(engine, now) {
                continue;
            }
            let Some(active) = self.active.as_mut() else { continue };
            let started = match active.waiting.take() {
                Some(waiting) => Ok(waiting),
                None => self.start(engine, now),
            };
            let result = match started {
                Ok(waiting) => match self.check(&waiting, now) {
                    Started::Waiting(wake_at) => {
                        if let Some(active) = self.active.as_mut() {
                            active.waiting = Some(waiting);
                        }
                        progress.wake_at = wake_at;
                        return progress;
                    }
                    Started::Done(result) => result,
                },
                Err(Retry) => {
                    progress.wake_at = Some(now + RETRY);
                    return progress;
                }
            };
            if let Some(active) = self.active.take() {
                let failed = result.is_err();
                progress.finished.push(StepReport {
                    line: active.step.line,
                    summary: summary(&self.effective(&active.step.action)),
                    turns: self.turns.iter().map(|t| t.turn).collect(),
                    started: active.started,
                    elapsed: now.saturating_duration_since(active.started),
                    result,
                    kind: StepKind::of(&active.step.action),
                });
                if failed {
                    self.end(engine, Outcome::Failed);
                } else {
                    self.pc += 1;
                    if progress.finished.len() >= max {
                        progress.wake_at = Some(now);
                        return progress;
                    }
                }
            }
        }
        // Many instant steps in a row: yield, and come back at once.
        progress.wake_at = Some(now);
        progress
    }

    /// Moves to the next step to run, through repeat blocks; `true` once one
    /// is active, `false` when it did something else (a block's start or end, the end).
    fn next_step(&mut self, engine: &EngineHandle, now: Instant) -> bool {
        match self.ops.get(self.pc) {
            None => {
                self.end(engine, Outcome::Passed);
                false
            }
            Some(Op::Begin { times }) => {
                self.turns.push(Turn { begin: self.pc, times: *times, turn: 1 });
                self.pc += 1;
                false
            }
            Some(Op::End { begin }) => {
                match self.turns.last_mut() {
                    Some(turn) if turn.begin == *begin && turn.turn < turn.times => {
                        turn.turn += 1;
                        self.pc = begin + 1;
                    }
                    _ => {
                        self.turns.pop();
                        self.pc += 1;
                    }
                }
                false
            }
            Some(Op::Step(step)) => {
                self.active = Some(Active { step: Arc::clone(step), started: now, waiting: None });
                true
            }
        }
    }

    /// Closes everything the run opened and records how it ended.
    fn end(&mut self, engine: &EngineHandle, outcome: Outcome) {
        for (id, link) in &self.links.links {
            if link.is_live() && self.borrowed != Some(*id) {
                let _ = engine.disconnect(*id);
            }
        }
        if let Some(id) = self.links.listener.id
            && !self.links.listener.closed
        {
            let _ = engine.stop_listener(id);
        }
        self.active = None;
        self.outcome = Some(outcome);
    }

    /// A new connection or socket of this run, made current.
    pub(super) fn adopt(&mut self, id: ConnId, kind: LinkKind) {
        self.links.links.insert(id, Link::new(kind));
        self.current = Some(id);
    }

    /// `action` with the command line's overrides applied (what the report shows).
    fn effective(&self, action: &Action) -> Action {
        let mut action = action.clone();
        match &mut action {
            Action::Connect { host, port, .. } => {
                if let Some((new_host, new_port)) = &self.options.remote {
                    (*host, *port) = (new_host.clone(), *new_port);
                }
            }
            Action::Listen { bind } | Action::BindUdp { bind, .. } => *bind = self.local(*bind),
            _ => {}
        }
        action
    }

    /// The time variables are filled in with.
    pub(super) fn wall_clock() -> SystemTime {
        SystemTime::now()
    }

    /// The running step (shared, so it can be read while the run changes).
    pub(super) fn active_step(&self) -> Option<Arc<Step>> {
        self.active.as_ref().map(|a| Arc::clone(&a.step))
    }
}

/// The engine had no room for a command: try again shortly.
#[derive(Debug)]
pub(super) struct Retry;

fn flatten(steps: &[Step], ops: &mut Vec<Op>) {
    for step in steps {
        match &step.action {
            Action::Repeat { times, body } => {
                let begin = ops.len();
                ops.push(Op::Begin { times: *times });
                flatten(body, ops);
                ops.push(Op::End { begin });
            }
            _ => ops.push(Op::Step(Arc::new(step.clone()))),
        }
    }
}
