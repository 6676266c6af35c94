//! The archive views in the TUI (issue 14): the author view, the search
//! and the history, through `App` and the real effects runner against the
//! sandbox (`runtime::Harness`, whose archive lives in memory as with
//! `--demo`): posts are stored as the feed loads them, the views read the
//! store, and a medal given from search results reaches the sandbox.
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use aispace_tui::api::{FeedItem, Medal, Sort};
use aispace_tui::app::{Mode, ViewKind};
use aispace_tui::runtime::Harness;
use aispace_tui::store::Outcome;
use common::tui::{env, env_sized, Env};

/// Loads every page of the latest feed (so every post is stored).
async fn load_all(h: &mut Harness) {
    for _ in 0..10 {
        if h.app.feed().at_end() {
            break;
        }
        h.key("end").await;
    }
    assert!(h.app.feed().at_end(), "the whole feed loaded");
    h.key("t").await;
}

fn view_posts(h: &Harness) -> Vec<FeedItem> {
    h.app.view.as_ref().expect("a view is open").posts.clone()
}

/// The post `id` as the sandbox now serves it to the demo agent.
async fn served(e: &Env, id: &str) -> FeedItem {
    let c = common::demo_client(e.run.as_ref().unwrap());
    let mut cursor: Option<String> = None;
    loop {
        let page = c
            .feed(&Sort::Latest, Some(50), cursor.as_deref())
            .await
            .unwrap();
        if let Some(p) = page.items.iter().find(|p| p.id == id) {
            return p.clone();
        }
        cursor = page.next_cursor;
        assert!(cursor.is_some(), "post {id} not served");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_author_view_lists_only_that_authors_stored_posts_newest_first() {
    let mut e = env().await;
    load_all(&mut e.h).await;
    // An author with more than one post.
    let items = e.h.app.feed().items().to_vec();
    let author = items
        .iter()
        .map(|p| p.author.handle.clone())
        .find(|a| items.iter().filter(|p| &p.author.handle == a).count() > 1)
        .expect("an author with two posts");
    let expected: Vec<String> = items
        .iter()
        .filter(|p| p.author.handle == author)
        .map(|p| p.id.clone())
        .collect();
    while e.h.app.selected().unwrap().author.handle != author {
        e.h.key("j").await;
    }
    let feed_selected = e.h.app.feed().selected();
    e.h.key("a").await;
    let v = e.h.app.view.as_ref().expect("the author view");
    assert_eq!(v.kind, ViewKind::Author(author.clone()));
    let posts = view_posts(&e.h);
    assert!(posts.iter().all(|p| p.author.handle == author), "{posts:?}");
    let ids: Vec<String> = posts.iter().map(|p| p.id.clone()).collect();
    // The latest feed is newest first: the same order.
    assert_eq!(ids, expected);
    let times: Vec<_> = posts.iter().map(|p| p.published_at.clone()).collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted, "newest first");
    let screen = e.h.screen();
    let n = expected.len();
    assert!(
        screen.contains(&format!("@{author} · {n} stored posts")),
        "{screen}"
    );
    // The post pane shows the view's selection; j moves in the view.
    e.h.key("j").await;
    assert_eq!(e.h.app.selected().unwrap().id, ids[1]);
    // Esc: the feed exactly as it was.
    e.h.key("esc").await;
    assert!(e.h.app.view.is_none());
    assert_eq!(e.h.app.feed().selected(), feed_selected);
    assert_eq!(e.h.app.selected().unwrap().author.handle, author);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_finds_prefixes_and_folded_accents_and_a_medal_from_the_results_reaches_the_sandbox()
{
    let mut e = env().await;
    load_all(&mut e.h).await;
    // An accent-folded, upper-case prefix: "UNICO" finds "Ünïcödé".
    e.h.key("S").await;
    assert_eq!(e.h.app.mode, Mode::Search);
    e.h.type_text("UNICO").await;
    e.h.key("enter").await;
    assert_eq!(e.h.app.mode, Mode::Feed);
    let posts = view_posts(&e.h);
    assert!(!posts.is_empty(), "no result for UNICO");
    assert!(
        posts
            .iter()
            .all(|p| p.caption.as_deref().unwrap_or("").contains("Ünïcödé")),
        "{posts:?}"
    );
    // A prefix word: "cyber" finds the #cyberpunk posts.
    e.h.key("S").await;
    e.h.type_text("cyber").await;
    e.h.key("enter").await;
    let posts = view_posts(&e.h);
    let want =
        e.h.app
            .feed()
            .items()
            .iter()
            .filter(|p| {
                p.tags.iter().any(|t| t.starts_with("cyber"))
                    || p.caption
                        .as_deref()
                        .unwrap_or("")
                        .to_lowercase()
                        .contains("cyber")
            })
            .count();
    assert!(want > 0);
    assert_eq!(posts.len(), want, "{posts:?}");
    let screen = e.h.screen();
    assert!(
        screen.contains(&format!("search \"cyber\" · {want} results")),
        "{screen}"
    );
    // Gold from the results, on a post of someone else not medalled yet.
    while {
        let p = e.h.app.selected().unwrap();
        p.author.handle == "demo-agent" || p.agent_medal.is_some()
    } {
        e.h.key("j").await;
    }
    let target = e.h.app.selected().unwrap().clone();
    e.h.key("g").await;
    let shown = e.h.app.selected().unwrap();
    assert_eq!(
        shown.agent_medal,
        Some(Medal::Gold),
        "the result row shows it"
    );
    assert_eq!(
        served(&e, &target.id).await.agent_medal,
        Some(Medal::Gold),
        "the sandbox has it"
    );
    // A search without a match says so.
    e.h.key("S").await;
    e.h.type_text("zzqxnothing").await;
    e.h.key("enter").await;
    assert!(e.h.screen().contains("no stored posts match"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_lists_a_like_and_a_medal_just_given_with_their_outcome() {
    let mut e = env().await;
    e.h.key("H").await;
    assert!(
        e.h.screen().contains("history · 0 actions"),
        "{}",
        e.h.screen()
    );
    e.h.key("esc").await;
    while {
        let p = e.h.app.selected().unwrap();
        p.author.handle == "demo-agent" || p.agent_medal.is_some() || p.agent_liked
    } {
        e.h.key("j").await;
    }
    let post = e.h.app.selected().unwrap().clone();
    e.h.keys(&["l", "s"]).await;
    e.h.key("H").await;
    let v = e.h.app.view.as_ref().expect("the history view");
    let rows: Vec<_> = v
        .history
        .iter()
        .map(|h| {
            (
                h.action.kind.as_str(),
                h.action.detail.clone(),
                h.action.outcome.clone(),
                h.action.post_id.clone(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("medal", "SILVER".into(), Outcome::Accepted, post.id.clone()),
            ("like", "liked".into(), Outcome::Accepted, post.id.clone()),
        ]
    );
    // The stored post comes along: the pane shows it, and writes act on it.
    assert_eq!(e.h.app.selected().unwrap().id, post.id);
    let screen = e.h.screen();
    assert!(screen.contains("history · 2 actions"), "{screen}");
    assert!(
        screen.contains("SILVER") && screen.contains("accepted"),
        "{screen}"
    );
    assert!(
        screen.contains(&format!("@{}", post.author.handle)),
        "{screen}"
    );
    // r asks the store again: a new action shows on top.
    e.h.key("g").await;
    e.h.key("r").await;
    let v = e.h.app.view.as_ref().unwrap();
    assert_eq!(v.history.len(), 3);
    assert_eq!(v.history[0].action.detail, "GOLD");
}

/// The three views on screen at 160x45 and 80x24 (after loading the feed).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn archive_view_snapshots() {
    for (w, h) in [(160, 45), (80, 24)] {
        let mut e = env_sized(w, h).await;
        load_all(&mut e.h).await;
        e.h.key("a").await;
        insta::assert_snapshot!(format!("author_{w}x{h}"), e.h.screen());
        e.h.key("esc").await;
        e.h.key("S").await;
        e.h.type_text("neon").await;
        insta::assert_snapshot!(format!("search_input_{w}x{h}"), e.h.screen());
        e.h.key("enter").await;
        insta::assert_snapshot!(format!("search_{w}x{h}"), e.h.screen());
        e.h.key("esc").await;
        while {
            let p = e.h.app.selected().unwrap();
            p.author.handle == "demo-agent" || p.agent_medal.is_some() || p.agent_liked
        } {
            e.h.key("j").await;
        }
        e.h.keys(&["l", "b", "H"]).await;
        // The store stamps actions with the real clock: masked.
        insta::assert_snapshot!(format!("history_{w}x{h}"), mask_times(&e.h.screen()));
    }
}

/// `MM-DD HH:MM` (or `HH:MM`) at the start of history rows, as `##`.
fn mask_times(screen: &str) -> String {
    screen
        .lines()
        .map(|l| {
            let mut c: Vec<char> = l.chars().collect();
            if c.len() > 13 && c[0] == '│' {
                for x in c.iter_mut().take(13).skip(2) {
                    if x.is_ascii_digit() {
                        *x = '#';
                    }
                }
            }
            c.into_iter().collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}
