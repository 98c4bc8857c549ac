//! The app shell: the window opens in Italian, commands round-trip to Rust, the language persists.

use crate::harness::{App, TestResult};
use fantoccini::Locator;

#[tokio::test]
async fn window_opens_in_italian_and_a_command_round_trips() {
    let app = App::launch("window_opens_in_italian").await;
    let result: TestResult = async {
        let lang = app.client.find(Locator::Css("html")).await?.attr("lang").await?;
        assert_eq!(lang.as_deref(), Some("it"));
        app.wait_for_text("[data-testid='view-title']", "Cruscotto").await?;
        assert_eq!(app.client.title().await?, "Cruscotto · FirmaDesk");
        // The data folder shown comes from Rust (app_info): it must be this test's own temp dir.
        let shown = app.wait_for("[data-testid='app-data-dir']").await?.text().await?;
        assert_eq!(shown, app.data_dir().display().to_string());
        let version = app.wait_for("[data-testid='app-version']").await?.text().await?;
        assert_eq!(version, env!("CARGO_PKG_VERSION"));
        // With no real profile the app runs on the embedded sandbox: the banner says so and the service it
        // shows answers on loopback.
        assert!(
            app.wait_for("[data-testid='sandbox-banner']")
                .await?
                .is_displayed()
                .await?
        );
        let url = app.wait_for("[data-testid='service-url']").await?.text().await?;
        assert!(
            url.starts_with("http://127.0.0.1:") && url.ends_with("/api/v1/sign"),
            "service url {url}"
        );
        let info = reqwest::get(format!("{url}/info")).await?;
        assert_eq!(info.status(), 200, "the embedded sandbox does not answer GET /info");
        // The log file is written in the data directory.
        let logs: Vec<_> = std::fs::read_dir(app.data_dir().join("logs"))?.collect();
        assert!(!logs.is_empty(), "no log file in the data dir");
        app.screenshot("dashboard").await;
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test]
async fn language_switch_to_english_persists_across_restart() {
    let dir = tempfile::Builder::new().prefix("firmadesk-e2e-").tempdir().unwrap();
    let app = App::launch_on("language_switch", dir.path()).await;
    let result: TestResult = async {
        app.wait_for("[data-testid='nav-settings']").await?.click().await?;
        app.wait_for_text("[data-testid='view-title']", "Impostazioni").await?;
        app.client
            .find(Locator::Css("[data-testid='language-select'] option[value='en']"))
            .await?
            .click()
            .await?;
        app.wait_for_text("[data-testid='view-title']", "Settings").await?;
        app.wait_for_text("[data-testid='nav-dashboard']", "Dashboard").await?;
        let lang = app.client.find(Locator::Css("html")).await?.attr("lang").await?;
        assert_eq!(lang.as_deref(), Some("en"));
        app.screenshot("settings-en").await;
        app.assert_accessible("settings").await?;
        Ok(())
    }
    .await;
    app.finish(result).await;

    // A new process on the same data dir starts in English: the choice was persisted by Rust.
    let app = App::launch_on("language_switch_restart", dir.path()).await;
    let result: TestResult = async {
        app.wait_for_text("[data-testid='view-title']", "Dashboard").await?;
        app.wait_for("[data-testid='nav-settings']").await?.click().await?;
        app.client
            .find(Locator::Css("[data-testid='language-select'] option[value='it']"))
            .await?
            .click()
            .await?;
        app.wait_for_text("[data-testid='view-title']", "Impostazioni").await?;
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test]
async fn a_second_launch_hands_over_to_the_running_window_and_exits() {
    let app = App::launch("single_instance").await;
    let result: TestResult = async {
        app.wait_for_text("[data-testid='view-title']", "Cruscotto").await?;
        // Starting FirmaDesk again must not open a second engine on the same data: the new process hands
        // over to the running one and exits by itself.
        let mut second = tokio::process::Command::new(crate::harness::app_binary())
            .args(["--data-dir"])
            .arg(app.data_dir())
            .kill_on_drop(true)
            .spawn()?;
        let status = tokio::time::timeout(crate::harness::UI_TIMEOUT, second.wait())
            .await
            .map_err(|_| "the second instance did not exit: single-instance is not working")??;
        assert!(status.success(), "second instance exited with {status}");
        // The first window still answers.
        app.wait_for("[data-testid='nav-settings']").await?.click().await?;
        app.wait_for_text("[data-testid='view-title']", "Impostazioni").await?;
        Ok(())
    }
    .await;
    app.finish(result).await;
}

/// Issue #10 item 8: a damaged sandbox state does not stop the app; the copy is kept aside and the
/// banner says where, in the clerk's words.
#[tokio::test]
async fn a_damaged_sandbox_state_is_set_aside_and_the_clerk_is_told() {
    let dir = tempfile::Builder::new().prefix("firmadesk-e2e-").tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("sandbox")).unwrap();
    std::fs::write(dir.path().join("sandbox/state.json"), b"{\"requests\": [trunc").unwrap();
    let app = App::launch_on("sandbox_state_recovered", dir.path()).await;
    let result: TestResult = async {
        app.wait_for_text("[data-testid='view-title']", "Cruscotto").await?;
        let notice = app.wait_for("[data-testid='sandbox-recovered']").await?;
        assert!(notice.is_displayed().await?, "the notice is shown");
        let text = notice.text().await?;
        assert!(
            text.contains("era danneggiato") && text.contains("state.json.corrupt-"),
            "{text}"
        );
        let kept: Vec<_> = std::fs::read_dir(dir.path().join("sandbox"))?
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with("state.json.corrupt-"))
            .collect();
        assert_eq!(kept.len(), 1, "one copy set aside");
        Ok(())
    }
    .await;
    app.finish(result).await;
}
