//! The link to the server as the dashboard sees it: when a read last
//! succeeded, and, while reads fail, when the next resync is tried.
//! Failed reads back off exponentially with jitter: 1 s, doubling, at most
//! [`BACKOFF_MAX_SECS`]; each delay is scaled by a random factor in
//! 0.75..1.25 (capped at the maximum) so that many clients do not retry in
//! step. Pure state: times are passed in.

use crate::api::Timestamp;
use chrono::Duration;

/// First retry delay, in seconds.
pub const BACKOFF_START_SECS: i64 = 1;
/// Longest retry delay, in seconds.
pub const BACKOFF_MAX_SECS: i64 = 60;
/// A wake-up this much later than planned (seconds) means the machine
/// slept or the process was stopped: the app resyncs at once.
pub const SLEEP_JUMP_SECS: i64 = 60;
/// Reads failing for this long (seconds) show "offline since HH:MM".
pub const OFFLINE_AFTER_SECS: i64 = 60;

/// Read success and failure bookkeeping.
#[derive(Debug, Clone)]
pub struct Link {
    /// Local time of the last successful answer.
    pub last_ok: Option<Timestamp>,
    /// Failed resync rounds in a row (0 = live).
    pub failures: u32,
    /// Local time of the first failure of the current run of failures.
    pub failing_since: Option<Timestamp>,
    /// Local time of the next resync while failing; `None` while live or
    /// while a resync round is in flight.
    pub retry_at: Option<Timestamp>,
    /// xorshift state for the jitter (deterministic per process).
    rng: u64,
}

impl Default for Link {
    fn default() -> Self {
        Link {
            last_ok: None,
            failures: 0,
            failing_since: None,
            retry_at: None,
            rng: 0x9E37_79B9_7F4A_7C15,
        }
    }
}

impl Link {
    /// A live link whose last success was at `now`.
    pub fn live_at(now: Timestamp) -> Self {
        Link {
            last_ok: Some(now),
            ..Link::default()
        }
    }

    /// Reads are failing (a resync is scheduled or in flight).
    pub fn is_failing(&self) -> bool {
        self.failures > 0
    }

    /// A read succeeded at `now`. Returns true when this ends a run of
    /// failures (the caller then catches up at once).
    pub fn ok(&mut self, now: Timestamp) -> bool {
        self.last_ok = Some(now);
        let was = self.failures > 0;
        self.failures = 0;
        self.failing_since = None;
        self.retry_at = None;
        was
    }

    /// A read failed at `now`: schedules the next resync and returns its
    /// time. Several failures of one round (a resync is already scheduled)
    /// count once.
    pub fn fail(&mut self, now: Timestamp) -> Timestamp {
        if let Some(t) = self.retry_at.filter(|t| *t > now) {
            return t;
        }
        self.failures = self.failures.saturating_add(1);
        self.failing_since.get_or_insert(now);
        let t = now + self.delay(self.failures);
        self.retry_at = Some(t);
        t
    }

    /// The jittered delay before retry number `n` (1-based).
    fn delay(&mut self, n: u32) -> Duration {
        let base_ms = Self::base_delay_secs(n) * 1000;
        // xorshift64*
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        let r = self.rng.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11; // 53 bits
        let unit = r as f64 / (1u64 << 53) as f64; // 0..1
        let ms = (base_ms as f64 * (0.75 + 0.5 * unit)) as i64;
        Duration::milliseconds(ms.clamp(1, BACKOFF_MAX_SECS * 1000))
    }

    /// The base delay (without jitter) before retry number `n`, in seconds.
    pub fn base_delay_secs(n: u32) -> i64 {
        (BACKOFF_START_SECS << n.saturating_sub(1).min(20)).min(BACKOFF_MAX_SECS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::quota_ts;

    #[test]
    fn backoff_doubles_with_jitter_up_to_a_minute() {
        let t0 = quota_ts(1_000_000);
        let mut l = Link::default();
        let mut now = t0;
        for n in 1..=10u32 {
            let at = l.fail(now);
            let d = (at - now).num_milliseconds();
            let base = Link::base_delay_secs(n) * 1000;
            assert!(
                d >= base * 3 / 4 && d <= (base * 5 / 4).min(60_000),
                "{n}: {d}"
            );
            assert_eq!(l.failures, n);
            // A second failure of the same round does not count.
            assert_eq!(l.fail(now), at);
            assert_eq!(l.failures, n);
            now = at;
            l.retry_at = None; // the round starts
        }
        assert_eq!(Link::base_delay_secs(7), 60);
        assert_eq!(l.failing_since, Some(t0));
        assert!(l.ok(now));
        assert!(!l.is_failing());
        assert!(!l.ok(now));
    }
}
