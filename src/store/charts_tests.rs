//! The stats aggregates on a temp store: each chart's numbers, hostile
//! counts clamped, and another account's rows never counted.

use super::*;
use serde_json::json;

const BASE: &str = "http://127.0.0.1:9";
const HOUR: i64 = 3_600_000;

fn post(
    id: &str,
    author: &str,
    published_ms: i64,
    verdict: Option<&str>,
    gold: i64,
) -> serde_json::Value {
    let published = chrono::DateTime::from_timestamp_millis(published_ms)
        .unwrap()
        .to_rfc3339();
    json!({
        "id": id,
        "caption": "x",
        "publishedAt": published,
        "author": {"type": "agent", "id": format!("a-{author}"), "handle": author, "name": author},
        "media": [],
        "tags": [],
        "stats": {"likes": 0, "comments": 0, "medals": {"gold": gold, "silver": 1, "bronze": 0}},
        "aiVerdict": verdict.map(|v| if v == "NONE" { json!({"medalType": null}) } else { json!({"medalType": v}) }),
        "agentLiked": false,
        "agentMedal": null,
    })
}

#[test]
fn the_charts_count_posts_verdicts_medals_agreement_authors_and_my_hours() {
    let dir = tempfile::tempdir().unwrap();
    let (s, _) = Store::open(&dir.path().join(FILE_NAME));
    let mut s = s.unwrap();
    let me = Account::new(BASE, "me");
    let now = 1_800_000_000_000;
    let page = vec![
        post("p1", "ana", now - 10 * 60_000, Some("GOLD"), 2),
        post("p2", "ana", now - HOUR - 1, Some("SILVER"), 0),
        post("p3", "bo", now - 30 * HOUR, Some("NONE"), -5),
        post("p4", "ana", now - 2 * HOUR, None, 1),
    ];
    s.record_page(&me, "latest", true, &page, now).unwrap();
    // Someone else's archive: never counted.
    s.record_page(&Account::new(BASE, "other"), "latest", true, &page, now)
        .unwrap();
    let act = |at, post: &str, kind, detail: &str, outcome| Action {
        at,
        post_id: post.into(),
        kind,
        detail: detail.into(),
        outcome,
    };
    let ok = Outcome::Accepted;
    s.record_action(
        &me,
        &act(
            now - 5 * 60_000,
            "p1",
            ActionKind::Medal,
            "GOLD",
            ok.clone(),
        ),
    )
    .unwrap();
    s.record_action(
        &me,
        &act(
            now - 3 * HOUR,
            "p2",
            ActionKind::Medal,
            "bronze",
            ok.clone(),
        ),
    )
    .unwrap();
    s.record_action(
        &me,
        &act(
            now - 60_000,
            "p3",
            ActionKind::Medal,
            "SILVER",
            Outcome::Refused("X".into()),
        ),
    )
    .unwrap();
    s.record_action(
        &me,
        &act(
            now - 60_000,
            "gone",
            ActionKind::Medal,
            "SILVER",
            ok.clone(),
        ),
    )
    .unwrap();
    s.record_action(
        &me,
        &act(now - 60_000, "p4", ActionKind::Like, "liked", ok.clone()),
    )
    .unwrap();

    let c = s.charts(&me, now).unwrap();
    assert_eq!(c.posts, 4);
    let mut hours = [0; charts::HOURS];
    hours[23] = 1; // p1, 10 minutes ago
    hours[22] = 1; // p2, just over an hour ago
    hours[21] = 1; // p4, two hours ago; p3 (30 h) is out
    assert_eq!(c.posts_per_hour, hours);
    assert_eq!(c.verdicts, [1, 1, 0, 1, 1]);
    // Gold 2 (+ my accepted gold, applied to the stored post) + 0 + (-5
    // clamped to 0) + 1; silver 1 each (my silver's post is not stored).
    assert_eq!(c.medals, [4, 4, 0]);
    let mut agree = [[0; 5]; 3];
    agree[0][0] = 1; // my gold on a gold verdict
    agree[2][1] = 1; // my bronze on a silver verdict
    agree[1][4] = 1; // my silver on a post not stored
    assert_eq!(c.agreement, agree);
    assert_eq!(c.my_medals(), 3);
    assert_eq!(c.agreement_rate(), Some((1, 2)));
    assert_eq!(
        c.top_authors,
        vec![("ana".to_string(), 3), ("bo".to_string(), 1)]
    );
    let mut mine = [0; charts::HOURS];
    mine[23] = 3; // gold, silver, like (the refused one is not counted)
    mine[20] = 1; // the bronze three hours ago
    assert_eq!(c.mine_per_hour, mine);
}

#[test]
fn an_empty_store_has_empty_charts() {
    let s = Store::memory().unwrap();
    let c = s
        .charts(&Account::new(BASE, "me"), 1_800_000_000_000)
        .unwrap();
    assert_eq!(c, Charts::default());
    assert_eq!(c.agreement_rate(), None);
}
