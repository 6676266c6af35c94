//! The composer's schedule field (`publishAt`): a time typed as "18:00",
//! "tomorrow 09:00", "in 2h", "friday 8pm" or ISO 8601, read by the
//! `interim` crate (no hand-made rules) relative to now in the local time
//! zone, and shown back as an absolute UTC time before sending.

use crate::api::Timestamp;
use chrono::{FixedOffset, Offset, Utc};

/// Reads the schedule field at local time `now` with the local zone
/// `utc_offset_secs` east of UTC. Empty: `Ok(None)` (publish now). A time
/// that is not in the future, or text that is not a time, is `Err` with a
/// sentence saying what to type.
pub fn parse(
    input: &str,
    now: Timestamp,
    utc_offset_secs: i32,
) -> Result<Option<Timestamp>, String> {
    let s = input.trim();
    if s.is_empty() || s.eq_ignore_ascii_case("now") {
        return Ok(None);
    }
    let cannot_read = || {
        format!(
            "Schedule: cannot read {:?} as a time; type e.g. 18:00, tomorrow 09:00, in 2h or 2026-03-05T18:00Z (empty = now).",
            crate::text::truncate(&crate::text::clean_line(s), 40)
        )
    };
    if s.split_whitespace().any(|w| !clock_ok(w)) {
        return Err(cannot_read());
    }
    let at = if let Ok(t) = chrono::DateTime::parse_from_rfc3339(&with_seconds(s)) {
        t.with_timezone(&Utc)
    } else {
        let zone = FixedOffset::east_opt(utc_offset_secs).unwrap_or(Utc.fix());
        // "in 2h" = "2h" from now (interim reads the interval alone).
        let lower = s.to_ascii_lowercase();
        let text = lower.strip_prefix("in ").map(str::trim).unwrap_or(&lower);
        interim::parse_date_string(text, now.with_timezone(&zone), interim::Dialect::Uk)
            .map_err(|_| cannot_read())?
            .with_timezone(&Utc)
    };
    if at <= now {
        return Err(format!(
            "Schedule: {} is not in the future; give a later time, or leave it empty to publish now.",
            shown(at)
        ));
    }
    Ok(Some(at))
}

/// ISO 8601 without seconds ("2026-03-05T18:00Z") as RFC 3339 wants it
/// ("2026-03-05T18:00:00Z"); anything else as it is.
fn with_seconds(s: &str) -> String {
    let b = s.as_bytes();
    let no_seconds = b.len() > 16
        && matches!(b[10], b'T' | b't' | b' ')
        && b[13] == b':'
        && b[16] != b':'
        && s.is_char_boundary(16);
    if no_seconds {
        format!("{}:00{}", &s[..16], &s[16..])
    } else {
        s.to_string()
    }
}

/// A word that looks like a clock time ("25:00", "9:75") names a real one
/// (the time parser would carry the excess into the next day).
fn clock_ok(word: &str) -> bool {
    let Some((h, m)) = word.split_once(':') else {
        return true;
    };
    let digits = |t: &str| !t.is_empty() && t.len() <= 2 && t.bytes().all(|c| c.is_ascii_digit());
    if !digits(h) || !digits(m) {
        return true; // not a bare clock time (ISO, "9:00pm"...): the parser decides
    }
    h.parse::<u32>().is_ok_and(|h| h < 24) && m.parse::<u32>().is_ok_and(|m| m < 60)
}

/// A schedule time as shown back: `2026-03-05 18:00 UTC`.
pub fn shown(t: Timestamp) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> Timestamp {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    #[test]
    fn the_hint_s_own_forms_and_now_are_read_and_impossible_clocks_refused() {
        let now = at(2026, 3, 4, 12, 0);
        assert_eq!(
            parse("2026-03-05T18:00Z", now, 0),
            Ok(Some(at(2026, 3, 5, 18, 0)))
        );
        assert_eq!(
            parse("2026-03-05T18:00+02:00", now, 0),
            Ok(Some(at(2026, 3, 5, 16, 0)))
        );
        assert_eq!(parse("now", now, 0), Ok(None));
        assert_eq!(parse("NOW", now, 0), Ok(None));
        for bad in ["tomorrow 25:00", "24:00", "18:60", "tomorrow 9:75"] {
            let e = parse(bad, now, 0).unwrap_err();
            assert!(e.contains("cannot read"), "{bad}: {e}");
        }
        assert_eq!(
            parse("tomorrow 23:59", now, 0),
            Ok(Some(at(2026, 3, 5, 23, 59)))
        );
    }

    #[test]
    fn reads_the_documented_forms() {
        let now = at(2026, 3, 4, 12, 0);
        assert_eq!(parse("", now, 0), Ok(None));
        assert_eq!(parse("18:00", now, 0), Ok(Some(at(2026, 3, 4, 18, 0))));
        assert_eq!(
            parse("tomorrow 09:00", now, 0),
            Ok(Some(at(2026, 3, 5, 9, 0)))
        );
        assert_eq!(parse("in 2h", now, 0), Ok(Some(at(2026, 3, 4, 14, 0))));
        assert_eq!(
            parse("In 90 minutes", now, 0),
            Ok(Some(at(2026, 3, 4, 13, 30)))
        );
        assert_eq!(
            parse("2026-03-05T18:00:00Z", now, 0),
            Ok(Some(at(2026, 3, 5, 18, 0)))
        );
        assert_eq!(
            parse("2026-03-05T18:00:00+02:00", now, 0),
            Ok(Some(at(2026, 3, 5, 16, 0)))
        );
        // Local times are read in the local zone and come back in UTC.
        assert_eq!(parse("18:00", now, 3600), Ok(Some(at(2026, 3, 4, 17, 0))));
        assert_eq!(shown(at(2026, 3, 5, 9, 0)), "2026-03-05 09:00 UTC");
    }

    #[test]
    fn refuses_the_past_and_nonsense_saying_what_to_type() {
        let now = at(2026, 3, 4, 12, 0);
        let e = parse("09:00", now, 0).unwrap_err();
        assert!(
            e.contains("2026-03-04 09:00 UTC is not in the future"),
            "{e}"
        );
        let e = parse("whenever you like", now, 0).unwrap_err();
        assert!(e.contains("tomorrow 09:00"), "{e}");
    }
}
