//! The receive view's model, free of egui: what was sent and received, kept
//! in a bounded store, decoded per stream, and cut into display lines.
//!
//! [`ReceiveView`] is the whole model; the UI only asks it how many lines
//! there are and what line `i` says, so a frame costs what is visible, not
//! what is stored.

mod elided;
pub mod framing;
pub mod lines;
mod receive_view;
mod record;
mod store;

pub use framing::Framing;
pub use lines::{Line, LineKind, ViewMode};
pub use receive_view::ReceiveView;
pub use record::{Delivery, NoteLevel, Record, RecordBody};
pub use store::{StoreLimits, StoreStats};
