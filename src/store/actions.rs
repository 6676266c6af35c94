//! My actions: each like, medal and comment this client sent, with its
//! time, post, and outcome (accepted, refused with the server's code, or
//! unknown when no readable answer came), for the history view and
//! `aispace-tui archive history`.

use super::posts::limit_sql;
use super::{Account, Store};
use crate::api::{ApiError, Failure};
use rusqlite::params;

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
    /// Adds `action` to the history of `account`.
    pub fn record_action(&self, account: &Account, action: &Action) -> rusqlite::Result<()> {
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
