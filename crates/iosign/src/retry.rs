//! When and how long to wait before repeating a failed call.

use crate::error::{ApiError, ApiErrorKind};
use std::time::Duration;

/// Retry policy for calls that are safe to repeat.
///
/// Only idempotent calls are ever retried (GETs, `PUT .../status`, `POST /signers`,
/// `POST /validate-document`, the blob upload and download); creating a dossier or a signature
/// request and sending the IO message are not, whatever this policy says. A retry happens on
/// 429 (waiting what the service asked, up to [`max_retry_after`](Self::max_retry_after)), on
/// 5xx and on network errors; the delay otherwise grows exponentially from
/// [`initial_backoff`](Self::initial_backoff), capped at [`max_backoff`](Self::max_backoff),
/// with "equal jitter" (a random point in the upper half) so clients that failed together do
/// not come back together.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in total, the first included (1 = never retry).
    pub max_attempts: u32,
    /// Delay before the first retry.
    pub initial_backoff: Duration,
    /// Ceiling of the exponential delay.
    pub max_backoff: Duration,
    /// A 429 asking to wait longer than this is returned to the caller instead of waited out.
    pub max_retry_after: Duration,
    /// Randomise delays (turn off for exact delays in tests).
    pub jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(30),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Sets [`max_attempts`](Self::max_attempts) (at least 1).
    pub fn with_max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// Sets the initial and maximum backoff.
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Sets [`max_retry_after`](Self::max_retry_after).
    pub fn with_max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = max;
        self
    }

    /// Turns jitter on or off.
    pub fn with_jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// How long to wait before attempt `attempt + 1` after `err` ended attempt `attempt`
    /// (1-based), or `None` to give up.
    pub fn delay_after(&self, attempt: u32, err: &ApiError) -> Option<Duration> {
        if attempt >= self.max_attempts || !err.is_transient() {
            return None;
        }
        if let ApiErrorKind::RateLimited {
            retry_after: Some(wait),
        } = err.kind
        {
            // The service knows when its window reopens: wait exactly that, no jitter.
            return (wait <= self.max_retry_after).then_some(wait);
        }
        let exp = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)))
            .min(self.max_backoff);
        Some(if self.jitter {
            let half = exp / 2;
            half + exp.mul_f64(rand::random::<f64>() * 0.5)
        } else {
            exp
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(kind: ApiErrorKind) -> ApiError {
        ApiError::new("test", kind)
    }

    #[test]
    fn exponential_capped_and_bounded() {
        let p = RetryPolicy::default()
            .with_max_attempts(6)
            .with_backoff(Duration::from_millis(100), Duration::from_millis(350))
            .with_jitter(false);
        let e = err(ApiErrorKind::Server);
        let delays: Vec<_> = (1..=6).map(|a| p.delay_after(a, &e)).collect();
        let ms = |m| Some(Duration::from_millis(m));
        assert_eq!(delays, vec![ms(100), ms(200), ms(350), ms(350), ms(350), None]);
    }

    #[test]
    fn jitter_stays_in_the_upper_half() {
        let p = RetryPolicy::default().with_backoff(Duration::from_secs(1), Duration::from_secs(1));
        let e = err(ApiErrorKind::Network);
        for _ in 0..200 {
            let d = p.delay_after(1, &e).unwrap();
            assert!(d >= Duration::from_millis(500) && d <= Duration::from_secs(1), "{d:?}");
        }
    }

    #[test]
    fn honours_retry_after_up_to_the_ceiling() {
        let p = RetryPolicy::default().with_max_retry_after(Duration::from_secs(10));
        let limited = |s| {
            err(ApiErrorKind::RateLimited {
                retry_after: Some(Duration::from_secs(s)),
            })
        };
        assert_eq!(p.delay_after(1, &limited(3)), Some(Duration::from_secs(3)));
        assert_eq!(p.delay_after(1, &limited(11)), None);
        // Without a header, the normal backoff applies.
        let bare = err(ApiErrorKind::RateLimited { retry_after: None });
        assert!(p.delay_after(1, &bare).is_some());
    }

    #[test]
    fn never_retries_permanent_errors() {
        let p = RetryPolicy::default();
        for kind in [
            ApiErrorKind::Unauthorized,
            ApiErrorKind::Forbidden,
            ApiErrorKind::NotFound,
            ApiErrorKind::Validation,
            ApiErrorKind::NotAllowedInState,
            ApiErrorKind::Decode,
            ApiErrorKind::InvalidRequest,
        ] {
            assert_eq!(p.delay_after(1, &err(kind.clone())), None, "{kind:?}");
        }
        assert_eq!(RetryPolicy::none().delay_after(1, &err(ApiErrorKind::Server)), None);
    }
}
