//! tmux's `allow-passthrough` is put back as it was on every way out of the
//! app (quit, SIGTERM, a panic), end to end: the real binary runs in a pane
//! of a private tmux server (its own socket, no config file) with kitty
//! graphics, which switches passthrough on for the pane; after the process
//! ends (the pane stays, dead), the pane's value is the one it had before.
//! Skipped, saying so, when tmux is not installed (CI installs it).
#![cfg(all(unix, feature = "sandbox"))] // runs the --demo sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Longest wait for a condition (a safety net, not a timing assertion).
const DEADLINE: Duration = Duration::from_secs(60);

struct Server {
    name: String,
}

impl Server {
    fn start(tag: &str) -> Option<Server> {
        if Command::new("tmux").arg("-V").output().is_err() {
            eprintln!("tmux is not installed: skipped");
            return None;
        }
        let s = Server {
            name: format!("aispace-e2e-{tag}-{}", std::process::id()),
        };
        s.run(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            "160",
            "-y",
            "45",
            "cat",
        ]);
        s.run(&["set-option", "-g", "remain-on-exit", "on"]);
        Some(s)
    }

    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.name])
            .args(args)
            .env_remove("TMUX")
            .env_remove("TMUX_PANE")
            .output()
            .expect("run tmux");
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    fn passthrough(&self, pane: &str) -> String {
        self.run(&["show-options", "-p", "-t", pane, "-v", "allow-passthrough"])
    }

    fn pane_var(&self, pane: &str, var: &str) -> String {
        self.run(&["display-message", "-p", "-t", pane, var])
    }

    fn wait(&self, what: &str, pane: &str, cond: impl Fn(&Server) -> bool) {
        let start = Instant::now();
        while !cond(self) {
            assert!(
                start.elapsed() < DEADLINE,
                "timed out waiting for {what}; the pane shows:\n{}",
                self.run(&["capture-pane", "-p", "-t", pane])
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Runs the app in a new pane whose `allow-passthrough` is `before`
    /// (`None`: unset, tmux's default), with HOME and the XDG directories
    /// under `home`, and waits until it has switched passthrough on.
    fn app_pane(&self, home: &Path, before: Option<&str>) -> String {
        // `t:`: the session's first free window index.
        let pane = self.run(&[
            "new-window",
            "-d",
            "-t",
            "t:",
            "-P",
            "-F",
            "#{pane_id}",
            "cat",
        ]);
        if let Some(v) = before {
            self.run(&["set-option", "-p", "-t", &pane, "allow-passthrough", v]);
        }
        let h = home.display();
        let command = format!(
            "exec env -u AISPACE_AGENT_KEY HOME='{h}' XDG_STATE_HOME='{h}/state' \
             XDG_CONFIG_HOME='{h}/config' AISPACE_DEBUG_PANIC_KEY=1 TERM=xterm-256color \
             '{}' --demo --refresh 0 --image-protocol kitty",
            env!("CARGO_BIN_EXE_aispace-tui")
        );
        self.run(&["respawn-pane", "-k", "-t", &pane, &command]);
        self.wait("passthrough switched on", &pane, |s| {
            s.passthrough(&pane) == "on"
        });
        self.wait("the feed", &pane, |s| {
            s.run(&["capture-pane", "-p", "-t", &pane])
                .contains("Feed · latest")
        });
        pane
    }

    fn wait_dead(&self, pane: &str) {
        self.wait("the app to end", pane, |s| {
            s.pane_var(pane, "#{pane_dead}") == "1"
        });
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.name, "kill-server"])
            .env_remove("TMUX")
            .status();
    }
}

/// Runs the app in panes with passthrough unset and `off`, ends it with
/// `end`, and checks the value is back.
fn put_back_after(tag: &str, end: impl Fn(&Server, &str)) {
    let Some(s) = Server::start(tag) else { return };
    for before in [None, Some("off")] {
        let home = tempfile::tempdir().unwrap();
        let pane = s.app_pane(home.path(), before);
        end(&s, &pane);
        s.wait_dead(&pane);
        assert_eq!(
            s.passthrough(&pane),
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
        let pid = s.pane_var(pane, "#{pane_pid}");
        let ok = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill -TERM {pid}");
    });
}

#[test]
fn a_panic_puts_passthrough_back() {
    put_back_after("panic", |s, pane| {
        // Debug builds: AISPACE_DEBUG_PANIC_KEY=1 makes F12 panic.
        s.run(&["send-keys", "-t", pane, "F12"]);
    });
}
