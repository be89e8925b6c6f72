//! The receive view's model, free of egui: what was sent and received, kept
//! in a bounded store, decoded per stream, and cut into display lines.
//!
//! [`ReceiveView`] is the whole model; the UI only asks it how many lines
//! there are and what line `i` says, so a frame costs what is visible, not
//! what is stored.

mod controls;
mod elided;
pub mod filter;
pub mod find;
mod find_scan;
pub mod framing;
pub mod lines;
mod receive_view;
mod record;
mod store;

pub use controls::escape_controls;
pub use filter::{FilterProgress, FilterSpec, FilteredView, Source};
pub use find::{FindBudget, FindJob, FindProgress, Highlight, MAX_MATCHES};
pub use find_scan::{
    Domain, FindMode, FindQuery, Hit, MAX_QUERY_BYTES, Pattern, Position, QueryError, Scanner, StreamKey,
    UNBOUNDED_SPAN,
};
pub use framing::Framing;
pub use lines::{Line, LineKind, ViewMode};
pub use receive_view::ReceiveView;
pub use record::{Delivery, NoteLevel, Record, RecordBody};
pub use store::{StoreLimits, StoreStats};
