//! The triage queue and its outbox: the walk (oldest first, not mine,
//! not medalled), decisions into the outbox, the medal window draining
//! it, undo, refusals reported per post and never sent again, a full
//! window on the server put back at the head, and a restart's outbox.

use super::outbox::OUTBOX_ME_SECS;
use super::testing::{key, status_text, t0, TestApp, ME};
use super::*;
use crate::api::*;
use crate::store::{OutboxChange, Queued};
use chrono::Duration;

fn votes(fx: &[Effect]) -> Vec<(String, Medal, u64)> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Vote {
                post_id,
                medal,
                request,
            } => Some((post_id.clone(), medal.clone(), *request)),
            _ => None,
        })
        .collect()
}

fn saved(fx: &[Effect]) -> Vec<OutboxChange> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::OutboxSave(c) => Some(c.clone()),
            _ => None,
        })
        .flatten()
        .collect()
}

fn ok(post_id: &str, request: u64, medal: Medal) -> Msg {
    Msg::Vote {
        post_id: post_id.into(),
        request,
        result: Ok(VoteResponse {
            post_id: post_id.into(),
            medal_type: Some(medal),
            ai_medals: MedalCounts::default(),
        }),
    }
}

fn refused(post_id: &str, request: u64, e: ApiError) -> Msg {
    Msg::Vote {
        post_id: post_id.into(),
        request,
        result: Err(e),
    }
}

/// 20 posts p0 (newest) .. p19 (oldest) by someone else, `me` known, no
/// undo window.
fn app() -> App {
    TestApp::new().viewport(160, 45).with_me().build()
}

fn current(app: &App) -> String {
    app.triage
        .as_ref()
        .and_then(|t| t.current.clone())
        .unwrap_or_default()
}

#[test]
fn t_opens_on_the_oldest_unmedalled_post_not_mine_with_the_post_pane_large() {
    let mut app = TestApp::new()
        .viewport(160, 45)
        .with_me()
        .first_page(Some(FeedPage {
            items: (0..6)
                .map(|n| {
                    let mut p = super::testing::item(n);
                    if n == 5 {
                        p.author.id = ME.into(); // mine: never triaged
                    }
                    if n == 4 {
                        p.agent_medal = Some(Medal::Bronze); // already medalled
                    }
                    p
                })
                .collect(),
            next_cursor: None,
            skipped: 0,
        }))
        .build();
    app.update(key("T"), t0());
    assert_eq!(app.mode, Mode::Triage);
    assert!(app.zoom_post, "the post pane fills the body");
    assert_eq!(current(&app), "p3");
    assert_eq!(app.selected().unwrap().id, "p3");
    let p = app.triage_progress().unwrap();
    assert_eq!((p.at, p.total, p.order), (1, 4, "oldest first"));
    app.update(key("n"), t0());
    assert_eq!(current(&app), "p2", "skip goes on");
    assert_eq!(app.triage_progress().unwrap().at, 2);
    // Rising order walks the rising list.
    app.update(key("esc"), t0());
    assert_eq!(app.mode, Mode::Feed);
    assert!(!app.zoom_post, "the pane size is put back");
}

#[test]
fn fifteen_decisions_send_ten_and_keep_five_until_the_window_frees() {
    let mut app = app();
    app.update(key("T"), t0());
    let mut sent = Vec::new();
    let mut puts = 0;
    for i in 0..15 {
        let t = t0() + Duration::seconds(i);
        let fx = app.update(key(["g", "s", "b"][i as usize % 3]), t);
        puts += saved(&fx)
            .iter()
            .filter(|c| matches!(c, OutboxChange::Put(_)))
            .count();
        sent.extend(votes(&fx));
    }
    assert_eq!(puts, 15, "every decision is kept in the store");
    assert_eq!(sent.len(), 10, "the window holds ten");
    assert_eq!(sent[0].0, "p19", "oldest first");
    assert_eq!(app.outbox.waiting(), 5);
    assert_eq!(app.outbox.len(), 15, "ten on their way, five waiting");
    assert!(
        status_text(&app)
            .starts_with("Medal window full: 5 medals wait in the outbox, the next goes in "),
        "{}",
        status_text(&app)
    );
    // The answers come: ten are done (removed from the store).
    let t = t0() + Duration::seconds(15);
    let mut removed = 0;
    for (id, medal, request) in &sent {
        let fx = app.update(ok(id, *request, medal.clone()), t);
        removed += saved(&fx)
            .iter()
            .filter(|c| matches!(c, OutboxChange::Remove(_)))
            .count();
        assert!(
            votes(&fx).is_empty(),
            "nothing more before the window frees"
        );
    }
    assert_eq!(removed, 10);
    assert_eq!(app.outbox.len(), 5);
    // The first medal leaves the window 60 s after it was sent: one goes.
    let wake = app.next_wake().unwrap();
    assert!(wake <= t0() + Duration::seconds(60), "{wake}");
    let fx = app.update(Msg::Tick, t0() + Duration::seconds(60));
    let next = votes(&fx);
    assert_eq!(next.len(), 1, "{fx:?}");
    let fx = app.update(Msg::Tick, t0() + Duration::seconds(70));
    assert_eq!(votes(&fx).len(), 4, "the rest as the window frees");
    assert_eq!(app.outbox.waiting(), 0);
}

#[test]
fn undo_takes_back_a_waiting_decision_and_shows_its_post_again() {
    let mut app = app();
    app.update(key("T"), t0());
    for _ in 0..10 {
        app.update(key("g"), t0());
    }
    let fx = app.update(key("s"), t0());
    assert!(votes(&fx).is_empty(), "the eleventh waits");
    assert_eq!(app.outbox.waiting(), 1);
    assert_eq!(current(&app), "p8");
    let fx = app.update(key("u"), t0());
    assert_eq!(saved(&fx), [OutboxChange::Remove("p9".into())]);
    assert_eq!(app.outbox.waiting(), 0);
    assert_eq!(current(&app), "p9", "back on the post");
    assert_eq!(app.selected().unwrap().id, "p9");
    assert_eq!(
        status_text(&app),
        "Took back the silver medal for @other-h: nothing was sent."
    );
    // A sent one cannot be taken back; its post is shown again anyway.
    app.update(key("n"), t0());
    app.update(key("u"), t0());
    assert_eq!(
        status_text(&app),
        "Back to the post for @other-h you skipped."
    );
    app.update(key("u"), t0());
    assert_eq!(current(&app), "p10");
}

#[test]
fn a_decision_in_the_undo_window_is_taken_back_by_undo() {
    let mut app = TestApp::new()
        .viewport(160, 45)
        .options(Options {
            undo_secs: 3,
            ..Options::default()
        })
        .with_me()
        .build();
    app.update(key("T"), t0());
    let fx = app.update(key("g"), t0());
    assert!(votes(&fx).is_empty(), "held for the undo window");
    assert_eq!(app.post("p19").unwrap().agent_medal, Some(Medal::Gold));
    let fx = app.update(key("u"), t0() + Duration::seconds(1));
    assert_eq!(saved(&fx), [OutboxChange::Remove("p19".into())]);
    assert!(app.outbox.is_empty());
    assert_eq!(app.post("p19").unwrap().agent_medal, None, "put back");
    let fx = app.update(Msg::Tick, t0() + Duration::seconds(5));
    assert!(votes(&fx).is_empty(), "nothing was sent");
}

#[test]
fn a_refusal_is_reported_for_its_post_and_never_sent_again() {
    let mut app = app();
    app.update(key("T"), t0());
    let fx = app.update(key("g"), t0());
    let (id, _, request) = votes(&fx).remove(0);
    let e = ApiError::from_code(
        "CANNOT_MEDAL_OWN_POST",
        403,
        "own post",
        None,
        error::Quota::Other,
    );
    let fx = app.update(refused(&id, request, e), t0());
    assert_eq!(saved(&fx), [OutboxChange::Remove(id.clone())]);
    assert!(app.outbox.is_empty());
    let r: Vec<_> = app.outbox.refused().collect();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].queued.post_id, id);
    for s in 1..5 {
        let fx = app.update(Msg::Tick, t0() + Duration::seconds(s * 30));
        assert!(votes(&fx).is_empty(), "not sent again");
    }
}

#[test]
fn a_full_window_on_the_server_puts_the_decision_back_at_the_head() {
    let mut app = app();
    app.update(key("T"), t0());
    let fx = app.update(key("b"), t0());
    let (id, _, request) = votes(&fx).remove(0);
    let e = ApiError::from_code("RATE_LIMITED", 429, "slow", Some(20), error::Quota::Medals);
    let fx = app.update(refused(&id, request, e), t0());
    assert!(saved(&fx).is_empty(), "still kept in the store");
    assert_eq!(app.outbox.waiting(), 1);
    let fx = app.update(Msg::Tick, t0() + Duration::seconds(10));
    assert!(votes(&fx).is_empty(), "blocked for 20 s");
    let fx = app.update(Msg::Tick, t0() + Duration::seconds(21));
    assert_eq!(votes(&fx).len(), 1, "sent once the block ends");
}

#[test]
fn a_restarted_outbox_is_sent_once_connected() {
    let q = |id: &str, medal| Queued {
        post_id: id.into(),
        medal,
        author: "other-h".into(),
        queued_at: 1,
    };
    // Not connected yet: nothing goes.
    let mut waiting = App::connecting(
        Options::default(),
        crate::keymap::Keymap::default(),
        t0(),
        (160, 45),
    );
    waiting.restore_outbox(vec![q("p3", Medal::Gold)]);
    let fx = waiting.update(Msg::Tick, t0());
    assert!(votes(&fx).is_empty(), "who we are is not known yet");

    let mut app = app();
    app.restore_outbox(vec![q("p3", Medal::Gold), q("p4", Medal::Silver)]);
    assert!(status_text(&app).starts_with("2 medals decided in the triage queue still wait"));
    let fx = app.update(Msg::Tick, t0());
    let sent: Vec<_> = votes(&fx).into_iter().map(|v| (v.0, v.1)).collect();
    assert_eq!(
        sent,
        [
            ("p3".to_string(), Medal::Gold),
            ("p4".to_string(), Medal::Silver)
        ]
    );
}

#[test]
fn a_medal_given_in_the_feed_wins_over_a_waiting_decision_only_when_it_goes() {
    let mut app = app();
    app.update(key("T"), t0());
    for _ in 0..11 {
        app.update(key("g"), t0());
    }
    assert_eq!(app.outbox.waiting(), 1, "p9 waits");
    app.update(key("esc"), t0());
    for _ in 0..20 {
        if app.selected().unwrap().id == "p9" {
            break;
        }
        app.update(key("j"), t0());
    }
    assert_eq!(app.selected().unwrap().id, "p9");
    // The window is full: the feed's key is refused, the decision stays.
    app.update(key("b"), t0());
    assert!(app.outbox.get("p9").is_some());
    // Once the window frees the feed's bronze goes and the gold is dropped.
    let t = t0() + Duration::seconds(60);
    let fx = app.update(key("b"), t);
    let sent: Vec<_> = votes(&fx).into_iter().map(|v| (v.0, v.1)).collect();
    assert_eq!(sent, [("p9".to_string(), Medal::Bronze)], "{fx:?}");
    assert!(app.outbox.get("p9").is_none());
}

fn me_answer(used: u32) -> Msg {
    let mut quotas = super::testing::connect().quotas;
    quotas.medals.used = used;
    Msg::Me(Ok(Me {
        server_time: None,
        quotas,
        ..Default::default()
    }))
}

/// Tryout: with the undo window, `me` answered after the first medal
/// counted only what the server had, so the medals still held seemed to
/// have left the window and five more were sent into a 429 each.
#[test]
fn medals_held_in_the_undo_window_stay_in_the_window_when_me_answers() {
    let mut app = TestApp::new()
        .viewport(160, 45)
        .options(Options {
            undo_secs: 3,
            ..Options::default()
        })
        .with_me()
        .build();
    app.update(key("T"), t0());
    for _ in 0..15 {
        assert!(votes(&app.update(key("g"), t0())).is_empty(), "held");
    }
    let fx = app.update(Msg::Tick, t0() + Duration::seconds(3));
    let sent = votes(&fx);
    assert_eq!(sent.len(), 10);
    let (id, medal, request) = sent[0].clone();
    let t = t0() + Duration::seconds(4);
    app.update(ok(&id, request, medal), t);
    // The server has counted one; nine are on their way.
    let fx = app.update(me_answer(1), t);
    assert!(votes(&fx).is_empty(), "nothing more: {fx:?}");
    let fx = app.update(Msg::Tick, t0() + Duration::seconds(30));
    assert!(votes(&fx).is_empty(), "the window is still full");
    // The first left the window a minute after it was sent (not shown).
    let fx = app.update(Msg::Tick, t0() + Duration::seconds(62));
    assert!(votes(&fx).is_empty(), "sent at 3 s, so it leaves at 63 s");
    let fx = app.update(Msg::Tick, t0() + Duration::seconds(63));
    assert_eq!(votes(&fx).len(), 0, "held again for the undo window");
    let fx = app.update(Msg::Tick, t0() + Duration::seconds(66));
    assert_eq!(
        votes(&fx).len(),
        5,
        "the five waiting, after their undo window"
    );
}

/// Tryout: after a restart the medals in the window are the server's
/// count only; `me` is read every few seconds until they leave.
#[test]
fn a_window_full_of_an_earlier_run_s_medals_is_read_again_soon() {
    let mut c = super::testing::connect();
    c.quotas.medals.used = 10;
    let mut app = TestApp::new().connect(c).viewport(160, 45).build();
    app.restore_outbox(vec![Queued {
        post_id: "p3".into(),
        medal: Medal::Gold,
        author: "other-h".into(),
        queued_at: 1,
    }]);
    let fx = app.update(me_answer(10), t0());
    assert!(votes(&fx).is_empty());
    let wake = app.next_wake().unwrap();
    assert!(wake <= t0() + Duration::seconds(OUTBOX_ME_SECS), "{wake}");
    let fx = app.update(Msg::Tick, t0() + Duration::seconds(OUTBOX_ME_SECS));
    assert!(fx.iter().any(|e| matches!(e, Effect::FetchMe)), "{fx:?}");
    // The server's window is empty now: the medal goes.
    let fx = app.update(me_answer(0), t0() + Duration::seconds(OUTBOX_ME_SECS));
    assert_eq!(votes(&fx).len(), 1, "{fx:?}");
}

/// Tryout: quitting with medals in the outbox said nothing.
#[test]
fn the_quit_key_says_once_that_medals_wait_in_the_outbox() {
    let mut app = app();
    app.update(key("T"), t0());
    for _ in 0..12 {
        app.update(key("g"), t0());
    }
    app.update(key("esc"), t0());
    let fx = app.update(key("q"), t0());
    assert!(!fx.iter().any(|e| matches!(e, Effect::Quit)));
    assert!(
        status_text(&app).starts_with("2 medals still wait in the outbox for the medal window: they go out the next time you open this agent."),
        "{}",
        status_text(&app)
    );
    let fx = app.update(key("q"), t0());
    assert!(!app.should_quit || fx.iter().any(|e| matches!(e, Effect::Quit)));
}

/// Tryout: a server fault dropped the decision onto the refused list and
/// the status line said "try again"; no answer at all said "try again"
/// too although the outbox sends it by itself.
#[test]
fn a_server_fault_or_no_answer_keeps_the_decision_in_the_outbox() {
    let mut app = app();
    app.update(key("T"), t0());
    let fx = app.update(key("g"), t0());
    let (id, _, request) = votes(&fx).remove(0);
    let fault = ApiError::from_code("INTERNAL", 500, "boom", None, error::Quota::Other);
    let fx = app.update(refused(&id, request, fault), t0());
    assert!(saved(&fx).is_empty(), "still kept in the store");
    assert_eq!(app.outbox.waiting(), 1);
    assert_eq!(app.outbox.refused().count(), 0);
    assert!(
        status_text(&app).starts_with(
            "The gold medal for @other-h is kept in the outbox: the server had a fault"
        ),
        "{}",
        status_text(&app)
    );
    assert!(app.last_failed().is_none(), "no R: the outbox sends it");
    let fx = app.update(Msg::Tick, t0() + Duration::seconds(10));
    assert!(votes(&fx).is_empty(), "paused after the fault");
    assert!(app.next_wake().unwrap() <= t0() + Duration::seconds(20));
    let fx = app.update(Msg::Tick, t0() + Duration::seconds(20));
    let (id, _, request) = votes(&fx).remove(0);
    // No answer: back in the outbox until the server answers again.
    let gone = ApiError::Network("connection refused".into());
    app.update(refused(&id, request, gone), t0() + Duration::seconds(21));
    assert_eq!(app.outbox.waiting(), 1);
    assert!(
        status_text(&app).contains("is kept in the outbox: no answer from the server"),
        "{}",
        status_text(&app)
    );
}

#[test]
fn x_in_an_empty_outbox_clears_the_refused_list() {
    let mut app = app();
    app.update(key("T"), t0());
    let fx = app.update(key("g"), t0());
    let (id, _, request) = votes(&fx).remove(0);
    let e = ApiError::from_code("POST_NOT_FOUND", 404, "gone", None, error::Quota::Other);
    app.update(refused(&id, request, e), t0());
    assert_eq!(app.outbox.refused().count(), 1);
    app.update(key("O"), t0());
    app.update(key("x"), t0());
    assert_eq!(app.outbox.refused().count(), 0);
    assert_eq!(status_text(&app), "Cleared 1 refused medal from the list.");
}

/// Tryout: Tab to a rising feed not loaded yet said "nothing left".
#[test]
fn the_other_order_not_loaded_yet_starts_when_it_arrives() {
    let mut app = app();
    app.update(key("T"), t0());
    let fx = app.update(key("tab"), t0());
    assert!(
        status_text(&app).starts_with("The rising feed is not loaded yet"),
        "{}",
        status_text(&app)
    );
    let generation = fx
        .iter()
        .find_map(|e| match e {
            Effect::LoadFeed {
                sort: FeedSort::Rising,
                generation,
                ..
            } => Some(*generation),
            _ => None,
        })
        .expect("rising is loaded");
    app.update(
        Msg::Feed {
            sort: FeedSort::Rising,
            generation,
            kind: Loading::First,
            result: Ok(super::testing::page(30..35, None)),
        },
        t0(),
    );
    assert_eq!(current(&app), "p30", "rising order: its first post");
    assert_eq!(status_text(&app), "");
}

/// Tryout: spam met in the queue had to be hidden from the feed.
#[test]
fn x_and_m_in_the_triage_hide_or_mute_and_go_on() {
    let mut app = app();
    app.update(key("T"), t0());
    assert_eq!(current(&app), "p19");
    let fx = app.update(key("x"), t0());
    assert!(
        fx.iter().any(|e| matches!(e, Effect::SaveMute(_))),
        "{fx:?}"
    );
    assert_eq!(current(&app), "p18", "on to the next");
    assert!(
        status_text(&app).starts_with("Hid the post"),
        "{}",
        status_text(&app)
    );
    // Muting the author (everyone's in the fixtures) leaves nothing.
    app.update(key("M"), t0());
    assert!(app.triage.as_ref().unwrap().current.is_none());
    assert!(app.triage_progress().unwrap().done);
}
