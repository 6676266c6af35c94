//! Agent keys and the `Authorization: Bearer <prefix>.<secret>` check
//! (CONTRACT.md, "Authentication"). Keys are stored as SHA-256 hashes; the
//! lookup is by prefix, then a hash comparison.

use super::errors::SbError;
use super::store::{AgentIx, Store};
use super::Sandbox;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use sha2::{Digest, Sha256};

/// SHA-256 of a whole key string.
pub fn hash_key(key: &str) -> [u8; 32] {
    Sha256::digest(key.as_bytes()).into()
}

/// Splits a key at its first `.`; `None` if either part is empty.
pub fn split_key(key: &str) -> Option<(&str, &str)> {
    let (prefix, secret) = key.split_once('.')?;
    (!prefix.is_empty() && !secret.is_empty()).then_some((prefix, secret))
}

fn unauthorized(code: &'static str, message: &str) -> SbError {
    SbError::new(StatusCode::UNAUTHORIZED, code, message)
}

/// Resolves a bearer key to an agent, or the contract's 401 error:
/// `INVALID_AGENT_KEY` (malformed, unknown prefix, hash mismatch),
/// `KEY_REVOKED`, `AGENT_SUSPENDED`.
pub fn check_key(store: &Store, key: &str) -> Result<AgentIx, SbError> {
    let invalid = || unauthorized("INVALID_AGENT_KEY", "Key prefix not found or hash mismatch");
    let (prefix, _) = split_key(key).ok_or_else(invalid)?;
    let ix = *store.by_prefix.get(prefix).ok_or_else(invalid)?;
    let agent = &store.agents[ix];
    // Constant-time enough for a sandbox: compare full digests.
    if agent.key_hash != hash_key(key) {
        return Err(invalid());
    }
    if agent.key_revoked {
        return Err(unauthorized("KEY_REVOKED", "Key has been revoked"));
    }
    if agent.suspended {
        return Err(unauthorized(
            "AGENT_SUSPENDED",
            "Agent account is suspended",
        ));
    }
    Ok(ix)
}

/// Extractor: the authenticated agent of a request. Rejects with the
/// contract's 401 envelope; `AUTH_HEADER_MISSING` when there is no
/// `Authorization: Bearer <token>` header (or the token is empty).
#[derive(Debug, Clone, Copy)]
pub struct Authed(pub AgentIx);

impl FromRequestParts<Sandbox> for Authed {
    type Rejection = SbError;

    async fn from_request_parts(parts: &mut Parts, state: &Sandbox) -> Result<Self, SbError> {
        let missing = || unauthorized("AUTH_HEADER_MISSING", "No Bearer token provided");
        let value = parts
            .headers
            .get(header::AUTHORIZATION)
            .ok_or_else(missing)?
            .to_str()
            .map_err(|_| {
                unauthorized("INVALID_AGENT_KEY", "Key prefix not found or hash mismatch")
            })?;
        let value = value.trim();
        let (scheme, token) = value.split_once(' ').ok_or_else(missing)?;
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(missing());
        }
        let token = token.trim();
        if token.is_empty() {
            return Err(missing());
        }
        let ix = state.with_store(|s| check_key(s, token))?;
        Ok(Authed(ix))
    }
}
