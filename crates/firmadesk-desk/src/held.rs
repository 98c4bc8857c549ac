//! Sends kept on this computer while the office cannot be reached (team mode).
//!
//! In Modalità ufficio "Richiedi firma" first writes everything the send needs into the data folder
//! (`held/<id>.json` and the PDFs beside it, owner-only, flushed to disk), then hands it to the team database.
//! If the database cannot be reached — before, during or after any of those writes, or the desk stops — the
//! send stays here, the clerk is told it will leave when the connection returns, the dashboard lists it, and
//! [`hand_over`] delivers it as soon as the office answers again: when the change feed reconnects, at the
//! next start, or at the latest every [`RETRY`]. Delivery is idempotent (each row is written only if it is
//! not there yet, the outbox refuses a second send with the same id), so a send kept twice or handed over
//! twice is still one request.

use crate::{Code, Desk, UiError};
use firmadesk_engine::{Engine, SendSpec};
use firmadesk_store::{Document, Event, Field, LocalId, Request};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::Duration;

/// The longest a kept send waits for another try when no reconnection is heard.
pub const RETRY: Duration = Duration::from_secs(30);

/// Everything a send needs to reach the office, as it was when the clerk asked for it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Prepared {
    /// The request row (status draft), with its local id.
    pub request: Request,
    /// Its documents and signature fields.
    pub documents: Vec<Document>,
    /// Signature fields.
    pub fields: Vec<Field>,
    /// "Created", with the clerk who did it and when.
    pub event: Event,
    /// What the engine sends.
    pub spec: SendSpec,
    /// Why the last hand-over was refused for a reason other than the connection, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// Protocol data typed in the form (issue #14), kept with the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<firmadesk_store::Protocol>,
}

/// A kept send, as the dashboard lists it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct HeldSummary {
    id: LocalId,
    title: String,
    signer_name: String,
    /// When the clerk asked for it (ms).
    at: i64,
    /// Why the office refused it last time, if it did (not the connection).
    #[serde(skip_serializing_if = "Option::is_none")]
    problem: Option<String>,
}

/// What one hand-over did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HandOver {
    /// Sends now in the office's outbox.
    pub delivered: usize,
    /// Sends still kept here (the office is still unreachable, or refused them).
    pub kept: usize,
}

fn dir(desk: &Desk) -> PathBuf {
    desk.data_dir.join("held")
}

fn record_path(desk: &Desk, id: &LocalId) -> PathBuf {
    dir(desk).join(format!("{id}.json"))
}

fn files_dir(desk: &Desk, id: &LocalId) -> PathBuf {
    dir(desk).join(id.as_str())
}

fn keep_failed(e: impl std::fmt::Display) -> UiError {
    UiError::new(
        Code::HeldWriteFailed,
        "Impossibile conservare la richiesta su questo computer: verificare lo spazio su disco e i permessi della cartella dati.",
    )
    .with_detail(e.to_string())
}

/// Writes `prepared` (and a copy of each PDF, which the import folder's retention may remove meanwhile)
/// into the data folder, durably. The copies become the send's documents.
pub fn keep(desk: &Desk, prepared: &mut Prepared) -> Result<(), UiError> {
    let id = prepared.request.id.clone();
    let files = files_dir(desk, &id);
    crate::private::create_dir(&files).map_err(keep_failed)?;
    for (n, document) in prepared.spec.documents.iter_mut().enumerate() {
        let copy = files.join(format!("{n}.pdf"));
        let bytes = std::fs::read(&document.path).map_err(keep_failed)?;
        crate::private::write_file(&copy, &bytes).map_err(keep_failed)?;
        document.path = copy;
    }
    let json = serde_json::to_vec(prepared).map_err(keep_failed)?;
    crate::private::write_file(&record_path(desk, &id), &json).map_err(keep_failed)
}

/// Forgets a kept send (it reached the office, or it was refused while being asked for).
pub fn release(desk: &Desk, id: &LocalId) {
    // The record first: without it the copies are only leftovers, removed here or at the next release.
    for result in [
        std::fs::remove_file(record_path(desk, id)),
        std::fs::remove_dir_all(files_dir(desk, id)),
    ] {
        if let Err(e) = result {
            if e.kind() != std::io::ErrorKind::NotFound {
                tracing::warn!(error = %e, %id, "kept send not removed");
            }
        }
    }
}

/// The kept sends, oldest first (an unreadable record is logged and skipped, never deleted).
pub fn all(desk: &Desk) -> Vec<Prepared> {
    let Ok(entries) = std::fs::read_dir(dir(desk)) else {
        return Vec::new();
    };
    let mut kept: Vec<Prepared> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter_map(
            |p| match std::fs::read(&p).map(|b| serde_json::from_slice::<Prepared>(&b)) {
                Ok(Ok(prepared)) => Some(prepared),
                Ok(Err(e)) => {
                    tracing::error!(file = %p.display(), error = %e, "kept send unreadable");
                    None
                }
                Err(e) => {
                    tracing::error!(file = %p.display(), error = %e, "kept send unreadable");
                    None
                }
            },
        )
        .collect();
    kept.sort_by(|a, b| {
        (a.request.created_at, a.request.id.as_str()).cmp(&(b.request.created_at, b.request.id.as_str()))
    });
    kept
}

/// The kept sends of `profile_id`, for the dashboard.
pub fn summaries(desk: &Desk, profile_id: &str) -> Vec<HeldSummary> {
    all(desk)
        .into_iter()
        .filter(|p| p.request.profile_id == profile_id)
        .map(|p| HeldSummary {
            id: p.request.id,
            title: p.request.title,
            signer_name: p.request.signer_name,
            at: p.request.created_at,
            problem: p.problem,
        })
        .collect()
}

/// Writes what is not in the store yet (request, signer, its first event) and queues the send, unless the
/// outbox has it already: safe to run again after any interruption.
pub async fn deliver(desk: &Desk, engine: &Engine, prepared: &Prepared) -> Result<(), UiError> {
    let store = &desk.store;
    let request = &prepared.request;
    if store.request(&request.id).await.map_err(crate::store_error)?.is_none() {
        store
            .save_request(request, &prepared.documents, &prepared.fields)
            .await
            .map_err(crate::store_error)?;
        store
            .upsert_signer(&request.profile_id, &request.fiscal_code, &request.signer_name, None)
            .await
            .map_err(crate::store_error)?;
        store.add_event(&prepared.event).await.map_err(crate::store_error)?;
        // Before the engine has it: a document signed at once is archived under its protocol number.
        if let Some(protocol) = &prepared.protocol {
            crate::handoff::record(&**store, protocol).await?;
        }
        // "Correggi e reinvia": the request it replaces names it in its own timeline.
        if let Some(old) = prepared.event.args().get("replaces") {
            store
                .add_event(&Event {
                    request_id: LocalId::from(old.clone()),
                    at: prepared.event.at,
                    actor: prepared.event.actor.clone(),
                    code: "replaced".into(),
                    text: format!("Corretta e reinviata come nuova richiesta «{}»", request.title),
                    detail_json: Some(
                        serde_json::json!({ "args": { "request": request.id.as_str(), "title": request.title } })
                            .to_string(),
                    ),
                })
                .await
                .map_err(crate::store_error)?;
        }
    }
    if store.send(&request.id).await.map_err(crate::store_error)?.is_none() {
        if let Err(e) = engine.submit(request.id.clone(), prepared.spec.clone()).await {
            if e.kind == firmadesk_engine::EngineErrorKind::Store {
                // The outbox failed: if the office was lost meanwhile, the send stays kept.
                store.request(&request.id).await.map_err(crate::store_error)?;
            }
            return Err(crate::requests::engine_error(e));
        }
    }
    Ok(())
}

/// Hands every kept send to the office, oldest first; stops at the first sign the office is still
/// unreachable. One hand-over at a time on this desk (and none while "Richiedi firma" is writing).
pub async fn hand_over(desk: &Desk, engine: &Engine) -> HandOver {
    let _one = desk.held_lock.lock().await;
    let kept = all(desk);
    let mut report = HandOver::default();
    for (n, mut prepared) in kept.iter().cloned().enumerate() {
        match deliver(desk, engine, &prepared).await {
            Ok(()) => {
                release(desk, &prepared.request.id);
                report.delivered += 1;
                tracing::info!(id = %prepared.request.id, "kept send handed to the office");
            }
            Err(e) if e.code == Code::StoreUnreachable => {
                report.kept += kept.len() - n;
                return report;
            }
            Err(e) => {
                // Refused for a reason of its own: kept, with the reason, for the clerk to see.
                tracing::warn!(id = %prepared.request.id, code = %e.code, "kept send refused by the office");
                prepared.problem = Some(e.message.clone());
                let json = serde_json::to_vec(&prepared).unwrap_or_default();
                if let Err(e) = crate::private::write_file(&record_path(desk, &prepared.request.id), &json) {
                    tracing::warn!(error = %e, "kept send's reason not recorded");
                }
                report.kept += 1;
            }
        }
    }
    report
}

/// Hands kept sends over now, then whenever the change feed says the connection came back (or something
/// changed), and at the latest every [`RETRY`] while any are kept. Runs until the feed closes.
pub async fn follow(desk: &Desk, engine: &Engine) {
    let Some(mut changes) = desk.store.changes() else {
        return;
    };
    loop {
        if !all(desk).is_empty() {
            let report = hand_over(desk, engine).await;
            if report.delivered > 0 {
                tracing::info!(
                    delivered = report.delivered,
                    kept = report.kept,
                    "kept sends handed over"
                );
            }
        }
        if let Ok(Err(tokio::sync::broadcast::error::RecvError::Closed)) =
            tokio::time::timeout(RETRY, changes.recv()).await
        {
            return;
        }
    }
}
