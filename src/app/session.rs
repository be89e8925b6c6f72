//! One session's state: the link, the counters and the receive view, all
//! changed only by [`Session::apply`] from engine events.

use std::net::SocketAddr;

use crate::engine::{CloseReason, ConnId, Event};
use crate::view::{Direction, NoteLevel, ReceiveView};

/// Where the connection stands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum LinkState {
    /// Not connected.
    #[default]
    Idle,
    /// A connect is under way.
    Connecting {
        /// The attempt.
        conn: ConnId,
        /// `host:port` being connected to.
        target: String,
    },
    /// Connected.
    Connected {
        /// The connection.
        conn: ConnId,
        /// Our address.
        local: SocketAddr,
        /// The peer's address.
        peer: SocketAddr,
    },
}

impl LinkState {
    /// The connection (or attempt) this state is about.
    pub fn conn(&self) -> Option<ConnId> {
        match self {
            LinkState::Idle => None,
            LinkState::Connecting { conn, .. } | LinkState::Connected { conn, .. } => Some(*conn),
        }
    }
}

/// Bytes and packets each way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    /// Bytes received.
    pub rx_bytes: u64,
    /// Reads that returned data.
    pub rx_packets: u64,
    /// Bytes sent.
    pub tx_bytes: u64,
    /// Sends completed.
    pub tx_packets: u64,
}

/// The state of one session, driven by engine events.
pub struct Session {
    /// The link.
    pub state: LinkState,
    /// Traffic counters (never reset by the view dropping records).
    pub counters: Counters,
    /// The most recent error, for the status bar.
    pub last_error: Option<String>,
    /// What the receive view shows.
    pub view: ReceiveView,
}

impl Session {
    /// A new idle session around `view`.
    pub fn new(view: ReceiveView) -> Self {
        Self { state: LinkState::Idle, counters: Counters::default(), last_error: None, view }
    }

    /// Records an error raised by the UI itself (bad input and the like).
    pub fn report_error(&mut self, message: impl Into<String>) {
        let message = message.into();
        self.view.push_note(std::time::SystemTime::now(), NoteLevel::Error, message.clone());
        self.last_error = Some(message);
    }

    fn is_current(&self, conn: ConnId) -> bool {
        self.state.conn() == Some(conn)
    }

    /// Applies one engine event.
    pub fn apply(&mut self, event: Event) {
        match event {
            Event::Connecting { conn, target, at } => {
                self.view.push_note(at, NoteLevel::Info, format!("Connecting to {target} …"));
                if self.is_current(conn) {
                    self.state = LinkState::Connecting { conn, target };
                }
            }
            Event::Connected { conn, local, peer, at } => {
                self.view.push_note(at, NoteLevel::Info, format!("Connected to {peer} (local address {local})"));
                if self.is_current(conn) {
                    self.state = LinkState::Connected { conn, local, peer };
                    self.last_error = None;
                }
            }
            Event::ConnectFailed { conn, error, at } => {
                let message = format!("Connect failed: {error}");
                self.view.push_note(at, NoteLevel::Error, message.clone());
                self.last_error = Some(message);
                if self.is_current(conn) {
                    self.state = LinkState::Idle;
                }
            }
            Event::Sent { conn, peer, data, at } => {
                self.counters.tx_bytes += data.len() as u64;
                self.counters.tx_packets += 1;
                self.view.push_data(conn, Direction::Tx, peer, at, data);
            }
            Event::Received { conn, peer, data, at } => {
                self.counters.rx_bytes += data.len() as u64;
                self.counters.rx_packets += 1;
                self.view.push_data(conn, Direction::Rx, peer, at, data);
            }
            Event::Closed { conn, peer, reason, at } => {
                self.view.end_stream(conn, at);
                let (level, message) = match reason {
                    CloseReason::PeerClosed => (NoteLevel::Info, format!("Peer {peer} closed the connection")),
                    CloseReason::Local => (NoteLevel::Info, format!("Disconnected from {peer}")),
                    CloseReason::Reset => (NoteLevel::Error, format!("Connection reset by peer {peer}")),
                    CloseReason::Error(error) => (NoteLevel::Error, format!("Connection to {peer} lost: {error}")),
                };
                if level == NoteLevel::Error {
                    self.last_error = Some(message.clone());
                }
                self.view.push_note(at, level, message);
                if self.is_current(conn) {
                    self.state = LinkState::Idle;
                }
            }
            Event::CommandFailed { error, at, .. } => {
                let message = error.to_string();
                self.view.push_note(at, NoteLevel::Error, message.clone());
                self.last_error = Some(message);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use bytes::Bytes;

    use super::*;
    use crate::codec::Charset;
    use crate::engine::EngineError;
    use crate::view::{StoreLimits, ViewMode};

    fn session() -> Session {
        Session::new(ReceiveView::new(Charset::Gbk, ViewMode::Text, StoreLimits::default()))
    }

    #[test]
    fn a_tutorial_exchange_moves_the_state_and_counters() {
        let mut s = session();
        let (local, peer) = ("127.0.0.1:50000".parse().unwrap(), "127.0.0.1:8000".parse().unwrap());
        let at = SystemTime::now();
        s.state = LinkState::Connecting { conn: 7, target: "127.0.0.1:8000".into() };
        s.apply(Event::Connecting { conn: 7, target: "127.0.0.1:8000".into(), at });
        s.apply(Event::Connected { conn: 7, local, peer, at });
        assert_eq!(s.state, LinkState::Connected { conn: 7, local, peer });
        s.apply(Event::Sent { conn: 7, peer, data: Bytes::from_static(b"hi"), at });
        s.apply(Event::Received { conn: 7, peer, data: Bytes::from_static(b"\xce\xd2"), at });
        s.apply(Event::Closed { conn: 7, peer, reason: CloseReason::PeerClosed, at });
        assert_eq!(s.state, LinkState::Idle);
        assert_eq!(s.counters, Counters { rx_bytes: 2, rx_packets: 1, tx_bytes: 2, tx_packets: 1 });
        let text = s.view.to_text();
        let order = ["Connecting to", "Connected to", "TX →", "hi", "RX ←", "我", "closed the connection"];
        let mut from = 0;
        for needle in order {
            let at = text[from..].find(needle).unwrap_or_else(|| panic!("{needle} after {from} in {text}"));
            from += at + needle.len();
        }
        assert_eq!(s.last_error, None);
    }

    #[test]
    fn errors_are_kept_for_the_status_bar_and_stale_events_do_not_move_the_state() {
        let mut s = session();
        let at = SystemTime::now();
        s.state = LinkState::Connecting { conn: 2, target: "x:1".into() };
        let addr = "127.0.0.1:1".parse().unwrap();
        // A late event of an older connection must not disturb the current one.
        s.apply(Event::Closed { conn: 1, peer: addr, reason: CloseReason::Reset, at });
        assert!(matches!(s.state, LinkState::Connecting { conn: 2, .. }));
        s.apply(Event::ConnectFailed { conn: 2, error: EngineError::Refused { addr }, at });
        assert_eq!(s.state, LinkState::Idle);
        assert!(s.last_error.as_deref().is_some_and(|e| e.contains("refused")));
    }
}
