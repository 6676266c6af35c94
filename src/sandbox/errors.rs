//! Error responses in the contract's decided envelope (CONTRACT.md,
//! "Envelopes"): `{"ok":false,"error":{"code","message"}}`, plus
//! `retryAfterSeconds` and the `Retry-After` header on every 429 and only
//! there. Also the safety net that rewrites axum's own plain-text rejections
//! into that envelope.

use axum::body::Body;
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// One error answer of the sandbox: HTTP status, contract code, message and,
/// for 429 only, the retry delay in whole seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SbError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub retry_after: Option<u64>,
}

impl SbError {
    /// An error with the given status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        SbError {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    /// 400 `INVALID_BODY`.
    pub fn invalid_body(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "INVALID_BODY", message)
    }

    /// 404 `POST_NOT_FOUND`.
    pub fn post_not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "POST_NOT_FOUND",
            "Post doesn't exist or isn't published",
        )
    }

    /// 429 `RATE_LIMITED` with `retryAfterSeconds` (at least 1).
    pub fn rate_limited(message: impl Into<String>, retry_after_secs: u64) -> Self {
        SbError {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: "RATE_LIMITED",
            message: message.into(),
            retry_after: Some(retry_after_secs.max(1)),
        }
    }

    /// 413 `UPLOAD_TOO_LARGE`.
    pub fn too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "UPLOAD_TOO_LARGE",
            "Image exceeds 5 MB limit",
        )
    }

    /// 413 `UPLOAD_TOO_LARGE` for a request body over its route's limit.
    pub fn body_too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "UPLOAD_TOO_LARGE",
            "Request body too large: JSON up to 64 KiB; multipart uploads up to a 5 MiB image plus 64 KiB of other fields",
        )
    }

    /// 408 `REQUEST_TIMEOUT`: the body (or the whole request) took too long.
    pub fn timeout() -> Self {
        Self::new(
            StatusCode::REQUEST_TIMEOUT,
            "REQUEST_TIMEOUT",
            "The request took too long to arrive; send it again",
        )
    }
}

/// The answer for a failed read of a request body (an axum rejection with
/// its `status` and text, and the error itself): 408 when a read timed out
/// (tower-http's body timeout), 413 when the body is over its limit (the
/// status says so or a length-limit error is among the causes), else 400
/// `INVALID_BODY`.
pub fn body_rejection(
    status: StatusCode,
    text: &str,
    err: &(dyn std::error::Error + 'static),
) -> SbError {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = cause {
        if e.is::<tower_http::timeout::TimeoutError>() {
            return SbError::timeout();
        }
        if e.is::<http_body_util::LengthLimitError>() {
            return SbError::body_too_large();
        }
        cause = e.source();
    }
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        SbError::body_too_large()
    } else {
        SbError::invalid_body(format!("Missing or malformed request body: {text}"))
    }
}

impl IntoResponse for SbError {
    fn into_response(self) -> Response {
        let mut body = json!({
            "ok": false,
            "error": {"code": self.code, "message": self.message},
        });
        let mut resp;
        if let Some(secs) = self.retry_after {
            body["retryAfterSeconds"] = json!(secs);
            resp = (self.status, axum::Json(body)).into_response();
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        } else {
            resp = (self.status, axum::Json(body)).into_response();
        }
        resp
    }
}

/// The router's fallback: unknown route, 404 `NOT_FOUND`.
pub async fn not_found() -> SbError {
    SbError::new(StatusCode::NOT_FOUND, "NOT_FOUND", "No such route")
}

/// Known route, wrong method: 405 `METHOD_NOT_ALLOWED`.
pub async fn method_not_allowed() -> SbError {
    SbError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
        "This route does not accept that method",
    )
}

/// Middleware: any error response (status >= 400) that is not already JSON
/// (axum's plain-text rejections, body-limit errors) is rewritten into the
/// decided envelope. HTML pages and media are left alone (they are 2xx).
pub async fn envelope_safety_net(req: Request<Body>, next: Next) -> Response {
    let resp = next.run(req).await;
    let status = resp.status();
    if status.as_u16() < 400 {
        return resp;
    }
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return resp;
    }
    let err = match status {
        StatusCode::PAYLOAD_TOO_LARGE => SbError::body_too_large(),
        StatusCode::REQUEST_TIMEOUT => SbError::timeout(),
        StatusCode::NOT_FOUND => SbError::new(status, "NOT_FOUND", "No such route"),
        StatusCode::METHOD_NOT_ALLOWED => SbError::new(
            status,
            "METHOD_NOT_ALLOWED",
            "This route does not accept that method",
        ),
        s if s.is_client_error() => SbError::invalid_body("Missing or malformed request body"),
        s => SbError::new(s, "INTERNAL", "The sandbox failed to answer this request"),
    };
    err.into_response()
}
