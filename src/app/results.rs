//! `App::update` for effect results: confirm (server numbers win) or roll
//! back with a clear status message. Stale results are dropped.

use super::retry::{Failed, RETRY_HINT};
use super::{
    sanitize_item, sanitize_me, App, Connection, Effect, FeedSort, Loading, MergeReport, MergeStep,
    Mode, SeekStep, ME_INTERVAL_SECS,
};
use crate::api::error::Failure;
use crate::api::{ApiError, Comment, FeedPage, LikeResponse, Me, VoteResponse};
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

/// The status line when paging stopped because the server loops.
pub const STALLED: &str = "The server keeps sending empty pages; r retries.";

/// " (R to retry)" for errors worth retrying, else "".
fn hint(e: &ApiError) -> String {
    if e.is_retryable() {
        format!(" {RETRY_HINT}")
    } else {
        String::new()
    }
}

/// The text typed after the comment `sent` was sent, when the editor holds
/// more than it: the rest after `sent` when the editor starts with it, else
/// the whole text. `None` when the editor holds just `sent` (or nothing).
fn text_after_sent(current: &str, sent: &str) -> Option<String> {
    let cur = current.trim();
    if cur.is_empty() || cur == sent {
        return None;
    }
    let rest = cur.strip_prefix(sent).map(str::trim_start).unwrap_or(cur);
    (!rest.is_empty()).then(|| rest.to_string())
}

impl App {
    /// Records the outcome of a write (like, vote, comment): no answer at
    /// all means the link is down (a resync is scheduled); any answer means
    /// it is up. Writes themselves are never retried.
    fn note_result(&mut self, e: Option<&ApiError>) {
        match e {
            Some(e) if e.failure() == Failure::NoAnswer => {
                self.connection = Connection::Offline(describe(e));
                self.link.fail(self.now);
            }
            Some(e) if e.is_auth_error() => self.connection = Connection::Unauthorized(describe(e)),
            Some(e) if e.failure() == Failure::ServerFault => {}
            _ if self.feed_failing => {
                // An answer, but the feed still fails: not live yet.
                self.connection = Connection::Online;
                self.link.last_ok = Some(self.now);
            }
            _ => {
                self.connection = Connection::Online;
                self.link.ok(self.now);
            }
        }
    }

    pub(super) fn on_me(&mut self, r: Result<Me, ApiError>, fx: &mut Vec<Effect>) {
        let transient = self.note_read(r.as_ref().err(), false);
        match r {
            Ok(me) => {
                let me = sanitize_me(me);
                if let Some(st) = me.server_time {
                    self.quota.set_server_time(st, self.now);
                }
                let t = self.server_now();
                self.quota.sync(&me.quotas, t);
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
        let now = self.now;
        let cap = self.options.feed_cap;
        let busy: HashSet<String> = self
            .pending_likes
            .keys()
            .chain(self.pending_votes.keys())
            .cloned()
            .collect();
        let on_screen = sort == self.sort;
        let transient = self.note_read(r.as_ref().err(), on_screen);
        let retry_at = self.link.retry_at;
        let feed = self.feed_of_mut(sort);
        if feed.generation != generation || feed.loading != Some(kind) {
            return; // a refresh replaced this request
        }
        let keep = if std::mem::take(&mut feed.jump_on_load) {
            None
        } else if let Some(s) = &feed.seek {
            Some(s.id.clone())
        } else {
            feed.selected_item().map(|p| p.id.clone())
        };
        let restore = self.restore_select.clone();
        let feed = self.feed_of_mut(sort);
        feed.loading = None;
        match r {
            Ok(page) => {
                feed.error = None;
                let items: Vec<_> = page.items.into_iter().map(sanitize_item).collect();
                let mut done = true;
                let mut stalled = false;
                let mut reload = false;
                let mut report = MergeReport::default();
                let selected = feed.selected_item().map(|p| p.id.clone());
                match kind {
                    Loading::More => {
                        stalled = feed.append(items, page.next_cursor, rows);
                        feed.enforce_cap(cap, rows);
                    }
                    Loading::First => {
                        let keep = restore.as_deref().or(keep.as_deref());
                        feed.replace(items, page.next_cursor, keep, rows);
                        feed.mark_read(now);
                    }
                    Loading::Merge => {
                        let prepend = sort == FeedSort::Latest;
                        let step = feed.merge(
                            items,
                            page.next_cursor,
                            prepend,
                            |id| busy.contains(id),
                            rows,
                            &mut report,
                        );
                        match step {
                            MergeStep::Done => {
                                feed.mark_read(now);
                                feed.enforce_cap(cap, rows)
                            }
                            MergeStep::Reload => {
                                done = false;
                                reload = true;
                            }
                            MergeStep::Next(cursor) => {
                                // More new posts than one page: read on.
                                done = false;
                                feed.loading = Some(Loading::Merge);
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
                if reload {
                    // The server no longer holds any loaded post (reset or
                    // restarted): start the list over.
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
                feed.error = Some(msg.clone());
                feed.seek = None;
                if let (true, Some(at)) = (transient, retry_at) {
                    let until = at + self.quota.skew;
                    let prefix = format!("Could not load the feed: {msg} Retrying in ");
                    self.wait_error(&prefix, until, ".");
                } else if let Some(secs) = e.retry_after() {
                    self.set_feed_retry(secs);
                    let until = add_secs(self.server_now(), secs_i64(secs.max(1)));
                    self.wait_error("Rate limited: the feed is loaded again in ", until, ".");
                } else {
                    self.error(format!("Could not load the feed: {msg} (r to retry)"));
                }
            }
        }
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

    pub(super) fn on_like(
        &mut self,
        post_id: String,
        request: u64,
        r: Result<LikeResponse, ApiError>,
        fx: &mut Vec<Effect>,
    ) {
        self.note_result(r.as_ref().err());
        let Some(pending) = self.take_pending_like(&post_id, request) else {
            return; // stale
        };
        match r {
            Ok(resp) => {
                self.forget_failure(
                    |f| matches!(f, Failed::Like { post_id: p, .. } if *p == post_id),
                );
                self.for_each_post(&post_id, |p| {
                    p.agent_liked = resp.liked;
                    p.stats.likes = resp.likes;
                });
                self.fetch_me(fx);
            }
            Err(e) => {
                self.for_each_post(&post_id, |p| {
                    p.agent_liked = pending.liked;
                    p.stats.likes = pending.likes;
                });
                if let Some(secs) = e.retry_after() {
                    self.set_like_block(secs);
                }
                let failed = Failed::Like {
                    post_id: post_id.clone(),
                    liked: !pending.liked,
                };
                self.remember_failure(failed, e.is_retryable());
                self.error(format!("Like not saved: {}{}", describe(&e), hint(&e)));
            }
        }
    }

    pub(super) fn on_vote(
        &mut self,
        post_id: String,
        request: u64,
        r: Result<VoteResponse, ApiError>,
        fx: &mut Vec<Effect>,
    ) {
        self.note_result(r.as_ref().err());
        let Some(pending) = self.take_pending_vote(&post_id, request) else {
            return; // stale
        };
        match r {
            Ok(resp) => {
                self.forget_failure(
                    |f| matches!(f, Failed::Medal { post_id: p, .. } if *p == post_id),
                );
                let counts = resp.ai_medals;
                let medal = resp.medal_type;
                self.for_each_post(&post_id, |p| {
                    p.stats.medals = counts;
                    if let Some(m) = &medal {
                        p.agent_medal = Some(m.clone());
                    }
                });
                self.refilter();
                self.fetch_me(fx);
            }
            Err(e) => {
                let (medal, counts) = (pending.medal.clone(), pending.counts);
                self.for_each_post(&post_id, |p| {
                    p.agent_medal = medal.clone();
                    p.stats.medals = counts;
                });
                self.refilter();
                self.quota.unrecord_medal(pending.sent_at);
                let failed = Failed::Medal {
                    post_id: post_id.clone(),
                    medal: pending.wanted.clone(),
                };
                self.remember_failure(failed, e.is_retryable());
                if let Some(secs) = e.retry_after() {
                    let until = add_secs(self.server_now(), secs_i64(secs));
                    self.quota.medal_blocked_until = Some(until);
                    self.wait_error("Medal quota used: next medal in ", until, ".");
                } else {
                    self.error(format!("Medal not given: {}{}", describe(&e), hint(&e)));
                }
                self.fetch_me(fx);
            }
        }
    }

    pub(super) fn on_comment(
        &mut self,
        post_id: String,
        request: u64,
        r: Result<Comment, ApiError>,
        fx: &mut Vec<Effect>,
    ) {
        self.note_result(r.as_ref().err());
        let Some(pending) = self.take_pending_comment(&post_id, request) else {
            return; // stale
        };
        let editor_here = self
            .composer
            .as_ref()
            .is_some_and(|c| c.post_id == post_id && c.sending == Some(request));
        if editor_here {
            if let Some(c) = self.composer.as_mut() {
                c.sending = None;
            }
        }
        match r {
            Ok(_) => {
                self.for_each_post(&post_id, |p| {
                    p.stats.comments = p.stats.comments.saturating_add(1)
                });
                let t = self.server_now();
                self.quota.comment_available_at = Some(add_secs(t, self.quota.comment_cooldown));
                self.forget_failure(
                    |f| matches!(f, Failed::Comment { post_id: p, .. } if *p == post_id),
                );
                self.drafts.remove(&post_id);
                // Text typed while the comment was on its way is kept.
                let newer = if editor_here {
                    self.composer
                        .as_ref()
                        .and_then(|c| text_after_sent(&c.text(), &pending.body))
                } else {
                    None
                };
                match newer {
                    Some(rest) => {
                        if let Some(c) = self.composer.as_mut() {
                            *c = super::Composer::new(c.post_id.clone(), c.author.clone(), &rest);
                        }
                        self.info("Comment posted; the editor keeps what you typed since.");
                    }
                    None => {
                        if editor_here {
                            self.composer = None;
                            if matches!(self.mode, Mode::Editor | Mode::Confirm) {
                                self.mode = Mode::Feed;
                            }
                        }
                        self.info("Comment posted.");
                    }
                }
                self.fetch_me(fx);
            }
            Err(e) => {
                let failed = Failed::Comment {
                    post_id: post_id.clone(),
                    body: pending.body.clone(),
                };
                self.remember_failure(failed, e.is_retryable());
                if !editor_here && !self.drafts.contains_key(&post_id) {
                    // The editor was closed meanwhile: never lose the text.
                    self.drafts.insert(post_id.clone(), pending.body.clone());
                }
                if let Some(secs) = e.retry_after() {
                    let until = add_secs(self.server_now(), secs_i64(secs));
                    self.quota.comment_available_at = Some(until);
                    self.wait_error(
                        "Comment cooldown: next comment in ",
                        until,
                        ". Your text is kept.",
                    );
                } else {
                    self.error(format!(
                        "Comment not sent: {} Your text is kept.{}",
                        describe(&e),
                        hint(&e)
                    ));
                }
            }
        }
    }
}
