//! Request body decoding with the service's rules (its io-ts codecs), not the client's types: the
//! sandbox must accept what the service accepts (e.g. fiscal codes with a wrong check character)
//! and refuse what it refuses, with `violations` in the style of io-ts' path reporter.

use serde_json::{json, Map, Value};

/// A decoded `CreateSignatureRequestBody`.
#[derive(Debug, Clone)]
pub struct NewRequest {
    pub dossier_id: String,
    pub signer_id: String,
    pub expires_at: Option<String>,
    pub documents_metadata: Option<Vec<Value>>,
}

/// A decoded `CreateDossierBody`.
#[derive(Debug, Clone)]
pub struct NewDossier {
    pub title: String,
    pub support_email: Option<String>,
    pub documents_metadata: Vec<Value>,
}

/// Target of `PUT /signature-requests/{id}/status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusTarget {
    Ready,
    Cancelled,
}

type Violations = Vec<String>;

fn violation(v: &Value, path: &str, what: &str) -> String {
    let shown = if v.is_null() {
        "undefined".to_string()
    } else {
        v.to_string()
    };
    format!("value {shown} at root.{path} is not a valid {what}")
}

fn string_in_range(v: &Value, path: &str, min: usize, max: Option<usize>, out: &mut Violations) -> Option<String> {
    let what = match max {
        Some(max) => format!("string of length >= {min} and <= {max}"),
        None => format!("string of length >= {min}"),
    };
    match v.as_str() {
        Some(s) => {
            let n = s.chars().count();
            if n >= min && max.is_none_or(|m| n <= m) {
                Some(s.to_string())
            } else {
                out.push(violation(v, path, &what));
                None
            }
        }
        None => {
            out.push(violation(v, path, &what));
            None
        }
    }
}

fn non_empty_string(v: &Value, path: &str, out: &mut Violations) -> Option<String> {
    match v.as_str() {
        Some(s) if !s.is_empty() => Some(s.to_string()),
        _ => {
            out.push(violation(v, path, "non empty string"));
            None
        }
    }
}

fn object<'a>(v: &'a Value, path: &str, out: &mut Violations) -> Option<&'a Map<String, Value>> {
    match v.as_object() {
        Some(o) => Some(o),
        None => {
            out.push(violation(v, if path.is_empty() { "" } else { path }, "object"));
            None
        }
    }
}

fn field<'a>(o: &'a Map<String, Value>, k: &str) -> &'a Value {
    o.get(k).unwrap_or(&Value::Null)
}

fn join(path: &str, k: &str) -> String {
    if path.is_empty() {
        k.to_string()
    } else {
        format!("{path}.{k}")
    }
}

/// `^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$`
/// (ts-commons `FiscalCode`: no check-character verification).
pub fn is_fiscal_code(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 16 {
        return false;
    }
    let alpha = |c: u8| c.is_ascii_uppercase();
    let omo = |c: u8| c.is_ascii_digit() || b"LMNPQRSTUV".contains(&c);
    b[..6].iter().all(|&c| alpha(c))
        && b[6..8].iter().all(|&c| omo(c))
        && b"ABCDEHLMPRST".contains(&b[8])
        && b[9..11].iter().all(|&c| omo(c))
        && alpha(b[11])
        && b[12..15].iter().all(|&c| omo(c))
        && alpha(b[15])
}

/// validator.js `isEmail` with `require_tld`, no display name, ASCII local part (approximation).
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    if local.is_empty() || local.len() > 64 || domain.len() > 253 || s.contains(char::is_whitespace) {
        return false;
    }
    let local_ok = local
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    let labels: Vec<&str> = domain.split('.').collect();
    let tld = labels.last().copied().unwrap_or_default();
    local_ok
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && tld.len() >= 2
        && tld.chars().all(char::is_alphabetic)
}

fn number(v: &Value, path: &str, min: Option<f64>, out: &mut Violations) -> Option<f64> {
    match v.as_f64() {
        Some(n) if min.is_none_or(|m| n >= m) => Some(n),
        _ => {
            out.push(violation(
                v,
                path,
                if min.is_some() { "non negative number" } else { "number" },
            ));
            None
        }
    }
}

fn signature_field(v: &Value, path: &str, out: &mut Violations) -> Option<(Value, bool)> {
    let o = object(v, path, out)?;
    let clause_v = field(o, "clause");
    let clause_path = join(path, "clause");
    let clause = object(clause_v, &clause_path, out).and_then(|c| {
        let title = string_in_range(field(c, "title"), &join(&clause_path, "title"), 5, Some(80), out);
        let ty = field(c, "type");
        let ty = match ty.as_str() {
            Some(t @ ("REQUIRED" | "UNFAIR" | "OPTIONAL")) => Some(t.to_string()),
            _ => {
                out.push(violation(
                    ty,
                    &join(&clause_path, "type"),
                    "\"REQUIRED\" | \"UNFAIR\" | \"OPTIONAL\"",
                ));
                None
            }
        };
        Some((title?, ty?))
    });
    let attrs_path = join(path, "attrs");
    let attrs = object(field(o, "attrs"), &attrs_path, out).and_then(|a| {
        if a.contains_key("unique_name") {
            let name = non_empty_string(field(a, "unique_name"), &join(&attrs_path, "unique_name"), out)?;
            return Some(json!({ "unique_name": name }));
        }
        let mut local = Vec::new();
        let c_path = join(&attrs_path, "coordinates");
        let coords = object(field(a, "coordinates"), &c_path, &mut local).map(|c| {
            (
                number(field(c, "x"), &join(&c_path, "x"), None, &mut local),
                number(field(c, "y"), &join(&c_path, "y"), None, &mut local),
            )
        });
        // The spec says `number >= 0`; a fractional page could never match a page of the PDF, and
        // the shared wire type holds a u32, so it is refused here.
        let page = match field(a, "page") {
            p if p.as_u64().is_some_and(|n| n <= u64::from(u32::MAX)) => Some(p.as_f64().unwrap_or_default()),
            p => {
                local.push(violation(p, &join(&attrs_path, "page"), "non negative integer"));
                None
            }
        };
        let s_path = join(&attrs_path, "size");
        let size = object(field(a, "size"), &s_path, &mut local).map(|s| {
            (
                number(field(s, "w"), &join(&s_path, "w"), Some(0.0), &mut local),
                number(field(s, "h"), &join(&s_path, "h"), Some(0.0), &mut local),
            )
        });
        if !local.is_empty() {
            out.push(violation(
                field(o, "attrs"),
                &attrs_path,
                "ExistingSignatureFieldAttrs | SignatureFieldToBeCreatedAttrs",
            ));
            out.extend(local);
            return None;
        }
        let ((x, y), _, (w, h)) = (coords?, page?, size?);
        let (_, _, _, _) = (x?, y?, w?, h?);
        // Keep the numbers exactly as sent (an integer stays an integer on the way back).
        Some(json!({
            "coordinates": { "x": a["coordinates"]["x"], "y": a["coordinates"]["y"] },
            "page": a["page"],
            "size": { "w": a["size"]["w"], "h": a["size"]["h"] },
        }))
    });
    let (title, ty) = clause?;
    let required = ty != "OPTIONAL";
    Some((
        json!({ "attrs": attrs?, "clause": { "title": title, "type": ty } }),
        required,
    ))
}

/// Decodes an array of `SignatureField` (also the JSON part of `/validate-document`).
pub fn signature_fields(v: &Value, path: &str) -> Result<Vec<Value>, Violations> {
    let mut out = Vec::new();
    let Some(arr) = v.as_array() else {
        return Err(vec![violation(v, path, "array of SignatureField")]);
    };
    let mut fields = Vec::new();
    let mut any_required = false;
    for (i, f) in arr.iter().enumerate() {
        if let Some((f, required)) = signature_field(f, &join(path, &i.to_string()), &mut out) {
            any_required |= required;
            fields.push(f);
        }
    }
    if out.is_empty() && !fields.is_empty() && !any_required {
        out.push(violation(
            v,
            path,
            "SignatureFields (at least one field must not be OPTIONAL)",
        ));
    }
    if out.is_empty() {
        Ok(fields)
    } else {
        Err(out)
    }
}

fn document_metadata(v: &Value, path: &str, out: &mut Violations) -> Option<Value> {
    let o = object(v, path, out)?;
    let title = string_in_range(field(o, "title"), &join(path, "title"), 3, Some(60), out);
    let fields = match o.get("signature_fields") {
        None | Some(Value::Null) => Some(Vec::new()),
        Some(f) => match signature_fields(f, &join(path, "signature_fields")) {
            Ok(f) => Some(f),
            Err(v) => {
                out.extend(v);
                None
            }
        },
    };
    Some(json!({ "title": title?, "signature_fields": fields? }))
}

fn document_metadata_list(v: &Value, path: &str, out: &mut Violations) -> Option<Vec<Value>> {
    match v.as_array() {
        Some(arr) if !arr.is_empty() => {
            let before = out.len();
            let list: Vec<Value> = arr
                .iter()
                .enumerate()
                .filter_map(|(i, d)| document_metadata(d, &join(path, &i.to_string()), out))
                .collect();
            (out.len() == before).then_some(list)
        }
        _ => {
            out.push(violation(v, path, "non empty array of DocumentMetadata"));
            None
        }
    }
}

fn finish<T>(value: Option<T>, out: Violations) -> Result<T, Violations> {
    match value {
        Some(v) if out.is_empty() => Ok(v),
        _ if out.is_empty() => Err(vec!["value at root is not valid".to_string()]),
        _ => Err(out),
    }
}

/// `CreateDossierBody`.
pub fn create_dossier(v: &Value) -> Result<NewDossier, Violations> {
    let mut out = Vec::new();
    let value = object(v, "", &mut out).and_then(|o| {
        let title = string_in_range(field(o, "title"), "title", 3, None, &mut out);
        let email = match o.get("support_email") {
            None => Some(None),
            Some(Value::String(s)) if is_email(s) => Some(Some(s.clone())),
            Some(e) => {
                out.push(violation(e, "support_email", "EmailString"));
                None
            }
        };
        let docs = document_metadata_list(field(o, "documents_metadata"), "documents_metadata", &mut out);
        Some(NewDossier {
            title: title?,
            support_email: email?,
            documents_metadata: docs?,
        })
    });
    finish(value, out)
}

/// `GetSignerByFiscalCodeBody`: the fiscal code.
pub fn signer(v: &Value) -> Result<String, Violations> {
    let mut out = Vec::new();
    let value = object(v, "", &mut out).and_then(|o| {
        let cf = field(o, "fiscal_code");
        match cf.as_str() {
            Some(s) if is_fiscal_code(s) => Some(s.to_string()),
            _ => {
                out.push(violation(cf, "fiscal_code", "FiscalCode"));
                None
            }
        }
    });
    finish(value, out)
}

/// `CreateSignatureRequestBody`.
pub fn create_request(v: &Value) -> Result<NewRequest, Violations> {
    let mut out = Vec::new();
    let value = object(v, "", &mut out).and_then(|o| {
        let dossier_id = non_empty_string(field(o, "dossier_id"), "dossier_id", &mut out);
        let signer_id = non_empty_string(field(o, "signer_id"), "signer_id", &mut out);
        let expires_at = match o.get("expires_at") {
            None => Some(None),
            Some(Value::String(s)) if crate::clock::parse_ts(s).is_some() => Some(Some(s.clone())),
            Some(e) => {
                out.push(violation(e, "expires_at", "UTCISODateFromString"));
                None
            }
        };
        let docs = match o.get("documents_metadata") {
            None => Some(None),
            Some(d) => document_metadata_list(d, "documents_metadata", &mut out).map(Some),
        };
        Some(NewRequest {
            dossier_id: dossier_id?,
            signer_id: signer_id?,
            expires_at: expires_at?,
            documents_metadata: docs?,
        })
    });
    finish(value, out)
}

/// Body of `PUT .../status`: JSON string `"READY"`/`"CANCELLED"`, or the raw word.
pub fn status(body: &[u8]) -> Result<StatusTarget, Violations> {
    let text = String::from_utf8_lossy(body);
    let word = match serde_json::from_slice::<Value>(body) {
        Ok(Value::String(s)) => s,
        Ok(_) => String::new(),
        Err(_) => text.trim().to_string(),
    };
    match word.as_str() {
        "READY" => Ok(StatusTarget::Ready),
        "CANCELLED" => Ok(StatusTarget::Cancelled),
        _ => Err(vec![format!(
            "value {} at root is not a valid \"READY\" | \"CANCELLED\"",
            serde_json::to_string(&text.as_ref()).unwrap_or_default()
        )]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fiscal_code_pattern_without_check_character() {
        assert!(is_fiscal_code("RSSMRA80A01H501U"));
        assert!(
            is_fiscal_code("RSSMRA80A01H501A"),
            "the service does not verify the check character"
        );
        assert!(is_fiscal_code("RSSMRALPALMHLNMU"), "omocodia");
        assert!(!is_fiscal_code("rssmra80a01h501u"));
        assert!(!is_fiscal_code("RSSMRA80A01H501"));
        assert!(!is_fiscal_code("RSSMRA80Z01H501U"));
    }

    #[test]
    fn emails() {
        assert!(is_email("ufficio.protocollo@comune.example.it"));
        assert!(!is_email("Ufficio <u@comune.example.it>"));
        assert!(!is_email("u@localhost"));
        assert!(!is_email("u@@x.it"));
    }

    #[test]
    fn dossier_defaults_and_limits() {
        let d = create_dossier(&json!({"title": "Accordo", "documents_metadata": [{"title": "Contratto"}]})).unwrap();
        assert_eq!(d.documents_metadata[0]["signature_fields"], json!([]));
        let long = "x".repeat(60);
        assert!(create_dossier(&json!({"title": "Acc", "documents_metadata": [{"title": long}]})).is_ok());
        let err = create_dossier(&json!({"title": "Ac", "documents_metadata": []})).unwrap_err();
        assert_eq!(err.len(), 2, "{err:?}");
        let only_optional = json!({"title": "Accordo", "documents_metadata": [{"title": "Contratto", "signature_fields": [
            {"attrs": {"unique_name": "Firma"}, "clause": {"title": "Facoltativa", "type": "OPTIONAL"}}]}]});
        assert!(create_dossier(&only_optional).is_err());
        let bad_attrs = json!({"title": "Accordo", "documents_metadata": [{"title": "Contratto", "signature_fields": [
            {"attrs": {"page": 0}, "clause": {"title": "Firma qui", "type": "REQUIRED"}}]}]});
        assert!(create_dossier(&bad_attrs).is_err());
    }

    #[test]
    fn status_bodies() {
        assert_eq!(status(b"\"READY\"").unwrap(), StatusTarget::Ready);
        assert_eq!(status(b"READY").unwrap(), StatusTarget::Ready);
        assert_eq!(status(b"\"CANCELLED\"").unwrap(), StatusTarget::Cancelled);
        assert!(status(b"\"SIGNED\"").is_err());
    }
}
