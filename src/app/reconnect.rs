//! TCP client auto-reconnect (off by default): when a connection ends or a
//! connect fails without the user asking, connect again after a delay that
//! doubles each attempt (1 s, 2 s, 4 s … 30 s), until it connects or the
//! user presses Disconnect / Cancel.

use std::time::{Duration, Instant};

use super::SessionTab;
use crate::engine::EngineHandle;
use crate::model::{LinkState, Message, Protocol};

/// The first delay before reconnecting.
pub const FIRST_DELAY: Duration = Duration::from_secs(1);
/// The longest delay between attempts.
pub const MAX_DELAY: Duration = Duration::from_secs(30);

/// Auto-reconnect's state.
#[derive(Clone, Debug, Default)]
pub struct Reconnect {
    /// The next attempt, if one is planned: when, and its number (from 1).
    pub planned: Option<(Instant, u32)>,
    /// Attempts since the last successful connection.
    attempts: u32,
    /// Whether the link was up (or being opened) last frame.
    was_active: bool,
    /// The user ended the session: do not reconnect.
    user_stopped: bool,
}

impl Reconnect {
    /// The delay before attempt `n` (from 1).
    pub fn delay(n: u32) -> Duration {
        FIRST_DELAY.saturating_mul(1 << n.saturating_sub(1).min(5)).min(MAX_DELAY)
    }
}

impl SessionTab {
    /// A session started (its end, however quick, is then noticed).
    pub(super) fn reconnect_session_started(&mut self) {
        self.reconnect.was_active = true;
    }

    /// The user pressed Connect: a fresh start for auto-reconnect.
    pub(super) fn reconnect_user_connected(&mut self) {
        self.reconnect.user_stopped = false;
        self.reconnect.planned = None;
    }

    /// The user pressed Disconnect or Cancel: no reconnecting.
    pub(super) fn reconnect_user_stopped(&mut self) {
        self.reconnect.user_stopped = true;
        self.reconnect.planned = None;
        self.reconnect.attempts = 0;
    }

    /// Once per frame: notices a session that ended on its own and plans the
    /// next attempt, or makes the attempt that is due. Returns how long until
    /// the planned attempt, so the frame loop can wake up for it.
    pub(super) fn update_reconnect(&mut self, engine: &EngineHandle, now: Instant) -> Option<Duration> {
        let active = self.session.state != LinkState::Idle;
        if matches!(self.session.state, LinkState::Connected { .. }) {
            self.reconnect.attempts = 0;
        }
        let ended = self.reconnect.was_active && !active;
        self.reconnect.was_active = active;
        let wanted = self.settings.auto_reconnect && self.settings.protocol == Protocol::TcpClient;
        if !wanted || self.reconnect.user_stopped {
            self.reconnect.planned = None;
            return None;
        }
        if ended && self.reconnect.planned.is_none() {
            self.reconnect.attempts += 1;
            let n = self.reconnect.attempts;
            let delay = Reconnect::delay(n);
            self.reconnect.planned = Some((now + delay, n));
            self.session
                .note(std::time::SystemTime::now(), Message::ReconnectPlanned { secs: delay.as_secs(), attempt: n });
        }
        let (due, n) = self.reconnect.planned?;
        if now < due {
            return Some(due - now);
        }
        self.reconnect.planned = None;
        if !active {
            self.session.note(std::time::SystemTime::now(), Message::Reconnecting { attempt: n });
            self.connect(engine);
            // connect() counts as the user's only when they press the button.
            self.reconnect.user_stopped = false;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_up_to_the_cap() {
        let secs: Vec<u64> = (1..=8).map(|n| Reconnect::delay(n).as_secs()).collect();
        assert_eq!(secs, [1, 2, 4, 8, 16, 30, 30, 30]);
    }
}
