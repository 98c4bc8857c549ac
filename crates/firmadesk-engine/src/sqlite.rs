//! [`EngineStore`] on the SQLite cache of `firmadesk-store`: what the app runs on.
//!
//! The engine's records map onto the dashboard's tables so that what the clerk sees and what the
//! engine resumes from are the same rows:
//!
//! - a send ([`SendRecord`]) is the `sends` row of the request whose local id is the send id; the
//!   whole record is kept as JSON (the step, attempts and deadlines also as columns), and each save
//!   updates the request row's local status (in invio / in coda / bozza / non riuscita) in the same
//!   transaction;
//! - a [`LocalRequest`] is that same request row, found by its IO id; a request created by another
//!   desk of the same body gets the local id `io-<IO id>` and an empty fiscal code (IO never returns
//!   one) unless this desk has resolved that signer before;
//! - timeline events and archived files hang off the local id.
//!
//! Writes that read a row first (status merges) hold one lock, so the saga and the poller never
//! overwrite each other's fields.

use crate::error::EngineError;
use crate::store::Expiry;
use crate::store::{
    ArchivedFile, Delivery, EngineStore, LocalRequest, SendRecord, SendStep, StoreResult, TimelineEvent,
};
use firmadesk_store::{Request, SendState, Status, Store};
use iosign::SignatureRequestStatus;
use std::sync::{Arc, Mutex};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// The engine's store on a `firmadesk-store` database.
pub struct SqliteStore {
    db: Arc<Store>,
    write: Mutex<()>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").field("db", &self.db).finish()
    }
}

impl SqliteStore {
    /// Wraps an open store (the dashboard reads the same one).
    pub fn new(db: Arc<Store>) -> Self {
        Self {
            db,
            write: Mutex::new(()),
        }
    }

    /// The underlying store.
    pub fn db(&self) -> &Arc<Store> {
        &self.db
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ()> {
        self.write.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Local id of a request another desk created.
fn foreign_id(io_request_id: &str) -> String {
    format!("io-{io_request_id}")
}

fn ms(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

fn from_ms(ms: i64) -> StoreResult<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).map_err(EngineError::store)
}

fn rfc3339(t: OffsetDateTime) -> StoreResult<String> {
    t.format(&Rfc3339).map_err(EngineError::store)
}

fn parse_rfc3339(s: &str) -> StoreResult<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).map_err(EngineError::store)
}

fn step_name(step: SendStep) -> StoreResult<String> {
    match serde_json::to_value(step).map_err(EngineError::store)? {
        serde_json::Value::String(s) => Ok(s),
        other => Err(EngineError::store(format!("step serialised as {other}"))),
    }
}

fn expiry_name(e: Expiry) -> &'static str {
    match e {
        Expiry::Valid => "valid",
        Expiry::Expiring => "expiring",
        Expiry::Expired => "expired",
    }
}

fn expiry_parse(s: Option<&str>) -> Expiry {
    match s {
        Some("expiring") => Expiry::Expiring,
        Some("expired") => Expiry::Expired,
        _ => Expiry::Valid,
    }
}

/// Local status shown while the saga owns the request.
fn send_status(record: &SendRecord) -> Status {
    match record.step {
        SendStep::Waiting => Status::Waiting,
        SendStep::NeedsEdit => Status::Draft,
        SendStep::Failed => Status::Failed,
        _ if record.next_attempt_at.is_some() && record.last_error.is_some() => Status::Queued,
        _ => Status::Sending,
    }
}

/// Local status of an IO status; `None` while IO has not published it yet (the saga's status holds).
fn io_status(status: &SignatureRequestStatus) -> Option<Status> {
    match status {
        SignatureRequestStatus::WaitForSignature => Some(Status::Waiting),
        SignatureRequestStatus::Signed => Some(Status::Signed),
        SignatureRequestStatus::Rejected => Some(Status::Rejected),
        SignatureRequestStatus::Cancelled => Some(Status::Cancelled),
        _ => None,
    }
}

/// Statuses the saga may set; once IO has spoken (waiting, signed...) only the poller moves it.
fn saga_owned(status: Status) -> bool {
    matches!(
        status,
        Status::Draft | Status::Sending | Status::Queued | Status::Failed
    )
}

fn delivery_name(d: Delivery) -> &'static str {
    match d {
        Delivery::IoMessage => "io_message",
        Delivery::QrOnly => "qr_only",
    }
}

impl SqliteStore {
    fn to_local(&self, row: &Request) -> StoreResult<Option<LocalRequest>> {
        let (Some(request_id), Some(dossier_id), Some(signer_id), Some(io_status)) =
            (&row.io_request_id, &row.dossier_id, &row.signer_id, &row.io_status)
        else {
            return Ok(None);
        };
        let created_at = match &row.io_created_at {
            Some(s) => parse_rfc3339(s)?,
            None => from_ms(row.created_at)?,
        };
        let updated_at = match &row.io_updated_at {
            Some(s) => parse_rfc3339(s)?,
            None => from_ms(row.updated_at)?,
        };
        Ok(Some(LocalRequest {
            profile_id: row.profile_id.clone(),
            request_id: request_id.clone(),
            dossier_id: dossier_id.clone(),
            signer_id: signer_id.clone(),
            send_id: (row.id != foreign_id(request_id)).then(|| row.id.clone()),
            document_type: row.document_type.clone(),
            signer_name: row.signer_name.clone(),
            title: row.title.clone(),
            status: SignatureRequestStatus::from_wire(io_status),
            created_at,
            updated_at,
            expires_at: from_ms(row.expires_at.unwrap_or(row.created_at))?,
            reject_reason: row.reject_reason.clone(),
            expiry: expiry_parse(row.expiry_notice.as_deref()),
            archived: row.archived,
            published_at: row.published_at.map(from_ms).transpose()?,
        }))
    }

    fn local_id(&self, send_id: Option<&str>, request_id: Option<&str>) -> StoreResult<Option<String>> {
        if let Some(s) = send_id {
            return Ok(Some(s.to_owned()));
        }
        match request_id {
            Some(r) => self.db.local_id_of(r).map_err(EngineError::store),
            None => Ok(None),
        }
    }
}

impl EngineStore for SqliteStore {
    fn dossier_id(&self, profile_id: &str, document_type: &str) -> StoreResult<Option<String>> {
        self.db
            .dossier_id(profile_id, document_type)
            .map_err(EngineError::store)
    }

    fn set_dossier_id(&self, profile_id: &str, document_type: &str, dossier_id: &str) -> StoreResult<()> {
        self.db
            .set_dossier_id(profile_id, document_type, dossier_id)
            .map_err(EngineError::store)
    }

    fn dossiers(&self, profile_id: &str) -> StoreResult<Vec<(String, String)>> {
        self.db.dossiers(profile_id).map_err(EngineError::store)
    }

    fn signer_id(&self, profile_id: &str, fiscal_code: &str) -> StoreResult<Option<String>> {
        self.db.signer_id(profile_id, fiscal_code).map_err(EngineError::store)
    }

    fn set_signer_id(&self, profile_id: &str, fiscal_code: &str, signer_id: &str) -> StoreResult<()> {
        self.db
            .set_signer_id(profile_id, fiscal_code, signer_id)
            .map_err(EngineError::store)
    }

    fn save_send(&self, record: &SendRecord) -> StoreResult<()> {
        let _guard = self.lock();
        let spec = &record.spec;
        let now = ms(record.updated_at);
        let mut row = match self.db.request(&record.send_id).map_err(EngineError::store)? {
            Some(row) => row,
            None => Request {
                id: record.send_id.clone(),
                profile_id: spec.profile_id.clone(),
                document_type: spec.document_type.name.clone(),
                title: spec.title.clone(),
                signer_name: spec.signer.display_name.clone(),
                fiscal_code: spec.signer.fiscal_code.to_string(),
                status: Status::Sending,
                io_status: None,
                io_request_id: None,
                dossier_id: None,
                signer_id: None,
                delivery: delivery_name(spec.delivery).to_owned(),
                qr_code_url: None,
                reject_reason: None,
                created_at: now,
                updated_at: now,
                expires_at: spec.expires_at.map(ms),
                published_at: None,
                signed_at: None,
                archived: false,
                io_created_at: None,
                io_updated_at: None,
                expiry_notice: None,
            },
        };
        // What the clerk asked for (a resubmission may have changed it).
        row.profile_id.clone_from(&spec.profile_id);
        row.document_type.clone_from(&spec.document_type.name);
        row.title.clone_from(&spec.title);
        row.signer_name.clone_from(&spec.signer.display_name);
        spec.signer.fiscal_code.as_str().clone_into(&mut row.fiscal_code);
        row.delivery = delivery_name(spec.delivery).to_owned();
        if row.io_status.is_none() {
            row.expires_at = spec.expires_at.map(ms).or(row.expires_at);
        }
        if record.dossier_id.is_some() {
            row.dossier_id.clone_from(&record.dossier_id);
        }
        if record.signer_id.is_some() {
            row.signer_id.clone_from(&record.signer_id);
        }
        // A row the poller made for this IO request before the send claimed it is merged into ours.
        let mut absorb = None;
        if let Some(io_id) = &record.request_id {
            if row.io_request_id.as_ref() != Some(io_id) {
                absorb = self
                    .db
                    .request_by_io_id(&spec.profile_id, io_id)
                    .map_err(EngineError::store)?
                    .map(|other| other.id);
            }
            row.io_request_id = Some(io_id.clone());
        }
        if saga_owned(row.status) {
            row.status = send_status(record);
            row.reject_reason = match record.step {
                SendStep::NeedsEdit | SendStep::Failed => record.last_error.clone(),
                _ => None,
            };
        }
        row.updated_at = row.updated_at.max(now);
        let state = SendState {
            request_id: record.send_id.clone(),
            step: step_name(record.step)?,
            state_json: serde_json::to_string(record).map_err(EngineError::store)?,
            attempts: record.attempts,
            next_attempt_at: record.next_attempt_at.map(ms),
            create_attempted_at: record.create_attempted_at.map(ms),
            last_error: record.last_error.clone(),
            updated_at: now,
        };
        self.db
            .save_request_row(&row, Some(&state), absorb.as_deref())
            .map_err(EngineError::store)
    }

    fn send(&self, send_id: &str) -> StoreResult<Option<SendRecord>> {
        match self.db.send(send_id).map_err(EngineError::store)? {
            Some(s) => serde_json::from_str(&s.state_json)
                .map(Some)
                .map_err(EngineError::store),
            None => Ok(None),
        }
    }

    fn unfinished_sends(&self) -> StoreResult<Vec<SendRecord>> {
        self.db
            .unfinished_sends()
            .map_err(EngineError::store)?
            .iter()
            .map(|s| serde_json::from_str(&s.state_json).map_err(EngineError::store))
            .collect()
    }

    fn request(&self, profile_id: &str, request_id: &str) -> StoreResult<Option<LocalRequest>> {
        match self
            .db
            .request_by_io_id(profile_id, request_id)
            .map_err(EngineError::store)?
        {
            Some(row) => self.to_local(&row),
            None => Ok(None),
        }
    }

    fn upsert_request(&self, r: &LocalRequest) -> StoreResult<()> {
        let _guard = self.lock();
        let by_io_id = self
            .db
            .request_by_io_id(&r.profile_id, &r.request_id)
            .map_err(EngineError::store)?;
        let by_send = match &r.send_id {
            Some(id) => self.db.request(id).map_err(EngineError::store)?,
            None => None,
        };
        // The send's own row wins; a row the poller made for the same IO request is merged into it.
        let (existing, absorb) = match (by_send, by_io_id) {
            (Some(own), Some(other)) if other.id != own.id => (Some(own), Some(other.id)),
            (Some(own), _) => (Some(own), None),
            (None, other) => (other, None),
        };
        let mut row = match existing {
            Some(row) => row,
            None => {
                let (fiscal_code, known_name) = self
                    .db
                    .signer_by_id(&r.profile_id, &r.signer_id)
                    .map_err(EngineError::store)?
                    .unwrap_or_default();
                let signer_name = if known_name.is_empty() {
                    r.signer_name.clone()
                } else {
                    known_name
                };
                Request {
                    id: r.send_id.clone().unwrap_or_else(|| foreign_id(&r.request_id)),
                    profile_id: r.profile_id.clone(),
                    document_type: r.document_type.clone(),
                    title: r.title.clone(),
                    signer_name,
                    fiscal_code,
                    status: Status::Sending,
                    io_status: None,
                    io_request_id: None,
                    dossier_id: None,
                    signer_id: None,
                    delivery: delivery_name(Delivery::IoMessage).to_owned(),
                    qr_code_url: None,
                    reject_reason: None,
                    created_at: ms(r.created_at),
                    updated_at: ms(r.updated_at),
                    expires_at: None,
                    published_at: None,
                    signed_at: None,
                    archived: false,
                    io_created_at: None,
                    io_updated_at: None,
                    expiry_notice: None,
                }
            }
        };
        row.io_request_id = Some(r.request_id.clone());
        row.dossier_id = Some(r.dossier_id.clone());
        row.signer_id = Some(r.signer_id.clone());
        row.io_status = Some(r.status.as_str().to_owned());
        if let Some(status) = io_status(&r.status) {
            row.status = status;
        }
        if r.status == SignatureRequestStatus::Signed && row.signed_at.is_none() {
            row.signed_at = Some(ms(r.updated_at));
        }
        if r.reject_reason.is_some() || !saga_owned(row.status) {
            row.reject_reason.clone_from(&r.reject_reason);
        }
        row.expires_at = Some(ms(r.expires_at));
        row.published_at = r.published_at.map(ms).or(row.published_at);
        row.archived = r.archived;
        row.io_created_at = Some(rfc3339(r.created_at)?);
        row.io_updated_at = Some(rfc3339(r.updated_at)?);
        row.expiry_notice = Some(expiry_name(r.expiry).to_owned());
        row.updated_at = row.updated_at.max(ms(r.updated_at));
        self.db
            .save_request_row(&row, None, absorb.as_deref())
            .map_err(EngineError::store)
    }

    fn requests_in_dossier(&self, profile_id: &str, dossier_id: &str) -> StoreResult<Vec<LocalRequest>> {
        let rows = self
            .db
            .requests_in_dossier(profile_id, dossier_id)
            .map_err(EngineError::store)?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            if let Some(l) = self.to_local(row)? {
                out.push(l);
            }
        }
        Ok(out)
    }

    fn record_event(&self, event: &TimelineEvent) -> StoreResult<()> {
        let Some(local) = self.local_id(event.send_id.as_deref(), event.request_id.as_deref())? else {
            tracing::warn!(code = %event.code, "timeline event without a local request: not recorded");
            return Ok(());
        };
        if self.db.request(&local).map_err(EngineError::store)?.is_none() {
            tracing::warn!(code = %event.code, "timeline event for an unknown request: not recorded");
            return Ok(());
        }
        self.db
            .add_event(&firmadesk_store::Event {
                request_id: local,
                at: ms(event.at),
                actor: event.actor.clone(),
                code: event.code.clone(),
                text: event.text.clone(),
                detail_json: Some(
                    serde_json::json!({ "io_request_id": event.request_id, "args": event.args }).to_string(),
                ),
            })
            .map_err(EngineError::store)
    }

    fn record_archive(&self, file: &ArchivedFile) -> StoreResult<()> {
        let Some(local) = self.local_id(None, Some(&file.request_id))? else {
            return Err(EngineError::store(format!(
                "archived file for unknown request {}",
                file.request_id
            )));
        };
        self.db
            .record_archive(&firmadesk_store::ArchivedFile {
                request_id: local,
                io_document_id: file.document_id.clone(),
                path: file.path.to_string_lossy().into_owned(),
                sha256: file.sha256.clone(),
                size: file.size,
                archived_at: ms(OffsetDateTime::now_utc()),
            })
            .map_err(EngineError::store)
    }

    fn archived_files(&self, profile_id: &str, request_id: &str) -> StoreResult<Vec<ArchivedFile>> {
        let Some(row) = self
            .db
            .request_by_io_id(profile_id, request_id)
            .map_err(EngineError::store)?
        else {
            return Ok(Vec::new());
        };
        Ok(self
            .db
            .archived_files(&row.id)
            .map_err(EngineError::store)?
            .into_iter()
            .map(|f| ArchivedFile {
                profile_id: profile_id.to_owned(),
                request_id: request_id.to_owned(),
                document_id: f.io_document_id,
                path: f.path.into(),
                sha256: f.sha256,
                size: f.size,
            })
            .collect())
    }
}
