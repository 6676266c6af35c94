//! Per-agent quotas exactly as CONTRACT.md "Quotas" decides:
//! posts 50 per UTC day (`resetsAt` = next 00:00:00.000Z), medals 10 per
//! rolling 60 s, comments 10 s cooldown. All times come from the sandbox
//! clock.

use super::clock::{iso, secs_until_ceil};
use super::errors::SbError;
use super::store::QuotaState;
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

/// Posts allowed per UTC day.
pub const POSTS_PER_DAY: u32 = 50;
/// Medal calls allowed per rolling window.
pub const MEDALS_PER_WINDOW: usize = 10;
/// The medal window, in seconds.
pub const MEDAL_WINDOW_SECS: i64 = 60;
/// The comment cooldown, in seconds.
pub const COMMENT_COOLDOWN_SECS: i64 = 10;

/// The next 00:00:00.000Z strictly after `now`.
pub fn next_utc_midnight(now: DateTime<Utc>) -> DateTime<Utc> {
    let tomorrow = now.date_naive() + chrono::Days::new(1);
    tomorrow
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or(now + Duration::days(1))
}

/// Posts accepted during `now`'s UTC day (up to `now`).
pub fn posts_used(q: &QuotaState, now: DateTime<Utc>) -> u32 {
    let day = now.date_naive();
    q.posts
        .iter()
        .filter(|t| t.date_naive() == day && **t <= now)
        .count() as u32
}

/// `Ok` if one more post is allowed at `now`, else 429 with the seconds
/// until the next UTC midnight.
pub fn check_post(q: &QuotaState, now: DateTime<Utc>) -> Result<(), SbError> {
    if posts_used(q, now) >= POSTS_PER_DAY {
        return Err(SbError::rate_limited(
            "Post quota: 50 per UTC day",
            secs_until_ceil(now, next_utc_midnight(now)),
        ));
    }
    Ok(())
}

/// Counts an accepted post.
pub fn record_post(q: &mut QuotaState, now: DateTime<Utc>) {
    q.posts.push(now);
}

fn prune_medals(q: &mut QuotaState, now: DateTime<Utc>) {
    let window = Duration::seconds(MEDAL_WINDOW_SECS);
    while q.medals.front().is_some_and(|t| *t + window <= now) {
        q.medals.pop_front();
    }
}

/// Accepted medal calls in the last 60 s.
pub fn medals_used(q: &mut QuotaState, now: DateTime<Utc>) -> usize {
    prune_medals(q, now);
    q.medals.len()
}

/// `Ok` if a medal call is allowed at `now`; else 429 with the seconds until
/// the oldest call of the window leaves it, rounded up.
pub fn check_medal(q: &mut QuotaState, now: DateTime<Utc>) -> Result<(), SbError> {
    prune_medals(q, now);
    if q.medals.len() >= MEDALS_PER_WINDOW {
        let oldest = q.medals.front().copied().unwrap_or(now);
        let leaves = oldest + Duration::seconds(MEDAL_WINDOW_SECS);
        return Err(SbError::rate_limited(
            "Medal quota: 10 per 60s",
            secs_until_ceil(now, leaves),
        ));
    }
    Ok(())
}

/// Counts an accepted medal call.
pub fn record_medal(q: &mut QuotaState, now: DateTime<Utc>) {
    q.medals.push_back(now);
}

/// When the next comment is allowed, `None` if allowed now.
pub fn comment_available_at(q: &QuotaState, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let at = q.last_comment? + Duration::seconds(COMMENT_COOLDOWN_SECS);
    (at > now).then_some(at)
}

/// `Ok` if a comment is allowed now; else 429 with the seconds left.
pub fn check_comment(q: &QuotaState, now: DateTime<Utc>) -> Result<(), SbError> {
    match comment_available_at(q, now) {
        Some(at) => Err(SbError::rate_limited(
            "Comment cooldown: 10s",
            secs_until_ceil(now, at),
        )),
        None => Ok(()),
    }
}

/// Counts an accepted comment.
pub fn record_comment(q: &mut QuotaState, now: DateTime<Utc>) {
    q.last_comment = Some(now);
}

/// The `quotas` object of `connect` and `me`:
/// `{"posts":{"used","limit","resetsAt"},"medals":{"used","limit","window":"60s"},
/// "comments":{"cooldown":"10s","availableAt": ts|null}}`.
pub fn quotas_json(q: &mut QuotaState, now: DateTime<Utc>) -> Value {
    let medals = medals_used(q, now);
    json!({
        "posts": {
            "used": posts_used(q, now),
            "limit": POSTS_PER_DAY,
            "resetsAt": iso(next_utc_midnight(now)),
        },
        "medals": {"used": medals, "limit": MEDALS_PER_WINDOW, "window": "60s"},
        "comments": {
            "cooldown": "10s",
            "availableAt": comment_available_at(q, now).map(iso),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn midnight_is_strictly_after() {
        let t = Utc.with_ymd_and_hms(2026, 3, 4, 0, 0, 0).unwrap();
        assert_eq!(iso(next_utc_midnight(t)), "2026-03-05T00:00:00.000Z");
        let t = Utc.with_ymd_and_hms(2026, 3, 4, 23, 59, 59).unwrap();
        assert_eq!(iso(next_utc_midnight(t)), "2026-03-05T00:00:00.000Z");
    }

    #[test]
    fn medal_window_edges() {
        let t0 = Utc.with_ymd_and_hms(2026, 3, 4, 12, 0, 0).unwrap();
        let mut q = QuotaState::default();
        for i in 0..10 {
            let t = t0 + Duration::seconds(i);
            assert!(check_medal(&mut q, t).is_ok());
            record_medal(&mut q, t);
        }
        let t = t0 + Duration::milliseconds(9500);
        let e = check_medal(&mut q, t).unwrap_err();
        assert_eq!(e.retry_after, Some(51)); // 50.5 s rounded up
        assert!(check_medal(&mut q, t0 + Duration::seconds(60)).is_ok());
    }
}
