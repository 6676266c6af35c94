//! The stats screen's numbers: a few aggregates over one account's stored
//! posts and actions, answered as one plain struct ([`Charts`]) by one
//! query function ([`Store::charts`]). Pure SQL; the app holds the answer
//! and the ui draws it.

use super::{Account, Store};
use rusqlite::params;

/// Hours in the per-hour charts (the last 24 h, one bar per hour).
pub const HOURS: usize = 24;

/// Most authors in the "most active authors" chart.
pub const TOP_AUTHORS: usize = 5;

const HOUR_MS: i64 = 3_600_000;

/// The stats of one account's archive at one moment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Charts {
    /// Stored posts in all.
    pub posts: u64,
    /// Stored posts published in each of the last 24 hours, oldest hour
    /// first (index 23 = the hour up to now).
    pub posts_per_hour: [u64; HOURS],
    /// Stored posts by AI verdict: gold, silver, bronze, none (judged, no
    /// medal), not judged.
    pub verdicts: [u64; 5],
    /// Medals given by everyone to the stored posts, as last fetched:
    /// gold, silver, bronze.
    pub medals: [u64; 3],
    /// My accepted medals (rows: gold, silver, bronze) against the AI
    /// verdict of the post (columns: gold, silver, bronze, none, not judged
    /// or not stored).
    pub agreement: [[u64; 5]; 3],
    /// The authors with the most stored posts, most first (handle, posts).
    pub top_authors: Vec<(String, u64)>,
    /// My accepted likes, medals and comments in each of the last 24
    /// hours, oldest hour first.
    pub mine_per_hour: [u64; HOURS],
}

impl Charts {
    /// My accepted medals in all (the agreement matrix's total).
    pub fn my_medals(&self) -> u64 {
        self.agreement.iter().flatten().sum()
    }

    /// My medals on judged posts whose type equals the verdict, and those
    /// judged posts in all (`None` when none was judged).
    pub fn agreement_rate(&self) -> Option<(u64, u64)> {
        let judged: u64 = self
            .agreement
            .iter()
            .map(|r| r[..4].iter().sum::<u64>())
            .sum();
        let same: u64 = (0..3).map(|i| self.agreement[i][i]).sum();
        (judged > 0).then_some((same, judged))
    }
}

fn verdict_index(v: Option<&str>) -> usize {
    match v {
        Some("GOLD") => 0,
        Some("SILVER") => 1,
        Some("BRONZE") => 2,
        Some(_) => 3,
        None => 4,
    }
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// The hour bucket (0 = oldest) of a time `at` seen from `now`.
fn hour_of(at: i64, now: i64) -> Option<usize> {
    if at > now {
        return None;
    }
    let back = usize::try_from((now - at) / HOUR_MS).ok()?;
    (back < HOURS).then(|| HOURS - 1 - back)
}

impl Store {
    /// The stats of `account`'s archive at `now` (Unix milliseconds).
    pub fn charts(&self, account: &Account, now: i64) -> rusqlite::Result<Charts> {
        let mut c = Charts::default();
        let a = params![account.base_url, account.agent_id];
        c.posts = self.conn.query_row(
            "SELECT COUNT(*) FROM posts WHERE base_url = ?1 AND agent_id = ?2",
            a,
            |r| r.get::<_, i64>(0).map(count),
        )?;
        c.posts_per_hour = self.per_hour(
            "SELECT published_ms FROM posts WHERE base_url = ?1 AND agent_id = ?2
             AND published_ms > ?3 AND published_ms <= ?4",
            account,
            now,
        )?;
        let mut stmt = self.conn.prepare(
            "SELECT verdict, COUNT(*) FROM posts WHERE base_url = ?1 AND agent_id = ?2
             GROUP BY verdict",
        )?;
        let rows = stmt.query_map(a, |r| {
            Ok((r.get::<_, Option<String>>(0)?, r.get::<_, i64>(1)?))
        })?;
        for row in rows {
            let (v, n) = row?;
            c.verdicts[verdict_index(v.as_deref())] += count(n);
        }
        // Each medal type's count as the server last sent it (negative or
        // non-numeric counts count as 0).
        c.medals = self.conn.query_row(
            "SELECT
               SUM(MAX(0, COALESCE(CAST(json_extract(raw, '$.stats.medals.gold') AS INTEGER), 0))),
               SUM(MAX(0, COALESCE(CAST(json_extract(raw, '$.stats.medals.silver') AS INTEGER), 0))),
               SUM(MAX(0, COALESCE(CAST(json_extract(raw, '$.stats.medals.bronze') AS INTEGER), 0)))
             FROM posts WHERE base_url = ?1 AND agent_id = ?2",
            a,
            |r| {
                let n = |i| r.get::<_, Option<i64>>(i).map(|n| count(n.unwrap_or(0)));
                Ok([n(0)?, n(1)?, n(2)?])
            },
        )?;
        let mut stmt = self.conn.prepare(
            "SELECT UPPER(a.detail), p.verdict, COUNT(*) FROM actions a
             LEFT JOIN posts p ON p.base_url = a.base_url AND p.agent_id = a.agent_id
                              AND p.post_id = a.post_id
             WHERE a.base_url = ?1 AND a.agent_id = ?2 AND a.kind = 'medal'
               AND a.outcome = 'accepted'
             GROUP BY 1, 2",
        )?;
        let rows = stmt.query_map(a, |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for row in rows {
            let (mine, v, n) = row?;
            let i = verdict_index(Some(&mine));
            if i < 3 {
                c.agreement[i][verdict_index(v.as_deref())] += count(n);
            }
        }
        let mut stmt = self.conn.prepare(
            "SELECT author, COUNT(*) AS n FROM posts WHERE base_url = ?1 AND agent_id = ?2
             GROUP BY author COLLATE NOCASE ORDER BY n DESC, author LIMIT ?3",
        )?;
        let rows = stmt.query_map(
            params![account.base_url, account.agent_id, TOP_AUTHORS as i64],
            |r| Ok((r.get::<_, String>(0)?, count(r.get::<_, i64>(1)?))),
        )?;
        for row in rows {
            c.top_authors.push(row?);
        }
        c.mine_per_hour = self.per_hour(
            "SELECT at FROM actions WHERE base_url = ?1 AND agent_id = ?2
             AND outcome = 'accepted' AND at > ?3 AND at <= ?4",
            account,
            now,
        )?;
        Ok(c)
    }

    /// The times `sql` selects for `account` in the last [`HOURS`] hours
    /// before `now`, counted per hour (oldest hour first). `sql` selects
    /// one time in Unix milliseconds per row; its parameters are the base
    /// URL, the agent id, and the window's start (excluded) and end.
    fn per_hour(&self, sql: &str, account: &Account, now: i64) -> rusqlite::Result<[u64; HOURS]> {
        let since = now.saturating_sub(HOUR_MS * HOURS as i64);
        let mut stmt = self.conn.prepare(sql)?;
        let rows = stmt.query_map(
            params![account.base_url, account.agent_id, since, now],
            |r| r.get::<_, i64>(0),
        )?;
        let mut hours = [0; HOURS];
        for at in rows {
            if let Some(h) = hour_of(at?, now) {
                hours[h] += 1;
            }
        }
        Ok(hours)
    }
}
