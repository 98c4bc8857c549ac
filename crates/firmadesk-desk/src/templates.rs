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
    /// The document's title (3 to 60 characters).
    pub title: String,
    /// The pages of the sample it was drawn on.
    pub pages: Vec<SamplePage>,
    /// Its signature fields, on those pages.
    pub fields: Vec<DraftField>,
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
        for d in &self.documents {
            let len = d.title.trim().encode_utf16().count();
            if !(3..=60).contains(&len) {
                return Err(bad(format!(
                    "Il titolo del documento «{}» deve avere da 3 a 60 caratteri.",
                    d.title.trim()
                )));
            }
            if d.pages.is_empty() || d.pages.iter().any(|p| !(p.width > 0.0 && p.height > 0.0)) {
                return Err(bad(format!("Il documento «{}» non ha pagine valide.", d.title.trim())));
            }
            if d.fields.is_empty() || d.fields.len() > MAX_FIELDS {
                return Err(bad(format!(
                    "Il documento «{}» deve avere da 1 a {MAX_FIELDS} campi di firma.",
                    d.title.trim()
                )));
            }
            for f in &d.fields {
                let Some(page) = d.pages.get(f.page as usize) else {
                    return Err(bad(format!(
                        "Un campo di «{}» è su una pagina che non esiste.",
                        d.title.trim()
                    )));
                };
                let inside = f.x >= 0.0
                    && f.y >= 0.0
                    && f.w > 0.0
                    && f.h > 0.0
                    && f.x + f.w <= page.width + 0.01
                    && f.y + f.h <= page.height + 0.01;
                if !inside {
                    return Err(bad(format!("Un campo di «{}» esce dalla pagina.", d.title.trim())));
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
    for d in &mut template.documents {
        d.title = d.title.trim().to_owned();
        for f in &mut d.fields {
            f.clause_title = f.clause_title.trim().to_owned();
        }
    }
    let json =
        serde_json::to_string(&template).map_err(|e| UiError::new(Code::DoctypeInvalidTemplate, e.to_string()))?;
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
    }
    for t in &file.types {
        let json = match &t.template {
            Some(template) => serde_json::to_string(template).map_err(|e| bad(e.to_string()))?,
            None => "[]".to_owned(),
        };
        state
            .store
            .upsert_document_type(t.name.trim(), t.dossier_title.trim(), t.support_email.as_deref(), &json)
            .await
            .map_err(store_error)?;
    }
    tracing::info!(types = file.types.len(), "templates imported");
    Ok(Shared {
        path: String::new(),
        count: file.types.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
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
}
