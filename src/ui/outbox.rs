//! The outbox list (`O`): the triage queue's medals waiting for the
//! medal window or on their way, and the ones the server refused.

use super::theme;
use crate::app::{Action, App, OutboxState};
use crate::text;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Draws the outbox list over the screen.
pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let t = app.server_now();
    let next = app.quota.next_medal_at(t).map(|n| t.secs_until(n));
    let online = app.connection() == crate::app::Connection::Online;
    let mut lines: Vec<Line> = Vec::new();
    for (i, (q, state)) in app.outbox.rows().enumerate() {
        let mark = if i == app.outbox.cursor { "▶ " } else { "  " };
        let author = if q.author.is_empty() {
            format!("post {}", text::truncate(&text::clean_line(&q.post_id), 16))
        } else {
            format!("@{}", text::truncate(&text::clean_line(&q.author), 24))
        };
        let (what, style) = match state {
            OutboxState::Waiting if !online => ("waits for the server".to_string(), theme::warn()),
            OutboxState::Waiting => match next {
                Some(s) if s > 0 => (format!("waits (window frees in {s} s)"), theme::warn()),
                _ => ("waits".to_string(), theme::warn()),
            },
            OutboxState::Sending => ("sending".to_string(), theme::ok()),
        };
        // Which post: the start of its caption when it is loaded.
        let caption = app
            .post(&q.post_id)
            .and_then(|p| p.caption.as_deref())
            .map(|c| text::truncate(&text::clean_line(c), 28))
            .unwrap_or_default();
        lines.push(Line::from(vec![
            Span::styled(mark, theme::key()),
            Span::styled(
                format!("{:<7}", q.medal.as_str().to_lowercase()),
                theme::title(),
            ),
            Span::raw(format!(" {author} ")),
            Span::styled(format!("{caption:<28}  "), theme::dim()),
            Span::styled(what, style),
        ]));
    }
    if app.outbox.is_empty() {
        lines.push(Line::styled(
            "Nothing waits. Triage medals (T) wait here while the medal window is full.",
            theme::dim(),
        ));
    }
    let refused: Vec<_> = app.outbox.refused().collect();
    if !refused.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::styled("Refused by the server:", theme::title()));
        for r in refused.iter().rev() {
            let who = if r.queued.author.is_empty() {
                text::truncate(&text::clean_line(&r.queued.post_id), 16)
            } else {
                format!(
                    "@{}",
                    text::truncate(&text::clean_line(&r.queued.author), 24)
                )
            };
            lines.push(Line::from(vec![
                Span::raw(format!(
                    "  {} {who}: ",
                    r.queued.medal.as_str().to_lowercase()
                )),
                Span::styled(
                    text::truncate(&text::clean_line(&r.why), 60),
                    theme::error(),
                ),
            ]));
        }
    }
    let cancel = if app.outbox.is_empty() && !refused.is_empty() {
        "clear refused"
    } else {
        "cancel"
    };
    let keys = format!(
        " {} {cancel} · {} close ",
        app.keymap.first_key(Action::OutboxCancel),
        app.keymap.first_key(Action::CloseOutbox)
    );
    let n = app.outbox.len();
    let title = match (n, refused.len()) {
        (0, 0) => " Outbox: empty ".to_string(),
        (0, r) => format!(" Outbox: empty · {r} refused "),
        (n, _) => format!(" Outbox: {n} medal{} ", if n == 1 { "" } else { "s" }),
    };
    let w = super::lines_width(&lines).max(text::width(&keys) as u16);
    let h = u16::try_from(lines.len()).unwrap_or(u16::MAX);
    let inner = super::overlay(frame, area, (w, h), &title, Some(keys));
    // Keep the selected row in sight when the list is taller than the box.
    let skip = app
        .outbox
        .cursor
        .saturating_sub(inner.height.saturating_sub(1) as usize);
    frame.render_widget(Paragraph::new(lines).scroll((skip as u16, 0)), inner);
}
