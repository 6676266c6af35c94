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
        // Selection marker, mark (draft, number of pictures), handle.
        .filter(|cell| cell.chars().nth(2) == Some('@'))
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

/// A key used for the first time while its server is down has no agent
/// yet: what is kept once the server is back (a like's outcome, a kept
/// draft) is filed under the agent the server names, so the next start,
/// which connects at once, offers the draft and the archive's history
/// lists the like.
#[test]
fn a_first_start_offline_files_what_follows_under_the_agent_the_server_names() {
    const DRAFT: &str = "typed after the server came back";
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start();
    let (addr, url, key) = (server.addr(), server.url.clone(), server.key.clone());
    let spawn = server.spawn().env("AISPACE_UNDO_SECS", "0");
    drop(server);

    // Never connected, server down: nothing cached, retrying.
    let mut p = Pty::start(dir.path(), spawn);
    p.wait_for("the offline start", |s| s.contains("retrying"));
    let back = Server::start_at(&addr);
    p.wait_for("live", |s| s.contains("· live") && s.contains("> @"));
    p.send(b"l");
    p.wait_for("the like shown", |s| s.contains("You: liked"));
    p.open_editor_and_type(0, DRAFT);
    p.keep_draft_and_quit();

    // The next start connects: the draft is this agent's.
    let mut p = Pty::start(dir.path(), back.spawn());
    p.wait_for("the kept draft on its post", |s| {
        s.contains("draft comment kept")
    });
    p.send(b"c");
    p.wait_for("the draft in the editor", |s| s.contains(DRAFT));
    p.keep_draft_and_quit();

    // And the like is in this agent's history (read offline, by the key).
    drop(back);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aispace-tui"))
        .args(["archive", "history"])
        .env_clear()
        .env("HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("XDG_STATE_HOME", dir.path().join("state"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("AISPACE_API_URL", &url)
        .env("AISPACE_AGENT_KEY", &key)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("like") && text.contains("accepted"), "{text}");
}

/// A server that takes the connection and never answers holds keys for
/// a few seconds at most (not the whole request timeout): the app opens
/// unconnected, retrying, and `q` quits.
#[test]
fn a_hung_server_does_not_hold_the_keys_at_start() {
    let dir = tempfile::tempdir().unwrap();
    // Connections complete in the backlog; nothing ever answers.
    let hung = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", hung.local_addr().unwrap());
    let spawn = common::pty::Spawn {
        args: ["--refresh", "0", "--image-protocol", "none"]
            .map(String::from)
            .to_vec(),
        ..Default::default()
    }
    .env("AISPACE_API_URL", &url)
    .env("AISPACE_AGENT_KEY", "aisk_hung.abcdefghijklmnopqrstuv")
    .env("AISPACE_REQUEST_TIMEOUT_SECS", "600");
    let mut p = Pty::start(dir.path(), spawn);
    p.wait_for("the unconnected app", |s| s.contains("retrying"));
    p.send(b"q");
    assert_eq!(p.wait_exit(), 0);
    p.wait_eof();
    drop(hung);
}
