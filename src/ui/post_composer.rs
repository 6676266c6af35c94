//! The post composer (`P`), drawn over the body: the four labelled fields
//! ("file or URL", "caption", "tags", "schedule"), what each check found
//! (the file's format and size or what to do about it, the tags as they
//! will be stored, the schedule as an absolute UTC time), the posts quota,
//! the upload's progress; on wide terminals the picked file's picture in
//! a box on the right (the same preview pipeline as the post pane).

use super::theme;
use crate::app::{
    layout, parse_tags, schedule, size_label, App, PostComposer, PostField, COMPOSER_PREVIEW_ID,
};
use crate::preview::PreviewView;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

/// Most caption rows shown.
const CAPTION_ROWS: usize = 6;

/// Draws the composer over the body of the screen `area`.
pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let Some(c) = app.post_composer.as_ref() else {
        return;
    };
    let (fields, picture) = layout::composer_areas(area);
    frame.render_widget(Clear, fields);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" New post ", theme::title()));
    let inner = block.inner(fields);
    frame.render_widget(block, fields);
    let lines = field_lines(app, c, inner.width as usize);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    if let Some(p) = picture {
        render_picture(frame, p, app, c);
    }
}

/// A field's text lines with the cursor drawn in when it has the focus
/// (the placeholder when empty).
fn text_lines(c: &PostComposer, field: PostField, max_rows: usize) -> Vec<Line<'static>> {
    let t = c.field(field);
    let focused = c.focus == field;
    let lines = t.lines();
    if lines.iter().all(String::is_empty) {
        let mut spans = vec![Span::raw("  ")];
        if focused {
            spans.push(Span::styled(" ", theme::cursor()));
        }
        spans.push(Span::styled(t.placeholder_text().to_string(), theme::dim()));
        return vec![Line::from(spans)];
    }
    let cur = t.cursor();
    let (crow, ccol) = (cur.0, cur.1);
    let skip = if focused {
        (crow + 1).saturating_sub(max_rows)
    } else {
        0
    };
    lines
        .iter()
        .enumerate()
        .skip(skip)
        .take(max_rows)
        .map(|(i, l)| {
            let mut spans = vec![Span::raw("  ")];
            if focused && i == crow {
                let before: String = l.chars().take(ccol).collect();
                let at: String = l.chars().nth(ccol).map_or(" ".into(), String::from);
                let after: String = l.chars().skip(ccol + 1).collect();
                spans.push(Span::raw(before));
                spans.push(Span::styled(at, theme::cursor()));
                spans.push(Span::raw(after));
            } else {
                spans.push(Span::raw(l.clone()));
            }
            Line::from(spans)
        })
        .collect()
}

/// The label line of `field` (highlighted when focused).
fn label(c: &PostComposer, field: PostField) -> Line<'static> {
    let style = if c.focus == field {
        theme::accent()
    } else {
        theme::dim()
    };
    let mark = if c.focus == field { "▸ " } else { "  " };
    Line::styled(format!("{mark}{}", field.label()), style)
}

/// Every line of the fields box.
fn field_lines(app: &App, c: &PostComposer, width: usize) -> Vec<Line<'static>> {
    let mut out: Vec<Line<'static>> = Vec::new();
    let note = |text: String, style| Line::styled(format!("    {text}"), style);

    out.push(label(c, PostField::Source));
    out.extend(text_lines(c, PostField::Source, 1));
    if !c.completions.is_empty() {
        let list = crate::text::truncate(&c.completions.join("  "), width.saturating_sub(4));
        out.push(note(list, theme::dim()));
    }
    if c.is_url() {
        out.push(note("the server fetches this URL".into(), theme::dim()));
    } else if let Some(img) = c.current_image() {
        let size = size_label(img.bytes.len() as u64);
        let text = match img.reencoded_from {
            Some(from) => format!(
                "{} · JPEG re-encoded: {size} (was {}) · ready",
                crate::text::clean_line(&img.name),
                size_label(from)
            ),
            None => format!(
                "{} · {} · {size} · ready",
                crate::text::clean_line(&img.name),
                img.format
            ),
        };
        out.push(note(text, theme::ok()));
    } else if let Some(p) = c.current_problem() {
        out.push(note(p.text.clone(), theme::warn()));
    } else if c.checking.is_some() {
        out.push(note("checking the file…".into(), theme::dim()));
    }
    out.push(Line::raw(""));

    out.push(label(c, PostField::Caption));
    out.extend(text_lines(c, PostField::Caption, CAPTION_ROWS));
    let n = c.caption_text().map_or(0, |t| t.chars().count());
    let limit = crate::api::limits::MAX_CAPTION_CHARS;
    let style = if n > limit {
        theme::error()
    } else {
        theme::dim()
    };
    out.push(note(format!("{n}/{limit} characters"), style));
    out.push(Line::raw(""));

    out.push(label(c, PostField::Tags));
    out.extend(text_lines(c, PostField::Tags, 1));
    match parse_tags(&c.text(PostField::Tags)) {
        Ok(t) if !t.is_empty() => out.push(note(
            crate::text::truncate(
                &t.iter()
                    .map(|t| format!("#{t}"))
                    .collect::<Vec<_>>()
                    .join(" "),
                width.saturating_sub(4),
            ),
            theme::dim(),
        )),
        Ok(_) => {}
        Err(e) => out.push(note(e, theme::error())),
    }
    out.push(Line::raw(""));

    out.push(label(c, PostField::Schedule));
    out.extend(text_lines(c, PostField::Schedule, 1));
    match schedule::parse(
        &c.text(PostField::Schedule),
        app.now,
        app.options.utc_offset_secs,
    ) {
        Ok(None) => out.push(note("publish now".into(), theme::dim())),
        Ok(Some(t)) => out.push(note(
            format!("→ publish at {}", schedule::shown(t)),
            theme::ok(),
        )),
        Err(e) => out.push(note(e, theme::warn())),
    }
    out.push(Line::raw(""));

    let q = &app.quota;
    if q.known {
        let left = q.posts_limit.saturating_sub(q.posts_used);
        let style = if left == 0 {
            theme::error()
        } else {
            theme::dim()
        };
        out.push(Line::styled(
            format!(
                "  Posts today: {}/{} ({left} left)",
                q.posts_used, q.posts_limit
            ),
            style,
        ));
    }
    if c.sending.is_some() {
        out.push(progress_line(c.progress, width));
    }
    out
}

/// "Uploading [=====     ] 340 KiB / 773 KiB", or "Posting…" for a URL.
fn progress_line(progress: Option<(u64, u64)>, width: usize) -> Line<'static> {
    let Some((sent, total)) = progress else {
        return Line::styled("  Posting… (the server fetches the URL)", theme::accent());
    };
    let bar_w = width.saturating_sub(40).clamp(10, 40);
    let done = sent
        .saturating_mul(bar_w as u64)
        .checked_div(total)
        .map_or(bar_w, |d| d as usize);
    Line::styled(
        format!(
            "  Uploading [{}{}] {} / {}",
            "=".repeat(done.min(bar_w)),
            " ".repeat(bar_w - done.min(bar_w)),
            size_label(sent),
            size_label(total)
        ),
        theme::accent(),
    )
}

/// The picture box: the picked file through the preview pipeline.
fn render_picture(frame: &mut Frame, area: Rect, app: &App, c: &PostComposer) {
    frame.render_widget(Clear, area);
    let block = Block::default().borders(Borders::ALL).title(" picture ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let centered = |text: &str, style| {
        let pad = inner.height / 2;
        let mut v: Vec<Line> = (0..pad).map(|_| Line::raw("")).collect();
        v.push(Line::styled(text.to_string(), style));
        Paragraph::new(v).alignment(Alignment::Center)
    };
    let Some(img) = c.current_image() else {
        frame.render_widget(centered("no file picked", theme::dim()), inner);
        return;
    };
    let url = format!("file://{}", img.path);
    match app.preview.view(
        COMPOSER_PREVIEW_ID,
        &url,
        (inner.width, inner.height),
        app.now,
    ) {
        PreviewView::Ready(enc) => {
            let (w, h) = (enc.cells.0.min(inner.width), enc.cells.1.min(inner.height));
            let r = Rect::new(
                inner.x + (inner.width - w) / 2,
                inner.y + (inner.height - h) / 2,
                w,
                h,
            );
            frame.render_widget(ratatui_image::Image::new(&enc.protocol), r);
            if !enc.truecolor && enc.kind == crate::preview::GraphicsKind::Halfblocks {
                crate::preview::encode::to_256_colours(frame.buffer_mut(), r);
            }
        }
        PreviewView::Loading(spin) => {
            frame.render_widget(centered(&format!("{spin} loading…"), theme::dim()), inner)
        }
        PreviewView::Failed(reason) => frame.render_widget(
            centered(&crate::text::clean_line(&reason), theme::warn()),
            inner,
        ),
        PreviewView::Off => frame.render_widget(centered("previews off", theme::dim()), inner),
    }
}
