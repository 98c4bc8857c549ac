//! What the counter prints (issue #16): the citizen's sheet — the QR code and the link to sign in the IO
//! app, the deadline, what to do, the body's support e-mail — and a request's receipt with its audit page
//! (who did what and when, from the timeline). Both are A4 PDFs written into the archive's "Esportazioni"
//! folder and opened in the system's PDF reader, whose print dialog prints them.
//!
//! The sheet is in Italian whatever the clerk's language (it is handed to the citizen); the receipt is in the
//! clerk's language. Times are Italian local time.

use crate::archive::{export_path_named, Exported};
use crate::i18n::{self, Arg};
use crate::requests::find_request;
use crate::session::{find_profile, require_request};
use crate::settings::Locale;
use crate::{store_error, Code, Desk, Host, UiError};
use firmadesk_pdf::compose::{Block, Sheet};
use firmadesk_store::{LocalId, Request};

/// The date (`dd/mm/yyyy`) and time (`hh:mm`) of `ms` in Italian local time (Europe/Rome, summer time
/// included).
fn date_and_time(ms: i64) -> Option<(String, String)> {
    let rome = jiff::tz::TimeZone::get("Europe/Rome").ok()?;
    let z = jiff::Timestamp::from_millisecond(ms).ok()?.to_zoned(rome);
    Some((z.strftime("%d/%m/%Y").to_string(), z.strftime("%H:%M").to_string()))
}

/// A time as "dd/mm/yyyy alle hh:mm" (in the clerk's language), Italian local time.
fn local_time(locale: Locale, ms: i64) -> String {
    date_and_time(ms)
        .map(|(date, time)| {
            i18n::text(
                locale,
                "print-date_time",
                &[("date", date.into()), ("time", time.into())],
            )
        })
        .unwrap_or_default()
}

/// The support e-mail citizens are given for `request`: its document type's own, else its profile's.
async fn support_email(state: &Desk, request: &Request) -> Result<Option<String>, UiError> {
    let own = crate::requests::stored_document_type(state, &request.document_type)
        .await?
        .and_then(|t| t.support_email)
        .filter(|e| !e.trim().is_empty());
    if own.is_some() {
        return Ok(own);
    }
    Ok(find_profile(state, &request.profile_id)
        .await?
        .and_then(|p| p.support_email))
}

/// The citizen's sheet for a request waiting for signature: title, body, document, deadline, the QR code and
/// the link (both the one [`crate::requests::signing_link`] gives), the steps in the IO app, support.
pub(crate) fn citizen_sheet(request: &Request, link: &str, body: &str, support: Option<&str>, now_ms: i64) -> Sheet {
    let it = Locale::It;
    let t = |id: &str| i18n::text(it, id, &[]);
    let mut pairs = vec![
        (t("print-sheet-document"), request.title.clone()),
        (t("print-sheet-type"), request.document_type.clone()),
        (t("print-sheet-signer"), request.signer_name.clone()),
    ];
    // As IO's message words it: "fino alle HH:mm del dd/MM/yyyy".
    if let Some((date, time)) = request.expires_at.and_then(date_and_time) {
        let value = i18n::text(
            it,
            "print-sheet-deadline_value",
            &[("date", date.into()), ("time", time.into())],
        );
        pairs.push((t("print-sheet-deadline"), value));
    }
    let support = match support {
        Some(email) => i18n::text(it, "print-sheet-support", &[("email", email.to_owned().into())]),
        None => t("print-sheet-support_office"),
    };
    Sheet {
        blocks: vec![
            Block::Title(t("print-sheet-title")),
            Block::Text(i18n::text(it, "print-sheet-intro", &[("body", body.to_owned().into())])),
            Block::Pairs(pairs),
            Block::Qr {
                data: link.to_owned(),
                side: 190.0,
            },
            Block::Small(t("print-sheet-qr_caption")),
            Block::Text(t("print-sheet-link_intro")),
            Block::Text(link.to_owned()),
            Block::Heading(t("print-sheet-steps_title")),
            Block::Steps(vec![
                t("print-sheet-step_app"),
                t("print-sheet-step_open"),
                t("print-sheet-step_read"),
                t("print-sheet-step_sign"),
                t("print-sheet-step_done"),
            ]),
            Block::Text(t("print-sheet-free")),
            Block::Rule,
            Block::Text(support),
            Block::Small(i18n::text(
                it,
                "print-sheet-printed",
                &[
                    ("when", local_time(it, now_ms).into()),
                    (
                        "id",
                        request
                            .io_request_id
                            .as_ref()
                            .map(|i| i.as_str().to_owned())
                            .unwrap_or_default()
                            .into(),
                    ),
                ],
            )),
        ],
        footer: body.to_owned(),
    }
}

/// Who did a timeline entry, as the timeline shows it: FirmaDesk, Firma con IO, or the clerk's name.
fn actor(locale: Locale, actor: &str) -> String {
    match actor {
        "firmadesk" | "FirmaDesk" => i18n::text(locale, "timeline-actor_firmadesk", &[]),
        "io" => i18n::text(locale, "timeline-actor_io", &[]),
        clerk => clerk.to_owned(),
    }
}

/// The receipt and audit page of a request, in `locale`.
pub(crate) fn receipt(
    locale: Locale,
    request: &Request,
    documents: &[firmadesk_store::Document],
    events: &[firmadesk_store::Event],
    body: &str,
    now_ms: i64,
) -> Sheet {
    let t = |id: &str| i18n::text(locale, id, &[]);
    let when = |ms: Option<i64>| ms.map(|ms| local_time(locale, ms));
    let mut pairs = vec![
        (t("print-receipt-body"), body.to_owned()),
        (t("print-receipt-title_field"), request.title.clone()),
        (t("print-receipt-type"), request.document_type.clone()),
        (t("print-receipt-signer"), request.signer_name.clone()),
        (t("print-receipt-fiscal_code"), request.fiscal_code.clone()),
        (
            t("print-receipt-status"),
            t(&format!("status-{}", request.status.as_str())),
        ),
        (t("print-receipt-created"), local_time(locale, request.created_at)),
    ];
    let optional = [
        ("print-receipt-published", when(request.published_at)),
        ("print-receipt-deadline", when(request.expires_at)),
        ("print-receipt-signed", when(request.signed_at)),
        (
            "print-receipt-io_id",
            request.io_request_id.as_ref().map(|i| i.as_str().to_owned()),
        ),
        ("print-receipt-reason", request.reject_reason.clone()),
    ];
    pairs.extend(optional.into_iter().filter_map(|(id, v)| v.map(|v| (t(id), v))));
    for d in documents {
        let hash = d.sha256.clone().unwrap_or_default();
        pairs.push((
            i18n::text(
                locale,
                "print-receipt-document",
                &[("n", Arg::from(i64::from(d.position) + 1))],
            ),
            format!("{}\nSHA-256 {hash}", d.title),
        ));
    }
    let mut blocks = vec![
        Block::Title(t("print-receipt-title")),
        Block::Pairs(pairs),
        Block::Rule,
        Block::Heading(t("print-receipt-audit")),
        Block::Small(t("print-receipt-audit_note")),
    ];
    let trail: Vec<(String, String)> = events
        .iter()
        .map(|e| {
            let text = crate::wording::event_text(locale, e);
            (local_time(locale, e.at), format!("{text}\n{}", actor(locale, &e.actor)))
        })
        .collect();
    blocks.push(if trail.is_empty() {
        Block::Text(t("print-receipt-no_events"))
    } else {
        Block::Pairs(trail)
    });
    blocks.push(Block::Small(i18n::text(
        locale,
        "print-receipt-printed",
        &[("when", local_time(locale, now_ms).into())],
    )));
    Sheet {
        blocks,
        footer: format!("{body} · {}", request.title),
    }
}

/// Writes `sheet` as `<prefix>-<request id>-<time>.pdf` in the exports folder (two requests printed in the same
/// second never share a file), then opens it in the PDF reader (a reader that cannot be opened is not an
/// error: the file is there, its path returned).
async fn write_and_open(
    state: &Desk,
    host: &dyn Host,
    prefix: &str,
    id: &LocalId,
    sheet: Sheet,
) -> Result<Printed, UiError> {
    let path = export_path_named(state, &format!("{prefix}-{}", id.as_str()), "pdf")?;
    let target = path.clone();
    tokio::task::spawn_blocking(move || -> Result<(), UiError> {
        let pdfium = firmadesk_pdf::library::pdfium().map_err(crate::requests::pdf_error)?;
        let bytes = firmadesk_pdf::compose::render(pdfium, &sheet).map_err(|e| {
            UiError::new(Code::ExportWriteFailed, "Impossibile comporre il PDF da stampare.")
                .with_detail(e.detail().unwrap_or_default().to_owned())
        })?;
        let mut file = crate::private::create_file(&target).map_err(crate::archive::write_failed)?;
        std::io::Write::write_all(&mut file, &bytes).map_err(crate::archive::write_failed)?;
        file.sync_all().map_err(crate::archive::write_failed)
    })
    .await
    .map_err(crate::archive::write_failed)??;
    let opened = host.open_path(&path).is_ok();
    Ok(Printed {
        exported: Exported::one(&path),
        opened,
    })
}

/// A printed PDF: where it is and whether the PDF reader was opened on it.
#[derive(Debug, serde::Serialize)]
pub struct Printed {
    #[serde(flatten)]
    exported: Exported,
    opened: bool,
}

impl Printed {
    /// The file written.
    pub fn path(&self) -> &str {
        self.exported.path()
    }
}

/// "Stampa foglio per il cittadino": the sheet of request `id`, only while it waits for signature before its
/// deadline (when IO's link leads to it).
pub async fn print_sheet(state: &Desk, host: &dyn Host, id: &LocalId) -> Result<Printed, UiError> {
    let request = find_request(state, id).await?;
    require_request(state, &request).await?;
    let now = state.now_ms();
    let Some(link) = crate::requests::signing_link(&request, now) else {
        return Err(UiError::new(
            Code::QrNotReady,
            "Il foglio con il codice QR si stampa solo mentre la richiesta è in attesa di firma.",
        ));
    };
    // Named in Italian, as the whole sheet is.
    let body = if request.profile_id == crate::SANDBOX_PROFILE {
        i18n::text(Locale::It, "sandbox-banner_title", &[])
    } else {
        crate::todo::profile_name(state, &request.profile_id).await?
    };
    let support = support_email(state, &request).await?;
    let sheet = citizen_sheet(&request, &link, &body, support.as_deref(), now);
    write_and_open(state, host, "foglio-firma", &request.id, sheet).await
}

/// "Ricevuta (PDF)": the receipt and audit page of request `id`, in the clerk's language.
pub async fn print_receipt(state: &Desk, host: &dyn Host, id: &LocalId) -> Result<Printed, UiError> {
    let request = find_request(state, id).await?;
    require_request(state, &request).await?;
    let documents = state.store.documents(&request.id).await.map_err(store_error)?;
    let events = state.store.events(&request.id).await.map_err(store_error)?;
    let body = crate::todo::profile_name(state, &request.profile_id).await?;
    let sheet = receipt(state.locale(), &request, &documents, &events, &body, state.now_ms());
    write_and_open(state, host, "ricevuta", &request.id, sheet).await
}
