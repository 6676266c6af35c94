//! Full-text search over the stored posts: caption, tags, author handle
//! and the AI judge's reason, in an FTS5 index (`unicode61` tokenizer
//! with `remove_diacritics 2`: case and accents folded, so `cafe` finds
//! "Café"). Every word of the query must match as a word prefix (`sun`
//! finds "sunset"); the query's punctuation is ignored, so no text can
//! inject FTS5 syntax. Text in a script written without spaces (Chinese,
//! Japanese, Korean, Thai) is searched as substrings instead, since the
//! tokenizer keeps a whole run of it as one word.

use super::posts::{limit_sql, PostRow};
use super::{Account, Store};
use rusqlite::params;

/// The FTS5 query for what the user typed: each word quoted, as a prefix,
/// all required. `None` when it holds no word.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = words(text).map(|w| format!("\"{w}\"*")).collect();
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
        if text.chars().any(unspaced_script) {
            return self.search_substrings(account, text, limit);
        }
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

    /// The search for text in scripts written without spaces: each word
    /// must occur anywhere in caption, tags, author or reason (the
    /// tokenizer keeps a whole run such as "夜の東京" as one word, so a
    /// prefix query cannot find "東京" in it). A scan, bounded by `limit`.
    fn search_substrings(
        &self,
        account: &Account,
        text: &str,
        limit: usize,
    ) -> rusqlite::Result<Vec<PostRow>> {
        // Words hold only letters and digits: no LIKE wildcard in them.
        let words: Vec<String> = words(text)
            .take(MAX_SCAN_WORDS)
            .map(|w| format!("%{w}%"))
            .collect();
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = String::from(
            "SELECT post_id, raw, first_seen, last_seen FROM posts
             WHERE base_url = ?1 AND agent_id = ?2",
        );
        for i in 0..words.len() {
            sql.push_str(&format!(
                " AND (caption || ' ' || tags || ' ' || author || ' ' || reason) LIKE ?{}",
                i + 4
            ));
        }
        sql.push_str(" ORDER BY published_ms DESC, id DESC LIMIT ?3");
        let mut stmt = self.conn.prepare(&sql)?;
        let mut params: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(words.len() + 3);
        let limit = limit_sql(limit);
        params.push(&account.base_url);
        params.push(&account.agent_id);
        params.push(&limit);
        for w in &words {
            params.push(w);
        }
        let rows = stmt.query_map(params.as_slice(), PostRow::from_row)?;
        rows.collect()
    }
}

/// Most words a substring search uses (the rest are ignored).
const MAX_SCAN_WORDS: usize = 16;

/// The words of what the user typed (punctuation separates them).
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Scripts written without spaces between words: Han, kana, Hangul
/// syllables, Thai.
fn unspaced_script(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}'   // Hiragana, Katakana
        | '\u{3400}'..='\u{4dbf}' // CJK extension A
        | '\u{4e00}'..='\u{9fff}' // CJK unified ideographs
        | '\u{ac00}'..='\u{d7af}' // Hangul syllables
        | '\u{0e00}'..='\u{0e7f}' // Thai
        | '\u{f900}'..='\u{faff}' // CJK compatibility ideographs
        | '\u{20000}'..='\u{2fa1f}')
}
