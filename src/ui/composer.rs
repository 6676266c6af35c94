//! The comment editor, drawn over the post pane, and its discard question.

use super::{centered, theme};
use crate::app::{format_countdown, Action, App, Mode, COMMENT_MAX_CHARS};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

/// Draws the editor over `area` (the post pane) when it is open.
pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let Some(c) = &app.composer else { return };
    let km = &app.keymap;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::accent())
        .title(Span::styled(
            format!(" Comment on @{} ", c.author),
            theme::title(),
        ))
        .title_bottom(Span::styled(
            format!(
                " {} send · {} cancel ",
                km.keys_label(Action::Send),
                km.keys_label(Action::Cancel)
            ),
            theme::dim(),
        ));
    frame.render_widget(Clear, area);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 {
        return;
    }
    let text_area = Rect::new(
        inner.x,
        inner.y,
        inner.width,
        inner.height.saturating_sub(1),
    );
    frame.render_widget(&c.textarea, text_area);

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
            format!("  · cooldown: next comment in {}", format_countdown(wait)),
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
