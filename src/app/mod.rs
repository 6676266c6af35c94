//! `App`: the single source of truth of the TUI, and `update`, the only
//! function that changes it (ARCHITECTURE.md, The Elm Architecture).
//!
//! `update(&mut self, msg, now) -> Vec<Effect>` does no IO and reads no
//! clock: `now` (local UTC time) is passed in, server time is `now + skew`
//! (`app/clock.rs`: its own type, so the skew is applied exactly once).
//! No reqwest, no terminal, no tokio here.

mod action;
mod archive;
mod autosave;
mod cached;
mod clock;
mod composer;
mod dash;
mod edit;
mod feed;
mod feed_title;
mod filter;
mod follow;
mod full;
mod key;
pub mod layout;
mod link;
mod mouse;
mod msg;
mod mutes;
#[cfg(test)]
mod mutes_tests;
mod outbox;
mod post_composer;
mod posting;
mod preview;
mod profiles;
mod quota;
mod results;
mod retry;
mod sanitize;
pub mod schedule;
mod status;
mod triage;
mod update;
mod watch;
mod writes;

pub use action::{Action, ActionRow, Mode, ACTIONS};
pub use archive::{ArchiveAnswer, ArchiveView, HistoryEntry, ViewKind, VIEW_LIMIT};
pub use clock::{ServerTime, Skew};
pub use composer::Composer;
pub use feed::{
    FeedState, Loading, MergeReport, MergeStep, Seek, SeekStep, ViewSpec, FILTER_AUTO_PAGES,
    MAX_EMPTY_PAGES, MAX_MERGE_PAGES, PREFETCH_ROWS, SEEK_MARGIN,
};
pub use feed_title::{feed_title, FeedTitle};
pub use filter::{fold, Filter, VerdictFilter};
pub use full::{FullPicture, FullView};
pub use key::{Key, KeyCode, KeyMods};
pub use link::{Connection, Link, BACKOFF_MAX_SECS, OFFLINE_AFTER_SECS, SLEEP_JUMP_SECS};
pub use mouse::{Mouse, MouseKind, WHEEL_ROWS};
pub use msg::{CopyVia, EditTarget, Effect, FeedSort, Msg};
pub use mutes::{mute_name, Mutes, TagChoice};
pub use outbox::{Outbox, OutboxState, Refused, REFUSED_KEPT};
pub use post_composer::{
    check_caption, parse_tags, size_label, ImageProblem, PickedImage, PostComposer, PostField,
};
pub use posting::{PostImage, COMPOSER_PREVIEW_ID};
pub use profiles::{ProfileEntry, ProfileTag};
pub use quota::{next_utc_midnight, parse_window_secs, secs_until, ts as quota_ts, QuotaState};
pub use results::{describe, STALLED};

/// The mark a feed row shows (after the selection marker) for a post that
/// holds an unsent comment.
pub const DRAFT_MARK: &str = "✎";
/// The legend of the feed rows' marks column (one cell after the
/// selection marker), on the header row: the draft mark ([`DRAFT_MARK`])
/// wins, else the number of pictures of a post with several
/// ([`images_mark`]).
pub const MARKS_LEGEND: &str = "✎ draft · 2-9 pictures";

/// The mark a feed row shows for a post with `n` pictures: their number
/// when there are several (`2`–`9`, `*` for ten or more), else nothing.
pub fn images_mark(n: usize) -> Option<char> {
    match n {
        0 | 1 => None,
        2..=9 => char::from_digit(n as u32, 10),
        _ => Some('*'),
    }
}
pub use sanitize::{sanitize_item, sanitize_me};
pub use status::{Countdown, Level, Status};
pub use triage::{Triage, TriageProgress};
pub use watch::{Note, Watch, ALERT_GAP_SECS, TITLE, WATCH_MEMORY};
pub use writes::{Write, WriteKind, QUIT_WAIT_SECS};

use crate::api::{ConnectResponse, Timestamp};
use crate::keymap::Keymap;
use std::collections::BTreeMap;
use writes::Writes;

/// Seconds between `me` resyncs.
pub const ME_INTERVAL_SECS: i64 = 60;
/// Longest comment body the API accepts, in characters (after trimming).
pub const COMMENT_MAX_CHARS: usize = crate::api::limits::MAX_COMMENT_CHARS;

/// Options that do not change while the TUI runs: the app's view of the
/// merged `config::Config`, built by `runtime::Settings::options`. The
/// defaults are the config's (`config::DEFAULT_*`), except `refresh_secs`,
/// 0 (never), so that unit tests only refresh when they ask to.
#[derive(Debug, Clone)]
pub struct Options {
    /// Refuse like / medal / comment locally.
    pub readonly: bool,
    /// Show image previews (the post pane shows a placeholder otherwise).
    pub previews: bool,
    /// Label of the image protocol in use, shown in the preview placeholder
    /// (the runtime replaces the choice, e.g. `auto`, by the probed protocol).
    pub image_protocol: String,
    /// Budget of the decoded-image cache, in bytes (config `image_cache_mb`).
    pub image_cache_bytes: usize,
    /// Auto-refresh the visible feed every N seconds; 0 = never.
    pub refresh_secs: u64,
    /// Most posts kept per feed list (older ones are dropped from the top); 0 = no cap.
    pub feed_cap: usize,
    /// Seconds a like or medal waits, shown, before it is sent (the `undo`
    /// key takes it back meanwhile); 0 = sent at once (config `undo_secs`).
    pub undo_secs: u64,
    /// The sort shown first.
    pub initial_sort: FeedSort,
    /// Connected to the built-in demo sandbox (shown in the header).
    pub demo: bool,
    /// Base URL shown in the header (host only is shown).
    pub base_url: String,
    /// Local time zone offset from UTC in seconds, for clock times shown
    /// ("offline since HH:MM"); the runtime sets it, tests keep 0 (UTC).
    pub utc_offset_secs: i32,
    /// Posts seen are kept in the local archive (config `archive`); the
    /// archive views say so when they are not.
    pub archive: bool,
    /// The `[[watch]]` rules (notifications, `app/watch.rs`).
    pub watch: Vec<crate::config::WatchRule>,
    /// The profile this app acts as (its name and colour lead the
    /// header); `None` = the top-level settings, no profiles.
    pub profile: Option<ProfileTag>,
    /// The colour theme (`ui::theme` draws with it).
    pub theme: crate::config::ThemeChoice,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            readonly: false,
            previews: true,
            image_protocol: "auto".into(),
            image_cache_bytes: crate::config::DEFAULT_IMAGE_CACHE_MB as usize * 1024 * 1024,
            refresh_secs: 0,
            feed_cap: crate::config::DEFAULT_FEED_CAP,
            undo_secs: 0,
            initial_sort: FeedSort::Latest,
            demo: false,
            base_url: String::new(),
            utc_offset_secs: 0,
            archive: true,
            watch: Vec::new(),
            profile: None,
            theme: crate::config::ThemeChoice::default(),
        }
    }
}

/// Who we are, as `connect`/`me` said (sanitized).
#[derive(Debug, Clone, Default)]
pub struct Session {
    pub agent_id: String,
    pub handle: String,
    pub name: String,
    /// `None` when the server sent no usable number (shown as `?`).
    pub trust_tier: Option<i64>,
    /// `ACTIVE`, `SUSPENDED`, ...
    pub status: String,
    pub api_version: String,
}

impl Session {
    /// Who we are, from a `connect` answer, its text made safe.
    fn from_connect(connect: &ConnectResponse) -> Session {
        Session {
            agent_id: connect.agent.id.clone(),
            handle: crate::text::clean_line(&connect.agent.handle),
            name: crate::text::clean_line(&connect.agent.name),
            trust_tier: connect.agent.trust_tier,
            status: crate::text::clean_line(connect.agent.status.as_str()),
            api_version: crate::text::clean_line(&connect.api.version),
        }
    }
}

/// The whole TUI state. Only [`App::update`] changes it; `ui::render`
/// reads it.
#[derive(Debug, Clone)]
pub struct App {
    /// Local time of the last update (render uses it for relative times).
    pub now: Timestamp,
    pub options: Options,
    pub keymap: Keymap,
    pub session: Session,
    pub quota: QuotaState,
    /// The feed lists (latest, rising).
    pub latest: FeedState,
    pub rising: FeedState,
    /// The sort on screen.
    pub sort: FeedSort,
    pub mode: Mode,
    /// The open comment editor.
    pub composer: Option<Composer>,
    /// The post composer (`P`): open in `Mode::Post`, kept while closed
    /// until its post is accepted.
    pub post_composer: Option<PostComposer>,
    /// Unsent comment texts by post id.
    pub drafts: BTreeMap<String, String>,
    pub status: Option<Status>,
    /// Terminal size (columns, rows).
    pub viewport: (u16, u16),
    /// The post pane fills the body (feed hidden).
    pub zoom_post: bool,
    /// The full-screen picture's place (`Mode::Full`, `app/full.rs`).
    pub full: Option<FullView>,
    /// First line of the help overlay shown (scrolling).
    pub help_scroll: usize,
    /// Caption lines scrolled away in the post pane: (post id, lines).
    /// Cleared when another post is selected.
    pub post_scroll: Option<(String, usize)>,
    /// Set by Quit; the runtime leaves after running the effects.
    pub should_quit: bool,
    /// The quit key was pressed while writes waited for their answer: the
    /// app quits when they are answered or at this local time.
    quit_after_writes: Option<Timestamp>,
    /// Image previews: loads, cache, the encoded picture (see `preview::state`).
    pub preview: crate::preview::PreviewState,
    /// The active filters (both feeds).
    pub filter: Filter,
    /// The open filter input (Mode::Filter).
    pub filter_input: Option<ratatui_textarea::TextArea<'static>>,
    /// The open archive view (author, search, history) covering the feed
    /// pane; `None` = the live feed.
    pub view: Option<ArchiveView>,
    /// The open search input (Mode::Search).
    pub search_input: Option<ratatui_textarea::TextArea<'static>>,
    /// Automatic refresh paused (`p`).
    pub paused: bool,
    /// Follow mode (`F`, `app/follow.rs`): the newest post of latest
    /// stays selected as posts arrive.
    pub follow: bool,
    /// The open triage queue (`T`, `app/triage.rs`).
    pub triage: Option<Triage>,
    /// Medals decided in the triage queue, waiting for the medal window
    /// or the server's answer (`app/outbox.rs`, kept in the store).
    pub outbox: Outbox,
    /// Read success/failure and the backoff of resyncs.
    pub link: Link,
    /// The watch rules and what they have seen (`app/watch.rs`).
    pub watch: Watch,
    /// `next_wake()` as of the last update: a much later update means the
    /// machine slept.
    planned_wake: Option<Timestamp>,
    /// Likes, medals and comments waiting for their answer, and the last
    /// one that failed (`app/writes.rs`).
    writes: Writes,
    next_request: u64,
    /// Local time of the next `me` resync.
    next_me_at: Timestamp,
    me_in_flight: bool,
    me_again: bool,
    /// Local time when a rate-limited feed load is retried.
    feed_retry_at: Option<Timestamp>,
    /// Local time of the next automatic refresh.
    pub(crate) auto_refresh_at: Option<Timestamp>,
    /// Publish times and ids of my scheduled posts not yet shown: latest
    /// is read again just after each.
    scheduled_posts: Vec<(ServerTime, String)>,
    /// Post to select when the first page arrives (a restored draft's).
    restore_select: Option<String>,
    /// The list of this sort is the stored last feed, saved at this local
    /// time, until its first live page arrives (`app/cached.rs`).
    cached: Option<(FeedSort, Timestamp)>,
    /// The drafts last handed to the store (or read from it); `None` after
    /// a save failed (everything is saved again). See `app/autosave.rs`.
    drafts_handed: Option<crate::drafts::Drafts>,
    /// Local time when changed drafts are handed to the store.
    drafts_due: Option<Timestamp>,
    /// The last read of the feed on screen failed and is retried: the
    /// link is not live even when other reads (`me`) succeed.
    feed_failing: bool,
    /// Every profile the runtime holds, for the switcher (`app/profiles.rs`).
    pub profiles: Vec<ProfileEntry>,
    /// The switcher's selected line.
    pub profile_cursor: usize,
    /// The profile chosen in the switcher, until the runtime takes it.
    switch_to: Option<usize>,
    /// Hidden posts, muted authors and tags (`app/mutes.rs`).
    pub mutes: Mutes,
    /// The selected line of the list of mutes (`Mode::Mutes`).
    pub mutes_cursor: usize,
    /// The tag question of `X` (`Mode::MuteTag`).
    pub tag_choice: Option<TagChoice>,
}

impl App {
    /// A new app for a successful `connect`, at local time `now`, with
    /// terminal size `viewport` (columns, rows). Call [`App::start`] next.
    pub fn new(
        options: Options,
        keymap: Keymap,
        connect: &ConnectResponse,
        now: Timestamp,
        viewport: (u16, u16),
    ) -> Self {
        let mut quota = QuotaState::default();
        quota.sync(&connect.quotas, quota.server_now(now), 0);
        let mut link = Link::new();
        link.last_ok = Some(now);
        let sort = options.initial_sort;
        let preview =
            crate::preview::PreviewState::new(options.previews, options.image_cache_bytes);
        let watch = Watch::new(options.watch.clone());
        App {
            now,
            session: Session::from_connect(connect),
            options,
            keymap,
            quota,
            latest: FeedState::new(FeedSort::Latest),
            rising: FeedState::new(FeedSort::Rising),
            sort,
            mode: Mode::Feed,
            composer: None,
            post_composer: None,
            drafts: BTreeMap::new(),
            status: None,
            viewport,
            zoom_post: false,
            full: None,
            help_scroll: 0,
            post_scroll: None,
            should_quit: false,
            quit_after_writes: None,
            preview,
            filter: Filter {
                me: connect.agent.id.clone(),
                ..Filter::default()
            },
            filter_input: None,
            view: None,
            search_input: None,
            paused: false,
            follow: false,
            triage: None,
            outbox: Outbox::default(),
            link,
            watch,
            planned_wake: None,
            writes: Writes::default(),
            next_request: 0,
            next_me_at: now,
            me_in_flight: false,
            me_again: false,
            feed_retry_at: None,
            auto_refresh_at: None,
            scheduled_posts: Vec::new(),
            restore_select: None,
            cached: None,
            drafts_handed: Some(crate::drafts::Drafts::new()),
            drafts_due: None,
            feed_failing: false,
            profiles: Vec::new(),
            profile_cursor: 0,
            switch_to: None,
            mutes: Mutes::default(),
            mutes_cursor: 0,
            tag_choice: None,
        }
    }

    /// An app that has not heard from the server yet (drawn at once at
    /// start-up, before the terminal probe and the network): the header
    /// says "connecting…". Then [`App::connected`] or [`App::unreachable`].
    pub fn connecting(
        options: Options,
        keymap: Keymap,
        now: Timestamp,
        viewport: (u16, u16),
    ) -> Self {
        let mut app = App::new(options, keymap, &ConnectResponse::default(), now, viewport);
        app.quota = QuotaState::default();
        app.link = Link::new();
        app
    }

    /// `connect` answered at local time `now`: who we are and the quotas.
    pub fn connected(&mut self, connect: &ConnectResponse, now: Timestamp) {
        self.now = now;
        let unanswered = self.writes.medals_unanswered();
        self.quota
            .sync(&connect.quotas, self.quota.server_now(now), unanswered);
        self.session = Session::from_connect(connect);
        self.set_me(&connect.agent.id);
        self.link.ok(now);
    }

    /// `connect` got no usable answer at start-up (`why`: a few words,
    /// `ApiError::headline`, shown in the header): the
    /// app opens offline and its reads retry with the backoff until the
    /// server answers (`me` then fills in who we are).
    pub fn unreachable(&mut self, why: String, now: Timestamp) {
        self.now = now;
        self.link.fail(now, why);
    }

    /// The first effects: load the visible feed and read `me` (server time).
    pub fn start(&mut self) -> Vec<Effect> {
        let mut fx = Vec::new();
        self.load_first(self.sort, &mut fx);
        self.fetch_me(&mut fx);
        fx
    }

    /// Shows a start-up notice (error level) in the status line.
    pub fn notice(&mut self, text: impl Into<String>) {
        self.status = Some(Status::error(text, self.now));
    }

    /// Restores saved drafts (post id -> text) at start. When `open` names
    /// one of them, its editor opens again with the text (the post is
    /// selected once the feed shows it) and the status line says "Draft
    /// restored"; other drafts come back when `c` is pressed on their post.
    /// A kept post (the composer's draft, [`crate::drafts::NEW_POST_KEY`])
    /// comes back into the composer, opened with `P`.
    pub fn restore_drafts(&mut self, drafts: BTreeMap<String, String>, open: Option<String>) {
        self.drafts = drafts;
        self.drafts.retain(|_, v| !v.trim().is_empty());
        self.drafts_handed = Some(crate::drafts::Drafts::from_map(
            &self.drafts,
            open.as_deref(),
        ));
        let post = self
            .drafts
            .remove(crate::drafts::NEW_POST_KEY)
            .map(|body| crate::drafts::PostDraft::from_body(&body))
            .filter(|d| !d.is_blank());
        let n = self.drafts.len();
        match open.filter(|id| self.drafts.contains_key(id)) {
            Some(id) if !self.options.readonly => {
                let text = self.drafts.get(&id).cloned().unwrap_or_default();
                let author = self
                    .post(&id)
                    .map(|p| p.author.handle.clone())
                    .unwrap_or_default();
                self.composer = Some(Composer::new(id.clone(), author, &text));
                self.mode = Mode::Editor;
                self.restore_select = Some(id);
                self.info("Draft restored: your unsent comment is back in the editor.");
            }
            _ if n > 0 => {
                let key = self.keymap.first_key(Action::Comment);
                self.info(format!(
                    "Draft restored: {n} unsent comment{} kept; {} marked {} in the feed ({key} continues).",
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "its post is" } else { "their posts are" },
                    DRAFT_MARK,
                ))
            }
            _ => {}
        }
        if let Some(d) = post {
            self.post_composer = Some(PostComposer::from_draft(&d));
            let key = self.keymap.first_key(Action::NewPost);
            let note = format!("your unsent post is kept ({key} continues it).");
            let text = match self.status.as_ref() {
                Some(s) if s.text.starts_with("Draft restored") => format!("{} And {note}", s.text),
                _ => format!("Draft restored: {note}"),
            };
            self.info(text);
        }
    }

    /// An unsent comment is kept for post `id` (a kept draft, or the open
    /// editor's text).
    pub fn has_draft(&self, id: &str) -> bool {
        self.drafts.contains_key(id)
            || self
                .composer
                .as_ref()
                .is_some_and(|c| c.post_id == id && !c.is_blank())
    }

    /// The post whose editor is open with text (saved as the draft to open
    /// again on the next start).
    pub fn open_draft_post(&self) -> Option<&str> {
        self.composer
            .as_ref()
            .filter(|c| !c.is_blank())
            .map(|c| c.post_id.as_str())
    }

    /// The drafts to persist: the kept drafts plus the text of an open
    /// editor (post id -> text, blank texts left out).
    /// The post composer's fields go under [`crate::drafts::NEW_POST_KEY`].
    pub fn drafts_to_save(&self) -> BTreeMap<String, String> {
        let mut d = self.drafts.clone();
        if let Some(c) = &self.composer {
            if !c.is_blank() {
                d.insert(c.post_id.clone(), c.text());
            }
        }
        if let Some(c) = self.post_composer.as_ref().filter(|c| !c.is_blank()) {
            d.insert(
                crate::drafts::NEW_POST_KEY.to_string(),
                c.to_draft().to_body(),
            );
        }
        d.retain(|_, v| !v.trim().is_empty());
        d
    }

    /// The feed on screen.
    pub fn feed(&self) -> &FeedState {
        match self.sort {
            FeedSort::Latest => &self.latest,
            FeedSort::Rising => &self.rising,
        }
    }

    fn feed_mut(&mut self) -> &mut FeedState {
        self.feed_of_mut(self.sort)
    }

    fn feed_of(&self, sort: FeedSort) -> &FeedState {
        match sort {
            FeedSort::Latest => &self.latest,
            FeedSort::Rising => &self.rising,
        }
    }

    fn feed_of_mut(&mut self, sort: FeedSort) -> &mut FeedState {
        match sort {
            FeedSort::Latest => &mut self.latest,
            FeedSort::Rising => &mut self.rising,
        }
    }

    /// The selected post on screen: the open view's, else the feed's.
    pub fn selected(&self) -> Option<&crate::api::FeedItem> {
        match &self.view {
            Some(v) => v.selected_post(),
            None => self.feed().selected_item(),
        }
    }

    /// Whether the server answers (derived from [`App::link`]).
    pub fn connection(&self) -> Connection {
        self.link.connection()
    }

    /// Server time now (`now + skew`).
    pub fn server_now(&self) -> ServerTime {
        self.quota.server_now(self.now)
    }

    /// A like or vote for this post is waiting for the server.
    pub fn is_pending(&self, post_id: &str) -> bool {
        self.writes.changes_pending(post_id)
    }

    /// A comment request is in flight.
    pub fn comment_sending(&self) -> bool {
        self.writes.comment_pending()
    }

    /// Feed rows visible in the current layout.
    pub fn feed_rows(&self) -> usize {
        layout::feed_rows(self.viewport, self.zoom_post)
    }

    /// The action can be used now: read-only mode refuses likes, medals
    /// and comments (the hint bar leaves them out).
    pub fn allows(&self, action: Action) -> bool {
        !(self.options.readonly && action.is_write())
    }

    /// The terminal is below the usable size ([`layout::MIN_SIZE`]): the
    /// screen says so, and keys other than quit and Esc do nothing.
    pub fn too_small(&self) -> bool {
        layout::too_small(self.viewport)
    }

    /// The key the status message offers and its action, while that key
    /// works: `R` (retry) in the feed while a failed action is remembered,
    /// the send key while the editor is open, `r` (refresh) in the feed.
    /// `None` otherwise: a key is never offered where it would be typed
    /// into the editor, or after the failure it offered to retry is gone.
    pub fn status_offer(&self) -> Option<(String, Action)> {
        let a = self.status.as_ref()?.offer?;
        let usable = self.mode == a.mode()
            && self.allows(a)
            && !self.too_small()
            && match a {
                Action::Retry => self.last_failed().is_some(),
                Action::Send => self.composer.is_some(),
                _ => true,
            };
        let key = self.keymap.first_key(a);
        (usable && !key.is_empty()).then_some((key, a))
    }

    /// A countdown with seconds is on screen (medal window full, comment
    /// cooldown running, a status message announcing a wait): the runtime
    /// then ticks at 1 Hz.
    pub fn countdown_visible(&self) -> bool {
        let t = self.server_now();
        self.quota.next_medal_at(t).is_some()
            || self.quota.comment_wait(t) > 0
            || self.status.as_ref().is_some_and(|s| s.countdown.is_some())
            || self.link.retry_at.is_some()
    }

    /// Local time at which the runtime should send [`Msg::Tick`]: the
    /// earliest of a status expiry, the `me` resync, a feed retry, the
    /// automatic refresh, a visible countdown's next second and the next
    /// change of the medal gauge or the post-reset minute, and the image
    /// preview's debounce end or spinner frame.
    pub fn next_wake(&self) -> Option<Timestamp> {
        let now = self.now;
        let t = self.server_now();
        let mut cands: Vec<Timestamp> = Vec::new();
        if let Some(s) = &self.status {
            cands.push(s.expires_at);
        }
        if self.link.is_failing() {
            // Only the resync runs while reads fail.
            cands.extend(self.link.retry_at);
        } else {
            if !self.me_in_flight {
                cands.push(self.next_me_at);
            }
            cands.extend(self.feed_retry_at);
            if !self.paused {
                cands.extend(self.auto_refresh_at);
            }
            cands.extend(self.next_scheduled_wake());
        }
        cands.extend(self.preview.next_wake(now));
        cands.extend(self.drafts_due);
        cands.extend(self.writes.next_send());
        cands.extend(self.outbox_wake());
        cands.extend(self.quit_after_writes);
        cands.extend(self.watch.next_wake());
        if self.countdown_visible() {
            // The next whole second of server time.
            let ms = t.utc().timestamp_subsec_millis() as i64;
            cands.push(now + chrono::Duration::milliseconds(1000 - ms));
        }
        if let Some(c) = self.quota.next_medal_change(t) {
            cands.push(self.quota.local(c));
        }
        if let Some(r) = self.quota.posts_reset {
            let left = r.since(t).num_seconds();
            if left > 0 {
                let step = if left > 3600 { 60 } else { 1 };
                let into = left % step;
                cands.push(now + chrono::Duration::seconds(if into == 0 { step } else { into }));
            }
        }
        cands.into_iter().min()
    }
}

#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod dash_tests;

#[cfg(test)]
mod archive_tests;

#[cfg(test)]
mod watch_tests;

#[cfg(test)]
mod post_draft_tests;

#[cfg(test)]
mod triage_tests;

#[cfg(test)]
mod full_tests;
