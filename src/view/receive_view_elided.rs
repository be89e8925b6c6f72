//! The receive view's flood gaps: data elided without being shown (it
//! came faster than the view can decode it), and the notes that stand in
//! its place.

use crate::ids::Direction;
use std::net::SocketAddr;
use std::time::SystemTime;

use super::ReceiveView;
use crate::ids::ConnId;
use crate::view::elided;
use crate::view::{NoteLevel, RecordBody};

impl ReceiveView {
    /// Lets data that went over the wire pass without showing it (it came
    /// faster than the view can decode it): the stream's run of such data is
    /// noted in its place, before the stream's next shown record or at
    /// [`ReceiveView::note_elided`]. Decoding starts afresh after the gap.
    pub fn elide(
        &mut self,
        conn: ConnId,
        dir: Direction,
        peer: SocketAddr,
        at: SystemTime,
        len: usize,
        datagram: bool,
    ) {
        // What is held for the stream is shown before the gap opens.
        if !datagram && !self.elided.has((conn, dir)) {
            let mut frames = Vec::new();
            self.reassembler.flush_conn(conn, &mut frames);
            self.push_frames(frames);
            // Decoding starts afresh after the gap. The few bytes of a character
            // cut by it are in the last record's hex, not its text: re-indexing
            // every record to show them would cost a flood's frame dearly.
            self.decoders.remove(&(conn, dir));
            self.ended_in_cr.remove(&(conn, dir));
        }
        self.elided.add((conn, dir), peer, at, len, datagram);
        // A reply elided still answers the request before it.
        let _ = self.round_trip(conn, dir, peer, at);
    }

    /// Writes the notes of every run of data elided (after a frame's share
    /// of events, so a flood's gaps show while it goes on and once it ends).
    pub fn note_elided(&mut self) {
        if self.elided.is_empty() {
            return;
        }
        for ((_, dir), gap) in self.elided.take_all() {
            self.push(gap.since, RecordBody::Note { level: NoteLevel::Info, text: elided::describe(dir, &gap) });
        }
    }

    /// Bytes elided without being shown since the view was made.
    pub fn elided_bytes(&self) -> u64 {
        self.elided.total_bytes()
    }

    /// Notes the run of data elided on (`conn`, `dir`), if any.
    pub(super) fn note_elided_run(&mut self, conn: ConnId, dir: Direction) {
        if let Some(gap) = self.elided.take((conn, dir)) {
            self.push(gap.since, RecordBody::Note { level: NoteLevel::Info, text: elided::describe(dir, &gap) });
        }
    }
}
