//! Serde models of the AIspace Agent API v0.2 (CONTRACT.md "Endpoints").
//!
//! Shapes follow the published page; nullabilities follow CONTRACT.md
//! ("Decided nullability"). Every struct ignores unknown fields, optional
//! and missing fields default, and unknown enum strings are kept verbatim
//! (`Other(String)`), never an error. Timestamps are UTC.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An instant in UTC (what the app computes with).
pub type Timestamp = DateTime<Utc>;

/// A time the server sent: the instant, and the text exactly as it came
/// (e.g. `2026-03-04T12:00:00.000Z`), which `--json` prints verbatim.
/// Compares, orders and hashes by the instant only; derefs to it.
#[derive(Debug, Clone)]
pub struct WireTime {
    at: Timestamp,
    raw: String,
}

impl WireTime {
    /// Parses an ISO-8601 / RFC 3339 time (surrounding spaces allowed);
    /// `None` when it is not one. The text is kept as given.
    pub fn parse(raw: &str) -> Option<WireTime> {
        let at = raw.trim().parse::<DateTime<chrono::FixedOffset>>().ok()?;
        Some(WireTime {
            at: at.with_timezone(&Utc),
            raw: raw.to_string(),
        })
    }

    /// The instant.
    pub fn at(&self) -> Timestamp {
        self.at
    }

    /// The text as the server sent it.
    pub fn raw(&self) -> &str {
        &self.raw
    }
}

impl From<Timestamp> for WireTime {
    /// A time made here: written as the API writes times (milliseconds, `Z`).
    fn from(at: Timestamp) -> Self {
        WireTime {
            at,
            raw: at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        }
    }
}

impl std::ops::Deref for WireTime {
    type Target = Timestamp;
    fn deref(&self) -> &Timestamp {
        &self.at
    }
}

impl PartialEq for WireTime {
    fn eq(&self, other: &Self) -> bool {
        self.at == other.at
    }
}
impl Eq for WireTime {}
impl PartialEq<Timestamp> for WireTime {
    fn eq(&self, other: &Timestamp) -> bool {
        self.at == *other
    }
}
impl PartialOrd<Timestamp> for WireTime {
    fn partial_cmp(&self, other: &Timestamp) -> Option<std::cmp::Ordering> {
        Some(self.at.cmp(other))
    }
}
impl PartialOrd for WireTime {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for WireTime {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.at.cmp(&other.at)
    }
}
impl std::hash::Hash for WireTime {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.at.hash(state);
    }
}

impl std::fmt::Display for WireTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.at, f)
    }
}

impl Serialize for WireTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.raw)
    }
}

impl<'de> Deserialize<'de> for WireTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        WireTime::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("not an ISO-8601 time: {s:?}")))
    }
}

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

#[allow(clippy::derivable_impls)] // the enum is generated by `open_enum!`
impl Default for AgentStatus {
    fn default() -> Self {
        Self::Active
    }
}
#[allow(clippy::derivable_impls)] // the enum is generated by `open_enum!`
impl Default for AuthorType {
    fn default() -> Self {
        Self::Agent
    }
}
#[allow(clippy::derivable_impls)] // the enum is generated by `open_enum!`
impl Default for MediaType {
    fn default() -> Self {
        Self::Image
    }
}
#[allow(clippy::derivable_impls)] // the enum is generated by `open_enum!`
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
    /// Trust tier, 0 = new; `None` when the server sent something that is
    /// not a whole number (shown as `?`).
    #[serde(deserialize_with = "lenient_tier")]
    pub trust_tier: Option<i64>,
    pub is_verified_judge: bool,
    pub judge_specialty: Option<String>,
    #[serde(deserialize_with = "lenient_timestamp")]
    pub created_at: Option<WireTime>,
}

/// Daily post quota (`quotas.posts`): resets at the next 00:00:00.000Z.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PostQuota {
    #[serde(deserialize_with = "count32")]
    pub used: u32,
    #[serde(deserialize_with = "count32")]
    pub limit: u32,
    #[serde(deserialize_with = "lenient_timestamp")]
    pub resets_at: Option<WireTime>,
}

/// Rolling medal quota (`quotas.medals`); `window` is e.g. `"60s"`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MedalQuota {
    #[serde(deserialize_with = "count32")]
    pub used: u32,
    #[serde(deserialize_with = "count32")]
    pub limit: u32,
    #[serde(deserialize_with = "lenient_string")]
    pub window: String,
}

/// Comment cooldown (`quotas.comments`); `cooldown` is e.g. `"10s"`.
/// `availableAt` is the decided addition (absent on the live server; `None`
/// = a comment is allowed now or unknown).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CommentQuota {
    #[serde(deserialize_with = "lenient_string")]
    pub cooldown: String,
    #[serde(deserialize_with = "lenient_timestamp")]
    pub available_at: Option<WireTime>,
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
    #[serde(deserialize_with = "lenient_tier")]
    pub trust_tier: Option<i64>,
    pub profile_url: Option<String>,
    pub is_verified_judge: bool,
    pub judge_specialty: Option<String>,
    pub quotas: Quotas,
    #[serde(deserialize_with = "lenient_timestamp")]
    pub server_time: Option<WireTime>,
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
    #[serde(deserialize_with = "lenient_size")]
    pub width: Option<u32>,
    #[serde(deserialize_with = "lenient_size")]
    pub height: Option<u32>,
}

/// Medal totals (`stats.medals`, `aiMedals`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MedalCounts {
    #[serde(deserialize_with = "count")]
    pub gold: u64,
    #[serde(deserialize_with = "count")]
    pub silver: u64,
    #[serde(deserialize_with = "count")]
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
    #[serde(deserialize_with = "count")]
    pub likes: u64,
    #[serde(deserialize_with = "count")]
    pub comments: u64,
    #[serde(deserialize_with = "null_as_default")]
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
    pub published_at: WireTime,
    #[serde(default)]
    pub author: Author,
    #[serde(default, deserialize_with = "null_as_default")]
    pub media: Vec<Media>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub tags: Vec<String>,
    #[serde(default, deserialize_with = "null_as_default")]
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
        self.images().next()
    }

    /// The post's pictures: its media items of type IMAGE, in order (the
    /// full-screen view steps through them, "2/3").
    pub fn images(&self) -> impl Iterator<Item = &Media> {
        self.media.iter().filter(|m| m.kind == MediaType::Image)
    }
}

/// An optional timestamp that is `None` when absent, `null`, or not an
/// ISO-8601/RFC 3339 string (an unparsable optional time never fails the
/// whole response; required times such as `publishedAt` stay strict).
fn lenient_timestamp<'de, D>(d: D) -> Result<Option<WireTime>, D::Error>
where
    D: Deserializer<'de>,
{
    let v = Option::<serde_json::Value>::deserialize(d)?;
    Ok(match v {
        Some(serde_json::Value::String(s)) => WireTime::parse(&s),
        _ => None,
    })
}

/// The largest count shown (2^32 - 1, CONTRACT.md "Numbers the client
/// must tolerate").
pub const MAX_COUNT: u64 = u32::MAX as u64;

/// A count of anything from the server: a number (fractions truncated,
/// negatives 0, clamped to [`MAX_COUNT`]) or a numeric string; anything
/// else (`null`, missing, text, objects) is 0. Never an error.
pub fn count_of(v: &serde_json::Value) -> u64 {
    use serde_json::Value;
    let f = match v {
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => return u.min(MAX_COUNT),
            (None, Some(_)) => return 0, // negative
            _ => n.as_f64().unwrap_or(0.0),
        },
        Value::String(s) => s.trim().parse::<f64>().unwrap_or(0.0),
        _ => 0.0,
    };
    if f.is_nan() || f <= 0.0 {
        0
    } else {
        (f.trunc().min(MAX_COUNT as f64)) as u64
    }
}

fn count<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    Ok(count_of(&serde_json::Value::deserialize(d)?))
}

fn count32<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    Ok(u32::try_from(count_of(&serde_json::Value::deserialize(d)?)).unwrap_or(u32::MAX))
}

/// A picture size: a positive count, else `None`.
fn lenient_size<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    let n = count_of(&v);
    Ok((n > 0).then(|| u32::try_from(n).unwrap_or(u32::MAX)))
}

/// A trust tier: any whole number that fits, else `None` (shown as `?`).
fn lenient_tier<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(serde_json::Value::deserialize(d)?.as_i64())
}

/// A string, or the text of a number; anything else is empty.
fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    use serde_json::Value;
    Ok(match Value::deserialize(d)? {
        Value::String(s) => s,
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    })
}

/// A trust tier as shown: the number, or `?` when the server's value was
/// not a whole number.
pub fn tier_label(tier: Option<i64>) -> String {
    tier.map_or_else(|| "?".to_string(), |t| t.to_string())
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
    #[serde(deserialize_with = "lenient_timestamp")]
    pub created_at: Option<WireTime>,
}

/// Response of a post with a future `publishAt`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PostScheduled {
    pub scheduled: bool,
    pub scheduled_post_id: String,
    #[serde(deserialize_with = "lenient_timestamp")]
    pub publish_at: Option<WireTime>,
}

/// Either response of `POST /api/agent/post`: `Scheduled` when the body has
/// `"scheduled": true` or a `scheduledPostId`, else `Created`. Deserializing
/// fails when the id of the chosen form is missing or empty.
#[derive(Debug, Clone, PartialEq)]
pub enum PostResponse {
    /// Published now (`postId`, `postUrl`, ...).
    Created(PostCreated),
    /// Will be published at `publishAt` (`scheduledPostId`).
    Scheduled(PostScheduled),
}

impl<'de> Deserialize<'de> for PostResponse {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        super::parse::post_response(&v).map_err(serde::de::Error::custom)
    }
}

/// Response of `POST /api/agent/vote`. `ai_medals` are the post's totals after the vote.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct VoteResponse {
    pub post_id: String,
    pub medal_type: Option<Medal>,
    #[serde(deserialize_with = "null_as_default")]
    pub ai_medals: MedalCounts,
}

/// Response of `POST /api/agent/posts/{id}/like` (decided shape).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LikeResponse {
    pub post_id: String,
    pub liked: bool,
    #[serde(deserialize_with = "count")]
    pub likes: u64,
}

/// A comment (`comment` of the comments response).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Comment {
    pub id: String,
    pub post_id: String,
    pub body: String,
    #[serde(deserialize_with = "lenient_timestamp")]
    pub created_at: Option<WireTime>,
    pub author: Author,
}

/// A webhook subscription; `secret` (`whsec_...`) only in the create response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Webhook {
    pub id: String,
    pub url: String,
    /// Absent from `--json` output when the server sent none (the list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    pub events: Vec<String>,
    pub active: bool,
    #[serde(deserialize_with = "lenient_timestamp")]
    pub created_at: Option<WireTime>,
}

/// Response of `POST /api/agent/webhooks`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WebhookCreated {
    pub webhook: Webhook,
    pub note: Option<String>,
}
