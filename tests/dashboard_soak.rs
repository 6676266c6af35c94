//! The live dashboard for one simulated hour: the TUI (`runtime::Harness`,
//! real effects runner, real HTTP) against the sandbox with simulated
//! activity (`Sandbox::tick` on a manual clock) and injected faults (500s,
//! dropped connections, truncated JSON). Time moves by advancing the clock
//! to the app's next wake-up (at most 5 s at a time); nothing sleeps.
//!
//! Checked at every step: the post count never exceeds the cap, no post is
//! listed twice, and the selection never moves by itself (same post, same
//! screen row) between the user's own key presses. At the end: the app is
//! live, every post published during the hour was merged exactly once, and
//! the comment typed mid-way (through refreshes) is kept.
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use aispace_tui::api::{Client, Sort};
use aispace_tui::app::{Mode, Options};
use aispace_tui::runtime::Harness;
use aispace_tui::sandbox::{Clock, Faults, Seed};
use chrono::Duration;
use common::t0;
use std::collections::HashSet;

const CAP: usize = 60;
const HOUR_SECS: i64 = 3600;

/// Every post id of the latest feed, newest first (faults must be off).
async fn sandbox_ids(client: &Client) -> Vec<String> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = client
            .feed(&Sort::Latest, Some(50), cursor.as_deref())
            .await
            .expect("a feed page");
        out.extend(page.items.into_iter().map(|p| p.id));
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => return out,
        }
    }
}

/// The selected post id and its screen row.
fn selection(h: &Harness) -> (String, usize) {
    let f = h.app.feed();
    let id = f
        .selected_item()
        .map(|p| p.id.clone())
        .expect("a selection");
    (id, f.selected() - f.offset())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_hour_of_live_dashboard_with_activity_and_faults() {
    let clock = Clock::manual(t0());
    let run = common::sandbox(Seed::Demo, false, &clock).await;
    let sb = run.sandbox.clone();
    sb.tick(clock.now()); // starts the simulator's schedule
    let client = common::demo_client(&run);
    let before: HashSet<String> = sandbox_ids(&client).await.into_iter().collect();

    let options = Options {
        refresh_secs: 20,
        feed_cap: CAP,
        demo: true,
        ..Options::default()
    };
    let mut h = common::harness(&run, &clock, options, (160, 24)).await;
    sb.set_faults(Faults {
        error_rate: 0.2,
        drop_rate: 0.05,
        bad_json_rate: 0.02,
        ..Faults::default()
    });

    h.keys(&["j", "j"]).await;
    let mut expect = selection(&h);
    let mut seen: HashSet<String> = HashSet::new();
    let mut draft_post = String::new();
    let mut failures_seen = 0u32;
    let mut steps = 0u32;
    let mut max_len = 0usize;
    let mut trims = 0u32;
    let mut prev_len = 0usize;
    // The user glances at the newest posts every 5 minutes (with cap 60
    // and 18 rows, about 35 new posts fit above the view before the top
    // would have to go: see the unit tests for that case).
    let mut next_user_action = 300;

    loop {
        let now = clock.now();
        let elapsed = (now - t0()).num_seconds();
        if elapsed >= HOUR_SECS {
            break;
        }
        // The user's own actions, at fixed times (the selection may move
        // only here).
        if elapsed >= next_user_action {
            match next_user_action {
                1230 => h.key("t").await,
                1200 => {
                    h.key("t").await;
                    // A burst: more new posts than one page holds.
                    for i in 0..25 {
                        let at = now - Duration::milliseconds(500 - i * 10);
                        sb.insert_post(
                            "pixel-poet",
                            Some(&format!("burst {i}")),
                            &["burst"],
                            at,
                            None,
                        )
                        .unwrap();
                    }
                }
                1800 => {
                    h.key("c").await;
                    assert_eq!(h.app.mode, Mode::Editor);
                    draft_post = h.app.composer.as_ref().unwrap().post_id.clone();
                    h.type_text("First half of a comment,").await;
                }
                2400 => {
                    h.type_text(" second half.").await;
                    h.key("esc").await;
                    assert_eq!(h.app.mode, Mode::Confirm);
                    h.key("k").await; // keep as draft
                    h.key("t").await;
                }
                2100 => {} // the editor is open
                _ if h.app.mode == Mode::Feed => h.key("t").await,
                _ => {}
            }
            next_user_action = match next_user_action {
                1200 => 1230,
                1230 => 1500,
                n => n + 300,
            };
            expect = selection(&h);
        }
        // Advance to the app's next wake-up (at most 5 s), let the
        // simulator act, then tick the app.
        let wake = h.app.next_wake().unwrap_or(now + Duration::seconds(5));
        let next = wake.clamp(
            now + Duration::milliseconds(100),
            now + Duration::seconds(5),
        );
        clock.set(next);
        sb.tick(next);
        h.tick().await;
        steps += 1;
        if h.app.link.is_failing() {
            failures_seen += 1;
        }

        let feed = h.app.feed();
        assert!(feed.items().len() <= CAP, "{} posts", feed.items().len());
        if feed.items().len() < prev_len {
            trims += 1;
        }
        prev_len = feed.items().len();
        max_len = max_len.max(feed.items().len());
        assert!(!feed.detached(), "the top was dropped at +{elapsed} s");
        let ids: HashSet<&str> = feed.items().iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids.len(), feed.items().len(), "a post is listed twice");
        let (marks, unseen, n) = feed.bookkeeping_len();
        assert!(marks <= n && unseen <= n && n == feed.items().len());
        assert_eq!(
            selection(&h),
            expect,
            "the selection moved by itself at +{elapsed} s"
        );
        seen.extend(feed.items().iter().map(|p| p.id.clone()));
        if h.app.mode == Mode::Editor {
            assert_eq!(
                h.app.composer.as_ref().map(|c| c.text()),
                Some("First half of a comment,".to_string())
            );
        }
    }
    eprintln!(
        "steps {steps}, failing steps {failures_seen}, max posts {max_len}, trims {trims}, merged {}",
        h.app.latest.merged_new()
    );
    assert!(failures_seen > 0, "the faults were felt");
    assert_eq!(max_len, CAP, "the cap was reached");
    assert!(trims > 0, "old posts were trimmed");
    assert!(steps > 720, "{steps} steps");

    // Faults off, no more activity: the app recovers by itself and its
    // next refreshes bring the last posts of the hour.
    sb.set_faults(Faults::default());
    for _ in 0..20 {
        let now = clock.now();
        let next = h
            .app
            .next_wake()
            .unwrap_or(now + Duration::seconds(5))
            .clamp(
                now + Duration::milliseconds(100),
                now + Duration::seconds(5),
            );
        clock.set(next);
        h.tick().await;
        seen.extend(h.app.feed().items().iter().map(|p| p.id.clone()));
    }
    assert!(!h.app.link.is_failing(), "{:?}", h.app.link);
    let screen = h.screen();
    assert!(screen.contains("live · updated just now"), "{screen}");

    // Every post published during the hour was merged exactly once.
    let all = sandbox_ids(&client).await;
    let new: Vec<&String> = all.iter().filter(|id| !before.contains(*id)).collect();
    assert!(new.len() >= 40, "{} new posts", new.len());
    let missed: Vec<&&String> = new.iter().filter(|id| !seen.contains(**id)).collect();
    if !missed.is_empty() {
        let pos: Vec<usize> = missed
            .iter()
            .map(|m| all.iter().position(|x| x == **m).unwrap())
            .collect();
        eprintln!(
            "DEBUG missed at {pos:?} of {} (new {}), merged {}",
            all.len(),
            new.len(),
            h.app.latest.merged_new()
        );
        let top: Vec<String> = h
            .app
            .feed()
            .items()
            .iter()
            .take(30)
            .map(|p| format!("{} {}", p.id, p.published_at))
            .collect();
        eprintln!("app top: {top:#?}");
        let p2 = client.feed(&Sort::Latest, Some(30), None).await.unwrap();
        let srv: Vec<String> = p2
            .items
            .iter()
            .map(|p| format!("{} {}", p.id, p.published_at))
            .collect();
        eprintln!("server top: {srv:#?}");
    }
    assert!(missed.is_empty(), "never shown: {missed:?}");
    assert_eq!(h.app.latest.merged_new(), new.len() as u64);
    // The top of the list is the server's newest posts, in order.
    h.key("t").await;
    let top: Vec<&str> = h
        .app
        .feed()
        .items()
        .iter()
        .take(20)
        .map(|p| p.id.as_str())
        .collect();
    let want: Vec<&str> = all.iter().take(20).map(String::as_str).collect();
    assert_eq!(top, want);

    // The comment typed mid-way is kept, whole.
    assert_eq!(
        h.app.drafts.get(&draft_post).map(String::as_str),
        Some("First half of a comment, second half.")
    );
    assert!(h.app.drafts_to_save().contains_key(&draft_post));
}
