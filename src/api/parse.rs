//! Tolerant parsing of response bodies (CONTRACT.md "Envelopes" and the
//! feed section): error envelopes in every tolerated shape, feed pages item
//! by item, the post response's two forms. Pure functions, no IO.

use super::error::{clamp_retry_after, sanitize, ApiError, Quota};
use super::types::{FeedItem, FeedPage, PostCreated, PostResponse, PostScheduled};
use serde_json::Value;

/// At most this many characters of a non-JSON error body are kept.
pub const ERROR_BODY_CHARS: usize = 200;

/// Builds the error for a non-2xx answer (`status`) with body `body` and the
/// `Retry-After` header value (if any), CONTRACT.md "Envelopes".
///
/// Accepts the decided envelope `{"ok":false,"error":{"code","message"},"retryAfterSeconds"}`
/// and the tolerated ones: `error` as a bare code string, `code`/`message`
/// at the top level. `retryAfterSeconds` in the body wins over the header.
/// A body that is not JSON or has no code gives [`ApiError::Http`] with at
/// most 200 sanitized characters of the body.
pub fn error_from_response(
    status: u16,
    body: &[u8],
    retry_after_header: Option<&str>,
    quota: Quota,
) -> ApiError {
    let header_retry = retry_after_header.and_then(parse_retry_after_header);
    let json: Option<Value> = serde_json::from_slice(body).ok();
    if let Some(Value::Object(obj)) = &json {
        let (code, nested_message) = match obj.get("error") {
            Some(Value::Object(e)) => (
                e.get("code").and_then(Value::as_str),
                e.get("message").and_then(Value::as_str),
            ),
            Some(Value::String(s)) => (Some(s.as_str()), None),
            _ => (None, None),
        };
        let code = code.or_else(|| obj.get("code").and_then(Value::as_str));
        let message = nested_message
            .or_else(|| obj.get("message").and_then(Value::as_str))
            .unwrap_or("");
        let body_retry = obj
            .get("retryAfterSeconds")
            .or_else(|| match obj.get("error") {
                Some(Value::Object(e)) => e.get("retryAfterSeconds"),
                _ => None,
            })
            .and_then(seconds_value);
        if let Some(code) = code.map(str::trim).filter(|c| !c.is_empty()) {
            return ApiError::from_code(code, status, message, body_retry.or(header_retry), quota);
        }
        return ApiError::Http {
            status,
            body: sanitize(&String::from_utf8_lossy(body), ERROR_BODY_CHARS),
            retry_after: body_retry.or(header_retry),
        };
    }
    ApiError::Http {
        status,
        body: sanitize(String::from_utf8_lossy(body).trim(), ERROR_BODY_CHARS),
        retry_after: header_retry,
    }
}

/// A JSON number or numeric string of seconds, rounded up; negatives are
/// 0; at most a day (`clamp_retry_after`).
fn seconds_value(v: &Value) -> Option<u64> {
    let f = match v {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    if !f.is_finite() {
        return None;
    }
    Some(clamp_retry_after(f.max(0.0).ceil() as u64))
}

/// `Retry-After`: delay-seconds (any size: a number too large for 64 bits
/// still means "very long"), or an HTTP date (seconds from now, rounded
/// up); at most a day (`clamp_retry_after`).
pub fn parse_retry_after_header(v: &str) -> Option<u64> {
    let v = v.trim();
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        return Some(clamp_retry_after(v.parse::<u64>().unwrap_or(u64::MAX)));
    }
    let date = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    let ms = date
        .with_timezone(&chrono::Utc)
        .signed_duration_since(chrono::Utc::now())
        .num_milliseconds();
    Some(clamp_retry_after((ms.max(0) as u64).div_ceil(1000)))
}

/// If a 2xx body is nevertheless an error envelope (`"ok": false` with an
/// error code), the error it describes.
pub fn error_in_success(status: u16, v: &Value, quota: Quota) -> Option<ApiError> {
    if v.get("ok") != Some(&Value::Bool(false)) {
        return None;
    }
    let body = serde_json::to_vec(v).ok()?;
    Some(error_from_response(status, &body, None, quota))
}

/// Parses one feed page (CONTRACT.md "GET /api/agent/feed").
///
/// `items` must be an array (a bare top-level array is accepted too), else
/// `Err` with a sentence. Each item is parsed alone: one that does not fit
/// [`FeedItem`] (or has an empty `id`) is left out and counted in
/// `skipped`. The cursor is the first non-empty string among `nextCursor`,
/// `next_cursor`, `cursor`, `pagination.nextCursor`, `pagination.next_cursor`
/// (a number is accepted as its decimal text); absent, `null`, `""` = `None`.
pub fn feed_page(v: &Value) -> Result<FeedPage, String> {
    feed_page_keeping(v, false).map(|(page, _)| page)
}

/// [`feed_page`], plus each item it kept as the server sent it (same
/// order), for the archive (which stores posts as received).
pub fn feed_page_raw(v: &Value) -> Result<(FeedPage, Vec<Value>), String> {
    feed_page_keeping(v, true)
}

fn feed_page_keeping(v: &Value, keep_raw: bool) -> Result<(FeedPage, Vec<Value>), String> {
    let items = match v {
        Value::Array(a) => a,
        Value::Object(o) => match o.get("items") {
            Some(Value::Array(a)) => a,
            Some(other) => {
                return Err(format!(
                    "feed `items` is {} instead of an array",
                    json_kind(other)
                ))
            }
            None => return Err("feed response has no `items` array".to_string()),
        },
        other => {
            return Err(format!(
                "feed response is {} instead of an object",
                json_kind(other)
            ))
        }
    };
    let mut page = FeedPage::default();
    let mut raw = Vec::new();
    for item in items {
        match FeedItem::deserialize_value(item) {
            Some(it) if !it.id.is_empty() => {
                page.items.push(it);
                if keep_raw {
                    raw.push(item.clone());
                }
            }
            _ => page.skipped += 1,
        }
    }
    page.next_cursor = [
        v.get("nextCursor"),
        v.get("next_cursor"),
        v.get("cursor"),
        v.get("pagination").and_then(|p| p.get("nextCursor")),
        v.get("pagination").and_then(|p| p.get("next_cursor")),
    ]
    .into_iter()
    .flatten()
    .find_map(|c| match c {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    });
    Ok((page, raw))
}

impl FeedItem {
    fn deserialize_value(v: &Value) -> Option<FeedItem> {
        serde::Deserialize::deserialize(v).ok()
    }
}

/// Parses the answer of `POST /api/agent/post`: the scheduled form when
/// `scheduled` is true or `scheduledPostId` is present, else the immediate
/// form. An empty post id is an `Err` (the body does not fit the contract).
pub fn post_response(v: &Value) -> Result<PostResponse, String> {
    let scheduled = v.get("scheduled").and_then(Value::as_bool) == Some(true)
        || v.get("scheduledPostId").is_some();
    if scheduled {
        let s: PostScheduled = serde::Deserialize::deserialize(v)
            .map_err(|e| format!("scheduled post response: {e}"))?;
        if s.scheduled_post_id.is_empty() {
            return Err("scheduled post response has no `scheduledPostId`".to_string());
        }
        Ok(PostResponse::Scheduled(s))
    } else {
        Ok(PostResponse::Created(post_created(v)?))
    }
}

/// Parses an immediate post answer (`/post` or legacy `/posts`); requires a
/// non-empty `postId`.
pub fn post_created(v: &Value) -> Result<PostCreated, String> {
    let c: PostCreated =
        serde::Deserialize::deserialize(v).map_err(|e| format!("post response: {e}"))?;
    if c.post_id.is_empty() {
        return Err("post response has no `postId`".to_string());
    }
    Ok(c)
}

/// Deserializes `v` into `T`, leaving out every field (at any depth of
/// nested objects) whose value does not fit `T`'s shape, so that one odd
/// field never fails a whole answer (`connect`, `me`). A value that is not
/// an object at all gives `T::default()`.
pub fn lenient<T: serde::de::DeserializeOwned + Default>(v: Value) -> T {
    if let Ok(t) = serde_json::from_value::<T>(v.clone()) {
        return t;
    }
    let fits = |probe: &Value| serde_json::from_value::<T>(probe.clone()).is_ok();
    let mut kept = Value::Object(serde_json::Map::new());
    prune_into(&v, &mut Vec::new(), &mut kept, &fits);
    serde_json::from_value(kept).unwrap_or_default()
}

/// Copies into `kept` every field under `path` of `v` that fits on its own
/// (tried alone, as the only field of a skeleton); an object that does not
/// fit whole is pruned field by field.
fn prune_into(v: &Value, path: &mut Vec<String>, kept: &mut Value, fits: &dyn Fn(&Value) -> bool) {
    let Some(obj) = lookup(v, path).and_then(Value::as_object) else {
        return;
    };
    for (k, val) in obj {
        path.push(k.clone());
        let probe = skeleton(path, val.clone());
        if fits(&probe) {
            insert_at(kept, path, val.clone());
        } else if val.is_object() && path.len() < 8 {
            insert_at(kept, path, Value::Object(serde_json::Map::new()));
            prune_into(v, path, kept, fits);
        }
        path.pop();
    }
}

fn lookup<'a>(v: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(v, |cur, k| cur.get(k))
}

/// `{"a": {"b": val}}` for the path `[a, b]`.
fn skeleton(path: &[String], val: Value) -> Value {
    path.iter().rev().fold(val, |inner, k| {
        let mut m = serde_json::Map::new();
        m.insert(k.clone(), inner);
        Value::Object(m)
    })
}

fn insert_at(root: &mut Value, path: &[String], val: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut cur = root;
    for k in parents {
        let Some(obj) = cur.as_object_mut() else {
            return;
        };
        cur = obj
            .entry(k.clone())
            .or_insert_with(|| Value::Object(serde_json::Map::new()));
    }
    if let Some(obj) = cur.as_object_mut() {
        obj.insert(last.clone(), val);
    }
}

/// "an array", "a string", ... for error sentences.
pub fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decided_envelope() {
        let b = br#"{"ok":false,"error":{"code":"RATE_LIMITED","message":"Medal quota: 10 per 60s"},"retryAfterSeconds":7}"#;
        let e = error_from_response(429, b, Some("9"), Quota::Medals);
        assert_eq!(e.code(), Some("RATE_LIMITED"));
        assert_eq!(e.retry_after(), Some(7));
        assert_eq!(e.server_message(), Some("Medal quota: 10 per 60s"));
    }

    #[test]
    fn retry_after_fractional_rounds_up() {
        let b = br#"{"error":"RATE_LIMITED","retryAfterSeconds":2.1}"#;
        assert_eq!(
            error_from_response(429, b, None, Quota::Other).retry_after(),
            Some(3)
        );
    }

    #[test]
    fn json_without_code_is_http() {
        let e = error_from_response(502, br#"{"detail":"bad gateway"}"#, None, Quota::Other);
        assert!(matches!(e, ApiError::Http { status: 502, .. }), "{e:?}");
    }

    #[test]
    fn cursor_number_and_precedence() {
        let p = feed_page(&json!({"items": [], "nextCursor": null, "cursor": 42})).unwrap();
        assert_eq!(p.next_cursor.as_deref(), Some("42"));
        assert!(feed_page(&json!({"items": {}})).is_err());
        assert!(feed_page(&json!("x")).is_err());
    }

    #[test]
    fn lenient_keeps_what_fits() {
        use crate::api::{ConnectResponse, Me};
        let c: ConnectResponse = lenient(json!({
            "api": {"version": 2},
            "agent": {"id": "a1", "handle": ["x"], "name": "N", "status": 5, "trustTier": 1e300},
            "quotas": {"posts": {"used": -3, "limit": "50"}, "medals": "none"},
            "actions": "all"
        }));
        assert_eq!(c.agent.id, "a1");
        assert_eq!(c.agent.name, "N");
        assert_eq!(c.agent.handle, "");
        assert_eq!(c.agent.trust_tier, None);
        assert_eq!((c.quotas.posts.used, c.quotas.posts.limit), (0, 50));
        let m: Me = lenient(json!({"agentId": "a1", "serverTime": 17, "isVerifiedJudge": "yes"}));
        assert_eq!(m.agent_id, "a1");
        assert_eq!(m.server_time, None);
    }

    #[test]
    fn post_forms() {
        let s = post_response(&json!({"ok":true,"scheduled":true,"scheduledPostId":"s1","publishAt":"2026-03-05T18:00:00.000Z"})).unwrap();
        assert!(matches!(s, PostResponse::Scheduled(_)));
        assert!(post_response(&json!({"ok":true})).is_err());
    }
}
