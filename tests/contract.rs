//! Contract tests: `api::Client` against the real sandbox over HTTP
//! (CONTRACT.md). Every endpoint, every error code of the table, quota
//! windows at their edges with the sandbox's manual clock, feed pagination,
//! scheduled posts. Requests the client API cannot make (a missing
//! `imageUrl`, a multipart form without file or with both inputs,
//! malformed JSON) are sent raw with reqwest and their answers are parsed
//! with the client's own error parser.
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use aispace_tui::api::parse::error_from_response;
use aispace_tui::api::*;
use aispace_tui::sandbox::{AgentRole, Clock, RunningSandbox, Seed};
use chrono::{DateTime, Duration as CDur, TimeZone, Utc};
use common::t0;
use std::collections::HashSet;
use std::time::Duration;

struct Env {
    run: RunningSandbox,
    clock: Clock,
}

async fn start_with(seed: Seed, at: DateTime<Utc>, allow_loopback_urls: bool) -> Env {
    let clock = Clock::manual(at);
    let run = common::sandbox(seed, allow_loopback_urls, &clock).await;
    Env { run, clock }
}

/// At the end of every test its sandbox's fetch log must show no
/// connection outside loopback (see `Sandbox::fetch_log`).
impl Drop for Env {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        for r in self.run.sandbox.fetch_log() {
            let ip = r.addr.ip().to_canonical();
            assert!(
                !r.allowed || ip.is_loopback(),
                "the sandbox connected outside loopback: {r:?}"
            );
        }
    }
}

async fn start(seed: Seed) -> Env {
    start_with(seed, t0(), false).await
}

impl Env {
    fn key(&self, role: AgentRole) -> String {
        self.run
            .sandbox
            .agents()
            .into_iter()
            .find(|a| a.role == role)
            .unwrap()
            .key
    }
    fn client_with_key(&self, key: &str) -> Client {
        Client::new(ClientConfig::new(&self.run.base_url).with_key(AgentKey::parse(key).unwrap()))
            .unwrap()
    }
    /// The main demo agent (`demo-agent`).
    fn demo(&self) -> Client {
        self.client_with_key(&self.key(AgentRole::Demo))
    }
    /// Another active agent (`pixel-poet`).
    fn poet(&self) -> Client {
        self.client_with_key("sbx_poet.pixel-poet-secret-0002")
    }
    fn advance_ms(&self, ms: i64) {
        self.clock
            .advance(Duration::from_millis(u64::try_from(ms).unwrap()));
    }
    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
    /// A post by `handle`, published now (inserted directly, no quota).
    fn insert(&self, handle: &str, caption: &str) -> String {
        self.run
            .sandbox
            .insert_post(handle, Some(caption), &[], self.now(), None)
            .unwrap()
    }
    fn url(&self, path: &str) -> String {
        format!("{}{}", self.run.base_url, path)
    }
}

/// An image from the sandbox's embedded assets (the same files as
/// /work/shared/images).
fn image(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/assets/images/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn file(name: &str) -> PostSource {
    PostSource::File {
        name: name.to_string(),
        bytes: image(name),
    }
}

fn caption(c: &str) -> NewPost {
    NewPost {
        caption: Some(c.to_string()),
        ..Default::default()
    }
}

/// All items of the feed, page by page (`limit` per page).
async fn all_pages(c: &Client, sort: &Sort, limit: u32) -> (Vec<FeedItem>, usize) {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let page = c.feed(sort, Some(limit), cursor.as_deref()).await.unwrap();
        assert_eq!(page.skipped, 0, "the sandbox sent a malformed item");
        assert!(page.items.len() <= limit as usize);
        out.extend(page.items);
        pages += 1;
        assert!(pages < 1000, "pagination does not end");
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    (out, pages)
}

async fn find_in_feed(c: &Client, id: &str) -> Option<FeedItem> {
    let (items, _) = all_pages(c, &Sort::Latest, 50).await;
    items.into_iter().find(|i| i.id == id)
}

fn created(r: PostResponse) -> PostCreated {
    match r {
        PostResponse::Created(c) => c,
        other => panic!("expected an immediate post, got {other:?}"),
    }
}

/// Sends a raw request with the key and parses the error answer with the
/// client's parser.
async fn raw_error(rb: reqwest::RequestBuilder, key: &str) -> ApiError {
    let resp = rb.bearer_auth(key).send().await.unwrap();
    let status = resp.status().as_u16();
    let retry = resp
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = resp.bytes().await.unwrap();
    assert!(status >= 400, "expected an error, got {status}");
    error_from_response(status, &body, retry.as_deref(), Quota::Posts)
}

// ------------------------------------------------------------ connect / me / auth

#[tokio::test]
async fn connect_and_me() {
    let env = start(Seed::Empty).await;
    let c = env.demo().connect().await.unwrap();
    assert_eq!(c.api.version, "0.2");
    assert_eq!(c.agent.handle, "demo-agent");
    assert_eq!(c.agent.status, AgentStatus::Active);
    assert!(!c.agent.id.is_empty());
    assert!(c.agent.created_at.is_some());
    assert_eq!((c.quotas.posts.used, c.quotas.posts.limit), (0, 50));
    assert_eq!(
        c.quotas.posts.resets_at.as_deref().copied(),
        Some(Utc.with_ymd_and_hms(2026, 3, 5, 0, 0, 0).unwrap())
    );
    assert_eq!((c.quotas.medals.used, c.quotas.medals.limit), (0, 10));
    assert_eq!(c.quotas.medals.window, "60s");
    assert_eq!(c.quotas.comments.cooldown, "10s");
    assert_eq!(c.quotas.comments.available_at, None);
    assert_eq!(c.actions, ["post", "like", "comment", "vote", "feed"]);

    let me = env.demo().me().await.unwrap();
    assert_eq!(me.agent_id, c.agent.id);
    assert_eq!(me.handle, "demo-agent");
    assert_eq!(me.server_time.as_deref().copied(), Some(t0()));
    assert_eq!(me.api_version.as_deref(), Some("0.2"));
    assert_eq!(
        me.profile_url,
        Some(format!("{}/a/demo-agent", env.run.base_url))
    );
    env.advance_ms(1500);
    let me = env.demo().me().await.unwrap();
    assert_eq!(
        me.server_time.as_deref().copied(),
        Some(t0() + CDur::milliseconds(1500))
    );
}

#[tokio::test]
async fn the_four_401_codes() {
    let env = start(Seed::Empty).await;
    let no_key = Client::new(ClientConfig::new(&env.run.base_url)).unwrap();
    let e = no_key.connect().await.unwrap_err();
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::AuthHeaderMissing,
                status: 401,
                ..
            }
        ),
        "{e:?}"
    );
    for key in ["unknown.secret", "sbx_demo.wrong-secret"] {
        let e = env.client_with_key(key).me().await.unwrap_err();
        assert!(
            matches!(
                e,
                ApiError::Server {
                    code: Code::InvalidAgentKey,
                    status: 401,
                    ..
                }
            ),
            "{key}: {e:?}"
        );
    }
    let e = env
        .client_with_key(&env.key(AgentRole::Revoked))
        .connect()
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::KeyRevoked,
                status: 401,
                ..
            }
        ),
        "{e:?}"
    );
    let e = env
        .client_with_key(&env.key(AgentRole::Suspended))
        .feed(&Sort::Latest, None, None)
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::AgentSuspended,
                status: 401,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.is_auth_error());
}

// ------------------------------------------------------------ feed

#[tokio::test]
async fn latest_feed_pages_through_everything_without_duplicates() {
    let env = start(Seed::Demo).await;
    let c = env.demo();
    let (items, pages) = all_pages(&c, &Sort::Latest, 7).await;
    assert!(items.len() >= 100, "demo seed has {} posts", items.len());
    assert_eq!(pages, items.len().div_ceil(7).max(1));
    let ids: HashSet<&str> = items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids.len(), items.len(), "duplicate ids across pages");
    for w in items.windows(2) {
        assert!(
            (&w[0].published_at, &w[0].id) > (&w[1].published_at, &w[1].id),
            "not ordered by publishedAt desc, id desc"
        );
    }
    // the same set in one go with the largest page
    let (big, _) = all_pages(&c, &Sort::Latest, 50).await;
    assert_eq!(
        big.iter().map(|i| &i.id).collect::<Vec<_>>(),
        items.iter().map(|i| &i.id).collect::<Vec<_>>()
    );
    // every item has an image preview that can be fetched without the key
    let m = items[0].preview().unwrap();
    let bytes = c.fetch_media(&m.url, 5 * 1024 * 1024).await.unwrap();
    assert!(image::guess_format(&bytes).is_ok());
}

#[tokio::test]
async fn latest_cursor_is_stable_when_new_posts_arrive() {
    let env = start(Seed::Demo).await;
    let c = env.demo();
    let first = c.feed(&Sort::Latest, Some(10), None).await.unwrap();
    env.advance_ms(1000);
    env.insert("pixel-poet", "a brand new post");
    let mut seen: Vec<String> = first.items.iter().map(|i| i.id.clone()).collect();
    let mut cursor = first.next_cursor;
    while let Some(cur) = cursor {
        let p = c.feed(&Sort::Latest, Some(10), Some(&cur)).await.unwrap();
        seen.extend(p.items.into_iter().map(|i| i.id));
        cursor = p.next_cursor;
    }
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len());
    // the old posts are all there exactly once: no gap, no duplicate
    let (now_all, _) = all_pages(&c, &Sort::Latest, 50).await;
    assert_eq!(now_all.len(), seen.len() + 1);
}

#[tokio::test]
async fn rising_feed_pages_through_the_same_set() {
    let env = start(Seed::Demo).await;
    let c = env.demo();
    let (rising, _) = all_pages(&c, &Sort::Rising, 9).await;
    let (latest, _) = all_pages(&c, &Sort::Latest, 50).await;
    let r: HashSet<&str> = rising.iter().map(|i| i.id.as_str()).collect();
    let l: HashSet<&str> = latest.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(r.len(), rising.len(), "duplicates in rising");
    assert_eq!(r, l);
}

#[tokio::test]
async fn feed_limits_and_bad_parameters() {
    let env = start(Seed::Demo).await;
    let c = env.demo();
    assert_eq!(
        c.feed(&Sort::Latest, None, None).await.unwrap().items.len(),
        20
    );
    assert_eq!(
        c.feed(&Sort::Latest, Some(500), None)
            .await
            .unwrap()
            .items
            .len(),
        50
    );
    assert_eq!(
        c.feed(&Sort::Latest, Some(0), None)
            .await
            .unwrap()
            .items
            .len(),
        1
    );
    let e = c
        .feed(&Sort::Other("sideways".into()), None, None)
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::InvalidBody,
                status: 400,
                ..
            }
        ),
        "{e:?}"
    );
    let e = c
        .feed(&Sort::Latest, None, Some("not-a-cursor"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::InvalidCursor,
                status: 400,
                ..
            }
        ),
        "{e:?}"
    );
    // a cursor of the other sort is foreign
    let rising = c.feed(&Sort::Rising, Some(5), None).await.unwrap();
    let e = c
        .feed(&Sort::Latest, Some(5), rising.next_cursor.as_deref())
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::InvalidCursor,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(
        e.user_message(),
        "The feed position is no longer valid: reload the feed from the top."
    );
    // a non-integer limit, sent raw
    let e = raw_error(
        reqwest::Client::new().get(env.url("/api/agent/feed?limit=ten")),
        &env.key(AgentRole::Demo),
    )
    .await;
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::InvalidBody,
                ..
            }
        ),
        "{e:?}"
    );
}

// ------------------------------------------------------------ posting

#[tokio::test]
async fn post_by_file_every_format_and_fetch_it_back() {
    let env = start(Seed::Empty).await;
    let c = env.demo();
    for name in ["horse.png", "rocket.jpg", "coffee.webp"] {
        let post = NewPost {
            caption: Some(format!("upload {name}")),
            tags: vec!["aiart".into(), "scifi".into()],
            publish_at: None,
        };
        let r = created(c.post(file(name), &post).await.unwrap());
        assert_eq!(r.post_url, c.post_url(&r.post_id));
        assert_eq!(r.created_at.as_deref().copied(), Some(t0()));
        let item = find_in_feed(&c, &r.post_id).await.unwrap();
        assert_eq!(item.caption, post.caption);
        assert_eq!(item.tags, ["aiart", "scifi"]);
        assert_eq!(item.author.handle, "demo-agent");
        assert_eq!(item.published_at, t0());
        let m = item.preview().unwrap();
        assert_eq!(Some(&m.url), r.media_url.as_ref());
        assert_eq!(
            c.fetch_media(&m.url, 5 * 1024 * 1024).await.unwrap(),
            image(name)
        );
    }
    // the post page exists
    let page = c
        .fetch_media(&c.post_url(&find_any(&c).await), 1 << 20)
        .await
        .unwrap();
    assert!(!page.is_empty());
}

async fn find_any(c: &Client) -> String {
    c.feed(&Sort::Latest, Some(1), None).await.unwrap().items[0]
        .id
        .clone()
}

#[tokio::test]
async fn post_by_url_and_legacy_posts() {
    let env = start_with(Seed::Empty, t0(), true).await;
    let c = env.demo();
    let first = created(c.post(file("horse.png"), &caption("source")).await.unwrap());
    let media = first.media_url.unwrap();
    let r = created(
        c.post(
            PostSource::Url(media.clone()),
            &NewPost {
                caption: Some("by url".into()),
                tags: vec!["a".into()],
                publish_at: None,
            },
        )
        .await
        .unwrap(),
    );
    let item = find_in_feed(&c, &r.post_id).await.unwrap();
    assert_eq!(item.caption.as_deref(), Some("by url"));
    assert_eq!(item.tags, ["a"]);
    assert_eq!(
        c.fetch_media(&item.preview().unwrap().url, 1 << 22)
            .await
            .unwrap(),
        image("horse.png")
    );
    // legacy: stores the URL without fetching; mediaUrl = the given imageUrl
    let url = "https://example.com/never-fetched.png";
    let l = c.post_legacy(url, Some("legacy")).await.unwrap();
    assert_eq!(l.media_url.as_deref(), Some(url));
    let item = find_in_feed(&c, &l.post_id).await.unwrap();
    assert_eq!(item.caption.as_deref(), Some("legacy"));
    assert_eq!(item.preview().unwrap().url, url);
    let me = c.me().await.unwrap();
    assert_eq!(me.quotas.posts.used, 3);
}

#[tokio::test]
async fn post_errors() {
    let env = start(Seed::Empty).await;
    let c = env.demo();
    let key = env.key(AgentRole::Demo);
    let http = reqwest::Client::new();
    let post_url = env.url("/api/agent/post");

    // FORBIDDEN_URL: loopback (the sandbox itself), private, non-http
    for url in [
        env.url("/media/x"),
        "http://10.0.0.1/a.png".to_string(),
        "http://localhost/a.png".to_string(),
        "file:///etc/passwd".to_string(),
    ] {
        let e = c
            .post(PostSource::Url(url.clone()), &NewPost::default())
            .await
            .unwrap_err();
        assert!(
            matches!(
                e,
                ApiError::Server {
                    code: Code::ForbiddenUrl,
                    status: 400,
                    ..
                }
            ),
            "{url}: {e:?}"
        );
    }

    // UNSUPPORTED_MEDIA_TYPE: bytes decide, not the name
    let e = c
        .post(
            PostSource::File {
                name: "fake.png".into(),
                bytes: b"GIF89a not really an image".to_vec(),
            },
            &NewPost::default(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::UnsupportedMediaType,
                status: 415,
                ..
            }
        ),
        "{e:?}"
    );
    // a real PNG under a misleading name is fine
    c.post(
        PostSource::File {
            name: "photo.txt".into(),
            bytes: image("horse.png"),
        },
        &NewPost::default(),
    )
    .await
    .unwrap();

    // UPLOAD_TOO_LARGE: 5 MiB + 1 refused, exactly 5 MiB accepted
    let mut big = image("horse.png");
    big.resize(5 * 1024 * 1024 + 1, 0);
    let e = c
        .post(
            PostSource::File {
                name: "big.png".into(),
                bytes: big.clone(),
            },
            &NewPost::default(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::UploadTooLarge,
                status: 413,
                ..
            }
        ),
        "{e:?}"
    );
    big.truncate(5 * 1024 * 1024);
    c.post(
        PostSource::File {
            name: "max.png".into(),
            bytes: big,
        },
        &NewPost::default(),
    )
    .await
    .unwrap();

    // INVALID_BODY: publishAt in the past
    let e = c
        .post(
            file("horse.png"),
            &NewPost {
                publish_at: Some(t0() - CDur::seconds(1)),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::InvalidBody,
                status: 400,
                ..
            }
        ),
        "{e:?}"
    );

    // IMAGE_URL_REQUIRED: JSON without imageUrl (raw)
    let e = raw_error(
        http.post(&post_url)
            .json(&serde_json::json!({"caption": "no image"})),
        &key,
    )
    .await;
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::ImageUrlRequired,
                status: 400,
                ..
            }
        ),
        "{e:?}"
    );

    // FILE_REQUIRED: multipart without a file part (raw)
    let form = reqwest::multipart::Form::new().text("caption", "no file");
    let e = raw_error(http.post(&post_url).multipart(form), &key).await;
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::FileRequired,
                status: 400,
                ..
            }
        ),
        "{e:?}"
    );

    // AMBIGUOUS_INPUT: a file and an imageUrl (raw; the client cannot send this)
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(image("horse.png"))
                .file_name("horse.png")
                .mime_str("image/png")
                .unwrap(),
        )
        .text("imageUrl", "https://example.com/a.png");
    let e = raw_error(http.post(&post_url).multipart(form), &key).await;
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::AmbiguousInput,
                status: 400,
                ..
            }
        ),
        "{e:?}"
    );

    // INVALID_BODY: malformed JSON (raw)
    let e = raw_error(
        http.post(&post_url)
            .header("content-type", "application/json")
            .body("{not json"),
        &key,
    )
    .await;
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::InvalidBody,
                status: 400,
                ..
            }
        ),
        "{e:?}"
    );

    // none of the refused posts counted
    assert_eq!(c.me().await.unwrap().quotas.posts.used, 2);
}

#[tokio::test]
async fn image_fetch_failed() {
    let env = start_with(Seed::Empty, t0(), true).await;
    let c = env.demo();
    let e = c
        .post(
            PostSource::Url(env.url("/media/does-not-exist")),
            &NewPost::default(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::ImageFetchFailed,
                status: 422,
                ..
            }
        ),
        "{e:?}"
    );
    // nothing listens on this port
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    drop(l);
    let e = c
        .post(
            PostSource::Url(format!("http://127.0.0.1:{port}/a.png")),
            &NewPost::default(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::ImageFetchFailed,
                ..
            }
        ),
        "{e:?}"
    );
    // an HTML page is fetched but is not an image
    let id = env.insert("pixel-poet", "x");
    let e = c
        .post(
            PostSource::Url(env.url(&format!("/p/{id}"))),
            &NewPost::default(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::UnsupportedMediaType,
                status: 415,
                ..
            }
        ),
        "{e:?}"
    );
}

#[tokio::test]
async fn scheduled_post_appears_at_publish_at() {
    let env = start(Seed::Empty).await;
    let c = env.demo();
    let at = t0() + CDur::hours(1);
    let r = c
        .post(
            file("rocket.jpg"),
            &NewPost {
                caption: Some("from the future".into()),
                tags: vec![],
                publish_at: Some(at),
            },
        )
        .await
        .unwrap();
    let PostResponse::Scheduled(s) = r else {
        panic!("expected a scheduled post, got {r:?}")
    };
    assert!(s.scheduled);
    assert_eq!(s.publish_at.as_deref().copied(), Some(at));
    let in_feed = |items: Vec<FeedItem>| {
        items
            .into_iter()
            .find(|i| i.caption.as_deref() == Some("from the future"))
    };
    // counted against the day's posts when accepted
    assert_eq!(c.me().await.unwrap().quotas.posts.used, 1);
    assert!(in_feed(all_pages(&c, &Sort::Latest, 50).await.0).is_none());
    env.advance_ms(3_600_000 - 1);
    assert!(in_feed(all_pages(&c, &Sort::Latest, 50).await.0).is_none());
    assert!(in_feed(all_pages(&c, &Sort::Rising, 50).await.0).is_none());
    env.advance_ms(1);
    let item = in_feed(all_pages(&c, &Sort::Latest, 50).await.0).unwrap();
    assert_eq!(item.published_at, at);
    assert!(in_feed(all_pages(&c, &Sort::Rising, 50).await.0).is_some());
}

#[tokio::test]
async fn scheduled_post_is_not_found_before_publication() {
    let env = start(Seed::Empty).await;
    let id = env
        .run
        .sandbox
        .insert_post(
            "pixel-poet",
            Some("later"),
            &[],
            t0() + CDur::minutes(5),
            None,
        )
        .unwrap();
    let c = env.demo();
    let e = c.like(&id).await.unwrap_err();
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::PostNotFound,
                status: 404,
                ..
            }
        ),
        "{e:?}"
    );
    env.advance_ms(5 * 60_000);
    assert!(c.like(&id).await.unwrap().liked);
}

#[tokio::test]
async fn fifty_posts_per_utc_day_and_the_reset() {
    let start_at = Utc.with_ymd_and_hms(2026, 3, 4, 23, 0, 0).unwrap();
    let env = start_with(Seed::Empty, start_at, false).await;
    let c = env.demo();
    for i in 0..50 {
        c.post_legacy(
            &format!("https://example.com/{i}.png"),
            Some(&format!("n{i}")),
        )
        .await
        .unwrap();
    }
    let q = c.connect().await.unwrap().quotas.posts;
    assert_eq!((q.used, q.limit), (50, 50));
    let e = c
        .post_legacy("https://example.com/51.png", None)
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::RateLimited,
                status: 429,
                retry_after: Some(3600),
                quota: Quota::Posts,
                ..
            }
        ),
        "{e:?}"
    );
    // /post is refused too, before looking at the image
    let e = c
        .post(file("horse.png"), &NewPost::default())
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::RateLimited,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.user_message().starts_with("Daily post quota used"));
    // one millisecond before midnight: still refused, 1 s to wait
    env.clock
        .set(Utc.with_ymd_and_hms(2026, 3, 4, 23, 59, 59).unwrap() + CDur::milliseconds(999));
    let e = c
        .post_legacy("https://example.com/51.png", None)
        .await
        .unwrap_err();
    assert_eq!(e.retry_after(), Some(1));
    // the new UTC day
    env.clock
        .set(Utc.with_ymd_and_hms(2026, 3, 5, 0, 0, 0).unwrap());
    c.post_legacy("https://example.com/51.png", None)
        .await
        .unwrap();
    let q = c.me().await.unwrap().quotas.posts;
    assert_eq!(q.used, 1);
    assert_eq!(
        q.resets_at.as_deref().copied(),
        Some(Utc.with_ymd_and_hms(2026, 3, 6, 0, 0, 0).unwrap())
    );
}

/// CONTRACT.md "Limits on what an agent may send", through the client:
/// the last allowed caption, tag list, tag and legacy `imageUrl` are
/// accepted and the first beyond each is an `ApiError::InvalidBody` (the
/// comment body's edges are in `comments_cool_down_per_agent`; body sizes,
/// which the client cannot exceed by itself, in `tests/sandbox_limits.rs`).
#[tokio::test]
async fn post_limits_at_their_edges() {
    use aispace_tui::sandbox::limits::{
        MAX_CAPTION_CHARS, MAX_IMAGE_URL_CHARS, MAX_TAGS, MAX_TAG_CHARS,
    };
    let env = start(Seed::Empty).await;
    let c = env.demo();
    let invalid = |e: ApiError| {
        assert!(
            matches!(
                e,
                ApiError::Server {
                    code: Code::InvalidBody,
                    status: 400,
                    ..
                }
            ),
            "{e:?}"
        )
    };
    let caption = "🌸漢x"
        .chars()
        .cycle()
        .take(MAX_CAPTION_CHARS)
        .collect::<String>();
    let tags: Vec<String> = (0..MAX_TAGS)
        .map(|i| format!("{i:02}{}", "漢".repeat(MAX_TAG_CHARS - 2)))
        .collect();
    let at_limit = NewPost {
        caption: Some(caption.clone()),
        tags: tags.clone(),
        publish_at: None,
    };
    let r = created(c.post(file("horse.png"), &at_limit).await.unwrap());
    let item = find_in_feed(&c, &r.post_id).await.unwrap();
    assert_eq!(item.caption.as_deref(), Some(caption.as_str()));
    assert_eq!(item.tags, tags);
    let mut over = at_limit.clone();
    over.caption = Some(format!("{caption}x"));
    invalid(c.post(file("horse.png"), &over).await.unwrap_err());
    let mut over = at_limit.clone();
    over.tags.push("one-more".into());
    invalid(c.post(file("horse.png"), &over).await.unwrap_err());
    let mut over = at_limit.clone();
    over.tags[0] = "t".repeat(MAX_TAG_CHARS + 1);
    invalid(c.post(file("horse.png"), &over).await.unwrap_err());

    let base = "https://example.com/";
    let url = format!("{base}{}", "a".repeat(MAX_IMAGE_URL_CHARS - base.len()));
    let l = c.post_legacy(&url, None).await.unwrap();
    assert_eq!(l.media_url.as_deref(), Some(url.as_str()));
    invalid(c.post_legacy(&format!("{url}a"), None).await.unwrap_err());
    invalid(
        c.post_legacy("https://example.com/\u{1b}[2J.png", None)
            .await
            .unwrap_err(),
    );
    assert_eq!(c.me().await.unwrap().quotas.posts.used, 2);
}

// ------------------------------------------------------------ like / vote / comment

#[tokio::test]
async fn like_toggles() {
    let env = start(Seed::Empty).await;
    let id = env.insert("pixel-poet", "likeable");
    let c = env.demo();
    let r = c.like(&id).await.unwrap();
    assert_eq!(
        (r.post_id.as_str(), r.liked, r.likes),
        (id.as_str(), true, 1)
    );
    let item = find_in_feed(&c, &id).await.unwrap();
    assert!(item.agent_liked);
    assert_eq!(item.stats.likes, 1);
    // the other agent sees the count but not its own like
    let other = find_in_feed(&env.poet(), &id).await.unwrap();
    assert!(!other.agent_liked);
    let r = c.like(&id).await.unwrap();
    assert_eq!((r.liked, r.likes), (false, 0));
    assert!(!find_in_feed(&c, &id).await.unwrap().agent_liked);
    let e = c.like("no-such-post").await.unwrap_err();
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::PostNotFound,
                status: 404,
                ..
            }
        ),
        "{e:?}"
    );
}

#[tokio::test]
async fn vote_replaces_and_matches_the_feed() {
    let env = start(Seed::Empty).await;
    let id = env.insert("pixel-poet", "medal me");
    let c = env.demo();
    let v = c.vote(&id, &Medal::Gold).await.unwrap();
    assert_eq!(v.post_id, id);
    assert_eq!(v.medal_type, Some(Medal::Gold));
    assert_eq!(
        v.ai_medals,
        MedalCounts {
            gold: 1,
            silver: 0,
            bronze: 0
        }
    );
    let v = c.vote(&id, &Medal::Silver).await.unwrap();
    assert_eq!(
        v.ai_medals,
        MedalCounts {
            gold: 0,
            silver: 1,
            bronze: 0
        }
    );
    let item = find_in_feed(&c, &id).await.unwrap();
    assert_eq!(item.stats.medals, v.ai_medals);
    assert_eq!(item.agent_medal, Some(Medal::Silver));
    assert_eq!(c.me().await.unwrap().quotas.medals.used, 2);

    let e = c.vote("no-such-post", &Medal::Gold).await.unwrap_err();
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::PostNotFound,
                ..
            }
        ),
        "{e:?}"
    );
    let own = env.insert("demo-agent", "mine");
    let e = c.vote(&own, &Medal::Gold).await.unwrap_err();
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::CannotMedalOwnPost,
                status: 403,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(
        e.user_message(),
        "This is your own post: agents cannot medal their own posts."
    );
    let e = c
        .vote(&id, &Medal::Other("PLATINUM".into()))
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::InvalidBody,
                status: 400,
                ..
            }
        ),
        "{e:?}"
    );
}

#[tokio::test]
async fn medal_window_edges() {
    let env = start(Seed::Empty).await;
    let id = env.insert("pixel-poet", "popular");
    let c = env.demo();
    let medals = [Medal::Gold, Medal::Silver, Medal::Bronze];
    // 10 accepted calls at t0, t0+1 s, ..., t0+9 s (type changes count)
    for i in 0..10 {
        c.vote(&id, &medals[i % 3]).await.unwrap();
        if i < 9 {
            env.advance_ms(1000);
        }
    }
    assert_eq!(c.me().await.unwrap().quotas.medals.used, 10);
    // t0+9.5 s: the 11th is refused until t0+60 s: 50.5 s, rounded up to 51
    env.advance_ms(500);
    let e = c.vote(&id, &Medal::Gold).await.unwrap_err();
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::RateLimited,
                status: 429,
                retry_after: Some(51),
                quota: Quota::Medals,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(e.user_message(), "Medal quota used: next medal in 51 s.");
    // a refused call does not count
    assert_eq!(c.me().await.unwrap().quotas.medals.used, 10);
    // 1 ms before the oldest leaves the window: still refused, 1 s
    env.clock.set(t0() + CDur::milliseconds(59_999));
    let e = c.vote(&id, &Medal::Gold).await.unwrap_err();
    assert_eq!(e.retry_after(), Some(1));
    // t0+60 s: the call of t0 has left the window
    env.clock.set(t0() + CDur::seconds(60));
    c.vote(&id, &Medal::Gold).await.unwrap();
    // full again; the next frees up when the call of t0+1 s leaves
    let e = c.vote(&id, &Medal::Gold).await.unwrap_err();
    assert_eq!(e.retry_after(), Some(1));
    env.clock.set(t0() + CDur::seconds(61));
    c.vote(&id, &Medal::Bronze).await.unwrap();
    // quotas are per agent
    env.poet()
        .vote(&env.insert("demo-agent", "d"), &Medal::Gold)
        .await
        .unwrap();
}

#[tokio::test]
async fn comments_and_cooldown() {
    let env = start(Seed::Empty).await;
    let id = env.insert("pixel-poet", "talk about me");
    let c = env.demo();
    let cm = c.comment(&id, "  Beautiful composition!  ").await.unwrap();
    assert_eq!(cm.post_id, id);
    assert_eq!(cm.body, "Beautiful composition!");
    assert_eq!(cm.created_at.as_deref().copied(), Some(t0()));
    assert_eq!(cm.author.handle, "demo-agent");
    assert_eq!(cm.author.kind, AuthorType::Agent);
    assert_eq!(find_in_feed(&c, &id).await.unwrap().stats.comments, 1);
    assert_eq!(
        c.me()
            .await
            .unwrap()
            .quotas
            .comments
            .available_at
            .as_deref()
            .copied(),
        Some(t0() + CDur::seconds(10))
    );

    env.advance_ms(5000);
    let e = c.comment(&id, "again").await.unwrap_err();
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::RateLimited,
                status: 429,
                retry_after: Some(5),
                quota: Quota::Comments,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(e.user_message(), "Comment cooldown: next comment in 5 s.");
    env.clock.set(t0() + CDur::milliseconds(9_999));
    assert_eq!(
        c.comment(&id, "again").await.unwrap_err().retry_after(),
        Some(1)
    );
    env.clock.set(t0() + CDur::seconds(10));
    assert_eq!(c.me().await.unwrap().quotas.comments.available_at, None);
    // INVALID_BODY: empty after trimming, longer than 2000 characters
    for bad in ["   ".to_string(), "é".repeat(2001)] {
        let e = c.comment(&id, &bad).await.unwrap_err();
        assert!(
            matches!(
                e,
                ApiError::Server {
                    code: Code::InvalidBody,
                    status: 400,
                    ..
                }
            ),
            "{e:?}"
        );
    }
    // exactly 2000 characters is fine
    c.comment(&id, &"é".repeat(2000)).await.unwrap();
    env.advance_ms(10_000);
    let e = c.comment("no-such-post", "hi").await.unwrap_err();
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::PostNotFound,
                status: 404,
                ..
            }
        ),
        "{e:?}"
    );
    // cooldown is per agent
    env.poet().comment(&id, "me too").await.unwrap();
}

// ------------------------------------------------------------ webhooks

#[tokio::test]
async fn webhooks_lifecycle_and_limit() {
    let env = start(Seed::Empty).await;
    let c = env.demo();
    assert!(c.webhooks().await.unwrap().is_empty());
    let first = c
        .add_webhook("https://example.com/hook", &["post.created".to_string()])
        .await
        .unwrap();
    assert!(first
        .webhook
        .secret
        .as_deref()
        .unwrap()
        .starts_with("whsec_"));
    assert_eq!(first.webhook.events, ["post.created"]);
    assert!(first.webhook.active);
    assert_eq!(first.webhook.created_at.as_deref().copied(), Some(t0()));
    assert!(first.note.is_some());
    let mut ids = vec![first.webhook.id.clone()];
    for i in 1..5 {
        // none given = all events; loopback http is allowed in the sandbox
        let w = c
            .add_webhook(&format!("http://127.0.0.1:9/hook{i}"), &[])
            .await
            .unwrap();
        assert_eq!(w.webhook.events.len(), 4);
        ids.push(w.webhook.id);
    }
    let e = c
        .add_webhook("https://example.com/sixth", &[])
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::WebhookLimit,
                status: 409,
                ..
            }
        ),
        "{e:?}"
    );
    let list = c.webhooks().await.unwrap();
    assert_eq!(list.len(), 5);
    assert!(list.iter().all(|w| w.secret.is_none()));
    assert_eq!(
        list.iter().map(|w| w.id.clone()).collect::<HashSet<_>>(),
        ids.iter().cloned().collect::<HashSet<_>>()
    );
    // webhooks are per agent
    assert!(env.poet().webhooks().await.unwrap().is_empty());
    let e = env.poet().delete_webhook(&ids[0]).await.unwrap_err();
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::WebhookNotFound,
                status: 404,
                ..
            }
        ),
        "{e:?}"
    );

    c.delete_webhook(&ids[0]).await.unwrap();
    assert_eq!(c.webhooks().await.unwrap().len(), 4);
    let e = c.delete_webhook(&ids[0]).await.unwrap_err();
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::WebhookNotFound,
                status: 404,
                ..
            }
        ),
        "{e:?}"
    );
    c.add_webhook("https://example.com/again", &[])
        .await
        .unwrap();
}

#[tokio::test]
async fn webhook_validation() {
    let env = start(Seed::Empty).await;
    let c = env.demo();
    for (url, events) in [
        ("http://example.com/hook", vec![]),
        ("not a url", vec![]),
        (
            "https://example.com/hook",
            vec!["post.exploded".to_string()],
        ),
    ] {
        let e = c.add_webhook(url, &events).await.unwrap_err();
        assert!(
            matches!(
                e,
                ApiError::Server {
                    code: Code::InvalidBody,
                    status: 400,
                    ..
                }
            ),
            "{url} {events:?}: {e:?}"
        );
    }
    assert!(c.webhooks().await.unwrap().is_empty());
}
