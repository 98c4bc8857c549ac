//! The signed files in the archive, by request.

use crate::LocalId;
use crate::{ArchivedFile, Result, SqliteStore};
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
}
