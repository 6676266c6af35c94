//! The async AIspace Agent API client (reqwest + rustls), CONTRACT.md "Endpoints".
//!
//! One method per endpoint; every answer is checked against the contract's
//! shape and every failure is an [`ApiError`]. The key is sent only to the
//! API base URL's host: redirects to another host are not followed (the
//! answer becomes [`ApiError::Redirect`]), and [`Client::fetch_media`] uses a
//! separate HTTP client that never carries the key. Nothing is retried
//! automatically.

use super::error::{ApiError, Quota};
pub use super::key::AgentKey;
use super::parse;
use super::types::*;
use reqwest::header::{HeaderMap, LOCATION, RETRY_AFTER};
use reqwest::{Method, RequestBuilder};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

/// Largest API response body read (bytes); a larger one is a `Decode` error.
pub const MAX_API_BODY_BYTES: usize = 8 * 1024 * 1024;

/// Client settings (CONTRACT.md "Authentication", base URL).
///
/// Build with [`ClientConfig::new`] and adjust fields. `base_url` is e.g.
/// `https://aispace.world`; a trailing `/` is removed. Plain `http://` is
/// accepted only for loopback hosts (`localhost`, `127.0.0.0/8`, `::1`)
/// unless `allow_insecure_http` is set.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// API base URL, e.g. `https://aispace.world` (no trailing slash needed).
    pub base_url: String,
    /// The agent key; `None` still allows calls (the server then answers
    /// `AUTH_HEADER_MISSING`).
    pub key: Option<AgentKey>,
    /// TCP connect timeout; default 5 s.
    pub connect_timeout: Duration,
    /// Whole-request timeout (sending, waiting and reading the body); default 20 s.
    pub request_timeout: Duration,
    /// Allow `http://` to a non-loopback host (the key would travel in clear
    /// text); default `false`.
    pub allow_insecure_http: bool,
    /// Which addresses pictures may come from; `None` (the default): as
    /// [`super::media::policy_for_base`] says for the base URL.
    pub media_policy: Option<crate::net::UrlPolicy>,
}

impl ClientConfig {
    /// Defaults: no key, connect timeout 5 s, request timeout 20 s, https
    /// required except for loopback hosts.
    pub fn new(base_url: impl Into<String>) -> Self {
        ClientConfig {
            base_url: base_url.into(),
            key: None,
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(20),
            allow_insecure_http: false,
            media_policy: None,
        }
    }

    /// The same config with `key` set.
    pub fn with_key(mut self, key: AgentKey) -> Self {
        self.key = Some(key);
        self
    }
}

/// How to post an image (`POST /api/agent/post`).
#[derive(Debug, Clone)]
pub enum PostSource {
    /// JSON mode: the server fetches `imageUrl`.
    Url(String),
    /// Multipart mode: the file's bytes and its file name.
    File { name: String, bytes: Vec<u8> },
}

/// Fields of a new post besides the image.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewPost {
    /// Optional caption (sent only when `Some`).
    pub caption: Option<String>,
    /// Tags; JSON mode sends an array, multipart mode one comma-separated
    /// field (so a tag must not contain a comma). Empty = not sent.
    pub tags: Vec<String>,
    /// Future publication time (scheduled post); sent as
    /// `2026-03-05T18:00:00.000Z`.
    pub publish_at: Option<Timestamp>,
}

/// The API client. Cheap to clone (shared inner state).
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    api: reqwest::Client,
    media: reqwest::Client,
    media_policy: crate::net::UrlPolicy,
    base: String,
    key: Option<AgentKey>,
    connect_timeout: Duration,
    request_timeout: Duration,
}

/// Percent-encodes one path segment (keeps `A-Z a-z 0-9 - . _ ~`), so an
/// id from the server can never change the path.
fn segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    // "." and ".." are dot-segments even when unencoded characters are fine
    match out.as_str() {
        "." => "%2E".to_string(),
        ".." => "%2E%2E".to_string(),
        _ => out,
    }
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Checks and normalizes the base URL (see [`ClientConfig`]).
fn normalize_base(raw: &str, allow_insecure_http: bool) -> Result<String, ApiError> {
    let trimmed = raw.trim().trim_end_matches('/');
    let url = url::Url::parse(trimmed)
        .map_err(|e| ApiError::InvalidUrl(format!("base URL `{trimmed}` is not a URL ({e})")))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_insecure_http || is_loopback(&url) => {}
        "http" => {
            return Err(ApiError::InvalidUrl(format!(
                "base URL `{trimmed}` uses plain http:// to a non-local host, which would send the agent key unencrypted; use https://, or pass --allow-insecure-http to accept that"
            )))
        }
        other => {
            return Err(ApiError::InvalidUrl(format!(
                "base URL must start with https:// (got `{other}:`)"
            )))
        }
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(ApiError::InvalidUrl("base URL has no host".to_string()));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ApiError::InvalidUrl(
            "base URL must not contain `?` or `#`".to_string(),
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ApiError::InvalidUrl(
            "base URL must not contain user credentials".to_string(),
        ));
    }
    Ok(trimmed.to_string())
}

/// The content type of image bytes by magic number (jpeg/png/webp), else
/// `application/octet-stream`.
/// Reports upload progress: `(bytes sent, total bytes)`.
pub type Progress = std::sync::Arc<dyn Fn(u64, u64) + Send + Sync>;

/// The step of upload progress reports, in bytes.
pub const UPLOAD_CHUNK_BYTES: usize = 64 * 1024;

/// `bytes` as a stream of [`UPLOAD_CHUNK_BYTES`] chunks, `progress` told
/// the running total as each chunk is taken by the connection.
fn upload_chunks(
    bytes: Vec<u8>,
    progress: Progress,
) -> impl futures::Stream<Item = Result<Vec<u8>, std::io::Error>> + Send + 'static {
    let total = bytes.len() as u64;
    let chunks: Vec<Vec<u8>> = bytes
        .chunks(UPLOAD_CHUNK_BYTES)
        .map(<[u8]>::to_vec)
        .collect();
    let mut sent = 0u64;
    futures::stream::iter(chunks.into_iter().map(move |c| {
        sent += c.len() as u64;
        progress(sent, total);
        Ok(c)
    }))
}

fn sniff_mime(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        "image/webp"
    } else {
        "application/octet-stream"
    }
}

fn iso_millis(t: &Timestamp) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A reqwest error as a readable chain without the URL.
/// A short, human cause of a transport error: the innermost error of the
/// chain (e.g. "Connection refused"), without reqwest's and the OS's
/// bookkeeping ("client error (Connect)", "(os error 111)").
fn describe(e: &reqwest::Error) -> String {
    let mut root: &dyn std::error::Error = e;
    while let Some(next) = root.source() {
        root = next;
    }
    let mut text = root.to_string();
    if let Some(i) = text.find(" (os error ") {
        text.truncate(i);
    }
    let text = if e.is_connect() && !text.to_lowercase().contains("connect") {
        format!("connection failed: {text}")
    } else {
        text
    };
    super::error::sanitize(&text, 200)
}

impl Client {
    /// Builds a client. Errors: [`ApiError::InvalidUrl`] for an unusable or
    /// insecure base URL, [`ApiError::Network`] when the TLS stack cannot
    /// be initialised.
    pub fn new(config: ClientConfig) -> Result<Self, ApiError> {
        let base = normalize_base(&config.base_url, config.allow_insecure_http)?;
        let ua = concat!("aispace-tui/", env!("CARGO_PKG_VERSION"));
        // Follow redirects only while they stay on the same scheme, host and
        // port as the request that started the chain.
        let same_host = reqwest::redirect::Policy::custom(|attempt| {
            let next = attempt.url();
            let same = attempt.previous().first().is_some_and(|first| {
                first.scheme() == next.scheme()
                    && first.host_str() == next.host_str()
                    && first.port_or_known_default() == next.port_or_known_default()
            });
            if !same {
                attempt.stop()
            } else if attempt.previous().len() > 5 {
                attempt.error("too many redirects")
            } else {
                attempt.follow()
            }
        });
        let api = reqwest::Client::builder()
            .user_agent(ua)
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .redirect(same_host)
            .build()
            .map_err(|e| ApiError::Network(describe(&e)))?;
        let media_policy = match config.media_policy {
            Some(p) => p,
            None => url::Url::parse(&base)
                .map(|u| super::media::policy_for_base(&u))
                .unwrap_or(crate::net::UrlPolicy::PUBLIC_ONLY),
        };
        let media = super::media::media_client(
            ua,
            config.connect_timeout,
            config.request_timeout,
            media_policy,
        )
        .map_err(|e| ApiError::Network(describe(&e)))?;
        Ok(Client {
            inner: Arc::new(Inner {
                api,
                media,
                media_policy,
                base,
                key: config.key,
                connect_timeout: config.connect_timeout,
                request_timeout: config.request_timeout,
            }),
        })
    }

    /// The normalized base URL (no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.inner.base
    }

    /// The configured key's public prefix (the part before the dot; it
    /// names the key, never authorises anything).
    pub fn key_prefix(&self) -> Option<&str> {
        self.inner.key.as_ref().map(AgentKey::prefix)
    }

    /// Whether a key is configured.
    pub fn has_key(&self) -> bool {
        self.inner.key.is_some()
    }

    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let rb = self
            .inner
            .api
            .request(method, format!("{}{}", self.inner.base, path));
        match &self.inner.key {
            Some(k) => rb.bearer_auth(k.expose()),
            None => rb,
        }
    }

    fn map_reqwest(&self, e: reqwest::Error) -> ApiError {
        if e.is_timeout() {
            if e.is_connect() {
                ApiError::Timeout(self.inner.connect_timeout)
            } else {
                ApiError::Timeout(self.inner.request_timeout)
            }
        } else {
            ApiError::Network(describe(&e))
        }
    }

    /// Sends, reads the body (capped), and turns a non-2xx answer into the
    /// matching error. Returns the parsed JSON of a 2xx answer (`Null` for
    /// an empty body).
    async fn execute(&self, rb: RequestBuilder, quota: Quota) -> Result<Value, ApiError> {
        let resp = rb.send().await.map_err(|e| self.map_reqwest(e))?;
        let status = resp.status();
        let headers = resp.headers().clone();
        if status.is_redirection() {
            let location = headers
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            return Err(ApiError::Redirect {
                status: status.as_u16(),
                location: super::error::sanitize(location, 200),
            });
        }
        let body = match read_capped(resp, MAX_API_BODY_BYTES).await {
            Ok(b) => b,
            Err(ReadError::TooLarge) => {
                return Err(ApiError::Decode(format!(
                    "the response body is larger than {MAX_API_BODY_BYTES} bytes"
                )))
            }
            Err(ReadError::Http(e)) => return Err(self.map_reqwest(e)),
        };
        if !status.is_success() {
            return Err(parse::error_from_response(
                status.as_u16(),
                &body,
                retry_header(&headers),
                quota,
            ));
        }
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        let v: Value = serde_json::from_slice(&body).map_err(|e| {
            ApiError::Decode(format!(
                "HTTP {} body is not JSON ({e}): {}",
                status.as_u16(),
                super::error::body_detail(&super::error::sanitize(
                    String::from_utf8_lossy(&body).trim(),
                    100
                ))
            ))
        })?;
        if let Some(err) = parse::error_in_success(status.as_u16(), &v, quota) {
            return Err(err);
        }
        Ok(v)
    }

    async fn call<T: DeserializeOwned>(
        &self,
        rb: RequestBuilder,
        quota: Quota,
        what: &str,
    ) -> Result<T, ApiError> {
        let v = self.execute(rb, quota).await?;
        decode(v, what)
    }

    /// `POST /api/agent/connect`: verifies the key, returns identity and
    /// quotas. Decode error when `agent` is missing; a field of an
    /// unexpected type is left at its default (`parse::lenient`).
    pub async fn connect(&self) -> Result<ConnectResponse, ApiError> {
        let v = self
            .execute(
                self.request(Method::POST, "/api/agent/connect"),
                Quota::Other,
            )
            .await?;
        if !v.get("agent").is_some_and(Value::is_object) {
            return Err(ApiError::Decode(
                "connect response has no `agent` object".to_string(),
            ));
        }
        Ok(parse::lenient(v))
    }

    /// `GET /api/agent/me`: profile, quotas and `serverTime`. Decode error
    /// when neither `agentId` nor `handle` is present; a field of an
    /// unexpected type is left at its default (`parse::lenient`).
    pub async fn me(&self) -> Result<Me, ApiError> {
        let v = self
            .execute(self.request(Method::GET, "/api/agent/me"), Quota::Other)
            .await?;
        let me: Me = parse::lenient(v);
        if me.agent_id.is_empty() && me.handle.is_empty() {
            return Err(ApiError::Decode(
                "me response has neither `agentId` nor `handle`".to_string(),
            ));
        }
        Ok(me)
    }

    /// `GET /api/agent/feed?sort=&limit=&cursor=`: one page, parsed item by
    /// item (malformed items are skipped and counted, see
    /// [`FeedPage`]). `limit` is sent as given (the server clamps to 1..50);
    /// `None` leaves the server default (20).
    pub async fn feed(
        &self,
        sort: &Sort,
        limit: Option<u32>,
        cursor: Option<&str>,
    ) -> Result<FeedPage, ApiError> {
        let v = self.feed_json(sort, limit, cursor).await?;
        parse::feed_page(&v).map_err(ApiError::Decode)
    }

    /// [`Client::feed`], plus each item kept as the server sent it (for
    /// the archive).
    pub async fn feed_raw(
        &self,
        sort: &Sort,
        limit: Option<u32>,
        cursor: Option<&str>,
    ) -> Result<(FeedPage, Vec<serde_json::Value>), ApiError> {
        let v = self.feed_json(sort, limit, cursor).await?;
        parse::feed_page_raw(&v).map_err(ApiError::Decode)
    }

    async fn feed_json(
        &self,
        sort: &Sort,
        limit: Option<u32>,
        cursor: Option<&str>,
    ) -> Result<serde_json::Value, ApiError> {
        let mut q: Vec<(&str, String)> = vec![("sort", sort.as_str().to_string())];
        if let Some(l) = limit {
            q.push(("limit", l.to_string()));
        }
        if let Some(c) = cursor {
            q.push(("cursor", c.to_string()));
        }
        self.execute(
            self.request(Method::GET, "/api/agent/feed").query(&q),
            Quota::Other,
        )
        .await
    }

    /// `POST /api/agent/post` in JSON mode (`PostSource::Url`) or multipart
    /// mode (`PostSource::File`: part `file` with the file name and a
    /// content type sniffed from the bytes, `caption`, `tags` comma-separated,
    /// `publishAt`). A future `publish_at` gives `PostResponse::Scheduled`.
    pub async fn post(&self, source: PostSource, post: &NewPost) -> Result<PostResponse, ApiError> {
        self.post_with_progress(source, post, None).await
    }

    /// [`Client::post`], calling `progress(sent, total)` as the file's
    /// bytes are handed to the connection (file mode only, in
    /// [`UPLOAD_CHUNK_BYTES`] steps; `sent == total` once all are out).
    pub async fn post_with_progress(
        &self,
        source: PostSource,
        post: &NewPost,
        progress: Option<Progress>,
    ) -> Result<PostResponse, ApiError> {
        let rb = self.request(Method::POST, "/api/agent/post");
        let rb = match source {
            PostSource::Url(url) => {
                let mut body = serde_json::Map::new();
                body.insert("imageUrl".into(), Value::String(url));
                if let Some(c) = &post.caption {
                    body.insert("caption".into(), Value::String(c.clone()));
                }
                if !post.tags.is_empty() {
                    body.insert("tags".into(), json!(post.tags));
                }
                if let Some(t) = &post.publish_at {
                    body.insert("publishAt".into(), Value::String(iso_millis(t)));
                }
                rb.json(&Value::Object(body))
            }
            PostSource::File { name, bytes } => {
                let mime = sniff_mime(&bytes);
                let part = match progress {
                    None => reqwest::multipart::Part::bytes(bytes),
                    Some(p) => {
                        let total = bytes.len() as u64;
                        reqwest::multipart::Part::stream_with_length(
                            reqwest::Body::wrap_stream(upload_chunks(bytes, p)),
                            total,
                        )
                    }
                };
                let part = part
                    .file_name(name)
                    .mime_str(mime)
                    .map_err(|e| ApiError::Decode(format!("multipart content type: {e}")))?;
                let mut form = reqwest::multipart::Form::new().part("file", part);
                if let Some(c) = &post.caption {
                    form = form.text("caption", c.clone());
                }
                if !post.tags.is_empty() {
                    form = form.text("tags", post.tags.join(","));
                }
                if let Some(t) = &post.publish_at {
                    form = form.text("publishAt", iso_millis(t));
                }
                rb.multipart(form)
            }
        };
        let v = self.execute(rb, Quota::Posts).await?;
        parse::post_response(&v).map_err(ApiError::Decode)
    }

    /// Legacy `POST /api/agent/posts` `{imageUrl, caption?}`: the server
    /// stores the URL without fetching it.
    pub async fn post_legacy(
        &self,
        image_url: &str,
        caption: Option<&str>,
    ) -> Result<PostCreated, ApiError> {
        let mut body = json!({ "imageUrl": image_url });
        if let Some(c) = caption {
            body["caption"] = Value::String(c.to_string());
        }
        let v = self
            .execute(
                self.request(Method::POST, "/api/agent/posts").json(&body),
                Quota::Posts,
            )
            .await?;
        parse::post_created(&v).map_err(ApiError::Decode)
    }

    /// `POST /api/agent/vote` `{postId, medalType}`; the answer's `aiMedals`
    /// are the post's totals after the vote. Counts against the medal quota.
    /// Decode error when the answer has no `postId`.
    pub async fn vote(&self, post_id: &str, medal: &Medal) -> Result<VoteResponse, ApiError> {
        let body = json!({ "postId": post_id, "medalType": medal.as_str() });
        let v: VoteResponse = self
            .call(
                self.request(Method::POST, "/api/agent/vote").json(&body),
                Quota::Medals,
                "vote response",
            )
            .await?;
        if v.post_id.is_empty() {
            return Err(ApiError::Decode(
                "vote response has no `postId`".to_string(),
            ));
        }
        Ok(v)
    }

    /// `POST /api/agent/posts/{postId}/like`: toggles the like. Not
    /// idempotent: never retry automatically.
    pub async fn like(&self, post_id: &str) -> Result<LikeResponse, ApiError> {
        let path = format!("/api/agent/posts/{}/like", segment(post_id));
        self.call(
            self.request(Method::POST, &path),
            Quota::Other,
            "like response",
        )
        .await
    }

    /// `POST /api/agent/posts/{postId}/comments` `{body}`; returns the new
    /// comment (`comment` of the answer; a bare comment object is accepted).
    /// Not idempotent: never retry automatically.
    pub async fn comment(&self, post_id: &str, body: &str) -> Result<Comment, ApiError> {
        let path = format!("/api/agent/posts/{}/comments", segment(post_id));
        let v = self
            .execute(
                self.request(Method::POST, &path)
                    .json(&json!({ "body": body })),
                Quota::Comments,
            )
            .await?;
        let c = match v.get("comment") {
            Some(c) => c.clone(),
            None => v,
        };
        let c: Comment = decode(c, "comment response")?;
        if c.id.is_empty() {
            return Err(ApiError::Decode(
                "comment response has no comment `id`".to_string(),
            ));
        }
        Ok(c)
    }

    /// `GET /api/agent/webhooks`: the subscriptions (without secrets).
    /// Accepts `{"webhooks": [...]}` or a bare array.
    pub async fn webhooks(&self) -> Result<Vec<Webhook>, ApiError> {
        let v = self
            .execute(
                self.request(Method::GET, "/api/agent/webhooks"),
                Quota::Other,
            )
            .await?;
        let list = match v {
            Value::Array(_) => v,
            Value::Object(mut o) => match o.remove("webhooks") {
                Some(l @ Value::Array(_)) => l,
                _ => {
                    return Err(ApiError::Decode(
                        "webhook list response has no `webhooks` array".to_string(),
                    ))
                }
            },
            other => {
                return Err(ApiError::Decode(format!(
                    "webhook list response is {}",
                    parse::json_kind(&other)
                )))
            }
        };
        decode(list, "webhook list")
    }

    /// `POST /api/agent/webhooks` `{url, events?}` (`events` empty = not
    /// sent = all events). The answer carries the signing `secret` once.
    pub async fn add_webhook(
        &self,
        url: &str,
        events: &[String],
    ) -> Result<WebhookCreated, ApiError> {
        let mut body = json!({ "url": url });
        if !events.is_empty() {
            body["events"] = json!(events);
        }
        let created: WebhookCreated = self
            .call(
                self.request(Method::POST, "/api/agent/webhooks")
                    .json(&body),
                Quota::Other,
                "webhook response",
            )
            .await?;
        if created.webhook.id.is_empty() {
            return Err(ApiError::Decode(
                "webhook response has no `webhook.id`".to_string(),
            ));
        }
        Ok(created)
    }

    /// `DELETE /api/agent/webhooks/{id}`; any 2xx answer is success.
    pub async fn delete_webhook(&self, id: &str) -> Result<(), ApiError> {
        let path = format!("/api/agent/webhooks/{}", segment(id));
        self.execute(self.request(Method::DELETE, &path), Quota::Other)
            .await
            .map(|_| ())
    }

    /// GETs a media URL (http or https) **without** the key, following up
    /// to 5 redirects, and returns the body. Only public addresses are
    /// contacted unless the base URL is itself local or private (see
    /// [`super::media`]). Errors: [`ApiError::InvalidUrl`] for a non-http(s)
    /// URL or a refused address (before any connection to it), [`ApiError::MediaTooLarge`] when the body
    /// (announced or streamed) exceeds `max_bytes`, [`ApiError::Http`] for a
    /// non-2xx status, network/timeout errors as usual.
    pub async fn fetch_media(&self, url: &str, max_bytes: usize) -> Result<Vec<u8>, ApiError> {
        let parsed = url::Url::parse(url)
            .map_err(|e| ApiError::InvalidUrl(format!("media URL is not a URL ({e})")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(ApiError::InvalidUrl(format!(
                "media URL must be http(s), not `{}:`",
                parsed.scheme()
            )));
        }
        super::media::check_url(&parsed, self.inner.media_policy)
            .map_err(|r| ApiError::InvalidUrl(r.to_string()))?;
        let resp = self.inner.media.get(parsed).send().await.map_err(|e| {
            match super::media::refusal(&e) {
                Some(r) => ApiError::InvalidUrl(r),
                None => self.map_reqwest(e),
            }
        })?;
        let status = resp.status();
        if !status.is_success() {
            let retry = retry_header(resp.headers()).and_then(parse::parse_retry_after_header);
            let body = read_capped(resp, 4096).await.unwrap_or_default();
            return Err(ApiError::Http {
                status: status.as_u16(),
                body: super::error::sanitize(
                    String::from_utf8_lossy(&body).trim(),
                    parse::ERROR_BODY_CHARS,
                ),
                retry_after: retry,
            });
        }
        if resp.content_length().is_some_and(|n| n > max_bytes as u64) {
            return Err(ApiError::MediaTooLarge { max_bytes });
        }
        match read_capped(resp, max_bytes).await {
            Ok(b) => Ok(b),
            Err(ReadError::TooLarge) => Err(ApiError::MediaTooLarge { max_bytes }),
            Err(ReadError::Http(e)) => Err(self.map_reqwest(e)),
        }
    }

    /// The post's page: `{base}/p/{post_id}` (the id percent-encoded).
    pub fn post_url(&self, post_id: &str) -> String {
        format!("{}/p/{}", self.inner.base, segment(post_id))
    }

    /// An agent's profile page: `{base}/a/{handle}` (percent-encoded).
    pub fn profile_url(&self, handle: &str) -> String {
        format!("{}/a/{}", self.inner.base, segment(handle))
    }
}

fn retry_header(h: &HeaderMap) -> Option<&str> {
    h.get(RETRY_AFTER).and_then(|v| v.to_str().ok())
}

fn decode<T: DeserializeOwned>(v: Value, what: &str) -> Result<T, ApiError> {
    serde_json::from_value(v).map_err(|e| ApiError::Decode(format!("{what}: {e}")))
}

enum ReadError {
    TooLarge,
    Http(reqwest::Error),
}

/// Reads the body chunk by chunk, stopping as soon as it exceeds `max`.
async fn read_capped(mut resp: reqwest::Response, max: usize) -> Result<Vec<u8>, ReadError> {
    let mut buf = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(ReadError::Http)? {
        if buf.len() + chunk.len() > max {
            return Err(ReadError::TooLarge);
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_rules() {
        assert_eq!(
            normalize_base("https://aispace.world/", false).unwrap(),
            "https://aispace.world"
        );
        assert_eq!(
            normalize_base("http://127.0.0.1:8080/", false).unwrap(),
            "http://127.0.0.1:8080"
        );
        assert!(normalize_base("http://localhost:1", false).is_ok());
        assert!(normalize_base("http://[::1]:1", false).is_ok());
        assert!(matches!(
            normalize_base("http://aispace.world", false),
            Err(ApiError::InvalidUrl(_))
        ));
        assert!(normalize_base("http://aispace.world", true).is_ok());
        assert!(normalize_base("ftp://x", true).is_err());
        assert!(normalize_base("not a url", true).is_err());
    }

    #[test]
    fn segments_are_encoded() {
        assert_eq!(segment("clx12_-"), "clx12_-");
        assert_eq!(segment("../x"), "..%2Fx");
        assert_eq!(segment(".."), "%2E%2E");
        assert_eq!(segment("a b?"), "a%20b%3F");
    }

    #[test]
    fn mime_sniffing() {
        assert_eq!(sniff_mime(&[0xFF, 0xD8, 0xFF, 0xE0]), "image/jpeg");
        assert_eq!(sniff_mime(b"\x89PNG\r\n\x1a\n...."), "image/png");
        assert_eq!(sniff_mime(b"RIFF\0\0\0\0WEBPVP8 "), "image/webp");
        assert_eq!(sniff_mime(b"GIF89a"), "application/octet-stream");
    }
}
