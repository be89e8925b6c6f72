//! The network engine: a tokio runtime on its own "netassist-engine" thread.
//!
//! The UI talks to it only through an [`EngineHandle`] (commands, sent with
//! `try_send` on a bounded channel, so the UI never blocks) and an
//! [`EventReceiver`] (events, which the engine *awaits* to send on a queue
//! bounded both in events and in payload bytes, so a slow UI turns into TCP
//! back-pressure rather than memory).
//! After queueing events the engine calls a plain [`Wake`] callback; it never
//! depends on the UI toolkit.
//!
//! It speaks TCP as a client ([`EngineHandle::connect_tcp`]) and as a server
//! ([`EngineHandle::listen_tcp`]: each accepted client is a connection of
//! its own), and UDP ([`EngineHandle::bind_udp`], with broadcast and multicast,
//! and on Linux the ICMP errors its datagrams meet, as [`IcmpReport`]s).
//! Every connection, listener and socket is one task, reached by its [`ConnId`].
//!
//! Jobs run in the engine too: a cyclic send ([`EngineHandle::start_cyclic`])
//! and a file send ([`EngineHandle::send_file`]), each a task of its own
//! reporting `JobProgress` and `JobEnded`; and auto-reply rules
//! ([`EngineHandle::set_auto_replies`], see [`auto_reply`]) are applied by
//! each connection's and socket's task to what it reads.
//!
//! A capture ([`EngineHandle::start_capture`]) writes every byte sent and
//! received to a file, from the engine's side (see [`crate::capture`]).
//!
//! Raw bytes cross this boundary: how they look (charset, hex) is the view's
//! business.
//!
//! The rooms: the face the UI sees is at the top (`handle`, `event`, `error`,
//! `request`, `addr`, `resolve`, `interfaces`, and the event `queue`); the
//! dispatcher (`dispatch`) takes commands and starts tasks, which share
//! `shared` (emitter, configuration, the `registry` of live tasks) and write
//! through `emit` (to the queue and, via `capture_slot`, to a running capture,
//! whose lifecycle is `capturing`). Then one room per job: `tcp/` (client,
//! server, the connected stream), `udp/` (the socket, its setup, multicast,
//! ICMP reports from the error queue), `jobs/` (cyclic and file sends) and
//! `auto_reply/` (the rules, and each connection's queue of replies). Imports
//! point from the rooms to the shared parts, never back.

mod addr;
pub mod auto_reply;
mod capture_slot;
mod capturing;
mod dispatch;
mod emit;
mod error;
mod event;
mod handle;
mod interfaces;
mod io_action;
mod jobs;
mod outgoing;
mod priority;
mod queue;
mod registry;
mod request;
mod resolve;
mod shared;
mod tcp;
mod udp;

pub use addr::{parse_bind, parse_port, parse_target};
pub use auto_reply::{AutoReplyRule, Matcher, Reply, ReplyFill, RuleInvalid};
pub use error::{AddrError, CaptureFailure, CommandError, EngineError, JobError};
pub use event::{CloseReason, Event, JobEnd};
pub use handle::{EngineConfig, EngineHandle, EventReceiver, Wake};
pub use interfaces::{LocalInterface, local_addresses, local_interfaces};
pub use io_action::{IoAction, UdpOption};
pub use jobs::{CyclicFill, CyclicSend, FileSend, MAX_TCP_CHUNK, MAX_UDP_CHUNK, SendTarget};
pub use outgoing::Unsent;
pub use request::{
    BindUdp, DEFAULT_KEEPALIVE, DEFAULT_MAX_CLIENTS, KEEPALIVE_PROBES, ListenTcp, MulticastInterface, TcpConnect,
};
pub use resolve::Resolver;
pub use udp::icmp::{IcmpReason, IcmpReport};
