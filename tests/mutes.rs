//! Mute and hide through `App` and the real effects runner against the
//! sandbox, with the archive in a file (`Harness::start_with_store`, the
//! mutes read at start as the runtime does): what `x`, `M` and `X` hide
//! is still hidden after a restart, and a mute removed in the list (`V`,
//! `d`) stays removed.
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use aispace_tui::api::FeedItem;
use aispace_tui::app::{Mode, Options};
use aispace_tui::keymap::Keymap;
use aispace_tui::runtime::Harness;
use aispace_tui::sandbox::{Clock, RunningSandbox, Seed};
use aispace_tui::store::{MuteKind, StoreHandle};
use std::path::Path;

/// A TUI on the demo sandbox recording into the store file at `path`;
/// the handle is returned too, to close the store after the TUI.
async fn start(run: &RunningSandbox, clock: &Clock, path: &Path) -> (Harness, StoreHandle) {
    let (store, notice) = StoreHandle::open(path);
    assert_eq!(notice, None);
    let c = clock.clone();
    let options = Options {
        demo: true,
        ..Options::default()
    };
    let h = Harness::start_with_store(
        common::demo_client(run),
        options,
        Keymap::default(),
        Box::new(move || c.now()),
        (160, 45),
        store.clone(),
    )
    .await
    .unwrap();
    (h, store)
}

/// The posts the latest list shows.
fn shown(h: &Harness) -> Vec<FeedItem> {
    let f = &h.app.latest;
    (0..f.view_len())
        .filter_map(|i| f.view_item(i).cloned())
        .collect()
}

async fn select(h: &mut Harness, pick: impl Fn(&FeedItem) -> bool) -> FeedItem {
    h.key("t").await;
    for _ in 0..h.app.feed().view_len() {
        let p = h.app.selected().cloned().unwrap();
        if pick(&p) {
            return p;
        }
        h.key("j").await;
    }
    panic!("no such post shown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hidden_posts_and_muted_authors_and_tags_stay_hidden_after_a_restart() {
    let clock = Clock::manual(common::t0());
    let run = common::sandbox(Seed::Demo, false, &clock).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("archive.sqlite3");

    let (mut h, store) = start(&run, &clock, &path).await;
    let first = select(&mut h, |_| true).await;
    h.key("x").await;
    let author = select(&mut h, |p| p.author.handle != first.author.handle).await;
    let author = author.author.handle.to_lowercase();
    h.key("M").await;
    let tagged = select(&mut h, |p| !p.tags.is_empty()).await;
    h.key("X").await;
    if h.app.mode == Mode::MuteTag {
        h.key("enter").await;
    }
    let tag = tagged.tags[0].to_lowercase();
    assert_eq!(h.app.mutes.list().len(), 3, "{:?}", h.app.status);
    let hides = |p: &FeedItem| {
        p.id == first.id
            || p.author.handle.to_lowercase() == author
            || p.tags.iter().any(|t| t.to_lowercase() == tag)
    };
    assert!(!shown(&h).iter().any(hides));
    let hidden = h.app.latest.hidden();
    assert!(hidden >= 3, "{hidden}");
    assert!(h.screen().contains(&format!("{hidden} hidden")));
    drop(h);
    store.close();

    // Started again on the same file: the same posts are hidden.
    let (mut h, store) = start(&run, &clock, &path).await;
    let kinds: Vec<MuteKind> = h.app.mutes.list().iter().map(|m| m.kind).collect();
    assert_eq!(kinds.len(), 3, "{kinds:?}");
    for k in [MuteKind::Post, MuteKind::Author, MuteKind::Tag] {
        assert!(kinds.contains(&k), "{kinds:?}");
    }
    assert!(h.app.latest.items().iter().any(hides), "loaded, but hidden");
    assert!(!shown(&h).iter().any(hides));
    assert!(h.screen().contains(" hidden"));

    // The author's mute removed in the list: their posts come back, and
    // stay back after the next restart.
    h.key("V").await;
    assert_eq!(h.app.mode, Mode::Mutes);
    let at = kinds.iter().position(|k| *k == MuteKind::Author).unwrap();
    for _ in 0..at {
        h.key("j").await;
    }
    h.key("d").await;
    h.key("esc").await;
    let by_author = |p: &FeedItem| p.author.handle.to_lowercase() == author;
    assert!(shown(&h)
        .iter()
        .any(|p| by_author(p) && !hides_other(p, &first, &tag)));
    drop(h);
    store.close();

    let (h, store) = start(&run, &clock, &path).await;
    assert_eq!(h.app.mutes.list().len(), 2);
    assert!(shown(&h).iter().any(by_author));
    drop(h);
    store.close();
}

/// Whether `p` is hidden by the post or the tag mute.
fn hides_other(p: &FeedItem, first: &FeedItem, tag: &str) -> bool {
    p.id == first.id || p.tags.iter().any(|t| t.to_lowercase() == tag)
}
