//! The triage queue against the sandbox (real HTTP, the sandbox's medal
//! window of 10 per 60 s, a store file): 15 decisions in a minute send
//! 10, the other 5 wait in the outbox, survive a quit and a restart, and
//! go out when the window frees.
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use aispace_tui::api::{Client, Medal, Sort};
use aispace_tui::app::{Mode, Options};
use aispace_tui::keymap::Keymap;
use aispace_tui::runtime::Harness;
use aispace_tui::sandbox::{Clock, Seed};
use aispace_tui::store::{Account, StoreHandle};
use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

async fn start(run: &aispace_tui::sandbox::RunningSandbox, clock: &Clock, path: &Path) -> Harness {
    let (store, warning) = StoreHandle::open(path);
    assert_eq!(warning, None);
    let c = clock.clone();
    Harness::start_with_store(
        common::demo_client(run),
        Options {
            demo: true,
            ..Options::default()
        },
        Keymap::default(),
        Box::new(move || c.now()),
        (160, 45),
        store,
    )
    .await
    .unwrap()
}

/// The demo agent's medal on each post of the latest feed, as the server
/// has it.
async fn medals_on_server(client: &Client) -> HashMap<String, Medal> {
    let mut out = HashMap::new();
    let mut cursor: Option<String> = None;
    for _ in 0..20 {
        let page = client
            .feed(&Sort::Latest, Some(50), cursor.as_deref())
            .await
            .unwrap();
        for p in &page.items {
            if let Some(m) = &p.agent_medal {
                out.insert(p.id.clone(), m.clone());
            }
        }
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    out
}

#[tokio::test]
async fn fifteen_decisions_send_ten_and_the_outbox_sends_five_after_a_restart() {
    let clock = Clock::manual(common::t0());
    let run = common::sandbox(Seed::Demo, false, &clock).await;
    let client = common::demo_client(&run);
    let before = medals_on_server(&client).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("archive.sqlite3");

    let mut h = start(&run, &clock, &path).await;
    h.key("T").await;
    assert_eq!(h.app.mode, Mode::Triage);
    let medals = [Medal::Gold, Medal::Silver, Medal::Bronze];
    let mut decided = Vec::new();
    for i in 0..15 {
        let id = h.app.triage.as_ref().unwrap().current.clone().unwrap();
        assert!(!before.contains_key(&id), "{id} was medalled already");
        decided.push((id, medals[i % 3].clone()));
        h.key(["g", "s", "b"][i % 3]).await;
        // Fifteen decisions in half a minute.
        clock.advance(Duration::from_secs(2));
    }
    let on_server = medals_on_server(&client).await;
    let sent: Vec<_> = decided
        .iter()
        .filter(|(id, m)| on_server.get(id) == Some(m))
        .collect();
    assert_eq!(sent.len(), 10, "the window holds ten");
    assert_eq!(
        &decided[..10],
        sent.into_iter().cloned().collect::<Vec<_>>()
    );
    assert_eq!(h.app.outbox.waiting(), 5);
    let screen = h.screen();
    assert!(screen.contains("outbox 5"), "{screen}");

    // Quit (leaving the triage first) and start again from the file.
    h.keys(&["esc", "q"]).await;
    let status = h
        .app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(
        status.starts_with("5 medals still wait in the outbox"),
        "the first q says so: {status}"
    );
    h.key("q").await;
    assert!(h.app.should_quit);
    drop(h);
    let (store, _) = StoreHandle::open(&path);
    let me = client.me().await.unwrap();
    let account = Account::new(client.base_url(), &me.agent_id);
    let kept = store.outbox_wait(&account, Duration::from_secs(5)).unwrap();
    let ids: Vec<_> = kept
        .iter()
        .map(|q| (q.post_id.clone(), q.medal.clone()))
        .collect();
    assert_eq!(ids, decided[10..], "the five waiting are kept in the store");
    store.close();

    let mut h = start(&run, &clock, &path).await;
    assert_eq!(h.app.outbox.waiting(), 5, "back after the restart");
    let status = h
        .app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(
        status.starts_with("5 medals decided in the triage queue still wait"),
        "{status}"
    );
    assert_eq!(
        medals_on_server(&client).await.len(),
        before.len() + 10,
        "nothing more while the window is full"
    );
    // The window frees a minute after the first medal.
    clock.advance(Duration::from_secs(61));
    h.tick().await;
    let on_server = medals_on_server(&client).await;
    for (id, m) in &decided {
        assert_eq!(on_server.get(id), Some(m), "{id}");
    }
    assert_eq!(on_server.len(), before.len() + 15, "each sent once");
    assert!(h.app.outbox.is_empty());
    let me = client.me().await.unwrap();
    assert_eq!(me.quotas.medals.used, 5, "five in the last minute");
}
