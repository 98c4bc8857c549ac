//! Injected time: expiry and idle checks never read a hidden clock, so tests can move time.

use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// Source of "now".
pub trait Clock: Send + Sync {
    /// Current wall-clock time.
    fn now(&self) -> SystemTime;
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock moved by hand (tests, simulations).
#[derive(Debug)]
pub struct ManualClock(Mutex<SystemTime>);

impl ManualClock {
    /// Starts at `start`.
    pub fn new(start: SystemTime) -> Self {
        Self(Mutex::new(start))
    }

    /// Moves time forward.
    pub fn advance(&self, by: Duration) {
        let mut t = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *t += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Outcome of the idle-timeout policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdleState {
    /// Still active; the session locks after `remaining` more idle time.
    Active {
        /// Idle time left before a new login is required.
        remaining: Duration,
    },
    /// Idle for at least the timeout: require a new login.
    Expired,
}

/// Idle-timeout policy as a pure function of (last activity, now, timeout).
///
/// A clock that went backwards (`now` before `last_activity`) counts as no idle time: the alternative,
/// logging the clerk out on every NTP correction, would be worse, and a local user able to change the clock
/// already has the unlocked session in front of them.
pub fn idle_state(last_activity: SystemTime, now: SystemTime, timeout: Duration) -> IdleState {
    let idle = now.duration_since(last_activity).unwrap_or(Duration::ZERO);
    match timeout.checked_sub(idle) {
        Some(remaining) if !remaining.is_zero() => IdleState::Active { remaining },
        _ => IdleState::Expired,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Duration = Duration::from_secs(15 * 60);

    #[test]
    fn idle_policy_boundaries() {
        let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(idle_state(t0, t0, T), IdleState::Active { remaining: T });
        assert_eq!(
            idle_state(t0, t0 + Duration::from_secs(60), T),
            IdleState::Active {
                remaining: T - Duration::from_secs(60)
            }
        );
        assert_eq!(
            idle_state(t0, t0 + T - Duration::from_millis(1), T),
            IdleState::Active {
                remaining: Duration::from_millis(1)
            }
        );
        assert_eq!(idle_state(t0, t0 + T, T), IdleState::Expired);
        assert_eq!(idle_state(t0, t0 + 2 * T, T), IdleState::Expired);
        // Clock stepped back: no idle time accrued.
        assert_eq!(
            idle_state(t0, t0 - Duration::from_secs(30), T),
            IdleState::Active { remaining: T }
        );
        // A zero timeout means "always ask".
        assert_eq!(idle_state(t0, t0, Duration::ZERO), IdleState::Expired);
    }

    #[test]
    fn manual_clock_moves_only_when_told() {
        let t0 = SystemTime::UNIX_EPOCH;
        let c = ManualClock::new(t0);
        assert_eq!(c.now(), t0);
        c.advance(Duration::from_secs(5));
        assert_eq!(c.now(), t0 + Duration::from_secs(5));
    }
}
