//! Which connections, listeners and UDP sockets are live, and how to reach
//! each one's task; also hands out their ids.
//!
//! Shared by the UI's handle (ids), the dispatcher (routing commands) and
//! listeners (registering the clients they accept), so a client is
//! reachable from the moment it is accepted, before its `Accepted` event.

use crate::ids::{ConnId, JobId};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::outgoing::Outgoing;
use super::outgoing::UdpCommand;

/// How to reach one live task.
pub(super) enum Route {
    /// A TCP connection (client or accepted): its queue of payloads to send.
    Stream { sends: mpsc::Sender<Outgoing>, cancel: CancellationToken },
    /// A TCP listener.
    Listener { cancel: CancellationToken },
    /// A UDP socket: its queue of datagrams to send and membership changes.
    Udp { commands: mpsc::Sender<UdpCommand>, cancel: CancellationToken },
    /// A job (cyclic or file send).
    Job { cancel: CancellationToken },
}

impl Route {
    /// Cancelling it closes the connection, listener or socket, or stops the job.
    pub(super) fn cancel(&self) -> &CancellationToken {
        match self {
            Route::Stream { cancel, .. }
            | Route::Listener { cancel }
            | Route::Udp { cancel, .. }
            | Route::Job { cancel } => cancel,
        }
    }

    /// What it is, for error messages.
    pub(super) fn kind(&self) -> &'static str {
        match self {
            Route::Stream { .. } => STREAM,
            Route::Listener { .. } => "TCP listener",
            Route::Udp { .. } => UDP,
            Route::Job { .. } => JOB,
        }
    }
}

/// [`Route::kind`] of a TCP connection.
pub(super) const STREAM: &str = "TCP connection";
/// [`Route::kind`] of a UDP socket.
pub(super) const UDP: &str = "UDP socket";
/// [`Route::kind`] of a job.
pub(super) const JOB: &str = "job";

/// The table of live tasks. Cheap to clone; all clones share it.
#[derive(Clone)]
pub(super) struct Registry {
    inner: Arc<Inner>,
}

struct Inner {
    /// The next id to hand out.
    next_id: AtomicU64,
    /// Live tasks by id. Held only for map operations, never across an await.
    routes: Mutex<HashMap<ConnId, Route>>,
}

/// Keeps a route in the table while it lives; dropping it (when its task
/// ends, or is dropped after a panic) removes the route.
pub(super) struct Registration {
    registry: Registry,
    id: ConnId,
}

impl Registry {
    /// An empty table whose first id is 1.
    pub(super) fn new() -> Self {
        Self { inner: Arc::new(Inner { next_id: AtomicU64::new(1), routes: Mutex::new(HashMap::new()) }) }
    }

    /// A fresh id, never handed out before.
    pub(super) fn next_id(&self) -> ConnId {
        ConnId(self.inner.next_id.fetch_add(1, Ordering::Relaxed))
    }

    /// A fresh job id, from the same counter (so never a connection's).
    pub(super) fn next_job(&self) -> JobId {
        JobId(self.inner.next_id.fetch_add(1, Ordering::Relaxed))
    }

    /// Makes job `job` reachable through `route` until the registration is dropped.
    pub(super) fn register_job(&self, job: JobId, route: Route) -> Registration {
        self.register(ConnId(job.0), route)
    }

    /// Calls `f` with the route of job `job` (`None` if it is not live).
    pub(super) fn with_job<R>(&self, job: JobId, f: impl FnOnce(Option<&Route>) -> R) -> R {
        self.with(ConnId(job.0), f)
    }

    /// Makes `id` reachable through `route` until the registration is dropped.
    pub(super) fn register(&self, id: ConnId, route: Route) -> Registration {
        self.routes().insert(id, route);
        Registration { registry: self.clone(), id }
    }

    /// Calls `f` with the route of `id` (`None` if it is not live).
    /// `f` runs under the table's lock: it must be quick and must not block.
    pub(super) fn with<R>(&self, id: ConnId, f: impl FnOnce(Option<&Route>) -> R) -> R {
        f(self.routes().get(&id))
    }

    fn routes(&self) -> MutexGuard<'_, HashMap<ConnId, Route>> {
        // A panic elsewhere cannot leave the map half-changed: use it as is.
        self.inner.routes.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.registry.routes().remove(&self.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registrations_route_until_dropped() {
        let registry = Registry::new();
        let (a, b) = (registry.next_id(), registry.next_id());
        assert_ne!(a, b);
        let cancel = CancellationToken::new();
        let registration = registry.register(a, Route::Listener { cancel: cancel.clone() });
        assert_eq!(registry.with(a, |route| route.map(Route::kind)), Some("TCP listener"));
        assert!(registry.with(b, |route| route.is_none()));
        registry.with(a, |route| route.map(|r| r.cancel().cancel()));
        assert!(cancel.is_cancelled());
        drop(registration);
        assert!(registry.with(a, |route| route.is_none()));
    }
}
