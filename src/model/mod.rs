//! The session model: what one session (one tab of the window) is made of,
//! below the panels that draw it and the app that drives it. No egui here.
//!
//! - [`Settings`]: what the user set in the left column and the mode switches.
//! - [`Session`]: the link, the counters and the receive view, changed only by
//!   [`Session::apply`] from engine events.
//! - [`SendHistory`], [`Preset`], [`AutoReplySpec`]: the send box's recall,
//!   the quick-send presets and the auto-reply rules as the user wrote them.
//! - [`CaptureViewer`]: a capture file opened read-only into a view;
//!   [`BigCapture`]: one too big for a view, opened whole through its index.
//! - [`PathPrompt`]: the path field offered where there is no file dialog.
//! - [`Message`]: every sentence the window shows, as a typed value, turned
//!   into text in one place; [`Problems`] ties each problem to its cause.

mod auto_reply;
mod big_capture;
mod big_capture_rows;
mod big_filter;
mod capture_viewer;
mod error_text;
mod find_bar;
mod find_text;
mod history;
mod message;
mod message_profiles;
mod message_text;
mod os_error;
mod os_text;
mod path_prompt;
mod payload;
mod problems;
mod profile_map;
mod profile_note;
mod session;
mod settings;
pub mod stats;
mod vars_text;

pub use auto_reply::{AutoReplySpec, CompiledRule, MatchKind, ReplyKind, RuleError, RuleField, RuleProblem};
pub use big_capture::{BigCapture, BigFind, ROW_HEAD};
pub use big_capture_rows::{RowStyle, ShownRow, show_row};
pub use big_filter::BigFilter;
pub use capture_viewer::CaptureViewer;
pub use find_bar::{FilterState, FindState, PaneView};
pub use history::{HISTORY_LEN, SendHistory};
pub use message::Message;
pub use os_error::OsError;
pub use path_prompt::{FilePurpose, PathPrompt};
pub use payload::{PayloadError, build_payload, parse_payload, payload_preview};
pub use problems::{FormCause, Problem, Problems, SendCause};
pub use profile_map::{from_profile, to_profile};
pub use profile_note::ProfileNote;
pub use session::{CaptureState, ClientInfo, Counters, JobInfo, JobKind, LinkState, Session, describe_local};
pub use settings::{PayloadFormat, Preset, Protocol, SendMode, Settings, SettingsOverrides};
