//! One frame after one key: `App::update` with `j` (or `k`) plus
//! `ui::render` into a ratatui `TestBackend` at 160 x 45 with 50 posts
//! loaded (previews off). The terminal is kept between iterations, so each
//! draw diffs against the previous frame as in the real runtime.
//!
//! Budget (README "Performance"): under 1 ms per key.
//!
//! Also: a 24 MB bracketed paste into the open comment editor (cut at the
//! comment limit with a notice), update plus the next frame; budget under
//! 100 ms.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use aispace_tui::app::{Key, KeyCode, Msg};
use criterion::{criterion_group, criterion_main, Criterion};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::hint::black_box;

fn frame(c: &mut Criterion) {
    let rt = common::runtime();
    let (mut app, _run) = rt.block_on(common::app_with_posts(50, 160, 45));
    let now = app.now;
    let mut term = Terminal::new(TestBackend::new(160, 45)).expect("terminal");
    term.draw(|f| aispace_tui::ui::render(f, &app))
        .expect("draw");
    let mut down = true;
    c.bench_function("frame/key_j_update_render_160x45_50_posts", |b| {
        b.iter(|| {
            let key = if down { 'j' } else { 'k' };
            down = !down;
            let ev = Key::plain(KeyCode::Char(key));
            black_box(app.update(Msg::Key(ev), now));
            term.draw(|f| aispace_tui::ui::render(f, &app))
                .expect("draw");
        })
    });
    c.bench_function("frame/render_only_160x45_50_posts", |b| {
        b.iter(|| {
            term.draw(|f| aispace_tui::ui::render(f, &app))
                .expect("draw");
        })
    });
    let mut editing = app.clone();
    editing.update(Msg::Key(Key::plain(KeyCode::Char('c'))), now);
    let huge = "A pasted line of text with ünïcödé and \x1b[31m escapes\n".repeat(400_000);
    c.bench_function("frame/paste_24MB_into_the_editor_update_render", |b| {
        b.iter_batched(
            || editing.clone(),
            |mut app| {
                black_box(app.update(Msg::Paste(huge.clone()), now));
                term.draw(|f| aispace_tui::ui::render(f, &app))
                    .expect("draw");
                app
            },
            criterion::BatchSize::LargeInput,
        )
    });
}

criterion_group!(benches, frame);
criterion_main!(benches);
