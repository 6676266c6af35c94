//! Unit tests of the preview state machine (no IO, fake clock).

use super::*;
use crate::preview::encode::encode;
use crate::preview::{Graphics, GraphicsKind};
use chrono::{TimeZone, Utc};
use image::DynamicImage;

fn t0() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 3, 4, 12, 0, 0).unwrap()
}

fn ms(n: i64) -> Timestamp {
    t0() + Duration::milliseconds(n)
}

fn t(id: &str) -> Target {
    Target {
        post_id: id.into(),
        url: format!("http://x/media/{id}"),
    }
}

fn img() -> SharedImage {
    SharedImage::new(DynamicImage::new_rgb8(40, 20))
}

const BOX: Option<(u16, u16)> = Some((20, 10));

fn loads(fx: &[PreviewEffect]) -> Vec<(u64, String, bool)> {
    fx.iter()
        .filter_map(|e| match e {
            PreviewEffect::Load {
                request,
                post_id,
                prefetch,
                ..
            } => Some((*request, post_id.clone(), *prefetch)),
            _ => None,
        })
        .collect()
}

fn cancels(fx: &[PreviewEffect]) -> Vec<u64> {
    fx.iter()
        .filter_map(|e| match e {
            PreviewEffect::Cancel { request } => Some(*request),
            _ => None,
        })
        .collect()
}

fn encodes(fx: &[PreviewEffect]) -> Vec<(u64, String)> {
    fx.iter()
        .filter_map(|e| match e {
            PreviewEffect::Encode {
                request, post_id, ..
            } => Some((*request, post_id.clone())),
            _ => None,
        })
        .collect()
}

fn loaded(request: u64, id: &str, result: Result<SharedImage, PreviewError>) -> PreviewMsg {
    PreviewMsg::Loaded {
        request,
        post_id: id.into(),
        url: t(id).url,
        result,
    }
}

#[test]
fn waits_for_the_debounce_then_loads_target_and_prefetches_two() {
    let mut s = PreviewState::new(true, 1 << 20);
    let mut fx = Vec::new();
    let next = || vec![t("b"), t("c"), t("d")];
    s.sync(Some(t("a")), next(), BOX, ms(0), &mut fx);
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(s.next_wake(ms(0)), Some(ms(DEBOUNCE_MS)));
    s.sync(Some(t("a")), next(), BOX, ms(79), &mut fx);
    assert!(fx.is_empty());
    s.sync(Some(t("a")), next(), BOX, ms(80), &mut fx);
    let l = loads(&fx);
    // Only the selected post's picture: prefetching waits for a rest.
    assert_eq!(
        l.iter()
            .map(|(_, p, f)| (p.as_str(), *f))
            .collect::<Vec<_>>(),
        vec![("a", false)]
    );
    fx.clear();
    // Rested long enough, but "a" still loads: nothing yet.
    s.sync(Some(t("a")), next(), BOX, ms(PREFETCH_REST_MS), &mut fx);
    assert!(loads(&fx).is_empty(), "{fx:?}");
    s.on_msg(loaded(l[0].0, "a", Ok(img())), &mut fx);
    fx.clear();
    s.sync(
        Some(t("a")),
        next(),
        BOX,
        ms(PREFETCH_REST_MS + 10),
        &mut fx,
    );
    assert_eq!(
        loads(&fx)
            .iter()
            .map(|(_, p, f)| (p.as_str(), *f))
            .collect::<Vec<_>>(),
        vec![("b", true), ("c", true)]
    );
}

#[test]
fn scrolling_at_a_steady_pace_never_prefetches() {
    // 10 keys a second: each selection rests 100 ms, past the debounce
    // but never long enough to prefetch.
    let mut s = PreviewState::new(true, 1 << 20);
    let mut fx = Vec::new();
    let ids: Vec<String> = (0..40).map(|i| format!("p{i}")).collect();
    for (i, id) in ids.iter().enumerate().take(30) {
        let upcoming = vec![t(&ids[i + 1]), t(&ids[i + 2])];
        for step in 0..10 {
            let now = ms(i as i64 * 100 + step * 10);
            s.sync(Some(t(id)), upcoming.clone(), BOX, now, &mut fx);
        }
    }
    let l = loads(&fx);
    assert!(l.iter().all(|(_, _, prefetch)| !prefetch), "{l:?}");
    assert_eq!(l.len(), 30, "one load per selection");
}

#[test]
fn scrolling_fast_starts_nothing_and_cancels_what_left_the_window() {
    let mut s = PreviewState::new(true, 1 << 20);
    let mut fx = Vec::new();
    s.sync(Some(t("a")), vec![t("b"), t("c")], BOX, ms(0), &mut fx);
    s.sync(Some(t("a")), vec![t("b"), t("c")], BOX, ms(100), &mut fx);
    let first = loads(&fx);
    assert_eq!(first.len(), 1, "the selected picture only: {first:?}");
    fx.clear();
    // Move 1 (a leaves), then jump far away within 80 ms.
    s.sync(Some(t("b")), vec![t("c"), t("d")], BOX, ms(110), &mut fx);
    assert_eq!(cancels(&fx), vec![first[0].0]);
    fx.clear();
    for (i, id) in ["e", "f", "g", "h"].iter().enumerate() {
        s.sync(Some(t(id)), vec![], BOX, ms(120 + i as i64 * 20), &mut fx);
    }
    assert!(loads(&fx).is_empty(), "no load while moving: {fx:?}");
    assert!(cancels(&fx).is_empty(), "{fx:?}");
    fx.clear();
    s.sync(Some(t("h")), vec![], BOX, ms(300), &mut fx);
    assert_eq!(loads(&fx).len(), 1);
}

#[test]
fn a_late_result_is_cached_but_not_shown_on_another_post() {
    let mut s = PreviewState::new(true, 1 << 20);
    let mut fx = Vec::new();
    s.sync(Some(t("a")), vec![], BOX, ms(0), &mut fx);
    s.sync(Some(t("a")), vec![], BOX, ms(80), &mut fx);
    let req = loads(&fx)[0].0;
    fx.clear();
    s.sync(Some(t("b")), vec![], BOX, ms(90), &mut fx);
    // a's load was cancelled, but its (late) picture still arrives.
    s.on_msg(loaded(req, "a", Ok(img())), &mut fx);
    s.sync(Some(t("b")), vec![], BOX, ms(95), &mut fx);
    assert!(s.cache().contains(&t("a").url));
    assert!(encodes(&fx).is_empty(), "nothing to encode for b: {fx:?}");
    assert!(matches!(
        s.view("b", &t("b").url, (20, 10), ms(95)),
        PreviewView::Loading(_)
    ));
    // Back on a: once the selection rests, the cached picture is encoded;
    // nothing is fetched again.
    fx.clear();
    s.sync(Some(t("a")), vec![], BOX, ms(100), &mut fx);
    assert!(encodes(&fx).is_empty(), "not before the rest");
    s.sync(Some(t("a")), vec![], BOX, ms(180), &mut fx);
    assert!(loads(&fx).is_empty());
    assert_eq!(encodes(&fx).len(), 1);
}

#[test]
fn encodes_for_the_box_and_shows_only_the_matching_post_and_size() {
    let mut s = PreviewState::new(true, 1 << 20);
    let mut fx = Vec::new();
    s.sync(Some(t("a")), vec![], BOX, ms(0), &mut fx);
    s.sync(Some(t("a")), vec![], BOX, ms(80), &mut fx);
    let req = loads(&fx)[0].0;
    fx.clear();
    s.on_msg(loaded(req, "a", Ok(img())), &mut fx);
    s.sync(Some(t("a")), vec![], BOX, ms(90), &mut fx);
    let (ereq, _) = encodes(&fx)[0].clone();
    let picture = s.picture(&t("a").url).unwrap();
    let enc = encode(picture.image(), (20, 10), &Graphics::default(), 1).unwrap();
    s.on_msg(
        PreviewMsg::Encoded {
            request: ereq,
            post_id: "a".into(),
            url: t("a").url,
            avail: (20, 10),
            result: Ok(enc),
        },
        &mut fx,
    );
    assert!(matches!(
        s.view("a", &t("a").url, (20, 10), ms(91)),
        PreviewView::Ready(_)
    ));
    assert!(!matches!(
        s.view("z", &t("a").url, (20, 10), ms(91)),
        PreviewView::Ready(_)
    ));
    // A resize asks for a new encode.
    fx.clear();
    s.sync(Some(t("a")), vec![], Some((30, 12)), ms(92), &mut fx);
    assert_eq!(encodes(&fx).len(), 1);
    assert!(!matches!(
        s.view("a", &t("a").url, (30, 12), ms(92)),
        PreviewView::Ready(_)
    ));
}

#[test]
fn a_stale_encode_is_dropped_and_replaced_kitty_images_are_deleted() {
    let g = Graphics {
        kind: GraphicsKind::Kitty,
        ..Graphics::default()
    };
    let mut s = PreviewState::new(true, 1 << 20);
    let mut fx = Vec::new();
    // Both pictures already loaded.
    s.cache.put(t("a").url, img());
    s.cache.put(t("b").url, img());
    let mut shown_ids = Vec::new();
    for (i, id) in ["a", "b"].iter().enumerate() {
        fx.clear();
        let at = i as i64 * 1000;
        s.sync(Some(t(id)), vec![], BOX, ms(at), &mut fx);
        s.sync(Some(t(id)), vec![], BOX, ms(at + DEBOUNCE_MS), &mut fx);
        let (req, _) = encodes(&fx)[0].clone();
        let kid = 100 + i as u32;
        let enc = encode(img().image(), (20, 10), &g, kid).unwrap();
        // A stale answer for an older request changes nothing.
        s.on_msg(
            PreviewMsg::Encoded {
                request: req - 1,
                post_id: id.to_string(),
                url: t(id).url,
                avail: (20, 10),
                result: Err(PreviewError::Truncated),
            },
            &mut fx,
        );
        assert!(s.failure(&t(id).url).is_none());
        s.on_msg(
            PreviewMsg::Encoded {
                request: req,
                post_id: id.to_string(),
                url: t(id).url,
                avail: (20, 10),
                result: Ok(enc),
            },
            &mut fx,
        );
        shown_ids.push(kid);
    }
    assert!(
        fx.contains(&PreviewEffect::DeleteKitty { id: 100 }),
        "{fx:?}"
    );
    // Turning previews off deletes the one on screen too.
    fx.clear();
    assert!(!s.toggle(&mut fx));
    assert!(
        fx.contains(&PreviewEffect::DeleteKitty { id: 101 }),
        "{fx:?}"
    );
    assert!(matches!(
        s.view("b", &t("b").url, (20, 10), ms(5)),
        PreviewView::Off
    ));
}

#[test]
fn failures_show_a_reason_and_transient_ones_are_retried() {
    let mut s = PreviewState::new(true, 1 << 20);
    let mut fx = Vec::new();
    s.sync(Some(t("a")), vec![], BOX, ms(0), &mut fx);
    s.sync(Some(t("a")), vec![], BOX, ms(80), &mut fx);
    let req = loads(&fx)[0].0;
    s.on_msg(loaded(req, "a", Err(PreviewError::Http(404))), &mut fx);
    match s.view("a", &t("a").url, (20, 10), ms(81)) {
        PreviewView::Failed(r) => assert_eq!(r, "HTTP 404"),
        v => panic!("{v:?}"),
    }
    // Permanent: not retried after coming back.
    fx.clear();
    s.sync(Some(t("b")), vec![], BOX, ms(90), &mut fx);
    s.sync(Some(t("a")), vec![], BOX, ms(100), &mut fx);
    s.sync(Some(t("a")), vec![], BOX, ms(200), &mut fx);
    assert!(loads(&fx).iter().all(|(_, p, _)| p != "a"), "{fx:?}");
    // Transient: retried.
    let mut s = PreviewState::new(true, 1 << 20);
    fx.clear();
    s.sync(Some(t("a")), vec![], BOX, ms(0), &mut fx);
    s.sync(Some(t("a")), vec![], BOX, ms(80), &mut fx);
    let req = loads(&fx)[0].0;
    s.on_msg(
        loaded(req, "a", Err(PreviewError::Network("timed out".into()))),
        &mut fx,
    );
    fx.clear();
    s.sync(Some(t("b")), vec![], BOX, ms(90), &mut fx);
    s.sync(Some(t("a")), vec![], BOX, ms(100), &mut fx);
    s.sync(Some(t("a")), vec![], BOX, ms(200), &mut fx);
    assert_eq!(loads(&fx).len(), 1, "{fx:?}");
}

#[test]
fn zero_budget_still_shows_the_selected_picture() {
    let mut s = PreviewState::new(true, 0);
    let mut fx = Vec::new();
    s.sync(Some(t("a")), vec![], BOX, ms(0), &mut fx);
    s.sync(Some(t("a")), vec![], BOX, ms(80), &mut fx);
    let req = loads(&fx)[0].0;
    fx.clear();
    s.on_msg(loaded(req, "a", Ok(img())), &mut fx);
    s.sync(Some(t("a")), vec![], BOX, ms(81), &mut fx);
    assert!(s.cache().is_empty());
    assert_eq!(encodes(&fx).len(), 1);
    assert!(s.picture(&t("a").url).is_some());
    assert!(s.picture(&t("b").url).is_none());
}

#[test]
fn spinner_wakes_only_while_the_selected_picture_loads() {
    let mut s = PreviewState::new(true, 1 << 20);
    let mut fx = Vec::new();
    s.sync(Some(t("a")), vec![], BOX, ms(0), &mut fx);
    s.sync(Some(t("a")), vec![], BOX, ms(80), &mut fx);
    assert_eq!(s.next_wake(ms(80)), Some(ms(100)));
    let req = loads(&fx)[0].0;
    s.on_msg(loaded(req, "a", Ok(img())), &mut fx);
    s.sync(Some(t("a")), vec![], BOX, ms(85), &mut fx);
    assert_eq!(s.next_wake(ms(85)), None);
}

#[test]
fn one_encode_at_a_time_and_the_newest_wanted_wins() {
    let mut s = PreviewState::new(true, 1 << 20);
    let mut fx = Vec::new();
    for id in ["a", "b", "c"] {
        s.cache.put(t(id).url, img());
    }
    s.sync(Some(t("a")), vec![], BOX, ms(0), &mut fx);
    s.sync(Some(t("a")), vec![], BOX, ms(100), &mut fx);
    let (first, _) = encodes(&fx)[0].clone();
    fx.clear();
    // b and c are selected and rest while a's encode runs: nothing starts.
    s.sync(Some(t("b")), vec![], BOX, ms(200), &mut fx);
    s.sync(Some(t("b")), vec![], BOX, ms(300), &mut fx);
    s.sync(Some(t("c")), vec![], BOX, ms(400), &mut fx);
    s.sync(Some(t("c")), vec![], BOX, ms(500), &mut fx);
    assert!(encodes(&fx).is_empty(), "{fx:?}");
    // a's (stale) result arrives: dropped, and c is encoded next.
    let enc = encode(img().image(), (20, 10), &Graphics::default(), 1).unwrap();
    s.on_msg(
        PreviewMsg::Encoded {
            request: first,
            post_id: "a".into(),
            url: t("a").url,
            avail: (20, 10),
            result: Ok(enc),
        },
        &mut fx,
    );
    assert!(!matches!(
        s.view("a", &t("a").url, (20, 10), ms(501)),
        PreviewView::Ready(_)
    ));
    s.sync(Some(t("c")), vec![], BOX, ms(501), &mut fx);
    let e = encodes(&fx);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].1, "c");
}
