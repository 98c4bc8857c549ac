//! The embedded IO Sign sandbox ("Modalità prova"), started only while it is in use.
//!
//! The sandbox runs inside the process on a random loopback port, with its state under
//! `<data dir>/sandbox/` so demo requests survive a restart. A newcomer sees the whole product without an
//! API key and nothing leaves the machine. It is a local HTTP server, so it is NOT started when the clerk
//! works on the body's real profiles: it starts when the sandbox profile is active at start-up or when the
//! clerk switches to it. Once started it stays up until the app exits, because the engine polls it for the
//! demo requests in flight and has no way to forget a profile (switching back and forth is then free).

use crate::Code;
use iosign_sandbox::{Sandbox, SandboxConfig, SandboxHandle};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A running embedded sandbox.
pub struct RunningSandbox {
    /// The running emulator.
    pub handle: SandboxHandle,
    /// Client bound to it, with this process's demo key.
    pub client: iosign::Client,
}

/// The embedded sandbox: not running until [`SandboxService::ensure_started`].
pub struct SandboxService {
    state_dir: PathBuf,
    running: Mutex<Option<Arc<RunningSandbox>>>,
    /// Serialises starts: two commands racing to start it get one sandbox.
    starting: tokio::sync::Mutex<()>,
}

impl SandboxService {
    /// A sandbox that will keep its state in `<data_dir>/sandbox` once started.
    pub fn new(data_dir: &Path) -> Self {
        Self {
            state_dir: data_dir.join("sandbox"),
            running: Mutex::new(None),
            starting: tokio::sync::Mutex::new(()),
        }
    }

    /// The sandbox, if it is running.
    pub fn running(&self) -> Option<Arc<RunningSandbox>> {
        self.running
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Starts the sandbox if it is not running. Returns it and whether this call started it.
    pub async fn ensure_started(&self) -> Result<(Arc<RunningSandbox>, bool), String> {
        let _one_at_a_time = self.starting.lock().await;
        if let Some(running) = self.running() {
            return Ok((running, false));
        }
        let started = Arc::new(start_sandbox(&self.state_dir).await?);
        *self.running.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(started.clone());
        Ok((started, true))
    }
}

/// A fresh random demo key per process: the sandbox accepts only it, so no other local program can drive
/// this instance's sandbox by guessing a fixed key.
fn demo_key() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 24];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("sandbox-{}", hex::encode(bytes))
}

/// Starts the embedded sandbox with its state in `state_dir`.
async fn start_sandbox(state_dir: &Path) -> Result<RunningSandbox, String> {
    let key = demo_key();
    let config = SandboxConfig {
        api_keys: vec![key.clone()],
        // The key changes every run; one institution owns them all, so yesterday's demo requests stay visible.
        single_issuer: Some("FirmaDesk demo".into()),
        state_dir: Some(state_dir.to_path_buf()),
        ..SandboxConfig::default()
    };
    let handle = Sandbox::start(config).await.map_err(|e| e.to_string())?;
    let client = iosign::Client::new(handle.base_url(), iosign::ApiKey::new(key)).map_err(|e| e.to_string())?;
    tracing::info!(base_url = %handle.base_url(), "embedded IO Sign sandbox started");
    Ok(RunningSandbox { handle, client })
}

/// How the sandbox profile is registered with the engine: its signed documents are verified against the
/// sandbox's test authority only (Modalità prova never trusts production anchors, nor they it).
pub fn engine_options(sandbox: &RunningSandbox) -> firmadesk_engine::ProfileOptions {
    firmadesk_engine::ProfileOptions {
        trust_anchors: vec![sandbox.handle.test_root_certificate_der()],
        trusted_lists: None,
    }
}

/// Starts the embedded sandbox if it is not running and registers it with the engine (the clerk
/// switched to Modalità prova). The sandbox profile's address follows the sandbox's random port.
pub async fn start_profile(state: &crate::Desk, engine: &firmadesk_engine::Engine) -> Result<(), crate::UiError> {
    let (sandbox, started) = state.sandbox.ensure_started().await.map_err(|e| {
        tracing::error!(error = %e, "cannot start the embedded IO Sign sandbox");
        crate::UiError::new(
            Code::SandboxStartFailed,
            "Impossibile avviare il servizio di prova locale: riavviare FirmaDesk; se il problema persiste contattare l'assistenza.",
        )
        .with_detail(e)
    })?;
    if started {
        crate::store::upsert_sandbox_profile(&*state.store, &sandbox.handle.base_url(), state.now_ms())
            .await
            .map_err(|e| {
                crate::UiError::new(
                    crate::Code::StoreSqlite,
                    "Archivio locale non disponibile: riavviare FirmaDesk.",
                )
                .with_detail(e)
            })?;
        engine
            .add_profile_with(crate::SANDBOX_PROFILE, sandbox.client.clone(), engine_options(&sandbox))
            .await
            .map_err(|e| crate::UiError::new(crate::Code::from(e.kind), e.message.clone()).with_detail(&e.detail))?;
    }
    Ok(())
}

/// Turns the simulated outage on or off; returns the new state. Turning it off wakes the queued sends.
pub fn set_outage(state: &crate::Desk, engine: &firmadesk_engine::Engine, on: bool) -> Result<bool, crate::UiError> {
    let sandbox = state.sandbox.running().ok_or_else(|| {
        crate::UiError::new(
            Code::SandboxNotRunning,
            "La modalità prova non è attiva: sceglierla in Impostazioni per simulare un disservizio.",
        )
    })?;
    sandbox.handle.set_unavailable(on);
    tracing::info!(outage = on, "sandbox outage simulation");
    if !on {
        engine.retry_now();
    }
    Ok(sandbox.handle.is_unavailable())
}

/// Whether the simulated outage is on (never, while the sandbox is not running).
pub fn outage(state: &crate::Desk) -> bool {
    state.sandbox.running().is_some_and(|s| s.handle.is_unavailable())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn not_running_until_asked_then_started_once() {
        let dir = tempfile::tempdir().unwrap();
        let service = SandboxService::new(dir.path());
        assert!(service.running().is_none());
        let (first, started) = service.ensure_started().await.unwrap();
        assert!(started);
        let (again, started_again) = service.ensure_started().await.unwrap();
        assert!(!started_again);
        assert_eq!(first.handle.base_url(), again.handle.base_url());
        assert!(service.running().is_some());
    }
}
