//! Dashboard queries on a generated store of 100,000 requests (target ≤ 20 ms each), on the desk's SQLite
//! file and, when `FIRMADESK_TEST_PG` names a PostgreSQL server (`cargo xtask pg` starts one), on a team
//! database there too, through the same `Store` interface the desk uses.
//! Run: `cargo bench -p firmadesk-store`.

use criterion::{criterion_group, criterion_main, Criterion};
use firmadesk_store::*;
use std::hint::black_box;

const DAY: i64 = 24 * 3600 * 1000;
const NOW: i64 = 1_764_000_000_000;
const N: usize = 100_000;
const NAMES: [&str; 12] = [
    "Mario", "Anna", "Luca", "Sara", "Paolo", "Giulia", "Marco", "Elena", "Dario", "Chiara", "Fabio", "Laura",
];
const SURNAMES: [&str; 10] = [
    "Rossi", "Bianchi", "Verdi", "Neri", "Gialli", "Esposito", "Romano", "Colombo", "Ricci", "Marino",
];
const TYPES: [&str; 20] = [
    "Accordo",
    "Convenzione",
    "Contratto",
    "Domanda",
    "Autorizzazione",
    "Concessione",
    "Verbale",
    "Delega",
    "Liberatoria",
    "Rinnovo",
    "Iscrizione",
    "Permesso",
    "Incarico",
    "Nomina",
    "Dichiarazione",
    "Istanza",
    "Ricevuta",
    "Modulo",
    "Atto",
    "Patto",
];

async fn fill(store: &dyn Store) {
    for p in 0..3 {
        store
            .upsert_profile(
                &Profile {
                    id: format!("p{p}"),
                    name: format!("Ente {p}"),
                    environment: Environment::Produzione,
                    base_url: "https://api.io.pagopa.it/api/v1/sign".into(),
                    support_email: None,
                    oidc_issuer: None,
                    oidc_client_id: None,
                    oidc_scopes: None,
                    testers: Vec::new(),
                },
                NOW,
            )
            .await
            .unwrap();
    }
    // A realistic spread: most requests signed, a fifth waiting, a few of everything else.
    let mut seed: u64 = 42;
    let mut rnd = |m: u64| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) % m
    };
    for i in 0..N {
        let status = match rnd(100) {
            0..=54 => Status::Signed,
            55..=74 => Status::Waiting,
            75..=82 => Status::Draft,
            83..=86 => Status::Rejected,
            87..=92 => Status::Cancelled,
            93..=95 => Status::Sending,
            96..=97 => Status::Queued,
            _ => Status::Failed,
        };
        let created = NOW - rnd(730) as i64 * DAY - rnd(DAY as u64) as i64;
        let name = format!("{} {}", NAMES[rnd(12) as usize], SURNAMES[rnd(10) as usize]);
        // Synthetic, unique, 16 characters (search and length checks only need the shape).
        let cf = format!("{i:06}{:02}A{:02}H{:03}X", rnd(100), rnd(28) + 1, rnd(1000));
        let doc_type = TYPES[rnd(20) as usize];
        let r = Request {
            id: format!("r{i:06}").into(),
            profile_id: format!("p{}", rnd(3)),
            document_type: doc_type.into(),
            title: format!("{doc_type} n. {i}"),
            signer_name: name,
            fiscal_code: cf,
            status,
            io_status: None,
            io_request_id: Some(format!("01IO{i:022}").into()),
            dossier_id: Some(format!("01DOSSIER{}", rnd(20))),
            signer_id: None,
            delivery: "io_message".into(),
            qr_code_url: None,
            reject_reason: None,
            created_at: created,
            updated_at: created + rnd(30) as i64 * DAY,
            expires_at: Some(created + 90 * DAY),
            published_at: None,
            signed_at: None,
            archived: status == Status::Signed,
            io_created_at: None,
            io_updated_at: None,
            expiry_notice: None,
        };
        store.save_request(&r, &[], &[]).await.unwrap();
    }
}

fn benches(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let sqlite = SqliteStore::open(&dir.path().join("firmadesk.db"), NOW).unwrap();
    let mut stores: Vec<(&str, Box<dyn Store>, Option<firmadesk_testkit::pg::ScratchDb>)> = Vec::new();
    // `FIRMADESK_BENCH_ONLY=postgres` (or `sqlite`) measures one backend.
    let only = std::env::var("FIRMADESK_BENCH_ONLY").ok();
    if only.as_deref().is_none_or(|o| o == "sqlite") {
        stores.push(("sqlite", Box::new(sqlite), None));
    }
    if std::env::var_os("FIRMADESK_TEST_PG").is_some() && only.as_deref().is_none_or(|o| o == "postgres") {
        let (pg, db) = rt.block_on(async {
            let db = firmadesk_testkit::pg::scratch_database("bench").await;
            let config = PgConfig {
                tls: PgTls::Off,
                ..PgConfig::new(db.url.clone(), Some(db.password.clone()))
            };
            (PgStore::connect(&config, NOW).await.unwrap(), db)
        });
        stores.push(("postgres", Box::new(pg), Some(db)));
    }
    for (backend, store, db) in &stores {
        let started = std::time::Instant::now();
        rt.block_on(fill(store.as_ref()));
        eprintln!(
            "{backend}: generated {N} requests in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        if let Some(db) = db {
            // What autovacuum does soon after a bulk load in production: fresh statistics for the planner
            // and the visibility map that lets counts read the indexes alone.
            rt.block_on(vacuum_analyze(db));
        }
        let mut group = c.benchmark_group(format!("dashboard at 100k ({backend})"));
        group.bench_function("counts by status + expiring/expired", |b| {
            b.iter(|| rt.block_on(store.counts(None, black_box(NOW), 7 * DAY)).unwrap());
        });
        // What the dashboard shows: the active profile's counters (about a third of the rows).
        group.bench_function("counts of one profile", |b| {
            b.iter(|| rt.block_on(store.counts(Some("p1"), black_box(NOW), 7 * DAY)).unwrap());
        });
        for (name, query) in cases() {
            group.bench_function(name, |b| {
                b.iter(|| rt.block_on(store.list(black_box(&query), NOW)).unwrap());
            });
        }
        group.finish();
    }
}

async fn vacuum_analyze(db: &firmadesk_testkit::pg::ScratchDb) {
    let mut config: tokio_postgres::Config = db.url.parse().unwrap();
    config.password(&db.password);
    let (client, connection) = config.connect(tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(connection);
    client.batch_execute("VACUUM ANALYZE").await.unwrap();
}

fn cases() -> Vec<(&'static str, ListQuery)> {
    let q = |q: ListQuery| q;
    vec![
        ("first page, newest changes", q(ListQuery::default())),
        (
            "waiting by deadline",
            q(ListQuery {
                statuses: vec![Status::Waiting],
                sort: Sort::ExpiresAt,
                ascending: true,
                ..Default::default()
            }),
        ),
        (
            // What "In attesa di firma" runs: the list is always one profile's (desk layer).
            "waiting by deadline, one profile",
            q(ListQuery {
                statuses: vec![Status::Waiting],
                sort: Sort::ExpiresAt,
                ascending: true,
                profile_id: Some("p1".into()),
                ..Default::default()
            }),
        ),
        (
            "expiring within 7 days",
            q(ListQuery {
                expiring_within_ms: Some(7 * DAY),
                ..Default::default()
            }),
        ),
        (
            "search 'rossi'",
            q(ListQuery {
                text: Some("rossi".into()),
                ..Default::default()
            }),
        ),
        (
            "search fiscal code prefix",
            q(ListQuery {
                text: Some("000123".into()),
                ..Default::default()
            }),
        ),
        // What the lists run: the active profile's requests (a third of them).
        (
            "search 'rossi', one profile",
            q(ListQuery {
                text: Some("rossi".into()),
                profile_id: Some("p1".into()),
                ..Default::default()
            }),
        ),
        (
            "search fiscal code prefix, one profile",
            q(ListQuery {
                text: Some("000123".into()),
                profile_id: Some("p1".into()),
                ..Default::default()
            }),
        ),
        (
            "search 'rossi', signed, one profile",
            q(ListQuery {
                text: Some("rossi".into()),
                profile_id: Some("p1".into()),
                statuses: vec![Status::Signed],
                ..Default::default()
            }),
        ),
        (
            "search 'rossi', one type, one profile",
            q(ListQuery {
                text: Some("rossi".into()),
                profile_id: Some("p1".into()),
                document_type: Some("Accordo".into()),
                ..Default::default()
            }),
        ),
        (
            "signed, one type, by signer name",
            q(ListQuery {
                statuses: vec![Status::Signed],
                document_type: Some("Accordo".into()),
                sort: Sort::SignerName,
                ascending: true,
                ..Default::default()
            }),
        ),
        (
            "page 100 of the signed list",
            q(ListQuery {
                statuses: vec![Status::Signed],
                limit: 50,
                offset: 5000,
                ..Default::default()
            }),
        ),
    ]
}

criterion_group! {
    name = dashboard;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(dashboard);
