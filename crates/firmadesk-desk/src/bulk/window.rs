//! What the window's "Invio da elenco" calls: read a list (the clerk's file, sent as raw bytes), check it
//! (the rows as the clerk corrected them in place, with the columns as confirmed), and keep the report as a
//! CSV file in the archive's "Esportazioni" folder. Nothing here sends.

use super::check::{self, DryRun};
use super::list::{self, ListFormat, Mapping, Row};
use crate::{Code, Desk, UiError};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// A list read, with the columns guessed, for the clerk to confirm.
#[derive(Debug, Serialize)]
pub struct ReadList {
    /// The file's name.
    name: String,
    /// The column titles.
    headers: Vec<String>,
    /// The rows.
    rows: Vec<Row>,
    /// What the file was (CSV with its separator and encoding, or a workbook's sheet).
    format: ListFormat,
    /// The columns guessed from the titles.
    mapping: Mapping,
    /// The columns last confirmed for a document type, where this list has the same titles (by type).
    saved: std::collections::BTreeMap<String, Mapping>,
}

/// Reads the list the clerk picked (its raw bytes; the name only hints the format).
pub async fn read(state: &Desk, name: Option<String>, bytes: &[u8]) -> Result<ReadList, UiError> {
    crate::session::require_login(state).await?;
    let name = name.unwrap_or_else(|| "elenco".into());
    let table = list::read_list(bytes, &name)?;
    let mapping = list::guess_mapping(&table.headers);
    let saved = state
        .settings
        .lock()
        .expect("settings lock")
        .bulk_columns
        .iter()
        .filter_map(|(doc_type, titles)| Some((doc_type.clone(), Mapping::from_titles(titles, &table.headers)?)))
        .collect();
    tracing::info!(rows = table.rows.len(), "bulk list read");
    Ok(ReadList {
        name,
        headers: table.headers,
        rows: table.rows,
        format: table.format,
        mapping,
        saved,
    })
}

/// What "Verifica l'elenco" sends: the rows as corrected, the columns, the type, the PDFs' folder.
#[derive(Debug, Deserialize)]
pub struct CheckInput {
    /// The column titles (to bound the mapping).
    headers: Vec<String>,
    /// The rows, as the clerk corrected them.
    rows: Vec<Row>,
    /// Which column holds what.
    mapping: Mapping,
    /// The document type (template) to send.
    document_type: String,
    /// The folder of the rows' PDFs, when the list names one per row.
    #[serde(default)]
    pdf_dir: Option<String>,
}

impl CheckInput {
    /// The same limits a file read has, and a mapping inside the columns.
    fn checked(&self) -> Result<(), UiError> {
        if self.rows.len() > list::MAX_ROWS {
            return Err(UiError::new(
                Code::BulkTooManyRows,
                format!("L'elenco ha più di {} righe: dividerlo in più file.", list::MAX_ROWS),
            ));
        }
        let columns = self.headers.len();
        let m = &self.mapping;
        let inside = [
            m.full_name,
            m.name,
            m.surname,
            m.fiscal_code,
            m.email,
            m.pdf,
            m.protocol,
        ]
        .into_iter()
        .flatten()
        .all(|c| c < columns);
        if !inside {
            return Err(UiError::new(
                Code::BulkUnreadable,
                "Le colonne scelte non sono nell'elenco: caricarlo di nuovo.",
            ));
        }
        Ok(())
    }

    /// The document type (template) to send.
    pub fn document_type(&self) -> &str {
        &self.document_type
    }

    /// The list names one PDF per row.
    pub fn names_pdfs(&self) -> bool {
        self.mapping.pdf.is_some()
    }

    /// The folder of the rows' PDFs, when chosen.
    pub fn pdf_folder(&self) -> Option<PathBuf> {
        self.pdf_dir()
    }

    fn pdf_dir(&self) -> Option<PathBuf> {
        self.pdf_dir
            .as_deref()
            .filter(|d| !d.trim().is_empty())
            .map(PathBuf::from)
    }
}

/// The dry run of the list: nothing is sent. The columns, confirmed by checking, are kept for the type.
pub async fn check(state: &Desk, input: CheckInput) -> Result<DryRun, UiError> {
    input.checked()?;
    let run = check::dry_run(
        state,
        &input.rows,
        &input.mapping,
        &input.document_type,
        input.pdf_dir(),
    )
    .await?;
    let titles = input.mapping.to_titles(&input.headers);
    let kept = crate::save_settings(state, |s| {
        s.bulk_columns.insert(input.document_type.clone(), titles);
    });
    if let Err(e) = kept {
        // The check stands; the columns are guessed again next time.
        tracing::warn!(code = %e.code, "list columns not kept");
    }
    Ok(run)
}

/// Where the report went.
#[derive(Debug, Serialize)]
pub struct Report {
    /// The CSV file written.
    path: String,
    /// "412 pronte, 7 con avvisi, 3 errate".
    summary: String,
}

impl Report {
    pub(crate) fn new(path: String, summary: String) -> Report {
        Report { path, summary }
    }
}

/// Checks the list again and keeps the report as CSV in the archive's "Esportazioni" folder.
pub async fn report(state: &Desk, input: CheckInput) -> Result<Report, UiError> {
    let run = check(state, input).await?;
    let bytes = run.to_csv()?;
    let path = crate::archive::export_path_named(state, "verifica-elenco", "csv")?;
    crate::private::write_file(&path, &bytes).map_err(|e| {
        UiError::new(
            Code::ExportWriteFailed,
            "Impossibile scrivere il resoconto: verificare lo spazio su disco e i permessi.",
        )
        .with_detail(e)
    })?;
    Ok(Report {
        path: path.display().to_string(),
        summary: run.summary,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{clock, test_desk};

    #[tokio::test]
    async fn a_row_corrected_in_place_is_ready_and_the_report_is_kept_as_csv() {
        let dir = tempfile::tempdir().unwrap();
        let desk = test_desk(dir.path(), clock());
        desk.settings.lock().unwrap().archive_dir = Some(dir.path().join("archivio"));
        let read = read(
            &desk,
            Some("elenco.csv".into()),
            "Nominativo;CF\nMario Rossi;RSSMRA80A01H501X\n".as_bytes(),
        )
        .await
        .unwrap();
        let mut input = serde_json::json!({
            "headers": read.headers, "rows": read.rows, "mapping": read.mapping, "document_type": "Accordo",
        });
        let first = check(&desk, serde_json::from_value(input.clone()).unwrap())
            .await
            .unwrap();
        assert_eq!(first.errors, 1, "a wrong check character");
        input["rows"][0]["cells"][1] = "RSSMRA80A01H501U".into();
        let fixed = check(&desk, serde_json::from_value(input.clone()).unwrap())
            .await
            .unwrap();
        assert_eq!(fixed.summary, "1 pronta, 0 con avvisi, 0 errate");
        let kept = report(&desk, serde_json::from_value(input.clone()).unwrap())
            .await
            .unwrap();
        let text = std::fs::read_to_string(&kept.path).unwrap();
        assert!(text.contains("Mario Rossi;RSSMRA80A01H501U;pronta"), "{text}");

        input["mapping"]["fiscal_code"] = 7.into();
        let e = check(&desk, serde_json::from_value(input).unwrap()).await.unwrap_err();
        assert_eq!(e.code, Code::BulkUnreadable, "a column the list does not have");
    }

    /// The columns confirmed by a check are offered again for the type, on a list with the same titles
    /// (whatever their order), and kept across a restart; a list of another shape gets the guess.
    #[tokio::test]
    async fn the_columns_confirmed_are_kept_per_type() {
        let dir = tempfile::tempdir().unwrap();
        let desk = test_desk(dir.path(), clock());
        // "Intestatario" is not a title the guess knows: the clerk says it is the name.
        let read1 = read(
            &desk,
            None,
            "Intestatario;CF;Nota\nMario Rossi;RSSMRA80A01H501U;x\n".as_bytes(),
        )
        .await
        .unwrap();
        assert_eq!(read1.mapping.full_name, None);
        assert!(read1.saved.is_empty());
        let mut mapping = read1.mapping.clone();
        mapping.full_name = Some(0);
        let input = serde_json::json!({
            "headers": read1.headers, "rows": read1.rows, "mapping": mapping, "document_type": "Accordo",
        });
        check(&desk, serde_json::from_value(input).unwrap()).await.unwrap();

        let desk = test_desk(dir.path(), clock());
        let again = read(
            &desk,
            None,
            "Nota;CF;Intestatario\nx;RSSMRA80A01H501U;Mario Rossi\n".as_bytes(),
        )
        .await
        .unwrap();
        let saved = &again.saved["Accordo"];
        assert_eq!((saved.full_name, saved.fiscal_code), (Some(2), Some(1)));
        let other = read(&desk, None, "Nome;Codice fiscale\nMario;RSSMRA80A01H501U\n".as_bytes())
            .await
            .unwrap();
        assert!(other.saved.is_empty(), "{:?}", other.saved);
    }
}
