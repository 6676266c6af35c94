//! Screen geometry and every measurement `update` needs (page size, the
//! picture box, the editor size, the caption scroll limit, the help
//! overlay's rows). `ui::render` draws into the same regions, so the two
//! never disagree; only pure geometry here (ratatui's `layout::Rect`), no
//! drawing.
//!
//! Wide terminals (at least [`WIDE_MIN_COLS`] columns) put the post pane
//! beside the feed; narrower ones put it below. `zoom` gives the whole body
//! to the post pane.

use super::{Action, App, Mode};
use crate::api::FeedItem;
use crate::keymap::Keymap;
use crate::text;
use ratatui::layout::Rect;

/// Rows of the header.
pub const HEADER_ROWS: u16 = 2;
/// Rows of the footer (status line + key hints).
pub const FOOTER_ROWS: u16 = 2;
/// From this width on, feed and post pane sit side by side.
pub const WIDE_MIN_COLS: u16 = 120;

/// Smallest usable screen (columns, rows): below it the app says
/// "terminal too small" instead of squeezing the panes, and keys other
/// than quit and Esc do nothing (nothing is typed into a hidden editor).
pub const MIN_SIZE: (u16, u16) = (40, 12);

/// Whether a terminal of `viewport` (columns, rows) is below [`MIN_SIZE`].
pub fn too_small(viewport: (u16, u16)) -> bool {
    viewport.0 < MIN_SIZE.0 || viewport.1 < MIN_SIZE.1
}

/// Fewest rows of text the comment editor shows; a post pane too short
/// for them gives the editor the whole body (feed and post pane).
pub const EDITOR_MIN_TEXT_ROWS: u16 = 3;

/// The regions of the main screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    /// `None` when the post pane is zoomed.
    pub feed: Option<Rect>,
    pub post: Rect,
    pub footer: Rect,
}

/// Splits the screen.
pub fn areas(area: Rect, zoom: bool) -> Areas {
    let header_h = HEADER_ROWS.min(area.height);
    let footer_h = FOOTER_ROWS.min(area.height.saturating_sub(header_h));
    let header = Rect::new(area.x, area.y, area.width, header_h);
    let footer = Rect::new(
        area.x,
        area.y + area.height - footer_h,
        area.width,
        footer_h,
    );
    let body = Rect::new(
        area.x,
        area.y + header_h,
        area.width,
        area.height.saturating_sub(header_h + footer_h),
    );
    if zoom {
        return Areas {
            header,
            feed: None,
            post: body,
            footer,
        };
    }
    let (feed, post) = if area.width >= WIDE_MIN_COLS {
        // 60 %: at 120 columns a feed row's caption keeps 30 columns.
        let fw = body.width * 60 / 100;
        (
            Rect::new(body.x, body.y, fw, body.height),
            Rect::new(body.x + fw, body.y, body.width - fw, body.height),
        )
    } else {
        let fh = (body.height * 2 / 5).max(5).min(body.height);
        (
            Rect::new(body.x, body.y, body.width, fh),
            Rect::new(body.x, body.y + fh, body.width, body.height - fh),
        )
    };
    Areas {
        header,
        feed: Some(feed),
        post,
        footer,
    }
}

/// The whole screen of a terminal of (columns, rows).
fn screen(viewport: (u16, u16)) -> Rect {
    Rect::new(0, 0, viewport.0, viewport.1)
}

/// The inside of a box drawn with a border on all four sides (what
/// ratatui's bordered `Block::inner` gives).
pub fn inside_border(r: Rect) -> Rect {
    let x = r.x.saturating_add(1).min(r.right());
    let y = r.y.saturating_add(1).min(r.bottom());
    Rect::new(x, y, r.width.saturating_sub(2), r.height.saturating_sub(2))
}

/// The inside `inner` of a list pane (the feed, an archive view): the row
/// naming the columns on top when there are two rows or more (`None`
/// otherwise), and the rows of the list below it.
pub fn list_rows(inner: Rect) -> (Option<Rect>, Rect) {
    if inner.height < 2 {
        return (None, inner);
    }
    (
        Some(Rect::new(inner.x, inner.y, inner.width, 1)),
        Rect::new(inner.x, inner.y + 1, inner.width, inner.height - 1),
    )
}

/// Feed rows visible for a terminal of (columns, rows): the feed pane
/// inside its border, below the row naming the columns; the post pane's
/// height when zoomed (used as page size). At least 1.
pub fn feed_rows(viewport: (u16, u16), zoom: bool) -> usize {
    let a = areas(screen(viewport), zoom);
    let rows = match a.feed {
        Some(f) => list_rows(inside_border(f)).1.height,
        None => a.post.height.saturating_sub(2),
    };
    (rows as usize).max(1)
}

/// Fewest rows of the picture box (border included): with fewer free the
/// pane says why there is no picture instead ([`picture_free_rows`]).
pub const PICTURE_MIN_ROWS: u16 = 8;

/// Rows the post pane's text keeps below a picture: the head lines, your
/// marks, the caption's first line and its "more lines" note.
const TEXT_MIN_ROWS: u16 = POST_HEAD_ROWS as u16 + 1 + 2;

/// Rows free for a picture in a post pane whose inside is `inner_h` rows
/// (what the text does not need at least).
pub fn picture_free_rows(inner_h: u16) -> u16 {
    inner_h.saturating_sub(TEXT_MIN_ROWS)
}

/// Where a title drawn on the top border of the bordered box `r` goes
/// (ratatui's block title: inside the corners).
pub fn title_area(r: Rect) -> Rect {
    Rect::new(
        r.x.saturating_add(1).min(r.right()),
        r.y,
        r.width.saturating_sub(2),
        r.height.min(1),
    )
}

/// Cells of the feed pane's title for a terminal of `viewport` (0 when
/// the feed pane is hidden).
pub fn feed_title_width(viewport: (u16, u16), zoom: bool) -> u16 {
    areas(screen(viewport), zoom)
        .feed
        .map_or(0, |f| title_area(f).width)
}

/// What the cell at (column, row) of the main screen shows, for a mouse
/// click or wheel (`app/mouse.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spot {
    /// The feed pane's title, this many cells from its first.
    FeedTitle(u16),
    /// The feed pane's list, this many rows below its first visible row.
    FeedRow(usize),
    /// Elsewhere in the feed pane (its border, the column names).
    Feed,
    /// The post pane.
    Post,
    /// The header, the footer, or off the screen.
    Outside,
}

/// What the cell at (column, row) shows on a terminal of `viewport`
/// (columns, rows) with the post pane zoomed or not. Any coordinates: a
/// cell off the screen, or any cell of a screen below [`MIN_SIZE`], is
/// [`Spot::Outside`].
pub fn spot(viewport: (u16, u16), zoom: bool, column: u16, row: u16) -> Spot {
    if too_small(viewport) {
        return Spot::Outside;
    }
    let a = areas(screen(viewport), zoom);
    let at = ratatui::layout::Position::new(column, row);
    if let Some(feed) = a.feed.filter(|f| f.contains(at)) {
        let title = title_area(feed);
        if title.contains(at) {
            return Spot::FeedTitle(column - title.x);
        }
        let list = list_rows(inside_border(feed)).1;
        if list.contains(at) {
            return Spot::FeedRow(usize::from(row - list.y));
        }
        return Spot::Feed;
    }
    if a.post.contains(at) {
        return Spot::Post;
    }
    Spot::Outside
}

/// Rows of the picture box (border included) for a post pane whose inside
/// is `inner_h` rows: at least [`PICTURE_MIN_ROWS`] when that many are
/// free; roomy panes give it all but 11 rows, at most two thirds; 0 = a
/// one-line label instead.
fn image_box_rows(inner_h: u16) -> u16 {
    if picture_free_rows(inner_h) < PICTURE_MIN_ROWS {
        return 0;
    }
    let roomy = if inner_h >= 16 {
        (inner_h - 11).min(inner_h * 2 / 3)
    } else {
        0
    };
    roomy.max(PICTURE_MIN_ROWS)
}

/// The inside of the picture box in cells (columns, rows) for a terminal of
/// `viewport` (columns, rows) with the post pane zoomed or not; `None` when
/// the pane has no room for a box.
pub fn preview_cells(viewport: (u16, u16), zoom: bool) -> Option<(u16, u16)> {
    let inner = inside_border(areas(screen(viewport), zoom).post);
    let rows = image_box_rows(inner.height);
    (rows >= 3 && inner.width >= 3).then(|| (inner.width - 2, rows - 2))
}

/// The full-screen picture view (`Mode::Full`): the picture over the
/// whole screen but its last row, which says which picture of which post
/// it is and the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FullAreas {
    pub picture: Rect,
    pub info: Rect,
}

/// Splits the screen `area` for the full-screen picture view.
pub fn full_areas(area: Rect) -> FullAreas {
    let info_h = 1.min(area.height);
    FullAreas {
        picture: Rect::new(area.x, area.y, area.width, area.height - info_h),
        info: Rect::new(area.x, area.bottom() - info_h, area.width, info_h),
    }
}

/// The full-screen picture's box in cells (columns, rows) for a terminal
/// of `viewport`; `None` when there is no room.
pub fn full_picture_cells(viewport: (u16, u16)) -> Option<(u16, u16)> {
    let p = full_areas(screen(viewport)).picture;
    (p.width >= 3 && p.height >= 3).then_some((p.width, p.height))
}

/// The comment editor's text area inside its box `area`: the box inside
/// its border, minus the info line at the bottom.
pub fn editor_text_area(area: Rect) -> Rect {
    let inner = inside_border(area);
    Rect::new(
        inner.x,
        inner.y,
        inner.width,
        inner.height.saturating_sub(1),
    )
}

/// Where the comment editor is drawn on the screen `area`: over the post
/// pane, or over the whole body when the post pane would show fewer than
/// [`EDITOR_MIN_TEXT_ROWS`] rows of text (short terminals).
pub fn editor_area(area: Rect, zoom: bool) -> Rect {
    let a = areas(area, zoom);
    if editor_text_area(a.post).height >= EDITOR_MIN_TEXT_ROWS {
        return a.post;
    }
    let top = a.header.bottom();
    Rect::new(area.x, top, area.width, a.footer.y.saturating_sub(top))
}

/// The editor's text area (columns, rows) for a terminal of `viewport`
/// (columns, rows).
pub fn editor_text_size(viewport: (u16, u16), zoom: bool) -> (usize, usize) {
    let a = editor_text_area(editor_area(screen(viewport), zoom));
    (a.width as usize, a.height as usize)
}

/// Where the post composer is drawn on the screen `area`: the whole body
/// (between header and footer); the fields on the left, and on terminals
/// of at least [`WIDE_MIN_COLS`] columns the picture box on the right
/// (`None` otherwise).
pub fn composer_areas(area: Rect) -> (Rect, Option<Rect>) {
    let a = areas(area, true);
    let body = a.post;
    if area.width < WIDE_MIN_COLS || body.height < 8 {
        return (body, None);
    }
    let pw = body.width * 2 / 5;
    (
        Rect::new(body.x, body.y, body.width - pw, body.height),
        Some(Rect::new(body.x + body.width - pw, body.y, pw, body.height)),
    )
}

/// The composer's picture box inside (columns, rows) for a terminal of
/// `viewport`; `None` when there is none.
pub fn composer_picture_cells(viewport: (u16, u16)) -> Option<(u16, u16)> {
    let (_, pic) = composer_areas(screen(viewport));
    let inner = inside_border(pic?);
    (inner.width >= 3 && inner.height >= 3).then_some((inner.width, inner.height))
}

/// One row of the help overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpRow {
    /// A blank line between two modes.
    Blank,
    /// A mode's title.
    Title(Mode),
    /// A bound action: its keys and description.
    Binding(Action),
}

/// The rows of the help overlay: one section per mode (title, then each
/// bound action), a blank line between sections.
pub fn help_rows(keymap: &Keymap) -> Vec<HelpRow> {
    let mut out = Vec::new();
    for mode in Mode::ALL {
        if !out.is_empty() {
            out.push(HelpRow::Blank);
        }
        out.push(HelpRow::Title(mode));
        out.extend(
            keymap
                .bindings(mode)
                .into_iter()
                .map(|(a, _)| HelpRow::Binding(a)),
        );
    }
    out
}

/// The largest help scroll for `rows` help rows on a screen `screen_rows`
/// high (the overlay's border takes two rows).
pub fn help_max_scroll(rows: usize, screen_rows: u16) -> usize {
    rows.saturating_sub(screen_rows.saturating_sub(2) as usize)
}

/// Rows of the post pane's facts above the optional ones: author,
/// publication time, stats and the AI verdict line.
pub const POST_HEAD_ROWS: usize = 4;
/// Most lines of the AI verdict's reason shown (the rest ends in `…`).
const MAX_REASON_LINES: usize = 4;
/// Most lines of tags shown (the rest ends in `…`).
const MAX_TAG_LINES: usize = 2;

/// The post pane's text below the picture, laid out for its rows: the
/// fixed-size facts first (so the AI verdict and your own marks are always
/// on screen), the caption last, cut to the rows left. `ui::detail` styles
/// these lines.
///
/// Facts, top to bottom: the image label (when there is no picture box),
/// [`POST_HEAD_ROWS`] head lines, the verdict's reason, your like/medal
/// (one line), the tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostText {
    /// The picture is a one-line label among the facts (no box).
    pub label: bool,
    /// The AI verdict's reason, wrapped and capped.
    pub reason: Vec<String>,
    /// The tags (`#tag`), wrapped and capped.
    pub tags: Vec<String>,
    /// The caption wrapped to the pane's width; `None` = no caption (one
    /// placeholder line).
    pub caption: Option<Vec<String>>,
    /// Rows left for the caption.
    pub caption_rows: usize,
}

impl PostText {
    /// Rows of the facts.
    pub fn facts_rows(&self) -> usize {
        usize::from(self.label) + POST_HEAD_ROWS + self.reason.len() + 1 + self.tags.len()
    }

    /// Lines of the caption (the placeholder counts one).
    pub fn caption_len(&self) -> usize {
        self.caption.as_ref().map_or(1, Vec::len)
    }

    /// Caption lines shown at once when it does not fit: one row is kept
    /// for the "… more lines" note.
    pub fn window(&self) -> usize {
        self.caption_rows.saturating_sub(1)
    }

    /// The caption does not fit in its rows.
    pub fn is_cut(&self) -> bool {
        self.caption_len() > self.caption_rows
    }

    /// Largest scroll offset (caption lines scrolled away); 0 when it fits.
    pub fn max_scroll(&self) -> usize {
        if self.is_cut() {
            self.caption_len() - self.window()
        } else {
            0
        }
    }
}

/// Up to `max` lines of `lines`; when some are left out the last one kept
/// ends in `…` (within `w` cells).
fn capped(mut lines: Vec<String>, max: usize, w: usize) -> Vec<String> {
    if lines.len() > max {
        lines.truncate(max);
        if let Some(last) = lines.last_mut() {
            let cut = text::truncate(last, w.saturating_sub(1));
            *last = format!("{cut}{}", text::ELLIPSIS);
        }
    }
    lines
}

/// Lays out the text of `item` for `rows` rows of `w` cells; `label`: the
/// picture is a one-line label (no box).
pub fn post_text(item: &FeedItem, w: usize, rows: usize, label: bool) -> PostText {
    let head = usize::from(label) + POST_HEAD_ROWS;
    let reason = item
        .ai_verdict
        .as_ref()
        .and_then(|v| v.reason.as_deref())
        .filter(|r| !r.trim().is_empty())
        .map(|r| text::wrap(r.trim(), w.saturating_sub(2)))
        .unwrap_or_default();
    let tags = if item.tags.is_empty() {
        Vec::new()
    } else {
        let all: Vec<String> = item.tags.iter().map(|t| format!("#{t}")).collect();
        text::wrap(&all.join(" "), w)
    };
    // Reason and tags give way when the pane is short (two rows stay for
    // the caption's start and its "more lines" note); the verdict line and
    // your marks always stay.
    let room = rows.saturating_sub(head + 1);
    let caption_keep = 2.min(room);
    let tag_keep = usize::from(!tags.is_empty());
    let reason_max = room
        .saturating_sub(caption_keep + tag_keep)
        .max(1)
        .min(room)
        .min(MAX_REASON_LINES);
    let reason = capped(reason, reason_max, w.saturating_sub(2));
    let tag_max = room
        .saturating_sub(caption_keep + reason.len())
        .min(MAX_TAG_LINES);
    let tags = capped(tags, tag_max, w);
    let caption = item
        .caption
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| text::wrap(c, w));
    let mut t = PostText {
        label,
        reason,
        tags,
        caption,
        caption_rows: 0,
    };
    t.caption_rows = rows.saturating_sub(t.facts_rows());
    t
}

/// Rows of the picture box for `item` in a post pane whose inside is
/// `inner`; 0 = a one-line label instead (no room, no picture, previews off).
pub fn picture_rows(app: &App, item: &FeedItem, inner: Rect) -> u16 {
    let box_rows = image_box_rows(inner.height);
    match item.preview() {
        Some(_) if app.preview.enabled && box_rows >= 3 && inner.width >= 3 => box_rows,
        _ => 0,
    }
}

/// The rows free for `item`'s picture when the pane is too short for it
/// (fewer than [`PICTURE_MIN_ROWS`]); `None` when it is shown, or there
/// is no picture, or previews are off.
pub fn picture_hidden(app: &App, item: &FeedItem, inner: Rect) -> Option<u16> {
    (item.preview().is_some() && app.preview.enabled && picture_rows(app, item, inner) == 0)
        .then(|| picture_free_rows(inner.height))
}

/// The post pane's inside `inner` for `item`: picture box rows (0 = a
/// label line) and the text below it.
pub fn post_pane(app: &App, item: &FeedItem, inner: Rect) -> (u16, PostText) {
    let img = picture_rows(app, item, inner);
    let rows = inner.height.saturating_sub(img) as usize;
    (img, post_text(item, inner.width as usize, rows, img == 0))
}

/// The largest caption scroll (in lines) for the selected post in the
/// current layout; 0 when the caption fits. `J`/`K` are clamped with it.
pub fn post_scroll_max(app: &App) -> usize {
    let Some(item) = app.selected() else {
        return 0;
    };
    let inner = inside_border(areas(screen(app.viewport), app.zoom_post).post);
    post_pane(app, item, inner).1.max_scroll()
}
