//! A file send: the file streamed in chunks through the target's send queue
//! (see [`crate::engine::jobs`]). A blocking thread reads the file a few chunks
//! ahead of the sends, so at most a few chunks plus the job's in-flight
//! bytes are in memory, whatever the file's size.

use crate::ids::JobId;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use bytes::Bytes;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::{MAX_TCP_CHUNK, MAX_UDP_CHUNK, Outlet, Progress, Totals};
use crate::engine::shared::Shared;
use crate::engine::{FileSend, JobEnd, JobError, SendTarget};

/// How many chunks the reading thread reads ahead of the sends.
const READ_AHEAD: usize = 4;

/// What the reading thread hands over: a chunk, or why it cannot read on.
type Chunk = Result<Bytes, JobError>;

/// The whole life of file send `job`, up to its `JobEnded`.
pub(in crate::engine) async fn run(job: JobId, request: FileSend, cancel: &CancellationToken, shared: &Shared) {
    let FileSend { target, path, chunk } = request;
    let chunk = match target {
        SendTarget::Udp { .. } if !(1..=MAX_UDP_CHUNK).contains(&chunk) => {
            let why = JobError::DatagramSize { size: chunk, max: MAX_UDP_CHUNK };
            return Progress::new(job, None, &shared.emitter).ended(Totals::default(), JobEnd::Failed(why)).await;
        }
        SendTarget::Udp { .. } => chunk,
        SendTarget::Conn(_) | SendTarget::Conns(_) => chunk.clamp(1, MAX_TCP_CHUNK),
    };
    let opened = tokio::select! {
        biased;
        () = cancel.cancelled() => Err(JobEnd::Stopped),
        opened = open(path.clone()) => opened.map_err(JobEnd::Failed),
    };
    let (file, size) = match opened {
        Ok(opened) => opened,
        Err(end) => return Progress::new(job, None, &shared.emitter).ended(Totals::default(), end).await,
    };
    let mut outlet = match super::open(&target, cancel, shared).await {
        Ok(outlet) => outlet,
        Err(end) => return Progress::new(job, Some(size), &shared.emitter).ended(Totals::default(), end).await,
    };
    // Each connection gets the whole file.
    let progress = Progress::new(job, Some(size * outlet.width() as u64), &shared.emitter);
    let (chunks_tx, mut chunks) = mpsc::channel(READ_AHEAD);
    // Ends at the end of the file, on a read error, or once `chunks` is dropped.
    tokio::task::spawn_blocking(move || read_chunks(file, &path, chunk, &chunks_tx));
    let tally = outlet.tally();
    let end = match progress.during(&tally, stream(&mut outlet, &mut chunks, cancel)).await {
        Ok(()) => JobEnd::Completed,
        Err(end) => end,
    };
    // No more is read, nor queued.
    drop(chunks);
    let totals = outlet.finish(end != JobEnd::TargetClosed).await;
    progress.ended(totals, end).await;
}

/// Opens `path` for reading, with its size. `Err`: why not, naming it and the OS error.
async fn open(path: PathBuf) -> Result<(File, u64), JobError> {
    let shown = path.clone();
    let opened = tokio::task::spawn_blocking(move || {
        let file = File::open(&path).map_err(|error| JobError::io(&path, &error, false))?;
        let metadata = file.metadata().map_err(|error| JobError::io(&path, &error, false))?;
        if metadata.is_dir() {
            return Err(JobError::IsDirectory { path });
        }
        Ok((file, metadata.len()))
    })
    .await;
    opened.unwrap_or_else(|error| Err(JobError::io(&shown, &std::io::Error::other(error.to_string()), false)))
}

/// Sends each chunk read, then waits until all of it is written.
/// `Err`: how the job ended otherwise.
async fn stream(
    outlet: &mut Outlet,
    chunks: &mut mpsc::Receiver<Chunk>,
    cancel: &CancellationToken,
) -> Result<(), JobEnd> {
    loop {
        let next = tokio::select! {
            biased;
            () = cancel.cancelled() => return Err(JobEnd::Stopped),
            closed = outlet.closed() => {
                closed?;
                continue;
            }
            next = chunks.recv() => next,
        };
        match next {
            None => return outlet.flush(cancel).await,
            Some(Err(why)) => return Err(JobEnd::Failed(why)),
            Some(Ok(data)) => outlet.push(data, cancel).await?,
        }
    }
}

/// On a blocking thread: reads `file` in chunks of `size` bytes (the last
/// one shorter) into `chunks`, until the end, a read error (sent on as the
/// last item), or `chunks` closing.
fn read_chunks(mut file: File, path: &Path, size: usize, chunks: &mpsc::Sender<Chunk>) {
    loop {
        match read_chunk(&mut file, size) {
            Ok(data) if data.is_empty() => return,
            Ok(data) => {
                let last = data.len() < size;
                if chunks.blocking_send(Ok(data)).is_err() || last {
                    return;
                }
            }
            Err(error) => {
                let _ = chunks.blocking_send(Err(JobError::io(path, &error, true)));
                return;
            }
        }
    }
}

/// The next `size` bytes of `file`, fewer only at its end.
fn read_chunk(file: &mut File, size: usize) -> io::Result<Bytes> {
    let mut buf = vec![0u8; size];
    let mut filled = 0;
    while filled < size {
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    buf.truncate(filled);
    Ok(Bytes::from(buf))
}
