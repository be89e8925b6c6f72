//! The engine's threads yield the CPU to the window's: under a flood on a
//! small machine the engine, the renderer and the peers all want the CPU,
//! and a frame that waits for it is a frame the user sees late. Alone, a
//! thread of lower priority still gets all of the CPU, so the engine reads
//! at full speed whenever the window is idle (between frames).

use thread_priority::{ThreadPriority, ThreadPriorityValue, set_current_thread_priority};

/// The engine threads' priority on `thread_priority`'s cross-platform scale
/// (0–99, the window's threads are at the default): Linux nice +5 (a busy
/// thread then gets about a third of what a busy default one gets), Windows
/// "below normal".
const ENGINE_PRIORITY: u8 = 35;

/// Lowers the calling thread's priority below the window's. A thread may
/// always lower its own; if the OS says no, it keeps the default, as before.
pub(super) fn yield_to_window() {
    let result =
        ThreadPriorityValue::try_from(ENGINE_PRIORITY).map_err(|error| format!("{error:?}")).and_then(|value| {
            set_current_thread_priority(ThreadPriority::Crossplatform(value)).map_err(|error| format!("{error:?}"))
        });
    if let Err(error) = result {
        tracing::debug!("the engine thread keeps the default priority: {error}");
    }
}
