//! Post pane: picture preview, caption, tags, author, time, stats, AI
//! verdict and what you did.
//!
//! The picture box sits on top when there is room ([`preview_cells`] gives
//! its size, which `App` uses to encode the picture). Pixel protocols
//! (sixel, kitty, iTerm2) are not drawn while an overlay (help, editor) is
//! open: the overlay's cells then replace the picture's.

use super::theme;
use crate::api::{FeedItem, Timestamp};
use crate::app::{App, Mode};
use crate::preview::{GraphicsKind, PreviewView};
use crate::text;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

/// "just now", "5 min ago", "3 h ago", "2 days ago" (or "in ..." for the future).
pub fn relative(now: Timestamp, t: Timestamp) -> String {
    let secs = (now - t).num_seconds();
    let (future, s) = (secs < 0, secs.unsigned_abs());
    let body = if s < 60 {
        return "just now".into();
    } else if s < 3600 {
        format!("{} min", s / 60)
    } else if s < 86_400 {
        format!("{} h", s / 3600)
    } else {
        let d = s / 86_400;
        format!("{d} day{}", if d == 1 { "" } else { "s" })
    };
    if future {
        format!("in {body}")
    } else {
        format!("{body} ago")
    }
}

/// Rows of the picture box (border included) for a post pane whose inside
/// is `inner_h` rows: 11 rows stay for the text, the box takes at most two
/// thirds; 0 (below 16 rows) = a one-line label instead.
fn image_box_rows(inner_h: u16) -> u16 {
    if inner_h >= 16 {
        (inner_h - 11).min(inner_h * 2 / 3)
    } else {
        0
    }
}

/// The inside of the picture box in cells (columns, rows) for a terminal of
/// `viewport` (columns, rows) with the post pane zoomed or not; `None` when
/// the pane has no room for a box.
pub fn preview_cells(viewport: (u16, u16), zoom: bool) -> Option<(u16, u16)> {
    let post = super::layout::areas(Rect::new(0, 0, viewport.0, viewport.1), zoom).post;
    let inner = Block::default().borders(Borders::ALL).inner(post);
    let rows = image_box_rows(inner.height);
    (rows >= 3 && inner.width >= 3).then(|| (inner.width - 2, rows - 2))
}

/// Draws the picture box for `url` inside `area` (the box's inside).
fn render_picture(frame: &mut Frame, area: Rect, app: &App, item: &FeedItem, url: &str) {
    let lines = |l: Vec<Line<'static>>| {
        let pad = area.height.saturating_sub(l.len() as u16) / 2;
        let mut v: Vec<Line> = (0..pad).map(|_| Line::raw("")).collect();
        v.extend(l);
        Paragraph::new(v).alignment(Alignment::Center)
    };
    match app
        .preview
        .view(&item.id, url, (area.width, area.height), app.now)
    {
        PreviewView::Ready(enc) => {
            if app.mode != Mode::Feed && enc.kind != GraphicsKind::Halfblocks {
                return; // under an overlay: leave the cells to it
            }
            let (w, h) = (enc.cells.0.min(area.width), enc.cells.1.min(area.height));
            let r = Rect::new(
                area.x + (area.width - w) / 2,
                area.y + (area.height - h) / 2,
                w,
                h,
            );
            frame.render_widget(ratatui_image::Image::new(&enc.protocol), r);
            if !enc.truecolor && enc.kind == GraphicsKind::Halfblocks {
                crate::preview::encode::to_256_colours(frame.buffer_mut(), r);
            }
        }
        PreviewView::Loading(spin) => frame.render_widget(
            lines(vec![Line::styled(format!("{spin} loading…"), theme::dim())]),
            area,
        ),
        PreviewView::Failed(reason) => frame.render_widget(
            lines(vec![
                Line::styled("cannot show the picture:", theme::dim()),
                Line::styled(text::clean_line(&reason), theme::warn()),
            ]),
            area,
        ),
        PreviewView::Off => frame.render_widget(
            lines(vec![Line::styled("previews off", theme::dim())]),
            area,
        ),
    }
}

fn image_label(item: &FeedItem) -> String {
    match item.preview() {
        Some(m) => match (m.width, m.height) {
            (Some(w), Some(h)) => format!("image {w} x {h} px"),
            _ => "image (size unknown)".into(),
        },
        None => "no image".into(),
    }
}

/// Draws the post pane for the selected post.
pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" Post ", theme::title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(item) = app.selected() else {
        let msg = if app.feed().loaded {
            "No post selected."
        } else {
            "Loading…"
        };
        frame.render_widget(Paragraph::new(Line::styled(msg, theme::dim())), inner);
        return;
    };
    let w = inner.width as usize;

    // Picture: a box when previews are on and there is room, else one line.
    let url = item.preview().map(|m| m.url.clone());
    let box_rows = image_box_rows(inner.height);
    let img_h: u16 = match &url {
        Some(_) if app.preview.enabled && box_rows >= 3 && inner.width >= 3 => box_rows,
        _ => 0,
    };
    let mut lines: Vec<Line> = Vec::new();
    if let (Some(url), true) = (&url, img_h > 0) {
        let img = Rect::new(inner.x, inner.y, inner.width, img_h);
        let b = Block::default()
            .borders(Borders::ALL)
            .border_style(theme::dim())
            .title(Span::styled(
                format!(" {} · {} ", image_label(item), app.options.image_protocol),
                theme::dim(),
            ));
        let img_inner = b.inner(img);
        frame.render_widget(b, img);
        render_picture(frame, img_inner, app, item, url);
    } else {
        let note = if url.is_some() && !app.preview.enabled {
            " · previews off"
        } else {
            ""
        };
        lines.push(Line::styled(
            format!("[{}{note}]", image_label(item)),
            theme::dim(),
        ));
    }

    match item
        .caption
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        Some(c) => {
            for l in text::wrap(c, w) {
                lines.push(Line::styled(l, theme::title()));
            }
        }
        None => lines.push(Line::styled("(no caption)", theme::dim())),
    }
    if !item.tags.is_empty() {
        let tags: Vec<String> = item.tags.iter().map(|t| format!("#{t}")).collect();
        for l in text::wrap(&tags.join(" "), w) {
            lines.push(Line::styled(l, theme::accent()));
        }
    }
    let a = &item.author;
    lines.push(Line::from(vec![
        Span::raw("by "),
        Span::styled(format!("@{}", a.handle), theme::accent()),
        Span::raw(format!(" ({}, {})", a.name, a.kind.as_str())),
    ]));
    let t = app.server_now();
    lines.push(Line::styled(
        format!(
            "published {} · {}",
            relative(t, item.published_at),
            item.published_at.format("%Y-%m-%d %H:%M UTC")
        ),
        theme::dim(),
    ));
    let s = &item.stats;
    lines.push(Line::raw(format!(
        "{} likes · {} comments · medals {} gold, {} silver, {} bronze",
        s.likes, s.comments, s.medals.gold, s.medals.silver, s.medals.bronze
    )));
    lines.push(Line::raw(""));
    match &item.ai_verdict {
        None => lines.push(Line::from(vec![
            Span::styled("AI verdict: ", theme::title()),
            Span::styled("not judged yet", theme::dim()),
        ])),
        Some(v) => {
            let medal = v
                .medal_type
                .as_ref()
                .map(|m| m.as_str().to_string())
                .unwrap_or_else(|| "no medal".into());
            let mut head = vec![
                Span::styled("AI verdict: ", theme::title()),
                Span::styled(medal.clone(), theme::medal(&medal)),
            ];
            if let Some(j) = &v.judge_version {
                head.push(Span::styled(format!("  (judge {j})"), theme::dim()));
            }
            lines.push(Line::from(head));
            if let Some(r) = v.reason.as_deref().filter(|r| !r.trim().is_empty()) {
                for l in text::wrap(r.trim(), w.saturating_sub(2)) {
                    lines.push(Line::raw(format!("  {l}")));
                }
            }
        }
    }
    let liked = if item.agent_liked {
        Span::styled("liked", theme::liked())
    } else {
        Span::styled("not liked", theme::dim())
    };
    let medal = match &item.agent_medal {
        Some(m) => Span::styled(format!("gave {m}"), theme::medal(m.as_str())),
        None => Span::styled("no medal", theme::dim()),
    };
    let mut you = vec![
        Span::styled("You: ", theme::title()),
        liked,
        Span::raw(" · "),
        medal,
    ];
    if app.is_pending(&item.id) {
        you.push(Span::styled("  (sending…)", theme::warn()));
    }
    if app.drafts.contains_key(&item.id) {
        you.push(Span::styled("  · draft comment kept", theme::warn()));
    }
    lines.push(Line::from(you));

    let text_area = Rect::new(
        inner.x,
        inner.y + img_h,
        inner.width,
        inner.height.saturating_sub(img_h),
    );
    frame.render_widget(Paragraph::new(lines), text_area);
}

#[cfg(test)]
mod tests {
    use super::relative;
    use crate::app::quota_ts as ts;

    #[test]
    fn relative_times() {
        let now = ts(1_000_000);
        assert_eq!(relative(now, ts(1_000_000 - 30)), "just now");
        assert_eq!(relative(now, ts(1_000_000 - 300)), "5 min ago");
        assert_eq!(relative(now, ts(1_000_000 - 7200)), "2 h ago");
        assert_eq!(relative(now, ts(1_000_000 - 86_400)), "1 day ago");
        assert_eq!(relative(now, ts(1_000_000 + 600)), "in 10 min");
    }
}
