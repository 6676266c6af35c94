//! The archive views in `App`: stale answers dropped, Esc back to the feed
//! as it was, writes acting on a view's post.

use super::testing::{item, key, page, t0, TestApp};
use super::{ArchiveAnswer, Effect, Msg, ViewKind};
use crate::api::Medal;

/// The request number of the archive query among `fx`.
fn query(fx: &[Effect]) -> (u64, ViewKind) {
    fx.iter()
        .find_map(|e| match e {
            Effect::ArchiveQuery { request, query, .. } => Some((*request, query.clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no archive query in {fx:?}"))
}

fn answer(request: u64, ns: &[usize]) -> Msg {
    Msg::Archive {
        request,
        result: Ok(ArchiveAnswer::Posts(ns.iter().map(|n| item(*n)).collect())),
    }
}

#[test]
fn an_answer_for_an_older_query_is_dropped() {
    let mut app = TestApp::new().first_page(Some(page(0..5, None))).build();
    let fx = app.update(key("a"), t0());
    let (first, kind) = query(&fx);
    assert_eq!(kind, ViewKind::Author("other-h".into()));
    // Asked again (r) before the first answer came.
    let fx = app.update(key("r"), t0());
    let (second, _) = query(&fx);
    assert_ne!(first, second);
    app.update(answer(first, &[9]), t0());
    let v = app.view.as_ref().unwrap();
    assert!(
        v.loading && v.posts.is_empty(),
        "the stale answer was dropped"
    );
    app.update(answer(second, &[1, 3]), t0());
    let v = app.view.as_ref().unwrap();
    assert!(!v.loading);
    let ids: Vec<_> = v.posts.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["p1", "p3"]);
    // An answer after the view closed changes nothing.
    app.update(key("esc"), t0());
    app.update(answer(second, &[4]), t0());
    assert!(app.view.is_none());
}

#[test]
fn esc_returns_to_the_feed_selection_untouched() {
    let mut app = TestApp::new().first_page(Some(page(0..8, None))).build();
    app.update(key("j"), t0());
    app.update(key("j"), t0());
    let before = (app.feed().selected(), app.feed().offset());
    let fx = app.update(key("H"), t0());
    let (request, kind) = query(&fx);
    assert_eq!(kind, ViewKind::History);
    app.update(
        Msg::Archive {
            request,
            result: Ok(ArchiveAnswer::History(Vec::new())),
        },
        t0(),
    );
    // Moving in the view leaves the feed alone.
    app.update(key("j"), t0());
    app.update(key("t"), t0());
    assert!(app.selected().is_none(), "an empty history selects no post");
    app.update(key("esc"), t0());
    assert!(app.view.is_none());
    assert_eq!((app.feed().selected(), app.feed().offset()), before);
    assert_eq!(app.selected().map(|p| p.id.as_str()), Some("p2"));
}

#[test]
fn search_input_runs_the_search_and_a_medal_acts_on_the_result() {
    let mut app = TestApp::new().first_page(Some(page(0..3, None))).build();
    app.update(key("S"), t0());
    assert_eq!(app.mode, super::Mode::Search);
    for c in "neon".chars() {
        app.update(super::testing::typed(c), t0());
    }
    let fx = app.update(key("enter"), t0());
    let (request, kind) = query(&fx);
    assert_eq!(kind, ViewKind::Search("neon".into()));
    // A post not in the feed lists: only the view has it.
    app.update(answer(request, &[40]), t0());
    assert_eq!(app.selected().map(|p| p.id.as_str()), Some("p40"));
    let fx = app.update(key("g"), t0());
    assert!(
        fx.iter().any(
            |e| matches!(e, Effect::Vote { post_id, medal: Medal::Gold, .. } if post_id == "p40")
        ),
        "{fx:?}"
    );
    assert_eq!(
        app.selected().and_then(|p| p.agent_medal.clone()),
        Some(Medal::Gold),
        "shown at once in the result row"
    );
}

#[test]
fn a_store_error_is_shown_not_lost() {
    let mut app = TestApp::new().first_page(Some(page(0..3, None))).build();
    let fx = app.update(key("H"), t0());
    let (request, _) = query(&fx);
    app.update(
        Msg::Archive {
            request,
            result: Err("disk \x1b[31mgone".into()),
        },
        t0(),
    );
    let e = app.view.as_ref().and_then(|v| v.error.clone()).unwrap();
    assert!(!e.contains('\x1b'), "sanitized: {e:?}");
}

#[test]
fn a_view_shows_a_loaded_post_as_the_feed_has_it_and_l_unlikes_nothing() {
    let mut app = TestApp::new().first_page(Some(page(0..5, None))).build();
    app.update(key("j"), t0());
    app.update(key("l"), t0()); // p1 liked in the feed (on its way)
    assert!(app.post("p1").unwrap().agent_liked);
    let fx = app.update(key("a"), t0());
    let (request, _) = query(&fx);
    // The store still has p1 as fetched: not liked.
    app.update(answer(request, &[1, 3]), t0());
    let v = app.view.as_ref().unwrap();
    assert!(v.posts[0].agent_liked, "the view shows the feed's p1");
    assert!(!v.posts[1].agent_liked);
    assert_eq!(app.selected().unwrap().id, "p1");
    assert!(app.selected().unwrap().agent_liked);
}

#[test]
fn the_author_view_opens_on_the_post_it_was_opened_from() {
    let mut app = TestApp::new().first_page(Some(page(0..5, None))).build();
    app.update(key("j"), t0());
    app.update(key("j"), t0());
    let origin = app.selected().map(|p| p.id.clone()).unwrap();
    let (request, _) = query(&app.update(key("a"), t0()));
    app.update(answer(request, &[4, 3, 2, 1]), t0());
    assert_eq!(app.selected().map(|p| p.id.clone()), Some(origin));
    // A reload keeps the row the user moved to.
    app.update(key("j"), t0());
    let (request, _) = query(&app.update(key("r"), t0()));
    app.update(answer(request, &[4, 3, 2, 1]), t0());
    assert_eq!(app.selected().map(|p| p.id.as_str()), Some("p1"));
}

#[test]
fn q_in_a_view_goes_back_and_ctrl_c_still_quits() {
    let mut app = TestApp::new().first_page(Some(page(0..3, None))).build();
    let (request, _) = query(&app.update(key("H"), t0()));
    app.update(answer(request, &[]), t0());
    let labels: Vec<_> = app.hints().iter().map(|h| h.label).collect();
    assert!(
        labels.contains(&"back") && !labels.contains(&"quit"),
        "{labels:?}"
    );
    assert!(
        !labels.contains(&"sort") && !labels.contains(&"filter"),
        "{labels:?}"
    );
    app.update(key("q"), t0());
    assert!(app.view.is_none() && !app.should_quit);
    assert!(app.hints().iter().any(|h| h.label == "quit"));
    app.update(key("H"), t0());
    app.update(super::testing::ctrl('c'), t0());
    assert!(app.should_quit);
}

#[test]
fn a_search_without_words_says_so() {
    let mut app = TestApp::new().first_page(Some(page(0..3, None))).build();
    app.update(key("S"), t0());
    for c in " -- ".chars() {
        app.update(super::testing::typed(c), t0());
    }
    let fx = app.update(key("enter"), t0());
    assert!(!fx.iter().any(|e| matches!(e, Effect::ArchiveQuery { .. })));
    assert!(app.view.is_none());
    let status = super::testing::status_text(&app);
    assert!(status.contains("Nothing searched"), "{status}");
}

#[test]
fn r_keeps_the_same_post_selected_when_rows_move() {
    let mut app = TestApp::new().first_page(Some(page(0..5, None))).build();
    let (request, _) = query(&app.update(key("a"), t0()));
    app.update(answer(request, &[4, 3, 2, 1]), t0());
    app.update(key("j"), t0());
    assert_eq!(app.selected().map(|p| p.id.as_str()), Some("p3"));
    // A newer post arrived: every row moved down one.
    let (request, _) = query(&app.update(key("r"), t0()));
    app.update(answer(request, &[9, 4, 3, 2, 1]), t0());
    assert_eq!(app.selected().map(|p| p.id.as_str()), Some("p3"));
}

#[test]
fn a_write_on_a_history_row_without_its_post_says_so() {
    let mut app = TestApp::new().first_page(Some(page(0..3, None))).build();
    let (request, _) = query(&app.update(key("H"), t0()));
    let entry = super::HistoryEntry {
        action: crate::store::Action {
            at: 1,
            post_id: "gone".into(),
            kind: crate::store::ActionKind::Like,
            detail: "liked".into(),
            outcome: crate::store::Outcome::Accepted,
        },
        post: None,
    };
    app.update(
        Msg::Archive {
            request,
            result: Ok(ArchiveAnswer::History(vec![entry])),
        },
        t0(),
    );
    let fx = app.update(key("l"), t0());
    assert!(fx.is_empty(), "{fx:?}");
    assert!(super::testing::status_text(&app).contains("not in the archive"));
}
