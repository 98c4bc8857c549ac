//! The one interface both backends implement: what the desk reads and writes, and what the engine's saga
//! and poller persist. Every implementation passes the conformance suite in `tests/store/`.

use crate::{
    ArchivedFile, Batch, BatchRow, BatchRowState, BatchState, ClerkRole, Counts, Document, DocumentType, Event, Field,
    IoRequestId, Lease, ListPage, ListQuery, LocalId, Profile, Protocol, Request, Result, Role, SendState,
    Verification,
};

/// Which backend a store is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// One desk's SQLite file.
    Sqlite,
    /// The body's shared PostgreSQL database (team mode).
    Postgres,
}

/// What changed in a shared store, as another desk or the worker changed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A row of `table` about `id` changed: a request's local id (for requests and what hangs off them:
    /// events, sends, documents, archived files), a profile's id, a document type's name.
    Row {
        /// The table.
        table: String,
        /// The subject.
        id: String,
    },
    /// The feed was interrupted and is back: anything may have changed meanwhile; read again.
    Resync,
}

/// FirmaDesk's data: profiles (no secrets), document types and their IO dossiers, signers, requests with
/// their documents and fields, timelines, the send sagas' outbox and the archive index. Times are unix
/// milliseconds, passed in: a store has no clock.
#[async_trait::async_trait]
pub trait Store: Send + Sync + std::fmt::Debug {
    /// Which backend this is.
    fn backend(&self) -> Backend;

    /// Changes made by other processes, as they commit; `None` where nobody else writes (the desk's own
    /// SQLite file: its own engine's events say what changed).
    fn changes(&self) -> Option<tokio::sync::broadcast::Receiver<Change>>;

    /// Adds or replaces a profile.
    async fn upsert_profile(&self, p: &Profile, now_ms: i64) -> Result<()>;
    /// Removes a profile with its dossier and signer caches; a profile that has requests is kept
    /// (`ErrorKind::Invalid`): their history must stay readable.
    async fn delete_profile(&self, id: &str) -> Result<()>;
    /// Every profile, by name.
    async fn profiles(&self) -> Result<Vec<Profile>>;

    /// Adds or replaces a document type.
    async fn upsert_document_type(
        &self,
        name: &str,
        dossier_title: &str,
        support_email: Option<&str>,
        template_json: &str,
    ) -> Result<()>;
    /// Document types, by name (archived ones too).
    async fn document_types(&self) -> Result<Vec<DocumentType>>;
    /// Archives a document type (no longer offered for new requests) or brings it back.
    async fn set_document_type_archived(&self, name: &str, archived: bool) -> Result<()>;
    /// Sets how many years the records office keeps a document type's documents (1..=999; `None`: unset).
    async fn set_document_type_retention(&self, name: &str, years: Option<u32>) -> Result<()>;
    /// Removes a document type no request was sent with; one that has requests is kept
    /// (`ErrorKind::Invalid`): archive it instead. An unknown name is no error.
    async fn delete_document_type(&self, name: &str) -> Result<()>;

    /// Records the IO dossier of a document type for a profile.
    async fn set_dossier_id(&self, profile_id: &str, document_type: &str, dossier_id: &str) -> Result<()>;
    /// The IO dossier of a document type for a profile.
    async fn dossier_id(&self, profile_id: &str, document_type: &str) -> Result<Option<String>>;
    /// Every (document type, dossier id) of a profile: what the poller pages through.
    async fn dossiers(&self, profile_id: &str) -> Result<Vec<(String, String)>>;

    /// Remembers a signer (name, and IO signer id once known).
    async fn upsert_signer(
        &self,
        profile_id: &str,
        fiscal_code: &str,
        display_name: &str,
        signer_id: Option<&str>,
    ) -> Result<()>;
    /// Records the IO signer id of a fiscal code, keeping the name already known (if any).
    async fn set_signer_id(&self, profile_id: &str, fiscal_code: &str, signer_id: &str) -> Result<()>;
    /// The fiscal code and name of an IO signer id, when it has been resolved.
    async fn signer_by_id(&self, profile_id: &str, signer_id: &str) -> Result<Option<(String, String)>>;
    /// The signer book: the known signers of a profile whose name contains `text` (any case) or whose
    /// fiscal code starts with it, by name, at most `limit`: (fiscal code, name).
    async fn signer_book(&self, profile_id: &str, text: &str, limit: u32) -> Result<Vec<(String, String)>>;
    /// The IO signer id of a fiscal code for a profile.
    async fn signer_id(&self, profile_id: &str, fiscal_code: &str) -> Result<Option<String>>;

    /// Saves a request with its documents and fields in one transaction (documents and fields are
    /// replaced as a whole).
    async fn save_request(&self, request: &Request, documents: &[Document], fields: &[Field]) -> Result<()>;
    /// Updates the request row only (status changes, IO ids, reasons).
    async fn update_request(&self, request: &Request) -> Result<()>;
    /// A request by local id.
    async fn request(&self, id: &LocalId) -> Result<Option<Request>>;
    /// A request by its IO id.
    async fn request_by_io_id(&self, profile_id: &str, io_request_id: &IoRequestId) -> Result<Option<Request>>;
    /// Saves a request row, and the saga step that changed it if any, in one transaction: the dashboard
    /// never shows a step the outbox does not hold, nor the reverse. `absorb` names another row that held
    /// the same IO request (the poller saw it before its send claimed it): its timeline and archived files
    /// move to `request` and it is removed, in the same transaction.
    async fn save_request_row(
        &self,
        request: &Request,
        send: Option<&SendState>,
        absorb: Option<&LocalId>,
    ) -> Result<()>;
    /// Requests of a dossier (what the poller compares a page of IO's list against).
    async fn requests_in_dossier(&self, profile_id: &str, dossier_id: &str) -> Result<Vec<Request>>;
    /// Documents of a request, in order.
    async fn documents(&self, request_id: &LocalId) -> Result<Vec<Document>>;
    /// Signature fields of a request, by document and position.
    async fn fields(&self, request_id: &LocalId) -> Result<Vec<Field>>;

    /// Saves a saga step (before the step's work begins).
    async fn save_send(&self, s: &SendState) -> Result<()>;
    /// A request's saga state.
    async fn send(&self, request_id: &LocalId) -> Result<Option<SendState>>;
    /// Sagas to resume, oldest change first.
    async fn unfinished_sends(&self) -> Result<Vec<SendState>>;

    /// Saves a new batch with all its rows in one transaction (a batch with this id already saved:
    /// `ErrorKind::Invalid`, nothing changed).
    async fn save_batch(&self, batch: &Batch, rows: &[BatchRow]) -> Result<()>;
    /// A batch.
    async fn batch(&self, id: &str) -> Result<Option<Batch>>;
    /// Batches, newest first: of one profile, or of every profile; at most `limit`.
    async fn batches(&self, profile_id: Option<&str>, limit: u32) -> Result<Vec<Batch>>;
    /// A batch's rows in sending order, each with its request's status and its send's step.
    async fn batch_rows(&self, batch_id: &str) -> Result<Vec<BatchRowState>>;
    /// Changes a batch's state.
    async fn set_batch_state(&self, id: &str, state: BatchState, now_ms: i64) -> Result<()>;
    /// Records why a row could not become a request (`None` clears it).
    async fn set_batch_row_error(&self, batch_id: &str, position: u32, error: Option<&str>) -> Result<()>;

    /// Appends a timeline event.
    async fn add_event(&self, e: &Event) -> Result<()>;
    /// A request's timeline, oldest first (ties kept in insertion order).
    async fn events(&self, request_id: &LocalId) -> Result<Vec<Event>>;
    /// The latest events across all requests, newest first (the dashboard's recent activity).
    async fn recent_events(&self, limit: u32) -> Result<Vec<Event>>;

    /// Records an archived signed file (replacing the record of the same document).
    async fn record_archive(&self, f: &ArchivedFile) -> Result<()>;
    /// Archived files of a request.
    async fn archived_files(&self, request_id: &LocalId) -> Result<Vec<ArchivedFile>>;

    /// Records the verification of an archived document (replacing the one of the same document).
    async fn record_verification(&self, v: &Verification) -> Result<()>;
    /// The verifications of these requests, by request id then IO document id (unknown ids have none).
    async fn verifications(&self, request_ids: &[LocalId]) -> Result<Vec<Verification>>;

    /// The archived files that have no verification (archived before verification existed, or whose
    /// verification was cut short), by request then IO document id.
    async fn unverified_archives(&self) -> Result<Vec<ArchivedFile>>;

    /// Sets a request's protocol data (replacing what it had).
    async fn set_protocol(&self, p: &Protocol) -> Result<()>;
    /// The protocol data of these requests, by request id (requests without have none).
    async fn protocols(&self, request_ids: &[LocalId]) -> Result<Vec<Protocol>>;
    /// Keeps IO Sign's evidence of a signed request (its JSON, without download links), replacing the
    /// previous.
    async fn record_evidence(&self, request_id: &LocalId, json: &str, now_ms: i64) -> Result<()>;
    /// IO Sign's evidence of a request, if it was recorded.
    async fn evidence(&self, request_id: &LocalId) -> Result<Option<String>>;

    /// Keeps `bytes` under their sha256 (lowercase hex), once: the same file again changes nothing. A
    /// `sha256` that is not the bytes' hash is refused.
    async fn put_file(&self, sha256: &str, bytes: &[u8], now_ms: i64) -> Result<()>;
    /// The bytes kept under `sha256`, checked against it: a file whose bytes no longer match is an error,
    /// never handed out.
    async fn file(&self, sha256: &str) -> Result<Option<Vec<u8>>>;

    /// Counters at `now_ms`, of one profile or (`None`) of all; "expiring" = waiting with a deadline within
    /// `expiring_within_ms` from now (not yet past), "expired" = waiting past its deadline.
    async fn counts(&self, profile_id: Option<&str>, now_ms: i64, expiring_within_ms: i64) -> Result<Counts>;
    /// A filtered, sorted page of requests, with the total that matches.
    async fn list(&self, q: &ListQuery, now_ms: i64) -> Result<ListPage>;

    /// Takes or renews the lease on `profile_id`'s key for `holder` until `now_ms + ttl_ms`. Granted when
    /// nobody holds it, when it has expired (a take-over: the epoch grows by one), or when `holder`
    /// already holds it (renewed, same epoch); `None` while another holder's lease runs.
    async fn try_lease(&self, profile_id: &str, holder: &str, now_ms: i64, ttl_ms: i64) -> Result<Option<Lease>>;
    /// Gives a lease up at once, so the next worker need not wait for it to expire.
    async fn release_lease(&self, lease: &Lease) -> Result<()>;
    /// The lease on a key as it stands (expired or not: the caller compares with its clock).
    async fn lease(&self, profile_id: &str) -> Result<Option<Lease>>;

    /// A clerk's recorded role.
    async fn clerk_role(&self, identity: &str) -> Result<Option<Role>>;
    /// Every recorded role, by identity.
    async fn clerk_roles(&self) -> Result<Vec<ClerkRole>>;
    /// Records a clerk's role. Taking the last administrator's role away is refused
    /// (`ErrorKind::Invalid`): an office must keep one.
    async fn set_clerk_role(&self, identity: &str, role: Role, set_by: &str, now_ms: i64) -> Result<()>;
    /// Makes `identity` an administrator if the office has none yet (the first desk on a new team
    /// database), atomically: of desks that ask together, one wins. True when this one did.
    async fn claim_first_admin(&self, identity: &str, now_ms: i64) -> Result<bool>;
    /// The role the database itself gives this connection's login: in a team database whose clerks each
    /// have a login in one of the office's groups (`firmadesk_amministratori`, `firmadesk_operatori`), the
    /// group (administrators win); `None` otherwise (the desk's own file, the database's owner or a
    /// superuser, a login in neither group), and the recorded roles apply.
    async fn database_role(&self) -> Result<Option<Role>> {
        Ok(None)
    }

    /// This store as the holder of `lease` writes to it: in the team database every write then goes
    /// through only while the lease is still the holder's (fencing); the desk's own file has no other
    /// writer, so it is the same store.
    fn as_worker(self: std::sync::Arc<Self>, lease: Lease) -> std::sync::Arc<dyn Store>;
}
