//! The external editor end to end: the real binary in a pseudo-terminal on
//! a sandbox process (`common::server`), `$EDITOR` a test script (in a
//! directory with a space, with an argument: split without a shell). From
//! the comment editor, `Ctrl-E` hands the terminal over (main screen,
//! cooked mode), the script appends a line to a private file (mode 0600,
//! no agent key in its environment), the text comes back into the editor
//! and the file is gone. A failing editor says so and the text stays.
//!
//! Waits poll the parsed screen with a generous deadline that only guards
//! against a hung test; nothing asserts how long anything took.
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use common::pty::{rfind, Pty, ENTER_ALT, LEAVE_ALT};
use common::server::{stored_drafts, Server};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// What the test editor prints on the terminal while it runs.
const MARK: &str = "TEST-EDITOR-RAN";

/// Writes the test editor into `home/"my editor"/edit.sh`: it records
/// (into `home/seen`) its first argument, the file, the file's mode,
/// whether the agent key reached it and the terminal's mode; prints
/// [`MARK`]; appends `line` to the file; exits with `status`.
fn editor_script(home: &Path, line: &str, status: u8) -> PathBuf {
    let dir = home.join("my editor");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("edit.sh");
    let script = format!(
        r#"#!/bin/sh
seen="$HOME/seen"
printf '%s\n' "$1" "$2" > "$seen"
stat -c %a "$2" >> "$seen"
if [ -n "$AISPACE_AGENT_KEY" ]; then echo key-leaked >> "$seen"; else echo no-key >> "$seen"; fi
if stty -a | grep -q -- '-icanon'; then echo raw >> "$seen"; else echo cooked >> "$seen"; fi
printf '{MARK}'
printf '%s\n' '{line}' >> "$2"
exit {status}
"#
    );
    std::fs::write(&path, script).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// Starts the app with `EDITOR` = the script (quoted) plus `--flag`,
/// opens the comment editor and types `text`.
fn start_with_editor(home: &Path, server: &Server, editor: &Path, text: &str) -> Pty {
    let cmd = format!("'{}' --flag", editor.display());
    let mut p = Pty::start(home, server.spawn().env("EDITOR", &cmd));
    p.wait_for("the feed", |s| s.contains("> @"));
    p.send(b"c");
    p.wait_for("the editor", |s| s.contains("Comment on @"));
    p.type_text(text);
    p.wait_for("the typed text", |s| s.contains(text));
    p
}

/// The lines the test editor recorded.
fn seen(home: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(home.join("seen")).unwrap_or_default();
    text.lines().map(str::to_string).collect()
}

/// The editor ran outside the TUI: the alternate screen was left before
/// its mark and entered again after it.
fn assert_handed_over(raw: &[u8]) {
    let mark = rfind(raw, MARK.as_bytes()).expect("the editor printed on the terminal");
    let left = rfind(&raw[..mark], LEAVE_ALT).expect("the alternate screen was left");
    let entered = rfind(&raw[..mark], ENTER_ALT).unwrap_or(0);
    assert!(left > entered, "the editor ran on the main screen");
    assert!(
        rfind(&raw[mark..], ENTER_ALT).is_some(),
        "the TUI took the screen back"
    );
}

#[test]
fn ctrl_e_round_trip_through_the_editor() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let server = Server::start();
    let editor = editor_script(home, "second line from the editor", 0);
    let mut p = start_with_editor(home, &server, &editor, "first line");
    p.send(b"\x05"); // Ctrl-E
    p.wait_for("the text back in the comment editor", |s| {
        s.contains("Comment on @")
            && s.contains("first line")
            && s.contains("second line from the editor")
            && s.contains("Text back from the editor")
    });
    assert_handed_over(&p.raw());
    let seen = seen(home);
    assert_eq!(seen.len(), 5, "{seen:?}");
    assert_eq!(seen[0], "--flag", "words split as a shell would");
    let file = Path::new(&seen[1]);
    assert!(!file.exists(), "the temporary file is removed: {file:?}");
    assert_eq!(seen[2], "600", "the temporary file is private");
    assert_eq!(
        seen[3], "no-key",
        "no agent key in the editor's environment"
    );
    assert_eq!(seen[4], "cooked", "raw mode was off for the editor");

    // The text is the editor's: kept as the draft, it is both lines.
    p.keep_draft_and_quit();
    let drafts = stored_drafts(home);
    assert!(
        drafts
            .iter()
            .any(|(_, body, _)| body == "first line\nsecond line from the editor"),
        "{drafts:?}"
    );
}

#[test]
fn a_failing_editor_says_so_and_the_text_stays() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let server = Server::start();
    let editor = editor_script(home, "never seen", 3);
    let mut p = start_with_editor(home, &server, &editor, "keep this text");
    p.send(b"\x05"); // Ctrl-E
    p.wait_for("the editor back, the text kept", |s| {
        s.contains("keep this text") && s.contains("Comment on @")
    });
    // The failure was said (read from everything drawn since the editor
    // ran: a status line may expire before a loaded machine polls it).
    let said = |p: &Pty| {
        let raw = p.raw();
        let mark = rfind(&raw, MARK.as_bytes()).unwrap_or(raw.len());
        String::from_utf8_lossy(&raw[mark..]).contains("failed (exit status: 3)")
    };
    let start = std::time::Instant::now();
    while !said(&p) {
        assert!(
            start.elapsed() < common::pty::DEADLINE,
            "the failure was not said"
        );
        std::thread::sleep(common::pty::POLL);
    }
    assert!(!p.screen().contains("never seen"));
    assert_handed_over(&p.raw());
    let seen = seen(home);
    assert!(!Path::new(&seen[1]).exists(), "removed after a failure too");
    p.send(b"\x1b");
    p.wait_for("the keep/discard question", |s| s.contains("discard"));
    p.send(b"d");
    p.wait_for("the feed again", |s| !s.contains("Comment on @"));
    p.send(b"q");
    assert_eq!(p.wait_exit(), 0);
}
