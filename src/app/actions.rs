//! What the app does when the user presses Connect/Listen/Open, Disconnect,
//! Send, Kick or Join: validate the input, explain any problem in the UI,
//! queue the command.

use crate::ids::ConnId;
use std::net::IpAddr;
use std::time::Duration;

use bytes::Bytes;

use super::SessionTab;
use crate::codec::Vars;
use crate::engine::{
    BindUdp, EngineHandle, ListenTcp, MulticastInterface, TcpConnect, parse_bind, parse_port, parse_target,
};
use crate::model::{FormCause, LinkState, Message, Problem, Protocol, SendCause, parse_payload, payload_preview};
use crate::ui::ConnectionIntent;

/// Bytes shown in the send preview at most.
const PREVIEW_BYTES: usize = 48;
/// Longest send box text previewed (the preview is made every frame).
const PREVIEW_MAX_TEXT: usize = 64 << 10;

impl SessionTab {
    /// Carries out what the connection panel (or the clients / multicast panel) asked for.
    pub fn handle_connection_intent(&mut self, engine: &EngineHandle, intent: Option<ConnectionIntent>) {
        match intent {
            Some(ConnectionIntent::Connect) => {
                self.reconnect_user_connected();
                self.connect(engine);
            }
            Some(ConnectionIntent::Disconnect) => {
                self.reconnect_user_stopped();
                self.disconnect(engine);
            }
            Some(ConnectionIntent::StopReconnecting) => self.reconnect_user_stopped(),
            Some(ConnectionIntent::CharsetChanged) => self.session.view.set_charset(self.settings.charset),
            Some(ConnectionIntent::Kick(conn)) => self.kick(engine, conn),
            Some(ConnectionIntent::FilterClient(conn, peer)) => self.filter.toggle_client(conn, peer),
            Some(ConnectionIntent::JoinGroup) => self.join_group(engine),
            Some(ConnectionIntent::LeaveGroup(group)) => self.leave_group(engine, group),
            None => {}
        }
    }

    /// Validates the settings and opens what the protocol selector says: a
    /// TCP connection, a TCP server or a UDP socket. Problems are shown in
    /// the left column (and the view), and nothing is queued.
    pub fn connect(&mut self, engine: &EngineHandle) {
        self.problems.form = None;
        if self.session.state != LinkState::Idle {
            return;
        }
        // The capture starts first, so that it holds the connection's first event.
        let capturing = self.start_capture_if_asked(engine);
        let result = match self.settings.protocol {
            Protocol::TcpClient => self.connect_tcp(engine),
            Protocol::TcpServer => self.listen_tcp(engine),
            Protocol::Udp => self.open_udp(engine),
        };
        match result {
            Ok(id) => {
                self.opened.insert(id);
                // The rules follow the new root at once, before its first read.
                self.sync_auto_replies(engine);
                self.session_started();
            }
            Err(message) => {
                if capturing {
                    self.stop_capture(engine);
                }
                self.fail_form(message);
            }
        }
    }

    fn connect_tcp(&mut self, engine: &EngineHandle) -> Result<ConnId, Message> {
        let (host, port) =
            parse_target(&self.settings.remote_host, &self.settings.remote_port).map_err(Message::Remote)?;
        let local_port = match self.settings.local_port.trim() {
            "" | "0" => None,
            text => Some(parse_port(text).map_err(Message::LocalPort)?),
        };
        let secs = self.settings.connect_timeout_secs;
        let timeout =
            Duration::try_from_secs_f32(secs).ok().filter(|t| !t.is_zero()).ok_or(Message::BadTimeout(secs))?;
        let target = if host.contains(':') { format!("[{host}]:{port}") } else { format!("{host}:{port}") };
        let (half_close, keepalive) = (self.settings.half_close, self.keepalive());
        let conn = engine.connect_tcp(TcpConnect { host, port, local_port, timeout, half_close, keepalive })?;
        self.session.state = LinkState::Connecting { conn, target };
        Ok(conn)
    }

    /// The keepalive interval the settings ask for (0 seconds: off).
    fn keepalive(&self) -> Option<Duration> {
        (self.settings.keepalive_secs > 0).then(|| Duration::from_secs(u64::from(self.settings.keepalive_secs)))
    }

    fn listen_tcp(&mut self, engine: &EngineHandle) -> Result<ConnId, Message> {
        let bind = parse_bind(&self.settings.bind_host, &self.settings.listen_port).map_err(Message::LocalAddress)?;
        let max_clients = self.settings.max_clients.max(1) as usize;
        let (half_close, keepalive) = (self.settings.half_close, self.keepalive());
        let listener = engine.listen_tcp(ListenTcp { bind, max_clients, half_close, keepalive })?;
        self.session.state = LinkState::Starting { conn: listener, protocol: Protocol::TcpServer, bind };
        Ok(listener)
    }

    fn open_udp(&mut self, engine: &EngineHandle) -> Result<ConnId, Message> {
        let bind = parse_bind(&self.settings.bind_host, &self.settings.udp_port).map_err(Message::LocalAddress)?;
        let request = BindUdp {
            bind,
            broadcast: self.settings.broadcast,
            multicast_ttl: Some(self.settings.multicast_ttl),
            multicast_loop: self.settings.multicast_loop,
        };
        let socket = engine.bind_udp(request)?;
        self.session.state = LinkState::Starting { conn: socket, protocol: Protocol::Udp, bind };
        Ok(socket)
    }

    /// A refused Connect or Join: under the fields, tied to them as they are now, and in the view.
    fn fail_form(&mut self, message: Message) {
        self.session.report_error(message.clone());
        let cause = FormCause { settings: self.settings.clone(), link: self.session.state.clone() };
        self.problems.form = Some(Problem { message, cause });
    }

    /// Closes the connection, stops the server (closing its clients) or
    /// closes the UDP socket; cancels an open under way.
    pub fn disconnect(&mut self, engine: &EngineHandle) {
        // The engine closes whatever an id names: connection, listener (with
        // its clients) or UDP socket, also while it is still being opened.
        if let Some(id) = self.session.state.conn()
            && let Err(error) = engine.disconnect(id)
        {
            self.session.report_error(error.into());
        }
    }

    /// Disconnects one client of the TCP server.
    pub fn kick(&mut self, engine: &EngineHandle, conn: ConnId) {
        if let Err(error) = engine.disconnect(conn) {
            self.session.report_error(error.into());
        }
    }

    fn join_group(&mut self, engine: &EngineHandle) {
        let LinkState::UdpOpen { conn: socket, .. } = self.session.state else {
            return self.fail_form(Message::OpenUdpFirst);
        };
        let result = parse_group(&self.settings.multicast_group).and_then(|group| {
            let interface = parse_interface(&self.settings.multicast_interface, group)?;
            Ok(engine.join_multicast(socket, group, interface)?)
        });
        if let Err(message) = result {
            self.fail_form(message);
        }
    }

    fn leave_group(&mut self, engine: &EngineHandle, group: IpAddr) {
        if let LinkState::UdpOpen { conn: socket, .. } = self.session.state {
            let result = parse_interface(&self.settings.multicast_interface, group)
                .and_then(|interface| Ok(engine.leave_multicast(socket, group, interface)?));
            if let Err(message) = result {
                self.fail_form(message);
            }
        }
    }

    /// Turns the send box into bytes and queues them to where the mode says:
    /// the connection, the selected (or all) server clients, or the UDP
    /// target. Invalid hex, text the charset cannot encode, an empty payload
    /// or nowhere to send are explained under the send box; nothing is sent
    /// then and the text stays. Variables are filled in from the tab's; the
    /// counter moves only when the bytes were queued.
    pub fn send(&mut self, engine: &EngineHandle) {
        self.problems.send = None;
        let mut vars = self.vars.clone();
        let result = self.payload(&mut vars).and_then(|bytes| self.send_payload(engine, Bytes::from(bytes)));
        match result {
            Ok(()) => {
                self.vars = vars;
                self.history.push(&self.send_text);
            }
            Err(message) => self.fail_send(message),
        }
    }

    /// A refused Send (preset, job): under the send box, tied to the mode, the link and the box as they are now.
    pub(super) fn fail_send(&mut self, message: Message) {
        let cause = SendCause {
            protocol: self.settings.protocol,
            link: self.session.state.clone(),
            text: self.send_text.clone(),
            format: self.settings.payload_format(),
            clients: self.session.clients.len(),
        };
        self.problems.send = Some(Problem { message, cause });
    }

    /// The line under the send box: the bytes a Send would put on the wire
    /// (empty while the box is empty; the reason while they cannot be made).
    pub fn send_preview(&self) -> Result<String, Message> {
        if self.send_text.is_empty() {
            return Ok(String::new());
        }
        if self.send_text.len() > PREVIEW_MAX_TEXT {
            return Ok(Message::NoPreview.to_string());
        }
        let now = std::time::SystemTime::now();
        let next = parse_payload(&self.send_text, &self.settings.payload_format())
            .and_then(|send| Ok(send.preview(&self.vars, None, now)?));
        match next {
            Ok(bytes) => Ok(format!("→ {}", payload_preview(&bytes, PREVIEW_BYTES))),
            Err(error) => Err(Message::Payload(error)),
        }
    }

    /// Sends quick-send preset `index` (in its own format) to where Send would.
    pub fn send_preset(&mut self, engine: &EngineHandle, index: usize) {
        self.problems.send = None;
        let Some(preset) = self.settings.presets.get(index) else { return };
        let mut vars = self.vars.clone();
        let result = parse_payload(&preset.text, &preset.format)
            .and_then(|send| Ok(send.expand(&mut vars, None, std::time::SystemTime::now())?))
            .map_err(|error| Message::Preset { name: preset.name.clone(), error })
            .and_then(|bytes| self.send_payload(engine, Bytes::from(bytes)));
        match result {
            Ok(()) => self.vars = vars,
            Err(message) => self.fail_send(message),
        }
    }

    fn payload(&self, vars: &mut Vars) -> Result<Vec<u8>, Message> {
        let send = parse_payload(&self.send_text, &self.settings.payload_format())?;
        let payload =
            send.expand(vars, None, std::time::SystemTime::now()).map_err(crate::model::PayloadError::from)?;
        // An empty datagram is a real thing to send; an empty TCP write is not.
        if payload.is_empty() && !matches!(self.session.state, LinkState::UdpOpen { .. }) {
            return Err(Message::NothingToSend);
        }
        Ok(payload)
    }

    fn send_payload(&mut self, engine: &EngineHandle, data: Bytes) -> Result<(), Message> {
        match &self.session.state {
            LinkState::Connected { conn, .. } => Ok(engine.send(*conn, data)?),
            // One command for all the clients: one per client would overflow the
            // engine's command queue past a few hundred clients, and stop part-way.
            LinkState::Listening { .. } => Ok(engine.send_many(self.send_targets()?, data)?),
            LinkState::UdpOpen { conn: socket, .. } => {
                let socket = *socket;
                let (host, port) = self.udp_destination()?;
                Ok(engine.send_to(socket, host, port, data)?)
            }
            LinkState::Idle | LinkState::Connecting { .. } | LinkState::Starting { .. } => {
                Err(Message::NotOpen(self.settings.protocol))
            }
        }
    }

    /// Where a UDP send goes: the last sender (if replying to it) or the remote address.
    pub(super) fn udp_destination(&self) -> Result<(String, u16), Message> {
        match self.session.last_sender {
            Some(sender) if self.settings.reply_to_last_sender => Ok((sender.ip().to_string(), sender.port())),
            None if self.settings.reply_to_last_sender => Err(Message::NoLastSender),
            _ => parse_target(&self.settings.remote_host, &self.settings.remote_port).map_err(Message::Remote),
        }
    }

    /// Server clients to send to: all of them, or the ones selected.
    pub(super) fn send_targets(&self) -> Result<Vec<ConnId>, Message> {
        if self.session.clients.is_empty() {
            return Err(Message::NoClients);
        }
        let targets: Vec<ConnId> = self
            .session
            .clients
            .iter()
            .filter(|(_, client)| self.send_to_all || client.selected)
            .map(|(conn, _)| *conn)
            .collect();
        if targets.is_empty() {
            return Err(Message::NoClientSelected);
        }
        Ok(targets)
    }
}

fn parse_group(text: &str) -> Result<IpAddr, Message> {
    let text = text.trim().trim_start_matches('[').trim_end_matches(']');
    text.parse().map_err(|_| Message::BadGroup(text.to_owned()))
}

/// The multicast interface field: empty (any), an IPv4 address (for IPv4
/// groups) or an interface index (for IPv6 groups).
fn parse_interface(text: &str, group: IpAddr) -> Result<MulticastInterface, Message> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(MulticastInterface::Any);
    }
    let bad = |v6| Message::BadInterface { text: text.to_owned(), v6 };
    match group {
        IpAddr::V4(_) => text.parse().map(MulticastInterface::V4).map_err(|_| bad(false)),
        IpAddr::V6(_) => text.parse().map(MulticastInterface::V6).map_err(|_| bad(true)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bind_addresses() {
        let bind = |host, port| parse_bind(host, port).map_err(Message::LocalAddress);
        assert_eq!(bind("0.0.0.0", "8000"), Ok("0.0.0.0:8000".parse().unwrap()));
        assert_eq!(bind("[::]", "0"), Ok("[::]:0".parse().unwrap()));
        assert!(bind("example.org", "80").unwrap_err().to_string().contains("not an IP address"));
        assert!(bind("127.0.0.1", "http").is_err());
    }

    #[test]
    fn multicast_fields() {
        let v4: IpAddr = "239.255.0.1".parse().unwrap();
        assert_eq!(parse_group(" 239.255.0.1 "), Ok(v4));
        assert!(parse_group("nope").is_err());
        assert_eq!(parse_interface("", v4), Ok(MulticastInterface::Any));
        assert_eq!(parse_interface("127.0.0.1", v4), Ok(MulticastInterface::V4("127.0.0.1".parse().unwrap())));
        assert!(parse_interface("1", v4).is_err());
        assert_eq!(parse_interface("1", "ff15::1".parse().unwrap()), Ok(MulticastInterface::V6(1)));
    }
}
