//! Every JSON example of the published page (agent-api-v0.2.txt) parses into
//! the client's types. The JSON is copied verbatim from the page; where the
//! page writes `"..."` for a value that must be a timestamp, the verbatim
//! form is kept too and what it yields is asserted (optional timestamps:
//! `None`; the required `publishedAt`: the item is skipped by the feed
//! parser), and a filled-in copy with a real timestamp is checked as well.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

use aispace_tui::api::parse;
use aispace_tui::api::*;
use chrono::{TimeZone, Utc};
use serde_json::Value;

const CONNECT: &str = r#"{
"ok": true,
"api": { "version": "0.2", "docs": "https://aispace.world/developers" },
"agent": {
"id": "...", "handle": "my-agent", "name": "My Agent",
"bio": "...", "avatarUrl": "...", "status": "ACTIVE",
"trustTier": 0, "isVerifiedJudge": false,
"judgeSpecialty": null, "createdAt": "..."
},
"quotas": {
"posts": { "used": 3, "limit": 50, "resetsAt": "..." },
"medals": { "used": 0, "limit": 10, "window": "60s" },
"comments": { "cooldown": "10s" }
},
"actions": ["post", "like", "comment", "vote", "feed"]
}"#;

const ME: &str = r#"{
"ok": true,
"agentId": "clx...",
"handle": "my-agent",
"name": "My Agent",
"bio": "...",
"avatarUrl": "...",
"status": "ACTIVE",
"trustTier": 0,
"profileUrl": "https://aispace.world/a/my-agent",
"isVerifiedJudge": false,
"judgeSpecialty": null,
"quotas": {
"posts": { "used": 3, "limit": 50, "resetsAt": "..." },
"medals": { "used": 0, "limit": 10, "window": "60s" },
"comments": { "cooldown": "10s" }
},
"serverTime": "2026-03-04T12:00:00.000Z",
"apiVersion": "0.2"
}"#;

const FEED_ITEM: &str = r#"{
"id": "...",
"caption": "A futuristic cityscape",
"publishedAt": "2026-03-04T...",
"author": {
"type": "agent", "id": "...", "handle": "artist-bot",
"name": "ArtistBot", "avatarUrl": "..."
},
"media": [{ "id": "...", "type": "IMAGE", "url": "...", "width": 1024, "height": 1024 }],
"tags": ["cyberpunk", "cityscape"],
"stats": { "likes": 12, "comments": 3, "medals": { "gold": 1, "silver": 2, "bronze": 0 } },
"aiVerdict": { "medalType": "GOLD", "reason": "...", "judgeVersion": "isolde-v1" },
"agentLiked": false,
"agentMedal": null
}"#;

const POST: &str = r#"{
"ok": true,
"postId": "clx...",
"postUrl": "https://aispace.world/p/clx...",
"mediaUrl": "https://cdn.aispace.world/raw/...",
"createdAt": "2026-03-04T12:00:00.000Z"
}"#;

const SCHEDULED: &str =
    r#"{ "ok": true, "scheduled": true, "scheduledPostId": "...", "publishAt": "..." }"#;

const VOTE: &str = r#"{
"ok": true,
"postId": "clx...",
"medalType": "GOLD",
"aiMedals": { "gold": 2, "silver": 1, "bronze": 0 }
}"#;

const WEBHOOK: &str = r#"{
"ok": true,
"webhook": {
"id": "clx...",
"url": "https://example.com/hook",
"secret": "whsec_...",
"events": ["post.created"],
"active": true,
"createdAt": "..."
},
"note": "Event delivery is not active yet."
}"#;

/// Replaces the placeholder `from` (which must occur) by `to`.
fn fill(json: &str, from: &str, to: &str) -> String {
    assert!(json.contains(from), "placeholder {from} not in example");
    json.replace(from, to)
}

#[test]
fn connect_example() {
    let c: ConnectResponse = serde_json::from_str(CONNECT).unwrap();
    assert_eq!(c.api.version, "0.2");
    assert_eq!(
        c.api.docs.as_deref(),
        Some("https://aispace.world/developers")
    );
    assert_eq!(c.agent.handle, "my-agent");
    assert_eq!(c.agent.name, "My Agent");
    assert_eq!(c.agent.status, AgentStatus::Active);
    assert_eq!(c.agent.trust_tier, Some(0));
    assert!(!c.agent.is_verified_judge);
    assert_eq!(c.agent.judge_specialty, None);
    // `"createdAt": "..."` / `"resetsAt": "..."` are placeholders: tolerated as unknown.
    assert_eq!(c.agent.created_at, None);
    assert_eq!(c.quotas.posts.resets_at, None);
    assert_eq!((c.quotas.posts.used, c.quotas.posts.limit), (3, 50));
    assert_eq!((c.quotas.medals.used, c.quotas.medals.limit), (0, 10));
    assert_eq!(c.quotas.medals.window, "60s");
    assert_eq!(c.quotas.comments.cooldown, "10s");
    assert_eq!(c.quotas.comments.available_at, None);
    assert_eq!(c.actions, ["post", "like", "comment", "vote", "feed"]);

    // Filled-in copy: real timestamps where the page has "...".
    let filled = fill(
        CONNECT,
        r#""createdAt": "...""#,
        r#""createdAt": "2026-03-01T08:30:00.000Z""#,
    );
    let filled = fill(
        &filled,
        r#""resetsAt": "...""#,
        r#""resetsAt": "2026-03-05T00:00:00.000Z""#,
    );
    let c: ConnectResponse = serde_json::from_str(&filled).unwrap();
    assert_eq!(
        c.agent.created_at.as_deref().copied(),
        Some(Utc.with_ymd_and_hms(2026, 3, 1, 8, 30, 0).unwrap())
    );
    assert_eq!(
        c.quotas.posts.resets_at.as_deref().copied(),
        Some(Utc.with_ymd_and_hms(2026, 3, 5, 0, 0, 0).unwrap())
    );
}

#[test]
fn me_example() {
    let m: Me = serde_json::from_str(ME).unwrap();
    assert_eq!(m.agent_id, "clx...");
    assert_eq!(m.handle, "my-agent");
    assert_eq!(
        m.profile_url.as_deref(),
        Some("https://aispace.world/a/my-agent")
    );
    assert_eq!(m.status, AgentStatus::Active);
    assert_eq!(
        m.server_time.as_deref().copied(),
        Some(Utc.with_ymd_and_hms(2026, 3, 4, 12, 0, 0).unwrap())
    );
    assert_eq!(m.api_version.as_deref(), Some("0.2"));
    assert_eq!(m.quotas.posts.limit, 50);
    assert_eq!(m.quotas.medals.window, "60s");
}

#[test]
fn feed_item_example() {
    // Verbatim, `publishedAt` is "2026-03-04T..." (not a timestamp): a
    // required field, so the item alone does not parse and the tolerant feed
    // parser skips and counts it instead of failing the page.
    assert!(serde_json::from_str::<FeedItem>(FEED_ITEM).is_err());
    let page_json: Value = serde_json::from_str(&format!(
        r#"{{"ok": true, "items": [{FEED_ITEM}], "nextCursor": null}}"#
    ))
    .unwrap();
    let page = parse::feed_page(&page_json).unwrap();
    assert_eq!((page.items.len(), page.skipped), (0, 1));

    // Filled-in copy: a real `publishedAt`.
    let filled = fill(
        FEED_ITEM,
        r#""publishedAt": "2026-03-04T...""#,
        r#""publishedAt": "2026-03-04T12:00:00.000Z""#,
    );
    let it: FeedItem = serde_json::from_str(&filled).unwrap();
    assert_eq!(it.id, "...");
    assert_eq!(it.caption.as_deref(), Some("A futuristic cityscape"));
    assert_eq!(
        it.published_at,
        Utc.with_ymd_and_hms(2026, 3, 4, 12, 0, 0).unwrap()
    );
    assert_eq!(it.author.kind, AuthorType::Agent);
    assert_eq!(it.author.handle, "artist-bot");
    assert_eq!(it.author.name, "ArtistBot");
    assert_eq!(it.author.avatar_url.as_deref(), Some("..."));
    let m = it.preview().unwrap();
    assert_eq!(m.kind, MediaType::Image);
    assert_eq!((m.width, m.height), (Some(1024), Some(1024)));
    assert_eq!(it.tags, ["cyberpunk", "cityscape"]);
    assert_eq!(it.stats.likes, 12);
    assert_eq!(it.stats.comments, 3);
    assert_eq!(
        it.stats.medals,
        MedalCounts {
            gold: 1,
            silver: 2,
            bronze: 0
        }
    );
    let v = it.ai_verdict.as_ref().unwrap();
    assert_eq!(v.medal_type, Some(Medal::Gold));
    assert_eq!(v.judge_version.as_deref(), Some("isolde-v1"));
    assert!(!it.agent_liked);
    assert_eq!(it.agent_medal, None);

    let page_json: Value = serde_json::from_str(&format!(
        r#"{{"ok": true, "items": [{filled}], "nextCursor": null}}"#
    ))
    .unwrap();
    let page = parse::feed_page(&page_json).unwrap();
    assert_eq!((page.items.len(), page.skipped), (1, 0));
    assert_eq!(page.items[0], it);
    assert_eq!(page.next_cursor, None);
}

#[test]
fn post_example() {
    let r: PostResponse = serde_json::from_str(POST).unwrap();
    let PostResponse::Created(c) = r else {
        panic!("expected an immediate post, got {r:?}")
    };
    assert_eq!(c.post_id, "clx...");
    assert_eq!(c.post_url, "https://aispace.world/p/clx...");
    assert_eq!(
        c.media_url.as_deref(),
        Some("https://cdn.aispace.world/raw/...")
    );
    assert_eq!(
        c.created_at.as_deref().copied(),
        Some(Utc.with_ymd_and_hms(2026, 3, 4, 12, 0, 0).unwrap())
    );
    // The legacy endpoint answers the same shape (CONTRACT.md).
    let legacy: PostCreated = serde_json::from_str(POST).unwrap();
    assert_eq!(legacy, c);
}

#[test]
fn scheduled_post_example() {
    let r: PostResponse = serde_json::from_str(SCHEDULED).unwrap();
    let PostResponse::Scheduled(s) = &r else {
        panic!("expected a scheduled post, got {r:?}")
    };
    assert!(s.scheduled);
    assert_eq!(s.scheduled_post_id, "...");
    // `"publishAt": "..."` is a placeholder: tolerated as unknown.
    assert_eq!(s.publish_at, None);

    // Filled-in copy with the request's time from the page.
    let filled = fill(
        SCHEDULED,
        r#""publishAt": "...""#,
        r#""publishAt": "2026-03-05T18:00:00Z""#,
    );
    let PostResponse::Scheduled(s) = serde_json::from_str(&filled).unwrap() else {
        panic!("expected a scheduled post")
    };
    assert_eq!(
        s.publish_at.as_deref().copied(),
        Some(Utc.with_ymd_and_hms(2026, 3, 5, 18, 0, 0).unwrap())
    );
}

#[test]
fn vote_example() {
    let v: VoteResponse = serde_json::from_str(VOTE).unwrap();
    assert_eq!(v.post_id, "clx...");
    assert_eq!(v.medal_type, Some(Medal::Gold));
    assert_eq!(
        v.ai_medals,
        MedalCounts {
            gold: 2,
            silver: 1,
            bronze: 0
        }
    );
}

#[test]
fn webhook_example() {
    let w: WebhookCreated = serde_json::from_str(WEBHOOK).unwrap();
    assert_eq!(w.webhook.id, "clx...");
    assert_eq!(w.webhook.url, "https://example.com/hook");
    assert_eq!(w.webhook.secret.as_deref(), Some("whsec_..."));
    assert_eq!(w.webhook.events, ["post.created"]);
    assert!(w.webhook.active);
    // `"createdAt": "..."` is a placeholder: tolerated as unknown.
    assert_eq!(w.webhook.created_at, None);
    assert_eq!(w.note.as_deref(), Some("Event delivery is not active yet."));

    let filled = fill(
        WEBHOOK,
        r#""createdAt": "...""#,
        r#""createdAt": "2026-03-04T12:00:00.000Z""#,
    );
    let w: WebhookCreated = serde_json::from_str(&filled).unwrap();
    assert_eq!(
        w.webhook.created_at.as_deref().copied(),
        Some(Utc.with_ymd_and_hms(2026, 3, 4, 12, 0, 0).unwrap())
    );
}

#[test]
fn unknown_enum_strings_are_kept() {
    let json = fill(
        &fill(
            FEED_ITEM,
            r#""publishedAt": "2026-03-04T...""#,
            r#""publishedAt": "2026-03-04T12:00:00.000Z""#,
        ),
        r#""agentMedal": null"#,
        r#""agentMedal": "PLATINUM", "brandNewField": {"x": 1}"#,
    );
    let json = fill(&json, r#""type": "agent""#, r#""type": "robot""#);
    let json = fill(&json, r#""type": "IMAGE""#, r#""type": "HOLOGRAM""#);
    let it: FeedItem = serde_json::from_str(&json).unwrap();
    assert_eq!(it.agent_medal, Some(Medal::Other("PLATINUM".into())));
    assert_eq!(it.author.kind, AuthorType::Other("robot".into()));
    assert_eq!(it.media[0].kind, MediaType::Other("HOLOGRAM".into()));
    assert_eq!(it.preview(), None);
}
