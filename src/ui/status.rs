//! Footer: status line and the key hints of the current mode.

use super::theme;
use crate::app::{Action, App, Level};
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
    // Hints in order while they fit; the help hint is always kept.
    let hints = app.keymap.hints(app.mode);
    let cost = |h: &crate::keymap::Hint| text::width(&h.keys) + 1 + text::width(h.label) + 2;
    let is_help = |h: &crate::keymap::Hint| matches!(h.action, Action::Help | Action::CloseHelp);
    let reserve: usize = hints.iter().filter(|h| is_help(h)).map(cost).sum();
    let mut left = (area.width as usize).saturating_sub(1 + reserve);
    let mut shown = Vec::new();
    for h in &hints {
        if is_help(h) {
            shown.push(h);
        } else if cost(h) <= left {
            left -= cost(h);
            shown.push(h);
        } else {
            left = 0;
        }
    }
    let mut spans = vec![Span::raw(" ")];
    for h in shown {
        spans.push(Span::styled(h.keys.clone(), theme::key()));
        spans.push(Span::styled(format!(" {}  ", h.label), theme::dim()));
    }
    frame.render_widget(Paragraph::new(vec![status, Line::from(spans)]), area);
}
