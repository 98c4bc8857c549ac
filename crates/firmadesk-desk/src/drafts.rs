//! The new-request form's drafts, kept in the data folder: the working draft as the clerk types
//! (`draft.json`) and the drafts set aside for later (`drafts/<ulid>.json`, listed under "Bozze"). Every
//! file is owner-only and written whole, so a power cut leaves the old or the new one: FirmaDesk closed,
//! crashed or restarted, the form comes back as it was and nothing set aside is lost. The files hold the
//! form's own JSON; the desk only keeps them, caps their size, sets aside what it cannot read and says
//! which of their PDFs are no longer kept.

use crate::{Code, Desk, UiError};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The working draft's file in the data folder.
const FILE: &str = "draft.json";

/// The folder of the drafts set aside, in the data folder.
const ASIDE_DIR: &str = "drafts";

/// Largest draft kept: the form's text and the PDFs' descriptions, never the PDFs themselves.
pub const MAX_BYTES: usize = 1024 * 1024;

/// Largest file of a draft set aside read back: the draft and its saved-at time.
const MAX_ASIDE_FILE_BYTES: u64 = MAX_BYTES as u64 + 1024;

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
    if is_empty(draft) {
        return match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(not_kept(e)),
            _ => Ok(()),
        };
    }
    let bytes = serde_json::to_vec(draft).map_err(not_kept)?;
    check_size(&bytes)?;
    crate::private::write_file(&path, &bytes).map_err(not_kept)
}

/// The draft kept, if any (an unreadable file is set aside and treated as none).
pub fn kept(state: &Desk) -> Option<KeptDraft> {
    let draft = working(state)?;
    Some(given_back(state, draft))
}

/// The working draft's JSON (an unreadable file is set aside and treated as none).
fn working(state: &Desk) -> Option<serde_json::Value> {
    let path = state.data_dir.join(FILE);
    let bytes = std::fs::read(&path).ok()?;
    match serde_json::from_slice(&bytes) {
        Ok(v) => Some(v),
        Err(e) => {
            tracing::warn!(error = %e, "kept draft unreadable: set aside");
            let _ = std::fs::rename(&path, path.with_extension("json.unreadable"));
            None
        }
    }
}

fn given_back(state: &Desk, draft: serde_json::Value) -> KeptDraft {
    let missing = pdfs_of(&draft)
        .into_iter()
        .filter(|id| !crate::requests::document_kept(state, id))
        .collect();
    KeptDraft { draft, missing }
}

fn is_empty(draft: &serde_json::Value) -> bool {
    draft.is_null() || draft.as_object().is_some_and(serde_json::Map::is_empty)
}

fn check_size(bytes: &[u8]) -> Result<(), UiError> {
    if bytes.len() > MAX_BYTES {
        return Err(too_large());
    }
    Ok(())
}

fn too_large() -> UiError {
    UiError::new(
        Code::DraftTooLarge,
        "La bozza è troppo grande per essere conservata: inviarla o ridurre i documenti.",
    )
}

/// The `doc_id`s a draft names.
fn pdfs_of(draft: &serde_json::Value) -> Vec<String> {
    documents_of(draft)
        .filter_map(|d| d.get("doc_id").and_then(serde_json::Value::as_str))
        .map(str::to_owned)
        .collect()
}

fn documents_of(draft: &serde_json::Value) -> impl Iterator<Item = &serde_json::Value> {
    draft
        .get("documents")
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
}

/// The PDFs the drafts kept in `data_dir` name, the working draft's and those of every draft set aside
/// (retention keeps them while they are kept).
pub fn pdfs_of_kept(data_dir: &Path) -> Vec<String> {
    let working = std::fs::read(data_dir.join(FILE))
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok());
    // Read only: a file retention cannot read names nothing, and listing sets it aside.
    let aside = aside_files(data_dir)
        .into_iter()
        .filter_map(|(_, path)| read_aside(&path).ok())
        .map(|file| file.draft);
    working.into_iter().chain(aside).flat_map(|d| pdfs_of(&d)).collect()
}

// ---- drafts set aside ----

/// A draft set aside, as its file holds it.
#[derive(Serialize, Deserialize)]
struct AsideFile {
    /// When it was set aside (unix ms, the desk's clock).
    saved_at: i64,
    /// The form's JSON.
    draft: serde_json::Value,
}

/// A draft set aside, as "Bozze" lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AsideDraft {
    /// Its id (a ULID), to resume or delete it.
    pub id: String,
    /// What names it: the request's title, else the signer's name, else the document type (empty when
    /// none was typed).
    pub label: String,
    /// The signer's name as typed.
    pub signer_name: String,
    /// The document type chosen.
    pub document_type: String,
    /// How many documents it holds.
    pub documents: usize,
    /// When it was set aside (unix ms).
    pub saved_at: i64,
    /// The names of its documents whose PDF is no longer kept (to be added again).
    pub missing_documents: Vec<String>,
}

fn aside_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(ASIDE_DIR)
}

/// The id as the file name of a draft set aside: a ULID in its canonical form, never a path.
fn aside_path(state: &Desk, id: &str) -> Result<PathBuf, UiError> {
    if !is_aside_id(id) {
        return Err(UiError::new(
            Code::DraftInvalidId,
            "Bozza non valida: aggiornare l'elenco delle bozze.",
        ));
    }
    Ok(aside_dir(&state.data_dir).join(format!("{id}.json")))
}

fn is_aside_id(id: &str) -> bool {
    ulid::Ulid::from_string(id).is_ok_and(|u| u.to_string() == id)
}

/// Every file of a draft set aside: (id, path), in no order.
fn aside_files(data_dir: &Path) -> Vec<(String, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(aside_dir(data_dir)) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let id = name.strip_suffix(".json")?;
            (is_aside_id(id) && e.file_type().is_ok_and(|t| t.is_file())).then(|| (id.to_owned(), e.path()))
        })
        .collect()
}

/// Why a file of a draft set aside cannot be read.
enum Unreadable {
    /// It is not there (resumed or deleted meanwhile).
    Gone,
    /// Too large, or not a draft.
    Damaged(String),
}

fn read_aside(path: &Path) -> Result<AsideFile, Unreadable> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Unreadable::Gone,
        _ => Unreadable::Damaged(e.to_string()),
    })?;
    let mut bytes = Vec::new();
    file.take(MAX_ASIDE_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Unreadable::Damaged(e.to_string()))?;
    if bytes.len() as u64 > MAX_ASIDE_FILE_BYTES {
        return Err(Unreadable::Damaged("too large".into()));
    }
    serde_json::from_slice(&bytes).map_err(|e| Unreadable::Damaged(e.to_string()))
}

/// A file of a draft set aside that cannot be read is set aside beside it (`.json.unreadable`), as the
/// working draft's is, so it neither blocks the list nor is lost.
fn set_aside_unreadable(path: &Path, why: &str) {
    tracing::warn!(error = %why, file = %path.display(), "draft set aside unreadable: moved away");
    let _ = std::fs::rename(path, path.with_extension("json.unreadable"));
}

fn text_of<'a>(draft: &'a serde_json::Value, key: &str) -> &'a str {
    draft.get(key).and_then(serde_json::Value::as_str).map_or("", str::trim)
}

fn listed(state: &Desk, id: String, file: &AsideFile) -> AsideDraft {
    let draft = &file.draft;
    let (title, signer_name, document_type) = (
        text_of(draft, "title"),
        text_of(draft, "signer_name"),
        text_of(draft, "document_type"),
    );
    let label = [title, signer_name, document_type]
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or_default();
    let missing_documents = documents_of(draft)
        .filter_map(|d| {
            let doc_id = d.get("doc_id").and_then(serde_json::Value::as_str)?;
            if crate::requests::document_kept(state, doc_id) {
                return None;
            }
            let name = d.get("name").and_then(serde_json::Value::as_str).unwrap_or(doc_id);
            Some(name.to_owned())
        })
        .collect();
    AsideDraft {
        id,
        label: label.to_owned(),
        signer_name: signer_name.to_owned(),
        document_type: document_type.to_owned(),
        documents: documents_of(draft).count(),
        saved_at: file.saved_at,
        missing_documents,
    }
}

/// Writes `draft` into a new file of drafts set aside, stamped now; its id.
fn write_aside(state: &Desk, draft: serde_json::Value) -> Result<(String, AsideFile), UiError> {
    let file = AsideFile {
        saved_at: state.now_ms(),
        draft,
    };
    let bytes = serde_json::to_vec(&file).map_err(not_kept)?;
    if bytes.len() as u64 > MAX_ASIDE_FILE_BYTES {
        return Err(too_large());
    }
    let dir = aside_dir(&state.data_dir);
    crate::private::create_dir(&dir).map_err(not_kept)?;
    let id = ulid::Ulid::from_datetime(state.clock.now()).to_string();
    crate::private::write_file(&dir.join(format!("{id}.json")), &bytes).map_err(not_kept)?;
    Ok((id, file))
}

/// "Metti da parte": the form's working draft goes into the drafts set aside, stamped now, and the working
/// draft is cleared (written there first, so a crash between the two steps leaves it twice, never lost).
pub fn set_aside(state: &Desk) -> Result<AsideDraft, UiError> {
    let Some(draft) = working(state).filter(|d| !is_empty(d)) else {
        return Err(UiError::new(
            Code::DraftEmpty,
            "Non c'è nulla da mettere da parte: la bozza è vuota.",
        ));
    };
    let (id, file) = write_aside(state, draft)?;
    keep(state, &serde_json::Value::Null)?;
    Ok(listed(state, id, &file))
}

/// "Bozze non inviate": the drafts set aside, the last one set aside first. A file that cannot be read
/// is moved away and left out.
pub fn set_aside_drafts(state: &Desk) -> Vec<AsideDraft> {
    let mut out: Vec<AsideDraft> = aside_files(&state.data_dir)
        .into_iter()
        .filter_map(|(id, path)| match read_aside(&path) {
            Ok(file) => Some(listed(state, id, &file)),
            Err(Unreadable::Gone) => None,
            Err(Unreadable::Damaged(why)) => {
                set_aside_unreadable(&path, &why);
                None
            }
        })
        .collect();
    out.sort_by(|a, b| b.saved_at.cmp(&a.saved_at).then_with(|| b.id.cmp(&a.id)));
    out
}

fn not_found() -> UiError {
    UiError::new(
        Code::DraftNotFound,
        "La bozza non c'è più: è stata ripresa o eliminata.",
    )
}

/// "Riprendi": the draft set aside becomes the working draft, given back as [`kept`] gives it. A working
/// draft with content is set aside first, so nothing is lost (each step is written before the previous
/// one is removed: a crash leaves a copy too many, never one too few).
pub fn resume(state: &Desk, id: &str) -> Result<KeptDraft, UiError> {
    let path = aside_path(state, id)?;
    let chosen = match read_aside(&path) {
        Ok(file) => file.draft,
        Err(Unreadable::Gone) => return Err(not_found()),
        Err(Unreadable::Damaged(why)) => {
            set_aside_unreadable(&path, &why);
            return Err(not_found());
        }
    };
    if let Some(current) = working(state).filter(|d| !is_empty(d)) {
        write_aside(state, current)?;
    }
    keep(state, &chosen)?;
    if let Err(e) = std::fs::remove_file(&path) {
        // The form has it now; the copy left in the list can be deleted by hand.
        if e.kind() != std::io::ErrorKind::NotFound {
            tracing::warn!(error = %e, "resumed draft still listed: its file could not be removed");
        }
    }
    Ok(given_back(state, chosen))
}

/// "Elimina": the draft set aside is deleted.
pub fn delete(state: &Desk, id: &str) -> Result<(), UiError> {
    let path = aside_path(state, id)?;
    std::fs::remove_file(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => not_found(),
        _ => not_deleted(e),
    })
}

fn not_kept(e: impl std::fmt::Display) -> UiError {
    UiError::new(
        Code::DraftNotKept,
        "Impossibile conservare la bozza sul disco: verificare lo spazio libero.",
    )
    .with_detail(e)
}

fn not_deleted(e: impl std::fmt::Display) -> UiError {
    UiError::new(
        Code::DraftNotDeleted,
        "Impossibile eliminare la bozza dal disco: verificare i permessi della cartella dati.",
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

    /// A form's draft for `signer`, naming the PDF `doc_id` (file name `name`).
    fn typed(signer: &str, title: &str, doc_id: &str, name: &str) -> serde_json::Value {
        serde_json::json!({
            "document_type": "Accordo",
            "title": title,
            "signer_name": signer,
            "documents": [{ "doc_id": doc_id, "name": name, "fields": [] }],
        })
    }

    /// A PDF copy in the data folder, as an import leaves it: its doc_id.
    fn imported(desk: &Desk, fill: char) -> String {
        let id = fill.to_string().repeat(64);
        let docs = desk.data_dir.join("documents");
        std::fs::create_dir_all(&docs).unwrap();
        std::fs::write(docs.join(format!("{id}.pdf")), b"%PDF-1.7").unwrap();
        id
    }

    #[test]
    fn a_draft_set_aside_is_listed_with_its_label_and_missing_pdfs_and_the_form_starts_clean() {
        let dir = tempfile::tempdir().unwrap();
        let time = clock();
        let desk = test_desk(dir.path(), time.clone());
        assert_eq!(set_aside(&desk).unwrap_err().code, Code::DraftEmpty, "nothing typed");
        let pdf = imported(&desk, 'a');
        let mut draft = typed("Mario Rossi", "  ", &pdf, "contratto.pdf");
        draft["documents"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({ "doc_id": "b".repeat(64), "name": "allegato.pdf" }));
        keep(&desk, &draft).unwrap();

        let aside = set_aside(&desk).unwrap();
        assert!(kept(&desk).is_none(), "the working draft is cleared");
        assert_eq!(aside.label, "Mario Rossi", "no title: the signer names it");
        assert_eq!(aside.signer_name, "Mario Rossi");
        assert_eq!(aside.document_type, "Accordo");
        assert_eq!(aside.documents, 2);
        assert_eq!(aside.saved_at, desk.now_ms());
        assert_eq!(aside.missing_documents, ["allegato.pdf"]);
        assert_eq!(set_aside_drafts(&desk), std::slice::from_ref(&aside));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let file = desk.data_dir.join(ASIDE_DIR).join(format!("{}.json", aside.id));
            let mode = std::fs::metadata(file).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "owner-only: {mode:o}");
        }

        // A second one, later and titled: listed first, by its title; a type alone names a third.
        time.advance(std::time::Duration::from_secs(60));
        keep(&desk, &typed("Anna Bianchi", "Accordo quadro", &pdf, "quadro.pdf")).unwrap();
        let titled = set_aside(&desk).unwrap();
        assert_eq!(titled.label, "Accordo quadro");
        keep(
            &desk,
            &serde_json::json!({ "document_type": "Convenzione", "signer_name": "" }),
        )
        .unwrap();
        let typed_only = set_aside(&desk).unwrap();
        assert_eq!(typed_only.label, "Convenzione");
        let ids: Vec<String> = set_aside_drafts(&desk).into_iter().map(|d| d.id).collect();
        assert_eq!(ids.len(), 3);
        assert_eq!(ids[2], aside.id, "the oldest last");

        // Back in the form, as it was.
        let back = resume(&desk, &aside.id).unwrap();
        assert_eq!(back.draft, draft);
        assert_eq!(back.missing, ["b".repeat(64)]);
        assert_eq!(kept(&desk).unwrap().draft, draft);
        assert_eq!(set_aside_drafts(&desk).len(), 2, "resumed: no longer listed");

        delete(&desk, &titled.id).unwrap();
        assert_eq!(delete(&desk, &titled.id).unwrap_err().code, Code::DraftNotFound);
        assert_eq!(resume(&desk, &titled.id).unwrap_err().code, Code::DraftNotFound);
        assert_eq!(
            set_aside_drafts(&desk).into_iter().map(|d| d.id).collect::<Vec<_>>(),
            [typed_only.id]
        );
    }

    #[test]
    fn resuming_sets_the_working_draft_aside_first_so_nothing_is_lost() {
        let dir = tempfile::tempdir().unwrap();
        let desk = test_desk(dir.path(), clock());
        let pdf = imported(&desk, 'c');
        let first = typed("Mario Rossi", "Accordo di collaborazione", &pdf, "a.pdf");
        keep(&desk, &first).unwrap();
        let first_id = set_aside(&desk).unwrap().id;
        let second = typed("Anna Bianchi", "Convenzione", &pdf, "b.pdf");
        keep(&desk, &second).unwrap();

        assert_eq!(resume(&desk, &first_id).unwrap().draft, first);
        assert_eq!(kept(&desk).unwrap().draft, first);
        let listed = set_aside_drafts(&desk);
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].label, "Convenzione", "the draft being typed went aside");

        // And back again: a swap, each time nothing lost.
        assert_eq!(resume(&desk, &listed[0].id).unwrap().draft, second);
        let listed = set_aside_drafts(&desk);
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].label, "Accordo di collaborazione");

        // An empty working draft is not set aside.
        keep(&desk, &serde_json::Value::Null).unwrap();
        resume(&desk, &listed[0].id).unwrap();
        assert!(set_aside_drafts(&desk).is_empty());
    }

    #[test]
    fn an_id_that_names_no_draft_set_aside_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let desk = test_desk(dir.path(), clock());
        // A file beside the data folder that a path would reach.
        std::fs::write(dir.path().join("settings.json"), b"{}").unwrap();
        keep(&desk, &typed("Mario Rossi", "Accordo", &"d".repeat(64), "a.pdf")).unwrap();
        let id = set_aside(&desk).unwrap().id;
        for bad in [
            "../settings",
            "../draft",
            "",
            "01ARZ3NDEKTSV4RRFFQ69G5FA",
            &id.to_lowercase(),
            &format!("{id}.json"),
            "/etc/passwd",
        ] {
            assert_eq!(resume(&desk, bad).unwrap_err().code, Code::DraftInvalidId, "{bad:?}");
            assert_eq!(delete(&desk, bad).unwrap_err().code, Code::DraftInvalidId, "{bad:?}");
        }
        assert!(dir.path().join("settings.json").exists());
        assert_eq!(set_aside_drafts(&desk).len(), 1, "nothing touched");
    }

    #[test]
    fn a_damaged_or_huge_draft_set_aside_is_moved_away_and_the_others_still_listed() {
        let dir = tempfile::tempdir().unwrap();
        let desk = test_desk(dir.path(), clock());
        keep(&desk, &typed("Mario Rossi", "Accordo", &"d".repeat(64), "a.pdf")).unwrap();
        let good = set_aside(&desk).unwrap();
        let folder = desk.data_dir.join(ASIDE_DIR);
        let damaged = ulid::Ulid::new().to_string();
        std::fs::write(folder.join(format!("{damaged}.json")), b"{ not json").unwrap();
        let huge = ulid::Ulid::new().to_string();
        let big = serde_json::json!({ "saved_at": 1, "draft": { "title": "x".repeat(MAX_BYTES + 2048) } });
        std::fs::write(folder.join(format!("{huge}.json")), big.to_string()).unwrap();

        assert_eq!(set_aside_drafts(&desk), [good]);
        assert!(folder.join(format!("{damaged}.json.unreadable")).exists());
        assert!(folder.join(format!("{huge}.json.unreadable")).exists());
    }

    /// Retention keeps the PDFs of every draft set aside, past the week an abandoned import is kept: the
    /// same run deletes an import no draft names.
    #[test]
    fn retention_keeps_the_pdfs_of_drafts_set_aside() {
        use crate::retention::{keep_drafts, run, Policy};
        let dir = tempfile::tempdir().unwrap();
        let desk = test_desk(dir.path(), clock());
        let (named, abandoned) = (imported(&desk, 'e'), imported(&desk, 'f'));
        keep(&desk, &typed("Mario Rossi", "Accordo", &named, "a.pdf")).unwrap();
        set_aside(&desk).unwrap();
        assert!(kept(&desk).is_none(), "only the draft set aside names it");

        let mut needs = std::collections::HashMap::new();
        keep_drafts(&mut needs, &desk.data_dir);
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(8 * 24 * 3600);
        let report = run(&desk.data_dir, &needs, later, &Policy::default());
        let docs = desk.data_dir.join("documents");
        assert!(docs.join(format!("{named}.pdf")).exists());
        assert!(!docs.join(format!("{abandoned}.pdf")).exists());
        assert_eq!(report.documents, 1);
        assert!(set_aside_drafts(&desk)[0].missing_documents.is_empty());
    }
}
