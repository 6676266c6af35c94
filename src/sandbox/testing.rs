//! Test-only hooks: agents with arbitrary (hostile) handles and names, AI
//! verdicts with arbitrary text, and feed pages tampered with raw JSON items
//! (to test the client's tolerant parsing through the real HTTP path). The
//! sandbox's normal answers are unaffected unless a test asks.

use super::auth::hash_key;
use super::store::{AgentRec, AgentRole, Medal, Verdict};
use super::Sandbox;
use chrono::Duration;
use serde_json::Value;
use std::collections::VecDeque;
use std::sync::PoisonError;

/// How one feed page answer is changed ([`Sandbox::tamper_feed`]).
#[derive(Debug, Clone, PartialEq)]
pub enum FeedTamper {
    /// These raw values are added after the page's items.
    Append(Vec<Value>),
    /// The page's items are replaced by these raw values; `nextCursor` is
    /// kept, so the next page follows as usual.
    Replace(Vec<Value>),
}

/// A raw answer a test puts in place of the sandbox's own
/// ([`Sandbox::script_answers`]): any status, headers and body, to play a
/// hostile or broken server through the real HTTP path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawAnswer {
    /// HTTP status.
    pub status: u16,
    /// Headers (name, value).
    pub headers: Vec<(String, String)>,
    /// The body, verbatim.
    pub body: String,
}

impl RawAnswer {
    /// A JSON body with this status.
    pub fn json(status: u16, body: impl Into<String>) -> RawAnswer {
        RawAnswer {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.into(),
        }
    }

    /// Adds a header.
    pub fn header(mut self, k: &str, v: &str) -> RawAnswer {
        self.headers.push((k.into(), v.into()));
        self
    }
}

/// Scripted answers: (text the request's path and query must contain,
/// answer, answers left) in order; and how many API requests arrived.
#[derive(Debug, Default)]
pub(crate) struct Script {
    entries: VecDeque<(String, RawAnswer, usize)>,
    requests: u64,
}

/// Queued feed tampering, one entry per feed answer.
#[derive(Debug, Default)]
pub(crate) struct TamperQueue(VecDeque<FeedTamper>);

impl TamperQueue {
    /// Applies the next queued change (if any) to a page's `items`.
    pub(crate) fn apply(&mut self, items: &mut Vec<Value>) {
        match self.0.pop_front() {
            Some(FeedTamper::Append(extra)) => items.extend(extra),
            Some(FeedTamper::Replace(raw)) => *items = raw,
            None => {}
        }
    }
}

impl Sandbox {
    /// Test helper: adds an active agent with this handle and display name
    /// (no validation: any text, for hostile-content tests); returns its
    /// key (`prefix.secret`). Errors if the handle is taken.
    pub fn insert_agent(&self, handle: &str, name: &str) -> anyhow::Result<String> {
        let now = self.now();
        self.with_store(|s| {
            if s.by_handle.contains_key(handle) {
                anyhow::bail!("an agent with handle {handle:?} exists");
            }
            let n = s.agents.len();
            let prefix = format!("sbx_t{n:03}");
            let key = format!("{prefix}.test-agent-secret-{n:04}");
            let id = s.new_id();
            s.add_agent(AgentRec {
                id,
                handle: handle.to_owned(),
                name: name.to_owned(),
                bio: None,
                has_avatar: false,
                suspended: false,
                trust_tier: 0,
                is_verified_judge: false,
                judge_specialty: None,
                created_at: now - Duration::days(1),
                key_prefix: prefix,
                key_hash: hash_key(&key),
                key_revoked: false,
                role: AgentRole::Other,
            });
            Ok(key)
        })
    }

    /// Test helper: sets the AI verdict of a post (`medal` is `"GOLD"`,
    /// `"SILVER"` or `"BRONZE"`; reason and judge version any text).
    /// Errors for an unknown post or medal.
    pub fn set_verdict(
        &self,
        post_id: &str,
        medal: &str,
        reason: &str,
        judge_version: &str,
    ) -> anyhow::Result<()> {
        let medal =
            Medal::parse(medal).ok_or_else(|| anyhow::anyhow!("unknown medal {medal:?}"))?;
        self.with_store(|s| {
            let ix = *s
                .post_ix
                .get(post_id)
                .ok_or_else(|| anyhow::anyhow!("no post {post_id:?}"))?;
            s.posts[ix].verdict = Some(Verdict {
                medal,
                reason: reason.to_owned(),
                judge_version: judge_version.to_owned(),
            });
            Ok(())
        })
    }

    /// Test helper: queues changes to the next feed answers, one per
    /// answer, in order (see [`FeedTamper`]).
    pub fn tamper_feed(&self, pages: impl IntoIterator<Item = FeedTamper>) {
        let mut q = self
            .inner
            .tamper
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        q.0.extend(pages);
    }

    /// Test helper: the next `times` API requests whose path and query
    /// contain `needle` get `answer` instead of the sandbox's own (the
    /// request is not processed). Entries are used in the order queued;
    /// `usize::MAX` answers for ever.
    pub fn script_answers(&self, needle: &str, answer: RawAnswer, times: usize) {
        self.with_script(|s| s.entries.push_back((needle.to_owned(), answer, times)));
    }

    /// Test helper: API requests received so far (scripted ones included).
    pub fn api_requests(&self) -> u64 {
        self.with_script(|s| s.requests)
    }

    /// Counts an API request and takes its scripted answer, if any.
    pub(crate) fn scripted_answer(&self, path_and_query: &str) -> Option<RawAnswer> {
        self.with_script(|s| {
            s.requests += 1;
            let i = s.entries.iter().position(|(needle, _, left)| {
                *left > 0 && path_and_query.contains(needle.as_str())
            })?;
            let entry = s.entries.get_mut(i)?;
            entry.2 -= 1;
            let answer = entry.1.clone();
            if entry.2 == 0 {
                s.entries.remove(i);
            }
            Some(answer)
        })
    }

    fn with_script<R>(&self, f: impl FnOnce(&mut Script) -> R) -> R {
        f(&mut self
            .inner
            .script
            .lock()
            .unwrap_or_else(PoisonError::into_inner))
    }

    /// Applies the next queued feed change to `items` (feed handler).
    pub(crate) fn apply_feed_tamper(&self, items: &mut Vec<Value>) {
        self.inner
            .tamper
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .apply(items);
    }
}
