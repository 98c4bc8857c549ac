//! The dry run of a list (nothing sent): each row's fiscal code (with the Italian reason), name ↔ code
//! match, birthplace decoded, a code twice in the list, a request of the same type still waiting for that
//! code, the row's PDF found and accepted, a test profile's testers. Rows with errors are left out of a
//! send; warnings are shown and sent. The report is a summary ("412 pronte, 7 con avvisi, 3 errate"), one
//! line per row, and the same as CSV for the clerk's spreadsheet.
//!
//! [`check_rows`] is pure: what it needs from the office (requests still waiting, testers, the PDFs'
//! verdicts) is gathered first by [`dry_run`], so 10,000 rows are checked without a query per row.

use super::list::{Mapping, Row};
use crate::{store_error, Code, Desk, UiError};
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use time::Date;

/// How a row stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Pronta: nothing to look at.
    Ready,
    /// Con avvisi: sent, but look at it first.
    Warning,
    /// Errata: left out until corrected.
    Error,
}

impl Outcome {
    /// As the report says it, in Italian.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Ready => "pronta",
            Outcome::Warning => "con avvisi",
            Outcome::Error => "errata",
        }
    }
}

/// One thing found on a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// What it is about: `name`, `fiscal_code`, `name_match`, `birthplace`, `duplicate`, `already_sent`,
    /// `not_tester`, `pdf`.
    pub kind: &'static str,
    /// An error (the row is left out) or a warning.
    pub error: bool,
    /// What to do, in Italian.
    pub message: String,
}

/// A row of the report.
#[derive(Debug, Clone, Serialize)]
pub struct RowReport {
    /// The row's number as a spreadsheet shows it.
    pub line: usize,
    /// The signer's name as the list gives it.
    pub signer_name: String,
    /// The fiscal code, trimmed and in capitals.
    pub fiscal_code: String,
    /// The birthplace the code names ("Roma (RM)"), when it is valid.
    pub birthplace: Option<String>,
    /// The row's own PDF (its file name), when the list names one.
    pub pdf: Option<String>,
    /// The signer's e-mail or PEC address, when the list has the column (kept with the row sent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The row's protocol number, when the list has the column (kept with the row sent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// How it stands.
    pub outcome: Outcome,
    /// What was found.
    pub problems: Vec<Problem>,
}

/// The dry run's report.
#[derive(Debug, Clone, Serialize)]
pub struct DryRun {
    /// Every row, in the list's order.
    pub rows: Vec<RowReport>,
    /// Rows ready.
    pub ready: usize,
    /// Rows with warnings only.
    pub warnings: usize,
    /// Rows with errors.
    pub errors: usize,
    /// "412 pronte, 7 con avvisi, 3 errate".
    pub summary: String,
}

/// A request of the same document type still waiting (or being sent) for a code.
#[derive(Debug, Clone)]
pub struct Active {
    /// Its title.
    pub title: String,
    /// When it was created (unix ms).
    pub created_at: i64,
}

/// What the office says about a row's PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdfVerdict {
    /// Found and accepted by the service's rules.
    Accepted,
    /// Not in the folder.
    Missing,
    /// Found, and refused: why, in Italian.
    Refused(String),
}

/// What the rows are checked against.
pub struct Context<'a> {
    /// Today (settles the century of birth dates).
    pub today: Date,
    /// On a test profile with tester codes: only these may receive.
    pub testers: Option<&'a [String]>,
    /// Requests of the same type still waiting, by fiscal code.
    pub active: &'a HashMap<String, Active>,
    /// The verdict on each PDF file name the list names (when PDFs come one per row).
    pub pdfs: &'a HashMap<String, PdfVerdict>,
}

fn problem(kind: &'static str, error: bool, message: impl Into<String>) -> Problem {
    Problem {
        kind,
        error,
        message: message.into(),
    }
}

/// Checks every row of a list read through `mapping`.
pub fn check_rows(list: &[Row], mapping: &Mapping, ctx: &Context<'_>) -> DryRun {
    // The first line of each code, to name it on the lines that repeat it.
    let mut first_line: HashMap<String, usize> = HashMap::new();
    let rows: Vec<RowReport> = list
        .iter()
        .map(|row| {
            let signer_name = mapping.signer_name(row).trim().to_owned();
            let code = mapping.cell(row, mapping.fiscal_code).trim().to_uppercase();
            let mut problems = Vec::new();
            if signer_name.is_empty() {
                problems.push(problem("name", true, "Manca il nome del firmatario."));
            }
            let mut birthplace = None;
            if code.is_empty() {
                problems.push(problem("fiscal_code", true, "Manca il codice fiscale."));
            } else {
                let name = (!signer_name.is_empty()).then_some(signer_name.as_str());
                let check = crate::cf::check_on(&code, name, ctx.today);
                if !check.valid {
                    let why = check.message.unwrap_or_else(|| "codice non valido".into());
                    // "…: il carattere di controllo…", the reason carried on in the sentence.
                    let mut chars = why.chars();
                    let why: String = chars.next().into_iter().flat_map(char::to_lowercase).chain(chars).collect();
                    problems.push(problem("fiscal_code", true, format!("Codice fiscale non valido: {why}")));
                } else {
                    birthplace = check.birthplace.as_ref().map(|b| b.label.clone());
                    // The check's warnings: the birthplace's, then (last) the name's when the letters differ.
                    let name_differs = check.name_match == Some(false);
                    let count = check.warnings.len();
                    for (i, warning) in check.warnings.into_iter().enumerate() {
                        let kind = if name_differs && i + 1 == count { "name_match" } else { "birthplace" };
                        problems.push(problem(kind, false, warning));
                    }
                    match first_line.get(&code) {
                        Some(first) => problems.push(problem(
                            "duplicate",
                            true,
                            format!("Lo stesso codice fiscale è già alla riga {first}: una sola richiesta per cittadino."),
                        )),
                        None => {
                            first_line.insert(code.clone(), row.line);
                        }
                    }
                    if let Some(active) = ctx.active.get(&code) {
                        let day = time::OffsetDateTime::from_unix_timestamp(active.created_at / 1000)
                            .map(time::OffsetDateTime::date)
                            .unwrap_or(ctx.today);
                        problems.push(problem(
                            "already_sent",
                            false,
                            format!(
                                "A questo cittadino è già stata inviata «{}» il {}, ancora in attesa di firma.",
                                active.title,
                                crate::cf::italian_date(day)
                            ),
                        ));
                    }
                    if let Some(testers) = ctx.testers {
                        if !testers.contains(&code) {
                            problems.push(problem(
                                "not_tester",
                                true,
                                "Il profilo è di test e questo codice non è tra i tester: l'ambiente di test di Firma con IO lo rifiuterebbe.",
                            ));
                        }
                    }
                }
            }
            let pdf = mapping.pdf.map(|_| mapping.cell(row, mapping.pdf).trim().to_owned());
            if let Some(name) = &pdf {
                match (name.is_empty(), ctx.pdfs.get(name)) {
                    (true, _) => problems.push(problem("pdf", true, "Manca il nome del PDF di questa riga.")),
                    (false, Some(PdfVerdict::Accepted)) => {}
                    (false, Some(PdfVerdict::Refused(why))) => {
                        problems.push(problem("pdf", true, format!("Il PDF «{name}» non è accettato: {why}")));
                    }
                    (false, Some(PdfVerdict::Missing) | None) => problems.push(problem(
                        "pdf",
                        true,
                        format!("Il PDF «{name}» non è nella cartella scelta."),
                    )),
                }
            }
            let outcome = if problems.iter().any(|p| p.error) {
                Outcome::Error
            } else if problems.is_empty() {
                Outcome::Ready
            } else {
                Outcome::Warning
            };
            let optional = |column: Option<usize>| {
                column
                    .map(|_| mapping.cell(row, column).trim().to_owned())
                    .filter(|v| !v.is_empty())
            };
            RowReport {
                line: row.line,
                signer_name,
                fiscal_code: code,
                birthplace,
                pdf,
                email: optional(mapping.email),
                protocol: optional(mapping.protocol),
                outcome,
                problems,
            }
        })
        .collect();
    let count = |o: Outcome| rows.iter().filter(|r| r.outcome == o).count();
    let (ready, warnings, errors) = (count(Outcome::Ready), count(Outcome::Warning), count(Outcome::Error));
    DryRun {
        summary: summary(ready, warnings, errors),
        rows,
        ready,
        warnings,
        errors,
    }
}

/// "412 pronte, 7 con avvisi, 3 errate" (singular where it is one).
pub fn summary(ready: usize, warnings: usize, errors: usize) -> String {
    let ready_word = if ready == 1 { "pronta" } else { "pronte" };
    let error_word = if errors == 1 { "errata" } else { "errate" };
    format!("{ready} {ready_word}, {warnings} con avvisi, {errors} {error_word}")
}

impl DryRun {
    /// The report as CSV for the clerk's spreadsheet: `;`-separated (the Italian default), UTF-8 with a
    /// BOM so that Excel reads the accents; one line per row, the problems joined.
    pub fn to_csv(&self) -> Result<Vec<u8>, UiError> {
        let mut out = Vec::from("\u{feff}".as_bytes());
        {
            let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(&mut out);
            let failed = |e: csv::Error| {
                UiError::new(Code::ExportWriteFailed, "Impossibile scrivere il resoconto.").with_detail(e)
            };
            writer
                .write_record([
                    "riga",
                    "nominativo",
                    "codice fiscale",
                    "esito",
                    "luogo di nascita",
                    "pdf",
                    "problemi",
                ])
                .map_err(failed)?;
            for r in &self.rows {
                let problems = r
                    .problems
                    .iter()
                    .map(|p| p.message.as_str())
                    .collect::<Vec<_>>()
                    .join(" | ");
                writer
                    .write_record([
                        r.line.to_string().as_str(),
                        &r.signer_name,
                        &r.fiscal_code,
                        r.outcome.label(),
                        r.birthplace.as_deref().unwrap_or(""),
                        r.pdf.as_deref().unwrap_or(""),
                        &problems,
                    ])
                    .map_err(failed)?;
            }
            writer.flush().map_err(|e| failed(e.into()))?;
        }
        Ok(out)
    }
}

// ---- the dry run on the desk ----

/// Whether the service would take the PDF at `path` (read only up to the service's own size limit).
pub fn pdf_verdict(path: &Path) -> PdfVerdict {
    let limits = firmadesk_pdf::Limits::default();
    match std::fs::metadata(path) {
        Err(_) => return PdfVerdict::Missing,
        Ok(m) if !m.is_file() => return PdfVerdict::Missing,
        // The import's own size rule and words, before anything is read.
        Ok(m) => {
            if let Err(e) = crate::requests::check_import_size(m.len(), &limits) {
                return PdfVerdict::Refused(e.message);
            }
        }
    }
    let Ok(bytes) = std::fs::read(path) else {
        return PdfVerdict::Refused("non si riesce a leggerlo".into());
    };
    let pdfium = match firmadesk_pdf::library::pdfium() {
        Ok(p) => p,
        Err(e) => return PdfVerdict::Refused(format!("il lettore di PDF non è disponibile ({})", e.message())),
    };
    let report = firmadesk_pdf::preflight::run(
        pdfium,
        firmadesk_pdf::preflight::Input {
            bytes: &bytes,
            fields: &[],
            title: None,
            limits,
        },
    );
    match report
        .findings
        .iter()
        .find(|f| f.severity == firmadesk_pdf::preflight::Severity::Error)
    {
        Some(f) => PdfVerdict::Refused(f.message.clone()),
        None if report.document.is_some() => PdfVerdict::Accepted,
        None => PdfVerdict::Refused("non è un PDF leggibile".into()),
    }
}

/// A row's PDF in `dir`: a plain file name only (never a path out of the folder the clerk chose).
pub(crate) fn pdf_in(dir: &Path, name: &str) -> Option<PathBuf> {
    let plain = !name.is_empty() && !name.contains(['/', '\\']) && name != "." && name != ".." && !name.contains(':');
    plain.then(|| dir.join(name))
}

/// The dry run of a list's rows for a request of `document_type` on the active profile: the office's requests
/// still waiting and the profile's testers are read once; with `pdf_dir`, each PDF the list names is found
/// there and checked once.
pub async fn dry_run(
    state: &Desk,
    list: &[Row],
    mapping: &Mapping,
    document_type: &str,
    pdf_dir: Option<PathBuf>,
) -> Result<DryRun, UiError> {
    crate::session::require_login(state).await?;
    dry_run_unchecked(state, list, mapping, document_type, pdf_dir).await
}

/// [`dry_run`] without the window's login gate: `firmadesk bulk check`, run by the user who owns the data
/// folder (and, in Modalità ufficio, whose keyring holds the database password).
pub(crate) async fn dry_run_unchecked(
    state: &Desk,
    list: &[Row],
    mapping: &Mapping,
    document_type: &str,
    pdf_dir: Option<PathBuf>,
) -> Result<DryRun, UiError> {
    if mapping.fiscal_code.is_none() {
        return Err(UiError::new(
            Code::BulkNoFiscalCodeColumn,
            "Indicare la colonna del codice fiscale.",
        ));
    }
    let profile_id = crate::session::active_profile(state);
    if crate::requests::stored_document_type(state, document_type)
        .await?
        .is_none()
    {
        return Err(UiError::new(
            Code::RequestUnknownDocumentType,
            "Scegliere un tipo di documento.",
        ));
    }
    let rules = crate::requests::profile_rules(state, &profile_id).await?;
    let active = active_by_code(state, &profile_id, document_type).await?;
    let names: Vec<String> = match mapping.pdf {
        Some(_) => {
            let mut names: Vec<String> = list
                .iter()
                .map(|r| mapping.cell(r, mapping.pdf).trim().to_owned())
                .filter(|n| !n.is_empty())
                .collect();
            names.sort();
            names.dedup();
            names
        }
        None => Vec::new(),
    };
    let pdfs = match (pdf_dir, names.is_empty()) {
        (Some(dir), false) => tokio::task::spawn_blocking(move || {
            names
                .into_iter()
                .map(|n| {
                    let verdict = match pdf_in(&dir, &n) {
                        Some(path) => pdf_verdict(&path),
                        None => PdfVerdict::Missing,
                    };
                    (n, verdict)
                })
                .collect::<HashMap<_, _>>()
        })
        .await
        .map_err(|e| UiError::new(Code::PdfUnreadable, "Controllo dei PDF interrotto: riprovare.").with_detail(e))?,
        _ => HashMap::new(),
    };
    let testers = (!rules.testers.is_empty()).then_some(rules.testers.as_slice());
    let today = time::OffsetDateTime::from_unix_timestamp(state.now_ms() / 1000)
        .map(time::OffsetDateTime::date)
        .unwrap_or(Date::MIN);
    Ok(check_rows(
        list,
        mapping,
        &Context {
            today,
            testers,
            active: &active,
            pdfs: &pdfs,
        },
    ))
}

/// The profile's requests of `document_type` still waiting or being sent, by fiscal code (the newest).
async fn active_by_code(
    state: &Desk,
    profile_id: &str,
    document_type: &str,
) -> Result<HashMap<String, Active>, UiError> {
    use firmadesk_store::{ListQuery, Sort, Status};
    let mut active = HashMap::new();
    let mut offset = 0;
    loop {
        let page = state
            .store
            .list(
                &ListQuery {
                    statuses: vec![Status::Waiting, Status::Sending, Status::Queued],
                    profile_id: Some(profile_id.to_owned()),
                    document_type: Some(document_type.to_owned()),
                    sort: Sort::Created,
                    ascending: true,
                    limit: 500,
                    offset,
                    ..ListQuery::default()
                },
                state.now_ms(),
            )
            .await
            .map_err(store_error)?;
        let count = page.rows.len() as u32;
        for r in page.rows {
            if !r.fiscal_code.is_empty() {
                active.insert(
                    r.fiscal_code,
                    Active {
                        title: r.title,
                        created_at: r.created_at,
                    },
                );
            }
        }
        offset += count;
        if count < 500 || u64::from(offset) >= page.total {
            break;
        }
    }
    Ok(active)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::list::{guess_mapping, read_list};

    /// A valid code from its first fifteen characters.
    fn code(first15: &str) -> String {
        format!("{first15}{}", iosign::fiscal_code::check_character(first15).unwrap())
    }

    fn today() -> Date {
        Date::from_calendar_date(2026, time::Month::December, 3).unwrap()
    }

    #[test]
    fn each_row_is_ready_warned_or_in_error_with_the_reason() {
        let anna = code("BNCNNA85M41F205");
        let mario = "RSSMRA80A01H501U";
        let verdi = code("VRDGPP70A01L219");
        let csv = format!(
            "Nome;Cognome;Codice fiscale;PDF\n\
             Mario;Rossi;{mario};mario.pdf\n\
             Anna;Bianchi;{anna};anna.pdf\n\
             Luca;Neri;{mario};mario.pdf\n\
             Carla;Verdi;RSSMRA80A01H501X;carla.pdf\n\
             ;;{verdi};manca.pdf\n\
             Giuseppe;Verdi;{};\n",
            verdi.to_lowercase()
        );
        let table = read_list(csv.as_bytes(), "elenco.csv").unwrap();
        let mapping = guess_mapping(&table.headers);
        let mut active = HashMap::new();
        active.insert(
            anna.clone(),
            Active {
                title: "Accordo quadro".into(),
                created_at: 1_764_720_000_000, // 2025-12-03
            },
        );
        let pdfs: HashMap<String, PdfVerdict> = [
            ("mario.pdf", PdfVerdict::Accepted),
            ("anna.pdf", PdfVerdict::Accepted),
            ("carla.pdf", PdfVerdict::Refused("è cifrato".into())),
            ("manca.pdf", PdfVerdict::Missing),
        ]
        .into_iter()
        .map(|(n, v)| (n.to_owned(), v))
        .collect();
        let report = check_rows(
            &table.rows,
            &mapping,
            &Context {
                today: today(),
                testers: None,
                active: &active,
                pdfs: &pdfs,
            },
        );
        let kinds = |line: usize| {
            let row = report.rows.iter().find(|r| r.line == line).unwrap();
            (row.outcome, row.problems.iter().map(|p| p.kind).collect::<Vec<_>>())
        };
        assert_eq!(kinds(2), (Outcome::Ready, vec![]));
        assert_eq!(
            kinds(3),
            (Outcome::Warning, vec!["already_sent"]),
            "Anna has one waiting"
        );
        assert_eq!(
            kinds(4),
            (Outcome::Error, vec!["name_match", "duplicate"]),
            "Mario's code again, under another name"
        );
        assert_eq!(kinds(5), (Outcome::Error, vec!["fiscal_code", "pdf"]));
        assert_eq!(kinds(6), (Outcome::Error, vec!["name", "pdf"]));
        assert_eq!(
            kinds(7),
            (Outcome::Error, vec!["duplicate", "pdf"]),
            "lower case is the same code"
        );
        let duplicate = &report.rows[2].problems[1].message;
        assert!(duplicate.contains("riga 2"), "{duplicate}");
        assert!(
            report.rows[1].problems[0].message.contains("03/12/2025"),
            "{:?}",
            report.rows[1]
        );
        assert_eq!(report.rows[0].birthplace.as_deref(), Some("Roma (RM)"));
        assert_eq!(report.summary, "1 pronta, 1 con avvisi, 4 errate");

        // A test profile: only its testers.
        let testers = vec![mario.to_owned()];
        let report = check_rows(
            &table.rows,
            &mapping,
            &Context {
                today: today(),
                testers: Some(&testers),
                active: &HashMap::new(),
                pdfs: &pdfs,
            },
        );
        assert_eq!(report.rows[0].outcome, Outcome::Ready);
        assert_eq!(report.rows[1].problems[0].kind, "not_tester");

        // The report as CSV: Excel's separator and a BOM, one line per row.
        let csv = String::from_utf8(report.to_csv().unwrap()).unwrap();
        assert!(csv.starts_with("\u{feff}riga;nominativo;codice fiscale;esito"), "{csv}");
        assert_eq!(csv.lines().count(), 1 + table.rows.len());
        assert!(csv.contains("Anna Bianchi;") && csv.contains(";errata;"), "{csv}");
    }

    #[test]
    fn a_rows_pdf_is_a_file_name_in_the_chosen_folder_never_a_path() {
        let dir = Path::new("/srv/pdf");
        assert_eq!(pdf_in(dir, "mario.pdf"), Some(dir.join("mario.pdf")));
        for bad in ["", "..", "../etc/passwd", "sub/x.pdf", "c:x.pdf", "a\\b.pdf"] {
            assert_eq!(pdf_in(dir, bad), None, "{bad}");
        }
    }

    #[tokio::test]
    async fn the_dry_run_reads_the_office_once_and_checks_each_pdf_in_the_folder() {
        use crate::testing::{clock, request, test_desk};
        let dir = tempfile::tempdir().unwrap();
        let desk = test_desk(dir.path(), clock());
        // Mario has an "Accordo" waiting on the sandbox profile.
        request(&desk, "r1", crate::SANDBOX_PROFILE, "Mario Rossi").await;
        let folder = tempfile::tempdir().unwrap();
        std::fs::write(folder.path().join("mario.pdf"), firmadesk_testkit::pdf::contract()).unwrap();
        std::fs::write(folder.path().join("anna.pdf"), b"non sono un PDF").unwrap();
        let anna = code("BNCNNA85M41F205");
        let csv = format!(
            "Nominativo,Codice fiscale,File\nMario Rossi,RSSMRA80A01H501U,mario.pdf\nAnna Bianchi,{anna},anna.pdf\n"
        );
        let table = read_list(csv.as_bytes(), "elenco.csv").unwrap();
        let mapping = guess_mapping(&table.headers);
        let report = dry_run(&desk, &table.rows, &mapping, "Accordo", Some(folder.path().to_owned()))
            .await
            .unwrap();
        assert_eq!(report.rows[0].outcome, Outcome::Warning, "{:?}", report.rows[0]);
        assert_eq!(report.rows[0].problems[0].kind, "already_sent");
        assert_eq!(report.rows[1].outcome, Outcome::Error);
        assert_eq!(report.rows[1].problems[0].kind, "pdf", "{:?}", report.rows[1]);
        // Another type: Mario's waiting "Accordo" does not count.
        let report = dry_run(
            &desk,
            &table.rows,
            &mapping,
            "Contratto",
            Some(folder.path().to_owned()),
        )
        .await
        .unwrap();
        assert_eq!(report.rows[0].outcome, Outcome::Ready, "{:?}", report.rows[0]);

        let none = Mapping {
            fiscal_code: None,
            ..mapping.clone()
        };
        let e = dry_run(&desk, &table.rows, &none, "Accordo", None).await.unwrap_err();
        assert_eq!(e.code, Code::BulkNoFiscalCodeColumn);
    }
}
