//! Taking the engine's events in, a frame at a time: each to the tab it
//! belongs to, within a time budget, each tab with its share of the time in
//! which data is always decoded and shown.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use eframe::egui;

use super::NetAssistApp;
use super::show_cost::{ShowCost, data_bytes};
use crate::engine::Event;

/// The most `logic` may spend applying engine events in one frame before it
/// leaves the rest for the next frame (so a flood never freezes the window).
/// A frame takes less when the last one's layout was slow ([`FRAME_TARGET`])
/// or the queue is backed up ([`COUNT_BUDGET`]).
const DRAIN_BUDGET: Duration = Duration::from_millis(8);
/// The part of [`DRAIN_BUDGET`] in which data events are decoded and shown;
/// past it a frame only counts them while the queue is backed up, and
/// leaves them for the next frame while it is not (see
/// [`NetAssistApp::drain_events`]).
const SHOW_BUDGET: Duration = Duration::from_millis(4);
/// The frame's own work the drain aims for: its budget is what the last
/// frame's other work (laying out what it shows) left of this, so a page
/// that is slow to lay out (random bytes in the Text view) takes in less.
const FRAME_TARGET: Duration = Duration::from_millis(12);
/// While the queue is backed up (a flood), the time a frame spends counting
/// the data it does not show, past its show budget: the queue holds 16,384
/// events (a second of a flood at 1 GiB/s in 64 KiB reads), so the engine need
/// not wait for a frame to count them all.
const COUNT_BUDGET: Duration = Duration::from_millis(1);
/// The least a frame spends taking events in, however slow its layout.
const MIN_DRAIN: Duration = Duration::from_millis(1);

/// This frame's drain and show budgets, given the last frame's work after
/// its drain and whether the queue is backed up as the frame starts.
fn budgets(rest: Duration, show_budget: Duration, backed_up: bool) -> (Duration, Duration) {
    let drain = FRAME_TARGET.saturating_sub(rest).clamp(MIN_DRAIN, DRAIN_BUDGET);
    let show = show_budget.min(drain);
    if backed_up {
        // Most of a flood is elided whatever this frame shows: half the show
        // budget samples it as well and leaves the time to lay out the page.
        let show = show.min(show_budget / 2);
        (drain.min(show + COUNT_BUDGET), show)
    } else {
        (drain, show)
    }
}

/// What taking events in carries from frame to frame.
pub(super) struct Drain {
    /// See [`super::StartOptions::show_budget`].
    show_budget: Duration,
    /// What showing a byte of data has cost lately.
    cost: ShowCost,
    /// A read the last frame had no time left to show: the next frame's first.
    held: Option<Event>,
}

impl Drain {
    /// Nothing held or learnt yet; `show_budget` as the start options say (default [`SHOW_BUDGET`]).
    pub(super) fn new(show_budget: Option<Duration>) -> Self {
        Self { show_budget: show_budget.unwrap_or(SHOW_BUDGET), cost: ShowCost::default(), held: None }
    }
}

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
    /// so showing on until the whole budget was gone made 40 ms frames). A
    /// read whose decoding would overrun the budget, by what reads cost
    /// lately, is not started: it waits for the next frame (or is elided).
    pub fn drain_events(&mut self, ctx: &egui::Context) -> usize {
        self.wake_pending.store(false, Ordering::Release);
        let started = Instant::now();
        let mut applied = 0;
        let (drain_budget, show_budget) =
            budgets(self.frame_stats.last_rest, self.drain.show_budget, self.events.is_backed_up());
        let share = show_budget / u32::try_from(self.tabs.len()).unwrap_or(u32::MAX).max(1);
        let mut spent = vec![Duration::ZERO; self.tabs.len()];
        let mut shown = Duration::ZERO;
        // A read held back by the last frame goes first.
        while let Some(event) = self.drain.held.take().or_else(|| self.events.try_recv()) {
            // Checked after every event: one event may carry a 64 KiB read to
            // decode, so checking every 64th overshot the budget by ~6 ms.
            let elapsed = started.elapsed();
            let Some(owner) = self.owner(&event) else {
                // The connection of a tab closed since: nobody shows it.
                applied += 1;
                continue;
            };
            // A read is shown if what reads cost lately says it fits the time
            // left: while the queue is backed up, of its tab's share of the show
            // budget (so a flood in one tab never turns another's few replies into
            // gaps; a tab's first read always fits); while it is not, of the
            // whole show budget (the frame's first read always fits).
            let bytes = data_bytes(&event);
            let predicted = self.drain.cost.predict(bytes);
            let backed_up = self.events.is_backed_up();
            let show = if backed_up {
                !share.is_zero() && (spent[owner].is_zero() || spent[owner] + predicted <= share)
            } else {
                shown.is_zero() || shown + predicted <= show_budget
            };
            if !show && !backed_up {
                // Showing it now would overrun the frame: it goes first next frame.
                self.drain.held = Some(event);
                ctx.request_repaint();
                break;
            }
            let before = Instant::now();
            let data = matches!(event, Event::Received { .. });
            self.tabs[owner].apply(event, show);
            if show {
                let took = before.elapsed();
                spent[owner] += took;
                shown += took;
                self.drain.cost.note(bytes, took);
            }
            if data && owner != self.active && Some(owner) != self.beside {
                self.tabs[owner].unread = true;
            }
            applied += 1;
            if elapsed > drain_budget || (shown >= show_budget && !backed_up) {
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

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn a_frame_drains_for_what_the_last_one_left_of_the_target() {
        // A quick last frame: the whole budget, the whole show budget.
        assert_eq!(budgets(MS, SHOW_BUDGET, false), (DRAIN_BUDGET, SHOW_BUDGET));
        // A last frame that took 9 ms to lay out: 3 ms for this one's events.
        assert_eq!(budgets(9 * MS, SHOW_BUDGET, false), (3 * MS, 3 * MS));
        // However slow the layout, events are still taken in.
        assert_eq!(budgets(40 * MS, SHOW_BUDGET, false), (MIN_DRAIN, MIN_DRAIN));
        // A show budget of nothing (a test's) stays nothing.
        assert_eq!(budgets(MS, Duration::ZERO, false), (DRAIN_BUDGET, Duration::ZERO));
    }

    #[test]
    fn a_flood_is_counted_for_a_moment_past_the_show_budget() {
        assert_eq!(budgets(MS, SHOW_BUDGET, true), (SHOW_BUDGET / 2 + COUNT_BUDGET, SHOW_BUDGET / 2));
        assert_eq!(budgets(11 * MS, SHOW_BUDGET, true), (MS, MS));
    }
}
