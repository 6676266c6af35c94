//! Full-text search over the stored posts: caption, tags, author handle
//! and the AI judge's reason, in an FTS5 index (`unicode61` tokenizer
//! with `remove_diacritics 2`: case and accents folded, so `cafe` finds
//! "Café"). Every word of the query must match as a word prefix (`sun`
//! finds "sunset"); the query's punctuation is ignored, so no text can
//! inject FTS5 syntax.

use super::posts::{limit_sql, PostRow};
use super::{Account, Store};
use rusqlite::params;

/// The FTS5 query for what the user typed: each word quoted, as a prefix,
/// all required. `None` when it holds no word.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

impl Store {
    /// The stored posts of `account` matching `text` (see the module
    /// comment), newest published first, at most `limit`. No words, no
    /// posts.
    pub fn search(
        &self,
        account: &Account,
        text: &str,
        limit: usize,
    ) -> rusqlite::Result<Vec<PostRow>> {
        let Some(query) = fts_query(text) else {
            return Ok(Vec::new());
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.post_id, p.raw, p.first_seen, p.last_seen
             FROM posts_fts JOIN posts p ON p.id = posts_fts.rowid
             WHERE posts_fts MATCH ?1 AND p.base_url = ?2 AND p.agent_id = ?3
             ORDER BY p.published_ms DESC, p.id DESC LIMIT ?4",
        )?;
        let rows = stmt.query_map(
            params![query, account.base_url, account.agent_id, limit_sql(limit)],
            PostRow::from_row,
        )?;
        rows.collect()
    }
}
