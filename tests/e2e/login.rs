//! The body's login on the real window, against a mock OIDC provider on 127.0.0.1 (the same one the
//! firmadesk-auth tests use). The app's "system browser" is replaced, in E2E builds only, by one that
//! performs the browser's requests itself (the mock consents at once).

#[path = "../../crates/firmadesk-auth/tests/common/mod.rs"]
mod oidc_mock;

use crate::flow::{eventually, text_of};
use crate::harness::{App, TestResult};
use crate::settings::add_profile;
use fantoccini::Locator;
use std::time::Duration;

#[tokio::test]
async fn a_profile_with_the_bodys_login_asks_for_it_and_shows_the_clerk() {
    let provider = oidc_mock::MockProvider::start(oidc_mock::Behaviour::default()).await;
    let app = App::launch_env("login", &[("FIRMADESK_E2E_BROWSER", "fetch")]).await;
    let result: TestResult = async {
        let row = add_profile(
            &app,
            "Comune con accesso",
            "fd-e2e-login-key-0123456789abcdef",
            Some((&provider.issuer, oidc_mock::CLIENT_ID)),
            None,
        )
        .await?;
        row.find(Locator::Css("[data-testid='profile-activate']"))
            .await?
            .click()
            .await?;

        // Login required before any citizen data.
        app.wait_for("[data-testid='login-screen']").await?;
        app.screenshot("login").await;
        app.assert_accessible("login").await?;
        app.wait_for("[data-testid='login-button']").await?.click().await?;
        let name = eventually("the clerk's name", Duration::from_secs(30), || async {
            text_of(&app, "[data-testid='clerk-name']")
                .await
                .filter(|t| t.contains(oidc_mock::NAME))
        })
        .await?;
        assert!(name.contains(oidc_mock::NAME), "{name}");
        app.wait_for("[data-testid='nav-new']").await?.click().await?;
        app.wait_for("[data-testid='signer-fiscal-code']").await?;

        // Logout revokes at the provider and asks for the login again.
        app.wait_for("[data-testid='logout-button']").await?.click().await?;
        app.wait_for("[data-testid='login-screen']").await?;
        eventually("the refresh token revoked", Duration::from_secs(10), || async {
            (!provider.revoked().is_empty()).then_some(())
        })
        .await?;
        Ok(())
    }
    .await;
    app.finish(result).await;
}
