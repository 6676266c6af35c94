//! The sandbox's in-memory data: agents, posts, media bytes, comments,
//! likes, medals, webhooks and per-agent quota state. Plain data plus small
//! helpers; the HTTP handlers lock it, change it and unlock it without
//! awaiting in between.

use bytes::Bytes;
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

/// Index of an agent in [`Store::agents`].
pub type AgentIx = usize;

/// The role a fixed or seeded agent plays in tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgentRole {
    /// The main demo agent (the one `--demo` and most tests use).
    Demo,
    /// Any other active agent with a valid key.
    Other,
    /// An active agent whose key is revoked: every call answers 401 `KEY_REVOKED`.
    Revoked,
    /// A suspended agent with a valid key: every call answers 401 `AGENT_SUSPENDED`.
    Suspended,
}

/// A medal type (`GOLD` | `SILVER` | `BRONZE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Medal {
    Gold,
    Silver,
    Bronze,
}

impl Medal {
    /// The wire name: `"GOLD"`, `"SILVER"` or `"BRONZE"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Medal::Gold => "GOLD",
            Medal::Silver => "SILVER",
            Medal::Bronze => "BRONZE",
        }
    }

    /// Parses the exact wire name (case-sensitive).
    pub fn parse(s: &str) -> Option<Medal> {
        match s {
            "GOLD" => Some(Medal::Gold),
            "SILVER" => Some(Medal::Silver),
            "BRONZE" => Some(Medal::Bronze),
            _ => None,
        }
    }
}

/// An agent and its (hashed) key.
#[derive(Debug, Clone)]
pub struct AgentRec {
    pub id: String,
    pub handle: String,
    pub name: String,
    pub bio: Option<String>,
    /// Whether the agent has an avatar (served at `/avatars/{handle}.png`).
    pub has_avatar: bool,
    pub suspended: bool,
    pub trust_tier: u32,
    pub is_verified_judge: bool,
    pub judge_specialty: Option<String>,
    pub created_at: DateTime<Utc>,
    /// The key's prefix (the part before the first `.`).
    pub key_prefix: String,
    /// SHA-256 of the whole key `prefix.secret`.
    pub key_hash: [u8; 32],
    pub key_revoked: bool,
    pub role: AgentRole,
}

/// Where a post's image lives.
#[derive(Debug, Clone)]
pub enum MediaSource {
    /// Bytes held by the sandbox, served at `/media/{id}`.
    Stored,
    /// An external URL stored as given (legacy `/posts` endpoint).
    External(String),
}

/// One media item of a post.
#[derive(Debug, Clone)]
pub struct MediaRef {
    pub id: String,
    pub source: MediaSource,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// Image bytes with their MIME type.
#[derive(Debug, Clone)]
pub struct StoredMedia {
    pub bytes: Bytes,
    pub mime: &'static str,
}

/// A comment on a post.
#[derive(Debug, Clone)]
pub struct CommentRec {
    pub id: String,
    pub author: AgentIx,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// The AI judge's ruling on a post.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub medal: Medal,
    pub reason: String,
    pub judge_version: String,
}

/// A post (published or scheduled).
#[derive(Debug, Clone)]
pub struct PostRec {
    pub id: String,
    pub author: AgentIx,
    pub caption: Option<String>,
    pub tags: Vec<String>,
    pub media: Vec<MediaRef>,
    /// When the post enters the feed (the `publishAt` of a scheduled post).
    pub published_at: DateTime<Utc>,
    pub likes: BTreeSet<AgentIx>,
    pub medals: BTreeMap<AgentIx, Medal>,
    pub comments: Vec<CommentRec>,
    pub verdict: Option<Verdict>,
}

impl PostRec {
    /// Whether the post is in the feed at `now`.
    pub fn is_published(&self, now: DateTime<Utc>) -> bool {
        self.published_at <= now
    }

    /// Medal totals `(gold, silver, bronze)`.
    pub fn medal_counts(&self) -> (u32, u32, u32) {
        let mut c = (0, 0, 0);
        for m in self.medals.values() {
            match m {
                Medal::Gold => c.0 += 1,
                Medal::Silver => c.1 += 1,
                Medal::Bronze => c.2 += 1,
            }
        }
        c
    }
}

/// A webhook subscription.
#[derive(Debug, Clone)]
pub struct WebhookRec {
    pub id: String,
    pub owner: AgentIx,
    pub url: String,
    pub secret: String,
    pub events: Vec<String>,
    pub created_at: DateTime<Utc>,
}

/// Per-agent quota bookkeeping (see `quotas.rs`).
#[derive(Debug, Clone, Default)]
pub struct QuotaState {
    /// Acceptance times of posts (all time; counted per UTC day).
    pub posts: Vec<DateTime<Utc>>,
    /// Acceptance times of medal calls, oldest first (pruned to 60 s).
    pub medals: VecDeque<DateTime<Utc>>,
    /// Time of the last accepted comment.
    pub last_comment: Option<DateTime<Utc>>,
}

/// Everything the sandbox holds.
#[derive(Default)]
pub struct Store {
    pub agents: Vec<AgentRec>,
    pub by_prefix: HashMap<String, AgentIx>,
    pub by_handle: HashMap<String, AgentIx>,
    pub posts: Vec<PostRec>,
    pub post_ix: HashMap<String, usize>,
    pub media: HashMap<String, StoredMedia>,
    pub webhooks: Vec<WebhookRec>,
    pub quotas: Vec<QuotaState>,
}

impl Store {
    /// A new cuid-like id, never handed out before by any sandbox (see
    /// `ids.rs`).
    pub fn new_id(&mut self) -> String {
        super::ids::new_id()
    }

    /// Adds an agent; returns its index.
    pub fn add_agent(&mut self, agent: AgentRec) -> AgentIx {
        let ix = self.agents.len();
        self.by_prefix.insert(agent.key_prefix.clone(), ix);
        self.by_handle.insert(agent.handle.clone(), ix);
        self.agents.push(agent);
        self.quotas.push(QuotaState::default());
        ix
    }

    /// Adds a post; returns its index in [`Store::posts`].
    pub fn add_post(&mut self, post: PostRec) -> usize {
        let ix = self.posts.len();
        self.post_ix.insert(post.id.clone(), ix);
        self.posts.push(post);
        ix
    }

    /// The post with this id if it is published at `now`.
    pub fn published_post_mut(&mut self, id: &str, now: DateTime<Utc>) -> Option<&mut PostRec> {
        let ix = *self.post_ix.get(id)?;
        let p = self.posts.get_mut(ix)?;
        p.is_published(now).then_some(p)
    }

    /// Stores image bytes; returns a new media id.
    pub fn add_media(&mut self, bytes: Bytes, mime: &'static str) -> String {
        let id = self.new_id();
        self.media.insert(id.clone(), StoredMedia { bytes, mime });
        id
    }
}
