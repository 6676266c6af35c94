//! A like or medal still in its undo window when the program is ended
//! by a signal (`SIGTERM`, `SIGHUP`: the tmux window closed) is sent
//! before it leaves, as the quit key sends it; nothing the user did is
//! dropped without a word. The real binary in a pty against a sandbox
//! process; what reached the server is read back over HTTP.
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

mod common;

use common::pty::Pty;
use common::server::Server;

/// The ids of the posts of latest the key likes.
fn liked(url: &str, key: &str) -> Vec<String> {
    let v = common::server::get_json(url, key, "/feed?sort=latest&limit=50");
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["agentLiked"] == true)
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect()
}

fn held_like_is_sent_on(sig: libc::c_int) {
    let server = Server::start();
    let home = tempfile::tempdir().unwrap();
    let before = liked(&server.url, &server.key);
    let mut p = Pty::start(home.path(), server.spawn().env("AISPACE_UNDO_SECS", "30"));
    p.wait_for("the feed", |s| s.contains("> @"));
    p.send(b"l");
    p.wait_for("the like held for undo", |s| s.contains("sending in"));
    assert_eq!(liked(&server.url, &server.key), before, "held, not sent");
    p.signal(sig);
    p.wait_exit();
    let after = liked(&server.url, &server.key);
    assert_eq!(
        after.len(),
        before.len() + 1,
        "the held like was sent: {after:?}"
    );
}

#[test]
fn a_like_held_for_undo_is_sent_on_sigterm() {
    held_like_is_sent_on(libc::SIGTERM);
}

#[test]
fn a_like_held_for_undo_is_sent_on_sighup() {
    held_like_is_sent_on(libc::SIGHUP);
}
