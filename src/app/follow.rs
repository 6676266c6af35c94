//! Follow mode (`F`, like `tail -f`): the newest post of the latest feed
//! stays selected as refreshes bring posts; the header says `following`.
//! Any manual move of the selection (or switching to rising) leaves it,
//! and the status line says so.

use super::{Action, App, Effect, FeedSort};

impl App {
    /// `F`: follow the newest post (switching to latest), or stop.
    pub(super) fn toggle_follow(&mut self, fx: &mut Vec<Effect>) {
        if self.follow {
            self.follow = false;
            self.info("Follow off: the selection stays where it is.");
            return;
        }
        if self.sort != FeedSort::Latest {
            self.sort = FeedSort::Latest;
            let rows = self.feed_rows();
            self.feed_mut().scroll_into_view(rows);
            if !self.feed().loaded() && self.feed().loading().is_none() {
                self.load_first(FeedSort::Latest, fx);
            }
        }
        self.follow = true;
        self.jump_top(fx);
        let key = self.keymap.first_key(Action::Follow);
        self.info(format!(
            "Following the newest post as posts arrive ({key} or any move stops)."
        ));
    }

    /// A key moved the selection by hand (or left latest): follow mode
    /// ends, saying so.
    pub(super) fn leave_follow_on_move(&mut self, action: Action) {
        let moves = matches!(
            action,
            Action::MoveDown
                | Action::MoveUp
                | Action::FullNextPost
                | Action::FullPrevPost
                | Action::PageDown
                | Action::PageUp
                | Action::Last
                | Action::SwitchSort
        );
        if self.follow && moves && self.view.is_none() {
            self.follow = false;
            let key = self.keymap.first_key(Action::Follow);
            let why = if action == Action::SwitchSort {
                "you switched to rising"
            } else {
                "you moved the selection"
            };
            self.info(format!(
                "Follow off: {why} ({key} follows the newest post again)."
            ));
        }
    }

    /// A page of `sort` arrived: while following, the newest post is
    /// selected (and the top rows are seen).
    pub(super) fn follow_newest(&mut self, sort: FeedSort) {
        if !self.follow || sort != FeedSort::Latest {
            return;
        }
        let rows = self.feed_rows();
        self.latest.select(0, rows);
        self.latest.see_top(rows);
    }
}
