//! Raw-JSON HTTP calls through reqwest against a sandbox on a manual
//! clock (the `sandbox_*` and `cli` tests).

pub use super::t0;
use aispace_tui::sandbox::{Clock, RunningSandbox, Sandbox, SandboxOptions, Seed};
use chrono::{DateTime, Utc};
use reqwest::{Method, StatusCode};
use serde_json::Value;

pub const OTHER_KEY: &str = "sbx_poet.pixel-poet-secret-0002";
pub const REVOKED_KEY: &str = "sbx_revoked.revoked-bot-secret-0003";
pub const SUSPENDED_KEY: &str = "sbx_susp.suspended-bot-secret-0004";

pub struct Env {
    pub run: RunningSandbox,
    pub http: reqwest::Client,
    pub clock: Clock,
}

pub async fn start(seed: Seed) -> Env {
    start_with(seed, false).await
}

/// A sandbox whose URL mode fetches from loopback only when
/// `allow_loopback_urls` (else from public addresses only).
pub async fn start_with(seed: Seed, allow_loopback_urls: bool) -> Env {
    start_opts(SandboxOptions {
        seed,
        allow_loopback_urls,
        ..Default::default()
    })
    .await
}

/// A sandbox with these options on 127.0.0.1 (the clock is replaced by a
/// manual one at [`t0`]).
pub async fn start_opts(opts: SandboxOptions) -> Env {
    let clock = Clock::manual(t0());
    let run = super::sandbox_with(opts, &clock).await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .unwrap();
    Env { run, http, clock }
}

/// Every test's sandbox checks at its end that its URL-mode fetches never
/// went to an address outside loopback: each resolved address is in the
/// sandbox's fetch log with the decision, taken before any connection.
impl Drop for Env {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            assert_no_fetch_left_loopback(&self.run.sandbox);
        }
    }
}

/// Fails if the sandbox connected (or would have) to a non-loopback address.
pub fn assert_no_fetch_left_loopback(sb: &Sandbox) {
    for r in sb.fetch_log() {
        assert!(
            !r.allowed || is_loopback(r.addr.ip()),
            "the sandbox connected outside loopback: {r:?}"
        );
    }
}

/// 127.0.0.0/8, ::1 or an IPv4-mapped loopback (the test's own
/// classification, independent of the sandbox's).
pub fn is_loopback(ip: std::net::IpAddr) -> bool {
    match ip {
        std::net::IpAddr::V4(v4) => v4.octets()[0] == 127,
        std::net::IpAddr::V6(v6) => {
            v6 == std::net::Ipv6Addr::LOCALHOST
                || v6.to_ipv4_mapped().is_some_and(|v4| v4.octets()[0] == 127)
        }
    }
}

pub fn demo_key() -> &'static str {
    Sandbox::demo_key()
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub json: Value,
    pub text: String,
}

impl Env {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.run.base_url, path)
    }

    pub async fn send(&self, req: reqwest::RequestBuilder) -> Resp {
        let r = req.send().await.unwrap();
        let status = r.status();
        let headers = r.headers().clone();
        let text = r.text().await.unwrap();
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Resp {
            status,
            headers,
            json,
            text,
        }
    }

    pub fn req(&self, method: Method, path: &str, key: Option<&str>) -> reqwest::RequestBuilder {
        let mut b = self.http.request(method, self.url(path));
        if let Some(k) = key {
            b = b.bearer_auth(k);
        }
        b
    }

    pub async fn get(&self, path: &str, key: &str) -> Resp {
        self.send(self.req(Method::GET, path, Some(key))).await
    }

    pub async fn post(&self, path: &str, key: &str, body: Value) -> Resp {
        self.send(self.req(Method::POST, path, Some(key)).json(&body))
            .await
    }

    pub async fn post_empty(&self, path: &str, key: &str) -> Resp {
        self.send(self.req(Method::POST, path, Some(key))).await
    }

    pub fn insert(&self, author: &str, caption: &str, at: DateTime<Utc>) -> String {
        self.run
            .sandbox
            .insert_post(author, Some(caption), &[], at, None)
            .unwrap()
    }
}

/// Asserts the decided error envelope and returns the code.
pub fn assert_error(r: &Resp, status: u16, code: &str) {
    assert_eq!(r.status.as_u16(), status, "body: {}", r.text);
    let obj = r
        .json
        .as_object()
        .unwrap_or_else(|| panic!("not JSON: {}", r.text));
    assert_eq!(obj["ok"], Value::Bool(false));
    assert_eq!(obj["error"]["code"], code, "body: {}", r.text);
    assert!(obj["error"]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
    let keys: Vec<&String> = obj.keys().collect();
    if status == 429 {
        assert_eq!(keys.len(), 3, "{keys:?}");
        let secs = obj["retryAfterSeconds"].as_u64().unwrap();
        let header = r.headers["retry-after"].to_str().unwrap();
        assert_eq!(header, secs.to_string());
    } else {
        assert_eq!(keys.len(), 2, "{keys:?}");
        assert!(r.headers.get("retry-after").is_none());
    }
}

/// The ISO-8601 UTC millisecond `Z` form.
pub fn is_ts(v: &Value) -> bool {
    v.as_str().is_some_and(|s| {
        s.len() == 24
            && s.ends_with('Z')
            && s.as_bytes()[19] == b'.'
            && DateTime::parse_from_rfc3339(s).is_ok()
    })
}
