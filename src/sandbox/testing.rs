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

    /// Applies the next queued feed change to `items` (feed handler).
    pub(crate) fn apply_feed_tamper(&self, items: &mut Vec<Value>) {
        self.inner
            .tamper
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .apply(items);
    }
}
