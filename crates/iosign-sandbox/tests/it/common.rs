//! Shared helpers: sandboxes with tiny delays, raw HTTP, polling, PDF fixtures made with lopdf.

use std::future::Future;
use std::time::Duration;

use iosign_sandbox::{Sandbox, SandboxConfig, SandboxHandle};
use lopdf::{dictionary, Document, Object, Stream};
use serde_json::{json, Value};

pub const KEY: &str = "sandbox-prod-key";
pub const OTHER_KEY: &str = "sandbox-other-issuer-key";
pub const TEST_KEY: &str = "sandbox-test-key";
/// The widely published synthetic sample (valid check character).
pub const CF: &str = "RSSMRA80A01H501U";
/// Synthetic, valid check character, registered as tester.
pub const TESTER_CF: &str = "VRDGPP70B02F205Z";
/// Synthetic, valid check character, turned off the service's messages.
pub const BLOCKED_CF: &str = "GLLMRC75D15F839N";
/// Synthetic, valid check character, "not on IO".
pub const NOT_ON_IO_CF: &str = "BNCLRA85C41L219E";

/// A config with tiny delays and the keys above.
pub fn config() -> SandboxConfig {
    SandboxConfig {
        api_keys: vec![KEY.into(), OTHER_KEY.into()],
        test_keys: vec![TEST_KEY.into()],
        testers: vec![TESTER_CF.into()],
        not_on_io: vec![NOT_ON_IO_CF.into()],
        messages_blocked: vec![BLOCKED_CF.into()],
        validation_delay: Duration::from_millis(10),
        publish_delay: Duration::from_millis(20),
        record_bodies: true,
        ..SandboxConfig::default()
    }
}

pub async fn start(cfg: SandboxConfig) -> SandboxHandle {
    Sandbox::start(cfg).await.expect("sandbox starts")
}

/// Polls `f` until it yields `Some`, for at most 10 s.
pub async fn eventually<T, F, Fut>(what: &str, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// A response read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

/// Raw HTTP against the sandbox, for malformed requests and precise status checks.
#[derive(Clone)]
pub struct Raw {
    pub http: reqwest::Client,
    pub base: String,
    pub key: Option<String>,
}

impl Raw {
    pub fn new(sb: &SandboxHandle, key: Option<&str>) -> Self {
        Self {
            http: reqwest::Client::new(),
            base: sb.base_url(),
            key: key.map(str::to_string),
        }
    }

    pub async fn send(&self, rb: reqwest::RequestBuilder) -> Reply {
        let rb = match &self.key {
            Some(k) => rb.header("Ocp-Apim-Subscription-Key", k),
            None => rb,
        };
        let res = rb.send().await.expect("request sent");
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let text = res.text().await.expect("body read");
        Reply { status, headers, text }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(self.http.get(format!("{}{path}", self.base))).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Reply {
        self.send(self.http.post(format!("{}{path}", self.base)).json(body))
            .await
    }

    pub async fn post_raw(&self, path: &str, body: &'static str) -> Reply {
        self.send(
            self.http
                .post(format!("{}{path}", self.base))
                .header("content-type", "application/json")
                .body(body),
        )
        .await
    }

    pub async fn put(&self, path: &str, body: Option<&Value>) -> Reply {
        let rb = self.http.put(format!("{}{path}", self.base));
        let rb = match body {
            Some(b) => rb.json(b),
            None => rb,
        };
        self.send(rb).await
    }

    // ---- flow shortcuts (raw) ----

    pub async fn dossier(&self, fields: Value) -> String {
        let r = self
            .post(
                "/dossiers",
                &json!({"title": "Accordo di collaborazione", "documents_metadata": [{"title": "Contratto", "signature_fields": fields}]}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        r.json()["id"].as_str().unwrap().to_string()
    }

    pub async fn signer(&self, cf: &str) -> String {
        let r = self.post("/signers", &json!({ "fiscal_code": cf })).await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.json()["id"].as_str().unwrap().to_string()
    }

    /// Creates a request and returns (request id, first document id).
    pub async fn request(&self, dossier_id: &str, signer_id: &str) -> (String, String) {
        let r = self
            .post(
                "/signature-requests",
                &json!({"dossier_id": dossier_id, "signer_id": signer_id}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        let v = r.json();
        (
            v["id"].as_str().unwrap().to_string(),
            v["documents"][0]["id"].as_str().unwrap().to_string(),
        )
    }

    pub async fn upload(&self, request_id: &str, doc_id: &str, pdf: Vec<u8>) -> Reply {
        let r = self
            .get(&format!(
                "/signature-requests/{request_id}/documents/{doc_id}/upload_url"
            ))
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        let url: String = serde_json::from_str(&r.text).unwrap();
        let res = reqwest::Client::new()
            .put(url)
            .header("x-ms-blob-type", "BlockBlob")
            .header("content-type", "application/pdf")
            .body(pdf)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        Reply {
            status,
            headers,
            text: res.text().await.unwrap(),
        }
    }

    /// Waits for the first document to leave WAIT_FOR_UPLOAD/WAIT_FOR_VALIDATION; returns the request.
    pub async fn validated(&self, request_id: &str) -> Value {
        eventually("document validation", || async {
            let v = self.get(&format!("/signature-requests/{request_id}")).await.json();
            let s = v["documents"][0]["status"].as_str().unwrap_or_default().to_string();
            (s == "READY" || s == "REJECTED").then_some(v)
        })
        .await
    }

    pub async fn wait_status(&self, request_id: &str, status: &str) -> Value {
        eventually(status, || async {
            let v = self.get(&format!("/signature-requests/{request_id}")).await.json();
            (v["status"] == status).then_some(v)
        })
        .await
    }
}

/// One created field (coordinates) on page 0 that fits an A4 page.
pub fn created_field(page: u32, x: f64, y: f64, w: f64, h: f64) -> Value {
    json!({
        "attrs": {"coordinates": {"x": x, "y": y}, "page": page, "size": {"w": w, "h": h}},
        "clause": {"title": "Firma del cittadino", "type": "REQUIRED"}
    })
}

pub fn existing_field(name: &str) -> Value {
    json!({"attrs": {"unique_name": name}, "clause": {"title": "Firma in calce", "type": "REQUIRED"}})
}

// ---- PDF fixtures ----

pub const A4: (f64, f64) = (595.0, 842.0);

/// Pages of the given MediaBox sizes; with `form`, page 0 carries a /Sig field "Firma" and a text
/// field "Nome".
pub fn pdf(pages: &[(f64, f64)], form: bool) -> Vec<u8> {
    build(pages, form).1
}

fn build(pages: &[(f64, f64)], form: bool) -> (Document, Vec<u8>) {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {"Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica"});
    let content = doc.add_object(Stream::new(
        dictionary! {},
        b"BT /F1 18 Tf 72 720 Td (Contratto di prova - FirmaDesk) Tj ET".to_vec(),
    ));
    let mut kids = Vec::new();
    let mut fields = Vec::new();
    for (i, (w, h)) in pages.iter().enumerate() {
        let page = doc.new_object_id();
        let mut dict = dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), Object::Real(*w as f32), Object::Real(*h as f32)],
            "Contents" => content,
            "Resources" => dictionary! {"Font" => dictionary! {"F1" => font}},
        };
        if form && i == 0 {
            let sig = doc.add_object(dictionary! {
                "Type" => "Annot", "Subtype" => "Widget", "FT" => "Sig", "F" => 4,
                "T" => Object::string_literal("Firma"), "P" => page,
                "Rect" => vec![300.into(), 80.into(), 520.into(), 140.into()],
            });
            let text = doc.add_object(dictionary! {
                "Type" => "Annot", "Subtype" => "Widget", "FT" => "Tx", "F" => 4,
                "T" => Object::string_literal("Nome"), "P" => page,
                "Rect" => vec![72.into(), 600.into(), 300.into(), 620.into()],
            });
            dict.set("Annots", vec![sig.into(), text.into()]);
            fields = vec![sig, text];
        }
        doc.objects.insert(page, Object::Dictionary(dict));
        kids.push(Object::Reference(page));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {"Type" => "Pages", "Kids" => kids, "Count" => count}),
    );
    let mut catalog = dictionary! {"Type" => "Catalog", "Pages" => pages_id};
    if form {
        let acro = doc.add_object(dictionary! {
            "Fields" => fields.into_iter().map(Object::Reference).collect::<Vec<_>>(),
            "SigFlags" => 1,
        });
        catalog.set("AcroForm", acro);
    }
    let catalog = doc.add_object(catalog);
    doc.trailer.set("Root", catalog);
    doc.trailer.set(
        "ID",
        vec![
            Object::string_literal(b"firmadesk-fixture".to_vec()),
            Object::string_literal(b"firmadesk-fixture".to_vec()),
        ],
    );
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("fixture saves");
    (doc, out)
}

/// An A4 document encrypted with a user password (RC4 128).
pub fn encrypted_pdf() -> Vec<u8> {
    let (mut doc, _) = build(&[A4], false);
    let state = lopdf::EncryptionState::try_from(lopdf::EncryptionVersion::V2 {
        document: &doc,
        owner_password: "owner",
        user_password: "user",
        key_length: 128,
        permissions: lopdf::Permissions::all(),
    })
    .expect("encryption state");
    doc.encrypt(&state).expect("document encrypts");
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("encrypted fixture saves");
    out
}
