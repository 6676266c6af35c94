//! The full-screen picture view (`Mode::Full`, see `app/full.rs`): the
//! selected post's picture in the whole screen but the last row (drawn
//! like the post pane's, from the preview state, in the box
//! `app::layout::full_areas` gives), and on that row which picture of
//! which post it is ("2/3 · @author · caption") and the keys.

use super::{detail, theme};
use crate::app::layout;
use crate::app::{App, FullPicture, Mode};
use crate::text;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Fewest columns the post's line keeps before the keys give way.
const INFO_MIN: usize = 24;

/// Draws the full-screen view over the whole `area`.
pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let a = layout::full_areas(area);
    let pic = app.full_picture();
    match pic {
        Some(FullPicture {
            post,
            media: Some(m),
            ..
        }) => detail::render_picture(frame, a.picture, app, &post.id, &m.url),
        Some(_) => say(frame, a.picture, "This post has no picture."),
        None => say(frame, a.picture, "No post here: its row is not stored."),
    }
    frame.render_widget(Paragraph::new(info_line(app, pic, a.info.width)), a.info);
}

fn say(frame: &mut Frame, area: Rect, sentence: &str) {
    let pad = area.height.saturating_sub(1) / 2;
    let area = Rect::new(area.x, area.y + pad, area.width, area.height - pad);
    frame.render_widget(
        Paragraph::new(Line::styled(sentence.to_string(), theme::dim()))
            .alignment(Alignment::Center),
        area,
    );
}

/// "2/3 · @author · caption…" on the left, the keys on the right (left
/// out when the row is too narrow for both).
fn info_line(app: &App, pic: Option<FullPicture<'_>>, width: u16) -> Line<'static> {
    let width = usize::from(width);
    let keys: Vec<String> = app
        .keymap
        .hints(Mode::Full)
        .into_iter()
        .map(|h| format!("{} {}", h.keys, h.label))
        .collect();
    let keys = keys.join(" · ");
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut left = String::new();
    if let Some(p) = pic {
        let counter = format!("{}/{}", (p.index + 1).min(p.count), p.count);
        spans.push(Span::styled(counter.clone(), theme::title()));
        spans.push(Span::raw(" · "));
        let handle = format!("@{}", text::clean_line(&p.post.author.handle));
        spans.push(Span::styled(handle.clone(), theme::accent()));
        let caption = super::feed::caption_start(p.post)
            .map(|c| text::clean_line(&c))
            .unwrap_or_else(|| "(no caption)".into());
        left = format!("{counter} · {handle} · {caption}");
        spans.push(Span::raw(format!(" · {caption}")));
    }
    let keys_w = text::width(&keys);
    let room_left = width.saturating_sub(keys_w + 2);
    if room_left < INFO_MIN.min(text::width(&left)) || keys.is_empty() {
        // No room for the keys: the post's line takes the row.
        return cut(spans, width);
    }
    let mut line = cut(spans, room_left);
    let used: usize = line.spans.iter().map(|s| text::width(&s.content)).sum();
    line.spans
        .push(Span::raw(" ".repeat(width - keys_w - used)));
    line.spans.push(Span::styled(keys, theme::dim()));
    line
}

/// `spans` cut to `width` cells (the last one kept ends in `…`).
fn cut(spans: Vec<Span<'static>>, width: usize) -> Line<'static> {
    let mut out = Vec::new();
    let mut left = width;
    for s in spans {
        let w = text::width(&s.content);
        if w <= left {
            left -= w;
            out.push(s);
        } else {
            out.push(Span::styled(text::truncate(&s.content, left), s.style));
            break;
        }
    }
    Line::from(out)
}
