//! Scripts: steps (connect, listen, send, wait, expect, repeat, …) as plain
//! values ([`model`]), read from a small line-oriented file format
//! ([`parse`], described in docs/SCRIPTS.md, errors by line and column), and
//! run against the engine by a [`runner`] that is fed the engine's events
//! and never blocks, so a window can drive it from its frame loop as well as
//! `netassist run` from a plain loop. No egui.

mod args;
pub mod drive;
mod error;
mod inbox;
mod lex;
mod link;
pub mod model;
pub mod parse;
pub mod report;
pub mod runner;
mod steps;

pub use drive::run_to_end;
pub use error::{LoadError, ParseError, ParseErrorKind};
pub use model::{Action, Check, Expect, Pattern, Payload, Script, Send, Step};
pub use parse::{load, parse};
pub use report::{Detail, Shown, StepFailure, StepKind, StepReport};
pub use runner::{Outcome, Progress, RunOptions, Runner};
