//! The two clocks of the app. Local time is the machine's (`Timestamp`,
//! what `update` is given and what every deadline of the loop is in);
//! server time is the server's clock, local time plus the skew measured
//! from `me.serverTime`. Quotas, cooldowns and their countdowns are in
//! server time. [`ServerTime`] is its own type so that the skew is applied
//! exactly once ([`Skew::server`], [`Skew::local`]) and never forgotten:
//! a server time cannot be compared with, or used as, a local one.

use crate::api::Timestamp;
use chrono::Duration;

/// An instant on the server's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ServerTime(Timestamp);

impl ServerTime {
    /// A time the server sent (its own clock: `resetsAt`, `availableAt`).
    pub fn from_server(t: Timestamp) -> Self {
        ServerTime(t)
    }

    /// The instant as a calendar time (for comparing with other times the
    /// server sent, e.g. a post's `publishedAt`).
    pub fn utc(self) -> Timestamp {
        self.0
    }

    /// `secs` seconds later (saturating; a server's number may be huge).
    pub fn plus_secs(self, secs: i64) -> Self {
        ServerTime(crate::duration::add_secs(self.0, secs))
    }

    /// Whole seconds from `self` until `later`, rounded up; 0 when past.
    pub fn secs_until(self, later: ServerTime) -> i64 {
        crate::duration::secs_until(self.0, later.0)
    }

    /// The time from `earlier` to `self`.
    pub fn since(self, earlier: ServerTime) -> Duration {
        self.0.signed_duration_since(earlier.0)
    }
}

impl std::ops::Add<Duration> for ServerTime {
    type Output = ServerTime;
    fn add(self, d: Duration) -> ServerTime {
        ServerTime(crate::duration::add(self.0, d))
    }
}

/// Server time minus local time, from the last `me.serverTime`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Skew(Duration);

impl Skew {
    /// The skew seen when the server said `server_time` at local `now`.
    pub fn measured(server_time: Timestamp, now: Timestamp) -> Self {
        Skew(server_time.signed_duration_since(now))
    }

    /// The skew as a duration (server minus local).
    pub fn duration(self) -> Duration {
        self.0
    }

    /// Local time -> server time.
    pub fn server(self, local: Timestamp) -> ServerTime {
        ServerTime(crate::duration::add(local, self.0))
    }

    /// Server time -> local time.
    pub fn local(self, t: ServerTime) -> Timestamp {
        crate::duration::add(t.0, -self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::quota_ts;

    #[test]
    fn the_skew_goes_there_and_back_once() {
        let now = quota_ts(1_000_000);
        let skew = Skew::measured(quota_ts(1_000_030), now);
        let t = skew.server(now);
        assert_eq!(t, ServerTime::from_server(quota_ts(1_000_030)));
        assert_eq!(skew.local(t), now);
        assert_eq!(skew.local(t.plus_secs(5)), quota_ts(1_000_005));
        assert_eq!(t.secs_until(t.plus_secs(7)), 7);
        assert_eq!(t.plus_secs(7).secs_until(t), 0);
    }
}
