//! Per-key rate limit like APIM's `rate-limit-by-key` (150 calls / 5 s by default).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Outcome of a rate limit check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Let the call through; `remaining` calls are left in the window.
    Allow { remaining: u32 },
    /// Refuse it; retry after this many whole seconds.
    Deny { retry_after_secs: u64 },
}

/// A sliding window of call instants per key.
#[derive(Debug)]
pub struct RateLimiter {
    calls: u32,
    period: Duration,
    windows: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl RateLimiter {
    /// `calls` per `period` for each key.
    pub fn new(calls: u32, period: Duration) -> Self {
        Self {
            calls,
            period,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one call for `key` at `now`.
    pub fn check(&self, key: &str, now: Instant) -> Decision {
        let mut windows = self.windows.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let window = windows.entry(key.to_string()).or_default();
        while let Some(first) = window.front() {
            if now.duration_since(*first) >= self.period {
                window.pop_front();
            } else {
                break;
            }
        }
        if (window.len() as u32) < self.calls {
            window.push_back(now);
            Decision::Allow {
                remaining: self.calls - window.len() as u32,
            }
        } else {
            let oldest = *window.front().expect("window is full, so not empty");
            let wait = self.period.saturating_sub(now.duration_since(oldest));
            Decision::Deny {
                retry_after_secs: wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_past_the_limit_then_recovers() {
        let rl = RateLimiter::new(2, Duration::from_secs(5));
        let t0 = Instant::now();
        assert_eq!(rl.check("k", t0), Decision::Allow { remaining: 1 });
        assert_eq!(rl.check("k", t0), Decision::Allow { remaining: 0 });
        assert_eq!(
            rl.check("k", t0 + Duration::from_secs(1)),
            Decision::Deny { retry_after_secs: 4 }
        );
        assert_eq!(rl.check("other", t0), Decision::Allow { remaining: 1 });
        assert_eq!(
            rl.check("k", t0 + Duration::from_secs(5)),
            Decision::Allow { remaining: 1 }
        );
    }
}
