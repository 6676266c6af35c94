//! The stats screen (issue 15, charts): from the sandbox's demo data as
//! the feed stores it (the `Harness` archive lives in memory as with
//! `--demo`), and its empty state on an empty store.
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use aispace_tui::app::Options;
use aispace_tui::app::ViewKind;
use aispace_tui::store::Charts;
use common::tui::{env_prepared, env_sized};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_stats_screen_charts_the_demo_data_and_goes_back() {
    let mut e = env_sized(120, 40).await;
    for _ in 0..10 {
        if e.h.app.feed().at_end() {
            break;
        }
        e.h.key("end").await;
    }
    e.h.key("t").await;
    // One medal of mine (the demo agent) on a judged post, for the
    // agreement matrix.
    while {
        let p = e.h.app.selected().unwrap();
        p.author.handle == "demo-agent" || p.ai_verdict.is_none()
    } {
        e.h.key("j").await;
    }
    e.h.key("g").await;
    e.h.key("#").await;
    let v = e.h.app.view.as_ref().expect("the stats view");
    assert_eq!(v.kind, ViewKind::Stats);
    let c = v.charts.as_ref().expect("the store answered");
    assert!(
        c.posts > 0 && c.posts_per_hour.iter().sum::<u64>() > 0,
        "{c:?}"
    );
    assert!(c.medals.iter().sum::<u64>() > 0, "{c:?}");
    assert!(!c.top_authors.is_empty(), "{c:?}");
    // The medal is stamped with the app's (fake) clock, which the chart's
    // "last 24 h" follows too: it is in the last hour's bar.
    assert_eq!(c.mine_per_hour[aispace_tui::store::HOURS - 1], 1, "{c:?}");
    assert_eq!(c.mine_per_hour.iter().sum::<u64>(), 1, "{c:?}");
    insta::assert_snapshot!("stats_demo_120x40", e.h.screen());
    e.h.key("esc").await;
    assert!(e.h.app.view.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_store_shows_each_charts_empty_state() {
    // `archive = false`: the feed is shown but never stored, and no like,
    // medal or comment is given: the store holds nothing.
    let options = Options {
        archive: false,
        ..Options::default()
    };
    let mut e = env_prepared(120, 40, options, |_| {}).await;
    e.h.key("#").await;
    let c = e.h.app.view.as_ref().unwrap().charts.clone().unwrap();
    assert_eq!(c, Charts::default());
    let screen = e.h.screen();
    for words in [
        "No stored post was published in the last 24 hours.",
        "No accepted like, medal or comment",
        "No stored posts yet: the archive fills",
        "No medals on the stored posts.",
        "You have given no accepted medals",
    ] {
        assert!(screen.contains(words), "{words}\n{screen}");
    }
    insta::assert_snapshot!("stats_empty_120x40", screen);
}
