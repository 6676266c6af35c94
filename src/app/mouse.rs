//! Mouse input (opt-in: the `mouse` setting; the runtime turns the
//! terminal's mouse reports into [`Mouse`] in `runtime/keys.rs`). What a
//! cell shows comes from `layout::spot`, the geometry `ui` draws with:
//!
//! - a click on a feed row selects it (the live feed or an archive view);
//! - a click on the sort tab of the feed pane's title (`tab: rising`)
//!   switches the sort;
//! - the wheel moves the selection over the feed pane, scrolls the post
//!   text over the post pane, and scrolls the help overlay while it is
//!   open.
//!
//! Anything else (other places, other modes, the stats screen, a terminal
//! too small to draw) does nothing.

use super::layout::{self, Spot};
use super::{Action, App, Effect, Mode, ViewKind};

/// What the mouse did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MouseKind {
    /// The left button went down.
    Click,
    /// The wheel turned up one notch.
    WheelUp,
    /// The wheel turned down one notch.
    WheelDown,
}

/// One mouse event at a cell of the terminal (0-based column and row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mouse {
    pub kind: MouseKind,
    pub column: u16,
    pub row: u16,
}

/// Rows (or lines of text) one wheel notch moves.
pub const WHEEL_ROWS: usize = 3;

impl App {
    /// Applies one mouse event (see the module documentation).
    pub(super) fn on_mouse(&mut self, m: Mouse, fx: &mut Vec<Effect>) {
        if self.too_small() {
            return;
        }
        let wheel = match m.kind {
            MouseKind::Click => None,
            MouseKind::WheelUp => Some(-1),
            MouseKind::WheelDown => Some(1),
        };
        match self.mode {
            Mode::Help => {
                if let Some(dir) = wheel {
                    let step = if dir > 0 {
                        Action::HelpDown
                    } else {
                        Action::HelpUp
                    };
                    for _ in 0..WHEEL_ROWS {
                        self.act(step, fx);
                    }
                }
            }
            Mode::Feed => self.on_feed_mouse(m, wheel, fx),
            _ => {}
        }
    }

    /// A mouse event with the feed and post panes on screen.
    fn on_feed_mouse(&mut self, m: Mouse, wheel: Option<isize>, fx: &mut Vec<Effect>) {
        if self
            .view
            .as_ref()
            .is_some_and(|v| v.kind == ViewKind::Stats)
        {
            // The stats screen covers both panes and has no rows.
            return;
        }
        let spot = layout::spot(self.viewport, self.zoom_post, m.column, m.row);
        match (spot, wheel) {
            (Spot::FeedRow(_) | Spot::FeedTitle(_) | Spot::Feed, Some(dir)) => {
                self.user_acted();
                let step = if dir > 0 {
                    Action::MoveDown
                } else {
                    Action::MoveUp
                };
                for _ in 0..WHEEL_ROWS {
                    self.act(step, fx);
                }
            }
            (Spot::Post, Some(dir)) => {
                self.scroll_post(dir * WHEEL_ROWS as isize);
            }
            (Spot::FeedRow(n), None) => self.click_row(n, fx),
            (Spot::FeedTitle(cell), None) => {
                let on_tab = self.view.is_none()
                    && super::feed_title(
                        self,
                        layout::feed_title_width(self.viewport, self.zoom_post),
                    )
                    .tab
                    .is_some_and(|t| t.contains(&cell));
                if on_tab {
                    self.user_acted();
                    self.act(Action::SwitchSort, fx);
                }
            }
            _ => {}
        }
    }

    /// A click on the `n`th visible row of the feed pane: selects the post
    /// shown there (in the open archive view, or the live feed); a row
    /// without a post (the end marker, empty space) does nothing.
    fn click_row(&mut self, n: usize, fx: &mut Vec<Effect>) {
        let rows = self.feed_rows();
        if let Some(v) = self.view.as_mut() {
            let index = v.offset().saturating_add(n);
            if index < v.len() {
                v.select(index, rows);
            }
            return;
        }
        let feed = self.feed();
        let index = feed.offset().saturating_add(n);
        if index >= feed.view_len() {
            return;
        }
        self.user_acted();
        if index != self.feed().selected() {
            self.leave_follow_on_move(Action::MoveDown);
        }
        self.feed_mut().select(index, rows);
        self.maybe_load_more(fx);
    }
}

#[cfg(test)]
#[path = "mouse_tests.rs"]
mod tests;
