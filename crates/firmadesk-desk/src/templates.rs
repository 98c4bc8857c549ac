//! Document types that carry their work: a type's template is its documents (titles) and, per document,
//! the signature fields with their clause, placed on a sample page of the size and page count the template
//! was drawn on. "Salva come modello" keeps the form's documents and fields on the type; a PDF dropped for
//! that type gets them back (the form tells which fields moved or do not fit a PDF of another shape).
//!
//! Kept in the document type's `template_json` (`[]`: no template, as every type had before).

use crate::requests::DraftField;
use crate::{store_error, Code, Desk, UiError};
use serde::{Deserialize, Serialize};

/// Most documents a template holds (the service's own limit on a request's documents is higher; a
/// template is a starting point).
pub const MAX_DOCUMENTS: usize = 10;
/// Most fields per document.
pub const MAX_FIELDS: usize = 20;

/// A page of the sample a template was drawn on (points).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SamplePage {
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

/// One document of a template.
#[derive(Debug, Serialize, Deserialize)]
pub struct TemplateDocument {
    /// The document's title (3 to 60 characters); empty: the one the file's name gives.
    pub title: String,
    /// The pages of the sample it was drawn on.
    pub pages: Vec<SamplePage>,
    /// Its signature fields, on those pages.
    pub fields: Vec<DraftField>,
    /// The sample's pages are the document's last ones (signatures at the end of a document of any
    /// length): a field on the sample's last page goes on the PDF's last page.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub from_end: bool,
}

/// A document type's template.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Template {
    /// Its documents, in order: the first PDF dropped for the type gets the first.
    pub documents: Vec<TemplateDocument>,
}

impl Template {
    /// The template kept in a type's `template_json` (`[]`, empty or unreadable: none).
    pub fn from_json(json: &str) -> Option<Template> {
        serde_json::from_str::<Template>(json)
            .ok()
            .filter(|t| !t.documents.is_empty())
    }

    /// Checks what the form sent, in Italian: titles, clause types and titles, pages, fields inside them.
    pub fn check(&self) -> Result<(), UiError> {
        let bad = |message: String| UiError::new(Code::DoctypeInvalidTemplate, message);
        if self.documents.is_empty() || self.documents.len() > MAX_DOCUMENTS {
            return Err(bad(format!("Un modello ha da 1 a {MAX_DOCUMENTS} documenti.")));
        }
        for (n, d) in self.documents.iter().enumerate() {
            let label = match d.title.trim() {
                "" => format!("documento {}", n + 1),
                title => title.to_owned(),
            };
            let len = d.title.trim().encode_utf16().count();
            if len != 0 && !(3..=60).contains(&len) {
                return Err(bad(format!(
                    "Il titolo del documento «{label}» deve avere da 3 a 60 caratteri."
                )));
            }
            if d.pages.is_empty() || d.pages.iter().any(|p| !(p.width > 0.0 && p.height > 0.0)) {
                return Err(bad(format!("Il documento «{label}» non ha pagine valide.")));
            }
            if d.fields.is_empty() || d.fields.len() > MAX_FIELDS {
                return Err(bad(format!(
                    "Il documento «{label}» deve avere da 1 a {MAX_FIELDS} campi di firma."
                )));
            }
            for f in &d.fields {
                let Some(page) = d.pages.get(f.page as usize) else {
                    return Err(bad(format!("Un campo di «{label}» è su una pagina che non esiste.")));
                };
                let inside = f.x >= 0.0
                    && f.y >= 0.0
                    && f.w > 0.0
                    && f.h > 0.0
                    && f.x + f.w <= page.width + 0.01
                    && f.y + f.h <= page.height + 0.01;
                if !inside {
                    return Err(bad(format!("Un campo di «{label}» esce dalla pagina.")));
                }
                if !matches!(f.clause_type.as_str(), "REQUIRED" | "UNFAIR" | "OPTIONAL") {
                    return Err(bad(
                        "Tipo di clausola non valido: obbligatoria, vessatoria o facoltativa.".into(),
                    ));
                }
                let title = f.clause_title.trim().chars().count();
                if !(5..=80).contains(&title) {
                    return Err(bad("Il titolo di ogni clausola deve avere da 5 a 80 caratteri.".into()));
                }
            }
        }
        Ok(())
    }
}

/// Keeps `template` on the document type `name` (administrators only), its title and support email as
/// they are; returns the types as the form lists them.
pub async fn save_template(
    state: &Desk,
    name: String,
    template: Template,
) -> Result<Vec<crate::requests::DocTypeView>, UiError> {
    crate::roles::require_admin(state).await?;
    template.check()?;
    let existing = crate::requests::stored_document_type(state, &name)
        .await?
        .ok_or_else(|| UiError::new(Code::RequestUnknownDocumentType, "Scegliere un tipo di documento."))?;
    let mut template = template;
    tidy(&mut template);
    let json = stored(Some(&template))?;
    state
        .store
        .upsert_document_type(
            &existing.name,
            &existing.dossier_title,
            existing.support_email.as_deref(),
            &json,
        )
        .await
        .map_err(store_error)?;
    tracing::info!(document_type = %existing.name, documents = template.documents.len(), "template saved");
    crate::requests::document_types(state).await
}

/// What a type whose template was taken away keeps: no template, and not the `[]` of a type that never
/// had one (which a built-in type's name fills with its default template, see [`fill_builtin`]).
pub(crate) const NO_TEMPLATE: &str = r#"{"documents":[]}"#;

/// A template as the store keeps it.
fn stored(template: Option<&Template>) -> Result<String, UiError> {
    match template {
        Some(t) => serde_json::to_string(t).map_err(|e| UiError::new(Code::DoctypeInvalidTemplate, e.to_string())),
        None => Ok(NO_TEMPLATE.to_owned()),
    }
}

/// A document type as the editor in Impostazioni saves it, whole.
#[derive(Debug, Deserialize)]
pub struct TypeEdit {
    /// Its name (the key: requests carry it).
    name: String,
    /// The IO dossier's title.
    dossier_title: String,
    /// Its own support email; empty: the profile's.
    #[serde(default)]
    support_email: String,
    /// Its template; none: the clerk places the fields on every request.
    #[serde(default)]
    template: Option<Template>,
    /// How many years the records office keeps its documents (issue #14); none: the records office decides.
    #[serde(default)]
    retention_years: Option<u32>,
    /// A new type: refused if one of that name exists (the editor never overwrites another type).
    #[serde(default)]
    new: bool,
}

/// Saves a document type from the editor (administrators only): title, support email, template. A change of
/// title or support email gives the type a new IO dossier at its next send; the requests sent keep theirs.
pub async fn edit_document_type(state: &Desk, edit: TypeEdit) -> Result<Vec<crate::requests::DocTypeView>, UiError> {
    crate::roles::require_admin(state).await?;
    let name = edit.name.trim();
    let title = edit.dossier_title.trim();
    crate::requests::check_document_type(name, title)?;
    let email = edit.support_email.trim();
    if !email.is_empty() && !crate::profiles::support_email_ok(email) {
        return Err(UiError::new(
            Code::DoctypeInvalidEmail,
            format!("L'email di supporto «{email}» non è un indirizzo valido."),
        ));
    }
    check_retention(edit.retention_years)?;
    let mut template = edit.template;
    if let Some(t) = &mut template {
        t.check()?;
        tidy(t);
    }
    let existing = crate::requests::stored_document_type(state, name).await?;
    if edit.new && existing.is_some() {
        return Err(exists(name));
    }
    state
        .store
        .upsert_document_type(
            name,
            title,
            (!email.is_empty()).then_some(email),
            &stored(template.as_ref())?,
        )
        .await
        .map_err(store_error)?;
    state
        .store
        .set_document_type_retention(name, edit.retention_years)
        .await
        .map_err(store_error)?;
    tracing::info!(document_type = %name, template = template.is_some(), "document type saved");
    crate::requests::document_types(state).await
}

/// A retention period is a whole number of years from 1 to 999 (the packages' schema says so), or none.
fn check_retention(years: Option<u32>) -> Result<(), UiError> {
    match years {
        Some(y) if !(1..=999).contains(&y) => Err(UiError::new(
            Code::DoctypeInvalidRetention,
            format!("Tempo di conservazione non valido ({y} anni): da 1 a 999 anni, o vuoto."),
        )),
        _ => Ok(()),
    }
}

fn exists(name: &str) -> UiError {
    UiError::new(
        Code::DoctypeExists,
        format!("Esiste già un tipo di documento «{name}»: sceglierne un altro nome."),
    )
}

/// Trims what the clerk typed in a template's titles.
fn tidy(template: &mut Template) {
    for d in &mut template.documents {
        d.title = d.title.trim().to_owned();
        for f in &mut d.fields {
            f.clause_title = f.clause_title.trim().to_owned();
        }
    }
}

/// "Duplica": a new type `name` with the title, support email and template of `from`.
pub async fn duplicate_document_type(
    state: &Desk,
    from: String,
    name: String,
) -> Result<Vec<crate::requests::DocTypeView>, UiError> {
    crate::roles::require_admin(state).await?;
    let name = name.trim();
    let source = crate::requests::stored_document_type(state, &from)
        .await?
        .ok_or_else(|| UiError::new(Code::RequestUnknownDocumentType, "Scegliere un tipo di documento."))?;
    crate::requests::check_document_type(name, &source.dossier_title)?;
    if crate::requests::stored_document_type(state, name).await?.is_some() {
        return Err(exists(name));
    }
    state
        .store
        .upsert_document_type(
            name,
            &source.dossier_title,
            source.support_email.as_deref(),
            &source.template_json,
        )
        .await
        .map_err(store_error)?;
    state
        .store
        .set_document_type_retention(name, source.retention_years)
        .await
        .map_err(store_error)?;
    crate::requests::document_types(state).await
}

/// What "Elimina" did.
#[derive(Debug, Serialize)]
pub struct Removed {
    /// Requests were sent with the type: it was archived (no longer offered), not deleted.
    archived: bool,
    /// The types now.
    types: Vec<crate::requests::DocTypeView>,
}

/// "Elimina": a type no request was sent with goes; one in use is archived (its requests keep its name).
pub async fn remove_document_type(state: &Desk, name: String) -> Result<Removed, UiError> {
    crate::roles::require_admin(state).await?;
    let archived = match state.store.delete_document_type(&name).await {
        Ok(()) => false,
        Err(e) if e.kind == firmadesk_store::ErrorKind::Invalid => {
            state
                .store
                .set_document_type_archived(&name, true)
                .await
                .map_err(store_error)?;
            true
        }
        Err(e) => return Err(store_error(e)),
    };
    tracing::info!(document_type = %name, archived, "document type removed");
    Ok(Removed {
        archived,
        types: crate::requests::document_types(state).await?,
    })
}

/// "Ripristina": an archived type is offered for new requests again.
pub async fn restore_document_type(state: &Desk, name: String) -> Result<Vec<crate::requests::DocTypeView>, UiError> {
    crate::roles::require_admin(state).await?;
    state
        .store
        .set_document_type_archived(&name, false)
        .await
        .map_err(store_error)?;
    crate::requests::document_types(state).await
}

// ---- The built-in types ----

/// A4, the sample page of the built-in templates (points).
const A4: SamplePage = SamplePage {
    width: 595.28,
    height: 841.89,
};

/// A field of a built-in template, on the last page (top-left origin, points).
fn builtin_field(x: f64, clause_type: &str, clause_title: &str) -> DraftField {
    DraftField {
        page: 0,
        x,
        y: 720.0,
        w: 200.0,
        h: 60.0,
        clause_type: clause_type.to_owned(),
        clause_title: clause_title.to_owned(),
    }
}

/// The template a built-in type starts with: one document (titled from its file), its fields at the foot
/// of the last page, whatever the document's length: the signer's on the right, a second clause on the
/// left where the type has one.
pub(crate) fn builtin(name: &str) -> Option<Template> {
    const RIGHT: f64 = 345.0;
    const LEFT: f64 = 50.0;
    let fields = match name {
        "Accordo" => vec![builtin_field(RIGHT, "REQUIRED", "Firma per accettazione dell'accordo")],
        "Contratto" => vec![
            builtin_field(RIGHT, "REQUIRED", "Firma del contraente"),
            builtin_field(
                LEFT,
                "UNFAIR",
                "Approvazione specifica delle clausole (artt. 1341 e 1342 c.c.)",
            ),
        ],
        "Convenzione" => vec![builtin_field(
            RIGHT,
            "REQUIRED",
            "Firma per la controparte della convenzione",
        )],
        "Modulo di consenso" => vec![
            builtin_field(RIGHT, "REQUIRED", "Firma del dichiarante"),
            builtin_field(LEFT, "OPTIONAL", "Consenso facoltativo alle comunicazioni informative"),
        ],
        _ => return None,
    };
    Some(Template {
        documents: vec![TemplateDocument {
            title: String::new(),
            pages: vec![A4],
            fields,
            from_end: true,
        }],
    })
}

/// The template a type is stored with: a built-in type that never had one (`[]`, as every type had before
/// templates) gets its default; a type whose template was taken away keeps none.
pub(crate) fn fill_builtin(name: &str, template_json: &str) -> Option<String> {
    if template_json.trim() != "[]" {
        return None;
    }
    builtin(name).and_then(|t| serde_json::to_string(&t).ok())
}

/// What a templates file says it is.
const FORMAT: &str = "firmadesk-modelli";
/// Largest templates file read.
pub const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;

/// A document type as a templates file carries it.
#[derive(Debug, Serialize, Deserialize)]
pub struct SharedType {
    /// Its name ("Accordo").
    pub name: String,
    /// The IO dossier's title.
    pub dossier_title: String,
    /// Its own support email, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support_email: Option<String>,
    /// Its template, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<Template>,
    /// How many years the records office keeps its documents, if set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_years: Option<u32>,
}

/// The file bodies share templates with: IT prepares it once, offices import it.
#[derive(Debug, Serialize, Deserialize)]
pub struct TemplatesFile {
    /// Always `firmadesk-modelli`.
    pub format: String,
    /// Always 1.
    pub version: u32,
    /// The document types.
    pub types: Vec<SharedType>,
}

/// Where the templates went, or how many came in.
#[derive(Debug, Serialize)]
pub struct Shared {
    /// The file written (export), empty on import.
    path: String,
    /// Document types in it.
    count: usize,
}

/// Writes every document type with its template into a JSON file in the archive's "Esportazioni" folder.
pub async fn export_templates(state: &Desk) -> Result<Shared, UiError> {
    crate::session::require_login(state).await?;
    let types: Vec<SharedType> = state
        .store
        .document_types()
        .await
        .map_err(store_error)?
        .into_iter()
        .map(|t| SharedType {
            template: Template::from_json(&t.template_json),
            name: t.name,
            dossier_title: t.dossier_title,
            support_email: t.support_email,
            retention_years: t.retention_years,
        })
        .collect();
    let file = TemplatesFile {
        format: FORMAT.into(),
        version: 1,
        types,
    };
    let json = serde_json::to_vec_pretty(&file).map_err(|e| UiError::new(Code::ExportWriteFailed, e.to_string()))?;
    let path = crate::archive::export_path_named(state, "modelli", "json")?;
    crate::private::write_file(&path, &json).map_err(|e| {
        UiError::new(
            Code::ExportWriteFailed,
            "Impossibile scrivere il file dei modelli: verificare lo spazio su disco e i permessi.",
        )
        .with_detail(e)
    })?;
    Ok(Shared {
        path: path.display().to_string(),
        count: file.types.len(),
    })
}

/// Reads a templates file (administrators only): every type is checked first, then all are kept
/// (a type of the same name is replaced); one bad type and nothing changes.
pub async fn import_templates(state: &Desk, text: String) -> Result<Shared, UiError> {
    crate::roles::require_admin(state).await?;
    let bad = |message: String| UiError::new(Code::DoctypeInvalidTemplate, message);
    if text.len() > MAX_FILE_BYTES {
        return Err(bad("Il file dei modelli è troppo grande (al massimo 2 MB).".into()));
    }
    let file: TemplatesFile =
        serde_json::from_str(&text).map_err(|e| bad(format!("Il file non è un file di modelli di FirmaDesk: {e}")))?;
    if file.format != FORMAT || file.version != 1 {
        return Err(bad(
            "Il file non è un file di modelli di FirmaDesk (formato o versione sconosciuti).".into(),
        ));
    }
    for t in &file.types {
        let name = t.name.trim();
        // The form's own rules, said of the file's type (the file is at fault, not the form).
        crate::requests::check_document_type(name, t.dossier_title.trim())
            .map_err(|e| bad(format!("Tipo di documento «{name}»: {}", e.message)))?;
        if let Some(email) = &t.support_email {
            // What IO accepts, else every send of the type would be refused when its dossier is made.
            if !crate::profiles::support_email_ok(email) {
                return Err(bad(format!(
                    "L'email di supporto del tipo «{name}» non è un indirizzo valido."
                )));
            }
        }
        if let Some(template) = &t.template {
            template.check()?;
        }
        check_retention(t.retention_years).map_err(|e| bad(format!("Tipo di documento «{name}»: {}", e.message)))?;
    }
    for t in &file.types {
        let json = match &t.template {
            Some(template) => serde_json::to_string(template).map_err(|e| bad(e.to_string()))?,
            // The file says the type has none: not `[]`, which a built-in type's name would fill.
            None => NO_TEMPLATE.to_owned(),
        };
        state
            .store
            .upsert_document_type(t.name.trim(), t.dossier_title.trim(), t.support_email.as_deref(), &json)
            .await
            .map_err(store_error)?;
        state
            .store
            .set_document_type_retention(t.name.trim(), t.retention_years)
            .await
            .map_err(store_error)?;
    }
    tracing::info!(types = file.types.len(), "templates imported");
    Ok(Shared {
        path: String::new(),
        count: file.types.len(),
    })
}

/// The last whole point strictly inside `limit` (the service wants a created field strictly inside the page).
fn last_inside(limit: f64) -> f64 {
    limit.ceil() - 1.0
}

/// The nearest box in whole points the service accepts on a page of `width` × `height`: size first (at
/// least 1 pt, at most the page), then position — the rule the form applies to a field it places.
fn clamp_box(f: &DraftField, width: f64, height: f64) -> (f64, f64, f64, f64) {
    let clamp = |v: f64, lo: f64, hi: f64| if v.is_finite() { v.round().clamp(lo, hi) } else { lo };
    let (right, bottom) = (last_inside(width), last_inside(height));
    let w = clamp(f.w, 1.0_f64.min(right), right);
    let h = clamp(f.h, 1.0_f64.min(bottom), bottom);
    (clamp(f.x, 0.0, right - w), clamp(f.y, 0.0, bottom - h), w, h)
}

impl TemplateDocument {
    /// This document's fields placed on a PDF whose pages are `pages` (width, height in points), as the
    /// form places them when a PDF is dropped for the type: on the same page (counted from the end when
    /// `from_end`), moved inside the page when they no longer fit; a field on a page the PDF lacks is left
    /// out.
    pub fn place_on(&self, pages: &[(f64, f64)]) -> Vec<DraftField> {
        let shift = if self.from_end {
            pages.len() as i64 - self.pages.len() as i64
        } else {
            0
        };
        self.fields
            .iter()
            .filter_map(|f| {
                let at = usize::try_from(i64::from(f.page) + shift).ok()?;
                let &(width, height) = pages.get(at)?;
                let (x, y, w, h) = clamp_box(f, width, height);
                Some(DraftField {
                    page: u32::try_from(at).ok()?,
                    x,
                    y,
                    w,
                    h,
                    clause_type: f.clause_type.clone(),
                    clause_title: f.clause_title.clone(),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(page: u32, x: f64, y: f64, w: f64, h: f64) -> DraftField {
        DraftField {
            page,
            x,
            y,
            w,
            h,
            clause_type: "REQUIRED".into(),
            clause_title: "Firma del dichiarante".into(),
        }
    }

    /// A template's fields go where the form puts them: on the same page, or counted from the end; moved
    /// inside a smaller page (strictly inside, whole points); left out when the PDF lacks the page.
    #[test]
    fn a_template_is_placed_on_a_pdf_as_the_form_places_it() {
        const A4: (f64, f64) = (595.28, 841.89);
        let tdoc = TemplateDocument {
            title: String::new(),
            pages: vec![
                SamplePage {
                    width: A4.0,
                    height: A4.1
                };
                2
            ],
            fields: vec![field(0, 72.0, 100.0, 160.0, 50.0), field(1, 500.0, 800.0, 150.0, 60.0)],
            from_end: false,
        };
        let placed = tdoc.place_on(&[A4, A4, A4]);
        assert_eq!(placed.len(), 2);
        assert_eq!(
            (placed[0].page, placed[0].x, placed[0].y, placed[0].w, placed[0].h),
            (0, 72.0, 100.0, 160.0, 50.0)
        );
        // 500 + 150 leaves the page: moved left to the last whole point inside (595 - 150), and up.
        assert_eq!((placed[1].page, placed[1].x, placed[1].y), (1, 445.0, 781.0));
        // One page only: the second field has nowhere to go.
        assert_eq!(tdoc.place_on(&[A4]).len(), 1);
        // From the end: the sample's two pages are the PDF's last two.
        let from_end = TemplateDocument { from_end: true, ..tdoc };
        let placed = from_end.place_on(&[A4, A4, A4, A4]);
        assert_eq!(placed.iter().map(|f| f.page).collect::<Vec<_>>(), [2, 3]);
        assert_eq!(from_end.place_on(&[A4]).iter().map(|f| f.page).collect::<Vec<_>>(), [0]);
    }
    use crate::testing::{clock, test_desk};

    fn template(json: serde_json::Value) -> Template {
        serde_json::from_value(json).unwrap()
    }

    fn one_field(page: u32, x: f64) -> serde_json::Value {
        serde_json::json!({ "documents": [{
            "title": "Accordo", "pages": [{ "width": 595.0, "height": 842.0 }],
            "fields": [{ "page": page, "x": x, "y": 700.0, "w": 150.0, "h": 50.0,
                         "clause_type": "REQUIRED", "clause_title": "Firma per accettazione" }]
        }]})
    }

    #[tokio::test]
    async fn a_template_is_kept_on_its_type_and_a_new_title_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        let desk = test_desk(dir.path(), clock());
        let types = save_template(&desk, "Accordo".into(), template(one_field(0, 100.0)))
            .await
            .unwrap();
        let accordo = serde_json::to_value(&types).unwrap();
        let accordo = accordo
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == "Accordo")
            .unwrap()
            .clone();
        assert_eq!(
            accordo["template"]["documents"][0]["fields"][0]["x"], 100.0,
            "{accordo}"
        );
        // Renaming the dossier keeps the template.
        let view =
            serde_json::from_value(serde_json::json!({ "name": "Accordo", "dossier_title": "Accordo 2027" })).unwrap();
        let types = serde_json::to_value(crate::requests::save_document_type(&desk, view).await.unwrap()).unwrap();
        let accordo = types
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == "Accordo")
            .unwrap();
        assert_eq!(accordo["dossier_title"], "Accordo 2027");
        assert_eq!(accordo["template"]["documents"][0]["title"], "Accordo", "{accordo}");
    }

    #[tokio::test]
    async fn a_template_with_a_field_off_its_page_or_for_an_unknown_type_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let desk = test_desk(dir.path(), clock());
        for bad in [one_field(1, 100.0), one_field(0, 500.0)] {
            let e = save_template(&desk, "Accordo".into(), template(bad)).await.unwrap_err();
            assert_eq!(e.code, Code::DoctypeInvalidTemplate, "{}", e.message);
        }
        let e = save_template(&desk, "Ignoto".into(), template(one_field(0, 100.0)))
            .await
            .unwrap_err();
        assert_eq!(e.code, Code::RequestUnknownDocumentType);
        assert!(Template::from_json("[]").is_none(), "what every type had before");
    }

    #[tokio::test]
    async fn templates_go_from_one_office_to_another_through_their_file() {
        let it = tempfile::tempdir().unwrap();
        let it_desk = test_desk(it.path(), clock());
        it_desk.settings.lock().unwrap().archive_dir = Some(it.path().join("archivio"));
        save_template(&it_desk, "Accordo".into(), template(one_field(0, 100.0)))
            .await
            .unwrap();
        let exported = serde_json::to_value(export_templates(&it_desk).await.unwrap()).unwrap();
        let text = std::fs::read_to_string(exported["path"].as_str().unwrap()).unwrap();
        assert!(exported["count"].as_u64().unwrap() >= 4, "{exported}");

        let office = tempfile::tempdir().unwrap();
        let office_desk = test_desk(office.path(), clock());
        let imported = serde_json::to_value(import_templates(&office_desk, text.clone()).await.unwrap()).unwrap();
        assert_eq!(imported["count"], exported["count"]);
        let types = office_desk.store.document_types().await.unwrap();
        let accordo = types.iter().find(|t| t.name == "Accordo").unwrap();
        let kept = Template::from_json(&accordo.template_json).unwrap();
        assert_eq!(kept.documents[0].fields[0].x, 100.0);

        // One bad type: nothing changes.
        let mut file: serde_json::Value = serde_json::from_str(&text).unwrap();
        file["types"][0]["dossier_title"] = "x".into();
        file["types"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({ "name": "Nuovo", "dossier_title": "Nuovo tipo" }));
        let e = import_templates(&office_desk, file.to_string()).await.unwrap_err();
        assert_eq!(e.code, Code::DoctypeInvalidTemplate, "{}", e.message);
        assert!(!office_desk
            .store
            .document_types()
            .await
            .unwrap()
            .iter()
            .any(|t| t.name == "Nuovo"));
        let e = import_templates(
            &office_desk,
            "{\"format\": \"altro\", \"version\": 1, \"types\": []}".into(),
        )
        .await
        .unwrap_err();
        assert_eq!(e.code, Code::DoctypeInvalidTemplate);
    }

    /// Issue #14: a type's retention period (the package's TempoDiConservazione) is saved from the editor,
    /// refused outside 1..=999 years, kept when the type is duplicated, and goes from office to office in the
    /// templates file.
    #[tokio::test]
    async fn a_types_retention_period_is_saved_checked_copied_and_shared() {
        let dir = tempfile::tempdir().unwrap();
        let desk = test_desk(dir.path(), clock());
        desk.settings.lock().unwrap().archive_dir = Some(dir.path().join("archivio"));
        let edit = |years: serde_json::Value| -> TypeEdit {
            serde_json::from_value(serde_json::json!({
                "name": "Accordo", "dossier_title": "Accordo", "retention_years": years
            }))
            .unwrap()
        };
        for wrong in [0, 1000] {
            let e = edit_document_type(&desk, edit(wrong.into())).await.unwrap_err();
            assert_eq!(e.code, Code::DoctypeInvalidRetention, "{wrong}");
        }
        let types = types_json(&edit_document_type(&desk, edit(10.into())).await.unwrap());
        assert_eq!(named(&types, "Accordo").unwrap()["retention_years"], 10);
        let types = types_json(
            &duplicate_document_type(&desk, "Accordo".into(), "Accordo quadro".into())
                .await
                .unwrap(),
        );
        assert_eq!(named(&types, "Accordo quadro").unwrap()["retention_years"], 10);

        let exported = serde_json::to_value(export_templates(&desk).await.unwrap()).unwrap();
        let text = std::fs::read_to_string(exported["path"].as_str().unwrap()).unwrap();
        let office = tempfile::tempdir().unwrap();
        let office_desk = test_desk(office.path(), clock());
        import_templates(&office_desk, text.clone()).await.unwrap();
        let kept = office_desk.store.document_types().await.unwrap();
        assert_eq!(
            kept.iter().find(|t| t.name == "Accordo").unwrap().retention_years,
            Some(10)
        );
        // A file with an impossible period changes nothing.
        let mut file: serde_json::Value = serde_json::from_str(&text).unwrap();
        file["types"][0]["retention_years"] = 0.into();
        let e = import_templates(&office_desk, file.to_string()).await.unwrap_err();
        assert_eq!(e.code, Code::DoctypeInvalidTemplate, "{}", e.message);

        // Emptied in the editor: unset again.
        let types = types_json(&edit_document_type(&desk, edit(serde_json::Value::Null)).await.unwrap());
        assert_eq!(
            named(&types, "Accordo").unwrap()["retention_years"],
            serde_json::Value::Null
        );
    }

    fn types_json(types: &[crate::requests::DocTypeView]) -> Vec<serde_json::Value> {
        serde_json::to_value(types).unwrap().as_array().unwrap().clone()
    }

    fn named<'a>(types: &'a [serde_json::Value], name: &str) -> Option<&'a serde_json::Value> {
        types.iter().find(|t| t["name"] == name)
    }

    #[tokio::test]
    async fn the_built_in_types_carry_their_templates_and_an_older_store_gets_them_once() {
        let dir = tempfile::tempdir().unwrap();
        let desk = test_desk(dir.path(), clock());
        let types = types_json(&crate::requests::document_types(&desk).await.unwrap());
        for name in ["Accordo", "Contratto", "Convenzione", "Modulo di consenso"] {
            let t = named(&types, name).unwrap();
            let template: Template = serde_json::from_value(t["template"].clone()).unwrap();
            template.check().unwrap();
            let doc = &template.documents[0];
            assert!(doc.from_end, "{name}: signed at the end, whatever the length");
            assert_eq!(doc.fields[0].clause_type, "REQUIRED", "{name}");
        }
        let contratto = &named(&types, "Contratto").unwrap()["template"]["documents"][0]["fields"];
        assert_eq!(contratto[1]["clause_type"], "UNFAIR", "{contratto}");

        // A store from before templates: its built-in types had `[]`, one has a support email of its own;
        // an office's removal of a template (NO_TEMPLATE) is kept.
        for (name, email, json) in [
            ("Accordo", Some("urp@comune.example"), "[]"),
            ("Contratto", None, NO_TEMPLATE),
            ("Delibera", None, "[]"),
        ] {
            desk.store
                .upsert_document_type(name, &format!("{name} del Comune"), email, json)
                .await
                .unwrap();
        }
        drop(desk);
        let desk = test_desk(dir.path(), clock());
        let stored = desk.store.document_types().await.unwrap();
        let get = |name: &str| stored.iter().find(|t| t.name == name).unwrap();
        let accordo = get("Accordo");
        assert!(Template::from_json(&accordo.template_json).is_some(), "filled");
        assert_eq!(accordo.dossier_title, "Accordo del Comune", "its title kept");
        assert_eq!(accordo.support_email.as_deref(), Some("urp@comune.example"));
        assert!(
            Template::from_json(&get("Contratto").template_json).is_none(),
            "taken away, stays so"
        );
        assert_eq!(get("Delibera").template_json, "[]", "not a built-in type");
    }

    #[tokio::test]
    async fn the_editor_saves_creates_duplicates_archives_and_deletes_types() {
        let dir = tempfile::tempdir().unwrap();
        let desk = test_desk(dir.path(), clock());
        let edit = |json: serde_json::Value| -> TypeEdit { serde_json::from_value(json).unwrap() };
        let types = edit_document_type(
            &desk,
            edit(serde_json::json!({
                "name": " Delibera ", "dossier_title": "Delibere di giunta", "support_email": "giunta@comune.example",
                "template": one_field(0, 100.0), "new": true
            })),
        )
        .await
        .unwrap();
        let types = types_json(&types);
        let delibera = named(&types, "Delibera").unwrap();
        assert_eq!(delibera["support_email"], "giunta@comune.example");
        assert_eq!(delibera["template"]["documents"][0]["fields"][0]["x"], 100.0);

        let again = edit_document_type(
            &desk,
            edit(serde_json::json!({ "name": "Delibera", "dossier_title": "Altro", "new": true })),
        )
        .await
        .unwrap_err();
        assert_eq!(again.code, Code::DoctypeExists, "a new type never overwrites another");
        let bad = edit_document_type(
            &desk,
            edit(serde_json::json!({ "name": "Delibera", "dossier_title": "Delibere", "support_email": "giunta@" })),
        )
        .await
        .unwrap_err();
        assert_eq!(bad.code, Code::DoctypeInvalidEmail);

        // Its template taken away, the profile's support email again.
        let types = types_json(
            &edit_document_type(
                &desk,
                edit(serde_json::json!({ "name": "Delibera", "dossier_title": "Delibere di giunta" })),
            )
            .await
            .unwrap(),
        );
        let delibera = named(&types, "Delibera").unwrap();
        assert!(
            delibera.get("template").is_none() && delibera["support_email"].is_null(),
            "{delibera}"
        );

        let types = types_json(
            &duplicate_document_type(&desk, "Contratto".into(), "Contratto di servizio".into())
                .await
                .unwrap(),
        );
        assert_eq!(
            named(&types, "Contratto di servizio").unwrap()["template"],
            named(&types, "Contratto").unwrap()["template"]
        );
        let taken = duplicate_document_type(&desk, "Accordo".into(), "Contratto".into())
            .await
            .unwrap_err();
        assert_eq!(taken.code, Code::DoctypeExists);

        // Unused: deleted. Sent with: archived, listed as such, and brought back.
        let removed = serde_json::to_value(remove_document_type(&desk, "Delibera".into()).await.unwrap()).unwrap();
        assert_eq!(removed["archived"], false);
        assert!(named(removed["types"].as_array().unwrap(), "Delibera").is_none());
        crate::testing::request(&desk, "r1", crate::SANDBOX_PROFILE, "Mario Rossi").await; // an "Accordo"
        let removed = serde_json::to_value(remove_document_type(&desk, "Accordo".into()).await.unwrap()).unwrap();
        assert_eq!(removed["archived"], true);
        assert_eq!(
            named(removed["types"].as_array().unwrap(), "Accordo").unwrap()["archived"],
            true
        );
        let types = types_json(&restore_document_type(&desk, "Accordo".into()).await.unwrap());
        assert_eq!(named(&types, "Accordo").unwrap()["archived"], false);
    }
}
