//! The undo window: a like or medal is shown at once, sent when the
//! window ends, taken back by `u` (nothing sent), replaced by another
//! press on the same post, and sent (with the quit waiting for its answer)
//! when the user quits.

use super::super::testing::{key, status_text, t0, TestApp};
use super::super::*;
use crate::api::*;
use chrono::Duration;

/// An app with a 3 s undo window, `me` known, the first page loaded.
fn undo_app() -> App {
    TestApp::new()
        .options(Options {
            undo_secs: 3,
            ..Options::default()
        })
        .with_me()
        .build()
}

fn votes(fx: &[Effect]) -> Vec<(String, Medal)> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Vote { post_id, medal, .. } => Some((post_id.clone(), medal.clone())),
            _ => None,
        })
        .collect()
}

fn likes(fx: &[Effect]) -> usize {
    fx.iter()
        .filter(|e| matches!(e, Effect::ToggleLike { .. }))
        .count()
}

fn quits(fx: &[Effect]) -> bool {
    fx.iter().any(|e| matches!(e, Effect::Quit))
}

#[test]
fn a_medal_is_shown_at_once_and_sent_when_the_window_ends() {
    let mut app = undo_app();
    let fx = app.update(key("g"), t0());
    assert!(votes(&fx).is_empty(), "sent at once: {fx:?}");
    let p = app.post("p0").unwrap();
    assert_eq!(p.agent_medal, Some(Medal::Gold));
    assert_eq!(p.stats.medals.gold, 1);
    assert_eq!(
        status_text(&app),
        "Gold medal for @other-h: sending in 3 s · u takes it back."
    );
    assert_eq!(app.next_wake().unwrap(), t0() + Duration::seconds(1));
    let fx = app.update(Msg::Tick, t0() + Duration::seconds(1));
    assert!(votes(&fx).is_empty());
    assert_eq!(
        status_text(&app),
        "Gold medal for @other-h: sending in 2 s · u takes it back."
    );
    let fx = app.update(Msg::Tick, t0() + Duration::seconds(3));
    assert_eq!(votes(&fx), vec![("p0".to_string(), Medal::Gold)]);
    // Sent once: later updates send nothing more.
    let fx = app.update(Msg::Tick, t0() + Duration::seconds(9));
    assert!(votes(&fx).is_empty());
}

#[test]
fn u_takes_the_medal_back_and_nothing_is_sent() {
    let mut app = undo_app();
    app.update(key("g"), t0());
    let fx = app.update(key("u"), t0() + Duration::seconds(2));
    assert!(votes(&fx).is_empty());
    let p = app.post("p0").unwrap();
    assert_eq!(p.agent_medal, None);
    assert_eq!(p.stats.medals.gold, 0);
    assert_eq!(app.quota.medals_used(app.server_now()), 0);
    assert_eq!(
        status_text(&app),
        "Took back the gold medal: nothing was sent."
    );
    for s in [3, 5, 60] {
        let fx = app.update(Msg::Tick, t0() + Duration::seconds(s));
        assert!(votes(&fx).is_empty(), "at {s} s: {fx:?}");
    }
    // Nothing left to take back.
    app.update(key("u"), t0() + Duration::seconds(61));
    assert!(
        status_text(&app).starts_with("Nothing to take back"),
        "{}",
        status_text(&app)
    );
}

#[test]
fn another_medal_replaces_the_waiting_one_and_a_second_like_cancels() {
    let mut app = undo_app();
    app.update(key("g"), t0());
    app.update(key("s"), t0() + Duration::seconds(2));
    let p = app.post("p0").unwrap();
    assert_eq!(p.agent_medal, Some(Medal::Silver));
    assert_eq!((p.stats.medals.gold, p.stats.medals.silver), (0, 1));
    assert_eq!(app.quota.medals_used(app.server_now()), 1);
    // The window starts again for the silver one.
    assert!(votes(&app.update(Msg::Tick, t0() + Duration::seconds(4))).is_empty());
    let fx = app.update(Msg::Tick, t0() + Duration::seconds(5));
    assert_eq!(votes(&fx), vec![("p0".to_string(), Medal::Silver)]);

    app.update(key("l"), t0() + Duration::seconds(10));
    assert!(app.post("p0").unwrap().agent_liked);
    let fx = app.update(key("l"), t0() + Duration::seconds(11));
    assert_eq!(likes(&fx), 0);
    assert!(!app.post("p0").unwrap().agent_liked);
    assert_eq!(status_text(&app), "Took back the like: nothing was sent.");
    assert_eq!(
        likes(&app.update(Msg::Tick, t0() + Duration::seconds(20))),
        0
    );
}

#[test]
fn quitting_sends_what_waits_and_quits_when_it_is_answered() {
    let mut app = undo_app();
    app.update(key("b"), t0());
    let fx = app.update(key("q"), t0() + Duration::seconds(1));
    assert_eq!(votes(&fx), vec![("p0".to_string(), Medal::Bronze)]);
    assert!(!quits(&fx) && !app.should_quit);
    assert!(status_text(&app).starts_with("Quitting once the server has answered 1 write"));
    let request = match fx.iter().find(|e| matches!(e, Effect::Vote { .. })) {
        Some(Effect::Vote { request, .. }) => *request,
        _ => unreachable!(),
    };
    let answer = Msg::Vote {
        post_id: "p0".into(),
        request,
        result: Ok(VoteResponse {
            post_id: "p0".into(),
            medal_type: Some(Medal::Bronze),
            ai_medals: MedalCounts::default(),
        }),
    };
    let fx = app.update(answer, t0() + Duration::seconds(2));
    assert!(quits(&fx) && app.should_quit);
}

#[test]
fn a_quit_waits_at_most_its_limit_and_a_second_quit_is_at_once() {
    let mut app = undo_app();
    app.update(key("g"), t0());
    app.update(key("q"), t0());
    let deadline = t0() + Duration::seconds(super::QUIT_WAIT_SECS);
    assert!(app.next_wake().unwrap() <= deadline);
    assert!(!quits(
        &app.update(Msg::Tick, deadline - Duration::seconds(1))
    ));
    assert!(quits(&app.update(Msg::Tick, deadline)));

    let mut app = undo_app();
    app.update(key("g"), t0());
    app.update(key("q"), t0());
    assert!(quits(&app.update(key("q"), t0())));
}

#[test]
fn with_the_window_off_writes_go_at_once() {
    let mut app = TestApp::new().with_me().build();
    let fx = app.update(key("g"), t0());
    assert_eq!(votes(&fx).len(), 1);
    app.update(key("u"), t0());
    assert!(
        status_text(&app).contains("undo_secs = 0"),
        "{}",
        status_text(&app)
    );
    // The medal is on its way: the quit waits for its answer.
    assert!(!quits(&app.update(key("q"), t0())));
    assert!(
        status_text(&app).starts_with("Quitting once"),
        "{}",
        status_text(&app)
    );
}
