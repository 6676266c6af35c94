//! Feed pane: one row per post; only the visible slice is drawn.

use super::theme;
use crate::api::{FeedItem, Medal};
use crate::app::{Action, App, FeedSort, Loading};
use crate::text;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};
use ratatui::Frame;

const HANDLE_COLS: usize = 16;

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

pub(super) fn row(item: &FeedItem, width: usize, marks: Marks) -> Line<'static> {
    let Marks {
        selected,
        pending,
        fresh,
        draft,
    } = marks;
    let m = item.stats.medals;
    let badge = verdict_badge(item);
    let medals = text::pad(&format!("{}/{}/{}", m.gold, m.silver, m.bronze), 8);
    let likes = format!("{:>5}", item.stats.likes);
    let like_mark = if item.agent_liked { "L" } else { " " };
    let medal_mark = item.agent_medal.as_ref().map(medal_letter).unwrap_or(" ");
    // marker 2 + handle + 1 + caption + right block
    let right_w = 5 + 2 + 8 + 1 + 6 + 1 + 3;
    let fixed = 2 + HANDLE_COLS + 1 + 1 + right_w;
    let cap_w = width.saturating_sub(fixed);
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
        Span::styled(
            if draft { crate::app::DRAFT_MARK } else { " " },
            base.patch(theme::accent()),
        ),
        Span::styled(
            text::pad(&format!("@{}", item.author.handle), HANDLE_COLS),
            base.patch(theme::accent()),
        ),
        Span::styled(" ", base),
    ];
    match caption_start(item) {
        Some(c) => spans.push(Span::styled(text::pad(&c, cap_w), base)),
        None => spans.push(Span::styled(
            text::pad("(no caption)", cap_w),
            base.patch(theme::dim()),
        )),
    }
    spans.extend([
        Span::styled(" ", base),
        Span::styled(likes, base),
        Span::styled("  ", base),
        Span::styled(medals, base),
        Span::styled(" ", base),
        Span::styled(text::pad(&badge, 6), base.patch(theme::medal(&badge))),
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

/// The feed pane's title within `width` cells: sort, new posts, counts and
/// filter, pause, ranking age, loading and the tab hint. When it is too
/// long, parts are shortened one step at a time in a fixed order (hints
/// and words first, numbers and the filter's text last); only then is the
/// end cut with "…".
fn title(app: &App, width: usize) -> String {
    let feed = app.feed();
    let top = app.keymap.first_key(Action::First);
    let more = if feed.loaded() && !feed.at_end() {
        "+"
    } else {
        ""
    };
    let sort = feed.sort().label();
    let head = vec![format!(" Feed · {sort}"), format!(" {sort}")];
    let new = feed.new_above();
    let news = if new > 0 {
        vec![
            format!(" · ▲ {new} new ({top})"),
            format!(" · ▲ {new} new"),
            format!(" · ▲{new}"),
        ]
    } else if feed.detached() {
        let n = feed.newer_above();
        let what = if n > 0 {
            format!("{n}+ newer")
        } else {
            "newer posts".to_string()
        };
        vec![
            format!(" · ▲ {what} ({top})"),
            format!(" · ▲ {what}"),
            " · ▲".to_string(),
        ]
    } else {
        vec![String::new()]
    };
    let label = app.filter.label();
    let (count, filter) = if label.is_empty() {
        let n = feed.items().len();
        let noun = if n == 1 && more.is_empty() {
            "post"
        } else {
            "posts"
        };
        (vec![format!(" · {n}{more} {noun}")], vec![String::new()])
    } else {
        let (shown, all) = (feed.view_len(), feed.items().len());
        (
            vec![
                format!(" · {shown} of {all}{more}"),
                format!(" · {shown}/{all}{more}"),
            ],
            vec![
                format!(" · filter: {label}"),
                format!(" · {label}"),
                format!(" · {}", text::truncate(&label, 16)),
                format!(" · {}", text::truncate(&label, 8)),
                " · filtered".to_string(),
            ],
        )
    };
    let paused = vec![if app.paused { " · paused" } else { "" }.to_string()];
    let ranked = match (feed.sort(), feed.read_at()) {
        (FeedSort::Rising, Some(t)) => {
            // Rising is a ranking: say how old it is and how to redo it.
            let ago = crate::duration::ago(crate::duration::since_secs(t, app.now));
            vec![
                format!(
                    " · ranked {ago} · {} to re-rank",
                    app.keymap.first_key(Action::Refresh)
                ),
                format!(" · ranked {ago}"),
                format!(" · {ago}"),
                String::new(),
            ]
        }
        _ => vec![String::new()],
    };
    let loading = match feed.loading() {
        Some(Loading::First) => vec![" · loading…".to_string(), " · …".to_string()],
        Some(Loading::More) => vec![" · loading more…".to_string(), " · …".to_string()],
        Some(Loading::Merge) | None => vec![String::new()],
    };
    let tab = vec![
        format!(" · tab: {} ", feed.sort().other().label()),
        " ".to_string(),
    ];
    let mut parts = [head, news, count, filter, paused, ranked, loading, tab];
    // (part, step) in the order parts give way.
    const HEAD: usize = 0;
    const NEW: usize = 1;
    const COUNT: usize = 2;
    const FILTER: usize = 3;
    const RANKED: usize = 5;
    const LOADING: usize = 6;
    const TAB: usize = 7;
    let order = [
        RANKED, TAB, FILTER, HEAD, LOADING, NEW, FILTER, COUNT, RANKED, FILTER, NEW, RANKED, FILTER,
    ];
    let len = |parts: &[Vec<String>]| -> usize {
        parts
            .iter()
            .map(|p| p.first().map_or(0, |s| text::width(s)))
            .sum()
    };
    for &i in &order {
        if len(&parts) <= width {
            break;
        }
        if parts[i].len() > 1 {
            parts[i].remove(0);
        }
    }
    let whole: String = parts.iter().filter_map(|p| p.first().cloned()).collect();
    text::truncate(&whole, width)
}

/// The legend under the feed's columns.
pub(super) const LEGEND: &str = " likes · gold/silver/bronze · AI verdict · you ";

/// Draws the feed pane (or the open archive view in its place).
pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    if let Some(v) = &app.view {
        super::archive::render(frame, area, app, v);
        return;
    }
    let feed = app.feed();
    let title = title(app, area.width.saturating_sub(2) as usize);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme::title()))
        .title_bottom(Span::styled(LEGEND, theme::dim()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows = inner.height as usize;
    let width = inner.width as usize;
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
        lines.push(row(item, width, marks));
    }
    if lines.len() < rows {
        // Cut at the pane's edge with "…" (server text may be long).
        let fit = |s: String| text::truncate(&s, width);
        let filtered_out = feed.view_len() == 0 && !feed.items().is_empty();
        let marker = if filtered_out || (app.filter.is_active() && feed.auto_pages() == 0) {
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
