//! The link to the server as the dashboard sees it: when a read last
//! succeeded, when the feed was last read, and, while reads fail, when the
//! next resync is tried (the one [`Backoff`] of the program) and why they
//! fail. The [`Connection`] the header shows is derived from it
//! ([`Link::connection`]), never stored beside it. Pure state: times are
//! passed in.

use crate::api::Timestamp;
use crate::backoff::Backoff;
pub use crate::backoff::BACKOFF_MAX_SECS;
use chrono::Duration;

/// A wake-up this much later than planned (seconds) means the machine
/// slept or the process was stopped: the app resyncs at once.
pub const SLEEP_JUMP_SECS: i64 = 60;
/// Reads failing for this long (seconds) show "offline since HH:MM".
pub const OFFLINE_AFTER_SECS: i64 = 60;

/// Whether the server answers, as the header shows it (derived from the
/// [`Link`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Connection {
    /// Nothing has been heard from the server yet (start-up).
    Connecting,
    /// The last request got an answer.
    Online,
    /// Reads fail (no answer, a server error or an unreadable answer);
    /// [`Link::retry_at`] says when they are retried (sentence for the
    /// header: the last failure).
    Offline(String),
    /// The server refused the key (revoked, suspended...; sentence).
    Unauthorized(String),
}

/// Read success and failure bookkeeping.
#[derive(Debug, Clone, Default)]
pub struct Link {
    /// Local time of the last successful answer.
    pub last_ok: Option<Timestamp>,
    /// Local time of the last successful feed read ("updated N min ago").
    pub last_feed: Option<Timestamp>,
    /// Failed resync rounds in a row (0 = live).
    pub failures: u32,
    /// Local time of the first failure of the current run of failures.
    pub failing_since: Option<Timestamp>,
    /// Local time of the next resync while failing; `None` while live or
    /// while a resync round is in flight.
    pub retry_at: Option<Timestamp>,
    /// Why the last request that failed for good reason of the link failed
    /// (a sentence); cleared by any answer.
    why: Option<String>,
    /// The server refused the key (a sentence); cleared by an answer that
    /// is not a refusal.
    refused: Option<String>,
    backoff: Backoff,
}

impl Link {
    /// A link that has not been tried yet (jitter seeded at random).
    pub fn new() -> Self {
        Link::default()
    }

    /// A link whose jitter is seeded with `seed` (deterministic; tests).
    pub fn with_seed(seed: u64) -> Self {
        Link {
            backoff: Backoff::with_seed(seed),
            ..Link::default()
        }
    }

    /// Reads are failing (a resync is scheduled or in flight).
    pub fn is_failing(&self) -> bool {
        self.failures > 0
    }

    /// The connection as the header shows it: a key refusal first, then
    /// failing reads (with the last reason), nothing heard yet, or online.
    pub fn connection(&self) -> Connection {
        if let Some(why) = &self.refused {
            Connection::Unauthorized(why.clone())
        } else if self.is_failing() {
            Connection::Offline(self.why.clone().unwrap_or_default())
        } else if self.last_ok.is_none() {
            Connection::Connecting
        } else {
            Connection::Online
        }
    }

    /// The server answered at `now`, but the run of failures goes on (the
    /// feed still fails while other reads succeed).
    pub fn answered(&mut self, now: Timestamp) {
        self.last_ok = Some(now);
        self.why = None;
        self.refused = None;
    }

    /// The server answered at `now` while the feed still fails: the run
    /// of failures goes on, and so does its reason.
    pub fn heard(&mut self, now: Timestamp) {
        self.last_ok = Some(now);
        self.refused = None;
    }

    /// The server refused the key (`why`, a sentence).
    pub fn refuse(&mut self, why: String) {
        self.refused = Some(why);
    }

    /// A read succeeded at `now`. Returns true when this ends a run of
    /// failures (the caller then catches up at once).
    pub fn ok(&mut self, now: Timestamp) -> bool {
        self.answered(now);
        let was = self.failures > 0;
        self.failures = 0;
        self.backoff.reset();
        self.failing_since = None;
        self.retry_at = None;
        was
    }

    /// A read failed at `now` (`why`, a sentence): schedules the next
    /// resync and returns its time. Several failures of one round (a
    /// resync is already scheduled) count once.
    pub fn fail(&mut self, now: Timestamp, why: String) -> Timestamp {
        self.why = Some(why);
        self.refused = None;
        if let Some(t) = self.retry_at.filter(|t| *t > now) {
            return t;
        }
        let delay = self.backoff.fail();
        self.failures = self.backoff.failures();
        self.failing_since.get_or_insert(now);
        let ms = i64::try_from(delay.as_millis()).unwrap_or(i64::MAX);
        let t = crate::duration::add(now, Duration::milliseconds(ms));
        self.retry_at = Some(t);
        t
    }

    /// The base delay (without jitter) before retry number `n`, in seconds.
    pub fn base_delay_secs(n: u32) -> i64 {
        Backoff::base_delay_secs(n) as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::quota_ts;

    #[test]
    fn backoff_doubles_with_jitter_up_to_a_minute() {
        let t0 = quota_ts(1_000_000);
        let mut l = Link::with_seed(1);
        let mut now = t0;
        for n in 1..=10u32 {
            let at = l.fail(now, String::new());
            let d = (at - now).num_milliseconds();
            let base = Link::base_delay_secs(n) * 1000;
            assert!(
                d >= base * 3 / 4 && d <= (base * 5 / 4).min(60_000),
                "{n}: {d}"
            );
            assert_eq!(l.failures, n);
            // A second failure of the same round does not count.
            assert_eq!(l.fail(now, String::new()), at);
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

    #[test]
    fn the_connection_is_derived_from_the_link() {
        let t0 = quota_ts(1_000_000);
        let mut l = Link::with_seed(1);
        assert_eq!(l.connection(), Connection::Connecting);
        l.fail(t0, "Cannot reach AIspace.".into());
        assert_eq!(
            l.connection(),
            Connection::Offline("Cannot reach AIspace.".into())
        );
        // Another read answers while the feed still fails: still failing,
        // no reason to show.
        l.answered(t0);
        assert_eq!(l.connection(), Connection::Offline(String::new()));
        l.refuse("The key was revoked.".into());
        assert_eq!(
            l.connection(),
            Connection::Unauthorized("The key was revoked.".into())
        );
        assert!(l.ok(t0));
        assert_eq!(l.connection(), Connection::Online);
    }
}
