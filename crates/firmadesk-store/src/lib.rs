//! FirmaDesk's local cache: one SQLite file (bundled SQLite, WAL) holding profiles (no secrets), document
//! types and their IO dossiers, signers, signature requests with their documents and fields, the timeline
//! of every request, the send sagas' state and the archive of signed files. The dashboard reads it and
//! works offline; the engine writes every saga step here before taking the next.
//!
//! Opening checks integrity, refuses a schema newer than this build, and backs the file up (`VACUUM INTO`)
//! before applying pending migrations, each in its own IMMEDIATE transaction.
//!
//! # Example
//! ```
//! use firmadesk_store::{Store, Status, ListQuery};
//!
//! let now = 1_764_000_000_000; // unix ms, passed in: the store has no clock
//! let store = Store::open_in_memory(now)?;
//! let counts = store.counts(now, 7 * 24 * 3600 * 1000)?;
//! assert_eq!(counts.waiting, 0);
//! let page = store.list(&ListQuery { statuses: vec![Status::Waiting], ..Default::default() }, now)?;
//! assert!(page.rows.is_empty());
//! # Ok::<(), firmadesk_store::StoreError>(())
//! ```
#![deny(missing_docs)]

mod error;
pub mod migrate;
mod model;

pub use error::{ErrorKind, Result, StoreError};
pub use model::*;

use rusqlite::{params, Connection, OptionalExtension, Row};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// The local cache. Cheap to share behind an `Arc`; calls are short transactions on one connection.
pub struct Store {
    conn: Mutex<Connection>,
    path: Option<PathBuf>,
    backup: Option<PathBuf>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

fn configure(conn: &Connection) -> Result<()> {
    // WAL: the dashboard reads while the engine writes; busy_timeout: a second connection (a backup
    // tool, a future reader) waits instead of failing; foreign keys: documents never outlive requests.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // FULL, not NORMAL: in WAL mode NORMAL does not fsync at commit, so a power cut can undo a
    // committed transaction. The send saga commits "create attempted" (and "notify attempted")
    // right before a non-idempotent call; losing that mark after the call went out means a
    // duplicate request or message. One fsync per commit (measured ~1.7 ms against ~0.03 ms on
    // the build machine's disk, issue #10) is cheap next to a network call, and one rule for
    // every write is simpler and safer than choosing per call which ones must survive.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(())
}

impl Store {
    /// Opens (or creates) the store at `path`, checking and migrating it. `now_ms` stamps migrations.
    pub fn open(path: &Path, now_ms: i64) -> Result<Store> {
        Self::open_with(path, now_ms, migrate::MIGRATIONS)
    }

    /// [`Store::open`] with an explicit migration list (tests of the migration machinery).
    pub fn open_with(path: &Path, now_ms: i64, migrations: &[migrate::Migration]) -> Result<Store> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::new(
                    ErrorKind::Sqlite,
                    "Impossibile creare la cartella dell'archivio locale.",
                )
                .detail(e)
            })?;
        }
        let mut conn = Connection::open(path)?;
        check_integrity(&conn, path)?;
        configure(&conn)?;
        let backup = migrate::migrate(&mut conn, Some(path), migrations, now_ms)?;
        Ok(Store {
            conn: Mutex::new(conn),
            path: Some(path.to_path_buf()),
            backup,
        })
    }

    /// A store in memory, for unit tests.
    pub fn open_in_memory(now_ms: i64) -> Result<Store> {
        let mut conn = Connection::open_in_memory()?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrate::migrate(&mut conn, None, migrate::MIGRATIONS, now_ms)?;
        Ok(Store {
            conn: Mutex::new(conn),
            path: None,
            backup: None,
        })
    }

    /// The backup written before this open's migrations, if any.
    pub fn backup_written(&self) -> Option<&Path> {
        self.backup.as_deref()
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A pragma's current value (tests and diagnostics).
    pub fn pragma(&self, name: &str) -> Result<String> {
        Ok(self
            .conn()
            .pragma_query_value(None, name, |r| r.get::<_, rusqlite::types::Value>(0))
            .map(|v| match v {
                rusqlite::types::Value::Integer(i) => i.to_string(),
                rusqlite::types::Value::Text(t) => t,
                other => format!("{other:?}"),
            })?)
    }

    // ---- profiles, document types, dossiers, signers ----

    /// Adds or replaces a profile.
    pub fn upsert_profile(&self, p: &Profile, now_ms: i64) -> Result<()> {
        self.conn().execute(
            "INSERT INTO profiles (id, name, environment, base_url, support_email, oidc_issuer, oidc_client_id, oidc_scopes, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT(id) DO UPDATE SET name = ?2, environment = ?3, base_url = ?4, support_email = ?5,
               oidc_issuer = ?6, oidc_client_id = ?7, oidc_scopes = ?8",
            params![p.id, p.name, p.environment.as_str(), p.base_url, p.support_email, p.oidc_issuer, p.oidc_client_id, p.oidc_scopes, now_ms],
        )?;
        Ok(())
    }

    /// Removes a profile with its dossier and signer caches. A profile that has requests is kept
    /// (`ErrorKind::Invalid`): their history must stay readable.
    pub fn delete_profile(&self, id: &str) -> Result<()> {
        self.conn().execute("DELETE FROM profiles WHERE id = ?1", [id])?;
        Ok(())
    }

    /// Every profile, by name.
    pub fn profiles(&self) -> Result<Vec<Profile>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, name, environment, base_url, support_email, oidc_issuer, oidc_client_id, oidc_scopes FROM profiles ORDER BY name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Profile {
                id: r.get(0)?,
                name: r.get(1)?,
                environment: Environment::parse(&r.get::<_, String>(2)?),
                base_url: r.get(3)?,
                support_email: r.get(4)?,
                oidc_issuer: r.get(5)?,
                oidc_client_id: r.get(6)?,
                oidc_scopes: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds or replaces a document type.
    pub fn upsert_document_type(
        &self,
        name: &str,
        dossier_title: &str,
        support_email: Option<&str>,
        template_json: &str,
    ) -> Result<()> {
        self.conn().execute(
            "INSERT INTO document_types (name, dossier_title, support_email, template_json) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(name) DO UPDATE SET dossier_title = ?2, support_email = ?3, template_json = ?4",
            params![name, dossier_title, support_email, template_json],
        )?;
        Ok(())
    }

    /// Document types, by name.
    pub fn document_types(&self) -> Result<Vec<DocumentType>> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare("SELECT name, dossier_title, support_email, template_json FROM document_types ORDER BY name")?;
        let rows = stmt.query_map([], |r| {
            Ok(DocumentType {
                name: r.get(0)?,
                dossier_title: r.get(1)?,
                support_email: r.get(2)?,
                template_json: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records the IO dossier of a document type for a profile.
    pub fn set_dossier_id(&self, profile_id: &str, document_type: &str, dossier_id: &str) -> Result<()> {
        self.conn().execute(
            "INSERT INTO dossiers (profile_id, document_type, dossier_id) VALUES (?1, ?2, ?3)
             ON CONFLICT(profile_id, document_type) DO UPDATE SET dossier_id = ?3",
            params![profile_id, document_type, dossier_id],
        )?;
        Ok(())
    }

    /// The IO dossier of a document type for a profile.
    pub fn dossier_id(&self, profile_id: &str, document_type: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT dossier_id FROM dossiers WHERE profile_id = ?1 AND document_type = ?2",
                params![profile_id, document_type],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Every (document type, dossier id) of a profile: what the poller pages through.
    pub fn dossiers(&self, profile_id: &str) -> Result<Vec<(String, String)>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT document_type, dossier_id FROM dossiers WHERE profile_id = ?1 ORDER BY document_type")?;
        let rows = stmt.query_map([profile_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Remembers a signer (name, and IO signer id once known).
    pub fn upsert_signer(
        &self,
        profile_id: &str,
        fiscal_code: &str,
        display_name: &str,
        signer_id: Option<&str>,
    ) -> Result<()> {
        self.conn().execute(
            "INSERT INTO signers (profile_id, fiscal_code, display_name, signer_id) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(profile_id, fiscal_code) DO UPDATE SET display_name = ?3, signer_id = COALESCE(?4, signer_id)",
            params![profile_id, fiscal_code, display_name, signer_id],
        )?;
        Ok(())
    }

    /// Records the IO signer id of a fiscal code, keeping the name already known (if any).
    pub fn set_signer_id(&self, profile_id: &str, fiscal_code: &str, signer_id: &str) -> Result<()> {
        self.conn().execute(
            "INSERT INTO signers (profile_id, fiscal_code, display_name, signer_id) VALUES (?1, ?2, '', ?3)
             ON CONFLICT(profile_id, fiscal_code) DO UPDATE SET signer_id = ?3",
            params![profile_id, fiscal_code, signer_id],
        )?;
        Ok(())
    }

    /// The fiscal code and name of an IO signer id, when this desk has resolved it.
    pub fn signer_by_id(&self, profile_id: &str, signer_id: &str) -> Result<Option<(String, String)>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT fiscal_code, display_name FROM signers WHERE profile_id = ?1 AND signer_id = ?2 LIMIT 1",
                params![profile_id, signer_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// The IO signer id of a fiscal code for a profile.
    pub fn signer_id(&self, profile_id: &str, fiscal_code: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT signer_id FROM signers WHERE profile_id = ?1 AND fiscal_code = ?2",
                params![profile_id, fiscal_code],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()?
            .flatten())
    }

    // ---- requests, documents, fields ----

    /// Saves a request with its documents and fields in one transaction (drafts are saved as the clerk
    /// types; documents and fields are replaced as a whole).
    pub fn save_request(&self, request: &Request, documents: &[Document], fields: &[Field]) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        upsert_request(&tx, request)?;
        tx.execute("DELETE FROM documents WHERE request_id = ?1", [&request.id])?;
        for d in documents {
            tx.execute(
                "INSERT INTO documents (request_id, position, title, path, sha256, size, io_document_id, io_status, reject_reason)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![request.id, d.position, d.title, d.path, d.sha256, d.size, d.io_document_id, d.io_status, d.reject_reason],
            )?;
        }
        for f in fields {
            let (page, x, y, w, h, name) = match &f.placement {
                Placement::Coordinates { page, x, y, w, h } => {
                    (Some(*page), Some(*x), Some(*y), Some(*w), Some(*h), None)
                }
                Placement::Existing { unique_name } => (None, None, None, None, None, Some(unique_name.as_str())),
            };
            tx.execute(
                "INSERT INTO signature_fields (request_id, document, position, page, x, y, w, h, unique_name, clause_type, clause_title)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![request.id, f.document, f.position, page, x, y, w, h, name, f.clause_type, f.clause_title],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Updates the request row only (status changes, IO ids, reasons).
    pub fn update_request(&self, request: &Request) -> Result<()> {
        upsert_request(&self.conn(), request)
    }

    /// A request by local id.
    pub fn request(&self, id: &str) -> Result<Option<Request>> {
        let conn = self.conn();
        let sql = format!("SELECT {REQUEST_COLUMNS} FROM requests WHERE id = ?1");
        Ok(conn.query_row(&sql, [id], request_from_row).optional()?)
    }

    /// A request by its IO id.
    pub fn request_by_io_id(&self, profile_id: &str, io_request_id: &str) -> Result<Option<Request>> {
        let conn = self.conn();
        let sql = format!("SELECT {REQUEST_COLUMNS} FROM requests WHERE profile_id = ?1 AND io_request_id = ?2");
        Ok(conn
            .query_row(&sql, [profile_id, io_request_id], request_from_row)
            .optional()?)
    }

    /// The local id of a request known by its IO id (IO ids are unique across profiles).
    pub fn local_id_of(&self, io_request_id: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT id FROM requests WHERE io_request_id = ?1 LIMIT 1",
                [io_request_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Saves a request row, and the saga step that changed it if any, in one transaction: the dashboard
    /// never shows a step the outbox does not hold, nor the reverse. `absorb` names another row that
    /// held the same IO request (the poller saw it before its send claimed it): its timeline and
    /// archived files move to `request` and it is removed, in the same transaction.
    pub fn save_request_row(&self, request: &Request, send: Option<&SendState>, absorb: Option<&str>) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let absorb = absorb.filter(|from| *from != request.id);
        if let Some(from) = absorb {
            // Free the IO id first: it is unique per profile.
            tx.execute("UPDATE requests SET io_request_id = NULL WHERE id = ?1", [from])?;
        }
        upsert_request(&tx, request)?;
        if let Some(from) = absorb {
            tx.execute(
                "UPDATE events SET request_id = ?2 WHERE request_id = ?1",
                [from, &request.id],
            )?;
            tx.execute(
                "UPDATE OR REPLACE archived_files SET request_id = ?2 WHERE request_id = ?1",
                [from, &request.id],
            )?;
            tx.execute("DELETE FROM requests WHERE id = ?1", [from])?;
        }
        if let Some(s) = send {
            save_send(&tx, s)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Requests of a dossier (what the poller compares a page of IO's list against).
    pub fn requests_in_dossier(&self, profile_id: &str, dossier_id: &str) -> Result<Vec<Request>> {
        let conn = self.conn();
        let sql = format!("SELECT {REQUEST_COLUMNS} FROM requests WHERE profile_id = ?1 AND dossier_id = ?2");
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([profile_id, dossier_id], request_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Documents of a request, in order.
    pub fn documents(&self, request_id: &str) -> Result<Vec<Document>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT position, title, path, sha256, size, io_document_id, io_status, reject_reason FROM documents WHERE request_id = ?1 ORDER BY position",
        )?;
        let rows = stmt.query_map([request_id], |r| {
            Ok(Document {
                position: r.get(0)?,
                title: r.get(1)?,
                path: r.get(2)?,
                sha256: r.get(3)?,
                size: r.get(4)?,
                io_document_id: r.get(5)?,
                io_status: r.get(6)?,
                reject_reason: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Signature fields of a request, by document and position.
    pub fn fields(&self, request_id: &str) -> Result<Vec<Field>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT document, position, page, x, y, w, h, unique_name, clause_type, clause_title
             FROM signature_fields WHERE request_id = ?1 ORDER BY document, position",
        )?;
        let rows = stmt.query_map([request_id], |r| {
            let placement = match r.get::<_, Option<String>>(7)? {
                Some(unique_name) => Placement::Existing { unique_name },
                None => Placement::Coordinates {
                    page: r.get(2)?,
                    x: r.get(3)?,
                    y: r.get(4)?,
                    w: r.get(5)?,
                    h: r.get(6)?,
                },
            };
            Ok(Field {
                document: r.get(0)?,
                position: r.get(1)?,
                placement,
                clause_type: r.get(8)?,
                clause_title: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    // ---- timeline ----

    /// Appends a timeline event.
    pub fn add_event(&self, e: &Event) -> Result<()> {
        self.conn().execute(
            "INSERT INTO events (request_id, at, actor, code, text, detail_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![e.request_id, e.at, e.actor, e.code, e.text, e.detail_json],
        )?;
        Ok(())
    }

    /// A request's timeline, oldest first (ties kept in insertion order).
    pub fn events(&self, request_id: &str) -> Result<Vec<Event>> {
        self.query_events(
            "SELECT request_id, at, actor, code, text, detail_json FROM events WHERE request_id = ?1 ORDER BY at, seq",
            [request_id],
        )
    }

    /// The latest events across all requests, newest first (the dashboard's recent activity).
    pub fn recent_events(&self, limit: u32) -> Result<Vec<Event>> {
        self.query_events(
            "SELECT request_id, at, actor, code, text, detail_json FROM events ORDER BY at DESC, seq DESC LIMIT ?1",
            [limit],
        )
    }

    fn query_events(&self, sql: &str, p: impl rusqlite::Params) -> Result<Vec<Event>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map(p, |r| {
            Ok(Event {
                request_id: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                code: r.get(3)?,
                text: r.get(4)?,
                detail_json: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    // ---- send sagas ----

    /// Saves a saga step (before the step's work begins).
    pub fn save_send(&self, s: &SendState) -> Result<()> {
        save_send(&self.conn(), s)
    }

    /// A request's saga state.
    pub fn send(&self, request_id: &str) -> Result<Option<SendState>> {
        let conn = self.conn();
        Ok(conn
            .query_row(
                &format!("{SEND_SELECT} WHERE request_id = ?1"),
                [request_id],
                send_from_row,
            )
            .optional()?)
    }

    /// Sagas to resume at start.
    pub fn unfinished_sends(&self) -> Result<Vec<SendState>> {
        let conn = self.conn();
        let sql = format!(
            "{SEND_SELECT} WHERE step NOT IN ('{}', '{}', '{}') ORDER BY updated_at",
            FINISHED_STEPS[0], FINISHED_STEPS[1], FINISHED_STEPS[2]
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([], send_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    // ---- archive ----

    /// Records an archived signed file.
    pub fn record_archive(&self, f: &ArchivedFile) -> Result<()> {
        self.conn().execute(
            "INSERT INTO archived_files (request_id, io_document_id, path, sha256, size, archived_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(request_id, io_document_id) DO UPDATE SET path = ?3, sha256 = ?4, size = ?5, archived_at = ?6",
            params![f.request_id, f.io_document_id, f.path, f.sha256, f.size, f.archived_at],
        )?;
        Ok(())
    }

    /// Archived files of a request.
    pub fn archived_files(&self, request_id: &str) -> Result<Vec<ArchivedFile>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT request_id, io_document_id, path, sha256, size, archived_at FROM archived_files WHERE request_id = ?1 ORDER BY io_document_id",
        )?;
        let rows = stmt.query_map([request_id], |r| {
            Ok(ArchivedFile {
                request_id: r.get(0)?,
                io_document_id: r.get(1)?,
                path: r.get(2)?,
                sha256: r.get(3)?,
                size: r.get(4)?,
                archived_at: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    // ---- dashboard ----

    /// Counters across all profiles and dossiers at `now_ms`; "expiring" = waiting with a deadline within
    /// `expiring_within_ms` from now (not yet past), "expired" = waiting past its deadline.
    pub fn counts(&self, now_ms: i64, expiring_within_ms: i64) -> Result<Counts> {
        let conn = self.conn();
        let mut counts = Counts::default();
        // Both queries run on the (status, expires_at) index alone.
        let mut stmt = conn.prepare_cached("SELECT status, COUNT(*) FROM requests GROUP BY status")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let n: u64 = r.get(1)?;
            match Status::parse(&r.get::<_, String>(0)?) {
                Some(Status::Draft) => counts.drafts += n,
                Some(Status::Sending | Status::Queued) => counts.sending += n,
                Some(Status::Waiting) => counts.waiting += n,
                Some(Status::Signed) => counts.signed += n,
                Some(Status::Rejected) => counts.rejected += n,
                Some(Status::Cancelled) => counts.cancelled += n,
                Some(Status::Failed) => counts.failed += n,
                None => {}
            }
        }
        let (expiring, expired): (u64, u64) = conn
            .prepare_cached(
                "SELECT COUNT(*) FILTER (WHERE expires_at > ?1), COUNT(*) FILTER (WHERE expires_at <= ?1)
             FROM requests WHERE status = 'waiting' AND expires_at <= ?2",
            )?
            .query_row(params![now_ms, now_ms + expiring_within_ms], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        counts.expiring = expiring;
        counts.expired = expired;
        Ok(counts)
    }

    /// A filtered, sorted page of requests, with the total that matches.
    pub fn list(&self, q: &ListQuery, now_ms: i64) -> Result<ListPage> {
        let mut clauses: Vec<String> = Vec::new();
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        let arg = |v: rusqlite::types::Value, args: &mut Vec<rusqlite::types::Value>| {
            args.push(v);
            format!("?{}", args.len())
        };
        if let Some(text) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            // LIKE's wildcards in the clerk's text are taken literally.
            let escaped = text
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            let p = arg(format!("%{escaped}%").into(), &mut args);
            clauses.push(format!("search_text LIKE {p} ESCAPE '\\'"));
        }
        if !q.statuses.is_empty() {
            let list: Vec<String> = q
                .statuses
                .iter()
                .map(|s| arg(s.as_str().to_string().into(), &mut args))
                .collect();
            clauses.push(format!("status IN ({})", list.join(", ")));
        }
        if let Some(window) = q.expiring_within_ms {
            let now = arg(now_ms.into(), &mut args);
            let until = arg((now_ms + window).into(), &mut args);
            clauses.push(format!(
                "status = 'waiting' AND expires_at > {now} AND expires_at <= {until}"
            ));
        }
        if q.expired_only {
            let now = arg(now_ms.into(), &mut args);
            clauses.push(format!("status = 'waiting' AND expires_at <= {now}"));
        }
        if let Some(p) = &q.profile_id {
            let p = arg(p.clone().into(), &mut args);
            clauses.push(format!("profile_id = {p}"));
        }
        if let Some(t) = &q.document_type {
            let t = arg(t.clone().into(), &mut args);
            clauses.push(format!("document_type = {t}"));
        }
        if let Some(from) = q.created_from {
            let from = arg(from.into(), &mut args);
            clauses.push(format!("created_at >= {from}"));
        }
        if let Some(to) = q.created_to {
            let to = arg(to.into(), &mut args);
            clauses.push(format!("created_at < {to}"));
        }
        let filter = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };
        let dir = if q.ascending { "ASC" } else { "DESC" };
        // A text search reads every row anyway (LIKE '%x%' has no index): the sort keys are wrapped so the
        // planner scans once and sorts the matches, instead of walking an ordering index with one random
        // lookup per row, which costs ten times more when matches are rare.
        let searching = q.text.as_deref().is_some_and(|t| !t.trim().is_empty());
        let key = |col: &str| {
            if searching {
                format!("({col} + 0)")
            } else {
                col.to_string()
            }
        };
        // The id breaks ties so pages never repeat or skip a row.
        let order = match q.sort {
            Sort::Updated => format!("{} {dir}, id {dir}", key("updated_at")),
            Sort::Created => format!("{} {dir}, id {dir}", key("created_at")),
            Sort::ExpiresAt => format!("{} {dir}, id {dir}", key("expires_at")),
            Sort::SignerName if searching => format!("(signer_name || '') COLLATE NOCASE {dir}, id {dir}"),
            Sort::SignerName => format!("signer_name COLLATE NOCASE {dir}, id {dir}"),
        };
        let limit = if q.limit == 0 { 50 } else { q.limit.min(500) };
        let conn = self.conn();
        let params = rusqlite::params_from_iter(args.iter());
        if searching {
            // One pass over the matches that carries only the sort key and the id (and the total with
            // them), then the page's full rows by id: sorting thousands of narrow rows, not wide ones.
            let sql = format!(
                "SELECT id, COUNT(*) OVER () FROM requests {filter} ORDER BY {order} LIMIT {limit} OFFSET {}",
                q.offset
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let hits = stmt
                .query_map(params, |r| Ok((r.get::<_, String>(0)?, r.get::<_, u64>(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let total = match hits.first() {
                Some((_, t)) => *t,
                None => conn
                    .prepare_cached(&format!("SELECT COUNT(*) FROM requests {filter}"))?
                    .query_row(rusqlite::params_from_iter(args.iter()), |r| r.get(0))?,
            };
            let mut by_id = conn.prepare_cached(&format!("SELECT {REQUEST_COLUMNS} FROM requests WHERE id = ?1"))?;
            let rows = hits
                .iter()
                .map(|(id, _)| by_id.query_row([id], request_from_row))
                .collect::<rusqlite::Result<Vec<_>>>()?;
            return Ok(ListPage { rows, total });
        }
        let total: u64 = conn
            .prepare_cached(&format!("SELECT COUNT(*) FROM requests {filter}"))?
            .query_row(params, |r| r.get(0))?;
        let sql = format!(
            "SELECT {REQUEST_COLUMNS} FROM requests {filter} ORDER BY {order} LIMIT {limit} OFFSET {}",
            q.offset
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), request_from_row)?;
        Ok(ListPage {
            rows: rows.collect::<rusqlite::Result<_>>()?,
            total,
        })
    }
}

/// Integrity check at open; a damaged file is reported with the newest backup to restore.
fn check_integrity(conn: &Connection, path: &Path) -> Result<()> {
    let verdict: rusqlite::Result<String> = conn.query_row("PRAGMA quick_check", [], |r| r.get(0));
    match verdict {
        Ok(v) if v == "ok" => Ok(()),
        other => {
            let detail = match other {
                Ok(v) => v,
                Err(e) => e.to_string(),
            };
            let message = match migrate::latest_backup(path) {
                Some(b) => format!(
                    "L'archivio locale è danneggiato. È disponibile una copia di sicurezza in {}: chiudere FirmaDesk e ripristinarla, o contattare l'assistenza.",
                    b.display()
                ),
                None => format!(
                    "L'archivio locale {} è danneggiato e non ci sono copie di sicurezza: contattare l'assistenza prima di continuare.",
                    path.display()
                ),
            };
            Err(StoreError::new(ErrorKind::Corrupt, message).detail(detail))
        }
    }
}

const REQUEST_COLUMNS: &str = "id, profile_id, document_type, title, signer_name, fiscal_code, status, io_status, io_request_id, \
    dossier_id, signer_id, delivery, qr_code_url, reject_reason, created_at, updated_at, expires_at, published_at, signed_at, archived, \
    io_created_at, io_updated_at, expiry_notice";

const SEND_SELECT: &str =
    "SELECT request_id, step, state_json, attempts, next_attempt_at, create_attempted_at, last_error, updated_at FROM sends";

fn request_from_row(r: &Row) -> rusqlite::Result<Request> {
    let status: String = r.get(6)?;
    Ok(Request {
        id: r.get(0)?,
        profile_id: r.get(1)?,
        document_type: r.get(2)?,
        title: r.get(3)?,
        signer_name: r.get(4)?,
        fiscal_code: r.get(5)?,
        status: Status::parse(&status).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                6,
                rusqlite::types::Type::Text,
                format!("unknown status {status}").into(),
            )
        })?,
        io_status: r.get(7)?,
        io_request_id: r.get(8)?,
        dossier_id: r.get(9)?,
        signer_id: r.get(10)?,
        delivery: r.get(11)?,
        qr_code_url: r.get(12)?,
        reject_reason: r.get(13)?,
        created_at: r.get(14)?,
        updated_at: r.get(15)?,
        expires_at: r.get(16)?,
        published_at: r.get(17)?,
        signed_at: r.get(18)?,
        archived: r.get(19)?,
        io_created_at: r.get(20)?,
        io_updated_at: r.get(21)?,
        expiry_notice: r.get(22)?,
    })
}

fn send_from_row(r: &Row) -> rusqlite::Result<SendState> {
    Ok(SendState {
        request_id: r.get(0)?,
        step: r.get(1)?,
        state_json: r.get(2)?,
        attempts: r.get(3)?,
        next_attempt_at: r.get(4)?,
        create_attempted_at: r.get(5)?,
        last_error: r.get(6)?,
        updated_at: r.get(7)?,
    })
}

fn upsert_request(conn: &Connection, q: &Request) -> Result<()> {
    let search = format!("{}|{}|{}", q.signer_name, q.fiscal_code, q.title).to_lowercase();
    conn.execute(
        "INSERT INTO requests (id, profile_id, document_type, title, signer_name, fiscal_code, status, io_status, io_request_id,
            dossier_id, signer_id, delivery, qr_code_url, reject_reason, created_at, updated_at, expires_at, published_at, signed_at,
            archived, search_text, io_created_at, io_updated_at, expiry_notice)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)
         ON CONFLICT(id) DO UPDATE SET profile_id = ?2, document_type = ?3, title = ?4, signer_name = ?5, fiscal_code = ?6,
            status = ?7, io_status = ?8, io_request_id = ?9, dossier_id = ?10, signer_id = ?11, delivery = ?12, qr_code_url = ?13,
            reject_reason = ?14, updated_at = ?16, expires_at = ?17, published_at = ?18, signed_at = ?19, archived = ?20,
            search_text = ?21, io_created_at = ?22, io_updated_at = ?23, expiry_notice = ?24",
        params![
            q.id, q.profile_id, q.document_type, q.title, q.signer_name, q.fiscal_code, q.status.as_str(), q.io_status,
            q.io_request_id, q.dossier_id, q.signer_id, q.delivery, q.qr_code_url, q.reject_reason, q.created_at,
            q.updated_at, q.expires_at, q.published_at, q.signed_at, q.archived, search, q.io_created_at, q.io_updated_at,
            q.expiry_notice
        ],
    )?;
    Ok(())
}

fn save_send(conn: &Connection, s: &SendState) -> Result<()> {
    conn.execute(
            "INSERT INTO sends (request_id, step, state_json, attempts, next_attempt_at, create_attempted_at, last_error, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT(request_id) DO UPDATE SET step = ?2, state_json = ?3, attempts = ?4, next_attempt_at = ?5,
               create_attempted_at = ?6, last_error = ?7, updated_at = ?8",
            params![s.request_id, s.step, s.state_json, s.attempts, s.next_attempt_at, s.create_attempted_at, s.last_error, s.updated_at],
        )?;
    Ok(())
}
