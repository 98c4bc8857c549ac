//! Helpers for tests of the use cases (this crate's and the shell's): a desk on a temp folder, a
//! manual clock, a clerk session, a protected profile, a stored request. Not for production code.

use crate::Desk;
use firmadesk_auth::{Clerk, ManualClock, Secret, Session};
use firmadesk_store::{Environment, Profile, Request, Status};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// A desk on `data_dir` with an in-memory keyring and the given clock.
pub fn test_desk(data_dir: &std::path::Path, clock: Arc<dyn firmadesk_auth::Clock>) -> Desk {
    Desk::for_tests(data_dir, clock)
}

/// A manual clock at a fixed instant (2027-01-15).
pub fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000),
    ))
}

/// A clerk's session (Anna Impiegata), to open a protected profile with `desk.auth.begin`.
pub fn session() -> Session {
    Session {
        clerk: Clerk {
            name: Some("Anna Impiegata".into()),
            email: None,
            subject: "sub-anna".into(),
            office_role: None,
        },
        access_token: Secret::new("token".to_owned()),
        expires_at: None,
        refreshable: false,
    }
}

/// A login-protected profile (its key is not needed for these tests).
pub async fn protected(state: &Desk, id: &str) {
    state
        .store
        .upsert_profile(
            &Profile {
                id: id.into(),
                name: format!("Ufficio {id}"),
                environment: Environment::Produzione,
                base_url: "https://api.io.pagopa.it/api/v1/sign".into(),
                support_email: None,
                oidc_issuer: Some("https://login.example.org/realms/ente".into()),
                oidc_client_id: Some("firmadesk".into()),
                oidc_scopes: None,
                testers: Vec::new(),
            },
            0,
        )
        .await
        .unwrap();
}

/// A waiting request of `profile` for `signer`, stored with its "created" event.
pub async fn request(state: &Desk, id: &str, profile: &str, signer: &str) -> Request {
    let r = Request {
        document_type: "Accordo".into(),
        title: "Accordo di prova".into(),
        signer_name: signer.into(),
        fiscal_code: "RSSMRA80A01H501U".into(),
        io_request_id: Some(format!("io-{id}").into()),
        ..Request::unsent(id.into(), profile, Status::Waiting, 1)
    };
    state.store.save_request(&r, &[], &[]).await.unwrap();
    state
        .store
        .add_event(&firmadesk_store::Event {
            request_id: id.into(),
            at: 2,
            actor: "FirmaDesk".into(),
            code: "created".into(),
            text: "Richiesta creata".into(),
            detail_json: None,
        })
        .await
        .unwrap();
    r
}

/// A PDF (the tests' contract) dropped on `desk` as "contratto.pdf": its document id.
pub async fn import_contract(desk: &Desk, pdf: &[u8]) -> String {
    let imported = crate::requests::import_pdf(desk, Some("contratto.pdf".into()), None, pdf)
        .await
        .expect("the contract imports");
    serde_json::to_value(&imported).expect("an imported PDF is JSON")["doc_id"]
        .as_str()
        .expect("a doc_id")
        .to_owned()
}

/// The draft the form sends for Mario Rossi's "Accordo di collaborazione": the imported PDF `doc_id`, one
/// required signature field on its first page, delivered by IO message.
pub fn contract_draft(doc_id: &str) -> crate::requests::Draft {
    contract_draft_for(doc_id, "Mario Rossi", "RSSMRA80A01H501U")
}

/// [`contract_draft`] for another signer.
pub fn contract_draft_for(doc_id: &str, signer_name: &str, fiscal_code: &str) -> crate::requests::Draft {
    serde_json::from_value(contract_draft_json(doc_id, signer_name, fiscal_code)).expect("the form's draft")
}

/// [`contract_draft_for`] as the JSON the form sends, to change before sending.
pub fn contract_draft_json(doc_id: &str, signer_name: &str, fiscal_code: &str) -> serde_json::Value {
    serde_json::json!({
        "document_type": "Accordo",
        "signer_name": signer_name,
        "fiscal_code": fiscal_code,
        "title": "Accordo di collaborazione",
        "expires_at": null,
        "delivery": "io_message",
        "documents": [{
            "doc_id": doc_id,
            "title": "Accordo",
            "fields": [{ "page": 0, "x": 72.0, "y": 100.0, "w": 160.0, "h": 50.0,
                         "clause_type": "REQUIRED", "clause_title": "Firma per accettazione" }]
        }]
    })
}

/// Citizen `i` of a test list: a distinct, valid fiscal code whose letters fit the name (first name,
/// surname, code). Distinct for `i` below 6 × 5 × 60 × 12 × 28 (more than any list a test sends).
pub fn citizen(i: usize) -> (String, String, String) {
    const NAMES: [(&str, &str); 6] = [
        ("Mario", "MRA"),
        ("Anna", "NNA"),
        ("Luca", "LCU"),
        ("Sara", "SRA"),
        ("Paolo", "PLA"),
        ("Giulia", "GLI"),
    ];
    const SURNAMES: [(&str, &str); 5] = [
        ("Rossi", "RSS"),
        ("Bianchi", "BNC"),
        ("Verdi", "VRD"),
        ("Neri", "NRE"),
        ("Romano", "RMN"),
    ];
    const MONTHS: &[u8] = b"ABCDEHLMPRST";
    const PLACES: [&str; 4] = ["H501", "F205", "L219", "A794"];
    let (name, n) = NAMES[i % NAMES.len()];
    let (surname, s) = SURNAMES[(i / NAMES.len()) % SURNAMES.len()];
    let rest = i / (NAMES.len() * SURNAMES.len());
    let year = 40 + rest % 60;
    let month = MONTHS[(rest / 60) % 12] as char;
    let day = 1 + (rest / 720) % 28;
    let place = PLACES[i % PLACES.len()];
    let first15 = format!("{s}{n}{year:02}{month}{day:02}{place}");
    let code = format!(
        "{first15}{}",
        iosign::fiscal_code::check_character(&first15).expect("fifteen valid characters")
    );
    (name.to_owned(), surname.to_owned(), code)
}

/// A list of `rows` citizens as a registry exports it (`Nome;Cognome;Codice fiscale`, UTF-8).
pub fn citizens_csv(rows: usize) -> Vec<u8> {
    let mut text = String::from("Nome;Cognome;Codice fiscale\n");
    for i in 0..rows {
        let (name, surname, code) = citizen(i);
        text.push_str(&format!("{name};{surname};{code}\n"));
    }
    text.into_bytes()
}

/// A desktop that records what a use case asked it to do (`("open" | "reveal", path)`) instead of doing it.
#[derive(Default)]
pub struct RecordingHost(pub std::sync::Mutex<Vec<(&'static str, std::path::PathBuf)>>);

impl crate::Host for RecordingHost {
    fn open_path(&self, path: &std::path::Path) -> Result<(), String> {
        self.0.lock().expect("host").push(("open", path.to_path_buf()));
        Ok(())
    }
    fn reveal(&self, path: &std::path::Path) -> Result<(), String> {
        self.0.lock().expect("host").push(("reveal", path.to_path_buf()));
        Ok(())
    }
}
