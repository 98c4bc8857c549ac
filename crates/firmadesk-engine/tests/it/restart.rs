//! The team database restarted in the middle of a send (its own server: the shared test cluster serves the
//! other tests): the worker's connections break while IO Sign has just created the request; once the
//! server is back the send goes on from its durable mark — one request, one message, nothing lost.

use crate::common::*;
use firmadesk_engine::{Delivery, Engine, RowStore};
use firmadesk_store::{PgConfig, PgTls, Store};
use iosign_sandbox::HoldAt;
use std::sync::Arc;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_survives_the_team_database_restarting_under_it() {
    let server = firmadesk_testkit::pg::PrivateCluster::start("restart");
    let sb = sandbox(sandbox_config()).await;
    let office = crate::workers::Office::on(
        &sb,
        PgConfig {
            tls: PgTls::Off,
            ..PgConfig::new(server.url.clone(), None)
        },
    )
    .await;
    let db = Arc::new(office.db);
    let pdf = office.pdf.clone();
    let dir = &office.dir;
    let engine = Engine::builder(
        engine_config(&dir.path().join("archivio")),
        Arc::new(RowStore::new(db.clone())),
    )
    .build();
    engine.add_profile(PROFILE, client(&sb)).await.unwrap();
    let mut events = engine.subscribe();

    // IO Sign creates the request; before the worker hears the answer, the database goes down and up.
    let mut hold = sb.hold("createSignatureRequest", HoldAt::After);
    engine
        .submit("bozza-riavvio", spec_for(&pdf, Delivery::IoMessage))
        .await
        .unwrap();
    tokio::time::timeout(Duration::from_secs(30), hold.reached())
        .await
        .expect("the request is being created");
    server.restart();
    hold.release();

    completed(&mut events, "bozza-riavvio", 60).await;
    assert_eq!(sb.signature_request_count(), 1, "one request, not two");
    assert_eq!(sb.messages_sent(), 1);
    let row = db
        .request(&"bozza-riavvio".into())
        .await
        .unwrap()
        .expect("the request is kept");
    assert_eq!(row.status, firmadesk_store::Status::Waiting);
}
