//! Structured logs to a daily-rotated file in the data directory (and to stderr).
//!
//! Secrets never reach the log: API keys and tokens are wrapped in redacting types in the core crates, and
//! the shell logs identifiers and outcomes, never request bodies.

use std::path::Path;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{Builder, Rotation};
use tracing_subscriber::{fmt, prelude::*, EnvFilter};

/// How many daily log files are kept.
pub const KEEP_LOG_FILES: usize = 14;

/// Installs the global subscriber. Keep the returned guard alive for the life of the process, or buffered
/// lines are lost at exit.
pub fn init(log_dir: &Path) -> Result<WorkerGuard, String> {
    std::fs::create_dir_all(log_dir).map_err(|e| format!("cannot create {}: {e}", log_dir.display()))?;
    let appender = Builder::new()
        .rotation(Rotation::DAILY)
        .filename_prefix("firmadesk")
        .filename_suffix("log")
        .max_log_files(KEEP_LOG_FILES)
        .build(log_dir)
        .map_err(|e| format!("cannot open the log file in {}: {e}", log_dir.display()))?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_env("FIRMADESK_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::registry()
        .with(filter)
        .with(fmt::layer().json().with_writer(writer))
        .with(fmt::layer().with_writer(std::io::stderr))
        .try_init()
        .map_err(|e| e.to_string())?;
    Ok(guard)
}
