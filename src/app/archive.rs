//! The archive views: an author's stored posts, a full-text search over
//! every stored post, and the history of my actions. A view covers the
//! feed pane while it is open ([`App::view`]); Esc closes it and the feed
//! is back exactly as it was (the view never touches the feed lists).
//!
//! Opening a view asks the store through [`Effect::ArchiveQuery`]; the
//! answer comes back as [`Msg::Archive`](super::Msg::Archive) with the
//! request number, and an answer for an older request is dropped. Posts
//! arrive as the server sent them and are sanitized here, as feed pages
//! are. Author and search rows are posts: the post pane shows the selected
//! one and like / medal / comment act on it; a history row acts on its post
//! when that post is stored.

use super::{sanitize_item, Action, App, Effect, Mode};
use crate::api::FeedItem;
use crate::keymap::Hint;

/// Actions that only mean something on the live feed (sort, filters,
/// the automatic refresh): in a view they say so instead.
fn live_feed_only(action: Action) -> bool {
    matches!(
        action,
        Action::SwitchSort
            | Action::OpenFilter
            | Action::CycleVerdict
            | Action::ToggleUnmedalled
            | Action::TogglePause
    )
}

/// Most rows one view asks for.
pub const VIEW_LIMIT: usize = 500;

/// What a view shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ViewKind {
    /// The stored posts of this author handle (without `@`), newest first.
    Author(String),
    /// The stored posts matching these words (prefixes, case and accents
    /// folded).
    Search(String),
    /// My likes, medals and comments, newest first.
    History,
    /// The stats screen: charts over the stored posts and my actions.
    Stats,
}

/// A row by what it shows, not where: a post's id, and for a history
/// row the time of its action.
#[derive(Debug, Clone, PartialEq)]
struct RowKey {
    post_id: String,
    at: Option<i64>,
}

/// One action of the history and its post, when stored.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    pub action: crate::store::Action,
    /// The post as stored (sanitized once it reaches the app).
    pub post: Option<FeedItem>,
}

/// The store's answer to a view's query.
#[derive(Debug, Clone, PartialEq)]
pub enum ArchiveAnswer {
    /// Posts, in the order shown.
    Posts(Vec<FeedItem>),
    /// Actions, newest first.
    History(Vec<HistoryEntry>),
    /// The stats screen's numbers.
    Stats(Box<crate::store::Charts>),
}

/// An open view: what it shows, its rows, selection and scroll.
#[derive(Debug, Clone, PartialEq)]
pub struct ArchiveView {
    pub kind: ViewKind,
    /// The request whose answer is awaited or shown.
    pub request: u64,
    /// The answer has not come yet.
    pub loading: bool,
    /// Why the store could not answer (a sentence).
    pub error: Option<String>,
    /// Author and search rows.
    pub posts: Vec<FeedItem>,
    /// History rows.
    pub history: Vec<HistoryEntry>,
    /// The stats screen's numbers (once answered).
    pub charts: Option<crate::store::Charts>,
    /// The row to select when the answer comes: the post the author view
    /// was opened from, or the row selected before `r` (a post by id; a
    /// history row by its post and time), wherever it now is.
    origin: Option<RowKey>,
    selected: usize,
    offset: usize,
}

impl ArchiveView {
    fn new(kind: ViewKind, request: u64) -> ArchiveView {
        ArchiveView {
            kind,
            request,
            loading: true,
            error: None,
            posts: Vec::new(),
            history: Vec::new(),
            charts: None,
            origin: None,
            selected: 0,
            offset: 0,
        }
    }

    /// Rows shown.
    pub fn len(&self) -> usize {
        match self.kind {
            ViewKind::History => self.history.len(),
            ViewKind::Stats => 0,
            _ => self.posts.len(),
        }
    }

    /// No rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Index of the selected row.
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// First row drawn.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The post of the selected row (a history row's when stored).
    pub fn selected_post(&self) -> Option<&FeedItem> {
        match self.kind {
            ViewKind::History => self.history.get(self.selected)?.post.as_ref(),
            ViewKind::Stats => None,
            _ => self.posts.get(self.selected),
        }
    }

    /// Every post of the view with this id (a post may be in several
    /// history rows).
    fn posts_mut<'a>(&'a mut self, id: &'a str) -> impl Iterator<Item = &'a mut FeedItem> + 'a {
        let history = self.history.iter_mut().filter_map(|h| h.post.as_mut());
        self.posts
            .iter_mut()
            .chain(history)
            .filter(move |p| p.id == id)
    }

    fn post(&self, id: &str) -> Option<&FeedItem> {
        let mut history = self.history.iter().filter_map(|h| h.post.as_ref());
        self.posts
            .iter()
            .find(|p| p.id == id)
            .or_else(|| history.find(|p| p.id == id))
    }

    /// The selected row by what it shows.
    fn row_key(&self) -> Option<RowKey> {
        match self.kind {
            ViewKind::History => self.history.get(self.selected).map(|h| RowKey {
                post_id: h.action.post_id.clone(),
                at: Some(h.action.at),
            }),
            _ => self.posts.get(self.selected).map(|p| RowKey {
                post_id: p.id.clone(),
                at: None,
            }),
        }
    }

    /// Where the row `key` now is.
    fn position(&self, key: &RowKey) -> Option<usize> {
        match self.kind {
            ViewKind::History => self
                .history
                .iter()
                .position(|h| h.action.post_id == key.post_id && Some(h.action.at) == key.at),
            _ => self.posts.iter().position(|p| p.id == key.post_id),
        }
    }

    /// Selects row `index` (clamped) and scrolls it into `rows` rows.
    pub fn select(&mut self, index: usize, rows: usize) {
        self.selected = index.min(self.len().saturating_sub(1));
        self.scroll_into_view(rows);
    }

    pub(super) fn move_by(&mut self, delta: isize, rows: usize) {
        let i = self.selected.saturating_add_signed(delta);
        self.select(i, rows);
    }

    fn scroll_into_view(&mut self, rows: usize) {
        let rows = rows.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
    }
}

/// Author handles come from the server: through the one sanitizer.
fn sanitize_charts(mut c: crate::store::Charts) -> crate::store::Charts {
    for (handle, _) in &mut c.top_authors {
        *handle = crate::text::clean_line(handle);
    }
    c
}

impl App {
    /// Opens a view of `kind`, asking the store for its rows.
    pub(super) fn open_view(&mut self, kind: ViewKind, fx: &mut Vec<Effect>) {
        let request = self.next_request();
        fx.push(Effect::ArchiveQuery {
            request,
            query: kind.clone(),
            now_ms: self.now.timestamp_millis(),
        });
        self.view = Some(ArchiveView::new(kind, request));
        self.post_scroll = None;
    }

    /// The author view of the selected post's author.
    pub(super) fn open_author_view(&mut self, fx: &mut Vec<Effect>) {
        let Some((handle, id)) = self
            .selected()
            .map(|p| (p.author.handle.clone(), p.id.clone()))
        else {
            self.info("No post selected: select a post to see its author's stored posts.");
            return;
        };
        self.open_view(ViewKind::Author(handle), fx);
        if let Some(v) = self.view.as_mut() {
            v.origin = Some(RowKey {
                post_id: id,
                at: None,
            });
        }
    }

    /// Opens the one-line search input in the footer.
    pub(super) fn open_search(&mut self) {
        let mut t = ratatui_textarea::TextArea::default();
        t.set_placeholder_text("words in caption, tags, author or verdict reason");
        self.search_input = Some(t);
        self.mode = Mode::Search;
    }

    /// Enter in the search input: runs the search (no words: nothing).
    pub(super) fn run_search(&mut self, fx: &mut Vec<Effect>) {
        let text = self
            .search_input
            .take()
            .map(|t| t.lines().join(" ").trim().to_string())
            .unwrap_or_default();
        self.mode = Mode::Feed;
        if crate::store::fts_query(&text).is_none() {
            let key = self.keymap.first_key(Action::OpenSearch);
            self.info(format!(
                "Nothing searched: type at least one word ({key} opens the search again)."
            ));
            return;
        }
        // A new search replaces an earlier hint (an error stays).
        if self
            .status
            .as_ref()
            .is_some_and(|s| s.level == super::Level::Info)
        {
            self.status = None;
        }
        self.open_view(ViewKind::Search(text), fx);
    }

    /// Esc in the search input: closes it; an open view stays.
    pub(super) fn cancel_search(&mut self) {
        self.search_input = None;
        self.mode = Mode::Feed;
    }

    /// Esc with a view open: back to the feed as it was.
    pub(super) fn close_view(&mut self) {
        if self.view.take().is_some() {
            self.post_scroll = None;
        }
    }

    /// `r` in a view: asks the store again.
    pub(super) fn reload_view(&mut self, fx: &mut Vec<Effect>) {
        if let Some(kind) = self.view.as_ref().map(|v| v.kind.clone()) {
            let keep = self.view.as_ref().map(|v| (v.selected, v.row_key()));
            self.open_view(kind, fx);
            if let (Some(v), Some((index, key))) = (self.view.as_mut(), keep) {
                v.selected = index;
                v.origin = key;
            }
        }
    }

    /// The store answered request `request`: an answer for a view no
    /// longer open (or asked again since) is dropped.
    pub(super) fn on_archive(&mut self, request: u64, result: Result<ArchiveAnswer, String>) {
        let rows = self.feed_rows();
        // A stored post is as it was last fetched; a post the feed holds is
        // shown (and acted on) as the feed has it, with my likes and medals
        // since (a like toggles: acting on a stale copy would undo it).
        let (latest, rising) = (&self.latest, &self.rising);
        let current = |item: crate::api::FeedItem| {
            latest
                .post(&item.id)
                .or_else(|| rising.post(&item.id))
                .cloned()
                .unwrap_or_else(|| sanitize_item(item))
        };
        let Some(v) = self.view.as_mut().filter(|v| v.request == request) else {
            return;
        };
        v.loading = false;
        match result {
            Ok(ArchiveAnswer::Posts(items)) => {
                v.posts = items.into_iter().map(current).collect();
            }
            Ok(ArchiveAnswer::History(entries)) => {
                v.history = entries
                    .into_iter()
                    .map(|mut e| {
                        e.post = e.post.map(current);
                        e
                    })
                    .collect();
            }
            Ok(ArchiveAnswer::Stats(charts)) => v.charts = Some(sanitize_charts(*charts)),
            Err(e) => v.error = Some(crate::text::clean_line(&e)),
        }
        let keep = v
            .origin
            .take()
            .and_then(|key| v.position(&key))
            .unwrap_or(v.selected);
        v.select(keep, rows);
    }

    /// A feed action with a view open: moves in the view, reloads it, or
    /// says the action belongs to the feed. `None` when the action works
    /// the same in a view (it acts on [`App::selected`]).
    pub(super) fn act_in_view(&mut self, action: Action, fx: &mut Vec<Effect>) -> Option<()> {
        let rows = self.feed_rows();
        let page = rows.max(2) as isize - 1;
        let v = self.view.as_mut()?;
        match action {
            Action::MoveDown => v.move_by(1, rows),
            Action::MoveUp => v.move_by(-1, rows),
            Action::PageDown => v.move_by(page, rows),
            Action::PageUp => v.move_by(-page, rows),
            Action::First => v.select(0, rows),
            Action::Last => v.select(usize::MAX, rows),
            Action::Refresh => self.reload_view(fx),
            a if a.is_write() && v.kind == ViewKind::History && v.selected_post().is_none() => {
                self.info("This history row's post is not in the archive: nothing to act on.");
            }
            a if live_feed_only(a) => {
                let key = self.keymap.first_key(Action::CloseView);
                self.info(format!(
                    "That works on the live feed: {key} goes back to it first."
                ));
            }
            _ => return None,
        }
        Some(())
    }

    /// The hint bar's entries: the mode's, minus what is not allowed
    /// (read-only); with a view open, minus what works on the live feed
    /// only, and the quit key says it goes back (it does, see
    /// [`App::quit_key_closes_view`]).
    pub fn hints(&self) -> Vec<Hint> {
        let in_view = self.in_view();
        let mut hints: Vec<Hint> = self
            .keymap
            .hints(self.mode)
            .into_iter()
            .filter(|h| self.allows(h.action) && !(in_view && live_feed_only(h.action)))
            .collect();
        if in_view {
            for h in hints.iter_mut().filter(|h| h.action == Action::Quit) {
                h.label = "back";
            }
        }
        hints
    }

    /// A view covers the feed and takes the feed's keys.
    fn in_view(&self) -> bool {
        self.view.is_some() && self.mode == Mode::Feed
    }

    /// The quit key in a view goes back to the feed, as in `less` (Ctrl-C
    /// still quits).
    pub(super) fn quit_key_closes_view(&self, action: Action, ctrl_c: bool) -> bool {
        action == Action::Quit && !ctrl_c && self.in_view()
    }

    /// The post with this id in the open view.
    pub(super) fn view_post(&self, id: &str) -> Option<&FeedItem> {
        self.view.as_ref()?.post(id)
    }

    /// Applies `f` to the view's copies of the post with this id.
    pub(super) fn for_each_view_post(&mut self, id: &str, f: &impl Fn(&mut FeedItem)) {
        if let Some(v) = self.view.as_mut() {
            for p in v.posts_mut(id) {
                f(p);
            }
        }
    }
}
