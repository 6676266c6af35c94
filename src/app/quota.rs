//! Quotas as the client tracks them (CONTRACT.md "Quotas"), on server time.
//!
//! The server reports only `used/limit` for medals; the client keeps the
//! server-time stamps of the medals it saw accepted, so it knows when the
//! next one is possible. Medals it does not know the time of (used by
//! another session) are assumed to leave the window one window after the
//! last sync, which is the latest they can.

use super::clock::{ServerTime, Skew};
use super::writes::WriteKind;
use crate::api::{Quotas, Timestamp, WireTime};
use chrono::{DateTime, Duration, TimeZone, Utc};
use std::collections::VecDeque;

/// Parses `"60s"`, `"10s"`, `"2m"`, `"1h"` or a bare number of seconds.
pub fn parse_window_secs(s: &str) -> Option<i64> {
    let s = s.trim();
    let (num, unit) = match s.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => (&s[..i], s[i..].trim()),
        None => (s, "s"),
    };
    let n: i64 = num.parse().ok()?;
    let mult = match unit {
        "s" | "sec" | "secs" | "seconds" => 1,
        "m" | "min" | "mins" | "minutes" => 60,
        "h" | "hour" | "hours" => 3600,
        _ => return None,
    };
    // A server's number: at most a day, never an overflow.
    Some(n.saturating_mul(mult).min(crate::duration::DAY_SECS))
}

/// Quota state on server time ([`ServerTime`]; `skew` converts).
#[derive(Debug, Clone)]
pub struct QuotaState {
    /// Server time minus local time, from the last `me.serverTime`.
    pub skew: Skew,
    /// A `me`/`connect` quota block has been seen.
    pub known: bool,
    /// Posts used today.
    pub posts_used: u32,
    /// Daily post limit.
    pub posts_limit: u32,
    /// Next UTC midnight (server's `resetsAt`).
    pub posts_reset: Option<ServerTime>,
    /// Medal limit per window.
    pub medal_limit: u32,
    /// Rolling medal window in seconds (60).
    pub medal_window: i64,
    /// Server-time stamps of medals this client saw accepted, oldest first.
    medal_log: VecDeque<ServerTime>,
    /// Medals the server counts but this client has no time for.
    medal_unknown: u32,
    /// Server time of the last sync.
    synced_at: Option<ServerTime>,
    /// A 429 on a like said: no like before this server time.
    like_blocked_until: Option<ServerTime>,
    /// A 429 on vote said: no medal before this server time.
    medal_blocked_until: Option<ServerTime>,
    /// Comment cooldown in seconds (10).
    pub comment_cooldown: i64,
    /// Server time when the next comment is allowed; `None` = now.
    pub comment_available_at: Option<ServerTime>,
}

impl Default for QuotaState {
    fn default() -> Self {
        QuotaState {
            skew: Skew::default(),
            known: false,
            posts_used: 0,
            posts_limit: 50,
            posts_reset: None,
            medal_limit: 10,
            medal_window: 60,
            medal_log: VecDeque::new(),
            medal_unknown: 0,
            synced_at: None,
            like_blocked_until: None,
            medal_blocked_until: None,
            comment_cooldown: 10,
            comment_available_at: None,
        }
    }
}

pub use crate::duration::secs_until;

impl QuotaState {
    /// Local time -> server time.
    pub fn server_now(&self, now: Timestamp) -> ServerTime {
        self.skew.server(now)
    }

    /// Server time -> local time (when the loop must wake for it).
    pub fn local(&self, t: ServerTime) -> Timestamp {
        self.skew.local(t)
    }

    /// Sets the skew from a `me.serverTime` read at local time `now`.
    pub fn set_server_time(&mut self, server_time: Timestamp, now: Timestamp) {
        self.skew = Skew::measured(server_time, now);
    }

    /// Applies a quota block seen at server time `t`; `unanswered`: medals
    /// recorded here that the server may not count yet (waiting in the
    /// undo window or on their way), kept in the window whatever it says.
    pub fn sync(&mut self, q: &Quotas, t: ServerTime, unanswered: u32) {
        self.known = true;
        self.posts_used = q.posts.used;
        self.posts_limit = q.posts.limit;
        let reset = q
            .posts
            .resets_at
            .as_ref()
            .map(WireTime::at)
            .unwrap_or_else(|| next_utc_midnight(t.utc()));
        self.posts_reset = Some(ServerTime::from_server(reset));
        self.medal_limit = q.medals.limit;
        if let Some(w) = parse_window_secs(&q.medals.window) {
            self.medal_window = w.max(1);
        }
        if let Some(c) = parse_window_secs(&q.comments.cooldown) {
            self.comment_cooldown = c.max(0);
        }
        self.comment_available_at = q
            .comments
            .available_at
            .as_ref()
            .map(|a| ServerTime::from_server(a.at()))
            .filter(|a| *a > t);
        self.prune(t);
        let local = self.medal_log.len() as u32;
        let used = q.medals.used.saturating_add(unanswered);
        if used < local {
            // The server knows better: the oldest of ours have left.
            for _ in 0..(local - used) {
                self.medal_log.pop_front();
            }
            self.medal_unknown = 0;
        } else {
            self.medal_unknown = used - local;
        }
        self.synced_at = Some(t);
    }

    fn prune(&mut self, t: ServerTime) {
        let w = Duration::seconds(self.medal_window);
        while self.medal_log.front().is_some_and(|m| *m + w <= t) {
            self.medal_log.pop_front();
        }
    }

    /// Some medals in the window are counted by the server only, with no
    /// time of their own (another client's, or an earlier run's): when
    /// they leave is a guess until `me` is read again.
    pub fn guesses_medals(&self) -> bool {
        self.medal_unknown > 0
    }

    /// Records an accepted medal at server time `t`.
    pub fn record_medal(&mut self, t: ServerTime) {
        self.medal_log.push_back(t);
    }

    /// Removes one medal recorded at `t` (its vote failed).
    pub fn unrecord_medal(&mut self, t: ServerTime) {
        if let Some(i) = self.medal_log.iter().rposition(|m| *m == t) {
            self.medal_log.remove(i);
        }
    }

    /// Server times at which each counted medal leaves the window, sorted.
    fn expiries(&self, t: ServerTime) -> Vec<ServerTime> {
        let w = Duration::seconds(self.medal_window);
        let mut v: Vec<ServerTime> = self
            .medal_log
            .iter()
            .map(|m| *m + w)
            .filter(|e| *e > t)
            .collect();
        if let Some(s) = self.synced_at {
            if s + w > t {
                v.extend(std::iter::repeat_n(s + w, self.medal_unknown as usize));
            }
        }
        v.sort();
        v
    }

    /// Medals counted in the window at server time `t`.
    pub fn medals_used(&self, t: ServerTime) -> u32 {
        self.expiries(t).len() as u32
    }

    /// When the next medal is possible (server time); `None` = now.
    pub fn next_medal_at(&self, t: ServerTime) -> Option<ServerTime> {
        let blocked = self.medal_blocked_until.filter(|b| *b > t);
        let exp = self.expiries(t);
        let by_window = if self.medal_limit > 0 && exp.len() as u32 >= self.medal_limit {
            exp.get(exp.len() - self.medal_limit as usize).copied()
        } else {
            None
        };
        match (blocked, by_window) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    }

    /// The next change of the medal gauge after `t` (a medal leaving the window).
    pub fn next_medal_change(&self, t: ServerTime) -> Option<ServerTime> {
        self.expiries(t).first().copied()
    }

    /// When a write of `kind` is possible again (server time), when that
    /// is after `t`: a like block, the medal window or block, the comment
    /// cooldown. `None` = now.
    pub fn blocked_until(&self, kind: WriteKind, t: ServerTime) -> Option<ServerTime> {
        match kind {
            WriteKind::Like => self.like_blocked_until.filter(|u| *u > t),
            WriteKind::Medal => self.next_medal_at(t),
            WriteKind::Comment => self.comment_available_at.filter(|u| *u > t),
        }
    }

    /// No write of `kind` before server time `until` (a `retry_after`, or
    /// the cooldown after a comment).
    pub fn block(&mut self, kind: WriteKind, until: ServerTime) {
        match kind {
            WriteKind::Like => self.like_blocked_until = Some(until),
            WriteKind::Medal => self.medal_blocked_until = Some(until),
            WriteKind::Comment => self.comment_available_at = Some(until),
        }
    }

    /// Seconds of comment cooldown left at server time `t`; 0 = allowed.
    pub fn comment_wait(&self, t: ServerTime) -> i64 {
        self.comment_available_at
            .map(|a| t.secs_until(a))
            .unwrap_or(0)
    }
}

/// The next 00:00:00 UTC strictly after `t`.
pub fn next_utc_midnight(t: Timestamp) -> Timestamp {
    let d = t.date_naive() + Duration::days(1);
    let naive = d.and_hms_opt(0, 0, 0).unwrap_or_default();
    Utc.from_utc_datetime(&naive)
}

/// Convenience for tests: a UTC timestamp from seconds since the epoch.
pub fn ts(secs: i64) -> Timestamp {
    DateTime::from_timestamp(secs, 0).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{CommentQuota, MedalQuota, PostQuota};

    fn quotas(used: u32) -> Quotas {
        Quotas {
            posts: PostQuota {
                used: 3,
                limit: 50,
                resets_at: None,
            },
            medals: MedalQuota {
                used,
                limit: 10,
                window: "60s".into(),
            },
            comments: CommentQuota {
                cooldown: "10s".into(),
                available_at: None,
            },
        }
    }

    #[test]
    fn windows_parse() {
        assert_eq!(parse_window_secs("60s"), Some(60));
        assert_eq!(parse_window_secs("2m"), Some(120));
        assert_eq!(parse_window_secs("15"), Some(15));
        assert_eq!(parse_window_secs("soon"), None);
    }

    #[test]
    fn medal_window_tracks_own_medals() {
        let t0 = ServerTime::from_server(ts(1_000_000));
        let mut q = QuotaState::default();
        q.sync(&quotas(0), t0, 0);
        for i in 0..10 {
            q.record_medal(t0 + Duration::seconds(i));
        }
        assert_eq!(q.medals_used(t0 + Duration::seconds(10)), 10);
        assert_eq!(
            q.next_medal_at(t0 + Duration::seconds(10)),
            Some(t0 + Duration::seconds(60))
        );
        assert_eq!(q.next_medal_at(t0 + Duration::seconds(60)), None);
        assert_eq!(q.medals_used(t0 + Duration::seconds(65)), 4);
    }

    #[test]
    fn unknown_medals_expire_one_window_after_sync() {
        let t0 = ServerTime::from_server(ts(2_000_000));
        let mut q = QuotaState::default();
        q.sync(&quotas(10), t0, 0);
        assert_eq!(q.medals_used(t0), 10);
        assert_eq!(q.next_medal_at(t0), Some(t0 + Duration::seconds(60)));
        // A later sync that says fewer drops our oldest.
        q.record_medal(t0);
        q.sync(&quotas(0), t0 + Duration::seconds(1), 0);
        assert_eq!(q.medals_used(t0 + Duration::seconds(1)), 0);
    }

    #[test]
    fn midnight() {
        let t = ts(86_400 * 10 + 5);
        assert_eq!(next_utc_midnight(t), ts(86_400 * 11));
    }
}
