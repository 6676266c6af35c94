//! The sandbox's uploads (JSON URL mode, multipart, legacy), SSRF refusal,
//! size and type limits, scheduled posts, the post quota, and webhooks, over
//! real HTTP.
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use aispace_tui::sandbox::Seed;
use common::http::*;
use reqwest::multipart::{Form, Part};
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;

fn asset(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/assets/images/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

async fn multipart(env: &Env, form: Form) -> Resp {
    env.send(
        env.req(Method::POST, "/api/agent/post", Some(demo_key()))
            .multipart(form),
    )
    .await
}

fn file_part(bytes: Vec<u8>, name: &str) -> Part {
    Part::bytes(bytes).file_name(name.to_owned())
}

async fn feed_item(env: &Env, id: &str) -> Value {
    let f = env.get("/api/agent/feed?limit=50", demo_key()).await.json;
    f["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .cloned()
        .unwrap_or(Value::Null)
}

#[tokio::test]
async fn url_mode_fetches_and_serves_the_image() {
    let env = start_with(Seed::Empty, true).await;
    let src = env
        .run
        .sandbox
        .insert_post("pixel-poet", None, &[], t0(), Some(&asset("coffee.webp")))
        .unwrap();
    let src_url = feed_item(&env, &src).await["media"][0]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = env
        .post(
            "/api/agent/post",
            demo_key(),
            json!({"imageUrl": src_url, "caption": "hello 🌸", "tags": ["aiart", "#scifi", "aiart"]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let mut keys: Vec<&str> = r
        .json
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    keys.sort();
    assert_eq!(keys, ["createdAt", "mediaUrl", "ok", "postId", "postUrl"]);
    let id = r.json["postId"].as_str().unwrap();
    assert_eq!(r.json["postUrl"], format!("{}/p/{id}", env.run.base_url));
    assert_eq!(r.json["createdAt"], "2026-03-04T12:00:00.000Z");
    let media = env
        .http
        .get(r.json["mediaUrl"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(media.headers()["content-type"], "image/webp");
    assert_eq!(media.bytes().await.unwrap().to_vec(), asset("coffee.webp"));
    let page = env
        .http
        .get(r.json["postUrl"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("hello 🌸"));
    let item = feed_item(&env, id).await;
    assert_eq!(item["tags"], json!(["aiart", "scifi"]));
    assert_eq!(item["media"][0]["width"], 600);
    assert_eq!(item["media"][0]["height"], 400);
    assert_eq!(item["author"]["handle"], "demo-agent");

    // Fetch failures and non-images.
    let missing = format!("{}/media/nope", env.run.base_url);
    assert_error(
        &env.post("/api/agent/post", demo_key(), json!({"imageUrl": missing}))
            .await,
        422,
        "IMAGE_FETCH_FAILED",
    );
    let html = format!("{}/a/demo-agent", env.run.base_url);
    assert_error(
        &env.post("/api/agent/post", demo_key(), json!({"imageUrl": html}))
            .await,
        415,
        "UNSUPPORTED_MEDIA_TYPE",
    );
}

#[tokio::test]
async fn url_mode_refuses_private_targets() {
    let env = start(Seed::Empty).await;
    let port = env.run.addr.port();
    for url in [
        format!("http://127.0.0.1:{port}/media/x"),
        format!("http://localhost:{port}/media/x"),
        "http://[::1]/a.png".to_owned(),
        "http://10.0.0.1/a.png".to_owned(),
        "http://169.254.169.254/latest/meta-data".to_owned(),
        "http://0.0.0.0/a.png".to_owned(),
        "http://[::ffff:192.168.0.1]/a.png".to_owned(),
        "ftp://example.com/a.png".to_owned(),
        "file:///etc/passwd".to_owned(),
    ] {
        let r = env
            .post("/api/agent/post", demo_key(), json!({"imageUrl": url}))
            .await;
        assert_error(&r, 400, "FORBIDDEN_URL");
    }
    // Nothing was counted.
    let me = env.get("/api/agent/me", demo_key()).await.json;
    assert_eq!(me["quotas"]["posts"]["used"], 0);
    // Every address was seen and refused before a connection.
    let log = env.run.sandbox.fetch_log();
    assert!(log.len() >= 6, "{log:?}");
    assert!(log.iter().all(|r| !r.allowed), "{log:?}");
}

#[tokio::test]
async fn a_public_only_sandbox_never_connects_to_a_refused_address() {
    // A real listener on loopback: a public-only sandbox must refuse its
    // URL without opening a connection to it. A connection would be in the
    // listener's queue before the answer came back (the fetch is awaited
    // inside the request), so an empty queue right after proves it.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let target = format!("http://{}/a.png", listener.local_addr().unwrap());
    let env = start(Seed::Empty).await;
    let r = env
        .post("/api/agent/post", demo_key(), json!({"imageUrl": target}))
        .await;
    assert_error(&r, 400, "FORBIDDEN_URL");
    assert!(
        tokio::time::timeout(Duration::from_millis(100), listener.accept())
            .await
            .is_err(),
        "the sandbox connected to a refused address"
    );
    // The same listener is reached by a loopback sandbox (so the check
    // above can see a connection when there is one).
    let open = start_with(Seed::Empty, true).await;
    let accepted = tokio::spawn(async move {
        let (conn, _) = listener.accept().await.unwrap();
        drop(conn); // hung up at once: the fetch fails
    });
    let r = open
        .post("/api/agent/post", demo_key(), json!({"imageUrl": target}))
        .await;
    assert_error(&r, 422, "IMAGE_FETCH_FAILED");
    tokio::time::timeout(Duration::from_secs(30), accepted)
        .await
        .expect("the loopback sandbox connected")
        .unwrap();
}

#[tokio::test]
async fn loopback_mode_fetches_from_loopback_only_and_logs_every_address() {
    let env = start_with(Seed::Empty, true).await;
    let src = env
        .run
        .sandbox
        .insert_post("pixel-poet", None, &[], t0(), Some(&asset("rocket.jpg")))
        .unwrap();
    let own = feed_item(&env, &src).await["media"][0]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = env
        .post("/api/agent/post", demo_key(), json!({"imageUrl": own}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let log = env.run.sandbox.fetch_log();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0].addr, env.run.addr);
    assert!(log[0].allowed);
    // Private, link-local, CGNAT and public addresses: all refused before
    // any connection (IP literals: nothing is looked up either).
    let refused = [
        "http://10.0.0.1/a.png",
        "http://172.16.5.4/a.png",
        "http://192.168.1.1/a.png",
        "http://169.254.169.254/latest/meta-data",
        "http://100.64.0.1/a.png",
        "http://[fe80::1]/a.png",
        "http://[fd12::1]/a.png",
        "http://[::ffff:10.1.1.1]/a.png",
        "http://0.0.0.0/a.png",
        "http://8.8.8.8/a.png",
        "https://[2606:4700::1111]/a.png",
    ];
    for url in refused {
        let r = env
            .post("/api/agent/post", demo_key(), json!({"imageUrl": url}))
            .await;
        assert_error(&r, 400, "FORBIDDEN_URL");
    }
    let log = env.run.sandbox.fetch_log();
    assert_eq!(log.len(), 1 + refused.len(), "{log:?}");
    assert!(log[1..].iter().all(|r| !r.allowed), "{log:?}");
    assert!(log[1..].iter().all(|r| !is_loopback(r.addr.ip())));
    let me = env.get("/api/agent/me", demo_key()).await.json;
    assert_eq!(me["quotas"]["posts"]["used"], 1);
}

#[tokio::test]
async fn multipart_mode_reads_real_images_and_tag_forms() {
    let env = start(Seed::Empty).await;
    let cases = [
        ("rocket.jpg", 640, 427),
        ("horse.png", 400, 328),
        ("coffee.webp", 600, 400),
        ("chelsea-progressive.jpg", 451, 300),
    ];
    for (name, w, h) in cases {
        // The file name lies about the type: magic bytes decide.
        let form = Form::new()
            .part("file", file_part(asset(name), "x.gif"))
            .text("caption", name);
        let r = multipart(&env, form).await;
        assert_eq!(r.status, 200, "{name}: {}", r.text);
        let item = feed_item(&env, r.json["postId"].as_str().unwrap()).await;
        assert_eq!(
            (
                item["media"][0]["width"].as_u64(),
                item["media"][0]["height"].as_u64()
            ),
            (Some(w), Some(h)),
            "{name}"
        );
        assert_eq!(item["caption"], name);
        env.clock.advance(Duration::from_secs(1));
    }
    let tag_forms: [(Form, Value); 3] = [
        (
            Form::new().text("tags", "aiart").text("tags", "scifi"),
            json!(["aiart", "scifi"]),
        ),
        (
            Form::new().text("tags", r#"["aiart","scifi"]"#),
            json!(["aiart", "scifi"]),
        ),
        (
            Form::new().text("tags", "aiart, scifi,"),
            json!(["aiart", "scifi"]),
        ),
    ];
    for (form, want) in tag_forms {
        let r = multipart(
            &env,
            form.part("file", file_part(asset("horse.png"), "h.png")),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text);
        let item = feed_item(&env, r.json["postId"].as_str().unwrap()).await;
        assert_eq!(item["tags"], want);
        assert!(item["caption"].is_null());
    }
}

#[tokio::test]
async fn input_modes_and_limits() {
    let env = start(Seed::Empty).await;
    let k = demo_key();
    assert_error(
        &env.post("/api/agent/post", k, json!({"caption": "x"}))
            .await,
        400,
        "IMAGE_URL_REQUIRED",
    );
    assert_error(
        &env.post("/api/agent/post", k, json!({"imageUrl": 5})).await,
        400,
        "INVALID_BODY",
    );
    assert_error(
        &env.post("/api/agent/post", k, json!("str")).await,
        400,
        "INVALID_BODY",
    );
    let text = env
        .send(
            env.req(Method::POST, "/api/agent/post", Some(k))
                .body("imageUrl=x"),
        )
        .await;
    assert_error(&text, 400, "INVALID_BODY");
    assert_error(
        &multipart(&env, Form::new().text("caption", "no file")).await,
        400,
        "FILE_REQUIRED",
    );
    let both = Form::new()
        .part("file", file_part(asset("horse.png"), "h.png"))
        .text("imageUrl", "https://example.com/a.png");
    assert_error(&multipart(&env, both).await, 400, "AMBIGUOUS_INPUT");
    let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec();
    assert_error(
        &multipart(&env, Form::new().part("file", file_part(gif, "a.png"))).await,
        415,
        "UNSUPPORTED_MEDIA_TYPE",
    );
    let mut big = asset("horse.png");
    big.resize(6 * 1024 * 1024, 0);
    assert_error(
        &multipart(&env, Form::new().part("file", file_part(big, "big.png"))).await,
        413,
        "UPLOAD_TOO_LARGE",
    );
    // Exactly 5 MB is allowed (valid magic, unreadable rest: no dimensions).
    let mut max = asset("horse.png");
    max.resize(5 * 1024 * 1024, 0);
    let r = multipart(&env, Form::new().part("file", file_part(max, "max.png"))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let me = env.get("/api/agent/me", k).await.json;
    assert_eq!(me["quotas"]["posts"]["used"], 1);
}

#[tokio::test]
async fn scheduled_posts_and_publish_at_validation() {
    let env = start(Seed::Empty).await;
    let form = |at: &str| {
        Form::new()
            .part("file", file_part(asset("rocket.jpg"), "r.jpg"))
            .text("publishAt", at.to_owned())
    };
    assert_error(
        &multipart(&env, form("2026-03-04T11:59:59Z")).await,
        400,
        "INVALID_BODY",
    );
    assert_error(
        &multipart(&env, form("tomorrow")).await,
        400,
        "INVALID_BODY",
    );
    let r = multipart(&env, form("2026-03-04T18:00:00+02:00")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let id = r.json["scheduledPostId"].as_str().unwrap().to_owned();
    assert_eq!(
        r.json,
        json!({"ok": true, "scheduled": true, "scheduledPostId": id, "publishAt": "2026-03-04T16:00:00.000Z"})
    );
    assert_eq!(
        env.get("/api/agent/me", demo_key()).await.json["quotas"]["posts"]["used"],
        1
    );
    assert!(feed_item(&env, &id).await.is_null());
    env.clock.advance(Duration::from_secs(4 * 3600));
    let item = feed_item(&env, &id).await;
    assert_eq!(item["publishedAt"], "2026-03-04T16:00:00.000Z");
}

#[tokio::test]
async fn legacy_endpoint_and_the_daily_post_quota() {
    let env = start(Seed::Empty).await;
    let k = demo_key();
    assert_error(
        &env.post("/api/agent/posts", k, json!({"caption": "x"}))
            .await,
        400,
        "IMAGE_URL_REQUIRED",
    );
    for i in 0..50 {
        let url = format!("https://cdn.example.com/{i}.png");
        let r = env
            .post(
                "/api/agent/posts",
                k,
                json!({"imageUrl": url, "caption": "legacy"}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.json["mediaUrl"], url.as_str());
        assert!(r.json["postUrl"]
            .as_str()
            .unwrap()
            .ends_with(r.json["postId"].as_str().unwrap()));
        env.clock.advance(Duration::from_secs(1));
    }
    let item = &env.get("/api/agent/feed?limit=1", k).await.json["items"][0];
    assert_eq!(item["media"][0]["url"], "https://cdn.example.com/49.png");
    assert!(item["media"][0]["width"].is_null());
    let me = env.get("/api/agent/me", k).await.json;
    assert_eq!(
        me["quotas"]["posts"],
        json!({"used": 50, "limit": 50, "resetsAt": "2026-03-05T00:00:00.000Z"})
    );
    let r = env
        .post(
            "/api/agent/posts",
            k,
            json!({"imageUrl": "https://cdn.example.com/x.png"}),
        )
        .await;
    assert_error(&r, 429, "RATE_LIMITED");
    assert_eq!(r.json["retryAfterSeconds"], 12 * 3600 - 50);
    let r = multipart(
        &env,
        Form::new().part("file", file_part(asset("horse.png"), "h.png")),
    )
    .await;
    assert_error(&r, 429, "RATE_LIMITED");
    // The other agent has its own quota.
    assert_eq!(
        env.post(
            "/api/agent/posts",
            OTHER_KEY,
            json!({"imageUrl": "https://cdn.example.com/y.png"})
        )
        .await
        .status,
        200
    );
    env.clock.advance(Duration::from_secs(12 * 3600 - 51));
    assert_error(
        &env.post(
            "/api/agent/posts",
            k,
            json!({"imageUrl": "https://cdn.example.com/x.png"}),
        )
        .await,
        429,
        "RATE_LIMITED",
    );
    env.clock.advance(Duration::from_secs(1));
    let r = env
        .post(
            "/api/agent/posts",
            k,
            json!({"imageUrl": "https://cdn.example.com/x.png"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let me = env.get("/api/agent/me", k).await.json;
    assert_eq!(me["quotas"]["posts"]["used"], 1);
    assert_eq!(
        me["quotas"]["posts"]["resetsAt"],
        "2026-03-06T00:00:00.000Z"
    );
}

#[tokio::test]
async fn webhooks_lifecycle() {
    let env = start(Seed::Empty).await;
    let k = demo_key();
    let r = env
        .post(
            "/api/agent/webhooks",
            k,
            json!({"url": "https://example.com/hook", "events": ["post.created"]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["note"], "Event delivery is not active yet.");
    let w = &r.json["webhook"];
    assert!(w["secret"].as_str().unwrap().starts_with("whsec_"));
    assert_eq!(w["events"], json!(["post.created"]));
    assert_eq!(w["active"], true);
    assert_eq!(w["createdAt"], "2026-03-04T12:00:00.000Z");
    let first = w["id"].as_str().unwrap().to_owned();
    // All events when none given; loopback http allowed.
    let r = env
        .post(
            "/api/agent/webhooks",
            k,
            json!({"url": "http://127.0.0.1:9/hook"}),
        )
        .await;
    assert_eq!(
        r.json["webhook"]["events"],
        json!([
            "post.created",
            "post.medaled",
            "post.liked",
            "post.commented"
        ])
    );
    assert_error(
        &env.post(
            "/api/agent/webhooks",
            k,
            json!({"url": "http://example.com/hook"}),
        )
        .await,
        400,
        "INVALID_BODY",
    );
    assert_error(
        &env.post("/api/agent/webhooks", k, json!({})).await,
        400,
        "INVALID_BODY",
    );
    assert_error(
        &env.post(
            "/api/agent/webhooks",
            k,
            json!({"url": "https://e.com", "events": ["post.deleted"]}),
        )
        .await,
        400,
        "INVALID_BODY",
    );
    for _ in 0..3 {
        assert_eq!(
            env.post("/api/agent/webhooks", k, json!({"url": "https://e.com/h"}))
                .await
                .status,
            200
        );
    }
    assert_error(
        &env.post("/api/agent/webhooks", k, json!({"url": "https://e.com/h"}))
            .await,
        409,
        "WEBHOOK_LIMIT",
    );
    let list = env.get("/api/agent/webhooks", k).await.json;
    assert_eq!(list["ok"], true);
    let hooks = list["webhooks"].as_array().unwrap();
    assert_eq!(hooks.len(), 5);
    assert!(hooks.iter().all(|h| h.get("secret").is_none()));
    assert_eq!(
        env.get("/api/agent/webhooks", OTHER_KEY).await.json["webhooks"],
        json!([])
    );
    let path = format!("/api/agent/webhooks/{first}");
    assert_error(
        &env.send(env.req(Method::DELETE, &path, Some(OTHER_KEY)))
            .await,
        404,
        "WEBHOOK_NOT_FOUND",
    );
    let r = env.send(env.req(Method::DELETE, &path, Some(k))).await;
    assert_eq!(r.json, json!({"ok": true}));
    assert_error(
        &env.send(env.req(Method::DELETE, &path, Some(k))).await,
        404,
        "WEBHOOK_NOT_FOUND",
    );
    assert_eq!(
        env.post("/api/agent/webhooks", k, json!({"url": "https://e.com/h"}))
            .await
            .status,
        200
    );
}
