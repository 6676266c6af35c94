//! Rendering: one pure draw function per region. `render` reads `&App`
//! only (times come from `app.now`), so a `TestBackend` buffer is a
//! deterministic picture of the state.

mod archive;
mod composer;
mod detail;
mod feed;
mod full;
mod header;
mod help;
mod mutes;
mod outbox;
mod post_composer;
mod profiles;
mod stats;
mod status;
pub mod theme;

pub use detail::relative;
pub use feed::verdict_badge;
pub use help::lines as help_lines;

use crate::app::{layout, App, Mode};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::Frame;

pub use crate::app::layout::MIN_SIZE;

/// Draws the whole screen for `app`, in its theme (`Options::theme`).
pub fn render(frame: &mut Frame, app: &App) {
    theme::scoped(theme::Theme::resolve(&app.options.theme), || {
        draw(frame, app)
    });
}

fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if layout::too_small((area.width, area.height)) {
        too_small(frame, area, app);
        return;
    }
    if app.mode == Mode::Full {
        // The full-screen picture covers everything.
        full::render(frame, area, app);
        mend_split_wide_cells(frame.buffer_mut());
        return;
    }
    let a = layout::areas(area, app.zoom_post);
    header::render(frame, a.header, app);
    match app
        .view
        .as_ref()
        .filter(|v| v.kind == crate::app::ViewKind::Stats)
    {
        // The stats screen covers the feed and post panes.
        Some(v) => stats::render(frame, a.feed.map_or(a.post, |f| f.union(a.post)), app, v),
        None => {
            if let Some(f) = a.feed {
                feed::render(frame, f, app);
            }
            detail::render(frame, a.post, app);
        }
    }
    if matches!(app.mode, Mode::Editor | Mode::Confirm) {
        composer::render(frame, layout::editor_area(area, app.zoom_post), app);
    }
    if app.mode == Mode::Post {
        post_composer::render(frame, area, app);
    }
    status::render(frame, a.footer, app);
    if app.mode == Mode::Profiles {
        profiles::render(frame, area, app);
    }
    if app.mode == Mode::Outbox {
        outbox::render(frame, area, app);
    }
    if app.mode == Mode::Mutes {
        mutes::render_list(frame, area, app);
    }
    if app.mode == Mode::MuteTag {
        mutes::render_tags(frame, area, app);
    }
    if app.mode == Mode::Help {
        help::render(frame, area, app);
    }
    mend_split_wide_cells(frame.buffer_mut());
}

/// "Terminal too small", the size needed and the size now, wrapped into
/// whatever room there is; with the editor open, that its text is kept.
fn too_small(frame: &mut Frame, area: Rect, app: &App) {
    use ratatui::widgets::{Paragraph, Wrap};
    let editor = if app.composer.is_some() {
        " Your comment is kept (Esc keeps it as a draft)."
    } else {
        ""
    };
    let text = format!(
        "Terminal too small: {} x {} needed, now {} x {}. Enlarge the window (q quits).{editor}",
        MIN_SIZE.0, MIN_SIZE.1, area.width, area.height
    );
    frame.render_widget(
        Paragraph::new(text)
            .style(theme::error())
            .wrap(Wrap { trim: true }),
        area,
    );
}

/// A wide grapheme (CJK, emoji: 2 cells) whose right half a later widget
/// drew over (the border of an overlay such as the help or a question box,
/// centered over the feed) would hide that cell on a real terminal: ratatui
/// never sends the cell after a wide one, so the overlay's border would be
/// missing there. Such a grapheme is replaced by a space (it is covered
/// anyway), so every border cell reaches the terminal.
///
/// Cells holding a terminal graphics sequence (sixel, kitty, iTerm2: the
/// picture preview puts the whole escape sequence in its first cell; text
/// never holds an ESC, `text.rs` strips it) are not graphemes and are left
/// alone.
pub fn mend_split_wide_cells(buf: &mut Buffer) {
    let area = buf.area;
    for y in area.top()..area.bottom() {
        let mut x = area.left();
        while x < area.right() {
            if buf[(x, y)].symbol().contains('\x1b') {
                x += 1;
                continue;
            }
            let w = crate::text::width(buf[(x, y)].symbol()).max(1) as u16;
            if w > 1 {
                let covered =
                    (1..w).any(|i| x + i >= area.right() || buf[(x + i, y)].symbol() != " ");
                if covered {
                    buf[(x, y)].set_symbol(" ");
                    x += 1;
                    continue;
                }
            }
            x += w;
        }
    }
}

/// The width in cells of the widest of `lines`.
pub(super) fn lines_width(lines: &[Line]) -> u16 {
    let w = lines
        .iter()
        .map(|l| {
            l.spans
                .iter()
                .map(|s| crate::text::width(&s.content))
                .sum::<usize>()
        })
        .max()
        .unwrap_or(20);
    u16::try_from(w).unwrap_or(u16::MAX)
}

/// The centred overlay (help, profile switcher, mutes): room for `w` x
/// `h` cells of content plus the frame, clamped to `area`, cleared and
/// framed in the accent colour with `title` above and `bottom` (its keys)
/// below. Returns the inside to draw the content in.
pub(super) fn overlay(
    frame: &mut Frame,
    area: Rect,
    (w, h): (u16, u16),
    title: &str,
    bottom: Option<String>,
) -> Rect {
    use ratatui::text::Span;
    use ratatui::widgets::{Block, Borders, Clear};
    let pop = centered(
        area,
        w.saturating_add(4).min(area.width),
        h.saturating_add(2).min(area.height),
    );
    frame.render_widget(Clear, pop);
    let mut b = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::accent())
        .title(Span::styled(title.to_string(), theme::title()));
    if let Some(keys) = bottom {
        b = b.title_bottom(Span::styled(keys, theme::dim()));
    }
    let inner = b.inner(pop);
    frame.render_widget(b, pop);
    inner
}

/// A `w` x `h` rectangle centered in `area` (clamped to it).
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

#[cfg(test)]
mod mutes_tests;
#[cfg(test)]
mod picture_tests;
#[cfg(test)]
mod tests;

#[cfg(test)]
mod buffer_tests {
    use super::*;
    use ratatui::widgets::{Block, Borders, Clear, Widget};

    #[test]
    fn an_overlay_border_over_half_a_wide_char_survives() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 10, 3));
        buf.set_string(0, 1, "ab漢字cd", ratatui::style::Style::default());
        // An overlay whose left border falls on the right half of 漢 (x=3).
        let pop = Rect::new(3, 0, 5, 3);
        Clear.render(pop, &mut buf);
        Block::default().borders(Borders::ALL).render(pop, &mut buf);
        assert_eq!(buf[(2, 1)].symbol(), "漢");
        mend_split_wide_cells(&mut buf);
        assert_eq!(buf[(2, 1)].symbol(), " ");
        assert_eq!(buf[(3, 1)].symbol(), "│");
        // Whole wide chars are left alone.
        let mut ok = Buffer::empty(Rect::new(0, 0, 6, 1));
        ok.set_string(0, 0, "漢字x", ratatui::style::Style::default());
        let before = ok.clone();
        mend_split_wide_cells(&mut ok);
        assert_eq!(ok, before);
    }

    #[test]
    fn graphics_sequences_are_left_alone() {
        // A sixel preview: the sequence in the first cell, the rest skipped.
        let mut buf = Buffer::empty(Rect::new(0, 0, 10, 2));
        buf[(1, 0)].set_symbol("\x1bPq\"1;1;60;40#0;2;0;0;0#0~~~~~~~~~~\x1b\\");
        for x in 2..10 {
            buf[(x, 0)].set_diff_option(ratatui::buffer::CellDiffOption::Skip);
        }
        let before = buf.clone();
        mend_split_wide_cells(&mut buf);
        assert_eq!(buf, before);
    }
}
