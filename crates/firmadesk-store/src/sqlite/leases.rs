//! Worker leases on the desk's own file: the desk is the only process, so it always gets them; the table
//! and its rules are the team database's, so the engine asks the same way in both modes.

use crate::{Lease, Result, SqliteStore};
use rusqlite::{params, OptionalExtension, Row};

fn lease_from_row(r: &Row) -> rusqlite::Result<Lease> {
    Ok(Lease {
        profile_id: r.get(0)?,
        holder: r.get(1)?,
        epoch: r.get(2)?,
        expires_at: r.get(3)?,
    })
}

impl SqliteStore {
    /// See [`Store::try_lease`](crate::Store::try_lease).
    pub fn try_lease(&self, profile_id: &str, holder: &str, now_ms: i64, ttl_ms: i64) -> Result<Option<Lease>> {
        Ok(self
            .conn()
            .query_row(
                "INSERT INTO worker_leases (profile_id, holder, epoch, expires_at) VALUES (?1, ?2, 1, ?4)
                 ON CONFLICT (profile_id) DO UPDATE SET
                   epoch = CASE WHEN worker_leases.holder = excluded.holder THEN worker_leases.epoch
                                ELSE worker_leases.epoch + 1 END,
                   holder = excluded.holder, expires_at = excluded.expires_at
                 WHERE worker_leases.holder = excluded.holder OR worker_leases.expires_at <= ?3
                 RETURNING profile_id, holder, epoch, expires_at",
                params![profile_id, holder, now_ms, now_ms + ttl_ms],
                lease_from_row,
            )
            .optional()?)
    }

    /// See [`Store::release_lease`](crate::Store::release_lease).
    pub fn release_lease(&self, lease: &Lease) -> Result<()> {
        self.conn().execute(
            "UPDATE worker_leases SET expires_at = 0 WHERE profile_id = ?1 AND holder = ?2 AND epoch = ?3",
            params![lease.profile_id, lease.holder, lease.epoch],
        )?;
        Ok(())
    }

    /// See [`Store::lease`](crate::Store::lease).
    pub fn lease(&self, profile_id: &str) -> Result<Option<Lease>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT profile_id, holder, epoch, expires_at FROM worker_leases WHERE profile_id = ?1",
                [profile_id],
                lease_from_row,
            )
            .optional()?)
    }
}
