//! Helpers: a sandbox with tiny delays, clients, engines on a shared store, PDFs, event waits.

use firmadesk_engine::{
    Delivery, DocumentType, Engine, EngineConfig, EngineEvent, EngineStore, LocalRequest, RecordingNotifier, RowStore,
    SendDocument, SendSpec, SignerInfo,
};
pub use firmadesk_store::IoRequestId;
use firmadesk_store::{Environment, Profile, SqliteStore};
use iosign::{
    ApiKey, Clause, ClauseType, Client, Coordinates, DocumentMetadata, RetryPolicy, SignatureField,
    SignatureFieldAttrs, SignatureFieldToBeCreatedAttrs, Size,
};
use iosign_sandbox::{Sandbox, SandboxConfig, SandboxHandle};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

pub const KEY: &str = "engine-test-key";
pub const PROFILE: &str = "comune-test";
/// Synthetic sample code with a valid check character.
pub const CF: &str = "RSSMRA80A01H501U";

pub fn sandbox_config() -> SandboxConfig {
    SandboxConfig {
        api_keys: vec![KEY.into()],
        validation_delay: Duration::from_millis(10),
        publish_delay: Duration::from_millis(20),
        ..SandboxConfig::default()
    }
}

pub async fn sandbox(cfg: SandboxConfig) -> SandboxHandle {
    Sandbox::start(cfg).await.expect("sandbox starts")
}

/// A client with short retry delays (the sandbox answers in microseconds).
pub fn client_for(base_url: &str) -> iosign::ClientBuilder {
    Client::builder(base_url, ApiKey::new(KEY)).retry_policy(
        RetryPolicy::default()
            .with_backoff(Duration::from_millis(20), Duration::from_millis(200))
            .with_max_attempts(6),
    )
}

pub fn client(sb: &SandboxHandle) -> Client {
    client_for(&sb.base_url()).build().expect("client")
}

pub fn engine_config(archive: &Path) -> EngineConfig {
    let mut c = EngineConfig::new(archive);
    c.retry_initial = Duration::from_millis(50);
    c.retry_max = Duration::from_millis(400);
    c.step_poll = Duration::from_millis(15);
    c.fast_poll = Duration::from_millis(30);
    c.slow_poll = Duration::from_millis(30);
    c.auto_sync = false;
    c
}

/// The app's store: a real SQLite file in a temp dir, with the test profile in it.
pub struct Harness {
    pub dir: tempfile::TempDir,
    pub store: Arc<RowStore>,
    /// The same database as `store`, as the desk holds it (its connection's settings, raw rows).
    pub sqlite: Arc<SqliteStore>,
    pub notifier: RecordingNotifier,
}

pub fn db_path(dir: &Path) -> PathBuf {
    dir.join("firmadesk.db")
}

/// The engine's store on the SQLite cache in `dir` (see [`open_sqlite`]).
pub fn open_store(dir: &Path) -> Arc<RowStore> {
    Arc::new(RowStore::new(open_sqlite(dir)))
}

/// Opens (or creates) the SQLite cache in `dir` and makes sure the test profile exists.
pub fn open_sqlite(dir: &Path) -> Arc<SqliteStore> {
    let db = SqliteStore::open(&db_path(dir), 0).expect("store opens");
    db.upsert_profile(
        &Profile::new(PROFILE, "Comune di prova", Environment::Prova, "http://127.0.0.1"),
        0,
    )
    .expect("profile saved");
    Arc::new(db)
}

impl Harness {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let sqlite = open_sqlite(dir.path());
        let store = Arc::new(RowStore::new(sqlite.clone()));
        Self {
            dir,
            store,
            sqlite,
            notifier: RecordingNotifier::new(),
        }
    }

    /// Codes of every timeline event recorded in the SQLite file.
    pub async fn event_codes(&self) -> Vec<String> {
        self.store
            .db()
            .recent_events(100_000)
            .await
            .expect("events")
            .into_iter()
            .map(|e| e.code)
            .collect()
    }

    pub fn archive(&self) -> PathBuf {
        self.dir.path().join("Archivio firmati")
    }

    pub fn engine(&self, config: EngineConfig) -> Engine {
        Engine::builder(config, self.store.clone())
            .notifier(Arc::new(self.notifier.clone()))
            .build()
    }

    /// Writes a valid one-page A4 PDF and returns its path.
    pub fn pdf(&self, name: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, pdf_bytes()).expect("write pdf");
        p
    }

    pub fn spec(&self, pdf: &Path, delivery: Delivery) -> SendSpec {
        spec_for(pdf, delivery)
    }

    pub async fn local(&self, request_id: &IoRequestId) -> Option<LocalRequest> {
        self.store.request(PROFILE, request_id).await.expect("store")
    }
}

/// The key the dossier of the tests' document type is kept under (see `DocumentType::dossier_key`).
pub fn accordo_dossier_key() -> String {
    spec_for(Path::new("contratto.pdf"), Delivery::IoMessage)
        .document_type
        .dossier_key()
}

/// The send every test makes: one contract for Mario Rossi, one signature field.
pub fn spec_for(pdf: &Path, delivery: Delivery) -> SendSpec {
    {
        let metadata = metadata("Contratto di prova");
        SendSpec {
            profile_id: PROFILE.into(),
            document_type: DocumentType {
                name: "Accordo".into(),
                dossier_title: "Accordo con il Comune".into(),
                documents_metadata: vec![metadata.clone()],
                support_email: None,
            },
            signer: SignerInfo {
                fiscal_code: CF.parse().expect("a valid fiscal code"),
                display_name: "Mario Rossi".into(),
            },
            title: "Contratto di locazione".into(),
            documents: vec![SendDocument {
                metadata,
                path: pdf.to_path_buf(),
                sha256: None,
            }],
            expires_at: None,
            delivery,
        }
    }
}

pub fn metadata(title: &str) -> DocumentMetadata {
    DocumentMetadata {
        title: title.into(),
        signature_fields: vec![SignatureField {
            attrs: SignatureFieldAttrs::ToBeCreated(SignatureFieldToBeCreatedAttrs {
                coordinates: Coordinates { x: 72.0, y: 650.0 },
                page: 0,
                size: Size { w: 200.0, h: 50.0 },
            }),
            clause: Clause {
                title: "Firma del cittadino".into(),
                type_: ClauseType::Required,
            },
        }],
    }
}

pub fn pdf_bytes() -> Vec<u8> {
    firmadesk_testkit::pdf::with_text("Contratto - test del motore FirmaDesk")
}

/// Waits (at most `secs`) for an event matching `pred`; panics with what was seen otherwise.
pub async fn wait_for(
    rx: &mut broadcast::Receiver<EngineEvent>,
    secs: u64,
    what: &str,
    mut pred: impl FnMut(&EngineEvent) -> bool,
) -> EngineEvent {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    let mut seen = Vec::new();
    loop {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Ok(ev)) => {
                if pred(&ev) {
                    return ev;
                }
                if seen.len() < 200 {
                    seen.push(format!("{ev:?}"));
                }
            }
            Ok(Err(broadcast::error::RecvError::Lagged(_))) => {}
            Ok(Err(e)) => panic!("event channel closed waiting for {what}: {e}"),
            Err(_) => panic!("timed out waiting for {what}; saw:\n{}", seen.join("\n")),
        }
    }
}

/// Waits for the send to complete and returns the request id.
pub async fn completed(rx: &mut broadcast::Receiver<EngineEvent>, send_id: &str, secs: u64) -> IoRequestId {
    match wait_for(
        rx,
        secs,
        "send completed",
        |e| matches!(e, EngineEvent::SendCompleted { send_id: s, .. } if s == send_id),
    )
    .await
    {
        EngineEvent::SendCompleted { request_id, .. } => request_id,
        _ => unreachable!(),
    }
}

pub fn count_ops(sb: &SandboxHandle, op: &str) -> usize {
    sb.request_log().iter().filter(|e| e.operation == Some(op)).count()
}
