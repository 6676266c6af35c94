//! The post composer (`P`) against the real sandbox (in-process, manual
//! clock, real HTTP): a path completed with Tab, the picked file checked
//! and previewed, caption and tags typed, sent; the new post selected at
//! the top of latest with its caption. A schedule shown back in UTC, the
//! post published by the sandbox at that time and shown without a key. A picture over 5 MiB
//! refused before upload with the offer to re-encode, accepted after it.
//! A used-up posts quota sends nothing; a refusal keeps everything typed.
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use aispace_tui::app::{Mode, PostField, COMPOSER_PREVIEW_ID};
use aispace_tui::preview::PreviewView;
use common::tui::{env, Env};
use std::time::Duration;

const IMAGES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/images");

fn status(e: &Env) -> String {
    e.h.app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

/// The composer's text of `field`.
fn field(e: &Env, field: PostField) -> String {
    e.h.app.post_composer.as_ref().unwrap().text(field)
}

/// Opens the composer and puts `path` into the file field by completing
/// `prefix` with Tab (a second Tab checks the file and moves on).
async fn pick(e: &mut Env, prefix: &str, path: &str) {
    e.h.key("P").await;
    assert_eq!(e.h.app.mode, Mode::Post);
    e.h.type_text(prefix).await;
    e.h.key("tab").await;
    assert_eq!(field(e, PostField::Source), path, "completed by Tab");
    e.h.key("tab").await;
    let c = e.h.app.post_composer.as_ref().unwrap();
    assert_eq!(c.focus, PostField::Caption, "{:?}", c.problem);
}

/// The server's posts-used count for the demo agent (its own `me`).
async fn posts_used(e: &mut Env) -> u32 {
    let client = common::demo_client(e.run.as_ref().unwrap());
    client.me().await.unwrap().quotas.posts.used
}

#[tokio::test]
async fn complete_preview_caption_tags_send_and_the_post_is_selected_on_top() {
    let mut e = env().await;
    let path = format!("{IMAGES}/rocket.jpg");
    pick(&mut e, &format!("{IMAGES}/roc"), &path).await;
    // Checked (magic bytes, size) and shown through the preview pipeline.
    let c = e.h.app.post_composer.as_ref().unwrap();
    let img = c.current_image().expect("the file was checked");
    assert_eq!((img.format, img.name.as_str()), ("JPEG", "rocket.jpg"));
    e.clock.advance(Duration::from_millis(100));
    e.h.tick().await;
    let url = format!("file://{path}");
    let avail = aispace_tui::app::layout::composer_picture_cells(e.h.app.viewport).unwrap();
    assert!(
        matches!(
            e.h.app
                .preview
                .view(COMPOSER_PREVIEW_ID, &url, avail, e.h.app.now),
            PreviewView::Ready(_)
        ),
        "the picked file is previewed"
    );
    assert!(
        e.h.screen().contains("rocket.jpg · JPEG"),
        "{}",
        e.h.screen()
    );
    e.h.paste("Liftoff from the composer").await;
    e.h.key("tab").await;
    e.h.type_text("#space, rockets").await;
    assert!(e.h.screen().contains("#space #rockets"), "{}", e.h.screen());
    let before = posts_used(&mut e).await;
    e.h.key("ctrl-s").await;
    assert_eq!(e.h.app.mode, Mode::Feed, "{}", status(&e));
    assert!(e.h.app.post_composer.is_none());
    assert!(status(&e).starts_with("Posted: "), "{}", status(&e));
    let top = e.h.app.latest.items()[0].clone();
    assert_eq!(top.caption.as_deref(), Some("Liftoff from the composer"));
    assert_eq!(top.tags, ["space", "rockets"]);
    assert_eq!(e.h.app.selected().map(|p| p.id.clone()), Some(top.id));
    assert_eq!(posts_used(&mut e).await, before + 1);
}

#[tokio::test]
async fn a_schedule_is_shown_in_utc_and_the_post_appears_at_that_time() {
    let mut e = env().await;
    let path = format!("{IMAGES}/horse.png");
    pick(&mut e, &format!("{IMAGES}/hor"), &path).await;
    e.h.paste("Scheduled horse").await;
    e.h.keys(&["tab", "tab"]).await;
    e.h.type_text("in 2h").await;
    // t0 is 12:00 UTC; the tests' local zone is UTC.
    assert!(
        e.h.screen().contains("publish at 2026-03-04 14:00 UTC"),
        "{}",
        e.h.screen()
    );
    e.h.key("ctrl-s").await;
    assert_eq!(e.h.app.mode, Mode::Feed, "{}", status(&e));
    assert!(
        status(&e).contains("scheduled for 14:00 UTC"),
        "{}",
        status(&e)
    );
    let has = |e: &Env| {
        e.h.app
            .latest
            .items()
            .iter()
            .any(|p| p.caption.as_deref() == Some("Scheduled horse"))
    };
    assert!(!has(&e), "not published yet");
    // No key: the app wakes for the post's time and reads latest again.
    let wake = e.h.app.next_wake().expect("a wake for the scheduled post");
    assert!(
        wake <= e.h.app.now + chrono::Duration::seconds(2 * 3600 + 1),
        "{wake}"
    );
    e.clock.advance(Duration::from_secs(2 * 3600 + 1));
    e.h.tick().await;
    assert!(
        has(&e),
        "published by the sandbox at its time, shown by itself"
    );
}

#[tokio::test]
async fn a_picture_over_5_mib_is_refused_then_reencoded_and_accepted() {
    let mut e = env().await;
    let dir = tempfile::tempdir().unwrap();
    // Noise does not compress: a 1400 x 1400 RGB PNG is about 5.6 MiB.
    let mut seed = 7u32;
    let img = image::RgbImage::from_fn(1400, 1400, |_, _| {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let b = seed.to_le_bytes();
        image::Rgb([b[1], b[2], b[3]])
    });
    let path = dir.path().join("noise.png");
    img.save(&path).unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(size > 5 * 1024 * 1024, "{size}");
    let path = path.display().to_string();
    e.h.key("P").await;
    e.h.paste(&path).await;
    e.h.key("tab").await; // nothing to complete: checked, next field
    let c = e.h.app.post_composer.as_ref().unwrap();
    let p = c.current_problem().expect("refused before upload");
    assert!(p.too_large && p.text.contains("Ctrl-R"), "{p:?}");
    let before = posts_used(&mut e).await;
    e.h.key("ctrl-s").await;
    assert!(status(&e).contains("Ctrl-R"), "{}", status(&e));
    assert_eq!(posts_used(&mut e).await, before, "nothing was sent");
    e.h.key("ctrl-r").await;
    assert!(status(&e).contains("Re-encoded as JPEG"), "{}", status(&e));
    let c = e.h.app.post_composer.as_ref().unwrap();
    let img = c.current_image().expect("re-encoded");
    assert_eq!(img.format, "JPEG");
    assert!(img.bytes.len() as u64 <= 5 * 1024 * 1024);
    assert!(e.h.screen().contains("JPEG re-encoded"), "{}", e.h.screen());
    e.h.key("ctrl-s").await;
    assert!(status(&e).starts_with("Posted: "), "{}", status(&e));
    assert_eq!(posts_used(&mut e).await, before + 1);
}

#[tokio::test]
async fn a_used_up_quota_sends_nothing_and_a_refusal_keeps_the_text() {
    let mut e = env().await;
    pick(
        &mut e,
        &format!("{IMAGES}/coffee.we"),
        &format!("{IMAGES}/coffee.webp"),
    )
    .await;
    e.h.paste("kept caption").await;
    let used = e.h.app.quota.posts_used;
    let limit = e.h.app.quota.posts_limit;
    e.h.app.quota.posts_used = limit;
    e.h.key("ctrl-s").await;
    assert!(
        status(&e).contains("posts are used: nothing was sent"),
        "{}",
        status(&e)
    );
    assert!(status(&e).contains("resets at 00:00 UTC"), "{}", status(&e));
    assert_eq!(e.h.app.mode, Mode::Post);
    e.h.app.quota.posts_used = used;
    // The sandbox refuses a loopback URL: the answer is shown, the text stays.
    e.h.keys(&["shift-tab"]).await;
    let c = e.h.app.post_composer.as_mut().unwrap();
    c.set_text(PostField::Source, "http://127.0.0.1:9/x.png");
    e.h.key("ctrl-s").await;
    assert!(status(&e).starts_with("Not posted: "), "{}", status(&e));
    assert_eq!(e.h.app.mode, Mode::Post);
    assert_eq!(field(&e, PostField::Caption), "kept caption");
    // Esc keeps it; P brings it back.
    e.h.key("esc").await;
    assert_eq!(e.h.app.mode, Mode::Feed);
    e.h.key("P").await;
    assert_eq!(field(&e, PostField::Caption), "kept caption");
}
