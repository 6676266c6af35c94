//! The archive end to end, over real HTTP against the sandbox: pages the
//! `feed` subcommand and the TUI receive are stored, likes, medals and
//! comments are recorded with their outcome, and `aispace-tui archive
//! stats | search | author | history | export | prune` find them, also
//! with the server gone. Waits poll the screen with a generous deadline
//! that only guards against a hung test; nothing asserts a duration.
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use aispace_tui::sandbox::Seed;
use common::cli::{run_env, run_in};
use common::http::{demo_key, start};
use common::pty::Pty;
use common::server::{store_path, stored_rows, Server};
use serde_json::Value;
use std::process::Output;

fn ok_json(o: &Output) -> Value {
    assert!(
        o.status.success(),
        "stdout {} stderr {}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["ok"], true, "{v}");
    v
}

fn text(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A word of at least four letters from `caption`, shouted (search folds
/// case).
fn word_of(caption: &str) -> Option<String> {
    caption
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| w.chars().count() >= 4)
        .map(str::to_uppercase)
}

/// The ids of the posts in an `archive search|author --json` answer.
fn post_ids(v: &Value) -> Vec<String> {
    v["posts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["post"]["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_feed_subcommand_archives_its_page_and_archive_finds_it() {
    let env = start(Seed::Demo).await;
    let url = env.run.base_url.clone();
    tokio::task::spawn_blocking(move || {
        let home = tempfile::tempdir().unwrap();
        let home = home.path();
        let cli = |args: &[&str]| run_in(home, &url, demo_key(), args);

        // Before any feed: a clear error, no store made.
        let o = cli(&["archive", "stats"]);
        assert_eq!(o.status.code(), Some(1));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("no archive yet"), "{err}");

        let page = ok_json(&cli(&["feed", "--json", "--limit", "20"]));
        let items = page["items"].as_array().unwrap();
        assert!(!items.is_empty());
        let stats = ok_json(&cli(&["archive", "stats", "--json"]));
        assert_eq!(stats["posts"], items.len(), "{stats}");
        assert!(stats["schema"].as_u64().unwrap() >= 2);

        // Search: a caption word, shouted, finds its post.
        let (item, word) = items
            .iter()
            .find_map(|it| word_of(it["caption"].as_str()?).map(|w| (it, w)))
            .expect("a caption with a word");
        let id = item["id"].as_str().unwrap();
        let found = ok_json(&cli(&["archive", "search", &word, "--json"]));
        assert!(
            post_ids(&found).contains(&id.to_string()),
            "{word}: {found}"
        );
        // The post as received (the server's own fields, unparsed).
        let stored = found["posts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["post"]["id"] == id)
            .unwrap();
        assert_eq!(&stored["post"], item);
        assert!(text(&cli(&["archive", "search", &word])).contains(id));

        // Author, with the @ and another case.
        let handle = item["author"]["handle"].as_str().unwrap();
        let by = ok_json(&cli(&[
            "archive",
            "author",
            &format!("@{}", handle.to_uppercase()),
            "--json",
        ]));
        assert!(post_ids(&by).contains(&id.to_string()), "{by}");
        let expected = items
            .iter()
            .filter(|it| it["author"]["handle"] == handle)
            .count();
        assert_eq!(post_ids(&by).len(), expected, "{by}");

        // Actions: an accepted medal, a refused one (no such post).
        let other = items
            .iter()
            .find(|it| it["author"]["handle"] != "demo-agent")
            .unwrap()["id"]
            .as_str()
            .unwrap();
        assert!(cli(&["vote", other, "gold"]).status.success());
        let refused = cli(&["vote", "no-such-post", "silver"]);
        assert_eq!(refused.status.code(), Some(1));
        let h = ok_json(&cli(&["archive", "history", "--json"]));
        let actions = h["actions"].as_array().unwrap();
        assert_eq!(actions.len(), 2, "{h}");
        assert_eq!(actions[0]["postId"], "no-such-post");
        assert_eq!(actions[0]["outcome"], "refused");
        assert!(
            actions[0]["code"].as_str().is_some_and(|c| !c.is_empty()),
            "{h}"
        );
        assert_eq!(actions[1]["postId"], other);
        assert_eq!(actions[1]["kind"], "medal");
        assert_eq!(actions[1]["detail"], "GOLD");
        assert_eq!(actions[1]["outcome"], "accepted");
        let plain = text(&cli(&["archive", "history"]));
        assert!(plain.contains("medal") && plain.contains("GOLD"), "{plain}");

        // Export: one JSON line per post and action.
        let lines = text(&cli(&["archive", "export"]));
        let kinds: Vec<String> = lines
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap()["type"].to_string())
            .collect();
        assert_eq!(
            kinds.iter().filter(|k| *k == "\"post\"").count(),
            items.len()
        );
        assert_eq!(kinds.iter().filter(|k| *k == "\"action\"").count(), 2);

        // Prune with the defaults keeps everything this fresh.
        let p = ok_json(&cli(&["archive", "prune", "--json"]));
        assert_eq!(
            (p["oldPosts"].as_u64(), p["sizePosts"].as_u64()),
            (Some(0), Some(0))
        );
        assert_eq!(stored_rows(home, "posts"), items.len() as i64);
        // Pruning works on the whole store: no key needed.
        let o = run_in(home, &url, "", &["archive", "prune"]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(text(&o).starts_with("Pruned 0 posts"), "{}", text(&o));
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn archive_false_stores_no_posts_but_keeps_actions() {
    let env = start(Seed::Demo).await;
    let url = env.run.base_url.clone();
    tokio::task::spawn_blocking(move || {
        let home = tempfile::tempdir().unwrap();
        let home = home.path();
        let off = [("AISPACE_ARCHIVE", "false")];
        let page = ok_json(&run_env(home, &url, demo_key(), &["feed", "--json"], &off));
        assert!(!page["items"].as_array().unwrap().is_empty());
        assert_eq!(stored_rows(home, "posts"), 0);
        // With posts on, the same page is stored (the account is learned
        // once through connect).
        ok_json(&run_in(home, &url, demo_key(), &["feed", "--json"]));
        assert!(stored_rows(home, "posts") > 0);
    })
    .await
    .unwrap();
}

/// The TUI stores every page it receives and records a like; with the
/// server gone, `archive` still answers from the store.
#[test]
fn the_tui_archives_pages_and_actions_and_archive_reads_them_offline() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let server = Server::start();
    let mut p = Pty::start(home, server.spawn());
    p.wait_for("the feed", |s| s.contains("> @"));
    p.send(b"l");
    // The answer is recorded by the store's thread: poll the file.
    let deadline = std::time::Instant::now() + common::pty::DEADLINE;
    while stored_rows(home, "actions") == 0 {
        assert!(std::time::Instant::now() < deadline, "no action recorded");
        std::thread::sleep(common::pty::POLL);
    }
    p.send(b"q");
    assert_eq!(p.wait_exit(), 0);
    p.wait_eof();
    let (url, key) = (server.url.clone(), server.key.clone());
    drop(server);

    let cli = |args: &[&str]| run_in(home, &url, &key, args);
    let export = ok_json(&cli(&["archive", "export", "--json"]));
    let posts = export["posts"].as_array().unwrap();
    assert!(!posts.is_empty(), "{export}");
    let actions = export["actions"].as_array().unwrap();
    assert_eq!(actions.len(), 1, "{export}");
    assert_eq!(actions[0]["kind"], "like");
    assert_eq!(actions[0]["detail"], "liked");
    assert_eq!(actions[0]["outcome"], "accepted");
    let (post, word) = posts
        .iter()
        .find_map(|p| word_of(p["post"]["caption"].as_str()?).map(|w| (p, w)))
        .expect("a caption with a word");
    let found = ok_json(&cli(&["archive", "search", &word, "--json"]));
    let id = post["post"]["id"].as_str().unwrap().to_string();
    assert!(post_ids(&found).contains(&id), "{found}");
    let handle = post["post"]["author"]["handle"].as_str().unwrap();
    let by = ok_json(&cli(&["archive", "author", handle, "--json"]));
    assert!(post_ids(&by).contains(&id), "{by}");
}

/// `--demo` records into a store that lives only as long as the process:
/// nothing is written under the data directory.
#[test]
fn the_demo_archives_in_memory_only() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let mut p = Pty::start(home, common::pty::Spawn::demo());
    p.wait_for("the feed", |s| s.contains("> @"));
    p.send(b"q");
    assert_eq!(p.wait_exit(), 0);
    p.wait_eof();
    assert!(!store_path(home).exists(), "the demo wrote a store file");
    assert!(
        !home.join("data").exists(),
        "the demo made the data directory"
    );
}
