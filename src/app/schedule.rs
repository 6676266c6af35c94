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
    if s.is_empty() {
        return Ok(None);
    }
    let at = if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        t.with_timezone(&Utc)
    } else {
        let zone = FixedOffset::east_opt(utc_offset_secs).unwrap_or(Utc.fix());
        // "in 2h" = "2h" from now (interim reads the interval alone).
        let lower = s.to_ascii_lowercase();
        let text = lower.strip_prefix("in ").map(str::trim).unwrap_or(&lower);
        interim::parse_date_string(text, now.with_timezone(&zone), interim::Dialect::Uk)
            .map_err(|_| {
                format!(
                    "Schedule: cannot read {:?} as a time; type e.g. 18:00, tomorrow 09:00, in 2h or 2026-03-05T18:00Z (empty = now).",
                    crate::text::truncate(&crate::text::clean_line(s), 40)
                )
            })?
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
