//! Overlays win over pictures: while help, the comment editor or its
//! question covers the post pane, no cell of a pixel picture (kitty
//! placeholders, a sixel or iTerm2 sequence) is drawn; closing the overlay
//! draws it again. The filter input covers nothing and keeps it. The
//! full-screen view draws the picture with the same protocol, and leaving
//! it leaves no picture cell behind.

use crate::api::{FeedPage, Media, MediaType};
use crate::app::testing::*;
use crate::app::*;
use crate::preview::{encode, Graphics, GraphicsKind, PreviewEffect, PreviewMsg, SharedImage};
use chrono::Duration;
use image::{DynamicImage, Rgb, RgbImage};

const W: u16 = 160;
const H: u16 = 45;

/// An app whose selected post's picture is encoded for `g` and ready.
fn with_picture(g: Graphics) -> App {
    let mut p = page(0..5, None);
    for it in &mut p.items {
        it.media = vec![Media {
            id: format!("m-{}", it.id),
            kind: MediaType::Image,
            url: format!("http://127.0.0.1:9/{}.png", it.id),
            width: Some(400),
            height: Some(300),
        }];
    }
    p.items[0].media = pictures("p0", 3);
    with_page(p, g, (W, H))
}

/// An app showing page `p` on a `size` terminal, the selected post's
/// picture encoded for `g` and ready.
fn with_page(p: FeedPage, g: Graphics, (w, h): (u16, u16)) -> App {
    let mut app = TestApp::new().first_page(Some(p)).viewport(w, h).build();
    let t = t0() + Duration::seconds(1);
    let fx = app.update(Msg::Tick, t);
    let Some((request, post_id, url)) = fx.iter().find_map(|e| match e {
        Effect::Preview(PreviewEffect::Load {
            request,
            post_id,
            url,
            prefetch: false,
        }) => Some((*request, post_id.clone(), url.clone())),
        _ => None,
    }) else {
        panic!("no load after the debounce: {fx:?}");
    };
    let img = DynamicImage::ImageRgb8(RgbImage::from_fn(400, 300, |x, y| {
        Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    }));
    let fx = app.update(
        Msg::Preview(PreviewMsg::Loaded {
            request,
            post_id,
            url,
            result: Ok(SharedImage::new(img)),
        }),
        t,
    );
    if app.preview_cells().is_some() {
        answer_encode(&mut app, &fx, &g, 7);
    }
    app
}

/// Answers the encode among `fx` for `g` (kitty image id `id`).
fn answer_encode(app: &mut App, fx: &[Effect], g: &Graphics, id: u32) -> Vec<Effect> {
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
    let result = encode(image.image(), avail, g, id);
    app.update(
        Msg::Preview(PreviewMsg::Encoded {
            request,
            post_id,
            url,
            avail,
            result,
        }),
        t0() + Duration::seconds(1),
    )
}

/// Cells of the screen holding part of a pixel picture: a kitty
/// placeholder or a graphics escape sequence.
fn picture_cells(app: &App) -> usize {
    let buf = crate::runtime::render_buffer(app, W, H);
    buf.content()
        .iter()
        .filter(|c| c.symbol().contains('\u{10EEEE}') || c.symbol().contains('\x1b'))
        .count()
}

fn screen(app: &App) -> String {
    crate::runtime::buffer_text(&crate::runtime::render_buffer(app, W, H))
}

fn pixel(kind: GraphicsKind) -> Graphics {
    Graphics {
        kind,
        cell_px: (10, 20),
        ..Graphics::default()
    }
}

#[test]
fn no_pixel_picture_is_drawn_under_an_overlay_and_it_comes_back() {
    for kind in [
        GraphicsKind::Kitty,
        GraphicsKind::Sixel,
        GraphicsKind::Iterm2,
    ] {
        let mut app = with_picture(pixel(kind));
        let t = t0() + Duration::seconds(2);
        assert!(picture_cells(&app) > 0, "{kind:?}: the picture is drawn");
        // Help: the picture goes, the help text is whole.
        app.update(typed('?'), t);
        assert_eq!(app.mode, Mode::Help);
        assert_eq!(picture_cells(&app), 0, "{kind:?} under the help");
        let s = screen(&app);
        for line in crate::ui::help_lines(&app).iter().take(20) {
            let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
            assert!(
                s.contains(text.trim_end()),
                "{kind:?}: {text:?} hidden\n{s}"
            );
        }
        app.update(key("esc"), t);
        assert_eq!(app.mode, Mode::Feed);
        assert!(picture_cells(&app) > 0, "{kind:?}: back after the help");
        // The comment editor, then its "unsent comment" question.
        app.update(typed('c'), t);
        assert_eq!(app.mode, Mode::Editor);
        assert_eq!(picture_cells(&app), 0, "{kind:?} under the editor");
        app.update(typed('x'), t);
        app.update(key("esc"), t);
        assert_eq!(app.mode, Mode::Confirm);
        assert_eq!(picture_cells(&app), 0, "{kind:?} under the question");
        app.update(typed('d'), t);
        assert_eq!(app.mode, Mode::Feed);
        assert!(picture_cells(&app) > 0, "{kind:?}: back after the editor");
        // The filter input covers nothing: the picture stays.
        app.update(typed('/'), t);
        assert_eq!(app.mode, Mode::Filter);
        assert!(picture_cells(&app) > 0, "{kind:?}: kept while filtering");
    }
}

#[test]
fn half_blocks_are_covered_by_the_help_like_any_text() {
    let mut app = with_picture(Graphics::default());
    let t = t0() + Duration::seconds(2);
    let before = screen(&app);
    assert!(before.contains('▀') || before.contains('▄'), "{before}");
    app.update(typed('?'), t);
    let s = screen(&app);
    let first: String = crate::ui::help_lines(&app)[1]
        .spans
        .iter()
        .map(|s| s.content.as_ref())
        .collect();
    assert!(s.contains(first.trim_end()), "{s}");
}

#[test]
fn the_full_screen_view_draws_with_the_panes_protocol_and_leaves_nothing_behind() {
    for g in [
        Graphics::default(),
        pixel(GraphicsKind::Kitty),
        pixel(GraphicsKind::Sixel),
        pixel(GraphicsKind::Iterm2),
    ] {
        let kind = g.kind;
        let mut app = with_picture(g);
        let t = t0() + Duration::seconds(2);
        let fx = app.update(key("enter"), t);
        assert_eq!(app.mode, Mode::Full);
        let fx = answer_encode(&mut app, &fx, &g, 8);
        let buf = crate::runtime::render_buffer(&app, W, H);
        let s = crate::runtime::buffer_text(&buf);
        let last = s.lines().last().unwrap_or_default();
        assert!(
            last.starts_with("1/3 · @other-h · caption 0"),
            "{kind:?}: {last}"
        );
        assert!(last.contains("j/k post · h/l picture · esc back"), "{last}");
        if kind == GraphicsKind::Halfblocks {
            let blocks = s.matches(['▀', '▄']).count();
            assert!(blocks > 3000, "{kind:?}: the whole screen: {blocks}\n{s}");
        } else {
            assert!(picture_cells(&app) > 0, "{kind:?}: drawn");
        }
        // The pane's kitty picture was replaced, so deleted.
        if kind == GraphicsKind::Kitty {
            assert_eq!(
                fx,
                vec![Effect::Preview(PreviewEffect::DeleteKitty { id: 7 })]
            );
        }
        // Leaving: no cell of the full-screen picture is left, the
        // screen is repainted, then the pane's picture comes back.
        let fx = app.update(key("esc"), t);
        assert_eq!(app.mode, Mode::Feed);
        assert!(fx.contains(&Effect::Redraw), "{kind:?}: {fx:?}");
        if kind == GraphicsKind::Kitty {
            assert!(fx.contains(&Effect::Preview(PreviewEffect::DeleteKitty { id: 8 })));
        }
        assert_eq!(picture_cells(&app), 0, "{kind:?}: nothing left");
        let s = screen(&app);
        assert_eq!(s.matches(['▀', '▄']).count(), 0, "{kind:?}\n{s}");
        answer_encode(&mut app, &fx, &g, 9);
        if kind == GraphicsKind::Halfblocks {
            assert!(screen(&app).matches(['▀', '▄']).count() > 0);
        } else {
            assert!(picture_cells(&app) > 0, "{kind:?}: the pane's again");
        }
    }
}

#[test]
fn full_screen_80x24_and_60x16() {
    for (w, h) in [(80, 24), (60, 16)] {
        let mut p = page(0..5, None);
        p.items[0].media = pictures("p0", 3);
        p.items[0].caption = Some("a \u{1b}[31mred\u{1b}[0m caption\nsecond line".into());
        let mut app = with_page(p, Graphics::default(), (w, h));
        let fx = app.update(key("enter"), t0() + Duration::seconds(2));
        answer_encode(&mut app, &fx, &Graphics::default(), 8);
        app.update(key("l"), t0() + Duration::seconds(2));
        // The second picture is not loaded yet: the spinner, with "2/3".
        let s = crate::runtime::buffer_text(&crate::runtime::render_buffer(&app, w, h));
        insta::assert_snapshot!(format!("full_screen_loading_{w}x{h}"), s);
        // Back to the first: still encoded, shown at once.
        app.update(key("h"), t0() + Duration::seconds(2));
        let s = crate::runtime::buffer_text(&crate::runtime::render_buffer(&app, w, h));
        insta::assert_snapshot!(format!("full_screen_{w}x{h}"), s);
    }
}

/// At 80x24 the post pane has 3 rows free for a picture: one line says
/// so; zoomed (`z`) it has 11 and the picture shows in a box of 8 rows.
/// At 60x16 even zoomed there is no room: the line offers full screen.
#[test]
fn the_post_pane_shows_the_picture_when_8_rows_are_free_else_says_why() {
    for (w, h, free, zoomed_free) in [(80, 24, 3, Some(11)), (60, 16, 0, None)] {
        let mut p = page(0..5, None);
        p.items[0].media = pictures("p0", 1);
        let mut app = with_page(p, Graphics::default(), (w, h));
        let t = t0() + Duration::seconds(2);
        let s = crate::runtime::buffer_text(&crate::runtime::render_buffer(&app, w, h));
        assert!(
            s.contains(&format!(
                "picture hidden: needs 8 rows, {free} free (z enlarges)"
            )),
            "{s}"
        );
        assert_eq!(app.preview_cells(), None);
        insta::assert_snapshot!(format!("post_pane_{w}x{h}"), s);
        let fx = app.update(key("z"), t);
        match zoomed_free {
            Some(rows) => {
                let inner = layout::inside_border(
                    layout::areas(ratatui::layout::Rect::new(0, 0, w, h), true).post,
                );
                assert_eq!(layout::picture_free_rows(inner.height), rows);
                assert_eq!(app.preview_cells(), Some((w - 4, 6)), "a box of 8 rows");
                answer_encode(&mut app, &fx, &Graphics::default(), 8);
            }
            None => assert_eq!(app.preview_cells(), None),
        }
        let s = crate::runtime::buffer_text(&crate::runtime::render_buffer(&app, w, h));
        if zoomed_free.is_some() {
            assert!(s.matches(['▀', '▄']).count() > 0, "{s}");
            assert!(!s.contains("picture hidden"), "{s}");
        } else {
            assert!(s.contains("free (enter: full screen)"), "{s}");
        }
        insta::assert_snapshot!(format!("post_pane_zoomed_{w}x{h}"), s);
    }
}
