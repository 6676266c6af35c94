//! The sandbox's clock: the real system time, or a manual clock that tests
//! move by hand, so quota windows and scheduled posts can be tested without
//! sleeping.

use chrono::{DateTime, Utc};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// A clock shared by everything in one sandbox. Cheap to clone; clones share
/// the same time (advancing one advances all).
#[derive(Clone, Debug)]
pub struct Clock {
    inner: ClockInner,
}

#[derive(Clone, Debug)]
enum ClockInner {
    System,
    Manual(Arc<Mutex<DateTime<Utc>>>),
}

impl Clock {
    /// The real UTC time of the machine. `advance` and `set` do nothing on it.
    pub fn system() -> Self {
        Clock {
            inner: ClockInner::System,
        }
    }

    /// A clock that stands still at `start` until moved with
    /// [`Clock::advance`] or [`Clock::set`].
    pub fn manual(start: DateTime<Utc>) -> Self {
        Clock {
            inner: ClockInner::Manual(Arc::new(Mutex::new(start))),
        }
    }

    /// Whether this is a manual clock.
    pub fn is_manual(&self) -> bool {
        matches!(self.inner, ClockInner::Manual(_))
    }

    /// The current time (UTC).
    pub fn now(&self) -> DateTime<Utc> {
        match &self.inner {
            ClockInner::System => Utc::now(),
            ClockInner::Manual(t) => *t.lock().unwrap_or_else(PoisonError::into_inner),
        }
    }

    /// Moves a manual clock forward by `by` (no effect on the system clock).
    pub fn advance(&self, by: Duration) {
        if let ClockInner::Manual(t) = &self.inner {
            let mut guard = t.lock().unwrap_or_else(PoisonError::into_inner);
            let delta = chrono::Duration::from_std(by).unwrap_or(chrono::Duration::MAX);
            *guard = guard.checked_add_signed(delta).unwrap_or(*guard);
        }
    }

    /// Sets a manual clock to `to` (no effect on the system clock).
    pub fn set(&self, to: DateTime<Utc>) {
        if let ClockInner::Manual(t) = &self.inner {
            *t.lock().unwrap_or_else(PoisonError::into_inner) = to;
        }
    }
}

impl Default for Clock {
    /// The system clock.
    fn default() -> Self {
        Clock::system()
    }
}

/// Formats a time as the contract's timestamp: ISO-8601 UTC with
/// milliseconds and `Z` (`2026-03-04T12:00:00.000Z`).
pub fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Whole seconds from `now` until `until`, rounded up; at least 1 when
/// `until` is still in the future, 0 otherwise.
pub fn secs_until_ceil(now: DateTime<Utc>, until: DateTime<Utc>) -> u64 {
    let ms = (until - now).num_milliseconds();
    if ms <= 0 {
        // Sub-millisecond remainders still count as "not yet".
        if until > now {
            1
        } else {
            0
        }
    } else {
        (ms as u64).div_ceil(1000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn manual_clock_moves_only_when_told() {
        let start = Utc.with_ymd_and_hms(2026, 3, 4, 12, 0, 0).unwrap();
        let c = Clock::manual(start);
        let c2 = c.clone();
        assert_eq!(c.now(), start);
        c2.advance(Duration::from_millis(1500));
        assert_eq!(iso(c.now()), "2026-03-04T12:00:01.500Z");
        c.set(start);
        assert_eq!(c2.now(), start);
    }

    #[test]
    fn ceil_seconds() {
        let t = Utc.with_ymd_and_hms(2026, 3, 4, 12, 0, 0).unwrap();
        assert_eq!(secs_until_ceil(t, t), 0);
        assert_eq!(secs_until_ceil(t, t + chrono::Duration::milliseconds(1)), 1);
        assert_eq!(
            secs_until_ceil(t, t + chrono::Duration::milliseconds(1000)),
            1
        );
        assert_eq!(
            secs_until_ceil(t, t + chrono::Duration::milliseconds(1001)),
            2
        );
        assert_eq!(secs_until_ceil(t + chrono::Duration::seconds(5), t), 0);
    }
}
