//! The sanitizer (`text::clean_block`) over 1 MB of mixed text: the hostile
//! corpus (escape sequences, bidi, zalgo, ZWJ emoji...) interleaved with
//! plain prose, CJK and emoji.
//!
//! Two shapes: one 1 MB string (the sanitizer bounds its work to a prefix
//! that can survive the 10,000-char cap), and the same megabyte split into
//! caption-sized fields of about 2 KB, each cleaned on its own (the
//! realistic total cost of sanitizing 1 MB of server text).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

use aispace_tui::text::{clean_block, testing::hostile_corpus};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

const MB: usize = 1 << 20;

fn mixed_text() -> String {
    let normal = [
        "A lighthouse at dusk, rendered in oils. The sea is calm tonight.\n",
        "夜の東京、雨のネオン 🌃 山水之间，一叶扁舟 한국어 캡션도 잘 보이나요? 🎨\n",
        "Emoji sequence test: 👨‍👩‍👧‍👦 🏳️‍🌈 🇯🇵 ❤️‍🔥 and some #tags #aiart\r\n",
        "Plain ASCII prose about composition, light and colour, repeated. ",
    ];
    let hostile: Vec<String> = hostile_corpus().into_iter().map(|(_, t)| t).collect();
    let mut out = String::with_capacity(MB + 64 * 1024);
    let mut i = 0;
    while out.len() < MB {
        out.push_str(normal[i % normal.len()]);
        // Keep single entries short enough that the megabyte stays mixed
        // (the zalgo entry alone is 20 KB).
        let h = &hostile[i % hostile.len()];
        let cut = h
            .char_indices()
            .find(|(b, _)| *b > 2048)
            .map_or(h.len(), |(b, _)| b);
        out.push_str(&h[..cut]);
        out.push('\n');
        i += 1;
    }
    out
}

/// Splits `s` into pieces of about `size` bytes at char boundaries.
fn fields(s: &str, size: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < s.len() {
        let mut end = (start + size).min(s.len());
        while !s.is_char_boundary(end) {
            end += 1;
        }
        out.push(&s[start..end]);
        start = end;
    }
    out
}

fn sanitize(c: &mut Criterion) {
    let text = mixed_text();
    let parts = fields(&text, 2048);
    let mut g = c.benchmark_group("sanitize");
    g.sample_size(20);
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("clean_block_1mb_one_string", |b| {
        b.iter(|| black_box(clean_block(black_box(&text))))
    });
    g.bench_function("clean_block_1mb_in_2kb_fields", |b| {
        b.iter(|| {
            for p in &parts {
                black_box(clean_block(black_box(p)));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, sanitize);
criterion_main!(benches);
