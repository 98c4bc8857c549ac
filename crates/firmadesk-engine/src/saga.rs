//! The send saga: one task per send, each step saved before the next begins, transient failures
//! queued with backoff, non-idempotent calls reconciled instead of repeated.

use crate::clock::backoff;
use crate::config::CrashPoint;
use crate::error::{EngineError, EngineErrorKind};
use crate::events::{EngineEvent, Notification, NotificationKind};
use crate::runtime::{Profile, Shared};
use crate::store::{Delivery, Expiry, IoRequestId, LocalId, LocalRequest, SendRecord, SendStep};
use iosign::{
    ApiError, CreateDossierBody, CreateSignatureRequestBody, DocumentState, SetSignatureRequestStatusBody,
    SignatureRequestDetailView, SignatureRequestStatus, UploadSource,
};
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// What a step asks the runner to do next.
enum Flow {
    /// Save the record (its `step` was moved on) and continue.
    Next,
    /// The crash hook fired: stop here without saving anything more.
    Crash,
    /// Stop: the send needs the clerk (record already updated to NeedsEdit/Failed).
    Stop,
}

type StepResult = Result<Flow, EngineError>;

/// Runs a send until it finishes, stops for the clerk, or the engine drops.
///
/// The record is loaded once: this task is its only writer while it runs (a resubmission waits
/// for it to end), and keeping it in memory means a failing store cannot make it forget that a
/// step already happened (e.g. a request already created).
pub(crate) async fn run(shared: Arc<Shared>, send_id: LocalId) {
    // Wake-ups seen so far: one that comes after this value cuts the current wait short.
    let mut seen_gen = shared.wake_gen.load(Ordering::SeqCst);
    let mut record = match shared.store.send(&send_id).await {
        Ok(Some(r)) => r,
        Ok(None) => return,
        Err(e) => {
            tracing::error!(target: "firmadesk_engine", %send_id, error = %e.detail, "cannot load send");
            return;
        }
    };
    // A step done in memory whose record is not saved yet: save it before anything else.
    let mut unsaved: Option<SendStep> = None;
    loop {
        if unsaved.is_none() && !record.step.is_unfinished() {
            return;
        }
        // A queued send waits for its time (or a wake-up), also after a restart.
        if let Some(at) = record.next_attempt_at {
            let now = shared.clock.now();
            if at > now {
                let wait = (at - now).unsigned_abs();
                let notified = shared.wake.notified();
                tokio::pin!(notified);
                // Registered before the check, so a wake-up in between is not lost.
                notified.as_mut().enable();
                if shared.wake_gen.load(Ordering::SeqCst) == seen_gen {
                    tokio::select! {
                        _ = shared.clock.sleep(wait) => {}
                        _ = notified => {}
                    }
                }
                seen_gen = shared.wake_gen.load(Ordering::SeqCst);
            }
            // Waited (or woken): the time is spent; a new failure sets a new one.
            record.next_attempt_at = None;
        }
        if let Some(step) = unsaved {
            let mut saved = record.clone();
            saved.attempts = 0;
            saved.next_attempt_at = None;
            saved.last_error = None;
            saved.last_error_kind = None;
            saved.updated_at = shared.clock.now();
            if let Err(e) = shared.store.save_send(&saved).await {
                // Not saved: the next step must not begin (it would not be resumable).
                seen_gen = shared.wake_gen.load(Ordering::SeqCst);
                queue(&shared, &mut record, &e).await;
                continue;
            }
            record = saved;
            unsaved = None;
            shared.emit(EngineEvent::StepFinished {
                send_id: send_id.clone(),
                step,
            });
            shared
                .timeline(
                    &send_id,
                    "firmadesk",
                    format!("step_finished:{}", step_code(step)),
                    &[],
                    format!("{}: completato", step.label_it()),
                )
                .await;
            if crash(&shared, CrashPoint::AfterStep(step), &record) {
                return;
            }
            if record.step == SendStep::Waiting {
                shared.emit(EngineEvent::SendCompleted {
                    send_id: send_id.clone(),
                    request_id: record.request_id.clone().unwrap_or_default(),
                });
                return;
            }
            continue;
        }
        let step = record.step;
        shared.emit(EngineEvent::StepStarted {
            send_id: send_id.clone(),
            step,
        });
        // Resumed when the profile is added.
        let Ok(profile) = shared.profile(&record.spec.profile_id) else {
            return;
        };
        let outcome = run_step(&shared, &profile, &mut record).await;
        match outcome {
            Ok(Flow::Crash) => return,
            Ok(Flow::Stop) => {
                record.updated_at = shared.clock.now();
                if let Err(e) = shared.store.save_send(&record).await {
                    tracing::error!(target: "firmadesk_engine", %send_id, error = %e.detail, "cannot save send");
                }
                if record.step == SendStep::NeedsEdit {
                    let (reason, kind) = (record.last_error.clone(), record.last_error_kind);
                    notify_stopped(&shared, &record, NotificationKind::NeedsEdit, reason, kind).await;
                }
                return;
            }
            Ok(Flow::Next) => unsaved = Some(step),
            Err(e) if e.kind.is_transient() => {
                seen_gen = shared.wake_gen.load(Ordering::SeqCst);
                queue(&shared, &mut record, &e).await;
            }
            Err(e) => {
                record.step = SendStep::Failed;
                record.last_error = Some(e.message.clone());
                record.last_error_kind = Some(e.kind);
                record.updated_at = shared.clock.now();
                let _ = shared.store.save_send(&record).await;
                shared
                    .timeline(
                        &send_id,
                        "firmadesk",
                        format!("failed:{}", e.kind.code()),
                        &[],
                        e.message.clone(),
                    )
                    .await;
                tracing::warn!(target: "firmadesk_engine", %send_id, error = %e.detail, "send failed");
                shared.emit(EngineEvent::Failed {
                    send_id: send_id.clone(),
                    kind: e.kind,
                    code: e.kind.code(),
                    message: e.message.clone(),
                });
                notify_stopped(
                    &shared,
                    &record,
                    NotificationKind::SendFailed,
                    Some(e.message),
                    Some(e.kind),
                )
                .await;
                return;
            }
        }
    }
}

/// Tells the clerk a send stopped and waits for them (saved first: a restart does not resume it, so it
/// is not announced again).
async fn notify_stopped(
    shared: &Shared,
    record: &SendRecord,
    kind: NotificationKind,
    reason: Option<String>,
    error: Option<EngineErrorKind>,
) {
    shared
        .notifier
        .notify(Notification {
            kind,
            local_id: record.send_id.clone(),
            request_title: record.spec.title.clone(),
            signer_name: record.spec.signer.display_name.clone(),
            reason,
            error,
        })
        .await;
}

fn step_code(step: SendStep) -> String {
    serde_json::to_value(step)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn crash(shared: &Shared, point: CrashPoint, record: &SendRecord) -> bool {
    shared
        .config
        .crash_hook
        .as_ref()
        .is_some_and(|hook| hook(point, record))
}

/// Saves the attempt and its next time ("in coda"), tells the UI, waits.
async fn queue(shared: &Shared, record: &mut SendRecord, err: &EngineError) {
    record.attempts += 1;
    let delay = backoff(
        record.attempts,
        shared.config.retry_initial,
        shared.config.retry_max,
        shared.clock.random(),
    );
    let at = shared.clock.now() + delay;
    record.next_attempt_at = Some(at);
    record.last_error = Some(err.message.clone());
    record.last_error_kind = Some(err.kind);
    record.updated_at = shared.clock.now();
    tracing::info!(
        target: "firmadesk_engine",
        send_id = %record.send_id, step = ?record.step, attempts = record.attempts,
        delay_ms = delay.as_millis() as u64, error = %err.detail, "send queued"
    );
    let _ = shared.store.save_send(record).await;
    shared.emit(EngineEvent::Queued {
        send_id: record.send_id.clone(),
        next_attempt_at: at,
        code: err.kind.code(),
        message: err.message.clone(),
    });
    // The loop's top waits until `next_attempt_at`.
}

async fn run_step(shared: &Shared, profile: &Profile, record: &mut SendRecord) -> StepResult {
    match record.step {
        SendStep::EnsureDossier => ensure_dossier(shared, profile, record).await,
        SendStep::ResolveSigner => resolve_signer(shared, profile, record).await,
        SendStep::CreateRequest => create_request(shared, profile, record).await,
        SendStep::Upload => upload(shared, profile, record).await,
        SendStep::WaitValidation => wait_validation(shared, profile, record).await,
        SendStep::Publish => publish(shared, profile, record).await,
        SendStep::WaitPublished => wait_published(shared, profile, record).await,
        SendStep::Notify => notify(shared, profile, record).await,
        SendStep::Cancel => cancel(shared, record).await,
        SendStep::Waiting | SendStep::NeedsEdit | SendStep::Failed => Ok(Flow::Stop),
    }
}

async fn ensure_dossier(shared: &Shared, profile: &Profile, record: &mut SendRecord) -> StepResult {
    let pid = record.spec.profile_id.clone();
    let doc_type = record.spec.document_type.clone();
    let key = doc_type.dossier_key();
    let guard = shared.key_lock(&pid, &format!("dossier:{key}"));
    let _held = guard.lock().await;
    let id = match shared.store.dossier_id(&pid, &key).await? {
        Some(id) => id,
        None => {
            // There is no way to list dossiers: an unknown outcome here can leave an unused
            // dossier on IO, which is harmless (no citizen sees it).
            let d = profile
                .client
                .dossiers()
                .create(&CreateDossierBody {
                    title: doc_type.dossier_title.clone(),
                    support_email: doc_type.support_email.clone(),
                    documents_metadata: doc_type.documents_metadata.clone(),
                })
                .await
                .map_err(|e| api(&e, "creare il dossier del tipo di documento"))?;
            shared.store.set_dossier_id(&pid, &key, &d.id).await?;
            d.id
        }
    };
    record.dossier_id = Some(id);
    record.step = SendStep::ResolveSigner;
    Ok(Flow::Next)
}

async fn resolve_signer(shared: &Shared, profile: &Profile, record: &mut SendRecord) -> StepResult {
    let pid = &record.spec.profile_id;
    let cf = &record.spec.signer.fiscal_code;
    let id = match shared.store.signer_id(pid, cf.as_str()).await? {
        Some(id) => id,
        None => {
            let s = profile
                .client
                .signers()
                .get_by_fiscal_code(cf)
                .await
                .map_err(|e| api(&e, "verificare il firmatario"))?;
            shared.store.set_signer_id(pid, cf.as_str(), &s.id).await?;
            s.id
        }
    };
    record.signer_id = Some(id);
    record.step = SendStep::CreateRequest;
    Ok(Flow::Next)
}

fn api(err: &ApiError, what: &str) -> EngineError {
    let mut e = EngineError::from_api(err, what);
    // An unclear outcome is never final: reconcile on the next attempt.
    if err.outcome_unknown {
        e.kind = EngineErrorKind::Offline;
    }
    e
}

async fn create_request(shared: &Shared, profile: &Profile, record: &mut SendRecord) -> StepResult {
    let pid = record.spec.profile_id.clone();
    let dossier_id = record.dossier_id.clone().unwrap_or_default();
    let signer_id = record.signer_id.clone().unwrap_or_default();
    // Creating and adopting in one dossier never overlap, or two sends to the same citizen
    // could adopt the same request.
    let guard = shared.key_lock(&pid, &format!("requests:{dossier_id}"));
    let _held = guard.lock().await;

    if let Some(attempted) = record.create_attempted_at {
        // A previous create may have reached IO. Find it instead of creating another.
        let mut pages = std::pin::pin!(profile
            .client
            .dossiers()
            .signature_requests(dossier_id.clone())
            .limit(100)
            .pages());
        let mut items = Vec::new();
        while let Some(page) = futures::StreamExt::next(&mut pages).await {
            let page = page.map_err(|e| api(&e, "verificare se la richiesta era già stata creata"))?;
            items.extend(page.items);
        }
        // IO's `created_at` is compared with IO's own clock at the attempt, never with this
        // desk's: a PC clock an hour fast would otherwise hide the request it created and send a
        // duplicate. Records from before the server time was kept: the service's time now (the
        // listing just brought its `Date`) minus the time elapsed here since the attempt, which a
        // constant clock error does not affect.
        let attempted_server = record
            .create_attempted_server_at
            .or_else(|| {
                profile
                    .client
                    .server_now()
                    .map(|server_now| server_now - (shared.clock.now() - attempted))
            })
            .unwrap_or(attempted);
        let since = attempted_server - shared.config.clock_skew;
        let mut found: Option<iosign::SignatureRequestListView> = None;
        {
            for item in items {
                if item.signer_id != signer_id || item.created_at < since {
                    continue;
                }
                // Claimed by another send of this desk: not ours. (One the poller merely saw,
                // with no send, is still adoptable: it may well be this very create.)
                let known = shared.store.request(&pid, &IoRequestId::from(&item.id)).await?;
                if known.is_some_and(|k| !k.local_id.is_foreign() && k.local_id != record.send_id) {
                    continue;
                }
                if found.as_ref().is_none_or(|f| item.created_at < f.created_at) {
                    found = Some(item);
                }
            }
        }
        if let Some(item) = found {
            tracing::info!(target: "firmadesk_engine", send_id = %record.send_id, request_id = %item.id, "adopted the request of an unclear create");
            shared
                .timeline(
                    &record.send_id,
                    "firmadesk",
                    "create_adopted".into(),
                    &[],
                    "Richiesta già creata su IO al tentativo precedente: ripresa senza duplicati".into(),
                )
                .await;
            let detail = profile
                .client
                .signature_requests()
                .get(&item.id)
                .await
                .map_err(|e| api(&e, "leggere la richiesta"))?;
            save_local(shared, record, &detail).await?;
            record.request_id = Some(item.id.into());
            record.create_attempted_at = None;
            record.create_attempted_server_at = None;
            record.step = SendStep::Upload;
            return Ok(Flow::Next);
        }
    }

    // The service's time at this attempt, for a later reconciliation (see above). No answer
    // from this service yet in this run: one cheap read brings its `Date`.
    if profile.client.server_now().is_none() {
        // Only its `Date` matters: any answer, even an error status, carries one.
        if let Err(e) = profile.client.dossiers().get(&dossier_id).await {
            if profile.client.server_now().is_none() {
                return Err(api(&e, "preparare la richiesta di firma"));
            }
        }
    }
    // A service that sends no `Date` at all leaves only this desk's clock (the old rule).
    let attempted_server = profile.client.server_now().unwrap_or_else(|| shared.clock.now());

    // Commit point: from here on, a crash means "maybe created". Durable before the POST: the
    // store commits with synchronous=FULL (an fsync of the WAL), see firmadesk-store.
    record.create_attempted_at = Some(shared.clock.now());
    record.create_attempted_server_at = Some(attempted_server);
    record.updated_at = shared.clock.now();
    shared.store.save_send(record).await?;
    if crash(shared, CrashPoint::BeforeCreateCall, record) {
        return Ok(Flow::Crash);
    }

    let body = CreateSignatureRequestBody {
        dossier_id,
        signer_id,
        expires_at: record.spec.expires_at,
        documents_metadata: Some(record.spec.documents.iter().map(|d| d.metadata.clone()).collect()),
    };
    match profile.client.signature_requests().create(&body).await {
        Ok(detail) => {
            if crash(shared, CrashPoint::CreateResponseLost, record) {
                return Ok(Flow::Crash);
            }
            save_local(shared, record, &detail).await?;
            record.request_id = Some(detail.id.into());
            record.create_attempted_at = None;
            record.create_attempted_server_at = None;
            record.step = SendStep::Upload;
            Ok(Flow::Next)
        }
        Err(e) => {
            if !e.outcome_unknown {
                // Known not to have happened: the next attempt need not list the dossier.
                record.create_attempted_at = None;
                record.create_attempted_server_at = None;
            }
            Err(api(&e, "creare la richiesta di firma"))
        }
    }
}

/// Inserts or refreshes the local copy of a request made by this send.
async fn save_local(
    shared: &Shared,
    record: &SendRecord,
    detail: &SignatureRequestDetailView,
) -> Result<(), EngineError> {
    let pid = &record.spec.profile_id;
    let existing = shared.store.request(pid, &IoRequestId::from(&detail.id)).await?;
    let local = LocalRequest {
        profile_id: pid.clone(),
        local_id: record.send_id.clone(),
        request_id: detail.id.as_str().into(),
        dossier_id: detail.dossier_id.clone(),
        signer_id: detail.signer_id.clone(),
        document_type: record.spec.document_type.name.clone(),
        signer_name: record.spec.signer.display_name.clone(),
        title: record.spec.title.clone(),
        status: detail.status.clone(),
        created_at: detail.created_at,
        updated_at: detail.updated_at,
        expires_at: detail.expires_at,
        reject_reason: detail.reject_reason.clone(),
        expiry: existing
            .as_ref()
            .map(|e| e.expiry)
            .unwrap_or_else(|| Expiry::at(shared.clock.now(), detail.expires_at)),
        archived: existing.as_ref().is_some_and(|e| e.archived),
        published_at: existing.as_ref().and_then(|e| e.published_at),
    };
    shared.store.upsert_request(&local).await
}

async fn get_detail(profile: &Profile, record: &SendRecord) -> Result<SignatureRequestDetailView, EngineError> {
    let id = record.request_id.as_ref().map(IoRequestId::as_str).unwrap_or_default();
    profile
        .client
        .signature_requests()
        .get(id)
        .await
        .map_err(|e| api(&e, "leggere lo stato della richiesta"))
}

/// Moves to the step that matches a request already past DRAFT (resumed after a crash).
fn skip_ahead(record: &mut SendRecord, status: &SignatureRequestStatus) -> Option<Flow> {
    match status {
        SignatureRequestStatus::Draft => None,
        SignatureRequestStatus::Ready => {
            record.step = SendStep::WaitPublished;
            Some(Flow::Next)
        }
        SignatureRequestStatus::WaitForSignature => {
            record.step = SendStep::Notify;
            Some(Flow::Next)
        }
        _ => {
            // Signed, rejected or cancelled meanwhile: the poller owns it now.
            record.step = SendStep::Waiting;
            Some(Flow::Next)
        }
    }
}

async fn upload(shared: &Shared, profile: &Profile, record: &mut SendRecord) -> StepResult {
    let detail = get_detail(profile, record).await?;
    if let Some(flow) = skip_ahead(record, &detail.status) {
        return Ok(flow);
    }
    if detail.documents.len() != record.spec.documents.len() {
        return Err(EngineError::new(
            EngineErrorKind::Refused,
            "La richiesta su IO non corrisponde ai documenti della bozza: inviarla di nuovo.",
        ));
    }
    let request_id = detail.id.clone();
    for (index, (doc, local)) in detail.documents.iter().zip(&record.spec.documents).enumerate() {
        // Uploaded before a crash (validating or valid): nothing to do. Rejected: the clerk
        // replaced the file and resubmitted.
        if !matches!(doc.state, DocumentState::WaitForUpload | DocumentState::Rejected { .. }) {
            continue;
        }
        let unreadable = |e: &dyn std::fmt::Display| {
            EngineError::new(
                EngineErrorKind::Refused,
                format!(
                    "Il documento «{}» non è più leggibile: aggiungerlo di nuovo alla bozza.",
                    local.metadata.title
                ),
            )
            .with_detail(e.to_string())
        };
        // Queued in the team database: its bytes come from there (checked against their hash), since
        // this worker may not be the desk that queued it. Otherwise the draft's file on this disk.
        let (source, len, sha) = match &local.sha256 {
            Some(sha) => {
                let bytes = shared
                    .store
                    .file(sha)
                    .await?
                    .ok_or_else(|| unreadable(&format!("file {sha} missing from the store")))?;
                let len = bytes.len() as u64;
                (UploadSource::bytes(bytes), len, Some(sha.clone()))
            }
            None => {
                let len = tokio::fs::metadata(&local.path)
                    .await
                    .map(|m| m.len())
                    .map_err(|e| unreadable(&e))?;
                (UploadSource::path(local.path.clone()), len, None)
            }
        };
        // A fresh URL every time: they live 15 minutes and a resumed send may be older.
        let url = profile
            .client
            .signature_requests()
            .upload_url(&request_id, &doc.id)
            .await
            .map_err(|e| api(&e, "ottenere l'indirizzo di caricamento"))?;
        if crash(shared, CrashPoint::UploadUrlFetched, record) {
            return Ok(Flow::Crash);
        }
        let events = shared.events.clone();
        let send_id = record.send_id.clone();
        profile
            .client
            .upload_document(&url, source, len, move |sent, total| {
                let _ = events.send(EngineEvent::UploadProgress {
                    send_id: send_id.clone(),
                    document: index,
                    sent,
                    total,
                });
            })
            .await
            .map_err(|e| api(&e, "caricare il documento"))?;
        // Remembered so that a "signed" download identical to the original is never archived.
        let sha = match sha {
            Some(sha) => Some(sha),
            None => {
                let path = local.path.clone();
                tokio::task::spawn_blocking(move || crate::archive::sha256_file(&path))
                    .await
                    .ok()
                    .and_then(Result::ok)
            }
        };
        if let Some(sha) = sha {
            if !record.uploaded_sha256.contains(&sha) {
                record.uploaded_sha256.push(sha);
            }
        }
    }
    record.step = SendStep::WaitValidation;
    Ok(Flow::Next)
}

/// Pause between two polls of a wait step: `step_poll` for the first 30 polls (about a minute,
/// what the service usually needs), then five times that, so a stuck request does not spend the
/// key's budget.
fn poll_pause(shared: &Shared, polls: &mut u32) -> std::time::Duration {
    *polls += 1;
    if *polls > 30 {
        shared.config.step_poll * 5
    } else {
        shared.config.step_poll
    }
}

async fn wait_validation(shared: &Shared, profile: &Profile, record: &mut SendRecord) -> StepResult {
    let mut polls = 0;
    loop {
        let detail = get_detail(profile, record).await?;
        if let Some(flow) = skip_ahead(record, &detail.status) {
            return Ok(flow);
        }
        let mut all_ready = true;
        for doc in &detail.documents {
            match &doc.state {
                DocumentState::Rejected { reject_reason, .. } => {
                    record.step = SendStep::NeedsEdit;
                    record.last_error_kind = Some(EngineErrorKind::DocumentRejected);
                    record.last_error = Some(format!(
                        "Il documento «{}» è stato rifiutato da Firma con IO: {reject_reason}",
                        doc.metadata.title
                    ));
                    shared
                        .timeline(
                            &record.send_id,
                            "io",
                            "document_rejected".into(),
                            &[("title", &doc.metadata.title), ("reason", reject_reason)],
                            record.last_error.clone().unwrap_or_default(),
                        )
                        .await;
                    shared.emit(EngineEvent::DocumentRejected {
                        send_id: record.send_id.clone(),
                        document_title: doc.metadata.title.clone(),
                        reason: reject_reason.clone(),
                    });
                    return Ok(Flow::Stop);
                }
                DocumentState::WaitForUpload => {
                    // The blob never arrived (crash mid-upload): upload again.
                    record.step = SendStep::Upload;
                    return Ok(Flow::Next);
                }
                DocumentState::Ready { .. } => {}
                _ => all_ready = false,
            }
        }
        if all_ready {
            record.step = SendStep::Publish;
            return Ok(Flow::Next);
        }
        shared.clock.sleep(poll_pause(shared, &mut polls)).await;
    }
}

async fn publish(shared: &Shared, profile: &Profile, record: &mut SendRecord) -> StepResult {
    let io = record.request_id.clone().unwrap_or_default();
    let result = profile
        .client
        .signature_requests()
        .set_status(&io, SetSignatureRequestStatusBody::Ready)
        .await;
    if let Err(e) = result {
        // "Already READY" after a retried attempt, or published before a crash: read the truth.
        let detail = get_detail(profile, record).await?;
        if detail.status == SignatureRequestStatus::Draft {
            return Err(api(&e, "pubblicare la richiesta"));
        }
    }
    shared.note_publish(&record.spec.profile_id);
    if let Some(mut local) = shared.store.request(&record.spec.profile_id, &io).await? {
        local.published_at = Some(shared.clock.now());
        shared.store.upsert_request(&local).await?;
    }
    record.step = SendStep::WaitPublished;
    Ok(Flow::Next)
}

async fn wait_published(shared: &Shared, profile: &Profile, record: &mut SendRecord) -> StepResult {
    let mut polls = 0;
    loop {
        let detail = get_detail(profile, record).await?;
        match detail.status {
            SignatureRequestStatus::Ready => {}
            SignatureRequestStatus::WaitForSignature => {
                save_local(shared, record, &detail).await?;
                record.step = SendStep::Notify;
                return Ok(Flow::Next);
            }
            ref s => {
                if let Some(flow) = skip_ahead(record, s) {
                    return Ok(flow);
                }
                record.step = SendStep::Publish;
                return Ok(Flow::Next);
            }
        }
        shared.clock.sleep(poll_pause(shared, &mut polls)).await;
    }
}

async fn notify(shared: &Shared, profile: &Profile, record: &mut SendRecord) -> StepResult {
    if record.spec.delivery == Delivery::QrOnly {
        record.step = SendStep::Waiting;
        return Ok(Flow::Next);
    }
    if record.notify_attempted {
        // Sent before a crash or an unclear failure? `notification` tells; a second PUT would
        // answer 422.
        let detail = get_detail(profile, record).await?;
        if detail.notification.is_some() || detail.status != SignatureRequestStatus::WaitForSignature {
            record.step = SendStep::Waiting;
            return Ok(Flow::Next);
        }
    }
    record.notify_attempted = true;
    record.updated_at = shared.clock.now();
    shared.store.save_send(record).await?;
    let io = record.request_id.clone().unwrap_or_default();
    match profile.client.signature_requests().send_notification(&io).await {
        Ok(_) => {
            if crash(shared, CrashPoint::NotifyResponseLost, record) {
                return Ok(Flow::Crash);
            }
        }
        Err(e) => {
            let detail = get_detail(profile, record).await?;
            if detail.notification.is_none() {
                if e.kind == iosign::ApiErrorKind::NotAllowedInState && !e.outcome_unknown {
                    return Err(EngineError::new(
                        EngineErrorKind::NotAllowed,
                        "Non è possibile inviare il messaggio IO a questo cittadino (messaggi disattivati): mostrare il QR code allo sportello.",
                    )
                    .with_detail(EngineError::from_api(&e, "inviare il messaggio").detail));
                }
                return Err(api(&e, "inviare il messaggio IO"));
            }
        }
    }
    record.step = SendStep::Waiting;
    Ok(Flow::Next)
}

/// A cancellation a desk without the key asked for (team mode): done here, by the key's worker. Whatever
/// IO answers for good, the send is back to waiting and the request's status (cancelled, or the status IO
/// reports) comes from IO; only a passing failure is retried.
async fn cancel(shared: &Shared, record: &mut SendRecord) -> Result<Flow, EngineError> {
    let Some(io_id) = record.request_id.clone() else {
        record.step = SendStep::Waiting;
        return Ok(Flow::Stop);
    };
    match crate::sync::cancel(shared, &record.spec.profile_id, &io_id).await {
        Ok(_) => {}
        Err(e) if e.kind.is_transient() => return Err(e),
        Err(e) => {
            shared
                .timeline(
                    &record.send_id,
                    "firmadesk",
                    format!("cancel_refused:{}", e.kind.code()),
                    &[],
                    e.message.clone(),
                )
                .await;
        }
    }
    record.step = SendStep::Waiting;
    record.last_error = None;
    record.last_error_kind = None;
    Ok(Flow::Stop)
}
