//! Content-addressed files (see `crate::files`).

use crate::files::{check_put, check_read};
use crate::{Result, SqliteStore};
use rusqlite::{params, OptionalExtension};

impl SqliteStore {
    /// Keeps `bytes` under their sha256, once.
    pub fn put_file(&self, sha256: &str, bytes: &[u8], now_ms: i64) -> Result<()> {
        check_put(sha256, bytes)?;
        self.conn().execute(
            "INSERT INTO files (sha256, bytes, size, created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT(sha256) DO NOTHING",
            params![sha256, bytes, bytes.len() as i64, now_ms],
        )?;
        Ok(())
    }

    /// The bytes kept under `sha256`, checked against it.
    pub fn file(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        let bytes: Option<Vec<u8>> = self
            .conn()
            .query_row("SELECT bytes FROM files WHERE sha256 = ?1", [sha256], |r| r.get(0))
            .optional()?;
        bytes.map(|b| check_read(sha256, b)).transpose()
    }
}
