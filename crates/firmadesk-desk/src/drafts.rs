//! The new-request form's draft, kept in the data folder as the clerk types (`draft.json`, owner-only,
//! written whole so a power cut leaves the old or the new one): FirmaDesk closed, crashed or restarted, the
//! form comes back as it was. The file is the form's own JSON; the desk only keeps it, caps its size and
//! says which of its PDFs are no longer kept.

use crate::{Code, Desk, UiError};
use serde::Serialize;

/// The file in the data folder.
const FILE: &str = "draft.json";

/// Largest draft kept: the form's text and the PDFs' descriptions, never the PDFs themselves.
pub const MAX_BYTES: usize = 1024 * 1024;

/// A kept draft given back.
#[derive(Debug, Serialize)]
pub struct KeptDraft {
    /// The form's JSON as it was kept.
    draft: serde_json::Value,
    /// The PDFs it names (by `doc_id`) whose copy is no longer in the data folder.
    missing: Vec<String>,
}

/// Keeps the form's draft (`null` or an empty object: nothing to keep, the file goes).
pub fn keep(state: &Desk, draft: &serde_json::Value) -> Result<(), UiError> {
    let path = state.data_dir.join(FILE);
    if draft.is_null() || draft.as_object().is_some_and(serde_json::Map::is_empty) {
        return match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(not_kept(e)),
            _ => Ok(()),
        };
    }
    let bytes = serde_json::to_vec(draft).map_err(not_kept)?;
    if bytes.len() > MAX_BYTES {
        return Err(UiError::new(
            Code::DraftTooLarge,
            "La bozza è troppo grande per essere conservata: inviarla o ridurre i documenti.",
        ));
    }
    crate::private::write_file(&path, &bytes).map_err(not_kept)
}

/// The draft kept, if any (an unreadable file is set aside and treated as none).
pub fn kept(state: &Desk) -> Option<KeptDraft> {
    let path = state.data_dir.join(FILE);
    let bytes = std::fs::read(&path).ok()?;
    let draft: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => {
            tracing::warn!(error = %e, "kept draft unreadable: set aside");
            let _ = std::fs::rename(&path, path.with_extension("json.unreadable"));
            return None;
        }
    };
    let missing = pdfs_of(&draft)
        .into_iter()
        .filter(|id| !crate::requests::document_kept(state, id))
        .collect();
    Some(KeptDraft { draft, missing })
}

/// The `doc_id`s a draft names.
fn pdfs_of(draft: &serde_json::Value) -> Vec<String> {
    draft
        .get("documents")
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|d| d.get("doc_id").and_then(serde_json::Value::as_str))
        .map(str::to_owned)
        .collect()
}

/// The PDFs the draft kept in `data_dir` names (retention keeps them while it is kept).
pub fn pdfs_of_kept(data_dir: &std::path::Path) -> Vec<String> {
    std::fs::read(data_dir.join(FILE))
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .map(|d| pdfs_of(&d))
        .unwrap_or_default()
}

fn not_kept(e: impl std::fmt::Display) -> UiError {
    UiError::new(
        Code::DraftNotKept,
        "Impossibile conservare la bozza sul disco: verificare lo spazio libero.",
    )
    .with_detail(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{clock, test_desk};

    #[test]
    fn a_draft_is_kept_given_back_with_its_missing_pdfs_and_forgotten_when_empty() {
        let dir = tempfile::tempdir().unwrap();
        let desk = test_desk(dir.path(), clock());
        assert!(kept(&desk).is_none());
        let kept_pdf = "a".repeat(64);
        std::fs::create_dir_all(dir.path().join("documents")).unwrap();
        std::fs::write(dir.path().join("documents").join(format!("{kept_pdf}.pdf")), b"%PDF").unwrap();
        let draft = serde_json::json!({
            "signer_name": "Mario Rossi",
            "documents": [{ "doc_id": kept_pdf }, { "doc_id": "b".repeat(64) }, { "doc_id": "../../etc/passwd" }],
        });
        keep(&desk, &draft).unwrap();
        let back = kept(&desk).unwrap();
        assert_eq!(back.draft, draft);
        assert_eq!(back.missing, ["b".repeat(64), "../../etc/passwd".to_owned()]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(FILE)).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "owner-only: {mode:o}");
        }
        keep(&desk, &serde_json::Value::Null).unwrap();
        assert!(kept(&desk).is_none());
        keep(&desk, &serde_json::Value::Null).unwrap();
    }

    #[test]
    fn a_huge_draft_is_refused_and_a_damaged_one_set_aside() {
        let dir = tempfile::tempdir().unwrap();
        let desk = test_desk(dir.path(), clock());
        let huge = serde_json::json!({ "title": "x".repeat(MAX_BYTES) });
        assert_eq!(keep(&desk, &huge).unwrap_err().code, Code::DraftTooLarge);
        std::fs::write(dir.path().join(FILE), b"{ not json").unwrap();
        assert!(kept(&desk).is_none());
        assert!(dir.path().join("draft.json.unreadable").exists());
    }
}
