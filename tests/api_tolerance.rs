//! The client against a tiny fake *server* (axum on 127.0.0.1:0) that
//! answers fixed bodies: every tolerated variant of CONTRACT.md (cursor
//! field names, error envelopes, non-JSON bodies, unknown codes, malformed
//! feed items), key format checks (no request made), key redaction, no
//! Authorization on cross-host redirects or media fetches, the media size cap.
#![cfg(feature = "sandbox")] // its test server is axum, a sandbox dependency
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

use aispace_tui::api::*;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// One canned answer.
#[derive(Clone)]
struct Canned {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
    /// Send the body as a stream of chunks (no Content-Length).
    chunked: bool,
}

fn json(status: u16, body: &str) -> Canned {
    Canned {
        status,
        headers: vec![("content-type", "application/json".into())],
        body: body.as_bytes().to_vec(),
        chunked: false,
    }
}

fn raw(status: u16, content_type: &str, body: &[u8]) -> Canned {
    Canned {
        status,
        headers: vec![("content-type", content_type.into())],
        body: body.to_vec(),
        chunked: false,
    }
}

impl Canned {
    fn header(mut self, k: &'static str, v: &str) -> Self {
        self.headers.push((k, v.to_string()));
        self
    }
}

/// What the fake server saw of one request.
#[derive(Clone, Debug)]
struct Seen {
    method: String,
    path_and_query: String,
    authorization: Option<String>,
    content_type: Option<String>,
    body: Vec<u8>,
}

struct Fake {
    routes: HashMap<String, Canned>,
    fallback: Option<Canned>,
    count: AtomicUsize,
    seen: Mutex<Vec<Seen>>,
}

/// A running fake server: its base URL (`http://{host}:{port}`) and log.
struct Server {
    base: String,
    state: Arc<Fake>,
}

impl Server {
    fn count(&self) -> usize {
        self.state.count.load(Ordering::SeqCst)
    }
    fn seen(&self) -> Vec<Seen> {
        self.state.seen.lock().unwrap().clone()
    }
    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }
}

async fn handle(State(s): State<Arc<Fake>>, req: Request) -> Response {
    s.count.fetch_add(1, Ordering::SeqCst);
    let path = req.uri().path().to_string();
    let (parts, body) = req.into_parts();
    let hv = |n: &str| {
        parts
            .headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let mut seen = Seen {
        method: parts.method.to_string(),
        path_and_query: parts
            .uri
            .path_and_query()
            .map(|p| p.to_string())
            .unwrap_or_default(),
        authorization: hv("authorization"),
        content_type: hv("content-type"),
        body: Vec::new(),
    };
    seen.body = axum::body::to_bytes(body, 64 * 1024 * 1024)
        .await
        .unwrap()
        .to_vec();
    s.seen.lock().unwrap().push(seen);
    let Some(c) = s.routes.get(&path).or(s.fallback.as_ref()).cloned() else {
        return Response::builder()
            .status(404)
            .body(Body::from("no route"))
            .unwrap();
    };
    let body = if c.chunked {
        let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
            c.body.chunks(1000).map(|b| Ok(b.to_vec())).collect();
        Body::from_stream(futures::stream::iter(chunks))
    } else {
        Body::from(c.body)
    };
    let mut r = Response::new(body);
    *r.status_mut() = StatusCode::from_u16(c.status).unwrap();
    for (k, v) in c.headers {
        r.headers_mut().insert(
            HeaderName::from_static(k),
            HeaderValue::from_str(&v).unwrap(),
        );
    }
    r
}

/// Starts a fake server on 127.0.0.1:0; `host` is the name used in its
/// base URL (`127.0.0.1` or `localhost`, to get two different hosts).
async fn start(host: &str, routes: Vec<(&str, Canned)>, fallback: Option<Canned>) -> Server {
    let state = Arc::new(Fake {
        routes: routes
            .into_iter()
            .map(|(p, c)| (p.to_string(), c))
            .collect(),
        fallback,
        count: AtomicUsize::new(0),
        seen: Mutex::new(Vec::new()),
    });
    let app = axum::Router::new()
        .fallback(handle)
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    Server {
        base: format!("http://{host}:{port}"),
        state,
    }
}

/// A server answering every request with `c`.
async fn always(c: Canned) -> Server {
    start("127.0.0.1", vec![], Some(c)).await
}

const KEY: &str = "testpfx.S3cr3t-value_x";

fn client(base: &str) -> Client {
    Client::new(ClientConfig::new(base).with_key(AgentKey::parse(KEY).unwrap())).unwrap()
}

fn item(id: &str) -> String {
    format!(
        r#"{{"id":"{id}","caption":null,"publishedAt":"2026-03-04T12:00:00.000Z",
            "author":{{"type":"agent","id":"a1","handle":"bot","name":"Bot","avatarUrl":null}},
            "media":[],"tags":[],"stats":{{"likes":0,"comments":0,"medals":{{"gold":0,"silver":0,"bronze":0}}}},
            "aiVerdict":null,"agentLiked":false,"agentMedal":null}}"#
    )
}

async fn feed_with(body: &str) -> Result<FeedPage, ApiError> {
    let s = always(json(200, body)).await;
    client(&s.base).feed(&Sort::Latest, None, None).await
}

// ---------------------------------------------------------------- cursors

#[tokio::test]
async fn cursor_under_every_tolerated_name() {
    let i = item("p1");
    for (body, want) in [
        (
            format!(r#"{{"ok":true,"items":[{i}],"nextCursor":"c1"}}"#),
            Some("c1"),
        ),
        (
            format!(r#"{{"ok":true,"items":[{i}],"next_cursor":"c2"}}"#),
            Some("c2"),
        ),
        (
            format!(r#"{{"ok":true,"items":[{i}],"cursor":"c3"}}"#),
            Some("c3"),
        ),
        (
            format!(r#"{{"ok":true,"items":[{i}],"pagination":{{"nextCursor":"c4"}}}}"#),
            Some("c4"),
        ),
        (
            format!(r#"{{"ok":true,"items":[{i}],"nextCursor":null}}"#),
            None,
        ),
        (
            format!(r#"{{"ok":true,"items":[{i}],"nextCursor":""}}"#),
            None,
        ),
        (
            format!(r#"{{"ok":true,"items":[{i}],"next_cursor":""}}"#),
            None,
        ),
        (
            format!(r#"{{"ok":true,"items":[{i}],"pagination":{{"nextCursor":""}}}}"#),
            None,
        ),
        (format!(r#"{{"ok":true,"items":[{i}]}}"#), None),
    ] {
        let page = feed_with(&body).await.unwrap();
        assert_eq!(page.next_cursor.as_deref(), want, "{body}");
        assert_eq!(page.items.len(), 1);
        assert_eq!(page.items[0].id, "p1");
        assert_eq!(page.skipped, 0);
    }
}

#[tokio::test]
async fn malformed_items_are_skipped_and_counted() {
    let body = format!(
        r#"{{"ok":true,"items":[
            {a},
            {{"id":5}},
            "not an object",
            {{"id":"x","caption":"no publishedAt"}},
            {{"id":"y","publishedAt":"yesterday"}},
            {{"id":"","publishedAt":"2026-03-04T12:00:00.000Z"}},
            {{"id":"z","publishedAt":"2026-03-04T12:00:00.000Z","stats":{{"likes":"many"}}}},
            {b}
        ],"nextCursor":"next"}}"#,
        a = item("a"),
        b = item("b")
    );
    let page = feed_with(&body).await.unwrap();
    let ids: Vec<&str> = page.items.iter().map(|i| i.id.as_str()).collect();
    // An odd count never drops a post (CONTRACT.md "Numbers the client
    // must tolerate"): `z` stays, with 0 likes.
    assert_eq!(ids, ["a", "z", "b"]);
    assert_eq!(page.items[1].stats.likes, 0);
    assert_eq!(page.skipped, 5);
    assert_eq!(page.next_cursor.as_deref(), Some("next"));
}

#[tokio::test]
async fn zero_valid_items_but_a_cursor() {
    let page = feed_with(r#"{"ok":true,"items":[{"id":1},null],"nextCursor":"more"}"#)
        .await
        .unwrap();
    assert!(page.items.is_empty());
    assert_eq!(page.skipped, 2);
    assert_eq!(page.next_cursor.as_deref(), Some("more"));
    let page = feed_with(r#"{"ok":true,"items":[],"nextCursor":"more"}"#)
        .await
        .unwrap();
    assert_eq!((page.items.len(), page.skipped), (0, 0));
    assert_eq!(page.next_cursor.as_deref(), Some("more"));
}

#[tokio::test]
async fn minimal_and_null_fields_in_items_are_accepted() {
    let body = r#"{"ok":true,"items":[
        {"id":"m","publishedAt":"2026-03-04T12:00:00.000Z","tags":null,"media":null,"aiVerdict":null,
         "author":{"type":"human","id":"h","handle":"h","name":"H","avatarUrl":null},
         "media2":[1,2,3]},
        {"id":"n","publishedAt":"2026-03-04T12:00:00Z","media":[
            {"id":"v","type":"VIDEO","url":"u1","width":null,"height":null},
            {"id":"i","type":"IMAGE","url":"u2","width":null,"height":null}],
         "aiVerdict":{"medalType":null}, "agentMedal":"SILVER"}
    ],"nextCursor":null}"#;
    let page = feed_with(body).await.unwrap();
    assert_eq!(page.skipped, 0);
    assert_eq!(page.items[0].author.kind, AuthorType::Human);
    assert!(page.items[0].tags.is_empty() && page.items[0].media.is_empty());
    assert_eq!(page.items[1].preview().unwrap().url, "u2");
    assert_eq!(page.items[1].agent_medal, Some(Medal::Silver));
}

#[tokio::test]
async fn feed_request_carries_sort_limit_cursor_and_key() {
    let s = always(json(200, r#"{"ok":true,"items":[],"nextCursor":null}"#)).await;
    client(&s.base)
        .feed(&Sort::Rising, Some(7), Some("a b&c=d"))
        .await
        .unwrap();
    let seen = &s.seen()[0];
    assert_eq!(seen.method, "GET");
    assert_eq!(
        seen.path_and_query,
        "/api/agent/feed?sort=rising&limit=7&cursor=a+b%26c%3Dd"
    );
    assert_eq!(
        seen.authorization.as_deref(),
        Some(format!("Bearer {KEY}").as_str())
    );
}

// ---------------------------------------------------------------- errors

#[tokio::test]
async fn decided_error_envelope() {
    let s = always(
        json(
            429,
            r#"{"ok":false,"error":{"code":"RATE_LIMITED","message":"Medal quota: 10 per 60s"},"retryAfterSeconds":7}"#,
        )
        .header("retry-after", "9"),
    )
    .await;
    let e = client(&s.base).vote("p1", &Medal::Gold).await.unwrap_err();
    assert!(
        matches!(
            &e,
            ApiError::Server { code: Code::RateLimited,  status: 429, retry_after: Some(7), quota: Quota::Medals, message }
                if message == "Medal quota: 10 per 60s"
        ),
        "{e:?}"
    );
    assert_eq!(e.code(), Some("RATE_LIMITED"));
    assert_eq!(e.retry_after(), Some(7));
    assert!(e.is_retryable());
    assert_eq!(e.user_message(), "Medal quota used: next medal in 7 s.");
}

#[tokio::test]
async fn error_as_bare_string_code() {
    let s = always(json(404, r#"{"ok":false,"error":"POST_NOT_FOUND"}"#)).await;
    let e = client(&s.base).like("gone").await.unwrap_err();
    assert!(
        matches!(&e, ApiError::Server { code: Code::PostNotFound,  status: 404, retry_after: None, message, .. } if message.is_empty()),
        "{e:?}"
    );
}

#[tokio::test]
async fn code_and_message_at_top_level() {
    let s = always(json(
        401,
        r#"{"ok":false,"code":"KEY_REVOKED","message":"This key was revoked"}"#,
    ))
    .await;
    let e = client(&s.base).me().await.unwrap_err();
    assert!(
        matches!(&e, ApiError::Server { code: Code::KeyRevoked,  status: 401, message, .. } if message == "This key was revoked"),
        "{e:?}"
    );
    assert!(e.is_auth_error());
    assert!(!e.is_retryable());
    assert_eq!(
        e.user_message(),
        "Key revoked: create a new key on AIspace and set AISPACE_AGENT_KEY."
    );
}

#[tokio::test]
async fn html_error_page_from_a_proxy() {
    let html = format!(
        "<html><head><title>502 Bad Gateway</title></head>\r\n<body>\x1b[31m{}</body></html>",
        "x".repeat(400)
    );
    let s = always(raw(502, "text/html", html.as_bytes())).await;
    let e = client(&s.base).connect().await.unwrap_err();
    let ApiError::Http {
        status,
        body,
        retry_after,
    } = &e
    else {
        panic!("expected Http, got {e:?}")
    };
    assert_eq!((*status, *retry_after), (502, None));
    assert!(body.starts_with("<html><head><title>502 Bad Gateway</title></head> <body>␛[31m"));
    assert!(
        body.chars().count() <= 200,
        "{} chars",
        body.chars().count()
    ); // including the final '…'
    assert!(!body.chars().any(char::is_control));
    assert_eq!(e.code(), None);
    assert!(e.is_retryable());
    assert!(e.user_message().contains("HTTP 502"));
}

#[tokio::test]
async fn empty_error_body() {
    let s = always(raw(503, "text/plain", b"")).await;
    let e = client(&s.base).webhooks().await.unwrap_err();
    assert_eq!(
        e,
        ApiError::Http {
            status: 503,
            body: String::new(),
            retry_after: None
        }
    );
    assert!(e.is_retryable());
}

#[tokio::test]
async fn retry_after_header_without_body_field() {
    let s = always(
        json(
            429,
            r#"{"ok":false,"error":{"code":"RATE_LIMITED","message":"cooldown"}}"#,
        )
        .header("retry-after", "4"),
    )
    .await;
    let e = client(&s.base).comment("p1", "hi").await.unwrap_err();
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::RateLimited,
                retry_after: Some(4),
                quota: Quota::Comments,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(e.user_message(), "Comment cooldown: next comment in 4 s.");

    // Header on a non-JSON 429 too.
    let s = always(raw(429, "text/plain", b"slow down").header("retry-after", "30")).await;
    let e = client(&s.base).vote("p", &Medal::Bronze).await.unwrap_err();
    assert_eq!(e.retry_after(), Some(30));
    assert!(matches!(e, ApiError::Http { status: 429, .. }));
}

#[tokio::test]
async fn unknown_code_is_kept_verbatim() {
    let s = always(json(
        409,
        r#"{"ok":false,"error":{"code":"BRAND_NEW_CODE","message":"something new"},"retryAfterSeconds":3}"#,
    ))
    .await;
    let e = client(&s.base).me().await.unwrap_err();
    assert_eq!(
        e,
        ApiError::Server {
            code: Code::Other("BRAND_NEW_CODE".into()),
            status: 409,
            message: "something new".into(),
            retry_after: Some(3),
            quota: Quota::Other,
        }
    );
    assert_eq!(e.code(), Some("BRAND_NEW_CODE"));
    assert!(!e.is_retryable());
    // mapped by status: an unknown 503 code is retryable, an unknown 401 is an auth problem
    let s = always(json(503, r#"{"ok":false,"error":"MAINTENANCE"}"#)).await;
    assert!(client(&s.base).me().await.unwrap_err().is_retryable());
    let s = always(json(401, r#"{"ok":false,"error":"KEY_EXPIRED"}"#)).await;
    assert!(client(&s.base).me().await.unwrap_err().is_auth_error());
}

#[tokio::test]
async fn server_message_is_sanitized() {
    let s = always(json(
        400,
        r#"{"ok":false,"error":{"code":"INVALID_BODY","message":"bad\u001b]0;pwned\u0007 body\u202e!"}}"#,
    ))
    .await;
    let e = client(&s.base).comment("p", "").await.unwrap_err();
    assert_eq!(e.server_message(), Some("bad␛]0;pwned␇ body!"));
    assert!(!e.user_message().chars().any(char::is_control));
}

#[tokio::test]
async fn ok_false_in_a_2xx_body_is_an_error() {
    let s = always(json(
        200,
        r#"{"ok":false,"error":{"code":"AGENT_SUSPENDED","message":"suspended"}}"#,
    ))
    .await;
    let e = client(&s.base).connect().await.unwrap_err();
    assert!(
        matches!(
            e,
            ApiError::Server {
                code: Code::AgentSuspended,
                ..
            }
        ),
        "{e:?}"
    );
}

#[tokio::test]
async fn mismatched_success_bodies_are_decode_errors() {
    let cases: Vec<(Canned, &str)> = vec![
        (raw(200, "text/html", b"<html>hi</html>"), "me"),
        (json(200, r#"{"ok":true,"agentId":5}"#), "me"),
        (json(200, r#"{"ok":true}"#), "me"),
        (json(200, r#"{"ok":true}"#), "connect"),
        (json(200, r#"{"ok":true,"items":"nope"}"#), "feed"),
        (json(200, r#"{"ok":true}"#), "feed"),
        (json(200, r#"{"ok":true}"#), "post"),
        (
            json(200, r#"{"ok":true,"postId":"p","aiMedals":"x"}"#),
            "vote",
        ),
        (json(200, r#"{"ok":true}"#), "vote"),
        (json(200, r#"{"ok":true,"webhooks":{}}"#), "webhooks"),
        (
            json(200, r#"{"ok":true,"comment":{"body":"x"}}"#),
            "comment",
        ),
    ];
    for (canned, call) in cases {
        let s = always(canned).await;
        let c = client(&s.base);
        let e = match call {
            "me" => c.me().await.err(),
            "connect" => c.connect().await.err(),
            "feed" => c.feed(&Sort::Latest, None, None).await.err(),
            "post" => c
                .post(
                    PostSource::Url("https://e/x.png".into()),
                    &NewPost::default(),
                )
                .await
                .err(),
            "vote" => c.vote("p", &Medal::Gold).await.err(),
            "webhooks" => c.webhooks().await.err(),
            "comment" => c.comment("p", "x").await.err(),
            _ => unreachable!(),
        };
        assert!(matches!(e, Some(ApiError::Decode(_))), "{call}: {e:?}");
    }
}

#[tokio::test]
async fn network_error_when_nothing_listens() {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = l.local_addr().unwrap().port();
    drop(l);
    let e = client(&format!("http://127.0.0.1:{port}"))
        .me()
        .await
        .unwrap_err();
    assert!(matches!(e, ApiError::Network(_)), "{e:?}");
    assert!(e.is_retryable());
}

// ---------------------------------------------------------------- keys and hosts

#[tokio::test]
async fn malformed_keys_make_no_request() {
    let s = always(json(200, r#"{"ok":true,"agentId":"a","handle":"h"}"#)).await;
    for bad in [
        "",
        "nodot",
        ".s3cret",
        "pk.",
        "p k.s3cret",
        "pk.s3c/ret",
        "pk.s3c.ret",
        "pé.s3cret",
        "pk.s3cret\u{0}",
    ] {
        let r = match AgentKey::parse(bad) {
            Ok(k) => client_with(&s.base, k).me().await.map(|_| ()),
            Err(e) => Err(e),
        };
        let e = r.unwrap_err();
        assert!(matches!(e, ApiError::MalformedKey(_)), "{bad:?}: {e:?}");
        // the error never repeats the key
        if bad.len() > 3 {
            assert!(!e.to_string().contains(bad), "{e}");
            assert!(!e.user_message().contains(bad));
        }
    }
    assert_eq!(s.count(), 0, "no request may be made with a malformed key");
    // a well-formed key is sent as a Bearer token
    client(&s.base).me().await.unwrap();
    assert_eq!(s.count(), 1);
    assert_eq!(
        s.seen()[0].authorization.as_deref(),
        Some(format!("Bearer {KEY}").as_str())
    );
}

fn client_with(base: &str, key: AgentKey) -> Client {
    Client::new(ClientConfig::new(base).with_key(key)).unwrap()
}

#[tokio::test]
async fn key_is_redacted_everywhere() {
    let key = AgentKey::parse(KEY).unwrap();
    assert_eq!(key.to_string(), "testpfx.***");
    assert_eq!(format!("{key:?}"), "AgentKey(testpfx.***)");
    assert_eq!(key.expose(), KEY);
    let cfg = ClientConfig::new("https://aispace.world").with_key(key);
    let client = Client::new(cfg.clone()).unwrap();
    for shown in [format!("{cfg:?}"), format!("{client:?}")] {
        assert!(!shown.contains("S3cr3t"), "{shown}");
        assert!(shown.contains("testpfx.***"), "{shown}");
    }
}

#[tokio::test]
async fn without_a_key_no_authorization_is_sent() {
    let s = always(json(
        401,
        r#"{"ok":false,"error":{"code":"AUTH_HEADER_MISSING","message":"No Bearer token"}}"#,
    ))
    .await;
    let c = Client::new(ClientConfig::new(&s.base)).unwrap();
    assert!(!c.has_key());
    let e = c.connect().await.unwrap_err();
    assert!(matches!(
        e,
        ApiError::Server {
            code: Code::AuthHeaderMissing,
            status: 401,
            ..
        }
    ));
    assert_eq!(s.seen()[0].authorization, None);
}

#[tokio::test]
async fn authorization_not_forwarded_to_another_host() {
    // B is reached as `localhost`, A as `127.0.0.1`: different hosts.
    let b = start(
        "localhost",
        vec![],
        Some(json(200, r#"{"ok":true,"agentId":"stolen","handle":"x"}"#)),
    )
    .await;
    let a = start(
        "127.0.0.1",
        vec![
            (
                "/api/agent/me",
                raw(302, "text/plain", b"").header("location", &b.url("/api/agent/me")),
            ),
            (
                "/api/agent/connect",
                raw(307, "text/plain", b"").header("location", "/moved/connect"),
            ),
            (
                "/moved/connect",
                json(
                    200,
                    r#"{"ok":true,"agent":{"id":"a1","handle":"h","name":"N"}}"#,
                ),
            ),
        ],
        None,
    )
    .await;
    let c = client(&a.base);
    let e = c.me().await.unwrap_err();
    assert!(
        matches!(&e, ApiError::Redirect { status: 302, location } if location.contains("localhost")),
        "{e:?}"
    );
    assert!(
        b.seen().iter().all(|r| r.authorization.is_none()),
        "the key reached the other host"
    );
    // a redirect on the same host is followed, with the key
    let r = c.connect().await.unwrap();
    assert_eq!(r.agent.id, "a1");
    let seen = a.seen();
    let moved = seen
        .iter()
        .find(|r| r.path_and_query == "/moved/connect")
        .unwrap();
    assert_eq!(
        moved.authorization.as_deref(),
        Some(format!("Bearer {KEY}").as_str())
    );
}

#[tokio::test]
async fn plain_http_to_a_remote_host_is_refused_unless_allowed() {
    let e = Client::new(ClientConfig::new("http://aispace.world")).unwrap_err();
    assert!(matches!(e, ApiError::InvalidUrl(_)), "{e:?}");
    let mut cfg = ClientConfig::new("http://aispace.world/");
    cfg.allow_insecure_http = true;
    assert_eq!(Client::new(cfg).unwrap().base_url(), "http://aispace.world");
    let c = Client::new(ClientConfig::new("https://aispace.world/")).unwrap();
    assert_eq!(c.post_url("clx1"), "https://aispace.world/p/clx1");
    assert_eq!(c.post_url("../x"), "https://aispace.world/p/..%2Fx");
}

// ---------------------------------------------------------------- media

#[tokio::test]
async fn fetch_media_never_sends_the_key_and_caps_the_size() {
    let img: Vec<u8> = (0..5000u32).map(|i| (i % 251) as u8).collect();
    let mut chunked = raw(200, "image/png", &img);
    chunked.chunked = true;
    let s = start(
        "127.0.0.1",
        vec![
            ("/media/sized.png", raw(200, "image/png", &img)),
            ("/media/chunked.png", chunked),
            (
                "/media/missing.png",
                raw(404, "text/html", b"<h1>nope</h1>"),
            ),
            (
                "/media/redirect.png",
                raw(302, "text/plain", b"").header("location", "/media/sized.png"),
            ),
        ],
        None,
    )
    .await;
    // The API client has a key and the media lives on the API host itself:
    // still no Authorization.
    let c = client(&s.base);
    for path in [
        "/media/sized.png",
        "/media/chunked.png",
        "/media/redirect.png",
    ] {
        assert_eq!(
            c.fetch_media(&s.url(path), 5000).await.unwrap(),
            img,
            "{path}"
        );
        let e = c.fetch_media(&s.url(path), 4999).await.unwrap_err();
        assert_eq!(e, ApiError::MediaTooLarge { max_bytes: 4999 }, "{path}");
    }
    let e = c
        .fetch_media(&s.url("/media/missing.png"), 5000)
        .await
        .unwrap_err();
    assert!(matches!(e, ApiError::Http { status: 404, ref body, .. } if body == "<h1>nope</h1>"));
    assert!(s.count() >= 7);
    assert!(s.seen().iter().all(|r| r.authorization.is_none()));
    let e = c.fetch_media("file:///etc/passwd", 10).await.unwrap_err();
    assert!(matches!(e, ApiError::InvalidUrl(_)));
}

/// A TCP listener on `host` that only counts the connections it gets.
async fn counting_listener(host: &str) -> (u16, Arc<AtomicUsize>) {
    let l = tokio::net::TcpListener::bind((host, 0)).await.unwrap();
    let port = l.local_addr().unwrap().port();
    let n = Arc::new(AtomicUsize::new(0));
    let seen = n.clone();
    tokio::spawn(async move {
        while let Ok((_sock, _)) = l.accept().await {
            seen.fetch_add(1, Ordering::SeqCst);
        }
    });
    (port, n)
}

fn refused(e: &ApiError) -> bool {
    matches!(e, ApiError::InvalidUrl(m) if m.contains("only from public addresses"))
}

#[tokio::test]
async fn pictures_from_private_addresses_are_refused_before_connecting() {
    let (port, connections) = counting_listener("127.0.0.1").await;
    // A public API base (never contacted here): pictures must be public too.
    let c = client("https://aispace.example");
    for url in [
        format!("http://127.0.0.1:{port}/m.png"),
        format!("http://localhost:{port}/m.png"),
        format!("http://[::ffff:127.0.0.1]:{port}/m.png"),
    ] {
        let e = c.fetch_media(&url, 1000).await.unwrap_err();
        assert!(refused(&e), "{url}: {e:?}");
        // The message names the host.
        let host = url::Url::parse(&url)
            .unwrap()
            .host_str()
            .unwrap()
            .to_string();
        assert!(format!("{e:?}").contains(&host), "{host}: {e:?}");
    }
    assert_eq!(
        connections.load(Ordering::SeqCst),
        0,
        "a refused host was contacted"
    );

    // A redirect from an allowed host to a refused one is refused at the
    // hop. Here only 127.0.0.2 is forbidden, so 127.0.0.1 plays the public host.
    let (evil_port, evil_connections) = counting_listener("127.0.0.2").await;
    let s = start(
        "127.0.0.1",
        vec![(
            "/r.png",
            raw(302, "text/plain", b"")
                .header("location", &format!("http://127.0.0.2:{evil_port}/m.png")),
        )],
        None,
    )
    .await;
    let mut cfg = ClientConfig::new("https://aispace.example");
    cfg.media_policy = Some(aispace_tui::net::UrlPolicy {
        forbidden: |ip| ip == std::net::IpAddr::from([127, 0, 0, 2]),
    });
    let c = Client::new(cfg).unwrap();
    let e = c.fetch_media(&s.url("/r.png"), 1000).await.unwrap_err();
    assert!(refused(&e), "{e:?}");
    assert_eq!(s.count(), 1);
    assert_eq!(
        evil_connections.load(Ordering::SeqCst),
        0,
        "the redirect target was contacted"
    );
}

#[test]
fn the_picture_policy_follows_the_api_base() {
    use aispace_tui::api::media::policy_for_base;
    let forbids_loopback = |base: &str| {
        let p = policy_for_base(&url::Url::parse(base).unwrap());
        (p.forbidden)(std::net::IpAddr::from([127, 0, 0, 1]))
    };
    assert!(forbids_loopback("https://aispace.world"));
    assert!(forbids_loopback("https://93.184.216.34"));
    assert!(!forbids_loopback("http://127.0.0.1:8787"));
    assert!(!forbids_loopback("http://localhost:8787"));
    assert!(!forbids_loopback("http://192.168.1.20:8787"));
    assert!(!forbids_loopback("http://[::1]:8787"));
}

// ---------------------------------------------------------------- request shapes

#[tokio::test]
async fn multipart_post_shape() {
    let s = always(json(
        200,
        r#"{"ok":true,"postId":"p9","postUrl":"https://aispace.world/p/p9","mediaUrl":null,"createdAt":"2026-03-04T12:00:00.000Z"}"#,
    ))
    .await;
    let png = b"\x89PNG\r\n\x1a\nrest-of-file".to_vec();
    let post = NewPost {
        caption: Some("hello #x".into()),
        tags: vec!["aiart".into(), "scifi".into()],
        publish_at: None,
    };
    let r = client(&s.base)
        .post(
            PostSource::File {
                name: "my image.png".into(),
                bytes: png,
            },
            &post,
        )
        .await
        .unwrap();
    assert!(matches!(r, PostResponse::Created(ref c) if c.post_id == "p9"));
    let seen = &s.seen()[0];
    assert_eq!(seen.path_and_query, "/api/agent/post");
    assert!(seen
        .content_type
        .as_deref()
        .unwrap()
        .starts_with("multipart/form-data"));
    let body = String::from_utf8_lossy(&seen.body);
    assert!(
        body.contains(r#"name="file"; filename="my image.png""#),
        "{body}"
    );
    assert!(body.contains("Content-Type: image/png"), "{body}");
    assert!(body.contains("\r\n\r\n\u{fffd}PNG"), "{body}");
    assert!(
        body.contains("name=\"caption\"\r\n\r\nhello #x\r\n"),
        "{body}"
    );
    assert!(
        body.contains("name=\"tags\"\r\n\r\naiart,scifi\r\n"),
        "{body}"
    );
    assert!(!body.contains("publishAt"));
}

#[tokio::test]
async fn json_post_shape_and_scheduled_answer() {
    let s = always(json(
        200,
        r#"{"ok":true,"scheduled":true,"scheduledPostId":"s1","publishAt":"2026-03-05T18:00:00.000Z"}"#,
    ))
    .await;
    let at = chrono::DateTime::parse_from_rfc3339("2026-03-05T18:00:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    let post = NewPost {
        caption: None,
        tags: vec!["a".into()],
        publish_at: Some(at),
    };
    let r = client(&s.base)
        .post(PostSource::Url("https://example.com/i.png".into()), &post)
        .await
        .unwrap();
    let PostResponse::Scheduled(sch) = r else {
        panic!("expected scheduled")
    };
    assert_eq!(sch.scheduled_post_id, "s1");
    assert_eq!(sch.publish_at.as_deref().copied(), Some(at));
    let body: serde_json::Value = serde_json::from_slice(&s.seen()[0].body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"imageUrl":"https://example.com/i.png","tags":["a"],"publishAt":"2026-03-05T18:00:00.000Z"})
    );
}

#[tokio::test]
async fn path_ids_are_encoded() {
    let s = always(json(
        200,
        r#"{"ok":true,"postId":"x","liked":true,"likes":1}"#,
    ))
    .await;
    let c = client(&s.base);
    c.like("../../webhooks").await.unwrap();
    assert_eq!(
        s.seen()[0].path_and_query,
        "/api/agent/posts/..%2F..%2Fwebhooks/like"
    );
}
