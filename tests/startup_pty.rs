//! Start-up as a user meets it, with the real binary: the first frame is
//! drawn before the terminal probe (a pty that never answers it, like
//! this one), an unreachable server opens the app offline instead of
//! ending it, and without a terminal it says so in one line and writes no
//! escape sequence. Waits poll with a generous deadline that only guards
//! against a hung test; nothing asserts how long anything took.
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks
#![cfg(unix)]

mod common;

use common::pty::{Pty, Spawn};

/// The first byte of the graphics probe in `raw` (any of its queries).
fn probe_at(raw: &[u8]) -> Option<usize> {
    let queries: [&[u8]; 4] = [b"\x1b_G", b"\x1b[c", b"\x1b[16t", b"\x1b[5n"];
    queries
        .iter()
        .filter_map(|q| raw.windows(q.len()).position(|w| w == *q))
        .min()
}

fn find(raw: &[u8], needle: &[u8]) -> Option<usize> {
    raw.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn the_first_frame_is_drawn_before_the_terminal_probe() {
    let home = tempfile::tempdir().expect("tempdir");
    let spawn = Spawn {
        args: ["--demo", "--refresh", "0", "--image-protocol", "auto"]
            .map(String::from)
            .to_vec(),
        ..Spawn::default()
    };
    let mut pty = Pty::start(home.path(), spawn);
    // This pty never answers the probe: the app still draws, then goes on.
    pty.wait_for("the header", |s| s.contains("AIspace"));
    // The probe follows the frame: wait until it was written too.
    let start = std::time::Instant::now();
    let raw = loop {
        let raw = pty.raw();
        if probe_at(&raw).is_some() {
            break raw;
        }
        assert!(
            start.elapsed() < common::pty::DEADLINE,
            "no probe was sent (is the terminal taken for a non-tty?)"
        );
        std::thread::sleep(common::pty::POLL);
    };
    let frame = find(&raw, b"AIspace").expect("a frame");
    let probe = probe_at(&raw).unwrap_or(0);
    assert!(frame < probe, "the frame waited for the probe");
    pty.wait_for("the feed", |s| s.contains("Feed · latest"));
    pty.send(b"q");
    assert_eq!(pty.wait_exit(), 0);
}

#[test]
fn an_unreachable_server_opens_the_app_offline() {
    // A loopback port with nobody listening.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let home = tempfile::tempdir().expect("tempdir");
    let spawn = Spawn {
        args: ["--refresh", "0", "--image-protocol", "none"]
            .map(String::from)
            .to_vec(),
        ..Spawn::default()
    }
    .env("AISPACE_API_URL", &format!("http://127.0.0.1:{port}"))
    .env("AISPACE_AGENT_KEY", "sbx_test.offline-secret");
    let mut pty = Pty::start(home.path(), spawn);
    pty.wait_for("the offline header", |s| s.contains("retrying"));
    let screen = pty.screen();
    assert!(screen.contains("Cannot reach AIspace"), "{screen}");
    assert!(!screen.contains("· live"), "{screen}");
    pty.send(b"q");
    assert_eq!(pty.wait_exit(), 0);
}

/// Starts the app on `base_url` (a sandbox answering 404 for its API
/// routes) and checks it stays open, says to check the base URL, is not
/// "live" and shows no HTML.
fn opens_and_says_check_the_base_url(base_url: &str) {
    let home = tempfile::tempdir().expect("tempdir");
    let spawn = Spawn {
        args: ["--refresh", "0", "--image-protocol", "none"]
            .map(String::from)
            .to_vec(),
        ..Spawn::default()
    }
    .env("AISPACE_API_URL", base_url)
    .env(
        "AISPACE_AGENT_KEY",
        aispace_tui::sandbox::Sandbox::demo_key(),
    );
    let mut pty = Pty::start(home.path(), spawn);
    pty.wait_for("the feed's error", |s| s.contains("Could not load:"));
    let screen = pty.screen();
    assert!(screen.contains("check the API base URL"), "{screen}");
    assert!(screen.contains("retrying"), "{screen}");
    assert!(!screen.contains("· live"), "{screen}");
    assert!(!screen.contains("no longer exists"), "{screen}");
    let lower = screen.to_lowercase();
    assert!(
        !lower.contains("<html") && !lower.contains("<title") && !lower.contains("doctype"),
        "{screen}"
    );
    pty.send(b"q");
    assert_eq!(pty.wait_exit(), 0, "{}", pty.screen());
}

#[test]
fn a_wrong_base_url_opens_the_app_and_says_to_check_it() {
    use aispace_tui::sandbox::{Clock, RawAnswer, Seed};
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let clock = Clock::manual(common::t0());
    let run = rt.block_on(common::sandbox(Seed::Demo, false, &clock));
    // A wrong path: the server's own JSON 404 for an unknown route.
    opens_and_says_check_the_base_url(&format!("{}/wrong", run.base_url));
    // A web server's HTML 404 page for every API route.
    let page = RawAnswer {
        status: 404,
        headers: vec![("content-type".into(), "text/html".into())],
        body: "<!DOCTYPE html><html><head><title>404 Not Found</title></head>\
               <body><h1>Not Found</h1><hr><center>nginx</center></body></html>"
            .into(),
    };
    run.sandbox.script_answers("/api/", page, usize::MAX);
    opens_and_says_check_the_base_url(&run.base_url);
}

#[test]
fn without_a_terminal_it_says_so_in_one_line() {
    let home = tempfile::tempdir().expect("tempdir");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aispace-tui"))
        .args(["--demo", "--refresh", "0"])
        .env_clear()
        .env("HOME", home.path())
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("TERM", "xterm-256color")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run aispace-tui");
    assert!(!out.status.success());
    assert!(!out.stdout.contains(&0x1b), "escape sequences on stdout");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("needs a terminal"), "{err}");
    assert!(!err.contains('\x1b'), "{err}");
}
