//! Shared test helpers: the socket tutorial's bytes, its reference server
//! and client, small loopback servers, and ways to wait for engine events
//! without sleeping.
//!
//! Everything listens on 127.0.0.1 (or ::1) port 0; nothing touches the internet.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers fail the test by panicking
#![allow(dead_code)]

use netassist::ids::ConnId;
pub mod cli;

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use netassist::engine::{BindUdp, EngineConfig, EngineHandle, Event, EventReceiver, ListenTcp};
use socket2::{Domain, Protocol, SockRef, Socket, Type};

/// The tutorial client's message, `你好服务器,我是客户端`, in GBK (21 bytes).
pub const REQUEST_GBK: &[u8] = &[
    0xc4, 0xe3, 0xba, 0xc3, 0xb7, 0xfe, 0xce, 0xf1, 0xc6, 0xf7, 0x2c, 0xce, 0xd2, 0xca, 0xc7, 0xbf, 0xcd, 0xbb, 0xa7,
    0xb6, 0xcb,
];

/// The tutorial server's reply, `我是服务器,我已经收到了你的信息!`, in GBK (32 bytes).
pub const REPLY_GBK: &[u8] = &[
    0xce, 0xd2, 0xca, 0xc7, 0xb7, 0xfe, 0xce, 0xf1, 0xc6, 0xf7, 0x2c, 0xce, 0xd2, 0xd2, 0xd1, 0xbe, 0xad, 0xca, 0xd5,
    0xb5, 0xbd, 0xc1, 0xcb, 0xc4, 0xe3, 0xb5, 0xc4, 0xd0, 0xc5, 0xcf, 0xa2, 0x21,
];

/// How long a test waits for something that should happen at once on loopback.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// A listener on 127.0.0.1 port 0 with SO_REUSEADDR, like the tutorial's.
pub fn reuse_listener(backlog: i32) -> TcpListener {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP)).expect("socket");
    socket.set_reuse_address(true).expect("SO_REUSEADDR");
    let addr: SocketAddr = "127.0.0.1:0".parse().expect("addr");
    socket.bind(&addr.into()).expect("bind 127.0.0.1:0");
    socket.listen(backlog).expect("listen");
    socket.into()
}

/// A server thread that handles one accepted connection at a time with
/// `serve` until it is dropped. Dropping it stops accepting, shuts down the
/// connection being served (so a blocked read returns) and joins the thread.
pub struct LoopbackServer {
    /// Where it listens.
    pub addr: SocketAddr,
    stop: Arc<AtomicBool>,
    current: Arc<Mutex<Option<TcpStream>>>,
    thread: Option<JoinHandle<()>>,
}

impl LoopbackServer {
    /// Starts serving on a fresh 127.0.0.1 port.
    pub fn spawn(serve: impl FnMut(TcpStream) + Send + 'static) -> Self {
        Self::spawn_on(reuse_listener(128), serve)
    }

    /// Starts serving connections accepted on `listener`.
    pub fn spawn_on(listener: TcpListener, mut serve: impl FnMut(TcpStream) + Send + 'static) -> Self {
        let addr = listener.local_addr().expect("local addr");
        let stop = Arc::new(AtomicBool::new(false));
        let current: Arc<Mutex<Option<TcpStream>>> = Arc::default();
        let thread = {
            let (stop, current) = (Arc::clone(&stop), Arc::clone(&current));
            std::thread::Builder::new()
                .name(format!("test-server-{}", addr.port()))
                .spawn(move || {
                    for stream in listener.incoming() {
                        if stop.load(Ordering::SeqCst) {
                            break;
                        }
                        let Ok(stream) = stream else { continue };
                        *lock(&current) = stream.try_clone().ok();
                        if stop.load(Ordering::SeqCst) {
                            break;
                        }
                        serve(stream);
                        *lock(&current) = None;
                    }
                })
                .expect("spawn server thread")
        };
        Self { addr, stop, current, thread: Some(thread) }
    }
}

impl Drop for LoopbackServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(stream) = lock(&self.current).as_ref() {
            let _ = stream.shutdown(Shutdown::Both);
        }
        // Wake a blocked accept; the thread sees `stop` and ends.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The tutorial's TCP server (SO_REUSEADDR, backlog 128): for each connection
/// it does ONE `recv(1024)`, sends [`REPLY_GBK`] and closes, one client at a time.
pub struct TutorialServer {
    /// Where it listens (127.0.0.1, a free port).
    pub addr: SocketAddr,
    received: Arc<Mutex<Vec<Vec<u8>>>>,
    _server: LoopbackServer,
}

impl TutorialServer {
    /// What each connection's one `recv` returned, in order. A connection
    /// that closed without sending anything is not listed.
    pub fn received(&self) -> Vec<Vec<u8>> {
        lock(&self.received).clone()
    }
}

/// Starts a [`TutorialServer`] on its own thread.
pub fn spawn_tutorial_server() -> TutorialServer {
    let received: Arc<Mutex<Vec<Vec<u8>>>> = Arc::default();
    let log = Arc::clone(&received);
    let server = LoopbackServer::spawn(move |mut stream| {
        let mut buf = [0u8; 1024];
        let n = stream.read(&mut buf).unwrap_or(0);
        if n > 0 {
            lock(&log).push(buf[..n].to_vec());
        }
        let _ = stream.write_all(REPLY_GBK);
        // Dropping `stream` closes the connection, as the tutorial does.
    });
    TutorialServer { addr: server.addr, received, _server: server }
}

/// A server that echoes every byte back until the client closes.
pub fn spawn_echo_server() -> LoopbackServer {
    LoopbackServer::spawn(|stream| {
        if let Ok(mut reader) = stream.try_clone() {
            let mut writer = stream;
            let _ = io::copy(&mut reader, &mut writer);
        }
    })
}

/// A server that accepts, reads once, then closes with SO_LINGER 0 so the
/// kernel sends an RST instead of a FIN.
pub fn spawn_reset_server() -> LoopbackServer {
    LoopbackServer::spawn(|mut stream| {
        let mut buf = [0u8; 1024];
        let _ = stream.read(&mut buf);
        let _ = SockRef::from(&stream).set_linger(Some(Duration::ZERO));
    })
}

/// A server that accepts and holds each connection until the client closes
/// it, reading and discarding whatever arrives.
pub fn spawn_sink_server() -> LoopbackServer {
    LoopbackServer::spawn(|mut stream| {
        let _ = io::copy(&mut stream, &mut io::sink());
    })
}

/// A port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

/// A listener whose accept queue is full, so a further connect hangs
/// (the kernel drops the SYN), plus the connections that filled it.
pub struct FullBacklog {
    /// Where it listens.
    pub addr: SocketAddr,
    _listener: TcpListener,
    _fillers: Vec<TcpStream>,
}

/// Makes a [`FullBacklog`]: backlog 0, never accepting, filled with a few
/// connections until one fails to connect in 200 ms. `Err` says why this
/// kernel did not cooperate (then the caller should skip, saying so).
pub fn full_backlog_listener() -> Result<FullBacklog, String> {
    let listener = reuse_listener(0);
    let addr = listener.local_addr().expect("addr");
    let mut fillers = Vec::new();
    for _ in 0..16 {
        match TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
            Ok(stream) => fillers.push(stream),
            Err(error) if error.kind() == io::ErrorKind::TimedOut || error.kind() == io::ErrorKind::WouldBlock => {
                return Ok(FullBacklog { addr, _listener: listener, _fillers: fillers });
            }
            Err(error) => return Err(format!("filling the backlog of {addr} failed with {error}")),
        }
    }
    Err(format!("{} connects to {addr} (backlog 0, never accepting) all succeeded", fillers.len()))
}

/// A [`FullBacklog`] for `test`. Where the kernel does not leave a connect
/// to a full backlog hanging, the test is skipped (this prints SKIPPED and
/// returns `None`), except on Linux, which is known to drop such SYNs: there
/// it fails.
pub fn full_backlog_or_skip(test: &str) -> Option<FullBacklog> {
    match full_backlog_listener() {
        Ok(backlog) => Some(backlog),
        Err(why) if cfg!(target_os = "linux") => {
            panic!("{test}: cannot make a connect hang, though Linux drops SYNs to a full backlog: {why}")
        }
        Err(why) => {
            println!("SKIPPED {test}: cannot make a connect hang here: {why}");
            None
        }
    }
}

/// Starts an engine with `config` and a wake callback that does nothing.
pub fn start_engine(config: EngineConfig) -> (EngineHandle, EventReceiver) {
    EngineHandle::start(config, Arc::new(|| {})).expect("engine starts")
}

/// The next event, failing the test if none comes within `timeout`.
pub fn next_event(events: &mut EventReceiver, timeout: Duration) -> Event {
    events.recv_timeout(timeout).unwrap_or_else(|| panic!("no engine event within {timeout:?}"))
}

/// Waits for the first event that satisfies `pred` and returns it; the
/// events before it are dropped. Fails the test after `timeout`.
pub fn wait_for_event(events: &mut EventReceiver, timeout: Duration, mut pred: impl FnMut(&Event) -> bool) -> Event {
    let deadline = Instant::now() + timeout;
    let mut skipped = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match events.recv_timeout(left) {
            Some(event) if pred(&event) => return event,
            Some(event) => skipped.push(event),
            None => panic!("no matching engine event within {timeout:?}; other events: {skipped:#?}"),
        }
    }
}

/// Whether `event` is the last one its connection, listener or socket reports.
pub fn is_final(event: &Event) -> bool {
    event.is_final()
}

/// Collects the events of `conn` (a connection, listener or UDP socket id),
/// in order, up to and including its final one (see [`Event::is_final`]).
/// Events of other ids are dropped. Fails the test after `timeout`.
pub fn events_of(events: &mut EventReceiver, conn: ConnId, timeout: Duration) -> Vec<Event> {
    let deadline = Instant::now() + timeout;
    let mut collected = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match events.recv_timeout(left) {
            Some(event) if event.conn() == Some(conn) => {
                let done = is_final(&event);
                collected.push(event);
                if done {
                    return collected;
                }
            }
            Some(_) => {}
            None => panic!("connection #{conn} did not end within {timeout:?}; its events so far: {collected:#?}"),
        }
    }
}

/// The tutorial's TCP client (case 1) on its own thread: connects to `addr`,
/// sends [`REQUEST_GBK`], then blocks in ONE `recv(1024)` and returns what it
/// got (empty if the server closed first), closing the connection. Gives up
/// with an error after [`PATIENCE`] without a reply.
pub fn tutorial_client(addr: SocketAddr) -> JoinHandle<io::Result<Vec<u8>>> {
    std::thread::Builder::new()
        .name(format!("tutorial-client-{}", addr.port()))
        .spawn(move || {
            let mut stream = TcpStream::connect_timeout(&addr, PATIENCE)?;
            stream.set_read_timeout(Some(PATIENCE))?;
            stream.write_all(REQUEST_GBK)?;
            let mut buf = [0u8; 1024];
            let n = stream.read(&mut buf)?;
            Ok(buf[..n].to_vec())
        })
        .expect("spawn tutorial client")
}

/// Starts a listener and waits for its `Listening`; returns its id and address.
pub fn listen(engine: &EngineHandle, events: &mut EventReceiver, request: ListenTcp) -> (ConnId, SocketAddr) {
    let listener = engine.listen_tcp(request).expect("queue listen");
    match wait_for_event(events, PATIENCE, |e| e.conn() == Some(listener)) {
        Event::Listening { local, .. } => (listener, local),
        other => panic!("expected Listening, got {other:?}"),
    }
}

/// Binds a UDP socket and waits for its `UdpBound`; returns its id and address.
pub fn bind_udp(engine: &EngineHandle, events: &mut EventReceiver, request: BindUdp) -> (ConnId, SocketAddr) {
    let socket = engine.bind_udp(request).expect("queue bind");
    match wait_for_event(events, PATIENCE, |e| e.conn() == Some(socket)) {
        Event::UdpBound { local, .. } => (socket, local),
        other => panic!("expected UdpBound, got {other:?}"),
    }
}

/// A plain UDP socket on `addr` (port 0: any) that gives up reading after [`PATIENCE`].
pub fn std_udp(addr: &str) -> UdpSocket {
    let socket = UdpSocket::bind(addr).expect("bind UDP");
    socket.set_read_timeout(Some(PATIENCE)).expect("read timeout");
    socket
}

/// A TCP client of ours that gives up reading after [`PATIENCE`], with
/// TCP_NODELAY so each write goes out as written.
pub fn std_client(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect_timeout(&addr, PATIENCE).expect("connect");
    stream.set_read_timeout(Some(PATIENCE)).expect("read timeout");
    stream.set_nodelay(true).expect("nodelay");
    stream
}

/// Reads exactly `n` bytes from `stream` (failing the test after [`PATIENCE`]).
pub fn read_n(stream: &mut TcpStream, n: usize) -> Vec<u8> {
    let mut buf = vec![0u8; n];
    stream.read_exact(&mut buf).unwrap_or_else(|error| panic!("reading {n} bytes: {error}"));
    buf
}

/// Every event received so far, kept (not dropped) while waiting for a
/// condition on them, for tests that follow several connections at once.
#[derive(Default)]
pub struct EventLog {
    /// The events, in the order the engine reported them.
    pub events: Vec<Event>,
}

impl EventLog {
    /// Receives events until `done` holds for all of them. Fails the test
    /// after [`PATIENCE`], saying `what` it waited for.
    pub fn until(&mut self, events: &mut EventReceiver, what: &str, done: impl Fn(&[Event]) -> bool) {
        let deadline = Instant::now() + PATIENCE;
        while !done(&self.events) {
            let left = deadline.saturating_duration_since(Instant::now());
            match events.recv_timeout(left) {
                Some(event) => self.events.push(event),
                None => panic!("waited {PATIENCE:?} for {what}; events: {:#?}", self.events),
            }
        }
    }

    /// The ids of the `Accepted` clients of `listener`, with their peers, in order.
    pub fn accepted(&self, listener: ConnId) -> Vec<(ConnId, SocketAddr)> {
        accepted(&self.events, listener)
    }

    /// The bytes `Received` on `conn`, concatenated.
    pub fn received(&self, conn: ConnId) -> Vec<u8> {
        received(&self.events, conn)
    }
}

/// The ids of the `Accepted` clients of `listener` in `events`, with their peers.
pub fn accepted(events: &[Event], listener: ConnId) -> Vec<(ConnId, SocketAddr)> {
    let of = |e: &Event| match e {
        Event::Accepted { listener: l, conn, peer, .. } if *l == listener => Some((*conn, *peer)),
        _ => None,
    };
    events.iter().filter_map(of).collect()
}

/// The bytes `Received` on `conn` in `events`, concatenated.
pub fn received(events: &[Event], conn: ConnId) -> Vec<u8> {
    let mut all = Vec::new();
    for event in events {
        if let Event::Received { conn: c, data, .. } = event
            && *c == conn
        {
            all.extend_from_slice(data);
        }
    }
    all
}

/// Why binding `port` (below 1024) on loopback would NOT be refused for this
/// process, if so: it runs as root (`"running as root"`), holds
/// CAP_NET_BIND_SERVICE, or `net.ipv4.ip_unprivileged_port_start` lets
/// anyone bind it; or this is not Linux. `None`: the bind will be refused.
/// Tests that provoke the refusal print `SKIPPED privileged port: <why>`
/// and return when this is `Some`, so they never actually bind a low port.
pub fn privileged_port_allowed(port: u16) -> Option<String> {
    if !cfg!(target_os = "linux") {
        return Some("only checked on Linux, where ports below 1024 are privileged".to_owned());
    }
    let status = match std::fs::read_to_string("/proc/self/status") {
        Ok(status) => status,
        Err(error) => return Some(format!("cannot read /proc/self/status: {error}")),
    };
    let field = |name: &str| {
        status.lines().find_map(|line| line.strip_prefix(name)).map(str::trim).unwrap_or_default().to_owned()
    };
    // "Uid:" is real, effective, saved and filesystem uid; the effective one decides.
    if field("Uid:").split_whitespace().nth(1) == Some("0") {
        return Some("running as root".to_owned());
    }
    const CAP_NET_BIND_SERVICE: u32 = 10;
    match u64::from_str_radix(&field("CapEff:"), 16) {
        Ok(caps) if caps & (1 << CAP_NET_BIND_SERVICE) != 0 => {
            return Some("the process holds CAP_NET_BIND_SERVICE".to_owned());
        }
        Ok(_) => {}
        Err(_) => return Some("cannot read the process's capabilities".to_owned()),
    }
    if let Ok(start) = std::fs::read_to_string("/proc/sys/net/ipv4/ip_unprivileged_port_start")
        && let Ok(start) = start.trim().parse::<u16>()
        && start <= port
    {
        return Some(format!("net.ipv4.ip_unprivileged_port_start is {start}: anyone may bind port {port}"));
    }
    None
}

/// Connects an engine TCP client to `addr` and waits for its `Connected`; returns its id.
pub fn connect_tcp(engine: &EngineHandle, events: &mut EventReceiver, addr: SocketAddr) -> ConnId {
    let request = netassist::engine::TcpConnect {
        host: addr.ip().to_string(),
        port: addr.port(),
        local_port: None,
        timeout: PATIENCE,
        half_close: false,
        keepalive: Some(netassist::engine::DEFAULT_KEEPALIVE),
    };
    let conn = engine.connect_tcp(request).expect("queue connect");
    match wait_for_event(events, PATIENCE, |e| e.conn() == Some(conn) && !matches!(e, Event::Connecting { .. })) {
        Event::Connected { .. } => conn,
        other => panic!("expected Connected, got {other:?}"),
    }
}

/// A server that hands every read of each connection it accepts to the
/// returned receiver (a bounded channel: a test that does not take them slows
/// the connection down), and an empty chunk when a connection ends.
pub fn spawn_forwarding_server() -> (LoopbackServer, std::sync::mpsc::Receiver<Vec<u8>>) {
    let (tx, rx) = std::sync::mpsc::sync_channel(1024);
    let server = LoopbackServer::spawn(move |mut stream| {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if tx.send(buf[..n].to_vec()).is_err() {
                        return;
                    }
                }
            }
        }
        let _ = tx.send(Vec::new());
    });
    (server, rx)
}

/// Takes chunks from `chunks` (e.g. a [`spawn_forwarding_server`]'s) until
/// what they add up to satisfies `done`; returns it. Fails the test after
/// [`PATIENCE`] or if the connection ends first.
pub fn receive_until(chunks: &std::sync::mpsc::Receiver<Vec<u8>>, done: impl Fn(&[u8]) -> bool) -> Vec<u8> {
    let deadline = Instant::now() + PATIENCE;
    let mut all = Vec::new();
    while !done(&all) {
        let left = deadline.saturating_duration_since(Instant::now());
        match chunks.recv_timeout(left) {
            Ok(chunk) if chunk.is_empty() => panic!("the connection ended after {} bytes", all.len()),
            Ok(chunk) => all.extend_from_slice(&chunk),
            Err(error) => panic!("waited {PATIENCE:?} for more than {} bytes: {error}", all.len()),
        }
    }
    all
}

/// A small, fast, seeded generator of test data (xorshift64*), so "random"
/// chunk sizes, bytes and orders repeat from run to run.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number from 0 to `max`.
    pub fn upto(&mut self, max: usize) -> usize {
        (self.next() % (max as u64 + 1)) as usize
    }

    /// A number from 1 to `max`.
    pub fn size(&mut self, max: usize) -> usize {
        1 + (self.next() % max as u64) as usize
    }

    /// Replaces `buf` with `len` random bytes.
    pub fn fill(&mut self, buf: &mut Vec<u8>, len: usize) {
        buf.clear();
        while buf.len() < len {
            buf.extend_from_slice(&self.next().to_le_bytes());
        }
        buf.truncate(len);
    }

    /// `len` random bytes.
    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(len + 8);
        self.fill(&mut out, len);
        out
    }

    /// Shuffles `items` (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.upto(i));
        }
    }
}

/// A capture "disk" whose writes hang until the test opens it (or the last
/// clone is dropped, so the engine's threads are released whatever happens
/// in the test): it holds the engine's command loop while a capture starts.
#[derive(Clone, Default)]
pub struct HangingDisk(Arc<(Mutex<bool>, Condvar)>);

impl HangingDisk {
    /// Lets every write through from now on.
    pub fn open(&self) {
        *self.0.0.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.0.1.notify_all();
    }
}

impl Drop for HangingDisk {
    fn drop(&mut self) {
        self.open();
    }
}

impl Write for HangingDisk {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let (open, opened) = &*self.0;
        let mut open = open.lock().unwrap_or_else(PoisonError::into_inner);
        while !*open {
            open = opened.wait(open).unwrap_or_else(PoisonError::into_inner);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Runs `work` on a thread named `name` (threads are named, so a hung test
/// says which peer hung).
pub fn spawn_named<T: Send + 'static>(name: &str, work: impl FnOnce() -> T + Send + 'static) -> JoinHandle<T> {
    std::thread::Builder::new().name(name.to_owned()).spawn(work).expect("spawn a test thread")
}
