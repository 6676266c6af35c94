//! Rendering: one pure draw function per region. `render` reads `&App`
//! only (times come from `app.now`), so a `TestBackend` buffer is a
//! deterministic picture of the state.

mod composer;
mod detail;
mod feed;
mod header;
mod help;
pub mod layout;
mod status;
pub mod theme;

pub use composer::text_size as editor_text_size;
pub use detail::{post_scroll_max, preview_cells, relative};
pub use feed::verdict_badge;
pub use help::lines as help_lines;

use crate::app::{App, Mode};
use ratatui::layout::Rect;
use ratatui::Frame;

/// Draws the whole screen for `app`.
pub fn render(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let a = layout::areas(area, app.zoom_post);
    header::render(frame, a.header, app);
    if let Some(f) = a.feed {
        feed::render(frame, f, app);
    }
    detail::render(frame, a.post, app);
    if matches!(app.mode, Mode::Editor | Mode::Confirm) {
        composer::render(frame, a.post, app);
    }
    status::render(frame, a.footer, app);
    if app.mode == Mode::Help {
        help::render(frame, area, app);
    }
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
