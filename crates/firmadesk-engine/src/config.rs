//! How an engine is tuned ([`EngineConfig`]) and where tests may stop a saga ([`CrashPoint`]).

use crate::store::{SendRecord, SendStep};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Where a crash can be simulated (see [`EngineConfig::crash_hook`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CrashPoint {
    /// Right after the step that just finished was persisted (the record holds the next step).
    AfterStep(SendStep),
    /// `create_attempted_at` was saved and `POST /signature-requests` is about to be sent.
    BeforeCreateCall,
    /// `POST /signature-requests` answered, before its answer was saved: the request exists on
    /// IO and nothing here knows its id ("response lost").
    CreateResponseLost,
    /// An upload URL was obtained, the PDF not yet sent (a crash mid-upload looks the same).
    UploadUrlFetched,
    /// `PUT /notification` answered, before that was saved.
    NotifyResponseLost,
}

/// A test hook: returns `true` to stop the saga at that point as if the process died there.
pub type CrashHook = Arc<dyn Fn(CrashPoint, &SendRecord) -> bool + Send + Sync>;

/// Tuning of the engine. Defaults suit the live service.
#[derive(Clone)]
#[non_exhaustive]
pub struct EngineConfig {
    /// Root of the archive of signed PDFs.
    pub archive_dir: PathBuf,
    /// First delay of a queued send; doubles up to [`retry_max`](Self::retry_max).
    pub retry_initial: Duration,
    /// Longest delay between attempts of a queued send.
    pub retry_max: Duration,
    /// Poll interval while documents are being validated and while READY becomes
    /// WAIT_FOR_SIGNATURE (the reference suggests 2–5 s).
    pub step_poll: Duration,
    /// Sync interval right after a publish (for [`fast_window`](Self::fast_window)).
    pub fast_poll: Duration,
    /// How long after a publish the poller stays fast.
    pub fast_window: Duration,
    /// Sync interval otherwise.
    pub slow_poll: Duration,
    /// Run a poller per profile (off in tests that drive [`Engine::sync_now`] themselves).
    pub auto_sync: bool,
    /// Concurrent detail fetches and downloads in a sync pass (the rate limiter paces them).
    pub detail_concurrency: usize,
    /// Concurrent dossier listings in a sync pass.
    pub list_concurrency: usize,
    /// Tolerance when adopting a request whose create had an unknown outcome: between the
    /// service's `Date` at the attempt (one-second resolution, from its gateway) and the
    /// `created_at` of its backend. This machine's clock plays no part.
    pub clock_skew: Duration,
    /// Fault injection for tests: stop a saga at a [`CrashPoint`].
    pub crash_hook: Option<CrashHook>,
    /// This process's name as a worker, the holder of a key's lease (default: `user@machine`). A process
    /// that restarts under the same name takes its lease back at once; two processes that share one
    /// database must have different names (the default differs per OS user and per machine).
    pub worker_name: String,
    /// How long a key's lease lasts unless renewed: a dead worker's successor waits at most this plus
    /// [`lease_renew`](Self::lease_renew).
    pub lease_ttl: Duration,
    /// How often the worker renews its lease and looks for sends other desks left in the outbox; how
    /// often a process that is not the worker asks for the lease.
    pub lease_renew: Duration,
}

impl EngineConfig {
    /// Defaults with the archive at `archive_dir`.
    pub fn new(archive_dir: impl Into<PathBuf>) -> Self {
        Self {
            archive_dir: archive_dir.into(),
            retry_initial: Duration::from_secs(2),
            retry_max: Duration::from_secs(300),
            step_poll: Duration::from_secs(2),
            fast_poll: Duration::from_secs(5),
            fast_window: Duration::from_secs(120),
            slow_poll: Duration::from_secs(60),
            auto_sync: true,
            detail_concurrency: 8,
            list_concurrency: 4,
            clock_skew: Duration::from_secs(300),
            crash_hook: None,
            worker_name: this_user_at_machine(),
            lease_ttl: Duration::from_secs(15),
            lease_renew: Duration::from_secs(5),
        }
    }
}

/// `user@machine`: the OS user running this process and the machine's name (a worker's default name, and
/// who did something on a desk without the body's login).
pub fn this_user_at_machine() -> String {
    format!("{}@{}", user_name(), machine_name())
}

/// The machine's name, as the OS reports it (gethostname on Linux and macOS, `COMPUTERNAME` on Windows).
fn machine_name() -> String {
    #[cfg(unix)]
    let name = {
        let mut buf = [0u8; 256];
        // SAFETY: the buffer is valid for its whole length; gethostname writes at most that many bytes.
        let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
        let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
        (rc == 0).then(|| String::from_utf8_lossy(&buf[..end]).into_owned())
    };
    #[cfg(not(unix))]
    let name = std::env::var("COMPUTERNAME").ok();
    name.map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "firmadesk".to_owned())
}

/// The OS user running this process (`USER` on Linux and macOS, `USERNAME` on Windows).
fn user_name() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "utente".to_owned())
}

impl std::fmt::Debug for EngineConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EngineConfig")
            .field("archive_dir", &self.archive_dir)
            .field("retry_initial", &self.retry_initial)
            .field("retry_max", &self.retry_max)
            .field("step_poll", &self.step_poll)
            .field("fast_poll", &self.fast_poll)
            .field("slow_poll", &self.slow_poll)
            .field("auto_sync", &self.auto_sync)
            .field("worker_name", &self.worker_name)
            .field("lease_ttl", &self.lease_ttl)
            .field("lease_renew", &self.lease_renew)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    /// Two processes that share a team database must not share a worker name: the default names the OS
    /// user and the machine, as the kernel reports it (not a shell variable a desktop app never sees).
    #[cfg(target_os = "linux")]
    #[test]
    fn the_default_worker_name_is_user_at_machine() {
        let kernel = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
        let name = super::EngineConfig::new("/tmp/archivio").worker_name;
        let (user, machine) = name.split_once('@').expect("user@machine");
        assert_eq!(machine, kernel.trim());
        assert!(!user.is_empty());
    }
}
