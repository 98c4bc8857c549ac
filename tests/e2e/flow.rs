//! The clerk's main path on the real window, in Modalità prova: a new request with a PDF and a field
//! drawn with the mouse, sent, signed by the simulated citizen, archived and announced on the desktop.
//! And what bad input looks like: a wrong fiscal code, an encrypted PDF, a file that is not a PDF.

use crate::harness::{App, TestResult, UI_TIMEOUT};
use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
use fantoccini::Locator;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a send or a sync may take on the embedded sandbox (validation and publish polls are 2 s).
pub const WORK_TIMEOUT: Duration = Duration::from_secs(60);

/// A one-page A4 contract, named so that its title (and the request's proposed title) is "Accordo di
/// collaborazione".
pub fn contract_pdf(dir: &Path) -> PathBuf {
    let bytes =
        firmadesk_testkit::pdf::with_lines(&[(18, 760, "Accordo di collaborazione"), (11, 120, "Firma del cittadino")]);
    let path = dir.join("Accordo_di_collaborazione.pdf");
    std::fs::write(&path, bytes).expect("write pdf");
    path
}

/// A `PATH` whose first `xdg-open` records what the app asks the desktop to open (one line per call in the
/// returned log) instead of starting a PDF reader on the test display; the rest of `PATH` as it was.
pub fn recording_opener(dir: &Path) -> (String, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("opener-bin");
    std::fs::create_dir_all(&bin).expect("opener dir");
    let log = dir.join("opened.log");
    let script = bin.join("xdg-open");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n", log.display()),
    )
    .expect("stub");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    (path, log)
}

/// The text of a PDF as poppler's `pdftotext` reads it (an independent reader), in reading order.
pub fn pdf_text(pdf: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    assert!(out.status.success(), "pdftotext failed on {}", pdf.display());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Waits until `check` finds what it wants, polling the page every 100 ms, within `timeout`.
pub async fn eventually<T, F, Fut>(what: &str, timeout: Duration, mut check: F) -> Result<T, String>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(v) = check().await {
            return Ok(v);
        }
        if Instant::now() >= deadline {
            return Err(format!("timed out waiting for {what}"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub async fn text_of(app: &App, css: &str) -> Option<String> {
    app.client.find(Locator::Css(css)).await.ok()?.text().await.ok()
}

/// Clicks what `css` finds, found afresh until a click lands: the detail redraws as the engine reports, and
/// a node found just before a redraw is gone.
pub async fn click_fresh(app: &App, css: &str) -> Result<(), String> {
    eventually(&format!("a click on {css}"), Duration::from_secs(15), || async {
        app.client.find(Locator::Css(css)).await.ok()?.click().await.ok()
    })
    .await
}

/// Types `text` into the input `css` finds until it holds exactly that, found afresh each time (a redraw
/// keeps what was typed but replaces the node; a part typed before it is cleared and typed again).
pub async fn fill_fresh(app: &App, css: &str, text: &str) -> Result<(), String> {
    eventually(&format!("{css} holding {text:?}"), Duration::from_secs(15), || async {
        let input = app.client.find(Locator::Css(css)).await.ok()?;
        let value = input.prop("value").await.ok().flatten().unwrap_or_default();
        if value == text {
            return Some(());
        }
        if value.is_empty() {
            let _ = input.send_keys(text).await;
        } else {
            let _ = input.clear().await;
        }
        None
    })
    .await
}

pub use firmadesk_testkit::bus::BusMonitor;

pub async fn fill_signer(app: &App, name: &str, cf: &str) -> Result<(), fantoccini::error::CmdError> {
    app.wait_for("[data-testid='signer-name']")
        .await?
        .send_keys(name)
        .await?;
    app.wait_for("[data-testid='signer-fiscal-code']")
        .await?
        .send_keys(cf)
        .await?;
    Ok(())
}

/// Fills the new-request form as the body describes the flow: the document type, the signer, the PDF
/// (and one box drawn with the mouse); the request title is the one proposed from the type and the PDF.
pub async fn compose(app: &App, pdf: &Path) -> TestResult {
    app.wait_for("[data-testid='document-type']")
        .await?
        .select_by_value("Accordo")
        .await?;
    fill_signer(app, "Mario Rossi", "RSSMRA80A01H501U").await?;
    app.wait_for("[data-testid='pdf-input']")
        .await?
        .send_keys(&pdf.display().to_string())
        .await?;
    let title = app.wait_for("[data-testid='request-title']").await?;
    let stem = pdf
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .replace('_', " ");
    eventually("the proposed request title", Duration::from_secs(15), || async {
        title.prop("value").await.ok().flatten().filter(|v| *v == stem)
    })
    .await?;

    // Draw the signature box on the rendered page with the mouse.
    // The preview is rendered by the core (pdfium) and may be re-rendered: wait for a decoded image,
    // then take the element that is there.
    eventually("the page preview", Duration::from_secs(15), || async {
        let loaded = app
            .client
            .execute(
                "const i = document.querySelector(\"[data-testid='page-preview'] img\"); \
                 return !!i && i.complete && i.naturalWidth > 0;",
                vec![],
            )
            .await
            .ok()?;
        (loaded == serde_json::Value::Bool(true)).then_some(())
    })
    .await?;
    let preview = app.wait_for("[data-testid='page-preview'] img").await?;
    // Pointer actions do not scroll: put the page's centre in the middle of the window first.
    app.client
        .execute(
            "arguments[0].scrollIntoView({ block: 'center', inline: 'center' }); return true;",
            vec![serde_json::to_value(&preview)?],
        )
        .await?;
    let drag = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement {
            element: preview.clone(),
            duration: None,
            x: -60.0,
            y: 100.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::MoveBy {
            duration: Some(Duration::from_millis(150)),
            x: 140.0,
            y: 40.0,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    app.client.perform_actions(drag).await?;
    app.wait_for("[data-testid='field-box']").await?;
    let w: f64 = app
        .wait_for("[data-testid='field-w']")
        .await?
        .prop("value")
        .await?
        .unwrap_or_default()
        .parse()?;
    assert!(w > 20.0, "the drawn box is {w} pt wide");
    let clause = app.wait_for("[data-testid='clause-title']").await?;
    if clause.prop("value").await?.unwrap_or_default().chars().count() < 5 {
        clause.send_keys("Firma per accettazione").await?;
    }
    Ok(())
}

/// Clicks "Richiedi firma" once it is enabled.
pub async fn send(app: &App) -> TestResult {
    let send = app.wait_for("[data-testid='send-request']").await?;
    eventually("an enabled send button", Duration::from_secs(10), || async {
        send.is_enabled().await.ok().filter(|e| *e)
    })
    .await?;
    let clicked = send.click().await;
    // The click starts the send, which first asks the service's second opinion: the form leaves for the
    // request's detail (or the dashboard, for a send kept on this desk) when the desk has taken it. Wait for
    // that, so the next step does not race the form's own navigation. WebKitWebDriver may report an error
    // for a click that did happen (the view changes under it): only a click that went nowhere fails.
    let reached = eventually("the form to hand the request over", WORK_TIMEOUT, || async {
        let url = app.client.current_url().await.ok()?;
        url.fragment()
            .filter(|f| f.starts_with("/request/") || f.starts_with("/dashboard"))
            .map(|_| ())
    })
    .await;
    match (clicked, reached) {
        (_, Ok(())) => Ok(()),
        (Err(e), Err(_)) => Err(e.into()),
        (Ok(_), Err(e)) => Err(e.into()),
    }
}

#[tokio::test]
async fn a_request_goes_from_the_form_to_the_signed_archive() {
    let files = tempfile::tempdir().unwrap();
    let (path, opened) = recording_opener(files.path());
    let app = App::launch_env("request_flow", &[("PATH", &path)]).await;
    let pdf = contract_pdf(files.path());
    let result: TestResult = async {
        app.wait_for_text("[data-testid='count-pending']", "0").await?;
        app.screenshot("dashboard-empty").await;
        app.assert_accessible("dashboard").await?;
        app.wait_for("[data-testid='nav-new']").await?.click().await?;

        compose(&app, &pdf).await?;
        app.screenshot("new-request").await;
        app.assert_accessible("new request").await?;

        send(&app).await?;

        // The detail shows the send; the request reaches "in attesa di firma".
        app.wait_for("[data-testid='timeline']").await?;
        app.screenshot("sending").await;
        app.wait_for("[data-testid='nav-pending']").await?.click().await?;
        let row = "[data-testid='request-row'][data-status='waiting']";
        eventually("the request waiting for signature", WORK_TIMEOUT, || async {
            app.client.find(Locator::Css(row)).await.ok()
        })
        .await?;
        app.screenshot("pending").await;
        app.assert_accessible("pending").await?;
        app.wait_for(row).await?.click().await?;

        // At the counter: the QR code full screen, closed with Esc.
        app.wait_for("[data-testid='show-qr']").await?.click().await?;
        app.wait_for("[data-testid='qr-dialog']").await?;
        let qr = eventually("the QR image", Duration::from_secs(15), || async {
            let img = app.client.find(Locator::Css("[data-testid='qr-image']")).await.ok()?;
            img.attr("src")
                .await
                .ok()?
                .filter(|s| s.starts_with("data:image/png;base64,"))
        })
        .await?;
        assert!(qr.len() > 200, "a real PNG");
        app.screenshot("qr").await;
        app.assert_accessible("QR dialog").await?;
        app.wait_for("[data-testid='qr-dialog']")
            .await?
            .send_keys("\u{E00C}")
            .await?;
        eventually("the QR dialog closed", Duration::from_secs(5), || async {
            match app.client.find(Locator::Css("[data-testid='qr-dialog']")).await {
                Err(_) => Some(()),
                Ok(el) => (!el.is_displayed().await.unwrap_or(true)).then_some(()),
            }
        })
        .await?;

        // Issue #16: the citizen's sheet, printed from the detail: a PDF in the exports, opened in the PDF
        // reader, with IO's link, the deadline as IO words it and the QR code.
        app.wait_for("[data-testid='print-sheet']").await?.click().await?;
        let sheet = PathBuf::from(app.wait_for("[data-testid='print-sheet-path']").await?.text().await?);
        let asked = eventually(
            "the PDF reader asked to open the sheet",
            Duration::from_secs(10),
            || async { std::fs::read_to_string(&opened).ok().filter(|l| !l.is_empty()) },
        )
        .await?;
        assert_eq!(asked.trim(), sheet.display().to_string());
        let text = pdf_text(&sheet);
        let words: String = text.split_whitespace().collect();
        assert!(
            words.contains("https://continua.io.pagopa.it/open?feat=firma&srid="),
            "{text}"
        );
        assert!(text.contains("Firma il documento con l'app IO"), "{text}");
        assert!(text.contains("fino alle ") && text.contains("(ora italiana)"), "{text}");
        assert!(text.contains("Mario Rossi"), "{text}");
        let png = app.artifacts().join("printed-sheet");
        let rendered = std::process::Command::new("pdftoppm")
            .args(["-png", "-r", "60", "-singlefile"])
            .arg(&sheet)
            .arg(&png)
            .status()?;
        assert!(rendered.success(), "pdftoppm");

        // The citizen signs (sandbox): archived at once, announced on the desktop.
        let monitor = BusMonitor::start();
        app.wait_for("[data-testid='simulate-sign']").await?.click().await?;
        app.wait_for("[data-testid='download-signed']").await?;
        app.screenshot("detail-signed").await;
        app.assert_accessible("request detail").await?;
        let notified =
            tokio::task::spawn_blocking(move || monitor.saw("Documento firmato", Duration::from_secs(20))).await?;
        assert!(notified, "no desktop notification on the session bus");

        app.wait_for("[data-testid='nav-dashboard']").await?.click().await?;
        app.wait_for_text("[data-testid='count-signed']", "1").await?;
        app.wait_for_text("[data-testid='count-pending']", "0").await?;
        app.screenshot("dashboard-after").await;
        app.wait_for("[data-testid='nav-signed']").await?.click().await?;
        app.wait_for("[data-testid='request-row'][data-status='signed']")
            .await?;
        app.screenshot("signed").await;
        app.assert_accessible("signed").await?;

        // Issue #16: the list names its profile; the store's filters reach it (document type, days
        // created) and every profile is listed only when asked, each row naming its profile.
        app.wait_for_text_containing("[data-testid='list-profile']", "Modalità prova")
            .await?;
        let select = |testid: &'static str, value: &'static str| {
            let app = &app;
            async move {
                app.client
                    .execute(
                        "const s = document.querySelector(`[data-testid='${arguments[0]}']`); s.value = arguments[1]; \
                         s.dispatchEvent(new Event('change'));",
                        vec![testid.into(), value.into()],
                    )
                    .await
            }
        };
        app.wait_for("[data-testid='filter-type'] option[value='Contratto']")
            .await?;
        select("filter-type", "Contratto").await?;
        app.wait_for("[data-testid='list-empty']").await?;
        select("filter-type", "Accordo").await?;
        app.wait_for("[data-testid='request-row'][data-status='signed']")
            .await?;
        select("filter-to", "2000-01-01").await?;
        app.wait_for("[data-testid='list-empty']").await?;
        app.wait_for("[data-testid='filter-clear']").await?.click().await?;
        app.wait_for("[data-testid='request-row'][data-status='signed']")
            .await?;
        select("filter-scope", "all").await?;
        app.wait_for_text_containing("[data-testid='row-profile']", "Modalità prova")
            .await?;
        app.wait_for_text_containing("[data-testid='list-profile']", "Tutti i profili")
            .await?;
        select("filter-scope", "active").await?;
        app.wait_for_text_containing("[data-testid='list-profile']", "Profilo: Modalità prova")
            .await?;

        // The year's folder (beside "Esportazioni", where the sheet printed above went).
        let year = std::fs::read_dir(app.data_dir().join("Archivio firmati"))?
            .filter_map(Result::ok)
            .find(|e| e.file_name().to_str().is_some_and(|n| n.parse::<u16>().is_ok()))
            .ok_or("no year folder in the archive")?
            .path();
        let files: Vec<_> = std::fs::read_dir(year.join("Accordo"))?.collect::<Result<_, _>>()?;
        assert_eq!(files.len(), 1, "one signed PDF in the archive");
        let name = files[0].file_name().to_string_lossy().into_owned();
        assert!(name.starts_with("Mario Rossi - Accordo di collaborazione - "), "{name}");
        assert!(std::fs::read(files[0].path())?.starts_with(b"%PDF"));

        // The list of signed requests exported as CSV (nothing selected = every row shown).
        app.wait_for("[data-testid='export-csv']").await?.click().await?;
        let shown = eventually("the export result", Duration::from_secs(15), || async {
            text_of(&app, "[data-testid='export-result']")
                .await
                .filter(|t| t.contains(".csv"))
        })
        .await?;
        let exports = app.data_dir().join("Archivio firmati").join("Esportazioni");
        let csv: Vec<_> = std::fs::read_dir(&exports)?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "csv"))
            .collect();
        assert_eq!(csv.len(), 1, "{shown}");
        let text = std::fs::read_to_string(&csv[0])?;
        assert!(
            text.contains("Accordo di collaborazione;Accordo;Mario Rossi;RSSMRA80A01H501U"),
            "{text}"
        );

        // Issue #14: the signed PDF was verified on archive (the sandbox's test authority, the citizen's
        // fiscal code in the certificate), shown in the detail.
        app.wait_for("[data-testid='request-row'][data-status='signed']")
            .await?
            .click()
            .await?;
        app.wait_for("[data-testid='verification'][data-verdict='valid']")
            .await?;

        // The receipt with its audit trail, from the timeline, in Italian.
        app.wait_for("[data-testid='print-receipt']").await?.click().await?;
        let receipt = PathBuf::from(app.wait_for("[data-testid='print-receipt-path']").await?.text().await?);
        let text = pdf_text(&receipt);
        for needle in [
            "Ricevuta della richiesta di firma",
            "RSSMRA80A01H501U",
            "Registro delle operazioni",
            "Firmata",
        ] {
            assert!(text.contains(needle), "{needle:?} not in {text}");
        }

        // Issue #14, the hand-off: the protocol number typed after signing renames the archived file, and
        // the records office's package is written.
        // The detail redraws as the engine reports (the form and what is typed survive): each node is
        // found afresh.
        app.wait_for("[data-testid='protocol-none']").await?;
        click_fresh(&app, "[data-testid='protocol-edit']").await?;
        fill_fresh(&app, "[data-testid='protocol-number-input']", "2026/0000042").await?;
        fill_fresh(&app, "[data-testid='protocol-classification-input']", "6.3").await?;
        app.assert_accessible("the protocol form").await?;
        click_fresh(&app, "[data-testid='protocol-save']").await?;
        app.wait_for_text_containing("[data-testid='protocol-number']", "2026/0000042")
            .await?;
        app.wait_for_text_containing("[data-testid='timeline']", "Dati di protocollo: Numero 2026/0000042")
            .await?;
        let renamed: Vec<_> = std::fs::read_dir(year.join("Accordo"))?.collect::<Result<_, _>>()?;
        assert_eq!(renamed.len(), 1);
        let renamed_name = renamed[0].file_name().to_string_lossy().into_owned();
        assert_eq!(renamed_name, format!("Prot. 2026_0000042 - {name}"));
        // A redraw of the detail (an engine event) takes the result away with it: click until a path shows.
        let package = eventually("the package's path", Duration::from_secs(30), || async {
            if let Some(path) = text_of(&app, "[data-testid='package-path']").await {
                return Some(PathBuf::from(path));
            }
            if let Ok(button) = app.client.find(Locator::Css("[data-testid='package-export']")).await {
                let _ = button.click().await;
            }
            None
        })
        .await?;
        let names: Vec<String> = zip::ZipArchive::new(std::fs::File::open(&package)?)?
            .file_names()
            .map(str::to_owned)
            .collect();
        for needle in ["metadati.xml", "manifest-sha256.txt", "registro-attivita.pdf"] {
            assert!(names.iter().any(|n| n == needle), "{needle} not in {names:?}");
        }
        assert!(names.contains(&format!("documenti/{renamed_name}")), "{names:?}");

        // "Invia al protocollo": the protocol mailbox set in Impostazioni (a real SMTP server on loopback,
        // STARTTLS and a login), then the package sent from the detail and delivered.
        let tls = firmadesk_testkit::smtp::SmtpTls::generate();
        let port = firmadesk_testkit::smtp::free_port();
        let server = firmadesk_testkit::smtp::SmtpServer::start(&tls, port, "protocollo", "posta-di-prova", false);
        let ca = app.data_dir().join("autorita-posta.pem");
        std::fs::write(&ca, &tls.ca_pem)?;
        app.wait_for("[data-testid='nav-settings']").await?.click().await?;
        // The form opens once the profile's settings are read.
        app.wait_for_text_containing("[data-testid='mail-status']", "Non impostata")
            .await?;
        app.wait_for("[data-testid='mail-fields']:enabled").await?;
        for (field, value) in [
            ("mail-host", "127.0.0.1".to_owned()),
            ("mail-port", port.to_string()),
            ("mail-username", "protocollo".to_owned()),
            ("mail-password", "posta-di-prova".to_owned()),
            ("mail-from", "firmadesk@comune.example.it".to_owned()),
            ("mail-to", "protocollo@pec.comune.example.it".to_owned()),
            ("mail-ca", ca.display().to_string()),
        ] {
            fill_fresh(&app, &format!("[data-testid='{field}']"), &value).await?;
        }
        click_fresh(&app, "[data-testid='mail-save']").await?;
        app.wait_for_text_containing("[data-testid='mail-status']", "protocollo@pec.comune.example.it")
            .await?;
        app.assert_accessible("the protocol mailbox settings").await?;
        app.wait_for("[data-testid='nav-signed']").await?.click().await?;
        app.wait_for("[data-testid='request-row'][data-status='signed']")
            .await?
            .click()
            .await?;
        click_fresh(&app, "[data-testid='mail-send']").await?;
        app.wait_for_text_containing("[data-testid='timeline']", "Pacchetto consegnato al server di posta")
            .await?;
        app.client
            .execute(
                "document.querySelector(\"[data-testid='protocol-section']\").scrollIntoView({ block: 'start' }); return true;",
                vec![],
            )
            .await?;
        app.screenshot("handoff").await;
        // While a package waits the detail reads itself again every few seconds: read the section afresh.
        let section = eventually("the hand-off section", Duration::from_secs(15), || async {
            text_of(&app, "[data-testid='protocol-section']").await
        })
        .await?;
        assert!(!section.contains("null"), "{section}");
        let received = server.messages();
        assert_eq!(received.len(), 1);
        let (attachment, _) = &received[0].attachments[0];
        assert!(attachment.starts_with("pacchetto-prot-2026_0000042-"), "{attachment}");

        // "Verifica un PDF firmato": the archived file dropped in, with the citizen's code, then another's.
        let signed = renamed[0].path();
        app.wait_for("[data-testid='nav-verify']").await?.click().await?;
        app.wait_for("[data-testid='verify-fiscal-code-input']")
            .await?
            .send_keys("RSSMRA80A01H501U")
            .await?;
        app.wait_for("[data-testid='verify-file']")
            .await?
            .send_keys(&signed.display().to_string())
            .await?;
        app.wait_for("[data-testid='verify-verdict'][data-verdict='valid']")
            .await?;
        app.screenshot("verify").await;
        app.assert_accessible("verify a signed PDF").await?;
        let code = app.wait_for("[data-testid='verify-fiscal-code-input']").await?;
        code.clear().await?;
        code.send_keys("BNCNNA85M41F205Q").await?;
        app.wait_for("[data-testid='verify-file']")
            .await?
            .send_keys(&signed.display().to_string())
            .await?;
        app.wait_for("[data-testid='verify-verdict'][data-verdict='invalid']")
            .await?;
        app.wait_for("[data-testid='verify-reason'][data-code='fiscal_code_mismatch']")
            .await?;

        // The same from the command line, for IT staff: JSON, exit 0 when valid, 1 when not.
        let cli = |code: &str| {
            std::process::Command::new(crate::harness::app_binary())
                .arg("verify")
                .arg(&signed)
                .args(["--fiscal-code", code, "--data-dir"])
                .arg(app.data_dir())
                .env_remove("DISPLAY")
                .output()
        };
        let valid = cli("RSSMRA80A01H501U")?;
        let report: serde_json::Value = serde_json::from_slice(&valid.stdout)?;
        assert_eq!(valid.status.code(), Some(0), "{report}");
        assert_eq!(report["verdict"], "valid", "{report}");
        let invalid = cli("BNCNNA85M41F205Q")?;
        assert_eq!(invalid.status.code(), Some(1));
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test]
async fn a_wrong_fiscal_code_is_explained_and_blocks_sending_and_a_swapped_one_is_confirmed() {
    let app = App::launch("wrong_fiscal_code").await;
    let files = tempfile::tempdir().unwrap();
    let pdf = contract_pdf(files.path());
    let result: TestResult = async {
        app.wait_for("[data-testid='nav-new']").await?.click().await?;
        app.wait_for("[data-testid='document-type']")
            .await?
            .select_by_value("Accordo")
            .await?;
        // Last character wrong: the check character should be U.
        fill_signer(&app, "Mario Rossi", "RSSMRA80A01H501X").await?;
        app.wait_for("[data-testid='pdf-input']")
            .await?
            .send_keys(&pdf.display().to_string())
            .await?;
        let error = eventually("the fiscal-code error", Duration::from_secs(10), || async {
            text_of(&app, "[data-testid='fiscal-code-error']")
                .await
                .filter(|t| !t.is_empty())
        })
        .await?;
        assert!(error.contains("carattere di controllo"), "{error}");
        assert!(error.contains('U'), "the message names the expected character: {error}");
        app.screenshot("fiscal-code-error").await;
        assert!(!app.wait_for("[data-testid='send-request']").await?.is_enabled().await?);

        // A valid code of another citizen (Anna Neri, born in Milan) under Mario Rossi's name: the form
        // decodes the birthplace, warns, and asks the clerk to confirm before sending.
        let cf = app.wait_for("[data-testid='signer-fiscal-code']").await?;
        cf.clear().await?;
        cf.send_keys("NRENNA85M41F205S").await?;
        let warning = eventually("the name warning", Duration::from_secs(10), || async {
            text_of(&app, "[data-testid='fiscal-code-name']")
                .await
                .filter(|t| !t.is_empty())
        })
        .await?;
        assert!(warning.contains("non corrispondono"), "{warning}");
        app.wait_for_text_containing("[data-testid='fiscal-code-decoded']", "Milano (MI)")
            .await?;
        app.wait_for("[data-testid='submit-problems'] li[data-problem='fiscal_code_name']")
            .await?;
        app.screenshot("fiscal-code-name-mismatch").await;
        // Bootstrap Italia draws the check box on its label; the input itself takes no click.
        app.wait_for("label[for='fiscal-code-confirm']").await?.click().await?;
        eventually("the confirmation taken", Duration::from_secs(10), || async {
            let left = app
                .client
                .find_all(Locator::Css(
                    "[data-testid='submit-problems'] li[data-problem='fiscal_code_name']",
                ))
                .await
                .ok()?;
            left.is_empty().then_some(())
        })
        .await?;
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test]
async fn an_encrypted_pdf_and_a_non_pdf_are_refused_with_their_reasons() {
    let app = App::launch("bad_files").await;
    let files = tempfile::tempdir().unwrap();
    let not_pdf = files.path().join("lettera.pdf");
    std::fs::write(&not_pdf, "Gentile utente, ...").unwrap();
    let encrypted =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/firmadesk-pdf/tests/fixtures/password-protected.pdf");
    let result: TestResult = async {
        app.wait_for("[data-testid='nav-new']").await?.click().await?;
        let input = app.wait_for("[data-testid='pdf-input']").await?;
        input.send_keys(&encrypted.display().to_string()).await?;
        let message = eventually("the encrypted-PDF error", Duration::from_secs(10), || async {
            text_of(&app, "[data-testid='pdf-error']")
                .await
                .filter(|t| t.contains("password"))
        })
        .await?;
        assert!(
            message.contains("Firma con IO non accetta documenti cifrati"),
            "{message}"
        );
        app.wait_for("[data-testid='pdf-input']")
            .await?
            .send_keys(&not_pdf.display().to_string())
            .await?;
        let message = eventually("the not-a-PDF error", Duration::from_secs(10), || async {
            text_of(&app, "[data-testid='pdf-error']")
                .await
                .filter(|t| t.contains("non è un PDF"))
        })
        .await?;
        assert!(message.contains("accetta solo documenti PDF"), "{message}");
        assert!(app
            .client
            .find(Locator::Css("[data-testid='page-preview'] img"))
            .await
            .is_err());
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test]
async fn closing_the_app_mid_send_loses_nothing_and_sends_once() {
    let data = tempfile::Builder::new().prefix("firmadesk-e2e-").tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let pdf = contract_pdf(files.path());
    let first = App::launch_on("restart_mid_send_1", data.path()).await;
    let result: TestResult = async {
        first.wait_for("[data-testid='nav-new']").await?.click().await?;
        compose(&first, &pdf).await?;
        send(&first).await?;
        // The send has started (the detail shows it) and takes seconds: close the app now.
        first.wait_for("[data-testid='timeline']").await?;
        Ok(())
    }
    .await;
    first.finish(result).await;

    let second = App::launch_on("restart_mid_send_2", data.path()).await;
    let result: TestResult = async {
        second.wait_for("[data-testid='nav-pending']").await?.click().await?;
        let row = "[data-testid='request-row'][data-status='waiting']";
        eventually("the resumed request waiting for signature", WORK_TIMEOUT, || async {
            second.client.find(Locator::Css(row)).await.ok()
        })
        .await?;
        let rows = second
            .client
            .find_all(Locator::Css("[data-testid='request-row']"))
            .await?;
        assert_eq!(rows.len(), 1, "one request, sent once");
        second.wait_for("[data-testid='nav-dashboard']").await?.click().await?;
        second.wait_for_text("[data-testid='count-pending']", "1").await?;
        Ok(())
    }
    .await;
    second.finish(result).await;
}

#[tokio::test]
async fn a_pdf_dropped_anywhere_on_the_window_is_imported() {
    use base64::Engine as _;
    // WebDriver cannot drag files from the OS: the drop is dispatched in the page with a real
    // DataTransfer holding a real File, on the dashboard (not on the form): the window-wide drop zone
    // must take it to the new request and import it.
    let app = App::launch("drop").await;
    let files = tempfile::tempdir().unwrap();
    let pdf = std::fs::read(contract_pdf(files.path())).unwrap();
    let b64 = base64::engine::general_purpose::STANDARD.encode(&pdf);
    let result: TestResult = async {
        app.wait_for("[data-testid='count-pending']").await?;
        app.client
            .execute(
                "const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));
                 const dt = new DataTransfer();
                 dt.items.add(new File([bytes], 'contratto trascinato.pdf', { type: 'application/pdf' }));
                 dt.items.add(new File(['appunti'], 'note.txt', { type: 'text/plain' }));
                 const target = document.querySelector('main') || document.body;
                 for (const type of ['dragenter', 'dragover', 'drop']) {
                   target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
                 }
                 return true;",
                vec![serde_json::Value::String(b64)],
            )
            .await?;
        eventually("the dropped PDF's preview", Duration::from_secs(20), || async {
            let ok = app
                .client
                .execute(
                    "const i = document.querySelector(\"[data-testid='page-preview'] img\");
                     return !!i && i.complete && i.naturalWidth > 0;",
                    vec![],
                )
                .await
                .ok()?;
            (ok == serde_json::Value::Bool(true)).then_some(())
        })
        .await?;
        let page = app.client.source().await?;
        assert!(
            page.contains("contratto trascinato.pdf"),
            "the document is listed by its name"
        );
        assert!(page.contains("note.txt"), "the refused file is named to the clerk");
        Ok(())
    }
    .await;
    app.finish(result).await;
}

/// "Correggi e reinvia": the citizen refuses; the clerk reopens the request, finds everything typed and the
/// reason on top, sends it again; the new request is signed and the two timelines link each other.
#[tokio::test]
async fn a_refused_request_is_fixed_resent_signed_and_linked_to_the_first() {
    let app = App::launch("fix_and_resend").await;
    let files = tempfile::tempdir().unwrap();
    let pdf = contract_pdf(files.path());
    let result: TestResult = async {
        app.wait_for("[data-testid='nav-new']").await?.click().await?;
        compose(&app, &pdf).await?;
        send(&app).await?;
        app.wait_for("[data-testid='simulate-reject']").await?.click().await?;
        let fix = eventually("Correggi e reinvia", WORK_TIMEOUT, || async {
            app.client.find(Locator::Css("[data-testid='reuse-fix']")).await.ok()
        })
        .await?;
        let first = app.client.current_url().await?;
        fix.click().await?;

        // Back in the form with everything typed, and why it stopped.
        let banner = app
            .wait_for_text_containing("[data-testid='reopened-banner']", "Correzione di")
            .await?;
        assert!(!banner.contains("null"), "an empty line in the banner: {banner}");
        app.wait_for("[data-testid='reopened-reason']").await?;
        let name = app.wait_for("[data-testid='signer-name']").await?.prop("value").await?;
        assert_eq!(name.as_deref(), Some("Mario Rossi"));
        let title = app
            .wait_for("[data-testid='request-title']")
            .await?
            .prop("value")
            .await?;
        assert_eq!(title.as_deref(), Some("Accordo di collaborazione"));
        app.wait_for("[data-testid='field-box']").await?;
        app.screenshot("fix-and-resend").await;
        send(&app).await?;

        // The new request: linked to the first, signed by the citizen.
        app.wait_for("[data-testid='timeline-item'][data-code='created'] [data-testid='timeline-link']")
            .await?;
        let second = app.client.current_url().await?;
        assert_ne!(first, second, "a new request");
        app.wait_for("[data-testid='simulate-sign']").await?.click().await?;
        app.wait_for("[data-testid='download-signed']").await?;
        // Each timeline opens the other (the detail re-renders as it refreshes: found afresh each time).
        for (from, to) in [(&second, &first), (&first, &second)] {
            eventually("the link to the other request", Duration::from_secs(10), || async {
                let url = app.client.current_url().await.ok()?;
                if url != *from {
                    return None;
                }
                let link = app
                    .client
                    .find(Locator::Css("[data-testid='timeline-link']"))
                    .await
                    .ok()?;
                link.click().await.ok()
            })
            .await?;
            eventually("the other request's detail", Duration::from_secs(10), || async {
                let url = app.client.current_url().await.ok()?;
                (url == *to).then_some(())
            })
            .await?;
        }
        app.wait_for("[data-testid='download-signed']").await?;

        // The signer book: Mario Rossi is offered as the clerk types part of his name; one click fills both.
        app.wait_for("[data-testid='nav-new']").await?.click().await?;
        app.wait_for("[data-testid='signer-name']")
            .await?
            .send_keys("ross")
            .await?;
        app.wait_for("[data-testid='signer-book-pick'][data-code='RSSMRA80A01H501U']")
            .await?
            .click()
            .await?;
        let code = app
            .wait_for("[data-testid='signer-fiscal-code']")
            .await?
            .prop("value")
            .await?;
        assert_eq!(code.as_deref(), Some("RSSMRA80A01H501U"));
        let name = app.wait_for("[data-testid='signer-name']").await?.prop("value").await?;
        assert_eq!(name.as_deref(), Some("Mario Rossi"));
        Ok(())
    }
    .await;
    app.finish(result).await;
}

/// What the clerk typed survives FirmaDesk closing: the next start opens the form as it was (signer,
/// PDF, the drawn field), it sends, and the kept draft is then forgotten.
#[tokio::test]
async fn a_draft_typed_before_closing_is_there_at_the_next_start_and_sends() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let pdf = contract_pdf(files.path());
    let kept = data.path().join("draft.json");
    let first = App::launch_on("draft_kept_1", data.path()).await;
    let result: TestResult = async {
        first.wait_for("[data-testid='nav-new']").await?.click().await?;
        compose(&first, &pdf).await?;
        // The draft reaches the data folder (fields included) as the clerk works.
        eventually("the draft kept on disk", Duration::from_secs(10), || async {
            let text = std::fs::read_to_string(&kept).ok()?;
            (text.contains("Mario Rossi") && text.contains("Firma per accettazione")).then_some(())
        })
        .await?;
        Ok(())
    }
    .await;
    first.finish(result).await;

    let second = App::launch_on("draft_kept_2", data.path()).await;
    let result: TestResult = async {
        second.wait_for("[data-testid='nav-new']").await?.click().await?;
        let name = second
            .wait_for("[data-testid='signer-name']")
            .await?
            .prop("value")
            .await?;
        assert_eq!(name.as_deref(), Some("Mario Rossi"));
        second.wait_for("[data-testid='field-box']").await?;
        second.screenshot("draft-restored").await;
        send(&second).await?;
        second.wait_for("[data-testid='timeline']").await?;
        eventually(
            "the kept draft forgotten once sent",
            Duration::from_secs(10),
            || async { (!kept.exists()).then_some(()) },
        )
        .await?;
        Ok(())
    }
    .await;
    second.finish(result).await;
}

/// "Metti da parte": the draft being typed is set aside and the form starts empty; "Bozze" counts it and
/// lists it under "Bozze non inviate" with its signer; "Riprendi" brings it back into the form.
#[tokio::test]
async fn a_draft_set_aside_is_listed_under_bozze_and_resumed_with_its_signer() {
    let app = App::launch("draft_set_aside").await;
    let result: TestResult = async {
        app.wait_for("[data-testid='nav-new']").await?.click().await?;
        app.wait_for("[data-testid='document-type']")
            .await?
            .select_by_value("Accordo")
            .await?;
        fill_signer(&app, "Mario Rossi", "RSSMRA80A01H501U").await?;
        let set_aside = app.wait_for("[data-testid='set-aside-draft']").await?;
        eventually("an enabled set-aside button", UI_TIMEOUT, || async {
            set_aside.is_enabled().await.ok().filter(|e| *e)
        })
        .await?;
        set_aside.click().await?;
        app.wait_for("[data-testid='form-notice']:not([hidden])").await?;
        app.assert_accessible("new request (set aside)").await?;
        // A clean form: the new view's fields are empty.
        for field in ["signer-name", "signer-fiscal-code"] {
            let value = app
                .wait_for(&format!("[data-testid='{field}']"))
                .await?
                .prop("value")
                .await?;
            assert_eq!(value.as_deref(), Some(""), "{field} after setting the draft aside");
        }

        app.wait_for("[data-testid='nav-dashboard']").await?.click().await?;
        app.wait_for_text("[data-testid='count-drafts']", "1").await?;
        app.wait_for("a[href='#/pending/draft']").await?.click().await?;
        let details = app
            .wait_for_text_containing(
                "[data-testid='aside-draft'] [data-testid='aside-details']",
                "Mario Rossi",
            )
            .await?;
        assert!(details.contains("Accordo"), "{details}");
        app.assert_accessible("bozze").await?;
        app.screenshot("drafts-set-aside").await;

        app.wait_for("[data-testid='aside-draft'] [data-testid='aside-resume']")
            .await?
            .click()
            .await?;
        eventually("the resumed draft in the form", UI_TIMEOUT, || async {
            let name = app
                .client
                .find(Locator::Css("[data-testid='signer-name']"))
                .await
                .ok()?
                .prop("value")
                .await
                .ok()??;
            (name == "Mario Rossi").then_some(())
        })
        .await?;
        let code = app
            .wait_for("[data-testid='signer-fiscal-code']")
            .await?
            .prop("value")
            .await?;
        assert_eq!(code.as_deref(), Some("RSSMRA80A01H501U"));
        // Resumed, it is no longer among the drafts set aside.
        app.wait_for("[data-testid='nav-dashboard']").await?.click().await?;
        app.wait_for_text("[data-testid='count-drafts']", "0").await?;
        Ok(())
    }
    .await;
    app.finish(result).await;
}

/// Templates: the box drawn on the first request is saved as the type's template; the next PDF of that
/// type gets the same field by itself, and the request sends with it.
#[tokio::test]
async fn a_field_saved_as_the_types_template_comes_back_on_the_next_pdf_and_sends() {
    let app = App::launch("template").await;
    let files = tempfile::tempdir().unwrap();
    let pdf = contract_pdf(files.path());
    let result: TestResult = async {
        app.wait_for("[data-testid='nav-new']").await?.click().await?;
        compose(&app, &pdf).await?;
        let drawn_x = app.wait_for("[data-testid='field-x']").await?.prop("value").await?;
        app.wait_for("[data-testid='save-template']").await?.click().await?;
        app.wait_for_text_containing("[data-testid='template-status']", "salvato")
            .await?;
        send(&app).await?;
        app.wait_for("[data-testid='timeline']").await?;

        // The next request of the same type: only the signer and the PDF are given.
        app.wait_for("[data-testid='nav-new']").await?.click().await?;
        fill_signer(&app, "Mario Rossi", "RSSMRA80A01H501U").await?;
        app.wait_for("[data-testid='pdf-input']")
            .await?
            .send_keys(&pdf.display().to_string())
            .await?;
        // Both fields of the saved template come back (the built-in type's own, then the one drawn);
        // selected, the drawn one shows its coordinates.
        let boxes = eventually("the template's two fields", UI_TIMEOUT, || async {
            let found = app
                .client
                .find_all(Locator::Css("[data-testid='field-box']"))
                .await
                .ok()?;
            (found.len() == 2).then_some(found)
        })
        .await?;
        boxes[1].click().await?;
        let x = app.wait_for("[data-testid='field-x']").await?.prop("value").await?;
        assert_eq!(x, drawn_x, "the template's field, where it was drawn");
        app.screenshot("template-applied").await;
        send(&app).await?;
        app.wait_for("[data-testid='timeline']").await?;

        // Shared with another office: exported to a file, which reads back in.
        crate::settings::open_settings(&app).await?;
        app.wait_for("[data-testid='template-row'][data-name='Accordo']")
            .await?;
        app.wait_for("[data-testid='templates-export']").await?.click().await?;
        let done = app
            .wait_for_text_containing("[data-testid='templates-done']", ".json")
            .await?;
        // "N tipi di documento esportati in <path>" (the archive folder's name has a space).
        let path = done
            .split_once(" esportati in ")
            .map(|(_, p)| p.trim().to_owned())
            .unwrap_or_default();
        let file = std::fs::read_to_string(&path)?;
        assert!(
            file.contains("firmadesk-modelli") && file.contains("Firma per accettazione"),
            "{file}"
        );
        app.wait_for("[data-testid='templates-import']")
            .await?
            .send_keys(&path)
            .await?;
        app.wait_for_text_containing("[data-testid='templates-done']", "importati")
            .await?;
        Ok(())
    }
    .await;
    app.finish(result).await;
}
