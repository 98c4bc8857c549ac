//! "Invio da elenco" on the real window: a list read, its columns guessed, the document for all checked with
//! the type's template field on it, the dry run's report with a row in error, the row corrected in place and
//! checked again, the report kept as CSV; then the list sent to the embedded sandbox, confirmed, followed on
//! its progress bar to the end, listed among the lists sent, and its final report kept with each row's IO id.

use crate::flow::eventually;
use crate::harness::{App, TestResult, UI_TIMEOUT};

#[tokio::test]
async fn a_list_is_checked_corrected_in_place_sent_and_its_final_report_kept() {
    let app = App::launch("bulk").await;
    let files = tempfile::tempdir().unwrap();
    let list = files.path().join("destinatari.csv");
    // Anna's code has a wrong check character (Q is right).
    std::fs::write(
        &list,
        "Nome;Cognome;Codice fiscale\nMario;Rossi;RSSMRA80A01H501U\nAnna;Bianchi;BNCNNA85M41F205Z\n",
    )
    .unwrap();
    let result: TestResult = async {
        app.wait_for("[data-testid='nav-bulk']").await?.click().await?;
        app.wait_for("[data-testid='bulk-type'] option[value='Accordo']")
            .await?;
        app.wait_for("[data-testid='bulk-type']")
            .await?
            .select_by_value("Accordo")
            .await?;
        app.wait_for("[data-testid='bulk-file']")
            .await?
            .send_keys(&list.display().to_string())
            .await?;
        app.wait_for_text_containing("[data-testid='bulk-file-info']", "2 righe")
            .await?;
        // The columns guessed from the titles.
        let code_column = app
            .wait_for("[data-testid='bulk-map-fiscal_code']")
            .await?
            .prop("value")
            .await?;
        assert_eq!(code_column.as_deref(), Some("2"));
        // The document for all: checked as an import is, the type's template field placed on it.
        let pdf = crate::flow::contract_pdf(files.path());
        app.wait_for("[data-testid='bulk-shared-pdf']")
            .await?
            .send_keys(&pdf.display().to_string())
            .await?;
        let shared = app
            .wait_for_text_containing("[data-testid='bulk-shared-info']", "accettato")
            .await?;
        assert!(shared.contains("1 campo di firma del modello (pagina 1)"), "{shared}");
        app.wait_for("[data-testid='bulk-check']").await?.click().await?;
        let summary = app
            .wait_for("[data-testid='bulk-summary'][data-errors='1'][data-ready='1']")
            .await?;
        assert!(summary.text().await?.contains("1 errata"));
        app.wait_for("[data-testid='bulk-row'][data-line='3'][data-outcome='error']")
            .await?;
        // No "null" or "undefined" drawn where a part of the report is absent.
        assert_eq!(stray_texts(&app).await?, 0, "text nodes reading null/undefined");
        app.screenshot("bulk-report").await;
        app.assert_accessible("bulk report").await?;

        // Corrected in place, checked again: both ready.
        app.wait_for("[data-testid='bulk-row'][data-line='3'] [data-testid='bulk-fix']")
            .await?
            .click()
            .await?;
        let code = app.wait_for("[data-testid='bulk-edit-fiscal_code']").await?;
        code.clear().await?;
        code.send_keys("BNCNNA85M41F205Q").await?;
        app.wait_for("[data-testid='bulk-edit-save']").await?.click().await?;
        app.wait_for("[data-testid='bulk-summary'][data-errors='0'][data-ready='2']")
            .await?;

        // The report, kept as CSV in the exports folder.
        app.wait_for("[data-testid='bulk-save-report']").await?.click().await?;
        let done = app
            .wait_for_text_containing("[data-testid='bulk-done']", ".csv")
            .await?;
        let path = done
            .split_once(" salvato in ")
            .map(|(_, p)| p.trim().to_owned())
            .unwrap_or_default();
        let report = eventually("the report on disk", UI_TIMEOUT, || async {
            std::fs::read_to_string(&path).ok()
        })
        .await?;
        assert!(
            report.contains("Anna Bianchi;BNCNNA85M41F205Q;pronta;Milano (MI)"),
            "{report}"
        );

        // 4. The send: the title proposed from the type and the document, a confirmation, then the
        // progress bar to the end.
        let title = app
            .wait_for("[data-testid='bulk-send-title']")
            .await?
            .prop("value")
            .await?
            .unwrap_or_default();
        assert!(title.starts_with("Accordo"), "{title}");
        let send = app.wait_for("[data-testid='bulk-send']").await?;
        assert!(send.text().await?.contains("2 cittadini"));
        send.click().await?;
        app.wait_for("[data-testid='bulk-confirm-yes']").await?.click().await?;
        app.wait_for("[data-testid='bulk-progress-bar']").await?;
        app.wait_for("[data-testid='bulk-progress-state'][data-state='done']")
            .await?;
        let counts = app
            .wait_for("[data-testid='bulk-progress-counts'][data-sent='2'][data-failed='0'][data-left='0']")
            .await?;
        assert!(counts.text().await?.contains("2 inviate"));
        let bar = app.wait_for("[data-testid='bulk-progress-bar']").await?;
        assert_eq!(bar.attr("aria-valuenow").await?.as_deref(), Some("100"));
        app.wait_for("[data-testid='bulk-batch'][data-state='done']").await?;
        assert_eq!(stray_texts(&app).await?, 0, "text nodes reading null/undefined");
        app.screenshot("bulk-sent").await;
        app.assert_accessible("bulk send progress").await?;

        // The final report: each row sent, with its IO id.
        app.wait_for("[data-testid='bulk-final-report']").await?.click().await?;
        let done = app
            .wait_for_text_containing("[data-testid='bulk-done']", "invio-elenco")
            .await?;
        let path = done
            .split_once(" salvato in ")
            .map(|(_, p)| p.trim().to_owned())
            .unwrap_or_default();
        let report = eventually("the final report on disk", UI_TIMEOUT, || async {
            std::fs::read_to_string(&path).ok()
        })
        .await?;
        assert_eq!(report.matches(";inviata;;").count(), 2, "{report}");
        assert!(report.contains("Anna Bianchi;BNCNNA85M41F205Q;inviata;;"), "{report}");
        Ok(())
    }
    .await;
    app.finish(result).await;
}

/// Text nodes of the view that read "null" or "undefined" (a part drawn from an absent value).
async fn stray_texts(app: &App) -> Result<u64, Box<dyn std::error::Error + Send + Sync>> {
    let n = app
        .client
        .execute(
            "const view = document.querySelector('.bulk-view'); \
             const walk = document.createTreeWalker(view, NodeFilter.SHOW_TEXT); \
             let n = 0; while (walk.nextNode()) { \
               if (/^(null|undefined)$/.test(walk.currentNode.textContent.trim())) n += 1; } \
             return n;",
            vec![],
        )
        .await?;
    Ok(n.as_u64().unwrap_or(u64::MAX))
}
