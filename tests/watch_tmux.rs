//! Watch rules end to end, as a moderator uses them: the real binary in a
//! background window of a private tmux server (its own socket, no config
//! file), against a sandbox process, with a `[[watch]]` rule on an author.
//! A post by that author (made through the sandbox's HTTP API with that
//! author's key, by the CLI) sets the pane title's count, rings the bell
//! (tmux's bell flag on the window) and writes exactly one desktop
//! notification sequence (the pane's raw output, through `pipe-pane`);
//! the title is put back when the app quits (`q`) or is stopped (SIGTERM).
//! Skipped, saying so, when tmux is not installed (CI installs it).
#![cfg(all(unix, feature = "sandbox"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use common::server::Server as Sandbox;
use common::tmux::Tmux;
use std::path::Path;

/// pixel-poet's key in the sandbox's table.
const POET_KEY: &str = "sbx_poet.pixel-poet-secret-0002";
/// The desktop notification, as the app writes it inside tmux (OSC 9 or
/// OSC 777 in tmux's passthrough).
const NOTIFY_OSC9: &[u8] = b"\x1bPtmux;\x1b\x1b]9;";
const NOTIFY_OSC777: &[u8] = b"\x1bPtmux;\x1b\x1b]777;notify;";

/// The app in a new background window (not the current one, as a
/// moderator's dashboard is), on `sandbox` as the demo agent, with HOME
/// and the XDG directories under `home`; its raw output goes to `raw`.
/// Returns the pane once the feed is on screen.
fn app_window(t: &Tmux, sandbox: &Sandbox, home: &Path, raw: &Path) -> String {
    let h = home.display();
    let command = format!(
        "exec env -u AISPACE_AGENT_KEY HOME='{h}' XDG_STATE_HOME='{h}/state' \
         XDG_CONFIG_HOME='{h}/config' XDG_DATA_HOME='{h}/data' TERM=xterm-256color \
         AISPACE_API_URL='{}' AISPACE_AGENT_KEY='{}' \
         '{}' --refresh 5 --image-protocol none",
        sandbox.url,
        sandbox.key,
        env!("CARGO_BIN_EXE_aispace-tui")
    );
    let pane = t.new_window(&command);
    t.run(&[
        "pipe-pane",
        "-O",
        "-t",
        &pane,
        &format!("cat >> '{}'", raw.display()),
    ]);
    t.wait_for(&pane, "the feed", |screen| {
        screen.contains("Feed · latest") && screen.contains("live")
    });
    pane
}

fn write_config(home: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let dir = home.join("config/aispace-tui");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config.toml");
    std::fs::write(
        &path,
        "[[watch]]\nauthor = \"pixel-poet\"\ntitle = true\nbell = true\ndesktop = true\n",
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

/// pixel-poet posts a picture (the CLI, with pixel-poet's key).
fn poet_posts(sandbox: &Sandbox, home: &Path, caption: &str) {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/images/coffee.png");
    let out = common::cli::run_in(
        home,
        &sandbox.url,
        POET_KEY,
        &["post", "--file", file, "--caption", caption],
    );
    assert!(
        out.status.success(),
        "post as pixel-poet: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

fn notifications(raw: &Path) -> usize {
    let bytes = std::fs::read(raw).unwrap_or_default();
    count(&bytes, NOTIFY_OSC9) + count(&bytes, NOTIFY_OSC777)
}

/// One run: the app in a background window, a post by the watched
/// author, the checks, then `end` stops the app and the title is back.
fn watch_run(tmux: &Tmux, sandbox: &Sandbox, caption: &str, end: impl Fn(&Tmux, &str)) {
    let home = tempfile::tempdir().unwrap();
    write_config(home.path());
    let raw = home.path().join("raw-output");
    let pane = app_window(tmux, sandbox, home.path(), &raw);
    let before = tmux.var(&pane, "#{pane_title}");
    assert!(!before.contains("aispace-tui"), "{before:?}");
    assert_eq!(tmux.var(&pane, "#{window_bell_flag}"), "0");
    assert_eq!(notifications(&raw), 0);

    poet_posts(sandbox, home.path(), caption);
    tmux.wait_until(&pane, "the title count", || {
        tmux.var(&pane, "#{pane_title}") == "(1) aispace-tui"
    });
    tmux.wait_until(&pane, "the bell flag", || {
        tmux.var(&pane, "#{window_bell_flag}") == "1"
    });
    tmux.wait_until(&pane, "the desktop notification", || {
        notifications(&raw) >= 1
    });
    let screen = tmux.screen(&pane);
    assert!(
        screen.contains("▲ 1 new"),
        "the feed has the post:\n{screen}"
    );

    end(tmux, &pane);
    tmux.wait_dead(&pane);
    assert_eq!(
        tmux.var(&pane, "#{pane_title}"),
        before,
        "the title is put back"
    );
    // Everything the app wrote has reached the file once the title pop
    // (written on the way out) is there.
    tmux.wait_until(&pane, "the end of the raw output", || {
        let bytes = std::fs::read(&raw).unwrap_or_default();
        count(&bytes, b"\x1b[23;0t") >= 1
    });
    let bytes = std::fs::read(&raw).unwrap();
    assert_eq!(notifications(&raw), 1, "exactly one desktop notification");
    assert_eq!(count(&bytes, b"\x1b[22;0t"), 1, "the title saved once");
    assert_eq!(count(&bytes, b"\x1b[23;0t"), 1, "and put back once");
    let note = String::from_utf8_lossy(&bytes);
    assert!(
        note.contains(&format!("New post by @pixel-poet: {caption}")),
        "the notification names the author and quotes the caption"
    );
    tmux.run(&["kill-pane", "-t", &pane]);
}

#[test]
fn a_watched_author_posts_title_count_bell_and_one_notification() {
    let Some(tmux) = Tmux::start("watch") else {
        return;
    };
    let sandbox = Sandbox::start();
    // Quit with q (the key also marks the count as read).
    watch_run(&tmux, &sandbox, "watched poem one", |t, pane| {
        t.run(&["send-keys", "-t", pane, "q"]);
    });
    // Stopped by a signal while the count is shown: the exit path puts
    // the title back.
    watch_run(&tmux, &sandbox, "watched poem two", |t, pane| {
        t.terminate(pane);
    });
}
