//! What the engine's tasks share: the profiles and their clients, the store, the clock, the
//! notifier, the event channel and the per-key locks. The saga and the poller run on a [`Shared`];
//! the [`Engine`](crate::Engine) owns it and the tasks, so neither task module knows the engine.

use crate::archive::ArchiveWriter;
use crate::clock::{unix_ms, Clock};
use crate::config::EngineConfig;
use crate::error::{EngineError, EngineErrorKind};
use crate::events::{EngineEvent, Notifier};
use crate::store::{EngineStore, Event, LocalId};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use time::OffsetDateTime;
use tokio::sync::{broadcast, Notify};

/// An async lock on one (profile, key) pair.
type KeyLock = Arc<tokio::sync::Mutex<()>>;

#[derive(Clone)]
pub(crate) struct Profile {
    pub(crate) client: iosign::Client,
    pub(crate) wake: Arc<Notify>,
    /// One sync pass at a time per profile (poller and "sync now" share it).
    pub(crate) sync_lock: Arc<tokio::sync::Mutex<()>>,
    /// The trust anchors its signed documents are verified against (empty: trust not checked).
    pub(crate) trust_anchors: Arc<Vec<Vec<u8>>>,
    /// The trusted lists' anchors, when the profile follows them (see [`crate::ProfileOptions`]).
    pub(crate) trusted_lists: Option<firmadesk_verify::trusted_list::SharedAnchors>,
}

impl Profile {
    /// The anchors its documents are verified against now, with the periods of those from trusted lists.
    pub(crate) fn trust(&self) -> (Vec<Vec<u8>>, Vec<firmadesk_verify::trusted_list::ListedAnchor>) {
        match self
            .trusted_lists
            .as_ref()
            .map(firmadesk_verify::trusted_list::SharedAnchors::get)
        {
            Some(listed) if !listed.is_empty() => (listed.iter().map(|a| a.certificate.clone()).collect(), listed),
            _ => (self.trust_anchors.to_vec(), Vec::new()),
        }
    }
}

pub(crate) struct Shared {
    pub(crate) config: EngineConfig,
    pub(crate) store: Arc<dyn EngineStore>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) notifier: Arc<dyn Notifier>,
    pub(crate) writer: Arc<dyn ArchiveWriter>,
    pub(crate) events: broadcast::Sender<EngineEvent>,
    pub(crate) profiles: RwLock<HashMap<String, Profile>>,
    /// Serialises work on one (profile, key): creating a document type's dossier, and creating
    /// or adopting a request in a dossier, so two sends never race into duplicates.
    pub(crate) locks: Mutex<HashMap<(String, String), KeyLock>>,
    /// Wakes queued sends ("the network is back").
    pub(crate) wake: Notify,
    /// Bumped by every wake-up, so a send that queued just before one does not miss it.
    pub(crate) wake_gen: std::sync::atomic::AtomicU64,
    /// Last publish per profile, for fast polling.
    pub(crate) last_publish: Mutex<HashMap<String, OffsetDateTime>>,
    /// Root of the archive; starts as `config.archive_dir`, the clerk may move it.
    pub(crate) archive_dir: RwLock<PathBuf>,
    /// True while the clerk paused sync: pollers run no pass until it turns false again.
    pub(crate) sync_paused: tokio::sync::watch::Sender<bool>,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Shared {
    pub(crate) fn emit(&self, event: EngineEvent) {
        // No subscriber is fine: the UI may not be open.
        let _ = self.events.send(event);
    }

    pub(crate) fn profile(&self, profile_id: &str) -> Result<Profile, EngineError> {
        self.profiles
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(profile_id)
            .cloned()
            .ok_or_else(|| {
                EngineError::new(
                    EngineErrorKind::NotFound,
                    "Profilo non configurato: accedere di nuovo o controllare la chiave API.",
                )
                .with_detail(format!("unknown profile {profile_id}"))
            })
    }

    pub(crate) fn key_lock(&self, a: &str, b: &str) -> KeyLock {
        lock(&self.locks)
            .entry((a.to_owned(), b.to_owned()))
            .or_default()
            .clone()
    }

    /// Appends to the timeline of request `request` (its local id). `code` and `args` are what the desk
    /// words the entry from; `text` is the Italian record kept with it.
    pub(crate) async fn timeline(
        &self,
        request: &LocalId,
        actor: &str,
        code: String,
        args: &[(&str, &str)],
        text: String,
    ) {
        let args = args.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        let ev = Event {
            request_id: request.clone(),
            at: unix_ms(self.clock.now()),
            actor: actor.to_owned(),
            code,
            text,
            detail_json: Event::detail_of_args(&args),
        };
        self.record(&ev).await;
    }

    /// Appends a timeline entry made elsewhere; a store that refuses it is logged (the step it tells of is
    /// done either way).
    pub(crate) async fn record(&self, ev: &Event) {
        if let Err(e) = self.store.record_event(ev).await {
            tracing::warn!(target: "firmadesk_engine", error = %e.detail, "cannot record a timeline event");
        }
    }

    /// The archive root in use.
    pub(crate) fn archive_dir(&self) -> PathBuf {
        self.archive_dir
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Records a publish and wakes the profile's poller, which may be in its slow pause: it runs a
    /// pass and switches to the fast cadence at once, so a citizen signing at the counter right
    /// away is seen within `fast_poll`, not `slow_poll`. (Wake-ups coalesce: a burst of publishes
    /// costs one pass.)
    pub(crate) fn note_publish(&self, profile_id: &str) {
        lock(&self.last_publish).insert(profile_id.to_owned(), self.clock.now());
        if let Ok(profile) = self.profile(profile_id) {
            profile.wake.notify_one();
        }
    }
}
