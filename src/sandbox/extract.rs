//! Request extractors whose rejections use the contract's envelope: JSON
//! bodies (`INVALID_BODY` for bad JSON or a wrong content type, 413 and
//! 408 for a body too large or too slow) and the sandbox's public base URL.

use super::errors::{body_rejection, SbError};
use super::Sandbox;
use axum::extract::{FromRequest, FromRequestParts, Request};
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
            Err(rej) => Err(body_rejection(rej.status(), &rej.body_text(), &rej)),
        }
    }
}

/// The sandbox's public base URL ([`Sandbox::public_url`], no trailing
/// slash), the base of every link in an answer. Deliberately not derived
/// from the request: a client's `Host` header never reaches a link.
#[derive(Debug, Clone)]
pub struct BaseUrl(pub String);

impl FromRequestParts<Sandbox> for BaseUrl {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(_parts: &mut Parts, sb: &Sandbox) -> Result<Self, Self::Rejection> {
        Ok(BaseUrl(sb.public_url().to_owned()))
    }
}
