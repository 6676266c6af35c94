//! The status line: one message with a level and an expiry (local time).

use crate::api::Timestamp;
use chrono::Duration;

/// How long an info message stays, in seconds.
pub const INFO_SECS: i64 = 5;
/// How long an error message stays, in seconds.
pub const ERROR_SECS: i64 = 10;

/// Info (neutral) or error (red).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Error,
}

/// One status message, sanitized, with the local time it disappears.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub level: Level,
    pub expires_at: Timestamp,
}

impl Status {
    /// An info message shown from `now` for [`INFO_SECS`].
    pub fn info(text: impl Into<String>, now: Timestamp) -> Self {
        Status {
            text: crate::text::clean_line(&text.into()),
            level: Level::Info,
            expires_at: now + Duration::seconds(INFO_SECS),
        }
    }
    /// An error message shown from `now` for [`ERROR_SECS`].
    pub fn error(text: impl Into<String>, now: Timestamp) -> Self {
        Status {
            text: crate::text::clean_line(&text.into()),
            level: Level::Error,
            expires_at: now + Duration::seconds(ERROR_SECS),
        }
    }
}
