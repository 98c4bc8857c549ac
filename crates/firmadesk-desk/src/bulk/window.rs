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
}

/// Reads the list the clerk picked (its raw bytes; the name only hints the format).
pub async fn read(state: &Desk, name: Option<String>, bytes: &[u8]) -> Result<ReadList, UiError> {
    crate::session::require_login(state).await?;
    let name = name.unwrap_or_else(|| "elenco".into());
    let table = list::read_list(bytes, &name)?;
    let mapping = list::guess_mapping(&table.headers);
    tracing::info!(rows = table.rows.len(), "bulk list read");
    Ok(ReadList {
        name,
        headers: table.headers,
        rows: table.rows,
        format: table.format,
        mapping,
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

    fn pdf_dir(&self) -> Option<PathBuf> {
        self.pdf_dir
            .as_deref()
            .filter(|d| !d.trim().is_empty())
            .map(PathBuf::from)
    }
}

/// The dry run of the list: nothing is sent.
pub async fn check(state: &Desk, input: CheckInput) -> Result<DryRun, UiError> {
    input.checked()?;
    check::dry_run(
        state,
        &input.rows,
        &input.mapping,
        &input.document_type,
        input.pdf_dir(),
    )
    .await
}

/// Where the report went.
#[derive(Debug, Serialize)]
pub struct Report {
    /// The CSV file written.
    path: String,
    /// "412 pronte, 7 con avvisi, 3 errate".
    summary: String,
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
}
