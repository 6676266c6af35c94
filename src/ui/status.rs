//! Footer: status line and the key hints of the current mode.

use super::theme;
use crate::app::{App, Level};
use crate::text;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Draws the status line (row 1) and hints (row 2).
pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let status = match &app.status {
        Some(s) if s.expires_at > app.now => {
            let style = match s.level {
                Level::Info => theme::ok(),
                Level::Error => theme::error(),
            };
            Line::styled(
                format!(
                    " {}",
                    text::truncate(&s.text, area.width.saturating_sub(1) as usize)
                ),
                style,
            )
        }
        _ => Line::raw(""),
    };
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1usize;
    for (key, label) in app.keymap.hints(app.mode) {
        let w = text::width(&key) + 1 + text::width(label) + 2;
        if used + w > area.width as usize {
            break;
        }
        used += w;
        spans.push(Span::styled(key, theme::key()));
        spans.push(Span::styled(format!(" {label}  "), theme::dim()));
    }
    frame.render_widget(Paragraph::new(vec![status, Line::from(spans)]), area);
}
