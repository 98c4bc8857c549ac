//! The [`Engine`]: what the Tauri shell holds. Profiles, submitted sends, the poller, events.

use crate::archive::{ArchiveWriter, FsArchiveWriter};
use crate::clock::{Clock, SystemClock};
use crate::error::{EngineError, EngineErrorKind};
use crate::events::{EngineEvent, Notifier, RecordingNotifier};
use crate::store::{EngineStore, LocalRequest, SendRecord, SendSpec, SendStep, TimelineEvent};
use crate::sync::SyncReport;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::{broadcast, Notify};
use tokio::task::{AbortHandle, JoinHandle};

/// Where a crash can be simulated (see [`EngineConfig::crash_hook`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CrashPoint {
    /// Right after the step that just finished was persisted (the record holds the next step).
    AfterStep(SendStep),
    /// `create_attempted_at` was saved and `POST /signature-requests` is about to be sent.
    BeforeCreateCall,
    /// `POST /signature-requests` answered, before its answer was saved: the request exists on
    /// IO and nothing here knows its id ("response lost").
    CreateResponseLost,
    /// An upload URL was obtained, the PDF not yet sent (a crash mid-upload looks the same).
    UploadUrlFetched,
    /// `PUT /notification` answered, before that was saved.
    NotifyResponseLost,
}

/// A test hook: returns `true` to stop the saga at that point as if the process died there.
pub type CrashHook = Arc<dyn Fn(CrashPoint, &SendRecord) -> bool + Send + Sync>;

/// Tuning of the engine. Defaults suit the live service.
#[derive(Clone)]
#[non_exhaustive]
pub struct EngineConfig {
    /// Root of the archive of signed PDFs.
    pub archive_dir: PathBuf,
    /// First delay of a queued send; doubles up to [`retry_max`](Self::retry_max).
    pub retry_initial: Duration,
    /// Longest delay between attempts of a queued send.
    pub retry_max: Duration,
    /// Poll interval while documents are being validated and while READY becomes
    /// WAIT_FOR_SIGNATURE (the reference suggests 2–5 s).
    pub step_poll: Duration,
    /// Sync interval right after a publish (for [`fast_window`](Self::fast_window)).
    pub fast_poll: Duration,
    /// How long after a publish the poller stays fast.
    pub fast_window: Duration,
    /// Sync interval otherwise.
    pub slow_poll: Duration,
    /// Run a poller per profile (off in tests that drive [`Engine::sync_now`] themselves).
    pub auto_sync: bool,
    /// Concurrent detail fetches and downloads in a sync pass (the rate limiter paces them).
    pub detail_concurrency: usize,
    /// Concurrent dossier listings in a sync pass.
    pub list_concurrency: usize,
    /// Tolerance when adopting a request whose create had an unknown outcome: between the
    /// service's `Date` at the attempt (one-second resolution, from its gateway) and the
    /// `created_at` of its backend. This machine's clock plays no part.
    pub clock_skew: Duration,
    /// Fault injection for tests: stop a saga at a [`CrashPoint`].
    pub crash_hook: Option<CrashHook>,
}

impl EngineConfig {
    /// Defaults with the archive at `archive_dir`.
    pub fn new(archive_dir: impl Into<PathBuf>) -> Self {
        Self {
            archive_dir: archive_dir.into(),
            retry_initial: Duration::from_secs(2),
            retry_max: Duration::from_secs(300),
            step_poll: Duration::from_secs(2),
            fast_poll: Duration::from_secs(5),
            fast_window: Duration::from_secs(120),
            slow_poll: Duration::from_secs(60),
            auto_sync: true,
            detail_concurrency: 8,
            list_concurrency: 4,
            clock_skew: Duration::from_secs(300),
            crash_hook: None,
        }
    }
}

impl std::fmt::Debug for EngineConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EngineConfig")
            .field("archive_dir", &self.archive_dir)
            .field("retry_initial", &self.retry_initial)
            .field("retry_max", &self.retry_max)
            .field("step_poll", &self.step_poll)
            .field("fast_poll", &self.fast_poll)
            .field("slow_poll", &self.slow_poll)
            .field("auto_sync", &self.auto_sync)
            .finish_non_exhaustive()
    }
}

/// An async lock on one (profile, key) pair.
type KeyLock = Arc<tokio::sync::Mutex<()>>;

#[derive(Clone)]
pub(crate) struct Profile {
    pub(crate) client: iosign::Client,
    pub(crate) wake: Arc<Notify>,
    /// One sync pass at a time per profile (poller and "sync now" share it).
    pub(crate) sync_lock: Arc<tokio::sync::Mutex<()>>,
}

pub(crate) struct Shared {
    pub(crate) config: EngineConfig,
    pub(crate) store: Arc<dyn EngineStore>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) notifier: Arc<dyn Notifier>,
    pub(crate) writer: Arc<dyn ArchiveWriter>,
    pub(crate) events: broadcast::Sender<EngineEvent>,
    profiles: RwLock<HashMap<String, Profile>>,
    /// Serialises work on one (profile, key): creating a document type's dossier, and creating
    /// or adopting a request in a dossier, so two sends never race into duplicates.
    locks: Mutex<HashMap<(String, String), KeyLock>>,
    /// Wakes queued sends ("the network is back").
    pub(crate) wake: Notify,
    /// Bumped by every wake-up, so a send that queued just before one does not miss it.
    pub(crate) wake_gen: std::sync::atomic::AtomicU64,
    running: Mutex<HashMap<String, JoinHandle<()>>>,
    /// Pollers by profile.
    background: Mutex<HashMap<String, AbortHandle>>,
    /// Last publish per profile, for fast polling.
    pub(crate) last_publish: Mutex<HashMap<String, OffsetDateTime>>,
    /// Root of the archive; starts as `config.archive_dir`, the clerk may move it.
    archive_dir: RwLock<PathBuf>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
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

    pub(crate) fn timeline(
        &self,
        send_id: Option<&str>,
        request_id: Option<&str>,
        actor: &str,
        code: String,
        args: &[(&str, &str)],
        text: String,
    ) {
        let ev = TimelineEvent {
            send_id: send_id.map(str::to_owned),
            request_id: request_id.map(str::to_owned),
            at: self.clock.now(),
            actor: actor.to_owned(),
            code,
            args: args.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
            text,
        };
        if let Err(e) = self.store.record_event(&ev) {
            tracing::warn!(target: "firmadesk_engine", error = %e.detail, "cannot record a timeline event");
        }
    }

    /// Records a publish and wakes the profile's poller, which may be in its slow pause: it runs a
    /// pass and switches to the fast cadence at once, so a citizen signing at the counter right
    /// away is seen within `fast_poll`, not `slow_poll`. (Wake-ups coalesce: a burst of publishes
    /// costs one pass.)
    /// The archive root in use.
    pub(crate) fn archive_dir(&self) -> PathBuf {
        self.archive_dir
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    pub(crate) fn note_publish(&self, profile_id: &str) {
        lock(&self.last_publish).insert(profile_id.to_owned(), self.clock.now());
        if let Ok(profile) = self.profile(profile_id) {
            profile.wake.notify_one();
        }
    }

    /// Starts the saga task of a send. `after_previous`: a resubmission, whose previous task may
    /// still be finishing (it saved its last state and is returning): the new task waits for it,
    /// so one send never has two tasks. Otherwise (resume) a running task is left alone.
    fn spawn_send(self: &Arc<Self>, send_id: String, after_previous: bool) {
        let mut running = lock(&self.running);
        running.retain(|_, h| !h.is_finished());
        let previous = match running.remove(&send_id) {
            Some(h) if !after_previous => {
                running.insert(send_id, h);
                return;
            }
            other => other,
        };
        let shared = self.clone();
        let id = send_id.clone();
        let handle = tokio::spawn(async move {
            if let Some(previous) = previous {
                let _ = previous.await;
            }
            crate::saga::run(shared, id).await;
        });
        running.insert(send_id, handle);
    }
}

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
                running: Mutex::new(HashMap::new()),
                background: Mutex::new(HashMap::new()),
                last_publish: Mutex::new(HashMap::new()),
            }),
        }
    }
}

/// The workflows of FirmaDesk. Dropping it stops every task (sends resume at the next start).
pub struct Engine {
    shared: Arc<Shared>,
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
    pub fn add_profile(&self, profile_id: impl Into<String>, client: iosign::Client) -> Result<(), EngineError> {
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
        for send in self.shared.store.unfinished_sends()? {
            if send.spec.profile_id == profile_id {
                self.shared.spawn_send(send.send_id, false);
            }
        }
        if self.shared.config.auto_sync {
            let shared = self.shared.clone();
            let handle = tokio::spawn(crate::sync::poller(shared, profile_id.clone(), profile)).abort_handle();
            // Added again (new key): the old poller and its client go.
            if let Some(old) = lock(&self.shared.background).insert(profile_id, handle) {
                old.abort();
            }
        }
        Ok(())
    }

    /// Queues a send ("Richiedi firma"): saved at once, then run in the background. `send_id`
    /// is the draft's local id; submitting the same id again is refused while it runs.
    pub fn submit(&self, send_id: impl Into<String>, spec: SendSpec) -> Result<(), EngineError> {
        let send_id = send_id.into();
        check_spec(&spec)?;
        self.shared.profile(&spec.profile_id)?;
        if let Some(existing) = self.shared.store.send(&send_id)? {
            if existing.step != SendStep::Failed && existing.step != SendStep::NeedsEdit {
                return Err(EngineError::new(
                    EngineErrorKind::NotAllowed,
                    "Questa richiesta è già stata inviata.",
                ));
            }
        }
        let record = SendRecord::new(send_id.clone(), spec, self.shared.clock.now());
        self.shared.store.save_send(&record)?;
        self.shared.spawn_send(send_id, true);
        Ok(())
    }

    /// Resubmits a send that stopped ([`SendStep::NeedsEdit`] after a rejected document, or
    /// [`SendStep::Failed`]) with the clerk's corrections. When the documents' titles and fields
    /// are unchanged and the IO request is still a DRAFT, only the documents are uploaded again
    /// (the same request is kept); otherwise a new request is created.
    pub fn resubmit(&self, send_id: &str, spec: SendSpec) -> Result<(), EngineError> {
        check_spec(&spec)?;
        let mut record = self.shared.store.send(send_id)?.ok_or_else(|| {
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
                    .request(&record.spec.profile_id, id)?
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
        self.shared.store.save_send(&record)?;
        self.shared.spawn_send(send_id.to_owned(), true);
        Ok(())
    }

    /// The saved state of a send.
    pub fn send(&self, send_id: &str) -> Result<Option<SendRecord>, EngineError> {
        self.shared.store.send(send_id)
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
    pub async fn cancel(&self, profile_id: &str, request_id: &str) -> Result<LocalRequest, EngineError> {
        crate::sync::cancel(&self.shared, profile_id, request_id).await
    }

    /// Stops every task. Sends resume from their saved step at the next start.
    pub fn shutdown(&self) {
        for (_, h) in lock(&self.shared.running).drain() {
            h.abort();
        }
        for (_, h) in lock(&self.shared.background).drain() {
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
