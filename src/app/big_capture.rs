//! A capture too big for a receive view, opened whole: the app runs its
//! index and its searches on worker threads ("netassist-capture-index",
//! "netassist-capture-find"), each handing batches over a bounded channel
//! and stopped by a flag (Cancel, Close, a new search) or by the channel's
//! end; each frame takes in what they sent. The model ([`BigCapture`]) and
//! the capture layer do the work; the panel draws.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, sync_channel};

use super::SessionTab;
use crate::capture::{
    FilterBatch, FindBatch, FindEnd, IndexBatch, IndexEnd, RecordFilter, build_index, filter_capture, open_capture,
    search_capture,
};
use crate::model::{BigCapture, Message};
use crate::view::{FindQuery, Pattern};

/// Batches a worker may have waiting before it waits for the window.
const QUEUE: usize = 8;

/// What a worker sends: batches, then how it ended.
enum Report<B, E> {
    Batch(B),
    End(E),
}

/// A worker thread, stopped when dropped (it sees the flag or the closed channel).
struct Worker<B, E> {
    reports: Receiver<Report<B, E>>,
    cancel: Arc<AtomicBool>,
}

impl<B: Send + 'static, E: Send + 'static> Worker<B, E> {
    /// Runs `work` on a thread named `name`; `work` gets the cancel flag and
    /// a sink for its batches (false once the window has gone).
    fn spawn(
        name: &str,
        work: impl FnOnce(&AtomicBool, &mut dyn FnMut(B) -> bool) -> E + Send + 'static,
    ) -> std::io::Result<Self> {
        let (sender, reports) = sync_channel(QUEUE);
        let cancel = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&cancel);
        std::thread::Builder::new().name(name.to_owned()).spawn(move || {
            let end = work(&flag, &mut |batch| sender.send(Report::Batch(batch)).is_ok());
            let _ = sender.send(Report::End(end));
        })?;
        Ok(Self { reports, cancel })
    }

    /// Everything sent since the last call, in order; `true` when the end came.
    fn drain(&self, mut batch: impl FnMut(B), mut end: impl FnMut(E)) -> bool {
        loop {
            match self.reports.try_recv() {
                Ok(Report::Batch(b)) => batch(b),
                Ok(Report::End(e)) => {
                    end(e);
                    return true;
                }
                Err(TryRecvError::Empty) => return false,
                Err(TryRecvError::Disconnected) => return true,
            }
        }
    }
}

impl<B, E> Drop for Worker<B, E> {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

/// A capture opened whole, with the workers building its index and searching it.
pub struct BigCaptureTab {
    /// The capture.
    pub capture: BigCapture,
    /// Why the find bar's query cannot be searched for.
    pub problem: Option<Message>,
    /// A search waits for the index to be complete.
    pub find_waiting: bool,
    /// Why the filter row's text cannot be filtered by.
    pub filter_problem: Option<Message>,
    /// A filter waits for the index to be complete.
    pub filter_waiting: bool,
    index: Option<Worker<IndexBatch, IndexEnd>>,
    find: Option<Worker<FindBatch, FindEnd>>,
    filter: Option<Worker<FilterBatch, FindEnd>>,
}

impl BigCaptureTab {
    /// A worker is running (the window should keep drawing frames).
    pub fn busy(&self) -> bool {
        self.index.is_some() || self.find.is_some() || self.filter.is_some()
    }

    /// Takes in what the workers sent.
    pub fn poll(&mut self) {
        if let Some(worker) = &self.index {
            let capture = &mut self.capture;
            let mut ended = None;
            let done = worker.drain(|batch| capture.index_batch(batch), |end| ended = Some(end));
            if done {
                capture.index_ended(ended.unwrap_or(IndexEnd::Cancelled));
                self.index = None;
            }
        }
        if let Some(worker) = &self.find {
            let find = &mut self.capture.find;
            let mut ended = None;
            if worker.drain(|batch| find.batch(batch), |end| ended = Some(end)) {
                find.ended(ended.unwrap_or(FindEnd::Cancelled));
                self.find = None;
            }
        }
        if let Some(worker) = &self.filter {
            let filter = &mut self.capture.filter;
            let mut ended = None;
            if worker.drain(|batch| filter.batch(batch), |end| ended = Some(end)) {
                filter.ended(ended.unwrap_or(FindEnd::Cancelled));
                self.filter = None;
            }
        }
    }

    /// Lists the records that pass `filter` and hold `query` (if any) over
    /// the whole file (once indexed); the filter running stops. Everything
    /// passing shows every record. A bad query is returned, to be shown
    /// (the direction still filters).
    pub fn start_filter(&mut self, filter: RecordFilter, query: Option<FindQuery>) -> Result<(), Message> {
        self.filter = None;
        let (pattern, problem) = match query.as_ref().map(Pattern::new) {
            None => (None, None),
            Some(Ok(pattern)) => (Some(pattern), None),
            Some(Err(error)) => (None, Some(Message::BadQuery(error))),
        };
        let active = pattern.is_some() || !(filter.rx && filter.tx && filter.events);
        self.capture.filter.start(active);
        if active {
            let charset = self.capture.charset;
            let (file, _) = open_capture(&self.capture.path)
                .map_err(|error| Message::CannotOpenCapture { path: self.capture.path.clone(), error })?;
            let worker = Worker::spawn("netassist-capture-filter", move |cancel, sink| {
                filter_capture(file, filter, pattern, charset, cancel, sink)
            })
            .map_err(|error| Message::CannotOpenPath { path: self.capture.path.clone(), error: error.into() })?;
            self.filter = Some(worker);
        }
        problem.map_or(Ok(()), Err)
    }

    /// Starts a search for `query` over the whole file (once indexed); the
    /// one running stops. A bad query is returned, to be shown.
    pub fn start_find(&mut self, query: Option<FindQuery>) -> Result<(), Message> {
        self.find = None;
        self.capture.find.clear();
        let Some(query) = query else { return Ok(()) };
        let pattern = Pattern::new(&query).map_err(Message::BadQuery)?;
        let charset = self.capture.charset;
        let (file, _) = open_capture(&self.capture.path)
            .map_err(|error| Message::CannotOpenCapture { path: self.capture.path.clone(), error })?;
        self.capture.find.start(query, charset);
        let worker = Worker::spawn("netassist-capture-find", move |cancel, sink| {
            search_capture(file, pattern, charset, cancel, sink)
        })
        .map_err(|error| Message::CannotOpenPath { path: self.capture.path.clone(), error: error.into() })?;
        self.find = Some(worker);
        Ok(())
    }

    /// Stops building the index (the capture then closes).
    pub fn cancel_index(&mut self) {
        self.index = None;
    }
}

impl SessionTab {
    /// Opens the capture at `path` whole: its index is built on a worker
    /// while the first rows already show. Errors are shown, and returned.
    pub fn open_big_capture(&mut self, path: &Path) -> Result<(), Message> {
        let opened =
            BigCapture::open(path, self.settings.charset, self.settings.view_mode).and_then(|(capture, file)| {
                let index =
                    Worker::spawn("netassist-capture-index", move |cancel, sink| build_index(file, cancel, sink))
                        .map_err(|error| Message::CannotOpenPath { path: path.to_path_buf(), error: error.into() })?;
                Ok(BigCaptureTab {
                    capture,
                    problem: None,
                    find_waiting: false,
                    filter_problem: None,
                    filter_waiting: false,
                    index: Some(index),
                    find: None,
                    filter: None,
                })
            });
        match opened {
            Ok(big) => {
                self.files.message = Some((Message::CaptureOpened(path.to_path_buf()), false));
                self.viewer = None;
                self.big = Some(big);
                self.find.restart();
                self.restart_big_find();
                self.restart_big_filter();
                Ok(())
            }
            Err(error) => {
                self.files.message = Some((error.clone(), true));
                Err(error)
            }
        }
    }

    /// Takes in what the opened capture's workers sent.
    pub(super) fn poll_big_capture(&mut self) {
        if let Some(big) = &mut self.big {
            big.poll();
        }
    }
}
