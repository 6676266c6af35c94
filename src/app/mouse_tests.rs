//! Mouse input at exact cells. The coordinates are worked out by hand
//! from `app/layout.rs` (the geometry `ui` draws with):
//!
//! - 160 x 45: header rows 0-1; the feed pane is columns 0-95 (60 % of
//!   160), rows 2-42: its title on row 2, the column names on row 3, 38
//!   post rows on rows 4-41; the post pane is columns 96-159.
//! - 80 x 24: the feed pane is rows 2-9 (2/5 of the 20 body rows): title
//!   on row 2, column names on row 3, 5 post rows on rows 4-8; the post
//!   pane rows 10-21; the footer rows 22-23. The title reads
//!   ` Feed · latest · 20 posts · tab: rising ` from column 1, so
//!   `tab: rising` is columns 29-39.

use super::super::testing::{key, page, t0, TestApp};
use super::super::*;

fn at(kind: MouseKind, column: u16, row: u16) -> Msg {
    Msg::Mouse(Mouse { kind, column, row })
}

fn click(column: u16, row: u16) -> Msg {
    at(MouseKind::Click, column, row)
}

/// 100 posts (no further page) on a terminal of `w` x `h`.
fn app(w: u16, h: u16) -> App {
    TestApp::new()
        .viewport(w, h)
        .first_page(Some(page(0..100, None)))
        .build()
}

/// What a mouse event could change.
#[derive(Debug, PartialEq)]
struct State {
    sort: FeedSort,
    selected: usize,
    offset: usize,
    mode: Mode,
    post_scroll: Option<(String, usize)>,
    help_scroll: usize,
    follow: bool,
}

fn state(app: &App) -> State {
    State {
        sort: app.sort,
        selected: app.feed().selected(),
        offset: app.feed().offset(),
        mode: app.mode,
        post_scroll: app.post_scroll.clone(),
        help_scroll: app.help_scroll,
        follow: app.follow,
    }
}

#[test]
fn a_click_on_a_feed_row_selects_it_below_the_column_names_and_the_scroll_at_160x45() {
    let mut app = app(160, 45);
    assert_eq!(layout::feed_rows((160, 45), false), 38);
    // Row 4 is the first post, row 9 the sixth.
    app.update(click(20, 9), t0());
    assert_eq!(app.feed().selected(), 5);
    app.update(click(95 - 1, 4), t0());
    assert_eq!(app.feed().selected(), 0);
    // Scrolled to the end: 99 is selected and the end marker shows
    // below it, so the 38 rows show posts 63-99 and the marker.
    app.update(key("end"), t0());
    assert_eq!((app.feed().selected(), app.feed().offset()), (99, 63));
    app.update(click(20, 4), t0());
    assert_eq!(app.feed().selected(), 63);
    app.update(click(20, 40), t0());
    assert_eq!(app.feed().selected(), 99);
    // The end marker's row (41) holds no post: nothing changes.
    app.update(click(20, 41), t0());
    assert_eq!((app.feed().selected(), app.feed().offset()), (99, 63));
}

#[test]
fn a_click_on_a_feed_row_selects_it_at_80x24() {
    let mut app = app(80, 24);
    assert_eq!(layout::feed_rows((80, 24), false), 5);
    app.update(click(5, 6), t0());
    assert_eq!(app.feed().selected(), 2);
    app.update(click(79 - 1, 8), t0());
    assert_eq!(app.feed().selected(), 4);
    // Moved down by key, the list scrolls: row 4 shows post 3 then.
    for _ in 0..3 {
        app.update(key("j"), t0());
    }
    assert_eq!((app.feed().selected(), app.feed().offset()), (7, 3));
    app.update(click(5, 4), t0());
    assert_eq!(app.feed().selected(), 3);
}

#[test]
fn a_click_leaves_follow_mode_when_it_moves_the_selection() {
    let mut app = app(80, 24);
    app.update(key("F"), t0());
    assert!(app.follow);
    app.update(click(5, 4), t0());
    assert!(app.follow, "a click on the selected post is no move");
    app.update(click(5, 5), t0());
    assert!(!app.follow);
    assert_eq!(app.feed().selected(), 1);
}

#[test]
fn the_wheel_moves_over_the_feed_scrolls_the_post_text_and_the_help() {
    let mut p = page(0..100, None);
    p.items[0].caption = Some("a long caption that wraps ".repeat(200));
    let mut app = TestApp::new().viewport(160, 45).first_page(Some(p)).build();
    // Over the post pane: the caption scrolls three lines a notch.
    app.update(at(MouseKind::WheelDown, 120, 30), t0());
    assert_eq!(app.post_scroll, Some(("p0".to_string(), WHEEL_ROWS)));
    app.update(at(MouseKind::WheelUp, 120, 30), t0());
    assert_eq!(app.post_scroll, None);
    assert_eq!(app.feed().selected(), 0);
    // Over the feed pane (a row, the title, the border): three posts a
    // notch.
    app.update(at(MouseKind::WheelDown, 20, 20), t0());
    assert_eq!(app.feed().selected(), WHEEL_ROWS);
    app.update(at(MouseKind::WheelDown, 10, 2), t0());
    app.update(at(MouseKind::WheelDown, 0, 30), t0());
    assert_eq!(app.feed().selected(), 3 * WHEEL_ROWS);
    app.update(at(MouseKind::WheelUp, 20, 20), t0());
    assert_eq!(app.feed().selected(), 2 * WHEEL_ROWS);
    // Over the header: nothing.
    app.update(at(MouseKind::WheelDown, 20, 0), t0());
    assert_eq!(app.feed().selected(), 2 * WHEEL_ROWS);
    // The help overlay scrolls wherever the wheel is, within its end.
    let mut small = TestApp::new().viewport(80, 24).build();
    small.update(key("?"), t0());
    small.update(at(MouseKind::WheelDown, 0, 0), t0());
    assert_eq!(small.help_scroll, WHEEL_ROWS);
    for _ in 0..1000 {
        small.update(at(MouseKind::WheelDown, 40, 12), t0());
    }
    let rows = layout::help_rows(&small.keymap).len();
    assert_eq!(small.help_scroll, layout::help_max_scroll(rows, 24));
    small.update(at(MouseKind::WheelUp, 40, 12), t0());
    assert_eq!(
        small.help_scroll,
        layout::help_max_scroll(rows, 24) - WHEEL_ROWS
    );
    assert_eq!(small.feed().selected(), 0, "the feed stays under the help");
}

#[test]
fn a_click_on_the_sort_tab_switches_the_sort() {
    let mut app = TestApp::new()
        .viewport(80, 24)
        .first_page(Some(page(0..20, None)))
        .build();
    let title = feed_title(&app, layout::feed_title_width((80, 24), false));
    assert_eq!(title.text, " Feed · latest · 20 posts · tab: rising ");
    assert_eq!(title.tab, Some(28..39));
    // The sort's own name and the space after the tab: nothing.
    for column in [8, 40] {
        let fx = app.update(click(column, 2), t0());
        assert_eq!(app.sort, FeedSort::Latest, "column {column}");
        assert!(fx.is_empty(), "{fx:?}");
    }
    let fx = app.update(click(29, 2), t0());
    assert_eq!(app.sort, FeedSort::Rising);
    assert!(
        fx.iter().any(|e| matches!(
            e,
            Effect::LoadFeed {
                sort: FeedSort::Rising,
                cursor: None,
                ..
            }
        )),
        "{fx:?}"
    );
    // Rising's title offers latest at its own place.
    let title = feed_title(&app, layout::feed_title_width((80, 24), false));
    let tab = title.tab.expect("a tab");
    let column = tab.end; // the tab's last cell, counted from column 1
    app.update(click(column, 2), t0());
    assert_eq!(app.sort, FeedSort::Latest);
}

#[test]
fn clicks_outside_the_rows_and_the_tab_do_nothing() {
    let mut app = app(80, 24);
    app.update(click(5, 5), t0());
    let before = state(&app);
    for (column, row) in [
        (10, 0),  // header
        (10, 1),  // header, second row
        (10, 3),  // the column names
        (0, 5),   // the feed pane's left border
        (79, 5),  // its right border
        (10, 9),  // its bottom border
        (10, 15), // the post pane
        (10, 22), // the status line
        (10, 23), // the key hints
        (80, 5),  // right of the screen
        (10, 24), // below it
        (u16::MAX, u16::MAX),
    ] {
        let fx = app.update(click(column, row), t0());
        assert_eq!(state(&app), before, "click at {column},{row}");
        assert!(fx.is_empty(), "click at {column},{row}: {fx:?}");
    }
    // Over the post pane and in the editor, a click does nothing either.
    app.update(key("c"), t0());
    assert_eq!(app.mode, Mode::Editor);
    app.update(click(5, 6), t0());
    app.update(at(MouseKind::WheelDown, 5, 6), t0());
    assert_eq!(app.mode, Mode::Editor);
    assert_eq!(app.feed().selected(), 1);
}

#[test]
fn a_tiny_terminal_takes_no_mouse_input_and_no_cell_panics() {
    let mut app = app(80, 24);
    app.update(Msg::Resize(30, 8), t0());
    let before = state(&app);
    for kind in [MouseKind::Click, MouseKind::WheelDown, MouseKind::WheelUp] {
        for (column, row) in [(5, 4), (5, 5), (29, 2), (0, 0), (u16::MAX, 0)] {
            let fx = app.update(at(kind, column, row), t0());
            assert_eq!(state(&app), before, "{kind:?} at {column},{row}");
            assert!(fx.is_empty(), "{fx:?}");
        }
    }
    // Every cell (and one beyond) of small and odd sizes, zoomed or not,
    // in the feed and in the help: no panic.
    for (w, h) in [
        (0, 0),
        (1, 1),
        (40, 12),
        (41, 13),
        (119, 12),
        (120, 12),
        (120, 40),
    ] {
        for zoom in [false, true] {
            let mut app = app_at(w, h, zoom);
            for row in 0..=h.saturating_add(1) {
                for column in 0..=w.saturating_add(1) {
                    for kind in [MouseKind::Click, MouseKind::WheelDown, MouseKind::WheelUp] {
                        app.update(at(kind, column, row), t0());
                    }
                }
            }
            app.update(key("?"), t0());
            app.update(at(MouseKind::WheelDown, 0, 0), t0());
        }
    }
}

fn app_at(w: u16, h: u16, zoom: bool) -> App {
    let mut app = app(w, h);
    if zoom {
        app.update(key("z"), t0());
    }
    app
}
