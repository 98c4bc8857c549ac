//! The headless worker as real processes on the team database (the PostgreSQL test cluster) and the
//! sandbox: a desk without the key queues sends; the worker process is killed with SIGKILL at each step
//! of a send where a crash is dangerous (a call applied by IO Sign whose answer never arrived) and while
//! it archives; the next worker takes the key over and finishes the work, with exactly one request and
//! one IO message per send and every signed PDF archived once. A clean stop (SIGTERM) gives the key up.
//! With 1, 5 or 20 worker processes holding the key, one polls and a sync pass costs the same.

#![cfg(unix)]

use firmadesk_engine::{Delivery, DocumentType, Engine, EngineConfig, RowStore, SendDocument, SendSpec, SignerInfo};
use firmadesk_store::{Environment, LocalId, PgConfig, PgStore, PgTls, Profile, Status, Store};
use iosign::{
    Clause, ClauseType, Coordinates, DocumentMetadata, SignatureField, SignatureFieldAttrs,
    SignatureFieldToBeCreatedAttrs, Size,
};
use iosign_sandbox::{HoldAt, Sandbox, SandboxConfig, SandboxHandle, DOWNLOAD_SIGNED};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

const KEY: &str = "worker-test-key";
const PROFILE: &str = "p-ufficio";
const LEASE_TTL: &str = "2s";

struct Office {
    sb: SandboxHandle,
    db: Arc<PgStore>,
    scratch: firmadesk_testkit::pg::ScratchDb,
    dir: tempfile::TempDir,
}

impl Office {
    async fn new() -> Self {
        let sb = Sandbox::start(SandboxConfig {
            api_keys: vec![KEY.into()],
            validation_delay: Duration::from_millis(10),
            publish_delay: Duration::from_millis(20),
            ..SandboxConfig::default()
        })
        .await
        .expect("sandbox");
        let scratch = firmadesk_testkit::pg::scratch_database("worker_failover").await;
        let db = Arc::new(PgStore::connect(&pg_config(&scratch), 0).await.expect("team database"));
        db.upsert_profile(
            &Profile::new(PROFILE, "Comune di prova", Environment::Test, sb.base_url()),
            0,
        )
        .await
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let secrets = dir.path().join("credenziali");
        std::fs::create_dir(&secrets).unwrap();
        for (name, value) in [
            (format!("iosign-{PROFILE}"), KEY),
            ("database-password".into(), &scratch.password),
        ] {
            firmadesk_testkit::private_file(&secrets.join(name), &format!("{value}\n"));
        }
        Self { sb, db, scratch, dir }
    }

    /// Starts a worker process named `name`, its log in `<dir>/<name>.log`.
    fn worker(&self, name: &str) -> tokio::process::Child {
        self.worker_logging(name, "info")
    }

    /// [`Office::worker`] with the log filter `log` (`FIRMADESK_LOG`).
    fn worker_logging(&self, name: &str, log: &str) -> tokio::process::Child {
        let log_filter = log;
        let log = std::fs::File::create(self.dir.path().join(format!("{name}.log"))).unwrap();
        tokio::process::Command::new(env!("CARGO_BIN_EXE_firmadesk-worker"))
            .args(["--database", &self.scratch.url, "--database-no-tls"])
            .arg("--keys-dir")
            .arg(self.dir.path().join("credenziali"))
            .arg("--archive")
            .arg(self.archive_of(name))
            .args(["--name", name, "--lease-ttl", LEASE_TTL, "--lease-renew", "200ms"])
            .args(["--poll", "200ms", "--step-poll", "20ms"])
            .env("FIRMADESK_LOG", log_filter)
            .env("NO_COLOR", "1")
            .env_remove("CREDENTIALS_DIRECTORY")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .expect("the worker starts")
    }

    /// Kills `worker` with SIGKILL while IO Sign holds its call, lets the call go on (its answer reaches
    /// nobody) and starts the next worker; returns its name.
    async fn replace(
        &self,
        worker: &mut tokio::process::Child,
        hold: iosign_sandbox::Hold,
        generation: &mut u32,
    ) -> String {
        sigkill(worker).await;
        hold.release();
        *generation += 1;
        let name = format!("worker-{generation}");
        *worker = self.worker(&name);
        name
    }

    /// A desk on the team database without the key (its sends go to the shared outbox), and a PDF to send.
    fn desk(&self) -> (Engine, PathBuf) {
        let desk = Engine::builder(
            EngineConfig::new(self.dir.path().join("archivio-desk")),
            Arc::new(RowStore::new(self.db.clone())),
        )
        .build();
        let pdf = self.dir.path().join("contratto.pdf");
        std::fs::write(&pdf, firmadesk_testkit::pdf::with_text("Contratto - worker")).unwrap();
        (desk, pdf)
    }

    fn archive_of(&self, name: &str) -> PathBuf {
        self.dir.path().join(format!("archivio-{name}"))
    }

    /// Every worker's log so far, for a failure's message.
    fn logs(&self) -> String {
        let mut out = String::new();
        for entry in std::fs::read_dir(self.dir.path()).unwrap().flatten() {
            if entry.path().extension().is_some_and(|e| e == "log") {
                out += &format!(
                    "--- {}\n{}\n",
                    entry.path().display(),
                    std::fs::read_to_string(entry.path()).unwrap_or_default()
                );
            }
        }
        out
    }

    /// Waits (at most `limit`) until `check` on the team database holds; returns how long it took.
    async fn until<F, Fut>(&self, limit: Duration, what: &str, check: F) -> Duration
    where
        F: Fn(Arc<PgStore>) -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let started = Instant::now();
        while !check(self.db.clone()).await {
            assert!(
                started.elapsed() < limit,
                "{what}: not within {limit:?}\n{}",
                self.logs()
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        started.elapsed()
    }
}

fn pg_config(scratch: &firmadesk_testkit::pg::ScratchDb) -> PgConfig {
    PgConfig {
        tls: PgTls::Off,
        ..PgConfig::new(scratch.url.clone(), Some(scratch.password.clone()))
    }
}

fn spec(pdf: &Path, n: usize) -> SendSpec {
    let metadata = DocumentMetadata {
        title: "Contratto".into(),
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
    };
    SendSpec {
        profile_id: PROFILE.into(),
        document_type: DocumentType {
            name: "Accordo".into(),
            dossier_title: "Accordo con il Comune".into(),
            documents_metadata: vec![metadata.clone()],
            support_email: None,
        },
        signer: SignerInfo {
            fiscal_code: "RSSMRA80A01H501U".parse().unwrap(),
            display_name: "Mario Rossi".into(),
        },
        title: format!("Contratto {n}"),
        documents: vec![SendDocument {
            metadata,
            path: pdf.to_path_buf(),
            sha256: None,
        }],
        expires_at: None,
        delivery: Delivery::IoMessage,
    }
}

async fn status(db: &PgStore, id: &str) -> Option<Status> {
    db.request(&LocalId::from(id.to_owned()))
        .await
        .unwrap()
        .map(|r| r.status)
}

/// The send's saga finished (its last step, the IO message, done): the row alone says "waiting" as soon
/// as IO does, with the message maybe still to send.
async fn send_done(db: &PgStore, id: &str) -> bool {
    let send = db.send(&LocalId::from(id.to_owned())).await.unwrap();
    send.is_some_and(|s| s.step == "waiting") && status(db, id).await == Some(Status::Waiting)
}

async fn sigkill(child: &mut tokio::process::Child) {
    child.start_kill().unwrap();
    let exit = child.wait().await.unwrap();
    assert_eq!(exit.signal(), Some(9), "killed by SIGKILL");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_killed_at_each_step_is_replaced_and_nothing_is_sent_twice_or_lost() {
    let office = Office::new().await;
    let (desk, pdf) = office.desk();

    let mut generation: u32 = 1;
    let mut worker = office.worker("worker-1");
    office
        .until(Duration::from_secs(20), "worker-1 holds the key", |db| async move {
            db.lease(PROFILE).await.unwrap().is_some_and(|l| l.holder == "worker-1")
        })
        .await;

    // Each send: the call is applied by IO Sign, the worker dies before it reads the answer.
    let points = [
        "createSignatureRequest",
        "getDocumentUploadUrl",
        "setSignatureRequestStatus",
        "sendNotification",
    ];
    let mut takeovers = Vec::new();
    for (n, point) in points.iter().enumerate() {
        let send_id = format!("bozza-{n}");
        let mut hold = office.sb.hold(point, HoldAt::After);
        desk.submit(send_id.as_str(), spec(&pdf, n)).await.unwrap();
        tokio::time::timeout(Duration::from_secs(30), hold.reached())
            .await
            .unwrap_or_else(|_| panic!("{point} never called\n{}", office.logs()));
        let killed = Instant::now();
        office.replace(&mut worker, hold, &mut generation).await;
        office
            .until(
                Duration::from_secs(30),
                &format!("{send_id} finished after a kill at {point}"),
                |db| {
                    let id = send_id.clone();
                    async move { send_done(&db, &id).await }
                },
            )
            .await;
        takeovers.push(killed.elapsed());
    }

    // While it archives: the citizen signed, the worker is downloading the signed PDF when it dies.
    let first = office
        .db
        .request(&LocalId::from("bozza-0".to_owned()))
        .await
        .unwrap()
        .unwrap();
    let io_id = first.io_request_id.clone().expect("sent");
    let mut hold = office.sb.hold(DOWNLOAD_SIGNED, HoldAt::Before);
    office.sb.sign(io_id.as_str()).await.unwrap();
    tokio::time::timeout(Duration::from_secs(30), hold.reached())
        .await
        .unwrap_or_else(|_| panic!("the signed PDF was never downloaded\n{}", office.logs()));
    let dying = format!("worker-{generation}");
    let name = office.replace(&mut worker, hold, &mut generation).await;
    office
        .until(
            Duration::from_secs(30),
            "the signed PDF archived by the next worker and the request signed",
            // The archive record comes first, the row's status right after it.
            |db| async move {
                !db.archived_files(&LocalId::from("bozza-0".to_owned()))
                    .await
                    .unwrap()
                    .is_empty()
                    && status(&db, "bozza-0").await == Some(Status::Signed)
            },
        )
        .await;

    // Exactly one request and one IO message per send, as IO Sign's own state counts them (its call log
    // misses the calls whose caller died while they were held).
    assert_eq!(office.sb.signature_request_count(), points.len(), "{}", office.logs());
    assert_eq!(office.sb.messages_sent(), points.len() as u64, "{}", office.logs());
    // The signed PDF archived once: one record, its bytes in the team database for every desk, one file
    // in the archive of the worker that finished it, none in the dead one's.
    let archived = office
        .db
        .archived_files(&LocalId::from("bozza-0".to_owned()))
        .await
        .unwrap();
    assert_eq!(archived.len(), 1);
    let bytes = office
        .db
        .file(&archived[0].sha256)
        .await
        .unwrap()
        .expect("kept in the team database");
    assert!(bytes.starts_with(b"%PDF"));
    let files_in = |dir: PathBuf| -> usize {
        fn walk(dir: &Path) -> usize {
            std::fs::read_dir(dir).map_or(0, |entries| {
                entries
                    .flatten()
                    .map(|e| if e.path().is_dir() { walk(&e.path()) } else { 1 })
                    .sum()
            })
        }
        walk(&dir)
    };
    assert_eq!(files_in(office.archive_of(&name)), 1);
    assert_eq!(files_in(office.archive_of(&dying)), 0);
    eprintln!("take-over after a kill (lease {LEASE_TTL}): {takeovers:?}");

    // A clean stop gives the key up at once: another process gets it without waiting for the lease.
    let pid = i32::try_from(worker.id().unwrap()).unwrap();
    // SAFETY: signalling our own child process by its pid.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let exit = worker.wait().await.unwrap();
    assert_eq!(exit.code(), Some(0), "a clean stop\n{}", office.logs());
    let now = i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap();
    assert!(
        office
            .db
            .try_lease(PROFILE, "desk-b", now, 15_000)
            .await
            .unwrap()
            .is_some(),
        "the stopped worker's key is free at once"
    );
}

/// The IO calls of each sync pass a worker logged, in order.
fn passes(office: &Office, name: &str) -> Vec<u32> {
    let log = std::fs::read_to_string(office.dir.path().join(format!("{name}.log"))).unwrap_or_default();
    log.lines()
        .filter(|line| line.contains("sync pass"))
        .filter_map(|line| {
            let after = line.split("calls=").nth(1)?;
            after.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
        })
        .collect()
}

/// Worker processes that all hold the key: only the lease holder polls, and a pass costs the same IO calls
/// for 1, 5 and 20 of them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_1_5_or_20_worker_processes_with_the_key_one_polls_and_a_pass_costs_the_same() {
    let mut steady = Vec::new();
    for count in [1usize, 5, 20] {
        let office = Office::new().await;
        let (desk, pdf) = office.desk();
        let names: Vec<String> = (0..count).map(|n| format!("w{n}")).collect();
        let _workers: Vec<_> = names
            .iter()
            .map(|name| office.worker_logging(name, "info,firmadesk_worker=debug"))
            .collect();
        for n in 0..3 {
            desk.submit(format!("bozza-{n}").as_str(), spec(&pdf, n)).await.unwrap();
        }
        office
            .until(Duration::from_secs(60), "the three sends waiting", |db| async move {
                send_done(&db, "bozza-0").await && send_done(&db, "bozza-1").await && send_done(&db, "bozza-2").await
            })
            .await;
        let holder = office
            .db
            .lease(PROFILE)
            .await
            .unwrap()
            .expect("a worker holds the key")
            .holder;
        let before = passes(&office, &holder).len();
        let started = Instant::now();
        // The first pass may still read the details of the requests just sent; the next three are steady.
        while passes(&office, &holder).len() < before + 4 {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "{count} workers: {holder} logged no passes\n{}",
                office.logs()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let calls = passes(&office, &holder)[before + 1..before + 4].to_vec();
        assert!(
            calls.windows(2).all(|w| w[0] == w[1]),
            "{count} workers: steady passes {calls:?}"
        );
        for name in names.iter().filter(|n| **n != holder) {
            assert_eq!(
                passes(&office, name),
                Vec::<u32>::new(),
                "{count} workers: {name} polled too"
            );
        }
        eprintln!(
            "{count} worker processes: {holder} polls, {} IO calls per steady pass",
            calls[0]
        );
        steady.push(calls[0]);
    }
    assert_eq!(steady[0], steady[1], "1 and 5 workers");
    assert_eq!(steady[1], steady[2], "5 and 20 workers");
}
