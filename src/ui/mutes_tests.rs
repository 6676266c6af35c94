//! The mute overlays and the hidden count, drawn from app states.

use crate::app::testing::*;
use crate::app::*;

fn screen_of(app: &App, w: u16, h: u16) -> String {
    crate::runtime::buffer_text(&crate::runtime::render_buffer(app, w, h))
}

#[test]
fn the_feed_title_counts_hidden_posts_apart() {
    let mut app = TestApp::new().first_page(Some(page(0..20, None))).build();
    let top = screen_of(&app, 160, 24);
    assert!(top.contains("Feed · latest · 20 posts ·"), "{top}");
    assert!(!top.contains("hidden"), "{top}");
    // #even is on every second post (see `item`).
    app.update(key("X"), t0());
    let s = screen_of(&app, 160, 24);
    assert!(s.contains("Feed · latest · 10 posts · 10 hidden ·"), "{s}");
    // With a filter too: the filter counts what the mutes leave.
    app.update(key("v"), t0());
    let s = screen_of(&app, 160, 24);
    assert!(
        s.contains("· 0 of 10 · filter: verdict gold · 10 hidden"),
        "{s}"
    );
}

#[test]
fn a_feed_all_muted_says_where_the_mutes_are() {
    let mut app = TestApp::new().first_page(Some(page(0..3, None))).build();
    app.update(key("M"), t0());
    let s = screen_of(&app, 160, 24);
    assert!(
        s.contains("all 3 loaded posts are hidden by mutes (V lists them)"),
        "{s}"
    );
}

#[test]
fn the_list_of_mutes_shows_each_with_its_kind_and_time_and_its_keys() {
    let mut app = TestApp::new().build();
    app.update(key("V"), t0());
    let s = screen_of(&app, 160, 24);
    assert!(s.contains("Mutes · 0"), "{s}");
    assert!(
        s.contains("Nothing muted: x hides a post, M mutes its author, X one of its tags."),
        "{s}"
    );
    app.update(key("esc"), t0());
    app.update(key("x"), t0());
    app.update(key("M"), t0() + chrono::Duration::minutes(5));
    app.update(key("V"), t0());
    let s = screen_of(&app, 160, 24);
    assert!(s.contains("Mutes · 2"), "{s}");
    assert!(s.contains("▶ hidden  @other-h · caption 0"), "{s}");
    assert!(s.contains("  author  @other-h"), "{s}");
    assert!(s.contains("12:00") && s.contains("12:05"), "{s}");
    assert!(
        s.contains("d remove (its posts come back) · esc close"),
        "{s}"
    );
}

#[test]
fn the_tag_question_lists_the_post_s_tags() {
    let mut p = item(1);
    p.tags = vec!["neon".into(), "city".into()];
    let first = crate::api::FeedPage {
        items: vec![p],
        next_cursor: None,
        skipped: 0,
    };
    let mut app = TestApp::new().first_page(Some(first)).build();
    app.update(key("X"), t0());
    app.update(key("j"), t0());
    let s = screen_of(&app, 160, 24);
    assert!(s.contains("Mute which tag?"), "{s}");
    assert!(s.contains("  #neon") && s.contains("▶ #city"), "{s}");
    assert!(s.contains("enter mute · esc cancel"), "{s}");
}
