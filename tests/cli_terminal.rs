//! The CLI on a terminal: the real binary in a pseudo-terminal against a
//! sandbox process (`common::server`). `post --file` draws an upload
//! progress bar (bytes sent of the total) on standard error; piped, it
//! draws none (`tests/cli.rs`).
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use common::pty::{Pty, Spawn};
use common::server::Server;

#[test]
fn post_draws_a_progress_bar_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start();
    let img = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/images/astronaut.png");
    let spawn = Spawn {
        args: ["post", "--file", img].map(String::from).to_vec(),
        ..server.spawn()
    };
    let mut p = Pty::start(dir.path(), spawn);
    assert_eq!(p.wait_exit(), 0, "{}", p.screen());
    p.wait_eof();
    let raw = String::from_utf8_lossy(&p.raw()).into_owned();
    assert!(raw.contains("uploading astronaut.png"), "{raw:?}");
    // The finished bar: all of the file's 791555 bytes sent (773.00 KiB).
    assert!(raw.contains("773.00 KiB/773.00 KiB"), "{raw:?}");
    assert!(p.screen().contains("/p/"), "the post's URL: {}", p.screen());
}
