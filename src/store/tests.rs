//! The store on real files in a temporary directory: schema versions,
//! accounts, drafts per row, damaged and unusable files.

use super::*;
use std::os::unix::fs::PermissionsExt;

fn account(agent: &str) -> Account {
    Account::new("http://127.0.0.1:9", agent)
}

fn drafts(pairs: &[(&str, &str)], open: Option<&str>) -> Drafts {
    let map = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Drafts::from_map(&map, open)
}

fn open_ok(path: &Path) -> Store {
    let (store, notice) = Store::open(path);
    assert_eq!(notice, None);
    store.unwrap()
}

#[test]
fn a_new_store_is_private_and_at_the_current_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data/aispace-tui").join(FILE_NAME);
    let store = open_ok(&path);
    assert_eq!(store.version().unwrap(), schema_version());
    assert_eq!(store.location(), &Location::File(path.clone()));
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    let journal: String = store
        .conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "wal");
}

/// A store left at every earlier schema version (0 = an empty file, as
/// made by a start that stopped before its first migration) opens, reaches
/// the current version, and keeps what the earlier version held.
#[test]
fn every_earlier_version_migrates() {
    for from in 0..schema_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        {
            let mut conn = Connection::open(&path).unwrap();
            for (i, step) in MIGRATIONS.iter().enumerate().take(from as usize) {
                let tx = conn.transaction().unwrap();
                tx.execute_batch(step).unwrap();
                tx.pragma_update(None, "user_version", i + 1).unwrap();
                tx.commit().unwrap();
            }
            if from >= 1 {
                conn.execute(
                    "INSERT INTO drafts (base_url, agent_id, post_id, body, open, updated_at)
                     VALUES ('http://127.0.0.1:9', 'a', 'p1', 'kept text', 1, 0)",
                    [],
                )
                .unwrap();
            }
            if from >= 2 {
                // A post stored by schema 2: still found once the index
                // is rebuilt.
                conn.execute(
                    "INSERT INTO posts (base_url, agent_id, post_id, raw, author, caption, tags,
                                        reason, published_ms, likes, medals, comments, verdict,
                                        first_seen, last_seen)
                     VALUES ('http://127.0.0.1:9', 'a', 'p0', '{}', 'bob', 'Older château',
                             '', '', 0, 0, 0, 0, NULL, 1, 1)",
                    [],
                )
                .unwrap();
            }
        }
        let mut store = open_ok(&path);
        assert_eq!(store.version().unwrap(), schema_version(), "from {from}");
        let d = store.drafts(&account("a")).unwrap();
        if from >= 1 {
            assert_eq!(d, drafts(&[("p1", "kept text")], Some("p1")), "from {from}");
        } else {
            assert!(d.is_empty());
        }
        // The archive of version 2 works on a migrated store, and pruning
        // can give space back (incremental vacuum turned on).
        let post = serde_json::json!({
            "id": "p1", "caption": "Migrated café", "publishedAt": "2026-12-01T10:00:00Z",
            "author": {"handle": "ana"}, "stats": {"likes": 1}
        });
        let a = account("a");
        store.record_page(&a, "latest", true, &[post], 1).unwrap();
        assert_eq!(
            store.search(&a, "cafe", 10).unwrap().len(),
            1,
            "from {from}"
        );
        let older = store.search(&a, "chateau", 10).unwrap().len();
        assert_eq!(older, usize::from(from >= 2), "from {from}");
        assert_eq!(store.last_feed(&a, "latest", 10).unwrap().len(), 1);
        // Mutes (schema 4) are kept on a migrated store.
        let m = Mute::new(MuteKind::Tag, "#Neon", "", 7);
        store.put_mute(&a, &m).unwrap();
        assert_eq!(store.mutes(&a).unwrap(), [m], "from {from}");
        let vacuum: i64 = store
            .conn
            .pragma_query_value(None, "auto_vacuum", |r| r.get(0))
            .unwrap();
        assert_eq!(vacuum, 2, "incremental, from {from}");
        // Opening again changes nothing.
        drop(store);
        assert_eq!(open_ok(&path).version().unwrap(), schema_version());
    }
}

#[test]
fn a_store_from_a_newer_build_is_left_alone_and_memory_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", schema_version() + 1)
            .unwrap();
    }
    let (store, notice) = Store::open(&path);
    assert_eq!(store.unwrap().location(), &Location::Memory);
    let notice = notice.unwrap();
    assert!(notice.contains("newer aispace-tui"), "{notice}");
    assert!(notice.contains("in memory"), "{notice}");
    // Untouched: still there, still at its version.
    let conn = Connection::open(&path).unwrap();
    let v: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(v, schema_version() + 1);
}

#[test]
fn accounts_are_remembered_by_base_url_and_key_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_ok(&dir.path().join(FILE_NAME));
    let base = "http://127.0.0.1:9";
    assert_eq!(store.find_account(base, "pfx_a").unwrap(), None);
    store.remember_account(base, "pfx_a", "agent_a").unwrap();
    store.remember_account(base, "pfx_b", "agent_b").unwrap();
    assert_eq!(
        store.find_account(base, "pfx_a").unwrap(),
        Some(account("agent_a"))
    );
    assert_eq!(
        store.find_account("http://127.0.0.1:10", "pfx_a").unwrap(),
        None
    );
    // Nothing but the prefix of a key is stored.
    let n: i64 = store
        .conn
        .query_row(
            "SELECT count(*) FROM accounts WHERE key_prefix LIKE '%.%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 0);
}

#[test]
fn drafts_are_rows_per_account_and_post() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    let mut one = open_ok(&path);
    let mut two = open_ok(&path);
    let a = account("a");
    // Two connections (two instances) each write their own post.
    one.write_drafts(
        &a,
        &Drafts::new(),
        &drafts(&[("p1", "from one")], Some("p1")),
    )
    .unwrap();
    two.write_drafts(&a, &Drafts::new(), &drafts(&[("p2", "from two")], None))
        .unwrap();
    assert_eq!(
        one.drafts(&a).unwrap(),
        drafts(&[("p1", "from one"), ("p2", "from two")], Some("p1"))
    );
    // Another agent sees none of them.
    assert!(two.drafts(&account("b")).unwrap().is_empty());
    // Removing only touches the rows this writer knew.
    one.write_drafts(
        &a,
        &drafts(&[("p1", "from one")], Some("p1")),
        &Drafts::new(),
    )
    .unwrap();
    assert_eq!(two.drafts(&a).unwrap(), drafts(&[("p2", "from two")], None));
}

#[test]
fn the_old_drafts_file_is_imported_once_into_the_first_account() {
    let dir = tempfile::tempdir().unwrap();
    let legacy = dir.path().join("drafts.json");
    let content = r#"{"version": 1, "drafts": {"p1": "old text"}, "open": "p1"}"#;
    std::fs::write(&legacy, content).unwrap();
    let mut store = open_ok(&dir.path().join(FILE_NAME));
    let (n, warning) = store.import_legacy_drafts(&account("a"), &legacy).unwrap();
    assert_eq!((n, warning), (1, None));
    assert_eq!(
        store.drafts(&account("a")).unwrap(),
        drafts(&[("p1", "old text")], Some("p1"))
    );
    // Never again, for no account; the file is left as it was.
    assert_eq!(
        store
            .import_legacy_drafts(&account("b"), &legacy)
            .unwrap()
            .0,
        0
    );
    assert!(store.drafts(&account("b")).unwrap().is_empty());
    assert_eq!(std::fs::read_to_string(&legacy).unwrap(), content);
}

/// A damaged store is moved aside under a time-stamped name; a second one
/// damaged within the same second gets its own name, so neither is lost.
#[test]
fn damaged_stores_are_moved_aside_without_overwriting() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    let mut moved = Vec::new();
    for garbage in ["first damaged store", "second damaged store"] {
        std::fs::write(&path, garbage.repeat(300)).unwrap();
        let (store, notice) = Store::open(&path);
        let store = store.unwrap();
        assert_eq!(store.location(), &Location::File(path.clone()));
        assert_eq!(store.version().unwrap(), schema_version());
        let notice = notice.unwrap();
        assert!(notice.contains("moved to"), "{notice}");
        let aside: Vec<PathBuf> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().contains(".damaged-") && !moved.contains(p))
            .filter(|p| {
                !p.to_string_lossy().ends_with("-wal") && !p.to_string_lossy().ends_with("-shm")
            })
            .collect();
        assert_eq!(aside.len(), 1, "{aside:?}");
        assert!(notice.contains(&*aside[0].to_string_lossy()), "{notice}");
        assert_eq!(
            std::fs::read_to_string(&aside[0]).unwrap(),
            garbage.repeat(300)
        );
        moved.push(aside[0].clone());
    }
    // The first one is still there, unchanged.
    assert_eq!(
        std::fs::read_to_string(&moved[0]).unwrap(),
        "first damaged store".repeat(300)
    );
}

#[test]
fn an_unusable_directory_gives_a_memory_store_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the directory should be: fails even for root.
    let blocker = dir.path().join("data");
    std::fs::write(&blocker, "not a directory").unwrap();
    let path = blocker.join("aispace-tui").join(FILE_NAME);
    let (store, notice) = Store::open(&path);
    let mut store = store.unwrap();
    assert_eq!(store.location(), &Location::Memory);
    let notice = notice.unwrap();
    assert!(notice.contains("in memory only"), "{notice}");
    assert!(notice.contains("data/aispace-tui"), "{notice}");
    // It works, for the life of the process.
    let a = account("a");
    store
        .write_drafts(&a, &Drafts::new(), &drafts(&[("p", "t")], None))
        .unwrap();
    assert_eq!(store.drafts(&a).unwrap().get("p"), Some("t"));
}

#[test]
fn the_handle_saves_only_changed_rows_in_the_background() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    let (h1, _) = StoreHandle::open(&path);
    let (h2, _) = StoreHandle::open(&path);
    let a = account("a");
    assert!(h1.load_drafts(&a, None).0.is_empty());
    assert!(h2.load_drafts(&a, None).0.is_empty());
    let (tx, rx) = std::sync::mpsc::channel();
    h1.save_drafts(&a, drafts(&[("p1", "one")], None), move |r| {
        tx.send(r).unwrap()
    });
    rx.recv().unwrap().unwrap();
    h2.save_drafts_wait(&a, drafts(&[("p2", "two")], None), writer::WAIT)
        .unwrap();
    // h1 saving its unchanged drafts again does not remove p2.
    h1.save_drafts_wait(&a, drafts(&[("p1", "one")], None), writer::WAIT)
        .unwrap();
    let (h3, _) = StoreHandle::open(&path);
    assert_eq!(
        h3.load_drafts(&a, None).0,
        drafts(&[("p1", "one"), ("p2", "two")], None)
    );
    assert_eq!(h3.path(), Some(path.clone()));
    h3.remember_account(&a, "pfx");
    assert_eq!(h3.find_account(&a.base_url, "pfx"), Some(a.clone()));
    // Closed by every instance: the write-ahead log is folded back in.
    for h in [&h1, &h2, &h3] {
        h.close();
    }
    assert!(!dir.path().join(format!("{FILE_NAME}-wal")).exists());
    let (h4, _) = StoreHandle::open(&path);
    assert_eq!(h4.load_drafts(&a, None).0.len(), 2);
    h4.close();
    // A closed handle answers with an error, never a hang.
    assert!(h4
        .save_drafts_wait(&a, Drafts::new(), writer::WAIT)
        .is_err());
}

#[test]
fn a_stand_in_account_hands_its_rows_to_the_agent() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = open_ok(&dir.path().join(FILE_NAME));
    let stand_in = Account::unconnected("http://127.0.0.1:9", "ais_abc");
    let real = Account::new("http://127.0.0.1:9", "agent-1");
    assert!(stand_in.is_stand_in() && !real.is_stand_in());
    s.write_drafts(
        &real,
        &Drafts::new(),
        &drafts(&[("p1", "old"), ("p2", "kept")], None),
    )
    .unwrap();
    s.write_drafts(
        &stand_in,
        &Drafts::new(),
        &drafts(&[("p1", "newer")], Some("p1")),
    )
    .unwrap();
    let post = serde_json::json!({"id": "p9", "publishedAt": "2026-12-01T10:00:00Z",
        "author": {"handle": "ana"}, "stats": {"likes": 1}});
    s.record_page(&stand_in, "latest", true, std::slice::from_ref(&post), 1)
        .unwrap();
    s.record_page(&real, "latest", true, &[post], 1).unwrap();
    let act = Action {
        at: 5,
        post_id: "p9".into(),
        kind: ActionKind::Like,
        detail: "liked".into(),
        outcome: Outcome::Accepted,
    };
    s.record_action(&stand_in, &act).unwrap();
    let queued = |medal: crate::api::Medal, at| Queued {
        post_id: "p9".into(),
        medal,
        author: "ana".into(),
        queued_at: at,
    };
    let gold = queued(crate::api::Medal::Gold, 1);
    let bronze = queued(crate::api::Medal::Bronze, 2);
    s.change_outbox(&real, &[OutboxChange::Put(gold)]).unwrap();
    s.change_outbox(&stand_in, &[OutboxChange::Put(bronze.clone())])
        .unwrap();

    s.adopt(&stand_in, &real).unwrap();
    assert_eq!(
        s.outbox(&real).unwrap(),
        [bronze],
        "the decision made as the stand-in wins"
    );
    assert!(s.outbox(&stand_in).unwrap().is_empty());
    assert_eq!(
        s.drafts(&real).unwrap(),
        drafts(&[("p1", "newer"), ("p2", "kept")], Some("p1")),
        "the draft typed as the stand-in wins"
    );
    assert!(s.drafts(&stand_in).unwrap().is_empty());
    assert_eq!(s.history(&real, 10).unwrap(), [act]);
    assert!(s.history(&stand_in, 10).unwrap().is_empty());
    assert!(s.post(&real, "p9").unwrap().is_some());
    assert!(s.post(&stand_in, "p9").unwrap().is_none());
    assert!(s.last_feed(&stand_in, "latest", 10).unwrap().is_empty());
}

#[test]
fn an_idle_checkpoint_folds_a_grown_log_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    let mut s = open_ok(&path);
    let wal = dir.path().join(format!("{FILE_NAME}-wal"));
    let big = "x".repeat(64 * 1024);
    let a = account("a");
    let mut before = Drafts::new();
    for i in 0..80 {
        let after = drafts(&[(&format!("p{i}"), &big)], None);
        s.write_drafts(&a, &before, &after).unwrap();
        before = after;
    }
    let grown = std::fs::metadata(&wal).unwrap().len();
    assert!(
        grown >= WAL_CHECKPOINT_BYTES,
        "no automatic checkpoint: {grown}"
    );
    s.checkpoint_if_due();
    // The log is reused from its start: the next write does not grow it.
    s.write_drafts(&a, &before, &drafts(&[("q", "small")], None))
        .unwrap();
    assert_eq!(std::fs::metadata(&wal).unwrap().len(), grown);
    assert_eq!(s.drafts(&a).unwrap(), drafts(&[("q", "small")], None));
}
