//! What the loop starts from: the [`Settings`] (merged config, the
//! store drafts are kept in), the start-up key check and the terminal check.

use crate::api::{Client, ConnectResponse};
use crate::app::{FeedSort, Options};
use crate::config::Config;
use crate::store::StoreHandle;
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
    /// The local store drafts are kept in (saved while typing, and on
    /// quit, signals, failures, panics, suspend); `None` = drafts are not
    /// persisted.
    pub store: Option<StoreHandle>,
    /// The old drafts file, imported once into the store for the first
    /// account that connects.
    pub legacy_drafts: Option<PathBuf>,
    /// A message for the status line at start (e.g. a store warning).
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
            store: None,
            legacy_drafts: None,
            notice: None,
        }
    }

    /// Keeps drafts in `store`; `notice` (from opening it) goes to the
    /// status line at start.
    pub fn with_store(mut self, store: StoreHandle, notice: Option<String>) -> Self {
        self.store = Some(store);
        if notice.is_some() {
            self.notice = notice;
        }
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
            undo_secs: c.undo_secs,
            initial_sort: self.initial_sort,
            demo: self.demo,
            base_url: base_url.to_string(),
            utc_offset_secs: chrono::Local::now().offset().local_minus_utc(),
            archive: c.archive,
            watch: c.watch.clone(),
            profile: None,
            theme: c.theme_choice(),
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

/// Longest wait for the store's outbox at start (it answers in
/// milliseconds).
const OUTBOX_WAIT: std::time::Duration = std::time::Duration::from_millis(500);

/// Hands `app` the triage decisions an earlier run of `account` left in
/// the outbox (sent as the medal window frees). The runtime and the test
/// harness both start this way.
pub(super) fn restore_outbox(
    app: &mut crate::app::App,
    store: &StoreHandle,
    account: &crate::store::Account,
) {
    match store.outbox_wait(account, OUTBOX_WAIT) {
        Ok(items) => app.restore_outbox(items),
        Err(e) => tracing::warn!("could not read the outbox: {e}"),
    }
}
