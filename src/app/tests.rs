//! `update` unit tests: message in, state and effects out, fake `now`.

use super::testing::{connect, ctrl, status_text, t0, typed, TestApp, ME};
use super::*;
use crate::api::*;
use chrono::Duration;

fn item(n: usize, author: &str) -> FeedItem {
    FeedItem {
        id: format!("p{n}"),
        caption: Some(format!("caption {n}\x1b[31m")),
        published_at: (t0() - Duration::minutes(n as i64)).into(),
        author: Author {
            id: author.into(),
            handle: format!("{author}-h"),
            name: author.into(),
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

fn page(range: std::ops::Range<usize>, cursor: Option<&str>) -> FeedPage {
    FeedPage {
        items: range.map(|n| item(n, "other")).collect(),
        next_cursor: cursor.map(str::to_string),
        skipped: 0,
    }
}

fn key(c: char) -> Msg {
    typed(c)
}

/// An app with the first latest page (20 posts, cursor "c1") loaded.
fn loaded() -> App {
    TestApp::new()
        .first_page(Some(page(0..20, Some("c1"))))
        .build()
}

fn net_err() -> ApiError {
    ApiError::Network("connection refused".into())
}

#[test]
fn captions_are_sanitized_on_arrival() {
    let app = loaded();
    assert_eq!(app.feed().items().len(), 20);
    let c = app.feed().items()[0].caption.clone().unwrap_or_default();
    assert!(!c.contains('\x1b'), "{c:?}");
}

#[test]
fn j_moves_and_prefetches_near_the_end() {
    let mut app = loaded();
    let fx = app.update(key('j'), t0());
    assert_eq!(app.feed().selected(), 1);
    assert!(fx.is_empty());
    let mut loads = vec![];
    for _ in 0..20 {
        loads.extend(app.update(key('j'), t0()));
    }
    assert_eq!(app.feed().selected(), 19);
    // exactly one next-page request, by cursor
    assert_eq!(
        loads,
        vec![Effect::LoadFeed {
            sort: FeedSort::Latest,
            generation: app.feed().generation(),
            cursor: Some("c1".into()),
            kind: Loading::More,
        }]
    );
    assert_eq!(app.feed().loading(), Some(Loading::More));
    // page 2 overlaps page 1 by one item: deduplicated
    let gen = app.feed().generation();
    app.update(
        Msg::Feed {
            sort: FeedSort::Latest,
            generation: gen,
            kind: Loading::More,
            result: Ok(page(19..30, None)),
        },
        t0(),
    );
    assert_eq!(app.feed().items().len(), 30);
    assert!(app.feed().at_end());
    assert_eq!(app.feed().selected(), 19);
}

#[test]
fn stale_feed_generation_is_dropped() {
    let mut app = loaded();
    let old = app.feed().generation();
    app.update(key('r'), t0());
    app.update(
        Msg::Feed {
            sort: FeedSort::Latest,
            generation: old,
            kind: Loading::First,
            result: Ok(page(100..101, None)),
        },
        t0(),
    );
    assert_eq!(app.feed().items().len(), 20);
    assert_eq!(app.feed().loading(), Some(Loading::First));
}

#[test]
fn refresh_keeps_selected_post() {
    let mut app = loaded();
    for _ in 0..3 {
        app.update(key('j'), t0());
    }
    assert_eq!(app.selected().map(|p| p.id.as_str()), Some("p3"));
    let fx = app.update(key('r'), t0());
    let gen = app.feed().generation();
    assert!(fx.iter().any(|e| matches!(
        e,
        Effect::LoadFeed {
            kind: Loading::First,
            ..
        }
    )));
    // two new posts on top
    let mut p = page(0..20, Some("c1"));
    p.items.insert(0, item(900, "other"));
    p.items.insert(0, item(901, "other"));
    app.update(
        Msg::Feed {
            sort: FeedSort::Latest,
            generation: gen,
            kind: Loading::First,
            result: Ok(p),
        },
        t0(),
    );
    assert_eq!(app.selected().map(|p| p.id.as_str()), Some("p3"));
    assert_eq!(app.feed().selected(), 5);
}

/// Answers the one feed request in `fx` with `page`.
fn answer_feed(app: &mut App, fx: &[Effect], page: FeedPage) -> Vec<Effect> {
    let loads: Vec<_> = fx
        .iter()
        .filter_map(|e| match e {
            Effect::LoadFeed {
                sort,
                generation,
                kind,
                ..
            } => Some((*sort, *generation, *kind)),
            _ => None,
        })
        .collect();
    let [(sort, generation, kind)] = loads[..] else {
        panic!("expected one feed request in {fx:?}");
    };
    app.update(
        Msg::Feed {
            sort,
            generation,
            kind,
            result: Ok(page),
        },
        t0(),
    )
}

fn cursor_of(fx: &[Effect]) -> Option<String> {
    fx.iter().find_map(|e| match e {
        Effect::LoadFeed { cursor, .. } => cursor.clone(),
        _ => None,
    })
}

/// `loaded()` plus pages 2 and 3 (60 posts, last page), the 56th selected.
fn three_pages_near_the_end() -> App {
    let end = || Msg::Key(Key::new(KeyCode::End, KeyMods::NONE));
    let mut app = loaded();
    let fx = app.update(end(), t0());
    assert_eq!(cursor_of(&fx).as_deref(), Some("c1"));
    answer_feed(&mut app, &fx, page(20..40, Some("c2")));
    let fx = app.update(end(), t0());
    assert_eq!(cursor_of(&fx).as_deref(), Some("c2"));
    let fx = answer_feed(&mut app, &fx, page(40..60, None));
    assert!(fx.is_empty(), "{fx:?}");
    app.feed_mut().select(55, 10);
    assert_eq!(app.selected().map(|p| p.id.as_str()), Some("p55"));
    app
}

#[test]
fn refresh_far_down_loads_pages_until_the_post_is_found() {
    let mut app = three_pages_near_the_end();
    let fx = app.update(key('r'), t0());
    // First page back: p55 is not in it; the next page is asked for.
    let fx = answer_feed(&mut app, &fx, page(0..20, Some("c1")));
    assert_eq!(cursor_of(&fx).as_deref(), Some("c1"));
    let fx = answer_feed(&mut app, &fx, page(20..40, Some("c2")));
    assert_eq!(cursor_of(&fx).as_deref(), Some("c2"));
    // A post moved up (ranking change): still found by id.
    let mut last = page(40..60, None);
    last.items.swap(15, 2);
    let fx = answer_feed(&mut app, &fx, last);
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(app.selected().map(|p| p.id.as_str()), Some("p55"));
    assert_eq!(app.feed().selected(), 42);
    assert!(app.feed().seek().is_none());
    let rows = app.feed_rows();
    let f = app.feed();
    assert!(f.offset() <= f.selected() && f.selected() < f.offset() + rows);
}

#[test]
fn refresh_gives_up_within_a_bound_and_keeps_the_index() {
    let mut app = three_pages_near_the_end();
    let mut fx = app.update(key('r'), t0());
    // The post has left the feed: pages keep coming (with cursors) but
    // none holds it. At most 60 + SEEK_MARGIN posts are loaded.
    let mut requests = 0;
    let mut start = 100;
    loop {
        let cursor = format!("more{start}");
        let p = page(start..start + 20, Some(&cursor));
        fx = answer_feed(&mut app, &fx, p);
        start += 20;
        if fx.is_empty() {
            break;
        }
        requests += 1;
        assert!(requests < 10, "unbounded seek");
    }
    assert_eq!(app.feed().items().len(), 60 + SEEK_MARGIN);
    assert_eq!(app.feed().selected(), 55);
    assert!(app.feed().seek().is_none());
    assert_eq!(
        app.status.as_ref().map(|s| s.text.as_str()),
        Some("The selected post is no longer in the feed; the selection stayed in place.")
    );
}

#[test]
fn moving_during_the_refresh_seek_stops_it() {
    let mut app = three_pages_near_the_end();
    let fx = app.update(key('r'), t0());
    let fx = answer_feed(&mut app, &fx, page(0..20, Some("c1")));
    assert_eq!(cursor_of(&fx).as_deref(), Some("c1"));
    app.update(key('k'), t0());
    let at = app.feed().selected();
    answer_feed(&mut app, &fx, page(20..40, Some("c2")));
    assert!(app.feed().seek().is_none());
    assert_eq!(app.feed().selected(), at);
}

#[test]
fn like_is_optimistic_then_server_wins() {
    let mut app = loaded();
    let fx = app.update(key('l'), t0());
    let request = match &fx[..] {
        [Effect::ToggleLike { post_id, request }] if post_id == "p0" => *request,
        other => panic!("{other:?}"),
    };
    assert!(app
        .selected()
        .is_some_and(|p| p.agent_liked && p.stats.likes == 1));
    assert!(app.is_pending("p0"));
    // a second l while pending sends nothing
    assert!(app.update(key('l'), t0()).is_empty());
    app.update(
        Msg::Like {
            post_id: "p0".into(),
            request,
            result: Ok(LikeResponse {
                post_id: "p0".into(),
                liked: true,
                likes: 7,
            }),
        },
        t0(),
    );
    assert!(app
        .selected()
        .is_some_and(|p| p.agent_liked && p.stats.likes == 7));
    assert!(!app.is_pending("p0"));
}

#[test]
fn failed_like_rolls_back_and_stale_results_are_dropped() {
    let mut app = loaded();
    let fx = app.update(key('l'), t0());
    let Effect::ToggleLike { request, .. } = fx[0].clone() else {
        panic!("{fx:?}")
    };
    // a result with another request number is ignored
    app.update(
        Msg::Like {
            post_id: "p0".into(),
            request: request + 100,
            result: Ok(LikeResponse {
                post_id: "p0".into(),
                liked: false,
                likes: 0,
            }),
        },
        t0(),
    );
    assert!(app.selected().is_some_and(|p| p.agent_liked));
    app.update(
        Msg::Like {
            post_id: "p0".into(),
            request,
            result: Err(net_err()),
        },
        t0(),
    );
    assert!(app
        .selected()
        .is_some_and(|p| !p.agent_liked && p.stats.likes == 0));
    let s = app.status.clone().expect("status");
    assert_eq!(s.level, Level::Error);
    assert!(s.text.starts_with("Like not saved"), "{}", s.text);
    assert!(matches!(app.connection(), Connection::Offline(_)));
}

#[test]
fn medal_optimistic_and_quota_blocks_the_eleventh() {
    let mut app = loaded();
    let mut sent = 0;
    for i in 0..11 {
        let fx = app.update(key('g'), t0() + Duration::seconds(i));
        if let Some(Effect::Vote {
            post_id, request, ..
        }) = fx.first().cloned()
        {
            sent += 1;
            assert_eq!(
                app.feed().post(&post_id).map(|p| p.stats.medals.gold),
                Some(1)
            );
            app.update(
                Msg::Vote {
                    post_id: post_id.clone(),
                    request,
                    result: Ok(VoteResponse {
                        post_id,
                        medal_type: Some(Medal::Gold),
                        ai_medals: MedalCounts {
                            gold: 1,
                            silver: 0,
                            bronze: 0,
                        },
                    }),
                },
                t0() + Duration::seconds(i),
            );
        }
        app.update(key('j'), t0() + Duration::seconds(i));
    }
    assert_eq!(sent, 10);
    let s = app.status.clone().expect("status");
    // first medal at t0, now t0+10: the next is possible at t0+60
    assert_eq!(s.text, "Medal quota used: next medal in 50 s.");
    assert!(app.countdown_visible());
    assert!(app
        .next_wake()
        .is_some_and(|w| w <= app.now + Duration::seconds(1)));
}

#[test]
fn a_new_action_clears_an_older_error() {
    let mut app = loaded();
    let gen = app.feed().generation();
    let mut p = page(0..3, None);
    p.items[0].author.id = ME.into();
    app.update(key('r'), t0());
    app.update(
        Msg::Feed {
            sort: FeedSort::Latest,
            generation: gen + 1,
            kind: Loading::First,
            result: Ok(p),
        },
        t0(),
    );
    app.update(key('g'), t0());
    assert_eq!(app.status.as_ref().map(|s| s.level), Some(Level::Error));
    app.update(key('j'), t0());
    let fx = app.update(key('g'), t0() + Duration::seconds(1));
    assert!(matches!(fx.first(), Some(Effect::Vote { .. })), "{fx:?}");
    assert_eq!(app.status, None);
    // The same for a like and a comment.
    app.update(key('k'), t0());
    app.update(key('b'), t0());
    assert!(app.status.is_some());
    app.update(key('l'), t0());
    assert_eq!(app.status, None);
    app.update(key('b'), t0());
    app.update(key('c'), t0());
    app.update(key('x'), t0());
    let fx = app.update(ctrl('s'), t0());
    assert!(matches!(fx.first(), Some(Effect::Comment { .. })), "{fx:?}");
    assert_eq!(app.status, None);
}

#[test]
fn own_post_medal_is_refused_without_a_request() {
    let mut app = loaded();
    let gen = app.feed().generation();
    let mut p = page(0..1, None);
    p.items[0].author.id = ME.into();
    app.update(key('r'), t0());
    app.update(
        Msg::Feed {
            sort: FeedSort::Latest,
            generation: gen + 1,
            kind: Loading::First,
            result: Ok(p),
        },
        t0(),
    );
    let fx = app.update(key('g'), t0());
    assert!(fx.is_empty());
    assert_eq!(
        app.status.as_ref().map(|s| s.text.as_str()),
        Some("You cannot give a medal to your own post.")
    );
    assert_eq!(app.selected().map(|p| p.stats.medals.gold), Some(0));
}

#[test]
fn comment_flow_cooldown_keeps_text() {
    let mut app = loaded();
    app.update(key('c'), t0());
    assert_eq!(app.mode, Mode::Editor);
    for c in "hi there".chars() {
        app.update(key(c), t0());
    }
    let fx = app.update(ctrl('s'), t0());
    let (post_id, request) = match &fx[..] {
        [Effect::Comment {
            post_id,
            body,
            request,
        }] => {
            assert_eq!(body, "hi there");
            (post_id.clone(), *request)
        }
        other => panic!("{other:?}"),
    };
    app.update(
        Msg::Comment {
            post_id: post_id.clone(),
            request,
            result: Ok(Comment::default()),
        },
        t0(),
    );
    assert_eq!(app.mode, Mode::Feed);
    assert_eq!(app.selected().map(|p| p.stats.comments), Some(1));
    // second comment 3 s later: not sent, editor stays with the text
    let t = t0() + Duration::seconds(3);
    app.update(key('c'), t);
    for c in "again".chars() {
        app.update(key(c), t);
    }
    let fx = app.update(Msg::Key(Key::new(KeyCode::Enter, KeyMods::ALT)), t);
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(app.mode, Mode::Editor);
    assert_eq!(
        app.composer.as_ref().map(|c| c.text()),
        Some("again".into())
    );
    assert_eq!(
        app.status.as_ref().map(|s| s.text.as_str()),
        Some("Comment cooldown: next comment in 7 s.")
    );
}

#[test]
fn paste_in_the_feed_is_ignored_not_taken_as_keys() {
    let mut app = loaded();
    let fx = app.update(Msg::Paste("lgq".into()), t0());
    assert!(fx.is_empty(), "{fx:?}");
    assert!(!app.should_quit);
    let p = app.selected().cloned().unwrap();
    assert!(!p.agent_liked);
    assert_eq!(p.agent_medal, None);
    assert_eq!(
        app.status.as_ref().map(|s| s.text.as_str()),
        Some("Paste ignored: open the editor with c first.")
    );
}

#[test]
fn paste_in_the_editor_inserts_the_whole_text_once() {
    let mut app = loaded();
    app.update(key('c'), t0());
    app.update(key('>'), t0());
    let fx = app.update(
        Msg::Paste("lg first line\r\nsecond\tline\x1b[31m q".into()),
        t0(),
    );
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(app.mode, Mode::Editor);
    let c = app.composer.as_ref().unwrap();
    // Line breaks kept (CRLF as one), tab as a space, ESC made visible.
    assert_eq!(c.text(), ">lg first line\nsecond line\u{241b}[31m q");
    assert_eq!(c.textarea.cursor(), (1, 18));
    assert!(!app.selected().unwrap().agent_liked);
}

#[test]
fn a_huge_paste_is_cut_at_the_comment_limit_with_a_notice() {
    let mut app = loaded();
    app.update(key('c'), t0());
    app.update(Msg::Paste("hi ".into()), t0());
    assert_eq!(app.status, None);
    let huge = "é\u{1b}x".repeat(2_000_000);
    app.update(Msg::Paste(huge), t0());
    let c = app.composer.as_ref().unwrap();
    assert_eq!(c.text().chars().count(), COMMENT_MAX_CHARS);
    assert!(
        c.text().starts_with("hi é\u{241b}xé"),
        "{}",
        &c.text()[..20]
    );
    assert_eq!(
        app.status.as_ref().map(|s| s.text.as_str()),
        Some("Paste cut at the 2000-character comment limit.")
    );
    // Full: a further paste inserts nothing and says so again.
    app.status = None;
    app.update(Msg::Paste("more".into()), t0());
    let c = app.composer.as_ref().unwrap();
    assert_eq!(c.text().chars().count(), COMMENT_MAX_CHARS);
    assert!(app.status.is_some());
}

#[test]
fn esc_with_text_asks_and_keeps_draft() {
    let mut app = loaded();
    app.update(key('c'), t0());
    app.update(key('x'), t0());
    app.update(Msg::Key(Key::new(KeyCode::Esc, KeyMods::NONE)), t0());
    assert_eq!(app.mode, Mode::Confirm);
    app.update(key('k'), t0());
    assert_eq!(app.mode, Mode::Feed);
    assert_eq!(app.drafts.get("p0").map(String::as_str), Some("x"));
    // reopening restores it; quitting saves drafts
    app.update(key('c'), t0());
    assert_eq!(app.composer.as_ref().map(|c| c.text()), Some("x".into()));
    app.update(Msg::Key(Key::new(KeyCode::Esc, KeyMods::NONE)), t0());
    app.update(key('d'), t0());
    assert!(app.drafts.is_empty());
    let fx = app.update(key('q'), t0());
    assert_eq!(fx.last(), Some(&Effect::Quit));
    assert!(app.should_quit);
}

#[test]
fn tab_switches_to_rising_with_its_own_list() {
    let mut app = loaded();
    app.update(key('j'), t0());
    let fx = app.update(Msg::Key(Key::new(KeyCode::Tab, KeyMods::NONE)), t0());
    assert_eq!(app.sort, FeedSort::Rising);
    assert!(matches!(
        fx.as_slice(),
        [Effect::LoadFeed {
            sort: FeedSort::Rising,
            kind: Loading::First,
            ..
        }]
    ));
    assert!(app.selected().is_none());
    app.update(Msg::Key(Key::new(KeyCode::Tab, KeyMods::NONE)), t0());
    assert_eq!(app.feed().selected(), 1);
}

#[test]
fn status_expires_on_tick_and_me_resyncs_every_minute() {
    let mut app = loaded();
    app.update(key('y'), t0());
    app.update(Msg::Copied(Ok(CopyVia::Osc52)), t0());
    assert!(app.status.is_some());
    let wake = app.next_wake().expect("a wake time");
    assert!(wake <= t0() + Duration::seconds(status::INFO_SECS));
    app.update(Msg::Tick, t0() + Duration::seconds(6));
    assert!(app.status.is_none());
    // me was requested at start and is in flight: no second request
    let fx = app.update(Msg::Tick, t0() + Duration::seconds(61));
    assert!(!fx.contains(&Effect::FetchMe));
    let me = Me {
        server_time: Some((t0() + Duration::seconds(61) + Duration::seconds(30)).into()),
        quotas: connect().quotas,
        ..Default::default()
    };
    app.update(Msg::Me(Ok(me)), t0() + Duration::seconds(61));
    assert_eq!(app.quota.skew.duration(), Duration::seconds(30));
    let fx = app.update(Msg::Tick, t0() + Duration::seconds(122));
    assert_eq!(fx, vec![Effect::FetchMe]);
}

fn rate_limited(secs: u64, quota: Quota) -> ApiError {
    ApiError::from_code("RATE_LIMITED", 429, "slow down", Some(secs), quota)
}

fn with_refresh() -> App {
    let mut app = App::new(
        Options {
            refresh_secs: 20,
            feed_cap: 30,
            ..Options::default()
        },
        Keymap::default(),
        &connect(),
        t0(),
        (160, 24),
    );
    let fx = app.start();
    let Effect::LoadFeed { generation, .. } = fx[0].clone() else {
        panic!("{fx:?}")
    };
    app.update(
        Msg::Feed {
            sort: FeedSort::Latest,
            generation,
            kind: Loading::First,
            result: Ok(page(0..20, Some("c1"))),
        },
        t0(),
    );
    app
}

#[test]
fn auto_refresh_merges_new_posts_on_top_and_keeps_selection_and_pending() {
    let mut app = with_refresh();
    app.update(key('j'), t0());
    app.update(key('j'), t0());
    app.update(key('l'), t0()); // p2 liked, in flight
    assert_eq!(app.selected().map(|p| p.id.as_str()), Some("p2"));
    let t = t0() + Duration::seconds(20);
    let fx = app.update(Msg::Tick, t);
    let gen = app.feed().generation();
    assert!(fx.contains(&Effect::LoadFeed {
        sort: FeedSort::Latest,
        generation: gen,
        cursor: None,
        kind: Loading::Merge,
    }));
    let mut p = page(0..20, Some("c1"));
    p.items.insert(0, item(500, "other"));
    p.items[3].stats.likes = 0; // p2 as the server saw it before the like
    p.items[2].stats.likes = 42; // p1 got likes meanwhile
    app.update(
        Msg::Feed {
            sort: FeedSort::Latest,
            generation: gen,
            kind: Loading::Merge,
            result: Ok(p),
        },
        t,
    );
    let feed = app.feed();
    assert_eq!(feed.items().len(), 21);
    assert_eq!(feed.items()[0].id, "p500");
    assert_eq!(app.selected().map(|p| p.id.as_str()), Some("p2"));
    assert_eq!(feed.post("p1").map(|p| p.stats.likes), Some(42));
    // the optimistic like of p2 is not overwritten while in flight
    assert!(feed
        .post("p2")
        .is_some_and(|p| p.agent_liked && p.stats.likes == 1));
}

#[test]
fn feed_cap_drops_posts_from_the_top() {
    let mut app = with_refresh();
    for _ in 0..19 {
        app.update(key('j'), t0());
    }
    let gen = app.feed().generation();
    app.update(
        Msg::Feed {
            sort: FeedSort::Latest,
            generation: gen,
            kind: Loading::More,
            result: Ok(page(20..40, Some("c2"))),
        },
        t0(),
    );
    assert_eq!(app.feed().items().len(), 30);
    assert_eq!(app.feed().items()[0].id, "p10");
    assert_eq!(app.selected().map(|p| p.id.as_str()), Some("p19"));
}

#[test]
fn rate_limited_feed_is_retried_after_retry_after() {
    let mut app = loaded();
    let gen = app.feed().generation();
    app.update(key('r'), t0());
    app.update(
        Msg::Feed {
            sort: FeedSort::Latest,
            generation: gen + 1,
            kind: Loading::First,
            result: Err(rate_limited(7, Quota::Other)),
        },
        t0(),
    );
    assert_eq!(
        app.status.as_ref().map(|s| s.text.as_str()),
        Some("Rate limited: the feed is loaded again in 7 s.")
    );
    assert!(app
        .next_wake()
        .is_some_and(|w| w <= t0() + Duration::seconds(7)));
    let fx = app.update(Msg::Tick, t0() + Duration::seconds(3));
    assert!(!fx.iter().any(|e| matches!(e, Effect::LoadFeed { .. })));
    let fx = app.update(Msg::Tick, t0() + Duration::seconds(7));
    assert!(
        fx.iter().any(|e| matches!(e, Effect::LoadFeed { .. })),
        "{fx:?}"
    );
}

#[test]
fn rate_limited_vote_rolls_back_and_blocks_until_retry_after() {
    let mut app = loaded();
    let fx = app.update(key('s'), t0());
    let Effect::Vote { request, .. } = fx[0].clone() else {
        panic!("{fx:?}")
    };
    assert_eq!(app.selected().map(|p| p.stats.medals.silver), Some(1));
    app.update(
        Msg::Vote {
            post_id: "p0".into(),
            request,
            result: Err(rate_limited(23, Quota::Medals)),
        },
        t0(),
    );
    assert_eq!(app.selected().map(|p| p.stats.medals.silver), Some(0));
    assert_eq!(app.selected().and_then(|p| p.agent_medal.clone()), None);
    assert_eq!(
        app.status.as_ref().map(|s| s.text.as_str()),
        Some("Medal quota used: next medal in 23 s.")
    );
    let t = t0() + Duration::seconds(3);
    assert!(app
        .update(key('b'), t)
        .iter()
        .all(|e| !matches!(e, Effect::Vote { .. })));
    assert_eq!(
        app.status.as_ref().map(|s| s.text.as_str()),
        Some("Medal quota used: next medal in 20 s.")
    );
}

#[test]
fn server_refusal_of_a_medal_is_shown_plainly() {
    let mut app = loaded();
    let fx = app.update(key('g'), t0());
    let Effect::Vote { request, .. } = fx[0].clone() else {
        panic!("{fx:?}")
    };
    app.update(
        Msg::Vote {
            post_id: "p0".into(),
            request,
            result: Err(ApiError::from_code(
                "CANNOT_MEDAL_OWN_POST",
                403,
                "no",
                None,
                Quota::Other,
            )),
        },
        t0(),
    );
    assert_eq!(
        app.status.as_ref().map(|s| s.text.as_str()),
        Some("Medal not given: This is your own post: agents cannot medal their own posts.")
    );
    assert_eq!(app.quota.medals_used(app.server_now()), 0);
}

#[test]
fn quitting_saves_the_open_editor_text_too() {
    let mut app = loaded();
    app.drafts.insert("p5".into(), "older".into());
    app.update(key('c'), t0());
    app.update(key('h'), t0());
    let d = app.drafts_to_save();
    assert_eq!(d.get("p0").map(String::as_str), Some("h"));
    assert_eq!(d.get("p5").map(String::as_str), Some("older"));
}

#[test]
fn growing_the_terminal_loads_enough_posts_to_fill_it() {
    let mut app = loaded(); // 160x24: 20 posts fill the 18 rows
    assert!(app.feed().loading().is_none());
    let fx = app.update(Msg::Resize(160, 45), t0());
    assert!(
        fx.iter().any(|e| matches!(
            e,
            Effect::LoadFeed {
                kind: Loading::More,
                ..
            }
        )),
        "{fx:?}"
    );
}

#[test]
fn typing_stops_at_the_comment_limit_after_a_cut_paste() {
    let mut app = loaded();
    app.update(key('c'), t0());
    app.update(Msg::Paste("x".repeat(COMMENT_MAX_CHARS + 10)), t0());
    for c in ['a', 'b', 'c'] {
        app.update(key(c), t0());
    }
    app.update(Msg::Key(Key::plain(KeyCode::Enter)), t0());
    let c = app.composer.as_ref().unwrap();
    assert_eq!(c.text().chars().count(), COMMENT_MAX_CHARS);
    let s = status_text(&app);
    assert!(s.contains("2000-character limit"), "{s}");
    // Deleting makes room again.
    app.update(Msg::Key(Key::plain(KeyCode::Backspace)), t0());
    app.update(key('z'), t0());
    let c = app.composer.as_ref().unwrap();
    assert!(c.text().ends_with('z'), "{}", c.text());
    assert_eq!(c.text().chars().count(), COMMENT_MAX_CHARS);
}

#[test]
fn ctrl_c_in_the_editor_says_how_to_leave_and_keeps_the_text() {
    let mut app = loaded();
    app.update(key('c'), t0());
    app.update(key('h'), t0());
    let fx = app.update(
        Msg::Key(Key::new(KeyCode::Char('c'), KeyMods::CONTROL)),
        t0(),
    );
    assert!(!fx.iter().any(|e| matches!(e, Effect::Quit)), "{fx:?}");
    assert_eq!(app.mode, Mode::Editor);
    assert_eq!(app.composer.as_ref().unwrap().text(), "h");
    let s = status_text(&app);
    assert_eq!(
        s,
        "Ctrl-C does not close the editor: esc does (nothing typed is lost); q quits from the feed."
    );
}

#[test]
fn ctrl_c_still_quits_when_quit_is_rebound() {
    let overrides = [("quit".to_string(), vec!["x".to_string()])].into();
    let mut app = loaded();
    app.keymap = crate::keymap::Keymap::with_overrides(&overrides).unwrap();
    let fx = app.update(
        Msg::Key(Key::new(KeyCode::Char('c'), KeyMods::CONTROL)),
        t0(),
    );
    assert!(fx.iter().any(|e| matches!(e, Effect::Quit)), "{fx:?}");
}
