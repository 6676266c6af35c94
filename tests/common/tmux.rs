//! A private tmux server (its own socket, no config file) for the tests
//! that drive the real binary in a tmux pane as a person would
//! (`compose_tmux`, `mouse_tmux`, `watch_tmux`, `tmux_passthrough`): keys
//! go in with `send-keys`, the screen comes back with `capture-pane`. Waits poll with a generous deadline that only
//! guards against a hung test; nothing asserts how long anything took.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Longest wait for a condition (a safety net, not a timing assertion).
pub const DEADLINE: Duration = Duration::from_secs(90);

pub struct Tmux {
    name: String,
}

impl Tmux {
    /// A server with one 160x45 session; `None` (saying so) when tmux is
    /// not installed.
    pub fn start(tag: &str) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            eprintln!("tmux is not installed: skipped");
            return None;
        }
        let t = Tmux {
            name: format!("aispace-{tag}-{}", std::process::id()),
        };
        t.run(&[
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
        t.run(&["set-option", "-g", "remain-on-exit", "on"]);
        Some(t)
    }

    /// Runs a tmux command on this server; its output, trimmed.
    pub fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-u", "-L", &self.name])
            .args(args)
            .env_remove("TMUX")
            .env_remove("TMUX_PANE")
            .env("LC_ALL", "C.UTF-8")
            .output()
            .expect("run tmux");
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim_end().to_string()
    }

    /// Runs the binary with `args` in the session's pane, with HOME and
    /// the XDG directories under `home`, `env` on top, and nothing else
    /// from the test's environment (tmux's own `TMUX` and `TERM` kept);
    /// returns the pane.
    pub fn spawn(&self, home: &Path, env: &[(&str, &str)], args: &[&str]) -> String {
        let q = |s: &str| {
            assert!(!s.contains('\''), "no quotes in {s:?}");
            format!("'{s}'")
        };
        let h = home.display().to_string();
        let mut cmd = format!(
            "exec env -i TMUX=\"$TMUX\" TMUX_PANE=\"$TMUX_PANE\" TERM=tmux-256color LANG=C.UTF-8 \
             PATH={} HOME={} XDG_STATE_HOME={} XDG_CONFIG_HOME={} XDG_DATA_HOME={} XDG_CACHE_HOME={}",
            q(&std::env::var("PATH").unwrap_or_default()),
            q(&h),
            q(&format!("{h}/state")),
            q(&format!("{h}/config")),
            q(&format!("{h}/data")),
            q(&format!("{h}/cache")),
        );
        for (k, v) in env {
            cmd.push_str(&format!(" {k}={}", q(v)));
        }
        cmd.push_str(&format!(" {}", q(env!("CARGO_BIN_EXE_aispace-tui"))));
        for a in args {
            cmd.push_str(&format!(" {}", q(a)));
        }
        let pane = self.run(&["display-message", "-p", "-t", "t", "#{pane_id}"]);
        self.run(&["respawn-pane", "-k", "-c", &h, "-t", &pane, &cmd]);
        pane
    }

    /// A format of `pane` (`#{pane_title}`, `#{pane_pid}`...), expanded.
    pub fn var(&self, pane: &str, format: &str) -> String {
        self.run(&["display-message", "-p", "-t", pane, format])
    }

    /// Runs `command` (through the shell) in a new window that does not
    /// become the current one (a background window); returns its pane.
    pub fn new_window(&self, command: &str) -> String {
        // `t:`: the session's first free window index.
        self.run(&[
            "new-window",
            "-d",
            "-t",
            "t:",
            "-P",
            "-F",
            "#{pane_id}",
            command,
        ])
    }

    /// Sends SIGTERM to the program in `pane` (as `kill` would).
    pub fn terminate(&self, pane: &str) {
        let pid = self.var(pane, "#{pane_pid}");
        let ok = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("run kill")
            .success();
        assert!(ok, "kill -TERM {pid}");
    }

    /// The pane's screen as text.
    pub fn screen(&self, pane: &str) -> String {
        self.run(&["capture-pane", "-p", "-t", pane])
    }

    /// Sends keys by tmux's names (`P`, `Tab`, `C-s`, `Escape`).
    pub fn keys(&self, pane: &str, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", pane];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    /// Types `text` literally.
    pub fn type_text(&self, pane: &str, text: &str) {
        self.run(&["send-keys", "-t", pane, "-l", text]);
    }

    /// A left click on the 0-based cell (column, row) of `pane`, as a
    /// terminal reporting the mouse in SGR form (mode 1006) sends it:
    /// press, then release.
    pub fn click(&self, pane: &str, column: u16, row: u16) {
        let (x, y) = (column + 1, row + 1);
        self.type_text(pane, &format!("\x1b[<0;{x};{y}M\x1b[<0;{x};{y}m"));
    }

    /// One notch of the mouse wheel (down or up) over the 0-based cell
    /// (column, row) of `pane`, in SGR form.
    pub fn wheel(&self, pane: &str, column: u16, row: u16, down: bool) {
        let (x, y) = (column + 1, row + 1);
        let button = if down { 65 } else { 64 };
        self.type_text(pane, &format!("\x1b[<{button};{x};{y}M"));
    }

    /// Whether the program in `pane` has the terminal report the mouse
    /// (any mouse mode on; tmux keeps the modes a dead pane left on).
    pub fn mouse_on(&self, pane: &str) -> bool {
        self.var(pane, "#{mouse_any_flag}") == "1"
    }

    /// Waits until `cond` holds, or panics naming `what` and showing the
    /// pane when the deadline passes.
    pub fn wait_until(&self, pane: &str, what: &str, cond: impl Fn() -> bool) {
        let start = Instant::now();
        while !cond() {
            assert!(
                start.elapsed() < DEADLINE,
                "timed out waiting for {what}; the pane shows:\n{}",
                self.screen(pane)
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the program in `pane` has ended (the pane stays).
    pub fn wait_dead(&self, pane: &str) {
        let start = Instant::now();
        while self.var(pane, "#{pane_dead}") != "1" {
            assert!(
                start.elapsed() < DEADLINE,
                "the program did not end; the pane shows:\n{}",
                self.screen(pane)
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the pane's screen satisfies `cond`; returns that
    /// screen, or panics with it when the deadline passes.
    pub fn wait_for(&self, pane: &str, what: &str, cond: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen(pane);
            if cond(&s) {
                return s;
            }
            if start.elapsed() > DEADLINE {
                panic!("timed out waiting for {what}; the pane shows:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.name, "kill-server"])
            .env_remove("TMUX")
            .status();
    }
}
