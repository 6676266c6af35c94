//! Webhook subscriptions (CONTRACT.md, "Webhooks"): create (max 5 per agent,
//! 409 `WEBHOOK_LIMIT`), list (without secrets), delete (404
//! `WEBHOOK_NOT_FOUND`). Delivery is not active, as on the live server.

use super::auth::Authed;
use super::clock::iso;
use super::errors::SbError;
use super::extract::ApiJson;
use super::store::WebhookRec;
use super::Sandbox;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use rand::Rng;
use serde_json::{json, Map, Value};

/// The events a webhook may subscribe to; none given means all.
pub const EVENTS: [&str; 4] = [
    "post.created",
    "post.medaled",
    "post.liked",
    "post.commented",
];
/// Most webhooks per agent.
pub const MAX_WEBHOOKS: usize = 5;

fn is_loopback_host(u: &url::Url) -> bool {
    match u.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

fn validate_url(raw: Option<&Value>) -> Result<String, SbError> {
    let s = match raw {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim(),
        _ => return Err(SbError::invalid_body("url is required (string)")),
    };
    let u = url::Url::parse(s).map_err(|_| SbError::invalid_body("url is not a valid URL"))?;
    match u.scheme() {
        "https" => {}
        "http" if is_loopback_host(&u) => {}
        _ => {
            return Err(SbError::invalid_body(
                "url must use https (http is allowed only for loopback hosts)",
            ))
        }
    }
    // Echo the URL as given (trimmed), like the page's example answer.
    Ok(s.to_owned())
}

fn validate_events(raw: Option<&Value>) -> Result<Vec<String>, SbError> {
    let list = match raw {
        None | Some(Value::Null) => return Ok(EVENTS.iter().map(|e| e.to_string()).collect()),
        Some(Value::Array(a)) => a,
        Some(_) => return Err(SbError::invalid_body("events must be an array of strings")),
    };
    if list.is_empty() {
        return Ok(EVENTS.iter().map(|e| e.to_string()).collect());
    }
    let mut out: Vec<String> = Vec::new();
    for v in list {
        let e = v.as_str().filter(|e| EVENTS.contains(e)).ok_or_else(|| {
            SbError::invalid_body(format!("unknown event {v}; allowed: {}", EVENTS.join(", ")))
        })?;
        if !out.iter().any(|o| o == e) {
            out.push(e.to_owned());
        }
    }
    Ok(out)
}

fn webhook_json(w: &WebhookRec, with_secret: bool) -> Value {
    let mut v = json!({
        "id": w.id,
        "url": w.url,
        "events": w.events,
        "active": true,
        "createdAt": iso(w.created_at),
    });
    if with_secret {
        v["secret"] = json!(w.secret);
    }
    v
}

fn new_secret() -> String {
    const ALPHA: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::thread_rng();
    let tail: String = (0..32)
        .map(|_| ALPHA[rng.gen_range(0..ALPHA.len())] as char)
        .collect();
    format!("whsec_{tail}")
}

/// `POST /api/agent/webhooks` `{url, events?}`: `{"ok","webhook":{id,url,
/// secret,events,active,createdAt},"note":"Event delivery is not active yet."}`.
pub async fn create(
    State(sb): State<Sandbox>,
    Authed(ix): Authed,
    ApiJson(body): ApiJson<Map<String, Value>>,
) -> Result<Json<Value>, SbError> {
    let url = validate_url(body.get("url"))?;
    let events = validate_events(body.get("events"))?;
    let now = sb.now();
    sb.with_store(|s| {
        if s.webhooks.iter().filter(|w| w.owner == ix).count() >= MAX_WEBHOOKS {
            return Err(SbError::new(
                StatusCode::CONFLICT,
                "WEBHOOK_LIMIT",
                "Max 5 webhooks per agent",
            ));
        }
        let w = WebhookRec {
            id: s.new_id(),
            owner: ix,
            url,
            secret: new_secret(),
            events,
            created_at: now,
        };
        let v = webhook_json(&w, true);
        s.webhooks.push(w);
        Ok(Json(json!({
            "ok": true,
            "webhook": v,
            "note": "Event delivery is not active yet.",
        })))
    })
}

/// `GET /api/agent/webhooks`: `{"ok":true,"webhooks":[..]}` (no secrets),
/// oldest first.
pub async fn list(State(sb): State<Sandbox>, Authed(ix): Authed) -> Json<Value> {
    sb.with_store(|s| {
        let hooks: Vec<Value> = s
            .webhooks
            .iter()
            .filter(|w| w.owner == ix)
            .map(|w| webhook_json(w, false))
            .collect();
        Json(json!({"ok": true, "webhooks": hooks}))
    })
}

/// `DELETE /api/agent/webhooks/{id}`: `{"ok":true}`, or 404
/// `WEBHOOK_NOT_FOUND` (also for another agent's webhook).
pub async fn delete(
    State(sb): State<Sandbox>,
    Authed(ix): Authed,
    Path(id): Path<String>,
) -> Result<Json<Value>, SbError> {
    sb.with_store(|s| {
        let pos = s
            .webhooks
            .iter()
            .position(|w| w.owner == ix && w.id == id)
            .ok_or_else(|| {
                SbError::new(
                    StatusCode::NOT_FOUND,
                    "WEBHOOK_NOT_FOUND",
                    "No such webhook",
                )
            })?;
        s.webhooks.remove(pos);
        Ok(Json(json!({"ok": true})))
    })
}
