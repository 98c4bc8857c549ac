//! [`EngineStore`] on the rows of a `firmadesk-store` [`Store`](firmadesk_store::Store) — the desk's SQLite
//! file or the team database: what the app runs on.
//!
//! The engine's records map onto the dashboard's tables so that what the clerk sees and what the
//! engine resumes from are the same rows:
//!
//! - a send ([`SendRecord`]) is the `sends` row of the request whose local id is the send id; the
//!   whole record is kept as JSON (the step, attempts and deadlines also as columns), and each save
//!   updates the request row's local status (in invio / in coda / bozza / non riuscita) in the same
//!   transaction;
//! - a [`LocalRequest`] is that same request row, found by its IO id; a request created by another
//!   desk of the same body gets the local id [`LocalId::foreign`] (`io-<IO id>`) and an empty fiscal
//!   code (IO never returns one) unless this desk has resolved that signer before;
//! - timeline events and archived files hang off the local id.
//!
//! Writes that read a row first (status merges) hold one lock, so the saga and the poller never
//! overwrite each other's fields (in team mode they run in the one worker, so one lock is enough).

use crate::clock::unix_ms;
use crate::error::EngineError;
use crate::store::Expiry;
use crate::store::{
    ArchivedFile, Delivery, EngineStore, Event, IoRequestId, Lease, LocalId, LocalRequest, SendRecord, SendStep,
    StoreResult,
};
use firmadesk_store::{Request, SendState, Status};
use iosign::SignatureRequestStatus;
use std::sync::Arc;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// The engine's store on a `firmadesk-store` database.
pub struct RowStore {
    db: Arc<dyn firmadesk_store::Store>,
    write: tokio::sync::Mutex<()>,
    /// Per profile whose key this engine works for: the store as the lease's holder (fenced writes).
    fenced: std::sync::Mutex<std::collections::HashMap<String, Arc<dyn firmadesk_store::Store>>>,
}

impl std::fmt::Debug for RowStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RowStore").field("db", &self.db).finish()
    }
}

impl RowStore {
    /// Wraps an open store (the dashboard reads the same one).
    pub fn new(db: Arc<dyn firmadesk_store::Store>) -> Self {
        Self {
            db,
            write: tokio::sync::Mutex::new(()),
            fenced: std::sync::Mutex::new(std::collections::HashMap::new()),
        }
    }

    /// Where the saga's and the poller's writes about `profile_id` go: through the fence while this
    /// engine holds the key's lease.
    fn writer(&self, profile_id: &str) -> Arc<dyn firmadesk_store::Store> {
        self.fenced
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(profile_id)
            .cloned()
            .unwrap_or_else(|| self.db.clone())
    }

    /// The underlying store.
    pub fn db(&self) -> &Arc<dyn firmadesk_store::Store> {
        &self.db
    }
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

/// The request row of a send no desk wrote first.
fn row_of_spec(record: &SendRecord, now: i64) -> Request {
    let spec = &record.spec;
    Request {
        document_type: spec.document_type.name.clone(),
        title: spec.title.clone(),
        signer_name: spec.signer.display_name.clone(),
        fiscal_code: spec.signer.fiscal_code.to_string(),
        delivery: delivery_name(spec.delivery).to_owned(),
        expires_at: spec.expires_at.map(unix_ms),
        ..Request::unsent(record.send_id.clone(), spec.profile_id.clone(), Status::Sending, now)
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

impl RowStore {
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
            local_id: row.id.clone(),
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
}

#[async_trait::async_trait]
impl EngineStore for RowStore {
    async fn dossier_id(&self, profile_id: &str, document_type: &str) -> StoreResult<Option<String>> {
        self.db
            .dossier_id(profile_id, document_type)
            .await
            .map_err(EngineError::store)
    }

    async fn set_dossier_id(&self, profile_id: &str, document_type: &str, dossier_id: &str) -> StoreResult<()> {
        self.writer(profile_id)
            .set_dossier_id(profile_id, document_type, dossier_id)
            .await
            .map_err(EngineError::store)
    }

    async fn dossiers(&self, profile_id: &str) -> StoreResult<Vec<(String, String)>> {
        self.db.dossiers(profile_id).await.map_err(EngineError::store)
    }

    async fn signer_id(&self, profile_id: &str, fiscal_code: &str) -> StoreResult<Option<String>> {
        self.db
            .signer_id(profile_id, fiscal_code)
            .await
            .map_err(EngineError::store)
    }

    async fn set_signer_id(&self, profile_id: &str, fiscal_code: &str, signer_id: &str) -> StoreResult<()> {
        self.writer(profile_id)
            .set_signer_id(profile_id, fiscal_code, signer_id)
            .await
            .map_err(EngineError::store)
    }

    async fn save_send(&self, record: &SendRecord) -> StoreResult<()> {
        let _guard = self.write.lock().await;
        let spec = &record.spec;
        let now = unix_ms(record.updated_at);
        // The desk writes the request row (what the clerk typed, with its documents and first event) before
        // it hands the send over; the saga only moves its own columns below. A row is made here only when
        // the engine runs without a desk (its own tests and benchmarks).
        let mut row = match self.db.request(&record.send_id).await.map_err(EngineError::store)? {
            Some(row) => row,
            None => row_of_spec(record, now),
        };
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
                    .await
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
            next_attempt_at: record.next_attempt_at.map(unix_ms),
            create_attempted_at: record.create_attempted_at.map(unix_ms),
            last_error: record.last_error.clone(),
            updated_at: now,
        };
        self.writer(&spec.profile_id)
            .save_request_row(&row, Some(&state), absorb.as_ref())
            .await
            .map_err(EngineError::store)
    }

    async fn send(&self, send_id: &LocalId) -> StoreResult<Option<SendRecord>> {
        match self.db.send(send_id).await.map_err(EngineError::store)? {
            Some(s) => serde_json::from_str(&s.state_json)
                .map(Some)
                .map_err(EngineError::store),
            None => Ok(None),
        }
    }

    async fn unfinished_sends(&self) -> StoreResult<Vec<SendRecord>> {
        self.db
            .unfinished_sends()
            .await
            .map_err(EngineError::store)?
            .iter()
            .map(|s| serde_json::from_str(&s.state_json).map_err(EngineError::store))
            .collect()
    }

    async fn request(&self, profile_id: &str, request_id: &IoRequestId) -> StoreResult<Option<LocalRequest>> {
        match self
            .db
            .request_by_io_id(profile_id, request_id)
            .await
            .map_err(EngineError::store)?
        {
            Some(row) => self.to_local(&row),
            None => Ok(None),
        }
    }

    async fn upsert_request(&self, r: &LocalRequest) -> StoreResult<()> {
        let _guard = self.write.lock().await;
        let by_io_id = self
            .db
            .request_by_io_id(&r.profile_id, &r.request_id)
            .await
            .map_err(EngineError::store)?;
        let by_send = self.db.request(&r.local_id).await.map_err(EngineError::store)?;
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
                    .await
                    .map_err(EngineError::store)?
                    .unwrap_or_default();
                let signer_name = if known_name.is_empty() {
                    r.signer_name.clone()
                } else {
                    known_name
                };
                Request {
                    document_type: r.document_type.clone(),
                    title: r.title.clone(),
                    signer_name,
                    fiscal_code,
                    updated_at: unix_ms(r.updated_at),
                    ..Request::unsent(
                        r.local_id.clone(),
                        r.profile_id.clone(),
                        Status::Sending,
                        unix_ms(r.created_at),
                    )
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
            row.signed_at = Some(unix_ms(r.updated_at));
        }
        if r.reject_reason.is_some() || !saga_owned(row.status) {
            row.reject_reason.clone_from(&r.reject_reason);
        }
        row.expires_at = Some(unix_ms(r.expires_at));
        row.published_at = r.published_at.map(unix_ms).or(row.published_at);
        row.archived = r.archived;
        row.io_created_at = Some(rfc3339(r.created_at)?);
        row.io_updated_at = Some(rfc3339(r.updated_at)?);
        row.expiry_notice = Some(expiry_name(r.expiry).to_owned());
        row.updated_at = row.updated_at.max(unix_ms(r.updated_at));
        self.writer(&r.profile_id)
            .save_request_row(&row, None, absorb.as_ref())
            .await
            .map_err(EngineError::store)
    }

    async fn requests_in_dossier(&self, profile_id: &str, dossier_id: &str) -> StoreResult<Vec<LocalRequest>> {
        let rows = self
            .db
            .requests_in_dossier(profile_id, dossier_id)
            .await
            .map_err(EngineError::store)?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            if let Some(l) = self.to_local(row)? {
                out.push(l);
            }
        }
        Ok(out)
    }

    async fn record_event(&self, event: &Event) -> StoreResult<()> {
        if self
            .db
            .request(&event.request_id)
            .await
            .map_err(EngineError::store)?
            .is_none()
        {
            tracing::warn!(code = %event.code, "timeline event for an unknown request: not recorded");
            return Ok(());
        }
        self.db.add_event(event).await.map_err(EngineError::store)
    }

    async fn record_archive(&self, file: &ArchivedFile) -> StoreResult<()> {
        self.db.record_archive(file).await.map_err(EngineError::store)
    }

    async fn archived_files(&self, request_id: &LocalId) -> StoreResult<Vec<ArchivedFile>> {
        self.db.archived_files(request_id).await.map_err(EngineError::store)
    }

    async fn record_verification(&self, v: &firmadesk_store::Verification) -> StoreResult<()> {
        self.db.record_verification(v).await.map_err(EngineError::store)
    }

    async fn protocol_number(&self, request_id: &LocalId) -> StoreResult<Option<String>> {
        let found = self
            .db
            .protocols(std::slice::from_ref(request_id))
            .await
            .map_err(EngineError::store)?;
        Ok(found
            .into_iter()
            .next()
            .map(|p| p.number)
            .filter(|n| !n.trim().is_empty()))
    }

    async fn record_evidence(&self, request_id: &LocalId, json: &str, now_ms: i64) -> StoreResult<()> {
        self.db
            .record_evidence(request_id, json, now_ms)
            .await
            .map_err(EngineError::store)
    }

    async fn try_lease(&self, profile_id: &str, holder: &str, now_ms: i64, ttl_ms: i64) -> StoreResult<Option<Lease>> {
        self.db
            .try_lease(profile_id, holder, now_ms, ttl_ms)
            .await
            .map_err(EngineError::store)
    }

    async fn release_lease(&self, lease: &Lease) -> StoreResult<()> {
        self.db.release_lease(lease).await.map_err(EngineError::store)
    }

    async fn put_file(&self, sha256: &str, bytes: &[u8], now_ms: i64) -> StoreResult<()> {
        self.db
            .put_file(sha256, bytes, now_ms)
            .await
            .map_err(EngineError::store)
    }

    async fn file(&self, sha256: &str) -> StoreResult<Option<Vec<u8>>> {
        self.db.file(sha256).await.map_err(EngineError::store)
    }

    fn changes(&self) -> Option<tokio::sync::broadcast::Receiver<firmadesk_store::Change>> {
        self.db.changes()
    }

    fn shares_outbox(&self) -> bool {
        self.db.backend() == firmadesk_store::Backend::Postgres
    }

    fn fence(&self, profile_id: &str, lease: Option<Lease>) {
        let mut fenced = self.fenced.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match lease {
            Some(lease) => fenced.insert(profile_id.to_owned(), self.db.clone().as_worker(lease)),
            None => fenced.remove(profile_id),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{DocumentType, SendSpec, SignerInfo};
    use time::macros::datetime;

    fn spec(title: &str) -> SendSpec {
        SendSpec {
            profile_id: "p".into(),
            document_type: DocumentType {
                name: "Accordo".into(),
                dossier_title: "Accordo con il Comune".into(),
                documents_metadata: vec![],
                support_email: None,
            },
            signer: SignerInfo {
                fiscal_code: "RSSMRA80A01H501U".parse().unwrap(),
                display_name: "Mario Rossi".into(),
            },
            title: title.into(),
            documents: vec![],
            expires_at: None,
            delivery: Delivery::IoMessage,
        }
    }

    /// The desk is the one writer of what the clerk typed: a saga step saved on the desk's row moves the
    /// saga's columns (status, IO ids) and leaves the clerk's alone, whatever the saved send carries.
    #[tokio::test]
    async fn a_saga_step_leaves_the_clerks_columns_to_the_desk() {
        let now = datetime!(2026-12-03 10:00 UTC);
        let db = Arc::new(firmadesk_store::SqliteStore::open_in_memory(unix_ms(now)).unwrap());
        let profile = firmadesk_store::Profile {
            id: "p".into(),
            name: "Comune".into(),
            environment: firmadesk_store::Environment::Prova,
            base_url: "http://127.0.0.1:1/api/v1/sign".into(),
            support_email: None,
            oidc_issuer: None,
            oidc_client_id: None,
            oidc_scopes: None,
            testers: Vec::new(),
        };
        db.upsert_profile(&profile, unix_ms(now)).unwrap();
        let mut desk_row = row_of_spec(&SendRecord::new("r1", spec("Contratto"), now), unix_ms(now));
        desk_row.status = Status::Draft;
        desk_row.signer_name = "Mario Rossi (sportello)".into();
        db.save_request(&desk_row, &[], &[]).unwrap();

        let store = RowStore::new(db.clone());
        let mut record = SendRecord::new("r1", spec("Titolo cambiato altrove"), now);
        record.step = SendStep::Upload;
        record.dossier_id = Some("01DOSSIER".into());
        record.request_id = Some("01IOREQ".into());
        store.save_send(&record).await.unwrap();

        let row = db.request(&"r1".into()).unwrap().unwrap();
        assert_eq!(row.title, "Contratto");
        assert_eq!(row.signer_name, "Mario Rossi (sportello)");
        assert_eq!(row.status, Status::Sending);
        assert_eq!(row.dossier_id.as_deref(), Some("01DOSSIER"));
        assert_eq!(row.io_request_id, Some("01IOREQ".into()));
        assert_eq!(store.send(&"r1".into()).await.unwrap(), Some(record));
    }
}
