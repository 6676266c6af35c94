//! The activity simulator (driven by the manual clock through
//! `Sandbox::tick`, no sleeping) and fault injection, over real HTTP.
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use aispace_tui::sandbox::{Faults, Seed};
use common::http::*;
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;

async fn all_items(env: &Env) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cursor = String::new();
    loop {
        let r = env
            .get(
                &format!("/api/agent/feed?limit=50&cursor={cursor}"),
                demo_key(),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        out.extend(r.json["items"].as_array().unwrap().iter().cloned());
        match r.json["nextCursor"].as_str() {
            Some(c) => cursor = c.to_owned(),
            None => return out,
        }
    }
}

fn totals(items: &[Value]) -> (u64, u64, u64) {
    let mut t = (0, 0, 0);
    for i in items {
        let s = &i["stats"];
        t.0 += s["likes"].as_u64().unwrap();
        t.1 += s["comments"].as_u64().unwrap();
        let m = &s["medals"];
        t.2 += m["gold"].as_u64().unwrap()
            + m["silver"].as_u64().unwrap()
            + m["bronze"].as_u64().unwrap();
    }
    t
}

async fn simulate_hour(env: &Env) {
    let sb = &env.run.sandbox;
    sb.tick(env.clock.now());
    for _ in 0..60 {
        env.clock.advance(Duration::from_secs(60));
        sb.tick(env.clock.now());
    }
}

#[tokio::test]
async fn an_hour_of_activity_without_sleeping() {
    let env = start(Seed::Demo).await;
    let before = all_items(&env).await;
    simulate_hour(&env).await;
    let after = all_items(&env).await;
    let new: Vec<&Value> = after
        .iter()
        .filter(|i| i["publishedAt"].as_str().unwrap() > "2026-03-04T12:00:00.000Z")
        .collect();
    assert!(!new.is_empty(), "other agents posted");
    assert!(new.iter().all(|i| i["author"]["handle"] != "demo-agent"));
    let (b, a) = (totals(&before), totals(&after));
    assert!(
        a.0 > b.0 && a.1 > b.1 && a.2 > b.2,
        "likes, comments, medals grew: {b:?} -> {a:?}"
    );
    // The judge ruled on every new post older than 5 s.
    for i in &new {
        if i["publishedAt"].as_str().unwrap() <= "2026-03-04T12:59:55.000Z" {
            assert_eq!(i["aiVerdict"]["judgeVersion"], "isolde-v1", "{i}");
        }
    }
    // The demo agent's quotas are untouched.
    let me = env.get("/api/agent/me", demo_key()).await.json;
    assert_eq!(me["quotas"]["posts"]["used"], 0);
    assert_eq!(me["quotas"]["medals"]["used"], 0);
    // Deterministic: the same ticks give the same feed (the same posts in
    // the same order; their ids differ, ids are unique to each sandbox).
    let env2 = start(Seed::Demo).await;
    simulate_hour(&env2).await;
    let content = |v: &[Value]| {
        v.iter()
            .map(|i| {
                (
                    i["publishedAt"].clone(),
                    i["author"]["handle"].clone(),
                    i["caption"].clone(),
                    i["tags"].clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    let after2 = all_items(&env2).await;
    assert_eq!(content(&after), content(&after2));
    assert_eq!(totals(&after), totals(&after2));
}

async fn verdict(env: &Env, id: &str) -> Value {
    let f = env.get("/api/agent/feed?limit=50", demo_key()).await.json;
    f["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap()["aiVerdict"]
        .clone()
}

#[tokio::test]
async fn the_judge_rules_five_seconds_after_publication() {
    let env = start(Seed::Empty).await;
    let sb = &env.run.sandbox;
    sb.tick(env.clock.now());
    let r = env
        .post(
            "/api/agent/posts",
            demo_key(),
            json!({"imageUrl": "https://cdn.example.com/a.png"}),
        )
        .await;
    let id = r.json["postId"].as_str().unwrap().to_owned();
    env.clock.advance(Duration::from_millis(4999));
    sb.tick(env.clock.now());
    assert!(verdict(&env, &id).await.is_null());
    env.clock.advance(Duration::from_millis(1));
    sb.tick(env.clock.now());
    let v = verdict(&env, &id).await;
    assert_eq!(v["judgeVersion"], "isolde-v1");
    assert!(["GOLD", "SILVER", "BRONZE"].contains(&v["medalType"].as_str().unwrap()));
    assert!(!v["reason"].as_str().unwrap().is_empty());
}

#[tokio::test]
async fn injected_faults() {
    let env = start(Seed::Empty).await;
    let sb = &env.run.sandbox;
    let k = demo_key();
    let id = env.insert("pixel-poet", "p", t0());
    let like = format!("/api/agent/posts/{id}/like");

    sb.set_faults("burst=1,burst-len=2".parse().unwrap());
    assert_error(&env.get("/api/agent/me", k).await, 429, "RATE_LIMITED");
    assert_error(&env.get("/api/agent/me", k).await, 429, "RATE_LIMITED");

    sb.set_faults(Faults {
        error_rate: 1.0,
        ..Faults::default()
    });
    assert_error(&env.get("/api/agent/me", k).await, 500, "INTERNAL");
    // Media and pages are never faulted.
    let feed_media = format!("/p/{id}");
    assert_eq!(
        env.send(env.req(Method::GET, &feed_media, None))
            .await
            .status,
        200
    );

    sb.set_faults(Faults {
        bad_json_rate: 1.0,
        ..Faults::default()
    });
    let r = env.post_empty(&like, k).await;
    assert_eq!(r.status, 200);
    assert!(
        serde_json::from_str::<Value>(&r.text).is_err(),
        "{}",
        r.text
    );

    sb.set_faults(Faults {
        drop_rate: 1.0,
        ..Faults::default()
    });
    let dropped = async {
        let resp = env
            .http
            .get(env.url("/api/agent/me"))
            .bearer_auth(k)
            .send()
            .await?;
        resp.bytes().await
    }
    .await;
    assert!(dropped.is_err());

    sb.set_faults(Faults::default());
    assert_eq!(sb.faults(), Faults::default());
    // The bad-JSON like was processed.
    let f = env.get("/api/agent/feed", k).await.json;
    assert_eq!(f["items"][0]["agentLiked"], true);
}
