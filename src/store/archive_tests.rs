//! The archive on real files: posts as received with their timeline, the
//! kept feed rows, search, authors, actions, pruning and the totals.

use super::*;
use serde_json::{json, Value};

const BASE: &str = "http://127.0.0.1:9";
const DAY: i64 = 86_400_000;

fn account(agent: &str) -> Account {
    Account::new(BASE, agent)
}

fn open(dir: &tempfile::TempDir) -> Store {
    let (store, notice) = Store::open(&dir.path().join(FILE_NAME));
    assert_eq!(notice, None);
    store.unwrap()
}

/// A feed item as the sandbox sends it (minute `n` of 2026-12-01).
fn item(id: &str, author: &str, caption: &str, likes: u64) -> Value {
    json!({
        "id": id,
        "caption": caption,
        "publishedAt": format!("2026-12-01T10:{:02}:00Z", id.len() % 60),
        "author": {"type": "agent", "id": format!("a-{author}"), "handle": author, "name": author},
        "media": [],
        "tags": ["aiart", "Nuit"],
        "stats": {"likes": likes, "comments": 0, "medals": {"gold": 0, "silver": 0, "bronze": 0}},
        "aiVerdict": null,
        "agentLiked": false,
        "agentMedal": null,
        "extraField": "kept as received",
    })
}

fn at(id: &str, minute: u32) -> Value {
    let mut v = item(id, "zed", "x", 0);
    v["publishedAt"] = json!(format!("2026-12-01T10:{minute:02}:00Z"));
    v
}

fn ids(rows: &[PostRow]) -> Vec<&str> {
    rows.iter().map(|r| r.post_id.as_str()).collect()
}

#[test]
fn a_page_is_stored_as_received_with_a_timeline_row_only_on_change() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = open(&dir);
    let a = account("me");
    let first = vec![item("p1", "ana", "Sunset", 1), json!({"id": ""}), json!(7)];
    assert_eq!(s.record_page(&a, "latest", true, &first, 1000).unwrap(), 1);
    // The same post a second later: nothing written (last seen is kept to
    // the minute); a minute later its last seen moves; no timeline row.
    s.record_page(&a, "latest", true, &[item("p1", "ana", "Sunset", 1)], 2000)
        .unwrap();
    assert_eq!(s.last_feed(&a, "latest", 1).unwrap()[0].last_seen, 1000);
    let later = 1000 + SEEN_STEP_MS;
    s.record_page(&a, "latest", true, &[item("p1", "ana", "Sunset", 1)], later)
        .unwrap();
    assert_eq!(s.last_feed(&a, "latest", 1).unwrap()[0].last_seen, later);
    // A like and a verdict: one row.
    let mut judged = item("p1", "ana", "Sunset", 2);
    judged["aiVerdict"] = json!({"medalType": "GOLD", "reason": "Luminous"});
    let judged_at = later + 1000;
    s.record_page(&a, "latest", true, &[judged.clone()], judged_at)
        .unwrap();
    let rows = s.last_feed(&a, "latest", 10).unwrap();
    assert_eq!(ids(&rows), ["p1"]);
    assert_eq!(rows[0].raw, judged, "the JSON exactly as received");
    assert_eq!((rows[0].first_seen, rows[0].last_seen), (1000, judged_at));
    let t = s.timeline(&a, "p1").unwrap();
    assert_eq!(
        t.iter()
            .map(|r| (r.at, r.likes, r.verdict.clone()))
            .collect::<Vec<_>>(),
        [(1000, 1, None), (judged_at, 2, Some("GOLD".to_string()))]
    );
    // The verdict's reason is searchable once it came.
    assert_eq!(ids(&s.search(&a, "luminous", 10).unwrap()), ["p1"]);
    // Another account sees none of it.
    assert!(s
        .last_feed(&account("other"), "latest", 10)
        .unwrap()
        .is_empty());
    assert!(s
        .search(&account("other"), "sunset", 10)
        .unwrap()
        .is_empty());
}

#[test]
fn the_kept_feed_puts_head_pages_on_top_and_later_pages_below() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = open(&dir);
    let a = account("me");
    s.record_page(&a, "rising", true, &[at("b", 1), at("c", 2)], 1)
        .unwrap();
    s.record_page(&a, "rising", false, &[at("d", 3)], 2)
        .unwrap();
    // A refresh: its head goes on top, a post it repeats moves up.
    s.record_page(&a, "rising", true, &[at("a", 4), at("c", 2)], 3)
        .unwrap();
    assert_eq!(
        ids(&s.last_feed(&a, "rising", 10).unwrap()),
        ["a", "c", "b", "d"]
    );
    assert_eq!(ids(&s.last_feed(&a, "rising", 2).unwrap()), ["a", "c"]);
    // `latest` is newest published first, whatever the pages' order.
    s.record_page(&a, "latest", true, &[at("b", 1), at("d", 3)], 4)
        .unwrap();
    s.record_page(&a, "latest", false, &[at("a", 4)], 5)
        .unwrap();
    assert_eq!(
        ids(&s.last_feed(&a, "latest", 10).unwrap()),
        ["a", "d", "b"]
    );
    // The rows parse as a feed page with the app's own parser.
    let page = PostRow::page(&s.last_feed(&a, "latest", 10).unwrap());
    assert_eq!(page.items.len(), 3);
    assert_eq!(page.items[0].id, "a");
    assert_eq!(page.skipped, 0);
}

#[test]
fn the_kept_feed_is_cut_to_its_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = open(&dir);
    let a = account("me");
    let n = usize::try_from(FEED_ROWS_KEPT).unwrap() + 10;
    let page: Vec<Value> = (0..n).map(|i| at(&format!("p{i}"), 1)).collect();
    s.record_page(&a, "rising", true, &page, 1).unwrap();
    let rows = s.last_feed(&a, "rising", usize::MAX).unwrap();
    assert_eq!(rows.len(), n - 10);
    assert_eq!(rows[0].post_id, "p0", "the top is kept");
    // The posts themselves stay searchable.
    assert_eq!(s.stats(Some(&a)).unwrap().posts, n as u64);
}

#[test]
fn search_folds_case_and_accents_takes_prefixes_and_ignores_syntax() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = open(&dir);
    let a = account("me");
    let page = [
        item("p1", "ana", "Café au lait at NIGHT", 0),
        item("p2", "bob", "Crème brûlée", 0),
        item("p3", "Cléo", "nothing here", 0),
    ];
    s.record_page(&a, "latest", true, &page, 1).unwrap();
    let found = |q: &str| {
        let mut v: Vec<String> = s
            .search(&a, q, 10)
            .unwrap()
            .into_iter()
            .map(|r| r.post_id)
            .collect();
        v.sort();
        v
    };
    assert_eq!(found("cafe"), ["p1"]);
    assert_eq!(found("CAF"), ["p1"], "a prefix");
    assert_eq!(found("creme brulee"), ["p2"]);
    assert_eq!(found("night café"), ["p1"], "every word, any order");
    assert_eq!(found("cafe creme"), Vec::<String>::new());
    assert_eq!(found("cleo"), ["p3"], "the author");
    assert_eq!(found("nuit"), ["p1", "p2", "p3"], "the tags");
    // FTS5 syntax is text here, never an error.
    assert_eq!(found("\"café\" (night* ^au:"), ["p1"]);
    assert_eq!(found("  ...  "), Vec::<String>::new());
}

#[test]
fn text_without_spaces_is_found_in_the_middle_of_a_run() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = open(&dir);
    let a = account("me");
    let page = [
        item("p1", "ana", "夜の東京、雨のネオン 🌃", 0),
        item("p2", "bob", "山水之间，一叶扁舟", 0),
        item("p3", "cy", "한국어 캡션도 잘 보이나요?", 0),
    ];
    s.record_page(&a, "latest", true, &page, 1).unwrap();
    let found = |q: &str| -> Vec<String> {
        s.search(&a, q, 10)
            .unwrap()
            .into_iter()
            .map(|r| r.post_id)
            .collect()
    };
    assert_eq!(found("東京"), ["p1"], "inside 夜の東京");
    assert_eq!(found("ネオン 雨"), ["p1"], "every word");
    assert_eq!(found("一叶"), ["p2"]);
    assert_eq!(found("캡션"), ["p3"], "inside 캡션도");
    assert_eq!(found("東京 bob"), Vec::<String>::new());
    assert!(s.search(&account("other"), "東京", 10).unwrap().is_empty());
}

#[test]
fn posts_by_author_ignore_case_and_the_at_sign_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = open(&dir);
    let a = account("me");
    let mut old = item("p1", "Ana", "one", 0);
    old["publishedAt"] = json!("2026-11-30T10:00:00Z");
    let new = item("p2", "Ana", "two", 0);
    s.record_page(
        &a,
        "latest",
        true,
        &[old, new, item("p3", "bob", "x", 0)],
        1,
    )
    .unwrap();
    assert_eq!(
        ids(&s.posts_by_author(&a, "@ana", 10).unwrap()),
        ["p2", "p1"]
    );
    assert!(s.posts_by_author(&a, "an", 10).unwrap().is_empty());
}

#[test]
fn actions_are_kept_per_account_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let s = open(&dir);
    let a = account("me");
    let act = |at, kind, detail: &str, outcome| Action {
        at,
        post_id: "p1".into(),
        kind,
        detail: detail.into(),
        outcome,
    };
    s.record_action(&a, &act(1, ActionKind::Like, "liked", Outcome::Accepted))
        .unwrap();
    s.record_action(
        &a,
        &act(
            2,
            ActionKind::Medal,
            "GOLD",
            Outcome::Refused("RATE_LIMITED".into()),
        ),
    )
    .unwrap();
    s.record_action(&a, &act(3, ActionKind::Comment, "nice", Outcome::Unknown))
        .unwrap();
    let h = s.history(&a, 10).unwrap();
    assert_eq!(
        h.iter()
            .map(|x| (x.at, x.kind, x.outcome.clone()))
            .collect::<Vec<_>>(),
        [
            (3, ActionKind::Comment, Outcome::Unknown),
            (
                2,
                ActionKind::Medal,
                Outcome::Refused("RATE_LIMITED".into())
            ),
            (1, ActionKind::Like, Outcome::Accepted),
        ]
    );
    assert_eq!(s.history(&a, 1).unwrap().len(), 1);
    assert!(s.history(&account("other"), 10).unwrap().is_empty());
}

#[test]
fn an_accepted_action_changes_the_stored_post_and_a_refused_one_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = open(&dir);
    let a = account("me");
    s.record_page(&a, "latest", true, &[item("p1", "ana", "Sunset", 4)], 1000)
        .unwrap();
    let act = |kind, detail: &str, outcome| Action {
        at: 2000,
        post_id: "p1".into(),
        kind,
        detail: detail.into(),
        outcome,
    };
    let raw = |s: &Store| s.post(&a, "p1").unwrap().unwrap().raw;
    let refused = Outcome::Refused("RATE_LIMITED".into());
    s.record_action(&a, &act(ActionKind::Medal, "GOLD", refused))
        .unwrap();
    s.record_action(&a, &act(ActionKind::Like, "liked", Outcome::Unknown))
        .unwrap();
    assert_eq!(
        raw(&s),
        item("p1", "ana", "Sunset", 4),
        "only accepted ones"
    );

    for (kind, detail) in [
        (ActionKind::Like, "liked"),
        (ActionKind::Medal, "BRONZE"),
        (ActionKind::Comment, "nice"),
        (ActionKind::Like, "liked"),
    ] {
        s.record_action(&a, &act(kind, detail, Outcome::Accepted))
            .unwrap();
    }
    let v = raw(&s);
    assert_eq!(v["agentLiked"], json!(true));
    assert_eq!(v["stats"]["likes"], json!(5), "a like counted once");
    assert_eq!(v["agentMedal"], json!("BRONZE"));
    assert_eq!(v["stats"]["medals"]["bronze"], json!(1));
    assert_eq!(v["stats"]["comments"], json!(1));
    assert_eq!(v["extraField"], json!("kept as received"));

    s.record_action(&a, &act(ActionKind::Like, "unliked", Outcome::Accepted))
        .unwrap();
    let v = raw(&s);
    assert_eq!(
        (v["agentLiked"].clone(), v["stats"]["likes"].clone()),
        (json!(false), json!(4))
    );
    // Another account's copy is its own.
    s.record_page(
        &account("b"),
        "latest",
        true,
        &[item("p1", "ana", "Sunset", 4)],
        1000,
    )
    .unwrap();
    s.record_action(&a, &act(ActionKind::Like, "liked", Outcome::Accepted))
        .unwrap();
    assert_eq!(
        s.post(&account("b"), "p1").unwrap().unwrap().raw["agentLiked"],
        json!(false)
    );
}

#[test]
fn a_hostile_stored_post_is_left_as_it_is_by_an_action() {
    let mut odd =
        json!({"id": "p1", "stats": {"likes": "many", "medals": null}, "agentMedal": null});
    assert!(actions::apply(&mut odd, ActionKind::Like, "liked"));
    assert!(actions::apply(&mut odd, ActionKind::Medal, "GOLD"));
    assert_eq!(odd["stats"], json!({"likes": "many", "medals": null}));
    assert!(!actions::apply(&mut odd, ActionKind::Medal, "PLATINUM"));
    assert!(!actions::apply(&mut json!(7), ActionKind::Comment, ""));
    let mut max = json!({"stats": {"comments": u64::MAX}});
    actions::apply(&mut max, ActionKind::Comment, "x");
    assert_eq!(max["stats"]["comments"], json!(u64::MAX));
}

#[test]
fn prune_removes_old_posts_then_the_least_recently_seen_but_never_drafts_or_recent_actions() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = open(&dir);
    let a = account("me");
    let now = 1_000 * DAY;
    // 100 days old, and fresh ones.
    s.record_page(
        &a,
        "latest",
        true,
        &[item("old", "ana", "x", 0)],
        now - 100 * DAY,
    )
    .unwrap();
    let big = "word ".repeat(2000);
    let fresh: Vec<Value> = (0..300)
        .map(|i| item(&format!("f{i}"), "bob", &big, 0))
        .collect();
    for (i, chunk) in fresh.chunks(50).enumerate() {
        s.record_page(&a, "latest", true, chunk, now - DAY + i as i64)
            .unwrap();
    }
    let act = |at| Action {
        at,
        post_id: "p".into(),
        kind: ActionKind::Like,
        detail: String::new(),
        outcome: Outcome::Accepted,
    };
    s.record_action(&a, &act(now - 200 * DAY)).unwrap();
    s.record_action(&a, &act(now - 89 * DAY)).unwrap();
    let d = crate::drafts::Drafts::from_map(
        &std::collections::BTreeMap::from([("p".to_string(), "draft".to_string())]),
        None,
    );
    s.write_drafts(&a, &crate::drafts::Drafts::new(), &d)
        .unwrap();

    // Generous size: only the old post and the old action go.
    let p = s.prune(u64::MAX, 90, now).unwrap();
    assert_eq!((p.old_posts, p.size_posts, p.actions), (1, 0, 1));
    assert_eq!(s.history(&a, 10).unwrap().len(), 1, "recent action kept");
    let orphans: i64 = s
        .conn
        .query_row(
            "SELECT (SELECT count(*) FROM post_counts WHERE post NOT IN (SELECT id FROM posts))
                  + (SELECT count(*) FROM feed_rows WHERE post NOT IN (SELECT id FROM posts))",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0, "its timeline and feed rows went too");

    // A small budget: the least recently seen go first.
    let before = s.used_bytes().unwrap();
    let p = s.prune(before / 2, 90, now).unwrap();
    assert!(p.size_posts > 0, "{p:?}");
    assert!(p.bytes_after <= before / 2, "{p:?}");
    let left = s.last_feed(&a, "latest", usize::MAX).unwrap();
    assert!(left.iter().all(|r| r.post_id != "f0"), "f0 was seen first");
    assert!(left.iter().any(|r| r.post_id == "f299"), "f299 seen last");
    assert_eq!(s.drafts(&a).unwrap(), d, "drafts are never pruned");
    // The index follows: no pruned post is found.
    let found = s.search(&a, "word", usize::MAX).unwrap();
    assert_eq!(found.len(), left.len());
    // The space went back to the file.
    let file = std::fs::metadata(dir.path().join(FILE_NAME)).unwrap().len();
    let st = s.stats(None).unwrap();
    assert!(file <= before, "file {file} bytes, used before {before}");
    assert_eq!(st.posts as usize, left.len());
    assert_eq!(st.drafts, 1);
    assert_eq!(st.actions, 1);
}

#[test]
fn stats_count_one_account() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = open(&dir);
    let a = account("me");
    s.record_page(
        &a,
        "latest",
        true,
        &[item("p1", "ana", "x", 0), item("p2", "ANA", "y", 0)],
        5,
    )
    .unwrap();
    s.record_page(&account("b"), "latest", true, &[item("p9", "z", "x", 0)], 7)
        .unwrap();
    let st = s.stats(Some(&a)).unwrap();
    assert_eq!((st.posts, st.authors, st.changes), (2, 1, 2));
    assert_eq!((st.first_seen, st.last_seen), (Some(5), Some(5)));
    assert_eq!(st.schema, schema_version());
    assert_eq!(s.stats(None).unwrap().posts, 3);
}

#[test]
fn the_fts_query_quotes_every_word_as_a_prefix() {
    assert_eq!(
        fts_query("Café, au-lait").as_deref(),
        Some("\"Café\"* \"au\"* \"lait\"*")
    );
    assert_eq!(fts_query("\"*()"), None);
}
