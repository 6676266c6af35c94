//! Property tests ("bounded fuzzing": fixed case counts, so CI cost is
//! fixed) for the tolerant feed parser (`api::parse::feed_page`) and the
//! error-envelope parser: arbitrary JSON values and bytes never panic; a
//! page of good and broken items keeps exactly the good ones and counts the
//! rest; every string of a parsed item is safe once it entered the view model
//! (`app::sanitize_item`): no control char, and every grapheme is as wide
//! char by char as ratatui counts it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

use aispace_tui::api::parse::{error_from_response, feed_page};
use aispace_tui::api::{FeedItem, Quota};
use aispace_tui::app::sanitize_item;
use aispace_tui::text::testing::hostile_corpus;
use proptest::prelude::*;
use serde_json::{json, Map, Value};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

const CASES: u32 = 300;

/// Hostile strings: corpus entries (cut to keep cases small), random
/// strings, and mixes of both.
fn hostile() -> impl Strategy<Value = String> {
    let corpus: Vec<String> = hostile_corpus()
        .into_iter()
        .map(|(_, s)| s.chars().take(300).collect())
        .collect();
    prop_oneof![
        prop::sample::select(corpus.clone()),
        ".{0,40}",
        (prop::sample::select(corpus), ".{0,10}").prop_map(|(a, b)| format!("{b}{a}{b}")),
    ]
}

/// Any JSON value, strings hostile, depth bounded.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        hostile().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("items".to_string()),
                        Just("nextCursor".to_string()),
                        Just("id".to_string()),
                        Just("caption".to_string()),
                        Just("author".to_string()),
                        Just("publishedAt".to_string()),
                        "[a-zA-Z]{1,8}",
                    ],
                    inner
                ),
                0..6
            )
            .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<String, Value>>())),
        ]
    })
}

/// A FeedItem JSON that fits the contract, every string hostile.
fn good_item() -> impl Strategy<Value = Value> {
    (
        "[a-z0-9]{1,12}",
        prop::option::of(hostile()),
        hostile(),
        hostile(),
        hostile(),
        prop::collection::vec(hostile(), 0..3),
        prop::option::of((hostile(), hostile(), hostile())),
        any::<bool>(),
    )
        .prop_map(|(id, caption, handle, name, kind, tags, verdict, liked)| {
            json!({
                "id": format!("clx{id}"),
                "caption": caption,
                "publishedAt": "2026-03-04T12:00:00.000Z",
                "author": {"type": kind, "id": "a1", "handle": handle, "name": name, "avatarUrl": null},
                "media": [{"id": "m1", "type": "IMAGE", "url": "https://cdn.example/x.png", "width": null, "height": 3}],
                "tags": tags,
                "stats": {"likes": 1, "comments": 2, "medals": {"gold": 0, "silver": 1, "bronze": 2}},
                "aiVerdict": verdict.map(|(m, r, j)| json!({"medalType": m, "reason": r, "judgeVersion": j})),
                "agentLiked": liked,
                "agentMedal": null,
            })
        })
}

/// A FeedItem JSON that must be skipped (wrong types, no id, not an object).
fn bad_item() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        hostile().prop_map(Value::String),
        any::<i64>().prop_map(|n| json!(n)),
        Just(json!({"id": "", "publishedAt": "2026-03-04T12:00:00.000Z"})),
        any::<i64>().prop_map(|n| json!({"id": n, "publishedAt": "2026-03-04T12:00:00.000Z"})),
        hostile().prop_map(|s| json!({"id": "x", "publishedAt": s})),
        hostile().prop_map(
            |s| json!({"id": "x", "publishedAt": "2026-03-04T12:00:00.000Z", "stats": s})
        ),
        Just(json!({"id": "x"})),
    ]
}

fn has_control(s: &str, allow_newline: bool) -> bool {
    s.chars()
        .any(|c| c.is_control() && !(allow_newline && c == '\n'))
}

/// The string shows the same on every terminal and holds no control.
fn safe(s: &str, allow_newline: bool) -> bool {
    !has_control(s, allow_newline)
        && s.graphemes(true)
            .filter(|g| *g != "\n")
            .all(|g| g.chars().map(|c| c.width().unwrap_or(0)).sum::<usize>() == g.width())
}

/// Every displayed string of a sanitized item is safe.
fn assert_displayable(item: FeedItem) -> Result<(), TestCaseError> {
    let it = sanitize_item(item);
    prop_assert!(safe(it.caption.as_deref().unwrap_or(""), true));
    prop_assert!(safe(&it.author.handle, false));
    prop_assert!(safe(&it.author.name, false));
    prop_assert!(safe(it.author.kind.as_str(), false));
    for t in &it.tags {
        prop_assert!(safe(t, false));
    }
    if let Some(v) = &it.ai_verdict {
        prop_assert!(safe(v.reason.as_deref().unwrap_or(""), true));
        prop_assert!(safe(v.judge_version.as_deref().unwrap_or(""), false));
        prop_assert!(safe(
            v.medal_type.as_ref().map_or("", |m| m.as_str()),
            false
        ));
    }
    for m in &it.media {
        prop_assert!(safe(m.kind.as_str(), false));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: CASES,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_json_never_panics_and_items_are_safe(v in any_json()) {
        if let Ok(page) = feed_page(&v) {
            for item in page.items {
                prop_assert!(!item.id.is_empty());
                assert_displayable(item)?;
            }
        }
        let wrapped = json!({"ok": true, "items": [v.clone(), v], "nextCursor": "c"});
        let page = feed_page(&wrapped).expect("items is an array");
        prop_assert_eq!(page.items.len() + page.skipped, 2);
        prop_assert_eq!(page.next_cursor.as_deref(), Some("c"));
    }

    #[test]
    fn good_items_kept_bad_items_counted(
        items in prop::collection::vec(prop_oneof![
            good_item().prop_map(|v| (true, v)),
            bad_item().prop_map(|v| (false, v)),
        ], 0..12),
        cursor in prop::option::of("[a-zA-Z0-9._-]{0,12}"),
    ) {
        let good = items.iter().filter(|(ok, _)| *ok).count();
        let values: Vec<Value> = items.into_iter().map(|(_, v)| v).collect();
        let page = feed_page(&json!({"ok": true, "items": values, "nextCursor": cursor.clone()}))
            .expect("a page");
        prop_assert_eq!(page.items.len(), good);
        prop_assert_eq!(page.skipped, values.len() - good);
        prop_assert_eq!(page.next_cursor, cursor.filter(|c| !c.is_empty()));
        for item in page.items {
            assert_displayable(item)?;
        }
    }

    #[test]
    fn any_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400), status in 400u16..600) {
        if let Ok(v) = serde_json::from_slice::<Value>(&bytes) {
            let _ = feed_page(&v);
        }
        let e = error_from_response(status, &bytes, Some("7"), Quota::Other);
        let msg = e.user_message();
        prop_assert!(!has_control(&msg, false), "{:?}", msg);
        if let Some(m) = e.server_message() {
            prop_assert!(!has_control(m, false), "{:?}", m);
        }
    }

    #[test]
    fn hostile_error_envelopes_are_sanitized(code in hostile(), message in hostile(), status in 400u16..600) {
        let body = serde_json::to_vec(&json!({"ok": false, "error": {"code": code, "message": message}})).unwrap();
        let e = error_from_response(status, &body, None, Quota::Other);
        prop_assert!(!has_control(&e.user_message(), false));
        if let Some(c) = e.code() {
            prop_assert!(!has_control(c, false), "{:?}", c);
        }
    }
}
