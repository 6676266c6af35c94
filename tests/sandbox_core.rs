//! The sandbox's own behaviour over real HTTP: auth, connect/me, feed,
//! likes, votes, comments, quotas at their edges (manual clock), envelopes.
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use aispace_tui::sandbox::{AgentRole, Seed};
use chrono::Duration as CDur;
use common::http::*;
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::time::Duration;

#[tokio::test]
async fn auth_errors_use_the_401_codes() {
    let env = start(Seed::Empty).await;
    let r = env.send(env.req(Method::GET, "/api/agent/me", None)).await;
    assert_error(&r, 401, "AUTH_HEADER_MISSING");
    let r = env
        .send(
            env.req(Method::GET, "/api/agent/me", None)
                .header("Authorization", "Basic abc"),
        )
        .await;
    assert_error(&r, 401, "AUTH_HEADER_MISSING");
    assert_error(
        &env.get("/api/agent/me", "nodot").await,
        401,
        "INVALID_AGENT_KEY",
    );
    assert_error(
        &env.get("/api/agent/me", "unknown.secret").await,
        401,
        "INVALID_AGENT_KEY",
    );
    assert_error(
        &env.get("/api/agent/me", "sbx_demo.wrong").await,
        401,
        "INVALID_AGENT_KEY",
    );
    assert_error(
        &env.get("/api/agent/me", REVOKED_KEY).await,
        401,
        "KEY_REVOKED",
    );
    assert_error(
        &env.get("/api/agent/me", SUSPENDED_KEY).await,
        401,
        "AGENT_SUSPENDED",
    );
    // Auth comes before body validation.
    let r = env
        .send(env.req(Method::POST, "/api/agent/vote", None).body("{bad"))
        .await;
    assert_error(&r, 401, "AUTH_HEADER_MISSING");
    let roles: Vec<AgentRole> = env.run.sandbox.agents().iter().map(|a| a.role).collect();
    assert_eq!(
        roles,
        [
            AgentRole::Demo,
            AgentRole::Other,
            AgentRole::Revoked,
            AgentRole::Suspended
        ]
    );
}

#[tokio::test]
async fn connect_and_me_have_the_page_shapes() {
    let env = start(Seed::Empty).await;
    let r = env.post_empty("/api/agent/connect", demo_key()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let c = &r.json;
    assert_eq!(c["ok"], true);
    assert_eq!(c["api"]["version"], "0.2");
    assert_eq!(c["agent"]["handle"], "demo-agent");
    assert_eq!(c["agent"]["status"], "ACTIVE");
    assert!(c["agent"]["id"].as_str().unwrap().starts_with('c'));
    assert!(is_ts(&c["agent"]["createdAt"]));
    assert_eq!(c["agent"]["judgeSpecialty"], Value::Null);
    assert_eq!(c["agent"]["isVerifiedJudge"], false);
    assert_eq!(
        c["quotas"],
        json!({
            "posts": {"used": 0, "limit": 50, "resetsAt": "2026-03-05T00:00:00.000Z"},
            "medals": {"used": 0, "limit": 10, "window": "60s"},
            "comments": {"cooldown": "10s", "availableAt": null},
        })
    );
    assert_eq!(
        c["actions"],
        json!(["post", "like", "comment", "vote", "feed"])
    );

    let m = env.get("/api/agent/me", demo_key()).await.json;
    assert_eq!(m["ok"], true);
    assert_eq!(m["agentId"], c["agent"]["id"]);
    assert_eq!(m["serverTime"], "2026-03-04T12:00:00.000Z");
    assert_eq!(m["apiVersion"], "0.2");
    assert_eq!(
        m["profileUrl"],
        format!("{}/a/demo-agent", env.run.base_url)
    );
    let avatar = m["avatarUrl"].as_str().unwrap();
    let img = env.http.get(avatar).send().await.unwrap();
    assert_eq!(img.headers()["content-type"], "image/png");
    for k in [
        "handle",
        "name",
        "bio",
        "status",
        "trustTier",
        "isVerifiedJudge",
        "judgeSpecialty",
        "quotas",
    ] {
        assert!(m.get(k).is_some(), "me lacks {k}");
    }
    env.clock.advance(Duration::from_millis(1234));
    let m = env.get("/api/agent/me", demo_key()).await.json;
    assert_eq!(m["serverTime"], "2026-03-04T12:00:01.234Z");
}

#[tokio::test]
async fn feed_items_have_the_page_shape() {
    let env = start(Seed::Demo).await;
    let r = env.get("/api/agent/feed?limit=50", demo_key()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let items = r.json["items"].as_array().unwrap();
    assert_eq!(items.len(), 50);
    assert!(r.json["nextCursor"].is_string());
    let it = &items[0];
    let mut keys: Vec<&str> = it.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "agentLiked",
            "agentMedal",
            "aiVerdict",
            "author",
            "caption",
            "id",
            "media",
            "publishedAt",
            "stats",
            "tags"
        ]
    );
    assert_eq!(it["author"]["type"], "agent");
    assert!(is_ts(&it["publishedAt"]));
    let m = &it["media"][0];
    assert_eq!(m["type"], "IMAGE");
    assert!(m["width"].as_u64().unwrap() > 0);
    let img = env
        .http
        .get(m["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert!(img.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("image/"));
    assert_eq!(it["stats"]["medals"].as_object().unwrap().len(), 3);
    // Ordering: publishedAt desc.
    let times: Vec<&str> = items
        .iter()
        .map(|i| i["publishedAt"].as_str().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]));
    // Verdicts: some null, some set with judgeVersion.
    let all = collect_all(&env, "latest", 50).await;
    assert!(all.len() >= 100);
    assert!(all.iter().any(|i| i["aiVerdict"].is_null()));
    assert!(all
        .iter()
        .any(|i| i["aiVerdict"]["judgeVersion"] == "isolde-v1"));
    assert!(all.iter().any(|i| i["caption"].is_null()));
    let authors: HashSet<&str> = all
        .iter()
        .map(|i| i["author"]["handle"].as_str().unwrap())
        .collect();
    assert!(authors.len() >= 10);
}

async fn collect_all(env: &Env, sort: &str, limit: u32) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/api/agent/feed?sort={sort}&limit={limit}");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let r = env.get(&path, demo_key()).await;
        assert_eq!(r.status, 200, "{}", r.text);
        out.extend(r.json["items"].as_array().unwrap().iter().cloned());
        match r.json["nextCursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => {
                assert!(r.json["nextCursor"].is_null());
                return out;
            }
        }
    }
}

#[tokio::test]
async fn latest_cursor_is_stable_when_new_posts_arrive() {
    let env = start(Seed::Empty).await;
    let t = t0();
    // 25 posts, two of them sharing a publishedAt (id breaks the tie).
    let mut ids = Vec::new();
    for i in 0..25 {
        let at = t - CDur::minutes(i.min(23));
        ids.push(env.insert("pixel-poet", &format!("post {i}"), at));
    }
    let p1 = env.get("/api/agent/feed?limit=10", demo_key()).await.json;
    let c1 = p1["nextCursor"].as_str().unwrap().to_owned();
    // New posts arrive between pages.
    env.clock.advance(Duration::from_secs(5));
    for i in 0..3 {
        env.insert("pixel-poet", &format!("new {i}"), env.clock.now());
    }
    let p2 = env
        .get(&format!("/api/agent/feed?limit=10&cursor={c1}"), demo_key())
        .await
        .json;
    let c2 = p2["nextCursor"].as_str().unwrap().to_owned();
    let p3 = env
        .get(&format!("/api/agent/feed?limit=10&cursor={c2}"), demo_key())
        .await
        .json;
    assert!(p3["nextCursor"].is_null());
    let seen: Vec<String> = [&p1, &p2, &p3]
        .iter()
        .flat_map(|p| p["items"].as_array().unwrap().iter())
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(seen.len(), 25, "no dupes, no gaps");
    let set: HashSet<&String> = seen.iter().collect();
    assert_eq!(set.len(), 25);
    assert!(ids.iter().all(|i| set.contains(i)));
}

#[tokio::test]
async fn rising_orders_by_the_decided_score_and_pins_time() {
    let env = start(Seed::Empty).await;
    let t = t0();
    let old_popular = env.insert("pixel-poet", "old popular", t - CDur::hours(10));
    let fresh = env.insert("pixel-poet", "fresh", t - CDur::minutes(1));
    let mid = env.insert("pixel-poet", "mid", t - CDur::hours(1));
    // old_popular: 3 gold -> (9+1)/(12^1.5)=0.24; fresh: 1/(2.0167^1.5)=0.349;
    // mid: like from demo -> 2/(3^1.5)=0.385.
    let demo = demo_key();
    assert_eq!(
        env.post_empty(&format!("/api/agent/posts/{mid}/like"), demo)
            .await
            .status,
        200
    );
    assert_eq!(
        env.post(
            "/api/agent/vote",
            demo,
            json!({"postId": old_popular, "medalType": "GOLD"})
        )
        .await
        .status,
        200
    );
    // old_popular now (3+1)/12^1.5 = 0.096.
    let r = env
        .get("/api/agent/feed?sort=rising&limit=2", demo)
        .await
        .json;
    let ids: Vec<&str> = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [mid.as_str(), fresh.as_str()]);
    let c = r["nextCursor"].as_str().unwrap().to_owned();
    // A post arriving later is not in later pages of this ranking.
    env.clock.advance(Duration::from_secs(60));
    env.insert("pixel-poet", "later", env.clock.now());
    let r2 = env
        .get(
            &format!("/api/agent/feed?sort=rising&limit=2&cursor={c}"),
            demo,
        )
        .await
        .json;
    let ids2: Vec<&str> = r2["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids2, [old_popular.as_str()]);
    assert!(r2["nextCursor"].is_null());
    // A latest cursor is foreign to rising.
    env.insert("pixel-poet", "x", env.clock.now());
    let l = env.get("/api/agent/feed?limit=1", demo).await.json;
    let lc = l["nextCursor"].as_str().unwrap();
    let r = env
        .get(&format!("/api/agent/feed?sort=rising&cursor={lc}"), demo)
        .await;
    assert_error(&r, 400, "INVALID_CURSOR");
}

#[tokio::test]
async fn feed_query_validation() {
    let env = start(Seed::Demo).await;
    let k = demo_key();
    assert_error(
        &env.get("/api/agent/feed?sort=top", k).await,
        400,
        "INVALID_BODY",
    );
    assert_error(
        &env.get("/api/agent/feed?limit=abc", k).await,
        400,
        "INVALID_BODY",
    );
    assert_error(
        &env.get("/api/agent/feed?limit=2.5", k).await,
        400,
        "INVALID_BODY",
    );
    assert_error(
        &env.get("/api/agent/feed?cursor=garbage", k).await,
        400,
        "INVALID_CURSOR",
    );
    assert_error(
        &env.get("/api/agent/feed?cursor=eyJzIjoibGF0ZXN0In0.0000", k)
            .await,
        400,
        "INVALID_CURSOR",
    );
    let n = |r: &Resp| r.json["items"].as_array().unwrap().len();
    assert_eq!(n(&env.get("/api/agent/feed", k).await), 20);
    assert_eq!(n(&env.get("/api/agent/feed?limit=0", k).await), 1);
    assert_eq!(n(&env.get("/api/agent/feed?limit=500", k).await), 50);
    assert_eq!(
        n(&env.get("/api/agent/feed?sort=rising&limit=7", k).await),
        7
    );
}

#[tokio::test]
async fn scheduled_posts_appear_when_the_clock_passes_publish_at() {
    let env = start(Seed::Empty).await;
    let id = env.insert("pixel-poet", "later", t0() + CDur::minutes(5));
    let feed = env.get("/api/agent/feed", demo_key()).await.json;
    assert_eq!(feed["items"].as_array().unwrap().len(), 0);
    assert_error(
        &env.post_empty(&format!("/api/agent/posts/{id}/like"), demo_key())
            .await,
        404,
        "POST_NOT_FOUND",
    );
    env.clock.advance(Duration::from_secs(300));
    let feed = env.get("/api/agent/feed", demo_key()).await.json;
    assert_eq!(feed["items"][0]["id"], id.as_str());
    assert_eq!(feed["items"][0]["publishedAt"], "2026-03-04T12:05:00.000Z");
}

#[tokio::test]
async fn like_toggles_and_feed_reflects_it() {
    let env = start(Seed::Empty).await;
    let id = env.insert("pixel-poet", "p", t0());
    let path = format!("/api/agent/posts/{id}/like");
    let r = env.post_empty(&path, demo_key()).await;
    assert_eq!(
        r.json,
        json!({"ok": true, "postId": id, "liked": true, "likes": 1})
    );
    let f = env.get("/api/agent/feed", demo_key()).await.json;
    assert_eq!(f["items"][0]["agentLiked"], true);
    assert_eq!(f["items"][0]["stats"]["likes"], 1);
    let f = env.get("/api/agent/feed", OTHER_KEY).await.json;
    assert_eq!(f["items"][0]["agentLiked"], false);
    let r = env.post_empty(&path, demo_key()).await;
    assert_eq!(
        r.json,
        json!({"ok": true, "postId": id, "liked": false, "likes": 0})
    );
    assert_error(
        &env.post_empty("/api/agent/posts/nope/like", demo_key())
            .await,
        404,
        "POST_NOT_FOUND",
    );
}

#[tokio::test]
async fn medal_quota_edges_and_vote_rules() {
    let env = start(Seed::Empty).await;
    let k = demo_key();
    let own = env.insert("demo-agent", "mine", t0());
    let ids: Vec<String> = (0..12)
        .map(|i| env.insert("pixel-poet", &format!("p{i}"), t0()))
        .collect();
    assert_error(
        &env.post(
            "/api/agent/vote",
            k,
            json!({"postId": own, "medalType": "GOLD"}),
        )
        .await,
        403,
        "CANNOT_MEDAL_OWN_POST",
    );
    assert_error(
        &env.post(
            "/api/agent/vote",
            k,
            json!({"postId": "nope", "medalType": "GOLD"}),
        )
        .await,
        404,
        "POST_NOT_FOUND",
    );
    assert_error(
        &env.post(
            "/api/agent/vote",
            k,
            json!({"postId": ids[0], "medalType": "PLATINUM"}),
        )
        .await,
        400,
        "INVALID_BODY",
    );
    assert_error(
        &env.post("/api/agent/vote", k, json!({"postId": ids[0]}))
            .await,
        400,
        "INVALID_BODY",
    );

    // 10 accepted calls, one second apart; the first two on the same post
    // (a type change also counts).
    let r = env
        .post(
            "/api/agent/vote",
            k,
            json!({"postId": ids[0], "medalType": "GOLD"}),
        )
        .await;
    assert_eq!(
        r.json,
        json!({"ok": true, "postId": ids[0], "medalType": "GOLD", "aiMedals": {"gold": 1, "silver": 0, "bronze": 0}})
    );
    env.clock.advance(Duration::from_secs(1));
    let r = env
        .post(
            "/api/agent/vote",
            k,
            json!({"postId": ids[0], "medalType": "SILVER"}),
        )
        .await;
    assert_eq!(
        r.json["aiMedals"],
        json!({"gold": 0, "silver": 1, "bronze": 0})
    );
    for id in &ids[1..9] {
        env.clock.advance(Duration::from_secs(1));
        let r = env
            .post(
                "/api/agent/vote",
                k,
                json!({"postId": id, "medalType": "BRONZE"}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    // 10 calls at t0+0..t0+9; now t0+9.5: the 11th is refused until t0+60.
    env.clock.advance(Duration::from_millis(500));
    let me = env.get("/api/agent/me", k).await.json;
    assert_eq!(me["quotas"]["medals"]["used"], 10);
    let r = env
        .post(
            "/api/agent/vote",
            k,
            json!({"postId": ids[9], "medalType": "GOLD"}),
        )
        .await;
    assert_error(&r, 429, "RATE_LIMITED");
    assert_eq!(r.json["retryAfterSeconds"], 51);
    env.clock.advance(Duration::from_millis(50_499));
    let r = env
        .post(
            "/api/agent/vote",
            k,
            json!({"postId": ids[9], "medalType": "GOLD"}),
        )
        .await;
    assert_error(&r, 429, "RATE_LIMITED");
    assert_eq!(r.json["retryAfterSeconds"], 1);
    env.clock.advance(Duration::from_millis(1));
    let r = env
        .post(
            "/api/agent/vote",
            k,
            json!({"postId": ids[9], "medalType": "GOLD"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // Window now holds t0+1..t0+9 and t0+60: full again until t0+61.
    let r = env
        .post(
            "/api/agent/vote",
            k,
            json!({"postId": ids[10], "medalType": "GOLD"}),
        )
        .await;
    assert_error(&r, 429, "RATE_LIMITED");
    assert_eq!(r.json["retryAfterSeconds"], 1);
    // The feed shows the agent's medal and the same totals.
    let f = env.get("/api/agent/feed?limit=50", k).await.json;
    let item = f["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == ids[0].as_str())
        .unwrap()
        .clone();
    assert_eq!(item["agentMedal"], "SILVER");
    assert_eq!(
        item["stats"]["medals"],
        json!({"gold": 0, "silver": 1, "bronze": 0})
    );
}

#[tokio::test]
async fn comments_validate_and_cool_down() {
    let env = start(Seed::Empty).await;
    let k = demo_key();
    let id = env.insert("pixel-poet", "p", t0());
    let path = format!("/api/agent/posts/{id}/comments");
    assert_error(
        &env.post(&path, k, json!({"body": "   "})).await,
        400,
        "INVALID_BODY",
    );
    assert_error(
        &env.post(&path, k, json!({"body": "x".repeat(2001)})).await,
        400,
        "INVALID_BODY",
    );
    assert_error(&env.post(&path, k, json!({})).await, 400, "INVALID_BODY");
    assert_error(
        &env.post("/api/agent/posts/nope/comments", k, json!({"body": "hi"}))
            .await,
        404,
        "POST_NOT_FOUND",
    );
    let r = env
        .post(
            &path,
            k,
            json!({"body": format!("  {}  ", "é".repeat(2000))}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let c = &r.json["comment"];
    assert_eq!(c["postId"], id.as_str());
    assert_eq!(c["body"].as_str().unwrap().chars().count(), 2000);
    assert_eq!(c["createdAt"], "2026-03-04T12:00:00.000Z");
    assert_eq!(c["author"]["handle"], "demo-agent");
    assert_eq!(c["author"]["type"], "agent");
    env.clock.advance(Duration::from_millis(2500));
    let me = env.get("/api/agent/me", k).await.json;
    assert_eq!(
        me["quotas"]["comments"]["availableAt"],
        "2026-03-04T12:00:10.000Z"
    );
    let r = env.post(&path, k, json!({"body": "again"})).await;
    assert_error(&r, 429, "RATE_LIMITED");
    assert_eq!(r.json["retryAfterSeconds"], 8);
    // Another agent is not affected.
    assert_eq!(
        env.post(&path, OTHER_KEY, json!({"body": "me too"}))
            .await
            .status,
        200
    );
    env.clock.advance(Duration::from_millis(7500));
    let me = env.get("/api/agent/me", k).await.json;
    assert_eq!(me["quotas"]["comments"]["availableAt"], Value::Null);
    assert_eq!(
        env.post(&path, k, json!({"body": "again"})).await.status,
        200
    );
    let f = env.get("/api/agent/feed", k).await.json;
    assert_eq!(f["items"][0]["stats"]["comments"], 3);
}

#[tokio::test]
async fn axum_rejections_come_back_in_the_envelope() {
    let env = start(Seed::Empty).await;
    let k = demo_key();
    let bad_json = env
        .send(
            env.req(Method::POST, "/api/agent/vote", Some(k))
                .header("content-type", "application/json")
                .body("{nope"),
        )
        .await;
    assert_error(&bad_json, 400, "INVALID_BODY");
    let no_ct = env
        .send(env.req(Method::POST, "/api/agent/vote", Some(k)).body("{}"))
        .await;
    assert_error(&no_ct, 400, "INVALID_BODY");
    let wrong_ct = env
        .send(
            env.req(Method::POST, "/api/agent/vote", Some(k))
                .header("content-type", "text/plain")
                .body("{}"),
        )
        .await;
    assert_error(&wrong_ct, 400, "INVALID_BODY");
    let not_obj = env.post("/api/agent/vote", k, json!([1, 2])).await;
    assert_error(&not_obj, 400, "INVALID_BODY");
    let unknown = env.get("/api/agent/nothing-here", k).await;
    assert_error(&unknown, 404, "NOT_FOUND");
    let wrong_method = env.get("/api/agent/vote", k).await;
    assert_error(&wrong_method, 405, "METHOD_NOT_ALLOWED");
    let huge = env
        .send(
            env.req(Method::POST, "/api/agent/vote", Some(k))
                .header("content-type", "application/json")
                .body(vec![b' '; 200_000]),
        )
        .await;
    assert_eq!(huge.json["ok"], false, "{}", huge.text);
}
