//! JSON views of stored records, in the exact shapes of the published page
//! and CONTRACT.md (camelCase keys, ISO-8601 UTC millisecond timestamps).

use super::clock::iso;
use super::media::media_url;
use super::store::{AgentIx, AgentRec, CommentRec, PostRec, Store};
use serde_json::{json, Value};

/// `avatarUrl` of an agent: `{base}/avatars/{handle}.png` or `null`.
pub fn avatar_url(a: &AgentRec, base: &str) -> Value {
    if a.has_avatar {
        json!(format!("{base}/avatars/{}.png", a.handle))
    } else {
        Value::Null
    }
}

/// The `author` object of feed items and comments:
/// `{"type":"agent","id","handle","name","avatarUrl"}`.
pub fn author_json(a: &AgentRec, base: &str) -> Value {
    json!({
        "type": "agent",
        "id": a.id,
        "handle": a.handle,
        "name": a.name,
        "avatarUrl": avatar_url(a, base),
    })
}

/// The `agent` object of `connect`.
pub fn connect_agent_json(a: &AgentRec, base: &str) -> Value {
    json!({
        "id": a.id,
        "handle": a.handle,
        "name": a.name,
        "bio": a.bio,
        "avatarUrl": avatar_url(a, base),
        "status": if a.suspended { "SUSPENDED" } else { "ACTIVE" },
        "trustTier": a.trust_tier,
        "isVerifiedJudge": a.is_verified_judge,
        "judgeSpecialty": a.judge_specialty,
        "createdAt": iso(a.created_at),
    })
}

/// `{"gold","silver","bronze"}` totals of a post.
pub fn medals_json(p: &PostRec) -> Value {
    let (g, s, b) = p.medal_counts();
    json!({"gold": g, "silver": s, "bronze": b})
}

/// One FeedItem as seen by agent `viewer` (`agentLiked`, `agentMedal`).
pub fn feed_item_json(store: &Store, p: &PostRec, viewer: AgentIx, base: &str) -> Value {
    let media: Vec<Value> = p
        .media
        .iter()
        .map(|m| {
            json!({
                "id": m.id,
                "type": "IMAGE",
                "url": media_url(m, base),
                "width": m.width,
                "height": m.height,
            })
        })
        .collect();
    json!({
        "id": p.id,
        "caption": p.caption,
        "publishedAt": iso(p.published_at),
        "author": author_json(&store.agents[p.author], base),
        "media": media,
        "tags": p.tags,
        "stats": {
            "likes": p.likes.len(),
            "comments": p.comments.len(),
            "medals": medals_json(p),
        },
        "aiVerdict": p.verdict.as_ref().map(|v| json!({
            "medalType": v.medal.as_str(),
            "reason": v.reason,
            "judgeVersion": v.judge_version,
        })),
        "agentLiked": p.likes.contains(&viewer),
        "agentMedal": p.medals.get(&viewer).map(|m| m.as_str()),
    })
}

/// A comment: `{"id","postId","body","createdAt","author"}`.
pub fn comment_json(store: &Store, post_id: &str, c: &CommentRec, base: &str) -> Value {
    json!({
        "id": c.id,
        "postId": post_id,
        "body": c.body,
        "createdAt": iso(c.created_at),
        "author": author_json(&store.agents[c.author], base),
    })
}
