//! [`ReceiveView`]: the store, the per-stream decoders and the line index together.

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::ops::Range;
use std::time::{Duration, SystemTime};

use bytes::Bytes;

use super::framing::{DisplayFraming, Frame, Reassembler};
use super::lines::{LineStyle, escape_chars, push_lines, render_line};
use super::store::RecordStore;
use super::{Direction, Framing, Line, NoteLevel, Record, RecordBody, StoreLimits, StoreStats, ViewMode};
use crate::codec::{Charset, DecodedText, StreamDecoder};
use crate::engine::ConnId;

/// Peers awaiting a reply tracked at most (a UDP socket may send to many);
/// past it the table starts over.
const MAX_AWAITING_REPLY: usize = 4096;

/// Everything the receive view shows, bounded, decoded, and indexed by line.
pub struct ReceiveView {
    store: RecordStore,
    lines: VecDeque<Line>,
    decoders: HashMap<(ConnId, Direction), StreamDecoder>,
    /// Streams whose last chunk ended in `\r`.
    ended_in_cr: HashSet<(ConnId, Direction)>,
    /// When we last sent to each (connection, peer) that has not answered since.
    awaiting_reply: HashMap<(ConnId, SocketAddr), SystemTime>,
    /// How stream data is cut into records.
    framing: DisplayFraming,
    /// Stream data held until its record is complete.
    reassembler: Reassembler,
    charset: Charset,
    mode: ViewMode,
    next_seq: u64,
    generation: u64,
}

impl ReceiveView {
    /// An empty view.
    pub fn new(charset: Charset, mode: ViewMode, limits: StoreLimits) -> Self {
        Self {
            store: RecordStore::new(limits),
            lines: VecDeque::new(),
            decoders: HashMap::new(),
            ended_in_cr: HashSet::new(),
            awaiting_reply: HashMap::new(),
            framing: DisplayFraming::AsReceived,
            reassembler: Reassembler::default(),
            charset,
            mode,
            next_seq: 0,
            generation: 0,
        }
    }

    /// Adds data that went over the wire. It is decoded with the stream's own
    /// decoder, so a character split across two chunks shows whole. With a
    /// [`DisplayFraming`] other than as-received, it may be held until its
    /// record is complete (see [`ReceiveView::flush_idle`]).
    pub fn push_data(&mut self, conn: ConnId, dir: Direction, peer: SocketAddr, at: SystemTime, raw: Bytes) {
        if self.framing == DisplayFraming::AsReceived {
            return self.push_chunk(conn, dir, peer, at, raw);
        }
        let mut frames = Vec::new();
        self.reassembler.push(&self.framing, (conn, dir, peer), at, &raw, &mut frames);
        self.push_frames(frames);
    }

    fn push_frames(&mut self, frames: Vec<Frame>) {
        for frame in frames {
            self.push_chunk(frame.conn, frame.dir, frame.peer, frame.at, frame.raw);
        }
    }

    /// How stream data is cut into records.
    pub fn framing(&self) -> &DisplayFraming {
        &self.framing
    }

    /// Changes how stream data is cut into records from now on; what is held
    /// under the old framing is shown first.
    pub fn set_framing(&mut self, framing: DisplayFraming) {
        if framing == self.framing {
            return;
        }
        let mut frames = Vec::new();
        self.reassembler.flush_all(&mut frames);
        self.push_frames(frames);
        self.framing = framing;
    }

    /// Shows the records whose stream has been quiet long enough at `now`
    /// (idle-gap framing, or a delimiter that has not come); returns how long
    /// until the next one is due, so the caller can come back then.
    pub fn flush_idle(&mut self, now: SystemTime) -> Option<Duration> {
        if !self.reassembler.is_holding() {
            return None;
        }
        let mut frames = Vec::new();
        let next = self.reassembler.flush_idle(&self.framing, now, &mut frames);
        self.push_frames(frames);
        next
    }

    fn push_chunk(&mut self, conn: ConnId, dir: Direction, peer: SocketAddr, at: SystemTime, raw: Bytes) {
        let charset = self.charset;
        let decoder = self.decoders.entry((conn, dir)).or_insert_with(|| StreamDecoder::new(charset));
        let mut decoded = DecodedText::default();
        decoder.decode(&raw, &mut decoded);
        escape_controls(&mut decoded, charset);
        let follows_cr = if raw.is_empty() {
            self.ended_in_cr.contains(&(conn, dir))
        } else if raw.last() == Some(&b'\r') {
            !self.ended_in_cr.insert((conn, dir))
        } else {
            self.ended_in_cr.remove(&(conn, dir))
        };
        let rtt = self.round_trip(conn, dir, peer, at);
        self.push(at, RecordBody::Data { conn, dir, peer, raw, framing: Framing::Stream, follows_cr, decoded, rtt });
    }

    /// Adds a whole datagram, decoded on its own (no state carried between
    /// datagrams, so one peer's bytes never complete another's character).
    pub fn push_datagram(&mut self, conn: ConnId, dir: Direction, peer: SocketAddr, at: SystemTime, raw: Bytes) {
        let mut decoded = self.charset.decode_all(&raw);
        escape_controls(&mut decoded, self.charset);
        let rtt = self.round_trip(conn, dir, peer, at);
        self.push(
            at,
            RecordBody::Data { conn, dir, peer, raw, framing: Framing::Datagram, follows_cr: false, decoded, rtt },
        );
    }

    /// Adds a note (connected, closed, an error…).
    pub fn push_note(&mut self, at: SystemTime, level: NoteLevel, text: impl Into<String>) {
        self.push(at, RecordBody::Note { level, text: text.into() });
    }

    /// Ends the streams of `conn`: bytes still held for an incomplete
    /// character are appended to the stream's last record as invalid bytes,
    /// rather than lost.
    pub fn end_stream(&mut self, conn: ConnId, _at: SystemTime) {
        let mut frames = Vec::new();
        self.reassembler.flush_conn(conn, &mut frames);
        self.push_frames(frames);
        let mut changed = false;
        for dir in [Direction::Tx, Direction::Rx] {
            self.ended_in_cr.remove(&(conn, dir));
            if let Some(mut decoder) = self.decoders.remove(&(conn, dir))
                && decoder.pending() > 0
            {
                let mut rest = DecodedText::default();
                decoder.finish(&mut rest);
                if let Some(decoded) = last_of_stream(self.store.iter_mut().rev(), conn, dir) {
                    append(decoded, rest);
                    changed = true;
                }
            }
        }
        if changed {
            self.rebuild_lines();
        }
    }

    /// Notes a send's time; for the first data back from the same peer on the
    /// same connection after it, the time since (a request/reply round trip).
    fn round_trip(&mut self, conn: ConnId, dir: Direction, peer: SocketAddr, at: SystemTime) -> Option<Duration> {
        match dir {
            Direction::Tx => {
                if self.awaiting_reply.len() >= MAX_AWAITING_REPLY {
                    self.awaiting_reply.clear();
                }
                self.awaiting_reply.insert((conn, peer), at);
                None
            }
            Direction::Rx => {
                let sent = self.awaiting_reply.remove(&(conn, peer))?;
                Some(at.duration_since(sent).unwrap_or_default())
            }
        }
    }

    fn push(&mut self, at: SystemTime, body: RecordBody) {
        let mut record = Record { seq: self.next_seq, at, body, lines: 0 };
        self.next_seq += 1;
        record.lines = push_lines(&record, self.mode, &mut self.lines);
        let first = self.store.push(record);
        self.drop_lines_before(first);
    }

    /// Drops the index entries of records the store no longer holds.
    fn drop_lines_before(&mut self, first: Option<u64>) {
        let first = first.unwrap_or(u64::MAX);
        while self.lines.front().is_some_and(|line| line.seq < first) {
            self.lines.pop_front();
        }
    }

    /// The charset text is decoded in.
    pub fn charset(&self) -> Charset {
        self.charset
    }

    /// Changes the charset and re-decodes everything held from the raw bytes.
    pub fn set_charset(&mut self, charset: Charset) {
        if charset == self.charset {
            return;
        }
        self.charset = charset;
        let mut decoders: HashMap<(ConnId, Direction), StreamDecoder> = HashMap::new();
        for record in self.store.iter_mut() {
            if let RecordBody::Data { conn, dir, raw, framing, decoded, .. } = &mut record.body {
                match framing {
                    Framing::Stream => {
                        let decoder = decoders.entry((*conn, *dir)).or_insert_with(|| StreamDecoder::new(charset));
                        decoded.clear();
                        decoder.decode(raw, decoded);
                    }
                    Framing::Datagram => *decoded = charset.decode_all(raw),
                }
                escape_controls(decoded, charset);
            }
        }
        for (key, mut decoder) in decoders {
            if let Some(live) = self.decoders.get_mut(&key) {
                // Streams still open keep decoding from where the history left off.
                *live = decoder;
            } else if decoder.pending() > 0 {
                // A closed stream: what the new charset holds back is shown, not lost.
                let mut rest = DecodedText::default();
                decoder.finish(&mut rest);
                if let Some(decoded) = last_of_stream(self.store.iter_mut().rev(), key.0, key.1) {
                    append(decoded, rest);
                }
            }
        }
        for (_, decoder) in self.decoders.iter_mut().filter(|(_, d)| d.charset() != charset) {
            *decoder = StreamDecoder::new(charset);
        }
        self.rebuild_lines();
    }

    /// How data records are shown.
    pub fn mode(&self) -> ViewMode {
        self.mode
    }

    /// Switches between text, hex and both; the history re-renders.
    pub fn set_mode(&mut self, mode: ViewMode) {
        if mode != self.mode {
            self.mode = mode;
            self.rebuild_lines();
        }
    }

    /// Re-indexes every record for the current mode and charset, then
    /// re-applies the limits (the cost of records may have changed).
    fn rebuild_lines(&mut self) {
        self.lines.clear();
        for record in self.store.iter_mut() {
            record.lines = push_lines(record, self.mode, &mut self.lines);
        }
        let first = self.store.recount();
        self.drop_lines_before(first);
        if self.lines.capacity() > 2 * self.lines.len() + 1024 {
            self.lines.shrink_to_fit();
        }
        self.generation += 1;
    }

    /// Removes every record (decoders of open streams are kept).
    pub fn clear(&mut self) {
        self.store.clear();
        self.lines.clear();
        self.generation += 1;
    }

    /// Changes on every charset/mode switch and clear, so a UI can drop caches.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Number of display lines.
    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    /// Renders display line `index` into `out`, with marker ranges in `markers`.
    pub fn render_line(&self, index: usize, out: &mut String, markers: &mut Vec<Range<usize>>) -> Option<LineStyle> {
        let line = self.lines.get(index)?;
        let record = self.store.get(line.seq)?;
        Some(render_line(record, line.kind, out, markers))
    }

    /// Counters of what is held and what was dropped from view.
    pub fn stats(&self) -> StoreStats {
        self.store.stats()
    }

    /// The records held, oldest first.
    pub fn records(&self) -> impl Iterator<Item = &Record> {
        self.store.iter()
    }

    /// Number of display lines of the records numbered below `seq` (what a
    /// display paused when `seq` was next shows).
    pub fn line_count_before(&self, seq: u64) -> usize {
        self.lines.partition_point(|line| line.seq < seq)
    }

    /// The sequence number the next record will get.
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// Appends to `out` the display lines of the records numbered `from` and
    /// later, as [`ReceiveView::render_line`] renders them, one per line (a
    /// session log follows the view this way). Returns how many of those
    /// records the view no longer holds (dropped before they were rendered).
    pub fn render_since(&self, from: u64, out: &mut String) -> u64 {
        let first_held = self.store.first_seq().unwrap_or(self.next_seq);
        let missed = first_held.min(self.next_seq).saturating_sub(from);
        let start = self.lines.partition_point(|line| line.seq < from);
        let (mut text, mut markers) = (String::new(), Vec::new());
        for line in self.lines.range(start..) {
            if let Some(record) = self.store.get(line.seq) {
                render_line(record, line.kind, &mut text, &mut markers);
                out.push_str(&text);
                out.push('\n');
            }
        }
        missed
    }

    /// The whole view as plain text, one display line per line (for saving and tests).
    pub fn to_text(&self) -> String {
        let mut all = String::new();
        let (mut line, mut markers) = (String::new(), Vec::new());
        for index in 0..self.line_count() {
            if self.render_line(index, &mut line, &mut markers).is_some() {
                all.push_str(&line);
                all.push('\n');
            }
        }
        all
    }
}

/// The decoded text of the last stream record of (`conn`, `dir`) among `records` (newest first).
fn last_of_stream<'a>(
    mut records: impl Iterator<Item = &'a mut Record>,
    conn: ConnId,
    dir: Direction,
) -> Option<&'a mut DecodedText> {
    records.find_map(|record| match &mut record.body {
        RecordBody::Data { conn: c, dir: d, framing: Framing::Stream, decoded, .. } if *c == conn && *d == dir => {
            Some(decoded)
        }
        _ => None,
    })
}

/// Appends `rest` to `decoded`, moving its markers along.
fn append(decoded: &mut DecodedText, rest: DecodedText) {
    let offset = decoded.text.len();
    decoded.text.push_str(&rest.text);
    decoded.invalid.extend(rest.invalid.into_iter().map(|r| r.start + offset..r.end + offset));
}

/// Shows control characters other than tab and line breaks as markers, so
/// NUL and friends are visible instead of silently vanishing: ASCII ones
/// (one byte in every charset here) as `\xNN`; C1 ones (U+0080 to U+009F,
/// which no font draws) as `\xNN` in Windows-1252, where each is the byte of
/// that value (the five bytes Windows-1252 leaves undefined decode to them),
/// else as `\u{NN}`, since they took more than one byte.
fn escape_controls(decoded: &mut DecodedText, charset: Charset) {
    let is_control = |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7F;
    let is_c1 = |c: char| ('\u{80}'..='\u{9F}').contains(&c);
    // In UTF-8 every C1 control starts with 0xC2: a cheap first look.
    if decoded.text.bytes().any(|b| is_control(b) || b == 0xC2) {
        escape_chars(&mut decoded.text, &mut decoded.invalid, |c| match u8::try_from(c) {
            Ok(b) if is_control(b) => Some(format!("\\x{b:02X}")),
            Ok(b) if is_c1(c) && charset == Charset::Windows1252 => Some(format!("\\x{b:02X}")),
            _ if is_c1(c) => Some(format!("\\u{{{:X}}}", u32::from(c))),
            _ => None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer() -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], 8000))
    }

    const REPLY_GBK: &[u8] = &[
        0xce, 0xd2, 0xca, 0xc7, 0xb7, 0xfe, 0xce, 0xf1, 0xc6, 0xf7, 0x2c, 0xce, 0xd2, 0xd2, 0xd1, 0xbe, 0xad, 0xca,
        0xd5, 0xb5, 0xbd, 0xc1, 0xcb, 0xc4, 0xe3, 0xb5, 0xc4, 0xd0, 0xc5, 0xcf, 0xa2, 0x21,
    ];

    #[test]
    fn a_character_split_across_two_reads_renders_whole_and_charset_switch_rerenders() {
        let mut view = ReceiveView::new(Charset::Gbk, ViewMode::Text, StoreLimits::default());
        let now = SystemTime::now();
        view.push_data(1, Direction::Rx, peer(), now, Bytes::from_static(&REPLY_GBK[..3]));
        view.push_data(1, Direction::Rx, peer(), now, Bytes::from_static(&REPLY_GBK[3..]));
        let text = view.to_text();
        assert!(text.contains("我"), "{text}");
        assert!(text.contains("是服务器,我已经收到了你的信息!"), "{text}");

        view.set_charset(Charset::Utf8);
        let text = view.to_text();
        assert!(!text.contains("我是"), "{text}");
        assert!(text.contains("\\xCE"), "{text}");

        view.set_charset(Charset::Gbk);
        assert!(view.to_text().contains("是服务器,我已经收到了你的信息!"));
    }

    #[test]
    fn the_first_reply_after_a_send_shows_the_round_trip_time() {
        let mut view = ReceiveView::new(Charset::Gbk, ViewMode::Text, StoreLimits::default());
        let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
        let other = SocketAddr::from(([127, 0, 0, 2], 9));
        view.push_data(1, Direction::Rx, peer(), t0, Bytes::from_static(b"unasked"));
        view.push_data(1, Direction::Tx, peer(), t0, Bytes::from_static(b"req"));
        view.push_datagram(1, Direction::Rx, other, t0, Bytes::from_static(b"someone else"));
        view.push_data(1, Direction::Rx, peer(), t0 + Duration::from_micros(3_250), Bytes::from_static(b"rep"));
        view.push_data(1, Direction::Rx, peer(), t0 + Duration::from_millis(5), Bytes::from_static(b"more"));
        let text = view.to_text();
        let timed: Vec<&str> = text.lines().filter(|l| l.contains("reply after")).collect();
        assert_eq!(timed.len(), 1, "{text}");
        assert!(timed[0].contains("(3 B, reply after 3.250 ms)"), "{text}");
    }

    #[test]
    fn hex_mode_shows_the_raw_bytes() {
        let mut view = ReceiveView::new(Charset::Gbk, ViewMode::Text, StoreLimits::default());
        view.push_data(1, Direction::Rx, peer(), SystemTime::now(), Bytes::from_static(REPLY_GBK));
        view.set_mode(ViewMode::Hex);
        let text = view.to_text();
        assert!(text.contains("0000  CE D2 CA C7"), "{text}");
        assert!(!text.contains("我是"), "{text}");
        view.set_mode(ViewMode::TextHex);
        let text = view.to_text();
        assert!(text.contains("CE D2 CA C7") && text.contains("我是服务器"), "{text}");
    }

    #[test]
    fn the_store_is_bounded_and_counts_what_it_dropped() {
        let limits = StoreLimits { max_records: 10, max_bytes: 1 << 20 };
        let mut view = ReceiveView::new(Charset::Utf8, ViewMode::Text, limits);
        for i in 0..100u32 {
            view.push_data(1, Direction::Rx, peer(), SystemTime::now(), Bytes::from(format!("line {i}")));
        }
        let stats = view.stats();
        assert_eq!(stats.records, 10);
        assert_eq!(stats.dropped_records, 90);
        assert_eq!(view.line_count(), 20);
        let text = view.to_text();
        assert!(text.contains("line 99") && !text.contains("line 89\n"), "{text}");
    }

    #[test]
    fn a_crlf_split_across_two_reads_is_one_line_break() {
        let mut view = ReceiveView::new(Charset::Utf8, ViewMode::Text, StoreLimits::default());
        let now = SystemTime::now();
        view.push_data(1, Direction::Rx, peer(), now, Bytes::from_static(b"temp=21\r"));
        view.push_data(1, Direction::Rx, peer(), now, Bytes::from_static(b"\ntemp=22\r\n"));
        let text = view.to_text();
        let body: Vec<&str> = text.lines().filter(|l| !l.contains("RX ←")).collect();
        assert_eq!(body, ["temp=21", "temp=22"], "{text}");
    }

    #[test]
    fn datagrams_are_decoded_alone() {
        let mut view = ReceiveView::new(Charset::Gbk, ViewMode::Text, StoreLimits::default());
        let now = SystemTime::now();
        // Half a character at the end of one datagram does not join the next one.
        view.push_datagram(1, Direction::Rx, peer(), now, Bytes::from_static(&REPLY_GBK[..3]));
        view.push_datagram(1, Direction::Rx, peer(), now, Bytes::from_static(&REPLY_GBK[3..]));
        let text = view.to_text();
        assert!(text.contains("我\\xCA"), "{text}");
        view.set_charset(Charset::Utf8);
        view.set_charset(Charset::Gbk);
        assert!(view.to_text().contains("我\\xCA"));
    }

    #[test]
    fn bytes_held_at_the_end_of_a_stream_are_shown_not_lost() {
        let mut view = ReceiveView::new(Charset::Gbk, ViewMode::Text, StoreLimits::default());
        let now = SystemTime::now();
        view.push_data(1, Direction::Rx, peer(), now, Bytes::from_static(&REPLY_GBK[..3]));
        view.end_stream(1, now);
        assert!(view.to_text().contains("我\\xCA"), "{}", view.to_text());
        // And after a charset switch that holds back a different tail.
        let mut view = ReceiveView::new(Charset::Utf8, ViewMode::Text, StoreLimits::default());
        view.push_data(1, Direction::Rx, peer(), now, Bytes::from_static("a你".as_bytes()));
        view.push_data(1, Direction::Rx, peer(), now, Bytes::from_static(&[0xC4]));
        view.end_stream(1, now);
        assert!(view.to_text().contains("\\xC4"), "{}", view.to_text());
        view.set_charset(Charset::Gbk);
        view.set_charset(Charset::Utf8);
        assert!(view.to_text().contains("a你") && view.to_text().contains("\\xC4"), "{}", view.to_text());
    }

    #[test]
    fn a_flood_of_line_breaks_is_bounded_by_the_byte_limit() {
        // Each 64 KiB read of line breaks indexes to ~1.7 MB of lines.
        let limit = 8 << 20;
        let limits = StoreLimits { max_records: 1_000_000, max_bytes: limit };
        let mut view = ReceiveView::new(Charset::Utf8, ViewMode::Text, limits);
        for _ in 0..100 {
            view.push_data(1, Direction::Rx, peer(), SystemTime::now(), Bytes::from(vec![b'\n'; 64 * 1024]));
        }
        assert!(view.stats().bytes <= limit, "{:?}", view.stats());
        assert!(view.line_count() * size_of::<Line>() <= limit);
        assert!(view.stats().records > 1);
        assert!(view.stats().dropped_records > 0);
    }

    #[test]
    fn control_characters_are_shown_as_markers() {
        let mut view = ReceiveView::new(Charset::Utf8, ViewMode::Text, StoreLimits::default());
        view.push_data(1, Direction::Rx, peer(), SystemTime::now(), Bytes::from_static(b"a\0b\x07"));
        let (mut line, mut markers) = (String::new(), Vec::new());
        view.render_line(1, &mut line, &mut markers);
        assert_eq!(line, "a\\x00b\\x07");
        assert_eq!(markers, vec![1..5, 6..10]);
    }

    /// One thing that can happen to a view.
    #[derive(Clone, Debug)]
    enum Op {
        Data(ConnId, bool, Vec<u8>),
        Datagram(Vec<u8>),
        End(ConnId),
        Charset(usize),
        Mode(usize),
        Framing(DisplayFraming),
        FlushIdle(u64),
        Note(String),
        Clear,
    }

    fn any_op() -> impl proptest::strategy::Strategy<Value = Op> {
        use proptest::prelude::*;
        let bytes = || proptest::collection::vec(prop_oneof![any::<u8>(), Just(b'\n'), Just(b'\r'), Just(0u8)], 0..400);
        prop_oneof![
            8 => (0u64..3, any::<bool>(), bytes()).prop_map(|(conn, rx, b)| Op::Data(conn, rx, b)),
            3 => bytes().prop_map(Op::Datagram),
            1 => (0u64..3).prop_map(Op::End),
            1 => (0usize..Charset::ALL.len()).prop_map(Op::Charset),
            1 => (0usize..ViewMode::ALL.len()).prop_map(Op::Mode),
            1 => prop_oneof![
                Just(DisplayFraming::AsReceived),
                proptest::collection::vec(any::<u8>(), 0..3).prop_map(DisplayFraming::Delimiter),
                (1u64..20).prop_map(|ms| DisplayFraming::IdleGap(Duration::from_millis(ms))),
            ]
            .prop_map(Op::Framing),
            1 => (0u64..3000).prop_map(Op::FlushIdle),
            1 => "\\PC{0,40}".prop_map(Op::Note),
            1 => Just(Op::Clear),
        ]
    }

    proptest::proptest! {
        /// Whatever arrives, in any charset, mode and framing, with a view
        /// small enough to drop records: every line renders, never a panic,
        /// and no control character reaches the screen.
        #[test]
        fn any_traffic_in_any_charset_never_panics(
            ops in proptest::collection::vec(any_op(), 0..40),
            max_records in 1usize..30,
            max_bytes in 1usize..20_000,
        ) {
            let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
            let limits = StoreLimits { max_records, max_bytes };
            let mut view = ReceiveView::new(Charset::Gbk, ViewMode::Text, limits);
            for (i, op) in ops.into_iter().enumerate() {
                let at = start + Duration::from_millis(i as u64 * 7);
                let dir = |rx: bool| if rx { Direction::Rx } else { Direction::Tx };
                match op {
                    Op::Data(conn, rx, bytes) => view.push_data(conn, dir(rx), peer(), at, Bytes::from(bytes)),
                    Op::Datagram(bytes) => view.push_datagram(9, Direction::Rx, peer(), at, Bytes::from(bytes)),
                    Op::End(conn) => view.end_stream(conn, at),
                    Op::Charset(i) => view.set_charset(Charset::ALL[i]),
                    Op::Mode(i) => view.set_mode(ViewMode::ALL[i]),
                    Op::Framing(framing) => view.set_framing(framing),
                    Op::FlushIdle(ms) => {
                        let _ = view.flush_idle(at + Duration::from_millis(ms));
                    }
                    Op::Note(text) => view.push_note(at, NoteLevel::Info, text),
                    Op::Clear => view.clear(),
                }
            }
            let (mut line, mut markers) = (String::new(), Vec::new());
            for index in 0..view.line_count() {
                let style = view.render_line(index, &mut line, &mut markers);
                proptest::prop_assert!(style.is_some());
                for marker in &markers {
                    proptest::prop_assert!(line.is_char_boundary(marker.start) && line.is_char_boundary(marker.end));
                }
                if style != Some(LineStyle::Note(NoteLevel::Info)) {
                    let control = line.chars().any(|c| c.is_control() && c != '\t');
                    proptest::prop_assert!(!control, "a control character on screen: {:?}", line);
                }
            }
            let _ = view.to_text();
            proptest::prop_assert!(view.stats().records <= max_records);
        }
    }

    #[test]
    fn c1_control_characters_are_shown_as_markers_too() {
        // Windows-1252 leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined; they
        // decode to C1 controls, which no font draws: each shows as its byte.
        let mut view = ReceiveView::new(Charset::Windows1252, ViewMode::Text, StoreLimits::default());
        view.push_datagram(
            1,
            Direction::Rx,
            peer(),
            SystemTime::now(),
            Bytes::from_static(b"a\x81\x8D\x8F\x90\x9D\x80b"),
        );
        assert!(view.to_text().contains("a\\x81\\x8D\\x8F\\x90\\x9D€b"), "{}", view.to_text());
        // A C1 control that took two bytes in UTF-8 shows as the character it is.
        view.set_charset(Charset::Utf8);
        view.push_data(2, Direction::Rx, peer(), SystemTime::now(), Bytes::from_static("x\u{85}y°".as_bytes()));
        assert!(view.to_text().contains("x\\u{85}y°"), "{}", view.to_text());
        let (mut line, mut markers) = (String::new(), Vec::new());
        view.render_line(view.line_count() - 1, &mut line, &mut markers);
        assert_eq!(line, "x\\u{85}y°");
        assert_eq!(markers.len(), 1);
        assert_eq!(markers[0], 1..7);
    }
}
