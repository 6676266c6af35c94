//! The image-preview part of `App::update`: keeps `PreviewState` in line
//! with the selection, the terminal size and the preview keys.

use super::{App, Effect};
use crate::api::FeedItem;
use crate::preview::{PreviewEffect, PreviewMsg, Target};

fn target_of(item: &FeedItem) -> Option<Target> {
    item.preview().map(|m| Target {
        post_id: item.id.clone(),
        url: m.url.clone(),
    })
}

fn wrap(pfx: Vec<PreviewEffect>, fx: &mut Vec<Effect>) {
    for e in &pfx {
        tracing::debug!(effect = ?e, "preview");
    }
    fx.extend(pfx.into_iter().map(Effect::Preview));
}

impl App {
    /// The picture box of the post pane in cells (columns, rows) for the
    /// current terminal size and zoom; `None` when there is no room.
    pub fn preview_cells(&self) -> Option<(u16, u16)> {
        super::layout::preview_cells(self.viewport, self.zoom_post)
    }

    /// Runs after every message: selection, size and quitting drive loads,
    /// cancels and encodes.
    pub(super) fn sync_preview(&mut self, fx: &mut Vec<Effect>) {
        let mut pfx = Vec::new();
        if self.should_quit {
            self.preview.clear_shown(&mut pfx);
            return wrap(pfx, fx);
        }
        if self.mode == super::Mode::Post {
            // The composer's picked file, in the composer's picture box.
            let want = self.composer_preview_target();
            let avail = super::layout::composer_picture_cells(self.viewport);
            self.preview
                .sync(want, Vec::new(), avail, self.now, &mut pfx);
            return wrap(pfx, fx);
        }
        if self.mode == super::Mode::Full {
            return self.sync_full_preview(fx);
        }
        let feed = self.feed();
        let want = self.selected().and_then(target_of);
        // A view prefetches nothing (its rows are not the feed's).
        let ahead = if self.view.is_some() { 0 } else { usize::MAX };
        let upcoming: Vec<Target> = feed
            .items()
            .iter()
            .skip(feed.selected() + 1)
            .take(ahead)
            .filter_map(target_of)
            .take(crate::preview::state::PREFETCH)
            .collect();
        let avail = self.preview_cells();
        self.preview.sync(want, upcoming, avail, self.now, &mut pfx);
        wrap(pfx, fx);
    }

    /// The full-screen view's picture in its box; the post's next
    /// pictures, then the next posts' first ones, are prefetched.
    fn sync_full_preview(&mut self, fx: &mut Vec<Effect>) {
        let mut pfx = Vec::new();
        let want = self.full_picture().and_then(|p| {
            p.media.map(|m| Target {
                post_id: p.post.id.clone(),
                url: m.url.clone(),
            })
        });
        let mut upcoming: Vec<Target> = self
            .full_picture()
            .map(|p| {
                p.post
                    .images()
                    .skip(p.index + 1)
                    .map(|m| Target {
                        post_id: p.post.id.clone(),
                        url: m.url.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        if self.view.is_none() {
            let feed = self.feed();
            upcoming.extend(
                feed.items()
                    .iter()
                    .skip(feed.selected() + 1)
                    .filter_map(target_of)
                    .take(crate::preview::state::PREFETCH),
            );
        }
        upcoming.truncate(crate::preview::state::PREFETCH);
        let avail = super::layout::full_picture_cells(self.viewport);
        self.preview.sync(want, upcoming, avail, self.now, &mut pfx);
        wrap(pfx, fx);
    }

    pub(super) fn on_preview(&mut self, msg: PreviewMsg, fx: &mut Vec<Effect>) {
        tracing::debug!(?msg, "preview");
        let mut pfx = Vec::new();
        self.preview.on_msg(msg, &mut pfx);
        wrap(pfx, fx);
    }

    pub(super) fn toggle_previews(&mut self, fx: &mut Vec<Effect>) {
        let mut pfx = Vec::new();
        let on = self.preview.toggle(&mut pfx);
        wrap(pfx, fx);
        self.info(if on {
            "Image previews on."
        } else {
            "Image previews off."
        });
    }
}
