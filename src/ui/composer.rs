//! The comment editor, drawn over the post pane, and its discard question.

use super::{centered, theme};
use crate::app::{layout, Action, App, Composer, Mode, COMMENT_MAX_CHARS};
use crate::duration::countdown;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;
use unicode_segmentation::UnicodeSegmentation;

/// The soft-wrapped text rows visible in `area`, with the cursor cell
/// (reversed) and a selection (highlighted) drawn in; the placeholder when
/// the text is empty.
fn wrapped_lines(c: &Composer, area: Rect) -> Vec<Line<'static>> {
    let (w, h) = (area.width as usize, area.height as usize);
    let lines = c.textarea.lines();
    let cursor = c.textarea.cursor();
    let cursor = (cursor.0, cursor.1);
    if lines.len() == 1 && lines[0].is_empty() {
        return vec![Line::from(vec![
            Span::styled(" ", theme::cursor()),
            Span::styled(c.textarea.placeholder_text().to_string(), theme::dim()),
        ])];
    }
    let rows = c.rows(w);
    let (crow, ccol) = c.cursor_cell(w);
    // Keep the cursor visible even when the stored scroll is stale (resize).
    let mut top = c.scroll.min(rows.len().saturating_sub(1));
    if crow < top {
        top = crow;
    } else if crow >= top + h.max(1) {
        top = crow + 1 - h.max(1);
    }
    let selection = c.textarea.selection_range();
    let selected = |pos: (usize, usize)| selection.is_some_and(|(a, b)| a <= pos && pos < b);
    let mut out = Vec::with_capacity(h);
    for (i, r) in rows.iter().enumerate().skip(top).take(h) {
        let text = lines.get(r.line).map(String::as_str).unwrap_or("");
        let mut spans: Vec<Span<'static>> = Vec::new();
        let mut cells = 0usize;
        let mut cursor_drawn = false;
        for (at, g) in text
            .graphemes(true)
            .scan(0usize, |at, g| {
                let here = *at;
                *at += g.chars().count();
                Some((here, g))
            })
            .skip_while(|(at, _)| *at < r.start)
            .take_while(|(at, _)| *at < r.end)
        {
            let is_cursor = (r.line, at) == cursor && i == crow;
            let style = if is_cursor {
                cursor_drawn = true;
                theme::cursor()
            } else if selected((r.line, at)) {
                theme::selection()
            } else {
                ratatui::style::Style::new()
            };
            // Hanging spaces past the edge are not drawn.
            let gw = crate::text::width(g);
            if cells + gw > w {
                cursor_drawn &= !is_cursor;
                continue;
            }
            cells += gw;
            match spans.last_mut() {
                Some(last) if last.style == style && !is_cursor => {
                    last.content.to_mut().push_str(g)
                }
                _ => spans.push(Span::styled(g.to_string(), style)),
            }
        }
        if i == crow && !cursor_drawn {
            // The cursor after the row's last char (or on a hanging space).
            let pad = ccol.saturating_sub(cells);
            if pad > 0 {
                spans.push(Span::raw(" ".repeat(pad)));
            }
            spans.push(Span::styled(" ", theme::cursor()));
        }
        out.push(Line::from(spans));
    }
    out
}

/// Draws the editor over `area` (the post pane) when it is open.
pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let Some(c) = &app.composer else { return };
    let km = &app.keymap;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::accent())
        .title(Span::styled(
            if c.author.is_empty() {
                " Comment (restored draft) ".to_string()
            } else {
                format!(" Comment on @{} ", c.author)
            },
            theme::title(),
        ))
        .title_bottom(if app.mode == Mode::Confirm {
            // The question, also where the keys usually are (the popup
            // below may be cut in a narrow pane).
            Span::styled(
                format!(
                    " Unsent comment: {} keep as draft · {} discard · {} back ",
                    km.keys_label(Action::KeepDraft),
                    km.keys_label(Action::Discard),
                    km.keys_label(Action::BackToEditor)
                ),
                theme::warn(),
            )
        } else {
            Span::styled(
                format!(
                    " {} send · {} cancel ",
                    km.keys_label(Action::Send),
                    km.keys_label(Action::Cancel)
                ),
                theme::dim(),
            )
        });
    let block = if c.gone {
        block.title(Span::styled(
            " post gone from AIspace: text kept ",
            theme::error(),
        ))
    } else {
        block
    };
    frame.render_widget(Clear, area);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 {
        return;
    }
    let text_area = layout::editor_text_area(area);
    frame.render_widget(Paragraph::new(wrapped_lines(c, text_area)), text_area);

    let chars = c.text().trim().chars().count();
    let mut info = vec![Span::styled(
        format!("{chars}/{COMMENT_MAX_CHARS} characters"),
        if chars > COMMENT_MAX_CHARS {
            theme::error()
        } else {
            theme::dim()
        },
    )];
    let wait = app.quota.comment_wait(app.server_now());
    if c.sending.is_some() {
        info.push(Span::styled("  · sending…", theme::warn()));
    } else if wait > 0 {
        info.push(Span::styled(
            format!("  · cooldown: next comment in {}", countdown(wait)),
            theme::warn(),
        ));
    }
    let line_area = Rect::new(inner.x, inner.y + inner.height - 1, inner.width, 1);
    frame.render_widget(Paragraph::new(Line::from(info)), line_area);

    if app.mode == Mode::Confirm {
        let text = format!(
            "Unsent comment. {} keep as draft · {} discard · {} back to editor",
            km.keys_label(Action::KeepDraft),
            km.keys_label(Action::Discard),
            km.keys_label(Action::BackToEditor)
        );
        let w = (crate::text::width(&text) as u16 + 4).min(area.width);
        let pop = centered(area, w, 3);
        frame.render_widget(Clear, pop);
        let b = Block::default()
            .borders(Borders::ALL)
            .border_style(theme::warn());
        let pi = b.inner(pop);
        frame.render_widget(b, pop);
        frame.render_widget(Paragraph::new(Line::styled(text, theme::warn())), pi);
    }
}
