//! What the loop starts from: the [`Settings`] (merged config, drafts,
//! the demo sandbox), the start-up key check and the terminal check.

use crate::api::{Client, ConnectResponse};
use crate::app::{FeedSort, Options};
use crate::config::Config;
use crate::drafts::Drafts;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Everything the TUI needs besides the client.
pub struct Settings {
    /// The merged settings (`[keys]`, refresh, previews, image protocol,
    /// cache, feed cap, read-only).
    pub config: Config,
    /// The sort shown first.
    pub initial_sort: FeedSort,
    /// Shown in the header: connected to the built-in demo sandbox.
    pub demo: bool,
    /// Drafts loaded from disk (post id -> text).
    pub drafts: BTreeMap<String, String>,
    /// The draft whose editor was open when the drafts were saved: it
    /// opens again at start.
    pub open_draft: Option<String>,
    /// Where drafts are saved (on quit, signals, failures, panics, suspend);
    /// `None` = drafts are not persisted.
    pub drafts_file: Option<PathBuf>,
    /// A message for the status line at start (e.g. a drafts-file warning).
    pub notice: Option<String>,
}

impl Settings {
    /// Settings for the merged `config`; no drafts, the latest
    /// feed first.
    pub fn from_config(config: &Config) -> Self {
        Settings {
            config: config.clone(),
            initial_sort: FeedSort::Latest,
            demo: false,
            drafts: BTreeMap::new(),
            open_draft: None,
            drafts_file: None,
            notice: None,
        }
    }

    /// Loads drafts from `path` and saves them back there (see
    /// [`Settings::drafts_file`]). A missing file means no drafts; an
    /// unreadable or corrupt one becomes the start-up notice (drafts.rs
    /// moves a corrupt file aside).
    pub fn with_drafts_file(mut self, path: PathBuf) -> Self {
        let (drafts, warning) = Drafts::load(&path);
        self.drafts = drafts.to_map();
        self.open_draft = drafts.open().map(str::to_string);
        if warning.is_some() {
            self.notice = warning;
        }
        self.drafts_file = Some(path);
        self
    }

    /// The app options these settings describe, for a client at `base_url`.
    pub fn options(&self, base_url: &str) -> Options {
        let c = &self.config;
        Options {
            readonly: c.readonly,
            previews: c.previews,
            image_protocol: c.image_protocol.name().to_string(),
            image_cache_bytes: usize::try_from(c.image_cache_mb.saturating_mul(1024 * 1024))
                .unwrap_or(usize::MAX),
            refresh_secs: c.refresh_secs,
            feed_cap: c.feed_cap,
            initial_sort: self.initial_sort,
            demo: self.demo,
            base_url: base_url.to_string(),
            utc_offset_secs: chrono::Local::now().offset().local_minus_utc(),
        }
    }
}

/// `POST /api/agent/connect`, once; a missing, malformed, invalid, revoked
/// or suspended key (or an unreachable server) is an error whose message
/// is one clear sentence (`ApiError::user_message`). The TUI itself does
/// not stop at a failure worth retrying (see [`run`]): it opens offline
/// and its reads retry with the one backoff.
pub async fn startup_check(client: &Client) -> anyhow::Result<ConnectResponse> {
    client
        .connect()
        .await
        .map_err(|e| anyhow::anyhow!(crate::text::clean_line(&e.user_message())))
}

/// The sentence printed when the TUI is started without a terminal.
pub const NO_TERMINAL: &str = "aispace-tui needs a terminal: run it in a terminal window (for scripts, use a subcommand such as `aispace-tui feed`)";

/// Refuses to start the TUI when stdin or stdout is not a terminal, before
/// a single byte is written.
pub(super) fn require_terminal() -> anyhow::Result<()> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        Ok(())
    } else {
        Err(anyhow::anyhow!(NO_TERMINAL))
    }
}
