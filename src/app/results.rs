//! `App::update` for effect results: confirm (server numbers win) or roll
//! back with a clear status message. Stale results are dropped.

use super::{
    sanitize_item, sanitize_me, Action, App, Effect, FeedSort, Loading, MergeReport, MergeStep,
    SeekStep, ViewSpec, ME_INTERVAL_SECS,
};
use crate::api::{ApiError, FeedPage, Me};
use crate::duration::{add_secs, secs_i64};
use std::collections::HashSet;

/// The sentence for the status line describing an API error
/// (`ApiError::user_message`, sanitized).
pub fn describe(e: &ApiError) -> String {
    crate::text::clean_line(&e.user_message())
}

/// The status line after a page with `n` unreadable items: "1 post could
/// not be shown", "3 posts could not be shown".
pub fn skipped_message(n: usize) -> String {
    if n == 1 {
        "1 post could not be shown (its data was malformed).".to_string()
    } else {
        format!("{n} posts could not be shown (their data was malformed).")
    }
}

/// The start of the status line while a failed feed load waits for its
/// retry (the time left and the reason follow).
pub const FEED_RETRY: &str = "Feed retry in ";

/// The start of the status line while `r` reloads the feed (the sort
/// follows); the answer replaces it.
pub const REFRESHING: &str = "Refreshing the ";

/// The status line when paging stopped because the server loops.
pub const STALLED: &str = "The server keeps sending empty pages; r retries.";

impl App {
    pub(super) fn on_me(&mut self, r: Result<Me, ApiError>, fx: &mut Vec<Effect>) {
        let transient = self.note_read(r.as_ref().err(), false);
        match r {
            Ok(me) => {
                let me = sanitize_me(me);
                if let Some(st) = me.server_time.as_ref().map(|t| t.at()) {
                    self.quota.set_server_time(st, self.now);
                }
                let t = self.server_now();
                self.quota
                    .sync(&me.quotas, t, self.writes.medals_unanswered());
                if !me.agent_id.is_empty() {
                    self.session.agent_id = me.agent_id.clone();
                    self.set_me(&me.agent_id);
                }
                if !me.handle.is_empty() {
                    self.session.handle = me.handle;
                    self.session.name = me.name;
                }
                self.session.trust_tier = me.trust_tier;
                self.session.status = crate::text::clean_line(me.status.as_str());
                if let Some(v) = me.api_version.filter(|v| !v.is_empty()) {
                    self.session.api_version = v;
                }
                self.me_done(ME_INTERVAL_SECS, fx);
            }
            Err(e) => {
                let retry = e
                    .retry_after()
                    .map_or(ME_INTERVAL_SECS, |s| i64::try_from(s).unwrap_or(i64::MAX));
                if !transient && e.retry_after().is_none() {
                    self.error(format!("Could not read quotas: {}", describe(&e)));
                }
                // While reads fail, the resync reads `me` again.
                self.me_done(retry.max(1), fx);
            }
        }
    }

    pub(super) fn on_feed(
        &mut self,
        sort: FeedSort,
        generation: u64,
        kind: Loading,
        r: Result<FeedPage, ApiError>,
        fx: &mut Vec<Effect>,
    ) {
        let rows = self.feed_rows();
        // The one filter and the mutes, lent to the list for this page.
        let filter = self.filter.clone();
        let mutes = self.mutes.clone();
        let view = ViewSpec {
            rows,
            filter: &filter,
            mutes: &mutes,
        };
        let now = self.now;
        let cap = self.options.feed_cap;
        let busy: HashSet<String> = self.writes.changing_posts();
        let on_screen = sort == self.sort;
        let transient = self.note_read(r.as_ref().err(), on_screen);
        let retry_at = self.link.retry_at;
        let feed = self.feed_of_mut(sort);
        let Some(keep) = feed.take_answer(generation, kind) else {
            return; // a refresh replaced this request
        };
        let r = r.map(|mut page| {
            page.items = page.items.into_iter().map(sanitize_item).collect();
            page
        });
        if let Ok(page) = &r {
            self.watched(&page.items);
        }
        let restore = self.restore_select.clone();
        let feed = self.feed_of_mut(sort);
        match r {
            Ok(page) => {
                feed.clear_error();
                let items = page.items;
                let mut done = true;
                let mut stalled = false;
                let mut reload = false;
                let mut report = MergeReport::default();
                let selected = feed.selected_item().map(|p| p.id.clone());
                match kind {
                    Loading::More => {
                        stalled = feed.append(items, page.next_cursor, view);
                        feed.enforce_cap(cap, view);
                    }
                    Loading::First => {
                        let keep = restore.as_deref().or(keep.as_deref());
                        feed.replace(items, page.next_cursor, keep, view);
                        feed.mark_read(now);
                    }
                    Loading::Merge => {
                        let prepend = sort == FeedSort::Latest;
                        let step = feed.merge(
                            items,
                            page.next_cursor,
                            prepend,
                            |id| busy.contains(id),
                            view,
                            &mut report,
                        );
                        match step {
                            MergeStep::Done => {
                                feed.mark_read(now);
                                feed.enforce_cap(cap, view)
                            }
                            MergeStep::Reload => {
                                done = false;
                                reload = true;
                            }
                            MergeStep::Next(cursor) => {
                                // More new posts than one page: read on.
                                done = false;
                                feed.continue_merge();
                                fx.push(Effect::LoadFeed {
                                    sort,
                                    generation,
                                    cursor: Some(cursor),
                                    kind: Loading::Merge,
                                });
                            }
                        }
                    }
                }
                let seek = if kind == Loading::Merge {
                    SeekStep::Idle
                } else {
                    feed.seek_step(rows)
                };
                if let Some(id) = restore.filter(|_| kind == Loading::First) {
                    let author = feed.post(&id).map(|p| p.author.handle.clone());
                    self.restored_post_loaded(&id, author);
                }
                if kind == Loading::First {
                    self.live_again(sort);
                }
                if kind != Loading::More && done {
                    self.schedule_auto_refresh();
                }
                match seek {
                    SeekStep::More => self.load_more(sort, fx),
                    SeekStep::GaveUp if sort == self.sort => self.info(
                        "The selected post is no longer in the feed; the selection stayed in place.",
                    ),
                    _ => {}
                }
                if sort == self.sort {
                    self.maybe_load_more(fx);
                }
                if kind == Loading::First && sort == self.sort {
                    self.refreshed();
                }
                if kind != Loading::More {
                    self.follow_newest(sort);
                }
                let skipped = self.feed_of_mut(sort).note_skipped(kind, page.skipped);
                if page.skipped > 0 {
                    self.info(skipped_message(skipped));
                }
                if stalled && sort == self.sort {
                    self.error(STALLED);
                }
                let gone = selected.filter(|id| report.removed.contains(id));
                if gone.is_some() && sort == self.sort {
                    self.info(
                        "The post you had selected is gone from AIspace (deleted or hidden).",
                    );
                }
                let editing = self.composer.as_ref().map(|c| c.post_id.clone());
                let editor_gone = editing.filter(|id| {
                    report.removed.contains(id) || (reload && self.feed_of(sort).post(id).is_some())
                });
                if editor_gone.is_some() {
                    self.editor_post_gone();
                }
                if reload {
                    // The server no longer holds any loaded post (reset or
                    // restarted): start the list over (nothing in it is
                    // "new").
                    self.feed_of_mut(sort).start_seek();
                    self.load_first(sort, fx);
                    if sort == self.sort {
                        self.info("The feed changed completely on the server: reloading it.");
                    }
                }
            }
            Err(_) if kind == Loading::Merge && transient => {
                // Automatic refresh: the header shows the connection; the
                // resync refreshes again.
            }
            Err(e) if kind == Loading::Merge => match e.retry_after() {
                Some(secs) => self.auto_refresh_at = Some(add_secs(self.now, secs_i64(secs))),
                None => self.schedule_auto_refresh(),
            },
            Err(e) => {
                let msg = describe(&e);
                feed.failed(msg.clone());
                if let (true, Some(at)) = (transient, retry_at) {
                    // The retry first: a long reason is cut, never the wait.
                    let until = self.quota.server_now(at);
                    let suffix = format!(" · Could not load the feed: {msg}");
                    self.wait_error(FEED_RETRY, until, &suffix);
                } else if let Some(secs) = e.retry_after() {
                    self.set_feed_retry(secs);
                    let until = self.server_now().plus_secs(secs_i64(secs.max(1)));
                    self.wait_error("Rate limited: the feed is loaded again in ", until, ".");
                } else {
                    self.error_offering(
                        format!("Could not load the feed: {msg}"),
                        Some(Action::Refresh),
                    );
                }
            }
        }
    }

    /// A page's posts go past the watch rules; the watch forgets posts
    /// the lists no longer hold once it remembers [`super::WATCH_MEMORY`].
    fn watched(&mut self, items: &[crate::api::FeedItem]) {
        if !self.watch.active() {
            return;
        }
        self.watch.observe(items, &self.session.agent_id);
        if self.watch.memory_len() > super::WATCH_MEMORY {
            let (latest, rising) = (&self.latest, &self.rising);
            self.watch
                .retain(|id| latest.post(id).is_some() || rising.post(id).is_some());
        }
    }

    /// The first page `r` asked for arrived: "Refreshing…" gives way to
    /// "refreshed" (any other message stays).
    fn refreshed(&mut self) {
        let refreshing = self
            .status
            .as_ref()
            .is_some_and(|s| s.level == super::Level::Info && s.text.starts_with(REFRESHING));
        if refreshing {
            self.info(format!("The {} feed is refreshed.", self.sort.label()));
        }
    }

    /// A feed retry's status line follows the one timer, the link's
    /// (`link.retry_at`, also the header's "retrying in"), and goes once
    /// the feed loads or its retry is on its way.
    pub(super) fn follow_feed_retry(&mut self) {
        let feed_retry = self
            .status
            .as_ref()
            .is_some_and(|s| s.countdown.as_ref().is_some_and(|c| c.prefix == FEED_RETRY));
        if !feed_retry {
            return;
        }
        match self.link.retry_at.filter(|_| self.feed_failing) {
            Some(at) => {
                let (until, now, t) = (self.quota.server_now(at), self.now, self.server_now());
                if let Some(s) = self.status.as_mut() {
                    s.retarget(until, now, t);
                }
            }
            None => self.status = None,
        }
    }

    /// The post of the open editor is gone from the server: the editor
    /// says so and keeps the text (Esc keeps it as a draft; sending would
    /// be refused).
    fn editor_post_gone(&mut self) {
        let Some(c) = self.composer.as_mut() else {
            return;
        };
        if c.gone {
            return;
        }
        c.gone = true;
        self.info("The post you are commenting on is gone from AIspace; your text is kept.");
    }

    /// The first page after a draft was restored arrived (it selected the
    /// draft's post when it holds it): the post's author goes into the
    /// editor title.
    fn restored_post_loaded(&mut self, id: &str, author: Option<String>) {
        self.restore_select = None;
        if let (Some(author), Some(c)) = (author, self.composer.as_mut()) {
            if c.post_id == id && c.author.is_empty() {
                c.author = author;
            }
        }
    }
}
