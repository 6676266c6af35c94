//! Post pane: picture preview, then the fixed-size facts (author, time,
//! stats, AI verdict, what you did, tags), then the caption, cut to the
//! rows left with a "… more lines" note (`J`/`K` scroll it, `z` enlarges
//! the pane). The AI verdict and your own marks are always on screen.
//!
//! The picture box sits on top when there is room ([`preview_cells`] gives
//! its size, which `App` uses to encode the picture). Pixel protocols
//! (sixel, kitty, iTerm2) are not drawn while an overlay (help, editor) is
//! open: the overlay's cells then replace the picture's.

use super::theme;
use crate::api::{FeedItem, Timestamp};
use crate::app::{Action, App, Mode};
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

/// Rows of the picture box for `item` in a post pane whose inside is
/// `inner`; 0 = a one-line label instead (no room, no picture, previews off).
fn picture_rows(app: &App, item: &FeedItem, inner: Rect) -> u16 {
    let box_rows = image_box_rows(inner.height);
    match item.preview() {
        Some(_) if app.preview.enabled && box_rows >= 3 && inner.width >= 3 => box_rows,
        _ => 0,
    }
}

/// Most lines of the AI verdict's reason shown (the rest ends in `…`).
const MAX_REASON_LINES: usize = 4;
/// Most lines of tags shown (the rest ends in `…`).
const MAX_TAG_LINES: usize = 2;

/// The post pane's text below the picture: the fixed-size facts first
/// (so the AI verdict and your own marks are always on screen), the
/// caption last, cut to the rows left.
struct PostText {
    /// Image label (without a picture box), author, time, stats, AI
    /// verdict and its reason, your like/medal, tags.
    facts: Vec<Line<'static>>,
    /// The caption wrapped to the pane's width, or `(no caption)`.
    caption: Vec<Line<'static>>,
    /// Rows left for the caption.
    caption_rows: usize,
}

impl PostText {
    /// Caption lines shown at once when it does not fit: one row is kept
    /// for the "… more lines" note.
    fn window(&self) -> usize {
        self.caption_rows.saturating_sub(1)
    }

    /// The caption does not fit in its rows.
    fn is_cut(&self) -> bool {
        self.caption.len() > self.caption_rows
    }

    /// Largest scroll offset (caption lines scrolled away); 0 when it fits.
    fn max_scroll(&self) -> usize {
        if self.is_cut() {
            self.caption.len() - self.window()
        } else {
            0
        }
    }
}

/// Up to `max` lines of `lines`; when some are left out the last one kept
/// ends in `…` (within `w` cells).
fn capped(mut lines: Vec<String>, max: usize, w: usize) -> Vec<String> {
    if lines.len() > max {
        lines.truncate(max);
        if let Some(last) = lines.last_mut() {
            let cut = text::truncate(last, w.saturating_sub(1));
            *last = format!("{cut}{}", text::ELLIPSIS);
        }
    }
    lines
}

/// Lays out the text of `item` for `rows` rows of `w` cells; `label`: the
/// picture is a one-line label (no box).
fn post_text(app: &App, item: &FeedItem, w: usize, rows: usize, label: bool) -> PostText {
    let mut head: Vec<Line<'static>> = Vec::new();
    if label {
        let note = if item.preview().is_some() && !app.preview.enabled {
            " · previews off"
        } else {
            ""
        };
        head.push(Line::styled(
            format!("[{}{note}]", image_label(item)),
            theme::dim(),
        ));
    }
    let a = &item.author;
    head.push(Line::from(vec![
        Span::raw("by "),
        Span::styled(format!("@{}", a.handle), theme::accent()),
        Span::raw(format!(" ({}, {})", a.name, a.kind.as_str())),
    ]));
    let t = app.server_now();
    head.push(Line::styled(
        format!(
            "published {} · {}",
            relative(t, item.published_at),
            item.published_at.format("%Y-%m-%d %H:%M UTC")
        ),
        theme::dim(),
    ));
    let s = &item.stats;
    let plural = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    head.push(Line::raw(format!(
        "{} · {} · medals {} gold, {} silver, {} bronze",
        plural(s.likes, "like", "likes"),
        plural(s.comments, "comment", "comments"),
        s.medals.gold,
        s.medals.silver,
        s.medals.bronze
    )));
    let mut reason: Vec<String> = Vec::new();
    match &item.ai_verdict {
        None => head.push(Line::from(vec![
            Span::styled("AI verdict: ", theme::title()),
            Span::styled("not judged yet", theme::dim()),
        ])),
        Some(v) => {
            let medal = v
                .medal_type
                .as_ref()
                .map(|m| m.as_str().to_string())
                .unwrap_or_else(|| "no medal".into());
            let mut line = vec![
                Span::styled("AI verdict: ", theme::title()),
                Span::styled(medal.clone(), theme::medal(&medal)),
            ];
            if let Some(j) = &v.judge_version {
                line.push(Span::styled(format!("  (judge {j})"), theme::dim()));
            }
            head.push(Line::from(line));
            if let Some(r) = v.reason.as_deref().filter(|r| !r.trim().is_empty()) {
                reason = text::wrap(r.trim(), w.saturating_sub(2));
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
    let tags = if item.tags.is_empty() {
        Vec::new()
    } else {
        let all: Vec<String> = item.tags.iter().map(|t| format!("#{t}")).collect();
        text::wrap(&all.join(" "), w)
    };
    // Reason and tags give way when the pane is short (two rows stay for
    // the caption's start and its "more lines" note); the verdict line and
    // your marks always stay.
    let room = rows.saturating_sub(head.len() + 1);
    let caption_keep = 2.min(room);
    let tag_keep = usize::from(!tags.is_empty());
    let reason_max = room
        .saturating_sub(caption_keep + tag_keep)
        .max(1)
        .min(room)
        .min(MAX_REASON_LINES);
    let reason = capped(reason, reason_max, w.saturating_sub(2));
    let tag_max = room
        .saturating_sub(caption_keep + reason.len())
        .min(MAX_TAG_LINES);
    let tags = capped(tags, tag_max, w);
    let mut facts = head;
    facts.extend(reason.into_iter().map(|l| Line::raw(format!("  {l}"))));
    facts.push(Line::from(you));
    facts.extend(tags.into_iter().map(|l| Line::styled(l, theme::accent())));

    let caption = match item
        .caption
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        Some(c) => text::wrap(c, w)
            .into_iter()
            .map(|l| Line::styled(l, theme::title()))
            .collect(),
        None => vec![Line::styled("(no caption)", theme::dim())],
    };
    PostText {
        caption_rows: rows.saturating_sub(facts.len()),
        facts,
        caption,
    }
}

/// The largest caption scroll (in lines) for the selected post in the
/// current layout; 0 when the caption fits. `App` clamps `J`/`K` with it.
pub fn post_scroll_max(app: &App) -> usize {
    let Some(item) = app.selected() else {
        return 0;
    };
    let (w, h) = app.viewport;
    let post = super::layout::areas(Rect::new(0, 0, w, h), app.zoom_post).post;
    let inner = Block::default().borders(Borders::ALL).inner(post);
    let img = picture_rows(app, item, inner);
    let rows = inner.height.saturating_sub(img) as usize;
    post_text(app, item, inner.width as usize, rows, img == 0).max_scroll()
}

/// "3 more lines · z: full post · J/K: scroll"-style note under a cut caption.
fn cut_note(app: &App, below: usize, above: usize) -> Line<'static> {
    let km = &app.keymap;
    let first = |a: Action| km.keys(a).first().map(|k| k.to_string());
    let plural = |n: usize| if n == 1 { "line" } else { "lines" };
    let mut parts: Vec<String> = Vec::new();
    if below > 0 {
        parts.push(format!("… {below} more {}", plural(below)));
        if !app.zoom_post {
            if let Some(z) = first(Action::TogglePost) {
                parts.push(format!("{z}: full post"));
            }
        }
        match (first(Action::PostDown), first(Action::PostUp)) {
            (Some(d), Some(u)) if above > 0 => parts.push(format!("{d}/{u}: scroll")),
            (Some(d), _) => parts.push(format!("{d}: scroll")),
            _ => {}
        }
    } else {
        parts.push(format!("↑ {above} more {} above", plural(above)));
        if let Some(u) = first(Action::PostUp) {
            parts.push(format!("{u}: scroll up"));
        }
    }
    Line::styled(parts.join(" · "), theme::dim())
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

    // Picture: a box when previews are on and there is room, else a label
    // line among the facts.
    let img_h = picture_rows(app, item, inner);
    if let (Some(m), true) = (item.preview(), img_h > 0) {
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
        render_picture(frame, img_inner, app, item, &m.url);
    }

    let rows = inner.height.saturating_sub(img_h) as usize;
    let t = post_text(app, item, inner.width as usize, rows, img_h == 0);
    let mut lines = t.facts.clone();
    if t.is_cut() {
        let scroll = match &app.post_scroll {
            Some((id, n)) if *id == item.id => (*n).min(t.max_scroll()),
            _ => 0,
        };
        let window = t.window();
        lines.extend(t.caption.iter().skip(scroll).take(window).cloned());
        let below = t.caption.len() - scroll - window.min(t.caption.len() - scroll);
        if t.caption_rows > 0 {
            lines.push(cut_note(app, below, scroll));
        }
    } else {
        if t.caption.len() < t.caption_rows {
            lines.push(Line::raw(""));
        }
        lines.extend(t.caption.iter().cloned());
    }
    let text_area = Rect::new(inner.x, inner.y + img_h, inner.width, rows as u16);
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
