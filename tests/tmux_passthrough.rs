//! tmux's `allow-passthrough` is put back as it was on every way out of the
//! app (quit, SIGTERM, a panic), end to end: the real binary runs in a pane
//! of a private tmux server (its own socket, no config file) with kitty
//! graphics, which switches passthrough on for the pane; after the process
//! ends (the pane stays, dead), the pane's value is the one it had before.
//! Skipped, saying so, when tmux is not installed (CI installs it).
#![cfg(all(unix, feature = "sandbox"))] // runs the --demo sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use common::tmux::Tmux;
use std::path::Path;

/// The pane's `allow-passthrough` ("" when unset).
fn passthrough(t: &Tmux, pane: &str) -> String {
    t.run(&["show-options", "-p", "-t", pane, "-v", "allow-passthrough"])
}

/// Runs the app in a new pane whose `allow-passthrough` is `before`
/// (`None`: unset, tmux's default), with HOME and the XDG directories
/// under `home`, and waits until it has switched passthrough on.
fn app_pane(t: &Tmux, home: &Path, before: Option<&str>) -> String {
    let pane = t.new_window("cat");
    if let Some(v) = before {
        t.run(&["set-option", "-p", "-t", &pane, "allow-passthrough", v]);
    }
    let h = home.display();
    let command = format!(
        "exec env -u AISPACE_AGENT_KEY HOME='{h}' XDG_STATE_HOME='{h}/state' \
         XDG_CONFIG_HOME='{h}/config' AISPACE_DEBUG_PANIC_KEY=1 TERM=xterm-256color \
         '{}' --demo --refresh 0 --image-protocol kitty",
        env!("CARGO_BIN_EXE_aispace-tui")
    );
    t.run(&["respawn-pane", "-k", "-t", &pane, &command]);
    t.wait_until(&pane, "passthrough switched on", || {
        passthrough(t, &pane) == "on"
    });
    t.wait_for(&pane, "the feed", |s| s.contains("Feed · latest"));
    pane
}

/// Runs the app in panes with passthrough unset and `off`, ends it with
/// `end`, and checks the value is back.
fn put_back_after(tag: &str, end: impl Fn(&Tmux, &str)) {
    let Some(s) = Tmux::start(&format!("e2e-{tag}")) else {
        return;
    };
    for before in [None, Some("off")] {
        let home = tempfile::tempdir().unwrap();
        let pane = app_pane(&s, home.path(), before);
        end(&s, &pane);
        s.wait_dead(&pane);
        assert_eq!(
            passthrough(&s, &pane),
            before.unwrap_or(""),
            "{tag}: allow-passthrough was {before:?} before the app"
        );
        s.run(&["kill-pane", "-t", &pane]);
    }
}

#[test]
fn quit_puts_passthrough_back() {
    put_back_after("quit", |s, pane| {
        s.run(&["send-keys", "-t", pane, "q"]);
    });
}

#[test]
fn sigterm_puts_passthrough_back() {
    put_back_after("term", |s, pane| {
        s.terminate(pane);
    });
}

#[test]
fn a_panic_puts_passthrough_back() {
    put_back_after("panic", |s, pane| {
        // Debug builds: AISPACE_DEBUG_PANIC_KEY=1 makes F12 panic.
        s.run(&["send-keys", "-t", pane, "F12"]);
    });
}
