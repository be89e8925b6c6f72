//! What the app does when the user presses Connect, Disconnect or Send:
//! validate the input, explain any problem in the UI, queue the command.

use std::time::Duration;

use bytes::Bytes;

use super::{LinkState, NetAssistApp, Protocol, SendMode};
use crate::codec::parse_hex;
use crate::engine::{TcpConnect, parse_port, parse_target};
use crate::ui::ConnectionIntent;

impl NetAssistApp {
    pub(super) fn handle_connection_intent(&mut self, intent: Option<ConnectionIntent>) {
        match intent {
            Some(ConnectionIntent::Connect) => self.connect(),
            Some(ConnectionIntent::Disconnect) => self.disconnect(),
            Some(ConnectionIntent::CharsetChanged) => self.session.view.set_charset(self.settings.charset),
            None => {}
        }
    }

    /// Validates the settings and queues a connect. Problems are shown in
    /// the left column (and the view), and nothing is queued.
    pub fn connect(&mut self) {
        self.form_error = None;
        if self.session.state != LinkState::Idle {
            return;
        }
        if !self.settings.protocol.is_available() {
            self.fail_form(format!("{} is coming in a later version", self.settings.protocol.label()));
            return;
        }
        debug_assert_eq!(self.settings.protocol, Protocol::TcpClient);
        let (host, port) = match parse_target(&self.settings.remote_host, &self.settings.remote_port) {
            Ok(target) => target,
            Err(error) => return self.fail_form(format!("Remote: {error}")),
        };
        let local_port = match self.settings.local_port.trim() {
            "" | "0" => None,
            text => match parse_port(text) {
                Ok(port) => Some(port),
                Err(error) => return self.fail_form(format!("Local port: {error}")),
            },
        };
        let secs = self.settings.connect_timeout_secs;
        let timeout =
            if secs.is_finite() && secs > 0.0 { Duration::from_secs_f32(secs) } else { Duration::from_secs(5) };
        let target = if host.contains(':') { format!("[{host}]:{port}") } else { format!("{host}:{port}") };
        match self.engine.connect_tcp(TcpConnect { host, port, local_port, timeout }) {
            Ok(conn) => self.session.state = LinkState::Connecting { conn, target },
            Err(error) => self.fail_form(error.to_string()),
        }
    }

    fn fail_form(&mut self, message: String) {
        self.session.report_error(message.clone());
        self.form_error = Some(message);
    }

    /// Closes the connection, or cancels a connect under way.
    pub fn disconnect(&mut self) {
        if let Some(conn) = self.session.state.conn()
            && let Err(error) = self.engine.disconnect(conn)
        {
            self.session.report_error(error.to_string());
        }
    }

    /// Turns the send box into bytes and queues them. Invalid hex, text the
    /// charset cannot encode, an empty payload or no connection are explained
    /// under the send box; nothing is sent then and the text stays.
    pub fn send(&mut self) {
        self.send_error = None;
        let payload = match self.settings.send_mode {
            SendMode::Text => self.settings.charset.encode(&self.send_text).map_err(|e| e.to_string()),
            SendMode::Hex => parse_hex(&self.send_text).map_err(|e| format!("Invalid hex: {e}")),
        };
        let payload = match payload {
            Ok(bytes) if bytes.is_empty() => Err("Nothing to send: the send box is empty".to_owned()),
            other => other,
        };
        let result = payload.and_then(|bytes| match &self.session.state {
            LinkState::Connected { conn, .. } => self.engine.send(*conn, Bytes::from(bytes)).map_err(|e| e.to_string()),
            _ => Err("Not connected: press Connect first; nothing was sent".to_owned()),
        });
        if let Err(message) = result {
            self.session.last_error = Some(message.clone());
            self.send_error = Some(message);
        }
    }
}
