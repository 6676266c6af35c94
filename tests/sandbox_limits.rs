//! CONTRACT.md "Limits on what an agent may send", each at its edge over
//! real HTTP: the last allowed value is accepted and the first beyond it
//! refused (caption, tags, legacy `imageUrl`, JSON and multipart body
//! sizes, other multipart fields), a too-large `Content-Length` refused
//! before the body is read (no `100 Continue`), a maximal tag request
//! answered correctly, and feed pages bounded in bytes whatever was posted.
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use aispace_tui::sandbox::limits::{
    FEED_ITEM_MAX_BYTES, FEED_PAGE_MAX_BYTES, MAX_CAPTION_CHARS, MAX_IMAGE_BYTES,
    MAX_IMAGE_URL_CHARS, MAX_JSON_BODY, MAX_MULTIPART_BODY, MAX_MULTIPART_FIELDS, MAX_TAGS,
    MAX_TAG_CHARS,
};
use aispace_tui::sandbox::Seed;
use common::http::*;
use reqwest::multipart::{Form, Part};
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn horse() -> Vec<u8> {
    std::fs::read(format!(
        "{}/assets/images/horse.png",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// `v` serialized and padded with trailing spaces (still valid JSON) to
/// exactly `size` bytes.
fn json_of_size(v: &Value, size: usize) -> Vec<u8> {
    let mut b = serde_json::to_vec(v).unwrap();
    assert!(b.len() <= size, "{} > {size}", b.len());
    b.resize(size, b' ');
    b
}

impl Env {
    async fn raw_post(&self, path: &str, content_type: &str, body: Vec<u8>) -> Resp {
        self.send(
            self.req(Method::POST, path, Some(demo_key()))
                .header("content-type", content_type)
                .body(body),
        )
        .await
    }

    async fn legacy(&self, body: Value) -> Resp {
        self.post("/api/agent/posts", demo_key(), body).await
    }

    async fn upload(&self, form: Form) -> Resp {
        self.send(
            self.req(Method::POST, "/api/agent/post", Some(demo_key()))
                .multipart(form),
        )
        .await
    }

    async fn feed_item(&self, id: &str) -> Value {
        let f = self.get("/api/agent/feed?limit=50", demo_key()).await.json;
        f["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .cloned()
            .unwrap_or(Value::Null)
    }
}

fn file_form() -> Form {
    Form::new().part("file", Part::bytes(horse()).file_name("h.png"))
}

/// A multipart body by hand: one `file` part and one `pad` part, with the
/// boundary `B0undary`.
fn multipart_body(file: &[u8], pad: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(b"--B0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n");
    b.extend_from_slice(file);
    b.extend_from_slice(b"\r\n--B0undary\r\nContent-Disposition: form-data; name=\"pad\"\r\n\r\n");
    b.extend_from_slice(pad);
    b.extend_from_slice(b"\r\n--B0undary--\r\n");
    b
}

const MULTIPART: &str = "multipart/form-data; boundary=B0undary";

/// A png header followed by zeros: accepted bytes (no dimensions).
fn png_of_size(n: usize) -> Vec<u8> {
    let mut f = horse()[..8].to_vec();
    f.resize(n, 0);
    f
}

#[tokio::test]
async fn caption_at_the_limit_is_kept_as_sent_and_one_more_is_refused() {
    let env = start(Seed::Empty).await;
    // Hostile characters count as one each and are stored as sent; the
    // surrounding whitespace is trimmed before counting.
    let max: String = "\u{1}\u{202E}é👍\""
        .chars()
        .cycle()
        .take(MAX_CAPTION_CHARS)
        .collect();
    let r = env
        .legacy(json!({"imageUrl": "https://example.com/a.png", "caption": format!(" \n{max}\t ")}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let id = r.json["postId"].as_str().unwrap();
    assert_eq!(env.feed_item(id).await["caption"], max.as_str());
    let over = format!("{max}x");
    assert_error(
        &env.legacy(json!({"imageUrl": "https://example.com/a.png", "caption": over}))
            .await,
        400,
        "INVALID_BODY",
    );
    // Multipart and URL mode apply the same limit.
    let r = env.upload(file_form().text("caption", max.clone())).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_error(
        &env.upload(file_form().text("caption", over.clone())).await,
        400,
        "INVALID_BODY",
    );
    // (The URL would be refused too, but the caption is checked first:
    // nothing is resolved or fetched for a request refused on its body.)
    assert_error(
        &env.post(
            "/api/agent/post",
            demo_key(),
            json!({"imageUrl": "http://127.0.0.1:9/a.png", "caption": over}),
        )
        .await,
        400,
        "INVALID_BODY",
    );
    let me = env.get("/api/agent/me", demo_key()).await.json;
    assert_eq!(me["quotas"]["posts"]["used"], 2);
}

#[tokio::test]
async fn tags_at_their_limits_and_deduplicated_in_order() {
    let env = start(Seed::Empty).await;
    // 30 tags of 50 characters (multi-byte ones). Tags are counted as
    // given (a duplicate counts), so this is the maximal tag list.
    let max: Vec<String> = (0..MAX_TAGS)
        .map(|i| format!("{i:02}{}", "é".repeat(MAX_TAG_CHARS - 2)))
        .collect();
    let r = env
        .legacy(json!({"imageUrl": "https://example.com/a.png", "tags": max}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let id = r.json["postId"].as_str().unwrap().to_owned();
    assert_eq!(env.feed_item(&id).await["tags"], json!(max));

    // Order kept, duplicates and empties dropped, `#` stripped.
    let r = env
        .legacy(json!({"imageUrl": "https://example.com/a.png", "tags": ["b", "#a", "b", " ", "a", "c"]}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let id = r.json["postId"].as_str().unwrap().to_owned();
    assert_eq!(env.feed_item(&id).await["tags"], json!(["b", "a", "c"]));

    // One more tag, or one more character, is refused.
    let mut over = max.clone();
    over.push("extra".into());
    let long = vec!["x".repeat(MAX_TAG_CHARS + 1)];
    for tags in [over.clone(), long.clone()] {
        assert_error(
            &env.legacy(json!({"imageUrl": "https://example.com/a.png", "tags": tags}))
                .await,
            400,
            "INVALID_BODY",
        );
    }

    // The multipart forms: comma-separated, JSON string, repeated fields.
    let form = |f: Form| f.part("file", Part::bytes(horse()).file_name("h.png"));
    let r = env
        .upload(form(Form::new().text("tags", max.join(","))))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = env
        .upload(form(Form::new().text("tags", json!(max).to_string())))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_error(
        &env.upload(form(Form::new().text("tags", over.join(","))))
            .await,
        400,
        "INVALID_BODY",
    );
    let mut repeated = Form::new();
    for t in &over {
        repeated = repeated.text("tags", t.clone());
    }
    assert_error(&env.upload(form(repeated)).await, 400, "INVALID_BODY");
    assert_error(
        &env.upload(form(Form::new().text("tags", long[0].clone())))
            .await,
        400,
        "INVALID_BODY",
    );
}

#[tokio::test]
async fn a_maximal_tag_request_is_refused_and_the_server_keeps_answering() {
    let env = start(Seed::Empty).await;
    // As many one-character tags as a 64 KiB JSON body holds (about 16,000,
    // all the same: the old quadratic de-duplication's worst case).
    let head = json!({"imageUrl": "https://example.com/a.png", "tags": []});
    let room = MAX_JSON_BODY - serde_json::to_vec(&head).unwrap().len();
    let n = room / 4; // `"a",` per tag
    let tags: Vec<&str> = vec!["a"; n];
    let body = json_of_size(
        &json!({"imageUrl": "https://example.com/a.png", "tags": tags}),
        MAX_JSON_BODY,
    );
    assert!(n > 15_000, "{n}");
    let r = env
        .raw_post("/api/agent/posts", "application/json", body.clone())
        .await;
    assert_error(&r, 400, "INVALID_BODY");
    assert!(r.text.contains("at most 30 tags"), "{}", r.text);
    // Distinct tags too, in URL mode and in multipart repeated fields.
    let distinct: Vec<String> = (0..n / 2).map(|i| i.to_string()).collect();
    let r = env
        .post(
            "/api/agent/post",
            demo_key(),
            json!({"imageUrl": "http://127.0.0.1:9/a.png", "tags": distinct}),
        )
        .await;
    assert_error(&r, 400, "INVALID_BODY");
    let mut form = file_form();
    for t in distinct.iter().take(5_000) {
        form = form.text("tags", t.clone());
    }
    assert_error(&env.upload(form).await, 400, "INVALID_BODY");
    let me = env.get("/api/agent/me", demo_key()).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.json["quotas"]["posts"]["used"], 0);
    assert!(env.run.sandbox.fetch_log().is_empty());
}

#[tokio::test]
async fn legacy_image_url_at_its_limit() {
    let env = start(Seed::Empty).await;
    let base = "https://example.com/";
    let max = format!("{base}{}", "é".repeat(MAX_IMAGE_URL_CHARS - base.len()));
    assert_eq!(max.chars().count(), MAX_IMAGE_URL_CHARS);
    let r = env.legacy(json!({ "imageUrl": max })).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["mediaUrl"], max.as_str());
    for bad in [
        format!("{max}é"),
        "https://example.com/a\u{7}.png".to_owned(),
        "https://example.com/a\u{85}.png".to_owned(),
        "/relative/a.png".to_owned(),
        "ftp://example.com/a.png".to_owned(),
        "javascript:alert(1)".to_owned(),
    ] {
        assert_error(
            &env.legacy(json!({ "imageUrl": bad })).await,
            400,
            "INVALID_BODY",
        );
    }
}

#[tokio::test]
async fn json_bodies_up_to_64_kib() {
    let env = start(Seed::Empty).await;
    let v = json!({"imageUrl": "https://example.com/a.png", "caption": "padded"});
    let r = env
        .raw_post(
            "/api/agent/posts",
            "application/json",
            json_of_size(&v, MAX_JSON_BODY),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // The same on every JSON route (here /vote: the body is read and
    // checked, so the answer is about the post, not the size).
    let vote = json!({"postId": "nope", "medalType": "GOLD"});
    let r = env
        .raw_post(
            "/api/agent/vote",
            "application/json",
            json_of_size(&vote, MAX_JSON_BODY),
        )
        .await;
    assert_error(&r, 404, "POST_NOT_FOUND");
    // URL mode of /post shares the multipart route but not its limit.
    let r = env
        .raw_post(
            "/api/agent/post",
            "application/json",
            json_of_size(&json!({"caption": "no url"}), MAX_JSON_BODY),
        )
        .await;
    assert_error(&r, 400, "IMAGE_URL_REQUIRED");
    for path in ["/api/agent/posts", "/api/agent/vote", "/api/agent/post"] {
        let r = env
            .raw_post(
                path,
                "application/json",
                json_of_size(&v, MAX_JSON_BODY + 1),
            )
            .await;
        assert_error(&r, 413, "UPLOAD_TOO_LARGE");
    }
    // Without a Content-Length (chunked), the read stops at the limit.
    for (path, size, status) in [
        ("/api/agent/vote", MAX_JSON_BODY, 404),
        ("/api/agent/vote", MAX_JSON_BODY + 1, 413),
        ("/api/agent/post", MAX_JSON_BODY + 1, 413),
    ] {
        let body = json_of_size(&vote, size);
        let stream = futures::stream::iter(
            body.chunks(4096)
                .map(|c| Ok::<_, std::io::Error>(c.to_vec()))
                .collect::<Vec<_>>(),
        );
        let r = env
            .send(
                env.req(Method::POST, path, Some(demo_key()))
                    .header("content-type", "application/json")
                    .body(reqwest::Body::wrap_stream(stream)),
            )
            .await;
        assert_eq!(r.status.as_u16(), status, "{path} {size}: {}", r.text);
    }
    let me = env.get("/api/agent/me", demo_key()).await.json;
    assert_eq!(me["quotas"]["posts"]["used"], 1);
}

#[tokio::test]
async fn multipart_bodies_up_to_the_image_plus_64_kib() {
    let env = start(Seed::Empty).await;
    // A 5 MiB image and other fields filling the body to exactly its limit.
    let file = png_of_size(MAX_IMAGE_BYTES);
    let overhead = multipart_body(&file, b"").len();
    let pad = vec![b'p'; MAX_MULTIPART_BODY - overhead];
    let body = multipart_body(&file, &pad);
    assert_eq!(body.len(), MAX_MULTIPART_BODY);
    let r = env.raw_post("/api/agent/post", MULTIPART, body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let mut pad = pad;
    pad.push(b'p');
    let body = multipart_body(&file, &pad);
    assert_eq!(body.len(), MAX_MULTIPART_BODY + 1);
    let r = env.raw_post("/api/agent/post", MULTIPART, body).await;
    assert_error(&r, 413, "UPLOAD_TOO_LARGE");

    // Other fields: exactly 64 KiB of data is fine, one byte more is not,
    // whatever the size of the image.
    let small = horse();
    let r = env
        .raw_post(
            "/api/agent/post",
            MULTIPART,
            multipart_body(&small, &vec![b'p'; MAX_MULTIPART_FIELDS]),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = env
        .raw_post(
            "/api/agent/post",
            MULTIPART,
            multipart_body(&small, &vec![b'p'; MAX_MULTIPART_FIELDS + 1]),
        )
        .await;
    assert_error(&r, 413, "UPLOAD_TOO_LARGE");
    // The image itself: one byte over 5 MiB is refused even in a body
    // under the limit.
    let r = env
        .raw_post(
            "/api/agent/post",
            MULTIPART,
            multipart_body(&png_of_size(MAX_IMAGE_BYTES + 1), b""),
        )
        .await;
    assert_error(&r, 413, "UPLOAD_TOO_LARGE");
    let me = env.get("/api/agent/me", demo_key()).await.json;
    assert_eq!(me["quotas"]["posts"]["used"], 2);
}

/// Sends `head` (request line and headers, no body) on a fresh connection
/// and returns everything the server sends until it closes or 5 s pass
/// without a byte (a guard against hanging, not a time budget).
async fn answer_to_head(env: &Env, head: &str) -> String {
    let mut s = TcpStream::connect(env.run.addr).await.unwrap();
    s.write_all(head.as_bytes()).await.unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) | Err(_) => break,
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
        }
        if got.windows(4).any(|w| w == b"\r\n\r\n") && got.starts_with(b"HTTP/1.1 100") {
            break;
        }
        if let Some(i) = got.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&got[..i]).to_lowercase();
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok());
            if len.is_some_and(|n| got.len() >= i + 4 + n) {
                break;
            }
        }
    }
    String::from_utf8_lossy(&got).into_owned()
}

fn head(path: &str, content_type: &str, length: usize) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: sandbox\r\nAuthorization: Bearer {}\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\nExpect: 100-continue\r\n\r\n",
        demo_key()
    )
}

#[tokio::test]
async fn a_too_large_content_length_is_refused_before_the_body_is_read() {
    let env = start(Seed::Empty).await;
    for (path, ct, limit) in [
        ("/api/agent/post", MULTIPART, MAX_MULTIPART_BODY),
        ("/api/agent/post", "application/json", MAX_JSON_BODY),
        ("/api/agent/vote", "application/json", MAX_JSON_BODY),
        ("/api/agent/posts", "application/json", MAX_JSON_BODY),
        (
            "/api/agent/posts/x/comments",
            "application/json",
            MAX_JSON_BODY,
        ),
    ] {
        // No body is ever sent: the answer comes from the headers alone,
        // and it is the final 413, not an invitation to send the body.
        let a = answer_to_head(&env, &head(path, ct, limit + 1)).await;
        assert!(a.starts_with("HTTP/1.1 413 "), "{path} {ct}: {a}");
        assert!(!a.contains("100 Continue"), "{a}");
        assert!(a.contains(r#""code":"UPLOAD_TOO_LARGE""#), "{a}");
        // At the limit the server does ask for the body (so the check
        // above can tell the two apart).
        let a = answer_to_head(&env, &head(path, ct, limit)).await;
        assert!(a.starts_with("HTTP/1.1 100 Continue"), "{path} {ct}: {a}");
    }
    // Even a 9 GB caption attempt is answered at once.
    let a = answer_to_head(
        &env,
        &head("/api/agent/posts", "application/json", 9_000_000_000),
    )
    .await;
    assert!(a.starts_with("HTTP/1.1 413 "), "{a}");
}

#[tokio::test]
async fn feed_pages_stay_bounded_whatever_was_posted() {
    let env = start(Seed::Empty).await;
    // 50 posts (the daily quota) with every field at its limit in the
    // characters that cost the most bytes in JSON.
    let caption = "\u{1}".repeat(MAX_CAPTION_CHARS);
    let tags: Vec<String> = (0..MAX_TAGS)
        .map(|i| format!("{i:02}{}", "\u{1}".repeat(MAX_TAG_CHARS - 2)))
        .collect();
    let base = "https://example.com/";
    let url = format!("{base}{}", "𝔸".repeat(MAX_IMAGE_URL_CHARS - base.len()));
    for _ in 0..50 {
        let r = env
            .legacy(json!({"imageUrl": url, "caption": caption, "tags": tags}))
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let page = env.get("/api/agent/feed?limit=50", demo_key()).await;
    let items = page.json["items"].as_array().unwrap();
    assert_eq!(items.len(), 50);
    for it in items {
        let n = serde_json::to_vec(it).unwrap().len();
        assert!(n <= FEED_ITEM_MAX_BYTES, "{n}");
        // Not a vacuous bound: the hostile content is really there.
        assert!(n > FEED_ITEM_MAX_BYTES / 2, "{n}");
        assert_eq!(it["caption"], caption.as_str());
    }
    assert!(
        page.text.len() <= FEED_PAGE_MAX_BYTES,
        "{}",
        page.text.len()
    );
    // A caption of megabytes never gets in.
    let huge = "x".repeat(9 * 1024 * 1024);
    let r = env.legacy(json!({"imageUrl": url, "caption": huge})).await;
    assert_error(&r, 413, "UPLOAD_TOO_LARGE");
}

/// The client's table of limits (what the CLI and the TUI check before
/// sending) is the sandbox's.
#[test]
fn the_clients_limits_are_the_servers() {
    use aispace_tui::api::limits as client;
    use aispace_tui::sandbox::limits::MAX_COMMENT_CHARS;
    assert_eq!(client::MAX_IMAGE_BYTES, MAX_IMAGE_BYTES as u64);
    assert_eq!(client::MAX_CAPTION_CHARS, MAX_CAPTION_CHARS);
    assert_eq!(client::MAX_TAGS, MAX_TAGS);
    assert_eq!(client::MAX_TAG_CHARS, MAX_TAG_CHARS);
    assert_eq!(client::MAX_COMMENT_CHARS, MAX_COMMENT_CHARS);
    let file = |n: &str| {
        std::fs::read(format!("{}/assets/images/{n}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    };
    assert_eq!(client::image_format(&file("rocket.jpg")), Some("JPEG"));
    assert_eq!(client::image_format(&file("horse.png")), Some("PNG"));
    assert_eq!(client::image_format(&file("coffee.webp")), Some("WebP"));
    assert_eq!(client::image_format(b"GIF89a......"), None);
}
