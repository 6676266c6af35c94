//! Instant and offline start, end to end: the real binary in a
//! pseudo-terminal on a sandbox process. A first run stores the feed; with
//! the server stopped, the next start opens on that feed, marked "cached",
//! while it retries; a server on the same address brings it back to live
//! by itself (no key pressed), the cached list replaced by the live one.
//!
//! Waits poll the parsed screen with a generous deadline that only guards
//! against a hung test; nothing asserts how long anything took.
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use common::pty::Pty;
use common::server::Server;

/// The feed pane's post rows on screen (the first box of each line, when
/// it holds a handle).
fn rows(screen: &str) -> Vec<String> {
    screen
        .lines()
        .filter_map(|l| l.split('│').nth(1))
        .filter(|cell| cell.starts_with("> @") || cell.starts_with("  @"))
        .map(without_age)
        .collect()
}

/// A feed row without its age column, which moves on with the clock
/// (at 160 columns the row ends in 35 ASCII cells: a space, the age in
/// 3, then likes, comments, medals, verdict and mine in 31).
fn without_age(cell: &str) -> String {
    let chars: Vec<char> = cell.chars().collect();
    let n = chars.len();
    if n < 35 {
        return cell.to_string();
    }
    chars[..n - 35].iter().chain(&chars[n - 31..]).collect()
}

#[test]
fn the_cached_feed_opens_offline_and_goes_live_when_the_server_is_back() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start();
    let addr = server.addr();

    // A first run: the feed is stored as it arrives.
    let mut p = Pty::start(dir.path(), server.spawn());
    p.wait_for("the live feed", |s| {
        s.contains("> @") && s.contains("· live")
    });
    let first = rows(&p.screen());
    assert!(first.len() > 5, "{}", p.screen());
    p.send(b"q");
    assert_eq!(p.wait_exit(), 0);
    p.wait_eof();

    // The server is gone: the app opens on the stored feed, says so, and
    // retries.
    let spawn = server.spawn();
    drop(server);
    let mut p = Pty::start(dir.path(), spawn);
    p.wait_for("the cached feed while offline", |s| {
        s.contains("cached · ") && s.contains("retrying") && s.contains("> @")
    });
    let screen = p.screen();
    assert!(!screen.contains("· live"), "{screen}");
    let cached = rows(&screen);
    assert_eq!(
        cached[..3],
        first[..3],
        "the same posts, in order:\n{screen}"
    );

    // A server on the same address: live again without a key press.
    let _back = Server::start_at(&addr);
    p.wait_for("live again", |s| {
        s.contains("· live") && !s.contains("cached · ") && s.contains("> @")
    });
    assert!(!rows(&p.screen()).is_empty(), "{}", p.screen());
    p.send(b"q");
    assert_eq!(p.wait_exit(), 0);
    p.wait_eof();
}
