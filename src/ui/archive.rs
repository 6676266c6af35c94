//! The archive views in the feed pane's place: an author's stored posts
//! and search results drawn as feed rows, the history of my actions one
//! per row.

use super::feed::{caption_start, header_row, header_then_rows, position, row, Marks};
use super::theme;
use crate::app::{Action, App, ArchiveView, HistoryEntry, ViewKind};
use crate::store::Outcome;
use crate::text;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};
use ratatui::Frame;

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What the view shows and how many: `@pixel-poet · 12 stored posts`,
/// `search "neon" · 7 results`, `history · 31 actions`.
fn title(app: &App, v: &ArchiveView, width: usize) -> String {
    let n = v.len();
    let what = match &v.kind {
        ViewKind::Author(h) => format!(
            " @{} · {}",
            text::clean_line(h),
            plural(n, "stored post", "stored posts")
        ),
        ViewKind::Search(q) => format!(
            " search \"{}\" · {}",
            text::truncate(&text::clean_line(q), 40),
            plural(n, "result", "results")
        ),
        ViewKind::History => format!(" history · {}", plural(n, "action", "actions")),
        ViewKind::Stats => " stats".to_string(),
    };
    let loading = if v.loading { " · loading…" } else { "" };
    let back = format!(
        " · {}: back to the feed ",
        app.keymap.first_key(Action::CloseView)
    );
    text::truncate(&format!("{what}{loading}{back}"), width)
}

/// Local `HH:MM` of Unix milliseconds `at`, with the date (`MM-DD`) when
/// it is not today.
pub(super) fn when(app: &App, at: i64) -> String {
    let offset = chrono::Duration::seconds(i64::from(app.options.utc_offset_secs));
    let Some(t) = chrono::DateTime::from_timestamp_millis(at) else {
        return "?".into();
    };
    let local = t.naive_utc() + offset;
    let today = app.now.naive_utc() + offset;
    if local.date() == today.date() {
        local.format("%H:%M").to_string()
    } else {
        local.format("%m-%d %H:%M").to_string()
    }
}

fn history_row(app: &App, e: &HistoryEntry, width: usize, selected: bool) -> Line<'static> {
    let base = if selected {
        theme::selected()
    } else {
        Style::new()
    };
    let a = &e.action;
    let outcome = match &a.outcome {
        Outcome::Accepted => ("accepted".to_string(), theme::dim()),
        Outcome::Refused(code) => (
            format!("refused {}", text::clean_line(code)),
            theme::error(),
        ),
        Outcome::Unknown => ("unknown".to_string(), theme::warn()),
    };
    let detail = text::clean_line(&a.detail);
    let mut spans = vec![
        Span::styled(if selected { ">" } else { " " }, base),
        Span::styled(text::pad(&when(app, a.at), 12), base),
        Span::styled(text::pad(a.kind.as_str(), 8), base),
        Span::styled(text::pad(&text::truncate(&detail, 14), 15), base),
        Span::styled(
            text::pad(&text::truncate(&outcome.0, 22), 23),
            base.patch(outcome.1),
        ),
    ];
    let used = 1 + 12 + 8 + 15 + 23;
    let rest = width.saturating_sub(used);
    match &e.post {
        Some(p) => {
            let handle = text::truncate(&format!("@{}", p.author.handle), 16);
            let hw = text::width(&handle) + 1;
            spans.push(Span::styled(
                text::pad(&format!("{handle} "), hw.min(rest)),
                base.patch(theme::accent()),
            ));
            let cap = caption_start(p).map(|c| c.into_owned()).unwrap_or_default();
            spans.push(Span::styled(text::pad(&cap, rest.saturating_sub(hw)), base));
        }
        None => spans.push(Span::styled(
            text::pad("(post not stored)", rest),
            base.patch(theme::dim()),
        )),
    }
    Line::from(spans)
}

/// The header row of the history: the columns of [`history_row`].
fn history_header(width: usize) -> Line<'static> {
    let s = format!(
        " {}{}{}{}post",
        text::pad("when", 12),
        text::pad("what", 8),
        text::pad("detail", 15),
        text::pad("outcome", 23)
    );
    Line::styled(text::truncate(&s, width), theme::dim())
}

/// The lines saying why a view is empty.
fn empty(app: &App, v: &ArchiveView) -> Vec<Line<'static>> {
    if let Some(e) = &v.error {
        return vec![Line::styled(
            format!("  Could not read the archive: {e}."),
            theme::error(),
        )];
    }
    if v.loading {
        return vec![Line::styled("  loading…", theme::dim())];
    }
    let mut out = vec![Line::styled(
        match &v.kind {
            ViewKind::Author(h) => format!("  no stored posts of @{}", text::clean_line(h)),
            ViewKind::Search(_) => "  no stored posts match".to_string(),
            ViewKind::History => {
                "  no actions yet: the likes, medals and comments you give are listed here"
                    .to_string()
            }
            // Drawn by ui/stats.rs, never here.
            ViewKind::Stats => String::new(),
        },
        theme::dim(),
    )];
    let posts = !matches!(v.kind, ViewKind::History);
    if posts && !app.options.archive {
        out.push(Line::styled(
            "  archive = false in the config: posts seen are not stored (drafts and actions are)",
            theme::dim(),
        ));
    }
    if app.options.demo {
        out.push(Line::styled(
            "  --demo: the archive lives in memory only, for as long as this run",
            theme::dim(),
        ));
    }
    out
}

/// Draws the view in the feed pane's `area`.
pub fn render(frame: &mut Frame, area: Rect, app: &App, v: &ArchiveView) {
    let title = title(app, v, area.width.saturating_sub(2) as usize);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme::title()))
        .title_bottom(Span::styled(
            position(v.selected(), v.len(), false),
            theme::dim(),
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let header = match v.kind {
        ViewKind::History => history_header(width),
        _ => header_row(width),
    };
    // The first row names the columns; the rows go below it.
    let inner = header_then_rows(frame, inner, header);
    let rows = inner.height as usize;
    let now = app.server_now();
    let mut lines: Vec<Line> = Vec::with_capacity(rows);
    let end = (v.offset() + rows).min(v.len());
    for i in v.offset()..end {
        let selected = i == v.selected();
        match &v.kind {
            ViewKind::History => {
                if let Some(e) = v.history.get(i) {
                    lines.push(history_row(app, e, width, selected));
                }
            }
            _ => {
                if let Some(p) = v.posts.get(i) {
                    let marks = Marks {
                        selected,
                        pending: app.is_pending(&p.id),
                        fresh: false,
                        draft: app.has_draft(&p.id),
                    };
                    lines.push(row(p, width, marks, now));
                }
            }
        }
    }
    if v.is_empty() {
        lines = empty(app, v)
            .into_iter()
            .map(|l| {
                let s: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
                Line::styled(text::truncate(&s, width), l.style)
            })
            .collect();
    }
    let buf = frame.buffer_mut();
    for (y, line) in (inner.y..inner.bottom()).zip(&lines) {
        buf.set_line(inner.x, y, line, inner.width);
    }
}
