//! My actions: each like, medal and comment this client sent, with its
//! time, post, and outcome (accepted, refused with the server's code, or
//! unknown when no readable answer came), for the history view and
//! `aispace-tui archive history`.

use super::posts::limit_sql;
use super::{Account, Store};
use crate::api::{ApiError, Failure};
use rusqlite::{params, OptionalExtension};
use serde_json::Value;

/// What was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    /// A like toggle (the detail says `liked` or `unliked` when known).
    Like,
    /// A medal (the detail is its type, e.g. `GOLD`).
    Medal,
    /// A comment (the detail is its text).
    Comment,
}

impl ActionKind {
    /// The stored name: `like`, `medal`, `comment`.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Like => "like",
            ActionKind::Medal => "medal",
            ActionKind::Comment => "comment",
        }
    }

    fn parse(s: &str) -> ActionKind {
        match s {
            "medal" => ActionKind::Medal,
            "comment" => ActionKind::Comment,
            _ => ActionKind::Like,
        }
    }
}

/// How the server took it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The server said yes.
    Accepted,
    /// The server (or this client, before sending) said no, with this code
    /// (the API's, e.g. `RATE_LIMITED`, or this client's, e.g. `HTTP_404`).
    Refused(String),
    /// No readable answer (no connection, a timeout, a server fault): it
    /// may or may not have happened.
    Unknown,
}

impl Outcome {
    /// The outcome of a request that answered `r`.
    pub fn of<T>(r: &Result<T, ApiError>) -> Outcome {
        match r {
            Ok(_) => Outcome::Accepted,
            Err(e) => match e.failure() {
                Failure::NoAnswer | Failure::Unreadable | Failure::ServerFault => Outcome::Unknown,
                _ => Outcome::Refused(e.code_name()),
            },
        }
    }

    /// `accepted`, `refused`, `unknown`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Accepted => "accepted",
            Outcome::Refused(_) => "refused",
            Outcome::Unknown => "unknown",
        }
    }

    /// The refusal's code.
    pub fn code(&self) -> Option<&str> {
        match self {
            Outcome::Refused(c) => Some(c),
            _ => None,
        }
    }
}

/// One action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// When its answer came (Unix milliseconds).
    pub at: i64,
    pub post_id: String,
    pub kind: ActionKind,
    /// `liked`/`unliked` (or empty when unknown), the medal type, the
    /// comment's text.
    pub detail: String,
    pub outcome: Outcome,
}

impl Store {
    /// Adds `action` to the history of `account`; an accepted one also
    /// changes the stored copy of its post as the server now has it (my
    /// like or medal, the counts), so a view that shows the stored post
    /// between two feed pages never shows, nor acts on, the state before.
    pub fn record_action(&self, account: &Account, action: &Action) -> rusqlite::Result<()> {
        if action.outcome == Outcome::Accepted {
            self.apply_to_post(account, action)?;
        }
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO actions (base_url, agent_id, at, post_id, kind, detail, outcome, code)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        stmt.execute(params![
            account.base_url,
            account.agent_id,
            action.at,
            action.post_id,
            action.kind.as_str(),
            action.detail,
            action.outcome.as_str(),
            action.outcome.code(),
        ])?;
        Ok(())
    }

    fn apply_to_post(&self, account: &Account, action: &Action) -> rusqlite::Result<()> {
        let mut find = self.conn.prepare_cached(
            "SELECT id, raw FROM posts WHERE base_url = ?1 AND agent_id = ?2 AND post_id = ?3",
        )?;
        let found: Option<(i64, String)> = find
            .query_row(
                params![account.base_url, account.agent_id, action.post_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((id, raw)) = found else {
            return Ok(());
        };
        let Ok(mut v) = serde_json::from_str::<Value>(&raw) else {
            return Ok(());
        };
        if apply(&mut v, action.kind, &action.detail) {
            self.conn.execute(
                "UPDATE posts SET raw = ?2 WHERE id = ?1",
                params![id, v.to_string()],
            )?;
        }
        Ok(())
    }

    /// The actions of `account`, newest first, at most `limit`.
    pub fn history(&self, account: &Account, limit: usize) -> rusqlite::Result<Vec<Action>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT at, post_id, kind, detail, outcome, code FROM actions
             WHERE base_url = ?1 AND agent_id = ?2 ORDER BY at DESC, id DESC LIMIT ?3",
        )?;
        let rows = stmt.query_map(
            params![account.base_url, account.agent_id, limit_sql(limit)],
            |r| {
                let outcome: String = r.get(4)?;
                let code: Option<String> = r.get(5)?;
                Ok(Action {
                    at: r.get(0)?,
                    post_id: r.get(1)?,
                    kind: ActionKind::parse(&r.get::<_, String>(2)?),
                    detail: r.get(3)?,
                    outcome: match outcome.as_str() {
                        "accepted" => Outcome::Accepted,
                        "refused" => Outcome::Refused(code.unwrap_or_default()),
                        _ => Outcome::Unknown,
                    },
                })
            },
        )?;
        rows.collect()
    }
}

/// Changes a stored post's JSON by an accepted action of mine: a like sets
/// `agentLiked` (and moves `stats.likes` by one when it flips), a medal
/// sets `agentMedal` (and adds one to its count when it is my first), a
/// comment adds one to `stats.comments`. A post of another shape is left
/// as it is. Whether anything changed.
pub(super) fn apply(post: &mut Value, kind: ActionKind, detail: &str) -> bool {
    let Some(obj) = post.as_object_mut() else {
        return false;
    };
    match kind {
        ActionKind::Like => {
            let liked = match detail {
                "liked" => true,
                "unliked" => false,
                _ => return false,
            };
            let was = obj.get("agentLiked").and_then(Value::as_bool) == Some(true);
            obj.insert("agentLiked".into(), Value::Bool(liked));
            if was != liked {
                bump(obj, &["stats", "likes"], liked);
            }
            true
        }
        ActionKind::Medal => {
            let Some(count) = medal_count(detail) else {
                return false;
            };
            let first = obj.get("agentMedal").is_none_or(Value::is_null);
            obj.insert("agentMedal".into(), Value::String(detail.to_string()));
            if first {
                bump(obj, &["stats", "medals", count], true);
            }
            true
        }
        ActionKind::Comment => {
            bump(obj, &["stats", "comments"], true);
            true
        }
    }
}

/// The `stats.medals` key of a medal type.
fn medal_count(medal: &str) -> Option<&'static str> {
    match medal {
        "GOLD" => Some("gold"),
        "SILVER" => Some("silver"),
        "BRONZE" => Some("bronze"),
        _ => None,
    }
}

/// Adds one to (or takes one from) the count at `path` when it is there
/// and a number; saturating at 0 and `u64::MAX`.
fn bump(obj: &mut serde_json::Map<String, Value>, path: &[&str], up: bool) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut at = obj;
    for key in parents {
        match at.get_mut(*key).and_then(Value::as_object_mut) {
            Some(next) => at = next,
            None => return,
        }
    }
    if let Some(n) = at.get(*last).and_then(Value::as_u64) {
        let n = if up {
            n.saturating_add(1)
        } else {
            n.saturating_sub(1)
        };
        at.insert((*last).to_string(), Value::from(n));
    }
}
