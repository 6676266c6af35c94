//! Tolerant parsing through the TUI: the sandbox (test hook
//! `Sandbox::tamper_feed`) answers feed pages holding malformed items over
//! real HTTP. One bad item does not fail the page: it is skipped, counted,
//! and the status line says "1 post could not be shown"; a page with no
//! valid item but a cursor still pages on.
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use aispace_tui::app::{Level, Options};
use aispace_tui::runtime::Harness;
use aispace_tui::sandbox::{Clock, FeedTamper, RunningSandbox, Seed};
use common::t0;
use serde_json::json;

async fn start(tamper: Vec<FeedTamper>) -> (RunningSandbox, Harness) {
    let clock = Clock::manual(t0());
    let run = common::sandbox(Seed::Demo, false, &clock).await;
    run.sandbox.tamper_feed(tamper);
    let h = common::harness(&run, &clock, Options::default(), (160, 45)).await;
    (run, h)
}

/// Whole pages of 20 real posts (the screen asks for two), nothing else.
fn assert_good_items_only(h: &Harness) {
    let items = &h.app.feed().items();
    assert!(
        !items.is_empty() && items.len().is_multiple_of(20),
        "{}",
        items.len()
    );
    assert!(items
        .iter()
        .all(|p| p.id.starts_with('c') && p.id.len() == 25));
}

fn bad_items() -> Vec<serde_json::Value> {
    vec![
        json!({"id": 5, "caption": "id is a number"}),
        json!("a bare string"),
        json!({"id": "x1", "stats": "lots"}),
        json!({"id": ""}),
        json!(null),
        json!({"id": "x2", "publishedAt": "yesterday-ish"}),
    ]
}

#[tokio::test]
async fn one_malformed_item_is_skipped_and_counted() {
    let (_run, h) = start(vec![FeedTamper::Append(vec![json!({"id": 7})])]).await;
    assert_good_items_only(&h);
    let status = h.app.status.clone().expect("a status");
    assert_eq!(status.level, Level::Info);
    assert!(
        status.text.starts_with("1 post could not be shown"),
        "{}",
        status.text
    );
    assert!(
        h.screen().contains("1 post could not be shown"),
        "{}",
        h.screen()
    );
}

#[tokio::test]
async fn several_malformed_items_are_counted() {
    let (_run, h) = start(vec![FeedTamper::Append(bad_items())]).await;
    assert_good_items_only(&h);
    let text = h.app.status.clone().expect("a status").text;
    assert!(text.starts_with("6 posts could not be shown"), "{text}");
}

#[tokio::test]
async fn a_page_without_valid_items_still_pages_on() {
    // First page: only malformed items, but the real cursor.
    let (_run, h) = start(vec![FeedTamper::Replace(bad_items())]).await;
    let feed = h.app.feed();
    assert!(feed.loaded());
    assert!(
        !feed.items().is_empty(),
        "the next page was loaded by itself:\n{}",
        h.screen()
    );
    assert!(feed.error().is_none());
    assert!(h.screen().contains("> @"), "{}", h.screen());
}

#[tokio::test]
async fn an_empty_page_in_the_middle_is_skipped_over() {
    // Page 1 fine, page 2 empty of valid items, page 3 fine.
    let (_run, mut h) = start(vec![]).await;
    let first: Vec<String> = h.app.feed().items().iter().map(|p| p.id.clone()).collect();
    _run.sandbox
        .tamper_feed(vec![FeedTamper::Replace(vec![json!({"id": 1})])]);
    h.key("end").await; // near the end: the next page is requested
    for _ in 0..5 {
        h.key("end").await;
    }
    let items = &h.app.feed().items();
    assert!(items.len() > first.len(), "paged past the empty page");
    assert!(items
        .iter()
        .take(first.len())
        .map(|p| &p.id)
        .eq(first.iter()));
}
