//! Post pane: picture preview, then the fixed-size facts (author, time,
//! stats, AI verdict, what you did, tags), then the caption, cut to the
//! rows left with a "… more lines" note (`J`/`K` scroll it, `z` enlarges
//! the pane). The AI verdict and your own marks are always on screen.
//!
//! The picture box sits on top when there is room (`app::layout` gives
//! its size, which `App` uses to encode the picture). Overlays win: while
//! one covers the pane ([`picture_covered`]: help, comment editor, unsent
//! comment question) a pixel picture (sixel, kitty, iTerm2) is not drawn
//! at all. Its cells are then drawn blank or by the overlay, which erases
//! a sixel or iTerm2 picture and takes away kitty's placeholders (kitty
//! draws nothing where they are gone); drawn again when it closes, the
//! kitty placeholders bring back the picture still held by the terminal.

use super::theme;
use crate::api::FeedItem;
use crate::app::layout::{self, PostText};
use crate::app::{Action, App, Mode};
use crate::preview::{GraphicsKind, PreviewView};
use crate::text;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

pub use crate::duration::relative;

/// Draws post `post_id`'s picture at `url` inside `area` (the post pane's
/// box inside, or the full-screen view's picture area), centered.
pub(super) fn render_picture(frame: &mut Frame, area: Rect, app: &App, post_id: &str, url: &str) {
    let lines = |l: Vec<Line<'static>>| {
        let pad = area.height.saturating_sub(l.len() as u16) / 2;
        let mut v: Vec<Line> = (0..pad).map(|_| Line::raw("")).collect();
        v.extend(l);
        Paragraph::new(v).alignment(Alignment::Center)
    };
    match app
        .preview
        .view(post_id, url, (area.width, area.height), app.now)
    {
        PreviewView::Ready(enc) => {
            if picture_covered(app.mode) && enc.kind != GraphicsKind::Halfblocks {
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

/// Whether an overlay drawn over the post pane is open in `mode` (the
/// filter input sits in the footer and covers nothing).
pub fn picture_covered(mode: Mode) -> bool {
    match mode {
        Mode::Help
        | Mode::Editor
        | Mode::Confirm
        | Mode::Post
        | Mode::Profiles
        | Mode::Outbox
        | Mode::Mutes
        | Mode::MuteTag => true,
        Mode::Feed | Mode::Filter | Mode::Search | Mode::Triage | Mode::Full => false,
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

/// The styled lines of the post pane's text laid out by
/// [`layout::post_text`]: the facts, then the caption.
struct StyledPost {
    facts: Vec<Line<'static>>,
    caption: Vec<Line<'static>>,
}

/// "picture hidden: needs 8 rows, 5 free (z enlarges)": why the pane
/// shows no picture with `free` rows for it; zoomed, what shows it.
fn hidden_line(app: &App, free: u16) -> Line<'static> {
    let (action, what) = if app.zoom_post {
        (Action::FullImage, "full screen")
    } else {
        (Action::TogglePost, "enlarges")
    };
    let key = app.keymap.first_key(action);
    let hint = if key.is_empty() {
        String::new()
    } else if app.zoom_post {
        format!(" ({key}: {what})")
    } else {
        format!(" ({key} {what})")
    };
    Line::styled(
        format!(
            "picture hidden: needs {} rows, {free} free{hint}",
            layout::PICTURE_MIN_ROWS
        ),
        theme::dim(),
    )
}

/// Styles the text of `item` as laid out in `t`; `hidden`: the rows free
/// when the pane is too short for its picture.
fn post_lines(app: &App, item: &FeedItem, t: &PostText, hidden: Option<u16>) -> StyledPost {
    let mut facts: Vec<Line<'static>> = Vec::new();
    if t.label {
        facts.push(match hidden {
            Some(free) => hidden_line(app, free),
            None => {
                let note = if item.preview().is_some() && !app.preview.enabled {
                    " · previews off"
                } else {
                    ""
                };
                Line::styled(format!("[{}{note}]", image_label(item)), theme::dim())
            }
        });
    }
    let a = &item.author;
    facts.push(Line::from(vec![
        Span::raw("by "),
        Span::styled(format!("@{}", a.handle), theme::accent()),
        Span::raw(format!(" ({}, {})", a.name, a.kind.as_str())),
    ]));
    let now = app.server_now();
    facts.push(Line::styled(
        format!(
            "published {} · {}",
            relative(now.utc(), item.published_at.at()),
            item.published_at.format("%Y-%m-%d %H:%M UTC")
        ),
        theme::dim(),
    ));
    let s = &item.stats;
    let plural = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    facts.push(Line::raw(format!(
        "{} · {} · medals {} gold, {} silver, {} bronze",
        plural(s.likes, "like", "likes"),
        plural(s.comments, "comment", "comments"),
        s.medals.gold,
        s.medals.silver,
        s.medals.bronze
    )));
    match &item.ai_verdict {
        None => facts.push(Line::from(vec![
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
            facts.push(Line::from(line));
        }
    }
    debug_assert_eq!(
        facts.len(),
        usize::from(t.label) + layout::POST_HEAD_ROWS,
        "the head lines drawn are the ones layout::post_text counts"
    );
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
    facts.extend(t.reason.iter().map(|l| Line::raw(format!("  {l}"))));
    facts.push(Line::from(you));
    facts.extend(
        t.tags
            .iter()
            .map(|l| Line::styled(l.clone(), theme::accent())),
    );
    let caption = match &t.caption {
        Some(c) => c
            .iter()
            .map(|l| Line::styled(l.clone(), theme::title()))
            .collect(),
        None => vec![Line::styled("(no caption)", theme::dim())],
    };
    StyledPost { facts, caption }
}

/// "3 more lines · z: full post · J/K: scroll"-style note under a cut caption.
fn cut_note(app: &App, below: usize, above: usize) -> Line<'static> {
    let km = &app.keymap;
    let first = |a: Action| Some(km.first_key(a)).filter(|k| !k.is_empty());
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
    let title = match app.triage_progress() {
        Some(p) if p.total > 0 && !p.done => format!(
            " Triage {}/{} · {}{} ",
            p.at,
            p.total,
            p.order,
            if p.filtered { " · filtered" } else { "" }
        ),
        Some(p) if !app.feed().loaded() => format!(" Triage · {} · waiting for the feed ", p.order),
        Some(p) => format!(
            " Triage · {} · nothing left: {} other order, {} leaves ",
            p.order,
            app.keymap.first_key(Action::TriageOrder),
            app.keymap.first_key(Action::TriageLeave)
        ),
        None => " Post ".to_string(),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme::title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(item) = app.selected() else {
        let msg = if app.feed().loaded() {
            "No post selected."
        } else if app.feed().error().is_some() {
            "No post to show: the feed could not be loaded (the status line says why)."
        } else {
            "Loading…"
        };
        frame.render_widget(
            Paragraph::new(Line::styled(msg, theme::dim())).wrap(Wrap { trim: true }),
            inner,
        );
        return;
    };

    // Picture: a box when previews are on and there is room, else a label
    // line among the facts.
    let (img_h, t) = layout::post_pane(app, item, inner);
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
        render_picture(frame, img_inner, app, &item.id, &m.url);
    }

    let rows = inner.height.saturating_sub(img_h) as usize;
    let styled = post_lines(app, item, &t, layout::picture_hidden(app, item, inner));
    let mut lines = styled.facts;
    if t.is_cut() {
        let scroll = match &app.post_scroll {
            Some((id, n)) if *id == item.id => (*n).min(t.max_scroll()),
            _ => 0,
        };
        let window = t.window();
        let len = styled.caption.len();
        lines.extend(styled.caption.into_iter().skip(scroll).take(window));
        let below = len - scroll - window.min(len - scroll);
        if t.caption_rows > 0 {
            lines.push(cut_note(app, below, scroll));
        }
    } else {
        if styled.caption.len() < t.caption_rows {
            lines.push(Line::raw(""));
        }
        lines.extend(styled.caption);
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
