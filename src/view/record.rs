//! One entry of the receive view: a chunk of data or a note about the connection.

use std::net::SocketAddr;
use std::time::SystemTime;

use bytes::Bytes;

use crate::codec::DecodedText;
use crate::ids::{ConnId, Direction};

/// How a note should look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoteLevel {
    /// Connection state changes and other information.
    Info,
    /// Something failed.
    Error,
}

/// How a data record's bytes relate to the ones before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Part of a byte stream (TCP): decoded with the stream's decoder, so a
    /// character split across reads shows whole.
    Stream,
    /// A whole message (a UDP datagram): decoded on its own.
    Datagram,
}

/// What a record holds.
#[derive(Clone, Debug)]
pub enum RecordBody {
    /// Bytes that went over the wire.
    Data {
        /// The connection.
        conn: ConnId,
        /// Sent or received.
        dir: Direction,
        /// The peer they went to or came from.
        peer: SocketAddr,
        /// Exactly the bytes.
        raw: Bytes,
        /// Stream chunk or datagram.
        delivery: Delivery,
        /// The stream's previous chunk ended in `\r`, so a leading `\n` here
        /// completes a line break split across two reads.
        follows_cr: bool,
        /// `raw` decoded in the view's charset, in stream order.
        decoded: DecodedText,
        /// Received data: the time since our last send to this peer on this
        /// connection, when this is the first data back since (round-trip time).
        rtt: Option<std::time::Duration>,
    },
    /// A line of text from netassist itself (connected, closed, errors).
    Note {
        /// Info or error.
        level: NoteLevel,
        /// The text.
        text: String,
    },
}

/// One entry of the receive view.
#[derive(Clone, Debug)]
pub struct Record {
    /// Position in the session, counting from 0; never reused.
    pub seq: u64,
    /// When it happened (wall clock).
    pub at: SystemTime,
    /// What it holds.
    pub body: RecordBody,
    /// How many display lines it takes in the view's current mode.
    pub lines: u32,
}

impl Record {
    /// Bytes of memory this record accounts for against the store's byte
    /// limit: raw and decoded data (or the note's text) as allocated (their
    /// capacity, not only their length: what the process really holds) and
    /// its entries in the line index, so that a flood of line breaks, or of
    /// binary data (thousands of marker ranges a read), is bounded too.
    pub fn cost(&self) -> usize {
        let body = match &self.body {
            RecordBody::Data { raw, decoded, .. } => {
                raw.len() + decoded.text.capacity() + decoded.invalid.capacity() * size_of::<std::ops::Range<usize>>()
            }
            RecordBody::Note { text, .. } => text.capacity(),
        };
        size_of::<Record>() + body + self.lines as usize * size_of::<super::Line>()
    }
}
