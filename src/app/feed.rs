//! One feed list (per sort): loaded posts, the filtered view of them, the
//! selection and scroll offset (both positions in the view), paging state,
//! and what a live dashboard needs on top: posts not yet seen, page marks
//! for trimming at the cap, and the merge of fresh first pages
//! (`feed/sync.rs`).

mod sync;

pub use sync::{MergeReport, MergeStep, MAX_MERGE_PAGES};

use super::filter::Filter;
use super::msg::FeedSort;
use super::mutes::Mutes;
use crate::api::{FeedItem, Timestamp};
use std::collections::{HashMap, HashSet};

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
    /// Its view position before the refresh (used, clamped, when it is
    /// not found).
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
    /// Not found within the bound: the old position (clamped) is selected.
    GaveUp,
}

/// Pages loaded automatically per user action (a key, a refresh): the
/// bound on paging that nobody asked for, whatever the server sends.
pub const FILTER_AUTO_PAGES: u32 = 5;

/// Pages in a row that bring no new post before paging stops (the server
/// keeps sending empty pages).
pub const MAX_EMPTY_PAGES: u32 = 3;

/// What kind of request is in flight for a feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loading {
    /// The first page (initial load or refresh): the list is replaced.
    First,
    /// The next page by cursor: items are appended.
    More,
    /// The first page again (automatic refresh), then further pages while
    /// every post of a page is new: known posts are updated in place, new
    /// ones are put on top (latest only); nothing is removed.
    Merge,
}

/// A gap-filling merge in progress: new posts collected from the first
/// pages, to be put on top once a page reaches posts already loaded.
#[derive(Debug, Clone, Default)]
struct MergeBuf {
    fresh: Vec<FeedItem>,
    /// Page marks of the collected pages (last id -> next cursor).
    marks: Vec<(String, Option<String>)>,
    pages: usize,
    /// Every id the refresh's pages held.
    returned: HashSet<String>,
    /// The oldest `publishedAt` among them.
    oldest: Option<Timestamp>,
    /// Some page held a post already loaded.
    found_known: bool,
    /// While detached: posts newer than any held, counted so far.
    newer: usize,
}

/// One feed list with its own selection.
#[derive(Debug, Clone)]
pub struct FeedState {
    /// Which sort this list shows.
    sort: FeedSort,
    /// Posts in server order, sanitized, deduplicated by id.
    items: Vec<FeedItem>,
    ids: HashSet<String>,
    /// Indices into `items` of the posts the filter lets through.
    view: Vec<usize>,
    /// Loaded posts the mutes hide (the feed title counts them).
    hidden: usize,
    /// Position in the view of the selected post (0 when empty).
    selected: usize,
    /// First visible row, a position in the view.
    offset: usize,
    /// Cursor for the next page; `None` at the end (after a first load).
    next_cursor: Option<String>,
    /// At least one page arrived.
    loaded: bool,
    /// The request in flight, if any.
    loading: Option<Loading>,
    /// Incremented on each refresh; results of older generations are dropped.
    generation: u64,
    /// The last load error, shown in the feed pane when it is empty.
    error: Option<String>,
    /// Page marks: the last post id of a fetched page -> that page's next
    /// cursor (`None` = end of feed). Trimming the list right after such a
    /// post lets paging continue exactly there.
    marks: HashMap<String, Option<String>>,
    /// Posts added by a refresh that the user has not seen yet.
    unseen: HashSet<String>,
    /// Newer posts were dropped from the top (the cap, while scrolled far
    /// down): refreshes no longer add on top; the jump key reloads.
    detached: bool,
    /// While detached: posts newer than any held, counted at the last
    /// refresh (see [`FeedState::newer_above`]).
    fresh_above: usize,
    /// While detached: posts dropped from the top at the cap.
    dropped_above: usize,
    /// Newest `publishedAt` ever held.
    newest: Option<Timestamp>,
    merge: Option<MergeBuf>,
    /// Pages still loaded automatically for a short filtered list.
    auto_pages: u32,
    /// Posts added by refreshes since start (each post counted once).
    merged_new: u64,
    /// The first page in flight was asked for by the jump key: select
    /// its first post (not the previously selected one).
    jump_on_load: bool,
    /// Looking for the post that was selected before `r`.
    seek: Option<Seek>,
    /// Malformed posts left out of the pages that make up the list.
    skipped: usize,
    /// Paging stopped: the server repeated a cursor or sent
    /// [`MAX_EMPTY_PAGES`] pages without a new post (`r` starts over).
    stalled: bool,
    /// Cursors received since the list was (re)started or cut.
    cursors: HashSet<String>,
    /// Pages in a row without a new post.
    empty_pages: u32,
    /// Local time of the last page that refreshed the list's top (a first
    /// page or a refresh): how old the ranking on screen is.
    read_at: Option<Timestamp>,
}

/// What a list's view depends on besides the list: the rows on screen,
/// the filter and the mutes (stored once, in `App::filter` and
/// `App::mutes`, for both lists).
#[derive(Debug, Clone, Copy)]
pub struct ViewSpec<'a> {
    /// Feed rows visible.
    pub rows: usize,
    /// The active filters.
    pub filter: &'a Filter,
    /// What the mutes hide.
    pub mutes: &'a Mutes,
}

/// Where the selection was on screen, to put it back after the list changed.
struct Anchor {
    id: Option<String>,
    item_index: usize,
    row: usize,
}

impl FeedState {
    /// An empty, not yet loaded list.
    pub fn new(sort: FeedSort) -> Self {
        FeedState {
            sort,
            items: Vec::new(),
            ids: HashSet::new(),
            view: Vec::new(),
            hidden: 0,
            selected: 0,
            offset: 0,
            next_cursor: None,
            loaded: false,
            loading: None,
            generation: 0,
            error: None,
            marks: HashMap::new(),
            unseen: HashSet::new(),
            detached: false,
            fresh_above: 0,
            dropped_above: 0,
            newest: None,
            merge: None,
            auto_pages: FILTER_AUTO_PAGES,
            merged_new: 0,
            jump_on_load: false,
            seek: None,
            skipped: 0,
            stalled: false,
            cursors: HashSet::new(),
            empty_pages: 0,
            read_at: None,
        }
    }

    /// Which sort this list shows.
    pub fn sort(&self) -> FeedSort {
        self.sort
    }

    /// Posts in server order, sanitized, deduplicated by id.
    pub fn items(&self) -> &[FeedItem] {
        &self.items
    }

    /// Position in the view of the selected post (0 when empty).
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// First visible row, a position in the view.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Cursor for the next page; `None` at the end (after a first load).
    pub fn next_cursor(&self) -> Option<&str> {
        self.next_cursor.as_deref()
    }

    /// At least one page arrived.
    pub fn loaded(&self) -> bool {
        self.loaded
    }

    /// The request in flight, if any.
    pub fn loading(&self) -> Option<Loading> {
        self.loading
    }

    /// The generation of the requests in flight (answers of older
    /// generations are dropped).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The last load error, shown in the feed pane when it is empty.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Newer posts were dropped from the top (see the field).
    pub fn detached(&self) -> bool {
        self.detached
    }

    /// Pages still loaded automatically for a short filtered list.
    pub fn auto_pages(&self) -> u32 {
        self.auto_pages
    }

    /// Posts added by refreshes since start (each post counted once).
    pub fn merged_new(&self) -> u64 {
        self.merged_new
    }

    /// The post sought after `r`, while looking for it.
    pub fn seek(&self) -> Option<&Seek> {
        self.seek.as_ref()
    }

    /// Paging stopped (the server repeated a cursor or sent empty pages).
    pub fn stalled(&self) -> bool {
        self.stalled
    }

    /// Local time of the last page that refreshed the list's top.
    pub fn read_at(&self) -> Option<Timestamp> {
        self.read_at
    }

    /// Starts loading the first page: a new generation (answers to older
    /// requests are dropped), the automatic paging budget renewed.
    /// Returns the generation to send.
    pub fn start_first(&mut self) -> u64 {
        self.generation += 1;
        self.jump_on_load = false;
        self.auto_pages = FILTER_AUTO_PAGES;
        self.loading = Some(Loading::First);
        self.generation
    }

    /// The first page in flight was asked for by the jump key: its first
    /// post is selected when it arrives.
    pub fn select_first_on_load(&mut self) {
        self.jump_on_load = true;
    }

    /// Starts loading the next page when there is one, paging has not
    /// stalled and nothing loads; spends one page of the automatic budget.
    /// Returns the generation and cursor to send.
    pub fn start_next(&mut self) -> Option<(u64, String)> {
        if self.stalled || self.loading.is_some() {
            return None;
        }
        let cursor = self.next_cursor.clone()?;
        self.auto_pages = self.auto_pages.saturating_sub(1);
        self.loading = Some(Loading::More);
        Some((self.generation, cursor))
    }

    /// Starts an automatic refresh (the first page, merged) when the list
    /// is loaded and nothing loads. Returns the generation to send.
    pub fn start_merge(&mut self) -> Option<u64> {
        if !self.loaded || self.loading.is_some() {
            return None;
        }
        self.begin_merge();
        self.loading = Some(Loading::Merge);
        Some(self.generation)
    }

    /// A refresh reads on: its next page is in flight.
    pub fn continue_merge(&mut self) {
        self.loading = Some(Loading::Merge);
    }

    /// An answer for (`generation`, `kind`) arrived. `None` when that is
    /// not the request in flight (a refresh replaced it: drop the answer);
    /// else the request is over and the post to keep selected is returned
    /// (`Some(None)`: none, the jump key asked for the first post).
    pub fn take_answer(&mut self, generation: u64, kind: Loading) -> Option<Option<String>> {
        if self.generation != generation || self.loading != Some(kind) {
            return None;
        }
        self.loading = None;
        let keep = if std::mem::take(&mut self.jump_on_load) {
            None
        } else if let Some(s) = &self.seek {
            Some(s.id.clone())
        } else {
            self.selected_item().map(|p| p.id.clone())
        };
        Some(keep)
    }

    /// A page arrived: the last load error is over.
    pub fn clear_error(&mut self) {
        self.error = None;
    }

    /// A load failed (`why`, a sentence for the empty pane); a running
    /// [`Seek`] stops.
    pub fn failed(&mut self, why: String) {
        self.error = Some(why);
        self.seek = None;
    }

    /// The user acted: the automatic paging budget is renewed.
    pub fn renew_auto_pages(&mut self) {
        self.auto_pages = FILTER_AUTO_PAGES;
    }

    /// While detached: posts newer than the list's top, as far as known
    /// (dropped at the cap plus new ones counted by the last refresh).
    pub fn newer_above(&self) -> usize {
        self.fresh_above.saturating_add(self.dropped_above)
    }

    /// Loaded posts the mutes hide.
    pub fn hidden(&self) -> usize {
        self.hidden
    }

    /// Number of posts in the (filtered) view.
    pub fn view_len(&self) -> usize {
        self.view.len()
    }

    /// The post at a view position.
    pub fn view_item(&self, pos: usize) -> Option<&FeedItem> {
        self.view.get(pos).and_then(|&i| self.items.get(i))
    }

    /// The selected post.
    pub fn selected_item(&self) -> Option<&FeedItem> {
        self.view_item(self.selected)
    }

    /// The end of the feed was reached (a page came with no next cursor).
    pub fn at_end(&self) -> bool {
        self.loaded && self.next_cursor.is_none()
    }

    /// Whether the post was added by a refresh and not seen yet (tinted).
    pub fn is_unseen(&self, id: &str) -> bool {
        self.unseen.contains(id)
    }

    /// New posts above the visible rows (the "N new" marker).
    pub fn new_above(&self) -> usize {
        if self.unseen.is_empty() {
            return 0;
        }
        (0..self.offset.min(self.view.len()))
            .filter(|&p| {
                self.view_item(p)
                    .is_some_and(|i| self.unseen.contains(&i.id))
            })
            .count()
    }

    /// Marks the selected post as seen.
    pub fn see_selected(&mut self) {
        if let Some(id) = self.selected_item().map(|p| p.id.clone()) {
            self.unseen.remove(&id);
        }
    }

    /// When the view is at the top, marks the `rows` visible posts as seen.
    pub fn see_top(&mut self, rows: usize) {
        if self.offset != 0 || self.unseen.is_empty() {
            return;
        }
        for p in 0..rows.min(self.view.len()) {
            if let Some(id) = self.view_item(p).map(|i| i.id.clone()) {
                self.unseen.remove(&id);
            }
        }
    }

    /// A new filter (`view.filter`): the selection stays on its post when
    /// it still passes, else moves to the next post that does (same screen
    /// row when possible). Resets the automatic paging budget.
    pub fn apply_filter(&mut self, view: ViewSpec) {
        let a = self.anchor();
        self.auto_pages = FILTER_AUTO_PAGES;
        self.restore(a, view);
    }

    /// Recomputes the view after posts changed in place (e.g. a medal
    /// given under the "not medalled" filter), keeping the selection.
    pub fn refilter(&mut self, view: ViewSpec) {
        if view.filter.is_active() || !view.mutes.is_empty() {
            let a = self.anchor();
            self.restore(a, view);
        }
    }

    fn rebuild_view(&mut self, filter: &Filter, mutes: &Mutes) {
        self.view.clear();
        self.hidden = 0;
        if !filter.is_active() && mutes.is_empty() {
            self.view.extend(0..self.items.len());
            return;
        }
        for (i, item) in self.items.iter().enumerate() {
            if mutes.hides(item) {
                self.hidden += 1;
            } else if filter.matches(item) {
                self.view.push(i);
            }
        }
    }

    fn anchor(&self) -> Anchor {
        Anchor {
            id: self.selected_item().map(|p| p.id.clone()),
            item_index: self.view.get(self.selected).copied().unwrap_or(0),
            row: self.selected.saturating_sub(self.offset),
        }
    }

    /// Rebuilds the view and puts the anchored post back on its screen row
    /// (or, when it is gone, the next post after where it was).
    fn restore(&mut self, a: Anchor, view: ViewSpec) {
        let rows = view.rows;
        self.rebuild_view(view.filter, view.mutes);
        let pos =
            a.id.as_deref()
                .and_then(|id| self.view.iter().position(|&i| self.items[i].id == id))
                .or_else(|| self.view.iter().position(|&i| i >= a.item_index))
                .unwrap_or(self.view.len().saturating_sub(1));
        self.selected = pos;
        self.offset = pos.saturating_sub(a.row);
        self.scroll_into_view(rows);
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

    /// After a page arrived: selects the sought post when it is there (on
    /// the screen row the selection has), asks for the next page while
    /// within the bound, else gives up and selects the old position
    /// (clamped).
    pub fn seek_step(&mut self, rows: usize) -> SeekStep {
        let Some(seek) = self.seek.take() else {
            return SeekStep::Idle;
        };
        let row = self.selected.saturating_sub(self.offset);
        if let Some(pos) = self.view.iter().position(|&i| self.items[i].id == seek.id) {
            self.selected = pos;
            self.offset = pos.saturating_sub(row);
            self.scroll_into_view(rows);
            SeekStep::Found
        } else if self.next_cursor.is_some() && !self.stalled && self.items.len() < seek.max_items {
            self.seek = Some(seek);
            SeekStep::More
        } else {
            self.selected = seek.index;
            self.scroll_into_view(rows);
            SeekStep::GaveUp
        }
    }

    /// Moves the selection by `delta` rows (clamped), keeping it visible in
    /// `rows` rows. The user moved: a running [`Seek`] stops.
    pub fn move_by(&mut self, delta: isize, rows: usize) {
        self.seek = None;
        let max = self.view.len().saturating_sub(1) as isize;
        self.selected = (self.selected as isize + delta).clamp(0, max.max(0)) as usize;
        self.scroll_into_view(rows);
        self.see_selected();
    }

    /// Selects an absolute view position (clamped), keeping it visible. A
    /// running [`Seek`] stops.
    pub fn select(&mut self, index: usize, rows: usize) {
        self.seek = None;
        self.selected = index.min(self.view.len().saturating_sub(1));
        self.scroll_into_view(rows);
        self.see_selected();
    }

    /// Adjusts `offset` so the selected row is inside a window of `rows` rows.
    pub fn scroll_into_view(&mut self, rows: usize) {
        let rows = rows.max(1);
        let len = self.view.len();
        self.selected = self.selected.min(len.saturating_sub(1));
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
        // Never leave empty space below the list when it could be filled
        // (the extra row is the loading/end marker).
        let total = len + 1;
        if self.offset + rows > total {
            self.offset = total.saturating_sub(rows);
        }
        // On the last post, show the loading/end marker below it too.
        if self.selected + 1 == len && self.offset + rows <= len {
            self.offset = (len + 1).saturating_sub(rows);
        }
        if self.selected < self.offset {
            self.offset = self.selected;
        }
    }

    /// The next page should be requested now: a cursor exists, paging has
    /// not stalled, nothing is loading, and the selection is within
    /// [`PREFETCH_ROWS`] of the end of the view or the view does not fill
    /// the `rows` visible rows. Only [`FeedState::auto_pages`] more pages
    /// are loaded without a user action.
    pub fn wants_more(&self, rows: usize) -> bool {
        let len = self.view.len();
        self.loading.is_none()
            && self.next_cursor.is_some()
            && !self.stalled
            && (self.selected + PREFETCH_ROWS >= len || len < rows)
            && self.auto_pages > 0
    }

    /// Mutable access to a post by id.
    pub fn post_mut(&mut self, id: &str) -> Option<&mut FeedItem> {
        if !self.ids.contains(id) {
            return None;
        }
        self.items.iter_mut().find(|p| p.id == id)
    }

    /// A post by id.
    pub fn post(&self, id: &str) -> Option<&FeedItem> {
        if !self.ids.contains(id) {
            return None;
        }
        self.items.iter().find(|p| p.id == id)
    }

    /// Counts the malformed posts a page left out (a first page starts the
    /// count again; a refresh's pages repeat posts already counted) and
    /// returns how many the whole list is missing.
    pub fn note_skipped(&mut self, kind: Loading, n: usize) -> usize {
        match kind {
            Loading::First => self.skipped = n,
            Loading::More => self.skipped = self.skipped.saturating_add(n),
            Loading::Merge => self.skipped = self.skipped.max(n),
        }
        self.skipped
    }

    /// Every bookkeeping set stays within the loaded posts (for tests of
    /// bounded memory): page marks, unseen posts and ids.
    pub fn bookkeeping_len(&self) -> (usize, usize, usize) {
        (self.marks.len(), self.unseen.len(), self.ids.len())
    }
}
