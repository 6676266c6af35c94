//! Screens drawn from app states: each test drives `App::update` with the
//! shared fixtures (`app::testing`) and reads what `render` draws.

use crate::api::*;
use crate::app::testing::*;
use crate::app::*;
use chrono::Duration;

/// The screen of `app` on a `w` x `h` terminal, as text.
fn screen_of(app: &App, w: u16, h: u16) -> String {
    crate::runtime::buffer_text(&crate::runtime::render_buffer(app, w, h))
}

/// An app with the first latest page (20 posts, cursor "c1") loaded.
fn loaded() -> App {
    TestApp::new().build()
}

fn app_with(options: Options) -> App {
    TestApp::new().options(options).with_me().build()
}

/// The live dashboard: automatic refresh every 20 s.
fn dash() -> App {
    app_with(Options {
        refresh_secs: 20,
        ..Options::default()
    })
}

#[test]
fn medal_countdown_message_counts_down_live_and_expires() {
    let mut app = loaded();
    for i in 0..10 {
        let fx = app.update(typed('g'), t0() + Duration::seconds(i));
        assert!(matches!(fx.first(), Some(Effect::Vote { .. })), "{fx:?}");
        app.update(typed('j'), t0() + Duration::seconds(i));
    }
    let t = t0() + Duration::seconds(17);
    let fx = app.update(typed('g'), t);
    assert!(fx.is_empty(), "{fx:?}");
    let text = |app: &App| app.status.as_ref().map(|s| s.text.clone());
    assert_eq!(
        text(&app).as_deref(),
        Some("Medal quota used: next medal in 43 s.")
    );
    // The 1 Hz tick re-words it, in step with the header's countdown.
    assert!(app.countdown_visible());
    app.update(Msg::Tick, t + Duration::seconds(1));
    assert_eq!(
        text(&app).as_deref(),
        Some("Medal quota used: next medal in 42 s.")
    );
    app.update(Msg::Tick, t + Duration::seconds(40));
    assert_eq!(
        text(&app).as_deref(),
        Some("Medal quota used: next medal in 3 s.")
    );
    let screen = screen_of(&app, 160, 24);
    assert!(screen.contains("next medal in 3 s."), "{screen}");
    assert!(screen.contains("next in 3 s"), "{screen}");
    // Gone when the wait is over, not frozen at its last value.
    assert!(app
        .next_wake()
        .is_some_and(|w| w <= t0() + Duration::seconds(60)));
    app.update(Msg::Tick, t0() + Duration::seconds(60));
    assert_eq!(app.status, None);
}

#[test]
fn comment_cooldown_message_counts_down_with_the_editor() {
    let mut app = loaded();
    app.quota.comment_available_at = Some(crate::app::ServerTime::from_server(
        t0() + Duration::seconds(10),
    ));
    app.update(typed('c'), t0());
    app.update(typed('x'), t0());
    app.update(ctrl('s'), t0() + Duration::seconds(2));
    let s = app.status.clone().expect("status");
    assert_eq!(s.text, "Comment cooldown: next comment in 8 s.");
    app.update(Msg::Tick, t0() + Duration::seconds(4));
    assert_eq!(
        app.status.as_ref().map(|s| s.text.as_str()),
        Some("Comment cooldown: next comment in 6 s.")
    );
    let screen = screen_of(&app, 160, 24);
    assert!(screen.contains("next comment in 6 s."), "{screen}");
    assert!(screen.contains("cooldown: next comment in 6 s"), "{screen}");
}

#[test]
fn a_huge_reason_and_tag_list_leave_the_verdict_and_your_marks_visible() {
    let mut app = loaded();
    let mut p = item(900);
    p.ai_verdict = Some(AiVerdict {
        medal_type: Some(Medal::Silver),
        reason: Some("because ".repeat(400)),
        judge_version: None,
    });
    p.tags = (0..200).map(|i| format!("tag{i}")).collect();
    p.caption = Some("word ".repeat(500));
    p.agent_liked = true;
    p.agent_medal = Some(Medal::Gold);
    // In place of the first post.
    p.id = app.latest.items()[0].id.clone();
    let id = p.id.clone();
    if let Some(q) = app.latest.post_mut(&id) {
        *q = p;
    }
    for (w, h) in [(80, 24), (160, 45), (60, 20)] {
        app.update(Msg::Resize(w, h), t0());
        let screen = screen_of(&app, w, h);
        assert!(screen.contains("AI verdict: SILVER"), "{w}x{h}\n{screen}");
        assert!(
            screen.contains("You: liked · gave GOLD"),
            "{w}x{h}\n{screen}"
        );
        assert!(screen.contains("because…"), "{w}x{h}\n{screen}");
        assert!(screen.contains("more lines"), "{w}x{h}\n{screen}");
    }
}

#[test]
fn the_editor_draws_its_cursor_on_the_wrapped_row() {
    use ratatui::style::Modifier;
    let mut app = loaded();
    app.update(typed('c'), t0());
    app.update(Msg::Paste("alpha beta gamma delta".into()), t0());
    // Cursor after "alpha" on the first row.
    let left = || Msg::Key(Key::new(KeyCode::Left, KeyMods::NONE));
    for _ in 0.."beta gamma delta".len() + 1 {
        app.update(left(), t0());
    }
    assert_eq!(
        app.composer.as_ref().map(|c| {
            let at = c.textarea.cursor();
            (at.0, at.1)
        }),
        Some((0, 5))
    );
    let buf = crate::runtime::render_buffer(&app, 160, 24);
    let area = buf.area;
    let word = |x: u16, y: u16| -> String {
        (x..(x + 5).min(area.width))
            .map(|i| buf[(i, y)].symbol().to_string())
            .collect()
    };
    let (x, y) = (0..area.height)
        .flat_map(|y| (0..area.width).map(move |x| (x, y)))
        .find(|&(x, y)| word(x, y) == "alpha")
        .expect("the text is on screen");
    let cell = &buf[(x + 5, y)];
    assert_eq!(cell.symbol(), " ");
    assert!(cell.modifier.contains(Modifier::REVERSED), "{cell:?}");
    assert!(!buf[(x + 4, y)].modifier.contains(Modifier::REVERSED));
}

#[test]
fn readonly_refuses_actions() {
    let mut app = TestApp::new()
        .options(Options {
            readonly: true,
            ..Options::default()
        })
        .viewport(80, 24)
        .first_page(Some(page(0..3, None)))
        .build();
    assert!(app.update(typed('l'), t0()).is_empty());
    assert!(app.update(typed('g'), t0()).is_empty());
    assert!(app.update(typed('c'), t0()).is_empty());
    assert_eq!(app.mode, Mode::Feed);
    // The footer does not advertise what read-only mode refuses.
    let screen = screen_of(&app, 80, 24);
    let footer = screen.lines().last().unwrap_or_default();
    assert!(
        footer.contains("? help") && footer.contains("q quit"),
        "{footer}"
    );
    for refused in ["like", "medal", "comment"] {
        assert!(!footer.contains(refused), "{footer}");
    }
}

#[test]
fn new_posts_go_on_top_without_moving_the_selection() {
    let mut app = dash();
    for _ in 0..3 {
        app.update(key("j"), t0());
    }
    let (sel, row) = (
        app.feed().selected(),
        app.feed().selected() - app.feed().offset(),
    );
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
    assert_eq!(feed.selected(), sel + 2);
    assert_eq!(feed.selected() - feed.offset(), row, "same screen row");
    assert_eq!(feed.new_above(), 2);
    assert_eq!(feed.merged_new(), 2);
    assert!(feed.is_unseen("p1001") && !feed.is_unseen("p0"));
    // The title shows the marker; the jump key clears it.
    let screen = screen_of(&app, 160, 24);
    assert!(screen.contains("▲ 2 new (t)"), "{screen}");
    app.update(key("t"), t);
    assert_eq!(app.feed().selected(), 0);
    assert_eq!(app.feed().offset(), 0);
    assert_eq!(app.feed().new_above(), 0);
    // Still tinted (visible, not selected) until the next key at the top.
    assert!(app.feed().is_unseen("p1000") && !app.feed().is_unseen("p1001"));
    let screen = screen_of(&app, 160, 24);
    assert!(screen.contains("│+ @other-h"), "{screen}");
    app.update(key("j"), t);
    assert!(!app.feed().is_unseen("p1000"));
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
        let gen = app.feed().generation();
        app.update(
            feed_msg(gen, Loading::More, page(start..start + 20, Some(next))),
            t0(),
        );
    }
    let feed = app.feed();
    assert_eq!(feed.items().len(), 50);
    assert_eq!(feed.items()[0].id, "p10");
    assert!(feed.detached());
    assert_eq!(app.selected().map(|p| p.id.as_str()), Some("p39"));
    // A refresh cannot place new posts above a gap: it counts them.
    let t = t0() + Duration::seconds(20);
    refresh_with(
        &mut app,
        t,
        page([1000].into_iter().chain(0..19), Some("c1")),
    );
    assert_eq!(app.feed().items().len(), 50);
    // 10 posts dropped from the top at the cap, 1 new: the count goes on.
    assert_eq!(app.feed().newer_above(), 11);
    let screen = screen_of(&app, 160, 24);
    assert!(screen.contains("▲ 11+ newer (t)"), "{screen}");
    let fx = app.update(key("t"), t);
    assert_eq!(loads(&fx), vec![(None, Loading::First)]);
    let gen = app.feed().generation();
    app.update(
        feed_msg(
            gen,
            Loading::First,
            page([1000].into_iter().chain(0..19), Some("c1")),
        ),
        t,
    );
    assert!(!app.feed().detached());
    assert_eq!(app.feed().selected(), 0);
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
    let screen = screen_of(&app, 160, 24);
    assert!(screen.contains("10 of 20+ · filter: \"#EVEN\""), "{screen}");
    // A short filtered list loads more pages by itself, a bounded number.
    let mut auto = 0;
    let mut start = 20;
    while let Some((Some(c), Loading::More)) = loads(&fx).first().cloned() {
        auto += 1;
        assert!(auto <= FILTER_AUTO_PAGES as usize, "bounded");
        let gen = app.feed().generation();
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
    let gen = app.feed().generation();
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
    let screen = screen_of(&app, 160, 24);
    assert!(screen.contains("verdict gold"), "{screen}");
    for _ in 0..4 {
        app.update(key("v"), t);
    }
    assert_eq!(app.filter.verdict, VerdictFilter::All);
    app.update(key("/"), t);
    app.update(key("esc"), t);
    assert!(!app.filter.is_active());
    assert_eq!(app.feed().view_len(), app.feed().items().len());
}

#[test]
fn pause_stops_the_automatic_refresh_until_resumed() {
    let mut app = dash();
    app.update(key("p"), t0());
    assert!(app.paused);
    let fx = app.update(Msg::Tick, t0() + Duration::seconds(25));
    assert!(loads(&fx).is_empty(), "{fx:?}");
    let screen = screen_of(&app, 160, 24);
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
    let screen = screen_of(&app, 160, 24);
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
    let s = status_text(&app);
    assert!(s.starts_with("Read-only mode"), "{s}");
}

#[test]
fn failed_reads_back_off_and_resume_by_themselves() {
    let mut app = dash();
    let mut t = t0() + Duration::seconds(20);
    let fx = app.update(Msg::Tick, t);
    assert_eq!(loads(&fx).len(), 1);
    let gen = app.feed().generation();
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
        let screen = screen_of(&app, 160, 24);
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
        let gen = app.feed().generation();
        app.update(Msg::Me(Err(net())), t);
        app.update(feed_err(gen, Loading::Merge, net()), t);
    }
    let screen = screen_of(&app, 160, 24);
    assert!(screen.contains("offline since 12:00"), "{screen}");
    // The server is back: the next resync succeeds, the app is live.
    t = app.link.retry_at.expect("planned");
    let fx = app.update(Msg::Tick, t);
    let gen = app.feed().generation();
    assert!(fx.contains(&Effect::FetchMe));
    app.update(feed_msg(gen, Loading::Merge, page(0..20, Some("c1"))), t);
    assert!(!app.link.is_failing());
    assert_eq!(app.connection(), Connection::Online);
    let screen = screen_of(&app, 160, 24);
    assert!(screen.contains("live · updated just now"), "{screen}");
    assert_eq!(app.auto_refresh_at, Some(t + Duration::seconds(20)));
}

#[test]
fn one_post_is_one_post_and_a_multi_line_caption_ends_in_an_ellipsis() {
    let mut p = item(1);
    p.caption = Some("first line\n\nsecond line".into());
    let one = FeedPage {
        items: vec![p],
        next_cursor: None,
        skipped: 0,
    };
    let app = TestApp::new().first_page(Some(one)).build();
    let screen = screen_of(&app, 160, 24);
    assert!(screen.contains(" · 1 post · "), "{screen}");
    assert!(!screen.contains("1 posts"), "{screen}");
    assert!(screen.contains("first line… "), "{screen}");
    let mut two = page([1, 2], None);
    two.items[0].caption = Some("only line".into());
    let app = TestApp::new().first_page(Some(two)).build();
    let screen = screen_of(&app, 160, 24);
    assert!(screen.contains(" · 2 posts · "), "{screen}");
    assert!(screen.contains("only line "), "{screen}");
    assert!(!screen.contains("only line…"), "{screen}");
}

#[test]
fn below_a_usable_size_the_screen_says_too_small() {
    let mut app = loaded();
    app.update(typed('c'), t0());
    for c in "wow7".chars() {
        app.update(typed(c), t0());
    }
    for (w, h) in [(20, 5), (39, 24), (80, 11)] {
        app.update(Msg::Resize(w, h), t0());
        let screen = screen_of(&app, w, h);
        let flat: String = screen.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("Terminal too small"), "{w}x{h}\n{screen}");
        assert!(flat.contains("comment is kept"), "{w}x{h}\n{screen}");
    }
    // Keys and pastes do not edit the hidden text (nor quit with `x`).
    for c in ['x', 'R', 'j'] {
        app.update(typed(c), t0());
    }
    app.update(key("enter"), t0());
    app.update(key("backspace"), t0());
    app.update(Msg::Paste("pasted".into()), t0());
    assert_eq!(
        app.composer.as_ref().map(|c| c.text()).as_deref(),
        Some("wow7")
    );
    assert!(!app.should_quit);
    // At the smallest usable size the editor is back with its text.
    app.update(Msg::Resize(40, 12), t0());
    let screen = screen_of(&app, 40, 12);
    assert!(!screen.contains("too small"), "{screen}");
    assert!(screen.contains("wow7"), "{screen}");
    // Too small again: Esc keeps the text as a draft and closes the editor.
    app.update(Msg::Resize(20, 5), t0());
    let post = app.composer.as_ref().map(|c| c.post_id.clone()).unwrap();
    app.update(key("esc"), t0());
    assert!(app.composer.is_none());
    assert_eq!(app.mode, Mode::Feed);
    assert_eq!(app.drafts.get(&post).map(String::as_str), Some("wow7"));
    // `q` quits, as the screen says, and the drafts are saved.
    let fx = app.update(typed('q'), t0());
    assert!(app.should_quit);
    let saved = fx.iter().find_map(|e| match e {
        Effect::SaveDrafts(d) => Some(d.clone()),
        _ => None,
    });
    assert_eq!(
        saved
            .and_then(|d| d.get(&post).map(str::to_string))
            .as_deref(),
        Some("wow7")
    );
}

#[test]
fn q_with_the_editor_open_on_a_tiny_screen_quits_and_keeps_the_text() {
    let mut app = loaded();
    app.update(typed('c'), t0());
    app.update(typed('h'), t0());
    app.update(Msg::Resize(20, 5), t0());
    let fx = app.update(typed('q'), t0());
    assert!(app.should_quit);
    // The open editor's text is saved as a draft that reopens at start.
    assert_eq!(
        app.composer.as_ref().map(|c| c.text()).as_deref(),
        Some("h")
    );
    assert!(app.open_draft_post().is_some());
    assert!(fx
        .iter()
        .any(|e| matches!(e, Effect::SaveDrafts(d) if d.iter().any(|(_, t)| t == "h"))));
}

#[test]
fn at_the_smallest_usable_size_the_editor_shows_what_is_typed() {
    for (w, h) in [(40, 12), (40, 13), (80, 12), (119, 12), (120, 12)] {
        let mut app = TestApp::new().viewport(w, h).build();
        app.update(typed('c'), t0());
        for c in "wow7".chars() {
            app.update(typed(c), t0());
        }
        let screen = screen_of(&app, w, h);
        assert!(screen.contains("wow7"), "{w}x{h}\n{screen}");
        assert!(screen.contains("4/2000"), "{w}x{h}\n{screen}");
    }
}

#[test]
fn the_rising_title_fits_with_every_part_on() {
    let mut app = dash();
    app.update(key("tab"), t0());
    let generation = app.rising.generation();
    app.update(
        Msg::Feed {
            sort: FeedSort::Rising,
            generation,
            kind: Loading::First,
            result: Ok(page(0..20, Some("r1"))),
        },
        t0(),
    );
    app.update(key("/"), t0());
    for c in "caption".chars() {
        app.update(typed(c), t0());
    }
    app.update(key("enter"), t0());
    app.update(typed('v'), t0());
    app.update(typed('m'), t0());
    app.update(typed('p'), t0());
    app.update(Msg::Tick, t0() + Duration::minutes(15));
    for w in [160, 120, 100, 80, 60, 40] {
        let screen = screen_of(&app, w, 45);
        let title = screen.lines().nth(2).unwrap_or_default().to_string();
        // Shortened part by part: the counts and the pause always stay.
        assert!(title.contains("paused"), "{w}: {title}");
        assert!(title.contains("20+"), "{w}: {title}");
        if w >= 100 {
            assert!(title.contains("\"caption\""), "{w}: {title}");
            assert!(title.contains("15 min ago"), "{w}: {title}");
        }
        if w == 160 {
            assert!(title.contains("ranked 15 min ago"), "{w}: {title}");
            assert!(title.contains("rising"), "{w}: {title}");
        }
    }
}

#[test]
fn filter_counts_on_screen_agree_while_pages_load() {
    let mut app = dash();
    app.update(key("/"), t0());
    for c in "#EVEN".chars() {
        app.update(typed(c), t0());
    }
    let fx = app.update(key("enter"), t0());
    // A page loads while the status message is still shown.
    let Some((Some(c), Loading::More)) = loads(&fx).first().cloned() else {
        panic!("a short filtered list loads more: {fx:?}")
    };
    let gen = app.feed().generation();
    let next = format!("{c}x");
    app.update(
        feed_msg(gen, Loading::More, page(20..40, Some(&next))),
        t0(),
    );
    let screen = screen_of(&app, 160, 24);
    assert!(screen.contains("20 of 40+ · filter"), "{screen}");
    // Every "N of M" on screen is the same pair.
    let pairs: Vec<&str> = screen
        .match_indices(" of ")
        .map(|(i, _)| {
            let start = screen[..i]
                .rfind(|c: char| !c.is_ascii_digit())
                .map_or(0, |s| s + 1);
            &screen[start..i]
        })
        .filter(|n| !n.is_empty())
        .collect();
    assert!(pairs.iter().all(|n| *n == "20"), "{pairs:?}\n{screen}");
}

fn screen(app: &App) -> String {
    screen_of(app, 160, 24)
}

#[test]
fn failed_first_load_is_retried_with_backoff_even_while_me_answers() {
    let mut app = TestApp::new().first_page(None).build();
    let gen = app.feed().generation();
    assert_eq!(app.feed().loading(), Some(Loading::First));
    let me = || Me {
        agent_id: "agent-me".into(),
        server_time: Some(t0().into()),
        quotas: connect().quotas,
        ..Default::default()
    };
    let fault = || ApiError::Http {
        status: 502,
        body: String::new(),
        retry_after: None,
    };
    // The feed fails, then `me` answers: the feed is still failing.
    app.update(feed_err(gen, Loading::First, fault()), t0());
    app.update(Msg::Me(Ok(me())), t0());
    assert!(app.link.is_failing());
    let s = screen(&app);
    assert!(s.contains("retrying"), "{s}");
    assert!(!s.contains("live"), "{s}");
    let mut t = t0();
    let mut prev = Duration::zero();
    for round in 1..=6 {
        let at = app.link.retry_at.expect("a retry is planned");
        let wait = at - t;
        if round > 1 {
            assert!(
                wait > prev,
                "round {round}: backs off ({wait:?} after {prev:?})"
            );
        }
        prev = wait;
        t = at;
        let fx = app.update(Msg::Tick, t);
        assert!(loads(&fx).contains(&(None, Loading::First)), "{fx:?}");
        let gen = app.feed().generation();
        app.update(Msg::Me(Ok(me())), t);
        let e = if round % 2 == 0 {
            ApiError::Decode("feed `items` is a string instead of an array".into())
        } else {
            fault()
        };
        app.update(feed_err(gen, Loading::First, e), t);
        assert!(!screen(&app).contains("· live"), "round {round}");
    }
    // It heals: the next retry loads the feed and the app is live.
    let at = app.link.retry_at.expect("a retry is planned");
    app.update(Msg::Tick, at);
    let gen = app.feed().generation();
    app.update(feed_msg(gen, Loading::First, page(0..20, Some("c1"))), at);
    assert!(!app.link.is_failing());
    assert!(app.feed().loaded());
    assert!(screen(&app).contains("· live"));
}

#[test]
fn updated_ago_counts_from_feed_reads_only() {
    let mut app = app_with(Options::default());
    app.update(key("p"), t0());
    // `me` polls every minute; the paused feed is not read.
    let mut t = t0();
    for _ in 0..5 {
        t += Duration::seconds(ME_INTERVAL_SECS);
        let fx = app.update(Msg::Tick, t);
        assert!(fx.contains(&Effect::FetchMe), "{fx:?}");
        app.update(Msg::Me(Ok(Me::default())), t);
    }
    let s = screen(&app);
    assert!(s.contains("(paused) · updated 5 min ago"), "{s}");
}

#[test]
fn a_repeating_cursor_stops_paging_with_a_message() {
    let mut app = app_with(Options::default());
    let fx = app.update(key("end"), t0());
    assert_eq!(loads(&fx), vec![(Some("c1".into()), Loading::More)]);
    let gen = app.feed().generation();
    // The server answers the next page with the cursor it was asked for.
    let fx = app.update(feed_msg(gen, Loading::More, page(20..40, Some("c1"))), t0());
    assert!(loads(&fx).is_empty(), "{fx:?}");
    assert_eq!(status_text(&app), STALLED);
    for _ in 0..3 {
        assert!(loads(&app.update(key("end"), t0())).is_empty());
    }
    // r starts over.
    let fx = app.update(key("r"), t0());
    assert_eq!(loads(&fx), vec![(None, Loading::First)]);
    let gen = app.feed().generation();
    app.update(feed_msg(gen, Loading::First, page(0..20, Some("c1"))), t0());
    assert!(!app.feed().stalled());
}

#[test]
fn empty_pages_in_a_row_stop_paging_within_one_key_press() {
    let mut app = app_with(Options::default());
    let mut fx = app.update(key("end"), t0());
    let mut requests = 0;
    for n in 2..20 {
        let Some((Some(_), Loading::More)) = loads(&fx).first().cloned() else {
            break;
        };
        requests += 1;
        let gen = app.feed().generation();
        let c = format!("c{n}");
        fx = app.update(feed_msg(gen, Loading::More, page([], Some(&c))), t0());
    }
    assert_eq!(requests, MAX_EMPTY_PAGES);
    assert_eq!(status_text(&app), STALLED);
}

#[test]
fn a_refresh_removes_posts_the_server_no_longer_returns() {
    let mut app = dash();
    app.update(key("j"), t0());
    app.update(key("j"), t0());
    assert_eq!(app.selected().map(|p| p.id.as_str()), Some("p2"));
    let t = t0() + Duration::seconds(20);
    let fresh = [1000, 0, 1, 3, 4].into_iter().chain(5..20);
    refresh_with(&mut app, t, page(fresh, Some("c1")));
    let ids = ids(&app);
    assert!(!ids.contains(&"p2".to_string()), "{ids:?}");
    assert!(ids.contains(&"p1000".to_string()));
    assert!(status_text(&app).contains("gone"), "{}", status_text(&app));
    assert_ne!(app.selected().map(|p| p.id.as_str()), Some("p2"));
}

#[test]
fn a_server_with_none_of_the_known_posts_reloads_the_list() {
    let mut app = dash();
    let t = t0() + Duration::seconds(20);
    let fx = refresh_with(&mut app, t, page(2000..2005, None));
    assert_eq!(loads(&fx), vec![(None, Loading::First)], "{fx:?}");
}

#[test]
fn repeated_refresh_keys_send_one_page_request_at_a_time() {
    let mut app = dash();
    let fx = app.update(key("r"), t0());
    assert_eq!(loads(&fx), vec![(None, Loading::First)]);
    for _ in 0..5 {
        let fx = app.update(key("r"), t0());
        assert!(loads(&fx).is_empty(), "{fx:?}");
    }
    let gen = app.feed().generation();
    app.update(feed_msg(gen, Loading::First, page(0..20, Some("c1"))), t0());
    let fx = app.update(key("r"), t0());
    assert_eq!(loads(&fx), vec![(None, Loading::First)]);
}

#[test]
fn posts_with_a_draft_are_marked_in_the_feed_and_the_restore_says_so() {
    let mut app = loaded();
    let drafts = [("p1".to_string(), "half a thought".to_string())].into();
    app.restore_drafts(drafts, None);
    let s = status_text(&app);
    assert_eq!(
        s,
        "Draft restored: 1 unsent comment kept; its post is marked ✎ in the feed (c continues)."
    );
    app.status = None;
    let screen = screen_of(&app, 120, 30);
    // Rows marked (the header row's legend names the mark too).
    let marked = |screen: &str| -> Vec<String> {
        screen
            .lines()
            .filter(|l| l.contains(&format!("{DRAFT_MARK}@")))
            .map(str::to_string)
            .collect()
    };
    let rows = marked(&screen);
    assert_eq!(rows.len(), 1, "{screen}");
    assert!(rows[0].contains("caption 1"), "{}", rows[0]);
    // The open editor's text marks its post too; an empty editor does not.
    app.update(key("c"), t0());
    assert_eq!(marked(&screen_of(&app, 120, 30)).len(), 1);
    app.update(typed('x'), t0());
    assert_eq!(marked(&screen_of(&app, 120, 30)).len(), 2);
}

#[test]
fn posts_with_several_pictures_are_marked_in_the_marks_column() {
    let mut p = page(0..6, Some("c1"));
    for (i, n) in [(1, 2), (2, 3), (3, 1), (4, 12)] {
        p.items[i].media = pictures(&p.items[i].id, n);
    }
    let mut app = TestApp::new().first_page(Some(p)).build();
    app.restore_drafts([("p2".to_string(), "half".to_string())].into(), None);
    for (w, h) in [(80, 24), (160, 45)] {
        let screen = screen_of(&app, w, h);
        let lines: Vec<&str> = screen.lines().collect();
        // The header row's caption label carries the marks' legend.
        let head = lines[3];
        assert!(head.starts_with("│  author"), "{head}");
        assert!(head.contains(&format!("caption  {MARKS_LEGEND}")), "{head}");
        let row_of = |id: &str| {
            let caption = format!("caption {id} ");
            lines
                .iter()
                .find(|l| l.contains(&caption))
                .map(|l| l.chars().skip(1).take(3).collect::<String>())
                .unwrap_or_else(|| panic!("no row for {id}:\n{screen}"))
        };
        // Marker, mark, then the author: the number of pictures (videos
        // are not counted); a draft's mark wins.
        assert_eq!(row_of("0"), "> @", "{screen}");
        assert_eq!(row_of("1"), " 2@", "{screen}");
        assert_eq!(row_of("2"), " ✎@", "the draft wins\n{screen}");
        assert_eq!(row_of("3"), "  @", "one picture: no mark\n{screen}");
        assert_eq!(row_of("4"), " *@", "{screen}");
    }
    // Too narrow for the legend: the label alone.
    let narrow = screen_of(&app, 60, 24);
    let head = narrow.lines().nth(3).unwrap_or_default();
    assert!(
        head.contains("caption") && !head.contains("draft"),
        "{head}"
    );
}

#[test]
fn the_selected_row_shows_no_red_block_where_nothing_is_liked() {
    use ratatui::style::Color;
    let mut app = loaded();
    let red_on_selected_row = |app: &App| {
        let buf = crate::runtime::render_buffer(app, 120, 30);
        let text = crate::runtime::buffer_text(&buf);
        let y = text
            .lines()
            .position(|l| l.contains("│> "))
            .expect("a selected row") as u16;
        (0..120).any(|x| buf[(x, y)].fg == Color::Red)
    };
    assert!(!app.selected().unwrap().agent_liked);
    assert!(!red_on_selected_row(&app));
    // A like is still red.
    app.update(key("l"), t0());
    assert!(red_on_selected_row(&app));
}

#[test]
fn a_profile_leads_the_header_and_the_switcher_lists_every_agent() {
    let tag = |name: &str, colour: &str| ProfileTag {
        name: name.into(),
        colour: colour.into(),
    };
    let mut app = app_with(Options {
        profile: Some(tag("artist", "magenta")),
        base_url: "http://127.0.0.1:8001".into(),
        ..Options::default()
    });
    let screen = screen_of(&app, 160, 30);
    let header = screen.lines().next().unwrap();
    assert!(header.starts_with(" artist  @"), "{header}");
    assert!(!header.contains("AIspace"), "{header}");
    let entry = |t: ProfileTag, handle: &str, connection: Connection, active: bool| ProfileEntry {
        tag: t,
        handle: handle.into(),
        base_url: "http://127.0.0.1:8001".into(),
        connection,
        active,
    };
    app.set_profiles(vec![
        entry(tag("artist", "magenta"), "me", Connection::Online, true),
        entry(
            tag("moderator", "cyan"),
            "",
            Connection::Offline("no answer".into()),
            false,
        ),
    ]);
    app.update(key("A"), app.now);
    let screen = screen_of(&app, 160, 30);
    assert!(screen.contains("Act as which agent?"), "{screen}");
    let line = |name: &str| {
        screen
            .lines()
            .find(|l| l.contains('│') && l.contains(&format!(" {name} ")))
            .unwrap_or_else(|| panic!("{name} in {screen}"))
            .to_string()
    };
    assert!(line("artist").contains("@me "), "{screen}");
    assert!(line("artist").contains("online"), "{screen}");
    assert!(line("artist").contains("← acting"), "{screen}");
    assert!(
        line("moderator").contains("(not connected yet)"),
        "{screen}"
    );
    assert!(
        line("moderator").contains("offline (no answer)"),
        "{screen}"
    );
    assert!(!line("moderator").contains("acting"), "{screen}");
}

#[test]
fn follow_mode_is_shown_in_the_header() {
    let mut app = dash();
    app.update(typed('F'), t0());
    let screen = screen_of(&app, 160, 24);
    let header: Vec<&str> = screen.lines().take(2).collect();
    insta::assert_snapshot!("follow_header_160", header.join("\n"));
    assert!(header[0].contains("· following"), "{screen}");
}

#[test]
fn feed_rows_show_age_and_comments_under_a_header_with_the_position() {
    let mut p = page(0..20, Some("c1"));
    p.items[0].stats.comments = 7;
    p.items[1].stats.comments = 12_345;
    let mut app = TestApp::new().first_page(Some(p)).viewport(120, 30).build();
    app.update(typed('j'), t0() + Duration::seconds(30));
    let screen = screen_of(&app, 120, 30);
    let lines: Vec<&str> = screen.lines().collect();
    // The row under the feed's top border names the columns.
    let head = lines[3];
    for label in [
        "author", "caption", "age", "like", "cmt", "med", "AI", "you",
    ] {
        assert!(head.contains(label), "{label}: {head}\n{screen}");
    }
    // p0 published at t0 (30 s ago: "now"), p1 a minute before, p19 19 min.
    let row_of = |id: &str| {
        let caption = format!("caption {id} ");
        lines
            .iter()
            .find(|l| l.contains(&caption))
            .map(|l| l.to_string())
            .unwrap_or_else(|| panic!("no row for {id}:\n{screen}"))
    };
    assert!(row_of("0").contains(" now "), "{}", row_of("0"));
    assert!(row_of("0").contains("   7 "), "{}", row_of("0"));
    assert!(row_of("1").contains(" 1m "), "{}", row_of("1"));
    assert!(row_of("1").contains(" 12k "), "{}", row_of("1"));
    assert!(row_of("19").contains(" 19m "), "{}", row_of("19"));
    // Where the selection is, on the bottom border ("+": more to load).
    assert!(screen.contains(" 2/20+ "), "{screen}");
    assert!(
        !screen.contains("gold/silver/bronze · AI verdict"),
        "{screen}"
    );
    // At 120 columns a caption gets at least 30 columns.
    let feed = crate::app::layout::areas(ratatui::layout::Rect::new(0, 0, 120, 30), false)
        .feed
        .expect("feed pane");
    let caption = super::feed::Columns::new(usize::from(feed.width) - 2).caption();
    assert!(caption >= 30, "{caption}");
}

#[test]
fn ages_and_compact_counts() {
    use crate::duration::age;
    let t = 1_772_625_600;
    assert_eq!(age(t, t), "now");
    assert_eq!(age(t, t + 500), "now", "scheduled / skewed: ahead");
    assert_eq!(age(t, t - 59), "now");
    assert_eq!(age(t, t - 4 * 60), "4m");
    assert_eq!(age(t, t - 3 * 3600), "3h");
    assert_eq!(age(t, t - 2 * 86_400), "2d");
    assert_eq!(age(t, t - 120 * 86_400), "17w");
    assert_eq!(age(t, t - 800 * 86_400), "2y");
    assert_eq!(age(i64::MAX, i64::MIN), "old", "no overflow");
    assert_eq!(age(i64::MIN, i64::MAX), "now", "no overflow");
}

#[test]
fn the_triage_queue_shows_its_place_and_the_outbox_is_listed_with_its_wait() {
    let mut app = app_with(Options::default());
    app.update(typed('T'), t0());
    let screen = screen_of(&app, 160, 45);
    assert!(
        screen.contains("Triage 1/20 · oldest first"),
        "the pane's title says where: {screen}"
    );
    assert!(screen.contains("caption 19"), "the oldest post: {screen}");
    for _ in 0..12 {
        app.update(typed('g'), t0());
    }
    let screen = screen_of(&app, 160, 45);
    let header: Vec<&str> = screen.lines().take(2).collect();
    assert!(header[1].contains("outbox 12"), "{screen}");
    assert!(screen.contains("Triage 13/20"), "{screen}");
    app.update(typed('O'), t0() + Duration::seconds(5));
    assert_eq!(app.mode, Mode::Outbox);
    let screen = screen_of(&app, 160, 45);
    assert!(screen.contains("Outbox: 12 medals"), "{screen}");
    assert!(
        screen.contains(
            "gold    @other-h caption 9                     waits (window frees in 55 s)"
        ),
        "{screen}"
    );
    assert!(screen.contains("gold    @other-h caption 19"), "{screen}");
    assert!(screen.contains("sending"), "{screen}");
    // x cancels the selected (first waiting) medal; the list says so.
    app.update(typed('x'), t0() + Duration::seconds(5));
    assert_eq!(app.outbox.len(), 11);
    assert!(status_text(&app).starts_with("Cancelled the gold medal for @other-h"));
    // At 80 x 24 the list still fits and keeps its keys.
    let small = screen_of(&app, 80, 24);
    assert!(small.contains("cancel"), "{small}");
    app.update(typed('O'), t0() + Duration::seconds(6));
    assert_eq!(app.mode, Mode::Triage, "back to the triage");
}

#[test]
fn the_sort_tab_the_mouse_clicks_is_where_the_title_draws_it() {
    // `layout::spot` and `feed_title(..).tab` say where a click switches
    // the sort; the drawn screen must show `tab: …` exactly there, at
    // every width, titles cut or not, on either sort.
    for (w, h) in [
        (80, 24),
        (100, 30),
        (120, 40),
        (160, 45),
        (200, 50),
        (40, 12),
    ] {
        for sort_key in [None, Some("tab")] {
            let mut app = TestApp::new().viewport(w, h).build();
            if let Some(k) = sort_key {
                app.update(key(k), t0());
            }
            let buf = crate::runtime::render_buffer(&app, w, h);
            let title = feed_title(&app, layout::feed_title_width((w, h), false));
            let Some(tab) = title.tab else {
                continue;
            };
            let drawn: String = tab
                .clone()
                .map(|cell| {
                    let column = cell + 1;
                    assert_eq!(
                        layout::spot((w, h), false, column, 2),
                        layout::Spot::FeedTitle(cell)
                    );
                    buf[(column, 2)].symbol().to_string()
                })
                .collect();
            let want = format!("tab: {}", app.sort.other().label());
            assert!(want.starts_with(&drawn), "{w}x{h}: {drawn:?} for {want:?}");
            assert!(!drawn.is_empty());
        }
    }
}
