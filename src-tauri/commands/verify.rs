//! "Verifica un PDF firmato": any signed PDF checked on demand (the use case is
//! `firmadesk_desk::verify`).

use crate::error::UiError;
use crate::state::AppState;
use firmadesk_desk::verify::{self, Checked};
use tauri::State;

/// Verifies a signed PDF the clerk dropped or picked (raw bytes in the body, the expected fiscal code,
/// percent-encoded, in `x-fiscal-code`); nothing is kept.
#[tauri::command]
pub async fn verify_pdf(state: State<'_, AppState>, request: tauri::ipc::Request<'_>) -> Result<Checked, UiError> {
    let (bytes, _name) = super::raw_file(&request, firmadesk_desk::Code::PdfBadRequest)?;
    let cf = request.headers().get("x-fiscal-code").and_then(|v| v.to_str().ok());
    let cf = cf.map(firmadesk_desk::requests::percent_decode);
    verify::verify_pdf(&state, bytes.to_vec(), cf).await
}
