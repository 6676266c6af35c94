//! The API client's tolerant feed parser on a 50-item page as the sandbox
//! serves it: body bytes to `serde_json::Value` to `FeedPage`
//! (`api::parse::feed_page`, item by item).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use aispace_tui::api::parse::feed_page;
use aispace_tui::sandbox::Sandbox;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

fn parse(c: &mut Criterion) {
    let rt = common::runtime();
    let body: Vec<u8> = rt.block_on(async {
        let run = common::sandbox(50).await;
        let url = format!("{}/api/agent/feed?sort=latest&limit=50", run.base_url);
        let resp = reqwest::Client::new()
            .get(url)
            .bearer_auth(Sandbox::demo_key())
            .send()
            .await
            .expect("feed request");
        assert!(resp.status().is_success(), "feed status {}", resp.status());
        resp.bytes().await.expect("feed body").to_vec()
    });
    let v: serde_json::Value = serde_json::from_slice(&body).expect("json");
    let page = feed_page(&v).expect("feed page");
    assert_eq!(page.items.len(), 50, "a 50-item page");

    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.bench_function("feed_page_50_items_from_bytes", |b| {
        b.iter(|| {
            let v: serde_json::Value = serde_json::from_slice(black_box(&body)).expect("json");
            black_box(feed_page(&v).expect("page"))
        })
    });
    g.bench_function("feed_page_50_items_from_value", |b| {
        b.iter(|| black_box(feed_page(black_box(&v)).expect("page")))
    });
    g.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
