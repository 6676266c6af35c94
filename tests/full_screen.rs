//! The full-screen picture against the real sandbox (in-process, manual
//! clock, real HTTP): `enter`, then `j` to a demo post with two pictures,
//! `l` to its second ("2/2", fetched and drawn over the whole screen),
//! `k` back a post, `esc` back in the feed on the post stepped to, with
//! the pane's picture and no full-screen picture left; kitty's is deleted.
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use aispace_tui::app::{App, Mode, Options};
use aispace_tui::preview::{Graphics, GraphicsKind, PreviewView};
use aispace_tui::runtime::Harness;
use aispace_tui::sandbox::{Clock, RunningSandbox, Seed};
use common::t0;
use std::time::Duration;

struct Env {
    _run: RunningSandbox,
    clock: Clock,
    h: Harness,
}

async fn env() -> Env {
    let clock = Clock::manual(t0());
    let run = common::sandbox(Seed::Demo, false, &clock).await;
    let options = Options {
        demo: true,
        ..Options::default()
    };
    let h = common::harness(&run, &clock, options, (160, 45)).await;
    Env {
        _run: run,
        clock,
        h,
    }
}

/// Lets the selection rest past the debounce and runs what it starts.
async fn rest(e: &mut Env) {
    e.clock.advance(Duration::from_millis(100));
    e.h.tick().await;
}

/// The full-screen picture is encoded for the whole screen and ready.
fn full_ready(app: &App) -> bool {
    let Some(p) = app.full_picture() else {
        return false;
    };
    let cells = aispace_tui::app::layout::full_picture_cells(app.viewport).unwrap();
    matches!(
        app.preview
            .view(&p.post.id, &p.media.unwrap().url, cells, app.now),
        PreviewView::Ready(_)
    )
}

fn last_line(h: &Harness) -> String {
    h.screen().lines().last().unwrap_or_default().to_string()
}

fn blocks(h: &Harness) -> usize {
    h.screen().matches(['▀', '▄']).count()
}

#[tokio::test]
async fn stepping_through_posts_and_pictures_full_screen() {
    let mut e = env().await;
    rest(&mut e).await;
    let pane = blocks(&e.h);
    assert!(pane > 0, "{}", e.h.screen());
    e.h.key("enter").await;
    assert_eq!(e.h.app.mode, Mode::Full);
    assert!(full_ready(&e.h.app));
    assert!(blocks(&e.h) > 2 * pane, "{}", e.h.screen());
    // j until a post with two pictures (the demo seed has some on the
    // first page); the feed's selection follows every step.
    let mut steps = 0;
    while e.h.app.selected().unwrap().images().count() < 2 {
        e.h.key("j").await;
        steps += 1;
        assert!(steps < 40, "no demo post with two pictures");
        assert_eq!(e.h.app.feed().selected(), steps);
        assert!(last_line(&e.h).starts_with("1/"), "{}", last_line(&e.h));
    }
    let post = e.h.app.selected().unwrap().clone();
    let second = post.images().nth(1).unwrap().url.clone();
    rest(&mut e).await;
    assert!(full_ready(&e.h.app));
    let info = last_line(&e.h);
    assert!(
        info.starts_with(&format!("1/2 · @{} · ", post.author.handle)),
        "{info}"
    );
    // l: the second picture, fetched from the sandbox and drawn.
    e.h.key("l").await;
    rest(&mut e).await;
    assert!(e.h.app.preview.picture(&second).is_some());
    assert!(full_ready(&e.h.app));
    assert!(last_line(&e.h).starts_with("2/2 · "), "{}", last_line(&e.h));
    e.h.key("l").await;
    assert!(last_line(&e.h).starts_with("2/2 · "), "stops at the last");
    // k: the post before, at its first picture; j back to ours.
    e.h.key("k").await;
    assert_eq!(e.h.app.feed().selected(), steps - 1);
    assert!(last_line(&e.h).starts_with("1/1 · "), "{}", last_line(&e.h));
    e.h.key("j").await;
    // esc: the feed, on the post stepped to, its pane picture again and
    // nothing of the full-screen one.
    e.h.key("esc").await;
    assert_eq!(e.h.app.mode, Mode::Feed);
    assert_eq!(e.h.app.selected().unwrap().id, post.id);
    assert!(e.h.redraws >= 1, "the screen is repainted");
    rest(&mut e).await;
    let b = blocks(&e.h);
    assert!(b > 0 && b < 2 * pane, "{b} vs {pane}\n{}", e.h.screen());
    assert!(e.h.screen().contains("Feed · latest"));
}

#[tokio::test]
async fn kitty_full_screen_pictures_are_deleted_when_replaced_and_on_leaving() {
    let mut e = env().await;
    e.h.set_graphics(Graphics {
        kind: GraphicsKind::Kitty,
        cell_px: (10, 20),
        passthrough: false,
        truecolor: true,
    });
    rest(&mut e).await;
    e.h.key("enter").await;
    assert!(full_ready(&e.h.app));
    let kitty_id = |app: &App| {
        let p = app.full_picture().unwrap();
        let cells = aispace_tui::app::layout::full_picture_cells(app.viewport).unwrap();
        match app
            .preview
            .view(&p.post.id, &p.media.unwrap().url, cells, app.now)
        {
            PreviewView::Ready(enc) => enc.kitty_id.unwrap(),
            other => panic!("not ready: {other:?}"),
        }
    };
    let first = kitty_id(&e.h.app);
    e.h.key("j").await;
    rest(&mut e).await;
    let second = kitty_id(&e.h.app);
    let deleted = |h: &Harness, id: u32| {
        h.graphics_writes
            .iter()
            .any(|w| w.contains(&format!("a=d,d=I,i={id},")))
    };
    assert!(deleted(&e.h, first), "{:?}", e.h.graphics_writes);
    assert!(!deleted(&e.h, second));
    e.h.key("q").await;
    assert_eq!(e.h.app.mode, Mode::Feed);
    assert!(deleted(&e.h, second), "{:?}", e.h.graphics_writes);
    assert!(!e.h.app.should_quit);
}
