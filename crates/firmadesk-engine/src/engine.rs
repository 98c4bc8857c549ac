//! The [`Engine`]: what the Tauri shell holds. Profiles, submitted sends, the poller, events.

use crate::archive::{ArchiveWriter, FsArchiveWriter};
use crate::clock::{Clock, SystemClock};
use crate::config::EngineConfig;
use crate::error::{EngineError, EngineErrorKind};
use crate::events::{EngineEvent, Notifier, RecordingNotifier};
use crate::runtime::{lock, Profile, Shared};
use crate::store::{EngineStore, IoRequestId, LocalId, LocalRequest, SendRecord, SendSpec, SendStep};
use crate::sync::SyncReport;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::{broadcast, Notify};
use tokio::task::{AbortHandle, JoinHandle};

/// Builder of an [`Engine`].
#[must_use]
pub struct EngineBuilder {
    config: EngineConfig,
    store: Arc<dyn EngineStore>,
    clock: Arc<dyn Clock>,
    notifier: Arc<dyn Notifier>,
    writer: Arc<dyn ArchiveWriter>,
}

impl EngineBuilder {
    /// Injects the clock (time, sleeps, jitter). Default [`SystemClock`].
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Where notifications go. Default: a [`RecordingNotifier`] nobody reads.
    pub fn notifier(mut self, notifier: Arc<dyn Notifier>) -> Self {
        self.notifier = notifier;
        self
    }

    /// How archive files are written. Default [`FsArchiveWriter`].
    pub fn archive_writer(mut self, writer: Arc<dyn ArchiveWriter>) -> Self {
        self.writer = writer;
        self
    }

    /// Builds the engine (must run inside a tokio runtime). Sends resume when their profile is
    /// added with [`Engine::add_profile`].
    pub fn build(self) -> Engine {
        let (events, _) = broadcast::channel(4096);
        Engine {
            shared: Arc::new(Shared {
                archive_dir: RwLock::new(self.config.archive_dir.clone()),
                config: self.config,
                store: self.store,
                clock: self.clock,
                notifier: self.notifier,
                writer: self.writer,
                events,
                profiles: RwLock::new(HashMap::new()),
                locks: Mutex::new(HashMap::new()),
                wake: Notify::new(),
                wake_gen: std::sync::atomic::AtomicU64::new(0),
                last_publish: Mutex::new(HashMap::new()),
            }),
            running: Mutex::new(HashMap::new()),
            background: Mutex::new(HashMap::new()),
        }
    }
}

/// The workflows of FirmaDesk. Dropping it stops every task (sends resume at the next start).
pub struct Engine {
    shared: Arc<Shared>,
    /// Saga tasks by send.
    running: Mutex<HashMap<LocalId, JoinHandle<()>>>,
    /// Pollers by profile.
    background: Mutex<HashMap<String, AbortHandle>>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("config", &self.shared.config)
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// Starts building an engine on `store`.
    pub fn builder(config: EngineConfig, store: Arc<dyn EngineStore>) -> EngineBuilder {
        EngineBuilder {
            config,
            store,
            clock: Arc::new(SystemClock),
            notifier: Arc::new(RecordingNotifier::new()),
            writer: Arc::new(FsArchiveWriter),
        }
    }

    /// Events for the UI (steps, progress, queue, status changes, archive).
    pub fn subscribe(&self) -> broadcast::Receiver<EngineEvent> {
        self.shared.events.subscribe()
    }

    /// Registers a profile with its client (one client per API key: its rate limiter is the
    /// key's budget, shared by sends and poller), resumes the profile's unfinished sends and,
    /// with [`EngineConfig::auto_sync`], starts its poller.
    pub async fn add_profile(&self, profile_id: impl Into<String>, client: iosign::Client) -> Result<(), EngineError> {
        let profile_id = profile_id.into();
        let profile = Profile {
            client,
            wake: Arc::new(Notify::new()),
            sync_lock: Arc::new(tokio::sync::Mutex::new(())),
        };
        self.shared
            .profiles
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(profile_id.clone(), profile.clone());
        for send in self.shared.store.unfinished_sends().await? {
            if send.spec.profile_id == profile_id {
                self.spawn_send(send.send_id, false);
            }
        }
        if self.shared.config.auto_sync {
            let shared = self.shared.clone();
            let handle = tokio::spawn(crate::sync::poller(shared, profile_id.clone(), profile)).abort_handle();
            // Added again (new key): the old poller and its client go.
            if let Some(old) = lock(&self.background).insert(profile_id, handle) {
                old.abort();
            }
        }
        Ok(())
    }

    /// Queues a send ("Richiedi firma"): saved at once, then run in the background. `send_id`
    /// is the draft's local id; submitting the same id again is refused while it runs.
    pub async fn submit(&self, send_id: impl Into<LocalId>, spec: SendSpec) -> Result<(), EngineError> {
        let send_id = send_id.into();
        check_spec(&spec)?;
        self.shared.profile(&spec.profile_id)?;
        if let Some(existing) = self.shared.store.send(&send_id).await? {
            if existing.step != SendStep::Failed && existing.step != SendStep::NeedsEdit {
                return Err(EngineError::new(
                    EngineErrorKind::NotAllowed,
                    "Questa richiesta è già stata inviata.",
                ));
            }
        }
        let record = SendRecord::new(send_id.clone(), spec, self.shared.clock.now());
        self.shared.store.save_send(&record).await?;
        self.spawn_send(send_id, true);
        Ok(())
    }

    /// Resubmits a send that stopped ([`SendStep::NeedsEdit`] after a rejected document, or
    /// [`SendStep::Failed`]) with the clerk's corrections. When the documents' titles and fields
    /// are unchanged and the IO request is still a DRAFT, only the documents are uploaded again
    /// (the same request is kept); otherwise a new request is created.
    pub async fn resubmit(&self, send_id: &LocalId, spec: SendSpec) -> Result<(), EngineError> {
        check_spec(&spec)?;
        let mut record = self.shared.store.send(send_id).await?.ok_or_else(|| {
            EngineError::new(EngineErrorKind::NotFound, "Richiesta non trovata.").with_detail(format!("send {send_id}"))
        })?;
        if record.step.is_unfinished() || record.step == SendStep::Waiting {
            return Err(EngineError::new(
                EngineErrorKind::NotAllowed,
                "La richiesta è già in corso di invio: non può essere modificata ora.",
            ));
        }
        let same_shape = record.spec.documents.len() == spec.documents.len()
            && record
                .spec
                .documents
                .iter()
                .zip(&spec.documents)
                .all(|(a, b)| a.metadata == b.metadata)
            && record.spec.signer == spec.signer
            && record.spec.document_type == spec.document_type;
        if record.request_id.is_some() && same_shape {
            // Upload re-reads the request and skips what is done (a published request goes
            // straight to the message step, e.g. to switch to QR only).
            record.step = SendStep::Upload;
        } else {
            if let Some(id) = &record.request_id {
                let published = self
                    .shared
                    .store
                    .request(&record.spec.profile_id, id)
                    .await?
                    .is_some_and(|r| r.status != iosign::SignatureRequestStatus::Draft);
                if published {
                    // A second request would leave the first one signable.
                    return Err(EngineError::new(
                        EngineErrorKind::NotAllowed,
                        "La richiesta è già pubblicata su IO: annullarla prima di inviarne una diversa.",
                    ));
                }
            }
            // The old DRAFT stays on IO, unused: drafts cannot be cancelled and never bother
            // the citizen.
            record.request_id = None;
            record.create_attempted_at = None;
            record.notify_attempted = false;
            record.step = SendStep::EnsureDossier;
        }
        record.spec = spec;
        record.attempts = 0;
        record.next_attempt_at = None;
        record.last_error = None;
        record.last_error_kind = None;
        record.updated_at = self.shared.clock.now();
        self.shared.store.save_send(&record).await?;
        self.spawn_send(send_id.clone(), true);
        Ok(())
    }

    /// The saved state of a send.
    pub async fn send(&self, send_id: &LocalId) -> Result<Option<SendRecord>, EngineError> {
        self.shared.store.send(send_id).await
    }

    /// Queued sends try again now (e.g. the OS reports the network is back).
    pub fn retry_now(&self) {
        self.shared.wake_gen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.shared.wake.notify_waiters();
    }

    /// Runs one sync pass of `profile_id` now and returns its cost.
    pub async fn sync_now(&self, profile_id: &str) -> Result<SyncReport, EngineError> {
        let profile = self.shared.profile(profile_id)?;
        crate::sync::pass(&self.shared, profile_id, &profile).await
    }

    /// Wakes the profile's poller for an early pass (returns at once).
    pub fn poke_poller(&self, profile_id: &str) -> Result<(), EngineError> {
        self.shared.profile(profile_id)?.wake.notify_one();
        Ok(())
    }

    /// Moves the archive: signed documents archived from now on go under `dir` (files already
    /// archived stay where they are, and their recorded paths stay true).
    pub fn set_archive_dir(&self, dir: impl Into<PathBuf>) {
        *self
            .shared
            .archive_dir
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = dir.into();
    }

    /// The archive root in use.
    pub fn archive_dir(&self) -> PathBuf {
        self.shared.archive_dir()
    }

    /// Cancels a request waiting for the citizen's signature (only from WAIT_FOR_SIGNATURE).
    pub async fn cancel(&self, profile_id: &str, request_id: &IoRequestId) -> Result<LocalRequest, EngineError> {
        crate::sync::cancel(&self.shared, profile_id, request_id).await
    }

    /// Starts the saga task of a send. `after_previous`: a resubmission, whose previous task may
    /// still be finishing (it saved its last state and is returning): the new task waits for it,
    /// so one send never has two tasks. Otherwise (resume) a running task is left alone.
    fn spawn_send(&self, send_id: LocalId, after_previous: bool) {
        let mut running = lock(&self.running);
        running.retain(|_, h| !h.is_finished());
        let previous = match running.remove(&send_id) {
            Some(h) if !after_previous => {
                running.insert(send_id, h);
                return;
            }
            other => other,
        };
        let shared = self.shared.clone();
        let id = send_id.clone();
        let handle = tokio::spawn(async move {
            if let Some(previous) = previous {
                let _ = previous.await;
            }
            crate::saga::run(shared, id).await;
        });
        running.insert(send_id, handle);
    }

    /// Stops every task. Sends resume from their saved step at the next start.
    pub fn shutdown(&self) {
        for (_, h) in lock(&self.running).drain() {
            h.abort();
        }
        for (_, h) in lock(&self.background).drain() {
            h.abort();
        }
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn check_spec(spec: &SendSpec) -> Result<(), EngineError> {
    let invalid = |m: &str| EngineError::new(EngineErrorKind::Refused, m);
    if spec.documents.is_empty() {
        return Err(invalid("Aggiungere almeno un documento PDF."));
    }
    for d in &spec.documents {
        match std::fs::metadata(&d.path) {
            Ok(m) if m.is_file() && m.len() > 0 => {}
            _ => {
                return Err(invalid(&format!(
                    "Il documento «{}» non è leggibile: aggiungerlo di nuovo.",
                    d.metadata.title
                )))
            }
        }
    }
    Ok(())
}
