//! "Invio da elenco" on the real window: a list read, its columns guessed, the document for all checked with
//! the type's template field on it, the dry run's report with a row in error, the row corrected in place and
//! checked again, the report kept as CSV. Nothing is sent.

use crate::flow::eventually;
use crate::harness::{App, TestResult, UI_TIMEOUT};

#[tokio::test]
async fn a_list_is_checked_a_bad_row_corrected_in_place_and_the_report_kept() {
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
        let stray = app
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
        assert_eq!(stray, serde_json::json!(0), "text nodes reading null/undefined");
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
        Ok(())
    }
    .await;
    app.finish(result).await;
}
