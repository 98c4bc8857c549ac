//! The login gate: which profile a clerk's session opens, and for how long.
//!
//! A session belongs to ONE profile (the one whose identity provider issued it) and opens only that
//! profile's data. It ends after [`SessionPolicy::idle_timeout`] without activity and, whatever the
//! activity, [`SessionPolicy::max_age`] after the login. Both are measured on the injected wall
//! [`Clock`] (`SystemTime`), not on a monotonic `Instant`: `Instant` does not advance while a laptop is
//! suspended on every OS, so a laptop that slept past the timeout would wake up still logged in.
//!
//! The gate decides; the caller (the shell, later the desk crate) asks it before every command that
//! reads or changes a profile's data, telling it whether that profile requires a login.
//!
//! ```
//! use std::sync::Arc;
//! use std::time::{Duration, SystemTime};
//! use firmadesk_auth::{ManualClock, SessionGate, SessionPolicy};
//!
//! let clock = Arc::new(ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)));
//! let gate = SessionGate::new(clock.clone(), SessionPolicy::default());
//! assert!(gate.require("ufficio", true).is_err()); // protected, nobody logged in
//! assert!(gate.require("prova", false).is_ok()); // not protected: no login needed
//! ```

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use crate::clock::{idle_state, Clock, IdleState};
use crate::error::{AuthError, AuthErrorKind};
use crate::oidc::{Clerk, Session};

/// How long a session lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// Without activity for this long, the clerk logs in again.
    pub idle_timeout: Duration,
    /// After this long from the login the clerk logs in again, however active (a working day).
    pub max_age: Duration,
}

impl Default for SessionPolicy {
    /// 15 minutes idle, 10 hours at most.
    fn default() -> Self {
        Self {
            idle_timeout: Duration::from_secs(15 * 60),
            max_age: Duration::from_secs(10 * 3600),
        }
    }
}

/// Why a session does not open a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionCheck {
    /// The session is valid for the profile.
    Valid,
    /// Nobody is logged in.
    None,
    /// The session belongs to another profile (its provider vouched for nothing here).
    OtherProfile,
    /// Idle past the timeout.
    Idle,
    /// Older than the maximum age.
    TooOld,
}

/// A logged-in clerk, bound to the profile it logged in for.
#[derive(Debug, Clone)]
pub struct ClerkSession {
    profile_id: String,
    session: Session,
    started_at: SystemTime,
    last_activity: SystemTime,
}

impl ClerkSession {
    /// A session that starts now.
    pub fn new(profile_id: impl Into<String>, session: Session, now: SystemTime) -> Self {
        Self {
            profile_id: profile_id.into(),
            session,
            started_at: now,
            last_activity: now,
        }
    }

    /// The profile this session opens.
    pub fn profile_id(&self) -> &str {
        &self.profile_id
    }

    /// The tokens of the session.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Whether this session opens `profile_id` at `now`.
    pub fn check(&self, profile_id: &str, now: SystemTime, policy: &SessionPolicy) -> SessionCheck {
        if self.profile_id != profile_id {
            return SessionCheck::OtherProfile;
        }
        // A clock stepped back counts as no time passed (as in `idle_state`): a local user able to change
        // the clock already has the unlocked session in front of them.
        let age = now.duration_since(self.started_at).unwrap_or(Duration::ZERO);
        if age >= policy.max_age {
            return SessionCheck::TooOld;
        }
        match idle_state(self.last_activity, now, policy.idle_timeout) {
            IdleState::Active { .. } => SessionCheck::Valid,
            IdleState::Expired => SessionCheck::Idle,
        }
    }

    /// True when the tokens should be renewed silently (refresh token stored, access token near expiry).
    /// Renewal never extends the maximum age: the caller checks [`ClerkSession::check`] first.
    pub fn renewal_due(&self, now: SystemTime, skew: Duration) -> bool {
        self.session.refreshable && self.session.needs_refresh(now, skew)
    }
}

/// The desk's one login: at most one clerk session, checked on the wall clock.
pub struct SessionGate {
    clock: Arc<dyn Clock>,
    policy: SessionPolicy,
    current: Mutex<Option<ClerkSession>>,
}

impl std::fmt::Debug for SessionGate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionGate")
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl SessionGate {
    /// A gate with nobody logged in.
    pub fn new(clock: Arc<dyn Clock>, policy: SessionPolicy) -> Self {
        Self {
            clock,
            policy,
            current: Mutex::new(None),
        }
    }

    /// The policy in force.
    pub fn policy(&self) -> SessionPolicy {
        self.policy
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<ClerkSession>> {
        self.current.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Starts a session for `profile_id` (replacing any other).
    pub fn begin(&self, profile_id: impl Into<String>, session: Session) {
        *self.lock() = Some(ClerkSession::new(profile_id, session, self.clock.now()));
    }

    /// Ends the session, returning it (to revoke its tokens).
    pub fn end(&self) -> Option<ClerkSession> {
        self.lock().take()
    }

    /// Checks the session against `profile_id`; a session idle or too old is ended here, so it cannot
    /// come back by a later clock step.
    pub fn check(&self, profile_id: &str) -> SessionCheck {
        let now = self.clock.now();
        let mut current = self.lock();
        let Some(session) = current.as_ref() else {
            return SessionCheck::None;
        };
        let outcome = session.check(profile_id, now, &self.policy);
        if matches!(outcome, SessionCheck::Idle | SessionCheck::TooOld) {
            *current = None;
            tracing::info!(?outcome, "clerk session ended");
        }
        outcome
    }

    /// Refuses when `profile_id` is `protected` and no valid session for it exists.
    pub fn require(&self, profile_id: &str, protected: bool) -> Result<(), AuthError> {
        if !protected {
            return Ok(());
        }
        match self.check(profile_id) {
            SessionCheck::Valid => Ok(()),
            other => Err(AuthError::new(AuthErrorKind::LoginRequired, format!("{other:?}"))),
        }
    }

    /// Records activity on `profile_id`'s session (only a valid session is extended).
    pub fn touch(&self, profile_id: &str) -> bool {
        if self.check(profile_id) != SessionCheck::Valid {
            return false;
        }
        let now = self.clock.now();
        match self.lock().as_mut() {
            Some(s) => {
                s.last_activity = s.last_activity.max(now);
                true
            }
            None => false,
        }
    }

    /// The clerk of a valid session for `profile_id`.
    pub fn clerk(&self, profile_id: &str) -> Option<Clerk> {
        if self.check(profile_id) != SessionCheck::Valid {
            return None;
        }
        self.lock().as_ref().map(|s| s.session.clerk.clone())
    }

    /// A copy of the valid session for `profile_id` whose tokens are due for silent renewal.
    pub fn due_for_renewal(&self, profile_id: &str, skew: Duration) -> Option<Session> {
        if self.check(profile_id) != SessionCheck::Valid {
            return None;
        }
        let now = self.clock.now();
        self.lock()
            .as_ref()
            .filter(|s| s.renewal_due(now, skew))
            .map(|s| s.session.clone())
    }

    /// Replaces the tokens after a silent renewal, keeping the login time (renewal never extends the
    /// maximum age). Ignored when the session ended or changed meanwhile.
    pub fn renewed(&self, profile_id: &str, session: Session) {
        let mut current = self.lock();
        if let Some(s) = current.as_mut().filter(|s| s.profile_id == profile_id) {
            if s.session.clerk.subject == session.clerk.subject {
                s.session = session;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::secret::Secret;

    const IDLE: Duration = Duration::from_secs(15 * 60);
    const MAX: Duration = Duration::from_secs(10 * 3600);

    fn session(expires_in: Option<Duration>, now: SystemTime) -> Session {
        Session {
            clerk: Clerk {
                subject: "sub-1".into(),
                name: Some("Anna Impiegata".into()),
                email: None,
                office_role: None,
            },
            access_token: Secret::new("at".to_owned()),
            expires_at: expires_in.map(|d| now + d),
            refreshable: true,
        }
    }

    fn gate() -> (Arc<ManualClock>, SessionGate) {
        let clock = Arc::new(ManualClock::new(
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        ));
        let gate = SessionGate::new(
            clock.clone(),
            SessionPolicy {
                idle_timeout: IDLE,
                max_age: MAX,
            },
        );
        (clock, gate)
    }

    #[test]
    fn protected_profile_needs_a_session_unprotected_does_not() {
        let (clock, gate) = gate();
        assert_eq!(
            gate.require("ufficio", true).unwrap_err().kind(),
            AuthErrorKind::LoginRequired
        );
        assert!(gate.require("prova", false).is_ok());
        gate.begin("ufficio", session(None, clock.now()));
        assert!(gate.require("ufficio", true).is_ok());
    }

    #[test]
    fn idle_past_timeout_is_refused() {
        let (clock, gate) = gate();
        gate.begin("ufficio", session(None, clock.now()));
        clock.advance(IDLE - Duration::from_secs(1));
        assert!(gate.require("ufficio", true).is_ok());
        clock.advance(Duration::from_secs(1));
        assert_eq!(gate.check("ufficio"), SessionCheck::Idle);
        // Ended for good: going back in time (NTP step) does not revive it.
        assert_eq!(gate.check("ufficio"), SessionCheck::None);
    }

    /// A suspended laptop: the wall clock moved 2 hours, no activity was possible meanwhile.
    #[test]
    fn sleep_past_timeout_logs_out() {
        let (clock, gate) = gate();
        gate.begin("ufficio", session(None, clock.now()));
        clock.advance(Duration::from_secs(2 * 3600));
        assert!(gate.require("ufficio", true).is_err());
        assert!(!gate.touch("ufficio"));
    }

    #[test]
    fn max_age_is_refused_even_with_activity() {
        let (clock, gate) = gate();
        gate.begin("ufficio", session(None, clock.now()));
        let step = Duration::from_secs(10 * 60);
        let mut elapsed = Duration::ZERO;
        while elapsed + step < MAX {
            clock.advance(step);
            elapsed += step;
            assert!(gate.touch("ufficio"), "active clerk still in at {elapsed:?}");
        }
        clock.advance(MAX - elapsed);
        assert_eq!(gate.check("ufficio"), SessionCheck::TooOld);
        assert!(gate.require("ufficio", true).is_err());
    }

    #[test]
    fn a_session_for_one_profile_does_not_open_another() {
        let (clock, gate) = gate();
        gate.begin("ufficio-a", session(None, clock.now()));
        assert_eq!(gate.check("ufficio-b"), SessionCheck::OtherProfile);
        assert!(gate.require("ufficio-b", true).is_err());
        assert!(gate.clerk("ufficio-b").is_none());
        assert!(!gate.touch("ufficio-b"));
        // ...and asking about B did not end A's session.
        assert!(gate.require("ufficio-a", true).is_ok());
        assert_eq!(gate.clerk("ufficio-a").unwrap().display_name(), "Anna Impiegata");
    }

    #[test]
    fn renewal_is_due_near_expiry_and_keeps_the_login_time() {
        let (clock, gate) = gate();
        let skew = Duration::from_secs(60);
        gate.begin("ufficio", session(Some(Duration::from_secs(3600)), clock.now()));
        assert!(gate.due_for_renewal("ufficio", skew).is_none());
        // An active clerk (a sign of life every 10 minutes) until the token is near expiry.
        for _ in 0..5 {
            clock.advance(Duration::from_secs(600));
            assert!(gate.touch("ufficio"));
        }
        clock.advance(Duration::from_secs(540));
        assert!(gate.touch("ufficio"));
        let due = gate.due_for_renewal("ufficio", skew).expect("due");
        assert!(gate.due_for_renewal("ufficio-b", skew).is_none());
        let mut fresh = due.clone();
        fresh.expires_at = Some(clock.now() + Duration::from_secs(3600));
        gate.renewed("ufficio", fresh);
        assert!(gate.due_for_renewal("ufficio", skew).is_none());
        // The renewal did not move the maximum age.
        clock.advance(MAX - Duration::from_secs(3540));
        assert_eq!(gate.check("ufficio"), SessionCheck::TooOld);
    }
}
