//! Impostazioni on the real window: the sandbox outage queues a send that completes when the service
//! returns; a profile with a wrong key is explained, and its key never leaks.

use crate::flow::{compose, contract_pdf, eventually, send, text_of, WORK_TIMEOUT};
use crate::harness::{App, TestResult};
use fantoccini::Locator;
use std::path::Path;
use std::time::Duration;

pub async fn open_settings(app: &App) -> TestResult {
    app.wait_for("[data-testid='nav-settings']").await?.click().await?;
    app.wait_for("[data-testid='language-select']").await?;
    Ok(())
}

#[tokio::test]
async fn a_send_during_an_outage_queues_and_completes_when_the_service_returns() {
    let app = App::launch("outage").await;
    let files = tempfile::tempdir().unwrap();
    let pdf = contract_pdf(files.path());
    let result: TestResult = async {
        open_settings(&app).await?;
        app.wait_for("[data-testid='sandbox-outage']").await?.click().await?;
        app.wait_for("[data-testid='nav-new']").await?.click().await?;
        compose(&app, &pdf).await?;
        send(&app).await?;
        let status = "[data-testid='request-status'][data-status='queued']";
        eventually("the send queued (in coda)", WORK_TIMEOUT, || async {
            app.client.find(Locator::Css(status)).await.ok()
        })
        .await?;
        app.screenshot("queued").await;
        app.assert_accessible("request detail (queued)").await?;

        open_settings(&app).await?;
        app.wait_for("[data-testid='sandbox-outage']").await?.click().await?;
        app.wait_for("[data-testid='nav-pending']").await?.click().await?;
        let row = "[data-testid='request-row'][data-status='waiting']";
        eventually("the queued send completed", WORK_TIMEOUT, || async {
            app.client.find(Locator::Css(row)).await.ok()
        })
        .await?;
        let rows = app.client.find_all(Locator::Css("[data-testid='request-row']")).await?;
        assert_eq!(rows.len(), 1, "sent once");
        Ok(())
    }
    .await;
    app.finish(result).await;
}

/// A Test profile on the embedded sandbox's URL, added from Impostazioni (with the tester codes typed,
/// when given); returns its row once saved.
pub async fn add_profile(
    app: &App,
    name: &str,
    key: &str,
    oidc: Option<(&str, &str)>,
    testers: Option<&str>,
) -> Result<fantoccini::elements::Element, Box<dyn std::error::Error + Send + Sync>> {
    open_settings(app).await?;
    let sandbox_url = app.wait_for("[data-testid='service-url']").await?.text().await?;
    app.wait_for("[data-testid='profile-add']").await?.click().await?;
    app.wait_for("[data-testid='profile-name']")
        .await?
        .send_keys(name)
        .await?;
    app.wait_for("[data-testid='profile-environment']")
        .await?
        .select_by_value("test")
        .await?;
    app.wait_for("[data-testid='profile-base-url']")
        .await?
        .send_keys(&sandbox_url)
        .await?;
    app.wait_for("[data-testid='profile-api-key']")
        .await?
        .send_keys(key)
        .await?;
    if let Some(codes) = testers {
        app.wait_for("[data-testid='profile-testers']")
            .await?
            .send_keys(codes)
            .await?;
    }
    if let Some((issuer, client_id)) = oidc {
        app.wait_for("[data-testid='profile-oidc-issuer']")
            .await?
            .send_keys(issuer)
            .await?;
        app.wait_for("[data-testid='profile-oidc-client-id']")
            .await?
            .send_keys(client_id)
            .await?;
    }
    app.wait_for("[data-testid='profile-save']").await?.click().await?;
    let row = eventually("the saved profile", Duration::from_secs(15), || async {
        for r in app
            .client
            .find_all(Locator::Css("[data-testid='profile-row']"))
            .await
            .ok()?
        {
            if r.text().await.ok()?.contains(name) {
                return Some(r);
            }
        }
        None
    })
    .await?;
    Ok(row)
}

/// Every file under `dir` (database, its WAL, logs, settings, caches).
fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                files_under(&p, out);
            } else {
                out.push(p);
            }
        }
    }
}

#[tokio::test]
async fn a_wrong_key_is_explained_and_no_key_leaks_to_disk_logs_or_the_ui() {
    let app = App::launch("profile_key").await;
    // Distinctive, so any copy of it is found.
    const KEY: &str = "fd-e2e-secret-key-7c1e9a40b3d2f5e8";
    let result: TestResult = async {
        // The embedded sandbox accepts only its own per-run key: this one is refused with a 401.
        let row = add_profile(&app, "Comune di Prova (test)", KEY, None, None).await?;
        row.find(Locator::Css("[data-testid='profile-verify']"))
            .await?
            .click()
            .await?;
        let message = eventually("the verification message", Duration::from_secs(20), || async {
            text_of(&app, "[data-testid='profile-message']")
                .await
                .filter(|t| t.contains("401"))
        })
        .await?;
        assert!(message.contains("Chiave API non valida o revocata"), "{message}");
        app.screenshot("settings-profiles").await;
        app.assert_accessible("settings (profiles)").await?;

        // What the UI holds: the page, and every read command's answer.
        let page = app.client.source().await?;
        assert!(!page.contains(KEY), "the key is still in the page");
        let answers = app
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 const inv = window.__TAURI__.core.invoke;
                 (async () => {
                   const out = [];
                   const profiles = await inv('list_profiles');
                   out.push(profiles);
                   for (const p of profiles) out.push(await inv('verify_profile', { id: p.id }));
                   out.push(await inv('app_info'), await inv('get_settings'), await inv('dashboard'));
                   out.push(await inv('list_requests', { query: { text: null, statuses: [], expiring_within_ms: null,
                     expired_only: false, profile_id: null, document_type: null, created_from: null, created_to: null,
                     sort: 'updated', ascending: false, limit: 50, offset: 0 } }));
                   return JSON.stringify(out);
                 })().then(done, e => done('ERROR ' + JSON.stringify(e)));",
                vec![],
            )
            .await?;
        let answers = answers.as_str().unwrap_or_default().to_owned();
        assert!(!answers.starts_with("ERROR"), "{answers}");
        assert!(answers.contains("Comune di Prova (test)"), "{answers}");
        assert!(!answers.contains(KEY), "an IPC answer carries the key");

        // What is on disk: the SQLite file and its WAL, logs, settings, caches.
        let mut files = Vec::new();
        files_under(app.data_dir(), &mut files);
        assert!(files.iter().any(|f| f.extension().is_some_and(|e| e == "db")));
        for f in files {
            let bytes = std::fs::read(&f)?;
            assert!(
                !bytes.windows(KEY.len()).any(|w| w == KEY.as_bytes()),
                "the key is written in {}",
                f.display()
            );
        }
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test]
async fn a_test_profile_refuses_a_signer_who_is_not_a_tester_before_any_call() {
    let app = App::launch("testers").await;
    let files = tempfile::tempdir().unwrap();
    let pdf = crate::flow::contract_pdf(files.path());
    let result: TestResult = async {
        // The key is not the sandbox's: any call would come back as a 401, not as the testers' rule.
        let row = add_profile(
            &app,
            "Comune in collaudo",
            "fd-e2e-testers-key-0123456789abcdef",
            None,
            Some("nrenna85m41f205s"),
        )
        .await?;
        let listed = row
            .find(Locator::Css("[data-testid='profile-row-testers']"))
            .await?
            .text()
            .await?;
        assert_eq!(listed, "NRENNA85M41F205S");
        row.find(Locator::Css("[data-testid='profile-activate']"))
            .await?
            .click()
            .await?;
        app.wait_for("[data-testid='nav-new']").await?.click().await?;
        crate::flow::compose(&app, &pdf).await?;
        let send = app.wait_for("[data-testid='send-request']").await?;
        eventually("an enabled send button", Duration::from_secs(10), || async {
            send.is_enabled().await.ok().filter(|e| *e)
        })
        .await?;
        send.click().await?;
        let error = eventually("the testers' refusal", Duration::from_secs(15), || async {
            text_of(&app, "[data-testid='app-error']").await.filter(|t| t.contains("tester"))
        })
        .await?;
        assert!(!error.contains("401"), "{error}");
        app.screenshot("not-a-tester").await;
        // Nothing lost, nothing sent: the form keeps what was typed, no request was made.
        let name = app.wait_for("[data-testid='signer-name']").await?.prop("value").await?;
        assert_eq!(name.as_deref(), Some("Mario Rossi"));
        let made = app
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 window.__TAURI__.core.invoke('dashboard').then(d => done(JSON.stringify(d.counts)), e => done('ERROR ' + JSON.stringify(e)));",
                vec![],
            )
            .await?;
        let counts: serde_json::Value = serde_json::from_str(made.as_str().unwrap_or_default())?;
        let total: i64 = counts.as_object().map(|m| m.values().filter_map(serde_json::Value::as_i64).sum()).unwrap_or(-1);
        assert_eq!(total, 0, "{counts}");
        Ok(())
    }
    .await;
    app.finish(result).await;
}

/// A document type made in Impostazioni: its own support email, and its default field moved on the sample
/// page with the keyboard; a PDF dropped for it gets the field there and sends. Deleted, an unused type goes;
/// one requests were sent with is archived and no longer offered in the form.
#[tokio::test]
async fn a_type_made_in_settings_places_its_field_on_the_pdf_and_once_used_is_archived_not_deleted() {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    use fantoccini::key::Key;
    let app = App::launch("types").await;
    let files = tempfile::tempdir().unwrap();
    let pdf = contract_pdf(files.path());
    let result: TestResult = async {
        open_settings(&app).await?;
        app.wait_for("[data-testid='type-new']").await?.click().await?;
        app.wait_for("[data-testid='type-name']")
            .await?
            .send_keys("Delibera")
            .await?;
        app.wait_for("[data-testid='type-title']")
            .await?
            .send_keys("Delibere di giunta")
            .await?;
        app.wait_for("[data-testid='type-email']")
            .await?
            .send_keys("giunta@comune.example")
            .await?;
        // The new field (345, 720 on A4): Shift+Left moves it 10 points, Up one.
        app.wait_for("[data-testid='type-sample-field']").await?.click().await?;
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down {
                value: Key::Shift.into(),
            })
            .then(KeyAction::Down {
                value: Key::Left.into(),
            })
            .then(KeyAction::Up {
                value: Key::Left.into(),
            })
            .then(KeyAction::Up {
                value: Key::Shift.into(),
            })
            .then(KeyAction::Down { value: Key::Up.into() })
            .then(KeyAction::Up { value: Key::Up.into() });
        app.client.perform_actions(keys).await?;
        let x = app.wait_for("[data-testid='type-field'] [data-coord='x']").await?;
        eventually("the field moved with the keyboard", Duration::from_secs(5), || async {
            x.prop("value").await.ok().flatten().filter(|v| v == "335")
        })
        .await?;
        // Drawn where it is: at the foot of the sample page, on the right.
        let drawn = app
            .client
            .execute(
                "const p = document.querySelector(\"[data-testid='type-sample']\").getBoundingClientRect(); \
                 const f = document.querySelector(\"[data-testid='type-sample-field']\").getBoundingClientRect(); \
                 return p.width > 100 && p.height > 100 && f.left > p.left + p.width / 2 && f.right < p.right \
                   && f.top > p.top + p.height * 0.75 && f.bottom < p.bottom;",
                vec![],
            )
            .await?;
        assert_eq!(drawn, serde_json::Value::Bool(true), "the field on the sample page");
        app.screenshot("type-editor").await;
        app.assert_accessible("document type editor").await?;
        app.wait_for("[data-testid='type-save']").await?.click().await?;
        app.wait_for_text_containing("[data-testid='templates-done']", "Delibera")
            .await?;
        let row = app
            .wait_for_text_containing("[data-testid='template-row'][data-name='Delibera']", "1 campo")
            .await?;
        assert!(row.contains("giunta@comune.example"), "{row}");

        // A PDF dropped for the type: the field where it was placed.
        app.wait_for("[data-testid='nav-new']").await?.click().await?;
        app.wait_for("[data-testid='document-type'] option[value='Delibera']")
            .await?;
        app.wait_for("[data-testid='document-type']")
            .await?
            .select_by_value("Delibera")
            .await?;
        crate::flow::fill_signer(&app, "Mario Rossi", "RSSMRA80A01H501U").await?;
        app.wait_for("[data-testid='pdf-input']")
            .await?
            .send_keys(&pdf.display().to_string())
            .await?;
        app.wait_for("[data-testid='field-box']").await?.click().await?;
        let x = app.wait_for("[data-testid='field-x']").await?.prop("value").await?;
        let y = app.wait_for("[data-testid='field-y']").await?.prop("value").await?;
        assert_eq!((x.as_deref(), y.as_deref()), (Some("335"), Some("719")));
        send(&app).await?;
        app.wait_for("[data-testid='timeline']").await?;

        // "Elimina": the unused "Convenzione" goes, the used "Delibera" is archived.
        for (name, outcome) in [("Convenzione", "eliminato"), ("Delibera", "archiviato")] {
            open_settings(&app).await?;
            app.wait_for(&format!(
                "[data-testid='template-row'][data-name='{name}'] [data-testid='type-remove']"
            ))
            .await?
            .click()
            .await?;
            app.wait_for("[data-testid='type-remove-confirm']")
                .await?
                .click()
                .await?;
            app.wait_for_text_containing("[data-testid='templates-done']", outcome)
                .await?;
        }
        app.wait_for("[data-testid='template-row'][data-name='Delibera'][data-archived='true']")
            .await?;
        assert!(
            app.client
                .find(Locator::Css("[data-testid='template-row'][data-name='Convenzione']"))
                .await
                .is_err(),
            "deleted"
        );
        app.wait_for("[data-testid='nav-new']").await?.click().await?;
        app.wait_for("[data-testid='document-type'] option[value='Accordo']")
            .await?;
        assert!(
            app.client
                .find(Locator::Css("[data-testid='document-type'] option[value='Delibera']"))
                .await
                .is_err(),
            "an archived type is not offered"
        );
        Ok(())
    }
    .await;
    app.finish(result).await;
}
