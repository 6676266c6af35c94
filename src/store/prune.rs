//! Keeping the archive bounded, and what it holds. [`Store::prune`]
//! removes posts not seen for `archive_days` and then the least recently
//! seen ones until the data fits `archive_max_mb`; a pruned post takes its
//! timeline and kept feed rows with it. Drafts are never pruned; actions
//! only once older than both `archive_days` and [`ACTIONS_KEPT_DAYS`].
//! Freed pages go back to the file system (incremental vacuum).

use super::{Account, Store};
use rusqlite::params;

/// Actions younger than this are never pruned.
pub const ACTIONS_KEPT_DAYS: u32 = 90;

/// Fewest posts removed per step while the archive is over its size (a
/// step is a twentieth of the posts, at least this).
const PRUNE_STEP: i64 = 50;

const DAY_MS: i64 = 86_400_000;

/// What a prune did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pruned {
    /// Posts removed for age.
    pub old_posts: usize,
    /// Posts removed for size.
    pub size_posts: usize,
    /// Actions removed for age.
    pub actions: usize,
    /// Bytes in use before and after.
    pub bytes_before: u64,
    pub bytes_after: u64,
}

/// What the archive holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Posts of the account (or of all accounts).
    pub posts: u64,
    /// Distinct authors of those posts.
    pub authors: u64,
    /// Timeline rows (changes of counts or verdict).
    pub changes: u64,
    pub actions: u64,
    pub drafts: u64,
    /// First and last time a post was stored (Unix milliseconds).
    pub first_seen: Option<i64>,
    pub last_seen: Option<i64>,
    /// Bytes in use in the whole store (all accounts).
    pub bytes: u64,
    pub schema: u32,
}

impl Store {
    /// Bytes in use (pages in use times the page size).
    pub fn used_bytes(&self) -> rusqlite::Result<u64> {
        let pages: i64 = self
            .conn
            .pragma_query_value(None, "page_count", |r| r.get(0))?;
        let free: i64 = self
            .conn
            .pragma_query_value(None, "freelist_count", |r| r.get(0))?;
        let size: i64 = self
            .conn
            .pragma_query_value(None, "page_size", |r| r.get(0))?;
        Ok(u64::try_from(pages.saturating_sub(free).saturating_mul(size)).unwrap_or(0))
    }

    /// Prunes (see the module comment) at `now` (Unix milliseconds), all
    /// accounts.
    pub fn prune(&mut self, max_bytes: u64, days: u32, now: i64) -> rusqlite::Result<Pruned> {
        let mut done = Pruned {
            bytes_before: self.used_bytes()?,
            ..Pruned::default()
        };
        let post_cut = now.saturating_sub(i64::from(days).saturating_mul(DAY_MS));
        let action_cut =
            now.saturating_sub(i64::from(days.max(ACTIONS_KEPT_DAYS)).saturating_mul(DAY_MS));
        let tx = self.conn.transaction()?;
        done.old_posts = tx.execute("DELETE FROM posts WHERE last_seen < ?1", [post_cut])?;
        done.actions = tx.execute("DELETE FROM actions WHERE at < ?1", [action_cut])?;
        tx.commit()?;
        while self.used_bytes()? > max_bytes {
            let count: i64 = self
                .conn
                .query_row("SELECT count(*) FROM posts", [], |r| r.get(0))?;
            let n = self.conn.execute(
                "DELETE FROM posts WHERE id IN
                 (SELECT id FROM posts ORDER BY last_seen, id LIMIT ?1)",
                params![(count / 20).max(PRUNE_STEP)],
            )?;
            if n == 0 {
                break;
            }
            done.size_posts += n;
        }
        if done.old_posts + done.size_posts + done.actions > 0 {
            // One page per step: step it to the end.
            let mut vacuum = self.conn.prepare("PRAGMA incremental_vacuum")?;
            let mut freed = vacuum.query([])?;
            while freed.next()?.is_some() {}
            drop(freed);
            drop(vacuum);
            // Fold the write-ahead log in so the file shrinks now; busy
            // readers (another instance) only delay that.
            let _ = self
                .conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        }
        done.bytes_after = self.used_bytes()?;
        Ok(done)
    }

    /// What the archive holds for `account` (all accounts when `None`).
    pub fn stats(&self, account: Option<&Account>) -> rusqlite::Result<Stats> {
        let (base, agent) = account.map_or((None, None), |a| {
            (Some(a.base_url.as_str()), Some(a.agent_id.as_str()))
        });
        let scope = "(?1 IS NULL OR base_url = ?1) AND (?2 IS NULL OR agent_id = ?2)";
        let one = |sql: &str| -> rusqlite::Result<i64> {
            self.conn
                .query_row(&sql.replace("{scope}", scope), params![base, agent], |r| {
                    r.get(0)
                })
        };
        let (first_seen, last_seen) = self.conn.query_row(
            &format!("SELECT min(first_seen), max(last_seen) FROM posts WHERE {scope}"),
            params![base, agent],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        Ok(Stats {
            posts: n(one("SELECT count(*) FROM posts WHERE {scope}")?),
            authors: n(one(
                "SELECT count(DISTINCT author COLLATE NOCASE) FROM posts WHERE {scope}",
            )?),
            changes: n(one(
                "SELECT count(*) FROM post_counts WHERE post IN (SELECT id FROM posts WHERE {scope})",
            )?),
            actions: n(one("SELECT count(*) FROM actions WHERE {scope}")?),
            drafts: n(one("SELECT count(*) FROM drafts WHERE {scope}")?),
            first_seen,
            last_seen,
            bytes: self.used_bytes()?,
            schema: self.version()?,
        })
    }
}
