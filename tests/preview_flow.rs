//! Preview flows against the real sandbox (in-process, manual clock):
//! the selected post's picture is fetched (no key), decoded and drawn as
//! half blocks in the post pane after the selection rests; the next posts
//! are prefetched; broken pictures leave a one-line reason (full screen
//! too); `i` and `enter` work; a cancelled load answers `Cancelled`. (That media requests
//! carry no key is the API client's contract, tested with `fetch_media`.)
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use aispace_tui::api::Client;
use aispace_tui::app::{Mode, Options};
use aispace_tui::preview::tasks::{load, PreviewTasks, Reply};
use aispace_tui::preview::{
    Graphics, GraphicsKind, PreviewEffect, PreviewError, PreviewMsg, PreviewView,
};
use aispace_tui::runtime::Harness;
use aispace_tui::sandbox::{Clock, RunningSandbox, Seed};
use common::t0;
use std::time::Duration;

struct Env {
    _run: RunningSandbox,
    clock: Clock,
    h: Harness,
}

async fn sandbox(clock: &Clock) -> RunningSandbox {
    common::sandbox(Seed::Demo, false, clock).await
}

fn client(run: &RunningSandbox) -> Client {
    common::demo_client(run)
}

async fn harness(run: &RunningSandbox, clock: &Clock) -> Harness {
    let options = Options {
        demo: true,
        ..Options::default()
    };
    common::harness(run, clock, options, (160, 45)).await
}

async fn env() -> Env {
    let clock = Clock::manual(t0());
    let run = sandbox(&clock).await;
    let h = harness(&run, &clock).await;
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

fn selected_url(h: &Harness) -> (String, String) {
    let p = h.app.selected().expect("a selected post");
    (p.id.clone(), p.preview().expect("a picture").url.clone())
}

fn is_ready(h: &Harness) -> bool {
    let (id, url) = selected_url(h);
    let cells = h.app.preview_cells().expect("room for a picture");
    matches!(
        h.app.preview.view(&id, &url, cells, h.app.now),
        PreviewView::Ready(_)
    )
}

/// Half-block cells in the post pane (right of the feed, top part).
fn halfblock_cells(h: &Harness) -> usize {
    h.screen()
        .lines()
        .take(30)
        .map(|l| {
            l.chars()
                .skip(88)
                .filter(|c| matches!(c, '▀' | '▄'))
                .count()
        })
        .sum()
}

#[tokio::test]
async fn the_selected_picture_loads_after_the_selection_rests() {
    let mut e = env().await;
    let (_, url) = selected_url(&e.h);
    // Nothing is fetched before the debounce ends.
    assert!(e.h.app.preview.loading_urls().is_empty());
    assert!(!e.h.app.preview.cache().contains(&url));
    assert!(e.h.screen().contains("loading…"), "{}", e.h.screen());
    assert_eq!(halfblock_cells(&e.h), 0);

    rest(&mut e).await;
    assert!(e.h.app.preview.cache().contains(&url));
    let picture = e.h.app.preview.picture(&url).unwrap();
    let media = e.h.app.selected().unwrap().preview().unwrap().clone();
    assert_eq!(
        (
            Some(picture.image().width()),
            Some(picture.image().height())
        ),
        (media.width, media.height)
    );
    assert!(is_ready(&e.h));
    let cells = halfblock_cells(&e.h);
    assert!(cells > 200, "half blocks drawn: {cells}\n{}", e.h.screen());
    assert!(!e.h.screen().contains("loading…"));

    // Not yet prefetched: the selection has not rested long enough.
    let next: Vec<String> = e.h.app.feed().items()[1..3]
        .iter()
        .map(|p| p.preview().unwrap().url.clone())
        .collect();
    assert!(!e.h.app.preview.cache().contains(&next[0]));
    // Resting longer prefetches the next two posts: moving shows them at once.
    e.clock.advance(Duration::from_millis(
        aispace_tui::preview::state::PREFETCH_REST_MS as u64,
    ));
    e.h.tick().await;
    e.h.tick().await;
    for u in &next {
        assert!(e.h.app.preview.cache().contains(u), "prefetched {u}");
    }
    e.h.key("j").await;
    assert!(e.h.app.preview.loading_urls().is_empty());
    rest(&mut e).await;
    assert!(is_ready(&e.h));
    assert!(halfblock_cells(&e.h) > 200);
    // Only the post two further down was fetched (the new third one).
    assert!(e.h.app.preview.cache().len() <= 4);
}

#[tokio::test]
async fn moving_fast_loads_only_where_the_selection_rests() {
    let mut e = env().await;
    for _ in 0..12 {
        e.h.key("j").await;
    }
    assert!(e.h.app.preview.loading_urls().is_empty());
    assert_eq!(
        e.h.app.preview.cache().len(),
        0,
        "nothing loaded while moving"
    );
    rest(&mut e).await;
    let (_, url) = selected_url(&e.h);
    assert!(e.h.app.preview.cache().contains(&url));
    // The selected one plus at most two prefetched.
    assert!(e.h.app.preview.cache().len() <= 3);
    assert!(is_ready(&e.h));
}

#[tokio::test]
async fn broken_pictures_leave_a_one_line_reason() {
    let clock = Clock::manual(t0());
    let run = sandbox(&clock).await;
    let png = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/images/coffee.png"
    ))
    .unwrap();
    // Newest first: the truncated one on top, the garbage one second.
    run.sandbox
        .insert_post(
            "pixel-poet",
            Some("garbage"),
            &[],
            t0() - chrono::Duration::seconds(1),
            Some(b"GIF8 not really"),
        )
        .unwrap();
    run.sandbox
        .insert_post(
            "pixel-poet",
            Some("half a png"),
            &[],
            t0(),
            Some(&png[..png.len() / 2]),
        )
        .unwrap();
    let h = harness(&run, &clock).await;
    let mut e = Env {
        _run: run,
        clock,
        h,
    };
    assert_eq!(
        e.h.app.selected().unwrap().caption.as_deref(),
        Some("half a png")
    );
    rest(&mut e).await;
    let screen = e.h.screen();
    assert!(screen.contains("cannot show the picture:"), "{screen}");
    assert!(screen.contains("truncated image"), "{screen}");
    e.h.key("j").await;
    rest(&mut e).await;
    let screen = e.h.screen();
    assert!(screen.contains("unsupported format"), "{screen}");
    // Full screen, a broken picture says why in the middle of the screen.
    e.h.key("enter").await;
    assert_eq!(e.h.app.mode, Mode::Full);
    rest(&mut e).await;
    let screen = e.h.screen();
    assert!(screen.contains("cannot show the picture:"), "{screen}");
    assert!(screen.contains("unsupported format"), "{screen}");
    assert!(screen.contains("1/1 · @pixel-poet · garbage"), "{screen}");
    e.h.key("esc").await;
    assert_eq!(e.h.app.mode, Mode::Feed);
}

#[tokio::test]
async fn media_errors_name_the_http_status() {
    let clock = Clock::manual(t0());
    let run = sandbox(&clock).await;
    let c = client(&run);
    let e = load(c.clone(), format!("{}/media/no-such-id", run.base_url))
        .await
        .unwrap_err();
    assert_eq!(e, PreviewError::Http(404));
    assert_eq!(e.reason(), "HTTP 404");
    let e = load(c, "ftp://example.com/x.png".into()).await.unwrap_err();
    assert!(matches!(e, PreviewError::Network(_)), "{e:?}");
}

#[tokio::test]
async fn enter_shows_the_picture_full_screen_and_i_turns_previews_off() {
    let mut e = env().await;
    rest(&mut e).await;
    let pane = halfblock_cells(&e.h);
    e.h.key("enter").await;
    assert_eq!(e.h.app.mode, Mode::Full);
    // The cached picture is encoded for the whole screen at once: far
    // more half blocks than in the pane.
    let full = e.h.screen().matches(['▀', '▄']).count();
    assert!(full > 2 * pane, "{full} vs {pane}\n{}", e.h.screen());
    e.h.key("esc").await;
    // Back in the TUI, the pane's picture is encoded again.
    assert_eq!(e.h.app.mode, Mode::Feed);
    assert!(is_ready(&e.h));
    assert_eq!(halfblock_cells(&e.h), pane);

    e.h.key("i").await;
    assert!(!e.h.app.preview.enabled);
    let screen = e.h.screen();
    assert!(screen.contains("previews off"), "{screen}");
    assert_eq!(halfblock_cells(&e.h), 0);
    // Moving while off loads nothing (past the prefetched posts).
    for _ in 0..5 {
        e.h.key("j").await;
    }
    rest(&mut e).await;
    let (_, url) = selected_url(&e.h);
    assert!(!e.h.app.preview.cache().contains(&url));
    e.h.key("i").await;
    rest(&mut e).await;
    assert!(is_ready(&e.h));
    // `i` is in the hint bar.
    assert!(e.h.screen().contains("i images"));
}

#[tokio::test]
async fn a_resize_re_encodes_for_the_new_box() {
    let mut e = env().await;
    rest(&mut e).await;
    assert!(is_ready(&e.h));
    e.h.resize(130, 40).await;
    assert!(is_ready(&e.h), "re-encoded for the new size at once");
    e.h.key("z").await; // zoom the post pane: a bigger box
    assert!(is_ready(&e.h));
    assert!(halfblock_cells(&e.h) > 0);
}

#[tokio::test]
async fn a_sixel_preview_reaches_the_frame_intact_and_hides_under_the_help() {
    let mut e = env().await;
    e.h.set_graphics(Graphics {
        kind: GraphicsKind::Sixel,
        cell_px: (10, 20),
        passthrough: false,
        truecolor: true,
    });
    rest(&mut e).await;
    assert!(is_ready(&e.h));
    let sixel_cells = |h: &Harness| {
        let buf = h.buffer();
        buf.content()
            .iter()
            // ratatui-image erases the box (CSI X per row) before the
            // sixel's DCS.
            .filter(|c| c.symbol().contains("\x1bP") && c.symbol().ends_with("\x1b\\"))
            .count()
    };
    // The whole sequence survives the frame's post-processing.
    assert_eq!(sixel_cells(&e.h), 1);
    e.h.key("?").await;
    assert_eq!(sixel_cells(&e.h), 0, "no picture under the help overlay");
    e.h.key("esc").await;
    assert_eq!(sixel_cells(&e.h), 1);
}

/// A server that accepts connections and never answers.
async fn silent_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = listener.accept().await {
            held.push(sock);
        }
    });
    format!("http://{addr}/slow.png")
}

#[tokio::test]
async fn a_cancelled_load_is_aborted_and_answers_cancelled() {
    let clock = Clock::manual(t0());
    let run = sandbox(&clock).await;
    let url = silent_server().await;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let tx: Reply = std::sync::Arc::new(move |m| {
        let _ = tx.send(m);
    });
    let tasks = PreviewTasks::new(Graphics::default());
    let c = client(&run);
    tasks.run(
        PreviewEffect::Load {
            request: 7,
            post_id: "p".into(),
            url: url.clone(),
            prefetch: false,
        },
        &c,
        &tx,
    );
    assert_eq!(tasks.in_flight(), 1);
    tasks.run(PreviewEffect::Cancel { request: 7 }, &c, &tx);
    // Without the abort this would wait for the client's 20 s timeout and
    // answer a network error instead.
    let msg = rx.recv().await.unwrap();
    match msg {
        PreviewMsg::Loaded {
            request, result, ..
        } => {
            assert_eq!(request, 7);
            assert_eq!(result.unwrap_err(), PreviewError::Cancelled);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(tasks.in_flight(), 0);
}
