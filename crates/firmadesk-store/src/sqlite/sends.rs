//! The send sagas' persisted state (the outbox).

use crate::LocalId;
use crate::{Result, SendState, SqliteStore, FINISHED_STEPS};
use rusqlite::{params, OptionalExtension};
use rusqlite::{Connection, Row};

impl SqliteStore {
    /// Saves a saga step (before the step's work begins).
    pub fn save_send(&self, s: &SendState) -> Result<()> {
        save_send(&self.conn(), s)
    }

    /// A request's saga state.
    pub fn send(&self, request_id: &LocalId) -> Result<Option<SendState>> {
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
}

pub(crate) const SEND_SELECT: &str =
    "SELECT request_id, step, state_json, attempts, next_attempt_at, create_attempted_at, last_error, updated_at FROM sends";

pub(crate) fn send_from_row(r: &Row) -> rusqlite::Result<SendState> {
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

pub(crate) fn save_send(conn: &Connection, s: &SendState) -> Result<()> {
    conn.execute(
            "INSERT INTO sends (request_id, step, state_json, attempts, next_attempt_at, create_attempted_at, last_error, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT(request_id) DO UPDATE SET step = ?2, state_json = ?3, attempts = ?4, next_attempt_at = ?5,
               create_attempted_at = ?6, last_error = ?7, updated_at = ?8",
            params![s.request_id, s.step, s.state_json, s.attempts, s.next_attempt_at, s.create_attempted_at, s.last_error, s.updated_at],
        )?;
    Ok(())
}
