//! What the app does when the user presses Connect/Listen/Open, Disconnect,
//! Send, Kick or Join: validate the input, explain any problem in the UI,
//! queue the command.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use bytes::Bytes;

#[cfg(test)]
use super::Settings;
use super::{LinkState, NetAssistApp, PayloadFormat, Protocol, SendMode};
use crate::codec::{append_checksum, encode_with_escapes, parse_hex, preview};

/// Bytes shown in the send preview at most.
const PREVIEW_BYTES: usize = 48;
/// Longest send box text previewed (the preview is made every frame).
const PREVIEW_MAX_TEXT: usize = 64 << 10;
use crate::engine::{
    BindUdp, CommandError, ConnId, ListenTcp, MulticastInterface, TcpConnect, parse_bind, parse_port, parse_target,
};
use crate::ui::ConnectionIntent;

impl NetAssistApp {
    pub(super) fn handle_connection_intent(&mut self, intent: Option<ConnectionIntent>) {
        match intent {
            Some(ConnectionIntent::Connect) => {
                self.reconnect_user_connected();
                self.connect();
            }
            Some(ConnectionIntent::Disconnect) => {
                self.reconnect_user_stopped();
                self.disconnect();
            }
            Some(ConnectionIntent::StopReconnecting) => self.reconnect_user_stopped(),
            Some(ConnectionIntent::CharsetChanged) => self.session.view.set_charset(self.settings.charset),
            Some(ConnectionIntent::Kick(conn)) => self.kick(conn),
            Some(ConnectionIntent::JoinGroup) => self.join_group(),
            Some(ConnectionIntent::LeaveGroup(group)) => self.leave_group(group),
            None => {}
        }
    }

    /// Validates the settings and opens what the protocol selector says: a
    /// TCP connection, a TCP server or a UDP socket. Problems are shown in
    /// the left column (and the view), and nothing is queued.
    pub fn connect(&mut self) {
        self.form_error = None;
        if self.session.state != LinkState::Idle {
            return;
        }
        // The capture starts first, so that it holds the connection's first event.
        let capturing = self.start_capture_if_asked();
        let result = match self.settings.protocol {
            Protocol::TcpClient => self.connect_tcp(),
            Protocol::TcpServer => self.listen_tcp(),
            Protocol::Udp => self.open_udp(),
        };
        match result {
            Ok(()) => self.session_started(),
            Err(message) => {
                if capturing {
                    self.stop_capture();
                }
                self.fail_form(message);
            }
        }
    }

    fn connect_tcp(&mut self) -> Result<(), String> {
        let (host, port) =
            parse_target(&self.settings.remote_host, &self.settings.remote_port).map_err(|e| format!("Remote: {e}"))?;
        let local_port = match self.settings.local_port.trim() {
            "" | "0" => None,
            text => Some(parse_port(text).map_err(|e| format!("Local port: {e}"))?),
        };
        let secs = self.settings.connect_timeout_secs;
        let timeout = Duration::try_from_secs_f32(secs)
            .ok()
            .filter(|t| !t.is_zero())
            .ok_or_else(|| format!("Timeout: {secs} is not a number of seconds from 0.1 to 120"))?;
        let target = if host.contains(':') { format!("[{host}]:{port}") } else { format!("{host}:{port}") };
        let conn = self
            .engine
            .connect_tcp(TcpConnect { host, port, local_port, timeout, half_close: self.settings.half_close })
            .map_err(cmd)?;
        self.session.state = LinkState::Connecting { conn, target };
        Ok(())
    }

    fn listen_tcp(&mut self) -> Result<(), String> {
        let bind = bind_address(&self.settings.bind_host, &self.settings.listen_port)?;
        let max_clients = self.settings.max_clients.max(1) as usize;
        let listener = self
            .engine
            .listen_tcp(ListenTcp { bind, max_clients, half_close: self.settings.half_close })
            .map_err(cmd)?;
        self.session.state = LinkState::Starting { id: listener, what: format!("TCP server on {bind}") };
        Ok(())
    }

    fn open_udp(&mut self) -> Result<(), String> {
        let bind = bind_address(&self.settings.bind_host, &self.settings.udp_port)?;
        let request = BindUdp {
            bind,
            broadcast: self.settings.broadcast,
            multicast_ttl: Some(self.settings.multicast_ttl),
            multicast_loop: self.settings.multicast_loop,
        };
        let socket = self.engine.bind_udp(request).map_err(cmd)?;
        self.session.state = LinkState::Starting { id: socket, what: format!("UDP socket on {bind}") };
        Ok(())
    }

    fn fail_form(&mut self, message: String) {
        self.session.report_error(message.clone());
        self.form_error = Some(message);
    }

    /// Closes the connection, stops the server (closing its clients) or
    /// closes the UDP socket; cancels an open under way.
    pub fn disconnect(&mut self) {
        // The engine closes whatever an id names: connection, listener (with
        // its clients) or UDP socket, also while it is still being opened.
        if let Some(id) = self.session.state.conn()
            && let Err(error) = self.engine.disconnect(id)
        {
            self.session.report_error(error.to_string());
        }
    }

    /// Disconnects one client of the TCP server.
    pub fn kick(&mut self, conn: ConnId) {
        if let Err(error) = self.engine.disconnect(conn) {
            self.session.report_error(error.to_string());
        }
    }

    fn join_group(&mut self) {
        let LinkState::UdpOpen { socket, .. } = self.session.state else {
            return self.fail_form("Open the UDP socket first, then join a group".to_owned());
        };
        let result = parse_group(&self.settings.multicast_group).and_then(|group| {
            let interface = parse_interface(&self.settings.multicast_interface, group)?;
            self.engine.join_multicast(socket, group, interface).map_err(cmd)
        });
        if let Err(message) = result {
            self.fail_form(message);
        }
    }

    fn leave_group(&mut self, group: IpAddr) {
        if let LinkState::UdpOpen { socket, .. } = self.session.state {
            let result = parse_interface(&self.settings.multicast_interface, group)
                .and_then(|interface| self.engine.leave_multicast(socket, group, interface).map_err(cmd));
            if let Err(message) = result {
                self.fail_form(message);
            }
        }
    }

    /// Turns the send box into bytes and queues them to where the mode says:
    /// the connection, the selected (or all) server clients, or the UDP
    /// target. Invalid hex, text the charset cannot encode, an empty payload
    /// or nowhere to send are explained under the send box; nothing is sent
    /// then and the text stays.
    pub fn send(&mut self) {
        self.send_error = None;
        let result = self.payload().and_then(|bytes| self.send_payload(Bytes::from(bytes)));
        if result.is_ok() {
            self.history.push(&self.send_text);
        }
        if let Err(message) = result {
            self.session.last_error = Some(message.clone());
            self.send_error = Some(message);
        }
    }

    /// The line under the send box: the bytes a Send would put on the wire
    /// (empty while the box is empty; the reason while they cannot be made).
    pub fn send_preview(&self) -> String {
        if self.send_text.is_empty() {
            return String::new();
        }
        if self.send_text.len() > PREVIEW_MAX_TEXT {
            return "→ (no preview for text over 64 KiB)".to_owned();
        }
        match build_payload(&self.send_text, &self.settings.payload_format()) {
            Ok(bytes) => format!("→ {} B: {}", bytes.len(), preview(&bytes, PREVIEW_BYTES)),
            Err(error) => error,
        }
    }

    /// Sends quick-send preset `index` (in its own format) to where Send would.
    pub fn send_preset(&mut self, index: usize) {
        self.send_error = None;
        let Some(preset) = self.settings.presets.get(index) else { return };
        let result = build_payload(&preset.text, &preset.format)
            .map_err(|e| format!("Preset \"{}\": {e}", preset.name))
            .and_then(|bytes| self.send_payload(Bytes::from(bytes)));
        if let Err(message) = result {
            self.session.last_error = Some(message.clone());
            self.send_error = Some(message);
        }
    }

    fn payload(&self) -> Result<Vec<u8>, String> {
        let payload = build_payload(&self.send_text, &self.settings.payload_format())?;
        // An empty datagram is a real thing to send; an empty TCP write is not.
        if payload.is_empty() && !matches!(self.session.state, LinkState::UdpOpen { .. }) {
            return Err("Nothing to send: the send box is empty".to_owned());
        }
        Ok(payload)
    }

    fn send_payload(&mut self, data: Bytes) -> Result<(), String> {
        match &self.session.state {
            LinkState::Connected { conn, .. } => self.engine.send(*conn, data).map_err(cmd),
            // One command for all the clients: one per client would overflow the
            // engine's command queue past a few hundred clients, and stop part-way.
            LinkState::Listening { .. } => self.engine.send_many(self.send_targets()?, data).map_err(cmd),
            LinkState::UdpOpen { socket, .. } => {
                let socket = *socket;
                let (host, port) = self.udp_destination()?;
                self.engine.send_to(socket, host, port, data).map_err(cmd)
            }
            LinkState::Idle | LinkState::Connecting { .. } | LinkState::Starting { .. } => {
                Err(match self.settings.protocol {
                    Protocol::TcpClient => "Not connected: press Connect first; nothing was sent",
                    Protocol::TcpServer => "The server is not listening: press Listen first; nothing was sent",
                    Protocol::Udp => "The UDP socket is not open: press Open first; nothing was sent",
                }
                .to_owned())
            }
        }
    }

    /// Where a UDP send goes: the last sender (if replying to it) or the remote address.
    pub(super) fn udp_destination(&self) -> Result<(String, u16), String> {
        match self.session.last_sender {
            Some(sender) if self.settings.reply_to_last_sender => Ok((sender.ip().to_string(), sender.port())),
            None if self.settings.reply_to_last_sender => {
                Err("No datagram received yet: there is no last sender to reply to".to_owned())
            }
            _ => {
                parse_target(&self.settings.remote_host, &self.settings.remote_port).map_err(|e| format!("Remote: {e}"))
            }
        }
    }

    /// Server clients to send to: all of them, or the ones selected.
    pub(super) fn send_targets(&self) -> Result<Vec<ConnId>, String> {
        if self.session.clients.is_empty() {
            return Err("No client is connected to the server; nothing was sent".to_owned());
        }
        let targets: Vec<ConnId> = self
            .session
            .clients
            .iter()
            .filter(|(_, client)| self.send_to_all || client.selected)
            .map(|(conn, _)| *conn)
            .collect();
        if targets.is_empty() {
            return Err("No client selected: tick clients in the list, or tick All".to_owned());
        }
        Ok(targets)
    }
}

/// The bytes the send box stands for: the text encoded in the charset (with
/// escapes, if on) or the hex parsed; then the checksum over them, if one is
/// chosen; then, for text, the line ending. Errors are ready to show.
pub fn build_payload(text: &str, format: &PayloadFormat) -> Result<Vec<u8>, String> {
    let mut payload = match format.mode {
        SendMode::Text if format.escapes => {
            encode_with_escapes(text, format.charset).map_err(|e| format!("Cannot send: {e}"))?
        }
        SendMode::Text => format.charset.encode(text).map_err(|e| format!("Cannot send: {e}"))?,
        SendMode::Hex => parse_hex(text).map_err(|e| format!("Invalid hex: {e}"))?,
    };
    if let Some(kind) = format.checksum {
        append_checksum(&mut payload, kind);
    }
    if format.mode == SendMode::Text {
        payload.extend_from_slice(format.line_ending.bytes());
    }
    Ok(payload)
}

fn cmd(error: CommandError) -> String {
    error.to_string()
}

/// Parses the bind address fields of the server and UDP modes.
fn bind_address(host: &str, port: &str) -> Result<SocketAddr, String> {
    parse_bind(host, port).map_err(|e| format!("Local address: {e}"))
}

fn parse_group(text: &str) -> Result<IpAddr, String> {
    let text = text.trim().trim_start_matches('[').trim_end_matches(']');
    text.parse().map_err(|_| format!("Multicast group '{text}' is not an IP address (e.g. 239.255.0.1 or ff15::1)"))
}

/// The multicast interface field: empty (any), an IPv4 address (for IPv4
/// groups) or an interface index (for IPv6 groups).
fn parse_interface(text: &str, group: IpAddr) -> Result<MulticastInterface, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(MulticastInterface::Any);
    }
    match group {
        IpAddr::V4(_) => text
            .parse()
            .map(MulticastInterface::V4)
            .map_err(|_| format!("Interface '{text}': for an IPv4 group, give the interface's IPv4 address")),
        IpAddr::V6(_) => text
            .parse()
            .map(MulticastInterface::V6)
            .map_err(|_| format!("Interface '{text}': for an IPv6 group, give the interface index (a number)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bind_addresses() {
        assert_eq!(bind_address("0.0.0.0", "8000"), Ok("0.0.0.0:8000".parse().unwrap()));
        assert_eq!(bind_address("[::]", "0"), Ok("[::]:0".parse().unwrap()));
        assert!(bind_address("example.org", "80").unwrap_err().contains("not an IP address"));
        assert!(bind_address("127.0.0.1", "http").is_err());
    }

    #[test]
    fn payloads_get_escapes_checksum_and_line_ending_in_that_order() {
        let mut settings = Settings {
            send_mode: SendMode::Hex,
            checksum: Some(crate::codec::ChecksumKind::Crc16Modbus),
            ..Settings::default()
        };
        assert_eq!(
            build_payload("01 03 00 00 00 0A", &settings.payload_format()),
            Ok(vec![1, 3, 0, 0, 0, 0x0A, 0xC5, 0xCD])
        );
        settings.line_ending = crate::codec::LineEnding::CrLf;
        assert_eq!(
            build_payload("01", &settings.payload_format()).map(|p| p.len()),
            Ok(3),
            "no line ending in hex mode"
        );
        let settings =
            Settings { send_escapes: true, line_ending: crate::codec::LineEnding::CrLf, ..Settings::default() };
        assert_eq!(
            build_payload("你\\x41\\t", &settings.payload_format()),
            Ok(vec![0xC4, 0xE3, 0x41, 0x09, 0x0D, 0x0A])
        );
        let plain = Settings::default();
        assert_eq!(
            build_payload("a\\tb", &plain.payload_format()),
            Ok(b"a\\tb".to_vec()),
            "escapes off: backslashes are text"
        );
        assert!(build_payload("\\q", &settings.payload_format()).is_err_and(|e| e.contains("position 1")));
        assert!(
            build_payload("zz", &Settings { send_mode: SendMode::Hex, ..Settings::default() }.payload_format())
                .is_err_and(|e| e.starts_with("Invalid hex"))
        );
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
