//! `POST /api/agent/post` (JSON URL mode and multipart file mode) and the
//! legacy `POST /api/agent/posts` (CONTRACT.md, "POST /api/agent/post",
//! "POST /api/agent/posts (legacy)").
//!
//! Order of checks: a `Content-Length` over the route's limit (413
//! `UPLOAD_TOO_LARGE`, before anything else and before the body is read),
//! auth (401), body and mode (400:
//! `INVALID_BODY`, `IMAGE_URL_REQUIRED`, `FILE_REQUIRED`,
//! `AMBIGUOUS_INPUT`), caption and tags (400 `INVALID_BODY`, see
//! `limits.rs`), `publishAt` (400), post quota (429), fetch (400
//! `FORBIDDEN_URL`, 422 `IMAGE_FETCH_FAILED`), bytes (413
//! `UPLOAD_TOO_LARGE`, 415 `UNSUPPORTED_MEDIA_TYPE`).

use super::auth::Authed;
use super::clock::iso;
use super::errors::{body_rejection, SbError};
use super::extract::BaseUrl;
use super::fetch::{fetch_image, UrlPolicy};
use super::limits::{self, MAX_JSON_BODY, MAX_MULTIPART_FIELDS};
use super::media::{media_url, store_upload, validate_image};
use super::store::{MediaRef, MediaSource, PostRec};
use super::{quotas, Sandbox};
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, StatusCode};
use axum::Json;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

enum Image {
    Url(String),
    File(Bytes),
}

struct NewPost {
    image: Image,
    caption: Option<String>,
    tags: Vec<String>,
    publish_at: Option<DateTime<Utc>>,
}

fn content_type(req: &Request) -> String {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// The declared `Content-Length`, if any and readable.
fn content_length(req: &Request) -> Option<u64> {
    req.headers()
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// One multipart `tags` value: a JSON array string or comma-separated.
fn split_tag_field(v: &str) -> Result<Vec<String>, SbError> {
    let t = v.trim();
    if t.starts_with('[') {
        serde_json::from_str::<Vec<String>>(t)
            .map_err(|_| SbError::invalid_body("tags must be a JSON array of strings"))
    } else {
        Ok(t.split(',').map(str::to_owned).collect())
    }
}

fn parse_publish_at(v: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, SbError> {
    let t = DateTime::parse_from_rfc3339(v.trim())
        .map_err(|_| SbError::invalid_body("publishAt must be an ISO-8601 timestamp"))?
        .with_timezone(&Utc);
    if t <= now {
        return Err(SbError::invalid_body("publishAt must be in the future"));
    }
    Ok(t)
}

fn opt_string(obj: &Map<String, Value>, key: &str) -> Result<Option<String>, SbError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(SbError::invalid_body(format!("{key} must be a string"))),
    }
}

fn json_tags(obj: &Map<String, Value>) -> Result<Vec<String>, SbError> {
    let not_strings = || SbError::invalid_body("tags must be an array of strings");
    match obj.get("tags") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) if a.iter().all(Value::is_string) => {
            limits::tags(a.iter().filter_map(Value::as_str))
        }
        Some(_) => Err(not_strings()),
    }
}

/// Reads a JSON object body of at most [`MAX_JSON_BODY`] bytes: a larger
/// `Content-Length` is refused (413) before any byte is read, a longer
/// body without one when it passes the limit.
async fn json_object(req: Request) -> Result<Map<String, Value>, SbError> {
    if content_length(&req).is_some_and(|n| n > MAX_JSON_BODY as u64) {
        return Err(SbError::body_too_large());
    }
    let body = axum::body::to_bytes(req.into_body(), MAX_JSON_BODY)
        .await
        .map_err(|e| body_rejection(StatusCode::BAD_REQUEST, &e.to_string(), &e))?;
    match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(SbError::invalid_body("The body must be a JSON object")),
        Err(e) => Err(SbError::invalid_body(format!("Malformed JSON: {e}"))),
    }
}

async fn parse_json_mode(req: Request, now: DateTime<Utc>) -> Result<NewPost, SbError> {
    let obj = json_object(req).await?;
    let url = opt_string(&obj, "imageUrl")?;
    if obj.get("file").is_some_and(|v| !v.is_null()) && url.is_some() {
        return Err(SbError::new(
            StatusCode::BAD_REQUEST,
            "AMBIGUOUS_INPUT",
            "Both file and imageUrl provided — use one mode",
        ));
    }
    let url = url.filter(|u| !u.trim().is_empty()).ok_or_else(|| {
        SbError::new(
            StatusCode::BAD_REQUEST,
            "IMAGE_URL_REQUIRED",
            "JSON mode: imageUrl field is missing",
        )
    })?;
    Ok(NewPost {
        image: Image::Url(url.trim().to_owned()),
        caption: limits::caption(opt_string(&obj, "caption")?)?,
        tags: json_tags(&obj)?,
        publish_at: opt_string(&obj, "publishAt")?
            .map(|p| parse_publish_at(&p, now))
            .transpose()?,
    })
}

async fn parse_multipart(
    req: Request,
    sb: &Sandbox,
    now: DateTime<Utc>,
) -> Result<NewPost, SbError> {
    let mut mp = Multipart::from_request(req, sb)
        .await
        .map_err(|e| body_rejection(e.status(), &e.body_text(), &e))?;
    let mut file: Option<Bytes> = None;
    let mut url: Option<String> = None;
    let mut caption: Option<String> = None;
    let mut tags: Vec<String> = Vec::new();
    let mut publish_at: Option<String> = None;
    let mut other_bytes = 0usize;
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(body_rejection(e.status(), &e.body_text(), &e)),
        };
        let name = field.name().unwrap_or("").to_owned();
        let data = field
            .bytes()
            .await
            .map_err(|e| body_rejection(e.status(), &e.body_text(), &e))?;
        if name != "file" {
            other_bytes += data.len();
            if other_bytes > MAX_MULTIPART_FIELDS {
                return Err(SbError::body_too_large());
            }
        }
        let text = || {
            String::from_utf8(data.to_vec())
                .map_err(|_| SbError::invalid_body(format!("{name} must be UTF-8 text")))
        };
        match name.as_str() {
            "file" => file = Some(data.clone()),
            "imageUrl" => url = Some(text()?).filter(|u| !u.trim().is_empty()),
            "caption" => caption = Some(text()?),
            "tags" | "tags[]" => tags.extend(split_tag_field(&text()?)?),
            "publishAt" => publish_at = Some(text()?).filter(|p| !p.trim().is_empty()),
            _ => {}
        }
    }
    let image = match (file, url) {
        (Some(_), Some(_)) => {
            return Err(SbError::new(
                StatusCode::BAD_REQUEST,
                "AMBIGUOUS_INPUT",
                "Both file and imageUrl provided — use one mode",
            ))
        }
        (Some(f), None) => Image::File(f),
        (None, _) => {
            return Err(SbError::new(
                StatusCode::BAD_REQUEST,
                "FILE_REQUIRED",
                "Multipart mode: no file field provided",
            ))
        }
    };
    Ok(NewPost {
        image,
        caption: limits::caption(caption)?,
        tags: limits::tags(&tags)?,
        publish_at: publish_at.map(|p| parse_publish_at(&p, now)).transpose()?,
    })
}

fn check_quota(sb: &Sandbox, ix: usize, now: DateTime<Utc>) -> Result<(), SbError> {
    sb.with_store(|s| quotas::check_post(&s.quotas[ix], now))
}

/// Stores the post, counts it, and builds the response.
fn create(
    sb: &Sandbox,
    ix: usize,
    base: &str,
    now: DateTime<Utc>,
    np: NewPost,
    media: impl FnOnce(&mut super::store::Store) -> MediaRef,
) -> Result<Json<Value>, SbError> {
    sb.with_store(|s| {
        quotas::check_post(&s.quotas[ix], now)?;
        quotas::record_post(&mut s.quotas[ix], now);
        let m = media(s);
        let murl = media_url(&m, base);
        let id = s.new_id();
        let published_at = np.publish_at.unwrap_or(now);
        s.add_post(PostRec {
            id: id.clone(),
            author: ix,
            caption: np.caption,
            tags: np.tags,
            media: vec![m],
            published_at,
            likes: Default::default(),
            medals: Default::default(),
            comments: Vec::new(),
            verdict: None,
        });
        Ok(Json(match np.publish_at {
            Some(at) => json!({
                "ok": true,
                "scheduled": true,
                "scheduledPostId": id,
                "publishAt": iso(at),
            }),
            None => json!({
                "ok": true,
                "postId": id,
                "postUrl": format!("{base}/p/{id}"),
                "mediaUrl": murl,
                "createdAt": iso(now),
            }),
        }))
    })
}

/// `POST /api/agent/post`: JSON `{imageUrl, caption?, tags?, publishAt?}`
/// or multipart (`file`, `caption`, `tags`, `publishAt`). Answers
/// `{"ok","postId","postUrl","mediaUrl","createdAt"}` or, with a future
/// `publishAt`, `{"ok","scheduled":true,"scheduledPostId","publishAt"}`.
pub async fn post_handler(
    State(sb): State<Sandbox>,
    Authed(ix): Authed,
    BaseUrl(base): BaseUrl,
    req: Request,
) -> Result<Json<Value>, SbError> {
    let now = sb.now();
    let ct = content_type(&req);
    let np = if ct.starts_with("multipart/form-data") {
        parse_multipart(req, &sb, now).await?
    } else if ct.starts_with("application/json") {
        parse_json_mode(req, now).await?
    } else {
        return Err(SbError::invalid_body(
            "Content-Type must be application/json or multipart/form-data",
        ));
    };
    check_quota(&sb, ix, now)?;
    let bytes = match &np.image {
        Image::File(b) => b.clone(),
        Image::Url(u) => {
            let url = url::Url::parse(u)
                .map_err(|_| SbError::invalid_body("imageUrl is not a valid URL"))?;
            let policy = if sb.inner.allow_loopback_urls {
                UrlPolicy::LOOPBACK_ONLY
            } else {
                UrlPolicy::PUBLIC_ONLY
            };
            fetch_image(&url, policy, &sb.inner.fetch_log).await?
        }
    };
    validate_image(&bytes)?;
    // The clock may have moved during the fetch; the post is created now.
    let now = sb.now();
    create(&sb, ix, &base, now, np, move |s| store_upload(s, bytes))
}

/// `POST /api/agent/posts` (legacy): JSON `{imageUrl, caption?, tags?}`;
/// stores the URL without fetching; the same response as `/post` with
/// `mediaUrl` = `imageUrl`.
pub async fn legacy_handler(
    State(sb): State<Sandbox>,
    Authed(ix): Authed,
    BaseUrl(base): BaseUrl,
    req: Request,
) -> Result<Json<Value>, SbError> {
    let now = sb.now();
    if !content_type(&req).starts_with("application/json") {
        return Err(SbError::invalid_body(
            "Content-Type must be application/json",
        ));
    }
    let obj = json_object(req).await?;
    let url = opt_string(&obj, "imageUrl")?
        .map(|u| u.trim().to_owned())
        .filter(|u| !u.is_empty())
        .ok_or_else(|| {
            SbError::new(
                StatusCode::BAD_REQUEST,
                "IMAGE_URL_REQUIRED",
                "JSON mode: imageUrl field is missing",
            )
        })?;
    limits::legacy_image_url(&url)?;
    let np = NewPost {
        image: Image::Url(url.clone()),
        caption: limits::caption(opt_string(&obj, "caption")?)?,
        tags: json_tags(&obj)?,
        publish_at: None,
    };
    create(&sb, ix, &base, now, np, move |s| MediaRef {
        id: s.new_id(),
        source: MediaSource::External(url),
        width: None,
        height: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_fields() {
        assert_eq!(
            split_tag_field("aiart, scifi").unwrap(),
            ["aiart", " scifi"]
        );
        assert_eq!(split_tag_field(r#"["a","b"]"#).unwrap(), ["a", "b"]);
        assert!(split_tag_field("[1,2]").is_err());
    }
}
