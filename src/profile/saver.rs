//! Saving on a background thread, so a frame never waits on disk.

use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;

use super::error::StoreError;
use super::file::ProfilesFile;
use super::store::ProfileStore;

/// Saves [`ProfilesFile`]s through a [`ProfileStore`] on its own thread.
///
/// There is one pending slot and the latest file wins: saves requested while
/// the thread is writing coalesce into one write of the newest. Dropping the
/// saver writes what is pending and joins the thread.
pub struct Saver {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

struct Shared {
    store: ProfileStore,
    state: Mutex<State>,
    /// Signalled when work arrives or shutdown is asked (the thread waits on it).
    work: Condvar,
    /// Signalled when a write finishes (`flush` waits on it).
    done: Condvar,
}

#[derive(Default)]
struct State {
    pending: Option<ProfilesFile>,
    writing: bool,
    shutdown: bool,
    last: Option<Result<(), StoreError>>,
    writes: u64,
}

impl Saver {
    /// Starts the saver thread for `store`.
    pub fn new(store: ProfileStore) -> Result<Saver, StoreError> {
        let shared = Arc::new(Shared { store, state: Mutex::default(), work: Condvar::new(), done: Condvar::new() });
        let worker = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("netassist-profile-saver".to_owned())
            .spawn(move || worker.run())
            .map_err(|e| StoreError::io("start the saver thread for", shared.store.path(), &e))?;
        Ok(Saver { shared, thread: Some(thread) })
    }

    /// Asks for `file` to be written, replacing any save still waiting.
    /// Returns at once (it only takes a lock the thread never holds across I/O).
    pub fn save(&self, file: ProfilesFile) {
        self.shared.lock().pending = Some(file);
        self.shared.work.notify_one();
    }

    /// The result of the most recent write, if any has finished: the UI shows an error from it.
    pub fn last_result(&self) -> Option<Result<(), StoreError>> {
        self.shared.lock().last.clone()
    }

    /// How many writes have finished (successful or not); fewer than calls to
    /// [`Saver::save`] when saves coalesced.
    pub fn writes(&self) -> u64 {
        self.shared.lock().writes
    }

    /// The store saved to (e.g. to [`ProfileStore::accept_overwrite`] after
    /// asking the user; save again afterwards, as refused saves are dropped).
    pub fn store(&self) -> &ProfileStore {
        &self.shared.store
    }

    /// Blocks until nothing is pending or being written. For shutdown paths
    /// and tests, never for a frame.
    pub fn flush(&self) {
        let mut state = self.shared.lock();
        while state.pending.is_some() || state.writing {
            state = self.shared.done.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
    }
}

impl Drop for Saver {
    fn drop(&mut self) {
        self.shared.lock().shutdown = true;
        self.shared.work.notify_one();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The thread's loop: write whatever is pending; exit once shut down with nothing pending.
    fn run(&self) {
        let mut state = self.lock();
        loop {
            if let Some(file) = state.pending.take() {
                state.writing = true;
                drop(state);
                let result = self.store.save(&file);
                state = self.lock();
                state.writing = false;
                state.last = Some(result);
                state.writes += 1;
                self.done.notify_all();
            } else if state.shutdown {
                return;
            } else {
                state = self.work.wait(state).unwrap_or_else(PoisonError::into_inner);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Profile;

    fn file_named(name: &str) -> ProfilesFile {
        ProfilesFile { last_used: Some(name.to_owned()), profiles: vec![Profile::named(name)], ..Default::default() }
    }

    #[test]
    fn saves_made_while_one_is_written_coalesce_into_the_newest() {
        let dir = tempfile::tempdir().unwrap();
        let saver = Saver::new(ProfileStore::open(dir.path()).store).unwrap();
        // Hold the state lock: the thread cannot pick anything up meanwhile,
        // so the three saves land in the one slot and only the last survives.
        {
            let mut state = saver.shared.lock();
            for name in ["a", "b", "c"] {
                state.pending = Some(file_named(name));
            }
        }
        saver.shared.work.notify_one();
        saver.flush();
        assert_eq!(saver.writes(), 1);
        assert_eq!(saver.last_result(), Some(Ok(())));
        assert_eq!(ProfileStore::open(dir.path()).file, file_named("c"));
    }

    #[test]
    fn drop_flushes_the_pending_save() {
        let dir = tempfile::tempdir().unwrap();
        {
            let saver = Saver::new(ProfileStore::open(dir.path()).store).unwrap();
            saver.save(file_named("x"));
        }
        assert_eq!(ProfileStore::open(dir.path()).file, file_named("x"));
    }
}
