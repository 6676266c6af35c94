//! `ApiError`: every failure of an API call (CONTRACT.md "Envelopes", error codes).
//!
//! Each documented error code (the page's table plus CONTRACT.md's decided
//! additions) is its own variant carrying the HTTP status, the server's
//! message (control characters removed) and `retry_after` in seconds (body
//! `retryAfterSeconds`, else the `Retry-After` header). An unknown code is
//! kept verbatim in [`ApiError::UnknownCode`] and judged by its HTTP status.
//! Failures that never reached a JSON error envelope have their own
//! variants (key format, network, timeout, undecodable bodies, non-JSON
//! error pages). [`ApiError::user_message`] gives a plain sentence for a
//! person; `Display` is the technical one-line form for logs.

use std::time::Duration;

/// Which quota a `RATE_LIMITED` answer concerns, known from the endpoint
/// that was called (CONTRACT.md "Quotas").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quota {
    /// 50 posts per UTC day (`/post`, `/posts`).
    Posts,
    /// 10 medals per rolling 60 s (`/vote`).
    Medals,
    /// 10 s cooldown between comments.
    Comments,
    /// Any other endpoint (not documented as rate limited).
    Other,
}

/// One failed API call.
///
/// Server-error variants all carry `status` (HTTP status code), `message`
/// (the server's text, sanitized: control characters removed, at most 500
/// characters; may be empty) and `retry_after` (seconds to wait, when the
/// server said so).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// `AUTH_HEADER_MISSING` (401): no Bearer token was sent.
    #[error("AUTH_HEADER_MISSING (HTTP {status}): {message}")]
    AuthHeaderMissing {
        status: u16,
        message: String,
        retry_after: Option<u64>,
    },
    /// `INVALID_AGENT_KEY` (401): key prefix unknown or hash mismatch.
    #[error("INVALID_AGENT_KEY (HTTP {status}): {message}")]
    InvalidAgentKey {
        status: u16,
        message: String,
        retry_after: Option<u64>,
    },
    /// `KEY_REVOKED` (401): the key has been revoked.
    #[error("KEY_REVOKED (HTTP {status}): {message}")]
    KeyRevoked {
        status: u16,
        message: String,
        retry_after: Option<u64>,
    },
    /// `AGENT_SUSPENDED` (401): the agent account is suspended.
    #[error("AGENT_SUSPENDED (HTTP {status}): {message}")]
    AgentSuspended {
        status: u16,
        message: String,
        retry_after: Option<u64>,
    },
    /// `RATE_LIMITED` (429): a quota is used up; `quota` says which one
    /// (from the endpoint called), `retry_after` when it frees up.
    #[error("RATE_LIMITED (HTTP {status}): {message}")]
    RateLimited {
        status: u16,
        message: String,
        retry_after: Option<u64>,
        quota: Quota,
    },
    /// `POST_NOT_FOUND` (404): the post does not exist or is not published.
    #[error("POST_NOT_FOUND (HTTP {status}): {message}")]
    PostNotFound {
        status: u16,
        message: String,
        retry_after: Option<u64>,
    },
    /// `CANNOT_MEDAL_OWN_POST` (403).
    #[error("CANNOT_MEDAL_OWN_POST (HTTP {status}): {message}")]
    CannotMedalOwnPost {
        status: u16,
        message: String,
        retry_after: Option<u64>,
    },
    /// `INVALID_BODY` (400): missing or malformed request body/parameters.
    #[error("INVALID_BODY (HTTP {status}): {message}")]
    InvalidBody {
        status: u16,
        message: String,
        retry_after: Option<u64>,
    },
    /// `IMAGE_URL_REQUIRED` (400): JSON mode without `imageUrl`.
    #[error("IMAGE_URL_REQUIRED (HTTP {status}): {message}")]
    ImageUrlRequired {
        status: u16,
        message: String,
        retry_after: Option<u64>,
    },
    /// `FILE_REQUIRED` (400): multipart mode without a `file` part.
    #[error("FILE_REQUIRED (HTTP {status}): {message}")]
    FileRequired {
        status: u16,
        message: String,
        retry_after: Option<u64>,
    },
    /// `AMBIGUOUS_INPUT` (400): both a file and `imageUrl` were sent.
    #[error("AMBIGUOUS_INPUT (HTTP {status}): {message}")]
    AmbiguousInput {
        status: u16,
        message: String,
        retry_after: Option<u64>,
    },
    /// `FORBIDDEN_URL` (400): the image URL is private/loopback (SSRF blocked).
    #[error("FORBIDDEN_URL (HTTP {status}): {message}")]
    ForbiddenUrl {
        status: u16,
        message: String,
        retry_after: Option<u64>,
    },
    /// `IMAGE_FETCH_FAILED` (422): the server could not fetch the image URL.
    #[error("IMAGE_FETCH_FAILED (HTTP {status}): {message}")]
    ImageFetchFailed {
        status: u16,
        message: String,
        retry_after: Option<u64>,
    },
    /// `UNSUPPORTED_MEDIA_TYPE` (415): not jpeg, png or webp.
    #[error("UNSUPPORTED_MEDIA_TYPE (HTTP {status}): {message}")]
    UnsupportedMediaType {
        status: u16,
        message: String,
        retry_after: Option<u64>,
    },
    /// `UPLOAD_TOO_LARGE` (413): the image exceeds 5 MB.
    #[error("UPLOAD_TOO_LARGE (HTTP {status}): {message}")]
    UploadTooLarge {
        status: u16,
        message: String,
        retry_after: Option<u64>,
    },
    /// `WEBHOOK_NOT_FOUND` (404, decided addition).
    #[error("WEBHOOK_NOT_FOUND (HTTP {status}): {message}")]
    WebhookNotFound {
        status: u16,
        message: String,
        retry_after: Option<u64>,
    },
    /// `WEBHOOK_LIMIT` (409, decided addition): a sixth webhook.
    #[error("WEBHOOK_LIMIT (HTTP {status}): {message}")]
    WebhookLimit {
        status: u16,
        message: String,
        retry_after: Option<u64>,
    },
    /// `INVALID_CURSOR` (400, decided addition): malformed or foreign cursor.
    #[error("INVALID_CURSOR (HTTP {status}): {message}")]
    InvalidCursor {
        status: u16,
        message: String,
        retry_after: Option<u64>,
    },
    /// A JSON error envelope with a code this client does not know; `code`
    /// is kept verbatim (sanitized) and the error is judged by `status`.
    #[error("{code} (HTTP {status}): {message}")]
    UnknownCode {
        status: u16,
        code: String,
        message: String,
        retry_after: Option<u64>,
    },
    /// An error status whose body is not a JSON error envelope (an HTML page
    /// from a proxy, an empty body): the status plus at most 200 characters
    /// of the body, control characters removed.
    #[error("HTTP {status}: {body}")]
    Http {
        status: u16,
        body: String,
        retry_after: Option<u64>,
    },
    /// The API answered with a redirect to another host; it was not
    /// followed, so the key never went there. `location` is sanitized.
    #[error("redirect (HTTP {status}) to another host not followed: {location}")]
    Redirect { status: u16, location: String },
    /// The key is not `prefix.secret` with parts of `A-Z a-z 0-9 _ -`; no
    /// request was made. The text says what is wrong, never the key itself.
    #[error("malformed agent key: {0}")]
    MalformedKey(String),
    /// The base URL or a media URL is unusable (unparsable, not http(s),
    /// or plain http to a non-loopback host without `allow_insecure_http`).
    #[error("invalid URL: {0}")]
    InvalidUrl(String),
    /// Could not connect / the connection dropped.
    #[error("network error: {0}")]
    Network(String),
    /// The request took longer than the configured timeout (connect or whole request).
    #[error("request timed out after {0:?}")]
    Timeout(Duration),
    /// A success body that did not match the contract's shape.
    #[error("unexpected response: {0}")]
    Decode(String),
    /// `fetch_media`: the body is larger than the caller's cap (bytes).
    #[error("media larger than {max_bytes} bytes")]
    MediaTooLarge { max_bytes: usize },
}

/// Every documented code with its variant constructor, used to map a code
/// string to its variant.
const KNOWN_CODES: &[&str] = &[
    "AUTH_HEADER_MISSING",
    "INVALID_AGENT_KEY",
    "KEY_REVOKED",
    "AGENT_SUSPENDED",
    "RATE_LIMITED",
    "POST_NOT_FOUND",
    "CANNOT_MEDAL_OWN_POST",
    "INVALID_BODY",
    "IMAGE_URL_REQUIRED",
    "FILE_REQUIRED",
    "AMBIGUOUS_INPUT",
    "FORBIDDEN_URL",
    "IMAGE_FETCH_FAILED",
    "UNSUPPORTED_MEDIA_TYPE",
    "UPLOAD_TOO_LARGE",
    "WEBHOOK_NOT_FOUND",
    "WEBHOOK_LIMIT",
    "INVALID_CURSOR",
];

impl ApiError {
    /// Builds the variant for a server error `code` (verbatim from the
    /// envelope); unknown codes become [`ApiError::UnknownCode`]. `message`
    /// and `code` are sanitized here; `quota` is used only by `RATE_LIMITED`.
    pub fn from_code(
        code: &str,
        status: u16,
        message: &str,
        retry_after: Option<u64>,
        quota: Quota,
    ) -> ApiError {
        let message = sanitize(message, 500);
        use ApiError::*;
        macro_rules! v {
            ($var:ident) => {
                $var {
                    status,
                    message,
                    retry_after,
                }
            };
        }
        match code {
            "AUTH_HEADER_MISSING" => v!(AuthHeaderMissing),
            "INVALID_AGENT_KEY" => v!(InvalidAgentKey),
            "KEY_REVOKED" => v!(KeyRevoked),
            "AGENT_SUSPENDED" => v!(AgentSuspended),
            "RATE_LIMITED" => RateLimited {
                status,
                message,
                retry_after,
                quota,
            },
            "POST_NOT_FOUND" => v!(PostNotFound),
            "CANNOT_MEDAL_OWN_POST" => v!(CannotMedalOwnPost),
            "INVALID_BODY" => v!(InvalidBody),
            "IMAGE_URL_REQUIRED" => v!(ImageUrlRequired),
            "FILE_REQUIRED" => v!(FileRequired),
            "AMBIGUOUS_INPUT" => v!(AmbiguousInput),
            "FORBIDDEN_URL" => v!(ForbiddenUrl),
            "IMAGE_FETCH_FAILED" => v!(ImageFetchFailed),
            "UNSUPPORTED_MEDIA_TYPE" => v!(UnsupportedMediaType),
            "UPLOAD_TOO_LARGE" => v!(UploadTooLarge),
            "WEBHOOK_NOT_FOUND" => v!(WebhookNotFound),
            "WEBHOOK_LIMIT" => v!(WebhookLimit),
            "INVALID_CURSOR" => v!(InvalidCursor),
            other => UnknownCode {
                status,
                code: sanitize(other, 100),
                message,
                retry_after,
            },
        }
    }

    /// Whether `code` is one of the documented codes (page table plus
    /// CONTRACT.md's decided additions).
    pub fn is_known_code(code: &str) -> bool {
        KNOWN_CODES.contains(&code)
    }

    /// `(code, status, message, retry_after)` of a server-error variant.
    fn server_parts(&self) -> Option<(&str, u16, &str, Option<u64>)> {
        use ApiError::*;
        macro_rules! p {
            ($code:literal, $s:expr, $m:expr, $r:expr) => {
                Some(($code, *$s, $m.as_str(), *$r))
            };
        }
        match self {
            AuthHeaderMissing {
                status: s,
                message: m,
                retry_after: r,
            } => p!("AUTH_HEADER_MISSING", s, m, r),
            InvalidAgentKey {
                status: s,
                message: m,
                retry_after: r,
            } => p!("INVALID_AGENT_KEY", s, m, r),
            KeyRevoked {
                status: s,
                message: m,
                retry_after: r,
            } => p!("KEY_REVOKED", s, m, r),
            AgentSuspended {
                status: s,
                message: m,
                retry_after: r,
            } => p!("AGENT_SUSPENDED", s, m, r),
            RateLimited {
                status: s,
                message: m,
                retry_after: r,
                ..
            } => p!("RATE_LIMITED", s, m, r),
            PostNotFound {
                status: s,
                message: m,
                retry_after: r,
            } => p!("POST_NOT_FOUND", s, m, r),
            CannotMedalOwnPost {
                status: s,
                message: m,
                retry_after: r,
            } => p!("CANNOT_MEDAL_OWN_POST", s, m, r),
            InvalidBody {
                status: s,
                message: m,
                retry_after: r,
            } => p!("INVALID_BODY", s, m, r),
            ImageUrlRequired {
                status: s,
                message: m,
                retry_after: r,
            } => p!("IMAGE_URL_REQUIRED", s, m, r),
            FileRequired {
                status: s,
                message: m,
                retry_after: r,
            } => p!("FILE_REQUIRED", s, m, r),
            AmbiguousInput {
                status: s,
                message: m,
                retry_after: r,
            } => p!("AMBIGUOUS_INPUT", s, m, r),
            ForbiddenUrl {
                status: s,
                message: m,
                retry_after: r,
            } => p!("FORBIDDEN_URL", s, m, r),
            ImageFetchFailed {
                status: s,
                message: m,
                retry_after: r,
            } => p!("IMAGE_FETCH_FAILED", s, m, r),
            UnsupportedMediaType {
                status: s,
                message: m,
                retry_after: r,
            } => p!("UNSUPPORTED_MEDIA_TYPE", s, m, r),
            UploadTooLarge {
                status: s,
                message: m,
                retry_after: r,
            } => p!("UPLOAD_TOO_LARGE", s, m, r),
            WebhookNotFound {
                status: s,
                message: m,
                retry_after: r,
            } => p!("WEBHOOK_NOT_FOUND", s, m, r),
            WebhookLimit {
                status: s,
                message: m,
                retry_after: r,
            } => p!("WEBHOOK_LIMIT", s, m, r),
            InvalidCursor {
                status: s,
                message: m,
                retry_after: r,
            } => p!("INVALID_CURSOR", s, m, r),
            UnknownCode {
                status,
                code,
                message,
                retry_after,
            } => Some((code.as_str(), *status, message.as_str(), *retry_after)),
            _ => None,
        }
    }

    /// The error code, e.g. `Some("RATE_LIMITED")`, for server errors with
    /// a JSON envelope (unknown codes verbatim); `None` otherwise.
    pub fn code(&self) -> Option<&str> {
        self.server_parts().map(|p| p.0)
    }

    /// Seconds to wait before retrying, when the server said so (body
    /// `retryAfterSeconds`, else the `Retry-After` header).
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            ApiError::Http { retry_after, .. } => *retry_after,
            _ => self.server_parts().and_then(|p| p.3),
        }
    }

    /// The HTTP status of an answer from the server, `None` when no answer
    /// arrived (network, timeout, malformed key, ...).
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Http { status, .. } | ApiError::Redirect { status, .. } => Some(*status),
            _ => self.server_parts().map(|p| p.1),
        }
    }

    /// The server's sanitized message for server errors (may be empty).
    pub fn server_message(&self) -> Option<&str> {
        self.server_parts().map(|p| p.2)
    }

    /// Whether the key or account is the problem (the four 401 codes, or
    /// any other answer with HTTP 401): the user must fix the key.
    pub fn is_auth_error(&self) -> bool {
        matches!(
            self,
            ApiError::AuthHeaderMissing { .. }
                | ApiError::InvalidAgentKey { .. }
                | ApiError::KeyRevoked { .. }
                | ApiError::AgentSuspended { .. }
                | ApiError::MalformedKey(_)
        ) || self.status() == Some(401)
    }

    /// Whether trying the same request again later may succeed: network
    /// errors, timeouts, HTTP 5xx and 429. Callers still never retry likes
    /// or comments automatically (they are not idempotent, CONTRACT.md).
    pub fn is_retryable(&self) -> bool {
        match self {
            ApiError::Network(_) | ApiError::Timeout(_) => true,
            _ => matches!(self.status(), Some(s) if s == 429 || s >= 500),
        }
    }

    /// A plain sentence for a person: what happened and what to do.
    /// Server text inside it is already sanitized.
    pub fn user_message(&self) -> String {
        use ApiError::*;
        const SET_KEY: &str = "set AISPACE_AGENT_KEY";
        match self {
            AuthHeaderMissing { .. } => format!(
                "No agent key was sent: {SET_KEY} to your key (prefix.secret) and try again."
            ),
            InvalidAgentKey { .. } => format!(
                "The agent key was not accepted (unknown prefix or wrong secret): check it and {SET_KEY} to a valid key."
            ),
            KeyRevoked { .. } => {
                format!("Key revoked: create a new key on AIspace and {SET_KEY}.")
            }
            AgentSuspended { .. } => "This agent is suspended: it cannot act until AIspace lifts the suspension.".to_string(),
            RateLimited {
                retry_after, quota, ..
            } => rate_limited_message(*quota, *retry_after),
            PostNotFound { .. } => {
                "This post does not exist or is not published (yet): refresh the feed.".to_string()
            }
            CannotMedalOwnPost { .. } => {
                "This is your own post: agents cannot medal their own posts.".to_string()
            }
            InvalidBody { message, .. } => with_detail(
                "The server refused the request as invalid",
                message,
                "check what you entered and try again.",
            ),
            ImageUrlRequired { .. } => {
                "An image URL is required to post by URL: enter one and try again.".to_string()
            }
            FileRequired { .. } => {
                "No image file was sent: choose a file to upload and try again.".to_string()
            }
            AmbiguousInput { .. } => {
                "Both a file and an image URL were sent: use only one of them.".to_string()
            }
            ForbiddenUrl { .. } => "That image URL points to a private or local address, which AIspace refuses: use a public http(s) URL.".to_string(),
            ImageFetchFailed { .. } => "AIspace could not download the image from that URL: check that it is public and reachable, or upload the file instead.".to_string(),
            UnsupportedMediaType { .. } => {
                "Unsupported image type: AIspace accepts JPEG, PNG and WebP only.".to_string()
            }
            UploadTooLarge { .. } => {
                "The image is larger than 5 MB: resize or compress it and try again.".to_string()
            }
            WebhookNotFound { .. } => {
                "That webhook no longer exists: reload the webhook list.".to_string()
            }
            WebhookLimit { .. } => {
                "Webhook limit reached (5 per agent): delete one before adding another."
                    .to_string()
            }
            InvalidCursor { .. } => {
                "The feed position is no longer valid: reload the feed from the top.".to_string()
            }
            UnknownCode {
                status,
                code,
                message,
                retry_after,
            } => unknown_code_message(*status, code, message, *retry_after),
            Http { status, body, .. } => {
                let what = format!("AIspace answered HTTP {status} without an error message");
                let todo = if *status >= 500 || *status == 429 {
                    "try again later."
                } else {
                    "check the base URL and try again."
                };
                with_detail(&what, body, todo)
            }
            Redirect { location, .. } => format!(
                "The API redirected to another host ({location}); the key is not sent there. If you trust that host, set it as the base URL."
            ),
            MalformedKey(reason) => format!(
                "The agent key is malformed ({reason}): it must look like prefix.secret using only letters, digits, _ and -; {SET_KEY} correctly."
            ),
            InvalidUrl(reason) => format!("Unusable URL: {reason}."),
            Network(detail) => format!(
                "Cannot reach AIspace ({detail}): check your connection and the base URL, then try again."
            ),
            Timeout(d) => format!(
                "AIspace did not answer within {} s: try again in a moment.",
                d.as_secs_f64().ceil() as u64
            ),
            Decode(detail) => format!(
                "AIspace sent a response this client does not understand ({detail}): the API may have changed; try updating aispace-tui."
            ),
            MediaTooLarge { max_bytes } => format!(
                "The image is larger than the preview limit of {}: it is not shown.",
                human_bytes(*max_bytes)
            ),
        }
    }
}

fn with_detail(what: &str, detail: &str, todo: &str) -> String {
    let detail = detail.trim();
    if detail.is_empty() {
        format!("{what}: {todo}")
    } else {
        format!("{what} ({detail}): {todo}")
    }
}

fn rate_limited_message(quota: Quota, retry_after: Option<u64>) -> String {
    let wait = retry_after.map(human_secs);
    match (quota, wait) {
        (Quota::Medals, Some(w)) => format!("Medal quota used: next medal in {w}."),
        (Quota::Medals, None) => {
            "Medal quota used (10 per 60 s): wait a minute before the next medal.".to_string()
        }
        (Quota::Comments, Some(w)) => format!("Comment cooldown: next comment in {w}."),
        (Quota::Comments, None) => {
            "Comment cooldown (10 s): wait a few seconds before commenting again.".to_string()
        }
        (Quota::Posts, Some(w)) => {
            format!("Daily post quota used (50 per UTC day): posting again in {w}.")
        }
        (Quota::Posts, None) => {
            "Daily post quota used (50 per UTC day): posting again after 00:00 UTC.".to_string()
        }
        (Quota::Other, Some(w)) => format!("Rate limited by AIspace: try again in {w}."),
        (Quota::Other, None) => "Rate limited by AIspace: try again in a moment.".to_string(),
    }
}

fn unknown_code_message(status: u16, code: &str, message: &str, retry: Option<u64>) -> String {
    let what = format!("AIspace refused the request with {code} (HTTP {status})");
    match status {
        401 => with_detail(&what, message, "check the agent key (AISPACE_AGENT_KEY)."),
        403 => with_detail(&what, message, "this action is not allowed for this agent."),
        404 => with_detail(
            &what,
            message,
            "it no longer exists; refresh and try again.",
        ),
        429 => match retry {
            Some(s) => with_detail(&what, message, &format!("try again in {}.", human_secs(s))),
            None => with_detail(&what, message, "try again in a moment."),
        },
        s if s >= 500 => with_detail(&what, message, "AIspace has a problem; try again later."),
        _ => with_detail(&what, message, "check what you entered and try again."),
    }
}

/// `23 s`, `4 min 5 s`, `3 h 12 min`.
fn human_secs(s: u64) -> String {
    if s < 120 {
        format!("{s} s")
    } else if s < 3600 {
        let (m, r) = (s / 60, s % 60);
        if r == 0 {
            format!("{m} min")
        } else {
            format!("{m} min {r} s")
        }
    } else {
        let (h, m) = (s / 3600, (s % 3600).div_ceil(60));
        if m == 60 {
            format!("{} h", h + 1)
        } else if m == 0 {
            format!("{h} h")
        } else {
            format!("{h} h {m} min")
        }
    }
}

fn human_bytes(b: usize) -> String {
    if b >= 1024 * 1024 {
        format!("{:.1} MB", b as f64 / (1024.0 * 1024.0))
    } else if b >= 1024 {
        format!("{} KB", b / 1024)
    } else {
        format!("{b} bytes")
    }
}

/// Makes server text safe to quote in a message: `text::clean_line_max`
/// (the one sanitizer: controls become visible pictures such as `␛`, line
/// breaks one space, bidi/invisible chars removed) cut to at most
/// `max_chars` chars including the final `…` when cut.
pub fn sanitize(s: &str, max_chars: usize) -> String {
    crate::text::clean_line_max(s, max_chars)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_strips_controls_and_cuts() {
        assert_eq!(sanitize("a\u{1b}[31mb\u{7}c\u{202E}d", 100), "a␛[31mb␇cd");
        assert_eq!(sanitize("line1\nline2", 100), "line1 line2");
        assert_eq!(sanitize("abcdef", 3), "ab…");
        assert_eq!(sanitize("abc", 3), "abc");
    }

    #[test]
    fn every_known_code_maps_to_its_variant() {
        for code in KNOWN_CODES {
            let e = ApiError::from_code(code, 400, "m", None, Quota::Other);
            assert_eq!(e.code(), Some(*code));
            assert!(!matches!(e, ApiError::UnknownCode { .. }), "{code}");
        }
        let e = ApiError::from_code("NEW_THING", 418, "m", Some(3), Quota::Other);
        assert_eq!(e.code(), Some("NEW_THING"));
        assert_eq!(e.retry_after(), Some(3));
        assert!(matches!(e, ApiError::UnknownCode { status: 418, .. }));
    }

    #[test]
    fn user_messages() {
        let e = ApiError::from_code("RATE_LIMITED", 429, "x", Some(23), Quota::Medals);
        assert_eq!(e.user_message(), "Medal quota used: next medal in 23 s.");
        assert!(e.is_retryable());
        let e = ApiError::from_code("CANNOT_MEDAL_OWN_POST", 403, "x", None, Quota::Other);
        assert_eq!(
            e.user_message(),
            "This is your own post: agents cannot medal their own posts."
        );
        assert!(!e.is_retryable());
        let e = ApiError::from_code("KEY_REVOKED", 401, "", None, Quota::Other);
        assert_eq!(
            e.user_message(),
            "Key revoked: create a new key on AIspace and set AISPACE_AGENT_KEY."
        );
        assert!(e.is_auth_error());
        assert_eq!(human_secs(7200), "2 h");
        assert_eq!(human_secs(3 * 3600 + 11 * 60 + 1), "3 h 12 min");
        assert_eq!(human_secs(125), "2 min 5 s");
    }
}
