//! The [`Engine`]: what the Tauri shell holds. Profiles, submitted sends, the poller, events.

use crate::archive::{ArchiveWriter, FsArchiveWriter};
use crate::clock::unix_ms;
use crate::clock::{Clock, SystemClock};
use crate::config::EngineConfig;
use crate::error::{EngineError, EngineErrorKind};
use crate::events::{EngineEvent, Notifier, RecordingNotifier};
use crate::runtime::{lock, Profile, Shared};
use crate::store::{EngineStore, IoRequestId, Lease, LocalId, LocalRequest, SendRecord, SendSpec, SendStep};
use crate::sync::SyncReport;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::{broadcast, Notify};
use tokio::task::{AbortHandle, JoinHandle};

/// How a profile is registered ([`Engine::add_profile_with`]).
#[derive(Clone, Debug, Default)]
pub struct ProfileOptions {
    /// Trust anchors (DER certificates) every signed document of the profile is verified against when it is
    /// archived: the sandbox's test root for Modalità prova, none (trust not checked) until trusted lists
    /// come for the body's own profiles. Never a mix of both.
    pub trust_anchors: Vec<Vec<u8>>,
    /// The EU trusted lists' anchors, kept current by the desk (issue #14): when they hold any, the profile's
    /// documents are verified against them and the periods their services were granted, instead of
    /// `trust_anchors`. For the body's own profiles; never the sandbox's.
    pub trusted_lists: Option<firmadesk_verify::trusted_list::SharedAnchors>,
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
                last_publish: Mutex::new(HashMap::new()),
                sync_paused: tokio::sync::watch::Sender::new(false),
            }),
            tasks: Arc::new(Tasks::default()),
        }
    }
}

/// The engine's tasks, shared with the lease keepers that start and stop a key's work.
#[derive(Default)]
struct Tasks {
    /// Saga tasks by send, with the profile they work for.
    running: Mutex<HashMap<LocalId, (String, JoinHandle<()>)>>,
    /// Pollers by profile.
    pollers: Mutex<HashMap<String, AbortHandle>>,
    /// Lease keepers by profile.
    keepers: Mutex<HashMap<String, AbortHandle>>,
    /// The leases this engine holds: the keys it is the worker for.
    held: Mutex<HashMap<String, Lease>>,
}

/// The workflows of FirmaDesk. Dropping it stops every task (sends resume at the next start).
///
/// One worker per API key: a profile's sends and its poller run only in the process that holds the key's
/// lease in the store ([`EngineConfig::worker_name`]). The others save what their clerks send in the
/// shared outbox, where the worker picks it up as the store's change feed announces it (or at its next
/// round, [`EngineConfig::lease_renew`]); when the
/// worker stops renewing, another takes over once the lease has run out and resumes the half-done sends
/// from their saved steps. On the desk's own file the desk is always the worker.
pub struct Engine {
    shared: Arc<Shared>,
    tasks: Arc<Tasks>,
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
    /// key's budget, shared by sends and poller) and asks for the key's lease: while this process
    /// holds it, it resumes the profile's unfinished sends and, with [`EngineConfig::auto_sync`],
    /// runs its poller; a keeper renews the lease (or asks again) every [`EngineConfig::lease_renew`].
    pub async fn add_profile(&self, profile_id: impl Into<String>, client: iosign::Client) -> Result<(), EngineError> {
        self.add_profile_with(profile_id, client, ProfileOptions::default())
            .await
    }

    /// [`Engine::add_profile`] with options: the trust anchors its signed documents are verified against.
    pub async fn add_profile_with(
        &self,
        profile_id: impl Into<String>,
        client: iosign::Client,
        options: ProfileOptions,
    ) -> Result<(), EngineError> {
        let profile_id = profile_id.into();
        let profile = Profile {
            client,
            wake: Arc::new(Notify::new()),
            sync_lock: Arc::new(tokio::sync::Mutex::new(())),
            trust_anchors: Arc::new(options.trust_anchors),
            trusted_lists: options.trusted_lists,
        };
        self.shared
            .profiles
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(profile_id.clone(), profile.clone());
        // Added again (new key): its keeper and poller start over with the new client.
        if let Some(old) = lock(&self.tasks.keepers).remove(&profile_id) {
            old.abort();
        }
        if let Some(old) = lock(&self.tasks.pollers).remove(&profile_id) {
            old.abort();
        }
        lock(&self.tasks.held).remove(&profile_id);
        // The first round here, so a desk on its own file is the worker when this returns.
        lease_round(&self.shared, &self.tasks, &profile_id, &profile).await;
        let keeper = tokio::spawn(keep_lease(
            self.shared.clone(),
            self.tasks.clone(),
            profile_id.clone(),
            profile,
        ));
        lock(&self.tasks.keepers).insert(profile_id, keeper.abort_handle());
        Ok(())
    }

    /// Whether this process is the worker for `profile_id`'s key now.
    pub fn is_worker(&self, profile_id: &str) -> bool {
        lock(&self.tasks.held).contains_key(profile_id)
    }

    /// Queues a send ("Richiedi firma"): saved at once, then run in the background. `send_id`
    /// is the draft's local id; submitting the same id again is refused while it runs.
    pub async fn submit(&self, send_id: impl Into<LocalId>, spec: SendSpec) -> Result<(), EngineError> {
        let send_id = send_id.into();
        check_spec(&spec)?;
        // A desk without the key queues the send for the key's worker; on its own store it needs
        // the key itself.
        if !self.shared.store.shares_outbox() {
            self.shared.profile(&spec.profile_id)?;
        }
        if let Some(existing) = self.shared.store.send(&send_id).await? {
            if existing.step != SendStep::Failed && existing.step != SendStep::NeedsEdit {
                return Err(EngineError::new(
                    EngineErrorKind::NotAllowed,
                    "Questa richiesta è già stata inviata.",
                ));
            }
        }
        let mut spec = spec;
        keep_documents(&self.shared, &mut spec).await?;
        let profile_id = spec.profile_id.clone();
        let record = SendRecord::new(send_id.clone(), spec, self.shared.clock.now());
        self.shared.store.save_send(&record).await?;
        // Saved in the outbox: here if this process is the key's worker, else by the worker.
        if self.is_worker(&profile_id) {
            spawn_send(&self.shared, &self.tasks, send_id, profile_id, true);
        }
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
        let mut spec = spec;
        keep_documents(&self.shared, &mut spec).await?;
        record.spec = spec;
        self.restart_send(record, true).await
    }

    /// Saves `record` at its (new) step with a clean slate of attempts and starts it here if this process
    /// is its key's worker (else the worker picks it up from the outbox). `after_previous`: see
    /// `spawn_send`.
    async fn restart_send(&self, mut record: SendRecord, after_previous: bool) -> Result<(), EngineError> {
        record.attempts = 0;
        record.next_attempt_at = None;
        record.last_error = None;
        record.last_error_kind = None;
        record.updated_at = self.shared.clock.now();
        self.shared.store.save_send(&record).await?;
        let profile_id = record.spec.profile_id.clone();
        if self.is_worker(&profile_id) {
            spawn_send(
                &self.shared,
                &self.tasks,
                record.send_id.clone(),
                profile_id,
                after_previous,
            );
        }
        Ok(())
    }

    /// The saved state of a send.
    pub async fn send(&self, send_id: &LocalId) -> Result<Option<SendRecord>, EngineError> {
        self.shared.store.send(send_id).await
    }

    /// How many unfinished sends this process works on (the profiles it is the worker for): what a quit
    /// now would leave to the next start.
    pub async fn unfinished_here(&self) -> Result<usize, EngineError> {
        let sends = self.shared.store.unfinished_sends().await?;
        Ok(sends.iter().filter(|s| self.is_worker(&s.spec.profile_id)).count())
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

    /// Pauses polling for every profile (the tray's "Sospendi sincronizzazione"): a pass under way ends,
    /// then each poller waits (announcing [`EngineEvent::SyncPaused`]) until [`Engine::resume_sync`].
    /// Sends, and an explicit [`Engine::sync_now`], still run.
    pub fn pause_sync(&self) {
        self.shared.sync_paused.send_replace(true);
    }

    /// Resumes polling: every poller runs a pass at once (what changed while paused is caught up now,
    /// not after the slow pause).
    pub fn resume_sync(&self) {
        self.shared.sync_paused.send_replace(false);
    }

    /// Whether polling is paused.
    pub fn sync_paused(&self) -> bool {
        *self.shared.sync_paused.borrow()
    }

    /// After the computer wakes from sleep or the network changes: every poller passes now (unless sync
    /// is paused) and queued sends try again now.
    pub fn catch_up(&self) {
        let profiles: Vec<Profile> = self
            .shared
            .profiles
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .values()
            .cloned()
            .collect();
        for profile in profiles {
            profile.wake.notify_one();
        }
        self.retry_now();
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

    /// Team mode, on a desk that is not the key's worker: asks the worker to cancel a request waiting for
    /// the citizen (saved in the shared outbox, which the worker follows); only the worker talks to IO Sign.
    pub async fn order_cancel(&self, send_id: &LocalId) -> Result<(), EngineError> {
        let mut record = self.shared.store.send(send_id).await?.ok_or_else(|| {
            EngineError::new(EngineErrorKind::NotFound, "Richiesta non trovata.").with_detail(format!("send {send_id}"))
        })?;
        if record.step == SendStep::Cancel {
            return Ok(());
        }
        if record.step.is_unfinished() && record.request_id.is_some() {
            // The worker's saga still owns the row (the IO message is going out): it would overwrite us.
            return Err(EngineError::new(
                EngineErrorKind::NotAllowed,
                "La richiesta è ancora in invio: riprovare l'annullamento tra qualche secondo.",
            ));
        }
        if record.step != SendStep::Waiting || record.request_id.is_none() {
            return Err(EngineError::new(
                EngineErrorKind::NotAllowed,
                "Si può annullare solo una richiesta in attesa di firma.",
            ));
        }
        record.step = SendStep::Cancel;
        self.restart_send(record, false).await
    }

    /// Stops every task. Sends resume from their saved step at the next start (or on the next worker).
    pub fn shutdown(&self) {
        for (_, h) in lock(&self.tasks.keepers).drain() {
            h.abort();
        }
        for (_, h) in lock(&self.tasks.pollers).drain() {
            h.abort();
        }
        for (_, (_, h)) in lock(&self.tasks.running).drain() {
            h.abort();
        }
        lock(&self.tasks.held).clear();
    }

    /// Stops every task and gives the leases up, so another process can be the worker at once (a
    /// clean quit; [`Engine::shutdown`] leaves them to run out).
    pub async fn stop(&self) {
        let held: Vec<Lease> = lock(&self.tasks.held).values().cloned().collect();
        self.shutdown();
        for lease in held {
            if let Err(e) = self.shared.store.release_lease(&lease).await {
                tracing::warn!(profile = %lease.profile_id, error = %e.detail, "lease not released: it will run out");
            }
        }
    }
}

/// Starts the saga task of a send. `after_previous`: a resubmission, whose previous task may still be
/// finishing (it saved its last state and is returning): the new task waits for it, so one send never has
/// two tasks. Otherwise (resume) a running task is left alone.
fn spawn_send(shared: &Arc<Shared>, tasks: &Tasks, send_id: LocalId, profile_id: String, after_previous: bool) {
    let mut running = lock(&tasks.running);
    running.retain(|_, (_, h)| !h.is_finished());
    let previous = match running.remove(&send_id) {
        Some(entry) if !after_previous => {
            running.insert(send_id, entry);
            return;
        }
        other => other.map(|(_, h)| h),
    };
    let shared = shared.clone();
    let id = send_id.clone();
    let handle = tokio::spawn(async move {
        if let Some(previous) = previous {
            let _ = previous.await;
        }
        crate::saga::run(shared, id).await;
    });
    running.insert(send_id, (profile_id, handle));
}

/// Renews (or asks for) a key's lease every [`EngineConfig::lease_renew`]; in between, while this
/// process is the key's worker, picks up a send another desk queues as soon as the feed announces it.
async fn keep_lease(shared: Arc<Shared>, tasks: Arc<Tasks>, profile_id: String, profile: Profile) {
    let mut changes = shared.store.changes();
    loop {
        let renew = shared.clock.sleep(shared.config.lease_renew);
        tokio::pin!(renew);
        loop {
            tokio::select! {
                () = &mut renew => break,
                () = outbox_changed(&mut changes) => {
                    if lock(&tasks.held).contains_key(&profile_id) {
                        pick_up_outbox(&shared, &tasks, &profile_id).await;
                    }
                }
            }
        }
        lease_round(&shared, &tasks, &profile_id, &profile).await;
    }
}

/// Completes when the feed announces a change to the outbox (or was interrupted: anything may have
/// changed); never without a feed.
async fn outbox_changed(changes: &mut Option<tokio::sync::broadcast::Receiver<firmadesk_store::Change>>) {
    use tokio::sync::broadcast::error::RecvError;
    loop {
        let Some(feed) = changes.as_mut() else {
            return std::future::pending().await;
        };
        match feed.recv().await {
            Ok(firmadesk_store::Change::Row { table, .. }) if table == "sends" => return,
            Ok(firmadesk_store::Change::Row { .. }) => {}
            Ok(firmadesk_store::Change::Resync) | Err(RecvError::Lagged(_)) => return,
            Err(RecvError::Closed) => *changes = None,
        }
    }
}

/// Starts a task for each unfinished send of the key (one already running is left alone).
async fn pick_up_outbox(shared: &Arc<Shared>, tasks: &Arc<Tasks>, profile_id: &str) {
    match shared.store.unfinished_sends().await {
        Ok(sends) => {
            for send in sends.into_iter().filter(|s| s.spec.profile_id == profile_id) {
                spawn_send(shared, tasks, send.send_id, profile_id.to_owned(), false);
            }
        }
        Err(e) => tracing::warn!(profile = profile_id, error = %e.detail, "outbox unreadable; next round"),
    }
}

/// One round of a key's lease: the holder renews it and picks up what desks left in the outbox; a
/// process that gets it starts the key's work; one that lost it (or cannot renew it before it runs out)
/// stops that work at once.
async fn lease_round(shared: &Arc<Shared>, tasks: &Arc<Tasks>, profile_id: &str, profile: &Profile) {
    let config = &shared.config;
    let now = unix_ms(shared.clock.now());
    let ttl = i64::try_from(config.lease_ttl.as_millis()).unwrap_or(i64::MAX);
    match shared.store.try_lease(profile_id, &config.worker_name, now, ttl).await {
        Ok(Some(lease)) => {
            let newly = lock(&tasks.held)
                .insert(profile_id.to_owned(), lease.clone())
                .is_none_or(|old| old.epoch != lease.epoch);
            if newly {
                tracing::info!(
                    profile = profile_id,
                    epoch = lease.epoch,
                    "this process is the key's worker"
                );
                shared.store.fence(profile_id, Some(lease));
                if config.auto_sync {
                    let poller = tokio::spawn(crate::sync::poller(
                        shared.clone(),
                        profile_id.to_owned(),
                        profile.clone(),
                    ));
                    if let Some(old) = lock(&tasks.pollers).insert(profile_id.to_owned(), poller.abort_handle()) {
                        old.abort();
                    }
                }
            }
            pick_up_outbox(shared, tasks, profile_id).await;
        }
        Ok(None) => {
            if lock(&tasks.held).remove(profile_id).is_some() {
                step_down(shared, tasks, profile_id);
            }
        }
        Err(e) => {
            tracing::warn!(profile = profile_id, error = %e.detail, "lease not renewed; next round");
            // Stop before the lease runs out: after that another process may be the worker.
            let renew = i64::try_from(config.lease_renew.as_millis()).unwrap_or(i64::MAX);
            let running_out = lock(&tasks.held)
                .get(profile_id)
                .is_some_and(|l| l.expires_at <= now.saturating_add(renew));
            if running_out && lock(&tasks.held).remove(profile_id).is_some() {
                step_down(shared, tasks, profile_id);
            }
        }
    }
}

/// Stops a key's work in this process: its poller and its sends (they resume from their saved steps on
/// whichever process is the worker next).
fn step_down(shared: &Arc<Shared>, tasks: &Tasks, profile_id: &str) {
    tracing::info!(
        profile = profile_id,
        "another process is the key's worker: this one stops its work"
    );
    if let Some(poller) = lock(&tasks.pollers).remove(profile_id) {
        poller.abort();
    }
    lock(&tasks.running).retain(|_, (profile, h)| {
        let mine = profile == profile_id;
        if mine {
            h.abort();
        }
        !mine
    });
    shared.store.fence(profile_id, None);
}

impl Drop for Engine {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// In a shared outbox, puts a queued send's PDFs into the store (each under its sha256, recorded in the
/// spec), so the key's worker reaches them wherever it runs. On a desk's own store the files stay put.
async fn keep_documents(shared: &Shared, spec: &mut SendSpec) -> Result<(), EngineError> {
    if !shared.store.shares_outbox() {
        return Ok(());
    }
    for doc in &mut spec.documents {
        let bytes = tokio::fs::read(&doc.path).await.map_err(|e| {
            EngineError::new(
                EngineErrorKind::Refused,
                format!(
                    "Il documento «{}» non è leggibile: aggiungerlo di nuovo.",
                    doc.metadata.title
                ),
            )
            .with_detail(e)
        })?;
        let sha256 = firmadesk_store::sha256_hex(&bytes);
        shared
            .store
            .put_file(&sha256, &bytes, unix_ms(shared.clock.now()))
            .await?;
        doc.sha256 = Some(sha256);
    }
    Ok(())
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
