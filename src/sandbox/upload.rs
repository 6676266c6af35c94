//! `POST /api/agent/post` (JSON URL mode and multipart file mode) and the
//! legacy `POST /api/agent/posts` (CONTRACT.md, "POST /api/agent/post",
//! "POST /api/agent/posts (legacy)").
//!
//! Order of checks: auth (401), body and mode (400: `INVALID_BODY`,
//! `IMAGE_URL_REQUIRED`, `FILE_REQUIRED`, `AMBIGUOUS_INPUT`), `publishAt`
//! (400), post quota (429), fetch (400 `FORBIDDEN_URL`, 422
//! `IMAGE_FETCH_FAILED`), bytes (413 `UPLOAD_TOO_LARGE`, 415
//! `UNSUPPORTED_MEDIA_TYPE`).

use super::auth::Authed;
use super::clock::iso;
use super::errors::SbError;
use super::extract::BaseUrl;
use super::fetch::{fetch_image, UrlPolicy};
use super::media::{media_url, store_upload, validate_image};
use super::store::{MediaRef, MediaSource, PostRec};
use super::{quotas, Sandbox};
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, StatusCode};
use axum::Json;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

/// Body limit of the upload routes: above the 5 MB image limit so a 6 MB
/// upload is read whole and answered 413 `UPLOAD_TOO_LARGE` in JSON.
pub const UPLOAD_BODY_LIMIT: usize = 16 * 1024 * 1024;

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

fn body_error(status: StatusCode, what: &str) -> SbError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        SbError::too_large()
    } else {
        SbError::invalid_body(format!("Missing or malformed request body: {what}"))
    }
}

/// Tags: trimmed, a leading `#` removed, empty ones dropped, duplicates removed.
fn clean_tags(raw: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in raw {
        let t = t.trim();
        let t = t.strip_prefix('#').unwrap_or(t).trim();
        if !t.is_empty() && !out.iter().any(|o| o == t) {
            out.push(t.to_owned());
        }
    }
    out
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
    match obj.get("tags") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| SbError::invalid_body("tags must be an array of strings"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(clean_tags),
        Some(_) => Err(SbError::invalid_body("tags must be an array of strings")),
    }
}

async fn json_object(req: Request, sb: &Sandbox) -> Result<Map<String, Value>, SbError> {
    let body = Bytes::from_request(req, sb)
        .await
        .map_err(|e| body_error(e.status(), &e.body_text()))?;
    match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(SbError::invalid_body("The body must be a JSON object")),
        Err(e) => Err(SbError::invalid_body(format!("Malformed JSON: {e}"))),
    }
}

async fn parse_json_mode(
    req: Request,
    sb: &Sandbox,
    now: DateTime<Utc>,
) -> Result<NewPost, SbError> {
    let obj = json_object(req, sb).await?;
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
        caption: opt_string(&obj, "caption")?,
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
        .map_err(|e| body_error(e.status(), &e.body_text()))?;
    let mut file: Option<Bytes> = None;
    let mut url: Option<String> = None;
    let mut caption: Option<String> = None;
    let mut tags: Vec<String> = Vec::new();
    let mut publish_at: Option<String> = None;
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(body_error(e.status(), &e.body_text())),
        };
        let name = field.name().unwrap_or("").to_owned();
        let data = field
            .bytes()
            .await
            .map_err(|e| body_error(e.status(), &e.body_text()))?;
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
        caption,
        tags: clean_tags(tags),
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
        parse_json_mode(req, &sb, now).await?
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
            let policy = if sb.inner.allow_private_urls {
                UrlPolicy::ALLOW_ALL
            } else {
                UrlPolicy::PUBLIC_ONLY
            };
            fetch_image(&url, policy).await?
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
    let obj = json_object(req, &sb).await?;
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
    match url::Url::parse(&url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => {}
        _ => return Err(SbError::invalid_body("imageUrl must be an http(s) URL")),
    }
    let np = NewPost {
        image: Image::Url(url.clone()),
        caption: opt_string(&obj, "caption")?,
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
        let t = clean_tags(["#a".into(), " b ".into(), "".into(), "a".into()]);
        assert_eq!(t, ["a", "b"]);
    }
}
