//! Instant start: the account's last feed, read from the local store
//! before any network answer, is shown at once and marked "cached" in the
//! header until the first live page of that sort replaces it (the
//! selected post kept by id, so the selection does not jump). While the
//! server cannot be reached the cached list stays, and the link's retries
//! load the first page when it comes back.

use super::sanitize::sanitize_item;
use super::{App, FeedSort, ViewSpec};
use crate::api::{FeedPage, Timestamp};

impl App {
    /// Shows `page` (the stored last feed of `sort`, read at local time
    /// `saved_at`: when its newest row was last received) until the first
    /// live page of `sort` arrives. An empty page changes nothing.
    pub fn show_cached(&mut self, sort: FeedSort, page: FeedPage, saved_at: Timestamp) {
        if page.items.is_empty() {
            return;
        }
        let items: Vec<_> = page.items.into_iter().map(sanitize_item).collect();
        // The one filter and the mutes, lent to the list.
        let filter = self.filter.clone();
        let mutes = self.mutes.clone();
        let view = ViewSpec {
            rows: self.feed_rows(),
            filter: &filter,
            mutes: &mutes,
        };
        // No cursor: older posts are read from the server once it answers.
        self.feed_of_mut(sort).replace(items, None, None, view);
        self.cached = Some((sort, saved_at));
    }

    /// When the cached list of `sort` on screen was saved, while it is
    /// shown (the header says "cached · HH:MM").
    pub fn cached_at(&self) -> Option<Timestamp> {
        self.cached
            .filter(|(sort, _)| *sort == self.sort)
            .map(|(_, at)| at)
    }

    /// `sort`'s list is the cached one (its next load is a first page,
    /// not a merge).
    pub(super) fn is_cached(&self, sort: FeedSort) -> bool {
        self.cached.is_some_and(|(s, _)| s == sort)
    }

    /// A live first page of `sort` arrived: the cached list is gone.
    pub(super) fn live_again(&mut self, sort: FeedSort) {
        if self.is_cached(sort) {
            self.cached = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{feed_msg, page, t0, TestApp};
    use super::super::*;
    use crate::api::ApiError;
    use chrono::Duration;

    #[test]
    fn the_cached_feed_shows_until_the_live_page_replaces_it_keeping_the_selection() {
        let mut app = TestApp::new().first_page(None).build();
        let saved = t0() - Duration::hours(3);
        app.show_cached(FeedSort::Latest, page(0..30, None), saved);
        assert_eq!(app.feed().items().len(), 30);
        assert_eq!(app.cached_at(), Some(saved));
        // The user moves in the cached list.
        for _ in 0..5 {
            app.update(testing::key("j"), t0());
        }
        assert_eq!(app.selected().unwrap().id, "p5");
        let row_before = app.feed().selected() - app.feed().offset();
        // The first live page: two new posts on top, the rest as cached.
        let fx = app.start();
        let generation = match fx.iter().find(|e| matches!(e, Effect::LoadFeed { .. })) {
            Some(Effect::LoadFeed { generation, .. }) => *generation,
            _ => panic!("no first load: {fx:?}"),
        };
        let live = page([1001, 1000].into_iter().chain(0..30), Some("c1"));
        app.update(feed_msg(generation, Loading::First, live), t0());
        assert_eq!(app.cached_at(), None);
        assert_eq!(app.feed().items().len(), 32);
        assert_eq!(
            app.selected().unwrap().id,
            "p5",
            "the selection stays on its post"
        );
        assert_eq!(
            app.feed().selected() - app.feed().offset(),
            row_before,
            "on the same screen row"
        );
        assert_eq!(app.feed().next_cursor(), Some("c1"));
    }

    #[test]
    fn while_offline_the_cached_list_stays_and_the_retry_loads_a_first_page() {
        let mut app = TestApp::new().first_page(None).build();
        app.show_cached(FeedSort::Latest, page(0..10, None), t0());
        app.unreachable("Cannot reach AIspace".into(), t0());
        // The start's first load fails: no answer.
        let generation = app.feed().generation();
        let net = ApiError::Network("connection refused".into());
        app.update(testing::feed_err(generation, Loading::First, net), t0());
        assert_eq!(app.feed().items().len(), 10);
        assert_eq!(app.cached_at(), Some(t0()));
        // The backed-off retries (and other timers) until a page is asked for.
        let mut first = false;
        for _ in 0..20 {
            let wake = app.next_wake().expect("a retry is planned");
            let fx = app.update(Msg::Tick, wake);
            let kinds: Vec<Loading> = fx
                .iter()
                .filter_map(|e| match e {
                    Effect::LoadFeed { kind, .. } => Some(*kind),
                    _ => None,
                })
                .collect();
            assert!(
                !kinds.contains(&Loading::Merge),
                "a merge into the cached list"
            );
            if kinds.contains(&Loading::First) {
                first = true;
                break;
            }
        }
        assert!(first, "the retry reads a first page");
        assert_eq!(
            app.feed().items().len(),
            10,
            "still on screen while it loads"
        );
    }

    #[test]
    fn an_empty_cache_changes_nothing() {
        let mut app = TestApp::new().first_page(None).build();
        app.show_cached(FeedSort::Latest, page(0..0, None), t0());
        assert_eq!(app.cached_at(), None);
        assert!(!app.feed().loaded());
    }
}
