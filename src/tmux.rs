//! Talking to tmux when the app runs inside it: the pane's
//! `allow-passthrough` option (read before it is switched on for
//! graphics, put back on every exit path) and the copy into tmux's paste
//! buffer (`tmux load-buffer -w -`, which works with tmux's default
//! settings, where an application's OSC 52 is ignored).
//!
//! Every `tmux` run gets the environment without the agent key.

use std::process::{Command, Stdio};
use std::sync::{Mutex, PoisonError};

/// How to reach the tmux server and which pane is ours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tmux {
    /// Arguments before the command (e.g. `-L socket` in tests).
    server_args: Vec<String>,
    /// The pane (`%N`, from `TMUX_PANE`), if known.
    pane: Option<String>,
}

/// The passthrough value found before we changed it: `None` when the pane
/// had no value of its own (it inherited the window's).
type Saved = Option<String>;

/// A tmux client younger than this (seconds) may not know its outer
/// terminal yet (see [`Tmux::client_termtype`]).
pub const YOUNG_CLIENT_SECS: i64 = 2;
/// Longest wait for a young client's outer terminal name.
pub const TERMTYPE_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// Whether a client created at `created` (seconds since the epoch) may
/// still be waiting for its terminal's `XTVERSION` answer at `now`.
fn still_learning(created: Option<i64>, now: i64) -> bool {
    created.is_some_and(|c| (0..YOUNG_CLIENT_SECS).contains(&now.saturating_sub(c)))
}

/// The pane whose passthrough we switched on, and its value before.
static SAVED: Mutex<Option<(Tmux, Saved)>> = Mutex::new(None);
/// Passthrough wanted again after a suspend (the pane, as enabled).
static WANTED: Mutex<Option<Tmux>> = Mutex::new(None);

impl Tmux {
    /// The tmux we run in (`TMUX` set), else `None`.
    pub fn from_env() -> Option<Tmux> {
        std::env::var_os("TMUX").filter(|v| !v.is_empty())?;
        Some(Tmux {
            server_args: Vec::new(),
            pane: std::env::var("TMUX_PANE").ok().filter(|p| !p.is_empty()),
        })
    }

    /// A tmux server reached with `server_args` (e.g. `["-L", "name"]`),
    /// `pane` the target pane.
    pub fn with_server(server_args: &[&str], pane: Option<&str>) -> Tmux {
        Tmux {
            server_args: server_args.iter().map(|s| s.to_string()).collect(),
            pane: pane.map(str::to_string),
        }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new("tmux");
        c.args(&self.server_args).args(args);
        crate::keysource::without_key(&mut c);
        c.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        c
    }

    fn pane_args<'a>(&'a self, args: &[&'a str]) -> Vec<&'a str> {
        let mut v: Vec<&str> = args.to_vec();
        if let Some(p) = &self.pane {
            v.push("-t");
            v.push(p);
        }
        v
    }

    /// The pane's own `allow-passthrough` value (`None`: not set on the
    /// pane, or tmux did not answer).
    pub fn passthrough(&self) -> Option<String> {
        let args = self.pane_args(&["show-options", "-p", "-v"]);
        let mut c = self.command(&args);
        c.arg("allow-passthrough").stdout(Stdio::piped());
        let out = c.output().ok()?;
        let v = String::from_utf8_lossy(&out.stdout).trim().to_string();
        (out.status.success() && !v.is_empty()).then_some(v)
    }

    /// Sets the pane's `allow-passthrough` to `value`, or (`None`) removes
    /// the pane's own value. Errors are ignored (an old tmux has no such
    /// option and passes graphics through anyway or drops them).
    pub fn set_passthrough(&self, value: Option<&str>) {
        let mut args = self.pane_args(&["set-option", "-p"]);
        if value.is_none() {
            args.push("-u");
        }
        args.push("allow-passthrough");
        if let Some(v) = value {
            args.push(v);
        }
        let _ = self.command(&args).status();
    }

    /// The outer terminal's name and version as tmux learnt it from its
    /// `XTVERSION` answer (`#{client_termtype}`, tmux 3.3 and later, e.g.
    /// `kitty(0.26.5)`); `None` when tmux does not know or did not answer.
    /// A client that attached moments ago may not have the answer yet
    /// (seen: empty 70 ms after `tmux new-session app` started the app,
    /// there at 111 ms): while the client is younger than
    /// [`YOUNG_CLIENT_SECS`], tmux is asked again every 50 ms, for at most
    /// [`TERMTYPE_WAIT`].
    pub fn client_termtype(&self) -> Option<String> {
        let start = std::time::Instant::now();
        loop {
            let (created, termtype) = self.client_info();
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
            if termtype.is_some()
                || !still_learning(created, now)
                || start.elapsed() >= TERMTYPE_WAIT
            {
                return termtype;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// When the client attached (`#{client_created}`, seconds since the
    /// epoch) and its `#{client_termtype}` (cleaned, at most 64 chars).
    fn client_info(&self) -> (Option<i64>, Option<String>) {
        let mut c = self.command(&[
            "display-message",
            "-p",
            "#{client_created} #{client_termtype}",
        ]);
        c.stdout(Stdio::piped());
        let Ok(out) = c.output() else {
            return (None, None);
        };
        if !out.status.success() {
            return (None, None);
        }
        let text = String::from_utf8_lossy(&out.stdout);
        let (created, termtype) = text.trim_end().split_once(' ').unwrap_or((text.trim(), ""));
        let termtype: String = termtype
            .trim()
            .chars()
            .filter(|c| !c.is_control())
            .take(64)
            .collect();
        (
            created.trim().parse().ok(),
            (!termtype.is_empty()).then_some(termtype),
        )
    }

    /// Puts `text` into tmux's paste buffer (and, where tmux may, the
    /// system clipboard: `-w`). `Err` is a sentence for the status line.
    pub async fn load_buffer(&self, text: &str) -> Result<(), String> {
        use tokio::io::AsyncWriteExt;
        let std_cmd = self.command(&["load-buffer", "-w", "-"]);
        let mut cmd = tokio::process::Command::from(std_cmd);
        cmd.stdin(Stdio::piped()).stderr(Stdio::piped());
        let run = async {
            let mut child = cmd
                .spawn()
                .map_err(|e| format!("could not run tmux ({e})"))?;
            if let Some(mut stdin) = child.stdin.take() {
                stdin
                    .write_all(text.as_bytes())
                    .await
                    .map_err(|e| format!("could not talk to tmux ({e})"))?;
            }
            let out = child
                .wait_with_output()
                .await
                .map_err(|e| format!("tmux failed ({e})"))?;
            if out.status.success() {
                Ok(())
            } else {
                Err(format!("tmux load-buffer exited with {}", out.status))
            }
        };
        match tokio::time::timeout(std::time::Duration::from_secs(5), run).await {
            Ok(r) => r,
            Err(_) => Err("tmux did not answer within 5 s".to_string()),
        }
    }
}

/// Switches `allow-passthrough` on for our pane, remembering its value to
/// put back with [`restore_passthrough`]. Nothing changes (and nothing is
/// remembered) when it is already `on` or `all`.
pub fn enable_passthrough(tmux: &Tmux) {
    *WANTED.lock().unwrap_or_else(PoisonError::into_inner) = Some(tmux.clone());
    let before = tmux.passthrough();
    if matches!(before.as_deref(), Some("on" | "all")) {
        return;
    }
    let mut saved = SAVED.lock().unwrap_or_else(PoisonError::into_inner);
    if saved.is_none() {
        *saved = Some((tmux.clone(), before));
    }
    tmux.set_passthrough(Some("on"));
}

/// Puts back the passthrough value [`enable_passthrough`] changed (quit,
/// signal, panic, suspend). Safe to call any number of times.
pub fn restore_passthrough() {
    let saved = SAVED.lock().unwrap_or_else(PoisonError::into_inner).take();
    if let Some((tmux, before)) = saved {
        tmux.set_passthrough(before.as_deref());
    }
}

/// Switches passthrough on again after a suspend, if it was on before.
pub fn reenable_passthrough() {
    let wanted = WANTED
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    if let Some(t) = wanted {
        enable_passthrough(&t);
    }
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::*;

    #[test]
    fn only_a_client_attached_moments_ago_is_asked_again() {
        assert!(still_learning(Some(100), 100));
        assert!(still_learning(Some(100), 101));
        assert!(!still_learning(Some(100), 102));
        assert!(!still_learning(Some(100), 99_999));
        // A clock that went back, or no client (a detached session).
        assert!(!still_learning(Some(100), 99));
        assert!(!still_learning(None, 100));
    }

    /// A private tmux server (its own socket, no config file) with one
    /// pane that stays after its shell exits.
    struct Server {
        name: String,
    }

    impl Server {
        fn start(tag: &str) -> Option<Server> {
            let name = format!("aispace-test-{tag}-{}", std::process::id());
            let ok = Command::new("tmux")
                .args([
                    "-L",
                    &name,
                    "-f",
                    "/dev/null",
                    "new-session",
                    "-d",
                    "-x",
                    "80",
                    "-y",
                    "24",
                ])
                .env_remove("TMUX")
                .status()
                .ok()?
                .success();
            ok.then_some(Server { name })
        }

        fn tmux(&self) -> Tmux {
            let pane = self.run(&["list-panes", "-F", "#{pane_id}"]);
            Tmux::with_server(&["-L", &self.name], Some(&pane))
        }

        fn run(&self, args: &[&str]) -> String {
            let out = Command::new("tmux")
                .args(["-L", &self.name])
                .args(args)
                .env_remove("TMUX")
                .output()
                .unwrap();
            String::from_utf8_lossy(&out.stdout).trim().to_string()
        }
    }

    impl Drop for Server {
        fn drop(&mut self) {
            let _ = Command::new("tmux")
                .args(["-L", &self.name, "kill-server"])
                .status();
        }
    }

    fn tmux_missing() -> bool {
        Command::new("tmux").arg("-V").output().is_err()
    }

    // One test for the process-wide saved value (tests run in parallel).
    #[test]
    fn passthrough_is_put_back_as_it_was() {
        if tmux_missing() {
            eprintln!("tmux is not installed: skipped");
            return;
        }
        let s = Server::start("pass").unwrap();
        let t = s.tmux();
        // Unset on the pane (tmux's default): switched on, then unset again.
        assert_eq!(t.passthrough(), None);
        enable_passthrough(&t);
        assert_eq!(t.passthrough().as_deref(), Some("on"));
        restore_passthrough();
        assert_eq!(t.passthrough(), None);
        assert_eq!(
            s.run(&["show-options", "-p", "-v", "allow-passthrough"]),
            ""
        );
        // An explicit "off" comes back as "off"; restoring twice is harmless.
        t.set_passthrough(Some("off"));
        enable_passthrough(&t);
        assert_eq!(t.passthrough().as_deref(), Some("on"));
        restore_passthrough();
        restore_passthrough();
        assert_eq!(t.passthrough().as_deref(), Some("off"));
        // Already on: left alone.
        t.set_passthrough(Some("on"));
        enable_passthrough(&t);
        restore_passthrough();
        assert_eq!(t.passthrough().as_deref(), Some("on"));
    }

    #[tokio::test]
    async fn copy_lands_in_the_paste_buffer_with_default_settings() {
        if tmux_missing() {
            eprintln!("tmux is not installed: skipped");
            return;
        }
        let s = Server::start("copy").unwrap();
        let url = "http://127.0.0.1:1/p/abc";
        s.tmux().load_buffer(url).await.unwrap();
        assert_eq!(s.run(&["show-buffer"]), url);
        // No server: a sentence, not a panic.
        let gone = Tmux::with_server(&["-L", "aispace-test-no-such-server"], None);
        let e = gone.load_buffer("x").await.unwrap_err();
        assert!(e.contains("tmux"), "{e}");
    }

    #[test]
    fn a_session_without_a_client_names_no_outer_terminal() {
        if tmux_missing() {
            return;
        }
        let Some(server) = Server::start("termtype") else {
            return;
        };
        assert_eq!(server.tmux().client_termtype(), None);
    }
}
