//! The profile switcher: every profile of the config, its agent, server
//! and connection; the one acting is marked.

use super::{header::host, overlay, theme};
use crate::app::{Action, App, Connection};
use crate::text;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Draws the switcher over the screen.
pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let mut lines: Vec<Line> = Vec::new();
    for (i, p) in app.profiles.iter().enumerate() {
        let mark = if i == app.profile_cursor {
            "▶ "
        } else {
            "  "
        };
        let handle = if p.handle.is_empty() {
            "(not connected yet)".to_string()
        } else {
            format!("@{}", p.handle)
        };
        let (state, style) = match &p.connection {
            Connection::Online => ("online".to_string(), theme::ok()),
            Connection::Connecting => ("connecting…".to_string(), theme::warn()),
            Connection::Offline(why) if why.is_empty() => ("offline".to_string(), theme::error()),
            Connection::Offline(why) => (format!("offline ({why})"), theme::error()),
            Connection::Unauthorized(why) => (format!("key refused: {why}"), theme::error()),
        };
        let mut spans = vec![
            Span::styled(mark, theme::key()),
            Span::styled(format!(" {} ", p.tag.name), theme::profile(&p.tag.colour)),
            Span::styled(format!(" {handle} "), theme::title()),
            Span::styled(format!("· {} · ", host(&p.base_url)), theme::dim()),
            Span::styled(text::truncate(&state, 40), style),
        ];
        if p.active {
            spans.push(Span::styled("  ← acting", theme::accent()));
        }
        lines.push(Line::from(spans));
    }
    if app.profiles.len() <= 1 {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            "One agent: add [profiles.NAME] tables to the config to act as several.",
            theme::dim(),
        )));
    }
    let keys = format!(
        " {} switch · {} close ",
        app.keymap.first_key(Action::ProfileChoose),
        app.keymap.first_key(Action::CloseProfiles)
    );
    let w = super::lines_width(&lines).max(text::width(&keys) as u16);
    let size = (w, lines.len() as u16);
    let inner = overlay(frame, area, size, " Act as which agent? ", Some(keys));
    frame.render_widget(Paragraph::new(lines), inner);
}
