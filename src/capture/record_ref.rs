//! A record body read in place, without copying or allocating: what the
//! reader turns into a [`CaptureRecord`], and what the index checks each
//! record with at the speed of the disk.

use bytes::Bytes;

use super::format::{CaptureRecord, KIND_CLOSED, KIND_DATA, KIND_OPENED, RecordKind, Transport, direction_from_code};
use crate::ids::{ConnId, Direction};

/// What a record says, borrowed from its body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct RecordRef<'a> {
    pub micros: i64,
    pub conn: ConnId,
    pub transport: Transport,
    pub direction: Direction,
    pub peer: &'a str,
    pub kind: KindRef<'a>,
}

/// The kind's own fields, borrowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum KindRef<'a> {
    /// Payload at this range of the body.
    Data {
        payload: std::ops::Range<usize>,
    },
    Opened {
        local: &'a str,
    },
    Closed {
        reason: &'a str,
    },
}

impl RecordRef<'_> {
    /// The owned record; `body` is the body this was parsed from (its
    /// payload is shared, not copied).
    pub(super) fn to_record(&self, body: &Bytes) -> CaptureRecord {
        let kind = match &self.kind {
            KindRef::Data { payload } => RecordKind::Data { payload: body.slice(payload.clone()) },
            KindRef::Opened { local } => RecordKind::Opened { local: (*local).to_owned() },
            KindRef::Closed { reason } => RecordKind::Closed { reason: (*reason).to_owned() },
        };
        CaptureRecord {
            micros: self.micros,
            conn: self.conn,
            transport: self.transport,
            direction: self.direction,
            peer: self.peer.to_owned(),
            kind,
        }
    }
}

/// The record in `body` (whose checksum matched and whose length is at
/// least [`super::MIN_BODY`]); `Ok(None)` for a kind this build does not
/// know; `Err` says what makes no sense.
pub(super) fn parse_ref(body: &[u8]) -> Result<Option<RecordRef<'_>>, String> {
    let kind = body[0];
    if !matches!(kind, KIND_DATA | KIND_OPENED | KIND_CLOSED) {
        if kind == 0 {
            return Err("record kind 0 is never written".to_owned());
        }
        return Ok(None);
    }
    let micros = i64::from_le_bytes(fixed(&body[1..9]));
    let conn = u64::from_le_bytes(fixed(&body[9..17]));
    let transport = Transport::from_code(body[17]).ok_or_else(|| format!("unknown transport {}", body[17]))?;
    let direction = direction_from_code(body[18]).ok_or_else(|| format!("unknown direction {}", body[18]))?;
    let (peer, rest) = text8(body, 19, "peer address")?;
    let kind = match kind {
        KIND_DATA => KindRef::Data { payload: rest..body.len() },
        KIND_OPENED => {
            // Bytes after the local address are reserved for later versions.
            let (local, _) = text8(body, rest, "local address")?;
            KindRef::Opened { local }
        }
        _ => {
            let reason = std::str::from_utf8(&body[rest..]).map_err(|_| "close reason is not UTF-8".to_owned())?;
            KindRef::Closed { reason }
        }
    };
    Ok(Some(RecordRef { micros, conn: ConnId(conn), transport, direction, peer, kind }))
}

/// The u8-length-prefixed UTF-8 text at `at` in `body`, and where it ends.
fn text8<'a>(body: &'a [u8], at: usize, what: &str) -> Result<(&'a str, usize), String> {
    let len = usize::from(*body.get(at).ok_or_else(|| format!("{what} missing"))?);
    let text = body.get(at + 1..at + 1 + len).ok_or_else(|| format!("{what} runs past the end of the record"))?;
    let text = std::str::from_utf8(text).map_err(|_| format!("{what} is not UTF-8"))?;
    Ok((text, at + 1 + len))
}

/// `bytes` (exactly 8 of them) as an array.
fn fixed(bytes: &[u8]) -> [u8; 8] {
    let mut array = [0u8; 8];
    array.copy_from_slice(bytes);
    array
}
