//! Clerks' roles (see `Store::clerk_role`).

use crate::roles::{last_admin, unknown};
use crate::{ClerkRole, Result, Role, SqliteStore};
use rusqlite::{params, OptionalExtension};

impl SqliteStore {
    /// See [`Store::clerk_role`](crate::Store::clerk_role).
    pub fn clerk_role(&self, identity: &str) -> Result<Option<Role>> {
        let name: Option<String> = self
            .conn()
            .query_row("SELECT role FROM clerk_roles WHERE identity = ?1", [identity], |r| {
                r.get(0)
            })
            .optional()?;
        name.map(|n| Role::parse(&n).ok_or_else(|| unknown(&n))).transpose()
    }

    /// See [`Store::clerk_roles`](crate::Store::clerk_roles).
    pub fn clerk_roles(&self) -> Result<Vec<ClerkRole>> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT identity, role, set_by, set_at FROM clerk_roles ORDER BY identity")?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?, r.get(3)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (identity, role, set_by, set_at) = row?;
            out.push(ClerkRole {
                role: Role::parse(&role).ok_or_else(|| unknown(&role))?,
                identity,
                set_by,
                set_at,
            });
        }
        Ok(out)
    }

    /// See [`Store::set_clerk_role`](crate::Store::set_clerk_role).
    pub fn set_clerk_role(&self, identity: &str, role: Role, set_by: &str, now_ms: i64) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if role != Role::Amministratore {
            let others: i64 = tx.query_row(
                "SELECT count(*) FROM clerk_roles WHERE role = 'amministratore' AND identity <> ?1",
                [identity],
                |r| r.get(0),
            )?;
            let was_admin: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM clerk_roles WHERE identity = ?1 AND role = 'amministratore')",
                [identity],
                |r| r.get(0),
            )?;
            if was_admin && others == 0 {
                return Err(last_admin(identity));
            }
        }
        tx.execute(
            "INSERT INTO clerk_roles (identity, role, set_by, set_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (identity) DO UPDATE SET role = ?2, set_by = ?3, set_at = ?4",
            params![identity, role.as_str(), set_by, now_ms],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// See [`Store::claim_first_admin`](crate::Store::claim_first_admin).
    pub fn claim_first_admin(&self, identity: &str, now_ms: i64) -> Result<bool> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let has_admin: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM clerk_roles WHERE role = 'amministratore')",
            [],
            |r| r.get(0),
        )?;
        if has_admin {
            return Ok(false);
        }
        tx.execute(
            "INSERT INTO clerk_roles (identity, role, set_by, set_at) VALUES (?1, 'amministratore', ?1, ?2)
             ON CONFLICT (identity) DO UPDATE SET role = 'amministratore', set_by = ?1, set_at = ?2",
            params![identity, now_ms],
        )?;
        tx.commit()?;
        Ok(true)
    }
}
