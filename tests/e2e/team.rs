//! Team mode on the real windows: two FirmaDesk windows (two data folders, two WebDriver sessions) on one
//! team database (a scratch database on the PostgreSQL test cluster), the headless worker (`firmadesk
//! worker`, a real process) holding the office's key, and the sandbox as IO Sign. Desk A sends; desk B,
//! which holds no key and does nothing, sees the request appear; the citizen signs; both show it signed.

use crate::flow::{compose, contract_pdf, eventually, send, WORK_TIMEOUT};
use crate::harness::{app_binary, App, TestResult};
use fantoccini::Locator;
use firmadesk_store::{Environment, ListQuery, PgConfig, PgStore, PgTls, Profile, Store};
use std::path::Path;
use std::time::Duration;

const KEY: &str = "e2e-ufficio-key";
const PROFILE: &str = "ufficio";

/// A data folder set for Modalità ufficio on `url`, working on the office's profile.
fn office_folder(dir: &Path, url: &str) {
    let settings = serde_json::json!({
        "team": { "url": url, "tls": false },
        "active_profile": PROFILE,
    });
    std::fs::write(dir.join("settings.json"), serde_json::to_vec(&settings).unwrap()).unwrap();
}

/// The keyring entry of the team database's password (as Impostazioni › Modalità ufficio saves it),
/// removed when the test ends.
struct TeamPassword;

impl TeamPassword {
    fn set(password: &str) -> TeamPassword {
        use firmadesk_auth::SecretStore;
        firmadesk_auth::KeyringStore::new()
            .set(
                firmadesk_auth::SERVICE,
                firmadesk_auth::TEAM_DATABASE_PASSWORD,
                &firmadesk_auth::Secret::new(password),
            )
            .expect("the session's keyring (cargo xtask test provides one)");
        TeamPassword
    }
}

impl Drop for TeamPassword {
    fn drop(&mut self) {
        use firmadesk_auth::SecretStore;
        let _ =
            firmadesk_auth::KeyringStore::new().delete(firmadesk_auth::SERVICE, firmadesk_auth::TEAM_DATABASE_PASSWORD);
    }
}

#[tokio::test]
async fn two_windows_on_one_database_a_sends_b_sees_it_live_and_both_see_it_signed() {
    let sb = iosign_sandbox::Sandbox::start(iosign_sandbox::SandboxConfig {
        api_keys: vec![KEY.into()],
        validation_delay: Duration::from_millis(200),
        publish_delay: Duration::from_millis(200),
        ..iosign_sandbox::SandboxConfig::default()
    })
    .await
    .expect("sandbox");
    let db = firmadesk_testkit::pg::scratch_database("e2e_team").await;
    let store = PgStore::connect(
        &PgConfig {
            tls: PgTls::Off,
            ..PgConfig::new(db.url.clone(), Some(db.password.clone()))
        },
        0,
    )
    .await
    .expect("the team database");
    store
        .upsert_profile(
            &Profile::new(PROFILE, "Ufficio contratti", Environment::Test, sb.base_url()),
            0,
        )
        .await
        .unwrap();
    let _password = TeamPassword::set(&db.password);

    // The worker, with the key in its credentials folder.
    let work = tempfile::tempdir().unwrap();
    let keys = work.path().join("chiavi");
    std::fs::create_dir(&keys).unwrap();
    firmadesk_testkit::private_file(&keys.join(format!("iosign-{PROFILE}")), KEY);
    firmadesk_testkit::private_file(&keys.join("database-password"), &db.password);
    let worker_log = std::fs::File::create(work.path().join("worker.log")).unwrap();
    let mut worker = tokio::process::Command::new(app_binary())
        .args([
            "worker",
            "--database",
            &db.url,
            "--database-no-tls",
            "--name",
            "worker-e2e",
        ])
        .arg("--keys-dir")
        .arg(&keys)
        .arg("--archive")
        .arg(work.path().join("archivio"))
        .args(["--poll", "1s", "--step-poll", "250ms", "--lease-renew", "1s"])
        .stderr(worker_log)
        .kill_on_drop(true)
        .spawn()
        .expect("firmadesk worker starts");

    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    office_folder(dir_a.path(), &db.url);
    office_folder(dir_b.path(), &db.url);
    let a = App::launch_on("team_a", dir_a.path()).await;
    let b = App::launch_on("team_b", dir_b.path()).await;
    let files = tempfile::tempdir().unwrap();
    let pdf = contract_pdf(files.path());

    let result: TestResult = async {
        // B follows the office's pending requests and touches nothing from now on.
        b.wait_for("[data-testid='nav-pending']").await?.click().await?;
        b.wait_for("[data-testid='view-title']").await?;

        a.wait_for("[data-testid='nav-new']").await?.click().await?;
        compose(&a, &pdf).await?;
        send(&a).await?;

        let row = "[data-testid='request-row'][data-status='waiting']";
        eventually("desk B shows A's request waiting, by itself", WORK_TIMEOUT, || async {
            b.client.find(Locator::Css(row)).await.ok()
        })
        .await?;
        b.screenshot("team-b-sees-a").await;
        b.assert_accessible("pending (team)").await?;

        // The citizen signs; the worker archives it; both windows show it signed.
        b.wait_for("[data-testid='nav-dashboard']").await?.click().await?;
        b.wait_for_text("[data-testid='count-signed']", "0").await?;
        let page = store.list(&ListQuery::default(), 0).await?;
        let io_id = page.rows[0].io_request_id.clone().ok_or("the request has its IO id")?;
        sb.sign(io_id.as_str()).await?;
        eventually(
            "desk B's dashboard counts it signed, by itself",
            WORK_TIMEOUT,
            || async {
                crate::flow::text_of(&b, "[data-testid='count-signed']")
                    .await
                    .filter(|t| t.trim() == "1")
            },
        )
        .await?;
        a.wait_for("[data-testid='nav-signed']").await?.click().await?;
        eventually("desk A lists it signed", WORK_TIMEOUT, || async {
            a.client
                .find(Locator::Css("[data-testid='request-row'][data-status='signed']"))
                .await
                .ok()
        })
        .await?;
        a.screenshot("team-a-signed").await;
        Ok(())
    }
    .await;
    let _ = worker.start_kill();
    let _ = worker.wait().await;
    if result.is_err() {
        eprintln!(
            "worker log:\n{}",
            std::fs::read_to_string(work.path().join("worker.log")).unwrap_or_default()
        );
    }
    let shared = result.as_ref().err().map(ToString::to_string);
    b.finish(shared.map_or(Ok(()), |e| Err(e.into()))).await;
    a.finish(result).await;
}
