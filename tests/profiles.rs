//! Issue 16, accounts: `[profiles.NAME]` in the config, `--profile` /
//! `AISPACE_PROFILE` for the subcommands and the TUI, the TUI's switcher.
//! Two sandbox processes (`common::server`), one agent on each; the
//! config holds two profiles whose keys are files with mode 0600. What
//! reached which sandbox is read back over HTTP with each sandbox's key.
//!
//! Waits poll the parsed screen with a generous deadline that only guards
//! against a hung test; nothing asserts how long anything took.
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

mod common;

use common::cli::{run_env, run_in};
use common::pty::{Pty, Spawn};
use common::server::Server;
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// Writes `text` to `path` with `mode`.
fn write_private(path: &Path, text: &str, mode: u32) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// The config under `home` (where `XDG_CONFIG_HOME=home/config` finds it)
/// with profiles `alpha` (on `a`, the demo agent, cyan) and `beta` (on
/// `b`, another seeded agent, magenta), their keys in 0600 files.
fn two_profiles(home: &Path, a: &Server, b: &Server) -> PathBuf {
    let alpha_key = home.join("keys/alpha.key");
    let beta_key = home.join("keys/beta.key");
    write_private(&alpha_key, &format!("{}\n", a.key), 0o600);
    write_private(&beta_key, &format!("{}\n", b.other_keys[0]), 0o600);
    let config = home.join("config/aispace-tui/config.toml");
    write_private(
        &config,
        &format!(
            "undo_secs = 0\n\n[profiles.alpha]\napi_url = \"{}\"\nkey_file = \"{}\"\ncolour = \"cyan\"\n\n\
             [profiles.beta]\napi_url = \"{}\"\nkey_file = \"{}\"\ncolour = \"magenta\"\n",
            a.url,
            alpha_key.display(),
            b.url,
            beta_key.display()
        ),
        0o600,
    );
    config
}

/// `GET {url}/api/agent{path}` with `key`, as JSON.
fn get(url: &str, key: &str, path: &str) -> Value {
    common::server::get_json(url, key, path)
}

/// The handle `key` has on the sandbox at `url`.
fn handle(url: &str, key: &str) -> String {
    get(url, key, "/me")["handle"].as_str().unwrap().to_string()
}

/// The feed's items on the sandbox at `url` as `key` sees them.
fn items(url: &str, key: &str) -> Vec<Value> {
    get(url, key, "/feed?sort=latest&limit=50")["items"]
        .as_array()
        .unwrap()
        .clone()
}

/// The ids of the posts `key` likes on the sandbox at `url`.
fn liked(url: &str, key: &str) -> Vec<String> {
    items(url, key)
        .iter()
        .filter(|p| p["agentLiked"] == true)
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect()
}

/// A post of someone else that `key` does not like yet.
fn unliked(url: &str, key: &str) -> String {
    let me = get(url, key, "/me")["id"].clone();
    items(url, key)
        .iter()
        .find(|p| p["agentLiked"] == false && p["author"]["id"] != me)
        .map(|p| p["id"].as_str().unwrap().to_string())
        .expect("a post to like")
}

/// What `after` holds that `before` did not.
fn added(before: &[String], after: &[String]) -> Vec<String> {
    after
        .iter()
        .filter(|p| !before.contains(p))
        .cloned()
        .collect()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn subcommands_act_as_the_chosen_profile_and_refuse_unknown_ones() {
    let (a, b) = (Server::start(), Server::start());
    let home = tempfile::tempdir().unwrap();
    let config = two_profiles(home.path(), &a, &b);
    let (alpha, beta) = (handle(&a.url, &a.key), handle(&b.url, &b.other_keys[0]));
    assert_ne!(alpha, beta);
    // The environment names a third agent on b: a profile does not use it.
    let run = |args: &[&str], env: &[(&str, &str)]| {
        run_env(home.path(), &b.url, &b.other_keys[1], args, env)
    };

    let o = run(&["me", "--json", "--profile", "alpha"], &[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let me: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(me["handle"], alpha.as_str());
    let o = run(&["me", "--json"], &[("AISPACE_PROFILE", "beta")]);
    let me: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(me["handle"], beta.as_str(), "{}", text(&o.stderr));
    // Before or after the subcommand, the flag wins over the variable.
    let o = run(
        &["--profile", "alpha", "me", "--json"],
        &[("AISPACE_PROFILE", "beta")],
    );
    let me: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(me["handle"], alpha.as_str());

    // A like as alpha reaches a, never b.
    let (a_before, b_before) = (liked(&a.url, &a.key), liked(&b.url, &b.other_keys[0]));
    let b_env_before = liked(&b.url, &b.other_keys[1]);
    let post = unliked(&a.url, &a.key);
    let o = run(&["like", &post, "--on", "--profile", "alpha"], &[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(added(&a_before, &liked(&a.url, &a.key)), vec![post.clone()]);
    assert_eq!(liked(&b.url, &b.other_keys[0]), b_before);
    assert_eq!(liked(&b.url, &b.other_keys[1]), b_env_before);

    let o = run(&["me", "--profile", "gamma"], &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("unknown profile `gamma`"), "{err}");
    assert!(err.contains("alpha, beta"), "{err}");

    let o = run(&["me", "--profile", "alpha", "--api-url", &b.url], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("cannot be used with profile `alpha`"));

    // A key file others can read is refused, saying the fix.
    let beta_key = home.path().join("keys/beta.key");
    std::fs::set_permissions(&beta_key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let o = run(&["me", "--profile", "beta"], &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("profile `beta`"), "{err}");
    assert!(err.contains("chmod 600"), "{err}");
    assert!(!err.contains(&b.other_keys[0]), "the key is never shown");
    drop(config);
}

/// Posts a picture with `caption` on the sandbox at `url` as `key`; its id.
fn post(home: &Path, url: &str, key: &str, caption: &str) -> String {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/palette.png");
    let o = run_in(
        home,
        url,
        key,
        &["post", "--file", file, "--caption", caption, "--json"],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    v["postId"]
        .as_str()
        .or(v["post"]["id"].as_str())
        .unwrap_or_else(|| panic!("a post id in {v}"))
        .to_string()
}

/// The mark of a post holding an unsent comment.
const DRAFT: &str = "✎";

/// The selected row of the feed pane (its first box, marked `>`).
fn selected(screen: &str) -> String {
    screen
        .lines()
        .filter_map(|l| l.split('│').nth(1))
        .find(|cell| cell.starts_with(">"))
        .unwrap_or_default()
        .to_string()
}

/// The marks, author and start of the caption of a row: which post it
/// is, without the age column, which moves on with the clock.
fn post_of(row: &str) -> String {
    row.chars().take(40).collect()
}

/// The header row (the screen's first line).
fn header(screen: &str) -> String {
    screen.lines().next().unwrap_or_default().to_string()
}

#[test]
fn two_profiles_against_two_sandboxes_switch_and_a_like_reaches_only_its_own() {
    let (a, b) = (Server::start(), Server::start());
    let home = tempfile::tempdir().unwrap();
    two_profiles(home.path(), &a, &b);
    let (alpha, beta) = (handle(&a.url, &a.key), handle(&b.url, &b.other_keys[0]));
    // A post only a holds, and one only b holds, each by another agent.
    let on_a = post(home.path(), &a.url, &a.other_keys[0], "alpha-side picture");
    let on_b = post(home.path(), &b.url, &b.other_keys[1], "beta-side picture");
    let (a_before, b_before) = (liked(&a.url, &a.key), liked(&b.url, &b.other_keys[0]));

    let spawn = Spawn {
        args: [
            "--profile",
            "alpha",
            "--refresh",
            "0",
            "--image-protocol",
            "none",
        ]
        .map(String::from)
        .to_vec(),
        ..Spawn::default()
    };
    let mut p = Pty::start(home.path(), spawn);
    p.wait_for("alpha's feed", |s| {
        header(s).contains(" alpha ")
            && header(s).contains(&format!("@{alpha}"))
            && s.contains("alpha-side picture")
    });
    assert!(!p.screen().contains("beta-side picture"), "{}", p.screen());
    // On alpha: the third post selected, a comment kept as a draft on it.
    p.open_editor_and_type(2, "alpha keeps this");
    p.send(b"\x1b");
    p.wait_for("the keep/discard question", |s| s.contains("discard"));
    p.send(b"k");
    p.wait_for("the draft mark", |s| {
        !s.contains("Comment on @") && selected(s).contains(DRAFT)
    });
    let alpha_selected = post_of(&selected(&p.screen()));

    // The switcher lists both, alpha acting; j, Enter: beta acts.
    p.send(b"A");
    p.wait_for("the switcher", |s| {
        s.contains("Act as which agent?") && s.contains("← acting") && s.contains(" beta ")
    });
    let screen = p.screen();
    let acting = screen.lines().find(|l| l.contains("← acting")).unwrap();
    assert!(
        acting.contains(" alpha ") && acting.contains(&format!("@{alpha}")),
        "{screen}"
    );
    p.send(b"j");
    p.send(b"\r");
    p.wait_for("beta's feed", |s| {
        header(s).contains(" beta ")
            && header(s).contains(&format!("@{beta}"))
            && s.contains("beta-side picture")
            && !s.contains("Act as which agent?")
    });
    let screen = p.screen();
    assert!(!header(&screen).contains(" alpha "), "{screen}");
    assert!(!screen.contains("alpha-side picture"), "{screen}");
    assert!(
        !screen
            .lines()
            .filter(|l| !l.contains("✎ draft")) // the header row's legend
            .any(|l| l.contains(DRAFT)),
        "alpha's draft is not beta's: {screen}"
    );
    assert!(selected(&screen).contains("beta-side"), "{screen}");

    // The newest post is selected: beta likes it; it reaches b only.
    p.send(b"l");
    let deadline = std::time::Instant::now() + common::pty::DEADLINE;
    while added(&b_before, &liked(&b.url, &b.other_keys[0])) != vec![on_b.clone()] {
        assert!(std::time::Instant::now() < deadline, "the like reached b");
        std::thread::sleep(common::pty::POLL);
    }

    // Back to alpha: its feed and identity as they were.
    p.send(b"A");
    p.wait_for("the switcher again", |s| s.contains("Act as which agent?"));
    p.send(b"k");
    p.send(b"\r");
    p.wait_for("alpha again", |s| {
        header(s).contains(" alpha ")
            && header(s).contains(&format!("@{alpha}"))
            && s.contains("alpha-side picture")
            && !s.contains("Act as which agent?")
    });
    // Its selection and its draft as they were.
    assert_eq!(
        post_of(&selected(&p.screen())),
        alpha_selected,
        "{}",
        p.screen()
    );
    p.send(b"c");
    p.wait_for("the draft in the editor", |s| {
        s.contains("Comment on @") && s.contains("alpha keeps this")
    });
    p.send(b"\x1b");
    p.wait_for("the keep/discard question", |s| s.contains("discard"));
    p.send(b"k");
    p.wait_for("the feed again", |s| !s.contains("Comment on @"));
    p.send(b"q");
    assert_eq!(p.wait_exit(), 0);
    p.wait_eof();

    // The sandboxes' state: the like is on b, none on a.
    assert_eq!(
        added(&b_before, &liked(&b.url, &b.other_keys[0])),
        vec![on_b]
    );
    assert_eq!(liked(&a.url, &a.key), a_before, "alpha liked nothing on a");
    assert!(!liked(&a.url, &a.key).contains(&on_a));
}

/// A profile not drawn still gets its ticks: its automatic refresh runs,
/// so the switcher shows its server gone without switching to it first.
#[test]
fn a_hidden_profile_keeps_refreshing_and_the_switcher_shows_its_server_gone() {
    let (a, b) = (Server::start(), Server::start());
    let home = tempfile::tempdir().unwrap();
    two_profiles(home.path(), &a, &b);
    let alpha = handle(&a.url, &a.key);
    let spawn = Spawn {
        args: [
            "--profile",
            "alpha",
            "--refresh",
            "5",
            "--image-protocol",
            "none",
        ]
        .map(String::from)
        .to_vec(),
        ..Spawn::default()
    };
    let mut p = Pty::start(home.path(), spawn);
    p.wait_for("alpha's feed", |s| {
        header(s).contains(" alpha ") && header(s).contains(&format!("@{alpha}"))
    });
    p.send(b"A");
    p.wait_for("beta online in the switcher", |s| {
        s.lines()
            .any(|l| l.contains(" beta ") && l.contains("online"))
    });
    // beta's server goes away while alpha is drawn.
    drop(b);
    p.wait_for("beta no longer online", |s| {
        s.lines()
            .any(|l| l.contains(" beta ") && !l.contains("online") && l.contains("@"))
    });
    let screen = p.screen();
    let alpha_line = screen.lines().find(|l| l.contains("← acting")).unwrap();
    assert!(
        alpha_line.contains("online"),
        "alpha's server is up: {screen}"
    );
    p.send(b"\x1b");
    // Esc and q sent together would read as Alt-q.
    p.wait_for("the switcher closed", |s| {
        !s.contains("Act as which agent?")
    });
    p.send(b"q");
    assert_eq!(p.wait_exit(), 0);
}
