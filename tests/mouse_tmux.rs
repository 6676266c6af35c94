//! Mouse input (`--mouse`) in tmux against a sandbox process on the real
//! clock (`common::server`): the app turns mouse reporting on (tmux's
//! `mouse_any_flag` for the pane); a left click, sent as the SGR report a
//! terminal sends, selects the feed row under it; a wheel notch moves
//! three rows; a click on the title's `tab: rising` switches the sort.
//! Reporting is off while the external editor has the terminal, on again
//! after it, and off after quit; full screen a click does nothing.
//! Without the setting it is never on (the terminal's text selection
//! keeps working). Skipped, saying so, when tmux is not installed.
//!
//! Waits poll with a generous deadline that only guards against a hung
//! test; nothing asserts how long anything took.
#![cfg(all(unix, feature = "sandbox"))] // runs the sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use common::server::Server;
use common::tmux::Tmux;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// The first feed row on a 160 x 45 screen (0-based): below the header
/// (rows 0-1), the feed pane's title (2) and the column names (3).
const FIRST_ROW: u16 = 4;

/// Line `row` of `screen`.
fn line(screen: &str, row: u16) -> &str {
    screen.lines().nth(usize::from(row)).unwrap_or_default()
}

/// Whether feed row `row` (0-based screen row) is the selected one.
fn selected_at(screen: &str, row: u16) -> bool {
    line(screen, row).starts_with("│> @")
}

/// An "editor" that waits until `home/go` exists, so the test can look at
/// the pane while the editor has the terminal.
fn waiting_editor(home: &Path) -> String {
    let path = home.join("wait-edit.sh");
    std::fs::write(
        &path,
        "#!/bin/sh\nwhile [ ! -e \"$HOME/go\" ]; do sleep 0.05; done\n",
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700)).unwrap();
    path.display().to_string()
}

/// The app on `server` in a tmux pane with `args`; waits for the feed.
fn app(tmux: &Tmux, home: &Path, server: &Server, editor: &str, args: &[&str]) -> String {
    let mut all = vec!["--refresh", "0", "--image-protocol", "halfblocks"];
    all.extend_from_slice(args);
    let pane = tmux.spawn(
        home,
        &[
            ("AISPACE_API_URL", server.url.as_str()),
            ("AISPACE_AGENT_KEY", server.key.as_str()),
            ("VISUAL", editor),
        ],
        &all,
    );
    tmux.wait_for(&pane, "the feed", |s| {
        s.contains("Feed · latest") && selected_at(s, FIRST_ROW)
    });
    pane
}

/// Clicks the first cell of `tab` in the feed pane's title (row 2).
fn click_tab(tmux: &Tmux, pane: &str, tab: &str) {
    let s = tmux.wait_for(pane, tab, |s| line(s, 2).contains(tab));
    let title = line(&s, 2);
    let at = title.find(tab).unwrap();
    let column = title[..at].chars().count() as u16;
    tmux.click(pane, column, 2);
}

#[test]
fn a_click_selects_a_row_the_wheel_scrolls_and_the_tab_switches_the_sort() {
    let Some(tmux) = Tmux::start("mouse") else {
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let editor = waiting_editor(home.path());
    let server = Server::start();
    let pane = app(&tmux, home.path(), &server, &editor, &["--mouse"]);
    assert!(tmux.mouse_on(&pane), "--mouse turns mouse reporting on");

    // A click on the third row selects that post.
    let third = FIRST_ROW + 2;
    let s = tmux.screen(&pane);
    let handle = line(&s, third)
        .split_whitespace()
        .nth(1)
        .unwrap()
        .to_string();
    assert!(handle.starts_with('@'), "{s}");
    tmux.click(&pane, 30, third);
    let s = tmux.wait_for(&pane, "the clicked row selected", |s| selected_at(s, third));
    assert!(!selected_at(&s, FIRST_ROW), "{s}");
    assert!(
        s.lines().any(|l| l.contains(&format!("by {handle}"))),
        "the post pane shows the clicked post by {handle}:\n{s}"
    );
    // The wheel moves the selection three rows a notch.
    tmux.wheel(&pane, 30, third, true);
    tmux.wait_for(&pane, "the selection three rows down", |s| {
        selected_at(s, third + 3)
    });

    // The title's sort tab switches to rising, and rising's back.
    click_tab(&tmux, &pane, "tab: rising");
    // Loaded and ranked (the title no longer changes), rising offers
    // latest.
    tmux.wait_for(&pane, "the rising feed", |s| {
        line(s, 2).contains("Feed · rising") && line(s, 2).contains("ranked")
    });
    click_tab(&tmux, &pane, "tab: latest");
    tmux.wait_for(&pane, "latest again", |s| {
        line(s, 2).contains("Feed · latest")
    });

    // The external editor gets the terminal without mouse reporting.
    tmux.keys(&pane, &["c"]);
    tmux.wait_for(&pane, "the comment editor", |s| s.contains("Comment on @"));
    tmux.keys(&pane, &["C-e"]);
    tmux.wait_until(&pane, "mouse reporting off in the editor", || {
        !tmux.mouse_on(&pane)
    });
    std::fs::write(home.path().join("go"), "").unwrap();
    tmux.wait_until(&pane, "mouse reporting back after the editor", || {
        tmux.mouse_on(&pane)
    });
    tmux.keys(&pane, &["Escape"]);
    tmux.wait_for(&pane, "the editor closed", |s| selected_at(s, third + 3));

    // Full screen (an app mode now) the mouse does nothing; esc leaves.
    tmux.keys(&pane, &["Enter"]);
    let full = tmux.wait_for(&pane, "the picture full screen", |s| {
        !s.contains("Feed · latest")
    });
    tmux.click(&pane, 30, third);
    tmux.wheel(&pane, 30, third, true);
    tmux.keys(&pane, &["Escape"]);
    tmux.wait_for(&pane, "the feed again, on the same post", |s| {
        selected_at(s, third + 3)
    });
    assert!(tmux.mouse_on(&pane), "{full}");

    tmux.keys(&pane, &["q"]);
    tmux.wait_dead(&pane);
    assert!(!tmux.mouse_on(&pane), "quitting turns mouse reporting off");
}

#[test]
fn without_the_setting_the_mouse_is_left_to_the_terminal() {
    let Some(tmux) = Tmux::start("nomouse") else {
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let editor = waiting_editor(home.path());
    let server = Server::start();
    let pane = app(&tmux, home.path(), &server, &editor, &[]);
    assert!(!tmux.mouse_on(&pane));
    tmux.keys(&pane, &["q"]);
    tmux.wait_dead(&pane);
}
