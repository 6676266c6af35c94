//! Posts as received: each feed item's JSON exactly as the server sent it
//! (the sanitizer runs when it is shown, so a better sanitizer applies to
//! old posts too), with when it was first and last seen; a timeline row
//! whenever its counts or verdict change; and, per account and sort, the
//! rows of the last feed (for drawing it before the network answers).

use super::{Account, Store};
use crate::api::FeedItem;
use rusqlite::{params, OptionalExtension, Row};
use serde::Deserialize;
use serde_json::Value;

/// How stale a post's last-seen time may get before an unchanged copy
/// of it updates it (one minute).
pub const SEEN_STEP_MS: i64 = 60_000;

/// The most rows of one feed (account and sort) kept for the next start.
pub const FEED_ROWS_KEPT: i64 = 2000;

/// One stored post.
#[derive(Debug, Clone, PartialEq)]
pub struct PostRow {
    /// The post's id.
    pub post_id: String,
    /// The item as the server sent it: raw server text, to be shown only
    /// through the sanitizer. `crate::api::parse::feed_page` reads a list
    /// of these (see [`PostRow::page`]).
    pub raw: Value,
    /// When this client first stored it (Unix milliseconds).
    pub first_seen: i64,
    /// When this client last received it (Unix milliseconds).
    pub last_seen: i64,
}

impl PostRow {
    pub(super) fn from_row(r: &Row<'_>) -> rusqlite::Result<PostRow> {
        let raw: String = r.get(1)?;
        Ok(PostRow {
            post_id: r.get(0)?,
            raw: serde_json::from_str(&raw).unwrap_or(Value::Null),
            first_seen: r.get(2)?,
            last_seen: r.get(3)?,
        })
    }

    /// `rows` as one feed page, through the app's own tolerant parser
    /// (an item it cannot read is skipped and counted, as from the
    /// network). No cursor: a cached page never continues.
    pub fn page(rows: &[PostRow]) -> crate::api::FeedPage {
        let items = Value::Array(rows.iter().map(|r| r.raw.clone()).collect());
        crate::api::parse::feed_page(&items).unwrap_or_default()
    }
}

/// One change of a post's counts or verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineRow {
    /// When it was seen (Unix milliseconds).
    pub at: i64,
    pub likes: i64,
    /// Gold, silver and bronze together.
    pub medals: i64,
    pub comments: i64,
    /// The AI judge's medal (`GOLD`...), `NONE` for a ruling without one,
    /// `None` before the judge ran.
    pub verdict: Option<String>,
}

/// What the archive indexes and compares of one item.
struct Fields {
    post_id: String,
    author: String,
    caption: String,
    tags: String,
    reason: String,
    published_ms: Option<i64>,
    likes: i64,
    medals: i64,
    comments: i64,
    verdict: Option<String>,
}

fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The fields of an item the app's parser accepts; `None` for one it
/// skips (the archive keeps what the feed can show).
fn fields(v: &Value) -> Option<Fields> {
    let item = FeedItem::deserialize(v).ok()?;
    if item.id.is_empty() {
        return None;
    }
    let m = &item.stats.medals;
    let verdict = item.ai_verdict.as_ref().map(|v| {
        v.medal_type
            .as_ref()
            .map_or_else(|| "NONE".to_string(), |m| m.as_str().to_string())
    });
    Some(Fields {
        author: item.author.handle.clone(),
        caption: item.caption.clone().unwrap_or_default(),
        tags: item.tags.join(" "),
        reason: item
            .ai_verdict
            .as_ref()
            .and_then(|v| v.reason.clone())
            .unwrap_or_default(),
        published_ms: Some(item.published_at.at().timestamp_millis()),
        likes: count(item.stats.likes),
        medals: count(m.gold.saturating_add(m.silver).saturating_add(m.bronze)),
        comments: count(item.stats.comments),
        verdict,
        post_id: item.id,
    })
}

impl Store {
    /// Stores one feed page of `account` for `sort` (`latest`,
    /// `rising`...) received at `now` (Unix milliseconds), in one
    /// transaction: new posts are added, known ones get their latest JSON
    /// and last-seen time, and a timeline row when their counts or verdict
    /// changed. `head` = the page was the feed's first (no cursor): its
    /// posts go to the top of the sort's kept rows; a later page's go below
    /// them. Items the app's parser would skip are not stored. Returns how
    /// many posts were stored.
    pub fn record_page(
        &mut self,
        account: &Account,
        sort: &str,
        head: bool,
        items: &[Value],
        now: i64,
    ) -> rusqlite::Result<usize> {
        let tx = self.conn.transaction()?;
        let mut ids = Vec::with_capacity(items.len());
        {
            let mut find = tx.prepare_cached(
                "SELECT id, likes, medals, comments, verdict, caption, tags, author, reason,
                        raw, last_seen
                 FROM posts WHERE base_url = ?1 AND agent_id = ?2 AND post_id = ?3",
            )?;
            let mut touch = tx.prepare_cached("UPDATE posts SET last_seen = ?2 WHERE id = ?1")?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO posts (base_url, agent_id, post_id, raw, author, caption, tags,
                                    reason, published_ms, likes, medals, comments, verdict,
                                    first_seen, last_seen)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)",
            )?;
            let mut refresh = tx.prepare_cached(
                "UPDATE posts SET raw = ?2, published_ms = ?3, likes = ?4, medals = ?5,
                                  comments = ?6, verdict = ?7, last_seen = ?8
                 WHERE id = ?1",
            )?;
            let mut retext = tx.prepare_cached(
                "UPDATE posts SET caption = ?2, tags = ?3, author = ?4, reason = ?5 WHERE id = ?1",
            )?;
            let mut timeline = tx.prepare_cached(
                "INSERT INTO post_counts (post, at, likes, medals, comments, verdict)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for v in items {
                let Some(post_id) = v.get("id").and_then(Value::as_str) else {
                    continue;
                };
                let raw = v.to_string();
                type Known = (i64, [i64; 3], Option<String>, [String; 4], String, i64);
                let known: Option<Known> = find
                    .query_row(params![account.base_url, account.agent_id, post_id], |r| {
                        Ok((
                            r.get(0)?,
                            [r.get(1)?, r.get(2)?, r.get(3)?],
                            r.get(4)?,
                            [r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?],
                            r.get(9)?,
                            r.get(10)?,
                        ))
                    })
                    .optional()?;
                // Unchanged since last stored: at most its last-seen time
                // moves (kept to the minute: a refresh of the same page
                // writes nothing).
                if let Some((id, .., old_raw, last_seen)) = &known {
                    if *old_raw == raw {
                        if now.saturating_sub(*last_seen) >= SEEN_STEP_MS {
                            touch.execute(params![id, now])?;
                        }
                        ids.push(*id);
                        continue;
                    }
                }
                let Some(f) = fields(v) else { continue };
                let counts = [f.likes, f.medals, f.comments];
                let (id, changed) = match known {
                    Some((id, old_counts, old_verdict, old_text, ..)) => {
                        refresh.execute(params![
                            id,
                            raw,
                            f.published_ms,
                            f.likes,
                            f.medals,
                            f.comments,
                            f.verdict,
                            now
                        ])?;
                        let text = [&f.caption, &f.tags, &f.author, &f.reason];
                        if old_text.iter().zip(text).any(|(a, b)| a != b) {
                            retext.execute(params![id, f.caption, f.tags, f.author, f.reason])?;
                        }
                        (id, old_counts != counts || old_verdict != f.verdict)
                    }
                    None => {
                        insert.execute(params![
                            account.base_url,
                            account.agent_id,
                            f.post_id,
                            raw,
                            f.author,
                            f.caption,
                            f.tags,
                            f.reason,
                            f.published_ms,
                            f.likes,
                            f.medals,
                            f.comments,
                            f.verdict,
                            now
                        ])?;
                        (tx.last_insert_rowid(), true)
                    }
                };
                if changed {
                    timeline.execute(params![id, now, f.likes, f.medals, f.comments, f.verdict])?;
                }
                ids.push(id);
            }
        }
        place_feed_rows(&tx, account, sort, head, &ids)?;
        tx.commit()?;
        Ok(ids.len())
    }

    /// The last feed of `account` for `sort` as kept, first row first, at
    /// most `limit` rows: `latest` newest published first, other sorts in
    /// the order the server gave them.
    pub fn last_feed(
        &self,
        account: &Account,
        sort: &str,
        limit: usize,
    ) -> rusqlite::Result<Vec<PostRow>> {
        let order = if sort == "latest" {
            "p.published_ms DESC, f.seq"
        } else {
            "f.seq"
        };
        let sql = format!(
            "SELECT p.post_id, p.raw, p.first_seen, p.last_seen
             FROM feed_rows f JOIN posts p ON p.id = f.post
             WHERE f.base_url = ?1 AND f.agent_id = ?2 AND f.sort = ?3
             ORDER BY {order} LIMIT ?4"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(
            params![account.base_url, account.agent_id, sort, limit_sql(limit)],
            PostRow::from_row,
        )?;
        rows.collect()
    }

    /// The stored posts of `handle` (a leading `@` is ignored, case does
    /// not matter) for `account`, newest published first, at most `limit`.
    pub fn posts_by_author(
        &self,
        account: &Account,
        handle: &str,
        limit: usize,
    ) -> rusqlite::Result<Vec<PostRow>> {
        let handle = handle.trim().trim_start_matches('@');
        let mut stmt = self.conn.prepare_cached(
            "SELECT post_id, raw, first_seen, last_seen FROM posts
             WHERE base_url = ?1 AND agent_id = ?2 AND author = ?3 COLLATE NOCASE
             ORDER BY published_ms DESC LIMIT ?4",
        )?;
        let rows = stmt.query_map(
            params![account.base_url, account.agent_id, handle, limit_sql(limit)],
            PostRow::from_row,
        )?;
        rows.collect()
    }

    /// The stored post `post_id` of `account` (a history row's post).
    pub fn post(&self, account: &Account, post_id: &str) -> rusqlite::Result<Option<PostRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT post_id, raw, first_seen, last_seen FROM posts
             WHERE base_url = ?1 AND agent_id = ?2 AND post_id = ?3",
        )?;
        stmt.query_row(
            params![account.base_url, account.agent_id, post_id],
            PostRow::from_row,
        )
        .optional()
    }

    /// Every stored post of `account`, oldest first seen first (export).
    pub fn all_posts(&self, account: &Account) -> rusqlite::Result<Vec<PostRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT post_id, raw, first_seen, last_seen FROM posts
             WHERE base_url = ?1 AND agent_id = ?2 ORDER BY first_seen, id",
        )?;
        let rows = stmt.query_map(
            params![account.base_url, account.agent_id],
            PostRow::from_row,
        )?;
        rows.collect()
    }

    /// The counts and verdict of one post each time they changed, oldest
    /// first.
    pub fn timeline(&self, account: &Account, post_id: &str) -> rusqlite::Result<Vec<TimelineRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.at, c.likes, c.medals, c.comments, c.verdict
             FROM post_counts c JOIN posts p ON p.id = c.post
             WHERE p.base_url = ?1 AND p.agent_id = ?2 AND p.post_id = ?3
             ORDER BY c.at, c.rowid",
        )?;
        let rows = stmt.query_map(params![account.base_url, account.agent_id, post_id], |r| {
            Ok(TimelineRow {
                at: r.get(0)?,
                likes: r.get(1)?,
                medals: r.get(2)?,
                comments: r.get(3)?,
                verdict: r.get(4)?,
            })
        })?;
        rows.collect()
    }
}

/// A row limit for SQL (`usize` may not fit an `i64`).
pub(super) fn limit_sql(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}

/// Puts the posts `ids` (in page order) into the kept rows of `sort`: a
/// head page above every kept row, a later page below them; then keeps
/// at most [`FEED_ROWS_KEPT`].
fn place_feed_rows(
    tx: &rusqlite::Transaction<'_>,
    account: &Account,
    sort: &str,
    head: bool,
    ids: &[i64],
) -> rusqlite::Result<()> {
    let n = i64::try_from(ids.len()).unwrap_or(i64::MAX);
    if head {
        // The same head in the same order (a refresh that brought nothing
        // new): nothing to move.
        let mut top = tx.prepare_cached(
            "SELECT post FROM feed_rows WHERE base_url = ?1 AND agent_id = ?2 AND sort = ?3
             ORDER BY seq LIMIT ?4",
        )?;
        let now: Vec<i64> = top
            .query_map(params![account.base_url, account.agent_id, sort, n], |r| {
                r.get(0)
            })?
            .collect::<rusqlite::Result<_>>()?;
        if now == ids {
            return Ok(());
        }
    }
    let (first, last): (Option<i64>, Option<i64>) = tx.query_row(
        "SELECT min(seq), max(seq) FROM feed_rows
         WHERE base_url = ?1 AND agent_id = ?2 AND sort = ?3",
        params![account.base_url, account.agent_id, sort],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let start = if head {
        first.unwrap_or(0).saturating_sub(n)
    } else {
        last.unwrap_or(0).saturating_add(1)
    };
    let mut put = tx.prepare_cached(
        "INSERT INTO feed_rows (base_url, agent_id, sort, seq, post) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (base_url, agent_id, sort, post) DO UPDATE SET seq = excluded.seq",
    )?;
    for (i, id) in ids.iter().enumerate() {
        let seq = start.saturating_add(i64::try_from(i).unwrap_or(i64::MAX));
        put.execute(params![account.base_url, account.agent_id, sort, seq, id])?;
    }
    tx.execute(
        "DELETE FROM feed_rows WHERE base_url = ?1 AND agent_id = ?2 AND sort = ?3
         AND seq > (SELECT seq FROM feed_rows WHERE base_url = ?1 AND agent_id = ?2 AND sort = ?3
                    ORDER BY seq LIMIT 1 OFFSET ?4)",
        params![account.base_url, account.agent_id, sort, FEED_ROWS_KEPT - 1],
    )?;
    Ok(())
}
