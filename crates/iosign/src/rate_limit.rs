//! Client-side budget for the API: at most N calls in any window of P (150 per 5 s by default).

use crate::clock::{Clock, TokioClock};
use std::collections::VecDeque;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;
use tokio::time::Instant;

/// APIM's policy for the issuer API: `rate-limit-by-key calls="150" renewal-period="5"`.
pub const DEFAULT_CALLS: usize = 150;
/// See [`DEFAULT_CALLS`].
pub const DEFAULT_PERIOD: Duration = Duration::from_secs(5);

/// How much longer than APIM's window the client counts each of its tokens. A call reaches APIM some
/// time after its token is taken (a connection to open, a runtime busy with other work on a small
/// machine), so calls of one window can arrive in the next: measured with a 100-row list sent to the
/// sandbox on 2 busy cores, 49 of 1,345 calls got a 429 with the window counted exactly; the margin
/// costs at most 5 % of the budget.
pub const ARRIVAL_MARGIN: Duration = Duration::from_millis(250);

/// Longest pause [`RateLimiter::pause_for`] applies.
pub const MAX_PAUSE: Duration = Duration::from_secs(60);

/// An async token bucket shared by every user of one API key.
///
/// Each call takes a token and the token returns to the bucket `period` after it was taken.
/// That is stricter than a bucket refilled at a constant rate (which allows a full bucket plus a
/// period's refill inside one window): no window of length `period` ever sees more than `calls`
/// acquisitions, which is what APIM counts. Cheap to clone; clones share the budget, so the
/// engine can hand one limiter to several clients of the same key.
///
/// Waiters are served in arrival order (the lock is a fair tokio mutex and the waiter at the
/// head holds it while sleeping). Dropping an `acquire` future gives nothing up.
#[derive(Clone)]
pub struct RateLimiter {
    inner: Arc<Inner>,
}

struct Inner {
    calls: usize,
    period: Duration,
    clock: Arc<dyn Clock>,
    /// Instants of the acquisitions still inside the window, oldest first.
    taken: Mutex<VecDeque<Instant>>,
    /// No token before this instant: the service said 429 (a plain std mutex, never held
    /// across an await, so a 429 can be recorded while a waiter sleeps holding `taken`).
    paused_until: std::sync::Mutex<Option<Instant>>,
}

impl RateLimiter {
    /// `calls` per `period`, on the tokio clock. `calls` of 0 is treated as 1.
    pub fn new(calls: usize, period: Duration) -> Self {
        Self::with_clock(calls, period, Arc::new(TokioClock))
    }

    /// The same, on an injected clock.
    pub fn with_clock(calls: usize, period: Duration, clock: Arc<dyn Clock>) -> Self {
        let calls = calls.max(1);
        Self {
            inner: Arc::new(Inner {
                calls,
                period,
                clock,
                taken: Mutex::new(VecDeque::with_capacity(calls)),
                paused_until: std::sync::Mutex::new(None),
            }),
        }
    }

    /// Waits for a token and takes it.
    pub async fn acquire(&self) {
        let inner = &*self.inner;
        let mut taken = inner.taken.lock().await;
        loop {
            let now = inner.clock.now();
            let paused = *inner.paused_until.lock().expect("never poisoned: no panics inside");
            if let Some(until) = paused.filter(|&u| u > now) {
                inner.clock.sleep(until - now).await;
                continue;
            }
            while taken
                .front()
                .is_some_and(|&t| now.saturating_duration_since(t) >= inner.period)
            {
                taken.pop_front();
            }
            if taken.len() < inner.calls {
                taken.push_back(now);
                return;
            }
            let oldest = *taken.front().expect("full, so non-empty");
            let wait = (oldest + inner.period).saturating_duration_since(now);
            tracing::debug!(target: "iosign", wait_ms = wait.as_millis() as u64, "rate limit budget spent, waiting");
            inner.clock.sleep(wait).await;
        }
    }

    /// Holds every acquisition for `duration` (or until an earlier pause ends, if longer):
    /// the service answered 429, so the key's budget is being spent elsewhere too.
    pub fn pause_for(&self, duration: Duration) {
        // A bogus header must not freeze the app: APIM's windows are seconds long.
        let until = self.inner.clock.now() + duration.min(MAX_PAUSE);
        let mut paused = self
            .inner
            .paused_until
            .lock()
            .expect("never poisoned: no panics inside");
        *paused = Some(paused.map_or(until, |p| p.max(until)));
    }

    /// Tokens available right now.
    pub async fn available(&self) -> usize {
        let inner = &*self.inner;
        let taken = inner.taken.lock().await;
        let now = inner.clock.now();
        let live = taken
            .iter()
            .filter(|&&t| now.saturating_duration_since(t) < inner.period)
            .count();
        inner.calls - live
    }
}

impl Default for RateLimiter {
    fn default() -> Self {
        Self::new(DEFAULT_CALLS, DEFAULT_PERIOD)
    }
}

impl fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateLimiter")
            .field("calls", &self.inner.calls)
            .field("period", &self.inner.period)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Acquires `n` tokens from concurrent tasks and returns the instants (relative to the
    /// start) at which each acquisition completed, sorted.
    async fn acquisition_times(limiter: &RateLimiter, n: usize) -> Vec<Duration> {
        let start = Instant::now();
        let tasks: Vec<_> = (0..n)
            .map(|_| {
                let limiter = limiter.clone();
                tokio::spawn(async move {
                    limiter.acquire().await;
                    Instant::now() - start
                })
            })
            .collect();
        let mut times = Vec::with_capacity(n);
        for t in tasks {
            times.push(t.await.unwrap());
        }
        times.sort();
        times
    }

    #[tokio::test(start_paused = true)]
    async fn never_exceeds_the_budget_in_any_window() {
        let limiter = RateLimiter::default();
        let times = acquisition_times(&limiter, 400).await;
        // Sliding window over the sorted instants: the (i + 150)-th acquisition must come at
        // least a full period after the i-th.
        for (i, t) in times.iter().enumerate() {
            if let Some(later) = times.get(i + DEFAULT_CALLS) {
                assert!(
                    *later - *t >= DEFAULT_PERIOD,
                    "calls {i} and {} are {:?} apart",
                    i + DEFAULT_CALLS,
                    *later - *t
                );
            }
        }
        // And it does not throttle more than needed: three bursts, at 0, 5 and 10 s.
        assert_eq!(times[DEFAULT_CALLS - 1], Duration::ZERO);
        assert_eq!(times[DEFAULT_CALLS], DEFAULT_PERIOD);
        assert_eq!(times[2 * DEFAULT_CALLS], 2 * DEFAULT_PERIOD);
        assert_eq!(times[399], 2 * DEFAULT_PERIOD);
    }

    #[tokio::test(start_paused = true)]
    async fn clones_share_one_budget_and_tokens_come_back_after_the_period() {
        let a = RateLimiter::new(3, Duration::from_secs(1));
        let b = a.clone();
        a.acquire().await;
        b.acquire().await;
        assert_eq!(a.available().await, 1);
        tokio::time::advance(Duration::from_millis(500)).await;
        a.acquire().await;
        assert_eq!(b.available().await, 0);
        tokio::time::advance(Duration::from_millis(500)).await;
        // The first two tokens (taken at t=0) are back, the third (t=0.5) is not.
        assert_eq!(b.available().await, 2);
    }

    #[tokio::test(start_paused = true)]
    async fn a_pause_holds_every_caller_until_it_ends() {
        let limiter = RateLimiter::new(10, Duration::from_secs(1));
        let start = Instant::now();
        limiter.pause_for(Duration::from_secs(3));
        limiter.pause_for(Duration::from_secs(1)); // a shorter pause does not shorten it
        let times = acquisition_times(&limiter, 2).await;
        assert_eq!(times, vec![Duration::from_secs(3); 2]);
        assert_eq!(Instant::now() - start, Duration::from_secs(3));

        limiter.pause_for(Duration::MAX);
        let times = acquisition_times(&limiter, 1).await;
        assert_eq!(times, vec![MAX_PAUSE]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_dropped_waiter_takes_no_token() {
        let limiter = RateLimiter::new(1, Duration::from_secs(1));
        limiter.acquire().await;
        let waiting = tokio::time::timeout(Duration::from_millis(100), limiter.acquire()).await;
        assert!(waiting.is_err(), "must still be waiting");
        tokio::time::advance(Duration::from_secs(1)).await;
        assert_eq!(limiter.available().await, 1);
    }
}
