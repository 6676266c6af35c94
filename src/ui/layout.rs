//! Screen geometry, shared by `ui::render` and `App` (page size, scroll).
//!
//! Wide terminals (at least [`WIDE_MIN_COLS`] columns) put the post pane
//! beside the feed; narrower ones put it below. `zoom` gives the whole body
//! to the post pane.

use ratatui::layout::Rect;

/// Rows of the header.
pub const HEADER_ROWS: u16 = 2;
/// Rows of the footer (status line + key hints).
pub const FOOTER_ROWS: u16 = 2;
/// From this width on, feed and post pane sit side by side.
pub const WIDE_MIN_COLS: u16 = 120;

/// The regions of the main screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    /// `None` when the post pane is zoomed.
    pub feed: Option<Rect>,
    pub post: Rect,
    pub footer: Rect,
}

/// Splits the screen.
pub fn areas(area: Rect, zoom: bool) -> Areas {
    let header_h = HEADER_ROWS.min(area.height);
    let footer_h = FOOTER_ROWS.min(area.height.saturating_sub(header_h));
    let header = Rect::new(area.x, area.y, area.width, header_h);
    let footer = Rect::new(
        area.x,
        area.y + area.height - footer_h,
        area.width,
        footer_h,
    );
    let body = Rect::new(
        area.x,
        area.y + header_h,
        area.width,
        area.height.saturating_sub(header_h + footer_h),
    );
    if zoom {
        return Areas {
            header,
            feed: None,
            post: body,
            footer,
        };
    }
    let (feed, post) = if area.width >= WIDE_MIN_COLS {
        let fw = body.width * 55 / 100;
        (
            Rect::new(body.x, body.y, fw, body.height),
            Rect::new(body.x + fw, body.y, body.width - fw, body.height),
        )
    } else {
        let fh = (body.height * 2 / 5).max(5).min(body.height);
        (
            Rect::new(body.x, body.y, body.width, fh),
            Rect::new(body.x, body.y + fh, body.width, body.height - fh),
        )
    };
    Areas {
        header,
        feed: Some(feed),
        post,
        footer,
    }
}

/// Feed rows visible for a terminal of (columns, rows); the post pane's
/// height when zoomed (used as page size). At least 1.
pub fn feed_rows(viewport: (u16, u16), zoom: bool) -> usize {
    let a = areas(Rect::new(0, 0, viewport.0, viewport.1), zoom);
    let h = a.feed.unwrap_or(a.post).height;
    (h.saturating_sub(2) as usize).max(1)
}
