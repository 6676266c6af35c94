//! Nothing lost: the real binary in a pseudo-terminal, on a sandbox that
//! outlives its restarts (`common::server`); the comment
//! editor is opened and half a comment typed, then the process is ended by
//! `SIGTERM`, `SIGHUP` or a panic (the debug-only F12 trigger enabled by
//! `AISPACE_DEBUG_PANIC_KEY=1`). Each time: the process ends by itself, the
//! last thing written to the terminal restores it (`ESC[?1049l` after the
//! last `ESC[?1049h`), raw mode is off again, the draft is in the store
//! (with its editor recorded as open), and the next start in the same
//! data directory opens the editor with the draft ("Draft restored").
//! `Ctrl-Z` suspends (terminal restored, process stopped) and `fg`
//! redraws everything. A terminal that goes away while `SIGHUP` cannot
//! reach the process ends it too (no spinning on the dead terminal, no
//! panic writing to it), with the draft saved.
//!
//! Waits poll the parsed screen with a generous deadline that only guards
//! against a hung test; nothing asserts how long anything took.
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use common::pty::{assert_restored, kill, rfind, Pty, Spawn, DEADLINE, ENTER_ALT, LEAVE_ALT, POLL};
use common::server::{stored_drafts, Server};
use std::path::Path;
use std::time::Instant;

const DRAFT: &str = "half a thought about";

/// Opens the editor on the selected post and types half a comment.
fn start_and_type(home: &Path, server: &Server, panic_key: bool) -> Pty {
    let spawn = if panic_key {
        server.spawn().env("AISPACE_DEBUG_PANIC_KEY", "1")
    } else {
        server.spawn()
    };
    let mut p = Pty::start(home, spawn);
    p.open_editor_and_type(0, DRAFT);
    p
}

/// A new start in the same home offers the draft back in the editor, on
/// its post.
fn assert_draft_restored(home: &Path, server: &Server) {
    let mut p = Pty::start(home, server.spawn());
    p.wait_for("the restored draft", |s| {
        s.contains("Draft restored") && s.contains(DRAFT) && s.contains("Comment on @")
    });
    // Leave cleanly: discard nothing, keep the draft, quit.
    p.keep_draft_and_quit();
    assert_restored(&p.raw(), "quit");
    p.assert_cooked();
    let saved = stored_drafts(home);
    assert!(
        saved.iter().any(|(_, body, _)| body == DRAFT),
        "the kept draft is saved: {saved:?}"
    );
}

/// Whether the store under `home` holds the draft, and (when `open`)
/// with its editor recorded as open.
fn draft_stored(home: &Path, open: bool) -> bool {
    stored_drafts(home)
        .iter()
        .any(|(_, body, is_open)| body == DRAFT && (*is_open || !open))
}

/// Types a half comment, sends `sig`, and checks the process leaves with
/// the terminal restored (cooked mode back) and the draft saved, recorded
/// as open, and offered back on the next start.
fn draft_survives_signal(sig: libc::c_int, name: &str) {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start();
    let mut p = start_and_type(dir.path(), &server, false);
    p.signal(sig);
    p.wait_exit();
    p.wait_eof();
    assert_restored(&p.raw(), name);
    p.assert_cooked();
    assert!(
        draft_stored(dir.path(), true),
        "{name}: the draft is saved with its editor recorded as open: {:?}",
        stored_drafts(dir.path())
    );
    assert_draft_restored(dir.path(), &server);
}

#[test]
fn draft_survives_sigterm() {
    draft_survives_signal(libc::SIGTERM, "SIGTERM");
}

#[test]
fn draft_survives_sigint_from_outside() {
    // `kill -INT` (Ctrl-C in raw mode is a key, not this signal).
    draft_survives_signal(libc::SIGINT, "SIGINT");
}

#[test]
fn draft_survives_sighup() {
    draft_survives_signal(libc::SIGHUP, "SIGHUP");
}

#[test]
fn draft_survives_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start();
    let mut p = start_and_type(dir.path(), &server, true);
    p.send(b"\x1b[24~"); // F12: the debug panic trigger
    let code = p.wait_exit();
    assert_eq!(code, 101, "panic exit status");
    p.wait_eof();
    let raw = p.raw();
    assert_restored(&raw, "panic");
    p.assert_cooked();
    let tail = String::from_utf8_lossy(&raw[rfind(&raw, LEAVE_ALT).unwrap()..]).to_string();
    assert!(
        tail.contains("debug panic trigger"),
        "panic message shown: {tail}"
    );
    assert!(
        tail.contains("drafts were saved"),
        "drafts mentioned: {tail}"
    );
    assert!(draft_stored(dir.path(), true));
    assert_draft_restored(dir.path(), &server);
}

#[test]
fn ctrl_z_suspends_and_fg_redraws() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start();
    let spawn = Spawn {
        job_control: true,
        ..server.spawn()
    };
    let mut p = Pty::start(dir.path(), spawn);
    p.wait_for("the feed", |s| s.contains("> @"));
    p.send(b"c");
    p.wait_for("the editor", |s| s.contains("Comment on @"));
    p.type_text(DRAFT);
    p.wait_for("the typed text", |s| s.contains(DRAFT));
    let app = child_of(p.pid());
    let before = p.raw().len();
    p.send(b"\x1a"); // Ctrl-Z
                     // Stopped, after restoring the terminal; bash reports the stopped job.
    let start = Instant::now();
    loop {
        let raw = p.raw();
        if rfind(&raw[before..], LEAVE_ALT).is_some() && is_stopped(app) {
            break;
        }
        assert!(start.elapsed() < DEADLINE, "not suspended");
        std::thread::sleep(POLL);
    }
    p.wait_for("the shell's job report", |s| s.contains("Stopped"));
    p.assert_cooked();
    assert!(draft_stored(dir.path(), true), "saved before stopping");
    let before = p.raw().len();
    // bash's `read` returns, then `fg` continues the job.
    p.send(b"\r");
    // Resumed: the alternate screen again (the emulator clears it on entry),
    // and the whole screen drawn anew: header, feed, editor with the text.
    let start = Instant::now();
    loop {
        let raw = p.raw();
        let new = &raw[before..];
        let enter = rfind(new, ENTER_ALT);
        // The header is part of the frame drawn after entering again.
        if enter.is_some_and(|i| String::from_utf8_lossy(&new[i..]).contains("AIspace")) {
            break;
        }
        assert!(start.elapsed() < DEADLINE, "not redrawn after fg");
        std::thread::sleep(POLL);
    }
    p.wait_for("the whole screen after resume", |s| {
        s.contains("AIspace") && s.contains("Feed") && s.contains(DRAFT)
    });
    kill(app, libc::SIGTERM);
    p.wait_exit();
    p.wait_eof();
    assert_restored(&p.raw(), "SIGTERM after resume");
}

/// The (first) child process of `pid`.
fn child_of(pid: i32) -> i32 {
    let start = Instant::now();
    loop {
        let children =
            std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
        if let Some(c) = children.split_whitespace().next() {
            return c.parse().expect("a pid");
        }
        assert!(start.elapsed() < DEADLINE, "no child of {pid}");
        std::thread::sleep(POLL);
    }
}

/// `T` (stopped) in /proc/PID/stat.
fn is_stopped(pid: i32) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    stat.rsplit_once(") ")
        .is_some_and(|(_, rest)| rest.starts_with('T'))
}

#[test]
fn a_vanished_terminal_ends_the_process_without_sighup() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start();
    let spawn = Spawn {
        block_sighup: true,
        ..server.spawn()
    };
    let mut p = Pty::start(dir.path(), spawn);
    p.wait_for("the feed", |s| s.contains("> @"));
    p.send(b"c");
    p.wait_for("the editor", |s| s.contains("Comment on @"));
    p.type_text(DRAFT);
    p.wait_for("the typed text", |s| s.contains(DRAFT));
    p.hang_up();
    // It ends by itself: the hangup watch (or the input error) ends the
    // loop; nothing panics writing to the dead terminal (status 101).
    let code = p.wait_exit();
    assert!(code == 0 || code == 1, "exit status {code}");
    assert!(draft_stored(dir.path(), false), "saved on the way out");
}

/// The post composer's draft: saved while typing (its own row, under the
/// empty post id), kept through a kill, back in the composer on the next
/// start's `P` (the status line says so).
#[test]
fn a_new_post_draft_survives_sigterm_and_comes_back_on_p() {
    const CAPTION: &str = "a caption half written";
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start();
    let post_draft = |home: &Path| {
        stored_drafts(home)
            .into_iter()
            .find(|(id, _, _)| id.is_empty())
            .map(|(_, body, _)| body)
    };
    let mut p = Pty::start(dir.path(), server.spawn());
    p.wait_for("the feed", |s| s.contains("> @"));
    p.send(b"P");
    p.wait_for("the composer", |s| s.contains("New post"));
    p.type_text("~/later.png");
    p.send(b"\r"); // Enter: on to the caption
    p.type_text(CAPTION);
    p.wait_for("the typed caption", |s| s.contains(CAPTION));
    // Saved while typing, before any way out.
    let start = Instant::now();
    while !post_draft(dir.path()).is_some_and(|b| b.contains(CAPTION)) {
        assert!(
            start.elapsed() < DEADLINE,
            "not saved while typing: {:?}",
            stored_drafts(dir.path())
        );
        std::thread::sleep(POLL);
    }
    p.signal(libc::SIGTERM);
    p.wait_exit();
    p.wait_eof();
    assert_restored(&p.raw(), "SIGTERM");
    let body = post_draft(dir.path()).expect("the post draft is stored");
    assert!(
        body.contains("~/later.png") && body.contains(CAPTION),
        "{body}"
    );
    let mut p = Pty::start(dir.path(), server.spawn());
    p.wait_for("the note about the kept post", |s| {
        s.contains("unsent post is kept (P continues it)")
    });
    p.send(b"P");
    p.wait_for("the composer with the kept fields", |s| {
        s.contains("New post") && s.contains("~/later.png") && s.contains(CAPTION)
    });
    p.send(b"\x1b");
    p.wait_for("the feed again", |s| !s.contains("New post"));
    p.send(b"q");
    assert_eq!(p.wait_exit(), 0);
    p.wait_eof();
    assert!(
        post_draft(dir.path()).is_some_and(|b| b.contains(CAPTION)),
        "still kept after a clean quit"
    );
}
