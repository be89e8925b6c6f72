//! Lossless capture: every byte sent and received, with its time, direction
//! and peer, appended to a file of our own simple record format.
//!
//! The engine feeds captures (see `EngineHandle::start_capture` in the engine): each
//! `Sent`/`Received` event, and each connection's opening and closing, is
//! handed to a writer thread ("netassist-capture") over a bounded channel
//! before the event goes to the UI, so a slow disk slows the connections
//! down (back-pressure) instead of losing bytes, and the receive view
//! dropping old records never drops them from the capture.
//!
//! - [`CaptureWriter`]: writes the format to any [`std::io::Write`].
//! - [`CaptureReader`]: reads it back from any [`std::io::Read`], record by
//!   record, and reports (never panics on) a bad signature, an unknown
//!   version, a checksum mismatch or a file cut short.
//! - [`export_file`]: writes a capture as pcapng for Wireshark and tshark,
//!   TCP connections as streams with synthesized headers.
//! - [`load`]: reopens a capture in a [`crate::view::ReceiveView`], so it
//!   looks like the live session did (a capture that fits the view).
//! - [`build_index`], [`RowReader`], [`search_capture`], [`filter_capture`]: a capture of any
//!   size, indexed (every 64th record's offset), read a screenful at a time
//!   and searched whole, for the viewer of captures too big for a view.
//!
//! The format is described in full in `docs/CAPTURE.md`. No egui here.

mod export;
mod format;
mod frames;
mod index;
mod load;
pub mod pcapng;
mod reader;
mod record_ref;
mod rows;
mod search;
mod writer;

pub use export::{ExportError, ExportSummary, MAX_SEGMENT, export_file, export_to_vec};
pub use format::{
    CaptureRecord, HEADER_LEN, MAGIC, MAX_BODY, MAX_PAYLOAD, MIN_BODY, RecordKind, Transport, VERSION, from_micros,
    to_micros,
};
pub use index::{CaptureIndex, IndexBatch, IndexCounts, IndexEnd, STRIDE, build_index, open_capture};
pub use load::{LoadSummary, load, load_file};
pub use reader::{CaptureError, CaptureReader};
pub use rows::{RowKind, RowReader, RowRecord};
pub use search::{FilterBatch, FindBatch, FindEnd, MAX_HITS, MAX_ROWS, RecordFilter, filter_capture, search_capture};
pub use writer::{CaptureWriter, create_file};
pub(crate) use writer::{Entry, EntryKind, Outcome, Totals, WriterThread, spawn_writer};
