//! Footer: status line and the key hints of the current mode.

use super::theme;
use crate::app::{Action, App, Level, Mode};
use crate::keymap::Hint;
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
            let mut spans = vec![Span::raw(" ")];
            let mut room = area.width.saturating_sub(1) as usize;
            // The offered key goes first, so a long message never cuts it.
            if let Some((key, _)) = app.status_offer() {
                let label = " retries · ";
                let w = text::width(&key) + text::width(label);
                if w < room {
                    room -= w;
                    spans.push(Span::styled(key, theme::key()));
                    spans.push(Span::styled(label, style));
                }
            }
            spans.push(Span::styled(text::truncate(&s.text, room), style));
            Line::from(spans)
        }
        _ => Line::raw(""),
    };
    let hints: Vec<Hint> = app.hints();
    let readonly = app.options.readonly && app.mode == Mode::Feed;
    let mark = if readonly { "read-only".len() } else { 0 };
    let shown = fit_hints(&hints, (area.width as usize).saturating_sub(1 + mark));
    let mut spans = vec![Span::raw(" ")];
    for h in hints
        .iter()
        .zip(shown)
        .filter_map(|(h, on)| on.then_some(h))
    {
        spans.push(Span::styled(h.keys.clone(), theme::key()));
        spans.push(Span::styled(format!(" {}  ", h.label), theme::dim()));
    }
    if readonly {
        spans.push(Span::styled("read-only", theme::warn()));
    }
    frame.render_widget(Paragraph::new(vec![status, Line::from(spans)]), area);
    // The filter or search input takes the status row while it is open.
    let input = match app.mode {
        Mode::Filter => app.filter_input.as_ref().map(|i| (" / ", i)),
        Mode::Search => app.search_input.as_ref().map(|i| (" search: ", i)),
        _ => None,
    };
    if let (Some((label, input)), true) = (input, area.height > 0) {
        let row = Rect::new(area.x, area.y, area.width, 1);
        frame.render_widget(ratatui::widgets::Clear, row);
        let w = (label.len() as u16).min(row.width);
        let prompt = Rect::new(row.x, row.y, w, 1);
        frame.render_widget(Paragraph::new(Span::styled(label, theme::key())), prompt);
        if row.width > w {
            frame.render_widget(input, Rect::new(row.x + w, row.y, row.width - w, 1));
        }
    }
}

/// How much a hint matters when the footer is too narrow for all: lower
/// is kept first. Help and quit are always kept.
fn priority(a: Action) -> u8 {
    match a {
        Action::Help | Action::CloseHelp | Action::Quit | Action::Send | Action::Cancel => 0,
        Action::KeepDraft | Action::Discard | Action::BackToEditor => 0,
        Action::ApplyFilter | Action::ClearFilter => 0,
        Action::RunSearch | Action::CancelSearch => 0,
        Action::MoveDown | Action::MoveUp | Action::HelpDown | Action::HelpUp => 1,
        Action::ToggleLike | Action::MedalGold | Action::Comment => 2,
        Action::SwitchSort => 3,
        Action::CopyUrl => 4,
        Action::OpenInBrowser => 5,
        Action::Refresh => 6,
        _ => 7,
    }
}

/// Cells one hint takes: keys, space, label, two spaces.
fn cost(h: &Hint) -> usize {
    text::width(&h.keys) + 1 + text::width(h.label) + 2
}

/// Which hints fit in `width` cells, most important first (ties: the
/// earlier one); the result is parallel to `hints`, which keeps its order
/// on screen.
fn fit_hints(hints: &[Hint], width: usize) -> Vec<bool> {
    let mut order: Vec<usize> = (0..hints.len()).collect();
    order.sort_by_key(|&i| priority(hints[i].action));
    let mut shown = vec![false; hints.len()];
    let mut left = width;
    for i in order {
        let c = cost(&hints[i]);
        if c <= left || priority(hints[i].action) == 0 {
            left = left.saturating_sub(c);
            shown[i] = true;
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Mode;
    use crate::keymap::Keymap;

    fn labels(width: usize) -> Vec<&'static str> {
        let hints = Keymap::default().hints(Mode::Feed);
        let shown = fit_hints(&hints, width);
        hints
            .iter()
            .zip(shown)
            .filter_map(|(h, on)| on.then_some(h.label))
            .collect()
    }

    #[test]
    fn narrow_footers_keep_help_and_quit_and_drop_the_least_important() {
        let all = labels(500);
        assert!(
            all.contains(&"images") && all.contains(&"refresh"),
            "{all:?}"
        );
        let at80 = labels(79);
        assert_eq!(
            at80,
            ["move", "sort", "like", "medal", "comment", "copy", "help", "quit"]
        );
        let tiny = labels(10);
        assert_eq!(tiny, ["help", "quit"]);
    }
}
