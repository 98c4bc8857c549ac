//! Profiles (no secrets), document types, the IO dossier of each type per profile, and signers (fiscal code
//! to the IO signer id).

use crate::{DocumentType, Environment, Profile, Result, SqliteStore};
use rusqlite::{params, OptionalExtension};

impl SqliteStore {
    /// Adds or replaces a profile.
    pub fn upsert_profile(&self, p: &Profile, now_ms: i64) -> Result<()> {
        self.conn().execute(
            "INSERT INTO profiles (id, name, environment, base_url, support_email, oidc_issuer, oidc_client_id, oidc_scopes, created_at, testers)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT(id) DO UPDATE SET name = ?2, environment = ?3, base_url = ?4, support_email = ?5,
               oidc_issuer = ?6, oidc_client_id = ?7, oidc_scopes = ?8, testers = ?10",
            params![p.id, p.name, p.environment.as_str(), p.base_url, p.support_email, p.oidc_issuer, p.oidc_client_id, p.oidc_scopes, now_ms, crate::model::join_testers(&p.testers)],
        )?;
        Ok(())
    }

    /// Removes a profile with its dossier and signer caches. A profile that has requests is kept
    /// (`ErrorKind::Invalid`): their history must stay readable.
    pub fn delete_profile(&self, id: &str) -> Result<()> {
        self.conn().execute("DELETE FROM profiles WHERE id = ?1", [id])?;
        Ok(())
    }

    /// Every profile, by name.
    pub fn profiles(&self) -> Result<Vec<Profile>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, name, environment, base_url, support_email, oidc_issuer, oidc_client_id, oidc_scopes, testers FROM profiles ORDER BY name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Profile {
                id: r.get(0)?,
                name: r.get(1)?,
                environment: Environment::parse(&r.get::<_, String>(2)?),
                base_url: r.get(3)?,
                support_email: r.get(4)?,
                oidc_issuer: r.get(5)?,
                oidc_client_id: r.get(6)?,
                oidc_scopes: r.get(7)?,
                testers: crate::model::split_testers(&r.get::<_, String>(8)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds or replaces a document type.
    pub fn upsert_document_type(
        &self,
        name: &str,
        dossier_title: &str,
        support_email: Option<&str>,
        template_json: &str,
    ) -> Result<()> {
        self.conn().execute(
            "INSERT INTO document_types (name, dossier_title, support_email, template_json) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(name) DO UPDATE SET dossier_title = ?2, support_email = ?3, template_json = ?4",
            params![name, dossier_title, support_email, template_json],
        )?;
        Ok(())
    }

    /// Archives a document type or brings it back.
    pub fn set_document_type_archived(&self, name: &str, archived: bool) -> Result<()> {
        self.conn().execute(
            "UPDATE document_types SET archived = ?2 WHERE name = ?1",
            params![name, archived],
        )?;
        Ok(())
    }

    /// Sets how many years the records office keeps a document type's documents.
    pub fn set_document_type_retention(&self, name: &str, years: Option<u32>) -> Result<()> {
        self.conn().execute(
            "UPDATE document_types SET retention_years = ?2 WHERE name = ?1",
            params![name, years],
        )?;
        Ok(())
    }

    /// Removes a document type no request was sent with.
    pub fn delete_document_type(&self, name: &str) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let used: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM requests WHERE document_type = ?1)",
            [name],
            |r| r.get(0),
        )?;
        if used {
            return Err(crate::error::type_in_use(name));
        }
        tx.execute("DELETE FROM document_types WHERE name = ?1", [name])?;
        tx.commit()?;
        Ok(())
    }

    /// Document types, by name.
    pub fn document_types(&self) -> Result<Vec<DocumentType>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT name, dossier_title, support_email, template_json, archived, retention_years
             FROM document_types ORDER BY name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(DocumentType {
                name: r.get(0)?,
                dossier_title: r.get(1)?,
                support_email: r.get(2)?,
                template_json: r.get(3)?,
                archived: r.get(4)?,
                retention_years: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records the IO dossier of a document type for a profile.
    pub fn set_dossier_id(&self, profile_id: &str, document_type: &str, dossier_id: &str) -> Result<()> {
        self.conn().execute(
            "INSERT INTO dossiers (profile_id, document_type, dossier_id) VALUES (?1, ?2, ?3)
             ON CONFLICT(profile_id, document_type) DO UPDATE SET dossier_id = ?3",
            params![profile_id, document_type, dossier_id],
        )?;
        Ok(())
    }

    /// The IO dossier of a document type for a profile.
    pub fn dossier_id(&self, profile_id: &str, document_type: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT dossier_id FROM dossiers WHERE profile_id = ?1 AND document_type = ?2",
                params![profile_id, document_type],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Every (document type, dossier id) of a profile: what the poller pages through.
    pub fn dossiers(&self, profile_id: &str) -> Result<Vec<(String, String)>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT document_type, dossier_id FROM dossiers WHERE profile_id = ?1 ORDER BY document_type")?;
        let rows = stmt.query_map([profile_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Remembers a signer (name, and IO signer id once known).
    pub fn upsert_signer(
        &self,
        profile_id: &str,
        fiscal_code: &str,
        display_name: &str,
        signer_id: Option<&str>,
    ) -> Result<()> {
        self.conn().execute(
            "INSERT INTO signers (profile_id, fiscal_code, display_name, signer_id) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(profile_id, fiscal_code) DO UPDATE SET display_name = ?3, signer_id = COALESCE(?4, signer_id)",
            params![profile_id, fiscal_code, display_name, signer_id],
        )?;
        Ok(())
    }

    /// Records the IO signer id of a fiscal code, keeping the name already known (if any).
    pub fn set_signer_id(&self, profile_id: &str, fiscal_code: &str, signer_id: &str) -> Result<()> {
        self.conn().execute(
            "INSERT INTO signers (profile_id, fiscal_code, display_name, signer_id) VALUES (?1, ?2, '', ?3)
             ON CONFLICT(profile_id, fiscal_code) DO UPDATE SET signer_id = ?3",
            params![profile_id, fiscal_code, signer_id],
        )?;
        Ok(())
    }

    /// The fiscal code and name of an IO signer id, when this desk has resolved it.
    pub fn signer_by_id(&self, profile_id: &str, signer_id: &str) -> Result<Option<(String, String)>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT fiscal_code, display_name FROM signers WHERE profile_id = ?1 AND signer_id = ?2 LIMIT 1",
                params![profile_id, signer_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// See [`crate::Store::signer_book`].
    pub fn signer_book(&self, profile_id: &str, text: &str, limit: u32) -> Result<Vec<(String, String)>> {
        let (name, code) = crate::model::signer_book_patterns(text);
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT fiscal_code, display_name FROM signers
             WHERE profile_id = ?1 AND (lower(display_name) LIKE ?2 ESCAPE '\\' OR fiscal_code LIKE ?3 ESCAPE '\\')
             ORDER BY display_name, fiscal_code LIMIT ?4",
        )?;
        let rows = stmt.query_map(params![profile_id, name, code, limit], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every known signer of a profile: (fiscal code, name, IO signer id).
    pub fn signers(&self, profile_id: &str) -> Result<Vec<(String, String, Option<String>)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT fiscal_code, display_name, signer_id FROM signers WHERE profile_id = ?1 ORDER BY fiscal_code",
        )?;
        let rows = stmt.query_map([profile_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The IO signer id of a fiscal code for a profile.
    pub fn signer_id(&self, profile_id: &str, fiscal_code: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT signer_id FROM signers WHERE profile_id = ?1 AND fiscal_code = ?2",
                params![profile_id, fiscal_code],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()?
            .flatten())
    }
}
