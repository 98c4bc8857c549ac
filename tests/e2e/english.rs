//! A clerk who chose English reads no Italian: every view of the flow (settings, dashboard, the new-request
//! form with its checks, the detail with its timeline, the lists, a send queued during an outage) and the
//! desktop notification, with the texts Rust writes (timeline, notification, preflight, send errors) as well
//! as the UI's.

use crate::flow::{compose, contract_pdf, eventually, send, BusMonitor, WORK_TIMEOUT};
use crate::harness::{App, TestResult};
use crate::settings::open_settings;
use fantoccini::Locator;
use std::collections::BTreeSet;
use std::time::Duration;

const ITALIAN: &str = include_str!("../../ui/locales/it.ftl");
const ENGLISH: &str = include_str!("../../ui/locales/en.ftl");

/// The Italian phrases of the catalogue: each message's literal text between its variables, where it is long
/// enough to be a phrase (two words, ten characters) and is not also English text (product names such as
/// "Firma con IO" appear in both).
fn italian_phrases() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in ITALIAN.lines() {
        let text = match line.split_once(" = ") {
            Some((id, value)) if !id.starts_with(' ') && !id.starts_with('#') => value,
            // Variants of a select: `    [one] 1 richiesta`, `   *[other] …`.
            _ => match line.trim_start().trim_start_matches('*').split_once("] ") {
                Some((key, value)) if key.starts_with('[') => value,
                _ => continue,
            },
        };
        for segment in text.split(['{', '}']) {
            let segment = segment.trim_matches(|c: char| c.is_whitespace() || ":,.;()«»“”\"'–-".contains(c));
            if segment.chars().count() >= 10
                && segment.contains(' ')
                && !segment.starts_with('$')
                && !ENGLISH.contains(segment)
            {
                out.insert(segment.to_owned());
            }
        }
    }
    out
}

/// What the clerk reads on the page: its text and the labels assistive technology reads.
async fn page_text(app: &App) -> Result<String, fantoccini::error::CmdError> {
    let v = app
        .client
        .execute(
            "const attrs = [...document.querySelectorAll('[aria-label],[title],[placeholder],[alt]')]
               .flatMap(e => ['aria-label', 'title', 'placeholder', 'alt'].map(a => e.getAttribute(a) || ''));
             return document.body.innerText + '\\n' + attrs.join('\\n');",
            vec![],
        )
        .await?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

/// Notes the Italian phrases on the page (with a screenshot); the test fails at the end with every view's.
async fn note_italian(app: &App, view: &str, phrases: &BTreeSet<String>, seen: &mut Vec<String>) -> TestResult {
    let text = page_text(app).await?;
    let found: Vec<&String> = phrases.iter().filter(|p| text.contains(p.as_str())).collect();
    if !found.is_empty() {
        app.screenshot(&format!("italian-in-{}", view.replace(' ', "-"))).await;
        seen.push(format!("{view}: {found:?}"));
    }
    Ok(())
}

#[test]
fn the_phrase_list_finds_italian_and_spares_english() {
    let phrases = italian_phrases();
    assert!(phrases.len() > 300, "{} phrases", phrases.len());
    assert!(phrases.contains("Richiesta creata e inviata a Firma con IO"));
    assert!(phrases
        .iter()
        .any(|p| p.contains("firmato su IO e salvato nell'archivio")));
    assert!(!phrases.iter().any(|p| ENGLISH.contains(p.as_str())));
}

#[tokio::test]
async fn an_english_clerk_reads_no_italian_in_any_view_or_notification() {
    let app = App::launch("english").await;
    let files = tempfile::tempdir().unwrap();
    let pdf = contract_pdf(files.path());
    let phrases = italian_phrases();
    let mut italian = Vec::new();
    let result: TestResult = async {
        open_settings(&app).await?;
        app.wait_for("[data-testid='language-select']")
            .await?
            .select_by_value("en")
            .await?;
        app.wait_for_text("[data-testid='nav-settings']", "Settings").await?;
        note_italian(&app, "settings", &phrases, &mut italian).await?;

        app.wait_for("[data-testid='nav-dashboard']").await?.click().await?;
        app.wait_for_text("[data-testid='count-pending']", "0").await?;
        note_italian(&app, "dashboard", &phrases, &mut italian).await?;

        app.wait_for("[data-testid='nav-new']").await?.click().await?;
        compose(&app, &pdf).await?;
        note_italian(&app, "new request", &phrases, &mut italian).await?;
        app.screenshot("new-request-en").await;

        send(&app).await?;
        app.wait_for("[data-testid='nav-pending']").await?.click().await?;
        let row = "[data-testid='request-row'][data-status='waiting']";
        eventually("the request waiting for signature", WORK_TIMEOUT, || async {
            app.client.find(Locator::Css(row)).await.ok()
        })
        .await?;
        note_italian(&app, "pending", &phrases, &mut italian).await?;
        app.wait_for(row).await?.click().await?;
        app.wait_for("[data-testid='timeline-item'][data-code='step_finished:notify']")
            .await?;
        note_italian(&app, "request detail (waiting)", &phrases, &mut italian).await?;

        let monitor = BusMonitor::start();
        app.wait_for("[data-testid='simulate-sign']").await?.click().await?;
        app.wait_for("[data-testid='download-signed']").await?;
        app.wait_for("[data-testid='timeline-item'][data-code='archived']")
            .await?;
        note_italian(&app, "request detail (signed)", &phrases, &mut italian).await?;
        app.screenshot("detail-signed-en").await;
        let notified =
            tokio::task::spawn_blocking(move || monitor.saw("Document signed", Duration::from_secs(20))).await?;
        assert!(notified, "no English desktop notification on the session bus");

        app.wait_for("[data-testid='nav-dashboard']").await?.click().await?;
        app.wait_for_text("[data-testid='count-signed']", "1").await?;
        note_italian(&app, "dashboard (after)", &phrases, &mut italian).await?;
        app.wait_for("[data-testid='nav-signed']").await?.click().await?;
        app.wait_for("[data-testid='request-row'][data-status='signed']")
            .await?;
        note_italian(&app, "signed", &phrases, &mut italian).await?;

        // A send during an outage: the queued send and its reason, live and after a fresh read.
        open_settings(&app).await?;
        app.wait_for("[data-testid='sandbox-outage']").await?.click().await?;
        app.wait_for("[data-testid='nav-new']").await?.click().await?;
        compose(&app, &pdf).await?;
        send(&app).await?;
        // The engine's reason is Italian text of its own (not in the catalogue): it must reach the clerk
        // worded by its kind.
        let offline = "The Firma con IO service cannot be reached";
        // The detail re-renders as the queued send's events arrive: its nodes are found afresh each try.
        app.wait_for_text_containing("[data-testid='send-queued']", offline)
            .await?;
        note_italian(&app, "request detail (queued, live)", &phrases, &mut italian).await?;
        // Away and back: the detail is read again from the desk (the saved send and its reason).
        let detail = app.client.current_url().await?;
        app.wait_for("[data-testid='nav-dashboard']").await?.click().await?;
        app.wait_for("[data-testid='count-pending']").await?;
        app.client.goto(detail.as_str()).await?;
        app.wait_for_text_containing("[data-testid='send-queued']", offline)
            .await?;
        note_italian(&app, "request detail (queued)", &phrases, &mut italian).await?;
        app.screenshot("queued-en").await;
        if !italian.is_empty() {
            return Err(format!("Italian in English views:\n{}", italian.join("\n")).into());
        }
        Ok(())
    }
    .await;
    app.finish(result).await;
}
