//! The post composer's draft: saved like comment drafts (under
//! `NEW_POST_KEY`, within `SAVE_DELAY` of a change), restored into the
//! composer for the next `P` with its file checked again, kept after a
//! refusal, gone after an accepted post; a scheduled post refreshes latest
//! at its time without a key.

use super::autosave::SAVE_DELAY;
use super::testing::{feed_msg, item, key, loads, page, status_text, t0, typed, TestApp};
use super::{Effect, Loading, Mode, Msg, PostField};
use crate::api::{ApiError, PostCreated, PostResponse, PostScheduled};
use crate::drafts::{Drafts, PostDraft, NEW_POST_KEY};
use chrono::Duration;
use std::collections::BTreeMap;

fn saves(fx: &[Effect]) -> Vec<Drafts> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::SaveDrafts(d) => Some(d.clone()),
            _ => None,
        })
        .collect()
}

/// The post request among `fx`.
fn post_request(fx: &[Effect]) -> Option<u64> {
    fx.iter().find_map(|e| match e {
        Effect::Post { request, .. } => Some(*request),
        _ => None,
    })
}

/// An app with the composer holding a URL (no file check) and `caption`,
/// sent: returns the app and the post's request number.
fn sent(caption: &str) -> (super::App, u64) {
    let mut app = TestApp::new().with_me().build();
    app.update(typed('P'), t0());
    let c = app.post_composer.as_mut().unwrap();
    c.set_text(PostField::Source, "https://example.com/a.png");
    c.set_text(PostField::Caption, caption);
    let fx = app.update(key("ctrl-s"), t0());
    let request = post_request(&fx).unwrap_or_else(|| panic!("{}", status_text(&app)));
    (app, request)
}

#[test]
fn typing_in_the_composer_is_saved_as_the_new_post_draft() {
    let mut app = TestApp::new().build();
    app.update(typed('P'), t0());
    assert_eq!(app.mode, Mode::Post);
    let mut all = Vec::new();
    for ch in "~/a.png".chars() {
        all.extend(saves(&app.update(typed(ch), t0())));
    }
    app.update(key("enter"), t0()); // to the caption
    for ch in "hello".chars() {
        all.extend(saves(&app.update(typed(ch), t0())));
    }
    assert!(all.is_empty(), "nothing saved while the burst lasts");
    let saved = saves(&app.update(Msg::Tick, t0() + SAVE_DELAY));
    assert_eq!(saved.len(), 1);
    let body = saved[0].get(NEW_POST_KEY).expect("the post draft is saved");
    let d = PostDraft::from_body(body);
    assert_eq!(
        (d.source.as_str(), d.caption.as_str()),
        ("~/a.png", "hello")
    );
    assert_eq!(saved[0].open(), None, "no comment editor open");
    // Esc keeps it, and the kept composer is still saved.
    app.update(key("esc"), t0() + SAVE_DELAY);
    assert!(app.drafts_to_save().contains_key(NEW_POST_KEY));
}

#[test]
fn a_restored_post_draft_comes_back_on_p_with_its_file_checked() {
    let mut app = TestApp::new().build();
    let d = PostDraft {
        source: "/tmp/pic.png".into(),
        caption: "kept caption".into(),
        tags: "a, b".into(),
        schedule: String::new(),
    };
    let mut map = BTreeMap::new();
    map.insert(NEW_POST_KEY.to_string(), d.to_body());
    map.insert("p1".to_string(), "a comment".to_string());
    app.restore_drafts(map, None);
    assert_eq!(app.mode, Mode::Feed);
    let s = status_text(&app);
    assert!(
        s.contains("1 unsent comment") && s.contains("unsent post is kept (P continues it)"),
        "{s}"
    );
    assert!(
        !app.drafts.contains_key(NEW_POST_KEY),
        "not a comment draft"
    );
    assert!(app.has_draft("p1"));
    // Nothing changed: nothing written again.
    assert!(saves(&app.update(Msg::Tick, t0() + SAVE_DELAY)).is_empty());
    let fx = app.update(typed('P'), t0() + SAVE_DELAY);
    assert_eq!(app.mode, Mode::Post);
    assert_eq!(app.post_composer.as_ref().unwrap().to_draft(), d);
    assert!(
        fx.iter().any(
            |e| matches!(e, Effect::CheckImage { typed, reencode: false, .. } if typed == "/tmp/pic.png")
        ),
        "the kept file is checked again for its preview: {fx:?}"
    );
}

#[test]
fn a_refused_post_keeps_its_draft_and_an_accepted_one_clears_it() {
    let (mut app, request) = sent("first try");
    let t1 = t0() + Duration::seconds(1);
    let mut saved = saves(&app.update(
        Msg::Posted {
            request,
            result: Err(ApiError::Network("connection reset".into())),
        },
        t1,
    ));
    assert_eq!(app.mode, Mode::Post);
    saved.extend(saves(&app.update(Msg::Tick, t1 + SAVE_DELAY)));
    let last = saved.last().expect("saved");
    let body = last.get(NEW_POST_KEY).expect("kept after the refusal");
    assert_eq!(PostDraft::from_body(body).caption, "first try");
    // Sent again and accepted: the draft row goes.
    let t2 = t1 + SAVE_DELAY;
    let fx = app.update(key("ctrl-s"), t2);
    let request = post_request(&fx).unwrap();
    app.update(
        Msg::Posted {
            request,
            result: Ok(PostResponse::Created(PostCreated {
                post_id: "new1".into(),
                post_url: "http://x/p/new1".into(),
                ..PostCreated::default()
            })),
        },
        t2,
    );
    assert!(app.post_composer.is_none());
    let saved = saves(&app.update(Msg::Tick, t2 + SAVE_DELAY));
    assert_eq!(saved.len(), 1);
    assert!(saved[0].get(NEW_POST_KEY).is_none(), "{:?}", saved[0]);
}

/// A post scheduled 30 s after t0 (id `s1`), the reload after it
/// answered with posts 0..3: returns the app and the publish time.
fn scheduled() -> (super::App, chrono::DateTime<chrono::Utc>) {
    let (mut app, request) = sent("later");
    let at = t0() + Duration::seconds(30);
    app.update(
        Msg::Posted {
            request,
            result: Ok(PostResponse::Scheduled(PostScheduled {
                scheduled: true,
                scheduled_post_id: "s1".into(),
                publish_at: Some(at.into()),
            })),
        },
        t0(),
    );
    assert!(
        status_text(&app).contains("scheduled for"),
        "{}",
        status_text(&app)
    );
    let generation = app.latest.generation();
    app.update(feed_msg(generation, Loading::First, page(0..3, None)), t0());
    let wake = app.next_wake().unwrap();
    assert!(wake <= at + Duration::seconds(1), "{wake}");
    // Before the time nothing is read.
    let early = app.update(Msg::Tick, at - Duration::seconds(1));
    assert!(loads(&early).is_empty(), "{early:?}");
    (app, at)
}

#[test]
fn a_scheduled_post_is_read_and_selected_at_its_time_from_the_top() {
    let (mut app, at) = scheduled();
    let fx = app.update(Msg::Tick, at + Duration::seconds(1));
    assert_eq!(loads(&fx), [(None, Loading::First)], "{fx:?}");
    assert!(
        status_text(&app).contains("published"),
        "{}",
        status_text(&app)
    );
    // The page with it on top selects it.
    let mut p = page(0..3, None);
    let mut mine = item(9);
    mine.id = "s1".into();
    p.items.insert(0, mine);
    app.update(feed_msg(app.latest.generation(), Loading::First, p), at);
    assert_eq!(app.selected().map(|p| p.id.as_str()), Some("s1"));
    // Once: no second read for it.
    let later = app.update(Msg::Tick, at + Duration::seconds(5));
    assert!(loads(&later).is_empty(), "{later:?}");
}

#[test]
fn a_scheduled_post_joins_as_new_while_reading_further_down() {
    let (mut app, at) = scheduled();
    app.update(typed('j'), at);
    let fx = app.update(Msg::Tick, at + Duration::seconds(1));
    assert_eq!(loads(&fx), [(None, Loading::Merge)], "{fx:?}");
    let s = status_text(&app);
    assert!(s.contains("t goes to the top"), "{s}");
}

#[test]
fn keys_typed_while_a_path_completion_is_awaited_land_after_it() {
    let mut app = TestApp::new().build();
    app.update(typed('P'), t0());
    for ch in "~/horse.png".chars() {
        app.update(typed(ch), t0());
    }
    // A burst: Tab, a caption, Tab, tags; all before the completion answers.
    let fx = app.update(key("tab"), t0());
    assert!(fx
        .iter()
        .any(|e| matches!(e, Effect::CompletePath { typed } if typed == "~/horse.png")));
    for ch in "cap".chars() {
        app.update(typed(ch), t0());
    }
    app.update(key("tab"), t0());
    for ch in "tg".chars() {
        app.update(typed(ch), t0());
    }
    let text = |app: &super::App, f| app.post_composer.as_ref().unwrap().text(f);
    assert_eq!(
        text(&app, PostField::Source),
        "~/horse.png",
        "held, not typed"
    );
    app.update(
        Msg::PathCompleted {
            typed: "~/horse.png".into(),
            done: "~/horse.png".into(),
            many: Vec::new(),
        },
        t0(),
    );
    assert_eq!(text(&app, PostField::Source), "~/horse.png");
    assert_eq!(text(&app, PostField::Caption), "cap");
    assert_eq!(text(&app, PostField::Tags), "tg");
    // Nothing is held once the answer came: keys go straight in.
    app.update(typed('x'), t0());
    assert_eq!(text(&app, PostField::Tags), "tgx");
}
