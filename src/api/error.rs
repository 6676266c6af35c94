//! `ApiError`: every failure of an API call (CONTRACT.md "Envelopes", error codes).
//!
//! A JSON error envelope becomes [`ApiError::Server`]: its documented code
//! as data ([`Code`], one name table), the HTTP status, the server's
//! message (control characters removed) and `retry_after` in seconds (body
//! `retryAfterSeconds`, else the `Retry-After` header, clamped to
//! [`MAX_RETRY_AFTER_SECS`]). An unknown code is kept verbatim in
//! [`Code::Other`] and judged by its HTTP status. Failures that never
//! reached a JSON error envelope have their own variants (key format,
//! network, timeout, undecodable bodies, non-JSON error pages).
//! [`ApiError::failure`] is the one classification every caller asks
//! ("is this temporary?"); [`ApiError::user_message`] gives a plain
//! sentence for a person; `Display` is the technical one-line form for logs.

use crate::duration;
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

/// The longest wait a server may ask for (24 h, CONTRACT.md "Numbers the
/// client must tolerate"); longer waits are clamped to it and worded as
/// "over a day".
pub const MAX_RETRY_AFTER_SECS: u64 = 24 * 3600;

/// Clamps a server's `Retry-After` to [`MAX_RETRY_AFTER_SECS`].
pub fn clamp_retry_after(secs: u64) -> u64 {
    secs.min(MAX_RETRY_AFTER_SECS)
}

macro_rules! codes {
    ($($(#[$m:meta])* $var:ident => $name:literal,)+) => {
        /// A documented error code (the page's table plus CONTRACT.md's
        /// decided additions), or an unknown one kept verbatim.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum Code {
            $($(#[$m])* #[doc = concat!("`", $name, "`")] $var,)+
            /// A code this client does not know (sanitized); judged by the
            /// HTTP status.
            Other(String),
        }

        /// The name table: every documented code and its wire name.
        pub const CODES: &[(Code, &str)] = &[$((Code::$var, $name),)+];
    };
}

codes! {
    /// 401: no Bearer token was sent.
    AuthHeaderMissing => "AUTH_HEADER_MISSING",
    /// 401: key prefix unknown or hash mismatch.
    InvalidAgentKey => "INVALID_AGENT_KEY",
    /// 401: the key has been revoked.
    KeyRevoked => "KEY_REVOKED",
    /// 401: the agent account is suspended.
    AgentSuspended => "AGENT_SUSPENDED",
    /// 429: a quota is used up.
    RateLimited => "RATE_LIMITED",
    /// 404: the post does not exist or is not published.
    PostNotFound => "POST_NOT_FOUND",
    /// 403.
    CannotMedalOwnPost => "CANNOT_MEDAL_OWN_POST",
    /// 400: missing or malformed request body/parameters.
    InvalidBody => "INVALID_BODY",
    /// 400: JSON mode without `imageUrl`.
    ImageUrlRequired => "IMAGE_URL_REQUIRED",
    /// 400: multipart mode without a `file` part.
    FileRequired => "FILE_REQUIRED",
    /// 400: both a file and `imageUrl` were sent.
    AmbiguousInput => "AMBIGUOUS_INPUT",
    /// 400: the image URL is private/loopback (SSRF blocked).
    ForbiddenUrl => "FORBIDDEN_URL",
    /// 422: the server could not fetch the image URL.
    ImageFetchFailed => "IMAGE_FETCH_FAILED",
    /// 415: not jpeg, png or webp.
    UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
    /// 413: the image exceeds 5 MB.
    UploadTooLarge => "UPLOAD_TOO_LARGE",
    /// 404 (decided addition).
    WebhookNotFound => "WEBHOOK_NOT_FOUND",
    /// 409 (decided addition): a sixth webhook.
    WebhookLimit => "WEBHOOK_LIMIT",
    /// 400 (decided addition): malformed or foreign cursor.
    InvalidCursor => "INVALID_CURSOR",
}

impl Code {
    /// The code for a wire name (verbatim from the envelope); unknown names
    /// become [`Code::Other`] (sanitized).
    pub fn from_name(name: &str) -> Code {
        CODES
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(c, _)| c.clone())
            .unwrap_or_else(|| Code::Other(sanitize(name, 100)))
    }

    /// The wire name, e.g. `"RATE_LIMITED"` (unknown codes verbatim).
    pub fn name(&self) -> &str {
        match self {
            Code::Other(s) => s,
            known => CODES
                .iter()
                .find(|(c, _)| c == known)
                .map(|(_, n)| *n)
                .unwrap_or(""),
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What kind of failure an error is: the one answer to "is this
/// temporary?" for every caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// No answer arrived (connection failed or dropped, timeout).
    NoAnswer,
    /// The server answered with an error of its own (HTTP 5xx).
    ServerFault,
    /// An answer arrived that this client cannot read.
    Unreadable,
    /// A quota is used up (HTTP 429).
    RateLimited,
    /// The server (or this client, before sending) refused the request as
    /// it is: retrying the same request will not help.
    Refused,
    /// The key or the account is the problem: the user must fix the key.
    Auth,
    /// The address answered, but not as the Agent API: HTTP 404 for one of
    /// its routes, without a documented code (a wrong base URL or path, or
    /// a proxy in front). Reads keep retrying (slowly) in case a proxy
    /// comes back; the user should check the API base URL.
    WrongAddress,
}

impl Failure {
    /// A read that failed this way is retried by itself (with backoff): no
    /// answer, a server fault or an unreadable answer.
    pub fn read_retries(self) -> bool {
        matches!(
            self,
            Failure::NoAnswer | Failure::ServerFault | Failure::Unreadable | Failure::WrongAddress
        )
    }

    /// The same request may succeed later (offered as `R`, retried at
    /// start-up): no answer, a server fault or a rate limit. Likes and
    /// comments are still never retried automatically (not idempotent).
    pub fn worth_retrying(self) -> bool {
        matches!(
            self,
            Failure::NoAnswer | Failure::ServerFault | Failure::RateLimited
        )
    }
}

/// One failed API call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// A JSON error envelope: its `code`, the HTTP `status`, the server's
    /// `message` (sanitized: control characters removed, at most 500
    /// characters; may be empty), `retry_after` (seconds to wait, when the
    /// server said so, clamped to 24 h) and, for `RATE_LIMITED`, which
    /// `quota` (known from the endpoint called).
    #[error("{code} (HTTP {status}): {message}")]
    Server {
        code: Code,
        status: u16,
        message: String,
        retry_after: Option<u64>,
        quota: Quota,
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

/// The advice for an answer that shows the base URL is wrong.
pub const CHECK_BASE_URL: &str =
    "check the API base URL (--api-url, AISPACE_API_URL or api_url in the config)";

/// "set AISPACE_AGENT_KEY", the advice of every key problem.
const SET_KEY: &str = "set AISPACE_AGENT_KEY";
/// The start of the status line while the medal window is full (a time
/// left follows).
pub const MEDAL_WAIT: &str = "Medal quota used: next medal in ";
/// The start of the status line during the comment cooldown (a time left
/// follows).
pub const COMMENT_WAIT: &str = "Comment cooldown: next comment in ";

impl ApiError {
    /// Builds the error for a server error envelope with `code` (verbatim
    /// from the envelope). `message` and an unknown `code` are sanitized
    /// here, `retry_after` clamped; `quota` matters only for `RATE_LIMITED`.
    pub fn from_code(
        code: &str,
        status: u16,
        message: &str,
        retry_after: Option<u64>,
        quota: Quota,
    ) -> ApiError {
        ApiError::Server {
            code: Code::from_name(code),
            status,
            message: sanitize(message, 500),
            retry_after: retry_after.map(clamp_retry_after),
            quota,
        }
    }

    /// Whether `code` is one of the documented codes (page table plus
    /// CONTRACT.md's decided additions).
    pub fn is_known_code(code: &str) -> bool {
        CODES.iter().any(|(_, n)| *n == code)
    }

    /// The API's code (e.g. `RATE_LIMITED`), or this client's own for an
    /// error that carries none (`HTTP_404`, `NETWORK`, `TIMEOUT`, ...), as
    /// the CLI prints it and the archive records a refusal.
    pub fn code_name(&self) -> String {
        match self {
            ApiError::Server { code, .. } => code.name().to_string(),
            ApiError::Http { status, .. } => format!("HTTP_{status}"),
            ApiError::Redirect { .. } => "REDIRECT".to_string(),
            ApiError::MalformedKey(_) => "MALFORMED_KEY".to_string(),
            ApiError::InvalidUrl(_) => "INVALID_URL".to_string(),
            ApiError::Network(_) => "NETWORK".to_string(),
            ApiError::Timeout(_) => "TIMEOUT".to_string(),
            ApiError::Decode(_) => "UNREADABLE_ANSWER".to_string(),
            ApiError::MediaTooLarge { .. } => "MEDIA_TOO_LARGE".to_string(),
        }
    }

    /// The error code, e.g. `Some("RATE_LIMITED")`, for server errors with
    /// a JSON envelope (unknown codes verbatim); `None` otherwise.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Server { code, .. } => Some(code.name()),
            _ => None,
        }
    }

    /// Whether this is a server error envelope with this code.
    pub fn has_code(&self, c: &Code) -> bool {
        matches!(self, ApiError::Server { code, .. } if code == c)
    }

    /// Seconds to wait before retrying, when the server said so (body
    /// `retryAfterSeconds`, else the `Retry-After` header), at most
    /// [`MAX_RETRY_AFTER_SECS`].
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            ApiError::Server { retry_after, .. } | ApiError::Http { retry_after, .. } => {
                retry_after.map(clamp_retry_after)
            }
            _ => None,
        }
    }

    /// The HTTP status of an answer from the server, `None` when no answer
    /// arrived (network, timeout, malformed key, ...).
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Server { status, .. }
            | ApiError::Http { status, .. }
            | ApiError::Redirect { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The server's sanitized message for server errors (may be empty).
    pub fn server_message(&self) -> Option<&str> {
        match self {
            ApiError::Server { message, .. } => Some(message),
            _ => None,
        }
    }

    /// What kind of failure this is (see [`Failure`]).
    pub fn failure(&self) -> Failure {
        use ApiError::*;
        match self {
            MalformedKey(_) => Failure::Auth,
            Server {
                code:
                    Code::AuthHeaderMissing
                    | Code::InvalidAgentKey
                    | Code::KeyRevoked
                    | Code::AgentSuspended,
                ..
            } => Failure::Auth,
            Network(_) | Timeout(_) => Failure::NoAnswer,
            Decode(_) => Failure::Unreadable,
            InvalidUrl(_) | MediaTooLarge { .. } => Failure::Refused,
            Server {
                code: Code::PostNotFound | Code::WebhookNotFound,
                ..
            } => Failure::Refused,
            Server { status: 404, .. } | Http { status: 404, .. } => Failure::WrongAddress,
            Server { status, .. } | Http { status, .. } | Redirect { status, .. } => match status {
                401 => Failure::Auth,
                429 => Failure::RateLimited,
                s if *s >= 500 => Failure::ServerFault,
                _ => Failure::Refused,
            },
        }
    }

    /// Whether the key or account is the problem (the four 401 codes, or
    /// any other answer with HTTP 401): the user must fix the key.
    pub fn is_auth_error(&self) -> bool {
        self.failure() == Failure::Auth
    }

    /// Whether trying the same request again later may succeed
    /// ([`Failure::worth_retrying`]).
    pub fn is_retryable(&self) -> bool {
        self.failure().worth_retrying()
    }

    /// What happened in a few words, without advice or server text, never
    /// with parentheses (for the header beside "retrying in 4 s"): "Cannot
    /// reach AIspace", "server fault, HTTP 500", "no API at this address,
    /// HTTP 404: check the API base URL".
    pub fn headline(&self) -> String {
        use ApiError::*;
        match (self, self.failure()) {
            (Network(_), _) => "Cannot reach AIspace".to_string(),
            (Timeout(d), _) => format!("no answer within {} s", d.as_secs_f64().ceil() as u64),
            (Decode(_), _) => "unreadable answer".to_string(),
            (_, Failure::WrongAddress) => {
                "no API at this address, HTTP 404: check the API base URL".to_string()
            }
            (_, Failure::ServerFault) => {
                format!("server fault, HTTP {}", self.status().unwrap_or(500))
            }
            (_, Failure::RateLimited) => "rate limited".to_string(),
            (_, Failure::Auth) => "key refused".to_string(),
            (Redirect { .. }, _) => "redirected to another host".to_string(),
            (InvalidUrl(_), _) => "unusable URL".to_string(),
            (MediaTooLarge { .. }, _) => "picture too large".to_string(),
            (_, _) => match self.status() {
                Some(s) => format!("request refused, HTTP {s}"),
                None => "request refused".to_string(),
            },
        }
    }

    /// A plain sentence for a person: what happened and what to do.
    /// Server text inside it is already sanitized.
    pub fn user_message(&self) -> String {
        use ApiError::*;
        match self {
            Server {
                code,
                status,
                message,
                retry_after,
                quota,
            } => server_message(code, *status, message, retry_after.map(clamp_retry_after), *quota),
            Http { status, body, .. } => {
                let what = if *status >= 500 {
                    format!("AIspace had a server fault (HTTP {status}) and sent no error message")
                } else {
                    format!("AIspace answered HTTP {status} without an error message")
                };
                let todo = if *status >= 500 || *status == 429 {
                    "try again later.".to_string()
                } else {
                    format!("{CHECK_BASE_URL}.")
                };
                with_detail(&what, &body_detail(body), &todo)
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

/// The sentence for a server error envelope.
fn server_message(
    code: &Code,
    status: u16,
    message: &str,
    retry_after: Option<u64>,
    quota: Quota,
) -> String {
    match code {
        Code::AuthHeaderMissing => format!(
            "No agent key was sent: {SET_KEY} to your key (prefix.secret) and try again."
        ),
        Code::InvalidAgentKey => format!(
            "The agent key was not accepted (unknown prefix or wrong secret): check it and {SET_KEY} to a valid key."
        ),
        Code::KeyRevoked => format!("Key revoked: create a new key on AIspace and {SET_KEY}."),
        Code::AgentSuspended => "This agent is suspended: it cannot act until AIspace lifts the suspension.".to_string(),
        Code::RateLimited => rate_limited_message(quota, retry_after),
        Code::PostNotFound => {
            "This post does not exist or is not published (yet): refresh the feed.".to_string()
        }
        Code::CannotMedalOwnPost => {
            "This is your own post: agents cannot medal their own posts.".to_string()
        }
        Code::InvalidBody => with_detail(
            "The server refused the request as invalid",
            message,
            "check what you entered and try again.",
        ),
        Code::ImageUrlRequired => {
            "An image URL is required to post by URL: enter one and try again.".to_string()
        }
        Code::FileRequired => {
            "No image file was sent: choose a file to upload and try again.".to_string()
        }
        Code::AmbiguousInput => {
            "Both a file and an image URL were sent: use only one of them.".to_string()
        }
        Code::ForbiddenUrl => "That image URL points to a private or local address, which AIspace refuses: use a public http(s) URL.".to_string(),
        Code::ImageFetchFailed => "AIspace could not download the image from that URL: check that it is public and reachable, or upload the file instead.".to_string(),
        Code::UnsupportedMediaType => {
            "Unsupported image type: AIspace accepts JPEG, PNG and WebP only.".to_string()
        }
        Code::UploadTooLarge => {
            "The image is larger than 5 MB: resize or compress it and try again.".to_string()
        }
        Code::WebhookNotFound => {
            "That webhook no longer exists: reload the webhook list.".to_string()
        }
        Code::WebhookLimit => {
            "Webhook limit reached (5 per agent): delete one before adding another.".to_string()
        }
        Code::InvalidCursor => {
            "The feed position is no longer valid: reload the feed from the top.".to_string()
        }
        Code::Other(code) => unknown_code_message(status, code, message, retry_after),
    }
}

/// What to quote of a non-JSON error body: an HTML page is named by its
/// `<title>` (or as "an HTML page"), never shown as markup; other text is
/// quoted as it is (already sanitized and cut).
pub(crate) fn body_detail(body: &str) -> String {
    let lower = body.to_ascii_lowercase();
    let html = lower.trim_start().starts_with('<')
        || lower.contains("<html")
        || lower.contains("<!doctype");
    if !html {
        return body.to_string();
    }
    let title = lower
        .find("<title>")
        .map(|i| i + "<title>".len())
        .and_then(|start| {
            let end = lower[start..].find('<').map_or(body.len(), |e| start + e);
            body.get(start..end)
        })
        .map(str::trim)
        .filter(|t| !t.is_empty() && !t.contains(['<', '>']));
    match title {
        Some(t) => format!("an HTML page: {}", sanitize(t, 80)),
        None => "an HTML page".to_string(),
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
    let wait = retry_after.map(|s| duration::wait(s as i64));
    match (quota, wait) {
        (Quota::Medals, Some(w)) => format!("{MEDAL_WAIT}{w}."),
        (Quota::Medals, None) => {
            "Medal quota used (10 per 60 s): wait a minute before the next medal.".to_string()
        }
        (Quota::Comments, Some(w)) => format!("{COMMENT_WAIT}{w}."),
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
    let what = if status >= 500 {
        format!("AIspace had a server fault, {code} (HTTP {status})")
    } else {
        format!("AIspace refused the request with {code} (HTTP {status})")
    };
    match status {
        401 => with_detail(&what, message, "check the agent key (AISPACE_AGENT_KEY)."),
        403 => with_detail(&what, message, "this action is not allowed for this agent."),
        404 => with_detail(
            &format!("No such API route at this address: {code} (HTTP {status})"),
            message,
            &format!("{CHECK_BASE_URL}."),
        ),
        429 => match retry {
            Some(s) => with_detail(
                &what,
                message,
                &format!("try again in {}.", duration::wait(s as i64)),
            ),
            None => with_detail(&what, message, "try again in a moment."),
        },
        s if s >= 500 => with_detail(&what, message, "try again later."),
        _ => with_detail(&what, message, "check what you entered and try again."),
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
        for (code, name) in CODES {
            let e = ApiError::from_code(name, 400, "m", None, Quota::Other);
            assert_eq!(e.code(), Some(*name));
            assert!(e.has_code(code), "{name}");
            assert_eq!(Code::from_name(name).name(), *name);
        }
        let e = ApiError::from_code("NEW_THING", 418, "m", Some(3), Quota::Other);
        assert_eq!(e.code(), Some("NEW_THING"));
        assert_eq!(e.retry_after(), Some(3));
        assert!(e.has_code(&Code::Other("NEW_THING".into())));
        assert_eq!(e.status(), Some(418));
    }

    #[test]
    fn one_classification() {
        let e = |code: &str, status| ApiError::from_code(code, status, "", None, Quota::Other);
        assert_eq!(e("KEY_REVOKED", 401).failure(), Failure::Auth);
        assert_eq!(e("ANYTHING", 401).failure(), Failure::Auth);
        assert_eq!(e("RATE_LIMITED", 429).failure(), Failure::RateLimited);
        assert_eq!(e("MAINTENANCE", 503).failure(), Failure::ServerFault);
        assert_eq!(e("INVALID_BODY", 400).failure(), Failure::Refused);
        let net = ApiError::Network("x".into());
        assert_eq!(net.failure(), Failure::NoAnswer);
        assert_eq!(ApiError::Decode("x".into()).failure(), Failure::Unreadable);
        assert!(Failure::Unreadable.read_retries() && !Failure::Unreadable.worth_retrying());
        assert!(Failure::RateLimited.worth_retrying() && !Failure::RateLimited.read_retries());
        assert!(!Failure::Refused.worth_retrying() && !Failure::Auth.read_retries());
    }

    #[test]
    fn huge_retry_after_is_clamped_to_a_day() {
        let e = ApiError::from_code(
            "RATE_LIMITED",
            429,
            "",
            Some(9_000_000_000_000),
            Quota::Other,
        );
        assert_eq!(e.retry_after(), Some(MAX_RETRY_AFTER_SECS));
        assert_eq!(
            e.user_message(),
            "Rate limited by AIspace: try again in over a day."
        );
        let e = ApiError::Http {
            status: 429,
            body: String::new(),
            retry_after: Some(u64::MAX),
        };
        assert_eq!(e.retry_after(), Some(MAX_RETRY_AFTER_SECS));
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
    }
}
