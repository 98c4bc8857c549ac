//! Lists sent with one document type (issue #15): a batch and its rows, each row joined with its request
//! and its send when they exist.

use crate::error::{ErrorKind, StoreError};
use crate::{Batch, BatchRow, BatchRowState, BatchState, IoRequestId, LocalId, Result, SqliteStore, Status};
use rusqlite::{params, OptionalExtension, Row};

const BATCH_COLUMNS: &str =
    "id, profile_id, document_type, name, created_by, runner, state, draft_json, created_at, updated_at";

fn batch_from_row(r: &Row) -> rusqlite::Result<Batch> {
    let state: String = r.get(6)?;
    Ok(Batch {
        id: r.get(0)?,
        profile_id: r.get(1)?,
        document_type: r.get(2)?,
        name: r.get(3)?,
        created_by: r.get(4)?,
        runner: r.get(5)?,
        state: BatchState::parse(&state).unwrap_or(BatchState::Stopped),
        draft_json: r.get(7)?,
        created_at: r.get(8)?,
        updated_at: r.get(9)?,
    })
}

fn row_state_from_row(r: &Row) -> rusqlite::Result<BatchRowState> {
    let status: Option<String> = r.get(8)?;
    Ok(BatchRowState {
        row: BatchRow {
            batch_id: r.get(0)?,
            position: r.get(1)?,
            line: r.get(2)?,
            request_id: LocalId::from(r.get::<_, String>(3)?),
            signer_name: r.get(4)?,
            fiscal_code: r.get(5)?,
            data_json: r.get(6)?,
            error: r.get(7)?,
        },
        status: status.as_deref().and_then(Status::parse),
        io_request_id: r.get::<_, Option<String>>(9)?.map(IoRequestId::from),
        step: r.get(10)?,
        last_error: r.get(11)?,
    })
}

impl SqliteStore {
    /// See [`Store::save_batch`](crate::Store::save_batch).
    pub fn save_batch(&self, batch: &Batch, rows: &[BatchRow]) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let exists = tx
            .query_row("SELECT 1 FROM batches WHERE id = ?1", [&batch.id], |_| Ok(()))
            .optional()?
            .is_some();
        if exists {
            return Err(StoreError::new(ErrorKind::Invalid, "Questo invio da elenco esiste già.").detail(&batch.id));
        }
        tx.execute(
            &format!("INSERT INTO batches ({BATCH_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
            params![
                batch.id,
                batch.profile_id,
                batch.document_type,
                batch.name,
                batch.created_by,
                batch.runner,
                batch.state.as_str(),
                batch.draft_json,
                batch.created_at,
                batch.updated_at
            ],
        )?;
        {
            let mut insert = tx.prepare(
                "INSERT INTO batch_rows (batch_id, position, line, request_id, signer_name, fiscal_code, data_json, error)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for row in rows {
                insert.execute(params![
                    batch.id,
                    row.position,
                    row.line,
                    row.request_id,
                    row.signer_name,
                    row.fiscal_code,
                    row.data_json,
                    row.error
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// See [`Store::batch`](crate::Store::batch).
    pub fn batch(&self, id: &str) -> Result<Option<Batch>> {
        Ok(self
            .conn()
            .query_row(
                &format!("SELECT {BATCH_COLUMNS} FROM batches WHERE id = ?1"),
                [id],
                batch_from_row,
            )
            .optional()?)
    }

    /// See [`Store::batches`](crate::Store::batches).
    pub fn batches(&self, profile_id: Option<&str>, limit: u32) -> Result<Vec<Batch>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {BATCH_COLUMNS} FROM batches WHERE ?1 IS NULL OR profile_id = ?1
             ORDER BY created_at DESC, id DESC LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![profile_id, limit], batch_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// See [`Store::batch_rows`](crate::Store::batch_rows).
    pub fn batch_rows(&self, batch_id: &str) -> Result<Vec<BatchRowState>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT b.batch_id, b.position, b.line, b.request_id, b.signer_name, b.fiscal_code, b.data_json, b.error,
                    r.status, r.io_request_id, s.step, s.last_error
             FROM batch_rows b
             LEFT JOIN requests r ON r.id = b.request_id
             LEFT JOIN sends s ON s.request_id = b.request_id
             WHERE b.batch_id = ?1 ORDER BY b.position",
        )?;
        let rows = stmt.query_map([batch_id], row_state_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// See [`Store::set_batch_state`](crate::Store::set_batch_state).
    pub fn set_batch_state(&self, id: &str, state: BatchState, now_ms: i64) -> Result<()> {
        self.conn().execute(
            "UPDATE batches SET state = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, state.as_str(), now_ms],
        )?;
        Ok(())
    }

    /// See [`Store::set_batch_row_error`](crate::Store::set_batch_row_error).
    pub fn set_batch_row_error(&self, batch_id: &str, position: u32, error: Option<&str>) -> Result<()> {
        self.conn().execute(
            "UPDATE batch_rows SET error = ?3 WHERE batch_id = ?1 AND position = ?2",
            params![batch_id, position, error],
        )?;
        Ok(())
    }
}
