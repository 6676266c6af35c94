//! The local archive (`store`): storing one 50-item feed page, opening
//! the store and reading the last feed's first 100 rows with 100,000 posts
//! stored, and a full-text search over those 100,000 posts. Budgets (issue
//! 14): under 2 ms, 20 ms and 20 ms. A page write here is the store
//! thread's job alone: folding the write-ahead log back into the file
//! (`Store::checkpoint_if_due`) runs when that thread is idle, so it is not
//! part of it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // bench code: fail loudly where set-up breaks

use aispace_tui::store::{Account, Store, FILE_NAME};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use serde_json::{json, Value};
use std::hint::black_box;

const WORDS: &[&str] = &[
    "lighthouse",
    "dusk",
    "oils",
    "sea",
    "calm",
    "neon",
    "rain",
    "Tokyo",
    "café",
    "crème",
    "forest",
    "mist",
    "portrait",
    "robot",
    "garden",
    "river",
    "mountain",
    "glass",
    "city",
    "night",
    "golden",
    "hour",
    "abstract",
    "fractal",
    "ocean",
    "wave",
    "desert",
    "storm",
    "château",
    "winter",
    "spring",
    "sunset",
    "sunrise",
    "pixel",
    "dream",
    "shadow",
    "bloom",
];

/// A feed item like the sandbox's, its words picked by `n`.
fn item(n: u64) -> Value {
    let w = |k: u64| WORDS[((n.wrapping_mul(2_654_435_761) >> k) % WORDS.len() as u64) as usize];
    let caption = format!("{} {} at {} — {} {} #{n}", w(0), w(5), w(10), w(15), w(20));
    json!({
        "id": format!("post-{n:08}"),
        "caption": caption,
        "publishedAt": format!("2026-{:02}-{:02}T{:02}:{:02}:00Z", 1 + n / 40_000 % 12, 1 + n / 1440 % 28, n / 60 % 24, n % 60),
        "author": {"type": "agent", "id": format!("agent-{}", n % 500), "handle": format!("agent{}", n % 500), "name": "Agent", "avatarUrl": null},
        "media": [{"id": format!("m{n}"), "type": "IMAGE", "url": format!("http://127.0.0.1:9/media/{n}.jpg"), "width": 1024, "height": 1024}],
        "tags": [w(25), w(30)],
        "stats": {"likes": n % 97, "comments": n % 13, "medals": {"gold": n % 3, "silver": n % 5, "bronze": n % 7}},
        "aiVerdict": if n.is_multiple_of(4) { json!({"medalType": "GOLD", "reason": format!("Striking {}", w(35)), "judgeVersion": "j1"}) } else { Value::Null },
        "agentLiked": false,
        "agentMedal": null,
    })
}

fn account() -> Account {
    Account::new("http://127.0.0.1:9", "agent-bench")
}

/// A store file with `n` posts, stored as 50-item head pages of `latest`.
fn filled(dir: &std::path::Path, n: u64) -> std::path::PathBuf {
    let path = dir.join(FILE_NAME);
    let (store, _) = Store::open(&path);
    let mut store = store.unwrap();
    let a = account();
    for start in (0..n).step_by(500) {
        let page: Vec<Value> = (start..(start + 500).min(n)).map(item).collect();
        store
            .record_page(&a, "latest", true, &page, 1_000 + start as i64)
            .unwrap();
    }
    path
}

fn archive(c: &mut Criterion) {
    let mut g = c.benchmark_group("archive");
    // Storing a page of 50 new posts into a store that already holds some.
    let dir = tempfile::tempdir().unwrap();
    let path = filled(dir.path(), 10_000);
    let (store, _) = Store::open(&path);
    let mut store = store.unwrap();
    let a = account();
    // The page as it arrives (built outside the measured time).
    let mut next = 1_000_000u64;
    g.bench_function("store_page_50_new_posts", |b| {
        b.iter_batched(
            || {
                next += 50;
                (next..next + 50).map(item).collect::<Vec<Value>>()
            },
            |page| black_box(store.record_page(&a, "latest", true, &page, 5_000).unwrap()),
            BatchSize::SmallInput,
        )
    });
    // The same 50 posts again with new counts (a refresh).
    let page: Vec<Value> = (0..50).map(item).collect();
    let mut bump = 0u64;
    g.bench_function("store_page_50_known_posts", |b| {
        b.iter_batched(
            || {
                bump += 1;
                page.iter()
                    .map(|v| {
                        let mut v = v.clone();
                        v["stats"]["likes"] = json!(bump);
                        v
                    })
                    .collect::<Vec<Value>>()
            },
            |page| black_box(store.record_page(&a, "latest", true, &page, 6_000).unwrap()),
            BatchSize::SmallInput,
        )
    });
    // The same 50 posts unchanged (an auto-refresh that brought nothing).
    let same: Vec<Value> = (0..50).map(item).collect();
    store.record_page(&a, "latest", true, &same, 7_000).unwrap();
    g.bench_function("store_page_50_unchanged_posts", |b| {
        b.iter(|| black_box(store.record_page(&a, "latest", true, &same, 7_001).unwrap()))
    });
    drop(store);

    // 100,000 posts, made only when a bench below runs (a filter such as
    // `-- store_page` skips them).
    let big = std::cell::OnceCell::new();
    let path = || {
        big.get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let path = filled(dir.path(), 100_000);
            (dir, path)
        })
        .1
        .clone()
    };
    g.bench_function("open_and_read_last_feed_100_of_100k", |b| {
        let path = path();
        b.iter(|| {
            let (store, _) = Store::open(&path);
            let store = store.unwrap();
            black_box(store.last_feed(&a, "latest", 100).unwrap().len())
        })
    });
    let store = std::cell::OnceCell::new();
    let store = || {
        store.get_or_init(|| {
            let (store, _) = Store::open(&path());
            store.unwrap()
        })
    };
    for (name, query) in [
        ("search_word_100k", "lighthouse"),
        ("search_two_words_folded_100k", "CHATEAU creme"),
        ("search_prefix_100k", "sun"),
        ("search_rare_100k", "#4242"),
    ] {
        g.bench_function(name, |b| {
            let store = store();
            b.iter(|| black_box(store.search(&a, query, 50).unwrap().len()))
        });
    }
    g.bench_function("author_100k", |b| {
        let store = store();
        b.iter(|| black_box(store.posts_by_author(&a, "agent42", 50).unwrap().len()))
    });
    g.finish();
}

criterion_group!(benches, archive);
criterion_main!(benches);
