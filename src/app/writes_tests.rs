//! The one write lifecycle, the same for a like, a medal and a comment:
//! applied at once, stale answers dropped, rolled back and remembered for
//! `R` on failure, a `retry_after` turned into a block with a countdown.

use super::super::testing::{connect, ctrl, key, status_text, t0, typed, TestApp};
use super::super::*;
use crate::api::*;
use chrono::Duration;

/// The three kinds, each started on the selected post of a fresh app;
/// returns the app, the effect sent and the request number.
fn started(kind: WriteKind) -> (App, Effect, u64) {
    let mut app = TestApp::new().with_me().build();
    let fx = match kind {
        WriteKind::Like => app.update(key("l"), t0()),
        WriteKind::Medal => app.update(key("g"), t0()),
        WriteKind::Comment => {
            app.update(key("c"), t0());
            app.update(typed('h'), t0());
            app.update(typed('i'), t0());
            app.update(ctrl('s'), t0())
        }
    };
    let request = match fx.first() {
        Some(Effect::ToggleLike { request, .. })
        | Some(Effect::Vote { request, .. })
        | Some(Effect::Comment { request, .. }) => *request,
        other => panic!("{kind:?}: {other:?}"),
    };
    (app, fx[0].clone(), request)
}

/// The server's answer of `kind` to request `request` on `p0`.
fn answer(kind: WriteKind, request: u64, result: Result<(), ApiError>) -> Msg {
    let post_id = "p0".to_string();
    match kind {
        WriteKind::Like => Msg::Like {
            post_id: post_id.clone(),
            request,
            result: result.map(|()| LikeResponse {
                post_id,
                liked: true,
                likes: 1,
            }),
        },
        WriteKind::Medal => Msg::Vote {
            post_id: post_id.clone(),
            request,
            result: result.map(|()| VoteResponse {
                post_id,
                medal_type: Some(Medal::Gold),
                ai_medals: MedalCounts {
                    gold: 1,
                    silver: 0,
                    bronze: 0,
                },
            }),
        },
        WriteKind::Comment => Msg::Comment {
            post_id,
            request,
            result: result.map(|()| Comment::default()),
        },
    }
}

/// What the post shows of a write of `kind` (liked / medal given).
fn shown(app: &App, kind: WriteKind) -> bool {
    let p = app.post("p0").expect("p0 loaded");
    match kind {
        WriteKind::Like => p.agent_liked && p.stats.likes == 1,
        WriteKind::Medal => p.agent_medal == Some(Medal::Gold) && p.stats.medals.gold == 1,
        WriteKind::Comment => app.composer.as_ref().is_some_and(|c| c.sending.is_some()),
    }
}

/// `R` on the main screen (a comment's editor is closed first, its text
/// kept as the draft: in the editor, R is typed).
fn retry(app: &mut App, kind: WriteKind) -> Vec<Effect> {
    if kind == WriteKind::Comment {
        app.update(key("esc"), t0());
        app.update(key("k"), t0());
    }
    app.update(key("R"), t0())
}

const KINDS: [WriteKind; 3] = [WriteKind::Like, WriteKind::Medal, WriteKind::Comment];

#[test]
fn every_write_is_shown_at_once_and_waits_for_its_answer() {
    for kind in KINDS {
        let (mut app, _, request) = started(kind);
        assert!(shown(&app, kind), "{kind:?} applied at once");
        // Asked again while waiting: nothing is sent.
        let again = match kind {
            WriteKind::Like => app.update(key("l"), t0()),
            WriteKind::Medal => app.update(key("s"), t0()),
            WriteKind::Comment => app.update(ctrl('s'), t0()),
        };
        assert!(
            !again.iter().any(|e| matches!(
                e,
                Effect::ToggleLike { .. } | Effect::Vote { .. } | Effect::Comment { .. }
            )),
            "{kind:?}: {again:?}"
        );
        // A stale answer (another request number) changes nothing.
        app.update(answer(kind, request + 100, Err(net())), t0());
        assert!(shown(&app, kind), "{kind:?} kept after a stale answer");
        assert!(app.last_failed().is_none());
    }
}

fn net() -> ApiError {
    ApiError::Network("connection refused".into())
}

#[test]
fn every_failed_write_is_rolled_back_and_remembered_for_r() {
    for kind in KINDS {
        let (mut app, sent, request) = started(kind);
        app.update(answer(kind, request, Err(net())), t0());
        assert!(!shown(&app, kind), "{kind:?} rolled back");
        let failed = app.last_failed().cloned().expect("remembered");
        assert_eq!(failed.kind(), kind);
        assert_eq!(failed.post_id(), "p0");
        let s = app.status.clone().expect("status");
        assert_eq!(s.level, Level::Error);
        // The key that sends it again is offered where it works.
        let want = if kind == WriteKind::Comment && app.composer.is_some() {
            Action::Send
        } else {
            Action::Retry
        };
        let offered = app.status_offer().map(|(_, a)| a);
        assert_eq!(offered, Some(want), "{kind:?}: {}", s.text);
        // R sends the same write again, once.
        let fx = retry(&mut app, kind);
        let same = match (&sent, fx.first()) {
            (
                Effect::ToggleLike { post_id: a, .. },
                Some(Effect::ToggleLike { post_id: b, .. }),
            ) => a == b,
            (
                Effect::Vote {
                    post_id: a,
                    medal: m,
                    ..
                },
                Some(Effect::Vote {
                    post_id: b,
                    medal: n,
                    ..
                }),
            ) => a == b && m == n,
            (
                Effect::Comment {
                    post_id: a,
                    body: x,
                    ..
                },
                Some(Effect::Comment {
                    post_id: b,
                    body: y,
                    ..
                }),
            ) => a == b && x == y,
            _ => false,
        };
        assert!(same, "{kind:?}: sent {sent:?}, R sent {fx:?}");
        assert!(app.last_failed().is_none());
    }
}

#[test]
fn every_success_confirms_and_forgets_the_failure() {
    for kind in KINDS {
        let (mut app, _, request) = started(kind);
        app.update(answer(kind, request, Err(net())), t0());
        // A failed medal reads `me` again (its gauge counted it): answered.
        let me = Me {
            server_time: Some(t0().into()),
            quotas: connect().quotas,
            ..Default::default()
        };
        app.update(Msg::Me(Ok(me)), t0());
        let fx = retry(&mut app, kind);
        let request = match fx.first() {
            Some(Effect::ToggleLike { request, .. })
            | Some(Effect::Vote { request, .. })
            | Some(Effect::Comment { request, .. }) => *request,
            other => panic!("{kind:?}: {other:?}"),
        };
        let fx = app.update(answer(kind, request, Ok(())), t0());
        assert!(fx.contains(&Effect::FetchMe), "{kind:?}: quotas read again");
        assert!(app.last_failed().is_none());
        match kind {
            WriteKind::Comment => {
                let p = app.post("p0").expect("p0");
                assert_eq!(p.stats.comments, 1);
                assert!(app.composer.is_none(), "editor closed");
            }
            _ => assert!(shown(&app, kind), "{kind:?} confirmed"),
        }
    }
}

#[test]
fn a_retry_after_blocks_that_kind_of_write_with_a_countdown() {
    let waits = [
        (
            WriteKind::Like,
            "Rate limited: likes are possible again in 30 s.",
        ),
        (WriteKind::Medal, "Medal quota used: next medal in 30 s."),
        (
            WriteKind::Comment,
            "Comment cooldown: next comment in 30 s. Your text is kept.",
        ),
    ];
    for (kind, sentence) in waits {
        let (mut app, _, request) = started(kind);
        let quota = match kind {
            WriteKind::Medal => Quota::Medals,
            WriteKind::Comment => Quota::Comments,
            WriteKind::Like => Quota::Other,
        };
        let e = ApiError::from_code("RATE_LIMITED", 429, "slow down", Some(30), quota);
        app.update(answer(kind, request, Err(e)), t0());
        assert!(!shown(&app, kind), "{kind:?} rolled back");
        let s = app.status.clone().expect("status");
        assert_eq!(s.text, sentence);
        assert!(s.countdown.is_some(), "{kind:?} counts down");
        let t = app.server_now();
        assert_eq!(
            app.quota.blocked_until(kind, t),
            Some(t.plus_secs(30)),
            "{kind:?} blocked in the quota state"
        );
        // 10 s later, asking again is refused locally with the time left.
        let later = t0() + Duration::seconds(10);
        let fx = match kind {
            WriteKind::Like => app.update(key("l"), later),
            WriteKind::Medal => app.update(key("g"), later),
            WriteKind::Comment => app.update(ctrl('s'), later),
        };
        assert!(
            !fx.iter().any(|e| matches!(
                e,
                Effect::ToggleLike { .. } | Effect::Vote { .. } | Effect::Comment { .. }
            )),
            "{kind:?}: {fx:?}"
        );
        let text = status_text(&app);
        assert!(text.contains("in 20 s."), "{kind:?}: {text}");
    }
}
