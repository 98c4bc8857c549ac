//! Time source for the rate limiter and the retry backoff.
//!
//! The default [`TokioClock`] reads `tokio::time`, so tests can also run on tokio's paused
//! clock; a manual clock lets HTTP tests (which need real sockets, and so real time) observe
//! the delays the client chose without waiting for them.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;
use tokio::time::Instant;

/// A boxed sleep future.
pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Where the client reads the time and how it waits.
pub trait Clock: Send + Sync + 'static {
    /// The current instant.
    fn now(&self) -> Instant;
    /// A future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> Sleep;
}

/// [`Clock`] backed by `tokio::time` (honours `tokio::time::pause`).
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioClock;

impl Clock for TokioClock {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn sleep(&self, duration: Duration) -> Sleep {
        Box::pin(tokio::time::sleep(duration))
    }
}
