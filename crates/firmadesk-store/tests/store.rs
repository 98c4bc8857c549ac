//! The store on real SQLite files: migrations, backups, integrity, constraints and every dashboard query.

use firmadesk_store::migrate::{Migration, MIGRATIONS};
use firmadesk_store::*;

const DAY: i64 = 24 * 3600 * 1000;
const NOW: i64 = 1_764_000_000_000;

fn profile(id: &str) -> Profile {
    Profile {
        id: id.into(),
        name: format!("Comune {id}"),
        environment: Environment::Prova,
        base_url: "http://127.0.0.1:1/api/v1/sign".into(),
        support_email: None,
        oidc_issuer: None,
        oidc_client_id: None,
        oidc_scopes: None,
    }
}

fn request(id: &str, status: Status, name: &str, cf: &str, title: &str, created: i64, expires: Option<i64>) -> Request {
    Request {
        id: id.into(),
        profile_id: "p1".into(),
        document_type: "Accordo".into(),
        title: title.into(),
        signer_name: name.into(),
        fiscal_code: cf.into(),
        status,
        io_status: None,
        io_request_id: None,
        dossier_id: None,
        signer_id: None,
        delivery: "io_message".into(),
        qr_code_url: None,
        reject_reason: None,
        created_at: created,
        updated_at: created,
        expires_at: expires,
        published_at: None,
        signed_at: None,
        archived: false,
        io_created_at: None,
        io_updated_at: None,
        expiry_notice: None,
    }
}

fn store_with_profile() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("firmadesk.db"), NOW).unwrap();
    store.upsert_profile(&profile("p1"), NOW).unwrap();
    (dir, store)
}

#[test]
fn a_new_file_is_migrated_in_wal_with_foreign_keys_and_reopening_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data/firmadesk.db");
    let store = Store::open(&path, NOW).unwrap();
    assert_eq!(store.pragma("journal_mode").unwrap(), "wal");
    assert_eq!(store.pragma("foreign_keys").unwrap(), "1");
    assert_eq!(store.pragma("busy_timeout").unwrap(), "5000");
    // Issue #10 item 4: a commit is on disk when it returns (WAL + NORMAL loses it on power cut).
    assert_eq!(store.pragma("synchronous").unwrap(), "2", "synchronous=FULL");
    assert!(store.backup_written().is_none(), "no backup for a brand-new database");
    store.upsert_profile(&profile("p1"), NOW).unwrap();
    drop(store);
    let again = Store::open(&path, NOW + 1).unwrap();
    assert!(again.backup_written().is_none(), "nothing pending, nothing backed up");
    assert_eq!(again.profiles().unwrap().len(), 1);
}

#[test]
fn a_pending_migration_is_preceded_by_a_backup_that_holds_the_old_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("firmadesk.db");
    let store = Store::open(&path, NOW).unwrap();
    store.upsert_profile(&profile("p1"), NOW).unwrap();
    drop(store);
    let mut next = MIGRATIONS.to_vec();
    next.push(Migration {
        id: "20261201T0000_notes",
        sql: "ALTER TABLE requests ADD COLUMN notes TEXT;",
    });
    let store = Store::open_with(&path, NOW, &next).unwrap();
    let backup = store.backup_written().expect("a backup before migrating").to_path_buf();
    assert!(backup
        .file_name()
        .unwrap()
        .to_string_lossy()
        .contains("before-20261201T0000_notes"));
    let old = Store::open(&backup, NOW).unwrap();
    assert_eq!(
        old.profiles().unwrap()[0].id,
        "p1",
        "the backup holds the data as it was"
    );
    drop(store);
    // A failing migration changes nothing: it runs in a transaction.
    let mut broken = next.clone();
    broken.push(Migration {
        id: "20261202T0000_broken",
        sql: "CREATE TABLE x (a); INSERT INTO nope VALUES (1);",
    });
    let err = Store::open_with(&path, NOW, &broken).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Migration);
    let store = Store::open_with(&path, NOW, &next).unwrap();
    assert_eq!(store.profiles().unwrap().len(), 1);
}

#[test]
fn a_database_from_a_newer_firmadesk_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("firmadesk.db");
    let mut next = MIGRATIONS.to_vec();
    next.push(Migration {
        id: "20270101T0000_future",
        sql: "CREATE TABLE future (a);",
    });
    drop(Store::open_with(&path, NOW, &next).unwrap());
    let err = Store::open(&path, NOW).unwrap_err();
    assert_eq!(err.kind, ErrorKind::NewerSchema);
    assert!(err.message.contains("versione più recente"));
}

#[test]
fn a_damaged_file_is_reported_with_the_backup_to_restore() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("firmadesk.db");
    let store = Store::open(&path, NOW).unwrap();
    store.upsert_profile(&profile("p1"), NOW).unwrap();
    for i in 0..300 {
        store
            .save_request(
                &request(
                    &format!("r{i}"),
                    Status::Waiting,
                    "Mario Rossi",
                    "RSSMRA80A01H501U",
                    "Accordo",
                    NOW,
                    None,
                ),
                &[],
                &[],
            )
            .unwrap();
    }
    drop(store);
    let mut next = MIGRATIONS.to_vec();
    next.push(Migration {
        id: "20261201T0000_notes",
        sql: "ALTER TABLE requests ADD COLUMN notes TEXT;",
    });
    let backup = Store::open_with(&path, NOW, &next)
        .unwrap()
        .backup_written()
        .unwrap()
        .to_path_buf();
    // Overwrite pages in the middle of the file (after the header) with garbage.
    let mut bytes = std::fs::read(&path).unwrap();
    let len = bytes.len();
    for b in &mut bytes[4096..len.min(4096 * 6)] {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    let _ = std::fs::remove_file(dir.path().join("firmadesk.db-wal"));
    let err = Store::open_with(&path, NOW, &next).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Corrupt, "{err:?}");
    assert!(err.message.contains(&backup.display().to_string()), "{}", err.message);
}

#[test]
fn constraints_refuse_bad_data() {
    let (_dir, store) = store_with_profile();
    let bad_cf = request("r1", Status::Draft, "Anna", "rssmra80a01h501u", "Accordo", NOW, None);
    store
        .upsert_signer("p1", &bad_cf.fiscal_code, "Anna", None)
        .unwrap_err();
    let short = request("r2", Status::Draft, "Anna", "RSSMRA80A01", "Accordo", NOW, None);
    assert_eq!(
        store.save_request(&short, &[], &[]).unwrap_err().kind,
        ErrorKind::Invalid
    );
    let mut orphan = request("r3", Status::Draft, "Anna", "RSSMRA80A01H501U", "Accordo", NOW, None);
    orphan.profile_id = "nobody".into();
    assert_eq!(
        store.save_request(&orphan, &[], &[]).unwrap_err().kind,
        ErrorKind::Invalid
    );
}

#[test]
fn no_column_could_hold_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("firmadesk.db");
    drop(Store::open(&path, NOW).unwrap());
    let conn = rusqlite_conn(&path);
    let mut stmt = conn
        .prepare("SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'")
        .unwrap();
    let columns: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert!(columns.len() > 40);
    for (table, column) in columns {
        let c = column.to_lowercase();
        assert!(
            !["key", "token", "secret", "password"].iter().any(|w| c.contains(w)),
            "{table}.{column} looks like it could hold a secret"
        );
    }
}

fn rusqlite_conn(path: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

#[test]
fn drafts_keep_documents_fields_and_their_timeline() {
    let (_dir, store) = store_with_profile();
    let r = request(
        "r1",
        Status::Draft,
        "Mario Rossi",
        "RSSMRA80A01H501U",
        "Accordo 2026",
        NOW,
        Some(NOW + 90 * DAY),
    );
    let docs = vec![Document {
        position: 0,
        title: "Accordo".into(),
        path: "/data/docs/a.pdf".into(),
        sha256: Some("a".repeat(64)),
        size: Some(1234),
        io_document_id: None,
        io_status: None,
        reject_reason: None,
    }];
    let fields = vec![
        Field {
            document: 0,
            position: 0,
            placement: Placement::Coordinates {
                page: 1,
                x: 72.0,
                y: 700.5,
                w: 200.0,
                h: 60.0,
            },
            clause_type: "REQUIRED".into(),
            clause_title: "Firma per accettazione".into(),
        },
        Field {
            document: 0,
            position: 1,
            placement: Placement::Existing {
                unique_name: "Firma1".into(),
            },
            clause_type: "OPTIONAL".into(),
            clause_title: "Presa visione".into(),
        },
    ];
    store.save_request(&r, &docs, &fields).unwrap();
    assert_eq!(store.request("r1").unwrap().unwrap(), r);
    assert_eq!(store.documents("r1").unwrap(), docs);
    assert_eq!(store.fields("r1").unwrap(), fields);
    // Saving the draft again replaces documents and fields as a whole.
    store.save_request(&r, &docs, &fields[..1]).unwrap();
    assert_eq!(store.fields("r1").unwrap().len(), 1);
    for (i, code) in ["created", "send.started", "send.uploaded"].iter().enumerate() {
        store
            .add_event(&Event {
                request_id: "r1".into(),
                at: NOW + 10,
                actor: "Anna Bianchi".into(),
                code: (*code).into(),
                text: format!("passo {i}"),
                detail_json: None,
            })
            .unwrap();
    }
    let codes: Vec<String> = store.events("r1").unwrap().into_iter().map(|e| e.code).collect();
    assert_eq!(
        codes,
        ["created", "send.started", "send.uploaded"],
        "same-time events keep their order"
    );
    assert_eq!(store.recent_events(1).unwrap()[0].code, "send.uploaded");
}

#[test]
fn sagas_dossiers_signers_and_archive_round_trip() {
    let (_dir, store) = store_with_profile();
    store
        .save_request(
            &request(
                "r1",
                Status::Sending,
                "Mario Rossi",
                "RSSMRA80A01H501U",
                "Accordo",
                NOW,
                None,
            ),
            &[],
            &[],
        )
        .unwrap();
    store
        .save_request(
            &request(
                "r2",
                Status::Waiting,
                "Mario Rossi",
                "RSSMRA80A01H501U",
                "Accordo",
                NOW,
                None,
            ),
            &[],
            &[],
        )
        .unwrap();
    let mut s = SendState {
        request_id: "r1".into(),
        step: "create_request".into(),
        state_json: "{}".into(),
        attempts: 1,
        next_attempt_at: Some(NOW + 5000),
        create_attempted_at: Some(NOW),
        last_error: Some("Servizio non raggiungibile".into()),
        updated_at: NOW,
    };
    store.save_send(&s).unwrap();
    store
        .save_send(&SendState {
            request_id: "r2".into(),
            step: "waiting".into(),
            ..s.clone()
        })
        .unwrap();
    assert_eq!(store.send("r1").unwrap().unwrap(), s);
    assert_eq!(
        store
            .unfinished_sends()
            .unwrap()
            .iter()
            .map(|s| s.request_id.as_str())
            .collect::<Vec<_>>(),
        ["r1"]
    );
    s.step = "waiting".into();
    store.save_send(&s).unwrap();
    assert!(store.unfinished_sends().unwrap().is_empty());

    store
        .upsert_document_type("Accordo", "Accordo di collaborazione", None, "[]")
        .unwrap();
    assert_eq!(
        store.document_types().unwrap()[0].dossier_title,
        "Accordo di collaborazione"
    );
    store.set_dossier_id("p1", "Accordo", "01DOSSIER").unwrap();
    assert_eq!(store.dossier_id("p1", "Accordo").unwrap().as_deref(), Some("01DOSSIER"));
    assert_eq!(
        store.dossiers("p1").unwrap(),
        [("Accordo".to_string(), "01DOSSIER".to_string())]
    );
    store
        .upsert_signer("p1", "RSSMRA80A01H501U", "Mario Rossi", None)
        .unwrap();
    assert_eq!(store.signer_id("p1", "RSSMRA80A01H501U").unwrap(), None);
    store
        .upsert_signer("p1", "RSSMRA80A01H501U", "Mario Rossi", Some("signer-1"))
        .unwrap();
    store
        .upsert_signer("p1", "RSSMRA80A01H501U", "Mario Rossi", None)
        .unwrap();
    assert_eq!(
        store.signer_id("p1", "RSSMRA80A01H501U").unwrap().as_deref(),
        Some("signer-1"),
        "a known id is kept"
    );

    let mut r2 = store.request("r2").unwrap().unwrap();
    r2.io_request_id = Some("01IOREQ".into());
    r2.dossier_id = Some("01DOSSIER".into());
    store.update_request(&r2).unwrap();
    assert_eq!(store.request_by_io_id("p1", "01IOREQ").unwrap().unwrap().id, "r2");
    assert_eq!(store.requests_in_dossier("p1", "01DOSSIER").unwrap().len(), 1);
    let file = ArchivedFile {
        request_id: "r2".into(),
        io_document_id: "01DOC".into(),
        path: "/archivio/2026/Accordo/x.pdf".into(),
        sha256: "b".repeat(64),
        size: 99,
        archived_at: NOW,
    };
    store.record_archive(&file).unwrap();
    assert_eq!(store.archived_files("r2").unwrap(), [file]);
}

fn seeded() -> (tempfile::TempDir, Store) {
    let (dir, store) = store_with_profile();
    let rows = [
        (
            "d1",
            Status::Draft,
            "Anna Bianchi",
            "BNCNNA85M41F205X",
            "Contratto affitto",
            None,
        ),
        (
            "s1",
            Status::Sending,
            "Luca Verdi",
            "VRDLCU70A01L219K",
            "Accordo quadro",
            None,
        ),
        (
            "q1",
            Status::Queued,
            "Sara Neri",
            "NRESRA90C45H501W",
            "Convenzione",
            None,
        ),
        (
            "w1",
            Status::Waiting,
            "Mario Rossi",
            "RSSMRA80A01H501U",
            "Accordo di collaborazione",
            Some(NOW + 30 * DAY),
        ),
        (
            "w2",
            Status::Waiting,
            "Paolo Gialli",
            "GLLPLA75B02F839T",
            "Accordo tirocinio",
            Some(NOW + 2 * DAY),
        ),
        (
            "w3",
            Status::Waiting,
            "Giulia Blu",
            "BLUGLI88D50A944Q",
            "Rinnovo",
            Some(NOW - DAY),
        ),
        (
            "g1",
            Status::Signed,
            "mario rossini",
            "RSSMRA81A01H501V",
            "Accordo firmato",
            None,
        ),
        (
            "j1",
            Status::Rejected,
            "Elena Rosa",
            "RSOLNE60E41G273S",
            "Domanda",
            None,
        ),
        (
            "c1",
            Status::Cancelled,
            "Dario Viola",
            "VLIDRA66H03D612P",
            "Accordo annullato",
            None,
        ),
    ];
    for (i, (id, st, name, cf, title, exp)) in rows.iter().enumerate() {
        store
            .save_request(
                &request(id, *st, name, cf, title, NOW - (10 - i as i64) * DAY, *exp),
                &[],
                &[],
            )
            .unwrap();
    }
    (dir, store)
}

#[test]
fn dashboard_counts_compute_expiry_from_now() {
    let (_dir, store) = seeded();
    let c = store.counts(NOW, 7 * DAY).unwrap();
    assert_eq!(
        (
            c.drafts,
            c.sending,
            c.waiting,
            c.signed,
            c.rejected,
            c.cancelled,
            c.failed,
            c.expiring,
            c.expired
        ),
        (1, 2, 3, 1, 1, 1, 0, 1, 1)
    );
    // Three days later w2 has expired too; a month later all three.
    let later = store.counts(NOW + 3 * DAY, 7 * DAY).unwrap();
    assert_eq!((later.expiring, later.expired), (0, 2));
    let much_later = store.counts(NOW + 31 * DAY, 7 * DAY).unwrap();
    assert_eq!((much_later.expiring, much_later.expired), (0, 3));
}

#[test]
fn lists_search_filter_sort_and_page() {
    let (_dir, store) = seeded();
    let ids = |q: ListQuery| -> Vec<String> { store.list(&q, NOW).unwrap().rows.into_iter().map(|r| r.id).collect() };
    // Case-insensitive search in name, fiscal code and title.
    assert_eq!(
        ids(ListQuery {
            text: Some("MARIO ROSS".into()),
            sort: Sort::Created,
            ascending: true,
            ..Default::default()
        }),
        ["w1", "g1"]
    );
    assert_eq!(
        ids(ListQuery {
            text: Some("glLPLA75".into()),
            ..Default::default()
        }),
        ["w2"]
    );
    assert_eq!(
        store
            .list(
                &ListQuery {
                    text: Some("accordo".into()),
                    ..Default::default()
                },
                NOW
            )
            .unwrap()
            .total,
        5
    );
    assert!(
        ids(ListQuery {
            text: Some("100%".into()),
            ..Default::default()
        })
        .is_empty(),
        "% is literal"
    );
    // Filters.
    assert_eq!(
        ids(ListQuery {
            statuses: vec![Status::Sending, Status::Queued],
            sort: Sort::Created,
            ascending: true,
            ..Default::default()
        }),
        ["s1", "q1"]
    );
    assert_eq!(
        ids(ListQuery {
            expiring_within_ms: Some(7 * DAY),
            ..Default::default()
        }),
        ["w2"]
    );
    assert_eq!(
        ids(ListQuery {
            expired_only: true,
            ..Default::default()
        }),
        ["w3"]
    );
    assert_eq!(
        ids(ListQuery {
            created_from: Some(NOW - 4 * DAY),
            created_to: Some(NOW - 2 * DAY),
            sort: Sort::Created,
            ascending: true,
            ..Default::default()
        }),
        ["g1", "j1"]
    );
    assert!(ids(ListQuery {
        profile_id: Some("p2".into()),
        ..Default::default()
    })
    .is_empty());
    // Sorts.
    assert_eq!(
        ids(ListQuery {
            statuses: vec![Status::Waiting],
            sort: Sort::ExpiresAt,
            ascending: true,
            ..Default::default()
        }),
        ["w3", "w2", "w1"]
    );
    assert_eq!(
        ids(ListQuery {
            sort: Sort::SignerName,
            ascending: true,
            limit: 3,
            ..Default::default()
        }),
        ["d1", "c1", "j1"]
    );
    // Pages cover everything once, in order.
    let mut seen = Vec::new();
    for page in 0..4 {
        let p = store
            .list(
                &ListQuery {
                    sort: Sort::Updated,
                    limit: 3,
                    offset: page * 3,
                    ..Default::default()
                },
                NOW,
            )
            .unwrap();
        assert_eq!(p.total, 9);
        seen.extend(p.rows.into_iter().map(|r| r.id));
    }
    assert_eq!(seen, ["c1", "j1", "g1", "w3", "w2", "w1", "q1", "s1", "d1"]);
}
