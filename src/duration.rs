//! Every duration the program shows, in one place: live countdowns
//! (`45 s`, `3m 05s`, `11h 22m`), waits in sentences (`23 s`, `4 min 5 s`,
//! `3 h 12 min`) and coarse ages (`just now`, `5 min ago`, `2 days ago`).
//! A day or more (the longest wait a server may impose is clamped to 24 h)
//! is "over a day". Plus the checked arithmetic for times from the server:
//! no computation on a server's number may overflow.

use chrono::{DateTime, Duration, Utc};

/// One day in seconds: waits this long or longer read "over a day".
pub const DAY_SECS: i64 = 86_400;

/// A live countdown for the header and the status line: `45 s` (below two
/// minutes), `3m 05s`, `11h 22m`; `over a day` from 24 h on.
pub fn countdown(secs: i64) -> String {
    let secs = secs.max(0);
    if secs >= DAY_SECS {
        "over a day".to_string()
    } else if secs < 120 {
        format!("{secs} s")
    } else if secs < 3600 {
        format!("{}m {:02}s", secs / 60, secs % 60)
    } else {
        format!("{}h {:02}m", secs / 3600, (secs % 3600) / 60)
    }
}

/// A wait inside a sentence: `23 s`, `4 min 5 s`, `3 h 12 min` (minutes
/// rounded up from an hour on); `over a day` from 24 h on.
pub fn wait(secs: i64) -> String {
    let s = secs.max(0);
    if s >= DAY_SECS {
        "over a day".to_string()
    } else if s < 120 {
        format!("{s} s")
    } else if s < 3600 {
        let (m, r) = (s / 60, s % 60);
        if r == 0 {
            format!("{m} min")
        } else {
            format!("{m} min {r} s")
        }
    } else {
        let (h, m) = (s / 3600, (s % 3600 + 59) / 60);
        if m == 60 {
            format!("{} h", h + 1)
        } else if m == 0 {
            format!("{h} h")
        } else {
            format!("{h} h {m} min")
        }
    }
}

/// How long ago (or, negative, how far ahead) `secs` is, coarsely:
/// `just now`, `5 min ago`, `3 h ago`, `2 days ago`, `in 5 min`.
pub fn ago(secs: i64) -> String {
    let (future, s) = (secs < 0, secs.unsigned_abs());
    let body = if s < 60 {
        return "just now".into();
    } else if s < 3600 {
        format!("{} min", s / 60)
    } else if s < 86_400 {
        format!("{} h", s / 3600)
    } else {
        let d = s / 86_400;
        format!("{d} day{}", if d == 1 { "" } else { "s" })
    };
    if future {
        format!("in {body}")
    } else {
        format!("{body} ago")
    }
}

/// A post's age for a feed row, from server time `now` and its
/// publication time `published` (Unix seconds; checked arithmetic, any
/// numbers): `now`, `4m`, `3h`, `2d`, `7w`, `2y`; a time ahead (a
/// scheduled post, a skewed clock) is `now`.
pub fn age(now: i64, published: i64) -> String {
    let Some(secs) = now.checked_sub(published) else {
        return if now < published { "now" } else { "old" }.into();
    };
    match secs {
        s if s < 60 => "now".into(),
        s if s < 3600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h", s / 3600),
        s if s < 100 * 86_400 => format!("{}d", s / 86_400),
        s if s < 365 * 86_400 => format!("{}w", s / (7 * 86_400)),
        s => format!("{}y", (s / (365 * 86_400)).min(99)),
    }
}

/// [`ago`] for the time `t` seen at `now`.
pub fn relative(now: DateTime<Utc>, t: DateTime<Utc>) -> String {
    ago(since_secs(t, now))
}

/// Whole seconds from `now` until `t`, rounded up; 0 when past. Never
/// overflows (times far apart give the extreme value).
pub fn secs_until(now: DateTime<Utc>, t: DateTime<Utc>) -> i64 {
    let ms = t
        .signed_duration_since(now)
        .num_milliseconds()
        .clamp(0, i64::MAX - 999);
    (ms + 999) / 1000
}

/// Whole seconds from `t` to `now` (negative when `t` is later), rounded
/// down.
pub fn since_secs(t: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    now.signed_duration_since(t).num_seconds()
}

/// `t + secs` seconds, saturating at the last representable time instead
/// of overflowing (a server's number may be anything).
pub fn add_secs(t: DateTime<Utc>, secs: i64) -> DateTime<Utc> {
    let d = Duration::try_seconds(secs).unwrap_or(if secs < 0 {
        Duration::MIN
    } else {
        Duration::MAX
    });
    add(t, d)
}

/// Seconds as a signed number (saturating; a server's count may be huge).
pub fn secs_i64(secs: u64) -> i64 {
    i64::try_from(secs).unwrap_or(i64::MAX)
}

/// `t + d`, saturating at the first or last representable time.
pub fn add(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    t.checked_add_signed(d).unwrap_or(if d < Duration::zero() {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countdowns() {
        assert_eq!(countdown(5), "5 s");
        assert_eq!(countdown(60), "60 s");
        assert_eq!(countdown(125), "2m 05s");
        assert_eq!(countdown(3 * 3600 + 120), "3h 02m");
        assert_eq!(countdown(DAY_SECS), "over a day");
        assert_eq!(countdown(-3), "0 s");
    }

    #[test]
    fn waits() {
        assert_eq!(wait(7200), "2 h");
        assert_eq!(wait(3 * 3600 + 11 * 60 + 1), "3 h 12 min");
        assert_eq!(wait(125), "2 min 5 s");
        assert_eq!(wait(9_000_000_000_000), "over a day");
    }

    #[test]
    fn ages() {
        assert_eq!(ago(30), "just now");
        assert_eq!(ago(300), "5 min ago");
        assert_eq!(ago(2 * 86_400), "2 days ago");
        assert_eq!(ago(-600), "in 10 min");
    }

    #[test]
    fn arithmetic_never_overflows() {
        let t = DateTime::<Utc>::from_timestamp(1_000_000, 0).unwrap_or_default();
        assert_eq!(add_secs(t, 9_000_000_000_000), DateTime::<Utc>::MAX_UTC);
        assert_eq!(add_secs(t, i64::MAX), DateTime::<Utc>::MAX_UTC);
        assert_eq!(add_secs(t, i64::MIN), DateTime::<Utc>::MIN_UTC);
        assert!(secs_until(DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC) > 0);
        assert_eq!(secs_until(t, add_secs(t, 10)), 10);
    }
}
