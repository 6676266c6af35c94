//! Post pane: image placeholder, caption, tags, author, time, stats, AI
//! verdict and what you did.

use super::theme;
use crate::api::{FeedItem, Timestamp};
use crate::app::App;
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

    // Image placeholder: a box when there is room, else one line.
    let img_h: u16 = if inner.height >= 30 {
        (inner.height / 3).min(16)
    } else if inner.height >= 16 {
        5
    } else {
        0
    };
    let mut lines: Vec<Line> = Vec::new();
    let preview_note = if app.options.previews {
        format!("preview: {} (coming soon)", app.options.image_protocol)
    } else {
        "previews off".to_string()
    };
    if img_h > 0 {
        let img = Rect::new(inner.x, inner.y, inner.width, img_h);
        let b = Block::default()
            .borders(Borders::ALL)
            .border_style(theme::dim());
        let img_inner = b.inner(img);
        frame.render_widget(b, img);
        let pad = img_inner.height.saturating_sub(2) / 2;
        let mut l: Vec<Line> = (0..pad).map(|_| Line::raw("")).collect();
        l.push(Line::raw(image_label(item)));
        l.push(Line::styled(preview_note, theme::dim()));
        frame.render_widget(Paragraph::new(l).alignment(Alignment::Center), img_inner);
    } else {
        lines.push(Line::styled(
            format!("[{}]", image_label(item)),
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
