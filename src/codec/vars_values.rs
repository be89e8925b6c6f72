//! The values variables are filled in from: the `${seq}` [`Counter`], the
//! per-session [`Vars`] (counter, random numbers, user variables) and the
//! [`Captures`] of an auto-reply's match.

use std::collections::BTreeMap;

/// The counter `${seq}` gives: `start`, then `start + step`, … (wrapping).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counter {
    /// The first value.
    pub start: i64,
    /// What is added after each send that used it.
    pub step: i64,
    next: i64,
}

impl Counter {
    /// A counter at `start`.
    pub fn new(start: i64, step: i64) -> Self {
        Self { start, step, next: start }
    }

    /// The value the next send that uses `${seq}` gets.
    pub fn value(&self) -> i64 {
        self.next
    }

    /// Back to `start`.
    pub fn reset(&mut self) {
        self.next = self.start;
    }

    /// Moves on as `sends` sends that use it would (a counted cyclic send
    /// fills in its own copy; the tab's counter goes on after it).
    pub fn skip(&mut self, sends: u64) {
        #[allow(clippy::cast_possible_wrap)] // wrapping, as the counter does
        let sends = sends as i64;
        self.next = self.next.wrapping_add(self.step.wrapping_mul(sends));
    }

    pub(super) fn advance(&mut self) {
        self.next = self.next.wrapping_add(self.step);
    }
}

impl Default for Counter {
    /// Starts at 1, steps by 1.
    fn default() -> Self {
        Self::new(1, 1)
    }
}

/// What lives between sends: the counter, user variables, the random generator.
#[derive(Clone, Debug)]
pub struct Vars {
    /// `${seq}`.
    pub counter: Counter,
    /// User variables by name (e.g. from `--set NAME=VALUE`).
    pub user: BTreeMap<String, String>,
    pub(super) rng: fastrand::Rng,
}

impl Default for Vars {
    fn default() -> Self {
        Self { counter: Counter::default(), user: BTreeMap::new(), rng: fastrand::Rng::new() }
    }
}

impl Vars {
    /// Variables whose random numbers come from `seed` (for repeatable tests).
    pub fn with_seed(seed: u64) -> Self {
        Self { rng: fastrand::Rng::with_seed(seed), ..Self::default() }
    }
}

/// What a regex match gives a reply: its groups, and the bytes received.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Captures {
    /// The received bytes the match was found in, for `${rx}`.
    pub rx: Vec<u8>,
    /// Group 0 (the whole match), 1, 2, …; `None` for a group that took no part.
    pub groups: Vec<Option<String>>,
    /// Named groups that took part, by name.
    pub named: BTreeMap<String, String>,
}

impl Captures {
    /// The groups of `captures`, a match of `regex` in text decoded from `rx`.
    pub fn from_regex(regex: &regex::Regex, captures: &regex::Captures<'_>, rx: Vec<u8>) -> Self {
        let groups = captures.iter().map(|group| group.map(|m| m.as_str().to_owned())).collect();
        let named = regex
            .capture_names()
            .flatten()
            .filter_map(|name| captures.name(name).map(|m| (name.to_owned(), m.as_str().to_owned())))
            .collect();
        Self { rx, groups, named }
    }
}
