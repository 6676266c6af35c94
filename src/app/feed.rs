//! One feed list (per sort): loaded posts, selection, scroll offset and
//! paging state.

use super::msg::FeedSort;
use crate::api::FeedItem;
use std::collections::HashSet;

/// Start loading the next page when the selection is this close to the end.
pub const PREFETCH_ROWS: usize = 5;

/// Posts loaded beyond the pre-refresh count while looking for the
/// selected post after `r` (one page of ranking shifts).
pub const SEEK_MARGIN: usize = 20;

/// The post to select again after `r` replaced the list with the first
/// page: pages are loaded until it shows up, at most until the list is
/// [`SEEK_MARGIN`] posts longer than it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seek {
    /// The post that was selected.
    pub id: String,
    /// Its index before the refresh (used, clamped, when it is not found).
    pub index: usize,
    /// Stop looking once this many posts are loaded.
    pub max_items: usize,
}

/// What became of a [`Seek`] after a page arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeekStep {
    /// No seek running.
    Idle,
    /// The post is selected again.
    Found,
    /// Not there yet: load the next page.
    More,
    /// Not found within the bound: the old index (clamped) is selected.
    GaveUp,
}

/// What kind of request is in flight for a feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loading {
    /// The first page (initial load or refresh): the list is replaced.
    First,
    /// The next page by cursor: items are appended.
    More,
    /// The first page again (automatic refresh): known posts are updated in
    /// place, new ones are put on top (latest only); nothing is removed.
    Merge,
}

/// One feed list with its own selection.
#[derive(Debug, Clone)]
pub struct FeedState {
    /// Which sort this list shows.
    pub sort: FeedSort,
    /// Posts in server order, sanitized, deduplicated by id.
    pub items: Vec<FeedItem>,
    ids: HashSet<String>,
    /// Index of the selected post (0 when empty).
    pub selected: usize,
    /// First visible row (kept so the selection stays visible).
    pub offset: usize,
    /// Cursor for the next page; `None` at the end (after a first load).
    pub next_cursor: Option<String>,
    /// At least one page arrived.
    pub loaded: bool,
    /// The request in flight, if any.
    pub loading: Option<Loading>,
    /// Incremented on each refresh; results of older generations are dropped.
    pub generation: u64,
    /// The last load error, shown in the feed pane when it is empty.
    pub error: Option<String>,
    /// Looking for the post that was selected before `r`.
    pub seek: Option<Seek>,
}

impl FeedState {
    /// An empty, not yet loaded list.
    pub fn new(sort: FeedSort) -> Self {
        FeedState {
            sort,
            items: Vec::new(),
            ids: HashSet::new(),
            selected: 0,
            offset: 0,
            next_cursor: None,
            loaded: false,
            loading: None,
            generation: 0,
            error: None,
            seek: None,
        }
    }

    /// The selected post.
    pub fn selected_item(&self) -> Option<&FeedItem> {
        self.items.get(self.selected)
    }

    /// The end of the feed was reached (a page came with no next cursor).
    pub fn at_end(&self) -> bool {
        self.loaded && self.next_cursor.is_none()
    }

    /// Replaces the list with a first page, keeping `keep_id` selected when
    /// it is still there (else the same index, clamped).
    pub fn replace(
        &mut self,
        items: Vec<FeedItem>,
        next_cursor: Option<String>,
        keep_id: Option<&str>,
    ) {
        self.items.clear();
        self.ids.clear();
        self.append(items);
        self.next_cursor = next_cursor;
        self.loaded = true;
        let found = keep_id.and_then(|id| self.items.iter().position(|p| p.id == id));
        self.selected = found.unwrap_or(self.selected);
        self.clamp();
    }

    /// Merges a fresh first page: known posts get the server's numbers
    /// (except fields in `keep`, posts with an action in flight); with
    /// `prepend`, unknown posts go on top and the selection stays on the
    /// same post.
    pub fn merge(&mut self, items: Vec<FeedItem>, prepend: bool, keep: impl Fn(&str) -> bool) {
        let mut fresh = Vec::new();
        for item in items {
            if self.ids.contains(&item.id) {
                if keep(&item.id) {
                    continue;
                }
                if let Some(p) = self.post_mut(&item.id) {
                    *p = item;
                }
            } else if prepend {
                fresh.push(item);
            }
        }
        let n = fresh.len();
        if n > 0 {
            for f in &fresh {
                self.ids.insert(f.id.clone());
            }
            self.items.splice(0..0, fresh);
            if !self.items.is_empty() && self.items.len() > n {
                self.selected += n;
                self.offset += n;
            }
        }
    }

    /// Drops posts from the top so at most `cap` remain (the selection
    /// stays on the same post, or the first one).
    pub fn enforce_cap(&mut self, cap: usize) {
        if cap == 0 || self.items.len() <= cap {
            return;
        }
        let excess = self.items.len() - cap;
        for p in self.items.drain(..excess) {
            self.ids.remove(&p.id);
        }
        self.selected = self.selected.saturating_sub(excess);
        self.offset = self.offset.saturating_sub(excess);
    }

    /// Appends a page, skipping ids already present. Returns how many were new.
    pub fn append(&mut self, items: Vec<FeedItem>) -> usize {
        let before = self.items.len();
        for item in items {
            if self.ids.insert(item.id.clone()) {
                self.items.push(item);
            }
        }
        self.items.len() - before
    }

    /// Starts looking for the selected post again after the list is
    /// replaced by a refresh (see [`Seek`]).
    pub fn start_seek(&mut self) {
        self.seek = self.selected_item().map(|p| Seek {
            id: p.id.clone(),
            index: self.selected,
            max_items: self.items.len() + SEEK_MARGIN,
        });
    }

    /// After a page arrived: selects the sought post when it is there,
    /// asks for the next page while within the bound, else gives up and
    /// selects the old index (clamped).
    pub fn seek_step(&mut self) -> SeekStep {
        let Some(seek) = self.seek.take() else {
            return SeekStep::Idle;
        };
        if let Some(i) = self.items.iter().position(|p| p.id == seek.id) {
            self.selected = i;
            SeekStep::Found
        } else if self.next_cursor.is_some() && self.items.len() < seek.max_items {
            self.seek = Some(seek);
            SeekStep::More
        } else {
            self.selected = seek.index;
            self.clamp();
            SeekStep::GaveUp
        }
    }

    /// Moves the selection by `delta` rows (clamped), keeping it visible in
    /// `rows` rows. The user moved: a running [`Seek`] stops.
    pub fn move_by(&mut self, delta: isize, rows: usize) {
        self.seek = None;
        let max = self.items.len().saturating_sub(1) as isize;
        self.selected = (self.selected as isize + delta).clamp(0, max.max(0)) as usize;
        self.scroll_into_view(rows);
    }

    /// Selects an absolute index (clamped), keeping it visible. A running
    /// [`Seek`] stops.
    pub fn select(&mut self, index: usize, rows: usize) {
        self.seek = None;
        self.selected = index.min(self.items.len().saturating_sub(1));
        self.scroll_into_view(rows);
    }

    fn clamp(&mut self) {
        self.selected = self.selected.min(self.items.len().saturating_sub(1));
    }

    /// Adjusts `offset` so the selected row is inside a window of `rows` rows.
    pub fn scroll_into_view(&mut self, rows: usize) {
        let rows = rows.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
        // Never leave empty space below the list when it could be filled
        // (the extra row is the loading/end marker).
        let total = self.items.len() + 1;
        if self.offset + rows > total {
            self.offset = total.saturating_sub(rows);
        }
        // On the last post, show the loading/end marker below it too.
        if self.selected + 1 == self.items.len() && self.offset + rows <= self.items.len() {
            self.offset = (self.items.len() + 1).saturating_sub(rows);
        }
        if self.selected < self.offset {
            self.offset = self.selected;
        }
    }

    /// The next page should be requested now: a cursor exists, nothing is
    /// loading, and the selection is within [`PREFETCH_ROWS`] of the end or
    /// the loaded posts do not fill the `rows` visible rows.
    pub fn wants_more(&self, rows: usize) -> bool {
        self.loading.is_none()
            && self.next_cursor.is_some()
            && (self.selected + PREFETCH_ROWS >= self.items.len() || self.items.len() < rows)
    }

    /// Mutable access to a post by id.
    pub fn post_mut(&mut self, id: &str) -> Option<&mut FeedItem> {
        self.items.iter_mut().find(|p| p.id == id)
    }

    /// A post by id.
    pub fn post(&self, id: &str) -> Option<&FeedItem> {
        self.items.iter().find(|p| p.id == id)
    }
}
