//! The problems a session shows under its fields, each tied to the state
//! that caused it, so that it goes away when that state does: a Send refused
//! in server mode is gone once the mode, the link or the send box changes; a
//! bad port under Connect is gone once the fields change.

use super::message::Message;
use super::session::LinkState;
use super::settings::{PayloadFormat, Protocol, Settings};

/// A message and the state it is about.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem<C> {
    /// What to show.
    pub message: Message,
    /// What must still hold for it to be shown.
    pub cause: C,
}

/// What a refused Send (or preset, or job) was about.
#[derive(Clone, Debug, PartialEq)]
pub struct SendCause {
    /// The mode then.
    pub protocol: Protocol,
    /// The link then.
    pub link: LinkState,
    /// The send box then.
    pub text: String,
    /// How the box was to become bytes.
    pub format: PayloadFormat,
    /// How many server clients there were.
    pub clients: usize,
}

/// What a refused Connect (or Join) was about: the settings and the link then.
#[derive(Clone, Debug, PartialEq)]
pub struct FormCause {
    /// The settings then.
    pub settings: Settings,
    /// The link then.
    pub link: LinkState,
}

/// A session's live problems, one per place it shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Problems {
    /// Under the connection fields (Connect, Join).
    pub form: Option<Problem<FormCause>>,
    /// Under the send box (Send, presets, cyclic and file sends).
    pub send: Option<Problem<SendCause>>,
    /// Under the quick-send panel (adding a preset): cleared by its next action.
    pub preset: Option<Message>,
    /// Auto-reply rules left out until fixed: remade whenever the rules change.
    pub rules: Vec<Message>,
}

impl Problems {
    /// Drops what no longer holds: run once a frame with the session's state now.
    pub fn retain(&mut self, settings: &Settings, link: &LinkState, text: &str, clients: usize) {
        if self.form.as_ref().is_some_and(|p| p.cause.settings != *settings || p.cause.link != *link) {
            self.form = None;
        }
        if self.send.as_ref().is_some_and(|p| {
            let c = &p.cause;
            c.protocol != settings.protocol
                || c.link != *link
                || c.text != text
                || c.format != settings.payload_format()
                || c.clients != clients
        }) {
            self.send = None;
        }
    }

    /// The problems to show in the status bar, newest place first: the send box's, then the form's.
    pub fn latest(&self) -> Option<&Message> {
        self.send.as_ref().map(|p| &p.message).or(self.form.as_ref().map(|p| &p.message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn send_problem(settings: &Settings, text: &str) -> Problems {
        let cause = SendCause {
            protocol: settings.protocol,
            link: LinkState::Idle,
            text: text.to_owned(),
            format: settings.payload_format(),
            clients: 0,
        };
        Problems { send: Some(Problem { message: Message::NoClients, cause }), ..Problems::default() }
    }

    #[test]
    fn a_send_problem_goes_when_the_mode_or_the_box_changes() {
        let server = Settings { protocol: Protocol::TcpServer, ..Settings::default() };
        let mut problems = send_problem(&server, "hi");
        problems.retain(&server, &LinkState::Idle, "hi", 0);
        assert!(problems.send.is_some(), "nothing changed: it stays");
        problems.retain(&Settings::default(), &LinkState::Idle, "hi", 0);
        assert_eq!(problems.send, None, "switched to TCP client");
        let mut problems = send_problem(&server, "hi");
        problems.retain(&server, &LinkState::Idle, "hi!", 0);
        assert_eq!(problems.latest(), None, "the box changed");
    }

    #[test]
    fn a_form_problem_goes_when_a_field_changes() {
        let settings = Settings::default();
        let cause = FormCause { settings: settings.clone(), link: LinkState::Idle };
        let mut problems =
            Problems { form: Some(Problem { message: Message::BadTimeout(0.0), cause }), ..Problems::default() };
        problems.retain(&settings, &LinkState::Idle, "", 0);
        assert!(problems.form.is_some());
        let fixed = Settings { connect_timeout_secs: 3.0, ..settings };
        problems.retain(&fixed, &LinkState::Idle, "", 0);
        assert_eq!(problems.form, None);
    }
}
