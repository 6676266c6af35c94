//! Unit tests of "nothing lost": drafts restored into the editor, `R`
//! retries (never automatic), text typed while a comment is in flight,
//! control chars kept out of the editor, unreadable items counted.

use super::super::testing::{t0, TestApp};
use super::super::*;
use crate::api::*;

fn connect() -> ConnectResponse {
    ConnectResponse {
        agent: Agent {
            id: "me".into(),
            handle: "me-bot".into(),
            ..Default::default()
        },
        ..Default::default()
    }
}

fn item(n: usize) -> FeedItem {
    FeedItem {
        id: format!("p{n}"),
        caption: Some(format!("caption {n}")),
        published_at: t0().into(),
        author: Author {
            id: "other".into(),
            handle: format!("author{n}"),
            ..Default::default()
        },
        media: vec![],
        tags: vec![],
        stats: Stats::default(),
        ai_verdict: None,
        agent_liked: false,
        agent_medal: None,
    }
}

fn key(c: char) -> Msg {
    Msg::Key(Key::new(KeyCode::Char(c), KeyMods::NONE))
}

fn code(k: KeyCode) -> Msg {
    Msg::Key(Key::new(k, KeyMods::NONE))
}

fn ctrl(c: char) -> Msg {
    Msg::Key(Key::new(KeyCode::Char(c), KeyMods::CONTROL))
}

fn app() -> App {
    App::new(
        Options::default(),
        Keymap::default(),
        &connect(),
        t0(),
        (160, 40),
    )
}

/// Answers the first-page request in `fx` with `items` and `cursor`.
fn answer_first(app: &mut App, fx: &[Effect], page: FeedPage) -> Vec<Effect> {
    let Some(Effect::LoadFeed {
        sort,
        generation,
        kind,
        ..
    }) = fx.iter().find(|e| matches!(e, Effect::LoadFeed { .. }))
    else {
        panic!("no feed request in {fx:?}")
    };
    app.update(
        Msg::Feed {
            sort: *sort,
            generation: *generation,
            kind: *kind,
            result: Ok(page),
        },
        t0(),
    )
}

fn loaded(n: usize) -> App {
    TestApp::new()
        .connect(connect())
        .viewport(160, 40)
        .first_page(Some(FeedPage {
            items: (0..n).map(item).collect(),
            next_cursor: None,
            skipped: 0,
        }))
        .build()
}

fn net_err() -> ApiError {
    ApiError::Network("connection refused".into())
}

#[test]
fn restored_draft_opens_its_editor_and_selects_its_post() {
    let mut a = app();
    let mut drafts = std::collections::BTreeMap::new();
    drafts.insert("p3".to_string(), "half a thought".to_string());
    drafts.insert("p5".to_string(), "other".to_string());
    a.restore_drafts(drafts, Some("p3".into()));
    assert_eq!(a.mode, Mode::Editor);
    let c = a.composer.as_ref().expect("editor open");
    assert_eq!(
        (c.post_id.as_str(), c.text().as_str()),
        ("p3", "half a thought")
    );
    assert!(a
        .status
        .as_ref()
        .unwrap()
        .text
        .starts_with("Draft restored"));
    let fx = a.start();
    let page = FeedPage {
        items: (0..10).map(item).collect(),
        next_cursor: None,
        skipped: 0,
    };
    answer_first(&mut a, &fx, page);
    assert_eq!(a.selected().unwrap().id, "p3");
    assert_eq!(a.composer.as_ref().unwrap().author, "author3");
    assert_eq!(a.open_draft_post(), Some("p3"));
    assert_eq!(a.drafts_to_save().len(), 2);
}

#[test]
fn drafts_without_an_open_editor_are_announced() {
    let mut a = app();
    let mut drafts = std::collections::BTreeMap::new();
    drafts.insert("p1".to_string(), "kept".to_string());
    a.restore_drafts(drafts, None);
    assert_eq!(a.mode, Mode::Feed);
    assert!(a.composer.is_none());
    let s = &a.status.as_ref().unwrap().text;
    assert!(s.starts_with("Draft restored: 1 unsent comment"), "{s}");
}

#[test]
fn failed_like_is_retried_once_with_r_and_never_automatically() {
    let mut a = loaded(5);
    let fx = a.update(key('l'), t0());
    let Some(Effect::ToggleLike { post_id, request }) = fx.first().cloned() else {
        panic!("{fx:?}")
    };
    let fx = a.update(
        Msg::Like {
            post_id: post_id.clone(),
            request,
            result: Err(net_err()),
        },
        t0(),
    );
    assert!(fx.is_empty(), "no automatic retry: {fx:?}");
    assert!(!a.selected().unwrap().agent_liked, "rolled back");
    assert_eq!(a.status_offer(), Some(("R".to_string(), Action::Retry)));
    assert_eq!(
        a.last_failed(),
        Some(&Write::Like {
            post_id: post_id.clone(),
            liked: true
        })
    );
    // Time passes: still nothing is sent by itself.
    let later = t0() + chrono::Duration::seconds(120);
    let fx = a.update(Msg::Tick, later);
    assert!(!fx.iter().any(|e| matches!(e, Effect::ToggleLike { .. })));
    a.update(key('j'), t0()); // the selection moved: R still targets p0
    let fx = a.update(key('R'), t0());
    assert!(
        matches!(&fx[..], [Effect::ToggleLike { post_id: p, .. }] if *p == post_id),
        "{fx:?}"
    );
    assert!(a.last_failed().is_none());
    assert!(a.update(key('R'), t0()).is_empty(), "only once");
}

#[test]
fn failed_medal_is_retried_with_its_medal() {
    let mut a = loaded(5);
    let fx = a.update(key('g'), t0());
    let Some(Effect::Vote {
        post_id, request, ..
    }) = fx.first().cloned()
    else {
        panic!("{fx:?}")
    };
    a.update(
        Msg::Vote {
            post_id: post_id.clone(),
            request,
            result: Err(net_err()),
        },
        t0(),
    );
    assert_eq!(a.selected().unwrap().agent_medal, None, "rolled back");
    let fx = a.update(key('R'), t0());
    assert!(
        matches!(&fx[..], [Effect::Vote { post_id: p, medal: Medal::Gold, .. }] if *p == post_id),
        "{fx:?}"
    );
}

#[test]
fn not_retryable_errors_offer_no_retry() {
    let mut a = loaded(5);
    let fx = a.update(key('l'), t0());
    let Some(Effect::ToggleLike { post_id, request }) = fx.first().cloned() else {
        panic!()
    };
    let not_found = ApiError::from_code("POST_NOT_FOUND", 404, "gone", None, Quota::Other);
    a.update(
        Msg::Like {
            post_id,
            request,
            result: Err(not_found),
        },
        t0(),
    );
    assert!(a.last_failed().is_none());
    assert_eq!(a.status_offer(), None);
    assert!(a.update(key('R'), t0()).is_empty());
}

#[test]
fn failed_comment_from_a_closed_editor_is_kept_and_retried() {
    let mut a = loaded(5);
    a.update(key('c'), t0());
    for ch in "hello".chars() {
        a.update(key(ch), t0());
    }
    let fx = a.update(ctrl('s'), t0());
    let Some(Effect::Comment {
        post_id, request, ..
    }) = fx.first().cloned()
    else {
        panic!("{fx:?}")
    };
    // The editor is closed (discarding!) while the request is in flight.
    a.update(code(KeyCode::Esc), t0());
    a.update(key('d'), t0());
    assert!(a.composer.is_none());
    a.update(
        Msg::Comment {
            post_id: post_id.clone(),
            request,
            result: Err(net_err()),
        },
        t0(),
    );
    assert_eq!(a.drafts.get(&post_id).map(String::as_str), Some("hello"));
    let fx = a.update(key('R'), t0());
    assert!(
        matches!(&fx[..], [Effect::Comment { post_id: p, body, .. }] if *p == post_id && body == "hello"),
        "{fx:?}"
    );
    assert_eq!(a.mode, Mode::Editor);
}

#[test]
fn text_typed_while_a_comment_is_in_flight_is_kept() {
    let mut a = loaded(5);
    a.update(key('c'), t0());
    for ch in "first".chars() {
        a.update(key(ch), t0());
    }
    let fx = a.update(ctrl('s'), t0());
    let Some(Effect::Comment {
        post_id, request, ..
    }) = fx.first().cloned()
    else {
        panic!("{fx:?}")
    };
    for ch in " and more".chars() {
        a.update(key(ch), t0());
    }
    a.update(
        Msg::Comment {
            post_id: post_id.clone(),
            request,
            result: Ok(Comment::default()),
        },
        t0(),
    );
    let c = a.composer.as_ref().expect("editor kept");
    assert_eq!(c.text(), "and more");
    assert_eq!(a.mode, Mode::Editor);
}

#[test]
fn control_chars_never_enter_the_editor() {
    let mut a = loaded(2);
    a.update(key('c'), t0());
    for ch in ['a', '\u{1b}', '\u{7}', '\u{9b}', 'b'] {
        a.update(key(ch), t0());
    }
    assert_eq!(a.composer.as_ref().unwrap().text(), "ab");
    let restored = Composer::new("p".into(), String::new(), "x\u{1b}]0;t\u{7}");
    assert_eq!(restored.text(), "x␛]0;t␇");
}

#[test]
fn unreadable_items_are_counted_in_the_status_line() {
    let mut a = app();
    let fx = a.start();
    let page = FeedPage {
        items: vec![item(0)],
        next_cursor: Some("c2".into()),
        skipped: 1,
    };
    answer_first(&mut a, &fx, page);
    let s = &a.status.as_ref().unwrap().text;
    assert!(s.starts_with("1 post could not be shown"), "{s}");
    assert_eq!(
        results::skipped_message(3),
        "3 posts could not be shown (their data was malformed)."
    );
}

#[test]
fn a_page_of_only_unreadable_items_with_a_cursor_pages_on() {
    let mut a = app();
    let fx = a.start();
    let page = FeedPage {
        items: vec![],
        next_cursor: Some("c2".into()),
        skipped: 20,
    };
    let fx = answer_first(&mut a, &fx, page);
    assert!(
        fx.iter().any(|e| matches!(
            e,
            Effect::LoadFeed { cursor: Some(c), kind: Loading::More, .. } if c == "c2"
        )),
        "{fx:?}"
    );
}
