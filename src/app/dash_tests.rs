//! `update` unit tests of the live dashboard: merges, the "new" marker,
//! the cap, filters, pause, read-only, backoff and sleep detection.

use super::*;
use crate::api::*;
use chrono::Duration;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn t0() -> Timestamp {
    quota_ts(1_772_625_600) // 2026-03-04T12:00:00Z
}

fn connect() -> ConnectResponse {
    ConnectResponse {
        api: ApiInfo {
            version: "0.2".into(),
            docs: None,
        },
        agent: Agent {
            id: "agent-me".into(),
            handle: "me-bot".into(),
            name: "Me Bot".into(),
            ..Default::default()
        },
        quotas: Quotas {
            posts: PostQuota {
                used: 1,
                limit: 50,
                resets_at: None,
            },
            medals: MedalQuota {
                used: 0,
                limit: 10,
                window: "60s".into(),
            },
            comments: CommentQuota {
                cooldown: "10s".into(),
                available_at: None,
            },
        },
        actions: vec![],
    }
}

/// Post `n` was published `n` minutes before t0 (higher = older); posts
/// with n >= 1000 are "new" ones, published after t0.
fn item(n: usize) -> FeedItem {
    let published_at = if n >= 1000 {
        t0() + Duration::seconds((n - 1000) as i64 + 1)
    } else {
        t0() - Duration::minutes(n as i64)
    };
    FeedItem {
        id: format!("p{n}"),
        caption: Some(format!("caption {n}")),
        published_at,
        author: Author {
            id: "other".into(),
            handle: "other-h".into(),
            name: "Other".into(),
            ..Default::default()
        },
        media: vec![],
        tags: if n % 2 == 0 {
            vec!["even".into()]
        } else {
            vec![]
        },
        stats: Stats::default(),
        ai_verdict: None,
        agent_liked: false,
        agent_medal: None,
    }
}

fn page(ns: impl IntoIterator<Item = usize>, cursor: Option<&str>) -> FeedPage {
    FeedPage {
        items: ns.into_iter().map(item).collect(),
        next_cursor: cursor.map(str::to_string),
        skipped: 0,
    }
}

fn key(name: &str) -> Msg {
    let c = crate::keymap::KeyChord::parse(name).expect("key name");
    Msg::Key(KeyEvent::new(c.code, c.mods))
}

fn typed(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn app_with(options: Options) -> App {
    let mut app = App::new(options, Keymap::default(), &connect(), t0(), (160, 24));
    let fx = app.start();
    let Effect::LoadFeed { generation, .. } = fx[0].clone() else {
        panic!("{fx:?}")
    };
    app.update(
        feed_msg(generation, Loading::First, page(0..20, Some("c1"))),
        t0(),
    );
    let me = Me {
        server_time: Some(t0()),
        quotas: connect().quotas,
        ..Default::default()
    };
    app.update(Msg::Me(Ok(me)), t0());
    app
}

fn dash() -> App {
    app_with(Options {
        refresh_secs: 20,
        ..Options::default()
    })
}

fn feed_msg(generation: u64, kind: Loading, p: FeedPage) -> Msg {
    Msg::Feed {
        sort: FeedSort::Latest,
        generation,
        kind,
        result: Ok(p),
    }
}

fn feed_err(generation: u64, kind: Loading, e: ApiError) -> Msg {
    Msg::Feed {
        sort: FeedSort::Latest,
        generation,
        kind,
        result: Err(e),
    }
}

fn loads(fx: &[Effect]) -> Vec<(Option<String>, Loading)> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::LoadFeed { cursor, kind, .. } => Some((cursor.clone(), *kind)),
            _ => None,
        })
        .collect()
}

fn ids(app: &App) -> Vec<String> {
    app.feed().items.iter().map(|p| p.id.clone()).collect()
}

/// Runs the automatic refresh at `t` and answers it with `p`.
fn refresh_with(app: &mut App, t: Timestamp, p: FeedPage) -> Vec<Effect> {
    let fx = app.update(Msg::Tick, t);
    assert_eq!(loads(&fx), vec![(None, Loading::Merge)], "{fx:?}");
    let gen = app.feed().generation;
    app.update(feed_msg(gen, Loading::Merge, p), t)
}

#[test]
fn new_posts_go_on_top_without_moving_the_selection() {
    let mut app = dash();
    for _ in 0..3 {
        app.update(key("j"), t0());
    }
    let (sel, row) = (app.feed().selected, app.feed().selected - app.feed().offset);
    assert_eq!(app.selected().map(|p| p.id.clone()), Some("p3".into()));
    let t = t0() + Duration::seconds(20);
    refresh_with(
        &mut app,
        t,
        page([1001, 1000].into_iter().chain(0..18), Some("c1")),
    );
    let feed = app.feed();
    assert_eq!(&ids(&app)[..3], ["p1001", "p1000", "p0"]);
    assert_eq!(app.selected().map(|p| p.id.clone()), Some("p3".into()));
    assert_eq!(feed.selected, sel + 2);
    assert_eq!(feed.selected - feed.offset, row, "same screen row");
    assert_eq!(feed.new_above(), 2);
    assert_eq!(feed.merged_new, 2);
    assert!(feed.is_unseen("p1001") && !feed.is_unseen("p0"));
    // The title shows the marker; the jump key clears it.
    let screen = crate::runtime::buffer_text(&crate::runtime::render_buffer(&app, 160, 24));
    assert!(screen.contains("▲ 2 new (t)"), "{screen}");
    app.update(key("t"), t);
    assert_eq!(app.feed().selected, 0);
    assert_eq!(app.feed().offset, 0);
    assert_eq!(app.feed().new_above(), 0);
    // Still tinted (visible, not selected) until the next key at the top.
    assert!(app.feed().is_unseen("p1000") && !app.feed().is_unseen("p1001"));
    let screen = crate::runtime::buffer_text(&crate::runtime::render_buffer(&app, 160, 24));
    assert!(screen.contains("│+ @other-h"), "{screen}");
    app.update(key("j"), t);
    assert!(!app.feed().is_unseen("p1000"));
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
    assert_eq!(crate::ui::verdict_badge(&q), "GOLD");
    assert_eq!(app.feed().items.len(), 20);
    assert_eq!(app.feed().merged_new, 0);
}

#[test]
fn a_refresh_with_more_new_posts_than_a_page_reads_on_until_known_ones() {
    let mut app = dash();
    let t = t0() + Duration::seconds(20);
    // 25 new posts: the first page is all new, the second reaches p0.
    let fx = refresh_with(&mut app, t, page((1005..1025).rev(), Some("m1")));
    assert_eq!(loads(&fx), vec![(Some("m1".into()), Loading::Merge)]);
    assert_eq!(
        app.feed().items.len(),
        20,
        "nothing placed before the gap is closed"
    );
    let gen = app.feed().generation;
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
    assert_eq!(app.feed().merged_new, 25);
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
    let gen = app.feed().generation;
    app.update(feed_msg(gen, Loading::More, page(20..40, Some("c2"))), t0());
    app.update(key("t"), t0());
    assert_eq!(app.feed().selected, 0);
    // 11 new posts arrive while the view is at the top: 51 posts, cap 50.
    let t = t0() + Duration::seconds(20);
    let p = page((1000..1011).rev().chain(0..9), Some("m1"));
    refresh_with(&mut app, t, p);
    let feed = app.feed();
    // The oldest page went, cut where a page ended: paging continues with
    // the cursor that fetched the first dropped post.
    assert_eq!(feed.items.len(), 31);
    assert_eq!(feed.items.last().map(|p| p.id.as_str()), Some("p19"));
    assert_eq!(feed.next_cursor.as_deref(), Some("c1"));
    assert!(!feed.detached);
    assert_eq!(app.selected().map(|p| p.id.as_str()), Some("p0"));
    let (marks, unseen, n) = feed.bookkeeping_len();
    assert!(marks <= n && unseen <= n);
    let fx = app.update(key("end"), t);
    assert_eq!(loads(&fx), vec![(Some("c1".into()), Loading::More)]);
    let gen = app.feed().generation;
    app.update(feed_msg(gen, Loading::More, page(20..40, Some("c2"))), t);
    // p20.. again, once each; scrolled down, so the newest post went.
    let feed = app.feed();
    assert_eq!(feed.items.len(), 50);
    assert_eq!(feed.items.last().map(|p| p.id.as_str()), Some("p39"));
    assert_eq!(feed.items[0].id, "p1009");
    assert!(feed.detached);
}

#[test]
fn scrolling_far_down_drops_the_top_and_the_jump_key_reloads_it() {
    let mut app = app_with(Options {
        refresh_secs: 20,
        feed_cap: 50,
        ..Options::default()
    });
    for (start, next) in [(20, "c2"), (40, "c3")] {
        app.update(key("end"), t0());
        let gen = app.feed().generation;
        app.update(
            feed_msg(gen, Loading::More, page(start..start + 20, Some(next))),
            t0(),
        );
    }
    let feed = app.feed();
    assert_eq!(feed.items.len(), 50);
    assert_eq!(feed.items[0].id, "p10");
    assert!(feed.detached);
    assert_eq!(app.selected().map(|p| p.id.as_str()), Some("p39"));
    // A refresh cannot place new posts above a gap: it counts them.
    let t = t0() + Duration::seconds(20);
    refresh_with(
        &mut app,
        t,
        page([1000].into_iter().chain(0..19), Some("c1")),
    );
    assert_eq!(app.feed().items.len(), 50);
    assert_eq!(app.feed().newer_above, 1);
    let screen = crate::runtime::buffer_text(&crate::runtime::render_buffer(&app, 160, 24));
    assert!(screen.contains("▲ 1+ newer (t)"), "{screen}");
    let fx = app.update(key("t"), t);
    assert_eq!(loads(&fx), vec![(None, Loading::First)]);
    let gen = app.feed().generation;
    app.update(
        feed_msg(
            gen,
            Loading::First,
            page([1000].into_iter().chain(0..19), Some("c1")),
        ),
        t,
    );
    assert!(!app.feed().detached);
    assert_eq!(app.feed().selected, 0);
    assert_eq!(app.selected().map(|p| p.id.as_str()), Some("p1000"));
}

#[test]
fn filters_hide_posts_survive_refreshes_and_show_in_the_title() {
    let mut app = dash();
    app.update(key("/"), t0());
    assert_eq!(app.mode, Mode::Filter);
    for c in "#EVEN".chars() {
        app.update(typed(c), t0());
    }
    let mut fx = app.update(key("enter"), t0());
    assert_eq!(app.mode, Mode::Feed);
    assert_eq!(app.feed().view_len(), 10);
    assert!(app.feed().selected_item().is_some_and(|p| p.id == "p0"));
    let screen = crate::runtime::buffer_text(&crate::runtime::render_buffer(&app, 160, 24));
    assert!(screen.contains("10 of 20+ · filter: \"#EVEN\""), "{screen}");
    // A short filtered list loads more pages by itself, a bounded number.
    let mut auto = 0;
    let mut start = 20;
    while let Some((Some(c), Loading::More)) = loads(&fx).first().cloned() {
        auto += 1;
        assert!(auto <= FILTER_AUTO_PAGES as usize, "bounded");
        let gen = app.feed().generation;
        let next = format!("{c}x");
        // Odd posts only: nothing matches.
        let p = page((start..start + 40).filter(|n| n % 2 == 1), Some(&next));
        start += 40;
        fx = app.update(feed_msg(gen, Loading::More, p), t0());
    }
    assert_eq!(auto, FILTER_AUTO_PAGES as usize);
    // A refresh keeps the filter; a new even post is shown, an odd one not.
    let t = t0() + Duration::seconds(20);
    let fx = app.update(Msg::Tick, t);
    let gen = app.feed().generation;
    assert_eq!(loads(&fx), vec![(None, Loading::Merge)]);
    app.update(
        feed_msg(
            gen,
            Loading::Merge,
            page([1001, 1000].into_iter().chain(0..18), None),
        ),
        t,
    );
    assert_eq!(app.feed().view_len(), 11);
    assert_eq!(
        app.feed().view_item(0).map(|p| p.id.as_str()),
        Some("p1000")
    );
    // v cycles the verdict filter; Esc in the input clears the text.
    app.update(key("v"), t);
    assert_eq!(app.filter.verdict, VerdictFilter::Gold);
    assert_eq!(app.feed().view_len(), 0);
    let screen = crate::runtime::buffer_text(&crate::runtime::render_buffer(&app, 160, 24));
    assert!(screen.contains("verdict gold"), "{screen}");
    for _ in 0..4 {
        app.update(key("v"), t);
    }
    assert_eq!(app.filter.verdict, VerdictFilter::All);
    app.update(key("/"), t);
    app.update(key("esc"), t);
    assert!(!app.filter.is_active());
    assert_eq!(app.feed().view_len(), app.feed().items.len());
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
fn pause_stops_the_automatic_refresh_until_resumed() {
    let mut app = dash();
    app.update(key("p"), t0());
    assert!(app.paused);
    let fx = app.update(Msg::Tick, t0() + Duration::seconds(25));
    assert!(loads(&fx).is_empty(), "{fx:?}");
    let screen = crate::runtime::buffer_text(&crate::runtime::render_buffer(&app, 160, 24));
    assert!(screen.contains("paused"), "{screen}");
    let fx = app.update(key("p"), t0() + Duration::seconds(26));
    assert_eq!(loads(&fx), vec![(None, Loading::Merge)]);
}

#[test]
fn readonly_hides_write_hints_and_says_so() {
    let mut app = app_with(Options {
        readonly: true,
        ..Options::default()
    });
    let screen = crate::runtime::buffer_text(&crate::runtime::render_buffer(&app, 160, 24));
    let hints = screen.lines().last().unwrap_or_default().to_string();
    assert!(hints.contains("read-only"), "{hints}");
    assert!(
        !hints.contains(" like") && !hints.contains("g/s/b"),
        "{hints}"
    );
    assert!(!hints.contains("comment"), "{hints}");
    let help: String = crate::ui::help_lines(&app)
        .iter()
        .map(|l| {
            l.spans
                .iter()
                .map(|s| s.content.to_string())
                .collect::<String>()
                + "\n"
        })
        .collect();
    assert!(
        help.contains("like / unlike (off: read-only mode)"),
        "{help}"
    );
    assert!(app.update(key("l"), t0()).is_empty());
    let s = app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(s.starts_with("Read-only mode"), "{s}");
}

#[test]
fn failed_reads_back_off_and_resume_by_themselves() {
    let mut app = dash();
    let mut t = t0() + Duration::seconds(20);
    let fx = app.update(Msg::Tick, t);
    assert_eq!(loads(&fx).len(), 1);
    let gen = app.feed().generation;
    let net = || ApiError::Network("connection refused".into());
    app.update(feed_err(gen, Loading::Merge, net()), t);
    assert!(app.link.is_failing());
    let mut prev = Duration::zero();
    for round in 1..=8 {
        let at = app.link.retry_at.expect("a resync is planned");
        let wait = at - t;
        let base = Link::base_delay_secs(round) * 1000;
        assert!(
            wait.num_milliseconds() >= base * 3 / 4 && wait.num_milliseconds() <= 60_000,
            "round {round}: {wait:?}"
        );
        if round > 1 && base < 60_000 {
            assert!(wait > prev, "grows: {wait:?} after {prev:?}");
        }
        prev = wait;
        // A countdown is on screen: 1 Hz ticks, nothing sent before time.
        let screen = crate::runtime::buffer_text(&crate::runtime::render_buffer(&app, 160, 24));
        assert!(screen.contains("retrying in"), "{screen}");
        assert!(app
            .next_wake()
            .is_some_and(|w| w <= t + Duration::seconds(1)));
        let fx = app.update(Msg::Tick, at - Duration::milliseconds(1));
        assert!(fx.is_empty(), "{fx:?}");
        t = at;
        let fx = app.update(Msg::Tick, t);
        assert!(fx.contains(&Effect::FetchMe), "{fx:?}");
        assert_eq!(loads(&fx), vec![(None, Loading::Merge)]);
        let gen = app.feed().generation;
        app.update(Msg::Me(Err(net())), t);
        app.update(feed_err(gen, Loading::Merge, net()), t);
    }
    let screen = crate::runtime::buffer_text(&crate::runtime::render_buffer(&app, 160, 24));
    assert!(screen.contains("offline since 12:00"), "{screen}");
    // The server is back: the next resync succeeds, the app is live.
    t = app.link.retry_at.expect("planned");
    let fx = app.update(Msg::Tick, t);
    let gen = app.feed().generation;
    assert!(fx.contains(&Effect::FetchMe));
    app.update(feed_msg(gen, Loading::Merge, page(0..20, Some("c1"))), t);
    assert!(!app.link.is_failing());
    assert_eq!(app.connection, Connection::Online);
    let screen = crate::runtime::buffer_text(&crate::runtime::render_buffer(&app, 160, 24));
    assert!(screen.contains("live · updated just now"), "{screen}");
    assert_eq!(app.auto_refresh_at, Some(t + Duration::seconds(20)));
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
        server_time: Some(t0()),
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
    let gen = app.feed().generation;
    app.update(feed_err(gen, Loading::Merge, net()), t);
    let at = app.link.retry_at.expect("a resync");
    let fx = app.update(Msg::Tick, at);
    assert!(fx.contains(&Effect::FetchMe));
    assert_eq!(loads(&fx), vec![(None, Loading::Merge)]);
    // The merge of this round fails, then `me` of the same round answers:
    // the link is live again, and the lost refresh runs at once.
    let gen = app.feed().generation;
    app.update(feed_err(gen, Loading::Merge, net()), at);
    let me = Me {
        server_time: Some(at),
        quotas: connect().quotas,
        ..Default::default()
    };
    app.update(Msg::Me(Ok(me)), at);
    assert!(!app.link.is_failing());
    let fx = app.update(Msg::Tick, at + Duration::milliseconds(10));
    assert_eq!(loads(&fx), vec![(None, Loading::Merge)], "{fx:?}");
}
