//! Pages into a feed list: replace (first page), append (next page), merge
//! (a fresh first page during a refresh, with gap filling) and the cap
//! (trimming at page marks so that paging continues exactly).

use super::{FeedState, MergeBuf, ViewSpec, MAX_EMPTY_PAGES, PREFETCH_ROWS};
use crate::api::{FeedItem, Timestamp};
use std::collections::{HashMap, HashSet};

/// Most pages one refresh reads while every post of a page is new. When
/// even the last of them reaches no loaded post, the list restarts from
/// the new posts (the older ones can be paged to again).
pub const MAX_MERGE_PAGES: usize = 5;

/// What a merged page asks for next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeStep {
    /// The refresh is complete.
    Done,
    /// Every post of the page was new: read the next page with this cursor
    /// (a refresh with more new posts than one page holds).
    Next(String),
    /// The server holds none of the loaded posts any more (it was reset or
    /// restarted): load the list again from its first page.
    Reload,
}

/// What a merged refresh changed besides numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Loaded posts the refresh's range no longer holds, now removed.
    pub removed: Vec<String>,
}

impl FeedState {
    fn note_newest(&mut self, item: &FeedItem) {
        if self.newest.is_none_or(|n| item.published_at > n) {
            self.newest = Some(item.published_at.at());
        }
    }

    fn forget(&mut self, id: &str) {
        self.ids.remove(id);
        self.marks.remove(id);
        self.unseen.remove(id);
    }

    fn clear_list(&mut self) {
        self.items.clear();
        self.ids.clear();
        self.marks.clear();
        self.unseen.clear();
        self.detached = false;
        self.fresh_above = 0;
        self.dropped_above = 0;
        self.merge = None;
        self.restart_paging();
    }

    /// Paging starts over (a new list, or a cut that moved the cursor back).
    fn restart_paging(&mut self) {
        self.stalled = false;
        self.cursors.clear();
        self.empty_pages = 0;
    }

    /// Watches paging for a server that loops: a next cursor seen before,
    /// or [`MAX_EMPTY_PAGES`] pages in a row without a new post, stops it
    /// (`stalled`). Returns true when this page stalled it.
    fn watch_paging(&mut self, new_posts: usize, next_cursor: &Option<String>) -> bool {
        let was = self.stalled;
        if let Some(c) = next_cursor {
            if !self.cursors.insert(c.clone()) {
                self.stalled = true;
            }
        }
        if new_posts == 0 {
            self.empty_pages = self.empty_pages.saturating_add(1);
            if self.empty_pages >= MAX_EMPTY_PAGES {
                self.stalled = true;
            }
        } else {
            self.empty_pages = 0;
        }
        self.stalled && !was
    }

    /// Appends a page (skipping ids already present) and records its mark.
    /// Returns how many posts were new.
    fn push_page(&mut self, items: Vec<FeedItem>, next_cursor: &Option<String>) -> usize {
        let before = self.items.len();
        let last = items.last().map(|p| p.id.clone());
        for item in items {
            if self.ids.insert(item.id.clone()) {
                self.note_newest(&item);
                self.items.push(item);
            }
        }
        if let Some(id) = last {
            self.marks.insert(id, next_cursor.clone());
        }
        self.items.len() - before
    }

    /// Replaces the list with a first page, keeping `keep_id` selected when
    /// it is still there (else the same position, clamped) on the same
    /// screen row (`view`: the visible rows and the filter).
    pub fn replace(
        &mut self,
        items: Vec<FeedItem>,
        next_cursor: Option<String>,
        keep_id: Option<&str>,
        view: ViewSpec,
    ) {
        let mut a = self.anchor();
        a.id = keep_id.map(str::to_string);
        self.clear_list();
        self.push_page(items, &next_cursor);
        if let Some(c) = &next_cursor {
            self.cursors.insert(c.clone());
        }
        self.next_cursor = next_cursor;
        self.loaded = true;
        self.restore(a, view);
    }

    /// Notes that the list's top was read from the server at `now` (a first
    /// page or a refresh).
    pub fn mark_read(&mut self, now: Timestamp) {
        self.read_at = Some(now);
    }

    /// Appends a next page (dedupe by id), records its cursor. Returns
    /// true when this page made paging stall (see `stalled`).
    pub fn append(
        &mut self,
        items: Vec<FeedItem>,
        next_cursor: Option<String>,
        view: ViewSpec,
    ) -> bool {
        let a = self.anchor();
        let n = self.push_page(items, &next_cursor);
        let stalled = self.watch_paging(n, &next_cursor);
        self.next_cursor = next_cursor;
        self.loaded = true;
        self.restore(a, view);
        stalled
    }

    /// Forgets an unfinished merge: the next merged page is a first page.
    pub fn begin_merge(&mut self) {
        self.merge = None;
    }

    /// Merges one page of a refresh (the first page after
    /// [`FeedState::begin_merge`], then the pages it asked for). Known posts
    /// get the server's numbers (except those for which `keep` is true: an
    /// action is in flight). With `prepend` (latest), new posts go on top,
    /// or between the known posts they sit between, and are marked unseen;
    /// the selected post stays on its screen row. When every post of the
    /// page is new, the next page is asked for ([`MergeStep::Next`]), up to
    /// [`MAX_MERGE_PAGES`]. When the refresh is complete, loaded posts that
    /// the refreshed range no longer holds (latest: everything newer than
    /// the oldest post the refresh returned) are removed and listed in
    /// `report`; a server that returned none of the loaded posts asks for
    /// a reload ([`MergeStep::Reload`]).
    pub fn merge(
        &mut self,
        items: Vec<FeedItem>,
        next_cursor: Option<String>,
        prepend: bool,
        keep: impl Fn(&str) -> bool,
        view: ViewSpec,
        report: &mut MergeReport,
    ) -> MergeStep {
        let mut buf = self.merge.take().unwrap_or_default();
        buf.pages += 1;
        let a = self.anchor();
        let live_top = prepend && !self.detached;
        let page_len = items.len();
        let mut newer_here = 0;
        for p in &items {
            buf.returned.insert(p.id.clone());
            if buf.oldest.is_none_or(|o| p.published_at < o) {
                buf.oldest = Some(p.published_at.at());
            }
            if self.newest.is_some_and(|n| p.published_at > n) {
                newer_here += 1;
            }
        }
        if prepend && self.detached {
            buf.newer = buf.newer.saturating_add(newer_here);
        }
        let last_id = items.last().map(|p| p.id.clone());
        let mut found_known = false;
        let mut after: Option<usize> = None;
        for item in items {
            if self.ids.contains(&item.id) {
                found_known = true;
                let idx = self.items.iter().position(|p| p.id == item.id);
                after = idx;
                if let Some(i) = idx {
                    if !keep(&item.id) {
                        self.items[i] = item;
                    }
                }
            } else if !live_top {
                // Rising, or detached: new posts are not placed.
            } else if let Some(i) = after {
                // Between two known posts: insert in server order.
                let id = item.id.clone();
                self.note_newest(&item);
                self.items.insert(i + 1, item);
                self.ids.insert(id.clone());
                self.unseen.insert(id);
                self.merged_new += 1;
                after = Some(i + 1);
            } else if !buf.fresh.iter().any(|p| p.id == item.id) {
                buf.fresh.push(item);
            }
        }
        buf.found_known |= found_known;
        if let (Some(id), true) = (last_id, live_top) {
            if self.ids.contains(&id) {
                self.marks.insert(id, next_cursor.clone());
            } else if buf.fresh.iter().any(|p| p.id == id) {
                buf.marks.push((id, next_cursor.clone()));
            }
        }
        // Detached: keep counting while every post of the page is newer.
        let counting = prepend && self.detached && page_len > 0 && newer_here == page_len;
        let gap = (live_top && !found_known && self.loaded) || counting;
        if let (true, Some(cursor)) = (gap, next_cursor.clone()) {
            if buf.pages < MAX_MERGE_PAGES {
                self.merge = Some(buf);
                self.restore(a, view);
                return MergeStep::Next(cursor);
            }
            if self.was_reset(&buf) {
                // Not new posts: the server lost the ones loaded.
                self.restore(a, view);
                return MergeStep::Reload;
            }
            if counting {
                self.fresh_above = buf.newer;
                self.restore(a, view);
                return MergeStep::Done;
            }
            // More new posts than a refresh reads: restart from them.
            self.clear_list();
            self.next_cursor = next_cursor;
            self.put_on_top(buf);
            let top = super::Anchor {
                id: None,
                item_index: 0,
                row: 0,
            };
            self.restore(top, view);
            return MergeStep::Done;
        }
        if prepend && self.detached {
            self.fresh_above = buf.newer;
        }
        let none_left = !self.detached || self.was_reset(&buf);
        if !buf.found_known && none_left && !self.items.is_empty() && !buf.returned.is_empty() {
            // None of the loaded posts is on the server any more.
            self.restore(a, view);
            return MergeStep::Reload;
        }
        if prepend {
            report.removed = self.remove_ghosts(&buf.returned, buf.oldest, &keep);
        }
        self.put_on_top(buf);
        self.restore(a, view);
        MergeStep::Done
    }

    /// The refresh so far returned none of the loaded posts although it
    /// reached back into their time range (its oldest post is not newer
    /// than the newest one loaded): the server no longer holds them (it was
    /// reset or restarted), rather than having many new posts.
    fn was_reset(&self, buf: &MergeBuf) -> bool {
        let newest_loaded = self.items.iter().map(|p| p.published_at.at()).max();
        !buf.found_known
            && !self.items.is_empty()
            && matches!((buf.oldest, newest_loaded), (Some(o), Some(n)) if o <= n)
    }

    /// Removes the loaded posts newer than `oldest` that a refresh did not
    /// return (deleted or hidden on the server), except those with an
    /// action in flight; returns their ids.
    fn remove_ghosts(
        &mut self,
        returned: &HashSet<String>,
        oldest: Option<Timestamp>,
        keep: &impl Fn(&str) -> bool,
    ) -> Vec<String> {
        let Some(oldest) = oldest else {
            return Vec::new();
        };
        let gone: Vec<String> = self
            .items
            .iter()
            .filter(|p| p.published_at > oldest && !returned.contains(&p.id) && !keep(&p.id))
            .map(|p| p.id.clone())
            .collect();
        if !gone.is_empty() {
            let set: HashSet<&str> = gone.iter().map(String::as_str).collect();
            self.items.retain(|p| !set.contains(p.id.as_str()));
            for id in &gone {
                self.forget(id);
            }
        }
        gone
    }

    fn put_on_top(&mut self, buf: MergeBuf) {
        let n = buf.fresh.len();
        for f in &buf.fresh {
            self.ids.insert(f.id.clone());
            self.unseen.insert(f.id.clone());
            self.note_newest(f);
        }
        self.items.splice(0..0, buf.fresh);
        self.marks.extend(buf.marks);
        self.merged_new += n as u64;
    }

    /// Keeps at most `cap` posts (0 = no cap), dropping the ones farthest
    /// from the view: preferably the oldest, below the view, cut right after
    /// a page mark so that scrolling down re-fetches them with that page's
    /// cursor; when the view is near the bottom, the newest, from the top
    /// (the list is then `detached`). The selected post stays on its row.
    pub fn enforce_cap(&mut self, cap: usize, view: ViewSpec) {
        if cap == 0 || self.items.len() <= cap {
            return;
        }
        let a = self.anchor();
        let excess = self.items.len() - cap;
        let rows = view.rows.max(1);
        let sel = a.item_index;
        let last_vis = self
            .view
            .get((self.offset + rows).min(self.view.len()).saturating_sub(1))
            .copied()
            .unwrap_or(0);
        let pos: HashMap<&str, usize> = self
            .items
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.as_str(), i))
            .collect();
        let best = |min: usize| {
            self.marks
                .keys()
                .filter_map(|id| pos.get(id.as_str()).copied())
                .filter(|&m| m >= min && m < cap)
                .max()
        };
        // Cutting closer to the selection would only make the next page
        // load again at once: then the top goes instead.
        match best(last_vis.max(sel + PREFETCH_ROWS)) {
            Some(m) => self.cut_after(m),
            None => self.cut_top(excess),
        }
        self.restore(a, view);
    }

    fn cut_after(&mut self, m: usize) {
        self.restart_paging();
        let cursor = self
            .items
            .get(m)
            .and_then(|p| self.marks.get(&p.id).cloned());
        let dropped: Vec<FeedItem> = self.items.drain(m + 1..).collect();
        for p in &dropped {
            self.forget(&p.id);
        }
        if let Some(c) = cursor {
            self.next_cursor = c;
        }
    }

    fn cut_top(&mut self, n: usize) {
        let dropped: Vec<FeedItem> = self.items.drain(..n).collect();
        for p in &dropped {
            self.forget(&p.id);
        }
        self.detached = true;
        self.dropped_above = self.dropped_above.saturating_add(n);
    }
}
