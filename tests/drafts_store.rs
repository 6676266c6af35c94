//! Drafts in the local store, end to end: the real binary in a
//! pseudo-terminal on a sandbox process with several seeded agents.
//!
//! - A draft is saved while typing: `SIGKILL` one second after the last
//!   key loses nothing, and the draft is offered only to its own agent.
//! - Two instances write drafts on different posts and quit in either
//!   order: both drafts survive.
//! - A data directory that cannot be used: the app runs, warns, and keeps
//!   the draft in memory.
//! - A damaged store is moved aside, twice, without the second move
//!   overwriting the first.
//!
//! Waits poll the parsed screen with a generous deadline that only guards
//! against a hung test; nothing asserts how long anything took.
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use common::pty::{Pty, Spawn};
use common::server::{store_path, stored_drafts, Server};
use std::path::Path;
use std::time::Duration;

/// Starts the app, opens the editor on the selected post (after `moves`
/// presses of `j`) and types `text`.
fn start_and_type(home: &Path, spawn: Spawn, moves: usize, text: &str) -> Pty {
    let mut p = Pty::start(home, spawn);
    p.open_editor_and_type(moves, text);
    p
}

#[test]
fn a_killed_draft_survives_and_is_offered_only_to_its_own_agent() {
    const DRAFT: &str = "typed as the demo agent";
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start();
    let mut p = start_and_type(dir.path(), server.spawn(), 0, DRAFT);
    // The last key was seen on screen; a second later, no chance to save.
    std::thread::sleep(Duration::from_secs(1));
    p.signal(libc::SIGKILL);
    p.wait_exit();
    let saved = stored_drafts(dir.path());
    assert!(
        saved.iter().any(|(_, body, open)| body == DRAFT && *open),
        "saved while typing: {saved:?}"
    );

    // Another agent, same server, same data directory: nothing offered.
    let mut b = Pty::start(dir.path(), server.spawn_as(&server.other_keys[0]));
    b.wait_for("the feed", |s| s.contains("> @"));
    let screen = b.screen();
    assert!(
        !screen.contains("Draft restored") && !screen.contains(DRAFT),
        "{screen}"
    );
    b.send(b"c");
    b.wait_for("the editor", |s| s.contains("Comment on @"));
    assert!(!b.screen().contains(DRAFT), "{}", b.screen());
    b.send(b"\x1b");
    b.wait_for("the feed again", |s| !s.contains("Comment on @"));
    b.send(b"q");
    assert_eq!(b.wait_exit(), 0);
    b.wait_eof();

    // The first agent again: the draft is back, in its editor, intact.
    let mut a = Pty::start(dir.path(), server.spawn());
    a.wait_for("the restored draft", |s| {
        s.contains("Draft restored") && s.contains(DRAFT) && s.contains("Comment on @")
    });
    a.keep_draft_and_quit();
    let saved = stored_drafts(dir.path());
    assert_eq!(saved.len(), 1, "{saved:?}");
    assert_eq!(saved[0].1, DRAFT);
}

#[test]
fn two_instances_keep_both_drafts_whichever_quits_first() {
    let server = Server::start();
    for order in [[0, 1], [1, 0]] {
        let dir = tempfile::tempdir().unwrap();
        let texts = [
            "draft of the first instance",
            "draft of the second instance",
        ];
        let mut ps = [
            start_and_type(dir.path(), server.spawn(), 0, texts[0]),
            start_and_type(dir.path(), server.spawn(), 1, texts[1]),
        ];
        for i in order {
            ps[i].keep_draft_and_quit();
        }
        let saved = stored_drafts(dir.path());
        let mut bodies: Vec<&str> = saved.iter().map(|(_, b, _)| b.as_str()).collect();
        bodies.sort_unstable();
        assert_eq!(bodies, texts, "quit order {order:?}: {saved:?}");
        // A new start offers both.
        let mut p = Pty::start(dir.path(), server.spawn());
        p.wait_for("both drafts offered", |s| {
            s.contains("Draft restored: 2 unsent comments")
        });
        p.send(b"q");
        assert_eq!(p.wait_exit(), 0);
        p.wait_eof();
    }
}

#[test]
fn an_unusable_data_dir_warns_and_keeps_the_draft_in_memory() {
    const DRAFT: &str = "nowhere to save this";
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start();
    // A file where the data directory should be: unusable even for root
    // (as a read-only directory is for anyone else).
    let blocked = dir.path().join("blocked");
    std::fs::write(&blocked, "not a directory").unwrap();
    let spawn = server
        .spawn()
        .env("XDG_DATA_HOME", blocked.to_str().unwrap());
    let mut p = Pty::start(dir.path(), spawn);
    p.wait_for("the warning", |s| s.contains("Cannot use the archive"));
    p.wait_for("the feed", |s| s.contains("> @"));
    p.send(b"c");
    p.wait_for("the editor", |s| s.contains("Comment on @"));
    p.type_text(DRAFT);
    p.wait_for("the typed text", |s| s.contains(DRAFT));
    // Past the save delay: the memory store took it without complaint.
    std::thread::sleep(Duration::from_millis(1500));
    assert!(!p.screen().contains("Could not save"), "{}", p.screen());
    p.send(b"\x1b");
    p.wait_for("the keep/discard question", |s| s.contains("discard"));
    p.send(b"k");
    p.wait_for("the draft kept", |s| s.contains("Draft kept"));
    // Still there when the editor opens again.
    p.send(b"c");
    p.wait_for("the draft in the editor", |s| {
        s.contains("Comment on @") && s.contains(DRAFT)
    });
    p.keep_draft_and_quit();
    // Nothing is lost at the end either: the draft is printed after the
    // screen is restored.
    let raw = String::from_utf8_lossy(&p.raw()).to_string();
    let said = raw
        .rfind("unsent drafts were kept in memory only; here they are:")
        .unwrap_or_else(|| panic!("no last word about the drafts: {raw:?}"));
    assert!(raw[said..].contains(DRAFT), "{:?}", &raw[said..]);
    assert!(std::fs::metadata(&blocked).unwrap().is_file());
    assert!(!store_path(dir.path()).exists());
}

#[test]
fn damaged_stores_are_moved_aside_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start();
    let path = store_path(dir.path());
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let garbage = [
        "first damaged store ".repeat(200),
        "second damaged store ".repeat(200),
    ];
    for g in &garbage {
        // The damaged file alone (a write-ahead log left by a crash could
        // still hold good pages).
        for side in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{side}", path.display()));
        }
        std::fs::write(&path, g).unwrap();
        let mut p = Pty::start(dir.path(), server.spawn());
        p.wait_for("the notice", |s| s.contains("The archive was damaged"));
        p.wait_for("the feed", |s| s.contains("> @"));
        p.send(b"q");
        assert_eq!(p.wait_exit(), 0);
        p.wait_eof();
    }
    let mut aside: Vec<String> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.contains(".damaged-") && !name.ends_with("-wal") && !name.ends_with("-shm")
        })
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    aside.sort_unstable();
    assert_eq!(aside, garbage, "both damaged stores kept, unchanged");
    // And a working store in their place.
    assert!(stored_drafts(dir.path()).is_empty());
}
