//! Injected time and randomness, so sagas, expiry and polling are testable without sleeps.

use futures::future::BoxFuture;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use time::OffsetDateTime;

/// Wall-clock time, waiting, and the random numbers behind backoff jitter.
pub trait Clock: Send + Sync + 'static {
    /// Now, in UTC (compared with the service's timestamps: `expires_at`, `created_at`).
    fn now(&self) -> OffsetDateTime;
    /// Completes after `duration`.
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;
    /// A number in `[0, 1)` for jitter.
    fn random(&self) -> f64;
}

/// The real clock: system UTC time, `tokio::time::sleep` (so tokio's paused time applies to
/// waits), thread-local RNG.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }

    fn random(&self) -> f64 {
        rand::random()
    }
}

/// A clock whose wall time follows tokio's clock from a fixed start: with
/// `#[tokio::test(start_paused = true)]`, waits are skipped and `now()` advances with them. Jitter
/// is a fixed value.
#[derive(Debug, Clone)]
pub struct TokioWallClock {
    start_wall: OffsetDateTime,
    start: tokio::time::Instant,
    random: f64,
}

impl TokioWallClock {
    /// Starts at `start_wall`; `random()` always returns `random`.
    pub fn new(start_wall: OffsetDateTime, random: f64) -> Self {
        Self {
            start_wall,
            start: tokio::time::Instant::now(),
            random,
        }
    }
}

impl Clock for TokioWallClock {
    fn now(&self) -> OffsetDateTime {
        self.start_wall + self.start.elapsed()
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }

    fn random(&self) -> f64 {
        self.random
    }
}

/// A clock moved by hand (expiry computations); `sleep` uses tokio's clock.
#[derive(Debug, Clone)]
pub struct ManualClock {
    now: Arc<Mutex<OffsetDateTime>>,
}

impl ManualClock {
    /// A clock at `now`.
    pub fn new(now: OffsetDateTime) -> Self {
        Self {
            now: Arc::new(Mutex::new(now)),
        }
    }

    /// Moves it (and its clones) by `by`.
    pub fn advance(&self, by: time::Duration) {
        *self.now.lock().unwrap_or_else(std::sync::PoisonError::into_inner) += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> OffsetDateTime {
        *self.now.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }

    fn random(&self) -> f64 {
        0.5
    }
}

/// A time as unix milliseconds, the unit the store keeps time in.
pub fn unix_ms(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// Backoff before attempt `attempts + 1` of a queued send: exponential from `initial`, capped at
/// `max`, with "equal jitter" (upper half) so desks that lost the network together do not come
/// back together.
pub fn backoff(attempts: u32, initial: Duration, max: Duration, random: f64) -> Duration {
    let exp = initial
        .saturating_mul(2u32.saturating_pow(attempts.saturating_sub(1).min(20)))
        .min(max);
    let half = exp / 2;
    half + exp.mul_f64(random.clamp(0.0, 1.0) * 0.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_jitters_in_the_upper_half() {
        let (i, m) = (Duration::from_secs(1), Duration::from_secs(60));
        assert_eq!(backoff(1, i, m, 1.0), Duration::from_secs(1));
        assert_eq!(backoff(1, i, m, 0.0), Duration::from_millis(500));
        assert_eq!(backoff(3, i, m, 1.0), Duration::from_secs(4));
        assert_eq!(backoff(30, i, m, 1.0), Duration::from_secs(60));
        assert_eq!(backoff(30, i, m, 0.0), Duration::from_secs(30));
    }

    #[tokio::test(start_paused = true)]
    async fn tokio_clock_follows_paused_time() {
        let start = time::macros::datetime!(2026-01-01 0:00 UTC);
        let c = TokioWallClock::new(start, 0.5);
        c.sleep(Duration::from_secs(3600)).await;
        assert_eq!(c.now(), start + time::Duration::hours(1));
    }
}
