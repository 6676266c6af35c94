//! Mute and hide (`app/mutes.rs`) through `App::update`: what leaves the
//! feed, what the status line says, what goes to the store, and what
//! comes back when a mute is removed.

use super::testing::*;
use super::*;
use crate::api::{FeedItem, FeedPage};
use crate::config::WatchRule;
use crate::store::{Mute, MuteChange, MuteKind};

/// Post `n` (see [`item`]) by `@handle`.
fn by(n: usize, handle: &str) -> FeedItem {
    let mut p = item(n);
    p.author.id = format!("id-{handle}");
    p.author.handle = handle.into();
    p
}

/// Posts 0..10: every third one by `@Pixel-Poet`, the others by `@ana`.
fn mixed() -> Vec<FeedItem> {
    (0..10)
        .map(|n| by(n, if n % 3 == 0 { "Pixel-Poet" } else { "ana" }))
        .collect()
}

fn page_of(items: Vec<FeedItem>, cursor: Option<&str>) -> FeedPage {
    FeedPage {
        items,
        next_cursor: cursor.map(str::to_string),
        skipped: 0,
    }
}

fn app_with(items: Vec<FeedItem>) -> App {
    TestApp::new()
        .first_page(Some(page_of(items, Some("c1"))))
        .build()
}

fn view_ids(f: &FeedState) -> Vec<String> {
    (0..f.view_len())
        .filter_map(|i| f.view_item(i).map(|p| p.id.clone()))
        .collect()
}

fn saved(fx: &[Effect]) -> Vec<MuteChange> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::SaveMute(c) => Some(c.clone()),
            _ => None,
        })
        .collect()
}

fn select(app: &mut App, id: &str) {
    let pos = view_ids(app.feed()).iter().position(|p| p == id).unwrap();
    let rows = app.feed_rows();
    app.feed_mut().select(pos, rows);
}

/// Loads the rising list too, with `items`.
fn load_rising(app: &mut App, items: Vec<FeedItem>) {
    let fx = app.update(key("tab"), app.now);
    let generation = app.feed().generation();
    assert_eq!(loads(&fx), [(None, Loading::First)]);
    app.update(
        Msg::Feed {
            sort: FeedSort::Rising,
            generation,
            kind: Loading::First,
            result: Ok(page_of(items, None)),
        },
        app.now,
    );
    app.update(key("tab"), app.now);
}

#[test]
fn x_hides_the_selected_post_from_both_lists_and_says_how_to_undo() {
    let mut app = app_with(mixed());
    load_rising(&mut app, mixed().into_iter().rev().collect());
    select(&mut app, "p2");
    let fx = app.update(key("x"), t0());
    assert!(!view_ids(&app.latest).contains(&"p2".to_string()));
    assert!(!view_ids(&app.rising).contains(&"p2".to_string()));
    assert_eq!(app.latest.hidden(), 1);
    assert_eq!(app.rising.hidden(), 1);
    assert_eq!(app.latest.items().len(), 10, "hidden, not dropped");
    assert_eq!(
        app.selected().map(|p| p.id.as_str()),
        Some("p3"),
        "the next post is selected"
    );
    assert_eq!(
        status_text(&app),
        "Hid the post @ana · caption 2 · V lists mutes."
    );
    let changes = saved(&fx);
    let [MuteChange::Put(m)] = changes.as_slice() else {
        panic!("one mute kept: {fx:?}");
    };
    assert_eq!((m.kind, m.value.as_str()), (MuteKind::Post, "p2"));
    assert_eq!(m.label, "@ana · caption 2");
    assert_eq!(m.at, t0().timestamp_millis());
}

#[test]
fn m_mutes_the_author_ignoring_case_and_counts_the_posts() {
    let mut items = mixed();
    items[1].author.handle = "PIXEL-poet".into();
    let mut app = app_with(items);
    select(&mut app, "p3");
    let fx = app.update(key("M"), t0());
    assert_eq!(view_ids(app.feed()), ["p2", "p4", "p5", "p7", "p8"]);
    assert_eq!(app.feed().hidden(), 5);
    assert_eq!(
        status_text(&app),
        "Muted @pixel-poet: 5 posts hidden · V lists mutes."
    );
    assert_eq!(
        saved(&fx),
        [MuteChange::Put(Mute::new(
            MuteKind::Author,
            "pixel-poet",
            "",
            t0().timestamp_millis()
        ))]
    );
}

#[test]
fn x_on_a_post_with_one_tag_mutes_it_and_asks_which_when_there_are_several() {
    // Even posts carry #even (see `item`).
    let mut app = app_with((0..10).map(item).collect());
    let fx = app.update(key("X"), t0());
    assert_eq!(view_ids(app.feed()), ["p1", "p3", "p5", "p7", "p9"]);
    assert_eq!(
        status_text(&app),
        "Muted #even: 5 posts hidden · V lists mutes."
    );
    assert_eq!(saved(&fx).len(), 1);

    let mut tagged = item(1);
    tagged.tags = vec!["Neon".into(), "city".into(), "neon".into()];
    let mut app = app_with(vec![tagged, item(3), item(5)]);
    let fx = app.update(key("X"), t0());
    assert_eq!(app.mode, Mode::MuteTag, "asked, not guessed");
    assert!(saved(&fx).is_empty());
    assert_eq!(
        app.tag_choice.as_ref().map(|c| c.tags.len()),
        Some(2),
        "#Neon once (case ignored)"
    );
    app.update(key("esc"), t0());
    assert_eq!(app.mode, Mode::Feed);
    assert!(app.mutes.is_empty());
    assert_eq!(status_text(&app), "No tag muted.");
    app.update(key("X"), t0());
    app.update(key("j"), t0());
    let fx = app.update(key("enter"), t0());
    assert_eq!(app.mode, Mode::Feed);
    assert_eq!(
        saved(&fx),
        [MuteChange::Put(Mute::new(
            MuteKind::Tag,
            "city",
            "",
            t0().timestamp_millis()
        ))]
    );
    assert_eq!(view_ids(app.feed()), ["p3", "p5"]);
    assert_eq!(app.feed().hidden(), 1);
}

#[test]
fn a_post_without_tags_says_so() {
    let mut app = app_with(vec![item(1)]);
    let fx = app.update(key("X"), t0());
    assert!(saved(&fx).is_empty());
    assert_eq!(app.mode, Mode::Feed);
    assert_eq!(status_text(&app), "This post has no tags to mute.");
}

#[test]
fn removing_a_mute_in_the_list_brings_its_posts_back() {
    let mut app = app_with(mixed());
    select(&mut app, "p1");
    app.update(key("x"), t0());
    select(&mut app, "p0");
    app.update(key("M"), t0());
    assert_eq!(view_ids(app.feed()), ["p2", "p4", "p5", "p7", "p8"]);
    app.update(key("V"), t0());
    assert_eq!(app.mode, Mode::Mutes);
    assert_eq!(app.mutes.list().len(), 2);
    app.update(key("j"), t0());
    assert_eq!(app.mutes_cursor, 1);
    let fx = app.update(key("d"), t0());
    assert_eq!(
        saved(&fx),
        [MuteChange::Remove(MuteKind::Author, "pixel-poet".into())]
    );
    assert_eq!(status_text(&app), "Unmuted @pixel-poet: 4 posts back.");
    assert_eq!(
        view_ids(app.feed()),
        ["p0", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9"]
    );
    assert_eq!(app.mutes_cursor, 0, "on the last one left");
    app.update(key("x"), t0());
    assert_eq!(view_ids(app.feed()).len(), 10);
    assert_eq!(app.feed().hidden(), 0);
    assert!(app.mutes.is_empty());
    app.update(key("q"), t0());
    assert_eq!(app.mode, Mode::Feed, "q closes the list, not the app");
    assert!(!app.should_quit);
}

#[test]
fn a_muted_author_s_posts_in_later_pages_and_refreshes_stay_hidden() {
    let mut app = TestApp::new()
        .options(Options {
            refresh_secs: 20,
            ..Options::default()
        })
        .first_page(Some(page_of(mixed(), Some("c1"))))
        .build();
    select(&mut app, "p0");
    app.update(key("M"), t0());
    // The first page was shorter than the screen: the next one is asked for.
    assert_eq!(app.feed().loading(), Some(Loading::More));
    let generation = app.feed().generation();
    let later = vec![by(20, "pixel-poet"), by(21, "bob"), by(22, "PIXEL-POET")];
    app.update(
        feed_msg(generation, Loading::More, page_of(later, None)),
        t0(),
    );
    assert!(app.feed().post("p20").is_some(), "loaded");
    let shown = view_ids(app.feed());
    assert!(shown.contains(&"p21".to_string()));
    assert!(!shown.contains(&"p20".to_string()) && !shown.contains(&"p22".to_string()));
    assert_eq!(app.feed().hidden(), 6);
    // A refresh brings a new post of theirs on top: hidden too.
    let mut items = vec![by(1000, "Pixel-Poet")];
    items.extend(mixed());
    refresh_with(
        &mut app,
        t0() + chrono::Duration::seconds(21),
        page_of(items, Some("c1")),
    );
    assert!(app.feed().post("p1000").is_some());
    assert!(!view_ids(app.feed()).contains(&"p1000".to_string()));
    assert_eq!(
        app.feed().new_above(),
        0,
        "a hidden post is not counted new"
    );
}

#[test]
fn mutes_read_at_start_hide_at_once_and_are_sanitized() {
    let mut app = app_with(mixed());
    app.set_mutes(vec![
        Mute::new(MuteKind::Author, "Pixel\u{200b}-Poet", "", 1),
        Mute::new(MuteKind::Post, "p1", "@ana\u{200b} · x", 2),
    ]);
    assert_eq!(view_ids(app.feed()), ["p2", "p4", "p5", "p7", "p8"]);
    assert_eq!(app.mutes.list()[1].label, "@ana · x");
    app.set_mutes(Vec::new());
    assert_eq!(view_ids(app.feed()).len(), 10);
}

/// Mutes hide from the feed only: a `[[watch]]` rule is explicit and
/// still sees a muted author's new post.
#[test]
fn a_watch_rule_still_sees_a_muted_author() {
    let rule = WatchRule {
        author: Some("pixel-poet".into()),
        title: true,
        bell: true,
        ..WatchRule::default()
    };
    let mut app = TestApp::new()
        .options(Options {
            refresh_secs: 20,
            watch: vec![rule],
            ..Options::default()
        })
        .first_page(Some(page_of(mixed(), None)))
        .build();
    select(&mut app, "p0");
    app.update(key("M"), t0());
    let mut items = vec![by(1000, "pixel-poet")];
    items.extend(mixed());
    let fx = refresh_with(
        &mut app,
        t0() + chrono::Duration::seconds(21),
        page_of(items, None),
    );
    assert!(
        !view_ids(app.feed()).contains(&"p1000".to_string()),
        "hidden"
    );
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::Alert { bell: true, .. })),
        "the rule rang: {fx:?}"
    );
}

#[test]
fn a_failed_save_is_said() {
    let mut app = app_with(mixed());
    app.update(Msg::MuteSaved(Err("disk full".into())), t0());
    assert_eq!(
        status_text(&app),
        "Could not keep the change of mutes in the archive (disk full); it holds until you quit."
    );
}
