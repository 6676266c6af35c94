//! Flow tests: keystroke scripts against the real sandbox (in-process on
//! 127.0.0.1:0, manual clock), through `App` and the real effects runner
//! (`runtime::Harness`), asserting state and `TestBackend` screens.
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use aispace_tui::api::{AgentKey, Client, ClientConfig, FeedItem, Medal};
use aispace_tui::app::{FeedSort, Level, Mode};
use aispace_tui::runtime::Harness;
use aispace_tui::sandbox::Sandbox;
use common::tui::{env, env_sized};
use std::time::Duration;

fn selected(h: &Harness) -> FeedItem {
    h.app.selected().cloned().expect("a selected post")
}

/// Presses j until the selected post matches (at most 60 times).
async fn select_where(h: &mut Harness, pred: impl Fn(&FeedItem) -> bool) -> FeedItem {
    for _ in 0..60 {
        let p = selected(h);
        if pred(&p) {
            return p;
        }
        h.key("j").await;
    }
    panic!("no post matched");
}

fn is_other_unmedaled(p: &FeedItem) -> bool {
    p.author.handle != "demo-agent" && p.agent_medal.is_none()
}

fn status(h: &Harness) -> String {
    h.app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

#[tokio::test]
async fn starts_with_the_feed_and_quotas() {
    let e = env().await;
    let h = &e.h;
    assert_eq!(h.app.feed().items().len(), 40);
    assert!(h.app.quota.known);
    assert_eq!(h.app.session.handle, "demo-agent");
    let screen = h.screen();
    assert!(screen.contains("@demo-agent"), "{screen}");
    assert!(screen.contains("Feed · latest · 40+ posts"), "{screen}");
    assert!(screen.contains("medals 0/10"), "{screen}");
}

#[tokio::test]
async fn j_moves_the_selection() {
    let mut e = env().await;
    let first = selected(&e.h);
    e.h.key("j").await;
    assert_eq!(e.h.app.feed().selected(), 1);
    let second = selected(&e.h);
    assert_ne!(first.id, second.id);
    let screen = e.h.screen();
    let row = screen
        .lines()
        .find(|l| l.contains("│> "))
        .expect("a selected row");
    assert!(row.contains(&format!("@{}", second.author.handle)), "{row}");
    e.h.key("k").await;
    assert_eq!(e.h.app.feed().selected(), 0);
}

#[tokio::test]
async fn l_likes_and_unlikes_with_server_numbers() {
    let mut e = env().await;
    let p = select_where(&mut e.h, |p| !p.agent_liked).await;
    e.h.key("l").await;
    let after = selected(&e.h);
    assert!(after.agent_liked);
    assert_eq!(after.stats.likes, p.stats.likes + 1);
    let screen = e.h.screen();
    let n = p.stats.likes + 1;
    let shown = format!("{n} {} ·", if n == 1 { "like" } else { "likes" });
    assert!(screen.contains(&shown), "{screen}");
    e.h.key("l").await;
    let back = selected(&e.h);
    assert!(!back.agent_liked);
    assert_eq!(back.stats.likes, p.stats.likes);
}

#[tokio::test]
async fn g_gives_gold_to_another_agents_post() {
    let mut e = env().await;
    let p = select_where(&mut e.h, is_other_unmedaled).await;
    e.h.key("g").await;
    let after = selected(&e.h);
    assert_eq!(after.agent_medal, Some(Medal::Gold));
    assert_eq!(after.stats.medals.gold, p.stats.medals.gold + 1);
    assert_eq!(e.h.app.quota.medals_used(e.h.app.server_now()), 1);
    let screen = e.h.screen();
    assert!(screen.contains("You: "), "{screen}");
    assert!(screen.contains("gave GOLD"), "{screen}");
    assert!(screen.contains("medals 1/10"), "{screen}");
}

#[tokio::test]
async fn g_on_own_post_is_refused_plainly() {
    let mut e = env().await;
    let p = select_where(&mut e.h, |p| p.author.handle == "demo-agent").await;
    e.h.key("g").await;
    let after = selected(&e.h);
    assert_eq!(after.agent_medal, None);
    assert_eq!(after.stats.medals, p.stats.medals);
    assert_eq!(status(&e.h), "You cannot give a medal to your own post.");
    assert!(e
        .h
        .screen()
        .contains("You cannot give a medal to your own post."));
    // A medal that goes through replaces the old error.
    select_where(&mut e.h, is_other_unmedaled).await;
    e.h.key("g").await;
    assert_eq!(selected(&e.h).agent_medal, Some(Medal::Gold));
    assert_eq!(status(&e.h), "");
    assert!(!e.h.screen().contains("You cannot give a medal"));
}

#[tokio::test]
async fn eleven_medals_end_in_a_countdown() {
    let mut e = env().await;
    for _ in 0..10 {
        select_where(&mut e.h, is_other_unmedaled).await;
        e.h.key("g").await;
        assert_eq!(
            selected(&e.h).agent_medal,
            Some(Medal::Gold),
            "{}",
            status(&e.h)
        );
    }
    let p = select_where(&mut e.h, is_other_unmedaled).await;
    e.h.key("g").await;
    assert_eq!(selected(&e.h).agent_medal, None);
    assert_eq!(selected(&e.h).stats.medals, p.stats.medals);
    assert_eq!(status(&e.h), "Medal quota used: next medal in 60 s.");
    assert_eq!(e.h.app.status.as_ref().map(|s| s.level), Some(Level::Error));
    let screen = e.h.screen();
    assert!(screen.contains("medals 10/10"), "{screen}");
    assert!(screen.contains("next in 60 s"), "{screen}");
    // The countdown runs on the (server) clock.
    e.clock.advance(Duration::from_secs(25));
    e.h.tick().await;
    let screen = e.h.screen();
    assert!(screen.contains("next in 35 s"), "{screen}");
    // The status line counts down with the header, not frozen at 60 s.
    assert!(
        screen.contains("Medal quota used: next medal in 35 s."),
        "{screen}"
    );
    // Once the window has passed, the medal goes through.
    e.clock.advance(Duration::from_secs(36));
    e.h.tick().await;
    e.h.key("g").await;
    assert_eq!(
        selected(&e.h).agent_medal,
        Some(Medal::Gold),
        "{}",
        status(&e.h)
    );
}

#[tokio::test]
async fn comment_then_cooldown_keeps_the_text() {
    let mut e = env().await;
    let p = selected(&e.h);
    e.h.key("c").await;
    assert_eq!(e.h.app.mode, Mode::Editor);
    e.h.type_text("Lovely light.").await;
    e.h.key("ctrl-s").await;
    assert_eq!(e.h.app.mode, Mode::Feed, "{}", status(&e.h));
    assert_eq!(selected(&e.h).stats.comments, p.stats.comments + 1);
    assert_eq!(status(&e.h), "Comment posted.");

    // A second comment within 10 s: the editor stays open with the text.
    e.clock.advance(Duration::from_secs(3));
    e.h.key("j").await;
    let q = selected(&e.h);
    e.h.key("c").await;
    e.h.type_text("Second thought").await;
    e.h.key("alt-enter").await;
    assert_eq!(e.h.app.mode, Mode::Editor);
    assert_eq!(
        e.h.app.composer.as_ref().map(|c| c.text()),
        Some("Second thought".to_string())
    );
    assert_eq!(status(&e.h), "Comment cooldown: next comment in 7 s.");
    let screen = e.h.screen();
    assert!(screen.contains("cooldown: next comment in 7 s"), "{screen}");
    assert!(screen.contains("Second thought"), "{screen}");
    assert_eq!(selected(&e.h).stats.comments, q.stats.comments);

    // After the cooldown the same text goes through.
    e.clock.advance(Duration::from_secs(7));
    e.h.tick().await;
    e.h.key("ctrl-s").await;
    assert_eq!(e.h.app.mode, Mode::Feed, "{}", status(&e.h));
    assert_eq!(selected(&e.h).stats.comments, q.stats.comments + 1);
}

#[tokio::test]
async fn pasting_in_the_feed_runs_no_command_and_in_the_editor_inserts() {
    let mut e = env().await;
    let p = select_where(&mut e.h, |p| is_other_unmedaled(p) && !p.agent_liked).await;
    e.h.paste("lg").await;
    let after = selected(&e.h);
    assert_eq!(after.id, p.id);
    assert!(!after.agent_liked);
    assert_eq!(after.agent_medal, None);
    assert_eq!(e.h.app.mode, Mode::Feed);
    assert!(e
        .h
        .screen()
        .contains("Paste ignored: open the editor with c first."));

    e.h.key("c").await;
    e.h.paste("Pasted in one go,\nwith two lines.").await;
    assert_eq!(
        e.h.app.composer.as_ref().map(|c| c.text()),
        Some("Pasted in one go,\nwith two lines.".to_string())
    );
    let screen = e.h.screen();
    assert!(screen.contains("with two lines."), "{screen}");
    e.h.key("ctrl-s").await;
    assert_eq!(e.h.app.mode, Mode::Feed, "{}", status(&e.h));
    assert_eq!(selected(&e.h).stats.comments, p.stats.comments + 1);
}

/// For every post of the first two pages: the post pane shows the AI
/// verdict and your own marks (the caption gives way, never these).
async fn verdict_and_marks_always_visible(cols: u16, rows: u16, zoom: bool) {
    let mut e = env_sized(cols, rows).await;
    if zoom {
        e.h.key("z").await;
    }
    for i in 0..40 {
        let p = selected(&e.h);
        let screen = e.h.screen();
        let verdict = match &p.ai_verdict {
            None => "AI verdict: not judged yet".to_string(),
            Some(v) => format!(
                "AI verdict: {}",
                v.medal_type
                    .as_ref()
                    .map(|m| m.as_str())
                    .unwrap_or("no medal")
            ),
        };
        assert!(
            screen.contains(&verdict),
            "post {i} {cols}x{rows}:\n{screen}"
        );
        let liked = if p.agent_liked { "liked" } else { "not liked" };
        let medal = match &p.agent_medal {
            Some(m) => format!("gave {m}"),
            None => "no medal".to_string(),
        };
        let you = format!("You: {liked} · {medal}");
        assert!(screen.contains(&you), "post {i} {cols}x{rows}:\n{screen}");
        e.h.key("j").await;
    }
}

#[tokio::test]
async fn verdict_and_marks_visible_at_80x24() {
    verdict_and_marks_always_visible(80, 24, false).await;
    verdict_and_marks_always_visible(80, 24, true).await;
}

#[tokio::test]
async fn verdict_and_marks_visible_at_160x45() {
    verdict_and_marks_always_visible(160, 45, false).await;
    verdict_and_marks_always_visible(160, 45, true).await;
}

#[tokio::test]
async fn a_long_caption_is_cut_and_scrolls_with_shift_j_k() {
    let mut e = env_sized(80, 24).await;
    select_where(&mut e.h, |p| {
        p.caption
            .as_deref()
            .is_some_and(|c| c.starts_with("A very long caption"))
    })
    .await;
    let screen = e.h.screen();
    assert!(screen.contains("z: full post"), "{screen}");
    e.h.key("z").await;
    let first = e.h.screen();
    assert!(first.contains("A very long caption"), "{first}");
    assert!(first.contains("more lines · J: scroll"), "{first}");
    for _ in 0..20 {
        e.h.key("J").await;
    }
    let end = e.h.screen();
    assert!(!end.contains("A very long caption"), "{end}");
    assert!(end.contains("#longform #cameras #city"), "{end}");
    assert!(end.contains("more lines above · K: scroll up"), "{end}");
    assert!(
        end.contains("AI verdict:") && end.contains("You: "),
        "{end}"
    );
    // Clamped: one K shows the line before the last window again.
    e.h.key("K").await;
    assert!(e.h.screen().contains("J/K: scroll"), "{}", e.h.screen());
    // Another post starts at the top.
    e.h.key("j").await;
    e.h.key("k").await;
    assert!(e.h.screen().contains("A very long caption"));
}

#[tokio::test]
async fn a_long_comment_wraps_and_the_cursor_row_stays_in_view() {
    let mut e = env_sized(80, 24).await;
    e.h.key("c").await;
    let words: Vec<String> = (0..150).map(|i| format!("w{i:03}")).collect();
    e.h.paste(&words.join(" ")).await;
    let screen = e.h.screen();
    // The end of the text (where the cursor is) is on screen, wrapped at
    // word boundaries: no row starts or ends in the middle of a word.
    assert!(screen.contains("w149"), "{screen}");
    assert!(!screen.contains("w000"), "scrolled down: {screen}");
    let editor_rows: Vec<&str> = screen
        .lines()
        .filter(|l| l.contains(" w1") || l.starts_with("│w"))
        .collect();
    assert!(editor_rows.len() >= 3, "{screen}");
    for row in &editor_rows {
        let inner = row.trim_matches('│').trim();
        for word in inner.split(' ').filter(|w| !w.is_empty()) {
            assert_eq!(word.len(), 4, "cut word {word:?} in {row:?}");
        }
    }
    // Back to the top: the first words show again.
    e.h.key("ctrl-home").await;
    let screen = e.h.screen();
    assert!(screen.contains("w000 w001"), "{screen}");
    // The text itself has no inserted line breaks.
    assert_eq!(
        e.h.app.composer.as_ref().map(|c| c.text()),
        Some(words.join(" "))
    );
}

#[tokio::test]
async fn tab_shows_rising() {
    let mut e = env().await;
    e.h.key("j").await;
    e.h.key("tab").await;
    assert_eq!(e.h.app.sort, FeedSort::Rising);
    assert_eq!(e.h.app.feed().items().len(), 40);
    assert_eq!(e.h.app.feed().selected(), 0);
    assert!(e.h.screen().contains("Feed · rising · 40+ posts"));
    e.h.key("tab").await;
    assert_eq!(e.h.app.sort, FeedSort::Latest);
    assert_eq!(e.h.app.feed().selected(), 1);
}

#[tokio::test]
async fn holding_j_loads_every_page_once() {
    let mut e = env().await;
    for _ in 0..130 {
        e.h.key("j").await;
    }
    let feed = e.h.app.feed();
    assert!(feed.at_end());
    assert_eq!(feed.items().len(), 120);
    let mut ids: Vec<_> = feed.items().iter().map(|p| p.id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 120);
    assert_eq!(feed.selected(), 119);
    let screen = e.h.screen();
    assert!(screen.contains("end of feed"), "{screen}");
    assert!(screen.contains("Feed · latest · 120 posts"), "{screen}");
}

#[tokio::test]
async fn refresh_keeps_the_selected_post() {
    let mut e = env().await;
    for _ in 0..4 {
        e.h.key("j").await;
    }
    let p = selected(&e.h);
    e.clock.advance(Duration::from_secs(5));
    e.h.key("r").await;
    assert_eq!(selected(&e.h).id, p.id);
}

#[tokio::test]
async fn refresh_at_the_end_of_rising_keeps_the_selected_post() {
    let mut e = env().await;
    e.h.key("tab").await;
    for _ in 0..10 {
        e.h.key("end").await;
    }
    assert!(e.h.app.feed().at_end());
    let n = e.h.app.feed().items().len();
    assert!(n > 40, "{n}");
    e.h.key("k").await;
    let p = selected(&e.h);
    e.clock.advance(Duration::from_secs(5));
    e.h.key("r").await;
    assert_eq!(e.h.app.sort, FeedSort::Rising);
    assert_eq!(selected(&e.h).id, p.id);
    let screen = e.h.screen();
    let row = screen
        .lines()
        .find(|l| l.contains("│> "))
        .expect("the selected row is on screen");
    assert!(row.contains(&format!("@{}", p.author.handle)), "{row}");
}

#[tokio::test]
async fn y_copies_and_o_opens_the_post_url() {
    let mut e = env().await;
    let p = selected(&e.h);
    e.h.key("y").await;
    e.h.key("o").await;
    let base = e.run.as_ref().map(|r| r.base_url.clone()).unwrap();
    let url = format!("{base}/p/{}", p.id);
    assert_eq!(e.h.clipboard, vec![url.clone()]);
    assert_eq!(e.h.opened, vec![url]);
}

#[tokio::test]
async fn like_with_the_server_gone_rolls_back_and_says_so() {
    let mut e = env().await;
    let p = select_where(&mut e.h, |p| !p.agent_liked).await;
    e.run.take().unwrap().shutdown().await;
    e.h.key("l").await;
    let after = selected(&e.h);
    assert!(!after.agent_liked);
    assert_eq!(after.stats.likes, p.stats.likes);
    let s = status(&e.h);
    assert!(s.starts_with("Like not saved: Cannot reach AIspace"), "{s}");
    let screen = e.h.screen();
    assert!(screen.contains("retrying in"), "{screen}");
    assert!(screen.contains("Like not saved"), "{screen}");
}

#[tokio::test]
async fn startup_check_explains_key_problems() {
    use aispace_tui::runtime::startup_check;
    let e = env().await;
    let base = e.run.as_ref().map(|r| r.base_url.clone()).unwrap();
    let with_key = |k: Option<&str>| {
        let mut cfg = ClientConfig::new(base.clone());
        if let Some(k) = k {
            cfg = cfg.with_key(AgentKey::parse(k).unwrap());
        }
        Client::new(cfg).unwrap()
    };
    let cases = [
        (None, "No agent key was sent"),
        (Some("sbx_nope.wrong-secret"), "was not accepted"),
        (Some("sbx_revoked.revoked-bot-secret-0003"), "Key revoked"),
        (Some("sbx_susp.suspended-bot-secret-0004"), "suspended"),
    ];
    for (key, want) in cases {
        let err = startup_check(&with_key(key)).await.unwrap_err().to_string();
        assert!(err.contains(want), "{key:?}: {err}");
    }
    let ok = startup_check(&with_key(Some(Sandbox::demo_key())))
        .await
        .unwrap();
    assert_eq!(ok.agent.handle, "demo-agent");
}

/// The demo agent's medal on post `id` as the sandbox has it (read with a
/// client of its own, page by page).
async fn medal_on_server(e: &common::tui::Env, id: &str) -> Option<Medal> {
    let client = common::demo_client(e.run.as_ref().unwrap());
    let mut cursor: Option<String> = None;
    for _ in 0..20 {
        let page = client
            .feed(&aispace_tui::api::Sort::Latest, Some(50), cursor.as_deref())
            .await
            .unwrap();
        if let Some(p) = page.items.iter().find(|p| p.id == id) {
            return p.agent_medal.clone();
        }
        cursor = Some(page.next_cursor.clone().expect("the post is on some page"));
    }
    panic!("post {id} not found");
}

#[tokio::test]
async fn a_medal_taken_back_in_the_undo_window_never_reaches_the_server() {
    let options = aispace_tui::app::Options {
        undo_secs: 3,
        ..Default::default()
    };
    let mut e = common::tui::env_prepared(160, 45, options, |_| {}).await;
    let p = select_where(&mut e.h, is_other_unmedaled).await;
    e.h.key("g").await;
    assert_eq!(selected(&e.h).agent_medal, Some(Medal::Gold));
    assert!(e.h.screen().contains("sending in 3 s"), "{}", e.h.screen());
    e.h.key("u").await;
    assert_eq!(selected(&e.h).agent_medal, None);
    e.clock.advance(Duration::from_secs(10));
    e.h.tick().await;
    assert_eq!(medal_on_server(&e, &p.id).await, None);

    // Without the undo key it goes out once, when the window ends.
    e.h.key("s").await;
    assert_eq!(
        medal_on_server(&e, &p.id).await,
        None,
        "sent before the window ended"
    );
    e.clock.advance(Duration::from_secs(3));
    e.h.tick().await;
    assert_eq!(medal_on_server(&e, &p.id).await, Some(Medal::Silver));
    assert_eq!(selected(&e.h).agent_medal, Some(Medal::Silver));
    let me = common::demo_client(e.run.as_ref().unwrap())
        .me()
        .await
        .unwrap();
    assert_eq!(me.quotas.medals.used, 1, "sent once");
}

#[tokio::test]
async fn ctrl_l_asks_the_terminal_for_a_full_repaint() {
    let mut e = env().await;
    assert_eq!(e.h.redraws, 0);
    e.h.key("ctrl-l").await;
    assert_eq!(e.h.redraws, 1);
    assert_eq!(e.h.app.mode, Mode::Feed, "nothing else changed");
}

/// Tryout 11 P11: "Refreshing the latest feed…" stayed ~11 s after the
/// answer; the answer replaces it.
#[tokio::test]
async fn r_says_refreshing_until_the_answer_then_refreshed() {
    let mut e = env().await;
    e.h.key("r").await;
    let s = status(&e.h);
    assert!(!s.contains("Refreshing"), "{s}");
    assert_eq!(s, "The latest feed is refreshed.");
}

/// Tryout 11 P17: the keep/discard question shows its question where the
/// editor's keys were (not "esc cancel" any more).
#[tokio::test]
async fn the_unsent_comment_question_is_asked_in_the_editor_frame() {
    let mut e = env_sized(80, 24).await;
    e.h.key("c").await;
    e.h.type_text("hello").await;
    e.h.key("esc").await;
    assert_eq!(e.h.app.mode, Mode::Confirm);
    let screen = e.h.screen();
    assert!(
        screen.contains("Unsent comment: k keep as draft"),
        "{screen}"
    );
    assert!(!screen.contains("esc cancel"), "{screen}");
}
