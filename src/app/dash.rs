//! The live-dashboard part of `App::update`: automatic refresh and its
//! pause, resyncs after failures or sleep, filters and the jump to the
//! newest posts.

use super::link::SLEEP_JUMP_SECS;
use super::{App, Effect, FeedSort, Filter, Loading, Mode, ViewSpec};
use crate::api::ApiError;
use chrono::Duration;
use ratatui_textarea::TextArea;

impl App {
    /// Called first in every update: a wake-up much later than planned
    /// (the machine slept, the process was stopped) resyncs at once.
    pub(super) fn check_sleep(&mut self, fx: &mut Vec<Effect>) {
        let Some(planned) = self.planned_wake else {
            return;
        };
        if self.now > planned + Duration::seconds(SLEEP_JUMP_SECS) {
            tracing::info!(
                late_secs = (self.now - planned).num_seconds(),
                "woke up late (sleep?): resyncing"
            );
            self.resync(fx);
        }
    }

    /// Called last in every update: keeps an automatic refresh planned
    /// while the link is live (whatever path the last refresh took), then
    /// remembers when the runtime is expected to wake us next.
    pub(super) fn plan_wake(&mut self) {
        let merging = self.feed().loading() == Some(Loading::Merge);
        if self.options.refresh_secs > 0
            && !self.link.is_failing()
            && !self.is_cached(self.sort)
            && self.auto_refresh_at.is_none()
            && self.feed().loaded()
            && !merging
        {
            self.schedule_auto_refresh();
        }
        self.planned_wake = self.next_wake();
    }

    /// Back from failing reads: an error about the failure (a stale "Feed
    /// retry in", or one offering a retry key: it said the server could
    /// not be reached) gives way to "Back online." The failed action is
    /// still remembered for the retry key (see the help), but no longer
    /// offered.
    pub(super) fn back_online(&mut self) {
        let stale = self.status.as_ref().is_some_and(|s| {
            s.level == super::Level::Error
                && (s.offer.is_some()
                    || s.countdown
                        .as_ref()
                        .is_some_and(|c| c.prefix == super::results::FEED_RETRY))
        });
        if stale {
            self.info("Back online.");
        }
    }

    /// Reads everything again now: `me`, and the feed on screen (its first
    /// page when nothing is loaded yet, else a merge unless paused).
    pub(super) fn resync(&mut self, fx: &mut Vec<Effect>) {
        self.link.retry_at = None;
        self.feed_retry_at = None;
        self.fetch_me(fx);
        let sort = self.sort;
        let cached = self.is_cached(sort);
        let feed = self.feed_of_mut(sort);
        if feed.loading().is_some() {
            return;
        }
        if !feed.loaded() || cached {
            self.load_first(sort, fx);
        } else if !self.paused {
            self.start_merge(sort, fx);
        }
    }

    /// Starts an automatic refresh of `sort`: its first page, merged.
    pub(super) fn start_merge(&mut self, sort: FeedSort, fx: &mut Vec<Effect>) {
        self.auto_refresh_at = None;
        if let Some(generation) = self.feed_of_mut(sort).start_merge() {
            fx.push(Effect::LoadFeed {
                sort,
                generation,
                cursor: None,
                kind: Loading::Merge,
            });
        }
    }

    /// Records the outcome of a read: a success makes the link live; a
    /// transient failure schedules a resync with backoff. Returns whether
    /// the error was transient (the caller then leaves retrying to the
    /// resync).
    pub(super) fn note_read(&mut self, e: Option<&ApiError>, feed: bool) -> bool {
        match e {
            None => {
                if feed {
                    self.feed_failing = false;
                    self.link.last_feed = Some(self.now);
                } else if self.feed_failing {
                    // The server answers, but the feed still fails: the
                    // link stays failing (and backing off) until it loads,
                    // and the header keeps saying why.
                    self.link.heard(self.now);
                    return false;
                }
                if self.link.ok(self.now) {
                    // Back from a failure: catch up with a refresh now.
                    self.auto_refresh_at = Some(self.now);
                    self.back_online();
                }
                false
            }
            Some(e) if e.is_auth_error() => {
                self.link.refuse(super::describe(e));
                false
            }
            Some(e) if e.failure().read_retries() => {
                self.feed_failing |= feed;
                self.link.fail(self.now, e.headline());
                true
            }
            Some(_) => {
                // The server answered (a refusal): the link works.
                self.feed_failing &= !feed;
                self.link.ok(self.now);
                false
            }
        }
    }

    /// Sets who "mine" is in the filters (the agent id, once known).
    pub(super) fn set_me(&mut self, agent_id: &str) {
        if !agent_id.is_empty() && self.filter.me != agent_id {
            let f = Filter {
                me: agent_id.to_string(),
                ..self.filter.clone()
            };
            self.set_filter(f);
        }
    }

    /// Seconds until the next resync while reads fail (rounded up).
    pub fn retry_in_secs(&self) -> Option<i64> {
        self.link
            .retry_at
            .map(|t| super::secs_until(self.now, t).max(0))
    }

    pub(super) fn toggle_pause(&mut self, fx: &mut Vec<Effect>) {
        self.paused = !self.paused;
        if self.paused {
            self.info("Auto-refresh paused (p resumes).");
        } else {
            self.info("Auto-refresh resumed.");
            if !self.link.is_failing() {
                let sort = self.sort;
                self.start_merge(sort, fx);
            }
        }
    }

    /// Applies `f` to both lists (the selection stays on its post when it
    /// still passes).
    fn set_filter(&mut self, f: Filter) {
        self.filter = f;
        self.apply_view();
    }

    /// Rebuilds both lists' views after the filter or the mutes changed
    /// (the selection stays on its post when it still shows, else moves
    /// to the next one that does).
    pub(super) fn apply_view(&mut self) {
        let view = ViewSpec {
            rows: self.feed_rows(),
            filter: &self.filter,
            mutes: &self.mutes,
        };
        self.latest.apply_filter(view);
        self.rising.apply_filter(view);
    }

    pub(super) fn open_filter(&mut self) {
        let mut t = TextArea::new(vec![self.filter.text.clone()]);
        t.move_cursor(ratatui_textarea::CursorMove::End);
        t.set_placeholder_text("words in caption, #tags or @author");
        self.filter_input = Some(t);
        self.mode = Mode::Filter;
    }

    pub(super) fn apply_filter(&mut self, fx: &mut Vec<Effect>) {
        let text = self
            .filter_input
            .take()
            .map(|t| t.lines().join(" ").trim().to_string())
            .unwrap_or_default();
        self.mode = Mode::Feed;
        let f = Filter {
            text,
            ..self.filter.clone()
        };
        self.set_filter(f);
        self.after_filter_change(fx);
    }

    pub(super) fn clear_filter(&mut self, fx: &mut Vec<Effect>) {
        self.filter_input = None;
        self.mode = Mode::Feed;
        let f = Filter {
            text: String::new(),
            ..self.filter.clone()
        };
        self.set_filter(f);
        self.after_filter_change(fx);
    }

    pub(super) fn cycle_verdict(&mut self, fx: &mut Vec<Effect>) {
        let f = Filter {
            verdict: self.filter.verdict.next(),
            ..self.filter.clone()
        };
        self.set_filter(f);
        self.after_filter_change(fx);
    }

    pub(super) fn toggle_unmedalled(&mut self, fx: &mut Vec<Effect>) {
        let f = Filter {
            unmedalled: !self.filter.unmedalled,
            ..self.filter.clone()
        };
        self.set_filter(f);
        self.after_filter_change(fx);
    }

    fn after_filter_change(&mut self, fx: &mut Vec<Effect>) {
        let label = self.filter.label();
        if label.is_empty() {
            self.info("Filters off: every post is shown.");
        } else {
            // The counts are in the feed title, which follows pages as they load.
            self.info(format!(
                "Filter: {label} (matches counted in the feed title)."
            ));
        }
        self.maybe_load_more(fx);
    }

    /// Recomputes the filtered views after posts changed in place.
    pub(super) fn refilter(&mut self) {
        let view = ViewSpec {
            rows: self.feed_rows(),
            filter: &self.filter,
            mutes: &self.mutes,
        };
        self.latest.refilter(view);
        self.rising.refilter(view);
    }

    /// The jump key: select the newest post; reloads the first page when
    /// newer posts were dropped at the cap (the list is detached).
    pub(super) fn jump_top(&mut self, fx: &mut Vec<Effect>) {
        let rows = self.feed_rows();
        if self.feed().detached() {
            let sort = self.sort;
            self.feed_mut().select(0, rows);
            self.load_first(sort, fx);
            self.feed_mut().select_first_on_load();
        } else {
            self.feed_mut().select(0, rows);
        }
    }

    /// Gives the filtered-paging budget back after a user action.
    pub(super) fn user_acted(&mut self) {
        let rows = self.feed_rows();
        let feed = self.feed_mut();
        feed.see_top(rows);
        feed.renew_auto_pages();
    }
}
