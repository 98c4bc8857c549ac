//! E2E harness: builds nothing itself (xtask builds the app once), starts tauri-driver on free ports,
//! launches FirmaDesk with a fresh data directory and returns a WebDriver session on the real window.
//! On failure it saves a screenshot, the page source and the app's log under `target/e2e-artifacts/<test>/`.

use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a UI condition may take before the test fails (a bound, not a pause: waits end as soon as
/// the condition holds).
pub const UI_TIMEOUT: Duration = Duration::from_secs(15);

pub type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn app_binary() -> PathBuf {
    let path = std::env::var_os("FIRMADESK_E2E_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target/debug/firmadesk"));
    assert!(
        path.exists(),
        "app binary {} missing: run the E2E tests with `cargo xtask test`",
        path.display()
    );
    path
}

fn tauri_driver() -> PathBuf {
    std::env::var_os("TAURI_DRIVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var("HOME").expect("HOME")).join(".cargo/bin/tauri-driver"))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind a free port")
        .local_addr()
        .expect("local addr")
        .port()
}

/// tauri-driver, killed when dropped: a test that panics before or during its session never leaves a
/// driver (and its WebKitWebDriver and app) running behind it.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A running FirmaDesk window under WebDriver.
pub struct App {
    pub client: Client,
    _driver: Driver,
    data_dir: PathBuf,
    _owned_dir: Option<tempfile::TempDir>,
    artifacts: PathBuf,
    _watchdog: Watchdog,
}

/// How long one app session of a test may last. A WebDriver call to an app that died can wait
/// forever; this turns such a hang into a failure with the test's name.
const SESSION_DEADLINE: Duration = Duration::from_secs(300);

/// Ends the test process when a session outlives [`SESSION_DEADLINE`]; dropped with the [`App`].
struct Watchdog(Option<std::sync::mpsc::Sender<()>>);

impl Watchdog {
    fn start(test: &str, artifacts: &Path) -> Self {
        let (done, rx) = std::sync::mpsc::channel::<()>();
        let (test, artifacts) = (test.to_owned(), artifacts.to_path_buf());
        std::thread::spawn(move || {
            if let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(SESSION_DEADLINE) {
                eprintln!(
                    "E2E test {test}: the app session is still running after {} s (a WebDriver call hung, \
                     did the app die?); evidence in {}",
                    SESSION_DEADLINE.as_secs(),
                    artifacts.display()
                );
                std::process::exit(101);
            }
        });
        Self(Some(done))
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        if let Some(done) = self.0.take() {
            let _ = done.send(());
        }
    }
}

impl App {
    /// Launches the app on a fresh, empty data directory.
    pub async fn launch(test: &str) -> App {
        let dir = tempfile::Builder::new()
            .prefix("firmadesk-e2e-")
            .tempdir()
            .expect("temp data dir");
        let path = dir.path().to_path_buf();
        let mut app = App::launch_on(test, &path).await;
        app._owned_dir = Some(dir);
        app
    }

    /// Launches the app on an existing data directory (restarts keep their data).
    pub async fn launch_on(test: &str, data_dir: &Path) -> App {
        Self::launch_with(test, data_dir, &[]).await
    }

    /// Launches the app on a fresh data directory with extra environment variables for the app.
    pub async fn launch_env(test: &str, env: &[(&str, &str)]) -> App {
        let dir = tempfile::Builder::new()
            .prefix("firmadesk-e2e-")
            .tempdir()
            .expect("temp data dir");
        let path = dir.path().to_path_buf();
        let mut app = App::launch_with(test, &path, env).await;
        app._owned_dir = Some(dir);
        app
    }

    /// Launches the app on `data_dir` with extra environment variables (inherited through
    /// tauri-driver and WebKitWebDriver).
    pub async fn launch_with(test: &str, data_dir: &Path, env: &[(&str, &str)]) -> App {
        Self::launch_full(test, data_dir, env, &[]).await
    }

    /// Launches the app on `data_dir` with extra environment variables and extra command-line arguments
    /// after `--data-dir DIR` (as a login item starts it).
    pub async fn launch_full(test: &str, data_dir: &Path, env: &[(&str, &str)], args: &[&str]) -> App {
        // Two TLS stacks are linked into this test binary, so rustls cannot pick a provider by itself.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let artifacts = workspace().join("target/e2e-artifacts").join(test);
        std::fs::create_dir_all(&artifacts).expect("artifacts dir");
        let watchdog = Watchdog::start(test, &artifacts);
        let (port, native_port) = (free_port(), free_port());
        let log = std::fs::File::create(artifacts.join("tauri-driver.log")).expect("driver log");
        let driver = Driver(
            Command::new(tauri_driver())
                .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
                .env("FIRMADESK_DATA_DIR", data_dir)
                .envs(env.iter().copied())
                .stdout(Stdio::from(log.try_clone().expect("log handle")))
                .stderr(Stdio::from(log))
                .spawn()
                .expect("start tauri-driver (cargo xtask test installs it)"),
        );
        let mut app_args = vec![String::from("--data-dir"), data_dir.display().to_string()];
        app_args.extend(args.iter().map(|a| (*a).to_owned()));
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": app_binary(), "args": app_args }),
        );
        // tauri-driver needs a moment to listen and to start WebKitWebDriver: retry the new-session request
        // until it answers, within a bound.
        let deadline = Instant::now() + Duration::from_secs(30);
        let client = loop {
            let attempt = ClientBuilder::rustls()
                .expect("rustls client")
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await;
            match attempt {
                Ok(client) => break client,
                Err(e) if Instant::now() < deadline => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("no WebDriver session within 30 s: {e}"),
            }
        };
        let app = App {
            client,
            _driver: driver,
            data_dir: data_dir.to_path_buf(),
            _owned_dir: None,
            artifacts,
            _watchdog: watchdog,
        };
        app.wait_for("body[data-ready='true']")
            .await
            .expect("the UI did not finish starting");
        app
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// This test's folder under `target/e2e-artifacts/` (screenshots, logs).
    pub fn artifacts(&self) -> &Path {
        &self.artifacts
    }

    /// Waits for an element matching a CSS selector.
    ///
    /// A view re-rendered by the engine's events while WebKitWebDriver builds the element's handle answers
    /// "stale element" to the find itself (seen once in the English walk, on the dashboard): the element is
    /// looked for again, within the same time limit.
    pub async fn wait_for(&self, css: &str) -> Result<Element, fantoccini::error::CmdError> {
        let deadline = Instant::now() + UI_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.client.wait().at_most(left).for_element(Locator::Css(css)).await {
                Err(e) if e.to_string().contains("Stale element") && Instant::now() < deadline => continue,
                other => return other,
            }
        }
    }

    /// Waits until the element's text equals `expected`; returns the last text seen.
    pub async fn wait_for_text(&self, css: &str, expected: &str) -> Result<String, String> {
        let deadline = Instant::now() + UI_TIMEOUT;
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                last = el.text().await.unwrap_or_default();
                if last.trim() == expected {
                    return Ok(last);
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err(format!("{css}: expected text {expected:?}, last seen {last:?}"))
    }

    /// Waits until the element's text contains `needle`, finding the element again at each try (a view that
    /// re-renders on the engine's events replaces its nodes: one found a moment ago may be gone). Returns
    /// the text.
    pub async fn wait_for_text_containing(&self, css: &str, needle: &str) -> Result<String, String> {
        let deadline = Instant::now() + UI_TIMEOUT;
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                last = el.text().await.unwrap_or_default();
                if last.contains(needle) {
                    return Ok(last);
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err(format!(
            "{css}: expected text containing {needle:?}, last seen {last:?}"
        ))
    }

    /// Runs axe-core (from the workspace's node_modules, installed by `cargo xtask`) on the current
    /// view and fails on any serious or critical WCAG 2.1 A/AA violation.
    pub async fn assert_accessible(&self, view: &str) -> Result<(), String> {
        let axe = std::fs::read_to_string(workspace().join("node_modules/axe-core/axe.min.js"))
            .map_err(|e| format!("axe-core missing (run cargo xtask ui): {e}"))?;
        // The source runs as the body of the WebDriver script: no eval, so the app's CSP stays as is.
        self.client
            .execute(&format!("{axe}\n;return typeof window.axe;"), vec![])
            .await
            .map_err(|e| format!("cannot load axe-core: {e}"))?;
        let violations = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
                   .then(r => done(r.violations
                       .filter(v => v.impact === 'serious' || v.impact === 'critical')
                       .map(v => ({ id: v.id, impact: v.impact, help: v.help,
                                    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')) }))))
                   .catch(e => done([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }]));",
                vec![],
            )
            .await
            .map_err(|e| format!("axe-core did not run: {e}"))?;
        match violations.as_array() {
            Some(v) if v.is_empty() => Ok(()),
            _ => {
                let _ = std::fs::write(
                    self.artifacts.join(format!("a11y-{}.json", view.replace(' ', "-"))),
                    serde_json::to_string_pretty(&violations).unwrap_or_default(),
                );
                Err(format!(
                    "{view}: serious/critical accessibility violations:\n{}",
                    serde_json::to_string_pretty(&violations).unwrap_or_default()
                ))
            }
        }
    }

    /// Saves a named screenshot (for the README and for debugging).
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.expect("screenshot");
        let path = self.artifacts.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    /// Ends the session; on a failed result saves the evidence first, then fails the test with it.
    pub async fn finish(self, result: TestResult) {
        if let Err(e) = &result {
            if let Ok(png) = self.client.screenshot().await {
                let _ = std::fs::write(self.artifacts.join("failure.png"), png);
            }
            if let Ok(html) = self.client.source().await {
                let _ = std::fs::write(self.artifacts.join("failure.html"), html);
            }
            let _ = std::fs::write(self.artifacts.join("failure.txt"), e.to_string());
            copy_logs(&self.data_dir.join("logs"), &self.artifacts);
            eprintln!("E2E failure evidence in {}", self.artifacts.display());
            let _ = e;
        }
        let _ = self.client.clone().close().await;
        let data_dir = self.data_dir.clone();
        drop(self);
        // The next launch on this folder (a restart test) must find this one gone, as a clerk reopening
        // FirmaDesk after it closed does.
        wait_until_gone(&data_dir);
        if let Err(e) = result {
            panic!("{e}");
        }
    }
}

/// Whether a FirmaDesk process runs on `data_dir`.
pub fn running_on(data_dir: &Path) -> bool {
    let needle = data_dir.as_os_str().as_encoded_bytes().to_vec();
    std::fs::read_dir("/proc").into_iter().flatten().flatten().any(|e| {
        std::fs::read(e.path().join("cmdline")).is_ok_and(|c| {
            c.split(|b| *b == 0).any(|arg| arg == needle.as_slice())
                && c.split(|b| *b == 0)
                    .next()
                    .is_some_and(|exe| exe.ends_with(b"firmadesk"))
        })
    })
}

/// Waits (at most 15 s) until no FirmaDesk process runs on `data_dir`.
fn wait_until_gone(data_dir: &Path) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while running_on(data_dir) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn copy_logs(from: &Path, to: &Path) {
    if let Ok(entries) = std::fs::read_dir(from) {
        for entry in entries.flatten() {
            let _ = std::fs::copy(entry.path(), to.join(entry.file_name()));
        }
    }
}
