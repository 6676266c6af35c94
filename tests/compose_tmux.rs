//! The post composer as a person uses it, in tmux, against a sandbox on
//! the real clock (`aispace-tui sandbox --still`, `common::server`): `P`
//! opens it, a path to a copy of a test image in a temporary directory is
//! completed with Tab (`~` expanded), its picture shows in the composer
//! (halfblocks), a caption and tags are typed, Ctrl-S sends; the post is
//! then selected at the top of latest with that caption, and the CLI's
//! `feed` on the same sandbox lists it first. The same with a schedule a
//! few seconds ahead in ISO 8601 form: the sandbox publishes it at that
//! time and the app shows it on its own (no key pressed, no periodic
//! refresh: `--refresh 0`). Skipped, saying so, when tmux is not
//! installed (CI installs it).
//!
//! Waits poll with a generous deadline that only guards against a hung
//! test; nothing asserts how long anything took.
#![cfg(all(unix, feature = "sandbox"))] // runs the sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use common::server::{stored_drafts, Server};
use common::tmux::Tmux;
use std::path::Path;

const IMAGE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/images/rocket.jpg");

/// Half-block characters: how a picture looks in a text capture.
fn blocks(s: &str) -> usize {
    s.chars().filter(|c| matches!(c, '▀' | '▄' | '█')).count()
}

/// The picture box of the composer: the screen's text right of its
/// " picture " title, below it.
fn picture_box(screen: &str) -> String {
    let lines: Vec<&str> = screen.lines().collect();
    let Some((row, col)) = lines
        .iter()
        .enumerate()
        .find_map(|(i, l)| l.find("┌ picture ").map(|b| (i, l[..b].chars().count())))
    else {
        return String::new();
    };
    lines[row + 1..]
        .iter()
        .map(|l| l.chars().skip(col).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The post composer's draft in the store under `home` (its row has the
/// empty post id).
fn post_draft(home: &Path) -> Option<String> {
    stored_drafts(home)
        .into_iter()
        .find(|(id, _, _)| id.is_empty())
        .map(|(_, body, _)| body)
}

/// The first feed row (below the "Feed · latest" title).
fn top_row(screen: &str) -> String {
    let mut lines = screen.lines().skip_while(|l| !l.contains("Feed · latest"));
    lines.next();
    lines.next(); // the row naming the columns
    lines.next().unwrap_or_default().to_string()
}

/// The app on `server` in a tmux pane, `home` holding `pics/liftoff.jpg`
/// (a copy of a test image); waits for the feed.
fn app(tmux: &Tmux, home: &Path, server: &Server) -> String {
    std::fs::create_dir_all(home.join("pics")).unwrap();
    std::fs::copy(IMAGE, home.join("pics/liftoff.jpg")).unwrap();
    let pane = tmux.spawn(
        home,
        &[
            ("AISPACE_API_URL", server.url.as_str()),
            ("AISPACE_AGENT_KEY", server.key.as_str()),
        ],
        &["--refresh", "0", "--image-protocol", "halfblocks"],
    );
    tmux.wait_for(&pane, "the feed", |s| {
        s.contains("Feed · latest") && top_row(s).contains("│> @")
    });
    pane
}

/// Opens the composer, completes `~/pics/lif` with Tab, waits for the
/// file's check and its picture, then types `caption` into the caption.
fn pick_and_caption(tmux: &Tmux, pane: &str, caption: &str) {
    tmux.keys(pane, &["P"]);
    tmux.wait_for(pane, "the composer", |s| {
        s.contains("New post") && s.contains("file or URL")
    });
    tmux.type_text(pane, "~/pics/lif");
    tmux.keys(pane, &["Tab"]);
    let s = tmux.wait_for(pane, "the completed path, checked, with its picture", |s| {
        s.contains("~/pics/liftoff.jpg")
            && s.contains("liftoff.jpg · JPEG")
            && blocks(&picture_box(s)) > 200
    });
    assert!(
        !picture_box(&s).contains("no file picked"),
        "the picture box shows the file:\n{s}"
    );
    // Tab on a whole name moves on to the caption.
    tmux.keys(pane, &["Tab"]);
    tmux.wait_for(pane, "the caption focused", |s| s.contains("▸ caption"));
    tmux.type_text(pane, caption);
    tmux.wait_for(pane, "the caption typed", |s| s.contains(caption));
}

/// The CLI's `feed` on `server` (as the same agent): its lines.
fn cli_feed(home: &Path, server: &Server) -> Vec<String> {
    let out = common::cli::run_in(home, &server.url, &server.key, &["feed", "--limit", "5"]);
    assert!(
        out.status.success(),
        "feed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn a_post_composed_in_tmux_is_selected_on_top_and_the_cli_lists_it() {
    let Some(tmux) = Tmux::start("compose") else {
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let server = Server::start();
    let pane = app(&tmux, home.path(), &server);
    let caption = "Liftoff via tmux";
    pick_and_caption(&tmux, &pane, caption);
    tmux.keys(&pane, &["Tab"]);
    tmux.type_text(&pane, "space, rockets");
    tmux.wait_for(&pane, "the tags as stored", |s| {
        s.contains("#space #rockets")
    });
    // Kept in the store while typing (nothing typed is lost).
    let start = std::time::Instant::now();
    while !post_draft(home.path()).is_some_and(|b| b.contains(caption)) {
        assert!(
            start.elapsed() < common::tmux::DEADLINE,
            "the composer's draft is not stored: {:?}",
            stored_drafts(home.path())
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    tmux.keys(&pane, &["C-s"]);
    tmux.wait_for(&pane, "the post sent", |s| s.contains("Posted: "));
    let s = tmux.wait_for(&pane, "the new post on top", |s| {
        top_row(s).contains(caption)
    });
    let top = top_row(&s);
    assert!(
        top.starts_with("│> @demo-agent"),
        "selected, mine, on top: {top:?}\n{s}"
    );
    assert!(!s.contains("New post"), "the composer closed:\n{s}");
    let feed = cli_feed(home.path(), &server);
    assert!(
        feed.first()
            .is_some_and(|l| l.contains(caption) && l.contains("@demo-agent")),
        "the CLI lists it first: {feed:#?}"
    );
    tmux.keys(&pane, &["q"]);
    tmux.wait_dead(&pane);
    assert_eq!(
        post_draft(home.path()),
        None,
        "the draft is gone once the post is accepted"
    );
}

#[test]
fn a_scheduled_post_is_published_at_its_time_and_shows_by_itself() {
    let Some(tmux) = Tmux::start("schedule") else {
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let server = Server::start();
    let pane = app(&tmux, home.path(), &server);
    let caption = "Scheduled via tmux";
    pick_and_caption(&tmux, &pane, caption);
    tmux.keys(&pane, &["Tab", "Tab"]);
    tmux.wait_for(&pane, "the schedule focused", |s| s.contains("▸ schedule"));
    // A few seconds ahead (the sandbox runs on the real clock), to the
    // second: ISO 8601.
    let at = chrono::DateTime::from_timestamp(chrono::Utc::now().timestamp() + 10, 0).unwrap();
    let typed = at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    tmux.type_text(&pane, &typed);
    let shown = at.format("publish at %Y-%m-%d %H:%M UTC").to_string();
    tmux.wait_for(&pane, "the schedule shown back in UTC", |s| {
        s.contains(&shown)
    });
    tmux.keys(&pane, &["C-s"]);
    let when = at.format("scheduled for %H:%M UTC").to_string();
    tmux.wait_for(&pane, "the post scheduled", |s| s.contains(&when));
    // Asked before its time (the answer came back before it), the
    // sandbox does not list it yet.
    let feed = cli_feed(home.path(), &server);
    if chrono::Utc::now() < at {
        assert!(
            !feed.iter().any(|l| l.contains(caption)),
            "not published before its time: {feed:#?}"
        );
    }
    // No key pressed: the app reads latest at the time and selects it.
    let s = tmux.wait_for(&pane, "the scheduled post on top", |s| {
        top_row(s).contains(caption)
    });
    let top = top_row(&s);
    assert!(
        top.starts_with("│> @demo-agent"),
        "selected, mine, on top: {top:?}\n{s}"
    );
    assert!(
        chrono::Utc::now() >= at,
        "shown only once published ({typed})"
    );
    let feed = cli_feed(home.path(), &server);
    assert!(
        feed.first().is_some_and(|l| l.contains(caption)),
        "the CLI lists it first: {feed:#?}"
    );
    tmux.keys(&pane, &["q"]);
}
