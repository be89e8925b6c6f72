//! The open tabs, saved with the window layout so they come back at the next start.

use serde::{Deserialize, Serialize};

use super::data::Profile;

/// The tabs that were open, in order, and which one was in view.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Workspace {
    /// The tabs, in tab order.
    pub tabs: Vec<WorkspaceTab>,
    /// The tab in view.
    pub active: usize,
    /// The tab shown beside it, if the view was split.
    pub beside: Option<usize>,
}

/// One tab as it was left.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WorkspaceTab {
    /// The name the user gave the tab, if any.
    pub title: Option<String>,
    /// The saved profile it used, if any.
    pub profile: Option<String>,
    /// Its settings as they were (unsaved changes included).
    pub settings: Profile,
    /// What its send box held (kept with the session, as NetAssist keeps it).
    pub send_text: String,
}
