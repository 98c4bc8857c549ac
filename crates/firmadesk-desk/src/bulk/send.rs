//! Sending a list (issue #15): the rows the dry run found ready (or with warnings only) become requests,
//! one by one, through the same send saga as "Richiedi firma".
//!
//! Saved first, sent after: "Invia" checks the list again and saves the batch with every row and the local
//! id its request will have ([`firmadesk_store::Batch`], one transaction). The runner ([`run`], one per
//! desk) then turns rows into requests in the list's order, keeping at most [`IN_FLIGHT`] sends under way so
//! the key's one rate budget (150 calls / 5 s, shared with the poller, paced by the client) stays busy
//! without starving the dashboard's sync. A row's request is saved under its chosen id and handed to the
//! outbox only if it has no send yet, so a crash, a power cut or a quit at any point resumes at the next
//! start exactly where it stopped, and no row is sent twice. Pause leaves the rows not yet started
//! waiting (those under way finish); stop leaves them unsent. Only the desk that started a list sends it.

use super::check::{self, Outcome};
use super::window::CheckInput;
use crate::requests::{Draft, DraftDocument};
use crate::{store_error, Code, Desk, UiError};
use firmadesk_engine::Engine;
use firmadesk_store::{Batch, BatchRow, BatchRowState, BatchState, LocalId, Status, FINISHED_STEPS};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Sends under way at once for one desk's lists: enough to keep the key's budget busy while each send
/// waits for the service (validation, publication: about 10 s a send against the sandbox, ~10 calls each,
/// so ~30 under way spend the 30 calls/s), with room for a slower service; the client's limiter paces
/// them, the poller's calls queue with theirs. Measured: 24 under way reached 2.2 rows/s (73 % of the
/// budget) on a 1,000-row list.
pub const IN_FLIGHT: usize = 64;
/// How long the runner waits, with nothing to start, before looking again (an engine event or a list
/// started or resumed wakes it sooner).
const IDLE: Duration = Duration::from_secs(2);
/// Lists shown, newest first.
const LISTED: u32 = 20;

/// What "Invia" sends: the list as checked, and what every row's request shares.
#[derive(Debug, Deserialize)]
pub struct SendInput {
    /// The list, its columns, the document type and the PDFs' folder, as the dry run got them.
    #[serde(flatten)]
    pub check: CheckInput,
    /// The list's file name.
    pub name: String,
    /// Every request's title.
    pub title: String,
    /// `YYYY-MM-DD`, or none.
    #[serde(default)]
    pub expires_at: Option<String>,
    /// `io_message` or `qr_only`.
    #[serde(default = "io_message")]
    pub delivery: String,
    /// The document for all, with its signature fields (none when each row names its own PDF).
    #[serde(default)]
    pub documents: Vec<DraftDocument>,
}

/// What a row carries besides its signer (`batch_rows.data_json`).
#[derive(Debug, Default, Serialize, Deserialize)]
struct RowData {
    /// The row's own PDF (a file in the folder the clerk chose), imported and given the type's template
    /// fields at the row's turn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pdf: Option<std::path::PathBuf>,
    /// The signer's e-mail or PEC address from the list (for the records office and a fallback by mail).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    /// The row's protocol number from the list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    protocol: Option<String>,
}

/// A row's own PDF as its request's document: imported as a dropped PDF is (checked, kept in the data
/// folder under its hash), with the first document of the type's template placed on it as the form places
/// it, titled as the template says or by the file's name.
async fn row_document(state: &Desk, document_type: &str, path: &std::path::Path) -> Result<DraftDocument, UiError> {
    let template = template_of(state, document_type).await?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let bytes = tokio::fs::read(path).await.map_err(|e| {
        UiError::new(
            Code::BulkRowPdf,
            format!(
                "Il PDF «{}» non si riesce a leggere: è stato spostato o cancellato?",
                name.clone().unwrap_or_default()
            ),
        )
        .with_detail(e)
    })?;
    let imported = crate::requests::import_unchecked(state, name.clone(), None, &bytes).await?;
    let tdoc = &template.documents[0];
    let pages: Vec<(f64, f64)> = imported.pages.iter().map(|p| (p.width, p.height)).collect();
    let fields = tdoc.place_on(&pages);
    if fields.is_empty() {
        return Err(UiError::new(
            Code::BulkRowPdf,
            format!(
                "Nessun campo di firma del modello entra nel PDF «{}»: ha meno pagine del modello.",
                name.unwrap_or_default()
            ),
        ));
    }
    let title = match tdoc.title.trim() {
        "" => title_from_file_name(name.as_deref().unwrap_or("Documento")),
        t => t.to_owned(),
    };
    Ok(DraftDocument {
        doc_id: imported.doc_id,
        title,
        fields,
    })
}

/// The type's template, for lists whose rows name their own PDF.
async fn template_of(state: &Desk, document_type: &str) -> Result<crate::templates::Template, UiError> {
    crate::requests::stored_document_type(state, document_type)
        .await?
        .and_then(|t| crate::templates::Template::from_json(&t.template_json))
        .ok_or_else(|| {
            UiError::new(
                Code::BulkNoTemplate,
                "Il tipo di documento scelto non ha un modello: i campi di firma dei PDF delle righe vengono dal modello. Aggiungerlo in Impostazioni › Tipi di documento e modelli.",
            )
        })
}

/// A document title from a file name (as the form makes it): no extension, underscores as spaces, at most
/// 60 characters; "Documento" when that leaves less than 3.
fn title_from_file_name(name: &str) -> String {
    let stem = name
        .strip_suffix(".pdf")
        .or_else(|| name.strip_suffix(".PDF"))
        .unwrap_or(name);
    let spaced = stem.replace('_', " ");
    let words: Vec<&str> = spaced.split_whitespace().collect();
    let title: String = words.join(" ").chars().take(60).collect();
    let title = title.trim().to_owned();
    if title.chars().count() < 3 {
        "Documento".into()
    } else {
        title
    }
}

fn io_message() -> String {
    "io_message".into()
}

/// How a row stands, as the progress and the final report say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowOutcome {
    /// Not started yet (or never, once the list is stopped).
    Pending,
    /// Its request is being sent.
    Sending,
    /// Its request reached the citizen's IO (waiting, or already signed, rejected...).
    Sent,
    /// Its send failed, or the service refused its document: the clerk acts on the request.
    Failed,
    /// It could not become a request (said why): it is not sent.
    Refused,
}

impl RowOutcome {
    fn of(s: &BatchRowState) -> RowOutcome {
        if s.row.error.is_some() {
            return RowOutcome::Refused;
        }
        match (s.status, s.step.as_deref()) {
            (None, _) | (Some(Status::Draft), None) => RowOutcome::Pending,
            (Some(Status::Failed), _) | (_, Some("failed" | "needs_edit")) => RowOutcome::Failed,
            (_, Some(step)) if !FINISHED_STEPS.contains(&step) => RowOutcome::Sending,
            (Some(Status::Sending | Status::Queued | Status::Draft), _) => RowOutcome::Sending,
            _ => RowOutcome::Sent,
        }
    }

    /// As the report says it, in Italian.
    pub fn label(self) -> &'static str {
        match self {
            RowOutcome::Pending => "non inviata",
            RowOutcome::Sending => "in invio",
            RowOutcome::Sent => "inviata",
            RowOutcome::Failed => "non riuscita",
            RowOutcome::Refused => "esclusa",
        }
    }
}

/// A list being sent, or sent, with its progress.
#[derive(Debug, Clone, Serialize)]
pub struct BatchView {
    /// Its id.
    pub id: String,
    /// The list's file name.
    pub name: String,
    /// The document type.
    pub document_type: String,
    /// Who started it.
    pub created_by: String,
    /// Started (ms).
    pub created_at: i64,
    /// `sending`, `paused`, `done`, `stopped`.
    pub state: BatchState,
    /// Sent by this desk (only it can pause, resume or stop it).
    pub here: bool,
    /// Rows in all.
    pub total: usize,
    /// Rows sent.
    pub sent: usize,
    /// Rows whose send is under way.
    pub sending: usize,
    /// Rows whose send failed, or that could not become a request.
    pub failed: usize,
    /// Rows not started yet.
    pub left: usize,
    /// About how long the rest takes (seconds), from the pace so far, while sending.
    pub eta_seconds: Option<u64>,
}

/// One row of a list sent, for the progress table and the final report.
#[derive(Debug, Clone, Serialize)]
pub struct RowView {
    /// Its line in the list.
    pub line: u32,
    /// The signer.
    pub signer_name: String,
    /// The fiscal code.
    pub fiscal_code: String,
    /// How it stands.
    pub outcome: RowOutcome,
    /// Its request (to open it), once it exists.
    pub request_id: Option<LocalId>,
    /// Its IO id, once created.
    pub io_request_id: Option<String>,
    /// Why it failed or was refused, in Italian.
    pub reason: Option<String>,
}

/// A list with its rows.
#[derive(Debug, Clone, Serialize)]
pub struct BatchDetail {
    /// The list and its progress.
    pub batch: BatchView,
    /// Every row, in sending order.
    pub rows: Vec<RowView>,
}

/// This desk's name as the runner of the lists it starts: the OS user, the machine and the data folder
/// (two FirmaDesks of one user on one machine keep their own lists).
pub fn runner_name(state: &Desk) -> String {
    let folder = firmadesk_store::sha256_hex(state.data_dir.to_string_lossy().as_bytes());
    format!("{}#{}", firmadesk_engine::this_user_at_machine(), &folder[..8])
}

/// What every row's request shares: the draft with no signer yet.
fn shared_draft(input: &SendInput) -> Draft {
    Draft {
        document_type: input.check.document_type().to_owned(),
        signer_name: String::new(),
        fiscal_code: String::new(),
        title: input.title.trim().to_owned(),
        expires_at: input.expires_at.clone().filter(|s| !s.trim().is_empty()),
        delivery: input.delivery.clone(),
        documents: input.documents.clone(),
        replaces: None,
        protocol: None,
    }
}

/// "Invia": checks the list again, saves it with the rows to send (ready, or with warnings only) and wakes
/// the runner. Nothing of the list is sent before it is saved.
pub async fn start(state: &Desk, input: SendInput) -> Result<BatchView, UiError> {
    let profile_id = crate::session::active_profile(state);
    crate::session::require_profile(state, &profile_id).await?;
    // Each row's own PDF (in the folder chosen), or one document for all.
    let pdf_dir = match (input.check.names_pdfs(), input.check.pdf_folder()) {
        (true, Some(dir)) => Some(dir),
        (true, None) => {
            return Err(UiError::new(
                Code::BulkRowPdf,
                "Scegliere la cartella dei PDF delle righe.",
            ))
        }
        (false, _) if input.documents.is_empty() => {
            return Err(UiError::new(
                Code::RequestNoDocuments,
                "Scegliere il documento da inviare a tutti.",
            ))
        }
        (false, _) => None,
    };
    let mut draft = shared_draft(&input);
    if pdf_dir.is_some() {
        draft.documents.clear();
        template_of(state, input.check.document_type()).await?;
    }
    let run = super::window::check(state, input.check).await?;
    let rows: Vec<&check::RowReport> = run.rows.iter().filter(|r| r.outcome != Outcome::Error).collect();
    let Some(first) = rows.first() else {
        return Err(UiError::new(
            Code::BulkNothingToSend,
            "Nessuna riga è pronta: correggere le righe errate e verificare di nuovo l'elenco.",
        ));
    };
    let row_pdf = |r: &check::RowReport| match (&pdf_dir, &r.pdf) {
        (Some(dir), Some(name)) => super::check::pdf_in(dir, name),
        _ => None,
    };
    // What every row shares is checked once, on the first row, before anything is saved: a title too
    // short or a document the service refuses stops the list here, not on each of its rows.
    let mut sample = draft.clone();
    sample.signer_name.clone_from(&first.signer_name);
    sample.fiscal_code.clone_from(&first.fiscal_code);
    if let Some(path) = row_pdf(first) {
        sample.documents = vec![row_document(state, &draft.document_type, &path).await?];
    }
    crate::requests::prepare_row(state, &sample, LocalId::from("check"), &profile_id).await?;

    let now = state.now_ms();
    let mut ids = ulid::Generator::new();
    let batch_id = ulid::Ulid::new().to_string();
    let rows: Vec<BatchRow> = rows
        .iter()
        .enumerate()
        .map(|(position, r)| BatchRow {
            batch_id: batch_id.clone(),
            position: position as u32,
            line: r.line as u32,
            request_id: LocalId::from(ids.generate().unwrap_or_else(|_| ulid::Ulid::new()).to_string()),
            signer_name: r.signer_name.clone(),
            fiscal_code: r.fiscal_code.clone(),
            data_json: serde_json::to_string(&RowData {
                pdf: row_pdf(r),
                email: r.email.clone(),
                protocol: r.protocol.clone(),
            })
            .unwrap_or_else(|_| "{}".into()),
            error: None,
        })
        .collect();
    let batch = Batch {
        id: batch_id,
        profile_id: profile_id.clone(),
        document_type: draft.document_type.clone(),
        name: input.name.trim().to_owned(),
        created_by: crate::session::actor(state, &profile_id),
        runner: runner_name(state),
        state: BatchState::Sending,
        draft_json: serde_json::to_string(&draft)
            .map_err(|e| UiError::new(Code::StoreInvalid, "Impossibile salvare l'elenco da inviare.").with_detail(e))?,
        created_at: now,
        updated_at: now,
    };
    state.store.save_batch(&batch, &rows).await.map_err(store_error)?;
    tracing::info!(batch = %batch.id, rows = rows.len(), "list saved for sending");
    state.batch_wake.notify_one();
    let states = state.store.batch_rows(&batch.id).await.map_err(store_error)?;
    Ok(view(state, &batch, &states))
}

fn view(state: &Desk, batch: &Batch, rows: &[BatchRowState]) -> BatchView {
    let mut v = BatchView {
        id: batch.id.clone(),
        name: batch.name.clone(),
        document_type: batch.document_type.clone(),
        created_by: batch.created_by.clone(),
        created_at: batch.created_at,
        state: batch.state,
        here: batch.runner == runner_name(state),
        total: rows.len(),
        sent: 0,
        sending: 0,
        failed: 0,
        left: 0,
        eta_seconds: None,
    };
    for r in rows {
        match RowOutcome::of(r) {
            RowOutcome::Pending => v.left += 1,
            RowOutcome::Sending => v.sending += 1,
            RowOutcome::Sent => v.sent += 1,
            RowOutcome::Failed | RowOutcome::Refused => v.failed += 1,
        }
    }
    let done = v.sent + v.failed;
    if batch.state == BatchState::Sending && done > 0 {
        let elapsed = (state.now_ms() - batch.created_at).max(0) as u64;
        let per_row = elapsed / done as u64;
        v.eta_seconds = Some(per_row * (v.left + v.sending) as u64 / 1000);
    }
    v
}

fn row_view(s: &BatchRowState) -> RowView {
    let outcome = RowOutcome::of(s);
    RowView {
        line: s.row.line,
        signer_name: s.row.signer_name.clone(),
        fiscal_code: s.row.fiscal_code.clone(),
        outcome,
        request_id: s.status.is_some().then(|| s.row.request_id.clone()),
        io_request_id: s.io_request_id.as_ref().map(|id| id.as_str().to_owned()),
        reason: match outcome {
            RowOutcome::Refused => s.row.error.clone(),
            RowOutcome::Failed => s.last_error.clone(),
            _ => None,
        },
    }
}

/// The active profile's lists, newest first, with their progress.
pub async fn list(state: &Desk) -> Result<Vec<BatchView>, UiError> {
    let profile_id = crate::session::active_profile(state);
    crate::session::require_profile(state, &profile_id).await?;
    let batches = state
        .store
        .batches(Some(&profile_id), LISTED)
        .await
        .map_err(store_error)?;
    let mut out = Vec::with_capacity(batches.len());
    for b in &batches {
        let rows = state.store.batch_rows(&b.id).await.map_err(store_error)?;
        out.push(view(state, b, &rows));
    }
    Ok(out)
}

async fn find(state: &Desk, id: &str) -> Result<Batch, UiError> {
    let batch = state.store.batch(id).await.map_err(store_error)?.ok_or_else(|| {
        UiError::new(
            Code::BulkBatchNotFound,
            "Invio da elenco non trovato: aggiornare la pagina.",
        )
    })?;
    crate::session::require_profile(state, &batch.profile_id).await?;
    Ok(batch)
}

/// A list with every row.
pub async fn detail(state: &Desk, id: String) -> Result<BatchDetail, UiError> {
    let batch = find(state, &id).await?;
    let rows = state.store.batch_rows(&batch.id).await.map_err(store_error)?;
    Ok(BatchDetail {
        batch: view(state, &batch, &rows),
        rows: rows.iter().map(row_view).collect(),
    })
}

/// What the clerk can do to a list being sent.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Control {
    /// Rows not started wait; those under way finish.
    Pause,
    /// Sending goes on.
    Resume,
    /// Rows not started are never sent.
    Stop,
}

/// Pause, resume or stop a list this desk sends.
pub async fn control(state: &Desk, id: String, action: Control) -> Result<BatchView, UiError> {
    let batch = find(state, &id).await?;
    if batch.runner != runner_name(state) {
        return Err(UiError::new(
            Code::BulkBatchElsewhere,
            "Questo elenco è inviato da un altro computer: metterlo in pausa o fermarlo da lì.",
        ));
    }
    let next = match (batch.state, action) {
        (BatchState::Sending, Control::Pause) => BatchState::Paused,
        (BatchState::Paused, Control::Resume) => BatchState::Sending,
        (BatchState::Sending | BatchState::Paused, Control::Stop) => BatchState::Stopped,
        _ => {
            return Err(UiError::new(
                Code::BulkBatchFinished,
                "L'invio di questo elenco è già concluso.",
            ))
        }
    };
    state
        .store
        .set_batch_state(&batch.id, next, state.now_ms())
        .await
        .map_err(store_error)?;
    tracing::info!(batch = %batch.id, state = next.as_str(), "list sending changed by the clerk");
    state.batch_wake.notify_one();
    detail(state, id).await.map(|d| d.batch)
}

/// The final report as CSV (`;`, UTF-8 with BOM, as the dry run's): each row's outcome and IO id.
pub fn report_csv(detail: &BatchDetail) -> Result<Vec<u8>, UiError> {
    let mut out = Vec::from(&b"\xEF\xBB\xBF"[..]);
    {
        let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(&mut out);
        let fail =
            |e: csv::Error| UiError::new(Code::ExportWriteFailed, "Impossibile preparare il resoconto.").with_detail(e);
        w.write_record([
            "Riga",
            "Firmatario",
            "Codice fiscale",
            "Esito",
            "Motivo",
            "ID Firma con IO",
        ])
        .map_err(fail)?;
        for r in &detail.rows {
            w.write_record([
                r.line.to_string().as_str(),
                r.signer_name.as_str(),
                r.fiscal_code.as_str(),
                r.outcome.label(),
                r.reason.as_deref().unwrap_or(""),
                r.io_request_id.as_deref().unwrap_or(""),
            ])
            .map_err(fail)?;
        }
        w.flush()
            .map_err(|e| UiError::new(Code::ExportWriteFailed, "Impossibile preparare il resoconto.").with_detail(e))?;
    }
    Ok(out)
}

/// Keeps the list's final report in the archive's "Esportazioni" folder.
pub async fn report(state: &Desk, id: String) -> Result<super::window::Report, UiError> {
    let detail = detail(state, id).await?;
    let bytes = report_csv(&detail)?;
    let path = crate::archive::export_path_named(state, "invio-elenco", "csv")?;
    crate::private::write_file(&path, &bytes).map_err(|e| {
        UiError::new(
            Code::ExportWriteFailed,
            "Impossibile scrivere il resoconto: verificare lo spazio su disco e i permessi.",
        )
        .with_detail(e)
    })?;
    let b = &detail.batch;
    Ok(super::window::Report::new(
        path.display().to_string(),
        format!(
            "{} inviate, {} non riuscite o escluse, {} da inviare",
            b.sent,
            b.failed,
            b.left + b.sending
        ),
    ))
}

// ---- the runner ----

/// Turns rows into requests while this desk has lists to send: resumes at start what a crash or a quit
/// interrupted, and runs until the process ends.
pub async fn run(state: &Desk, engine: &Engine) {
    let me = runner_name(state);
    let mut events = engine.subscribe();
    loop {
        let started = match step(state, engine, &me, IN_FLIGHT).await {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(code = %e.code, "list sending: store unreadable, trying again");
                0
            }
        };
        if started > 0 {
            continue;
        }
        // An engine event (a send moved on) or the window (a list started, paused, resumed) wakes it;
        // otherwise it looks again after a short pause.
        tokio::select! {
            () = state.batch_wake.notified() => {}
            Ok(_) = events.recv() => {}
            () = tokio::time::sleep(IDLE) => {}
        }
    }
}

/// One round: for each list `me` sends, starts rows until `window` sends are under way; marks finished
/// the lists with nothing left. Returns how many rows it started.
pub async fn step(state: &Desk, engine: &Engine, me: &str, window: usize) -> Result<usize, UiError> {
    let batches: Vec<Batch> = state
        .store
        .batches(None, 100)
        .await
        .map_err(store_error)?
        .into_iter()
        .filter(|b| b.state == BatchState::Sending && b.runner == me)
        .collect();
    let mut started = 0;
    let mut under_way = 0;
    let mut work: Vec<(Batch, Vec<BatchRowState>)> = Vec::new();
    for b in batches {
        let rows = state.store.batch_rows(&b.id).await.map_err(store_error)?;
        under_way += rows.iter().filter(|r| RowOutcome::of(r) == RowOutcome::Sending).count();
        work.push((b, rows));
    }
    for (batch, rows) in work {
        let pending: Vec<&BatchRowState> = rows
            .iter()
            .filter(|r| RowOutcome::of(r) == RowOutcome::Pending)
            .collect();
        if pending.is_empty() {
            if rows.iter().all(|r| RowOutcome::of(r) != RowOutcome::Sending) {
                state
                    .store
                    .set_batch_state(&batch.id, BatchState::Done, state.now_ms())
                    .await
                    .map_err(store_error)?;
                tracing::info!(batch = %batch.id, "list sent");
            }
            continue;
        }
        let Ok(draft) = serde_json::from_str::<Draft>(&batch.draft_json) else {
            tracing::error!(batch = %batch.id, "list unreadable in the store: stopped");
            state
                .store
                .set_batch_state(&batch.id, BatchState::Stopped, state.now_ms())
                .await
                .map_err(store_error)?;
            continue;
        };
        for row in pending {
            if under_way >= window {
                return Ok(started);
            }
            // Paused or stopped meanwhile (the clerk, from the window): the next row waits.
            if state
                .store
                .batch(&batch.id)
                .await
                .map_err(store_error)?
                .map(|b| b.state)
                != Some(BatchState::Sending)
            {
                break;
            }
            start_row(state, engine, &batch, &draft, &row.row).await?;
            started += 1;
            under_way += 1;
        }
    }
    Ok(started)
}

/// Makes a row's request under its chosen id and hands it to the outbox (each only if not done before). A
/// row the checks refuse now (its document changed, the type archived...) is marked with the reason and
/// left out; the store or the office unreachable stops the round, to be tried again.
async fn start_row(state: &Desk, engine: &Engine, batch: &Batch, draft: &Draft, row: &BatchRow) -> Result<(), UiError> {
    let mut draft = draft.clone();
    draft.signer_name.clone_from(&row.signer_name);
    draft.fiscal_code.clone_from(&row.fiscal_code);
    let data: RowData = serde_json::from_str(&row.data_json).unwrap_or_default();
    // The list's protocol number goes with the row's request (issue #14): it names the signed file and the
    // records office's package, as one typed in the form does.
    if let Some(number) = data.protocol.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        draft.protocol = Some(crate::handoff::ProtocolInput {
            number: number.to_owned(),
            ..Default::default()
        });
    }
    if let Some(path) = &data.pdf {
        match row_document(state, &batch.document_type, path).await {
            Ok(document) => draft.documents = vec![document],
            Err(e) if is_transient(&e) => return Err(e),
            Err(e) => {
                tracing::info!(batch = %batch.id, line = row.line, code = %e.code, "list row's PDF refused");
                return state
                    .store
                    .set_batch_row_error(&batch.id, row.position, Some(&e.message))
                    .await
                    .map_err(store_error);
            }
        }
    }
    let prepared = match crate::requests::prepare_row(state, &draft, row.request_id.clone(), &batch.profile_id).await {
        Ok(mut prepared) => {
            prepared.event.text = format!(
                "Richiesta creata dall'elenco «{}» (riga {}) e inviata a Firma con IO",
                batch.name, row.line
            );
            prepared.event.actor.clone_from(&batch.created_by);
            if let Some(protocol) = &mut prepared.protocol {
                protocol.updated_by.clone_from(&batch.created_by);
            }
            prepared.event.detail_json = Some(
                serde_json::json!({ "args": { "batch": batch.id, "list": batch.name, "line": row.line } }).to_string(),
            );
            prepared
        }
        Err(e) if is_transient(&e) => return Err(e),
        Err(e) => {
            tracing::info!(batch = %batch.id, line = row.line, code = %e.code, "list row refused");
            return state
                .store
                .set_batch_row_error(&batch.id, row.position, Some(&e.message))
                .await
                .map_err(store_error);
        }
    };
    match crate::held::deliver(state, engine, &prepared).await {
        Ok(()) => Ok(()),
        Err(e) if is_transient(&e) => Err(e),
        Err(e) => {
            tracing::warn!(batch = %batch.id, line = row.line, code = %e.code, "list row not handed to the outbox");
            state
                .store
                .set_batch_row_error(&batch.id, row.position, Some(&e.message))
                .await
                .map_err(store_error)
        }
    }
}

/// The store or the office away: the row is tried again, not marked.
fn is_transient(e: &UiError) -> bool {
    matches!(
        e.code,
        Code::StoreUnreachable | Code::StorePostgres | Code::StoreSqlite | Code::EngineStore | Code::EngineShutdown
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{citizens_csv, clock, test_desk};
    use firmadesk_engine::{EngineConfig, RowStore};
    use std::sync::Arc;

    fn engine_for(desk: &Desk) -> Engine {
        let store = Arc::new(RowStore::new(desk.store.clone()));
        Engine::builder(EngineConfig::new(crate::archive::archive_dir(desk)), store).build()
    }

    /// A desk in Modalità prova with its engine, and the document for all imported.
    async fn sandbox_desk(dir: &std::path::Path) -> (Arc<Desk>, Engine, String) {
        let desk = Arc::new(test_desk(dir, clock()));
        let engine = engine_for(&desk);
        crate::sandbox::start_profile(&desk, &engine).await.unwrap();
        let imported = crate::requests::import_pdf(
            &desk,
            Some("accordo.pdf".into()),
            None,
            &firmadesk_testkit::pdf::contract(),
        )
        .await
        .unwrap();
        let doc_id = serde_json::to_value(&imported).unwrap()["doc_id"]
            .as_str()
            .unwrap()
            .to_owned();
        (desk, engine, doc_id)
    }

    /// "Invia" as the window sends it, for a list read from `csv`.
    async fn input(desk: &Desk, csv: &[u8], doc_id: &str) -> SendInput {
        let read = serde_json::to_value(
            super::super::window::read(desk, Some("famiglie.csv".into()), csv)
                .await
                .unwrap(),
        )
        .unwrap();
        serde_json::from_value(serde_json::json!({
            "headers": read["headers"],
            "rows": read["rows"],
            "mapping": read["mapping"],
            "document_type": "Accordo",
            "name": "famiglie.csv",
            "title": "Consenso informato",
            "documents": [{
                "doc_id": doc_id,
                "title": "Consenso",
                "fields": [{ "page": 0, "x": 72.0, "y": 100.0, "w": 160.0, "h": 50.0,
                             "clause_type": "REQUIRED", "clause_title": "Firma per accettazione" }]
            }]
        }))
        .unwrap()
    }

    /// Waits (on the engine's events, at most a minute) until no row of the list is left or under way.
    async fn until_settled(desk: &Desk, engine: &Engine, id: &str) -> BatchDetail {
        let mut events = engine.subscribe();
        let settled = tokio::time::timeout(Duration::from_secs(60), async {
            loop {
                let d = detail(desk, id.to_owned()).await.unwrap();
                if d.batch.left == 0 && d.batch.sending == 0 {
                    return d;
                }
                let _ = tokio::time::timeout(Duration::from_millis(500), events.recv()).await;
            }
        })
        .await;
        settled.unwrap_or_else(|_| panic!("the list never settled: {:?}", detail_now(desk, id)))
    }

    fn detail_now(desk: &Desk, id: &str) -> String {
        let rt = tokio::runtime::Handle::current();
        format!(
            "{:?}",
            tokio::task::block_in_place(|| rt.block_on(detail(desk, id.to_owned()))).map(|d| d.batch)
        )
    }

    /// Issue #15: a list is saved, its rows sent a few at a time; the desk "crashes" (engine and desk gone
    /// mid-list, one row's request saved but not yet handed to the outbox), starts again on the same data
    /// folder and finishes: every row reaches IO exactly once, the report names each IO id.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_list_is_sent_once_per_row_across_a_crash() {
        let dir = tempfile::tempdir().unwrap();
        let rows = 8;
        let batch_id = {
            let (desk, engine, doc_id) = sandbox_desk(dir.path()).await;
            let started = start(&desk, input(&desk, &citizens_csv(rows), &doc_id).await)
                .await
                .unwrap();
            assert_eq!(
                (started.total, started.left, started.state),
                (rows, rows, BatchState::Sending)
            );
            let me = runner_name(&desk);
            assert_eq!(
                step(&desk, &engine, &me, 3).await.unwrap(),
                3,
                "three rows under way at most"
            );
            // The next row's request saved, and the crash before its hand-over to the outbox.
            let states = desk.store.batch_rows(&started.id).await.unwrap();
            let batch = desk.store.batch(&started.id).await.unwrap().unwrap();
            let mut draft: Draft = serde_json::from_str(&batch.draft_json).unwrap();
            draft.signer_name.clone_from(&states[3].row.signer_name);
            draft.fiscal_code.clone_from(&states[3].row.fiscal_code);
            let prepared =
                crate::requests::prepare_row(&desk, &draft, states[3].row.request_id.clone(), crate::SANDBOX_PROFILE)
                    .await
                    .unwrap();
            desk.store
                .save_request(&prepared.request, &prepared.documents, &prepared.fields)
                .await
                .unwrap();
            engine.shutdown();
            started.id
        };

        let (desk, engine, _) = sandbox_desk(dir.path()).await;
        let engine = Arc::new(engine);
        let runner = {
            let desk = desk.clone();
            let engine = engine.clone();
            tokio::spawn(async move { run(&desk, &engine).await })
        };
        let done = until_settled(&desk, &engine, &batch_id).await;
        runner.abort();
        assert_eq!(done.batch.sent, rows, "{:?}", done.rows);
        assert_eq!(done.batch.failed, 0);
        let sandbox = desk.sandbox.running().unwrap();
        assert_eq!(
            sandbox.handle.signature_request_count(),
            rows,
            "one IO request per row, none twice"
        );
        let mut io_ids: Vec<&str> = done.rows.iter().filter_map(|r| r.io_request_id.as_deref()).collect();
        io_ids.sort_unstable();
        io_ids.dedup();
        assert_eq!(io_ids.len(), rows);

        // The runner marks the list done; the report names each row's IO id.
        let me = runner_name(&desk);
        step(&desk, &engine, &me, IN_FLIGHT).await.unwrap();
        assert_eq!(
            desk.store.batch(&batch_id).await.unwrap().unwrap().state,
            BatchState::Done
        );
        let csv = String::from_utf8(report_csv(&detail(&desk, batch_id.clone()).await.unwrap()).unwrap()).unwrap();
        assert_eq!(csv.lines().count(), rows + 1, "{csv}");
        for id in io_ids {
            assert!(csv.contains(&format!(";inviata;;{id}")), "{csv}");
        }
        // The row's timeline says where it came from.
        let first = &done.rows[0];
        let events = desk.store.events(first.request_id.as_ref().unwrap()).await.unwrap();
        let created = events.iter().find(|e| e.code == "created").unwrap();
        assert!(
            created.text.contains("dall'elenco «famiglie.csv» (riga 2)"),
            "{created:?}"
        );
        engine.shutdown();
    }

    /// Pause leaves the rows not started waiting, resume sends them, stop leaves them unsent; only the
    /// desk that sends a list controls it.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn pause_resume_and_stop() {
        let dir = tempfile::tempdir().unwrap();
        let (desk, engine, doc_id) = sandbox_desk(dir.path()).await;
        let me = runner_name(&desk);
        let started = start(&desk, input(&desk, &citizens_csv(4), &doc_id).await)
            .await
            .unwrap();
        let paused = control(&desk, started.id.clone(), Control::Pause).await.unwrap();
        assert_eq!(paused.state, BatchState::Paused);
        assert_eq!(
            step(&desk, &engine, &me, IN_FLIGHT).await.unwrap(),
            0,
            "a paused list sends nothing"
        );
        assert_eq!(
            control(&desk, started.id.clone(), Control::Pause)
                .await
                .unwrap_err()
                .code,
            Code::BulkBatchFinished,
            "pausing twice is refused"
        );
        control(&desk, started.id.clone(), Control::Resume).await.unwrap();
        assert_eq!(step(&desk, &engine, &me, 2).await.unwrap(), 2);
        let stopped = control(&desk, started.id.clone(), Control::Stop).await.unwrap();
        assert_eq!(stopped.state, BatchState::Stopped);
        assert_eq!(
            step(&desk, &engine, &me, IN_FLIGHT).await.unwrap(),
            0,
            "a stopped list sends nothing more"
        );
        let d = until_settled_or_pending(&desk, &engine, &started.id).await;
        assert_eq!((d.batch.sent, d.batch.left), (2, 2), "{:?}", d.rows);
        assert!(d.rows[2..]
            .iter()
            .all(|r| r.outcome == RowOutcome::Pending && r.request_id.is_none()));
        assert_eq!(
            control(&desk, started.id.clone(), Control::Resume)
                .await
                .unwrap_err()
                .code,
            Code::BulkBatchFinished
        );
        // Another desk sees the list and cannot drive it.
        desk.store
            .save_batch(
                &Batch {
                    id: "ELSEWHERE".into(),
                    runner: "someone@else#00000000".into(),
                    ..desk.store.batch(&started.id).await.unwrap().unwrap()
                },
                &[],
            )
            .await
            .unwrap();
        let listed = list(&desk).await.unwrap();
        assert_eq!(listed.len(), 2);
        assert!(!listed.iter().find(|b| b.id == "ELSEWHERE").unwrap().here);
        assert_eq!(
            control(&desk, "ELSEWHERE".into(), Control::Pause)
                .await
                .unwrap_err()
                .code,
            Code::BulkBatchElsewhere
        );
        engine.shutdown();
    }

    /// Waits until no row is under way (the rows left pending stay so).
    async fn until_settled_or_pending(desk: &Desk, engine: &Engine, id: &str) -> BatchDetail {
        let mut events = engine.subscribe();
        tokio::time::timeout(Duration::from_secs(60), async {
            loop {
                let d = detail(desk, id.to_owned()).await.unwrap();
                if d.batch.sending == 0 {
                    return d;
                }
                let _ = tokio::time::timeout(Duration::from_millis(500), events.recv()).await;
            }
        })
        .await
        .expect("the rows under way settle")
    }

    /// A row the checks refuse when its turn comes is marked with the reason and left out; the others go.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_row_refused_at_its_turn_is_left_out_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let (desk, engine, doc_id) = sandbox_desk(dir.path()).await;
        let started = start(&desk, input(&desk, &citizens_csv(2), &doc_id).await)
            .await
            .unwrap();
        // The list as saved, with a second batch whose row carries a code that is no longer valid.
        let batch = desk.store.batch(&started.id).await.unwrap().unwrap();
        desk.store
            .set_batch_state(&batch.id, BatchState::Stopped, 0)
            .await
            .unwrap();
        let rows = desk.store.batch_rows(&batch.id).await.unwrap();
        let copy = Batch {
            id: "COPY".into(),
            state: BatchState::Sending,
            ..batch
        };
        let bad = BatchRow {
            batch_id: "COPY".into(),
            fiscal_code: "RSSMRA80A01H501X".into(),
            request_id: "COPY-0".into(),
            ..rows[0].row.clone()
        };
        let good = BatchRow {
            batch_id: "COPY".into(),
            request_id: "COPY-1".into(),
            ..rows[1].row.clone()
        };
        desk.store.save_batch(&copy, &[bad, good]).await.unwrap();
        let me = runner_name(&desk);
        assert_eq!(step(&desk, &engine, &me, IN_FLIGHT).await.unwrap(), 2);
        let d = until_settled(&desk, &engine, "COPY").await;
        assert_eq!(d.rows[0].outcome, RowOutcome::Refused);
        let reason = d.rows[0].reason.as_deref().unwrap();
        assert!(reason.contains("carattere di controllo"), "{reason}");
        assert_eq!(d.rows[1].outcome, RowOutcome::Sent);
        assert_eq!(desk.sandbox.running().unwrap().handle.signature_request_count(), 1);
        engine.shutdown();
    }

    /// Each row names its own PDF in a folder: at its turn the PDF is imported and given the type's template
    /// fields; a row whose PDF went missing after the check is left out with the reason, the others go.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn each_row_sends_its_own_pdf_with_the_template_fields() {
        let pdf = |i: usize| firmadesk_testkit::pdf::with_text(&format!("Contratto di locazione {i}"));
        let dir = tempfile::tempdir().unwrap();
        let (desk, engine, _) = sandbox_desk(dir.path()).await;
        let pdfs = dir.path().join("pdf");
        std::fs::create_dir_all(&pdfs).unwrap();
        let mut csv = String::from("Nome;Cognome;Codice fiscale;File;Email;N. protocollo\n");
        for i in 0..3 {
            let (name, surname, code) = crate::testing::citizen(i);
            // The first row has no protocol number.
            let number = if i == 0 { String::new() } else { format!("2026/00{i}") };
            csv.push_str(&format!(
                "{name};{surname};{code};contratto_{i}.pdf;c{i}@pec.example.it;{number}\n"
            ));
            // Three different PDFs, so three documents.
            std::fs::write(pdfs.join(format!("contratto_{i}.pdf")), pdf(i)).unwrap();
        }
        let read = serde_json::to_value(
            super::super::window::read(&desk, Some("inquilini.csv".into()), csv.as_bytes())
                .await
                .unwrap(),
        )
        .unwrap();
        let input: SendInput = serde_json::from_value(serde_json::json!({
            "headers": read["headers"], "rows": read["rows"], "mapping": read["mapping"],
            "document_type": "Accordo", "pdf_dir": pdfs, "name": "inquilini.csv", "title": "Contratto di locazione",
        }))
        .unwrap();
        let started = start(&desk, input).await.unwrap();
        assert_eq!(started.total, 3);
        // The row keeps its e-mail from the list, with its PDF.
        let saved = desk.store.batch_rows(&started.id).await.unwrap();
        let data: serde_json::Value = serde_json::from_str(&saved[1].row.data_json).unwrap();
        assert_eq!(data["email"], "c1@pec.example.it", "{data}");
        assert!(data["pdf"].as_str().unwrap().ends_with("contratto_1.pdf"), "{data}");
        std::fs::remove_file(pdfs.join("contratto_2.pdf")).unwrap();
        let me = runner_name(&desk);
        step(&desk, &engine, &me, IN_FLIGHT).await.unwrap();
        let d = until_settled(&desk, &engine, &started.id).await;
        assert_eq!(
            d.rows.iter().map(|r| r.outcome).collect::<Vec<_>>(),
            [RowOutcome::Sent, RowOutcome::Sent, RowOutcome::Refused]
        );
        assert!(
            d.rows[2].reason.as_deref().unwrap().contains("contratto_2.pdf"),
            "{:?}",
            d.rows[2]
        );
        // Each sent row carries its own document, titled by its file, with the template's field on it, and
        // the list's protocol number when the row has one (issue #14).
        let template = template_of(&desk, "Accordo").await.unwrap();
        for (i, row) in d.rows[..2].iter().enumerate() {
            let id = row.request_id.clone().unwrap();
            let protocol = crate::handoff::protocol_of(&desk, &id).await.unwrap();
            assert_eq!(
                protocol.map(|p| p.number),
                (i > 0).then(|| format!("2026/00{i}")),
                "row {i}"
            );
            let documents = desk.store.documents(&id).await.unwrap();
            assert_eq!(documents.len(), 1);
            assert_eq!(documents[0].title, format!("contratto {i}"));
            let expected = firmadesk_store::sha256_hex(&pdf(i));
            assert_eq!(documents[0].sha256.as_deref(), Some(expected.as_str()));
            let fields = desk.store.fields(&id).await.unwrap();
            assert_eq!(fields.len(), template.documents[0].fields.len());
        }
        assert_eq!(desk.sandbox.running().unwrap().handle.signature_request_count(), 2);
        engine.shutdown();
    }

    #[test]
    fn a_row_outcome_follows_its_request_and_send() {
        let row = BatchRow {
            batch_id: "B".into(),
            position: 0,
            line: 2,
            request_id: "R".into(),
            signer_name: "Mario Rossi".into(),
            fiscal_code: "RSSMRA80A01H501U".into(),
            data_json: "{}".into(),
            error: None,
        };
        let state = |status: Option<Status>, step: Option<&str>, error: Option<&str>| BatchRowState {
            row: BatchRow {
                error: error.map(str::to_owned),
                ..row.clone()
            },
            status,
            io_request_id: None,
            step: step.map(str::to_owned),
            last_error: None,
        };
        use RowOutcome as O;
        for (s, want) in [
            (state(None, None, None), O::Pending),
            (state(Some(Status::Draft), None, None), O::Pending),
            (state(Some(Status::Draft), Some("create_request"), None), O::Sending),
            (state(Some(Status::Queued), Some("upload"), None), O::Sending),
            (state(Some(Status::Waiting), Some("waiting"), None), O::Sent),
            (state(Some(Status::Signed), Some("waiting"), None), O::Sent),
            (state(Some(Status::Failed), Some("failed"), None), O::Failed),
            (state(Some(Status::Draft), Some("needs_edit"), None), O::Failed),
            (state(None, None, Some("codice non valido")), O::Refused),
        ] {
            assert_eq!(RowOutcome::of(&s), want, "{s:?}");
        }
    }
}
