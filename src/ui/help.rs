//! Help overlay, generated from the keymap.

use super::{overlay, theme};
use crate::app::layout::{self, HelpRow};
use crate::app::{Action, App, Mode};
use crate::text;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The help text lines ([`layout::help_rows`]): one section per mode,
/// `keys  description` (write actions marked as off in read-only mode).
pub fn lines(app: &App) -> Vec<Line<'static>> {
    let key_w = Mode::ALL
        .iter()
        .flat_map(|m| app.keymap.bindings(*m))
        .map(|(a, _)| text::width(&app.keymap.keys_label(a)))
        .max()
        .unwrap_or(8)
        .min(20);
    let line = |row: HelpRow| match row {
        HelpRow::Blank => Line::raw(""),
        HelpRow::Title(mode) => Line::styled(mode.title().to_string(), theme::title()),
        HelpRow::Binding(action) => {
            let mut spans = vec![
                Span::styled(
                    format!("  {}", text::pad(&app.keymap.keys_label(action), key_w)),
                    theme::key(),
                ),
                Span::raw(format!("  {}", action.description())),
            ];
            if !app.allows(action) {
                spans.push(Span::styled(" (off: read-only mode)", theme::warn()));
            }
            Line::from(spans)
        }
    };
    layout::help_rows(&app.keymap)
        .into_iter()
        .map(line)
        .collect()
}

/// Draws the overlay centered on `area`.
pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let mut lines = lines(app);
    let size = (super::lines_width(&lines), lines.len() as u16);
    // Scroll when the list is taller than the screen.
    let max_scroll = layout::help_max_scroll(lines.len(), area.height);
    let scroll = app.help_scroll.min(max_scroll);
    lines.drain(..scroll);
    let keys = (max_scroll > 0).then(|| {
        format!(
            " {}/{} scroll ({}/{}) ",
            app.keymap.first_key(Action::HelpDown),
            app.keymap.first_key(Action::HelpUp),
            scroll,
            max_scroll
        )
    });
    let inner = overlay(frame, area, size, " Keys (from your keymap) ", keys);
    frame.render_widget(Paragraph::new(lines), inner);
}
