//! The egui panels. Each `*_ui` function draws one part of the window from
//! the session model ([`crate::model`]) and returns what the user asked for
//! (an intent); none does I/O, and none knows the app above it.

mod auto_reply;
mod banner;
mod big_capture;
mod capture;
mod connection;
mod export;
mod files;
mod filter_bar;
mod find_bar;
pub mod fonts;
mod framing;
mod jobs;
mod marked_lines;
mod menu;
mod path_prompt;
mod peers;
mod perf;
mod presets;
mod profiles;
mod receive;
mod send;
mod sequence;
mod stats;
mod status;
mod tabs;
mod title;
mod vars;

pub use auto_reply::{add_rule, auto_reply_row_ui, auto_reply_window, rules_window};
pub use banner::{Banner, BannerIntent, banner_ui};
pub use big_capture::{BigCaptureIntent, big_capture_header_ui, big_capture_rows_ui, cancel_index};
pub use capture::{capture_charset, capture_ui, close_capture};
pub use connection::{ConnectionIntent, connection_ui, half_close};
pub use export::{ExportIntent, ExportPanel, export_button, export_capture_field, export_output_field, export_window};
pub use files::{FilesPanel, files_ui};
pub use filter_bar::{FilterIntent, FilterPanel, filter_bar_ui, filter_field, filter_mode_label};
pub use find_bar::{FindIntent, FindPanel, find_bar_ui, find_field, find_mode_label, find_mode_name};
pub use framing::{delimiter_field, framing_label, framing_ui, idle_gap_field};
pub use jobs::{
    JobIntent, JobsPanel, cancel_file, count_field, interval_field, jobs_ui, send_file, start_repeat, stop_repeat,
};
pub use marked_lines::{LineMarks, marked_lines_ui};
pub use menu::{MenuIntent, MenuState, ThemeChoice, menu_ui};
pub use path_prompt::{PathPromptIntent, path_field, path_prompt_button, path_prompt_title, path_prompt_ui};
pub use peers::{clients_ui, multicast_ui};
pub use perf::perf_ui;
pub use presets::{PresetIntent, preset_name_field, presets_ui};
pub use profiles::{
    NameAction, ProfileDialog, ProfileIntent, ProfilePanel, name_field, no_profile, profile_label, profiles_ui,
};
pub use receive::{ReceiveControls, lines_ui, lines_ui_upto, receive_toolbar_ui};
pub use send::{SendIntent, convert_box, send_ui};
pub use sequence::{SequenceIntent, SequencePanel, SequenceRow, sequence_steps, sequence_ui};
pub use stats::{SPANS, StatsChoice, StatsIntent, stats_text, stats_window};
pub use status::{state_color, status_ui};
pub use tabs::{TabBar, TabIntent, TabLabel, confirm_close_ui, new_tab, tab_bar_ui, tab_name_field};
pub use title::title_ui;
pub use vars::seq_ui;
