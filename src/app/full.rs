//! The full-screen picture (`Mode::Full`, `enter` in the feed): the
//! selected post's pictures as large as the terminal allows, drawn by
//! `ui/full.rs` from the preview state like the post pane's. `j`/`k` step
//! to the next / previous post (moving the feed's or the view's
//! selection), `h`/`l` through the post's pictures ("2/3"); both stop at
//! the ends. Leaving (`esc`, `q`, `enter`) is back on the post now
//! selected; the full-screen picture is removed from the terminal (kitty:
//! deleted) and the pane's is encoded again.
//!
//! The pictures go through the same preview pipeline as the pane's
//! (`app/preview.rs`): the one wanted is the shown picture of the
//! selected post, in the box `layout::full_picture_cells` gives; the
//! newest request wins, the next pictures are prefetched.

use super::{Action, App, Effect, Mode};
use crate::api::{FeedItem, Media};

/// Which picture of which post the full-screen view shows. `image`
/// counts the post's pictures (`FeedItem::images`) from 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullView {
    /// The post the index belongs to (another selected post starts at 0).
    pub post_id: String,
    pub image: usize,
}

/// What the full-screen view shows now.
#[derive(Debug, Clone, Copy)]
pub struct FullPicture<'a> {
    pub post: &'a FeedItem,
    /// The picture shown (`None`: the post has none).
    pub media: Option<&'a Media>,
    /// Its place among the post's pictures, from 0.
    pub index: usize,
    /// How many pictures the post has.
    pub count: usize,
}

impl App {
    /// The picture the full-screen view shows: the selected post's, at
    /// the index stepped to (0 for a post selected since).
    pub fn full_picture(&self) -> Option<FullPicture<'_>> {
        let full = self.full.as_ref()?;
        let post = self.selected()?;
        let count = post.images().count();
        let index = if full.post_id == post.id {
            full.image.min(count.saturating_sub(1))
        } else {
            0
        };
        Some(FullPicture {
            post,
            media: post.images().nth(index),
            index,
            count,
        })
    }

    /// `enter`: opens the view on the selected post's first picture; a
    /// sentence instead when there is none or previews are off.
    pub(super) fn open_full(&mut self) {
        let Some(post) = self.selected() else {
            return;
        };
        if post.preview().is_none() {
            self.info("This post has no picture.");
            return;
        }
        if !self.preview.enabled {
            let key = self.keymap.first_key(Action::TogglePreviews);
            self.info(format!("Previews are off: press {key} to turn them on."));
            return;
        }
        self.full = Some(FullView {
            post_id: post.id.clone(),
            image: 0,
        });
        self.mode = Mode::Full;
    }

    /// Leaves the view, back on the post now selected. The full-screen
    /// picture is taken off the terminal at once (the pane's is encoded
    /// again by the next sync).
    pub(super) fn close_full(&mut self, fx: &mut Vec<Effect>) {
        self.full = None;
        self.mode = Mode::Feed;
        let mut pfx = Vec::new();
        self.preview.clear_shown(&mut pfx);
        fx.extend(pfx.into_iter().map(Effect::Preview));
        // Every cell painted again: no pixel of a sixel or iTerm2 picture
        // stays under the feed.
        fx.push(Effect::Redraw);
    }

    /// `j` / `k`: the next or previous post (`delta`), at its first
    /// picture; stops at the ends (past the last loaded post more are
    /// loaded, as in the feed).
    pub(super) fn full_step_post(&mut self, delta: isize, fx: &mut Vec<Effect>) {
        let rows = self.feed_rows();
        match self.view.as_mut() {
            Some(v) => v.move_by(delta, rows),
            None => {
                self.feed_mut().move_by(delta, rows);
                self.maybe_load_more(fx);
            }
        }
        // A history row without its stored post keeps the index: the
        // view says there is no post.
        let selected = self.selected().map(|p| p.id.clone());
        if let (Some(full), Some(id)) = (self.full.as_mut(), selected) {
            if full.post_id != id {
                full.post_id = id;
                full.image = 0;
            }
        }
    }

    /// `h` / `l`: the previous or next picture of the post; stops at the
    /// first and the last.
    pub(super) fn full_step_image(&mut self, delta: isize) {
        let Some(p) = self.full_picture() else {
            return;
        };
        let last = p.count.saturating_sub(1);
        let image = p.index.saturating_add_signed(delta).min(last);
        let post_id = p.post.id.clone();
        self.full = Some(FullView { post_id, image });
    }
}
