//! `update` unit tests of the live dashboard: merges, the "new" marker,
//! the cap, filters, pause, read-only, backoff and sleep detection.

use super::testing::*;
use super::*;
use crate::api::*;
use chrono::Duration;

fn app_with(options: Options) -> App {
    TestApp::new().options(options).with_me().build()
}

fn dash() -> App {
    app_with(Options {
        refresh_secs: 20,
        ..Options::default()
    })
}

#[test]
fn known_posts_get_new_numbers_and_verdicts_in_place() {
    let mut app = dash();
    let mut p = page(0..20, Some("c1"));
    p.items[4].stats.likes = 9;
    p.items[4].ai_verdict = Some(AiVerdict {
        medal_type: Some(Medal::Gold),
        reason: Some("fine".into()),
        judge_version: None,
    });
    refresh_with(&mut app, t0() + Duration::seconds(20), p);
    let q = app.feed().post("p4").cloned().expect("p4");
    assert_eq!(q.stats.likes, 9);
    assert_eq!(q.ai_verdict.and_then(|v| v.medal_type), Some(Medal::Gold));
    assert_eq!(app.feed().items().len(), 20);
    assert_eq!(app.feed().merged_new(), 0);
}

#[test]
fn a_refresh_with_more_new_posts_than_a_page_reads_on_until_known_ones() {
    let mut app = dash();
    let t = t0() + Duration::seconds(20);
    // 25 new posts: the first page is all new, the second reaches p0.
    let fx = refresh_with(&mut app, t, page((1005..1025).rev(), Some("m1")));
    assert_eq!(loads(&fx), vec![(Some("m1".into()), Loading::Merge)]);
    assert_eq!(
        app.feed().items().len(),
        20,
        "nothing placed before the gap is closed"
    );
    let gen = app.feed().generation();
    let fx = app.update(
        feed_msg(
            gen,
            Loading::Merge,
            page((1000..1005).rev().chain(0..15), Some("m2")),
        ),
        t,
    );
    assert!(loads(&fx).is_empty(), "{fx:?}");
    let got = ids(&app);
    assert_eq!(got.len(), 45);
    assert_eq!(got[0], "p1024");
    assert_eq!(got[24], "p1000");
    assert_eq!(got[25], "p0");
    assert_eq!(app.feed().merged_new(), 25);
    // The next automatic refresh is planned again.
    assert_eq!(app.auto_refresh_at, Some(t + Duration::seconds(20)));
}

#[test]
fn the_cap_drops_old_posts_below_the_view_and_paging_continues_there() {
    let mut app = app_with(Options {
        refresh_secs: 20,
        feed_cap: 50,
        ..Options::default()
    });
    let fx = app.update(key("end"), t0());
    assert_eq!(loads(&fx), vec![(Some("c1".into()), Loading::More)]);
    let gen = app.feed().generation();
    app.update(feed_msg(gen, Loading::More, page(20..40, Some("c2"))), t0());
    app.update(key("t"), t0());
    assert_eq!(app.feed().selected(), 0);
    // 11 new posts arrive while the view is at the top: 51 posts, cap 50.
    let t = t0() + Duration::seconds(20);
    let p = page((1000..1011).rev().chain(0..9), Some("m1"));
    refresh_with(&mut app, t, p);
    let feed = app.feed();
    // The oldest page went, cut where a page ended: paging continues with
    // the cursor that fetched the first dropped post.
    assert_eq!(feed.items().len(), 31);
    assert_eq!(feed.items().last().map(|p| p.id.as_str()), Some("p19"));
    assert_eq!(feed.next_cursor(), Some("c1"));
    assert!(!feed.detached());
    assert_eq!(app.selected().map(|p| p.id.as_str()), Some("p0"));
    let (marks, unseen, n) = feed.bookkeeping_len();
    assert!(marks <= n && unseen <= n);
    let fx = app.update(key("end"), t);
    assert_eq!(loads(&fx), vec![(Some("c1".into()), Loading::More)]);
    let gen = app.feed().generation();
    app.update(feed_msg(gen, Loading::More, page(20..40, Some("c2"))), t);
    // p20.. again, once each; scrolled down, so the newest post went.
    let feed = app.feed();
    assert_eq!(feed.items().len(), 50);
    assert_eq!(feed.items().last().map(|p| p.id.as_str()), Some("p39"));
    assert_eq!(feed.items()[0].id, "p1009");
    assert!(feed.detached());
}

#[test]
fn not_medalled_filter_hides_a_post_once_medalled() {
    let mut app = dash();
    app.update(key("m"), t0());
    assert_eq!(app.feed().view_len(), 20);
    app.update(key("j"), t0());
    let fx = app.update(key("g"), t0());
    assert!(fx.iter().any(|e| matches!(e, Effect::Vote { .. })));
    assert_eq!(app.feed().view_len(), 19);
    assert_eq!(
        app.selected().map(|p| p.id.as_str()),
        Some("p2"),
        "next post"
    );
}

#[test]
fn a_late_wake_up_resyncs_at_once() {
    let mut app = dash();
    let planned = app.next_wake().expect("a timer");
    assert!(planned <= t0() + Duration::seconds(20));
    // The machine slept two hours; the first event after it is a key.
    let fx = app.update(key("j"), t0() + Duration::hours(2));
    assert!(fx.contains(&Effect::FetchMe), "{fx:?}");
    assert_eq!(loads(&fx), vec![(None, Loading::Merge)]);
}

#[test]
fn idle_wakes_only_for_timers_not_every_second() {
    let mut app = dash();
    let me = Me {
        server_time: Some(t0().into()),
        quotas: connect().quotas,
        ..Default::default()
    };
    app.update(Msg::Me(Ok(me)), t0());
    let wake = app.next_wake().expect("the refresh timer");
    assert!(wake >= t0() + Duration::seconds(20), "{wake}");
    assert!(!app.countdown_visible());
}

#[test]
fn a_refresh_lost_in_a_resync_round_is_planned_again() {
    let mut app = dash();
    let t = t0() + Duration::seconds(20);
    app.update(Msg::Tick, t);
    let net = || ApiError::Network("connection refused".into());
    let gen = app.feed().generation();
    app.update(feed_err(gen, Loading::Merge, net()), t);
    let at = app.link.retry_at.expect("a resync");
    let fx = app.update(Msg::Tick, at);
    assert!(fx.contains(&Effect::FetchMe));
    assert_eq!(loads(&fx), vec![(None, Loading::Merge)]);
    // The merge of this round fails, then `me` of the same round answers:
    // the feed still fails, so the link is not live; the next round
    // refreshes again, and once the feed answers the link is live.
    let gen = app.feed().generation();
    app.update(feed_err(gen, Loading::Merge, net()), at);
    let me = Me {
        server_time: Some(at.into()),
        quotas: connect().quotas,
        ..Default::default()
    };
    app.update(Msg::Me(Ok(me)), at);
    assert!(app.link.is_failing());
    let at = app.link.retry_at.expect("the next resync");
    let fx = app.update(Msg::Tick, at);
    assert_eq!(loads(&fx), vec![(None, Loading::Merge)], "{fx:?}");
    let gen = app.feed().generation();
    app.update(feed_msg(gen, Loading::Merge, page(0..20, Some("c1"))), at);
    assert!(!app.link.is_failing());
}

#[test]
fn ctrl_u_clears_the_filter_input() {
    let mut app = dash();
    app.update(key("/"), t0());
    for c in "kitten".chars() {
        app.update(typed(c), t0());
    }
    app.update(key("ctrl-u"), t0());
    let text = app.filter_input.as_ref().map(|t| t.lines().join("\n"));
    assert_eq!(text.as_deref(), Some(""));
    app.update(typed('x'), t0());
    let text = app.filter_input.as_ref().map(|t| t.lines().join("\n"));
    assert_eq!(text.as_deref(), Some("x"));
}

#[test]
fn follow_keeps_the_newest_post_selected_until_a_manual_move() {
    let mut app = dash();
    app.update(key("j"), t0());
    app.update(key("j"), t0());
    assert_eq!(app.feed().selected(), 2);
    app.update(key("F"), t0());
    assert!(app.follow);
    assert_eq!(app.feed().selected(), 0, "F jumps to the newest post");
    assert!(status_text(&app).starts_with("Following the newest post"));
    // Posts arrive: the newest one is selected (without follow the
    // selection would stay on p0, one row lower).
    let mut p = page(1001..1003, None);
    p.items.reverse();
    p.items.extend(page(0..20, Some("c1")).items);
    refresh_with(&mut app, t0() + Duration::seconds(20), p);
    assert_eq!(app.selected().map(|p| p.id.as_str()), Some("p1002"));
    assert_eq!(app.feed().new_above(), 0);
    // A manual move leaves follow mode, saying so; later posts do not
    // move the selection.
    app.update(key("j"), t0() + Duration::seconds(21));
    assert!(!app.follow);
    assert_eq!(
        status_text(&app),
        "Follow off: you moved the selection (F follows the newest post again)."
    );
    let mut p = page([1003], None);
    p.items
        .extend(page(1001..1003, None).items.into_iter().rev());
    p.items.extend(page(0..20, Some("c1")).items);
    refresh_with(&mut app, t0() + Duration::seconds(41), p);
    assert_eq!(app.selected().map(|p| p.id.as_str()), Some("p1001"));
}

#[test]
fn follow_from_rising_switches_to_latest_and_f_again_stops() {
    let mut app = dash();
    app.update(key("tab"), t0());
    assert_eq!(app.sort, FeedSort::Rising);
    app.update(key("F"), t0());
    assert_eq!(app.sort, FeedSort::Latest);
    assert!(app.follow);
    app.update(key("F"), t0());
    assert!(!app.follow);
    assert_eq!(
        status_text(&app),
        "Follow off: the selection stays where it is."
    );
    // Switching to rising while following leaves it too.
    app.update(key("F"), t0());
    app.update(key("tab"), t0());
    assert!(!app.follow);
}
