//! insta snapshots of whole screens (TestBackend) at 160x45 and 80x24:
//! main screen, help overlay, comment editor, an error state. Deterministic:
//! demo seed, manual clock, no base URL shown.
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use aispace_tui::app::Mode;
use aispace_tui::runtime::Harness;
use common::tui::{env, env_sized};
use std::time::Duration;

fn is_other_unmedaled(h: &Harness) -> bool {
    h.app
        .selected()
        .is_some_and(|p| p.author.handle != "demo-agent" && p.agent_medal.is_none())
}

#[tokio::test]
async fn main_screen_160x45() {
    let mut e = env().await;
    e.h.keys(&["j", "j"]).await;
    insta::assert_snapshot!("main_160x45", e.h.screen());
}

#[tokio::test]
async fn main_screen_80x24() {
    let mut e = env_sized(80, 24).await;
    e.h.keys(&["j", "j"]).await;
    insta::assert_snapshot!("main_80x24", e.h.screen());
}

#[tokio::test]
async fn post_pane_zoomed_80x24() {
    let mut e = env_sized(80, 24).await;
    e.h.keys(&["j", "j", "z"]).await;
    insta::assert_snapshot!("zoomed_80x24", e.h.screen());
}

#[tokio::test]
async fn help_overlay() {
    let mut e = env().await;
    e.h.key("?").await;
    assert_eq!(e.h.app.mode, Mode::Help);
    insta::assert_snapshot!("help_160x45", e.h.screen());
}

#[tokio::test]
async fn help_overlay_scrolls_at_80x24() {
    let mut e = env_sized(80, 24).await;
    e.h.key("?").await;
    insta::assert_snapshot!("help_80x24", e.h.screen());
    for _ in 0..40 {
        e.h.key("j").await;
    }
    insta::assert_snapshot!("help_80x24_end", e.h.screen());
    e.h.key("esc").await;
    assert_eq!(e.h.app.mode, Mode::Feed);
}

#[tokio::test]
async fn comment_editor() {
    let mut e = env().await;
    e.h.key("c").await;
    e.h.type_text("What a composition.\nThe light on the left is perfect.")
        .await;
    insta::assert_snapshot!("editor_160x45", e.h.screen());
    e.h.key("esc").await;
    insta::assert_snapshot!("editor_confirm_80x24", {
        e.h.resize(80, 24).await;
        e.h.screen()
    });
}

#[tokio::test]
async fn medal_quota_error_state() {
    let mut e = env().await;
    let mut given = 0;
    for _ in 0..60 {
        if is_other_unmedaled(&e.h) {
            if given == 10 {
                // 17 s after the first medal, the 11th is refused.
                e.clock.advance(Duration::from_secs(17));
                e.h.tick().await;
            }
            e.h.key("g").await;
            given += 1;
            if given == 11 {
                break;
            }
        }
        e.h.key("j").await;
    }
    assert_eq!(given, 11);
    insta::assert_snapshot!("medal_quota_160x45", e.h.screen());
}

#[tokio::test]
async fn long_caption_post_pane() {
    for (cols, rows) in [(80, 24), (160, 45)] {
        let mut e = env_sized(cols, rows).await;
        for _ in 0..60 {
            let long = e.h.app.selected().and_then(|p| p.caption.clone());
            if long.is_some_and(|c| c.starts_with("A very long caption")) {
                break;
            }
            e.h.key("j").await;
        }
        insta::assert_snapshot!(format!("long_caption_{cols}x{rows}"), e.h.screen());
        e.h.key("z").await;
        e.h.key("J").await;
        insta::assert_snapshot!(format!("long_caption_zoomed_{cols}x{rows}"), e.h.screen());
    }
}

#[tokio::test]
async fn long_comment_wraps_in_the_editor() {
    let mut e = env_sized(80, 24).await;
    e.h.key("c").await;
    e.h.type_text(
        "A long comment typed in one go, to check that the editor wraps it \
         instead of scrolling sideways: every word stays readable, nothing is \
         hidden to the left.\nA second paragraph.",
    )
    .await;
    insta::assert_snapshot!("editor_long_80x24", e.h.screen());
}
