//! Taking the engine's events in, a frame at a time: each to the tab it
//! belongs to, within a time budget, each tab with its share of the time in
//! which data is always decoded and shown.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use eframe::egui;

use super::NetAssistApp;
use crate::engine::Event;

/// How long `logic` may spend applying engine events in one frame before it
/// leaves the rest for the next frame (so a flood never freezes the window).
/// 8 ms keeps a frame's own work near 11 ms (p99, measured under a 1 GiB
/// flood in tools/bench_app.py); with data elided past [`SHOW_BUDGET`]
/// the rest of a backlog is only counted, which takes little of it.
const DRAIN_BUDGET: Duration = Duration::from_millis(8);
/// The part of [`DRAIN_BUDGET`] in which data events are decoded and shown;
/// past it a frame only counts them while the queue is backed up, and
/// leaves them for the next frame while it is not (see
/// [`NetAssistApp::drain_events`]).
pub(super) const SHOW_BUDGET: Duration = Duration::from_millis(4);
impl NetAssistApp {
    /// The tab an event belongs to: the one owning its connection, listener,
    /// socket or job; a capture's, the tab capturing to that file; an event
    /// of no tab's (a closed tab's connection), `None`.
    fn owner(&self, event: &Event) -> Option<usize> {
        match event {
            Event::CaptureStarted { path, .. }
            | Event::CaptureStopped { path, .. }
            | Event::CaptureFailed { path, .. } => {
                Some(self.tabs.iter().position(|tab| tab.files.capture_path() == Some(path)).unwrap_or(self.active))
            }
            _ => match self.tabs.iter().position(|tab| tab.owns(event) == Some(true)) {
                Some(owner) => Some(owner),
                None if self.tabs.iter().all(|tab| tab.owns(event).is_none()) => Some(self.active),
                None => None,
            },
        }
    }

    /// Applies queued engine events until the queue is empty or the frame's
    /// budget is spent; returns how many were applied. Data events are shown
    /// for the first part of the budget; past it, while the queue is backed
    /// up (the engine outpaces the UI), they are counted and elided (the
    /// view notes the gap), so a flood drains at the speed of the network
    /// rather than of decoding, and the frame still ends on time. While it
    /// is not, the rest waits for the next frame: a slow or busy machine with
    /// no backlog still shows everything, and the show budget holds whatever
    /// the bytes cost to decode (binary data costs ten times what text does,
    /// so showing on until the whole budget was gone made 40 ms frames).
    pub fn drain_events(&mut self, ctx: &egui::Context) -> usize {
        self.wake_pending.store(false, Ordering::Release);
        let started = Instant::now();
        let mut applied = 0;
        let share = self.show_budget / u32::try_from(self.tabs.len()).unwrap_or(u32::MAX).max(1);
        let mut spent = vec![Duration::ZERO; self.tabs.len()];
        let mut shown = Duration::ZERO;
        while let Some(event) = self.events.try_recv() {
            // Checked after every event: one event may carry a 64 KiB read to
            // decode, so checking every 64th overshot the budget by ~6 ms.
            let elapsed = started.elapsed();
            let Some(owner) = self.owner(&event) else {
                // The connection of a tab closed since: nobody shows it.
                applied += 1;
                continue;
            };
            // Each tab gets its share of the show budget, so a flood in one never
            // turns another's few replies into gaps.
            let show = spent[owner] < share || !self.events.is_backed_up();
            let before = Instant::now();
            let data = matches!(event, Event::Received { .. });
            self.tabs[owner].apply(event, show);
            if show {
                let took = before.elapsed();
                spent[owner] += took;
                shown += took;
            }
            if data && owner != self.active && Some(owner) != self.beside {
                self.tabs[owner].unread = true;
            }
            applied += 1;
            if elapsed > DRAIN_BUDGET || (shown >= self.show_budget && !self.events.is_backed_up()) {
                // More may be waiting: come back next frame, after painting this one.
                ctx.request_repaint();
                break;
            }
        }
        for tab in &mut self.tabs {
            tab.session.view.note_elided();
        }
        applied
    }
}
