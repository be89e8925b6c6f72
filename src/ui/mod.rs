//! The egui panels. Each `*_ui` function draws one part of the window from
//! the session model ([`crate::model`]) and returns what the user asked for
//! (an intent); none does I/O, and none knows the app above it.

mod auto_reply;
mod banner;
mod capture;
mod connection;
mod files;
pub mod fonts;
mod framing;
mod jobs;
mod menu;
mod peers;
mod perf;
mod presets;
mod profiles;
mod receive;
mod send;
mod sequence;
mod status;
mod tabs;
mod title;
mod vars;

pub use auto_reply::{ADD_RULE, RULES_WINDOW, auto_reply_row_ui, auto_reply_window};
pub use banner::{Banner, BannerIntent, banner_ui};
pub use capture::{CAPTURE_CHARSET, CLOSE_CAPTURE, capture_ui};
pub use connection::{ConnectionIntent, HALF_CLOSE, connection_ui};
pub use files::{FilesPanel, files_ui};
pub use framing::{DELIMITER_FIELD, FRAMING_LABEL, IDLE_GAP_FIELD, framing_ui};
pub use jobs::{
    CANCEL_FILE, COUNT_FIELD, INTERVAL_FIELD, JobIntent, JobsPanel, SEND_FILE, START_REPEAT, STOP_REPEAT, jobs_ui,
};
pub use menu::{MenuIntent, menu_ui};
pub use peers::{clients_ui, multicast_ui};
pub use perf::perf_ui;
pub use presets::{PRESET_NAME_FIELD, PresetIntent, presets_ui};
pub use profiles::{
    NAME_FIELD, NO_PROFILE, NameAction, PROFILE_LABEL, ProfileDialog, ProfileIntent, ProfilePanel, profiles_ui,
};
pub use receive::{ReceiveControls, lines_ui, lines_ui_upto, receive_ui};
pub use send::{SendIntent, send_ui};
pub use sequence::{SEQUENCE_STEPS, SequenceIntent, SequencePanel, SequenceRow, sequence_ui};
pub use status::{state_color, status_ui};
pub use tabs::{NEW_TAB, TAB_NAME_FIELD, TabBar, TabIntent, TabLabel, confirm_close_ui, tab_bar_ui};
pub use title::title_ui;
pub use vars::seq_ui;
