//! The EU trusted lists where the engine runs (issue #14), against a real HTTP server on loopback: fetched,
//! checked, kept whole, read back with their signatures checked again, never replaced by an older or an
//! unsigned list, and withdrawn once out of date.

use firmadesk_engine::trusted_lists::{keep_current, load, refresh, Source, Status};
use firmadesk_testkit::trusted_lists::{lotl, lotl_with, national, ListSigner, TestLotl, TestService};
use firmadesk_verify::trusted_list::{SharedAnchors, CA_QC, GRANTED};
use std::sync::{Arc, Mutex};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const LATER: &str = "2099-01-01T00:00:00Z";
/// How the test LOTLs name the Official Journal notice of the pinned signers.
const NOTICE: &str = "C_209900001";
const OJ: &str = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=OJ:C_209900001";

struct Lists {
    eu: ListSigner,
    it: ListSigner,
    authority: Vec<u8>,
}

impl Lists {
    fn new() -> Self {
        Self {
            eu: ListSigner::generate("EU test"),
            it: ListSigner::generate("IT test"),
            authority: ListSigner::generate("Test qualified CA").certificate,
        }
    }

    fn italian(&self, sequence: u64, next_update: &str) -> String {
        let service = TestService {
            kind: CA_QC,
            certificate: self.authority.clone(),
            status: (GRANTED, "2016-07-01T00:00:00Z".into()),
            history: Vec::new(),
        };
        national(&self.it, "IT", sequence, &[service], next_update)
    }

    fn source(&self, server: &MockServer) -> Source {
        Source {
            lotl_url: format!("{}/eu-lotl.xml", server.uri()),
            pins: vec![self.eu.certificate.clone()],
            notice: NOTICE.into(),
            territories: vec!["IT".into()],
        }
    }

    /// Serves the LOTL (pointing at the Italian list on the same server) and the Italian list.
    async fn serve(&self, server: &MockServer, italian: String) {
        server.reset().await;
        let lotl = lotl(
            &self.eu,
            "IT",
            &format!("{}/TSL-IT.xml", server.uri()),
            &[&self.it],
            LATER,
        );
        Mock::given(method("GET"))
            .and(path("/eu-lotl.xml"))
            .respond_with(ResponseTemplate::new(200).set_body_string(lotl))
            .mount(server)
            .await;
        Mock::given(method("GET"))
            .and(path("/TSL-IT.xml"))
            .respond_with(ResponseTemplate::new(200).set_body_string(italian))
            .mount(server)
            .await;
    }
}

#[tokio::test]
async fn the_lists_are_fetched_checked_kept_and_read_back_offline() {
    let lists = Lists::new();
    let server = MockServer::start().await;
    lists.serve(&server, lists.italian(70, LATER)).await;
    let dir = tempfile::tempdir().unwrap();
    let source = lists.source(&server);

    let fetched = refresh(dir.path(), &source).await.unwrap();
    assert_eq!((fetched.lotl.territory.as_str(), fetched.lists[0].sequence), ("EU", 70));
    let anchors = fetched.anchors_at(time::OffsetDateTime::now_utc());
    assert_eq!(anchors.len(), 1);
    assert_eq!(anchors[0].certificate, lists.authority);

    // Offline: the kept files serve, their signatures checked again.
    drop(server);
    let kept = load(dir.path(), &source).unwrap();
    assert_eq!(kept.lists[0].sequence, 70);
    // A kept file changed on disk is not trusted.
    let file = dir.path().join("IT.xml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("Test provider", "Other provider")).unwrap();
    let refused = load(dir.path(), &source).unwrap_err();
    assert!(refused.starts_with("IT:"), "{refused}");
}

#[tokio::test]
async fn an_older_or_unsigned_list_never_replaces_the_one_kept() {
    let lists = Lists::new();
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let source = lists.source(&server);
    lists.serve(&server, lists.italian(70, LATER)).await;
    refresh(dir.path(), &source).await.unwrap();
    let kept = std::fs::read(dir.path().join("IT.xml")).unwrap();

    // An older issue (a replay): refused, the kept one stays.
    lists.serve(&server, lists.italian(69, LATER)).await;
    let older = refresh(dir.path(), &source).await.unwrap_err();
    assert!(older.contains("older"), "{older}");
    assert_eq!(std::fs::read(dir.path().join("IT.xml")).unwrap(), kept);

    // A list signed by someone the LOTL does not name: refused, nothing written.
    let stranger = ListSigner::generate("IT test");
    let forged = national(
        &stranger,
        "IT",
        71,
        &[TestService {
            kind: CA_QC,
            certificate: stranger.certificate.clone(),
            status: (GRANTED, "2016-07-01T00:00:00Z".into()),
            history: Vec::new(),
        }],
        LATER,
    );
    lists.serve(&server, forged).await;
    let unsigned = refresh(dir.path(), &source).await.unwrap_err();
    assert!(unsigned.starts_with("IT:"), "{unsigned}");
    assert_eq!(std::fs::read(dir.path().join("IT.xml")).unwrap(), kept);

    // A LOTL with another signer than the pinned ones: nothing is read from it.
    let other_pins = Source {
        pins: vec![ListSigner::generate("EU test").certificate],
        ..source.clone()
    };
    let empty = tempfile::tempdir().unwrap();
    lists.serve(&server, lists.italian(72, LATER)).await;
    let lotl = refresh(empty.path(), &other_pins).await.unwrap_err();
    assert!(lotl.starts_with("LOTL:"), "{lotl}");
    assert!(!empty.path().join("eu-lotl.xml").exists());

    // A newer issue replaces the kept one.
    refresh(dir.path(), &source).await.unwrap();
    assert_eq!(load(dir.path(), &source).unwrap().lists[0].sequence, 72);
}

#[tokio::test]
async fn lists_past_their_next_update_give_no_anchors_and_keeping_them_current_sets_the_shared_ones() {
    let lists = Lists::new();
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let source = lists.source(&server);
    lists.serve(&server, lists.italian(70, "2020-01-01T00:00:00Z")).await;
    let stale = refresh(dir.path(), &source).await.unwrap();
    assert!(stale.out_of_date(time::OffsetDateTime::now_utc()));
    assert!(stale.anchors_at(time::OffsetDateTime::now_utc()).is_empty());

    lists.serve(&server, lists.italian(71, LATER)).await;
    let anchors = SharedAnchors::default();
    let status = Arc::new(Mutex::new(Status::default()));
    let task = tokio::spawn(keep_current(
        dir.path().to_path_buf(),
        source,
        anchors.clone(),
        status.clone(),
    ));
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let seen = status.lock().unwrap().clone();
        if seen.lists.iter().any(|(t, n)| t == "IT" && *n == 71) {
            assert_eq!(seen.problem, None);
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the lists were not refreshed: {seen:?}"
        );
        tokio::task::yield_now().await;
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(anchors.get().len(), 1, "the refreshed list's authority");
    task.abort();
}

/// The Commission moved to new LOTL signers after the notice FirmaDesk pins: the LOTL lists a pivot LOTL (signed
/// by the pinned signer) whose pointer to the LOTL names the new signer. The pivot is followed and kept, so the
/// lists read back offline; a LOTL following another notice is refused with what to do.
#[tokio::test]
async fn a_lotl_signed_by_new_signers_is_followed_through_its_pivot() {
    let lists = Lists::new();
    let newer = ListSigner::generate("EU test 2027");
    let server = MockServer::start().await;
    let it_url = format!("{}/TSL-IT.xml", server.uri());
    let lotl_url = format!("{}/eu-lotl.xml", server.uri());
    let pivot_url = format!("{}/eu-lotl-pivot-400.xml", server.uri());
    let pivot = lotl_with(&TestLotl {
        signer: &lists.eu,
        sequence: 400,
        pointers: vec![
            ("EU".into(), lotl_url.clone(), vec![&newer]),
            ("IT".into(), it_url.clone(), vec![&lists.it]),
        ],
        scheme_uris: vec![OJ.into()],
        next_update: LATER.into(),
    });
    let current = |uris: Vec<String>| {
        lotl_with(&TestLotl {
            signer: &newer,
            sequence: 401,
            pointers: vec![
                ("EU".into(), lotl_url.clone(), vec![&newer]),
                ("IT".into(), it_url.clone(), vec![&lists.it]),
            ],
            scheme_uris: uris,
            next_update: LATER.into(),
        })
    };
    let serve = |lotl: String| {
        let (pivot, it) = (pivot.clone(), lists.italian(70, LATER));
        let server = &server;
        async move {
            server.reset().await;
            for (at, body) in [
                ("/eu-lotl.xml", lotl),
                ("/eu-lotl-pivot-400.xml", pivot),
                ("/TSL-IT.xml", it),
            ] {
                Mock::given(method("GET"))
                    .and(path(at))
                    .respond_with(ResponseTemplate::new(200).set_body_string(body))
                    .mount(server)
                    .await;
            }
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let source = lists.source(&server);

    serve(current(vec![pivot_url.clone(), OJ.into()])).await;
    let loaded = refresh(dir.path(), &source).await.unwrap();
    assert_eq!(
        (loaded.lotl.sequence, loaded.lotl.signer.clone()),
        (401, newer.certificate.clone())
    );
    assert!(dir.path().join("pivot-1.xml").exists());
    drop(server);
    assert_eq!(
        load(dir.path(), &source).unwrap().lotl.sequence,
        401,
        "offline, through the kept pivot"
    );

    // Another notice than the pinned one: FirmaDesk must be updated.
    let server = MockServer::start().await;
    let other = Source {
        lotl_url: format!("{}/eu-lotl.xml", server.uri()),
        ..source.clone()
    };
    Mock::given(method("GET"))
        .and(path("/eu-lotl.xml"))
        .respond_with(ResponseTemplate::new(200).set_body_string(current(vec![
            "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=OJ:C_209999999".into(),
        ])))
        .mount(&server)
        .await;
    let empty = tempfile::tempdir().unwrap();
    let refused = refresh(empty.path(), &other).await.unwrap_err();
    assert!(refused.contains("update FirmaDesk"), "{refused}");
}
