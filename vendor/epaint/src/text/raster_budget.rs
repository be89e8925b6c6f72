//! netassist: a per-pass time budget for rasterizing new glyphs.
//!
//! A page of random text in a script of thousands of characters (binary
//! data decoded as GBK, with a full Chinese font) holds hundreds of glyphs
//! never drawn before, and rasterizing one takes 20–40 µs, so such a page
//! took 10+ ms of rasterizing in one frame. With a budget set, a pass
//! rasterizes new glyphs until the budget is spent and leaves the rest out
//! (drawn as nothing) for a following pass: [`FontsView::glyphs_deferred`]
//! tells the integration to ask for one, and a galley with glyphs left out
//! is not kept in the cache past its pass.
//!
//! Off unless [`set_glyph_raster_budget`] is called on the thread that lays
//! out the text (headless harnesses and tests keep laying out whole frames).
//!
//! [`FontsView::glyphs_deferred`]: crate::text::FontsView::glyphs_deferred

use core::cell::Cell;
use std::time::{Duration, Instant};

std::thread_local! {
    /// The budget of this thread's passes; `None` is no limit.
    static BUDGET: Cell<Option<Duration>> = const { Cell::new(None) };
}

/// Sets how long one pass laid out on the calling thread (the one that runs
/// the UI) may spend rasterizing glyphs it has not drawn before (`None`: no
/// limit, the default). At least one new glyph is rasterized every pass, so
/// every glyph is drawn in the end.
pub fn set_glyph_raster_budget(budget: Option<Duration>) {
    BUDGET.with(|b| b.set(budget));
}

/// What this pass has spent of the budget, and what it left out.
#[derive(Default)]
pub(crate) struct RasterBudget {
    /// Time spent rasterizing new glyphs in this pass.
    spent: Duration,
    /// Glyphs left out, ever: a layout that changes this left some out.
    deferred: u64,
    /// Some glyph was left out in this pass.
    deferred_in_pass: bool,
}

impl RasterBudget {
    /// A new pass: nothing spent, nothing left out.
    pub fn begin_pass(&mut self) {
        self.spent = Duration::ZERO;
        self.deferred_in_pass = false;
    }

    /// Whether a new glyph must wait for a following pass. Counts it if so.
    pub fn defer(&mut self) -> bool {
        if BUDGET.with(Cell::get).is_none_or(|budget| self.spent < budget) {
            return false;
        }
        self.deferred += 1;
        self.deferred_in_pass = true;
        true
    }

    /// Counts the time since `started` (taken before a glyph was rasterized).
    pub fn spend(&mut self, started: Instant) {
        self.spent += started.elapsed();
    }

    /// How many glyphs were ever left out: compare before and after a layout.
    pub fn deferred(&self) -> u64 {
        self.deferred
    }

    /// Whether this pass left a glyph out.
    pub fn deferred_in_pass(&self) -> bool {
        self.deferred_in_pass
    }
}
