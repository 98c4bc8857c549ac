//! `iosign-sandbox`: run the IO Sign issuer API emulator on loopback.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use iosign_sandbox::{Sandbox, SandboxConfig, SystemClock};

/// Local emulator of the Firma con IO (IO Sign) issuer API, blob storage and citizen.
#[derive(Debug, Parser)]
#[command(name = "iosign-sandbox", version)]
struct Cli {
    /// Loopback address to listen on (port 0 = any free port).
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// Production API key (repeatable; each key is its own issuer).
    #[arg(long = "api-key", value_name = "KEY")]
    api_keys: Vec<String>,
    /// Test API key: /signers only accepts the --tester fiscal codes (repeatable).
    #[arg(long = "test-key", value_name = "KEY")]
    test_keys: Vec<String>,
    /// All keys belong to this one institution (one issuer); otherwise each key is its own issuer.
    #[arg(long, value_name = "NAME")]
    single_issuer: Option<String>,
    /// Fiscal code enabled for the test keys (repeatable).
    #[arg(long = "tester", value_name = "CF")]
    testers: Vec<String>,
    /// Fiscal code of a citizen without the IO app: /signers answers 404 (repeatable).
    #[arg(long = "not-on-io", value_name = "CF")]
    not_on_io: Vec<String>,
    /// Fiscal code of a citizen who turned off the service's messages: /notification answers 400
    /// (repeatable).
    #[arg(long = "no-messages", value_name = "CF")]
    messages_blocked: Vec<String>,
    /// Time the service takes to validate an upload.
    #[arg(long, value_name = "N", default_value_t = 500)]
    validation_delay_ms: u64,
    /// Time from READY to WAIT_FOR_SIGNATURE.
    #[arg(long, value_name = "N", default_value_t = 2000)]
    publish_delay_ms: u64,
    /// The citizen signs automatically N ms after WAIT_FOR_SIGNATURE.
    #[arg(long, value_name = "N")]
    auto_sign_after_ms: Option<u64>,
    /// Latency added to every API call.
    #[arg(long, value_name = "N", default_value_t = 0)]
    latency_ms: u64,
    /// Fraction (0..1) of API calls answered with 500/503.
    #[arg(long, value_name = "RATE", default_value_t = 0.0, value_parser = parse_rate)]
    fault_rate: f64,
    /// Seed of the fault injection.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Calls allowed per key per rate-limit window.
    #[arg(long, value_name = "N", default_value_t = 150)]
    rate_limit_calls: u32,
    /// Rate-limit window.
    #[arg(long, value_name = "N", default_value_t = 5000)]
    rate_limit_period_ms: u64,
    /// Persist state here across restarts.
    #[arg(long, value_name = "DIR")]
    state_dir: Option<PathBuf>,
    /// Largest document accepted by the blob upload and /validate-document, in MiB.
    #[arg(long, value_name = "N", default_value_t = 64, value_parser = clap::value_parser!(u16).range(1..=4096))]
    max_document_mib: u16,
}

fn main() -> std::process::ExitCode {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("iosign-sandbox: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // One line with the causes, no backtrace: this is a user-facing tool.
            eprintln!("iosign-sandbox: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    if cli.api_keys.is_empty() && cli.test_keys.is_empty() {
        eprintln!("warning: no --api-key or --test-key given: every API call will answer 401");
    }
    let config = SandboxConfig {
        listen: cli.listen,
        api_keys: cli.api_keys,
        test_keys: cli.test_keys,
        single_issuer: cli.single_issuer,
        testers: cli.testers.into_iter().map(|c| c.to_uppercase()).collect(),
        not_on_io: cli.not_on_io.into_iter().map(|c| c.to_uppercase()).collect(),
        messages_blocked: cli.messages_blocked.into_iter().map(|c| c.to_uppercase()).collect(),
        validation_delay: Duration::from_millis(cli.validation_delay_ms),
        publish_delay: Duration::from_millis(cli.publish_delay_ms),
        auto_sign_after: cli.auto_sign_after_ms.map(Duration::from_millis),
        latency: Duration::from_millis(cli.latency_ms),
        fault_rate: cli.fault_rate,
        seed: cli.seed,
        rate_limit_calls: cli.rate_limit_calls,
        rate_limit_period: Duration::from_millis(cli.rate_limit_period_ms),
        state_dir: cli.state_dir,
        max_document_bytes: usize::from(cli.max_document_mib) * 1024 * 1024,
        clock: Arc::new(SystemClock),
        ..SandboxConfig::default()
    };
    // The stop signals are caught before the "listening" line: a parent that stops the sandbox as
    // soon as it reads that line must get a graceful stop, not the default SIGTERM death.
    let stop = stop_signals()?;
    let handle = Sandbox::start(config).await.context("cannot start the sandbox")?;
    if let Some(aside) = handle.recovered_from() {
        eprintln!(
            "warning: the state file was unreadable: kept as {}, starting with an empty sandbox",
            aside.display()
        );
    }
    eprintln!(
        "the /sandbox/ controls take the same Ocp-Apim-Subscription-Key header as the API; \
         only Host {} (or localhost with its port) is answered",
        handle.addr()
    );
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on {}", handle.origin())?;
        out.flush()?;
    }
    stop.await?;
    handle.shutdown().await;
    Ok(())
}

/// Installs the handlers now and returns a future that ends on Ctrl-C, or SIGTERM on Unix (how a
/// parent process or a service manager stops it).
fn stop_signals() -> anyhow::Result<impl std::future::Future<Output = anyhow::Result<()>>> {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .context("installing the SIGTERM handler")?;
    // ctrl_c() registers its handler on first poll: poll it once now through a pinned future.
    let mut ctrl_c = Box::pin(tokio::signal::ctrl_c());
    let _ = futures_poll_once(ctrl_c.as_mut());
    Ok(async move {
        #[cfg(unix)]
        tokio::select! {
            r = ctrl_c => r.context("waiting for Ctrl-C")?,
            _ = term.recv() => {}
        }
        #[cfg(not(unix))]
        ctrl_c.await.context("waiting for Ctrl-C")?;
        Ok(())
    })
}

/// Polls a future once without waiting (registers signal handlers that install lazily).
fn futures_poll_once<F: std::future::Future>(f: std::pin::Pin<&mut F>) -> std::task::Poll<F::Output> {
    let waker = std::task::Waker::noop();
    let mut cx = std::task::Context::from_waker(waker);
    f.poll(&mut cx)
}

fn parse_rate(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(r) if (0.0..=1.0).contains(&r) => Ok(r),
        _ => Err(format!("{s:?} is not a number between 0 and 1")),
    }
}
