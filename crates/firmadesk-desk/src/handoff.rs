//! The hand-off to protocollo and conservazione (issue #14).
//!
//! - **Protocol data**: number, date, register (registro/repertorio), classification (titolario), fascicolo and
//!   confidentiality, typed by the clerk while the request waits or after it is signed, editable, each change in
//!   the timeline. The archive names a signed file by its protocol number (the engine, for files archived after
//!   the number was typed; here, on a desk's own archive, for files archived before).
//! - **The package** of a signed request: a ZIP with the signed PDFs exactly as downloaded, the metadata as XML
//!   (valid against `schema/firmadesk-pacchetto-1.xsd`, written from the AgID Linee guida's Allegato 5,
//!   "DocumentoAmministrativoInformatico") and as JSON, the verification report, the audit trail as PDF, IO Sign's
//!   evidence (the request as the service returned it, without links), the schema, and a SHA-256 manifest that
//!   `sha256sum -c` reads. For a selection: one package per request and an index, in a folder.
//!
//! Everything in a package is in Italian (the records office's language), whatever the clerk's.

use crate::archive::{write_failed, Exported};
use crate::requests::find_request;
use crate::session::{actor, require_login, require_request};
use crate::settings::Locale;
use crate::{store_error, Code, Desk, UiError};
use firmadesk_store::{LocalId, Protocol, Request, Status};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The package's metadata schema, kept in the repository and shipped in every package.
pub const SCHEMA: &str = include_str!("../schema/firmadesk-pacchetto-1.xsd");
/// The schema's file name inside a package.
pub const SCHEMA_NAME: &str = "firmadesk-pacchetto-1.xsd";
/// The metadata's XML namespace.
pub const NAMESPACE: &str = "urn:firmadesk:pacchetto:1";

/// Longest protocol number, in characters.
const MAX_NUMBER: usize = 50;
/// Longest register, classification or fascicolo, in characters.
const MAX_TEXT: usize = 200;

/// Protocol data as the clerk typed it (the form in the request's detail).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ProtocolInput {
    /// Numero.
    pub number: String,
    /// Data, `YYYY-MM-DD` (the date input's value); empty for none.
    pub date: Option<String>,
    /// Registro o repertorio.
    pub register: String,
    /// Classificazione.
    pub classification: String,
    /// Fascicolo.
    pub fascicolo: String,
    /// Riservato.
    pub reserved: bool,
}

/// The protocol data of a request (`None` when the clerk typed none).
pub async fn protocol_of(state: &Desk, id: &LocalId) -> Result<Option<Protocol>, UiError> {
    Ok(state
        .store
        .protocols(std::slice::from_ref(id))
        .await
        .map_err(store_error)?
        .into_iter()
        .next())
}

/// One text of the form, trimmed; too long or with control characters is refused, naming the field.
fn text(value: &str, field: &str, max: usize) -> Result<String, UiError> {
    let value = value.trim();
    if value.chars().any(char::is_control) {
        return Err(UiError::new(
            Code::ProtocolInvalidText,
            format!("Dati di protocollo: il campo «{field}» contiene caratteri non ammessi (a capo, tabulazioni)."),
        ));
    }
    if value.chars().count() > max {
        return Err(UiError::new(
            Code::ProtocolInvalidText,
            format!("Dati di protocollo: il campo «{field}» è troppo lungo (al massimo {max} caratteri)."),
        ));
    }
    Ok(value.to_owned())
}

/// The form checked: texts trimmed and bounded, the date a real calendar date, not in the future.
fn checked(input: &ProtocolInput, today: time::Date) -> Result<ProtocolInput, UiError> {
    let date = match input.date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => None,
        Some(d) => {
            let parsed =
                time::Date::parse(d, time::macros::format_description!("[year]-[month]-[day]")).map_err(|_| {
                    UiError::new(
                        Code::ProtocolInvalidDate,
                        "Data di protocollo non valida: indicare giorno, mese e anno.",
                    )
                })?;
            if parsed > today {
                return Err(UiError::new(
                    Code::ProtocolInvalidDate,
                    "La data di protocollo non può essere nel futuro.",
                ));
            }
            Some(d.to_owned())
        }
    };
    Ok(ProtocolInput {
        number: text(&input.number, "Numero", MAX_NUMBER)?,
        date,
        register: text(&input.register, "Registro", MAX_TEXT)?,
        classification: text(&input.classification, "Classificazione", MAX_TEXT)?,
        fascicolo: text(&input.fascicolo, "Fascicolo", MAX_TEXT)?,
        reserved: input.reserved,
    })
}

/// Whether two records say the same (who and when aside).
fn same_data(a: &Protocol, b: &Protocol) -> bool {
    (
        &a.number,
        &a.date,
        &a.register,
        &a.classification,
        &a.fascicolo,
        a.reserved,
    ) == (
        &b.number,
        &b.date,
        &b.register,
        &b.classification,
        &b.fascicolo,
        b.reserved,
    )
}

/// The body's day of `now_ms`, a day ahead of UTC's (Italy is UTC+1 or +2): a protocol of this morning is never
/// "in the future".
fn today_of(now_ms: i64) -> time::Date {
    time::OffsetDateTime::from_unix_timestamp(now_ms / 1000)
        .map(time::OffsetDateTime::date)
        .unwrap_or(time::Date::MAX)
        .next_day()
        .unwrap_or(time::Date::MAX)
}

/// The protocol data typed in the new-request form, checked, as the record the send keeps for request `id`
/// (`None` when nothing was typed): written with the request (see [`record`]).
pub(crate) fn from_form(
    input: &ProtocolInput,
    id: &LocalId,
    who: &str,
    now_ms: i64,
) -> Result<Option<Protocol>, UiError> {
    let input = checked(input, today_of(now_ms))?;
    let empty = [&input.number, &input.register, &input.classification, &input.fascicolo]
        .iter()
        .all(|t| t.is_empty())
        && input.date.is_none()
        && !input.reserved;
    Ok((!empty).then(|| record_of(input, id, who, now_ms)))
}

/// The record of checked protocol data for request `id`, set by `who` at `now_ms`.
fn record_of(input: ProtocolInput, id: &LocalId, who: &str, now_ms: i64) -> Protocol {
    Protocol {
        request_id: id.clone(),
        number: input.number,
        date: input.date,
        register: input.register,
        classification: input.classification,
        fascicolo: input.fascicolo,
        reserved: input.reserved,
        updated_at: now_ms,
        updated_by: who.to_owned(),
    }
}

/// Keeps `protocol` and writes its timeline entry.
pub(crate) async fn record(store: &dyn firmadesk_store::Store, protocol: &Protocol) -> Result<(), UiError> {
    store.set_protocol(protocol).await.map_err(store_error)?;
    let (date, reserved) = (protocol.date.clone().unwrap_or_default(), protocol.reserved.to_string());
    let event = crate::wording::entry(
        &protocol.request_id,
        protocol.updated_at,
        &protocol.updated_by,
        "protocol",
        &[
            ("number", &protocol.number),
            ("date", &date),
            ("register", &protocol.register),
            ("classification", &protocol.classification),
            ("fascicolo", &protocol.fascicolo),
            ("reserved", &reserved),
        ],
    );
    store.add_event(&event).await.map_err(store_error)
}

/// Sets request `id`'s protocol data (the clerk's form): kept, written in the timeline, and on a desk's own
/// archive the request's signed files renamed by the new number. Saving what is already there changes nothing.
pub async fn set_protocol(state: &Desk, id: &LocalId, input: ProtocolInput) -> Result<Protocol, UiError> {
    let request = find_request(state, id).await?;
    require_request(state, &request).await?;
    let now = state.now_ms();
    let input = checked(&input, today_of(now))?;
    let previous = protocol_of(state, &request.id).await?;
    let who = actor(state, &request.profile_id);
    let protocol = record_of(input, &request.id, &who, now);
    if let Some(previous) = previous.as_ref().filter(|p| same_data(p, &protocol)) {
        return Ok(previous.clone());
    }
    record(&*state.store, &protocol).await?;
    let old = previous.map(|p| p.number).unwrap_or_default();
    if old != protocol.number {
        rename_archived(state, &request, &old, &protocol.number, &who).await?;
    }
    Ok(protocol)
}

/// The timeline's words for protocol data recorded with `args` (`number`, `date`...): what was typed,
/// field by field.
pub fn protocol_summary(locale: Locale, args: &BTreeMap<String, String>) -> String {
    let fields = ["number", "date", "register", "classification", "fascicolo"];
    let mut parts: Vec<String> = fields
        .iter()
        .filter_map(|f| {
            let value = args.get(*f).filter(|v| !v.is_empty())?;
            let value = if *f == "date" {
                italian_date(value)
            } else {
                value.clone()
            };
            Some(format!(
                "{} {value}",
                crate::i18n::text(locale, &format!("handoff-field-{f}"), &[])
            ))
        })
        .collect();
    if args.get("reserved").is_some_and(|r| r == "true") {
        parts.push(crate::i18n::text(locale, "handoff-field-reserved", &[]));
    }
    if parts.is_empty() {
        crate::i18n::text(locale, "timeline-protocol_cleared", &[])
    } else {
        crate::i18n::text(locale, "timeline-protocol", &[("summary", parts.join(" · ").into())])
    }
}

/// `YYYY-MM-DD` as `DD/MM/YYYY` (anything else as it is).
fn italian_date(iso: &str) -> String {
    match iso.split('-').collect::<Vec<_>>()[..] {
        [y, m, d] => format!("{d}/{m}/{y}"),
        _ => iso.to_owned(),
    }
}

/// On a desk's own archive, the request's signed files renamed from the `old` protocol number's name to the
/// `new` one's, in their folder (a name already taken keeps the file where it is). In team mode the files are
/// the worker's, named when archived; packages name them by the number anyway.
async fn rename_archived(state: &Desk, request: &Request, old: &str, new: &str, who: &str) -> Result<(), UiError> {
    if state.store.backend() != firmadesk_store::Backend::Sqlite {
        return Ok(());
    }
    let files = state.store.archived_files(&request.id).await.map_err(store_error)?;
    let old_prefix = firmadesk_engine::archive::protocol_prefix(Some(old));
    let new_prefix = firmadesk_engine::archive::protocol_prefix(Some(new));
    for mut file in files {
        let path = PathBuf::from(&file.path);
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let rest = name.strip_prefix(old_prefix.as_str()).unwrap_or(name);
        let target = path.with_file_name(format!("{new_prefix}{rest}"));
        if target == path || target.exists() || !path.exists() {
            continue;
        }
        if let Err(e) = std::fs::rename(&path, &target) {
            tracing::warn!(target: "firmadesk_desk", request_id = %request.id, error = %e, "archived file not renamed");
            continue;
        }
        file.path = target.display().to_string();
        state.store.record_archive(&file).await.map_err(store_error)?;
        let event = crate::wording::entry(
            &request.id,
            state.now_ms(),
            who,
            "archive_renamed",
            &[("path", &file.path)],
        );
        state.store.add_event(&event).await.map_err(store_error)?;
    }
    Ok(())
}

// ---- the package ----

/// The metadata of a package (`metadati.json`; `metadati.xml` says the same in the schema's elements).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Metadata {
    /// The package format's version (1).
    pub versione_pacchetto: u32,
    /// The software that made it.
    pub prodotto_software: Software,
    /// The signature request.
    pub richiesta: RequestMeta,
    /// One entry per signed document.
    pub documenti: Vec<DocumentMeta>,
}

/// The software that made a package.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Software {
    /// "FirmaDesk".
    pub nome: String,
    /// Its version.
    pub versione: String,
}

/// The signature request a package holds.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RequestMeta {
    /// FirmaDesk's id.
    pub id_richiesta: String,
    /// IO Sign's id.
    pub id_firma_con_io: Option<String>,
    /// The body (the profile's name).
    pub ente: String,
    /// Created (RFC 3339, UTC).
    pub data_creazione: String,
    /// Signed (RFC 3339, UTC).
    pub data_firma: Option<String>,
}

/// One signed document, in the vocabulary of Allegato 5 ("DocumentoAmministrativoInformatico").
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DocumentMeta {
    /// IdDoc/Identificativo: IO Sign's request and document ids.
    pub identificativo: String,
    /// IdDoc/ImprontaCrittograficaDelDocumento/Impronta: SHA-256 of the signed file, hex.
    pub impronta: String,
    /// IdDoc/ImprontaCrittograficaDelDocumento/Algoritmo.
    pub algoritmo: String,
    /// ModalitaDiFormazione: `b`, a document acquired by telematic means (the signed copy comes from IO).
    pub modalita_di_formazione: String,
    /// TipologiaDocumentale: the document type ("Accordo").
    pub tipologia_documentale: String,
    /// DatiDiRegistrazione.
    pub dati_di_registrazione: Registration,
    /// Soggetti.
    pub soggetti: Vec<Subject>,
    /// ChiaveDescrittiva/Oggetto: the request's title (the document's, when a request has several).
    pub oggetto: String,
    /// Allegati/NumeroAllegati.
    pub numero_allegati: u32,
    /// Classificazione/IndiceDiClassificazione.
    pub classificazione: Option<String>,
    /// IdAgg/IdentificativoFascicolo.
    pub fascicolo: Option<String>,
    /// Riservato.
    pub riservato: bool,
    /// IdentificativoDelFormato/Formato.
    pub formato: String,
    /// Verifica.
    pub verifica: Check,
    /// NomeDelDocumento: the file's name in the package (`documenti/...`).
    pub nome_del_documento: String,
    /// VersioneDelDocumento.
    pub versione_del_documento: String,
    /// TempoDiConservazione (years): the document type's, when set in Impostazioni (else the records office
    /// sets it).
    pub tempo_di_conservazione: Option<u32>,
}

/// DatiDiRegistrazione: empty (`Nessuno`) without a protocol number.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Registration {
    /// TipologiaDiFlusso: `E` (the signed document comes in from the citizen).
    pub tipologia_di_flusso: String,
    /// TipoRegistro: `Nessuno`, `Protocollo Ordinario/Protocollo Emergenza` or `Repertorio/Registro`.
    pub tipo_registro: String,
    /// Data di registrazione (`YYYY-MM-DD`).
    pub data_registrazione: Option<String>,
    /// Numero di protocollo or of the register entry.
    pub numero_registrazione: Option<String>,
    /// CodiceRegistro: the register the clerk named.
    pub codice_registro: Option<String>,
}

/// One of Soggetti.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Subject {
    /// Ruolo: `Mittente`, `Destinatario`, `Operatore`.
    pub ruolo: String,
    /// TipoSoggetto: `PF` (a person), `PAI` (an Italian administration).
    pub tipo_soggetto: String,
    /// A person's name.
    pub nominativo: Option<String>,
    /// A person's fiscal code.
    pub codice_fiscale: Option<String>,
    /// An administration's name.
    pub denominazione: Option<String>,
}

/// Verifica, with FirmaDesk's own verification.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Check {
    /// FirmatoDigitalmente.
    pub firmato_digitalmente: bool,
    /// SigillatoElettronicamente.
    pub sigillato_elettronicamente: bool,
    /// MarcaturaTemporale.
    pub marcatura_temporale: bool,
    /// ConformitaCopieImmagineSuSupporto.
    pub conformita_copie_immagine_su_supporto: bool,
    /// FirmaDesk's verdict: `valid`, `valid_with_warnings`, `invalid`, or `not_verified`.
    pub esito: String,
    /// The signer's name from the certificate.
    pub firmatario: Option<String>,
    /// The signer's fiscal code from the certificate.
    pub codice_fiscale_firmatario: Option<String>,
    /// When it was signed (RFC 3339).
    pub data_firma: Option<String>,
}

/// What a package is built from (read from the store and the archive).
pub struct Parts {
    /// The request.
    pub request: Request,
    /// The body's name.
    pub body: String,
    /// The clerk who sent it (the timeline's first entry's actor).
    pub sender: Option<String>,
    /// Its protocol data.
    pub protocol: Option<Protocol>,
    /// Each signed document: its store record, its title, and its bytes as archived.
    pub signed: Vec<(firmadesk_store::ArchivedFile, String, Vec<u8>)>,
    /// Their verifications, worded in Italian.
    pub verifications: Vec<crate::verify::Kept>,
    /// IO Sign's evidence, if recorded.
    pub evidence: Option<String>,
    /// The audit trail as a PDF.
    pub audit_pdf: Vec<u8>,
    /// How many years the records office keeps its document type's documents, when set in Impostazioni.
    pub retention_years: Option<u32>,
}

fn rfc3339(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}

fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

/// The registration data of a protocol record: `Nessuno` without a number; a register named "Repertorio..."
/// or "Registro..." is a register, anything else the protocol.
fn registration(protocol: Option<&Protocol>) -> Registration {
    let Some(p) = protocol.filter(|p| !p.number.trim().is_empty()) else {
        return Registration {
            tipologia_di_flusso: "E".into(),
            tipo_registro: "Nessuno".into(),
            data_registrazione: None,
            numero_registrazione: None,
            codice_registro: None,
        };
    };
    let register = p.register.to_lowercase();
    let kind = if register.starts_with("repertorio") || register.starts_with("registro") {
        "Repertorio/Registro"
    } else {
        "Protocollo Ordinario/Protocollo Emergenza"
    };
    Registration {
        tipologia_di_flusso: "E".into(),
        tipo_registro: kind.into(),
        data_registrazione: p.date.clone(),
        numero_registrazione: non_empty(&p.number),
        codice_registro: non_empty(&p.register),
    }
}

/// The file name of a signed document inside the package.
fn document_entry(file: &firmadesk_store::ArchivedFile) -> String {
    let name = Path::new(&file.path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| format!("{}.pdf", file.io_document_id));
    format!("documenti/{name}")
}

/// The metadata of `parts`.
pub fn metadata(parts: &Parts) -> Metadata {
    let r = &parts.request;
    let protocol = parts.protocol.as_ref();
    let mut subjects = vec![
        Subject {
            ruolo: "Mittente".into(),
            tipo_soggetto: "PF".into(),
            nominativo: Some(r.signer_name.clone()),
            codice_fiscale: Some(r.fiscal_code.clone()),
            denominazione: None,
        },
        Subject {
            ruolo: "Destinatario".into(),
            tipo_soggetto: "PAI".into(),
            nominativo: None,
            codice_fiscale: None,
            denominazione: Some(parts.body.clone()),
        },
    ];
    if let Some(sender) = parts.sender.as_deref().and_then(non_empty) {
        subjects.push(Subject {
            ruolo: "Operatore".into(),
            tipo_soggetto: "PF".into(),
            nominativo: Some(sender),
            codice_fiscale: None,
            denominazione: None,
        });
    }
    let documents = parts
        .signed
        .iter()
        .map(|(file, title, _)| {
            let kept = parts
                .verifications
                .iter()
                .find(|v| v.io_document_id == file.io_document_id);
            let verifica = match kept {
                Some(k) => Check {
                    firmato_digitalmente: !k.checked.report.signatures.is_empty(),
                    sigillato_elettronicamente: false,
                    marcatura_temporale: k.checked.timestamped,
                    conformita_copie_immagine_su_supporto: false,
                    esito: firmadesk_engine::verification::verdict_name(k.checked.verdict).to_owned(),
                    firmatario: k.checked.signer.clone(),
                    codice_fiscale_firmatario: k.checked.fiscal_code.clone(),
                    data_firma: k.checked.signing_time.clone(),
                },
                None => Check {
                    firmato_digitalmente: true,
                    sigillato_elettronicamente: false,
                    marcatura_temporale: false,
                    conformita_copie_immagine_su_supporto: false,
                    esito: "not_verified".into(),
                    firmatario: None,
                    codice_fiscale_firmatario: None,
                    data_firma: None,
                },
            };
            DocumentMeta {
                identificativo: format!(
                    "{}/{}",
                    r.io_request_id.as_ref().map_or("", |i| i.as_str()),
                    file.io_document_id
                ),
                impronta: file.sha256.clone(),
                algoritmo: "SHA-256".into(),
                modalita_di_formazione: "b".into(),
                tipologia_documentale: r.document_type.clone(),
                dati_di_registrazione: registration(protocol),
                soggetti: subjects.clone(),
                oggetto: title.clone(),
                numero_allegati: 0,
                classificazione: protocol.and_then(|p| non_empty(&p.classification)),
                fascicolo: protocol.and_then(|p| non_empty(&p.fascicolo)),
                riservato: protocol.is_some_and(|p| p.reserved),
                formato: "application/pdf".into(),
                verifica,
                nome_del_documento: document_entry(file),
                versione_del_documento: "1".into(),
                tempo_di_conservazione: parts.retention_years,
            }
        })
        .collect();
    Metadata {
        versione_pacchetto: 1,
        prodotto_software: Software {
            nome: "FirmaDesk".into(),
            versione: env!("CARGO_PKG_VERSION").into(),
        },
        richiesta: RequestMeta {
            id_richiesta: r.id.as_str().to_owned(),
            id_firma_con_io: r.io_request_id.as_ref().map(|i| i.as_str().to_owned()),
            ente: parts.body.clone(),
            data_creazione: rfc3339(r.created_at),
            data_firma: r.signed_at.map(rfc3339),
        },
        documenti: documents,
    }
}

/// `metadati.xml`: `m` in the elements of `schema/firmadesk-pacchetto-1.xsd`.
pub fn metadata_xml(m: &Metadata) -> std::io::Result<Vec<u8>> {
    use quick_xml::events::{BytesDecl, BytesText, Event as X};
    type W = quick_xml::Writer<Vec<u8>>;
    fn leaf(w: &mut W, name: &str, value: &str) -> std::io::Result<()> {
        w.create_element(name).write_text_content(BytesText::new(value))?;
        Ok(())
    }
    fn opt(w: &mut W, name: &str, value: Option<&str>) -> std::io::Result<()> {
        match value {
            Some(v) => leaf(w, name, v),
            None => Ok(()),
        }
    }
    fn boolean(w: &mut W, name: &str, value: bool) -> std::io::Result<()> {
        leaf(w, name, if value { "true" } else { "false" })
    }
    let mut w = quick_xml::Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(X::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("PacchettoFirmaDesk")
        .with_attribute(("xmlns", NAMESPACE))
        .with_attribute(("versione", m.versione_pacchetto.to_string().as_str()))
        .write_inner_content(|w| {
            w.create_element("ProdottoSoftware").write_inner_content(|w| {
                leaf(w, "NomeProdotto", &m.prodotto_software.nome)?;
                leaf(w, "VersioneProdotto", &m.prodotto_software.versione)
            })?;
            let r = &m.richiesta;
            w.create_element("Richiesta").write_inner_content(|w| {
                leaf(w, "IdRichiesta", &r.id_richiesta)?;
                opt(w, "IdFirmaConIO", r.id_firma_con_io.as_deref())?;
                leaf(w, "Ente", &r.ente)?;
                leaf(w, "DataCreazione", &r.data_creazione)?;
                opt(w, "DataFirma", r.data_firma.as_deref())
            })?;
            for d in &m.documenti {
                w.create_element("DocumentoAmministrativoInformatico")
                    .write_inner_content(|w| document_xml(w, d))?;
            }
            Ok(())
        })?;
    let mut out = w.into_inner();
    out.push(b'\n');
    return Ok(out);

    fn document_xml(w: &mut W, d: &DocumentMeta) -> std::io::Result<()> {
        w.create_element("IdDoc").write_inner_content(|w| {
            w.create_element("ImprontaCrittograficaDelDocumento")
                .write_inner_content(|w| {
                    leaf(w, "Impronta", &d.impronta)?;
                    leaf(w, "Algoritmo", &d.algoritmo)
                })?;
            leaf(w, "Identificativo", &d.identificativo)
        })?;
        leaf(w, "ModalitaDiFormazione", &d.modalita_di_formazione)?;
        leaf(w, "TipologiaDocumentale", &d.tipologia_documentale)?;
        let reg = &d.dati_di_registrazione;
        w.create_element("DatiDiRegistrazione").write_inner_content(|w| {
            leaf(w, "TipologiaDiFlusso", &reg.tipologia_di_flusso)?;
            w.create_element("TipoRegistro").write_inner_content(|w| {
                match reg.tipo_registro.as_str() {
                    "Nessuno" => {
                        w.create_element("Nessuno").write_empty()?;
                    }
                    kind => {
                        let element = if kind == "Repertorio/Registro" {
                            "Repertorio_Registro"
                        } else {
                            "ProtocolloOrdinario_ProtocolloEmergenza"
                        };
                        w.create_element(element).write_inner_content(|w| {
                            opt(w, "DataRegistrazione", reg.data_registrazione.as_deref())?;
                            opt(w, "NumeroRegistrazione", reg.numero_registrazione.as_deref())?;
                            opt(w, "CodiceRegistro", reg.codice_registro.as_deref())
                        })?;
                    }
                }
                Ok(())
            })?;
            Ok(())
        })?;
        w.create_element("Soggetti").write_inner_content(|w| {
            for s in &d.soggetti {
                w.create_element("Soggetto").write_inner_content(|w| {
                    leaf(w, "Ruolo", &s.ruolo)?;
                    leaf(w, "TipoSoggetto", &s.tipo_soggetto)?;
                    opt(w, "Nominativo", s.nominativo.as_deref())?;
                    opt(w, "CodiceFiscale", s.codice_fiscale.as_deref())?;
                    opt(w, "DenominazioneAmministrazione", s.denominazione.as_deref())
                })?;
            }
            Ok(())
        })?;
        w.create_element("ChiaveDescrittiva")
            .write_inner_content(|w| leaf(w, "Oggetto", &d.oggetto))?;
        w.create_element("Allegati")
            .write_inner_content(|w| leaf(w, "NumeroAllegati", &d.numero_allegati.to_string()))?;
        if let Some(c) = &d.classificazione {
            w.create_element("Classificazione")
                .write_inner_content(|w| leaf(w, "IndiceDiClassificazione", c))?;
        }
        boolean(w, "Riservato", d.riservato)?;
        w.create_element("IdentificativoDelFormato")
            .write_inner_content(|w| leaf(w, "Formato", &d.formato))?;
        let v = &d.verifica;
        w.create_element("Verifica").write_inner_content(|w| {
            boolean(w, "FirmatoDigitalmente", v.firmato_digitalmente)?;
            boolean(w, "SigillatoElettronicamente", v.sigillato_elettronicamente)?;
            boolean(w, "MarcaturaTemporale", v.marcatura_temporale)?;
            boolean(
                w,
                "ConformitaCopieImmagineSuSupporto",
                v.conformita_copie_immagine_su_supporto,
            )?;
            leaf(w, "EsitoVerificaFirma", &v.esito)?;
            opt(w, "Firmatario", v.firmatario.as_deref())?;
            opt(w, "CodiceFiscaleFirmatario", v.codice_fiscale_firmatario.as_deref())?;
            opt(w, "DataFirma", v.data_firma.as_deref())
        })?;
        if let Some(f) = &d.fascicolo {
            w.create_element("IdAgg")
                .write_inner_content(|w| leaf(w, "IdentificativoFascicolo", f))?;
        }
        leaf(w, "NomeDelDocumento", &d.nome_del_documento)?;
        leaf(w, "VersioneDelDocumento", &d.versione_del_documento)?;
        if let Some(years) = d.tempo_di_conservazione {
            leaf(w, "TempoDiConservazione", &years.to_string())?;
        }
        Ok(())
    }
}

/// The files of a package, by their path in the ZIP, the manifest last (`<sha256>  <path>` per line, the
/// format `sha256sum -c` checks).
pub fn package_files(parts: &Parts) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let meta = metadata(parts);
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for (file, _, bytes) in &parts.signed {
        files.push((document_entry(file), bytes.clone()));
    }
    files.push(("metadati.xml".into(), metadata_xml(&meta)?));
    files.push(("metadati.json".into(), serde_json::to_vec_pretty(&meta)?));
    files.push((
        "verifica-firma.json".into(),
        serde_json::to_vec_pretty(&parts.verifications)?,
    ));
    files.push(("registro-attivita.pdf".into(), parts.audit_pdf.clone()));
    if let Some(evidence) = &parts.evidence {
        files.push(("evidenze-firma-con-io.json".into(), evidence.as_bytes().to_vec()));
    }
    files.push((format!("schema/{SCHEMA_NAME}"), SCHEMA.as_bytes().to_vec()));
    let mut manifest = String::new();
    for (path, bytes) in &files {
        manifest.push_str(&format!("{}  {path}\n", firmadesk_store::sha256_hex(bytes)));
    }
    files.push(("manifest-sha256.txt".into(), manifest.into_bytes()));
    Ok(files)
}

/// `files` as a ZIP, in memory.
pub(crate) fn zip_bytes(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, UiError> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        zip.start_file(name.as_str(), options).map_err(write_failed)?;
        zip.write_all(bytes).map_err(write_failed)?;
    }
    Ok(zip.finish().map_err(write_failed)?.into_inner())
}

/// Writes `files` as a ZIP at `path` (synced).
fn write_zip(path: &Path, files: &[(String, Vec<u8>)]) -> Result<(), UiError> {
    let bytes = zip_bytes(files)?;
    let mut file = crate::private::create_file(path).map_err(write_failed)?;
    file.write_all(&bytes).map_err(write_failed)?;
    file.sync_all().map_err(write_failed)
}

/// Reads what the package of request `id` is made of; only a signed request whose documents are archived.
pub(crate) async fn parts_of(state: &Desk, id: &LocalId) -> Result<Parts, UiError> {
    let request = find_request(state, id).await?;
    require_request(state, &request).await?;
    let archived = state.store.archived_files(&request.id).await.map_err(store_error)?;
    if request.status != Status::Signed || archived.is_empty() {
        return Err(UiError::new(
            Code::ArchiveNotArchived,
            format!(
                "Il pacchetto per la conservazione si prepara solo per una richiesta firmata e archiviata: «{}» non lo è ancora.",
                request.title
            ),
        ));
    }
    let documents = state.store.documents(&request.id).await.map_err(store_error)?;
    let many = archived.len() > 1;
    let mut signed = Vec::with_capacity(archived.len());
    for file in archived {
        // The same checks as opening it: listed, a PDF, the bytes that were archived (fetched from the team
        // database when the worker archived it elsewhere).
        let path = crate::archive::archived_pdf(state, &request.id, &file.io_document_id).await?;
        let bytes = tokio::fs::read(&path).await.map_err(|e| {
            UiError::new(
                Code::ArchiveMissing,
                "Il file non esiste più nell'archivio: è stato spostato o eliminato.",
            )
            .with_detail(e)
        })?;
        let title = documents
            .iter()
            .find(|d| d.io_document_id.as_deref() == Some(file.io_document_id.as_str()))
            .filter(|_| many)
            .map_or_else(|| request.title.clone(), |d| d.title.clone());
        signed.push((file, title, bytes));
    }
    let verifications = state
        .store
        .verifications(std::slice::from_ref(&request.id))
        .await
        .map_err(store_error)?
        .iter()
        .map(|v| crate::verify::kept(Locale::It, v, Some(&request.fiscal_code), &request.profile_id))
        .collect();
    let events = state.store.events(&request.id).await.map_err(store_error)?;
    let body = crate::todo::profile_name(state, &request.profile_id).await?;
    let sheet = crate::printables::receipt(Locale::It, &request, &documents, &events, &body, state.now_ms());
    let audit_pdf = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, UiError> {
        let pdfium = firmadesk_pdf::library::pdfium().map_err(crate::requests::pdf_error)?;
        firmadesk_pdf::compose::render(pdfium, &sheet).map_err(|e| {
            UiError::new(
                Code::ExportWriteFailed,
                "Impossibile comporre il registro delle attività (PDF).",
            )
            .with_detail(e.detail().unwrap_or_default().to_owned())
        })
    })
    .await
    .map_err(write_failed)??;
    Ok(Parts {
        // Who sent it, when a person did (not FirmaDesk's own steps or IO's).
        sender: events
            .first()
            .map(|e| e.actor.clone())
            .filter(|a| !a.eq_ignore_ascii_case("firmadesk") && a != "io"),
        protocol: protocol_of(state, &request.id).await?,
        evidence: state.store.evidence(&request.id).await.map_err(store_error)?,
        body,
        signed,
        verifications,
        audit_pdf,
        retention_years: crate::requests::stored_document_type(state, &request.document_type)
            .await?
            .and_then(|t| t.retention_years),
        request,
    })
}

/// A package's file name: its protocol number when it has one, else the request's id.
pub(crate) fn package_stem(parts: &Parts) -> String {
    let id = parts.request.id.as_str();
    match parts.protocol.as_ref().and_then(|p| non_empty(&p.number)) {
        Some(number) => firmadesk_engine::archive::sanitize_component(&format!("pacchetto-prot-{number}-{id}")),
        None => firmadesk_engine::archive::sanitize_component(&format!("pacchetto-{id}")),
    }
}

/// "Pacchetto per la conservazione": the package of each given signed request, in the archive's
/// `Esportazioni` folder — for one request its ZIP, for several a folder `pacchetti-<time>` with one ZIP per
/// request and `indice.csv`. Requests not signed and archived are refused, naming the first.
pub async fn export_packages(state: &Desk, ids: &[LocalId]) -> Result<Exported, UiError> {
    require_login(state).await?;
    if ids.is_empty() {
        return Err(UiError::new(
            Code::ExportEmpty,
            "Nessuna richiesta firmata selezionata: selezionarne almeno una.",
        ));
    }
    // A request selected twice is packed once.
    let mut unique: Vec<&LocalId> = Vec::with_capacity(ids.len());
    for id in ids {
        if !unique.contains(&id) {
            unique.push(id);
        }
    }
    let mut all = Vec::with_capacity(unique.len());
    for id in unique {
        all.push(parts_of(state, id).await?);
    }
    let (target, count) = if let [only] = &all[..] {
        let path = crate::archive::export_path_named(state, &package_stem(only), "zip")?;
        (path, 1)
    } else {
        (crate::archive::export_path_named(state, "pacchetti", "")?, all.len())
    };
    let out = target.clone();
    tokio::task::spawn_blocking(move || -> Result<(), UiError> {
        if all.len() == 1 {
            let files = package_files(&all[0]).map_err(write_failed)?;
            return write_zip(&out, &files);
        }
        crate::private::create_dir(&out).map_err(write_failed)?;
        let mut index = csv::WriterBuilder::new().delimiter(b';').from_writer(Vec::new());
        index
            .write_record([
                "Pacchetto",
                "SHA-256 del pacchetto",
                "Numero di protocollo",
                "Titolo",
                "Firmatario",
                "Codice fiscale",
                "ID Firma con IO",
                "Verifica firma",
            ])
            .map_err(write_failed)?;
        for parts in &all {
            let files = package_files(parts).map_err(write_failed)?;
            let name = format!("{}.zip", package_stem(parts));
            let path = out.join(&name);
            write_zip(&path, &files)?;
            let sha = firmadesk_engine::archive::sha256_file(&path).map_err(write_failed)?;
            let verdicts = parts
                .verifications
                .iter()
                .map(|k| firmadesk_engine::verification::verdict_name(k.checked.verdict));
            let verdict = crate::verify::summary(Locale::It, verdicts)
                .map(|s| s.text)
                .unwrap_or_default();
            let r = &parts.request;
            index
                .write_record([
                    name.as_str(),
                    sha.as_str(),
                    parts.protocol.as_ref().map_or("", |p| p.number.as_str()),
                    r.title.as_str(),
                    r.signer_name.as_str(),
                    r.fiscal_code.as_str(),
                    r.io_request_id.as_ref().map_or("", |i| i.as_str()),
                    verdict.as_str(),
                ])
                .map_err(write_failed)?;
        }
        let bytes = index.into_inner().map_err(write_failed)?;
        let mut file = crate::private::create_file(&out.join("indice.csv")).map_err(write_failed)?;
        file.write_all(&bytes).map_err(write_failed)?;
        file.sync_all().map_err(write_failed)
    })
    .await
    .map_err(write_failed)??;
    Ok(Exported {
        path: target.display().to_string(),
        count,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> time::Date {
        time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).unwrap()
    }

    #[test]
    fn the_form_is_trimmed_bounded_and_its_date_real() {
        let today = day("2026-12-05");
        let ok = checked(
            &ProtocolInput {
                number: "  0012345 ".into(),
                date: Some("2026-12-04".into()),
                register: " Protocollo generale".into(),
                ..Default::default()
            },
            today,
        )
        .unwrap();
        assert_eq!(
            (ok.number.as_str(), ok.register.as_str()),
            ("0012345", "Protocollo generale")
        );
        assert_eq!(ok.date.as_deref(), Some("2026-12-04"));
        let blank = checked(
            &ProtocolInput {
                date: Some(" ".into()),
                ..Default::default()
            },
            today,
        )
        .unwrap();
        assert_eq!(blank.date, None);
        for (date, code) in [
            ("2026-02-30", Code::ProtocolInvalidDate),
            ("04/12/2026", Code::ProtocolInvalidDate),
            ("2026-12-06", Code::ProtocolInvalidDate),
        ] {
            let e = checked(
                &ProtocolInput {
                    date: Some(date.into()),
                    ..Default::default()
                },
                today,
            )
            .unwrap_err();
            assert_eq!(e.code, code, "{date}");
        }
        let long = checked(
            &ProtocolInput {
                number: "1".repeat(MAX_NUMBER + 1),
                ..Default::default()
            },
            today,
        )
        .unwrap_err();
        assert_eq!(long.code, Code::ProtocolInvalidText);
        assert!(long.message.contains("«Numero»"), "{}", long.message);
        let control = checked(
            &ProtocolInput {
                fascicolo: "a\nb".into(),
                ..Default::default()
            },
            today,
        )
        .unwrap_err();
        assert!(control.message.contains("«Fascicolo»"), "{}", control.message);
    }

    #[test]
    fn registration_is_empty_without_a_number_and_a_repertorio_is_a_register() {
        assert_eq!(registration(None).tipo_registro, "Nessuno");
        let mut p = Protocol {
            number: " ".into(),
            register: "Protocollo generale".into(),
            ..Default::default()
        };
        let none = registration(Some(&p));
        assert_eq!(
            (none.tipo_registro.as_str(), none.numero_registrazione),
            ("Nessuno", None)
        );
        p.number = "12".into();
        assert_eq!(
            registration(Some(&p)).tipo_registro,
            "Protocollo Ordinario/Protocollo Emergenza"
        );
        p.register = "Repertorio dei contratti".into();
        let reg = registration(Some(&p));
        assert_eq!(reg.tipo_registro, "Repertorio/Registro");
        assert_eq!(reg.codice_registro.as_deref(), Some("Repertorio dei contratti"));
    }

    #[test]
    fn the_timeline_names_what_was_typed() {
        let args: BTreeMap<String, String> = [
            ("number", "0012345"),
            ("date", "2026-12-04"),
            ("register", ""),
            ("classification", "6.3"),
            ("fascicolo", ""),
            ("reserved", "true"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let it = protocol_summary(Locale::It, &args);
        assert!(
            it.contains("0012345") && it.contains("04/12/2026") && it.contains("6.3"),
            "{it}"
        );
        assert!(it.contains("Riservato"), "{it}");
        let en = protocol_summary(Locale::En, &args);
        assert!(en.contains("Confidential"), "{en}");
        assert_ne!(protocol_summary(Locale::It, &BTreeMap::new()), it);
    }
}
