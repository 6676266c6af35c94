//! Help overlay, generated from the keymap.

use super::{centered, theme};
use crate::app::{App, Mode};
use crate::text;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

/// The help text lines: one section per mode, `keys  description`.
pub fn lines(app: &App) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let key_w = Mode::ALL
        .iter()
        .flat_map(|m| app.keymap.bindings(*m))
        .map(|(a, _)| text::width(&app.keymap.keys_label(a)))
        .max()
        .unwrap_or(8)
        .min(20);
    for mode in Mode::ALL {
        if !out.is_empty() {
            out.push(Line::raw(""));
        }
        out.push(Line::styled(mode.title().to_string(), theme::title()));
        for (action, _) in app.keymap.bindings(mode) {
            out.push(Line::from(vec![
                Span::styled(
                    format!("  {}", text::pad(&app.keymap.keys_label(action), key_w)),
                    theme::key(),
                ),
                Span::raw(format!("  {}", action.description())),
            ]));
        }
    }
    out
}

/// Draws the overlay centered on `area`.
pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let lines = lines(app);
    let content_w = lines
        .iter()
        .map(|l| {
            l.spans
                .iter()
                .map(|s| text::width(&s.content))
                .sum::<usize>()
        })
        .max()
        .unwrap_or(20) as u16;
    let w = (content_w + 4).min(area.width);
    let h = (lines.len() as u16 + 2).min(area.height);
    let pop = centered(area, w, h);
    frame.render_widget(Clear, pop);
    let b = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::accent())
        .title(Span::styled(" Keys (from your keymap) ", theme::title()));
    let inner = b.inner(pop);
    frame.render_widget(b, pop);
    frame.render_widget(Paragraph::new(lines), inner);
}
