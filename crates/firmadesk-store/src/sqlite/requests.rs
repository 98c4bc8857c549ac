//! Signature requests with their documents and signature fields, and the translation between the local id
//! and IO's.

use super::sends::save_send;
use crate::{Document, Field, Placement, Request, Result, SendState, SqliteStore, Status};
use crate::{IoRequestId, LocalId};
use rusqlite::{params, OptionalExtension};
use rusqlite::{Connection, Row};

impl SqliteStore {
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
    pub fn request(&self, id: &LocalId) -> Result<Option<Request>> {
        let conn = self.conn();
        let sql = format!("SELECT {REQUEST_COLUMNS} FROM requests WHERE id = ?1");
        Ok(conn.query_row(&sql, [id], request_from_row).optional()?)
    }

    /// A request by its IO id.
    pub fn request_by_io_id(&self, profile_id: &str, io_request_id: &IoRequestId) -> Result<Option<Request>> {
        let conn = self.conn();
        let sql = format!("SELECT {REQUEST_COLUMNS} FROM requests WHERE profile_id = ?1 AND io_request_id = ?2");
        Ok(conn
            .query_row(&sql, [profile_id, io_request_id.as_str()], request_from_row)
            .optional()?)
    }

    /// Saves a request row, and the saga step that changed it if any, in one transaction: the dashboard
    /// never shows a step the outbox does not hold, nor the reverse. `absorb` names another row that
    /// held the same IO request (the poller saw it before its send claimed it): its timeline and
    /// archived files move to `request` and it is removed, in the same transaction.
    pub fn save_request_row(
        &self,
        request: &Request,
        send: Option<&SendState>,
        absorb: Option<&LocalId>,
    ) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let absorb = absorb.filter(|from| **from != request.id);
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
    pub fn documents(&self, request_id: &LocalId) -> Result<Vec<Document>> {
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
    pub fn fields(&self, request_id: &LocalId) -> Result<Vec<Field>> {
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
}

pub(crate) const REQUEST_COLUMNS: &str = "id, profile_id, document_type, title, signer_name, fiscal_code, status, io_status, io_request_id, \
    dossier_id, signer_id, delivery, qr_code_url, reject_reason, created_at, updated_at, expires_at, published_at, signed_at, archived, \
    io_created_at, io_updated_at, expiry_notice";

pub(crate) fn request_from_row(r: &Row) -> rusqlite::Result<Request> {
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

pub(crate) fn upsert_request(conn: &Connection, q: &Request) -> Result<()> {
    let search = crate::model::search_key(&format!("{}|{}|{}", q.signer_name, q.fiscal_code, q.title));
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
