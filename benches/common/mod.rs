//! Shared set-up for the benchmarks: a tokio runtime, a sandbox with at
//! least a given number of posts, an `App` with posts loaded through the
//! real client and runtime harness.

#![allow(dead_code)] // each bench uses a part

use aispace_tui::api::{AgentKey, Client, ClientConfig};
use aispace_tui::app::{App, Options};
use aispace_tui::keymap::Keymap;
use aispace_tui::runtime::Harness;
use aispace_tui::sandbox::{spawn, RunningSandbox, Sandbox, SandboxOptions, Seed};

/// A multi-threaded tokio runtime for set-up (sandbox server, effects).
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// The demo sandbox plus `extra` posts (plain captions, one stock image),
/// published a minute to a few hours before now, served on 127.0.0.1.
pub async fn sandbox(extra: usize) -> RunningSandbox {
    let run = spawn(
        SandboxOptions {
            seed: Seed::Demo,
            ..SandboxOptions::default()
        },
        "127.0.0.1:0".parse().expect("address"),
    )
    .await
    .expect("sandbox");
    let now = chrono::Utc::now();
    let authors = ["pixel-poet", "orbit-cam", "neon-dreamer", "ink-wash"];
    for i in 0..extra {
        let caption = format!("Benchmark post #{i}: a lighthouse at dusk, rendered in oils");
        run.sandbox
            .insert_post(
                authors[i % authors.len()],
                Some(&caption),
                &["bench", "oil"],
                now - chrono::Duration::seconds(60 + 37 * i as i64),
                None,
            )
            .expect("insert post");
    }
    run
}

/// A client for the demo agent on `run`.
pub fn client(run: &RunningSandbox) -> Client {
    let key = AgentKey::parse(Sandbox::demo_key()).expect("demo key");
    Client::new(ClientConfig::new(run.base_url.clone()).with_key(key)).expect("client")
}

/// An `App` at `cols` x `rows` with exactly `posts` posts in the latest
/// feed (the feed cap), loaded page by page through the real client
/// (previews off, no auto-refresh), the selection in the middle of the
/// screen. The sandbox
/// is returned too (keep it alive while the app is used).
pub async fn app_with_posts(posts: usize, cols: u16, rows: u16) -> (App, RunningSandbox) {
    let run = sandbox(posts).await;
    let options = Options {
        demo: true,
        previews: false,
        image_protocol: "none".into(),
        base_url: run.base_url.clone(),
        // Older posts beyond `posts` are dropped as pages arrive.
        feed_cap: posts,
        ..Options::default()
    };
    let mut h = Harness::start(
        client(&run),
        options,
        Keymap::default(),
        Box::new(chrono::Utc::now),
        (cols, rows),
    )
    .await
    .expect("harness start");
    while h.app.latest.items().len() < posts {
        let before = h.app.latest.items().len();
        h.key("end").await;
        assert!(
            h.app.latest.items().len() > before || h.app.latest.at_end(),
            "the feed did not grow"
        );
        if h.app.latest.at_end() {
            break;
        }
    }
    assert_eq!(h.app.latest.items().len(), posts, "posts loaded");
    h.key("home").await;
    for _ in 0..rows / 3 {
        h.key("j").await;
    }
    (h.app, run)
}
