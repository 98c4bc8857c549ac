//! Every [`Store`] call on PostgreSQL: the same statements as the SQLite backend's, in PostgreSQL's
//! dialect. Where the two engines differ by default, the SQL says what SQLite does, so both backends answer
//! alike (the conformance suite checks it): sorted text orders byte-wise (the schema declares those columns
//! `COLLATE "C"`, SQLite's BINARY), and a missing deadline sorts first going up and last going down.

use super::PgStore;
use crate::error::{ErrorKind, Result, StoreError};
use crate::{
    ArchivedFile, Backend, Counts, Document, DocumentType, Environment, Event, Field, IoRequestId, Lease, ListPage,
    ListQuery, LocalId, Placement, Profile, Protocol, Request, SendState, Sort, Status, Store, Verification,
    FINISHED_STEPS,
};
use tokio_postgres::types::ToSql;
use tokio_postgres::{GenericClient, Row};

/// How far a text search's matches are counted: beyond, the list says "more than" this many.
const SEARCH_COUNTED: u64 = 1000;

const REQUEST_COLUMNS: &str = "id, profile_id, document_type, title, signer_name, fiscal_code, status, io_status, io_request_id, \
    dossier_id, signer_id, delivery, qr_code_url, reject_reason, created_at, updated_at, expires_at, published_at, signed_at, archived, \
    io_created_at, io_updated_at, expiry_notice";

const SEND_SELECT: &str =
    "SELECT request_id, step, state_json, attempts, next_attempt_at, create_attempted_at, last_error, updated_at FROM sends";

const EVENT_COLUMNS: &str = "request_id, at, actor, code, text, detail_json";

fn unsigned(v: i64, what: &str) -> Result<u64> {
    u64::try_from(v)
        .map_err(|_| StoreError::new(ErrorKind::Postgres, "Dato non valido nel database dell'ufficio.").detail(what))
}

fn small(v: i32, what: &str) -> Result<u32> {
    u32::try_from(v)
        .map_err(|_| StoreError::new(ErrorKind::Postgres, "Dato non valido nel database dell'ufficio.").detail(what))
}

fn signed(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

fn request_from_row(r: &Row) -> Result<Request> {
    let status: String = r.try_get(6)?;
    Ok(Request {
        id: LocalId::from(r.try_get::<_, String>(0)?),
        profile_id: r.try_get(1)?,
        document_type: r.try_get(2)?,
        title: r.try_get(3)?,
        signer_name: r.try_get(4)?,
        fiscal_code: r.try_get(5)?,
        status: Status::parse(&status).ok_or_else(|| {
            StoreError::new(ErrorKind::Postgres, "Dato non valido nel database dell'ufficio.")
                .detail(format!("unknown status {status}"))
        })?,
        io_status: r.try_get(7)?,
        io_request_id: r.try_get::<_, Option<String>>(8)?.map(IoRequestId::from),
        dossier_id: r.try_get(9)?,
        signer_id: r.try_get(10)?,
        delivery: r.try_get(11)?,
        qr_code_url: r.try_get(12)?,
        reject_reason: r.try_get(13)?,
        created_at: r.try_get(14)?,
        updated_at: r.try_get(15)?,
        expires_at: r.try_get(16)?,
        published_at: r.try_get(17)?,
        signed_at: r.try_get(18)?,
        archived: r.try_get(19)?,
        io_created_at: r.try_get(20)?,
        io_updated_at: r.try_get(21)?,
        expiry_notice: r.try_get(22)?,
    })
}

fn send_from_row(r: &Row) -> Result<SendState> {
    Ok(SendState {
        request_id: LocalId::from(r.try_get::<_, String>(0)?),
        step: r.try_get(1)?,
        state_json: r.try_get(2)?,
        attempts: small(r.try_get(3)?, "sends.attempts")?,
        next_attempt_at: r.try_get(4)?,
        create_attempted_at: r.try_get(5)?,
        last_error: r.try_get(6)?,
        updated_at: r.try_get(7)?,
    })
}

fn lease_from_row(r: &Row) -> Result<Lease> {
    Ok(Lease {
        profile_id: r.try_get(0)?,
        holder: r.try_get(1)?,
        epoch: r.try_get(2)?,
        expires_at: r.try_get(3)?,
    })
}

fn event_from_row(r: &Row) -> Result<Event> {
    Ok(Event {
        request_id: LocalId::from(r.try_get::<_, String>(0)?),
        at: r.try_get(1)?,
        actor: r.try_get(2)?,
        code: r.try_get(3)?,
        text: r.try_get(4)?,
        detail_json: r.try_get(5)?,
    })
}

pub(crate) async fn upsert_request(c: &impl GenericClient, q: &Request) -> Result<()> {
    let search = crate::model::search_key(&format!("{}|{}|{}", q.signer_name, q.fiscal_code, q.title));
    let io_request_id = q.io_request_id.as_deref();
    c.execute(
        "INSERT INTO requests (id, profile_id, document_type, title, signer_name, fiscal_code, status, io_status, io_request_id,
            dossier_id, signer_id, delivery, qr_code_url, reject_reason, created_at, updated_at, expires_at, published_at, signed_at,
            archived, search_text, io_created_at, io_updated_at, expiry_notice)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)
         ON CONFLICT (id) DO UPDATE SET profile_id = $2, document_type = $3, title = $4, signer_name = $5, fiscal_code = $6,
            status = $7, io_status = $8, io_request_id = $9, dossier_id = $10, signer_id = $11, delivery = $12, qr_code_url = $13,
            reject_reason = $14, updated_at = $16, expires_at = $17, published_at = $18, signed_at = $19, archived = $20,
            search_text = $21, io_created_at = $22, io_updated_at = $23, expiry_notice = $24",
        &[
            &q.id.as_str(), &q.profile_id, &q.document_type, &q.title, &q.signer_name, &q.fiscal_code, &q.status.as_str(),
            &q.io_status, &io_request_id, &q.dossier_id, &q.signer_id, &q.delivery, &q.qr_code_url, &q.reject_reason,
            &q.created_at, &q.updated_at, &q.expires_at, &q.published_at, &q.signed_at, &q.archived, &search,
            &q.io_created_at, &q.io_updated_at, &q.expiry_notice,
        ],
    )
    .await?;
    Ok(())
}

/// A request row with its documents and fields (replaced as a whole), inside the caller's transaction.
pub(crate) async fn write_request(
    tx: &impl GenericClient,
    request: &Request,
    documents: &[Document],
    fields: &[Field],
) -> Result<()> {
    upsert_request(tx, request).await?;
    tx.execute("DELETE FROM documents WHERE request_id = $1", &[&request.id.as_str()])
        .await?;
    for d in documents {
        let size = d.size.map(|s| i64::try_from(s).unwrap_or(i64::MAX));
        tx.execute(
            "INSERT INTO documents (request_id, position, title, path, sha256, size, io_document_id, io_status, reject_reason)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            &[
                &request.id.as_str(), &signed(d.position), &d.title, &d.path, &d.sha256, &size, &d.io_document_id,
                &d.io_status, &d.reject_reason,
            ],
        )
        .await?;
    }
    for f in fields {
        let (page, x, y, w, h, name) = match &f.placement {
            Placement::Coordinates { page, x, y, w, h } => {
                (Some(signed(*page)), Some(*x), Some(*y), Some(*w), Some(*h), None)
            }
            Placement::Existing { unique_name } => (None, None, None, None, None, Some(unique_name.as_str())),
        };
        tx.execute(
            "INSERT INTO signature_fields (request_id, document, position, page, x, y, w, h, unique_name, clause_type, clause_title)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            &[
                &request.id.as_str(), &signed(f.document), &signed(f.position), &page, &x, &y, &w, &h, &name,
                &f.clause_type, &f.clause_title,
            ],
        )
        .await?;
    }
    Ok(())
}

pub(crate) async fn save_send(c: &impl GenericClient, s: &SendState) -> Result<()> {
    c.execute(
        "INSERT INTO sends (request_id, step, state_json, attempts, next_attempt_at, create_attempted_at, last_error, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (request_id) DO UPDATE SET step = $2, state_json = $3, attempts = $4, next_attempt_at = $5,
           create_attempted_at = $6, last_error = $7, updated_at = $8",
        &[
            &s.request_id.as_str(), &s.step, &s.state_json, &signed(s.attempts), &s.next_attempt_at,
            &s.create_attempted_at, &s.last_error, &s.updated_at,
        ],
    )
    .await?;
    Ok(())
}

impl PgStore {
    async fn query_events(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Event>> {
        let c = self.client().await?;
        c.query(sql, params).await?.iter().map(event_from_row).collect()
    }
}

#[async_trait::async_trait]
impl Store for PgStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    fn changes(&self) -> Option<tokio::sync::broadcast::Receiver<crate::Change>> {
        Some(self.feed().subscribe())
    }

    async fn upsert_profile(&self, p: &Profile, now_ms: i64) -> Result<()> {
        let mut c = self.client().await?;
        let tx = self.begin(&mut c).await?;
        tx.execute(
                "INSERT INTO profiles (id, name, environment, base_url, support_email, oidc_issuer, oidc_client_id, oidc_scopes, created_at, testers)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                 ON CONFLICT (id) DO UPDATE SET name = $2, environment = $3, base_url = $4, support_email = $5,
                   oidc_issuer = $6, oidc_client_id = $7, oidc_scopes = $8, testers = $10",
                &[
                    &p.id, &p.name, &p.environment.as_str(), &p.base_url, &p.support_email, &p.oidc_issuer,
                    &p.oidc_client_id, &p.oidc_scopes, &now_ms, &crate::model::join_testers(&p.testers),
                ],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_profile(&self, id: &str) -> Result<()> {
        let mut c = self.client().await?;
        let tx = self.begin(&mut c).await?;
        tx.execute("DELETE FROM profiles WHERE id = $1", &[&id]).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn save_batch(&self, batch: &crate::Batch, rows: &[crate::BatchRow]) -> Result<()> {
        self.pg_save_batch(batch, rows).await
    }
    async fn batch(&self, id: &str) -> Result<Option<crate::Batch>> {
        self.pg_batch(id).await
    }
    async fn batches(&self, profile_id: Option<&str>, limit: u32) -> Result<Vec<crate::Batch>> {
        self.pg_batches(profile_id, limit).await
    }
    async fn batch_rows(&self, batch_id: &str) -> Result<Vec<crate::BatchRowState>> {
        self.pg_batch_rows(batch_id).await
    }
    async fn set_batch_state(&self, id: &str, state: crate::BatchState, now_ms: i64) -> Result<()> {
        self.pg_set_batch_state(id, state, now_ms).await
    }
    async fn set_batch_row_error(&self, batch_id: &str, position: u32, error: Option<&str>) -> Result<()> {
        self.pg_set_batch_row_error(batch_id, position, error).await
    }
    async fn profiles(&self) -> Result<Vec<Profile>> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT id, name, environment, base_url, support_email, oidc_issuer, oidc_client_id, oidc_scopes, testers
                 FROM profiles ORDER BY name",
                &[],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Profile {
                    id: r.try_get(0)?,
                    name: r.try_get(1)?,
                    environment: Environment::parse(&r.try_get::<_, String>(2)?),
                    base_url: r.try_get(3)?,
                    support_email: r.try_get(4)?,
                    oidc_issuer: r.try_get(5)?,
                    oidc_client_id: r.try_get(6)?,
                    oidc_scopes: r.try_get(7)?,
                    testers: crate::model::split_testers(&r.try_get::<_, String>(8)?),
                })
            })
            .collect()
    }

    async fn upsert_document_type(
        &self,
        name: &str,
        dossier_title: &str,
        support_email: Option<&str>,
        template_json: &str,
    ) -> Result<()> {
        let mut c = self.client().await?;
        let tx = self.begin(&mut c).await?;
        tx.execute(
            "INSERT INTO document_types (name, dossier_title, support_email, template_json) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (name) DO UPDATE SET dossier_title = $2, support_email = $3, template_json = $4",
            &[&name, &dossier_title, &support_email, &template_json],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_document_type_archived(&self, name: &str, archived: bool) -> Result<()> {
        let mut c = self.client().await?;
        let tx = self.begin(&mut c).await?;
        tx.execute(
            "UPDATE document_types SET archived = $2 WHERE name = $1",
            &[&name, &archived],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_document_type(&self, name: &str) -> Result<()> {
        let mut c = self.client().await?;
        let tx = self.begin(&mut c).await?;
        // The type's row is locked first, so a request saved with it meanwhile waits and sees it gone.
        tx.execute("SELECT 1 FROM document_types WHERE name = $1 FOR UPDATE", &[&name])
            .await?;
        let used: bool = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM requests WHERE document_type = $1)",
                &[&name],
            )
            .await?
            .try_get(0)?;
        if used {
            return Err(crate::error::type_in_use(name));
        }
        tx.execute("DELETE FROM document_types WHERE name = $1", &[&name])
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_document_type_retention(&self, name: &str, years: Option<u32>) -> Result<()> {
        let c = self.client().await?;
        let years: Option<i32> = years.map(|y| i32::try_from(y).unwrap_or(i32::MAX));
        c.execute(
            "UPDATE document_types SET retention_years = $2 WHERE name = $1",
            &[&name, &years],
        )
        .await?;
        Ok(())
    }

    async fn document_types(&self) -> Result<Vec<DocumentType>> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT name, dossier_title, support_email, template_json, archived, retention_years
                 FROM document_types ORDER BY name",
                &[],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(DocumentType {
                    name: r.try_get(0)?,
                    dossier_title: r.try_get(1)?,
                    support_email: r.try_get(2)?,
                    template_json: r.try_get(3)?,
                    archived: r.try_get(4)?,
                    retention_years: r.try_get::<_, Option<i32>>(5)?.and_then(|y| u32::try_from(y).ok()),
                })
            })
            .collect()
    }

    async fn set_dossier_id(&self, profile_id: &str, document_type: &str, dossier_id: &str) -> Result<()> {
        let mut c = self.client().await?;
        let tx = self.begin(&mut c).await?;
        tx.execute(
            "INSERT INTO dossiers (profile_id, document_type, dossier_id) VALUES ($1, $2, $3)
                 ON CONFLICT (profile_id, document_type) DO UPDATE SET dossier_id = $3",
            &[&profile_id, &document_type, &dossier_id],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn dossier_id(&self, profile_id: &str, document_type: &str) -> Result<Option<String>> {
        let c = self.client().await?;
        let row = c
            .query_opt(
                "SELECT dossier_id FROM dossiers WHERE profile_id = $1 AND document_type = $2",
                &[&profile_id, &document_type],
            )
            .await?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }

    async fn dossiers(&self, profile_id: &str) -> Result<Vec<(String, String)>> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT document_type, dossier_id FROM dossiers WHERE profile_id = $1 ORDER BY document_type",
                &[&profile_id],
            )
            .await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
    }

    async fn upsert_signer(
        &self,
        profile_id: &str,
        fiscal_code: &str,
        display_name: &str,
        signer_id: Option<&str>,
    ) -> Result<()> {
        let mut c = self.client().await?;
        let tx = self.begin(&mut c).await?;
        tx.execute(
            "INSERT INTO signers (profile_id, fiscal_code, display_name, signer_id) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (profile_id, fiscal_code) DO UPDATE SET display_name = $3,
                   signer_id = COALESCE($4, signers.signer_id)",
            &[&profile_id, &fiscal_code, &display_name, &signer_id],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_signer_id(&self, profile_id: &str, fiscal_code: &str, signer_id: &str) -> Result<()> {
        let mut c = self.client().await?;
        let tx = self.begin(&mut c).await?;
        tx.execute(
            "INSERT INTO signers (profile_id, fiscal_code, display_name, signer_id) VALUES ($1, $2, '', $3)
                 ON CONFLICT (profile_id, fiscal_code) DO UPDATE SET signer_id = $3",
            &[&profile_id, &fiscal_code, &signer_id],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn signer_by_id(&self, profile_id: &str, signer_id: &str) -> Result<Option<(String, String)>> {
        let c = self.client().await?;
        let row = c
            .query_opt(
                "SELECT fiscal_code, display_name FROM signers WHERE profile_id = $1 AND signer_id = $2 LIMIT 1",
                &[&profile_id, &signer_id],
            )
            .await?;
        row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
    }

    async fn signer_book(&self, profile_id: &str, text: &str, limit: u32) -> Result<Vec<(String, String)>> {
        let (name, code) = crate::model::signer_book_patterns(text);
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT fiscal_code, display_name FROM signers
                 WHERE profile_id = $1 AND (lower(display_name) LIKE $2 ESCAPE '\\' OR fiscal_code LIKE $3 ESCAPE '\\')
                 ORDER BY display_name, fiscal_code LIMIT $4",
                &[&profile_id, &name, &code, &i64::from(limit)],
            )
            .await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
    }

    async fn signer_id(&self, profile_id: &str, fiscal_code: &str) -> Result<Option<String>> {
        let c = self.client().await?;
        let row = c
            .query_opt(
                "SELECT signer_id FROM signers WHERE profile_id = $1 AND fiscal_code = $2",
                &[&profile_id, &fiscal_code],
            )
            .await?;
        Ok(row.map(|r| r.try_get::<_, Option<String>>(0)).transpose()?.flatten())
    }

    async fn save_request(&self, request: &Request, documents: &[Document], fields: &[Field]) -> Result<()> {
        let mut c = self.client().await?;
        let tx = self.begin(&mut c).await?;
        write_request(&*tx, request, documents, fields).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn update_request(&self, request: &Request) -> Result<()> {
        let mut c = self.client().await?;
        let tx = self.begin(&mut c).await?;
        upsert_request(&*tx, request).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn request(&self, id: &LocalId) -> Result<Option<Request>> {
        let c = self.client().await?;
        let sql = format!("SELECT {REQUEST_COLUMNS} FROM requests WHERE id = $1");
        c.query_opt(&sql, &[&id.as_str()])
            .await?
            .as_ref()
            .map(request_from_row)
            .transpose()
    }

    async fn request_by_io_id(&self, profile_id: &str, io_request_id: &IoRequestId) -> Result<Option<Request>> {
        let c = self.client().await?;
        let sql = format!("SELECT {REQUEST_COLUMNS} FROM requests WHERE profile_id = $1 AND io_request_id = $2");
        c.query_opt(&sql, &[&profile_id, &io_request_id.as_str()])
            .await?
            .as_ref()
            .map(request_from_row)
            .transpose()
    }

    async fn save_request_row(
        &self,
        request: &Request,
        send: Option<&SendState>,
        absorb: Option<&LocalId>,
    ) -> Result<()> {
        let mut c = self.client().await?;
        let tx = self.begin(&mut c).await?;
        let absorb = absorb.filter(|from| **from != request.id);
        if let Some(from) = absorb {
            // Free the IO id first: it is unique per profile.
            tx.execute(
                "UPDATE requests SET io_request_id = NULL WHERE id = $1",
                &[&from.as_str()],
            )
            .await?;
        }
        upsert_request(&*tx, request).await?;
        if let Some(from) = absorb {
            let (from, to) = (from.as_str(), request.id.as_str());
            tx.execute("UPDATE events SET request_id = $2 WHERE request_id = $1", &[&from, &to])
                .await?;
            // The moved record replaces the one the row already had for the same document.
            tx.execute(
                "DELETE FROM archived_files t WHERE t.request_id = $2
                   AND EXISTS (SELECT 1 FROM archived_files f WHERE f.request_id = $1 AND f.io_document_id = t.io_document_id)",
                &[&from, &to],
            )
            .await?;
            tx.execute(
                "UPDATE archived_files SET request_id = $2 WHERE request_id = $1",
                &[&from, &to],
            )
            .await?;
            tx.execute("DELETE FROM requests WHERE id = $1", &[&from]).await?;
        }
        if let Some(s) = send {
            save_send(&*tx, s).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn requests_in_dossier(&self, profile_id: &str, dossier_id: &str) -> Result<Vec<Request>> {
        let c = self.client().await?;
        let sql = format!("SELECT {REQUEST_COLUMNS} FROM requests WHERE profile_id = $1 AND dossier_id = $2");
        c.query(&sql, &[&profile_id, &dossier_id])
            .await?
            .iter()
            .map(request_from_row)
            .collect()
    }

    async fn documents(&self, request_id: &LocalId) -> Result<Vec<Document>> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT position, title, path, sha256, size, io_document_id, io_status, reject_reason
                 FROM documents WHERE request_id = $1 ORDER BY position",
                &[&request_id.as_str()],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Document {
                    position: small(r.try_get(0)?, "documents.position")?,
                    title: r.try_get(1)?,
                    path: r.try_get(2)?,
                    sha256: r.try_get(3)?,
                    size: r
                        .try_get::<_, Option<i64>>(4)?
                        .map(|s| unsigned(s, "documents.size"))
                        .transpose()?,
                    io_document_id: r.try_get(5)?,
                    io_status: r.try_get(6)?,
                    reject_reason: r.try_get(7)?,
                })
            })
            .collect()
    }

    async fn fields(&self, request_id: &LocalId) -> Result<Vec<Field>> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT document, position, page, x, y, w, h, unique_name, clause_type, clause_title
                 FROM signature_fields WHERE request_id = $1 ORDER BY document, position",
                &[&request_id.as_str()],
            )
            .await?;
        rows.iter()
            .map(|r| {
                let placement = match r.try_get::<_, Option<String>>(7)? {
                    Some(unique_name) => Placement::Existing { unique_name },
                    None => Placement::Coordinates {
                        page: small(r.try_get(2)?, "signature_fields.page")?,
                        x: r.try_get(3)?,
                        y: r.try_get(4)?,
                        w: r.try_get(5)?,
                        h: r.try_get(6)?,
                    },
                };
                Ok(Field {
                    document: small(r.try_get(0)?, "signature_fields.document")?,
                    position: small(r.try_get(1)?, "signature_fields.position")?,
                    placement,
                    clause_type: r.try_get(8)?,
                    clause_title: r.try_get(9)?,
                })
            })
            .collect()
    }

    async fn save_send(&self, s: &SendState) -> Result<()> {
        let mut c = self.client().await?;
        let tx = self.begin(&mut c).await?;
        save_send(&*tx, s).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn send(&self, request_id: &LocalId) -> Result<Option<SendState>> {
        let c = self.client().await?;
        c.query_opt(&format!("{SEND_SELECT} WHERE request_id = $1"), &[&request_id.as_str()])
            .await?
            .as_ref()
            .map(send_from_row)
            .transpose()
    }

    async fn unfinished_sends(&self) -> Result<Vec<SendState>> {
        let c = self.client().await?;
        let finished: Vec<&str> = FINISHED_STEPS.to_vec();
        c.query(
            &format!("{SEND_SELECT} WHERE NOT (step = ANY($1)) ORDER BY updated_at, request_id"),
            &[&finished],
        )
        .await?
        .iter()
        .map(send_from_row)
        .collect()
    }

    async fn add_event(&self, e: &Event) -> Result<()> {
        let mut c = self.client().await?;
        let tx = self.begin(&mut c).await?;
        tx.execute(
            "INSERT INTO events (request_id, at, actor, code, text, detail_json) VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &e.request_id.as_str(),
                &e.at,
                &e.actor,
                &e.code,
                &e.text,
                &e.detail_json,
            ],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn events(&self, request_id: &LocalId) -> Result<Vec<Event>> {
        self.query_events(
            &format!("SELECT {EVENT_COLUMNS} FROM events WHERE request_id = $1 ORDER BY at, seq"),
            &[&request_id.as_str()],
        )
        .await
    }

    async fn recent_events(&self, limit: u32) -> Result<Vec<Event>> {
        self.query_events(
            &format!("SELECT {EVENT_COLUMNS} FROM events ORDER BY at DESC, seq DESC LIMIT $1"),
            &[&i64::from(limit)],
        )
        .await
    }

    async fn record_archive(&self, f: &ArchivedFile) -> Result<()> {
        let size = i64::try_from(f.size).unwrap_or(i64::MAX);
        let mut c = self.client().await?;
        let tx = self.begin(&mut c).await?;
        tx.execute(
                "INSERT INTO archived_files (request_id, io_document_id, path, sha256, size, archived_at)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (request_id, io_document_id) DO UPDATE SET path = $3, sha256 = $4, size = $5, archived_at = $6",
                &[&f.request_id.as_str(), &f.io_document_id, &f.path, &f.sha256, &size, &f.archived_at],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn put_file(&self, sha256: &str, bytes: &[u8], now_ms: i64) -> Result<()> {
        crate::files::check_put(sha256, bytes)?;
        let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
        let c = self.client().await?;
        c.execute(
            "INSERT INTO files (sha256, bytes, size, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING",
            &[&sha256, &bytes, &size, &now_ms],
        )
        .await?;
        Ok(())
    }

    async fn file(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        let c = self.client().await?;
        let row = c
            .query_opt("SELECT bytes FROM files WHERE sha256 = $1", &[&sha256])
            .await?;
        row.map(|r| crate::files::check_read(sha256, r.try_get(0)?)).transpose()
    }

    async fn database_role(&self) -> Result<Option<crate::Role>> {
        let c = self.client().await?;
        let groups: Vec<String> = c
            .query(
                "SELECT g.rolname FROM pg_roles g
                 WHERE g.rolname IN ('firmadesk_amministratori', 'firmadesk_operatori')
                   AND pg_has_role(current_user, g.oid, 'MEMBER')
                   AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
                   AND NOT EXISTS (SELECT FROM pg_database d JOIN pg_roles o ON o.oid = d.datdba
                                   WHERE d.datname = current_database() AND o.rolname = current_user)",
                &[],
            )
            .await?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<std::result::Result<_, _>>()?;
        Ok(if groups.iter().any(|g| g == "firmadesk_amministratori") {
            Some(crate::Role::Amministratore)
        } else if groups.iter().any(|g| g == "firmadesk_operatori") {
            Some(crate::Role::Operatore)
        } else {
            None
        })
    }

    async fn clerk_role(&self, identity: &str) -> Result<Option<crate::Role>> {
        let c = self.client().await?;
        let row = c
            .query_opt("SELECT role FROM clerk_roles WHERE identity = $1", &[&identity])
            .await?;
        row.map(|r| {
            let name: String = r.try_get(0)?;
            crate::Role::parse(&name).ok_or_else(|| crate::roles::unknown(&name))
        })
        .transpose()
    }

    async fn clerk_roles(&self) -> Result<Vec<crate::ClerkRole>> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT identity, role, set_by, set_at FROM clerk_roles ORDER BY identity COLLATE \"C\"",
                &[],
            )
            .await?;
        rows.iter()
            .map(|r| {
                let role: String = r.try_get(1)?;
                Ok(crate::ClerkRole {
                    identity: r.try_get(0)?,
                    role: crate::Role::parse(&role).ok_or_else(|| crate::roles::unknown(&role))?,
                    set_by: r.try_get(2)?,
                    set_at: r.try_get(3)?,
                })
            })
            .collect()
    }

    async fn set_clerk_role(&self, identity: &str, role: crate::Role, set_by: &str, now_ms: i64) -> Result<()> {
        let mut c = self.client().await?;
        let tx = self.begin(&mut c).await?;
        // One role change at a time: two administrators demoting each other together must not leave none.
        tx.execute("LOCK TABLE clerk_roles IN SHARE ROW EXCLUSIVE MODE", &[])
            .await?;
        if role != crate::Role::Amministratore {
            let row = tx
                .query_one(
                    "SELECT EXISTS (SELECT 1 FROM clerk_roles WHERE identity = $1 AND role = 'amministratore'),
                            (SELECT count(*) FROM clerk_roles WHERE role = 'amministratore' AND identity <> $1)",
                    &[&identity],
                )
                .await?;
            let (was_admin, others): (bool, i64) = (row.try_get(0)?, row.try_get(1)?);
            if was_admin && others == 0 {
                return Err(crate::roles::last_admin(identity));
            }
        }
        tx.execute(
            "INSERT INTO clerk_roles (identity, role, set_by, set_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (identity) DO UPDATE SET role = $2, set_by = $3, set_at = $4",
            &[&identity, &role.as_str(), &set_by, &now_ms],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn claim_first_admin(&self, identity: &str, now_ms: i64) -> Result<bool> {
        let mut c = self.client().await?;
        let tx = self.begin(&mut c).await?;
        tx.execute("LOCK TABLE clerk_roles IN SHARE ROW EXCLUSIVE MODE", &[])
            .await?;
        let has_admin: bool = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM clerk_roles WHERE role = 'amministratore')",
                &[],
            )
            .await?
            .try_get(0)?;
        if has_admin {
            return Ok(false);
        }
        tx.execute(
            "INSERT INTO clerk_roles (identity, role, set_by, set_at) VALUES ($1, 'amministratore', $1, $2)
             ON CONFLICT (identity) DO UPDATE SET role = 'amministratore', set_by = $1, set_at = $2",
            &[&identity, &now_ms],
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn record_verification(&self, v: &Verification) -> Result<()> {
        let mut c = self.client().await?;
        let tx = self.begin(&mut c).await?;
        tx.execute(
            "INSERT INTO verifications (request_id, io_document_id, verdict, codes, signer, fiscal_code, signing_time, report_json, verified_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (request_id, io_document_id) DO UPDATE SET verdict = $3, codes = $4, signer = $5, fiscal_code = $6,
                 signing_time = $7, report_json = $8, verified_at = $9",
            &[
                &v.request_id.as_str(),
                &v.io_document_id,
                &v.verdict,
                &v.codes.join(","),
                &v.signer,
                &v.fiscal_code,
                &v.signing_time,
                &v.report_json,
                &v.verified_at,
            ],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_protocol(&self, p: &Protocol) -> Result<()> {
        let mut c = self.client().await?;
        let tx = self.begin(&mut c).await?;
        tx.execute(
            "INSERT INTO protocol_records (request_id, number, date, register, classification, fascicolo, reserved, updated_at, updated_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (request_id) DO UPDATE SET number = $2, date = $3, register = $4, classification = $5,
                 fascicolo = $6, reserved = $7, updated_at = $8, updated_by = $9",
            &[
                &p.request_id.as_str(),
                &p.number,
                &p.date,
                &p.register,
                &p.classification,
                &p.fascicolo,
                &p.reserved,
                &p.updated_at,
                &p.updated_by,
            ],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn protocols(&self, request_ids: &[LocalId]) -> Result<Vec<Protocol>> {
        let ids: Vec<&str> = request_ids.iter().map(LocalId::as_str).collect();
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT request_id, number, date, register, classification, fascicolo, reserved, updated_at, updated_by
                 FROM protocol_records WHERE request_id = ANY($1) ORDER BY request_id",
                &[&ids],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Protocol {
                    request_id: LocalId::from(r.try_get::<_, String>(0)?),
                    number: r.try_get(1)?,
                    date: r.try_get(2)?,
                    register: r.try_get(3)?,
                    classification: r.try_get(4)?,
                    fascicolo: r.try_get(5)?,
                    reserved: r.try_get(6)?,
                    updated_at: r.try_get(7)?,
                    updated_by: r.try_get(8)?,
                })
            })
            .collect()
    }

    async fn record_evidence(&self, request_id: &LocalId, json: &str, now_ms: i64) -> Result<()> {
        let mut c = self.client().await?;
        let tx = self.begin(&mut c).await?;
        tx.execute(
            "INSERT INTO io_evidence (request_id, json, recorded_at) VALUES ($1, $2, $3)
             ON CONFLICT (request_id) DO UPDATE SET json = $2, recorded_at = $3",
            &[&request_id.as_str(), &json, &now_ms],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn evidence(&self, request_id: &LocalId) -> Result<Option<String>> {
        let c = self.client().await?;
        Ok(c.query_opt(
            "SELECT json FROM io_evidence WHERE request_id = $1",
            &[&request_id.as_str()],
        )
        .await?
        .map(|r| r.try_get(0))
        .transpose()?)
    }

    async fn verifications(&self, request_ids: &[LocalId]) -> Result<Vec<Verification>> {
        let ids: Vec<&str> = request_ids.iter().map(LocalId::as_str).collect();
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT request_id, io_document_id, verdict, codes, signer, fiscal_code, signing_time, report_json, verified_at
                 FROM verifications WHERE request_id = ANY($1) ORDER BY request_id, io_document_id",
                &[&ids],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Verification {
                    request_id: LocalId::from(r.try_get::<_, String>(0)?),
                    io_document_id: r.try_get(1)?,
                    verdict: r.try_get(2)?,
                    codes: crate::model::split_codes(&r.try_get::<_, String>(3)?),
                    signer: r.try_get(4)?,
                    fiscal_code: r.try_get(5)?,
                    signing_time: r.try_get(6)?,
                    report_json: r.try_get(7)?,
                    verified_at: r.try_get(8)?,
                })
            })
            .collect()
    }

    async fn archived_files(&self, request_id: &LocalId) -> Result<Vec<ArchivedFile>> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT request_id, io_document_id, path, sha256, size, archived_at FROM archived_files
                 WHERE request_id = $1 ORDER BY io_document_id",
                &[&request_id.as_str()],
            )
            .await?;
        rows.iter().map(archived_from_row).collect()
    }

    async fn unverified_archives(&self) -> Result<Vec<ArchivedFile>> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT a.request_id, a.io_document_id, a.path, a.sha256, a.size, a.archived_at FROM archived_files a
                 WHERE NOT EXISTS (SELECT 1 FROM verifications v
                                   WHERE v.request_id = a.request_id AND v.io_document_id = a.io_document_id)
                 ORDER BY a.request_id, a.io_document_id",
                &[],
            )
            .await?;
        rows.iter().map(archived_from_row).collect()
    }

    async fn counts(&self, profile_id: Option<&str>, now_ms: i64, expiring_within_ms: i64) -> Result<Counts> {
        let c = self.client().await?;
        let mut counts = Counts::default();
        // By status from the counters the requests' trigger keeps (migration `…_request_counts`); the
        // deadlines from the (status, deadline) indexes.
        let (by_status, deadlines) = match profile_id {
            None => (
                "SELECT status, SUM(n)::BIGINT FROM request_counts WHERE $1::text IS NULL GROUP BY status",
                "SELECT COUNT(*) FILTER (WHERE expires_at > $1), COUNT(*) FILTER (WHERE expires_at <= $1)
                 FROM requests WHERE $3::text IS NULL AND status = 'waiting' AND expires_at <= $2",
            ),
            Some(_) => (
                "SELECT status, n FROM request_counts WHERE profile_id = $1",
                "SELECT COUNT(*) FILTER (WHERE expires_at > $1), COUNT(*) FILTER (WHERE expires_at <= $1)
                 FROM requests WHERE profile_id = $3 AND status = 'waiting' AND expires_at <= $2",
            ),
        };
        for r in c.query(by_status, &[&profile_id]).await? {
            counts.add(&r.try_get::<_, String>(0)?, unsigned(r.try_get(1)?, "count")?);
        }
        let row = c
            .query_one(deadlines, &[&now_ms, &(now_ms + expiring_within_ms), &profile_id])
            .await?;
        counts.expiring = unsigned(row.try_get(0)?, "count")?;
        counts.expired = unsigned(row.try_get(1)?, "count")?;
        Ok(counts)
    }

    async fn list(&self, q: &ListQuery, now_ms: i64) -> Result<ListPage> {
        let crate::filter::Filter { sql: filter, values } =
            crate::filter::filter(q, now_ms, |n| format!("${n}"), crate::filter::TextSearch::Like);
        let args: Vec<Box<dyn ToSql + Sync + Send>> = values
            .into_iter()
            .map(|v| -> Box<dyn ToSql + Sync + Send> {
                match v {
                    crate::filter::Value::Text(t) => Box::new(t),
                    crate::filter::Value::Int(i) => Box::new(i),
                }
            })
            .collect();
        let dir = if q.ascending { "ASC" } else { "DESC" };
        // SQLite puts NULL first going up and last going down; PostgreSQL the reverse unless told.
        let nulls = if q.ascending { "NULLS FIRST" } else { "NULLS LAST" };
        // The id breaks ties so pages never repeat or skip a row.
        let order = match q.sort {
            Sort::Updated => format!("updated_at {dir}, id {dir}"),
            Sort::Created => format!("created_at {dir}, id {dir}"),
            Sort::ExpiresAt => format!("expires_at {dir} {nulls}, id {dir}"),
            Sort::SignerName => format!("lower(signer_name) {dir}, id {dir}"),
        };
        let limit = if q.limit == 0 { 50 } else { q.limit.min(500) };
        let params: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| &**a as &(dyn ToSql + Sync)).collect();
        let c = self.client().await?;
        // The page and the total apart: a window count over the matches makes the planner read and sort
        // every match instead of walking an ordering index for one page (216 ms for the first page at
        // 100,000 requests, measured).
        let sql = format!(
            "SELECT {REQUEST_COLUMNS} FROM requests {filter} ORDER BY {order} LIMIT {limit} OFFSET {}",
            q.offset
        );
        let rows = c.query(&sql, &params).await?;
        let searching = q.text.as_deref().is_some_and(|t| !t.trim().is_empty());
        let mut total_at_least = false;
        let total = if q.offset == 0 && rows.len() < limit as usize {
            rows.len() as u64
        } else if searching {
            // A text search counts its matches up to one more than SEARCH_COUNTED: a text many requests
            // carry would otherwise be counted whole (13 ms for one request in ten at 100,000, measured).
            let row = c
                .query_one(
                    &format!(
                        "SELECT COUNT(*) FROM (SELECT 1 FROM requests {filter} LIMIT {}) AS m",
                        SEARCH_COUNTED + 1
                    ),
                    &params,
                )
                .await?;
            let counted = unsigned(row.try_get(0)?, "count")?;
            total_at_least = counted > SEARCH_COUNTED;
            counted.min(SEARCH_COUNTED)
        } else if by_status_only(q) {
            // Filtered by status and profile alone: the counters the trigger keeps say it at once
            // (counting 20,000 waiting requests took most of the list's time).
            let statuses: Vec<&str> = q.statuses.iter().map(|s| s.as_str()).collect();
            let row = c
                .query_one(
                    "SELECT COALESCE(SUM(n), 0)::BIGINT FROM request_counts
                     WHERE ($1::text IS NULL OR profile_id = $1)
                       AND (cardinality($2::text[]) = 0 OR status = ANY($2))",
                    &[&q.profile_id, &statuses],
                )
                .await?;
            unsigned(row.try_get(0)?, "count")?
        } else {
            let row = c
                .query_one(&format!("SELECT COUNT(*) FROM requests {filter}"), &params)
                .await?;
            unsigned(row.try_get(0)?, "count")?
        };
        Ok(ListPage {
            rows: rows.iter().map(request_from_row).collect::<Result<_>>()?,
            total,
            total_at_least,
        })
    }

    async fn try_lease(&self, profile_id: &str, holder: &str, now_ms: i64, ttl_ms: i64) -> Result<Option<Lease>> {
        let c = self.client().await?;
        c.query_opt(
            "INSERT INTO worker_leases (profile_id, holder, epoch, expires_at) VALUES ($1, $2, 1, $4)
             ON CONFLICT (profile_id) DO UPDATE SET
               epoch = CASE WHEN worker_leases.holder = excluded.holder THEN worker_leases.epoch
                            ELSE worker_leases.epoch + 1 END,
               holder = excluded.holder, expires_at = excluded.expires_at
             WHERE worker_leases.holder = excluded.holder OR worker_leases.expires_at <= $3
             RETURNING profile_id, holder, epoch, expires_at",
            &[&profile_id, &holder, &now_ms, &(now_ms + ttl_ms)],
        )
        .await?
        .as_ref()
        .map(lease_from_row)
        .transpose()
    }

    async fn release_lease(&self, lease: &Lease) -> Result<()> {
        self.client()
            .await?
            .execute(
                "UPDATE worker_leases SET expires_at = 0 WHERE profile_id = $1 AND holder = $2 AND epoch = $3",
                &[&lease.profile_id, &lease.holder, &lease.epoch],
            )
            .await?;
        Ok(())
    }

    async fn lease(&self, profile_id: &str) -> Result<Option<Lease>> {
        let c = self.client().await?;
        c.query_opt(
            "SELECT profile_id, holder, epoch, expires_at FROM worker_leases WHERE profile_id = $1",
            &[&profile_id],
        )
        .await?
        .as_ref()
        .map(lease_from_row)
        .transpose()
    }

    fn as_worker(self: std::sync::Arc<Self>, lease: Lease) -> std::sync::Arc<dyn Store> {
        std::sync::Arc::new(self.fenced(lease))
    }
}

/// A row of `SELECT request_id, io_document_id, path, sha256, size, archived_at` from `archived_files`.
fn archived_from_row(r: &tokio_postgres::Row) -> Result<ArchivedFile> {
    Ok(ArchivedFile {
        request_id: LocalId::from(r.try_get::<_, String>(0)?),
        io_document_id: r.try_get(1)?,
        path: r.try_get(2)?,
        sha256: r.try_get(3)?,
        size: unsigned(r.try_get(4)?, "archived_files.size")?,
        archived_at: r.try_get(5)?,
    })
}

/// Whether a list's only filters are statuses and a profile (its total is then the counters').
fn by_status_only(q: &ListQuery) -> bool {
    q.text.as_deref().is_none_or(|t| t.trim().is_empty())
        && q.expiring_within_ms.is_none()
        && !q.expired_only
        && q.document_type.is_none()
        && q.created_from.is_none()
        && q.created_to.is_none()
}
