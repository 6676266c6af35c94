//! `GET /api/agent/feed` (CONTRACT.md, "GET /api/agent/feed"): sorting
//! (`latest`, `rising` with the decided score), limits, and opaque signed
//! cursors. A latest cursor is a keyset `(publishedAt, id)`, stable when new
//! posts arrive; a rising cursor pins the ranking time of the first page and
//! an offset.

use super::errors::SbError;
use super::store::{PostRec, Store};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::cmp::Ordering;

/// Default page size.
pub const DEFAULT_LIMIT: usize = 20;
/// Largest page size (larger requests are clamped).
pub const MAX_LIMIT: usize = 50;

/// Feed order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Latest,
    Rising,
}

/// A parsed feed query.
#[derive(Debug, Clone)]
pub struct FeedQuery {
    pub sort: Sort,
    pub limit: usize,
    pub cursor: Option<Cursor>,
}

/// A decoded cursor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "s", rename_all = "lowercase")]
pub enum Cursor {
    /// Items strictly after `(t ms, i)` in `(publishedAt desc, id desc)` order.
    Latest { t: i64, i: String },
    /// Ranking pinned at `t` (ms since epoch), next item at offset `o`.
    Rising { t: i64, o: usize },
}

const CURSOR_KEY: &[u8] = b"aispace-sandbox-cursor-v1";

fn sign(payload: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(CURSOR_KEY);
    h.update(payload);
    let d = h.finalize();
    d[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// Encodes a cursor as `base64url(json).signature`.
pub fn encode_cursor(c: &Cursor) -> String {
    let json = serde_json::to_vec(c).unwrap_or_default();
    format!("{}.{}", URL_SAFE_NO_PAD.encode(&json), sign(&json))
}

/// Decodes and verifies a cursor; 400 `INVALID_CURSOR` if it is malformed,
/// not signed by the sandbox, or made for another sort.
pub fn decode_cursor(token: &str, sort: Sort) -> Result<Cursor, SbError> {
    let bad = || {
        SbError::new(
            axum::http::StatusCode::BAD_REQUEST,
            "INVALID_CURSOR",
            "The cursor is malformed or was not issued for this feed",
        )
    };
    let (b64, sig) = token.split_once('.').ok_or_else(bad)?;
    let json = URL_SAFE_NO_PAD.decode(b64).map_err(|_| bad())?;
    if sign(&json) != sig {
        return Err(bad());
    }
    let c: Cursor = serde_json::from_slice(&json).map_err(|_| bad())?;
    match (&c, sort) {
        (Cursor::Latest { .. }, Sort::Latest) | (Cursor::Rising { .. }, Sort::Rising) => Ok(c),
        _ => Err(bad()),
    }
}

fn parse_limit(v: &str) -> Result<usize, SbError> {
    let v = v.trim();
    let bad = || SbError::invalid_body("limit must be an integer (1-50)");
    let digits = v.strip_prefix(['+', '-']).unwrap_or(v);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let n: i128 = v
        .parse()
        .unwrap_or(if v.starts_with('-') { -1 } else { i128::MAX });
    Ok(n.clamp(1, MAX_LIMIT as i128) as usize)
}

/// Parses the raw query string: `sort` (`latest` default, or `rising`; any
/// other value 400 `INVALID_BODY`), `limit` (default 20, clamped to 1..50,
/// non-integer 400 `INVALID_BODY`), `cursor` (empty means none; else
/// verified, 400 `INVALID_CURSOR`).
pub fn parse_query(raw: Option<&str>) -> Result<FeedQuery, SbError> {
    let mut sort = Sort::Latest;
    let mut limit = DEFAULT_LIMIT;
    let mut cursor_raw: Option<String> = None;
    for (k, v) in url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        match &*k {
            "sort" => {
                sort = match &*v {
                    "latest" => Sort::Latest,
                    "rising" => Sort::Rising,
                    _ => return Err(SbError::invalid_body("sort must be latest or rising")),
                }
            }
            "limit" => limit = parse_limit(&v)?,
            "cursor" => cursor_raw = Some(v.into_owned()),
            _ => {}
        }
    }
    let cursor = match cursor_raw.as_deref() {
        None | Some("") => None,
        Some(t) => Some(decode_cursor(t, sort)?),
    };
    Ok(FeedQuery {
        sort,
        limit,
        cursor,
    })
}

/// The decided rising score at time `at`:
/// `(likes + 2*comments + 3*gold + 2*silver + bronze + 1) / (ageHours + 2)^1.5`.
pub fn rising_score(p: &PostRec, at: DateTime<Utc>) -> f64 {
    let (g, s, b) = p.medal_counts();
    let engagement = p.likes.len() as f64
        + 2.0 * p.comments.len() as f64
        + 3.0 * g as f64
        + 2.0 * s as f64
        + b as f64
        + 1.0;
    let age_hours = ((at - p.published_at).num_milliseconds().max(0) as f64) / 3_600_000.0;
    engagement / (age_hours + 2.0).powf(1.5)
}

fn latest_cmp(a: &PostRec, b: &PostRec) -> Ordering {
    b.published_at
        .timestamp_millis()
        .cmp(&a.published_at.timestamp_millis())
        .then_with(|| b.id.cmp(&a.id))
}

/// One page: indices into `store.posts` and the next cursor (`None` on the
/// last page).
pub fn page(store: &Store, q: &FeedQuery, now: DateTime<Utc>) -> (Vec<usize>, Option<Cursor>) {
    match q.sort {
        Sort::Latest => {
            let mut ixs: Vec<usize> = (0..store.posts.len())
                .filter(|&i| store.posts[i].is_published(now))
                .filter(|&i| match &q.cursor {
                    Some(Cursor::Latest { t, i: id }) => {
                        let p = &store.posts[i];
                        let pt = p.published_at.timestamp_millis();
                        pt < *t || (pt == *t && p.id.as_str() < id.as_str())
                    }
                    _ => true,
                })
                .collect();
            ixs.sort_by(|&a, &b| latest_cmp(&store.posts[a], &store.posts[b]));
            let more = ixs.len() > q.limit;
            ixs.truncate(q.limit);
            let next = match (more, ixs.last()) {
                (true, Some(&last)) => {
                    let p = &store.posts[last];
                    Some(Cursor::Latest {
                        t: p.published_at.timestamp_millis(),
                        i: p.id.clone(),
                    })
                }
                _ => None,
            };
            (ixs, next)
        }
        Sort::Rising => {
            let (pin_ms, offset) = match &q.cursor {
                Some(Cursor::Rising { t, o }) => (*t, *o),
                _ => (now.timestamp_millis(), 0),
            };
            let pin = DateTime::<Utc>::from_timestamp_millis(pin_ms).unwrap_or(now);
            let mut scored: Vec<(f64, usize)> = (0..store.posts.len())
                .filter(|&i| store.posts[i].published_at <= pin && store.posts[i].is_published(now))
                .map(|i| (rising_score(&store.posts[i], pin), i))
                .collect();
            scored.sort_by(|a, b| {
                b.0.total_cmp(&a.0)
                    .then_with(|| latest_cmp(&store.posts[a.1], &store.posts[b.1]))
            });
            let total = scored.len();
            let ixs: Vec<usize> = scored
                .into_iter()
                .skip(offset)
                .take(q.limit)
                .map(|(_, i)| i)
                .collect();
            let next_offset = offset + ixs.len();
            let next = (!ixs.is_empty() && next_offset < total).then_some(Cursor::Rising {
                t: pin_ms,
                o: next_offset,
            });
            (ixs, next)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_roundtrip_and_tamper() {
        let c = Cursor::Latest {
            t: 1_700_000_000_000,
            i: "clxabc".into(),
        };
        let tok = encode_cursor(&c);
        assert_eq!(decode_cursor(&tok, Sort::Latest).unwrap(), c);
        assert_eq!(
            decode_cursor(&tok, Sort::Rising).unwrap_err().code,
            "INVALID_CURSOR"
        );
        let mut bad = tok.clone();
        bad.insert(0, 'x');
        assert_eq!(
            decode_cursor(&bad, Sort::Latest).unwrap_err().code,
            "INVALID_CURSOR"
        );
        assert_eq!(
            decode_cursor("garbage", Sort::Latest).unwrap_err().code,
            "INVALID_CURSOR"
        );
    }

    #[test]
    fn limits() {
        assert_eq!(parse_limit("0").unwrap(), 1);
        assert_eq!(parse_limit("-5").unwrap(), 1);
        assert_eq!(parse_limit("51").unwrap(), 50);
        assert_eq!(parse_limit("99999999999999999999999999").unwrap(), 50);
        assert_eq!(parse_limit("7").unwrap(), 7);
        assert!(parse_limit("2.5").is_err());
        assert!(parse_limit("abc").is_err());
        assert!(parse_limit("").is_err());
    }
}
