//! What a run knows about each connection, UDP socket and listener it
//! opened, kept up to date from the engine's events. Steps only look at
//! this state, so feeding events and advancing steps stay apart.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;

use super::inbox::Inbox;
use crate::engine::{CloseReason, EngineError, Event, IcmpReport};
use crate::ids::ConnId;

/// TCP connection or UDP socket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum LinkKind {
    Tcp,
    Udp,
}

/// One connection (ours or an accepted client) or UDP socket.
#[derive(Debug)]
pub(super) struct Link {
    pub kind: LinkKind,
    /// Our end and (TCP) the peer, once open.
    pub opened: Option<(SocketAddr, Option<SocketAddr>)>,
    /// Why opening failed.
    pub failed: Option<EngineError>,
    /// How it ended.
    pub closed: Option<CloseReason>,
    /// What arrived and no expect has taken yet.
    pub inbox: Inbox,
    /// UDP: who sent the last datagram.
    pub last_peer: Option<SocketAddr>,
    /// Bytes and `Sent` events so far.
    pub sent_bytes: u64,
    pub sent_events: u64,
    /// The last command that failed on it (e.g. a send on a closed connection).
    pub command_failed: Option<EngineError>,
    /// UDP: the last ICMP error a datagram met.
    pub icmp: Option<IcmpReport>,
}

impl Link {
    pub fn new(kind: LinkKind) -> Self {
        Link {
            kind,
            opened: None,
            failed: None,
            closed: None,
            inbox: Inbox::default(),
            last_peer: None,
            sent_bytes: 0,
            sent_events: 0,
            command_failed: None,
            icmp: None,
        }
    }

    /// Whether it is still to be closed at the end: opening or open.
    pub fn is_live(&self) -> bool {
        self.failed.is_none() && self.closed.is_none()
    }
}

/// The listener of a run, if it made one.
#[derive(Debug, Default)]
pub(super) struct Listener {
    pub id: Option<ConnId>,
    pub local: Option<SocketAddr>,
    pub failed: Option<EngineError>,
    pub closed: bool,
    /// Clients accepted that no `accept` step has taken yet.
    pub waiting: VecDeque<ConnId>,
}

/// Everything a run opened.
#[derive(Debug, Default)]
#[allow(clippy::struct_field_names)] // `links.links`: the map of the run's links
pub(super) struct Links {
    pub links: HashMap<ConnId, Link>,
    pub listener: Listener,
    /// Ids of listeners this run made (the current one, and any it replaced).
    pub listeners: Vec<ConnId>,
}

impl Links {
    /// Whether `event` is about something this run opened.
    pub fn owns(&self, event: &Event) -> bool {
        if let Some(listener) = event.listener() {
            return self.listeners.contains(&listener);
        }
        event.conn().is_some_and(|id| self.links.contains_key(&id))
    }

    /// Takes in one of its events.
    pub fn apply(&mut self, event: Event) {
        if let Event::Accepted { listener, conn, local, peer, .. } = &event {
            if self.listener.id == Some(*listener) {
                let mut link = Link::new(LinkKind::Tcp);
                link.opened = Some((*local, Some(*peer)));
                self.links.insert(*conn, link);
                self.listener.waiting.push_back(*conn);
            }
            return;
        }
        if event.listener().is_some() {
            self.apply_listener(event);
            return;
        }
        let Some(link) = event.conn().and_then(|id| self.links.get_mut(&id)) else { return };
        match event {
            Event::Connected { local, peer, .. } => link.opened = Some((local, Some(peer))),
            Event::UdpBound { local, .. } => link.opened = Some((local, None)),
            Event::ConnectFailed { error, .. } | Event::UdpBindFailed { error, .. } => link.failed = Some(error),
            Event::Sent { data, .. } => {
                link.sent_bytes += data.len() as u64;
                link.sent_events += 1;
            }
            Event::Elided { outgoing: true, len, .. } => {
                link.sent_bytes += len as u64;
                link.sent_events += 1;
            }
            Event::Received { data, peer, .. } => {
                link.inbox.push(&data);
                link.last_peer = Some(peer);
            }
            Event::PeerFinished { .. } => link.closed = Some(CloseReason::PeerClosed),
            Event::Closed { reason, .. } | Event::UdpClosed { reason, .. } => {
                link.closed.get_or_insert(reason);
            }
            Event::CommandFailed { error, .. } => link.command_failed = Some(error),
            Event::IcmpReport { report, .. } => link.icmp = Some(report),
            _ => {}
        }
    }

    fn apply_listener(&mut self, event: Event) {
        if event.listener() != self.listener.id {
            return;
        }
        match event {
            Event::Listening { local, .. } => self.listener.local = Some(local),
            Event::ListenFailed { error, .. } => self.listener.failed = Some(error),
            Event::ListenerClosed { .. } => self.listener.closed = true,
            _ => {}
        }
    }
}
