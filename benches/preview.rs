//! Preview hot path: decode + fit + resize + encode of a ~1000 x 1000 JPEG
//! (assets hubble_deep_field.jpg, 1000 x 872) for a 60 x 30-cell pane as
//! half blocks (a 60 x 60 pixel grid), the work done off the UI thread
//! when a post is selected. Run: `cargo bench --bench preview`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

use aispace_tui::preview::decode::decode;
use aispace_tui::preview::encode::{encode, fit, resize};
use aispace_tui::preview::{Graphics, GraphicsKind};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

const JPEG: &[u8] = include_bytes!("../assets/images/hubble_deep_field.jpg");
const PANE: (u16, u16) = (60, 30);

fn bench(c: &mut Criterion) {
    let halfblocks = Graphics::default();
    let mut g = c.benchmark_group("preview");
    g.sample_size(30);
    g.bench_function("decode hubble 1000x872 jpeg", |b| {
        b.iter(|| decode(black_box(JPEG)).expect("decodes"))
    });
    let img = decode(JPEG).expect("decodes");
    g.bench_function("resize+encode to 60x30 cells (halfblocks)", |b| {
        b.iter(|| encode(black_box(&img), PANE, &halfblocks, 1).expect("encodes"))
    });
    g.bench_function("decode + resize + encode, 60x30 cells (halfblocks)", |b| {
        b.iter(|| {
            let img = decode(black_box(JPEG)).expect("decodes");
            encode(&img, PANE, &halfblocks, 1).expect("encodes")
        })
    });
    let sixel = Graphics {
        kind: GraphicsKind::Sixel,
        cell_px: (10, 20),
        ..Graphics::default()
    };
    g.bench_function(
        "resize+encode to 60x30 cells (sixel, 10x20 px cells)",
        |b| b.iter(|| encode(black_box(&img), PANE, &sixel, 1).expect("encodes")),
    );
    let f = fit(img.width(), img.height(), PANE, &halfblocks).expect("fits");
    g.bench_function("resize only, to the 60x52 px halfblock grid", |b| {
        b.iter(|| resize(black_box(&img), f.px))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
