//! From one desk to team mode: a desk's SQLite file copied into an empty team database, once, in one
//! transaction (all of it or nothing), with a report of what went over and what stayed behind.
//!
//! The built-in sandbox profile ("Modalità prova") and its requests stay on the desk: its requests live in
//! that desk's own simulated service, which no other desk can reach.

use super::queries::{save_send, write_request};
use super::PgStore;
use crate::error::{ErrorKind, Result, StoreError};
use crate::{ListQuery, Sort, SqliteStore};
use serde::Serialize;

/// What a transfer copied.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TransferReport {
    /// Profiles (without their keys: those stay in each desk's keyring).
    pub profiles: u64,
    /// Document types.
    pub document_types: u64,
    /// IO dossiers of document types.
    pub dossiers: u64,
    /// Known signers.
    pub signers: u64,
    /// Requests, with their documents and signature fields.
    pub requests: u64,
    /// Documents of those requests.
    pub documents: u64,
    /// Timeline entries.
    pub events: u64,
    /// Send sagas (finished or not: an unfinished one resumes on the team's worker).
    pub sends: u64,
    /// Archive records of signed files.
    pub archived_files: u64,
    /// Requests of the sandbox profile, left on this desk.
    pub sandbox_requests_left: u64,
}

/// The built-in sandbox profile's id (as the desk names it).
const SANDBOX_PROFILE: &str = "prova";

impl PgStore {
    /// Copies the desk's store `from` into this (empty) team database. Refused when the team database
    /// already holds profiles or requests: a second desk's data is never merged in by accident.
    pub async fn import_desk(&self, from: &SqliteStore, now_ms: i64) -> Result<TransferReport> {
        let mut c = self.client().await?;
        let tx = self.begin(&mut c).await?;
        // Nobody else may add rows while we check and copy.
        tx.batch_execute("LOCK TABLE profiles, requests IN EXCLUSIVE MODE")
            .await?;
        let taken: i64 = tx
            .query_one(
                // The sandbox's profile and requests do not count: every desk in Modalità prova records
                // them, and they are never moved.
                "SELECT (SELECT COUNT(*) FROM profiles WHERE id <> $1)
                      + (SELECT COUNT(*) FROM requests WHERE profile_id <> $1)",
                &[&SANDBOX_PROFILE],
            )
            .await?
            .try_get(0)?;
        if taken > 0 {
            return Err(StoreError::new(
                ErrorKind::Invalid,
                "Il database dell'ufficio contiene già dati: il trasferimento da una postazione si fa una volta sola, in un database vuoto.",
            ));
        }
        let mut report = TransferReport::default();
        let profiles: Vec<_> = from
            .profiles()?
            .into_iter()
            .filter(|p| p.id != SANDBOX_PROFILE)
            .collect();
        for p in &profiles {
            tx.execute(
                "INSERT INTO profiles (id, name, environment, base_url, support_email, oidc_issuer, oidc_client_id, oidc_scopes, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                &[
                    &p.id, &p.name, &p.environment.as_str(), &p.base_url, &p.support_email, &p.oidc_issuer,
                    &p.oidc_client_id, &p.oidc_scopes, &now_ms,
                ],
            )
            .await?;
            report.profiles += 1;
            for (document_type, dossier_id) in from.dossiers(&p.id)? {
                tx.execute(
                    "INSERT INTO dossiers (profile_id, document_type, dossier_id) VALUES ($1, $2, $3)",
                    &[&p.id, &document_type, &dossier_id],
                )
                .await?;
                report.dossiers += 1;
            }
            for (fiscal_code, name, signer_id) in from.signers(&p.id)? {
                tx.execute(
                    "INSERT INTO signers (profile_id, fiscal_code, display_name, signer_id) VALUES ($1, $2, $3, $4)",
                    &[&p.id, &fiscal_code, &name, &signer_id],
                )
                .await?;
                report.signers += 1;
            }
        }
        for t in from.document_types()? {
            tx.execute(
                // A new team database starts with the common types: the desk's own settings of the same
                // name replace them (its requests were sent with them).
                "INSERT INTO document_types (name, dossier_title, support_email, template_json, archived)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (name) DO UPDATE SET dossier_title = EXCLUDED.dossier_title,
                   support_email = EXCLUDED.support_email, template_json = EXCLUDED.template_json,
                   archived = EXCLUDED.archived",
                &[
                    &t.name,
                    &t.dossier_title,
                    &t.support_email,
                    &t.template_json,
                    &t.archived,
                ],
            )
            .await?;
            report.document_types += 1;
        }
        // Oldest first, page by page: the same order the desk created them in.
        let mut query = ListQuery {
            sort: Sort::Created,
            ascending: true,
            limit: 500,
            ..Default::default()
        };
        loop {
            let page = from.list(&query, now_ms)?;
            let n = page.rows.len();
            for r in page.rows {
                if r.profile_id == SANDBOX_PROFILE {
                    report.sandbox_requests_left += 1;
                    continue;
                }
                let documents = from.documents(&r.id)?;
                write_request(&*tx, &r, &documents, &from.fields(&r.id)?).await?;
                report.requests += 1;
                report.documents += documents.len() as u64;
                for e in from.events(&r.id)? {
                    tx.execute(
                        "INSERT INTO events (request_id, at, actor, code, text, detail_json) VALUES ($1, $2, $3, $4, $5, $6)",
                        &[&e.request_id.as_str(), &e.at, &e.actor, &e.code, &e.text, &e.detail_json],
                    )
                    .await?;
                    report.events += 1;
                }
                if let Some(s) = from.send(&r.id)? {
                    save_send(&*tx, &s).await?;
                    report.sends += 1;
                }
                for f in from.archived_files(&r.id)? {
                    let size = i64::try_from(f.size).unwrap_or(i64::MAX);
                    tx.execute(
                        "INSERT INTO archived_files (request_id, io_document_id, path, sha256, size, archived_at)
                         VALUES ($1, $2, $3, $4, $5, $6)",
                        &[
                            &f.request_id.as_str(),
                            &f.io_document_id,
                            &f.path,
                            &f.sha256,
                            &size,
                            &f.archived_at,
                        ],
                    )
                    .await?;
                    report.archived_files += 1;
                }
            }
            if n < query.limit as usize {
                break;
            }
            query.offset += query.limit;
        }
        tx.commit().await?;
        tracing::info!(?report, "desk store moved into the team database");
        Ok(report)
    }
}
