//! `App::update` for effect results: confirm (server numbers win) or roll
//! back with a clear status message. Stale results are dropped.

use super::{
    sanitize_item, sanitize_me, App, Connection, Effect, FeedSort, Loading, MergeStep, Mode,
    SeekStep, ME_INTERVAL_SECS,
};
use crate::api::{ApiError, Comment, FeedPage, LikeResponse, Me, VoteResponse};
use chrono::Duration;
use std::collections::HashSet;

/// The sentence for the status line describing an API error
/// (`ApiError::user_message`, sanitized).
pub fn describe(e: &ApiError) -> String {
    crate::text::clean_line(&e.user_message())
}

/// The error means the request never got an answer (network, timeout).
fn is_offline(e: &ApiError) -> bool {
    matches!(e, ApiError::Network(_) | ApiError::Timeout(_))
}

impl App {
    /// Records the outcome of a write (like, vote, comment): no answer at
    /// all means the link is down (a resync is scheduled); any answer means
    /// it is up. Writes themselves are never retried.
    fn note_result(&mut self, e: Option<&ApiError>) {
        match e {
            Some(e) if is_offline(e) => {
                self.connection = Connection::Offline(describe(e));
                self.link.fail(self.now);
            }
            Some(e) if e.is_auth_error() => self.connection = Connection::Unauthorized(describe(e)),
            Some(e) if e.status().is_some_and(|s| s >= 500) => {}
            _ => {
                self.connection = Connection::Online;
                self.link.ok(self.now);
            }
        }
    }

    pub(super) fn on_me(&mut self, r: Result<Me, ApiError>, fx: &mut Vec<Effect>) {
        let transient = self.note_read(r.as_ref().err());
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
                    .map(|s| s as i64)
                    .unwrap_or(ME_INTERVAL_SECS);
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
        let cap = self.options.feed_cap;
        let busy: HashSet<String> = self
            .pending_likes
            .keys()
            .chain(self.pending_votes.keys())
            .cloned()
            .collect();
        let transient = self.note_read(r.as_ref().err());
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
        feed.loading = None;
        match r {
            Ok(page) => {
                feed.error = None;
                let items: Vec<_> = page.items.into_iter().map(sanitize_item).collect();
                let mut done = true;
                match kind {
                    Loading::More => {
                        feed.append(items, page.next_cursor, rows);
                        feed.enforce_cap(cap, rows);
                    }
                    Loading::First => feed.replace(items, page.next_cursor, keep.as_deref(), rows),
                    Loading::Merge => {
                        let prepend = sort == FeedSort::Latest;
                        let step = feed.merge(
                            items,
                            page.next_cursor,
                            prepend,
                            |id| busy.contains(id),
                            rows,
                        );
                        match step {
                            MergeStep::Done => feed.enforce_cap(cap, rows),
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
                if page.skipped > 0 {
                    self.info(format!(
                        "{} post(s) in that page could not be read and were left out.",
                        page.skipped
                    ));
                }
            }
            Err(_) if kind == Loading::Merge && transient => {
                // Automatic refresh: the header shows the connection; the
                // resync refreshes again.
            }
            Err(e) if kind == Loading::Merge => match e.retry_after() {
                Some(secs) => {
                    self.auto_refresh_at = Some(self.now + Duration::seconds(secs as i64))
                }
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
                    let until = self.server_now() + Duration::seconds(secs.max(1) as i64);
                    self.wait_error("Rate limited: the feed is loaded again in ", until, ".");
                } else {
                    self.error(format!("Could not load the feed: {msg} (r to retry)"));
                }
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
                self.error(format!("Like not saved: {}", describe(&e)));
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
                if let Some(secs) = e.retry_after() {
                    let until = self.server_now() + Duration::seconds(secs as i64);
                    self.quota.medal_blocked_until = Some(until);
                    self.wait_error("Medal quota used: next medal in ", until, ".");
                } else {
                    self.error(format!("Medal not given: {}", describe(&e)));
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
        if self.take_pending_comment(&post_id, request).is_none() {
            return; // stale
        }
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
                self.for_each_post(&post_id, |p| p.stats.comments += 1);
                let t = self.server_now();
                self.quota.comment_available_at =
                    Some(t + Duration::seconds(self.quota.comment_cooldown));
                self.drafts.remove(&post_id);
                if editor_here {
                    self.composer = None;
                    if matches!(self.mode, Mode::Editor | Mode::Confirm) {
                        self.mode = Mode::Feed;
                    }
                }
                self.info("Comment posted.");
                self.fetch_me(fx);
            }
            Err(e) => {
                if let Some(secs) = e.retry_after() {
                    let until = self.server_now() + Duration::seconds(secs as i64);
                    self.quota.comment_available_at = Some(until);
                    self.wait_error(
                        "Comment cooldown: next comment in ",
                        until,
                        ". Your text is kept.",
                    );
                } else {
                    self.error(format!(
                        "Comment not sent: {} Your text is kept.",
                        describe(&e)
                    ));
                }
            }
        }
    }
}
