//! `ApiError`: every failure of an API call (CONTRACT.md "Envelopes", error codes).
//!
//! SKELETON: the api helper completes this (variants per documented code,
//! parsing of every tolerated error envelope, user-facing messages).

use std::time::Duration;

/// One failed API call.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The server answered with an error (any documented or unknown `code`).
    #[error("{code}: {message}")]
    Server {
        /// HTTP status code.
        status: u16,
        /// The error code (`RATE_LIMITED`, ...), verbatim.
        code: String,
        /// The server's message, sanitized.
        message: String,
        /// Seconds to wait before retrying (body `retryAfterSeconds`, else `Retry-After`).
        retry_after: Option<u64>,
    },
    /// The key is not `prefix.secret` with parts of `A-Z a-z 0-9 _ -`; no request was made.
    #[error("malformed agent key: {0}")]
    MalformedKey(String),
    /// Could not connect / connection dropped.
    #[error("network error: {0}")]
    Network(String),
    /// The request took longer than the configured timeout.
    #[error("request timed out after {0:?}")]
    Timeout(Duration),
    /// A success body that did not match the contract's shape.
    #[error("unexpected response: {0}")]
    Decode(String),
}

impl ApiError {
    /// The error code, e.g. `Some("RATE_LIMITED")`, for server errors.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Server { code, .. } => Some(code),
            _ => None,
        }
    }
    /// Seconds to wait before retrying, when the server said so.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            ApiError::Server { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}
