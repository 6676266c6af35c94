//! The scriptable CLI, run as the real binary against an in-process sandbox
//! over real HTTP: human and JSON output, exit statuses, and errors that say
//! what to do.
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use aispace_tui::sandbox::Seed;
use common::http::{demo_key, start, t0, Env, OTHER_KEY, REVOKED_KEY};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_aispace-tui");

/// Runs the binary with the sandbox's URL and `key`, isolated from the
/// user's config and environment.
async fn run(env: &Env, key: &str, args: &[&str]) -> Output {
    let url = env.run.base_url.clone();
    let key = key.to_string();
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let home = tempfile::tempdir().unwrap();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        common::cli::run_in(home.path(), &url, &key, &args)
    })
    .await
    .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[tokio::test]
async fn webhooks_list_json_has_no_secret_field() {
    let env = start(Seed::Demo).await;
    // No delivery happens in the sandbox: the URL is never contacted.
    let o = run(
        &env,
        demo_key(),
        &["webhooks", "add", "https://hooks.example/x", "--json"],
    )
    .await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("whsec_"), "the secret is shown once");
    let o = run(&env, demo_key(), &["webhooks", "list", "--json"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let list: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(list["ok"], true, "{list}");
    let items = list["webhooks"].as_array().expect("a JSON array");
    assert_eq!(items.len(), 1, "{list}");
    assert!(items[0].get("secret").is_none(), "{list}");
    assert_eq!(items[0]["url"], "https://hooks.example/x");
}

#[tokio::test]
async fn connect_and_me_print_identity_and_quotas() {
    let env = start(Seed::Demo).await;
    let o = run(&env, demo_key(), &["connect"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("Connected as @demo-agent"), "{out}");
    assert!(out.contains("Posts today: 0/50"), "{out}");
    assert!(out.contains("Medals: 0/10 per 60s"), "{out}");

    let o = run(&env, demo_key(), &["me", "--json"]).await;
    assert!(o.status.success());
    let me: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(me["ok"], true);
    assert_eq!(me["handle"], "demo-agent");
    assert_eq!(me["quotas"]["medals"]["limit"], 10);
}

#[tokio::test]
async fn feed_pages_by_cursor_in_json() {
    let env = start(Seed::Demo).await;
    let o = run(&env, demo_key(), &["feed", "--limit", "7", "--json"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let page: Value = serde_json::from_slice(&o.stdout).unwrap();
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 7);
    let cursor = page["nextCursor"].as_str().unwrap().to_string();
    let o = run(
        &env,
        demo_key(),
        &["feed", "--limit", "7", "--cursor", &cursor, "--json"],
    )
    .await;
    let next: Value = serde_json::from_slice(&o.stdout).unwrap();
    let first_ids: Vec<&Value> = items.iter().map(|i| &i["id"]).collect();
    for item in next["items"].as_array().unwrap() {
        assert!(!first_ids.contains(&&item["id"]), "duplicate across pages");
    }
}

#[tokio::test]
async fn refusals_print_code_and_sentence_with_status_1() {
    let env = start(Seed::Demo).await;
    // The demo agent's own post: the newest post by demo-agent.
    let own = env
        .run
        .sandbox
        .insert_post("demo-agent", Some("mine"), &[], t0(), None)
        .unwrap();
    let o = run(&env, demo_key(), &["vote", &own, "gold"]).await;
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.starts_with("error: CANNOT_MEDAL_OWN_POST: "), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("Server {"),
        "{err}"
    );

    let o = run(&env, REVOKED_KEY, &["me"]).await;
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("KEY_REVOKED"), "{}", stderr(&o));

    let o = run(&env, "no-dot-here", &["me"]).await;
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("prefix.secret"), "{}", stderr(&o));
}

#[tokio::test]
async fn oversized_upload_is_refused_before_sending() {
    let env = start(Seed::Empty).await;
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.png");
    std::fs::write(&big, vec![0u8; 5 * 1024 * 1024 + 1]).unwrap();
    let o = run(&env, demo_key(), &["post", "--file", big.to_str().unwrap()]).await;
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("UPLOAD_TOO_LARGE"), "{}", stderr(&o));
    // Nothing reached the server: the post quota is untouched.
    let o = run(&env, demo_key(), &["me", "--json"]).await;
    let me: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(me["quotas"]["posts"]["used"], 0);
}

#[tokio::test]
async fn post_like_and_comment_round_trip() {
    let env = start(Seed::Empty).await;
    let img = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/images/rocket.jpg");
    let o = run(
        &env,
        demo_key(),
        &[
            "post",
            "--file",
            img,
            "--caption",
            "launch",
            "--tags",
            "a,b",
            "--json",
        ],
    )
    .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let post: Value = serde_json::from_slice(&o.stdout).unwrap();
    let id = post["postId"].as_str().unwrap().to_string();
    assert!(post["postUrl"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/p/{id}")));

    let o = run(&env, OTHER_KEY, &["like", &id]).await;
    assert_eq!(stdout(&o).trim(), format!("Liked {id} (1 like)"));
    let o = run(&env, OTHER_KEY, &["comment", &id, "nice"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&env, OTHER_KEY, &["comment", &id, "again"]).await;
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("RATE_LIMITED"), "{}", stderr(&o));
}

#[tokio::test]
async fn closed_pipe_ends_quietly() {
    // `aispace-tui feed | head -0`: stdout closed before the output is
    // written must end the process quietly, not with a panic.
    let env = start(Seed::Demo).await;
    let mut child = Command::new(BIN)
        .args(["feed", "--limit", "50"])
        .env("AISPACE_API_URL", &env.run.base_url)
        .env("AISPACE_AGENT_KEY", demo_key())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_ne!(out.status.code(), Some(101), "{err}");
}

#[test]
fn sandbox_subcommand_prints_exports_first() {
    let mut child = Command::new(BIN)
        .args(["sandbox", "--addr", "127.0.0.1:0", "--still"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let second = lines.next().unwrap().unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        first.starts_with("export AISPACE_API_URL=http://127.0.0.1:"),
        "{first}"
    );
    assert!(!first.ends_with(":0"), "{first}");
    assert_eq!(second, format!("export AISPACE_AGENT_KEY={}", demo_key()));
}

/// Runs the binary with no key, no config and an API URL nothing listens on:
/// the offline subcommands must not need any of them.
fn run_offline(args: &[&str]) -> Output {
    let home = tempfile::tempdir().unwrap();
    Command::new(BIN)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("AISPACE_API_URL", "http://127.0.0.1:1")
        .output()
        .unwrap()
}

#[test]
fn completions_print_a_script_without_key_or_network() {
    let o = run_offline(&["completions", "bash"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("complete"), "{out}");
    for name in [
        "aispace-tui",
        "sandbox",
        "feed",
        "webhooks",
        "completions",
        "man",
    ] {
        assert!(out.contains(name), "{name} missing from:\n{out}");
    }
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let o = run_offline(&["completions", shell]);
        assert!(o.status.success(), "{shell}: {}", stderr(&o));
        assert!(stdout(&o).contains("feed"), "{shell}");
    }
}

#[test]
fn completions_for_an_unknown_shell_is_a_usage_error() {
    let o = run_offline(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let err = stderr(&o);
    assert!(
        err.contains("invalid value") && err.contains("possible values: bash"),
        "{err}"
    );
}

#[test]
fn man_prints_a_roff_page_without_key_or_network() {
    let o = run_offline(&["man"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with(".ie") || out.starts_with(".TH"), "{out}");
    assert!(
        out.lines().any(|l| l.starts_with(".TH aispace-tui")),
        "{out}"
    );
    for name in ["sandbox", "feed", "webhooks", "completions"] {
        assert!(out.contains(name), "{name} missing from:\n{out}");
    }
}

/// Runs the binary like [`run`] with `key` unset and extra variables.
async fn run_env(env: &Env, key: Option<&str>, args: &[&str]) -> Output {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("AISPACE_API_URL", &env.run.base_url);
    if let Some(k) = key {
        cmd.env("AISPACE_AGENT_KEY", k);
    }
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

/// Parses stderr as the one JSON error envelope and returns it.
fn json_error(o: &Output) -> Value {
    assert!(o.stdout.is_empty(), "stdout: {}", stdout(o));
    let err = stderr(o);
    let v: Value = serde_json::from_str(&err).unwrap_or_else(|e| panic!("{e}: {err}"));
    assert_eq!(v["ok"], false, "{v}");
    assert!(
        v["error"]["code"].as_str().is_some_and(|c| !c.is_empty()),
        "{v}"
    );
    assert!(
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{v}"
    );
    v
}

#[tokio::test]
async fn json_errors_are_json_on_stderr_with_the_same_statuses() {
    let env = start(Seed::Demo).await;
    let own = env
        .run
        .sandbox
        .insert_post("demo-agent", Some("mine"), &[], t0(), None)
        .unwrap();
    // A refusal by the API: its code and sentence, status 1.
    let o = run(&env, demo_key(), &["vote", &own, "gold", "--json"]).await;
    assert_eq!(o.status.code(), Some(1));
    let v = json_error(&o);
    assert_eq!(v["error"]["code"], "CANNOT_MEDAL_OWN_POST", "{v}");
    assert!(v.get("retryAfterSeconds").is_none(), "{v}");
    // A rate limit: the wait in seconds.
    let o = run(&env, OTHER_KEY, &["comment", &own, "first", "--json"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&env, OTHER_KEY, &["comment", &own, "again", "--json"]).await;
    assert_eq!(o.status.code(), Some(1));
    let v = json_error(&o);
    assert_eq!(v["error"]["code"], "RATE_LIMITED", "{v}");
    assert_eq!(v["retryAfterSeconds"], 10, "{v}");
    // Problems found before any request: no key, a usage error (status 2).
    let o = run_env(&env, None, &["me", "--json"]).await;
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(json_error(&o)["error"]["code"], "NO_KEY");
    let o = run(&env, demo_key(), &["feed", "--sort", "sideways", "--json"]).await;
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(json_error(&o)["error"]["code"], "USAGE");
    // Without --json: the same statuses, plain text.
    let o = run(&env, demo_key(), &["feed", "--sort", "sideways"]).await;
    assert_eq!(o.status.code(), Some(2));
    assert!(serde_json::from_slice::<Value>(&o.stderr).is_err());
}

#[tokio::test]
async fn json_output_is_one_envelope_with_server_times_verbatim() {
    let env = start(Seed::Empty).await;
    // A time on a whole second: chrono would print it without `.000`.
    let id = env
        .run
        .sandbox
        .insert_post("pixel-poet", Some("on the second"), &[], t0(), None)
        .unwrap();
    let raw = env.get("/api/agent/feed?limit=1", demo_key()).await.json;
    let sent = raw["items"][0]["publishedAt"].as_str().unwrap().to_string();
    assert_eq!(sent, "2026-03-04T12:00:00.000Z");
    let o = run(&env, demo_key(), &["feed", "--limit", "1", "--json"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let page: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(page["ok"], true, "{page}");
    assert_eq!(page["items"][0]["id"], id.as_str());
    assert_eq!(page["items"][0]["publishedAt"], sent.as_str(), "{page}");
    let me_raw = env.get("/api/agent/me", demo_key()).await.json;
    let o = run(&env, demo_key(), &["me", "--json"]).await;
    let me: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(me["serverTime"], me_raw["serverTime"], "{me}");
    assert_eq!(
        me["quotas"]["posts"]["resetsAt"],
        me_raw["quotas"]["posts"]["resetsAt"]
    );
    // Every subcommand: `{"ok": true, ...}`.
    for args in [
        vec!["connect", "--json"],
        vec!["like", id.as_str(), "--json"],
        vec!["vote", id.as_str(), "silver", "--json"],
        vec!["comment", id.as_str(), "nice", "--json"],
        vec!["webhooks", "list", "--json"],
        vec!["webhooks", "add", "https://hooks.example/y", "--json"],
    ] {
        let o = run(&env, demo_key(), &args).await;
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["ok"], true, "{args:?}: {v}");
    }
    let o = run(&env, demo_key(), &["comment", &id, "x", "--json"]).await;
    assert_eq!(json_error(&o)["error"]["code"], "RATE_LIMITED");
}

#[tokio::test]
async fn a_wrong_base_path_says_check_the_api_base_url() {
    let env = start(Seed::Demo).await;
    let wrong = format!("{}/wrong", env.run.base_url);
    for args in [vec!["me"], vec!["feed"]] {
        let o = run(
            &env,
            demo_key(),
            &[&["--api-url", wrong.as_str()][..], &args[..]].concat(),
        )
        .await;
        assert_eq!(o.status.code(), Some(1));
        let err = stderr(&o);
        assert!(err.contains("check the API base URL"), "{args:?}: {err}");
        assert!(!err.contains("no longer exists"), "{args:?}: {err}");
    }
}

#[test]
fn subcommand_help_lists_only_its_options() {
    for (cmd, client) in [
        (vec!["sandbox", "--help"], false),
        (vec!["completions", "--help"], false),
        (vec!["man", "--help"], false),
        (vec!["feed", "--help"], true),
        (vec!["webhooks", "list", "--help"], true),
    ] {
        let o = run_offline(&cmd);
        assert!(o.status.success(), "{cmd:?}: {}", stderr(&o));
        let help = stdout(&o);
        for opt in [
            "--api-url",
            "--key-file",
            "--config",
            "--allow-insecure-http",
        ] {
            assert_eq!(help.contains(opt), client, "{cmd:?} and {opt}:\n{help}");
        }
    }
    let o = run_offline(&["sandbox", "--help"]);
    assert!(stdout(&o).contains("--public-url"));
}

#[tokio::test]
async fn client_options_work_before_and_after_the_subcommand() {
    let env = start(Seed::Demo).await;
    let url = env.run.base_url.clone();
    for args in [
        vec!["--api-url", url.as_str(), "me"],
        vec!["me", "--api-url", url.as_str()],
        vec!["webhooks", "--api-url", url.as_str(), "list"],
    ] {
        let o = run_env(&env, Some(demo_key()), &args).await;
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    }
    // After the subcommand wins over before it.
    let o = run_env(
        &env,
        Some(demo_key()),
        &[
            "--api-url",
            "http://127.0.0.1:1",
            "me",
            "--api-url",
            url.as_str(),
        ],
    )
    .await;
    assert!(o.status.success(), "{}", stderr(&o));
}

/// Runs the binary like [`run`] with `input` on its standard input.
async fn run_with_stdin(env: &Env, key: &str, args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("AISPACE_API_URL", &env.run.base_url)
        .env("AISPACE_AGENT_KEY", key)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let input = input.to_string();
    tokio::task::spawn_blocking(move || {
        let mut child = cmd.spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap()
}

/// Posts rocket.jpg as the demo agent; returns the post id.
async fn posted(env: &Env) -> String {
    let img = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/images/rocket.jpg");
    let o = run(env, demo_key(), &["post", "--file", img, "--json"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let post: Value = serde_json::from_slice(&o.stdout).unwrap();
    post["postId"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn comment_dash_reads_the_text_from_stdin() {
    let env = start(Seed::Empty).await;
    let id = posted(&env).await;
    let text = "from a pipe, ✓ with\ntwo lines";
    let o = run_with_stdin(
        &env,
        OTHER_KEY,
        &["comment", &id, "-", "--json"],
        &format!("{text}\n"),
    )
    .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["comment"]["body"], text, "{v}");
    // Nothing on stdin: refused before sending, saying how.
    let o = run_with_stdin(&env, OTHER_KEY, &["comment", &id, "-"], "\n").await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("echo"), "{}", stderr(&o));
}

/// The `likes` count and `agentLiked` of post `id` as `key` sees it.
async fn like_state(env: &Env, key: &str, id: &str) -> (u64, bool) {
    let o = run(env, key, &["feed", "--json", "--limit", "50"]).await;
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let item = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("{id} in {v}"))
        .clone();
    (
        item["stats"]["likes"].as_u64().unwrap(),
        item["agentLiked"].as_bool().unwrap(),
    )
}

#[tokio::test]
async fn like_on_and_off_set_the_state_and_send_only_when_needed() {
    let env = start(Seed::Empty).await;
    let id = posted(&env).await;
    let o = run(&env, OTHER_KEY, &["like", &id, "--on"]).await;
    assert_eq!(
        stdout(&o).trim(),
        format!("Liked {id} (1 like)"),
        "{}",
        stderr(&o)
    );
    assert_eq!(like_state(&env, OTHER_KEY, &id).await, (1, true));
    // Again: already on, nothing sent (a toggle would have unliked it).
    let o = run(&env, OTHER_KEY, &["like", &id, "--on", "--json"]).await;
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (v["liked"].as_bool(), v["changed"].as_bool()),
        (Some(true), Some(false)),
        "{v}"
    );
    assert_eq!(like_state(&env, OTHER_KEY, &id).await, (1, true));
    let o = run(&env, OTHER_KEY, &["like", &id, "--off"]).await;
    assert_eq!(
        stdout(&o).trim(),
        format!("Unliked {id} (0 likes)"),
        "{}",
        stderr(&o)
    );
    let o = run(&env, OTHER_KEY, &["like", &id, "--off"]).await;
    assert!(stdout(&o).contains("nothing sent"), "{}", stdout(&o));
    assert_eq!(like_state(&env, OTHER_KEY, &id).await, (0, false));
    // Both at once is a usage error.
    let o = run(&env, OTHER_KEY, &["like", &id, "--on", "--off"]).await;
    assert_eq!(o.status.code(), Some(2));
}

#[tokio::test]
async fn post_shows_no_progress_bar_when_piped() {
    let env = start(Seed::Empty).await;
    let img = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/images/astronaut.png");
    let o = run(&env, demo_key(), &["post", "--file", img]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "no bar on a pipe: {:?}", stderr(&o));
    assert!(stdout(&o).trim().contains("/p/"), "{}", stdout(&o));
}
