//! Cost of one sync pass with 10,000 waiting requests across 20 dossiers on the sandbox.
//!
//! `cargo bench -p firmadesk-engine --bench sync_10k` (a plain binary: it prints figures, it
//! asserts only the call-count formula). The sandbox's own limit is lifted so that seeding is
//! quick; the engine's client keeps the service's budget (150 calls / 5 s), which is what
//! paces the pass. The store is the app's: `RowStore` on a SQLite file.

#[path = "support/mod.rs"]
mod support;

use firmadesk_engine::{Engine, EngineConfig, EngineStore, Expiry, LocalRequest};
use futures::StreamExt;
use iosign::{
    ApiKey, Client, CreateDossierBody, CreateSignatureRequestBody, DocumentMetadata, FiscalCode, RateLimiter,
};
use iosign_sandbox::{Sandbox, SandboxConfig};
use std::time::{Duration, Instant};

const KEY: &str = "bench-key";
const PROFILE: &str = "bench";
const DOSSIERS: usize = 20;
const PER_DOSSIER: usize = 500;
/// Requests whose local copy is stale (as if changed on IO since the last pass).
const CHANGED: usize = 100;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let sb = Sandbox::start(SandboxConfig {
        api_keys: vec![KEY.into()],
        rate_limit_calls: 10_000_000,
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox");
    let seeder = Client::builder(sb.base_url(), ApiKey::new(KEY))
        .rate_limiter(RateLimiter::new(10_000_000, Duration::from_secs(5)))
        .build()
        .expect("client");
    let dir = tempfile::tempdir().expect("tmp");
    let store = support::app_store(dir.path(), PROFILE, sb.base_url());
    let started = Instant::now();
    let signer = seeder
        .signers()
        .get_by_fiscal_code(&FiscalCode::parse("RSSMRA80A01H501U").expect("cf"))
        .await
        .expect("signer");
    let metadata = DocumentMetadata {
        title: "Contratto".into(),
        signature_fields: vec![],
    };
    let mut dossiers = Vec::new();
    for d in 0..DOSSIERS {
        let dossier = seeder
            .dossiers()
            .create(&CreateDossierBody {
                title: format!("Tipo {d}"),
                support_email: None,
                documents_metadata: vec![metadata.clone()],
            })
            .await
            .expect("dossier");
        store
            .set_dossier_id(PROFILE, &format!("Tipo {d}"), &dossier.id)
            .await
            .expect("store");
        dossiers.push(dossier.id);
    }
    let handler = seeder.signature_requests();
    let bodies: Vec<_> = dossiers
        .iter()
        .flat_map(|d| {
            std::iter::repeat_n(d.clone(), PER_DOSSIER).map(|dossier_id| CreateSignatureRequestBody {
                dossier_id,
                signer_id: signer.id.clone(),
                expires_at: None,
                documents_metadata: None,
            })
        })
        .collect();
    let mut created = futures::stream::iter(bodies.iter().map(|b| handler.create(b))).buffer_unordered(32);
    while let Some(r) = created.next().await {
        r.expect("create");
    }
    drop(created);
    let mut stale = 0;
    for (n, d) in dossiers.iter().enumerate() {
        let mut items = std::pin::pin!(seeder.dossiers().signature_requests(d.clone()).limit(100).into_stream());
        while let Some(item) = items.next().await {
            let item = item.expect("list");
            let changed = stale < CHANGED && n % 2 == 0;
            stale += usize::from(changed);
            store
                .upsert_request(&LocalRequest {
                    profile_id: PROFILE.into(),
                    request_id: item.id.clone().into(),
                    dossier_id: item.dossier_id.clone(),
                    signer_id: item.signer_id.clone(),
                    local_id: firmadesk_store::LocalId::foreign(&item.id.clone().into()),
                    document_type: format!("Tipo {n}"),
                    signer_name: "Mario Rossi".into(),
                    title: "Contratto".into(),
                    status: item.status.clone(),
                    created_at: item.created_at,
                    updated_at: if changed {
                        item.updated_at - time::Duration::minutes(1)
                    } else {
                        item.updated_at
                    },
                    expires_at: item.expires_at,
                    reject_reason: None,
                    expiry: Expiry::Valid,
                    archived: false,
                    published_at: None,
                })
                .await
                .expect("store");
        }
    }
    println!(
        "seeded {} requests in {DOSSIERS} dossiers in {:.1?}",
        DOSSIERS * PER_DOSSIER,
        started.elapsed()
    );

    let mut config = EngineConfig::new(dir.path().join("archivio"));
    config.auto_sync = false;
    let engine = Engine::builder(config, store.clone()).build();
    // The real budget: 150 calls / 5 s.
    let client = Client::new(sb.base_url(), ApiKey::new(KEY)).expect("client");
    engine.add_profile(PROFILE, client).await.expect("profile");
    let per_dossier = PER_DOSSIER.div_ceil(100);
    for (label, expected_details) in [("pass with 1% changed", CHANGED), ("pass with nothing changed", 0)] {
        sb.clear_request_log();
        let t = Instant::now();
        let report = engine.sync_now(PROFILE).await.expect("sync");
        let wall = t.elapsed();
        let seen = sb.request_log().len();
        println!(
            "{label}: {} list + {} detail = {} calls (sandbox saw {seen}), wall {wall:.2?}",
            report.list_calls,
            report.detail_calls,
            report.calls()
        );
        assert_eq!(report.list_calls as usize, DOSSIERS * per_dossier);
        assert_eq!(report.detail_calls as usize, expected_details);
        assert_eq!(seen, report.calls() as usize);
    }
    sb.shutdown().await;
}
