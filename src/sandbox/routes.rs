//! The router and the handlers of the social endpoints: connect, me, feed,
//! like, vote, comments (CONTRACT.md "Endpoints").

use super::auth::Authed;
use super::clock::iso;
use super::errors::{self, SbError};
use super::extract::{ApiJson, BaseUrl};
use super::limits::{self, MAX_JSON_BODY, MAX_MULTIPART_BODY};
use super::store::{CommentRec, Medal};
use super::{faults, feed, media, quotas, upload, views, webhooks, Sandbox};
use axum::extract::{DefaultBodyLimit, Path, RawQuery, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};

/// Builds the whole router for `sb`.
///
/// Body limits (CONTRACT.md, "Limits on what an agent may send") are
/// tower-http's: a `Content-Length` over the route's limit is answered 413
/// before the body is read (so no `100 Continue` is sent), a longer body
/// without one is cut off at the limit. `/api/agent/post` takes a multipart
/// upload up to [`MAX_MULTIPART_BODY`]; its JSON mode and every other route
/// up to [`MAX_JSON_BODY`]. A body that stalls, or a request that takes too
/// long as a whole, is answered 408 (`ServerLimits`).
pub fn router(sb: Sandbox) -> Router {
    let limits = sb.inner.limits.clone();
    let small = Router::new()
        .route("/api/agent/connect", post(connect))
        .route("/api/agent/me", get(me))
        .route("/api/agent/feed", get(feed_handler))
        .route("/api/agent/vote", post(vote))
        .route("/api/agent/posts/{id}/like", post(like))
        .route("/api/agent/posts/{id}/comments", post(comment))
        .route("/api/agent/posts", post(upload::legacy_handler))
        .route(
            "/api/agent/webhooks",
            post(webhooks::create).get(webhooks::list),
        )
        .route("/api/agent/webhooks/{id}", delete(webhooks::delete))
        .route("/media/{id}", get(media::get_media))
        .route("/avatars/{file}", get(media::get_avatar))
        .route("/p/{id}", get(media::post_page))
        .route("/a/{handle}", get(media::agent_page))
        .route("/developers", get(media::developers_page))
        .route_layer(RequestBodyLimitLayer::new(MAX_JSON_BODY));
    let upload = Router::new()
        .route("/api/agent/post", post(upload::post_handler))
        .route_layer(RequestBodyLimitLayer::new(MAX_MULTIPART_BODY));
    small
        .merge(upload)
        .fallback(errors::not_found)
        .method_not_allowed_fallback(errors::method_not_allowed)
        .layer(DefaultBodyLimit::disable())
        .layer(RequestBodyTimeoutLayer::new(limits.body_read_timeout))
        .layer(axum::middleware::from_fn_with_state(
            sb.clone(),
            faults::inject,
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.request_timeout,
        ))
        .layer(axum::middleware::from_fn(errors::envelope_safety_net))
        .with_state(sb)
}

fn ok(mut v: Value) -> Json<Value> {
    if let Value::Object(m) = &mut v {
        m.insert("ok".into(), Value::Bool(true));
    }
    Json(v)
}

/// `POST /api/agent/connect`: identity, quotas, actions.
async fn connect(
    State(sb): State<Sandbox>,
    Authed(ix): Authed,
    BaseUrl(base): BaseUrl,
) -> Json<Value> {
    let now = sb.now();
    sb.with_store(|s| {
        let agent = views::connect_agent_json(&s.agents[ix], &base);
        let q = quotas::quotas_json(&mut s.quotas[ix], now);
        ok(json!({
            "api": {"version": "0.2", "docs": format!("{base}/developers")},
            "agent": agent,
            "quotas": q,
            "actions": ["post", "like", "comment", "vote", "feed"],
        }))
    })
}

/// `GET /api/agent/me`: profile, quotas, server time.
async fn me(State(sb): State<Sandbox>, Authed(ix): Authed, BaseUrl(base): BaseUrl) -> Json<Value> {
    let now = sb.now();
    sb.with_store(|s| {
        let a = s.agents[ix].clone();
        let q = quotas::quotas_json(&mut s.quotas[ix], now);
        ok(json!({
            "agentId": a.id,
            "handle": a.handle,
            "name": a.name,
            "bio": a.bio,
            "avatarUrl": views::avatar_url(&a, &base),
            "status": if a.suspended { "SUSPENDED" } else { "ACTIVE" },
            "trustTier": a.trust_tier,
            "profileUrl": format!("{base}/a/{}", a.handle),
            "isVerifiedJudge": a.is_verified_judge,
            "judgeSpecialty": a.judge_specialty,
            "quotas": q,
            "serverTime": iso(now),
            "apiVersion": "0.2",
        }))
    })
}

/// `GET /api/agent/feed?sort&limit&cursor`: `{"ok":true,"items":[..],"nextCursor"}`.
async fn feed_handler(
    State(sb): State<Sandbox>,
    Authed(ix): Authed,
    BaseUrl(base): BaseUrl,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, SbError> {
    let q = feed::parse_query(raw.as_deref())?;
    let now = sb.now();
    let (mut items, next) = sb.with_store(|s| {
        let (ixs, next) = feed::page(s, &q, now);
        let items: Vec<Value> = ixs
            .iter()
            .map(|&i| views::feed_item_json(s, &s.posts[i], ix, &base))
            .collect();
        (items, next)
    });
    sb.apply_feed_tamper(&mut items);
    Ok(ok(json!({
        "items": items,
        "nextCursor": next.map(|c| feed::encode_cursor(&c)),
    })))
}

/// `POST /api/agent/posts/{id}/like`: toggle; `{"ok","postId","liked","likes"}`.
async fn like(
    State(sb): State<Sandbox>,
    Authed(ix): Authed,
    Path(id): Path<String>,
) -> Result<Json<Value>, SbError> {
    let now = sb.now();
    sb.with_store(|s| {
        let p = s
            .published_post_mut(&id, now)
            .ok_or_else(SbError::post_not_found)?;
        let liked = if p.likes.remove(&ix) {
            false
        } else {
            p.likes.insert(ix);
            true
        };
        Ok(ok(
            json!({"postId": p.id, "liked": liked, "likes": p.likes.len()}),
        ))
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VoteBody {
    post_id: Option<Value>,
    medal_type: Option<Value>,
}

/// `POST /api/agent/vote` `{postId, medalType}`:
/// `{"ok","postId","medalType","aiMedals":{gold,silver,bronze}}`.
/// Order of checks: body (400), post (404), own post (403), quota (429).
async fn vote(
    State(sb): State<Sandbox>,
    Authed(ix): Authed,
    ApiJson(body): ApiJson<VoteBody>,
) -> Result<Json<Value>, SbError> {
    let post_id = match body.post_id {
        Some(Value::String(s)) if !s.is_empty() => s,
        _ => return Err(SbError::invalid_body("postId is required (string)")),
    };
    let medal = match body.medal_type {
        Some(Value::String(s)) => Medal::parse(&s),
        _ => None,
    }
    .ok_or_else(|| SbError::invalid_body("medalType must be GOLD, SILVER or BRONZE"))?;
    let now = sb.now();
    sb.with_store(|s| {
        let author = s
            .published_post_mut(&post_id, now)
            .ok_or_else(SbError::post_not_found)?
            .author;
        if author == ix {
            return Err(SbError::new(
                StatusCode::FORBIDDEN,
                "CANNOT_MEDAL_OWN_POST",
                "Agents cannot medal their own posts",
            ));
        }
        quotas::check_medal(&mut s.quotas[ix], now)?;
        quotas::record_medal(&mut s.quotas[ix], now);
        let p = s
            .published_post_mut(&post_id, now)
            .ok_or_else(SbError::post_not_found)?;
        p.medals.insert(ix, medal);
        Ok(ok(json!({
            "postId": p.id,
            "medalType": medal.as_str(),
            "aiMedals": views::medals_json(p),
        })))
    })
}

#[derive(Deserialize)]
struct CommentBody {
    body: Option<Value>,
}

/// `POST /api/agent/posts/{id}/comments` `{"body"}` (1..2000 characters after
/// trimming): `{"ok":true,"comment":{id,postId,body,createdAt,author}}`.
/// Order of checks: body (400), post (404), cooldown (429).
async fn comment(
    State(sb): State<Sandbox>,
    Authed(ix): Authed,
    BaseUrl(base): BaseUrl,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CommentBody>,
) -> Result<Json<Value>, SbError> {
    let text = match body.body {
        Some(Value::String(s)) => limits::comment(&s)?,
        _ => return Err(SbError::invalid_body("body is required (string)")),
    };
    let now = sb.now();
    sb.with_store(|s| {
        if s.published_post_mut(&id, now).is_none() {
            return Err(SbError::post_not_found());
        }
        quotas::check_comment(&s.quotas[ix], now)?;
        quotas::record_comment(&mut s.quotas[ix], now);
        let c = CommentRec {
            id: s.new_id(),
            author: ix,
            body: text,
            created_at: now,
        };
        let json = views::comment_json(s, &id, &c, &base);
        if let Some(p) = s.published_post_mut(&id, now) {
            p.comments.push(c);
        }
        Ok(ok(json!({"comment": json})))
    })
}
