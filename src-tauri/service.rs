//! Which IO Sign service this instance talks to.
//!
//! With no real issuer profile configured, FirmaDesk starts the IO Sign sandbox inside the process, on a
//! random loopback port, with its state under `<data dir>/sandbox/` so demo requests survive a restart. A
//! newcomer therefore sees the whole product without an API key, and nothing ever leaves the machine.

use iosign_sandbox::{Sandbox, SandboxConfig, SandboxHandle};
use std::path::Path;

/// The service in use.
pub enum Service {
    /// The embedded sandbox ("Modalità prova").
    Sandbox {
        /// The running emulator (kept alive for the life of the app).
        handle: SandboxHandle,
        /// Client bound to it, with this process's demo key.
        client: iosign::Client,
    },
}

impl Service {
    /// Base URL of the issuer API in use.
    pub fn base_url(&self) -> String {
        match self {
            Service::Sandbox { handle, .. } => handle.base_url().to_string(),
        }
    }

    /// True in "Modalità prova".
    pub fn is_sandbox(&self) -> bool {
        matches!(self, Service::Sandbox { .. })
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

/// Starts the embedded sandbox with its state in `<data_dir>/sandbox`.
pub async fn start_sandbox(data_dir: &Path) -> Result<Service, String> {
    let key = demo_key();
    let config = SandboxConfig {
        api_keys: vec![key.clone()],
        // The key changes every run; one institution owns them all, so yesterday's demo requests stay visible.
        single_issuer: Some("FirmaDesk demo".into()),
        state_dir: Some(data_dir.join("sandbox")),
        ..SandboxConfig::default()
    };
    let handle = Sandbox::start(config).await.map_err(|e| e.to_string())?;
    let client = iosign::Client::new(handle.base_url(), iosign::ApiKey::new(key)).map_err(|e| e.to_string())?;
    tracing::info!(base_url = %handle.base_url(), "embedded IO Sign sandbox started");
    Ok(Service::Sandbox { handle, client })
}
