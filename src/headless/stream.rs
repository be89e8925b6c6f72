//! `netassist connect HOST:PORT`, `listen [IP:]PORT`, `udp [IP:]PORT`: a
//! connection in a terminal. What arrives (and what is sent) is printed with
//! a timestamp, decoded in `--charset` or as a hex dump; each line read from
//! stdin is sent (encoded in the charset, or read as hex, with variables
//! filled in). Stdin's end closes the connection once what was typed is
//! written (and `--linger` has passed, showing what still arrives); Ctrl+C
//! ends the process at once (the system closes its sockets).

use std::collections::HashMap;
use std::io::BufRead;
use std::net::SocketAddr;
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;

use super::args::{Display, ListenArgs, StreamArgs, UdpArgs};
use super::print::{hex_dump, text_lines, timestamp};
use super::{EXIT_FAILED, EXIT_PASSED, EXIT_UNUSABLE, say};
use crate::codec::{DecodedText, PayloadMode, StreamDecoder, Template, Vars};
use crate::engine::{
    BindUdp, CloseReason, EngineConfig, EngineHandle, Event, EventReceiver, ListenTcp, TcpConnect, Unsent,
};
use crate::ids::ConnId;
use crate::script::parse::parse_local;

/// How many typed lines wait to be sent before reading stdin pauses.
const TYPED_BACKLOG: usize = 64;
/// The longest the loop sleeps without being rung (a safety net only).
const TICK: Duration = Duration::from_secs(1);

/// `netassist connect`.
pub fn connect(args: StreamArgs) -> i32 {
    let (host, port) = args.remote;
    let request = TcpConnect {
        host,
        port,
        local_port: args.local_port,
        timeout: Duration::from_secs_f32(args.timeout),
        half_close: false,
        keepalive: Some(crate::engine::DEFAULT_KEEPALIVE),
    };
    Terminal::start(args.display, |engine| engine.connect_tcp(request).map(|conn| Role::Client { conn, open: false }))
}

/// `netassist listen`.
pub fn listen(args: ListenArgs) -> i32 {
    let bind = match parse_local(&args.local) {
        Ok(bind) => bind,
        Err(error) => return unusable(&args.local, error),
    };
    Terminal::start(args.display, |engine| {
        engine.listen_tcp(ListenTcp::new(bind)).map(|listener| Role::Server { listener, clients: Vec::new() })
    })
}

/// `netassist udp`.
pub fn udp(args: UdpArgs) -> i32 {
    let bind = match parse_local(&args.local) {
        Ok(bind) => bind,
        Err(error) => return unusable(&args.local, error),
    };
    let remote = args.remote;
    Terminal::start(args.display, |engine| {
        engine.bind_udp(BindUdp::new(bind)).map(|socket| Role::Udp { socket, remote, last_peer: None, open: false })
    })
}

fn unusable(written: &str, error: impl std::fmt::Display) -> i32 {
    eprintln!("netassist: '{written}': {error}");
    EXIT_UNUSABLE
}

/// What this terminal is.
enum Role {
    Client { conn: ConnId, open: bool },
    Server { listener: ConnId, clients: Vec<ConnId> },
    Udp { socket: ConnId, remote: Option<(String, u16)>, last_peer: Option<SocketAddr>, open: bool },
}

/// Something for the loop to look at: the engine queued events, or stdin gave a line.
#[derive(Default)]
struct Bell {
    rung: Mutex<bool>,
    ring: Condvar,
}

impl Bell {
    fn ring(&self) {
        *self.rung.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.ring.notify_one();
    }

    fn wait(&self, timeout: Duration) {
        let rung = self.rung.lock().unwrap_or_else(PoisonError::into_inner);
        let (mut rung, _) =
            self.ring.wait_timeout_while(rung, timeout, |rung| !*rung).unwrap_or_else(PoisonError::into_inner);
        *rung = false;
    }
}

/// A line from stdin, or its end.
enum Typed {
    Line(Vec<u8>),
    End,
}

struct Terminal {
    engine: EngineHandle,
    events: EventReceiver,
    display: Display,
    role: Role,
    vars: Vars,
    decoders: HashMap<(ConnId, bool), StreamDecoder>,
    /// Sends queued and not yet reported written (or failed).
    pending: usize,
    /// Typed before the connection (or socket) was open.
    held: Vec<Bytes>,
    typed: usize,
    input_done: bool,
    /// The listener is listening.
    listening: bool,
    /// When to close, once the input ended and was written (after `--linger`).
    close_at: Option<Instant>,
    closing: bool,
    exit: Option<i32>,
}

impl Terminal {
    fn start(display: Display, open: impl FnOnce(&EngineHandle) -> Result<Role, crate::engine::CommandError>) -> i32 {
        let bell = Arc::new(Bell::default());
        let wake = Arc::clone(&bell);
        let (engine, events) = match EngineHandle::start(EngineConfig::default(), Arc::new(move || wake.ring())) {
            Ok(engine) => engine,
            Err(error) => {
                eprintln!("netassist: cannot start the network engine: {error}");
                return EXIT_FAILED;
            }
        };
        let role = match open(&engine) {
            Ok(role) => role,
            Err(error) => {
                eprintln!("netassist: {error}");
                return EXIT_FAILED;
            }
        };
        let lines = read_stdin(Arc::clone(&bell));
        let mut terminal = Terminal {
            engine,
            events,
            display,
            role,
            vars: Vars::default(),
            decoders: HashMap::new(),
            pending: 0,
            held: Vec::new(),
            typed: 0,
            input_done: false,
            listening: false,
            close_at: None,
            closing: false,
            exit: None,
        };
        terminal.run(&lines, &bell)
    }

    fn run(&mut self, lines: &Receiver<Typed>, bell: &Bell) -> i32 {
        loop {
            while let Some(event) = self.events.try_recv() {
                self.event(event);
            }
            if let Some(code) = self.exit {
                return code;
            }
            while !self.input_done
                && let Ok(typed) = lines.try_recv()
            {
                match typed {
                    Typed::Line(line) => self.typed_line(&line),
                    Typed::End => self.input_done = true,
                }
            }
            let opened = match &self.role {
                Role::Client { open, .. } | Role::Udp { open, .. } => *open,
                Role::Server { .. } => self.listening,
            };
            // Input that ended before the connection opened waits for it (or its failure).
            if self.input_done && opened && self.pending == 0 && self.held.is_empty() && self.close_at.is_none() {
                self.close_at = Some(Instant::now() + self.display.linger);
            }
            if let Some(at) = self.close_at
                && Instant::now() >= at
                && !self.closing
            {
                self.closing = true;
                let id = match &self.role {
                    Role::Client { conn, .. } => *conn,
                    Role::Server { listener, .. } => *listener,
                    Role::Udp { socket, .. } => *socket,
                };
                if self.engine.disconnect(id).is_err() {
                    return EXIT_PASSED;
                }
            }
            let until = self.close_at.filter(|_| !self.closing);
            bell.wait(until.map_or(TICK, |at| at.saturating_duration_since(Instant::now()).min(TICK)));
        }
    }

    /// A line typed: filled in, encoded and sent (or held until open, or reported and dropped).
    fn typed_line(&mut self, line: &[u8]) {
        self.typed += 1;
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Ok(text) = std::str::from_utf8(line) else {
            eprintln!("netassist: input line {} is not UTF-8 text; not sent", self.typed);
            return;
        };
        let mode = if self.display.hex {
            PayloadMode::Hex
        } else {
            PayloadMode::Text { charset: self.display.charset, escapes: self.display.escapes }
        };
        let template = match Template::parse(text, mode) {
            Ok(template) => template,
            Err(error) => {
                eprintln!("netassist: input line {}: {error}; not sent", self.typed);
                return;
            }
        };
        let mut data = match template.expand(&mut self.vars, None, SystemTime::now()) {
            Ok(data) => data,
            Err(error) => {
                eprintln!("netassist: input line {}: {error}; not sent", self.typed);
                return;
            }
        };
        data.extend_from_slice(self.display.append.bytes());
        if !data.is_empty() {
            self.held.push(Bytes::from(data));
            self.flush();
        }
    }

    /// Sends what was typed, if the connection (or socket, or a client) is there to take it.
    fn flush(&mut self) {
        for data in std::mem::take(&mut self.held) {
            let queued = match &self.role {
                Role::Client { open: false, .. } | Role::Udp { open: false, .. } => {
                    self.held.push(data);
                    continue;
                }
                Role::Client { conn, .. } => self.engine.send(*conn, data).map(|()| 1),
                Role::Server { clients, .. } if clients.is_empty() => {
                    self.note(SystemTime::now(), "no client connected: line not sent");
                    continue;
                }
                Role::Server { clients, .. } => self.engine.send_many(clients.clone(), data).map(|()| clients.len()),
                Role::Udp { socket, remote, last_peer, .. } => {
                    let to = remote.clone().or_else(|| last_peer.map(|p| (p.ip().to_string(), p.port())));
                    match to {
                        Some((host, port)) => self.engine.send_to(*socket, host, port, data).map(|()| 1),
                        None => {
                            self.note(
                                SystemTime::now(),
                                "no one to send to yet (give --remote, or wait for a datagram): line not sent",
                            );
                            continue;
                        }
                    }
                }
            };
            match queued {
                Ok(count) => self.pending += count,
                Err(error) => eprintln!("netassist: {error}; line not sent"),
            }
        }
    }

    fn event(&mut self, event: Event) {
        match event {
            Event::Connected { local, peer, at, .. } => {
                self.note(at, &format!("connected to {peer} from {local}"));
                if let Role::Client { open, .. } = &mut self.role {
                    *open = true;
                }
                self.flush();
            }
            Event::ConnectFailed { error, .. }
            | Event::ListenFailed { error, .. }
            | Event::UdpBindFailed { error, .. } => {
                eprintln!("netassist: {error}");
                self.exit = Some(EXIT_FAILED);
            }
            Event::Listening { local, at, .. } => {
                self.listening = true;
                self.note(at, &format!("listening on {local}"));
            }
            Event::UdpBound { local, at, .. } => {
                self.note(at, &format!("bound to {local}"));
                if let Role::Udp { open, .. } = &mut self.role {
                    *open = true;
                }
                self.flush();
            }
            Event::Accepted { conn, peer, at, .. } => {
                self.note(at, &format!("client {peer} connected"));
                if let Role::Server { clients, .. } = &mut self.role {
                    clients.push(conn);
                }
            }
            Event::ClientRefused { peer, limit, at, .. } => {
                self.note(at, &format!("client {peer} refused: {limit} clients already"));
            }
            Event::Received { conn, peer, data, at } => {
                if let Role::Udp { last_peer, .. } = &mut self.role {
                    *last_peer = Some(peer);
                }
                self.record(conn, false, peer, &data, at);
            }
            Event::Sent { conn, peer, data, at } => {
                self.pending = self.pending.saturating_sub(1);
                self.record(conn, true, peer, &data, at);
            }
            Event::CommandFailed { error, .. } => {
                self.pending = self.pending.saturating_sub(1);
                eprintln!("netassist: {error}");
            }
            Event::IcmpReport { report, at, .. } => self.note(at, &report.to_string()),
            Event::Discarded { peer, unsent, at, .. } => {
                let Unsent { items, bytes } = unsent;
                self.note(
                    at,
                    &format!("closed with {bytes} bytes ({items} writes) queued for {peer}: discarded, not sent"),
                );
            }
            Event::Closed { conn, peer, reason, at } => self.closed(conn, peer, reason, at),
            Event::ListenerClosed { at, .. } | Event::UdpClosed { at, .. } => {
                self.note(at, "closed");
                self.exit = Some(EXIT_PASSED);
            }
            _ => {}
        }
    }

    fn closed(&mut self, conn: ConnId, peer: SocketAddr, reason: CloseReason, at: SystemTime) {
        for outgoing in [false, true] {
            if let Some(mut decoder) = self.decoders.remove(&(conn, outgoing)) {
                let mut rest = DecodedText::default();
                decoder.finish(&mut rest);
                self.print_text(outgoing, peer, &rest.text, at);
            }
        }
        let why = match &reason {
            CloseReason::PeerClosed => "closed by the peer".to_owned(),
            CloseReason::Local => "closed".to_owned(),
            CloseReason::Reset => "reset by the peer".to_owned(),
            CloseReason::TimedOut => "timed out: the peer stopped answering".to_owned(),
            CloseReason::Error(error) => error.to_string(),
        };
        match &mut self.role {
            Role::Server { clients, .. } => {
                clients.retain(|c| *c != conn);
                self.note(at, &format!("client {peer}: {why}"));
            }
            _ => {
                self.note(at, &format!("{peer}: {why}"));
                let failed = matches!(reason, CloseReason::Reset | CloseReason::TimedOut | CloseReason::Error(_));
                self.exit = Some(if failed { EXIT_FAILED } else { EXIT_PASSED });
            }
        }
    }

    /// One read (or write): a hex dump, or the text decoded per connection and direction.
    fn record(&mut self, conn: ConnId, outgoing: bool, peer: SocketAddr, data: &[u8], at: SystemTime) {
        let direction = if outgoing { "TX" } else { "RX" };
        if self.display.hex {
            let unit = if data.len() == 1 { "byte" } else { "bytes" };
            say(format_args!("{} {direction} {peer}  {} {unit}", timestamp(at), data.len()));
            for line in hex_dump(data) {
                say(format_args!("    {line}"));
            }
            return;
        }
        let charset = self.display.charset;
        let decoder = self.decoders.entry((conn, outgoing)).or_insert_with(|| StreamDecoder::new(charset));
        let mut decoded = DecodedText::default();
        decoder.decode(data, &mut decoded);
        self.print_text(outgoing, peer, &decoded.text, at);
    }

    fn print_text(&self, outgoing: bool, peer: SocketAddr, text: &str, at: SystemTime) {
        if text.is_empty() {
            return;
        }
        let header = format!("{} {} {peer}", timestamp(at), if outgoing { "TX" } else { "RX" });
        let indent = " ".repeat(header.chars().count());
        for (i, line) in text_lines(text).iter().enumerate() {
            say(format_args!("{}  {line}", if i == 0 { &header } else { &indent }));
        }
    }

    fn note(&self, at: SystemTime, text: &str) {
        say(format_args!("{} -- {text}", timestamp(at)));
    }
}

/// Reads stdin on a thread of its own, a line at a time, ringing `bell` for each.
fn read_stdin(bell: Arc<Bell>) -> Receiver<Typed> {
    let (tx, rx) = sync_channel(TYPED_BACKLOG);
    let spawned = std::thread::Builder::new().name("netassist-stdin".to_owned()).spawn(move || {
        let mut stdin = std::io::stdin().lock();
        loop {
            let mut line = Vec::new();
            let typed = match stdin.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => Typed::End,
                Ok(_) => Typed::Line(line),
            };
            let end = matches!(typed, Typed::End);
            if tx.send(typed).is_err() {
                return;
            }
            bell.ring();
            if end {
                return;
            }
        }
    });
    if let Err(error) = spawned {
        eprintln!("netassist: cannot read stdin: {error}");
    }
    rx
}
