//! The egui panels. Each `*_ui` function draws one part of the window from
//! the app's state and reports what the user asked for; none does I/O.

mod auto_reply;
mod capture;
mod connection;
pub mod fonts;
mod framing;
mod jobs;
mod peers;
mod presets;
mod profiles;
mod receive;
mod send;
mod status;

pub use auto_reply::{ADD_RULE, RULES_WINDOW, auto_reply_window};
pub use capture::{CAPTURE_CHARSET, CLOSE_CAPTURE, capture_ui};
pub use connection::{ConnectionIntent, HALF_CLOSE, connection_ui};
pub use framing::{DELIMITER_FIELD, FRAMING_LABEL, IDLE_GAP_FIELD, framing_ui};
pub use jobs::{
    CANCEL_FILE, COUNT_FIELD, INTERVAL_FIELD, JobIntent, JobsPanel, SEND_FILE, START_REPEAT, STOP_REPEAT, jobs_ui,
};
pub use peers::{clients_ui, multicast_ui};
pub use presets::{PRESET_NAME_FIELD, PresetIntent, presets_ui};
pub use profiles::{
    NAME_FIELD, NO_PROFILE, NameAction, PROFILE_LABEL, ProfileDialog, ProfileIntent, ProfilePanel, profiles_ui,
};
pub use receive::{ReceiveControls, lines_ui, lines_ui_upto, receive_ui};
pub use send::{SendIntent, send_ui};
pub use status::status_ui;
