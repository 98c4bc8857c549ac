//! The timeline of every request (the dashboard's recent activity reads it too).

use crate::LocalId;
use crate::{Event, Result, SqliteStore};
use rusqlite::params;

impl SqliteStore {
    /// Appends a timeline event.
    pub fn add_event(&self, e: &Event) -> Result<()> {
        self.conn().execute(
            "INSERT INTO events (request_id, at, actor, code, text, detail_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![e.request_id, e.at, e.actor, e.code, e.text, e.detail_json],
        )?;
        Ok(())
    }

    /// A request's timeline, oldest first (ties kept in insertion order).
    pub fn events(&self, request_id: &LocalId) -> Result<Vec<Event>> {
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
}
