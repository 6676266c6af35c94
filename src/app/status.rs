//! The status line: one message with a level and an expiry (local time).
//! A message that announces a wait ("next medal in 43 s") holds the
//! instant it waits for and is re-worded at every update, so it counts
//! down with the header and disappears when the wait is over.

use super::clock::ServerTime;
use super::Action;
use crate::api::Timestamp;
use crate::duration::countdown;
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

/// A wait inside a status message: the text is `prefix`, the time left
/// until `until` (server time, e.g. `43 s`), then `suffix`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Countdown {
    /// Sanitized text before the time left.
    pub prefix: String,
    /// Server time the wait ends.
    pub until: ServerTime,
    /// Sanitized text after the time left.
    pub suffix: String,
    /// The wait was a day or more when announced (a server's wait is
    /// clamped to a day, so the real one is unknown): it reads "over a
    /// day" until it ends, never "23h 59m" a second later.
    pub over_a_day: bool,
}

/// One status message, sanitized, with the local time it disappears.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The text as of the last update (countdowns included).
    pub text: String,
    pub level: Level,
    /// Local time the message disappears.
    pub expires_at: Timestamp,
    /// The live countdown in the text, if the message announces a wait.
    pub countdown: Option<Countdown>,
    /// A key the message offers (retry, send again), shown before the
    /// text only while that key works (`App::status_offer`).
    pub offer: Option<Action>,
}

impl Status {
    /// An info message shown from `now` for [`INFO_SECS`].
    pub fn info(text: impl Into<String>, now: Timestamp) -> Self {
        Status {
            text: crate::text::clean_line(&text.into()),
            level: Level::Info,
            expires_at: now + Duration::seconds(INFO_SECS),
            countdown: None,
            offer: None,
        }
    }

    /// An error message shown from `now` for [`ERROR_SECS`].
    pub fn error(text: impl Into<String>, now: Timestamp) -> Self {
        Status {
            text: crate::text::clean_line(&text.into()),
            level: Level::Error,
            expires_at: now + Duration::seconds(ERROR_SECS),
            countdown: None,
            offer: None,
        }
    }

    /// An error message announcing a wait until server time `until`:
    /// `prefix` + time left + `suffix`, shown from local time `now` (server
    /// time `server_now`) until the wait is over.
    pub fn wait(
        prefix: &str,
        until: ServerTime,
        suffix: &str,
        now: Timestamp,
        server_now: ServerTime,
    ) -> Self {
        let countdown = Countdown {
            prefix: crate::text::clean_line(prefix),
            until,
            suffix: crate::text::clean_line(suffix),
            over_a_day: server_now.secs_until(until) >= crate::duration::DAY_SECS,
        };
        let mut s = Status {
            text: String::new(),
            level: Level::Error,
            expires_at: crate::duration::add(now, until.since(server_now)),
            countdown: Some(countdown),
            offer: None,
        };
        s.refresh(server_now);
        s
    }

    /// The same message at the info level (a wait that is no error, e.g.
    /// the undo window).
    pub fn as_info(mut self) -> Self {
        self.level = Level::Info;
        self
    }

    /// The same message offering `action`'s key (see [`Status::offer`]).
    pub fn offering(mut self, action: Option<Action>) -> Self {
        self.offer = action;
        self
    }

    /// Re-words a countdown message for server time `server_now`.
    pub fn refresh(&mut self, server_now: ServerTime) {
        if let Some(c) = &self.countdown {
            let left = if c.over_a_day {
                crate::duration::DAY_SECS
            } else {
                server_now.secs_until(c.until)
            };
            self.text = format!("{}{}{}", c.prefix, countdown(left), c.suffix);
        }
    }

    /// Moves the wait's end to server time `until` (the wait it announces
    /// moved), seen at local time `now` (server time `server_now`).
    pub fn retarget(&mut self, until: ServerTime, now: Timestamp, server_now: ServerTime) {
        if let Some(c) = self.countdown.as_mut() {
            c.until = until;
            self.expires_at = crate::duration::add(now, until.since(server_now));
        }
        self.refresh(server_now);
    }
}
