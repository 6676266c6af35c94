//! The sandbox as a public server, over real connections: half-open and
//! idle keep-alive connections closed after the header timeout (and not
//! holding up `/me` meanwhile), the connection cap, slow bodies and slow
//! requests answered 408, ids never repeated by two sandbox processes
//! started one after the other, and links built from the public base URL
//! whatever the `Host` header says.
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use aispace_tui::sandbox::{spawn, Faults, SandboxOptions, Seed, ServerLimits};
use common::http::*;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A guard against a hanging test, never a time budget: far longer than
/// anything awaited here should take.
const GUARD: Duration = Duration::from_secs(30);

/// Lets this process hold a few thousand sockets (client and server ends
/// of the idle connections live here).
fn raise_open_file_limit(want: u32) {
    #[cfg(unix)]
    // SAFETY: getrlimit/setrlimit with a valid, initialised struct.
    unsafe {
        let want = libc::rlim_t::from(want);
        let mut r = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut r) == 0 && r.rlim_cur < want {
            r.rlim_cur = want.min(r.rlim_max);
            libc::setrlimit(libc::RLIMIT_NOFILE, &r);
        }
    }
}

fn limits(header_read_timeout: Duration) -> SandboxOptions {
    SandboxOptions {
        seed: Seed::Empty,
        limits: ServerLimits {
            header_read_timeout,
            ..Default::default()
        },
        ..Default::default()
    }
}

/// Opens `n` connections that never complete a request: every other one
/// sends nothing, the rest an unfinished request head.
async fn half_open(env: &Env, n: usize) -> Vec<TcpStream> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let mut s = TcpStream::connect(env.run.addr)
            .await
            .expect("connect (is the open-file limit high enough?)");
        if i % 2 == 1 {
            s.write_all(b"GET /api/agent/me HTTP/1.1\r\nHost: sandbox\r\n")
                .await
                .unwrap();
        }
        out.push(s);
    }
    out
}

/// Whether the server has closed `s` (end of stream or reset), without
/// waiting.
fn closed_now(s: &TcpStream) -> bool {
    let mut buf = [0u8; 64];
    match s.try_read(&mut buf) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
    }
}

/// Waits (up to [`GUARD`]) until the server closes `s`; returns whatever
/// it sent first.
async fn wait_closed(s: &mut TcpStream) -> Vec<u8> {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(GUARD, s.read(&mut buf)).await {
            Err(_) => panic!("the server kept the connection open"),
            Ok(Ok(0)) | Ok(Err(_)) => return got,
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
        }
    }
}

async fn me_ok(env: &Env) {
    let r = env.get("/api/agent/me", demo_key()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["handle"], "demo-agent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn me_is_answered_while_a_thousand_half_open_connections_wait() {
    raise_open_file_limit(8192);
    // A header timeout far beyond the test: all 1,000 stay open throughout.
    let env = start_opts(limits(Duration::from_secs(600))).await;
    let idle = half_open(&env, 1000).await;
    for _ in 0..50 {
        me_ok(&env).await;
    }
    let feed = env.get("/api/agent/feed?limit=50", demo_key()).await;
    assert_eq!(feed.status, 200);
    assert!(
        idle.iter().all(|s| !closed_now(s)),
        "an idle one was closed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_open_connections_are_closed_after_the_header_timeout() {
    raise_open_file_limit(8192);
    let env = start_opts(limits(Duration::from_millis(500))).await;
    let mut idle = half_open(&env, 1000).await;
    for s in &mut idle {
        // Closed without an answer: nothing was asked.
        let got = wait_closed(s).await;
        assert!(
            got.is_empty() || got.starts_with(b"HTTP/1.1 408"),
            "{}",
            String::from_utf8_lossy(&got)
        );
    }
    me_ok(&env).await;
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_header_timeout() {
    let env = start_opts(limits(Duration::from_millis(500))).await;
    let mut s = TcpStream::connect(env.run.addr).await.unwrap();
    let req = format!(
        "GET /api/agent/me HTTP/1.1\r\nHost: sandbox\r\nAuthorization: Bearer {}\r\n\r\n",
        demo_key()
    );
    s.write_all(req.as_bytes()).await.unwrap();
    // The whole answer, then the end of the stream once the connection
    // has idled past the timeout.
    let got = String::from_utf8(wait_closed(&mut s).await).unwrap();
    assert!(got.starts_with("HTTP/1.1 200 OK"), "{got}");
    assert!(!got.to_lowercase().contains("connection: close"), "{got}");
    assert!(got.contains(r#""handle":"demo-agent""#), "{got}");
}

#[tokio::test]
async fn connections_beyond_the_cap_are_closed_at_once() {
    let env = start_opts(SandboxOptions {
        seed: Seed::Empty,
        limits: ServerLimits {
            // Far beyond the guard, so only the cap can close the fifth.
            header_read_timeout: Duration::from_secs(600),
            max_connections: 4,
            ..Default::default()
        },
        ..Default::default()
    })
    .await;
    let mut idle = half_open(&env, 4).await;
    let mut fifth = TcpStream::connect(env.run.addr).await.unwrap();
    assert!(wait_closed(&mut fifth).await.is_empty());
    assert!(idle.iter().all(|s| !closed_now(s)));
    // One leaves: a new client gets its place.
    drop(idle.pop());
    let started = tokio::time::Instant::now();
    loop {
        let sent = env
            .req(reqwest::Method::GET, "/api/agent/me", Some(demo_key()))
            .send()
            .await;
        if let Ok(r) = sent {
            assert_eq!(r.status(), 200);
            break;
        }
        assert!(
            started.elapsed() < GUARD,
            "the freed place was never reused"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_stalled_body_or_a_slow_request_is_answered_408() {
    let env = start_opts(SandboxOptions {
        seed: Seed::Empty,
        limits: ServerLimits {
            body_read_timeout: Duration::from_millis(300),
            request_timeout: Duration::from_secs(2),
            ..Default::default()
        },
        ..Default::default()
    })
    .await;
    let mut s = TcpStream::connect(env.run.addr).await.unwrap();
    let head = format!(
        "POST /api/agent/vote HTTP/1.1\r\nHost: sandbox\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"postId\":",
        demo_key()
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let got = String::from_utf8(wait_closed(&mut s).await).unwrap();
    assert!(got.starts_with("HTTP/1.1 408 "), "{got}");
    assert!(got.contains(r#""code":"REQUEST_TIMEOUT""#), "{got}");
    // A request that takes too long as a whole (injected latency).
    env.run.sandbox.set_faults(Faults {
        latency: Duration::from_secs(5),
        ..Default::default()
    });
    let r = env.get("/api/agent/me", demo_key()).await;
    assert_error(&r, 408, "REQUEST_TIMEOUT");
}

/// Every id a sandbox shows at `base`: posts (seeded and new), media,
/// comments, a webhook and a scheduled post; `n` new posts are made.
/// Checks on the way that the feed never shows one id for two items.
async fn ids_of(http: &reqwest::Client, base: &str, n: usize) -> HashSet<String> {
    let key = demo_key();
    let png = std::fs::read(format!(
        "{}/assets/images/horse.png",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let mut ids = Vec::new();
    for i in 0..n {
        let form = reqwest::multipart::Form::new()
            .part(
                "file",
                reqwest::multipart::Part::bytes(png.clone()).file_name("h.png"),
            )
            .text("caption", format!("post {i}"));
        let r: Value = http
            .post(format!("{base}/api/agent/post"))
            .bearer_auth(key)
            .multipart(form)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        ids.push(r["postId"].as_str().unwrap().to_owned());
    }
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(png).file_name("h.png"),
        )
        .text("publishAt", "2999-01-01T00:00:00.000Z");
    let r: Value = http
        .post(format!("{base}/api/agent/post"))
        .bearer_auth(key)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    ids.push(r["scheduledPostId"].as_str().unwrap().to_owned());
    let r: Value = http
        .post(format!("{base}/api/agent/posts/{}/comments", ids[0]))
        .bearer_auth(key)
        .json(&json!({"body": "first"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    ids.push(r["comment"]["id"].as_str().unwrap().to_owned());
    let r: Value = http
        .post(format!("{base}/api/agent/webhooks"))
        .bearer_auth(key)
        .json(&json!({"url": "http://127.0.0.1:9/hook"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    ids.push(r["webhook"]["id"].as_str().unwrap().to_owned());
    let mut cursor: Option<String> = None;
    loop {
        let mut url = format!("{base}/api/agent/feed?limit=50");
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let page: Value = http
            .get(url)
            .bearer_auth(key)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for it in page["items"].as_array().unwrap() {
            ids.push(it["id"].as_str().unwrap().to_owned());
            for m in it["media"].as_array().unwrap() {
                ids.push(m["id"].as_str().unwrap().to_owned());
            }
        }
        match page["nextCursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    // Every seeded post, every new one, and one media item per image.
    let feed_ids = &ids[n + 3..];
    let distinct: HashSet<&String> = feed_ids.iter().collect();
    assert_eq!(distinct.len(), feed_ids.len(), "the feed repeated an id");
    assert!(ids[..n].iter().all(|id| distinct.contains(id)));
    ids.into_iter().collect()
}

/// Runs `aispace-tui sandbox` on a free loopback port until `f` is done
/// with its base URL, then kills it.
async fn with_sandbox_process<T>(f: impl AsyncFnOnce(String) -> T) -> T {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aispace-tui"))
        .args(["sandbox", "--addr", "127.0.0.1:0", "--still"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| l.strip_prefix("export AISPACE_API_URL=").map(str::to_owned))
        .expect("the sandbox printed its URL");
    let out = f(base).await;
    child.kill().unwrap();
    child.wait().unwrap();
    out
}

#[tokio::test]
async fn two_sandbox_processes_one_after_the_other_never_share_an_id() {
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let a = with_sandbox_process(async |base| ids_of(&http, &base, 5).await).await;
    let b = with_sandbox_process(async |base| ids_of(&http, &base, 5).await).await;
    // Both hold the demo seed (120 posts, same content) and the new ones.
    assert!(a.len() > 250, "{}", a.len());
    assert!(b.len() > 250, "{}", b.len());
    let shared: Vec<_> = a.intersection(&b).collect();
    assert!(shared.is_empty(), "ids given out twice: {shared:?}");
    for id in a.iter().chain(&b) {
        assert_eq!(id.len(), 25, "{id}");
        assert!(id.starts_with('c'), "{id}");
        assert!(id
            .bytes()
            .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase()));
    }
}

#[tokio::test]
async fn two_sandboxes_in_one_process_never_share_an_id() {
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let a = spawn(SandboxOptions::default(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let b = spawn(SandboxOptions::default(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let ia = ids_of(&http, &a.base_url, 2).await;
    let ib = ids_of(&http, &b.base_url, 2).await;
    assert!(ia.len() > 250);
    assert!(ia.is_disjoint(&ib));
}

/// Sends a raw GET with this `Host` header; returns the JSON body.
async fn get_with_host(env: &Env, path: &str, host: &str) -> Value {
    let mut s = TcpStream::connect(env.run.addr).await.unwrap();
    let req = format!(
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {}\r\nConnection: close\r\n\r\n",
        demo_key()
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let got = String::from_utf8(wait_closed(&mut s).await).unwrap();
    let body = got.split_once("\r\n\r\n").unwrap().1;
    serde_json::from_str(body).unwrap_or_else(|_| panic!("{got}"))
}

/// Every string in `v` that looks like a link.
fn links(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) if s.starts_with("http") => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| links(x, out)),
        Value::Object(m) => m.values().for_each(|x| links(x, out)),
        _ => {}
    }
}

#[tokio::test]
async fn links_use_the_public_url_whatever_host_says() {
    for public in [
        None,
        Some("https://sandbox.example.org/"),
        Some("https://sandbox.example.org/base"),
    ] {
        let env = start_opts(SandboxOptions {
            seed: Seed::Demo,
            public_url: public.map(str::to_owned),
            ..Default::default()
        })
        .await;
        let base = public
            .map(|p| p.trim_end_matches('/').to_owned())
            .unwrap_or_else(|| env.run.base_url.clone());
        assert_eq!(env.run.sandbox.public_url(), base);
        // A post of our own, with a comment, so every kind of link shows.
        let r = env
            .post(
                "/api/agent/posts",
                demo_key(),
                json!({"imageUrl": "https://cdn.example/x.png"}),
            )
            .await;
        assert_eq!(
            r.json["postUrl"],
            format!("{base}/p/{}", r.json["postId"].as_str().unwrap())
        );
        let mut all = Vec::new();
        for host in ["evil.example", "evil.example:666", "127.0.0.1", "[::1]:1"] {
            for path in ["/api/agent/me", "/api/agent/feed?limit=50"] {
                links(&get_with_host(&env, path, host).await, &mut all);
            }
        }
        let seen = env
            .post("/api/agent/connect", demo_key(), json!({}))
            .await
            .json;
        links(&seen, &mut all);
        assert!(all.len() > 100, "{}", all.len());
        for l in &all {
            assert!(
                l.starts_with(&format!("{base}/")) || l == "https://cdn.example/x.png",
                "{l}"
            );
            assert!(!l.contains("evil.example"), "{l}");
        }
        // The post page's image links too.
        let id = r.json["postId"].as_str().unwrap();
        let html = env
            .http
            .get(env.url(&format!("/p/{id}")))
            .header("host", "evil.example")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!html.contains("evil.example"), "{html}");
        // Every link on the page starts with the public URL (base path kept).
        for part in html
            .split("href=\"")
            .skip(1)
            .chain(html.split("src=\"").skip(1))
        {
            let link = part.split('"').next().unwrap_or("");
            assert!(
                link.starts_with(&format!("{base}/")) || link == "https://cdn.example/x.png",
                "{link} in {html}"
            );
        }
        // connect's docs link is served.
        let docs = seen["api"]["docs"].as_str().unwrap().to_owned();
        assert_eq!(docs, format!("{base}/developers"));
        let status = env
            .http
            .get(env.url("/developers"))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 200);
    }
    // A public URL that is not an http(s) URL is refused at start.
    for bad in ["ftp://x.example", "not a url", "https://x.example/?q=1"] {
        let opts = SandboxOptions {
            public_url: Some(bad.into()),
            ..Default::default()
        };
        assert!(
            spawn(opts, "127.0.0.1:0".parse().unwrap()).await.is_err(),
            "{bad}"
        );
    }
}
