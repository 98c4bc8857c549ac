//! Holding one call (fault injection for crash tests): the next call of an operation stops before or after
//! the sandbox applies it, tells the test, and waits until the test releases it. A test kills its client
//! process while the call is held, so the crash happens at a known point: "the request was created and
//! its answer never arrived" is `After` on `createSignatureRequest`.

use std::collections::HashMap;
use std::sync::Mutex;
use tokio::sync::oneshot;

/// Where a held call stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoldAt {
    /// Before the sandbox applies it: nothing changed yet.
    Before,
    /// After the sandbox applied it, before the answer is sent: the change is made, the caller does
    /// not know it yet.
    After,
}

/// The operation name under which the download of a signed document is held (it is a blob transfer,
/// not an API operation).
pub const DOWNLOAD_SIGNED: &str = "downloadSignedDocument";

struct Slot {
    at: HoldAt,
    reached: oneshot::Sender<()>,
    release: oneshot::Receiver<()>,
}

/// The armed holds, one per operation, each used once.
#[derive(Default)]
pub(crate) struct Holds(Mutex<HashMap<String, Slot>>);

/// A hold set by a test (see [`crate::SandboxHandle::hold`]). Dropping it releases the call.
pub struct Hold {
    reached: Option<oneshot::Receiver<()>>,
    release: Option<oneshot::Sender<()>>,
}

impl Hold {
    /// Waits until a call of the operation is held.
    pub async fn reached(&mut self) {
        if let Some(reached) = self.reached.take() {
            // A dropped sender means the sandbox went away: nothing will be held.
            let _ = reached.await;
        }
    }

    /// Lets the held call go on (its answer goes to whoever is still listening).
    pub fn release(mut self) {
        if let Some(release) = self.release.take() {
            let _ = release.send(());
        }
    }
}

impl Holds {
    pub(crate) fn arm(&self, operation: &str, at: HoldAt) -> Hold {
        let (reached_tx, reached_rx) = oneshot::channel();
        let (release_tx, release_rx) = oneshot::channel();
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(
            operation.to_owned(),
            Slot {
                at,
                reached: reached_tx,
                release: release_rx,
            },
        );
        Hold {
            reached: Some(reached_rx),
            release: Some(release_tx),
        }
    }

    /// Holds the call here if a hold of `operation` at `at` is armed (once).
    pub(crate) async fn wait(&self, operation: Option<&str>, at: HoldAt) {
        let Some(operation) = operation else { return };
        let slot = {
            let mut holds = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            match holds.get(operation) {
                Some(slot) if slot.at == at => holds.remove(operation),
                _ => None,
            }
        };
        if let Some(slot) = slot {
            let _ = slot.reached.send(());
            // Released, or the hold dropped: either way the call goes on.
            let _ = slot.release.await;
        }
    }
}
