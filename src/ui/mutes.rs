//! The mute overlays: the list of mutes (`V`: hidden posts, muted
//! authors and tags with when) and the tag question of `X`.

use super::{archive::when, overlay, theme};
use crate::app::{mute_name, Action, App};
use crate::store::MuteKind;
use crate::text;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The widest a mute's name is drawn.
const NAME_CELLS: usize = 56;

/// `lines` from where `cursor` stays within `rows` rows.
fn window(mut lines: Vec<Line<'static>>, cursor: usize, rows: usize) -> Vec<Line<'static>> {
    let start = cursor.saturating_sub(rows.saturating_sub(1));
    lines.drain(..start.min(lines.len()));
    lines
}

fn mark(selected: bool) -> Span<'static> {
    Span::styled(if selected { "▶ " } else { "  " }, theme::key())
}

/// Draws the list of mutes over the screen.
pub fn render_list(frame: &mut Frame, area: Rect, app: &App) {
    let list = app.mutes.list();
    let mut lines: Vec<Line<'static>> = list
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let kind = match m.kind {
                MuteKind::Post => "hidden",
                MuteKind::Author => "author",
                MuteKind::Tag => "tag",
            };
            let name = mute_name(m);
            let name = name.strip_prefix("the post ").unwrap_or(&name);
            Line::from(vec![
                mark(i == app.mutes_cursor),
                Span::styled(text::pad(kind, 8), theme::dim()),
                Span::raw(text::pad(&text::truncate(name, NAME_CELLS), NAME_CELLS)),
                Span::styled(format!("  {}", when(app, m.at)), theme::dim()),
            ])
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::styled(
            format!(
                "Nothing muted: {} hides a post, {} mutes its author, {} one of its tags.",
                app.keymap.first_key(Action::HidePost),
                app.keymap.first_key(Action::MuteAuthor),
                app.keymap.first_key(Action::MuteTag),
            ),
            theme::dim(),
        ));
    }
    let keys = format!(
        " {} remove (its posts come back) · {} close ",
        app.keymap.first_key(Action::Unmute),
        app.keymap.first_key(Action::CloseMutes)
    );
    let w = super::lines_width(&lines).max(text::width(&keys) as u16);
    let size = (w, lines.len() as u16);
    let title = format!(" Mutes · {} ", list.len());
    let inner = overlay(frame, area, size, &title, Some(keys));
    let lines = window(lines, app.mutes_cursor, inner.height as usize);
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Draws the question of `X`: which of the post's tags to mute.
pub fn render_tags(frame: &mut Frame, area: Rect, app: &App) {
    let Some(c) = &app.tag_choice else {
        return;
    };
    let lines: Vec<Line<'static>> = c
        .tags
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let tag = text::truncate(&format!("#{t}"), NAME_CELLS);
            Line::from(vec![mark(i == c.cursor), Span::raw(tag)])
        })
        .collect();
    let keys = format!(
        " {} mute · {} cancel ",
        app.keymap.first_key(Action::TagChoose),
        app.keymap.first_key(Action::CloseTags)
    );
    let w = super::lines_width(&lines).max(text::width(&keys) as u16);
    let size = (w, lines.len() as u16);
    let inner = overlay(frame, area, size, " Mute which tag? ", Some(keys));
    let lines = window(lines, c.cursor, inner.height as usize);
    frame.render_widget(Paragraph::new(lines), inner);
}
