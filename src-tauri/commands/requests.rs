//! The clerk's work: dashboard, lists, detail, PDFs, sending, the sandbox's citizen simulation and
//! cancellation (the use cases are in `firmadesk_desk::requests`).

use crate::error::UiError;
use crate::state::AppState;
use firmadesk_desk::cf::{self, FiscalCodeCheck};
use firmadesk_desk::requests::{
    self, Dashboard, DocTypeView, Draft, ImportedPdf, RequestDetail, RequestPage, Submitted,
};
use firmadesk_engine::Engine;
use firmadesk_store::{ListQuery, LocalId};
use tauri::State;

pub use firmadesk_desk::requests::{check_import_size, dashboard_of, list_of};

/// Counters and the latest events of the ACTIVE profile (a protected one only with its login): the
/// dashboard never shows another profile's citizens, e.g. the office's while Modalità prova is active.
#[tauri::command]
pub async fn dashboard(state: State<'_, AppState>) -> Result<Dashboard, UiError> {
    requests::dashboard(&state).await
}

/// "Da fare": what the clerk must act on in the ACTIVE profile, most urgent first (named on screen).
#[tauri::command]
pub async fn todo_list(state: State<'_, AppState>) -> Result<firmadesk_desk::todo::Todo, UiError> {
    firmadesk_desk::todo::todo_list(&state).await
}

/// Lists requests with the dashboard's filters, search, sort and paging: of the active profile, or of every
/// profile when the clerk asks (`all_profiles`).
#[tauri::command]
pub async fn list_requests(
    state: State<'_, AppState>,
    query: ListQuery,
    all_profiles: Option<bool>,
) -> Result<RequestPage, UiError> {
    if all_profiles == Some(true) {
        requests::list_all_profiles(&state, query).await
    } else {
        requests::list_requests(&state, query).await
    }
}

/// A request with its documents, fields, timeline, archived files and send state.
#[tauri::command]
pub async fn request_detail(state: State<'_, AppState>, id: LocalId) -> Result<RequestDetail, UiError> {
    requests::request_detail(&state, id).await
}

/// Validates a codice fiscale (check character, omocodia), decodes it (birthplace at the birth date
/// included) and, given the signer's name, says whether the code's name letters fit it.
#[tauri::command]
pub fn check_fiscal_code(code: String, name: Option<String>) -> FiscalCodeCheck {
    cf::check_fiscal_code(code, name)
}

/// The body's document types.
#[tauri::command]
pub async fn document_types(state: State<'_, AppState>) -> Result<Vec<DocTypeView>, UiError> {
    requests::document_types(&state).await
}

/// Adds or renames a document type; returns the updated list.
#[tauri::command]
pub async fn save_document_type(
    state: State<'_, AppState>,
    doc_type: DocTypeView,
) -> Result<Vec<DocTypeView>, UiError> {
    requests::save_document_type(&state, doc_type).await
}

/// Imports a PDF the clerk dropped or picked (raw bytes in the body, the name in `x-file-name`).
#[tauri::command]
pub async fn import_pdf(state: State<'_, AppState>, request: tauri::ipc::Request<'_>) -> Result<ImportedPdf, UiError> {
    let (bytes, name) = super::raw_file(&request, firmadesk_desk::Code::PdfBadRequest)?;
    let declared = request.headers().get("content-length").and_then(|v| v.to_str().ok());
    let declared = declared.and_then(|v| v.parse::<u64>().ok());
    requests::import_pdf(&state, name, declared, bytes).await
}

/// A page of an imported PDF as a PNG data URL, `width` device pixels wide (cached on disk).
#[tauri::command]
pub async fn render_page(state: State<'_, AppState>, doc_id: String, page: u32, width: u32) -> Result<String, UiError> {
    requests::render_page(&state, doc_id, page, width).await
}

/// Validates the draft, runs the preflight of each document with its fields, saves the request and
/// hands it to the engine. The local id is returned at once; progress arrives as `engine-event`s.
#[tauri::command]
pub async fn submit_request(
    state: State<'_, AppState>,
    engine: State<'_, Engine>,
    draft: Draft,
) -> Result<Submitted, UiError> {
    requests::submit_request(&state, &engine, draft).await
}

/// "Correggi e reinvia", "Duplica", "Nuova richiesta per lo stesso firmatario": the request as the new-request
/// form needs it (documents imported again from the copies kept).
#[tauri::command]
pub async fn reopen_request(
    state: State<'_, AppState>,
    id: LocalId,
    mode: firmadesk_desk::reopen::ReopenMode,
) -> Result<firmadesk_desk::reopen::Reopened, UiError> {
    firmadesk_desk::reopen::reopen_request(&state, id, mode).await
}

/// The signers sent to before whose name or code matches what the clerk is typing.
#[tauri::command]
pub async fn signer_book(state: State<'_, AppState>, text: String) -> Result<Vec<requests::KnownSigner>, UiError> {
    requests::signer_book(&state, text).await
}

/// "Salva come modello": keeps the form's documents and fields as the template of a document type.
#[tauri::command]
pub async fn save_template(
    state: State<'_, AppState>,
    name: String,
    template: firmadesk_desk::templates::Template,
) -> Result<Vec<DocTypeView>, UiError> {
    firmadesk_desk::templates::save_template(&state, name, template).await
}

/// Writes every document type with its template into a JSON file in the archive's exports folder.
#[tauri::command]
pub async fn export_templates(state: State<'_, AppState>) -> Result<firmadesk_desk::templates::Shared, UiError> {
    firmadesk_desk::templates::export_templates(&state).await
}

/// Reads a templates file another office exported (administrators only).
#[tauri::command]
pub async fn import_templates(
    state: State<'_, AppState>,
    text: String,
) -> Result<firmadesk_desk::templates::Shared, UiError> {
    firmadesk_desk::templates::import_templates(&state, text).await
}

/// Keeps the new-request form's draft in the data folder (`null`: nothing to keep).
#[tauri::command]
pub fn keep_draft(state: State<'_, AppState>, draft: serde_json::Value) -> Result<(), UiError> {
    firmadesk_desk::drafts::keep(&state, &draft)
}

/// The draft kept by the last run, if any, with the PDFs it names that are no longer kept.
#[tauri::command]
pub fn kept_draft(state: State<'_, AppState>) -> Option<firmadesk_desk::drafts::KeptDraft> {
    firmadesk_desk::drafts::kept(&state)
}

/// "Metti da parte": the form's kept draft goes among the drafts set aside and the form starts clean.
#[tauri::command]
pub fn set_aside_draft(state: State<'_, AppState>) -> Result<firmadesk_desk::drafts::AsideDraft, UiError> {
    firmadesk_desk::drafts::set_aside(&state)
}

/// "Bozze non inviate": the drafts set aside on this desk, the last one first.
#[tauri::command]
pub fn set_aside_drafts(state: State<'_, AppState>) -> Vec<firmadesk_desk::drafts::AsideDraft> {
    firmadesk_desk::drafts::set_aside_drafts(&state)
}

/// "Riprendi": a draft set aside becomes the form's (the one being typed, if any, is set aside first).
#[tauri::command]
pub fn resume_draft(state: State<'_, AppState>, id: String) -> Result<firmadesk_desk::drafts::KeptDraft, UiError> {
    firmadesk_desk::drafts::resume(&state, &id)
}

/// "Elimina": deletes a draft set aside.
#[tauri::command]
pub fn delete_draft(state: State<'_, AppState>, id: String) -> Result<(), UiError> {
    firmadesk_desk::drafts::delete(&state, &id)
}

/// Modalità prova: the citizen signs in the simulated IO app.
#[tauri::command]
pub async fn simulate_sign(state: State<'_, AppState>, engine: State<'_, Engine>, id: LocalId) -> Result<(), UiError> {
    requests::simulate_sign(&state, &engine, id).await
}

/// Modalità prova: the citizen's signature fails.
#[tauri::command]
pub async fn simulate_reject(
    state: State<'_, AppState>,
    engine: State<'_, Engine>,
    id: LocalId,
) -> Result<(), UiError> {
    requests::simulate_reject(&state, &engine, id).await
}

/// Cancels a request waiting for the citizen (the service allows it only from WAIT_FOR_SIGNATURE).
#[tauri::command]
pub async fn cancel_request(state: State<'_, AppState>, engine: State<'_, Engine>, id: LocalId) -> Result<(), UiError> {
    requests::cancel_request(&state, &engine, id).await
}

/// Saves a document type from the editor in Impostazioni: title, support email, template.
#[tauri::command]
pub async fn edit_document_type(
    state: State<'_, AppState>,
    edit: firmadesk_desk::templates::TypeEdit,
) -> Result<Vec<DocTypeView>, UiError> {
    firmadesk_desk::templates::edit_document_type(&state, edit).await
}

/// "Duplica": a new document type with another's title, support email and template.
#[tauri::command]
pub async fn duplicate_document_type(
    state: State<'_, AppState>,
    from: String,
    name: String,
) -> Result<Vec<DocTypeView>, UiError> {
    firmadesk_desk::templates::duplicate_document_type(&state, from, name).await
}

/// "Elimina": deletes a document type, or archives it when requests were sent with it.
#[tauri::command]
pub async fn remove_document_type(
    state: State<'_, AppState>,
    name: String,
) -> Result<firmadesk_desk::templates::Removed, UiError> {
    firmadesk_desk::templates::remove_document_type(&state, name).await
}

/// "Ripristina": an archived document type is offered for new requests again.
#[tauri::command]
pub async fn restore_document_type(state: State<'_, AppState>, name: String) -> Result<Vec<DocTypeView>, UiError> {
    firmadesk_desk::templates::restore_document_type(&state, name).await
}
