//! The engine → UI event queue, bounded twice: by a count of events (the
//! channel's capacity) and by the bytes their payloads carry (a semaphore
//! of one permit per byte). A sender waits while either bound is reached;
//! an event's permits travel with it through the channel and are given back
//! when the receiver hands the event out. Optionally, a `Sent` or `Received`
//! that finds the byte budget spent goes as an `Elided` (its length, no
//! bytes, no budget) instead of waiting: the connection is not slowed by a
//! UI that cannot keep up.

use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore, TryAcquireError, mpsc};

use super::Event;

/// An event in the queue, with the byte budget it holds.
struct Queued {
    event: Event,
    /// Dropped (released) when the event leaves the queue; none for an `Elided`.
    _permit: Option<OwnedSemaphorePermit>,
}

/// The engine's end of the queue. Cheap to clone.
#[derive(Clone)]
pub(super) struct EventSender {
    events: mpsc::Sender<Queued>,
    budget: Arc<Semaphore>,
    /// The budget in bytes: the most permits one event takes.
    max_permits: u32,
    /// Whether data that finds the budget spent goes as an `Elided`.
    elide: bool,
}

/// The UI's end of the queue.
pub(super) struct QueueReceiver {
    events: mpsc::Receiver<Queued>,
    /// The senders' byte budget, to tell how full the queue is.
    budget: Arc<Semaphore>,
    max_permits: u32,
}

/// A queue of at most `capacity` events holding at most `bytes_budget`
/// payload bytes (each at least 1; both are taken as at least 1).
/// With `elide`, data events that find the byte budget spent are sent as
/// `Elided` instead of waiting for it.
pub(super) fn channel(capacity: usize, bytes_budget: usize, elide: bool) -> (EventSender, QueueReceiver) {
    let (events, receiver) = mpsc::channel(capacity.max(1));
    let max_permits = u32::try_from(bytes_budget.min(Semaphore::MAX_PERMITS)).unwrap_or(u32::MAX).max(1);
    let budget = Arc::new(Semaphore::new(max_permits as usize));
    let receiver = QueueReceiver { events: receiver, budget: Arc::clone(&budget), max_permits };
    (EventSender { events, budget, max_permits, elide }, receiver)
}

impl EventSender {
    /// Queues `event`, first waiting for budget for its payload (an event
    /// larger than the whole budget waits for all of it), or, if eliding and
    /// the budget is spent, queuing its `Elided` at once; then waits for room
    /// in the queue. `Err` if the receiver is gone.
    pub(super) async fn send(&self, event: Event) -> Result<(), ()> {
        match self.try_send(event).await {
            Ok(sent) => sent,
            Err(event) => match elided(event, self.elide) {
                Ok(light) => self.queue(light, None).await,
                Err(event) => {
                    let permits = self.cost(&event);
                    let permit = Arc::clone(&self.budget).acquire_many_owned(permits).await.map_err(|_closed| ())?;
                    self.queue(event, Some(permit)).await
                }
            },
        }
    }

    /// Queues `event` if the byte budget has room for it now (waiting only
    /// for room in the queue); `Err(event)` back if it has not.
    pub(super) async fn try_send(&self, event: Event) -> Result<Result<(), ()>, Event> {
        match Arc::clone(&self.budget).try_acquire_many_owned(self.cost(&event)) {
            Ok(permit) => Ok(self.queue(event, Some(permit)).await),
            Err(TryAcquireError::Closed) => Ok(Err(())),
            Err(TryAcquireError::NoPermits) => Err(event),
        }
    }

    /// Whether data that finds the budget spent goes as an `Elided`.
    pub(super) fn elides(&self) -> bool {
        self.elide
    }

    /// Queues the event in `held`, once the budget has room for its bytes
    /// and the queue for it. Cancel-safe: if the future is dropped before
    /// it completes, the event stays in `held`.
    pub(super) async fn send_held(&self, held: &mut Option<Event>) -> Result<(), ()> {
        let Some(event) = held.as_ref() else { return Ok(()) };
        let permits = self.cost(event);
        let permit = Arc::clone(&self.budget).acquire_many_owned(permits).await.map_err(|_closed| ())?;
        let slot = self.events.reserve().await.map_err(|_closed| ())?;
        if let Some(event) = held.take() {
            slot.send(Queued { event, _permit: Some(permit) });
        }
        Ok(())
    }

    async fn queue(&self, event: Event, permit: Option<OwnedSemaphorePermit>) -> Result<(), ()> {
        self.events.send(Queued { event, _permit: permit }).await.map_err(|_closed| ())
    }

    /// The permits `event` takes: its payload's length, at least 1 and at
    /// most the whole budget.
    fn cost(&self, event: &Event) -> u32 {
        let bytes = match event {
            Event::Sent { data, .. } | Event::Received { data, .. } => data.len(),
            _ => 0,
        };
        u32::try_from(bytes).unwrap_or(u32::MAX).clamp(1, self.max_permits)
    }
}

/// `event`'s `Elided` if it carries data and `elide` is on; else `event` back.
fn elided(event: Event, elide: bool) -> Result<Event, Event> {
    match event {
        Event::Sent { conn, peer, data, at } if elide => {
            Ok(Event::Elided { conn, peer, outgoing: true, len: data.len(), at })
        }
        Event::Received { conn, peer, data, at } if elide => {
            Ok(Event::Elided { conn, peer, outgoing: false, len: data.len(), at })
        }
        other => Err(other),
    }
}

impl QueueReceiver {
    /// The next event if one is queued, releasing its budget.
    pub(super) fn try_recv(&mut self) -> Option<Event> {
        self.events.try_recv().ok().map(|queued| queued.event)
    }

    /// Whether the queue is at least half full, by bytes or by count: the
    /// engine is about to wait for the UI (or is waiting), so the UI is
    /// behind, not just busy.
    pub(super) fn is_backed_up(&self) -> bool {
        let bytes_used = self.max_permits as usize - self.budget.available_permits().min(self.max_permits as usize);
        bytes_used * 2 >= self.max_permits as usize || self.events.len() * 2 >= self.events.max_capacity()
    }

    /// Waits for the next event (`None` once every sender is gone and the
    /// queue is empty), releasing its budget.
    pub(super) async fn recv(&mut self) -> Option<Event> {
        self.events.recv().await.map(|queued| queued.event)
    }
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;
    use std::time::{Duration, SystemTime};

    use bytes::Bytes;

    use super::*;

    fn received(len: usize) -> Event {
        let peer = SocketAddr::from(([127, 0, 0, 1], 8000));
        Event::Received { conn: crate::ids::ConnId(1), peer, data: Bytes::from(vec![0u8; len]), at: SystemTime::now() }
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap()
    }

    #[test]
    fn events_cost_their_payload_between_one_byte_and_the_whole_budget() {
        let (sender, _receiver) = channel(8, 100, false);
        assert_eq!(sender.cost(&received(40)), 40);
        assert_eq!(sender.cost(&received(0)), 1);
        assert_eq!(sender.cost(&received(1000)), 100);
        let closed = Event::ListenerClosed {
            listener: crate::ids::ConnId(1),
            reason: super::super::CloseReason::Local,
            at: SystemTime::now(),
        };
        assert_eq!(sender.cost(&closed), 1);
    }

    #[test]
    fn a_sender_waits_for_bytes_until_the_receiver_takes_events() {
        runtime().block_on(async {
            let (sender, mut receiver) = channel(100, 100, false);
            assert!(!receiver.is_backed_up());
            sender.send(received(40)).await.unwrap();
            assert!(!receiver.is_backed_up(), "40 of 100 bytes queued");
            assert!(matches!(receiver.try_recv(), Some(Event::Received { .. })));
            sender.send(received(60)).await.unwrap();
            assert_eq!(sender.budget.available_permits(), 40);
            // 60 + 60 > 100: the second waits, though the count has room.
            let second = tokio::spawn({
                let sender = sender.clone();
                async move { sender.send(received(60)).await }
            });
            tokio::task::yield_now().await;
            assert!(!second.is_finished(), "the budget holds the second event back");
            assert!(receiver.is_backed_up(), "60 of 100 bytes queued");
            assert!(matches!(receiver.try_recv(), Some(Event::Received { data, .. }) if data.len() == 60));
            let sent = tokio::time::timeout(Duration::from_secs(5), second).await;
            assert!(matches!(sent, Ok(Ok(Ok(())))), "taking the first event frees its bytes");
            // One larger than the whole budget takes all of it, once the queue is empty.
            assert!(matches!(receiver.recv().await, Some(Event::Received { .. })));
            assert_eq!(sender.budget.available_permits(), 100);
            sender.send(received(1000)).await.unwrap();
            assert_eq!(sender.budget.available_permits(), 0);
            assert!(matches!(receiver.recv().await, Some(Event::Received { data, .. }) if data.len() == 1000));
            assert_eq!(sender.budget.available_permits(), 100);
        });
    }

    #[test]
    fn sending_fails_once_the_receiver_is_gone() {
        runtime().block_on(async {
            let (sender, receiver) = channel(1, 10, false);
            drop(receiver);
            assert!(sender.send(received(5)).await.is_err());
        });
    }

    #[test]
    fn with_eliding_data_that_finds_the_budget_spent_goes_as_its_length() {
        runtime().block_on(async {
            let (sender, mut receiver) = channel(100, 100, true);
            sender.send(received(60)).await.unwrap();
            // 60 + 60 > 100: queued at once, without its bytes.
            sender.send(received(60)).await.unwrap();
            let closed = Event::ListenerClosed {
                listener: crate::ids::ConnId(1),
                reason: super::super::CloseReason::Local,
                at: SystemTime::now(),
            };
            sender.send(closed).await.unwrap();
            assert!(matches!(receiver.try_recv(), Some(Event::Received { data, .. }) if data.len() == 60));
            assert!(matches!(receiver.try_recv(), Some(Event::Elided { len: 60, outgoing: false, .. })));
            assert!(matches!(receiver.try_recv(), Some(Event::ListenerClosed { .. })));
            assert_eq!(sender.budget.available_permits(), 100);
            // With room again, data goes whole.
            sender.send(received(60)).await.unwrap();
            assert!(matches!(receiver.try_recv(), Some(Event::Received { data, .. }) if data.len() == 60));
        });
    }
}
