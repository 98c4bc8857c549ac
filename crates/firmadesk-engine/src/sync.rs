//! The poller: one sync pass lists each dossier's requests (100 per page), compares status and
//! `updated_at` with the local copy, and reads details only for what changed. Signed requests
//! are archived at once (download links live 5 minutes) and verified (`verification`, issue #14: a
//! "Firma non valida" notifies too); signed, rejected, expiring and expired ones notify the clerk, and the notifier is told when a pass ends (it may group what the pass said).

use crate::archive::{archive_path, io_error_it};
use crate::clock::unix_ms;
use crate::error::{EngineError, EngineErrorKind};
use crate::events::{EngineEvent, Notification, NotificationKind};
use crate::runtime::{Profile, Shared};
use crate::store::{ArchivedFile, Expiry, IoRequestId, LocalId, LocalRequest};
use crate::verification::{self, Against};
use firmadesk_verify::Verdict;
use futures::StreamExt;
use iosign::{SetSignatureRequestStatusBody, SignatureRequestDetailView, SignatureRequestStatus};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

/// The cost of one sync pass.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SyncReport {
    /// Dossiers listed.
    pub dossiers: u32,
    /// `GET /dossiers/{id}/signature-requests` calls.
    pub list_calls: u32,
    /// `GET /signature-requests/{id}` calls.
    pub detail_calls: u32,
    /// Requests whose status or `updated_at` differed from the local copy (or unknown here).
    pub changed: u32,
    /// Signed documents archived in this pass.
    pub archived: u32,
}

impl SyncReport {
    /// API calls spent.
    pub fn calls(&self) -> u32 {
        self.list_calls + self.detail_calls
    }
}

/// A request to read in detail, with its local copy (none: first seen).
type ToRead = (String, Option<LocalRequest>);

/// Page size of the listing: the service's maximum, so a pass costs ceil(N/100) per dossier.
const PAGE: u32 = 100;

/// Italian label of a request status.
pub fn status_it(status: &SignatureRequestStatus) -> &'static str {
    match status {
        SignatureRequestStatus::Draft => "Bozza",
        SignatureRequestStatus::Ready => "Pubblicata",
        SignatureRequestStatus::WaitForSignature => "In attesa di firma",
        SignatureRequestStatus::Signed => "Firmata",
        SignatureRequestStatus::Rejected => "Firma non riuscita",
        SignatureRequestStatus::Cancelled => "Annullata",
        _ => "Stato sconosciuto",
    }
}

/// The poller of one profile: a pass, then a pause (short right after a publish), forever.
pub(crate) async fn poller(shared: Arc<Shared>, profile_id: String, profile: Profile) {
    let mut paused = shared.sync_paused.subscribe();
    loop {
        if *paused.borrow_and_update() {
            shared.emit(EngineEvent::SyncPaused {
                profile_id: profile_id.clone(),
            });
            // Resumed: a pass at once (the engine owns the sender, so it outlives its pollers).
            if paused.wait_for(|p| !*p).await.is_err() {
                return;
            }
        }
        if let Err(e) = pass(&shared, &profile_id, &profile).await {
            tracing::info!(target: "firmadesk_engine", profile_id, error = %e.detail, "sync pass failed");
            shared.emit(EngineEvent::SyncFailed {
                profile_id: profile_id.clone(),
                message: e.message,
            });
        }
        let recent = shared
            .last_publish
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&profile_id)
            .is_some_and(|t| shared.clock.now() - *t < shared.config.fast_window);
        let interval = if recent {
            shared.config.fast_poll
        } else {
            shared.config.slow_poll
        };
        tokio::select! {
            _ = shared.clock.sleep(interval) => {}
            _ = profile.wake.notified() => {}
            // Paused (stop now) or resumed (catch up now).
            _ = paused.changed() => {}
        }
    }
}

/// One sync pass of a profile.
pub(crate) async fn pass(shared: &Shared, profile_id: &str, profile: &Profile) -> Result<SyncReport, EngineError> {
    let _one_at_a_time = profile.sync_lock.lock().await;
    let dossiers = shared.store.dossiers(profile_id).await?;
    let list_calls = AtomicU32::new(0);
    // Listing: dossiers in parallel (pages of one dossier are sequential: continuation tokens).
    let list_calls_ref = &list_calls;
    let listings = dossiers.iter().map(|(_, d)| d.clone()).map(|dossier_id| async move {
        changed_in_dossier(shared, profile_id, profile, &dossier_id, list_calls_ref).await
    });
    let listed: Vec<Result<Vec<ToRead>, EngineError>> = futures::stream::iter(listings.collect::<Vec<_>>())
        .buffer_unordered(shared.config.list_concurrency.max(1))
        .collect()
        .await;
    // One dossier failing (offline midway, a dossier gone) does not hold back the others.
    let mut first_error = None;
    let mut changed = Vec::new();
    for result in listed {
        match result {
            Ok(c) => changed.extend(c),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    let mut report = SyncReport {
        dossiers: dossiers.len() as u32,
        list_calls: list_calls.load(Ordering::Relaxed),
        changed: changed.len() as u32,
        ..SyncReport::default()
    };
    let detail_calls = AtomicU32::new(0);
    let archived = AtomicU32::new(0);
    let (detail_calls_ref, archived_ref) = (&detail_calls, &archived);
    let fetches = changed.into_iter().map(|(id, local)| {
        let (detail_calls, archived) = (detail_calls_ref, archived_ref);
        async move {
            detail_calls.fetch_add(1, Ordering::Relaxed);
            let detail = profile
                .client
                .signature_requests()
                .get(&id)
                .await
                .map_err(|e| EngineError::from_api(&e, "aggiornare lo stato delle richieste"))?;
            let n = apply_detail(shared, profile_id, profile, local, &detail).await?;
            archived.fetch_add(n, Ordering::Relaxed);
            Ok(())
        }
    });
    let results: Vec<Result<(), EngineError>> = futures::stream::iter(fetches.collect::<Vec<_>>())
        .buffer_unordered(shared.config.detail_concurrency.max(1))
        .collect()
        .await;
    report.detail_calls = detail_calls.load(Ordering::Relaxed);
    report.archived = archived.load(Ordering::Relaxed);
    // Everything this pass had to say was notified: a grouping notifier shows it now.
    shared.notifier.settle().await;
    shared.emit(EngineEvent::SyncFinished {
        profile_id: profile_id.to_owned(),
        calls: report.calls(),
        changed: report.changed,
    });
    // A failed listing or detail is retried next pass (the local copy still differs): report
    // the first.
    if let Some(e) = first_error {
        return Err(e);
    }
    if let Some(Err(e)) = results.into_iter().find(Result::is_err) {
        return Err(e);
    }
    Ok(report)
}

/// Lists one dossier and returns the requests to read in detail, with their local copy; also
/// refreshes the computed expiry of waiting requests (no call needed).
async fn changed_in_dossier(
    shared: &Shared,
    profile_id: &str,
    profile: &Profile,
    dossier_id: &str,
    list_calls: &AtomicU32,
) -> Result<Vec<ToRead>, EngineError> {
    let mut local: HashMap<IoRequestId, LocalRequest> = shared
        .store
        .requests_in_dossier(profile_id, dossier_id)
        .await?
        .into_iter()
        .map(|r| (r.request_id.clone(), r))
        .collect();
    let mut changed = Vec::new();
    let mut unchanged = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut list = profile
            .client
            .dossiers()
            .signature_requests(dossier_id.to_owned())
            .limit(PAGE);
        if let Some(t) = &token {
            list = list.continuation_token(t.clone());
        }
        list_calls.fetch_add(1, Ordering::Relaxed);
        let page = list
            .send()
            .await
            .map_err(|e| EngineError::from_api(&e, "aggiornare lo stato delle richieste"))?;
        for item in page.items {
            match local.remove(&IoRequestId::from(&item.id)) {
                Some(l) => {
                    // Signed but not archived yet (the disk failed last time): a fresh detail
                    // brings fresh download links.
                    let archive_due = l.status == SignatureRequestStatus::Signed && !l.archived;
                    if l.status != item.status || l.updated_at != item.updated_at || archive_due {
                        changed.push((item.id, Some(l)));
                    } else {
                        unchanged.push(l);
                    }
                }
                None => changed.push((item.id, None)),
            }
        }
        match page.continuation_token {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    // Unchanged requests (and any the listing did not return): expiry moves with the clock
    // alone, so it is recomputed here without a call.
    let now = shared.clock.now();
    for mut l in unchanged.into_iter().chain(local.into_values()) {
        if l.status != SignatureRequestStatus::WaitForSignature {
            continue;
        }
        let expiry = Expiry::at(now, l.expires_at);
        if expiry != l.expiry {
            l.expiry = expiry;
            shared.store.upsert_request(&l).await?;
            shared.emit(EngineEvent::ExpiryChanged {
                local_id: l.local_id.clone(),
                request_id: l.request_id.clone(),
                expiry,
            });
            // Saved first: the state kept with the request is what makes the notice once only.
            notify_expiry(shared, &l).await;
        }
    }
    Ok(changed)
}

/// Applies a fresh detail to the local copy: events, notifications, archive. Returns the number
/// of files archived.
pub(crate) async fn apply_detail(
    shared: &Shared,
    profile_id: &str,
    profile: &Profile,
    previous: Option<LocalRequest>,
    detail: &SignatureRequestDetailView,
) -> Result<u32, EngineError> {
    let now = shared.clock.now();
    let io_id = IoRequestId::from(&detail.id);
    let mut local = match previous.clone() {
        Some(l) => l,
        None => LocalRequest {
            profile_id: profile_id.to_owned(),
            local_id: LocalId::foreign(&io_id),
            request_id: io_id.clone(),
            dossier_id: detail.dossier_id.clone(),
            signer_id: detail.signer_id.clone(),
            document_type: shared
                .store
                .dossiers(profile_id)
                .await?
                .into_iter()
                .find(|(_, d)| *d == detail.dossier_id)
                .map(|(t, _)| t)
                .unwrap_or_else(|| detail.dossier_id.clone()),
            // Made elsewhere (another desk): only IO's ids are known.
            signer_name: detail.signer_id.clone(),
            title: detail
                .documents
                .first()
                .map(|d| d.metadata.title.clone())
                .unwrap_or_default(),
            status: detail.status.clone(),
            created_at: detail.created_at,
            updated_at: detail.updated_at,
            expires_at: detail.expires_at,
            reject_reason: None,
            expiry: Expiry::at(now, detail.expires_at),
            archived: false,
            published_at: None,
        },
    };
    let from = previous.as_ref().map(|p| p.status.clone());
    let status_changed = from.as_ref() != Some(&detail.status);
    local.status = detail.status.clone();
    local.updated_at = detail.updated_at;
    local.expires_at = detail.expires_at;
    local.reject_reason = detail.reject_reason.clone();
    let mut expiry_changed = false;
    if detail.status == SignatureRequestStatus::WaitForSignature {
        let expiry = Expiry::at(now, detail.expires_at);
        if expiry != local.expiry {
            local.expiry = expiry;
            expiry_changed = true;
            shared.emit(EngineEvent::ExpiryChanged {
                local_id: local.local_id.clone(),
                request_id: io_id.clone(),
                expiry,
            });
        }
    }
    if status_changed {
        shared
            .timeline(
                &local.local_id,
                "io",
                format!("status:{}", detail.status),
                &[],
                format!("Stato su IO: {}", status_it(&detail.status)),
            )
            .await;
        shared.emit(EngineEvent::StatusChanged {
            profile_id: profile_id.to_owned(),
            local_id: local.local_id.clone(),
            request_id: io_id.clone(),
            from: from.clone(),
            to: detail.status.clone(),
        });
    }
    let mut archived_now = 0;
    let mut archive_error = None;
    let mut signature_invalid = false;
    if detail.status == SignatureRequestStatus::Signed && !local.archived {
        match archive(shared, profile, &local, detail).await {
            Ok((n, invalid)) => {
                archived_now = n;
                signature_invalid = invalid;
                local.archived = true;
            }
            Err(e) => {
                let code = if e.kind == EngineErrorKind::BadDownload {
                    "download_invalid"
                } else {
                    "archive_failed"
                };
                shared
                    .timeline(&local.local_id, "firmadesk", code.into(), &[], e.message.clone())
                    .await;
                shared.emit(EngineEvent::ArchiveFailed {
                    local_id: local.local_id.clone(),
                    request_id: io_id.clone(),
                    message: e.message.clone(),
                });
                archive_error = Some(e);
            }
        }
    }
    // Saved before notifying: a crash after this line does not notify twice.
    shared.store.upsert_request(&local).await?;
    if expiry_changed {
        notify_expiry(shared, &local).await;
    }
    if status_changed {
        let kind = match detail.status {
            SignatureRequestStatus::Signed if archive_error.is_none() => Some(NotificationKind::Signed),
            SignatureRequestStatus::Signed => Some(NotificationKind::SignedNotArchived),
            SignatureRequestStatus::Rejected => Some(NotificationKind::Rejected),
            _ => None,
        };
        if let Some(kind) = kind {
            shared
                .notifier
                .notify(Notification {
                    kind,
                    local_id: local.local_id.clone(),
                    request_title: local.title.clone(),
                    signer_name: local.signer_name.clone(),
                    reason: match kind {
                        NotificationKind::Rejected => detail.reject_reason.clone(),
                        _ => None,
                    },
                    error: None,
                })
                .await;
        }
    }
    // A signed document that is not what was asked for (another signer, changed after signing...): a red
    // alert in the request (its verification) and a notification.
    if signature_invalid {
        notify_of(shared, &local, NotificationKind::SignatureInvalid).await;
    }
    Ok(archived_now)
}

/// Announces that a waiting request (already saved with its new expiry state) entered its last 48 hours
/// or passed its deadline. The state moves forward once per request (valid → in scadenza → scaduta) and is
/// kept with it, so each notice goes out once, across passes and restarts. A request first seen already
/// in scadenza (sent with a short deadline, or by another desk) is not announced as such: its deadline
/// was chosen that way.
async fn notify_expiry(shared: &Shared, local: &LocalRequest) {
    let kind = match local.expiry {
        Expiry::Expiring => NotificationKind::Expiring,
        Expiry::Expired => NotificationKind::Expired,
        Expiry::Valid => return,
    };
    notify_of(shared, local, kind).await;
}

/// A notification of `kind` about `local` that says nothing more than its title and signer.
async fn notify_of(shared: &Shared, local: &LocalRequest, kind: NotificationKind) {
    shared
        .notifier
        .notify(Notification {
            kind,
            local_id: local.local_id.clone(),
            request_title: local.title.clone(),
            signer_name: local.signer_name.clone(),
            reason: None,
            error: None,
        })
        .await;
}

/// SHA-256 of what this desk uploaded for the request's send: recorded at upload, plus the
/// draft's files still on disk (sends uploaded before the hashes were recorded).
async fn unsigned_hashes(shared: &Shared, local: &LocalRequest) -> Vec<String> {
    let Ok(Some(record)) = shared.store.send(&local.local_id).await else {
        return Vec::new();
    };
    let mut hashes = record.uploaded_sha256.clone();
    hashes.extend(record.spec.documents.iter().filter_map(|d| d.sha256.clone()));
    let paths: Vec<_> = record.spec.documents.iter().map(|d| d.path.clone()).collect();
    let on_disk = tokio::task::spawn_blocking(move || {
        paths
            .iter()
            .filter_map(|p| crate::archive::sha256_file(p).ok())
            .collect::<Vec<_>>()
    })
    .await
    .unwrap_or_default();
    for h in on_disk {
        if !hashes.contains(&h) {
            hashes.push(h);
        }
    }
    hashes
}

/// The fiscal code the request was sent to (its send record's), when this office sent it.
async fn expected_fiscal_code(shared: &Shared, local: &LocalRequest) -> Option<String> {
    let record = shared.store.send(&local.local_id).await.ok()??;
    Some(record.spec.signer.fiscal_code.as_str().to_owned())
}

/// Verifies an archived document (issue #14) and records the result and a timeline entry; returns
/// whether the verdict is "Firma non valida".
async fn verify_archived(
    shared: &Shared,
    local: &LocalRequest,
    io_document_id: &str,
    bytes: Vec<u8>,
    against: Against,
) -> Result<bool, EngineError> {
    let report = tokio::task::spawn_blocking(move || verification::check(&bytes, &against))
        .await
        .map_err(|e| {
            EngineError::new(
                EngineErrorKind::Archive,
                "Verifica della firma interrotta: verrà ritentata.",
            )
            .with_detail(e)
        })?;
    let now = unix_ms(shared.clock.now());
    let record = verification::record(&local.local_id, io_document_id, &report, now);
    shared.store.record_verification(&record).await?;
    tracing::info!(target: "firmadesk_engine", request_id = %local.local_id, verdict = %record.verdict, codes = %record.codes.join(","), "signed document verified");
    shared.record(&verification::event(&record, now)).await;
    Ok(report.verdict == Verdict::Invalid)
}

/// Downloads every signed document of `detail` (fresh: its links live 5 minutes), checks that
/// each is a signed PDF, writes them into the archive and verifies each. All or nothing per request
/// as far as `archived` goes: files already written with the same bytes are reused by the retry.
/// Returns how many were written and whether one's verification says "Firma non valida".
async fn archive(
    shared: &Shared,
    profile: &Profile,
    local: &LocalRequest,
    detail: &SignatureRequestDetailView,
) -> Result<(u32, bool), EngineError> {
    let downloads = futures::future::join_all(detail.documents.iter().map(|doc| async move {
        let url = doc.url().ok_or_else(|| {
            EngineError::new(
                EngineErrorKind::Offline,
                "Documento firmato non ancora disponibile su IO: nuovo tentativo al prossimo aggiornamento.",
            )
        })?;
        profile
            .client
            .download_signed(url)
            .await
            .map_err(|e| EngineError::from_api(&e, "scaricare il documento firmato"))
    }))
    .await;
    let year = detail.signed_at.unwrap_or(detail.updated_at).year();
    let many = detail.documents.len() > 1;
    let unsigned = unsigned_hashes(shared, local).await;
    let (trust_anchors, anchor_periods) = profile.trust();
    let against = Against {
        fiscal_code: expected_fiscal_code(shared, local).await,
        uploaded_sha256: unsigned.clone(),
        trust_anchors,
        anchor_periods,
        fields: Vec::new(),
    };
    let protocol = shared.store.protocol_number(&local.local_id).await?;
    // What IO Sign says of the request, for the records office's package (issue #14), kept
    // before the documents are (a desk that sees them archived finds it).
    shared
        .store
        .record_evidence(
            &local.local_id,
            &crate::archive::evidence_json(detail),
            unix_ms(shared.clock.now()),
        )
        .await?;
    let mut written = 0;
    let mut invalid = false;
    for (n, (doc, bytes)) in detail.documents.iter().zip(downloads).enumerate() {
        let bytes = bytes?;
        // Only a PDF that parses and is not the unsigned upload is the signed document; anything
        // else stays unarchived and is downloaded again on the next pass.
        let (b, u) = (bytes.clone(), unsigned.clone());
        let problem = tokio::task::spawn_blocking(move || crate::archive::signed_download_problem(&b, &u))
            .await
            .unwrap_or(Some("non può essere verificato"));
        if let Some(problem) = problem {
            tracing::warn!(target: "firmadesk_engine", request_id = %detail.id, size = bytes.len(), problem, "signed download refused");
            return Err(EngineError::new(
                EngineErrorKind::BadDownload,
                format!(
                    "Il documento firmato scaricato da Firma con IO {problem}: non è stato archiviato. Verrà scaricato di nuovo automaticamente al prossimo aggiornamento; se il problema continua, contattare l'assistenza."
                ),
            )
            .with_detail(format!("signed download refused: {problem}")));
        }
        let id = if many {
            format!("{}-{}", detail.id, n + 1)
        } else {
            detail.id.clone()
        };
        let title = if many {
            doc.metadata.title.as_str()
        } else {
            local.title.as_str()
        };
        let archive_dir = shared.archive_dir();
        let path = archive_path(
            &archive_dir,
            year,
            &local.document_type,
            &local.signer_name,
            title,
            &id,
            protocol.as_deref(),
        );
        let sha256 = hex::encode(Sha256::digest(&bytes));
        let writer = shared.writer.clone();
        let (p, b) = (path.clone(), bytes.clone());
        let result = tokio::task::spawn_blocking(move || writer.write_new(&p, &b))
            .await
            .unwrap_or_else(|e| Err(std::io::Error::other(e.to_string())));
        // Never replaces a file: a name taken by other bytes gets a suffix.
        let path = match result {
            Ok(written) => written,
            Err(e) => {
                tracing::warn!(target: "firmadesk_engine", request_id = %detail.id, error = %e, "archive write failed");
                return Err(EngineError::new(EngineErrorKind::Archive, io_error_it(&archive_dir, &e)).with_detail(e));
            }
        };
        let file = ArchivedFile {
            request_id: local.local_id.clone(),
            io_document_id: doc.id.clone(),
            path: path.to_string_lossy().into_owned(),
            sha256: sha256.clone(),
            size: bytes.len() as u64,
            archived_at: unix_ms(shared.clock.now()),
        };
        // In team mode every desk opens it from the team database (the worker's archive folder may
        // be on a server).
        if shared.store.shares_outbox() {
            shared.store.put_file(&sha256, &bytes, file.archived_at).await?;
        }
        shared.store.record_archive(&file).await?;
        shared
            .timeline(
                &local.local_id,
                "firmadesk",
                "archived".into(),
                &[("path", &path.display().to_string())],
                format!("Documento firmato salvato in {}", path.display()),
            )
            .await;
        shared.emit(EngineEvent::Archived {
            local_id: local.local_id.clone(),
            request_id: local.request_id.clone(),
            document_id: doc.id.clone(),
            path,
            sha256,
        });
        // Each document against the clauses the request asked of it.
        let against = Against {
            fields: verification::required_fields(&doc.metadata),
            ..against.clone()
        };
        invalid |= verify_archived(shared, local, &doc.id, bytes.to_vec(), against).await?;
        written += 1;
    }
    Ok((written, invalid))
}

/// Cancels a request in WAIT_FOR_SIGNATURE.
pub(crate) async fn cancel(
    shared: &Shared,
    profile_id: &str,
    io_id: &IoRequestId,
) -> Result<LocalRequest, EngineError> {
    let request_id = io_id.as_str();
    let profile = shared.profile(profile_id)?;
    let requests = profile.client.signature_requests();
    let detail = requests
        .get(request_id)
        .await
        .map_err(|e| EngineError::from_api(&e, "leggere la richiesta da annullare"))?;
    let previous = shared.store.request(profile_id, io_id).await?;
    if detail.status != SignatureRequestStatus::WaitForSignature {
        // Keep the local copy truthful even when refusing.
        apply_detail(shared, profile_id, &profile, previous, &detail).await?;
        return Err(EngineError::new(
            EngineErrorKind::NotAllowed,
            format!(
                "Si può annullare solo una richiesta in attesa di firma (stato attuale: {}).",
                status_it(&detail.status)
            ),
        ));
    }
    if let Err(e) = requests
        .set_status(request_id, SetSignatureRequestStatusBody::Cancelled)
        .await
    {
        // Already cancelled by an earlier attempt whose answer was lost?
        let again = requests
            .get(request_id)
            .await
            .map_err(|e| EngineError::from_api(&e, "leggere la richiesta da annullare"))?;
        if again.status != SignatureRequestStatus::Cancelled {
            return Err(EngineError::from_api(&e, "annullare la richiesta"));
        }
    }
    let fresh = requests
        .get(request_id)
        .await
        .map_err(|e| EngineError::from_api(&e, "leggere la richiesta annullata"))?;
    apply_detail(shared, profile_id, &profile, previous, &fresh).await?;
    let cancelled = shared
        .store
        .request(profile_id, io_id)
        .await?
        .ok_or_else(|| EngineError::store("cancelled request missing from the local copy"))?;
    shared
        .timeline(
            &cancelled.local_id,
            "firmadesk",
            "cancelled".into(),
            &[],
            "Richiesta annullata dall'operatore".into(),
        )
        .await;
    Ok(cancelled)
}
