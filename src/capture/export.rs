//! Exporting a capture as pcapng, so Wireshark and tshark open it with their
//! dissectors: each TCP connection becomes a TCP stream (a synthesized
//! three-way handshake, the captured bytes as segments with consistent
//! sequence and acknowledgement numbers, a FIN exchange when it closed), each
//! UDP datagram one UDP packet, with the record's time and addresses.
//!
//! Headers are synthesized, as text2pcap does: netassist captures what the
//! sockets carried, not the packets on the wire, so segment boundaries,
//! window sizes and the handshake's time are not the real ones. A stream's
//! local address comes from its "opened" record; a connection whose opening
//! the capture missed gets the unspecified address (0.0.0.0 or ::) and a port
//! made from its id, so each stays a stream of its own.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};

use etherparse::PacketBuilder;

use super::pcapng::PcapngWriter;
use super::{CaptureError, CaptureReader, CaptureRecord, RecordKind, Transport};
use crate::ids::{ConnId, Direction};

/// Most TCP payload in one synthesized segment: an IPv4 datagram is at most
/// 65,535 bytes with its 40 bytes of headers.
pub const MAX_SEGMENT: usize = 65_000;

/// Hop limit written in every synthesized IP header.
const TTL: u8 = 64;
/// Window size written in every synthesized TCP header.
const WINDOW: u16 = 65_535;
/// Initial sequence numbers: of the side that opened the connection, and of the other.
const ISN_OPENER: u32 = 1_000;
const ISN_OTHER: u32 = 500_000;

/// What an export wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// Capture records read.
    pub records: u64,
    /// Packets written.
    pub packets: u64,
    /// TCP connections written as streams.
    pub streams: u64,
    /// UDP datagrams written.
    pub datagrams: u64,
    /// What ended the reading early, if anything (a truncated or corrupt
    /// record): everything before it was exported.
    pub problem: Option<CaptureError>,
}

/// Why an export did not finish.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    /// The source is not a capture this build reads (its header), or cannot be opened.
    #[error("{0}")]
    Capture(#[from] CaptureError),
    /// The output exists; an export never writes over a file.
    #[error("{} already exists: choose another name (an export never writes over a file)", path.display())]
    Exists {
        /// The output's path.
        path: PathBuf,
    },
    /// The output could not be created or written.
    #[error("writing {} failed: {message}", path.display())]
    Write {
        /// The output's path (empty when writing to a stream).
        path: PathBuf,
        /// The OS error's kind.
        kind: io::ErrorKind,
        /// The OS error's message.
        message: String,
    },
    /// The caller's progress callback asked to stop.
    #[error("the export was cancelled")]
    Cancelled,
}

impl ExportError {
    fn write(path: &Path, error: &io::Error) -> Self {
        ExportError::Write { path: path.to_owned(), kind: error.kind(), message: error.to_string() }
    }
}

/// Exports the capture at `input` to a new pcapng file at `output`; never
/// writes over an existing file, and removes what it wrote if it fails.
/// `progress` is called with the capture bytes read so far, now and then;
/// returning false cancels.
pub fn export_file(
    input: &Path,
    output: &Path,
    progress: impl FnMut(u64) -> bool,
) -> Result<ExportSummary, ExportError> {
    let source = File::open(input).map_err(|error| CaptureError::Io {
        offset: 0,
        kind: error.kind(),
        message: format!("cannot open {}: {error}", input.display()),
    })?;
    let file = match OpenOptions::new().write(true).create_new(true).open(output) {
        Ok(file) => file,
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
            return Err(ExportError::Exists { path: output.to_owned() });
        }
        Err(error) => return Err(ExportError::write(output, &error)),
    };
    let result = export(BufReader::with_capacity(1 << 20, source), BufWriter::with_capacity(1 << 20, file), progress)
        .and_then(|(summary, out)| {
            let file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
            file.sync_all()?;
            Ok(summary)
        });
    result.map_err(|error| {
        // What was written is of no use: it goes (the file was ours, new).
        let _ = fs::remove_file(output);
        match error {
            Failure::Export(error) => error,
            Failure::Write(error) => ExportError::write(output, &error),
        }
    })
}

/// Why [`export`] stopped: an export error, or writing failed (the caller names the output).
enum Failure {
    Export(ExportError),
    Write(io::Error),
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Self {
        Failure::Write(error)
    }
}

/// Exports the capture read from `source` as pcapng to `out`; returns the
/// summary and `out`. A problem past the capture's header ends the reading
/// and is reported in the summary, with everything before it exported.
fn export<W: Write>(
    source: impl Read,
    out: W,
    mut progress: impl FnMut(u64) -> bool,
) -> Result<(ExportSummary, W), Failure> {
    let mut reader = CaptureReader::new(source).map_err(|error| Failure::Export(error.into()))?;
    let application = concat!("netassist ", env!("CARGO_PKG_VERSION"));
    let mut exporter = Exporter::new(PcapngWriter::new(out, application)?);
    let mut summary = ExportSummary::default();
    let mut last_report = 0;
    loop {
        match reader.next_record() {
            Ok(Some(record)) => {
                summary.records += 1;
                exporter.record(&record)?;
            }
            Ok(None) => break,
            Err(problem) => {
                summary.problem = Some(problem);
                break;
            }
        }
        if summary.records - last_report >= 1024 {
            last_report = summary.records;
            if !progress(reader.offset()) {
                return Err(Failure::Export(ExportError::Cancelled));
            }
        }
    }
    progress(reader.offset());
    summary.packets = exporter.out.packets();
    summary.streams = exporter.streams_count;
    summary.datagrams = exporter.datagrams;
    Ok((summary, exporter.out.finish()?))
}

/// Exports the capture in `source` to `out` (for tests and in-memory use).
pub fn export_to_vec(source: impl Read) -> Result<(ExportSummary, Vec<u8>), ExportError> {
    export(source, Vec::new(), |_| true).map_err(|error| match error {
        Failure::Export(error) => error,
        Failure::Write(error) => ExportError::write(Path::new(""), &error),
    })
}

/// A TCP connection being written as a stream.
struct Stream {
    local: SocketAddr,
    peer: SocketAddr,
    /// Next sequence number of the bytes we send, and of those the peer sends.
    local_seq: u32,
    peer_seq: u32,
    finished: bool,
}

/// What the export knows of each connection and socket, and where it writes.
struct Exporter<W: Write> {
    out: PcapngWriter<W>,
    /// Local addresses from the "opened" records.
    locals: HashMap<ConnId, SocketAddr>,
    streams: HashMap<ConnId, Stream>,
    /// Reusable packet buffer.
    packet: Vec<u8>,
    streams_count: u64,
    datagrams: u64,
}

impl<W: Write> Exporter<W> {
    fn new(out: PcapngWriter<W>) -> Self {
        let (locals, streams) = (HashMap::new(), HashMap::new());
        Self { out, locals, streams, packet: Vec::with_capacity(70_000), streams_count: 0, datagrams: 0 }
    }

    fn record(&mut self, record: &CaptureRecord) -> io::Result<()> {
        let peer = record.peer.parse::<SocketAddr>().ok();
        match (&record.kind, record.transport) {
            (RecordKind::Opened { local }, Transport::Udp) => {
                if let Ok(local) = local.parse() {
                    self.locals.insert(record.conn, local);
                }
            }
            (RecordKind::Opened { local }, Transport::Tcp) => {
                let local = local.parse().ok();
                if let (Some(local), Some(peer)) = (local, peer) {
                    self.open(record, local, peer, record.direction)?;
                }
            }
            (RecordKind::Data { payload }, Transport::Tcp) => {
                let Some(peer) = peer else { return Ok(()) };
                if !self.streams.contains_key(&record.conn) {
                    // The capture missed the opening: assume we connected.
                    let local = unknown_local(record.conn, peer);
                    self.open(record, local, peer, Direction::Tx)?;
                }
                for segment in payload.chunks(MAX_SEGMENT) {
                    self.segment(record, record.direction, Flags::PSH_ACK, segment)?;
                }
            }
            (RecordKind::Data { payload }, Transport::Udp) => {
                let Some(peer) = peer else { return Ok(()) };
                let local = match self.locals.get(&record.conn) {
                    Some(local) => *local,
                    None => unknown_local(record.conn, peer),
                };
                let (source, destination) = ordered(record.direction, local, peer);
                self.packet.clear();
                let written = ip(source, destination)
                    .udp(source.port(), destination.port())
                    .write_to_vec(&mut self.packet, &payload[..payload.len().min(MAX_DATAGRAM)]);
                if written.is_ok() {
                    self.out.write_packet(record.micros, &self.packet)?;
                    self.datagrams += 1;
                }
            }
            (RecordKind::Closed { .. }, Transport::Tcp) => self.close(record)?,
            (RecordKind::Closed { .. }, Transport::Udp) => {
                self.locals.remove(&record.conn);
            }
        }
        Ok(())
    }

    /// Starts a stream: SYN from who opened it (`opener`: TX we did), SYN-ACK, ACK.
    fn open(
        &mut self,
        record: &CaptureRecord,
        local: SocketAddr,
        peer: SocketAddr,
        opener: Direction,
    ) -> io::Result<()> {
        let (local, peer) = same_family(local, peer);
        let (local_isn, peer_isn) = match opener {
            Direction::Tx => (ISN_OPENER, ISN_OTHER),
            Direction::Rx => (ISN_OTHER, ISN_OPENER),
        };
        let stream = Stream { local, peer, local_seq: local_isn, peer_seq: peer_isn, finished: false };
        // An id seen again (ids are never reused) would start a new stream all the same.
        self.streams.insert(record.conn, stream);
        self.streams_count += 1;
        let other = opposite(opener);
        self.segment(record, opener, Flags::SYN, &[])?;
        self.segment(record, other, Flags::SYN_ACK, &[])?;
        self.segment(record, opener, Flags::ACK, &[])
    }

    /// Ends a stream: FIN-ACK from who ended it, FIN-ACK back, ACK.
    fn close(&mut self, record: &CaptureRecord) -> io::Result<()> {
        let Some(stream) = self.streams.get_mut(&record.conn) else { return Ok(()) };
        if stream.finished {
            return Ok(());
        }
        stream.finished = true;
        let closer = record.direction;
        self.segment(record, closer, Flags::FIN_ACK, &[])?;
        self.segment(record, opposite(closer), Flags::FIN_ACK, &[])?;
        self.segment(record, closer, Flags::ACK, &[])?;
        self.streams.remove(&record.conn);
        Ok(())
    }

    /// Writes one segment of the stream of `record.conn` going `direction`
    /// (TX: from us), and moves that side's sequence number past it.
    fn segment(&mut self, record: &CaptureRecord, direction: Direction, flags: Flags, data: &[u8]) -> io::Result<()> {
        let Some(stream) = self.streams.get_mut(&record.conn) else { return Ok(()) };
        let (source, destination) = ordered(direction, stream.local, stream.peer);
        let (seq, ack) = match direction {
            Direction::Tx => (&mut stream.local_seq, stream.peer_seq),
            Direction::Rx => (&mut stream.peer_seq, stream.local_seq),
        };
        let mut builder = ip(source, destination).tcp(source.port(), destination.port(), *seq, WINDOW);
        if flags.contains(Flags::SYN) {
            builder = builder.syn();
        }
        if flags.contains(Flags::FIN) {
            builder = builder.fin();
        }
        if flags.contains(Flags::PSH) {
            builder = builder.psh();
        }
        // The opener's SYN acknowledges nothing.
        if flags.contains(Flags::ACK) {
            builder = builder.ack(ack);
        }
        self.packet.clear();
        if builder.write_to_vec(&mut self.packet, data).is_err() {
            return Ok(()); // cannot happen: every segment is under MAX_SEGMENT
        }
        // SYN and FIN take a sequence number each.
        let advance = data.len() as u32 + u32::from(flags.contains(Flags::SYN)) + u32::from(flags.contains(Flags::FIN));
        *seq = seq.wrapping_add(advance);
        self.out.write_packet(record.micros, &self.packet)
    }
}

/// Most UDP payload an IPv4 datagram carries.
const MAX_DATAGRAM: usize = 65_507;

/// TCP flags of a synthesized segment.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Flags(u8);

impl Flags {
    const FIN: Flags = Flags(1);
    const SYN: Flags = Flags(2);
    const PSH: Flags = Flags(8);
    const ACK: Flags = Flags(16);
    const SYN_ACK: Flags = Flags(2 | 16);
    const FIN_ACK: Flags = Flags(1 | 16);
    const PSH_ACK: Flags = Flags(8 | 16);

    fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }
}

/// The other direction.
fn opposite(direction: Direction) -> Direction {
    match direction {
        Direction::Tx => Direction::Rx,
        Direction::Rx => Direction::Tx,
    }
}

/// (source, destination) of a packet going `direction` (TX: from us).
fn ordered(direction: Direction, local: SocketAddr, peer: SocketAddr) -> (SocketAddr, SocketAddr) {
    match direction {
        Direction::Tx => (local, peer),
        Direction::Rx => (peer, local),
    }
}

/// The IP layer from `source` to `destination` (of one family, see [`same_family`]).
fn ip(source: SocketAddr, destination: SocketAddr) -> etherparse::PacketBuilderStep<etherparse::IpHeaders> {
    match (source.ip(), destination.ip()) {
        (IpAddr::V4(source), IpAddr::V4(destination)) => {
            PacketBuilder::ipv4(source.octets(), destination.octets(), TTL)
        }
        (source, destination) => PacketBuilder::ipv6(v6(source).octets(), v6(destination).octets(), TTL),
    }
}

fn v6(ip: IpAddr) -> Ipv6Addr {
    match ip {
        IpAddr::V4(v4) => v4.to_ipv6_mapped(),
        IpAddr::V6(v6) => v6,
    }
}

/// `local` and `peer` in one family: IPv4 where both are IPv4 (or
/// IPv4-mapped IPv6, as a dual-stack socket reports an IPv4 peer), else IPv6.
fn same_family(local: SocketAddr, peer: SocketAddr) -> (SocketAddr, SocketAddr) {
    let v4 = |addr: SocketAddr| match addr.ip() {
        IpAddr::V4(v4) => Some(v4),
        IpAddr::V6(v6) => v6.to_ipv4_mapped(),
    };
    match (v4(local), v4(peer)) {
        (Some(l), Some(p)) => (SocketAddr::new(l.into(), local.port()), SocketAddr::new(p.into(), peer.port())),
        _ => (SocketAddr::new(v6(local.ip()).into(), local.port()), SocketAddr::new(v6(peer.ip()).into(), peer.port())),
    }
}

/// The local address of a connection whose opening the capture missed: the
/// unspecified address of `peer`'s family (IPv4 for an IPv4-mapped one),
/// and a port from the id.
fn unknown_local(conn: ConnId, peer: SocketAddr) -> SocketAddr {
    let port = 49_152 + (conn.0 % 16_384) as u16;
    match peer.ip() {
        IpAddr::V6(v6) if v6.to_ipv4_mapped().is_none() => SocketAddr::new(Ipv6Addr::UNSPECIFIED.into(), port),
        _ => SocketAddr::new(Ipv4Addr::UNSPECIFIED.into(), port),
    }
}

#[cfg(test)]
#[path = "export_tests.rs"]
mod tests;
