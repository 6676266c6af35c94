//! The full-screen picture (`app/full.rs`) with the fake clock: stepping
//! through posts and pictures, the ends, the feed selection following,
//! leaving on the post stepped to; its pictures through the preview
//! pipeline (debounce, newest wins, its own box, kitty deleted on leaving).

use super::testing::*;
use super::*;
use crate::preview::{EncodedPreview, Graphics, GraphicsKind, PreviewEffect, PreviewMsg};
use crate::preview::{PreviewView, SharedImage};
use chrono::Duration;

/// p0: 3 pictures, p1: 1, p2: none, p3: 2, p4..p9: 1 each.
fn app() -> App {
    let mut p = page(0..10, Some("c1"));
    for it in &mut p.items {
        let n = match it.id.as_str() {
            "p0" => 3,
            "p2" => 0,
            "p3" => 2,
            _ => 1,
        };
        it.media = pictures(&it.id, n);
    }
    TestApp::new().first_page(Some(p)).viewport(160, 45).build()
}

fn at(ms: i64) -> Timestamp {
    t0() + Duration::milliseconds(ms)
}

/// (post id, index, count) shown full screen.
fn shown(app: &App) -> Option<(String, usize, usize)> {
    app.full_picture()
        .map(|p| (p.post.id.clone(), p.index, p.count))
}

fn selected_id(app: &App) -> String {
    app.selected().map(|p| p.id.clone()).unwrap_or_default()
}

fn load_urls(fx: &[Effect]) -> Vec<(String, bool)> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Preview(PreviewEffect::Load { url, prefetch, .. }) => {
                Some((url.clone(), *prefetch))
            }
            _ => None,
        })
        .collect()
}

fn url(post: &str, i: usize) -> String {
    format!("http://127.0.0.1:9/{post}/{i}.png")
}

#[test]
fn enter_steps_through_pictures_and_posts_and_leaves_on_the_post_stepped_to() {
    let mut app = app();
    app.update(key("enter"), t0());
    assert_eq!(app.mode, Mode::Full);
    assert_eq!(shown(&app), Some(("p0".into(), 0, 3)));
    // h at the first picture stays; l steps to the last and stops there.
    app.update(key("h"), t0());
    assert_eq!(shown(&app), Some(("p0".into(), 0, 3)));
    app.update(key("l"), t0());
    assert_eq!(shown(&app), Some(("p0".into(), 1, 3)));
    app.update(key("right"), t0());
    app.update(key("l"), t0());
    assert_eq!(shown(&app), Some(("p0".into(), 2, 3)), "stops at the last");
    app.update(key("left"), t0());
    assert_eq!(shown(&app), Some(("p0".into(), 1, 3)));
    // k on the first post stays; the picture stays too.
    app.update(key("k"), t0());
    assert_eq!(shown(&app), Some(("p0".into(), 1, 3)));
    // j / n / down: the next post, at its first picture; the feed's
    // selection follows.
    app.update(key("j"), t0());
    assert_eq!(shown(&app), Some(("p1".into(), 0, 1)));
    assert_eq!(app.feed().selected(), 1);
    app.update(key("n"), t0());
    assert_eq!(shown(&app), Some(("p2".into(), 0, 0)), "no picture");
    app.update(key("l"), t0());
    assert_eq!(shown(&app), Some(("p2".into(), 0, 0)));
    app.update(key("down"), t0());
    app.update(key("l"), t0());
    assert_eq!(shown(&app), Some(("p3".into(), 1, 2)));
    app.update(key("p"), t0());
    app.update(key("up"), t0());
    assert_eq!(shown(&app), Some(("p1".into(), 0, 1)));
    app.update(key("j"), t0());
    app.update(key("j"), t0());
    assert_eq!(selected_id(&app), "p3");
    // esc: back in the feed, on the post stepped to; enter again starts
    // at its first picture.
    app.update(key("esc"), t0());
    assert_eq!(app.mode, Mode::Feed);
    assert_eq!(app.full, None);
    assert_eq!(selected_id(&app), "p3");
    app.update(key("enter"), t0());
    assert_eq!(shown(&app), Some(("p3".into(), 0, 2)));
    // q and enter leave too (q does not quit from here).
    app.update(key("q"), t0());
    assert_eq!(app.mode, Mode::Feed);
    assert!(!app.should_quit);
    app.update(key("enter"), t0());
    app.update(key("enter"), t0());
    assert_eq!(app.mode, Mode::Feed);
    assert_eq!(selected_id(&app), "p3");
}

#[test]
fn stepping_past_the_last_loaded_post_loads_more_and_stops() {
    let mut p = page(0..60, Some("c1"));
    for it in &mut p.items {
        it.media = pictures(&it.id, 1);
    }
    let mut app = TestApp::new().first_page(Some(p)).viewport(160, 45).build();
    app.update(key("enter"), t0());
    let mut fx = Vec::new();
    for _ in 0..70 {
        fx.extend(app.update(key("j"), t0()));
    }
    assert_eq!(
        shown(&app).map(|s| s.0),
        Some("p59".into()),
        "stops at the end"
    );
    assert_eq!(app.mode, Mode::Full);
    assert_eq!(
        loads(&fx),
        vec![(Some("c1".into()), Loading::More)],
        "the next page, once"
    );
}

#[test]
fn a_post_without_a_picture_or_previews_off_say_so_instead() {
    let mut app = app();
    app.update(key("j"), t0());
    app.update(key("j"), t0());
    app.update(key("enter"), t0());
    assert_eq!(app.mode, Mode::Feed);
    assert_eq!(status_text(&app), "This post has no picture.");
    app.update(key("k"), t0());
    app.update(key("i"), t0());
    app.update(key("enter"), t0());
    assert_eq!(app.mode, Mode::Feed);
    assert_eq!(
        status_text(&app),
        "Previews are off: press i to turn them on."
    );
}

#[test]
fn full_screen_pictures_load_where_the_stepping_rests_in_the_full_box() {
    let mut app = app();
    let full = layout::full_picture_cells((160, 45));
    assert_eq!(full, Some((160, 44)));
    app.update(key("enter"), t0());
    // Nothing before the debounce ends; then p0's first picture.
    assert!(load_urls(&app.update(Msg::Tick, at(10))).is_empty());
    let fx = app.update(Msg::Tick, at(100));
    assert_eq!(load_urls(&fx), vec![(url("p0", 0), false)]);
    // Stepping fast through pictures and posts: only where it rests is
    // loaded, the loads left behind are cancelled (newest wins).
    let mut fx = app.update(key("l"), at(110));
    fx.extend(app.update(key("l"), at(120)));
    fx.extend(app.update(key("j"), at(130)));
    fx.extend(app.update(key("j"), at(140)));
    fx.extend(app.update(key("j"), at(150)));
    assert!(load_urls(&fx).is_empty(), "{fx:?}");
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::Preview(PreviewEffect::Cancel { .. }))),
        "p0's load cancelled: {fx:?}"
    );
    app.update(key("l"), at(160));
    let fx = app.update(Msg::Tick, at(300));
    assert_eq!(load_urls(&fx), vec![(url("p3", 1), false)]);
    answer_load(&mut app, &fx, at(400));
    // Resting longer prefetches the next posts' pictures.
    let fx = app.update(Msg::Tick, at(1000));
    let prefetched = load_urls(&fx);
    assert_eq!(prefetched, vec![(url("p4", 0), true), (url("p5", 0), true)]);
}

/// Answers the load in `fx` with a picture; returns the effects.
fn answer_load(app: &mut App, fx: &[Effect], now: Timestamp) -> Vec<Effect> {
    let Some((request, post_id, url)) = fx.iter().find_map(|e| match e {
        Effect::Preview(PreviewEffect::Load {
            request,
            post_id,
            url,
            prefetch: false,
        }) => Some((*request, post_id.clone(), url.clone())),
        _ => None,
    }) else {
        panic!("no load: {fx:?}");
    };
    let img = image::DynamicImage::new_rgb8(400, 300);
    app.update(
        Msg::Preview(PreviewMsg::Loaded {
            request,
            post_id,
            url,
            result: Ok(SharedImage::new(img)),
        }),
        now,
    )
}

/// Answers the encode in `fx` for kitty with image id `kitty_id`;
/// returns (the box it was for, the effects).
fn answer_encode(
    app: &mut App,
    fx: &[Effect],
    kitty_id: u32,
    now: Timestamp,
) -> ((u16, u16), Vec<Effect>) {
    let Some((request, post_id, url, image, avail)) = fx.iter().find_map(|e| match e {
        Effect::Preview(PreviewEffect::Encode {
            request,
            post_id,
            url,
            image,
            avail,
        }) => Some((
            *request,
            post_id.clone(),
            url.clone(),
            image.clone(),
            *avail,
        )),
        _ => None,
    }) else {
        panic!("no encode: {fx:?}");
    };
    let g = Graphics {
        kind: GraphicsKind::Kitty,
        cell_px: (10, 20),
        ..Graphics::default()
    };
    let result: Result<EncodedPreview, _> =
        crate::preview::encode(image.image(), avail, &g, kitty_id);
    let msg = Msg::Preview(PreviewMsg::Encoded {
        request,
        post_id,
        url,
        avail,
        result,
    });
    (avail, app.update(msg, now))
}

fn deletes(fx: &[Effect]) -> Vec<u32> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Preview(PreviewEffect::DeleteKitty { id }) => Some(*id),
            _ => None,
        })
        .collect()
}

#[test]
fn the_full_screen_picture_is_its_own_encode_and_is_deleted_on_leaving() {
    let mut app = app();
    let fx = app.update(Msg::Tick, at(100));
    let fx = answer_load(&mut app, &fx, at(110));
    let (pane, _) = answer_encode(&mut app, &fx, 1, at(120));
    assert_eq!(Some(pane), app.preview_cells());
    // Full screen: the same picture encoded for the whole screen, which
    // replaces (and deletes) the pane's.
    let fx = app.update(key("enter"), at(200));
    let (full, fx) = answer_encode(&mut app, &fx, 2, at(210));
    assert_eq!(Some(full), layout::full_picture_cells((160, 45)));
    assert_eq!(deletes(&fx), vec![1]);
    let ready = |app: &App, avail| {
        matches!(
            app.preview.view("p0", &url("p0", 0), avail, app.now),
            PreviewView::Ready(_)
        )
    };
    assert!(ready(&app, full));
    // Leaving deletes the full-screen picture at once and encodes the
    // pane's again.
    let fx = app.update(key("esc"), at(300));
    assert_eq!(deletes(&fx), vec![2]);
    assert!(fx.contains(&Effect::Redraw), "{fx:?}");
    assert!(!ready(&app, full));
    let (again, fx) = answer_encode(&mut app, &fx, 3, at(310));
    assert_eq!(again, pane);
    assert!(deletes(&fx).is_empty());
    assert!(ready(&app, pane));
}

#[test]
fn stepping_leaves_follow_mode_and_ctrl_c_still_quits() {
    let mut app = app();
    app.update(key("F"), t0());
    assert!(app.follow);
    app.update(key("enter"), t0());
    app.update(key("j"), t0());
    assert!(!app.follow, "a manual move");
    app.update(ctrl('c'), t0());
    assert!(app.should_quit);
}
