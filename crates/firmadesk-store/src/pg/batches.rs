//! Lists sent with one document type (issue #15) in the team database: the same statements as the SQLite
//! backend's `batches.rs`.

use super::PgStore;
use crate::error::{ErrorKind, Result, StoreError};
use crate::{Batch, BatchRow, BatchRowState, BatchState, IoRequestId, LocalId, Status};
use tokio_postgres::Row;

const BATCH_COLUMNS: &str =
    "id, profile_id, document_type, name, created_by, runner, state, draft_json, created_at, updated_at";

fn batch_from_row(r: &Row) -> Result<Batch> {
    let state: String = r.try_get(6)?;
    Ok(Batch {
        id: r.try_get(0)?,
        profile_id: r.try_get(1)?,
        document_type: r.try_get(2)?,
        name: r.try_get(3)?,
        created_by: r.try_get(4)?,
        runner: r.try_get(5)?,
        state: BatchState::parse(&state).unwrap_or(BatchState::Stopped),
        draft_json: r.try_get(7)?,
        created_at: r.try_get(8)?,
        updated_at: r.try_get(9)?,
    })
}

fn unsigned(v: i32, what: &str) -> Result<u32> {
    u32::try_from(v)
        .map_err(|_| StoreError::new(ErrorKind::Postgres, "Dato non valido nel database dell'ufficio.").detail(what))
}

fn signed(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

fn row_state_from_row(r: &Row) -> Result<BatchRowState> {
    let status: Option<String> = r.try_get(8)?;
    Ok(BatchRowState {
        row: BatchRow {
            batch_id: r.try_get(0)?,
            position: unsigned(r.try_get(1)?, "batch_rows.position")?,
            line: unsigned(r.try_get(2)?, "batch_rows.line")?,
            request_id: LocalId::from(r.try_get::<_, String>(3)?),
            signer_name: r.try_get(4)?,
            fiscal_code: r.try_get(5)?,
            data_json: r.try_get(6)?,
            error: r.try_get(7)?,
        },
        status: status.as_deref().and_then(Status::parse),
        io_request_id: r.try_get::<_, Option<String>>(9)?.map(IoRequestId::from),
        step: r.try_get(10)?,
        last_error: r.try_get(11)?,
    })
}

impl PgStore {
    pub(crate) async fn pg_save_batch(&self, batch: &Batch, rows: &[BatchRow]) -> Result<()> {
        let mut c = self.client().await?;
        let tx = self.begin(&mut c).await?;
        let inserted = tx
            .execute(
                &format!(
                    "INSERT INTO batches ({BATCH_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                     ON CONFLICT (id) DO NOTHING"
                ),
                &[
                    &batch.id,
                    &batch.profile_id,
                    &batch.document_type,
                    &batch.name,
                    &batch.created_by,
                    &batch.runner,
                    &batch.state.as_str(),
                    &batch.draft_json,
                    &batch.created_at,
                    &batch.updated_at,
                ],
            )
            .await?;
        if inserted == 0 {
            return Err(StoreError::new(ErrorKind::Invalid, "Questo invio da elenco esiste già.").detail(&batch.id));
        }
        let insert = tx
            .prepare(
                "INSERT INTO batch_rows (batch_id, position, line, request_id, signer_name, fiscal_code, data_json, error)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .await?;
        for row in rows {
            tx.execute(
                &insert,
                &[
                    &batch.id,
                    &signed(row.position),
                    &signed(row.line),
                    &row.request_id.as_str(),
                    &row.signer_name,
                    &row.fiscal_code,
                    &row.data_json,
                    &row.error,
                ],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn pg_batch(&self, id: &str) -> Result<Option<Batch>> {
        let c = self.client().await?;
        c.query_opt(&format!("SELECT {BATCH_COLUMNS} FROM batches WHERE id = $1"), &[&id])
            .await?
            .as_ref()
            .map(batch_from_row)
            .transpose()
    }

    pub(crate) async fn pg_batches(&self, profile_id: Option<&str>, limit: u32) -> Result<Vec<Batch>> {
        let c = self.client().await?;
        c.query(
            &format!(
                "SELECT {BATCH_COLUMNS} FROM batches WHERE $1::TEXT IS NULL OR profile_id = $1
                 ORDER BY created_at DESC, id DESC LIMIT $2"
            ),
            &[&profile_id, &i64::from(limit)],
        )
        .await?
        .iter()
        .map(batch_from_row)
        .collect()
    }

    pub(crate) async fn pg_batch_rows(&self, batch_id: &str) -> Result<Vec<BatchRowState>> {
        let c = self.client().await?;
        c.query(
            "SELECT b.batch_id, b.position, b.line, b.request_id, b.signer_name, b.fiscal_code, b.data_json, b.error,
                    r.status, r.io_request_id, s.step, s.last_error
             FROM batch_rows b
             LEFT JOIN requests r ON r.id = b.request_id
             LEFT JOIN sends s ON s.request_id = b.request_id
             WHERE b.batch_id = $1 ORDER BY b.position",
            &[&batch_id],
        )
        .await?
        .iter()
        .map(row_state_from_row)
        .collect()
    }

    pub(crate) async fn pg_set_batch_state(&self, id: &str, state: BatchState, now_ms: i64) -> Result<()> {
        let mut c = self.client().await?;
        let tx = self.begin(&mut c).await?;
        tx.execute(
            "UPDATE batches SET state = $2, updated_at = $3 WHERE id = $1",
            &[&id, &state.as_str(), &now_ms],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn pg_set_batch_row_error(
        &self,
        batch_id: &str,
        position: u32,
        error: Option<&str>,
    ) -> Result<()> {
        let mut c = self.client().await?;
        let tx = self.begin(&mut c).await?;
        tx.execute(
            "UPDATE batch_rows SET error = $3 WHERE batch_id = $1 AND position = $2",
            &[&batch_id, &signed(position), &error],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
