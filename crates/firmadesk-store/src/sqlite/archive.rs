//! The signed files in the archive, by request, their verifications, and what the hand-off to protocollo
//! and conservazione takes: protocol data and IO Sign's evidence.

use crate::LocalId;
use crate::{ArchivedFile, Protocol, Result, SqliteStore, Verification};
use rusqlite::params;

/// A row of `SELECT request_id, io_document_id, path, sha256, size, archived_at FROM archived_files`.
fn archived_from_row(r: &rusqlite::Row) -> rusqlite::Result<ArchivedFile> {
    Ok(ArchivedFile {
        request_id: r.get(0)?,
        io_document_id: r.get(1)?,
        path: r.get(2)?,
        sha256: r.get(3)?,
        size: r.get(4)?,
        archived_at: r.get(5)?,
    })
}

/// The rows `stmt` (with the request id as `?1`) gives for each of `request_ids`, once each, in id order.
fn per_request<T>(
    stmt: &mut rusqlite::Statement<'_>,
    request_ids: &[LocalId],
    row: impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let mut ids: Vec<&LocalId> = request_ids.iter().collect();
    ids.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    ids.dedup();
    let mut out = Vec::new();
    for id in ids {
        let rows = stmt.query_map([id], &row)?;
        out.extend(rows.collect::<rusqlite::Result<Vec<_>>>()?);
    }
    Ok(out)
}

impl SqliteStore {
    /// Records an archived signed file.
    pub fn record_archive(&self, f: &ArchivedFile) -> Result<()> {
        self.conn().execute(
            "INSERT INTO archived_files (request_id, io_document_id, path, sha256, size, archived_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(request_id, io_document_id) DO UPDATE SET path = ?3, sha256 = ?4, size = ?5, archived_at = ?6",
            params![f.request_id, f.io_document_id, f.path, f.sha256, f.size, f.archived_at],
        )?;
        Ok(())
    }

    /// Every archived file of this desk, by request (the move to a team database carries their bytes).
    pub fn all_archived_files(&self) -> Result<Vec<ArchivedFile>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT request_id, io_document_id, path, sha256, size, archived_at FROM archived_files ORDER BY request_id, io_document_id",
        )?;
        let rows = stmt.query_map([], archived_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Archived files of a request.
    pub fn archived_files(&self, request_id: &LocalId) -> Result<Vec<ArchivedFile>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT request_id, io_document_id, path, sha256, size, archived_at FROM archived_files WHERE request_id = ?1 ORDER BY io_document_id",
        )?;
        let rows = stmt.query_map([request_id], archived_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records the verification of an archived document (replacing the one of the same document).
    pub fn record_verification(&self, v: &Verification) -> Result<()> {
        self.conn().execute(
            "INSERT INTO verifications (request_id, io_document_id, verdict, codes, signer, fiscal_code, signing_time, report_json, verified_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT(request_id, io_document_id) DO UPDATE SET verdict = ?3, codes = ?4, signer = ?5, fiscal_code = ?6,
                 signing_time = ?7, report_json = ?8, verified_at = ?9",
            params![
                v.request_id,
                v.io_document_id,
                v.verdict,
                v.codes.join(","),
                v.signer,
                v.fiscal_code,
                v.signing_time,
                v.report_json,
                v.verified_at
            ],
        )?;
        Ok(())
    }

    /// The verifications of these requests, by request id then IO document id.
    pub fn verifications(&self, request_ids: &[LocalId]) -> Result<Vec<Verification>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT request_id, io_document_id, verdict, codes, signer, fiscal_code, signing_time, report_json, verified_at
             FROM verifications WHERE request_id = ?1 ORDER BY io_document_id",
        )?;
        per_request(&mut stmt, request_ids, |r| {
            Ok(Verification {
                request_id: r.get(0)?,
                io_document_id: r.get(1)?,
                verdict: r.get(2)?,
                codes: crate::model::split_codes(&r.get::<_, String>(3)?),
                signer: r.get(4)?,
                fiscal_code: r.get(5)?,
                signing_time: r.get(6)?,
                report_json: r.get(7)?,
                verified_at: r.get(8)?,
            })
        })
    }

    /// See [`Store::unverified_archives`](crate::Store::unverified_archives).
    pub fn unverified_archives(&self) -> Result<Vec<ArchivedFile>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT a.request_id, a.io_document_id, a.path, a.sha256, a.size, a.archived_at FROM archived_files a
             WHERE NOT EXISTS (SELECT 1 FROM verifications v
                               WHERE v.request_id = a.request_id AND v.io_document_id = a.io_document_id)
             ORDER BY a.request_id, a.io_document_id",
        )?;
        let rows = stmt.query_map([], archived_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Sets a request's protocol data.
    pub fn set_protocol(&self, p: &Protocol) -> Result<()> {
        self.conn().execute(
            "INSERT INTO protocol_records (request_id, number, date, register, classification, fascicolo, reserved, updated_at, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT(request_id) DO UPDATE SET number = ?2, date = ?3, register = ?4, classification = ?5,
                 fascicolo = ?6, reserved = ?7, updated_at = ?8, updated_by = ?9",
            params![
                p.request_id,
                p.number,
                p.date,
                p.register,
                p.classification,
                p.fascicolo,
                p.reserved,
                p.updated_at,
                p.updated_by
            ],
        )?;
        Ok(())
    }

    /// The protocol data of these requests, by request id.
    pub fn protocols(&self, request_ids: &[LocalId]) -> Result<Vec<Protocol>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT request_id, number, date, register, classification, fascicolo, reserved, updated_at, updated_by
             FROM protocol_records WHERE request_id = ?1",
        )?;
        per_request(&mut stmt, request_ids, |r| {
            Ok(Protocol {
                request_id: r.get(0)?,
                number: r.get(1)?,
                date: r.get(2)?,
                register: r.get(3)?,
                classification: r.get(4)?,
                fascicolo: r.get(5)?,
                reserved: r.get(6)?,
                updated_at: r.get(7)?,
                updated_by: r.get(8)?,
            })
        })
    }

    /// Keeps IO Sign's evidence of a request.
    pub fn record_evidence(&self, request_id: &LocalId, json: &str, now_ms: i64) -> Result<()> {
        self.conn().execute(
            "INSERT INTO io_evidence (request_id, json, recorded_at) VALUES (?1, ?2, ?3)
             ON CONFLICT(request_id) DO UPDATE SET json = ?2, recorded_at = ?3",
            params![request_id, json, now_ms],
        )?;
        Ok(())
    }

    /// IO Sign's evidence of a request.
    pub fn evidence(&self, request_id: &LocalId) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn()
            .query_row(
                "SELECT json FROM io_evidence WHERE request_id = ?1",
                [request_id],
                |r| r.get(0),
            )
            .optional()?)
    }
}
