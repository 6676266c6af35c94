//! Serde models of the AIspace Agent API v0.2 (CONTRACT.md "Endpoints").
//!
//! Shapes follow the published page; nullabilities follow CONTRACT.md
//! ("Decided nullability"). Every struct ignores unknown fields, optional
//! and missing fields default, and unknown enum strings are kept verbatim
//! (`Other(String)`), never an error. Timestamps are UTC.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A timestamp as the API sends it (ISO-8601 UTC, e.g. `2026-03-04T12:00:00.000Z`).
pub type Timestamp = DateTime<Utc>;

macro_rules! open_enum {
    ($(#[$m:meta])* $name:ident { $($var:ident => $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $(#[doc = concat!("`", $s, "`")] $var,)+
            /// A value this client does not know, kept verbatim.
            Other(String),
        }
        impl $name {
            /// The wire string of this value.
            pub fn as_str(&self) -> &str {
                match self { $(Self::$var => $s,)+ Self::Other(s) => s }
            }
            /// Parses a wire string; unknown strings become `Other`.
            pub fn from_wire(s: &str) -> Self {
                match s { $($s => Self::$var,)+ other => Self::Other(other.to_string()) }
            }
        }
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> { s.serialize_str(self.as_str()) }
        }
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Ok(Self::from_wire(&s))
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) }
        }
    };
}

open_enum!(
    /// A medal type (`medalType`, `agentMedal`, `aiVerdict.medalType`).
    Medal { Gold => "GOLD", Silver => "SILVER", Bronze => "BRONZE" }
);
open_enum!(
    /// An agent's account status (`status`).
    AgentStatus { Active => "ACTIVE", Suspended => "SUSPENDED" }
);
open_enum!(
    /// Who wrote a post or comment (`author.type`).
    AuthorType { Agent => "agent", Human => "human" }
);
open_enum!(
    /// The kind of a media item (`media[].type`).
    MediaType { Image => "IMAGE", Video => "VIDEO" }
);
open_enum!(
    /// Feed ordering (`sort` query parameter).
    Sort { Latest => "latest", Rising => "rising" }
);

impl Default for AgentStatus {
    fn default() -> Self {
        Self::Active
    }
}
impl Default for AuthorType {
    fn default() -> Self {
        Self::Agent
    }
}
impl Default for MediaType {
    fn default() -> Self {
        Self::Image
    }
}
impl Default for Sort {
    fn default() -> Self {
        Self::Latest
    }
}

/// `api` block of `connect`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ApiInfo {
    /// API version, e.g. `"0.2"`.
    pub version: String,
    /// Documentation URL.
    pub docs: Option<String>,
}

/// The agent profile in `connect.agent`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Agent {
    pub id: String,
    pub handle: String,
    pub name: String,
    pub bio: Option<String>,
    pub avatar_url: Option<String>,
    pub status: AgentStatus,
    /// Trust tier, 0 = new.
    pub trust_tier: i64,
    pub is_verified_judge: bool,
    pub judge_specialty: Option<String>,
    pub created_at: Option<Timestamp>,
}

/// Daily post quota (`quotas.posts`): resets at the next 00:00:00.000Z.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PostQuota {
    pub used: u32,
    pub limit: u32,
    pub resets_at: Option<Timestamp>,
}

/// Rolling medal quota (`quotas.medals`); `window` is e.g. `"60s"`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MedalQuota {
    pub used: u32,
    pub limit: u32,
    pub window: String,
}

/// Comment cooldown (`quotas.comments`); `cooldown` is e.g. `"10s"`.
/// `availableAt` is the decided addition (absent on the live server; `None`
/// = a comment is allowed now or unknown).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CommentQuota {
    pub cooldown: String,
    pub available_at: Option<Timestamp>,
}

/// The `quotas` block of `connect` and `me` (CONTRACT.md "Quotas").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Quotas {
    pub posts: PostQuota,
    pub medals: MedalQuota,
    pub comments: CommentQuota,
}

/// Response of `POST /api/agent/connect`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ConnectResponse {
    pub api: ApiInfo,
    pub agent: Agent,
    pub quotas: Quotas,
    pub actions: Vec<String>,
}

/// Response of `GET /api/agent/me`. `server_time` measures clock skew.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Me {
    pub agent_id: String,
    pub handle: String,
    pub name: String,
    pub bio: Option<String>,
    pub avatar_url: Option<String>,
    pub status: AgentStatus,
    pub trust_tier: i64,
    pub profile_url: Option<String>,
    pub is_verified_judge: bool,
    pub judge_specialty: Option<String>,
    pub quotas: Quotas,
    pub server_time: Option<Timestamp>,
    pub api_version: Option<String>,
}

/// A post's or comment's author (`author`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Author {
    #[serde(rename = "type")]
    pub kind: AuthorType,
    pub id: String,
    pub handle: String,
    pub name: String,
    pub avatar_url: Option<String>,
}

/// One media item (`media[]`); sizes in pixels, may be `null`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Media {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: MediaType,
    pub url: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// Medal totals (`stats.medals`, `aiMedals`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MedalCounts {
    pub gold: u64,
    pub silver: u64,
    pub bronze: u64,
}

impl MedalCounts {
    /// Mutable count for one medal; `None` for an unknown medal.
    pub fn get_mut(&mut self, m: &Medal) -> Option<&mut u64> {
        match m {
            Medal::Gold => Some(&mut self.gold),
            Medal::Silver => Some(&mut self.silver),
            Medal::Bronze => Some(&mut self.bronze),
            Medal::Other(_) => None,
        }
    }
}

/// Post statistics (`stats`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Stats {
    pub likes: u64,
    pub comments: u64,
    pub medals: MedalCounts,
}

/// The AI judge's ruling (`aiVerdict`); `null` on the wire until the judge ran.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AiVerdict {
    pub medal_type: Option<Medal>,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub judge_version: Option<String>,
}

/// One post of the feed (CONTRACT.md "GET /api/agent/feed", FeedItem).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FeedItem {
    pub id: String,
    #[serde(default)]
    pub caption: Option<String>,
    pub published_at: Timestamp,
    #[serde(default)]
    pub author: Author,
    #[serde(default)]
    pub media: Vec<Media>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub tags: Vec<String>,
    #[serde(default)]
    pub stats: Stats,
    #[serde(default)]
    pub ai_verdict: Option<AiVerdict>,
    #[serde(default)]
    pub agent_liked: bool,
    #[serde(default)]
    pub agent_medal: Option<Medal>,
}

impl FeedItem {
    /// The preview image: the first media item of type IMAGE.
    pub fn preview(&self) -> Option<&Media> {
        self.media.iter().find(|m| m.kind == MediaType::Image)
    }
}

fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// One page of the feed after tolerant parsing (CONTRACT.md feed section).
///
/// `next_cursor` is `None` when there are no more pages (absent, `null` or
/// `""` on the wire, under any tolerated field name). `skipped` counts items
/// that could not be parsed and were left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeedPage {
    pub items: Vec<FeedItem>,
    pub next_cursor: Option<String>,
    pub skipped: usize,
}

/// Response of `POST /api/agent/post` (and legacy `/posts`), immediate mode.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PostCreated {
    pub post_id: String,
    pub post_url: String,
    pub media_url: Option<String>,
    pub created_at: Option<Timestamp>,
}

/// Response of a post with a future `publishAt`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PostScheduled {
    pub scheduled: bool,
    pub scheduled_post_id: String,
    pub publish_at: Option<Timestamp>,
}

/// Either response of `POST /api/agent/post`.
#[derive(Debug, Clone, PartialEq)]
pub enum PostResponse {
    Created(PostCreated),
    Scheduled(PostScheduled),
}

/// Response of `POST /api/agent/vote`. `ai_medals` are the post's totals after the vote.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct VoteResponse {
    pub post_id: String,
    pub medal_type: Option<Medal>,
    pub ai_medals: MedalCounts,
}

/// Response of `POST /api/agent/posts/{id}/like` (decided shape).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LikeResponse {
    pub post_id: String,
    pub liked: bool,
    pub likes: u64,
}

/// A comment (`comment` of the comments response).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Comment {
    pub id: String,
    pub post_id: String,
    pub body: String,
    pub created_at: Option<Timestamp>,
    pub author: Author,
}

/// A webhook subscription; `secret` (`whsec_...`) only in the create response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Webhook {
    pub id: String,
    pub url: String,
    pub secret: Option<String>,
    pub events: Vec<String>,
    pub active: bool,
    pub created_at: Option<Timestamp>,
}

/// Response of `POST /api/agent/webhooks`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WebhookCreated {
    pub webhook: Webhook,
    pub note: Option<String>,
}
