//! The network engine: a tokio runtime on its own "netassist-engine" thread.
//!
//! The UI talks to it only through an [`EngineHandle`] (commands, sent with
//! `try_send` on a bounded channel, so the UI never blocks) and an
//! [`EventReceiver`] (events, which the engine *awaits* to send on a bounded
//! channel, so a slow UI turns into TCP back-pressure rather than memory).
//! After queueing events the engine calls a plain [`Wake`] callback; it never
//! depends on egui.
//!
//! Raw bytes cross this boundary: how they look (charset, hex) is the view's
//! business.

mod addr;
mod dispatch;
mod emit;
mod error;
mod event;
mod handle;
mod resolve;
mod tcp_client;
mod tcp_stream;

pub use addr::{parse_port, parse_target};
pub use error::{AddrError, CommandError, EngineError};
pub use event::{CloseReason, ConnId, Event};
pub use handle::{EngineConfig, EngineHandle, EventReceiver, TcpConnect, Wake};
pub use resolve::Resolver;
