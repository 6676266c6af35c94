//! The agent key stays secret (CONTRACT.md "Authentication"), tested through
//! the real binary:
//! - a key file or config file readable by others is refused with the
//!   `chmod 600 PATH` that fixes it, before any request;
//! - plain `http://` to a non-loopback host is refused without
//!   `--allow-insecure-http` (loopback http works without it);
//! - through a whole TUI session against a sandbox that fails requests
//!   (trace-level logging, likes, medals, a comment, refreshes, retries, then
//!   the debug panic trigger), the key's secret appears in no log line and
//!   in nothing written to the terminal; nor in `Debug` of the client types.
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use aispace_tui::api::{AgentKey, Client, ClientConfig};
use aispace_tui::sandbox::{spawn, Faults, Sandbox, SandboxOptions, Seed};
use common::pty::{assert_restored, Pty, Spawn};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

const SECRET: &str = "demo-agent-secret-0001";

/// Runs the binary with an empty environment but HOME/XDG under `home`.
fn run(home: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_aispace-tui"));
    cmd.args(args)
        .env_clear()
        .env("HOME", home)
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("LANG", "C.UTF-8")
        .current_dir(home)
        .stdin(std::process::Stdio::null());
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run aispace-tui")
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).to_string(),
        String::from_utf8_lossy(&o.stderr).to_string(),
    )
}

fn write_mode(path: &Path, content: &str, mode: u32) {
    std::fs::write(path, content).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn key_file_readable_by_others_is_refused_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("agent.key");
    write_mode(&key, &format!("{}\n", Sandbox::demo_key()), 0o644);
    let shown = key.display().to_string();
    // From the flag, for a subcommand and for the TUI.
    for args in [
        vec!["--key-file", shown.as_str(), "me"],
        vec!["--key-file", shown.as_str()],
    ] {
        let o = run(dir.path(), &args, &[]);
        let (out, err) = text(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains(&format!("chmod 600 {shown}")),
            "{args:?}: {err}"
        );
        assert!(!err.contains(SECRET) && !out.contains(SECRET), "{args:?}");
    }
    // From the config file's key_file.
    let config_dir = dir.path().join("config/aispace-tui");
    std::fs::create_dir_all(&config_dir).unwrap();
    write_mode(
        &config_dir.join("config.toml"),
        &format!("key_file = \"{shown}\"\n"),
        0o600,
    );
    let o = run(dir.path(), &["me"], &[]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains(&format!("chmod 600 {shown}")), "{err}");
    // After the fix the key is accepted (the request then fails: the default
    // API is not reachable here, and the message never holds the key).
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    let o = run(dir.path(), &["--api-url", "http://127.0.0.1:9", "me"], &[]);
    let (out, err) = text(&o);
    assert!(!err.contains("chmod"), "{err}");
    assert!(!err.contains(SECRET) && !out.contains(SECRET));
}

#[test]
fn config_file_readable_by_others_is_refused_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let config_dir = dir.path().join("config/aispace-tui");
    std::fs::create_dir_all(&config_dir).unwrap();
    let config = config_dir.join("config.toml");
    write_mode(&config, "key_command = \"echo x.y\"\n", 0o644);
    let o = run(dir.path(), &["me"], &[]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("chmod 600 {}", config.display())),
        "{err}"
    );
}

#[test]
fn plain_http_to_a_remote_host_is_refused_without_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let key = ("AISPACE_AGENT_KEY", Sandbox::demo_key());
    for args in [
        vec!["--api-url", "http://example.com", "me"],
        vec!["--api-url", "http://10.1.2.3:8080", "feed"],
        vec!["--api-url", "http://example.com"], // the TUI
    ] {
        let o = run(dir.path(), &args, &[key]);
        let (out, err) = text(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("http://"), "{args:?}: {err}");
        assert!(err.contains("--allow-insecure-http"), "{args:?}: {err}");
        assert!(!err.contains(SECRET) && !out.contains(SECRET));
    }
}

/// Waits until the log file holds `needle` (a safety deadline only).
fn wait_for_log(path: &Path, needle: &str) {
    let start = std::time::Instant::now();
    loop {
        let log = std::fs::read_to_string(path).unwrap_or_default();
        if log.contains(needle) {
            return;
        }
        assert!(
            start.elapsed() < common::pty::DEADLINE,
            "no {needle:?} in the log:\n{log}"
        );
        std::thread::sleep(common::pty::POLL);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_key_is_in_no_log_line_and_not_on_screen() {
    let run_sb = spawn(
        SandboxOptions {
            seed: Seed::Demo,
            ..SandboxOptions::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let base = run_sb.base_url.clone();
    let sandbox = run_sb.sandbox.clone();

    // Debug of the client types hides the secret.
    let key = AgentKey::parse(Sandbox::demo_key()).unwrap();
    let cfg = ClientConfig::new(base.clone()).with_key(key.clone());
    let client = Client::new(cfg.clone()).unwrap();
    for shown in [
        format!("{key:?}"),
        format!("{key}"),
        format!("{cfg:?}"),
        format!("{client:?}"),
    ] {
        assert!(!shown.contains(SECRET), "{shown}");
    }

    // Loopback http works without the flag (and prints no key).
    let dir = tempfile::tempdir().unwrap();
    let env = [("AISPACE_AGENT_KEY", Sandbox::demo_key())];
    let home = dir.path().to_path_buf();
    let base2 = base.clone();
    let o = tokio::task::spawn_blocking(move || run(&home, &["--api-url", &base2, "me"], &env))
        .await
        .unwrap();
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(out.contains("@demo-agent"), "{out}");
    assert!(!out.contains(SECRET) && !err.contains(SECRET));

    // A TUI session full of errors, with trace logging, ending in a panic.
    let home = dir.path().to_path_buf();
    let base3 = base.clone();
    let log_path = dir.path().join("state/aispace-tui/aispace-tui.log");
    let raw = tokio::task::spawn_blocking(move || {
        let spawn = Spawn {
            args: [
                "--api-url",
                &base3,
                "--refresh",
                "0",
                "--image-protocol",
                "none",
            ]
            .map(String::from)
            .to_vec(),
            ..Spawn::default()
        }
        .env("AISPACE_AGENT_KEY", Sandbox::demo_key())
        .env("AISPACE_LOG", "trace")
        .env("AISPACE_DEBUG_PANIC_KEY", "1");
        let mut p = Pty::start(&home, spawn);
        p.wait_for("the feed", |s| s.contains("> @"));
        sandbox.set_faults(
            "error=0.5,drop=0.2,bad-json=0.2"
                .parse::<Faults>()
                .expect("faults"),
        );
        for k in [
            "l", "j", "l", "g", "j", "s", "R", "r", "j", "b", "l", "R", "r",
        ] {
            p.send(k.as_bytes());
        }
        sandbox.set_faults("error=1".parse::<Faults>().expect("faults"));
        p.send(b"c");
        p.wait_for("the editor", |s| s.contains("Comment on @"));
        p.type_text("a comment that fails");
        p.send(b"\x13"); // ctrl-s
        wait_for_log(&log_path, "comment request failed");
        sandbox.set_faults(Faults::default());
        p.send(b"\x1b"); // close the editor: keep the draft, then retry
        p.wait_for("the keep/discard question", |s| s.contains("keep as draft"));
        p.send(b"k");
        p.wait_for("the feed", |s| !s.contains("Comment on @"));
        p.send(b"R");
        p.wait_for("the retried comment", |s| {
            s.contains("Comment posted") || s.contains("Comment on @")
        });
        p.send(b"\x1b[24~"); // F12: debug panic
        assert_eq!(p.wait_exit(), 101);
        p.wait_eof();
        p.raw()
    })
    .await
    .unwrap();
    assert_restored(&raw, "panic");
    let all = String::from_utf8_lossy(&raw);
    assert!(all.contains("debug panic trigger"), "panic message shown");
    assert!(!all.contains(SECRET), "the secret reached the terminal");

    let log = std::fs::read_to_string(dir.path().join("state/aispace-tui/aispace-tui.log"))
        .expect("the log file");
    assert!(
        log.lines().count() > 10,
        "trace logging wrote lines:\n{log}"
    );
    assert!(
        log.contains("request failed"),
        "failed requests are logged:\n{log}"
    );
    assert!(log.contains("panic"), "the panic is logged");
    for line in log.lines() {
        assert!(!line.contains(SECRET), "secret in a log line: {line}");
        assert!(
            !line.contains("Bearer sbx"),
            "auth header in a log line: {line}"
        );
    }
    run_sb.shutdown().await;
}

/// The browser opener (`o`) gets the environment without the key: an
/// `xdg-open` first on PATH writes what it was given to a file.
#[cfg(target_os = "linux")]
#[test]
fn the_browser_opener_runs_without_the_key_in_its_environment() {
    let home = tempfile::tempdir().unwrap();
    let bin = home.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let out = home.path().join("opener.txt");
    let script = format!(
        "#!/bin/sh\n{{ echo \"url=$1\"; env; }} > '{0}.part' && mv '{0}.part' '{0}'\n",
        out.display()
    );
    write_mode(&bin.join("xdg-open"), &script, 0o755);
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let spawn = Spawn::demo()
        .env("PATH", &path)
        .env("AISPACE_AGENT_KEY", Sandbox::demo_key());
    let mut pty = Pty::start(home.path(), spawn);
    pty.wait_for("the feed", |s| s.contains("Feed · latest"));
    let start = std::time::Instant::now();
    let mut sent = None::<std::time::Instant>;
    while !out.exists() {
        assert!(
            start.elapsed() < common::pty::DEADLINE,
            "the opener never ran:\n{}",
            pty.screen()
        );
        // Pressed again if nothing ran (the key is harmless to repeat).
        if sent.is_none_or(|t| t.elapsed() > std::time::Duration::from_secs(5)) {
            pty.send(b"o");
            sent = Some(std::time::Instant::now());
        }
        std::thread::sleep(common::pty::POLL);
    }
    let seen = std::fs::read_to_string(&out).unwrap();
    pty.send(b"q");
    pty.wait_exit();
    assert!(seen.contains("url=http://127.0.0.1:"), "{seen}");
    assert!(seen.lines().any(|l| l.starts_with("HOME=")), "{seen}");
    assert!(!seen.contains("AISPACE_AGENT_KEY"), "{seen}");
    assert!(!seen.contains(SECRET), "{seen}");
}
