//! Request extractors whose rejections use the contract's envelope: JSON
//! bodies (`INVALID_BODY` for bad JSON or a wrong content type) and the base
//! URL of the request (from its `Host` header).

use super::errors::SbError;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// A JSON body; any rejection (missing or wrong `Content-Type`, malformed
/// JSON, wrong field types) becomes 400 `INVALID_BODY`.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = SbError;

    async fn from_request(req: Request, state: &S) -> Result<Self, SbError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rej) => Err(SbError::invalid_body(format!(
                "Missing or malformed request body: {}",
                rej.body_text()
            ))),
        }
    }
}

/// The public base URL of the sandbox as the client sees it:
/// `http://{Host header}` (no trailing slash). Falls back to
/// `http://localhost` without a usable `Host`.
#[derive(Debug, Clone)]
pub struct BaseUrl(pub String);

impl<S: Send + Sync> FromRequestParts<S> for BaseUrl {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .filter(|h| {
                !h.is_empty()
                    && h.chars()
                        .all(|c| c.is_ascii_alphanumeric() || ".-:[]_".contains(c))
            })
            .or_else(|| parts.uri.authority().map(|a| a.as_str()))
            .unwrap_or("localhost");
        Ok(BaseUrl(format!("http://{host}")))
    }
}
