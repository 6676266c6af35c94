//! Feed pane: one row per post; only the visible slice is drawn.

use super::theme;
use crate::api::{FeedItem, Medal};
use crate::app::{Action, App, Loading, ServerTime};
use crate::text;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};
use ratatui::Frame;

/// What a feed row marks besides the post itself.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Marks {
    pub selected: bool,
    /// A like or medal of ours is on its way (shown dim).
    pub pending: bool,
    /// New since the user last looked.
    pub fresh: bool,
    /// An unsent comment is kept for it.
    pub draft: bool,
}

/// Short verdict badge: `GOLD`, `SILVER`, `BRONZE`, `none` (judged, no
/// medal) or `-` (not judged yet).
pub fn verdict_badge(item: &FeedItem) -> String {
    match &item.ai_verdict {
        None => "-".into(),
        Some(v) => match &v.medal_type {
            Some(m) => m.as_str().to_string(),
            None => "none".into(),
        },
    }
}

fn medal_letter(m: &Medal) -> &'static str {
    match m {
        Medal::Gold => "G",
        Medal::Silver => "S",
        Medal::Bronze => "B",
        Medal::Other(_) => "?",
    }
}

/// First line of the caption, ending in `…` when more lines follow;
/// `None` for no caption.
pub(super) fn caption_start(item: &FeedItem) -> Option<std::borrow::Cow<'_, str>> {
    let c = item.caption.as_deref()?.trim();
    let mut lines = c.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next()?;
    Some(if lines.next().is_some() {
        format!("{first}…").into()
    } else {
        first.into()
    })
}

/// From this inner width on, feed rows show the medals as gold/silver/bronze
/// and the verdict as a word; narrower rows show the medal total and the
/// verdict's first letter (so a caption keeps at least 30 columns at 120
/// terminal columns).
pub(super) const WIDE_ROW: usize = 90;

/// The right-hand columns of a feed row: (header label, width, right
/// aligned), wide and narrow.
const RIGHT_WIDE: [(&str, usize, bool); 6] = [
    ("age", 3, true),
    ("likes", 5, true),
    ("cmts", 4, true),
    ("g/s/b", 8, false),
    ("AI", 6, false),
    ("you", 3, false),
];
const RIGHT_NARROW: [(&str, usize, bool); 6] = [
    ("age", 3, true),
    ("like", 4, true),
    ("cmt", 3, true),
    ("med", 3, true),
    ("AI", 2, false),
    ("you", 3, false),
];

/// The columns of a feed row `width` cells wide.
#[derive(Debug, Clone, Copy)]
pub(super) struct Columns {
    wide: bool,
    handle: usize,
    caption: usize,
}

impl Columns {
    pub(super) fn new(width: usize) -> Columns {
        let wide = width >= WIDE_ROW;
        let handle = if wide { 16 } else { 12 };
        let right: usize = Columns::right_of(wide).iter().map(|c| c.1 + 1).sum();
        // marker 2 (selection, marks) + handle + space + caption + right columns (each after a space)
        let caption = width.saturating_sub(2 + handle + 1 + right);
        Columns {
            wide,
            handle,
            caption,
        }
    }

    fn right_of(wide: bool) -> &'static [(&'static str, usize, bool); 6] {
        if wide {
            &RIGHT_WIDE
        } else {
            &RIGHT_NARROW
        }
    }

    fn right(&self) -> &'static [(&'static str, usize, bool); 6] {
        Columns::right_of(self.wide)
    }

    /// Columns the caption gets.
    #[cfg(test)]
    pub(super) fn caption(&self) -> usize {
        self.caption
    }
}

/// `s` in `w` cells, right-aligned (cut with `…` when longer).
fn right(s: &str, w: usize) -> String {
    let s = text::truncate(s, w);
    format!("{}{s}", " ".repeat(w.saturating_sub(text::width(&s))))
}

/// A count in at most `w` cells: `999`, `12k`, `.1M`, `3M`, `4G`.
fn compact(n: u64, w: usize) -> String {
    let plain = n.to_string();
    if plain.len() <= w {
        return plain;
    }
    for (unit, div) in [("k", 1_000u64), ("M", 1_000_000), ("G", 1_000_000_000)] {
        let q = n / div;
        let s = if q == 0 {
            // 123456 in three cells: ".1M".
            format!(".{}{unit}", n.saturating_mul(10) / div)
        } else {
            format!("{q}{unit}")
        };
        if s.len() <= w {
            return s;
        }
    }
    text::truncate(&plain, w)
}

/// The header row naming the columns of rows `width` cells wide.
pub(super) fn header_row(width: usize) -> Line<'static> {
    let c = Columns::new(width);
    // The caption's label carries the marks column's legend when it fits.
    let legend = format!("caption  {}", crate::app::MARKS_LEGEND);
    let caption = if text::width(&legend) <= c.caption {
        legend
    } else {
        "caption".to_string()
    };
    let mut s = format!(
        "  {} {}",
        text::pad("author", c.handle),
        text::pad(&caption, c.caption)
    );
    for (label, w, right_aligned) in c.right() {
        s.push(' ');
        if *right_aligned {
            s.push_str(&right(label, *w));
        } else {
            s.push_str(&text::pad(label, *w));
        }
    }
    Line::styled(text::truncate(&s, width), theme::dim())
}

/// The verdict in one or two cells: `G`, `S`, `B`, `0` (judged, no medal),
/// `-` (not judged yet).
fn verdict_letter(badge: &str) -> &'static str {
    match badge {
        "GOLD" => "G",
        "SILVER" => "S",
        "BRONZE" => "B",
        "-" => "-",
        "none" => "0",
        _ => "?",
    }
}

/// The marks column of `item`'s row: the draft mark, else the number of
/// pictures when there are several, else a blank.
fn mark(item: &FeedItem, draft: bool) -> String {
    if draft {
        return crate::app::DRAFT_MARK.to_string();
    }
    crate::app::images_mark(item.images().count()).map_or(" ".into(), String::from)
}

/// One feed row: the selection marker, the mark (draft, or the number of
/// pictures when several), author, caption, then age (from server time
/// `now`), likes, comments, medals, the AI verdict and mine (like and
/// medal).
pub(super) fn row(item: &FeedItem, width: usize, marks: Marks, now: ServerTime) -> Line<'static> {
    let Marks {
        selected,
        pending,
        fresh,
        draft,
    } = marks;
    let c = Columns::new(width);
    let m = item.stats.medals;
    let badge = verdict_badge(item);
    let like_mark = if item.agent_liked { "L" } else { " " };
    let medal_mark = item.agent_medal.as_ref().map(medal_letter).unwrap_or(" ");
    let base = match (selected, fresh) {
        (true, _) => theme::selected(),
        (false, true) => theme::fresh(),
        (false, false) => Style::new(),
    };
    let marker = match (selected, fresh) {
        (true, _) => ">",
        (false, true) => "+",
        (false, false) => " ",
    };
    let mut spans = vec![
        Span::styled(marker, base),
        Span::styled(mark(item, draft), base.patch(theme::accent())),
        Span::styled(
            text::pad(&format!("@{}", item.author.handle), c.handle),
            base.patch(theme::accent()),
        ),
        Span::styled(" ", base),
    ];
    match caption_start(item) {
        Some(cap) => spans.push(Span::styled(text::pad(&cap, c.caption), base)),
        None => spans.push(Span::styled(
            text::pad("(no caption)", c.caption),
            base.patch(theme::dim()),
        )),
    }
    let [age_w, likes_w, comments_w, medals_w, verdict_w, _] = c.right().map(|r| r.1);
    let age = crate::duration::age(now.utc().timestamp(), item.published_at.at().timestamp());
    let total = m.gold.saturating_add(m.silver).saturating_add(m.bronze);
    let medals = if c.wide {
        text::pad(&format!("{}/{}/{}", m.gold, m.silver, m.bronze), medals_w)
    } else {
        right(&compact(total, medals_w), medals_w)
    };
    let verdict = if c.wide {
        badge.clone()
    } else {
        verdict_letter(&badge).to_string()
    };
    spans.extend([
        Span::styled(" ", base),
        Span::styled(right(&age, age_w), base.patch(theme::dim())),
        Span::styled(" ", base),
        Span::styled(right(&compact(item.stats.likes, likes_w), likes_w), base),
        Span::styled(" ", base),
        Span::styled(
            right(&compact(item.stats.comments, comments_w), comments_w),
            base,
        ),
        Span::styled(" ", base),
        Span::styled(medals, base),
        Span::styled(" ", base),
        Span::styled(
            text::pad(&verdict, verdict_w),
            base.patch(theme::medal(&badge)),
        ),
        Span::styled(" ", base),
    ]);
    let mine = if pending {
        base.patch(theme::dim())
    } else {
        base
    };
    // Only a like is red: a blank in red would show as a red block on the
    // selected (reversed) row.
    let like_style = if item.agent_liked {
        mine.patch(theme::liked())
    } else {
        mine
    };
    spans.push(Span::styled(like_mark, like_style));
    spans.push(Span::styled(" ", base));
    let mm = item
        .agent_medal
        .as_ref()
        .map(|m| m.as_str().to_string())
        .unwrap_or_default();
    spans.push(Span::styled(medal_mark, mine.patch(theme::medal(&mm))));
    Line::from(spans)
}

/// Where the selection is in the list: `120/2000`, `+` when more can be
/// loaded; empty for an empty list.
pub(super) fn position(selected: usize, len: usize, more: bool) -> String {
    if len == 0 {
        return String::new();
    }
    let more = if more { "+" } else { "" };
    format!(" {}/{len}{more} ", selected.saturating_add(1).min(len))
}

/// Draws `header` on the first row of `inner` (when it has more than one)
/// and returns the rows below it.
pub(super) fn header_then_rows(frame: &mut Frame, inner: Rect, header: Line<'static>) -> Rect {
    let (top, rows) = crate::app::layout::list_rows(inner);
    if let Some(top) = top {
        frame
            .buffer_mut()
            .set_line(top.x, top.y, &header, top.width);
    }
    rows
}

/// Draws the feed pane (or the open archive view in its place).
pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    if let Some(v) = &app.view {
        super::archive::render(frame, area, app, v);
        return;
    }
    let feed = app.feed();
    let title = crate::app::feed_title(app, crate::app::layout::title_area(area).width).text;
    let more = feed.loaded() && !feed.at_end();
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme::title()))
        .title_bottom(Span::styled(
            position(feed.selected(), feed.view_len(), more),
            theme::dim(),
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    // The first row names the columns; the posts go below it.
    let inner = header_then_rows(frame, inner, header_row(width));
    let rows = inner.height as usize;
    let now = app.server_now();
    let mut lines: Vec<Line> = Vec::with_capacity(rows);
    let end = (feed.offset() + rows).min(feed.view_len());
    for i in feed.offset()..end {
        let Some(item) = feed.view_item(i) else {
            break;
        };
        let marks = Marks {
            selected: i == feed.selected(),
            pending: app.is_pending(&item.id),
            fresh: feed.is_unseen(&item.id),
            draft: app.has_draft(&item.id),
        };
        lines.push(row(item, width, marks, now));
    }
    if lines.len() < rows {
        // Cut at the pane's edge with "…" (server text may be long).
        let fit = |s: String| text::truncate(&s, width);
        let filtered_out = feed.view_len() == 0 && !feed.items().is_empty();
        let muted_out = filtered_out && !app.filter.is_active();
        let marker = if muted_out {
            // Every loaded post is muted: say so, and where the mutes are.
            let more = if feed.at_end() {
                String::new()
            } else {
                format!(" · {} loads more", app.keymap.first_key(Action::Last))
            };
            Line::styled(
                fit(format!(
                    "  all {} loaded posts are hidden by mutes ({} lists them){more}",
                    feed.items().len(),
                    app.keymap.first_key(Action::Mutes)
                )),
                theme::dim(),
            )
        } else if filtered_out || (app.filter.is_active() && feed.auto_pages() == 0) {
            let more = if feed.at_end() {
                String::new()
            } else {
                format!(" · {} loads more", app.keymap.first_key(Action::Last))
            };
            Line::styled(
                fit(format!(
                    "  filter: {} of {} loaded posts match{more}",
                    feed.view_len(),
                    feed.items().len()
                )),
                theme::dim(),
            )
        } else if feed.items().is_empty() {
            match (&feed.error(), feed.loading()) {
                (Some(e), None) => {
                    Line::styled(fit(format!("  Could not load: {e}")), theme::error())
                }
                (_, Some(_)) | (None, None) if !feed.loaded() => {
                    Line::styled("  loading…", theme::dim())
                }
                _ => Line::styled("  No posts yet.", theme::dim()),
            }
        } else if feed.loading() == Some(Loading::More) {
            Line::styled("  loading more posts…", theme::dim())
        } else if feed.at_end() {
            Line::styled("  ── end of feed ──", theme::dim())
        } else if let Some(e) = &feed.error() {
            Line::styled(fit(format!("  Could not load more: {e}")), theme::error())
        } else {
            Line::styled("  …", theme::dim())
        };
        lines.push(marker);
    }
    // One line per row, straight into the buffer: no Paragraph reflow pass
    // over every grapheme again (the feed is most of a frame's cost, see
    // benches/frame.rs).
    let buf = frame.buffer_mut();
    for (y, line) in (inner.y..inner.bottom()).zip(&lines) {
        buf.set_line(inner.x, y, line, inner.width);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_fit_their_columns() {
        assert_eq!(super::compact(999, 3), "999");
        assert_eq!(super::compact(1_000, 3), "1k");
        assert_eq!(super::compact(99_999, 3), "99k");
        assert_eq!(super::compact(123_456, 3), ".1M");
        assert_eq!(super::compact(12_345, 5), "12345");
        assert_eq!(super::compact(123_456, 5), "123k");
        assert_eq!(super::compact(4_294_967_295, 3), "4G");
        assert_eq!(super::compact(4_294_967_295, 4), "4G");
    }
}
