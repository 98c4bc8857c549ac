//! Injectable wall clock: expiry of SAS URLs, timestamps and `expires_at` checks read it, so tests
//! can move time forward instead of sleeping.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use time::OffsetDateTime;

/// Source of the current UTC time.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current instant, in UTC.
    fn now(&self) -> OffsetDateTime;
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// The real clock plus an offset that tests can advance (time only moves forward).
#[derive(Debug, Default, Clone)]
pub struct ManualClock {
    offset: Arc<Mutex<Duration>>,
}

impl ManualClock {
    /// A clock that starts at the real time.
    pub fn new() -> Self {
        Self::default()
    }

    /// Moves this clock (and every clone of it) forward.
    pub fn advance(&self, by: Duration) {
        let mut offset = self.offset.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *offset += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> OffsetDateTime {
        let offset = *self.offset.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        OffsetDateTime::now_utc() + offset
    }
}

/// Formats a timestamp the way the service does: UTC, milliseconds, `Z` (`2018-10-13T00:00:00.000Z`).
pub fn format_ts(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// Parses an ISO-8601 / RFC 3339 timestamp (UTC `Z` or `+hh:mm` offset).
pub fn parse_ts(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()
}

/// The time in Italy (CET, or CEST between the last Sundays of March and October at 01:00 UTC),
/// for what a citizen reads, like the date on a signature stamp.
pub fn italian_time(t: OffsetDateTime) -> OffsetDateTime {
    let utc = t.to_offset(time::UtcOffset::UTC);
    let last_sunday = |month: time::Month| {
        let mut d = time::Date::from_calendar_date(utc.year(), month, 31).expect("March and October have 31 days");
        while d.weekday() != time::Weekday::Sunday {
            d = d.previous_day().expect("in range");
        }
        d.with_hms(1, 0, 0).expect("valid time").assume_utc()
    };
    let summer = utc >= last_sunday(time::Month::March) && utc < last_sunday(time::Month::October);
    let hours = if summer { 2 } else { 1 };
    utc.to_offset(time::UtcOffset::from_hms(hours, 0, 0).expect("valid offset"))
}

/// Serde helper for timestamps stored in the state file.
pub(crate) mod ts_serde {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::OffsetDateTime;

    pub fn serialize<S: Serializer>(t: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format_ts(*t))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<OffsetDateTime, D::Error> {
        let s = String::deserialize(d)?;
        super::parse_ts(&s).ok_or_else(|| serde::de::Error::custom("invalid timestamp"))
    }

    pub mod option {
        use serde::{Deserialize, Deserializer, Serializer};
        use time::OffsetDateTime;

        pub fn serialize<S: Serializer>(t: &Option<OffsetDateTime>, s: S) -> Result<S::Ok, S::Error> {
            match t {
                Some(t) => s.serialize_some(&super::super::format_ts(*t)),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<OffsetDateTime>, D::Error> {
            let s = Option::<String>::deserialize(d)?;
            match s {
                None => Ok(None),
                Some(s) => super::super::parse_ts(&s)
                    .map(Some)
                    .ok_or_else(|| serde::de::Error::custom("invalid timestamp")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_the_service() {
        let t = parse_ts("2018-10-13T02:00:00.5+02:00").unwrap();
        assert_eq!(format_ts(t), "2018-10-13T00:00:00.500Z");
    }

    #[test]
    fn italian_time_follows_daylight_saving() {
        let winter = italian_time(parse_ts("2026-11-25T23:30:00Z").unwrap());
        assert_eq!((winter.day(), winter.hour()), (26, 0));
        let summer = italian_time(parse_ts("2026-07-01T22:30:00Z").unwrap());
        assert_eq!((summer.day(), summer.hour()), (2, 0));
        // 2026: CEST from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(italian_time(parse_ts("2026-03-29T00:59:00Z").unwrap()).hour(), 1);
        assert_eq!(italian_time(parse_ts("2026-03-29T01:00:00Z").unwrap()).hour(), 3);
        assert_eq!(italian_time(parse_ts("2026-10-25T00:59:00Z").unwrap()).hour(), 2);
        assert_eq!(italian_time(parse_ts("2026-10-25T01:00:00Z").unwrap()).hour(), 2);
    }

    #[test]
    fn manual_clock_advances() {
        let c = ManualClock::new();
        let a = c.now();
        c.advance(Duration::from_secs(600));
        assert!(c.now() - a >= time::Duration::seconds(600));
    }
}
