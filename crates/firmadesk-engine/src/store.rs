//! The engine's view of persistence: a narrow [`EngineStore`] trait, the records it keeps, and a
//! [`MemoryStore`] for tests and demo runs.
//!
//! The trait is deliberately small and async (the team database is across the network). Every saga
//! step is saved through [`EngineStore::save_send`] *before* the next step starts: that record is what
//! a restart — or another worker taking over — resumes from.
//!
//! [`RowStore`](crate::RowStore) is the implementation on a `firmadesk-store` store, the desk's SQLite file
//! or the team database (what the app runs on); its module docs say how these records map onto the
//! dashboard's tables.

use crate::error::EngineError;
pub use firmadesk_store::{ArchivedFile, Event, IoRequestId, Lease, LocalId, Verification};
use iosign::{DocumentMetadata, SignatureRequestStatus};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Mutex;
use time::OffsetDateTime;

/// Result of a store call.
pub type StoreResult<T> = Result<T, EngineError>;

/// A document type of the body ("Accordo"): one IO dossier per profile holds its template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentType {
    /// Local name, also the archive folder ("Accordo").
    pub name: String,
    /// Title of the IO dossier (shown in the citizen's IO message).
    pub dossier_title: String,
    /// The dossier's template documents (each request sends its own fields anyway).
    pub documents_metadata: Vec<DocumentMetadata>,
    /// The support email citizens see in IO for this type (the type's own, else the profile's); `None`:
    /// the body's default from the portal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support_email: Option<String>,
}

impl DocumentType {
    /// The key its IO dossier is kept under: IO dossiers cannot be changed, so a type whose title or
    /// support email changed gets a new dossier the next time it is used, and the requests sent before keep
    /// theirs (the poller goes on reading every dossier kept). Dossiers made before this key existed stay
    /// kept under the type's bare name, still read; the next send of that type makes one under the key.
    pub fn dossier_key(&self) -> String {
        use sha2::{Digest, Sha256};
        let identity = serde_json::json!([self.dossier_title, self.support_email]);
        let digest = Sha256::digest(identity.to_string().as_bytes());
        format!("{}#{}", self.name, hex::encode(&digest[..6]))
    }
}

/// The citizen who signs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignerInfo {
    /// Codice fiscale, validated once where the clerk typed it (the type cannot hold an invalid one, and a
    /// saved send that does not hold a valid one does not load).
    pub fiscal_code: iosign::FiscalCode,
    /// Name and surname, for the dashboard and the archive file name.
    pub display_name: String,
}

/// One PDF of a send, with its title and signature fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendDocument {
    /// Title and signature fields, as sent to IO.
    pub metadata: DocumentMetadata,
    /// The PDF on disk (the app's data folder keeps a copy of what the clerk dropped).
    pub path: PathBuf,
    /// Set when the PDF was queued in a shared outbox: its bytes are kept in the team database under
    /// this sha256, so the key's worker (maybe on another machine) uploads them from there, checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

/// How the citizen learns about the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// Send the IO message.
    IoMessage,
    /// Only the QR code (shown at the counter); no IO message.
    QrOnly,
}

/// What the clerk asked for: everything the saga needs, persisted with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendSpec {
    /// Profile (body + API key) sending it.
    pub profile_id: String,
    /// Document type.
    pub document_type: DocumentType,
    /// The citizen.
    pub signer: SignerInfo,
    /// Title for the dashboard and the archive.
    pub title: String,
    /// The documents, in order.
    pub documents: Vec<SendDocument>,
    /// Expiry; `None` = the service's default (90 days).
    #[serde(default, with = "iosign::types::timestamp::option")]
    pub expires_at: Option<OffsetDateTime>,
    /// IO message or QR only.
    pub delivery: Delivery,
}

/// Expiry computed locally (the service has no EXPIRED status).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expiry {
    /// More than 48 h left.
    Valid,
    /// "in scadenza": less than 48 h to `expires_at`.
    Expiring,
    /// "scaduta": past `expires_at`; the IO app no longer lets the citizen sign.
    Expired,
}

impl Expiry {
    /// Italian label.
    pub fn label_it(self) -> &'static str {
        match self {
            Self::Valid => "valida",
            Self::Expiring => "in scadenza",
            Self::Expired => "scaduta",
        }
    }

    /// The state at `now` of a request expiring at `expires_at`.
    pub fn at(now: OffsetDateTime, expires_at: OffsetDateTime) -> Self {
        if now >= expires_at {
            Self::Expired
        } else if expires_at - now <= time::Duration::hours(48) {
            Self::Expiring
        } else {
            Self::Valid
        }
    }
}

/// Where a send is. Each value is saved before the work it names begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SendStep {
    /// Find or create the IO dossier of the document type.
    EnsureDossier,
    /// `POST /signers`.
    ResolveSigner,
    /// `POST /signature-requests` (see [`SendRecord::create_attempted_at`]).
    CreateRequest,
    /// Fresh upload URL and upload, per document.
    Upload,
    /// Wait until every document is READY (or one is REJECTED).
    WaitValidation,
    /// `PUT status READY`.
    Publish,
    /// Wait for WAIT_FOR_SIGNATURE.
    WaitPublished,
    /// `PUT notification` (skipped for QR-only).
    Notify,
    /// Done: waiting for the citizen (the poller takes over).
    Waiting,
    /// Team mode: a desk without the key asked to cancel the waiting request; the key's worker does it
    /// and the send is back at [`SendStep::Waiting`] (the request's status says cancelled, or why not).
    Cancel,
    /// A document was rejected: the clerk fixes the draft and resubmits.
    NeedsEdit,
    /// Stopped by a permanent error: the clerk must act.
    Failed,
}

impl SendStep {
    /// Whether the saga still has work to do.
    pub fn is_unfinished(self) -> bool {
        !matches!(self, Self::Waiting | Self::NeedsEdit | Self::Failed)
    }

    /// Italian label for the timeline.
    pub fn label_it(self) -> &'static str {
        match self {
            Self::EnsureDossier => "Preparazione del dossier",
            Self::ResolveSigner => "Verifica del firmatario su IO",
            Self::CreateRequest => "Creazione della richiesta di firma",
            Self::Upload => "Caricamento dei documenti",
            Self::WaitValidation => "Verifica dei documenti",
            Self::Publish => "Pubblicazione della richiesta",
            Self::WaitPublished => "Attesa della pubblicazione",
            Self::Notify => "Invio del messaggio IO",
            Self::Waiting => "In attesa di firma",
            Self::Cancel => "Annullamento della richiesta",
            Self::NeedsEdit => "Da correggere",
            Self::Failed => "Non riuscita",
        }
    }
}

/// The persisted state of one send (the outbox row).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendRecord {
    /// Local id of the request this send makes.
    pub send_id: LocalId,
    /// What to send.
    pub spec: SendSpec,
    /// Current step.
    pub step: SendStep,
    /// IO dossier, once known.
    pub dossier_id: Option<String>,
    /// IO signer id, once known.
    pub signer_id: Option<String>,
    /// Set (and saved) right before `POST /signature-requests` is sent, and kept while
    /// `request_id` is unknown: its presence means "a create may exist on IO" and its value
    /// bounds the `created_at` of the request to adopt. Never create again while it is set
    /// without first listing the dossier.
    #[serde(default, with = "iosign::types::timestamp::option")]
    pub create_attempted_at: Option<OffsetDateTime>,
    /// The service's time at that attempt (its `Date` header plus monotonic time since, see
    /// `iosign::Client::server_now`): what reconciliation compares with IO's `created_at`, so a
    /// desk clock that is off by hours neither hides the request it created nor duplicates it.
    /// `None` on records saved before this field existed.
    #[serde(default, with = "iosign::types::timestamp::option")]
    pub create_attempted_server_at: Option<OffsetDateTime>,
    /// SHA-256 (hex) of every document uploaded by this send: a "signed" download with one of
    /// these hashes is the unsigned original and is never archived.
    #[serde(default)]
    pub uploaded_sha256: Vec<String>,
    /// IO signature request id, once known.
    pub request_id: Option<IoRequestId>,
    /// Set before `PUT /notification` is sent: after a crash, re-read `notification` first.
    pub notify_attempted: bool,
    /// Consecutive failed attempts of the current step.
    pub attempts: u32,
    /// When a queued send tries again.
    #[serde(default, with = "iosign::types::timestamp::option")]
    pub next_attempt_at: Option<OffsetDateTime>,
    /// Last error, in Italian.
    pub last_error: Option<String>,
    /// The kind of the last error, so the desk can word it in the clerk's language.
    #[serde(default)]
    pub last_error_kind: Option<crate::error::EngineErrorKind>,
    /// Last change.
    #[serde(with = "iosign::types::timestamp")]
    pub updated_at: OffsetDateTime,
}

impl SendRecord {
    /// A new send at its first step.
    pub fn new(send_id: impl Into<LocalId>, spec: SendSpec, now: OffsetDateTime) -> Self {
        Self {
            send_id: send_id.into(),
            spec,
            step: SendStep::EnsureDossier,
            dossier_id: None,
            signer_id: None,
            create_attempted_at: None,
            create_attempted_server_at: None,
            uploaded_sha256: Vec::new(),
            request_id: None,
            notify_attempted: false,
            attempts: 0,
            next_attempt_at: None,
            last_error: None,
            last_error_kind: None,
            updated_at: now,
        }
    }
}

/// The local copy of a signature request (what the dashboard shows offline).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalRequest {
    /// Profile.
    pub profile_id: String,
    /// Local id: the send's when this desk sent it, [`LocalId::foreign`] otherwise.
    pub local_id: LocalId,
    /// IO id.
    pub request_id: IoRequestId,
    /// IO dossier.
    pub dossier_id: String,
    /// IO signer id.
    pub signer_id: String,
    /// Document type name (archive folder).
    pub document_type: String,
    /// Signer's name (archive file name); the signer id when unknown.
    pub signer_name: String,
    /// Title.
    pub title: String,
    /// Last known status.
    pub status: SignatureRequestStatus,
    /// IO `created_at`.
    #[serde(with = "iosign::types::timestamp")]
    pub created_at: OffsetDateTime,
    /// IO `updated_at`: with `status`, what the poller compares.
    #[serde(with = "iosign::types::timestamp")]
    pub updated_at: OffsetDateTime,
    /// IO `expires_at`.
    #[serde(with = "iosign::types::timestamp")]
    pub expires_at: OffsetDateTime,
    /// Reason of a REJECTED request.
    pub reject_reason: Option<String>,
    /// Last expiry state announced.
    pub expiry: Expiry,
    /// Every signed document is in the archive.
    pub archived: bool,
    /// When this desk published it (fast polling right after).
    #[serde(default, with = "iosign::types::timestamp::option")]
    pub published_at: Option<OffsetDateTime>,
}

/// What the engine needs from the store (the desk's SQLite file, or the team database).
#[async_trait::async_trait]
pub trait EngineStore: Send + Sync + 'static {
    /// The IO dossier of a document type for a profile.
    async fn dossier_id(&self, profile_id: &str, document_type: &str) -> StoreResult<Option<String>>;
    /// Records the IO dossier of a document type.
    async fn set_dossier_id(&self, profile_id: &str, document_type: &str, dossier_id: &str) -> StoreResult<()>;
    /// Every `(document type, dossier id)` of a profile (what the poller lists).
    async fn dossiers(&self, profile_id: &str) -> StoreResult<Vec<(String, String)>>;
    /// Cached IO signer id of a fiscal code (stable per issuer).
    async fn signer_id(&self, profile_id: &str, fiscal_code: &str) -> StoreResult<Option<String>>;
    /// Caches a signer id.
    async fn set_signer_id(&self, profile_id: &str, fiscal_code: &str, signer_id: &str) -> StoreResult<()>;
    /// Inserts or replaces a send (one transaction: this is the saga's commit point).
    async fn save_send(&self, record: &SendRecord) -> StoreResult<()>;
    /// A send by id.
    async fn send(&self, send_id: &LocalId) -> StoreResult<Option<SendRecord>>;
    /// Sends whose step [`is_unfinished`](SendStep::is_unfinished), to resume at start.
    async fn unfinished_sends(&self) -> StoreResult<Vec<SendRecord>>;
    /// A local request.
    async fn request(&self, profile_id: &str, request_id: &IoRequestId) -> StoreResult<Option<LocalRequest>>;
    /// Inserts or replaces a local request.
    async fn upsert_request(&self, request: &LocalRequest) -> StoreResult<()>;
    /// Local requests of a dossier.
    async fn requests_in_dossier(&self, profile_id: &str, dossier_id: &str) -> StoreResult<Vec<LocalRequest>>;
    /// Appends to a request's timeline.
    async fn record_event(&self, event: &Event) -> StoreResult<()>;
    /// Records an archived file.
    async fn record_archive(&self, file: &ArchivedFile) -> StoreResult<()>;
    /// Archived files of a request.
    async fn archived_files(&self, request_id: &LocalId) -> StoreResult<Vec<ArchivedFile>>;
    /// Records the verification of an archived document (replacing the one of the same document).
    async fn record_verification(&self, verification: &Verification) -> StoreResult<()>;
    /// The request's protocol number, if the clerk typed one (the archive names its files by it).
    async fn protocol_number(&self, request_id: &LocalId) -> StoreResult<Option<String>>;
    /// Keeps IO Sign's evidence of a signed request (its JSON, download links removed).
    async fn record_evidence(&self, request_id: &LocalId, json: &str, now_ms: i64) -> StoreResult<()>;
    /// Takes or renews the lease on a profile's key (see `firmadesk_store::Store::try_lease`).
    async fn try_lease(&self, profile_id: &str, holder: &str, now_ms: i64, ttl_ms: i64) -> StoreResult<Option<Lease>>;
    /// Gives a lease up.
    async fn release_lease(&self, lease: &Lease) -> StoreResult<()>;
    /// From now on this engine's writes about `profile_id` go through only while `lease` is still its
    /// own (`None`: the engine no longer works for that key).
    fn fence(&self, profile_id: &str, lease: Option<Lease>);
    /// Keeps a file's bytes under their sha256 (see `firmadesk_store::Store::put_file`).
    async fn put_file(&self, sha256: &str, bytes: &[u8], now_ms: i64) -> StoreResult<()>;
    /// A kept file's bytes, checked against their sha256.
    async fn file(&self, sha256: &str) -> StoreResult<Option<Vec<u8>>>;
    /// Changes other processes commit (the team database's feed); `None` where nobody else writes. The
    /// key's worker picks a desk's queued send up as it is committed instead of at its next round.
    fn changes(&self) -> Option<tokio::sync::broadcast::Receiver<firmadesk_store::Change>> {
        None
    }
    /// Whether other processes read this outbox (the team database): a send queued for a key this
    /// process does not hold is then run by the key's worker elsewhere; on a desk's own store it
    /// would wait for nobody.
    fn shares_outbox(&self) -> bool {
        false
    }
}

#[derive(Default)]
struct Mem {
    dossiers: BTreeMap<(String, String), String>,
    signers: HashMap<(String, String), String>,
    sends: BTreeMap<LocalId, SendRecord>,
    /// Keyed (profile, dossier, request) so a dossier's requests are one range.
    requests: BTreeMap<(String, String, IoRequestId), LocalRequest>,
    /// (profile, request) → dossier.
    request_dossier: HashMap<(String, IoRequestId), String>,
    events: Vec<Event>,
    archive: Vec<ArchivedFile>,
    verifications: Vec<Verification>,
    protocol_numbers: HashMap<LocalId, String>,
    evidence: HashMap<LocalId, String>,
    leases: HashMap<String, Lease>,
    files: HashMap<String, Vec<u8>>,
}

/// An in-memory [`EngineStore`]. Shared through an `Arc`, it outlives an engine: tests drop the
/// engine ("crash") and start another on the same store.
#[derive(Default)]
pub struct MemoryStore {
    mem: Mutex<Mem>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Mem> {
        self.mem.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The whole timeline, in order.
    pub fn events(&self) -> Vec<Event> {
        self.lock().events.clone()
    }

    /// Every verification recorded, in order.
    pub fn verifications(&self) -> Vec<Verification> {
        self.lock().verifications.clone()
    }

    /// Gives a request a protocol number (what the clerk types in the app).
    pub fn set_protocol_number(&self, request_id: &LocalId, number: &str) {
        self.lock()
            .protocol_numbers
            .insert(request_id.clone(), number.to_owned());
    }

    /// The evidence recorded for a request.
    pub fn evidence(&self, request_id: &LocalId) -> Option<String> {
        self.lock().evidence.get(request_id).cloned()
    }

    /// Every local request.
    pub fn all_requests(&self) -> Vec<LocalRequest> {
        self.lock().requests.values().cloned().collect()
    }
}

fn k2(a: &str, b: &str) -> (String, String) {
    (a.to_owned(), b.to_owned())
}

#[async_trait::async_trait]
impl EngineStore for MemoryStore {
    async fn dossier_id(&self, profile_id: &str, document_type: &str) -> StoreResult<Option<String>> {
        Ok(self.lock().dossiers.get(&k2(profile_id, document_type)).cloned())
    }

    async fn set_dossier_id(&self, profile_id: &str, document_type: &str, dossier_id: &str) -> StoreResult<()> {
        self.lock()
            .dossiers
            .insert(k2(profile_id, document_type), dossier_id.to_owned());
        Ok(())
    }

    async fn dossiers(&self, profile_id: &str) -> StoreResult<Vec<(String, String)>> {
        Ok(self
            .lock()
            .dossiers
            .iter()
            .filter(|((p, _), _)| p == profile_id)
            .map(|((_, t), d)| (t.clone(), d.clone()))
            .collect())
    }

    async fn signer_id(&self, profile_id: &str, fiscal_code: &str) -> StoreResult<Option<String>> {
        Ok(self.lock().signers.get(&k2(profile_id, fiscal_code)).cloned())
    }

    async fn set_signer_id(&self, profile_id: &str, fiscal_code: &str, signer_id: &str) -> StoreResult<()> {
        self.lock()
            .signers
            .insert(k2(profile_id, fiscal_code), signer_id.to_owned());
        Ok(())
    }

    async fn save_send(&self, record: &SendRecord) -> StoreResult<()> {
        self.lock().sends.insert(record.send_id.clone(), record.clone());
        Ok(())
    }

    async fn send(&self, send_id: &LocalId) -> StoreResult<Option<SendRecord>> {
        Ok(self.lock().sends.get(send_id).cloned())
    }

    async fn unfinished_sends(&self) -> StoreResult<Vec<SendRecord>> {
        Ok(self
            .lock()
            .sends
            .values()
            .filter(|s| s.step.is_unfinished())
            .cloned()
            .collect())
    }

    async fn request(&self, profile_id: &str, request_id: &IoRequestId) -> StoreResult<Option<LocalRequest>> {
        let mem = self.lock();
        let Some(dossier) = mem.request_dossier.get(&(profile_id.to_owned(), request_id.clone())) else {
            return Ok(None);
        };
        Ok(mem
            .requests
            .get(&(profile_id.to_owned(), dossier.clone(), request_id.clone()))
            .cloned())
    }

    async fn upsert_request(&self, request: &LocalRequest) -> StoreResult<()> {
        let mut mem = self.lock();
        let mut request = request.clone();
        let key = (request.profile_id.clone(), request.request_id.clone());
        if let Some(old_dossier) = mem.request_dossier.insert(key, request.dossier_id.clone()) {
            let old = mem
                .requests
                .remove(&(request.profile_id.clone(), old_dossier, request.request_id.clone()));
            // Like the SQLite store: the send's own id wins over the one the poller gave a request it
            // saw first, and what was recorded under that one moves along.
            if let Some(old) = old.filter(|o| o.local_id != request.local_id) {
                if request.local_id.is_foreign() {
                    request.local_id = old.local_id;
                } else {
                    for e in mem.events.iter_mut().filter(|e| e.request_id == old.local_id) {
                        e.request_id = request.local_id.clone();
                    }
                    for f in mem.archive.iter_mut().filter(|f| f.request_id == old.local_id) {
                        f.request_id = request.local_id.clone();
                    }
                }
            }
        }
        mem.requests.insert(
            (
                request.profile_id.clone(),
                request.dossier_id.clone(),
                request.request_id.clone(),
            ),
            request,
        );
        Ok(())
    }

    async fn requests_in_dossier(&self, profile_id: &str, dossier_id: &str) -> StoreResult<Vec<LocalRequest>> {
        let mem = self.lock();
        let from = (profile_id.to_owned(), dossier_id.to_owned(), IoRequestId::default());
        Ok(mem
            .requests
            .range(from..)
            .take_while(|((p, d, _), _)| p == profile_id && d == dossier_id)
            .map(|(_, r)| r.clone())
            .collect())
    }

    async fn record_event(&self, event: &Event) -> StoreResult<()> {
        self.lock().events.push(event.clone());
        Ok(())
    }

    async fn record_archive(&self, file: &ArchivedFile) -> StoreResult<()> {
        let mut mem = self.lock();
        mem.archive
            .retain(|f| !(f.request_id == file.request_id && f.io_document_id == file.io_document_id));
        mem.archive.push(file.clone());
        Ok(())
    }

    async fn record_verification(&self, v: &Verification) -> StoreResult<()> {
        let mut mem = self.lock();
        mem.verifications
            .retain(|x| !(x.request_id == v.request_id && x.io_document_id == v.io_document_id));
        mem.verifications.push(v.clone());
        Ok(())
    }

    async fn protocol_number(&self, request_id: &LocalId) -> StoreResult<Option<String>> {
        Ok(self.lock().protocol_numbers.get(request_id).cloned())
    }

    async fn record_evidence(&self, request_id: &LocalId, json: &str, _now_ms: i64) -> StoreResult<()> {
        self.lock().evidence.insert(request_id.clone(), json.to_owned());
        Ok(())
    }

    async fn archived_files(&self, request_id: &LocalId) -> StoreResult<Vec<ArchivedFile>> {
        Ok(self
            .lock()
            .archive
            .iter()
            .filter(|f| f.request_id == *request_id)
            .cloned()
            .collect())
    }

    async fn try_lease(&self, profile_id: &str, holder: &str, now_ms: i64, ttl_ms: i64) -> StoreResult<Option<Lease>> {
        let mut mem = self.lock();
        let granted = match mem.leases.get(profile_id) {
            None => Lease {
                profile_id: profile_id.to_owned(),
                holder: holder.to_owned(),
                epoch: 1,
                expires_at: now_ms + ttl_ms,
            },
            Some(l) if l.holder == holder => Lease {
                expires_at: now_ms + ttl_ms,
                ..l.clone()
            },
            Some(l) if l.expires_at <= now_ms => Lease {
                holder: holder.to_owned(),
                epoch: l.epoch + 1,
                expires_at: now_ms + ttl_ms,
                ..l.clone()
            },
            Some(_) => return Ok(None),
        };
        mem.leases.insert(profile_id.to_owned(), granted.clone());
        Ok(Some(granted))
    }

    async fn release_lease(&self, lease: &Lease) -> StoreResult<()> {
        if let Some(l) = self.lock().leases.get_mut(&lease.profile_id) {
            if l.holder == lease.holder && l.epoch == lease.epoch {
                l.expires_at = 0;
            }
        }
        Ok(())
    }

    /// One process's memory has no other writer to fence off.
    fn fence(&self, _profile_id: &str, _lease: Option<Lease>) {}

    async fn put_file(&self, sha256: &str, bytes: &[u8], _now_ms: i64) -> StoreResult<()> {
        self.lock()
            .files
            .entry(sha256.to_owned())
            .or_insert_with(|| bytes.to_vec());
        Ok(())
    }

    async fn file(&self, sha256: &str) -> StoreResult<Option<Vec<u8>>> {
        Ok(self.lock().files.get(sha256).cloned())
    }
}

#[cfg(test)]
mod tests {
    use super::{Expiry, SignerInfo};
    use time::macros::datetime;

    #[test]
    fn expiry_is_computed_locally_48_hours_ahead() {
        let exp = datetime!(2026-12-10 12:00 UTC);
        assert_eq!(Expiry::at(datetime!(2026-12-08 11:59 UTC), exp), Expiry::Valid);
        assert_eq!(Expiry::at(datetime!(2026-12-08 12:00 UTC), exp), Expiry::Expiring);
        assert_eq!(Expiry::at(datetime!(2026-12-10 11:59 UTC), exp), Expiry::Expiring);
        assert_eq!(Expiry::at(datetime!(2026-12-10 12:00 UTC), exp), Expiry::Expired);
        assert_eq!(Expiry::Expiring.label_it(), "in scadenza");
        assert_eq!(Expiry::Expired.label_it(), "scaduta");
    }

    /// The fiscal code is checked once, where the clerk typed it: a send can only carry a valid one, and a
    /// saved send with an invalid one (a hand-edited file) does not load instead of reaching IO.
    #[test]
    fn a_send_carries_only_a_valid_fiscal_code() {
        let signer = |cf: &str| serde_json::json!({ "fiscal_code": cf, "display_name": "Mario Rossi" });
        let ok: SignerInfo = serde_json::from_value(signer("RSSMRA80A01H501U")).unwrap();
        assert_eq!(ok.fiscal_code.as_str(), "RSSMRA80A01H501U");
        assert_eq!(serde_json::to_value(&ok).unwrap(), signer("RSSMRA80A01H501U"));
        assert!(
            serde_json::from_value::<SignerInfo>(signer("RSSMRA80A01H501X")).is_err(),
            "wrong check letter"
        );
    }
}
