//! Watch rules: matching, coalescing, the rate limit and the unread count
//! (`app/watch.rs`), through `App::update` with the testing fixtures.

use super::testing::*;
use super::*;
use crate::api::{AiVerdict, FeedItem, FeedPage, Medal};
use crate::config::{MyPostEvent, VerdictWatch, WatchRule};
use chrono::Duration;

fn rule() -> WatchRule {
    WatchRule {
        title: true,
        bell: true,
        ..WatchRule::default()
    }
}

fn author(handle: &str) -> WatchRule {
    WatchRule {
        author: Some(handle.into()),
        ..rule()
    }
}

fn watching(rules: Vec<WatchRule>) -> App {
    TestApp::new()
        .options(Options {
            refresh_secs: 20,
            watch: rules,
            ..Options::default()
        })
        .build()
}

/// Post `n` (see [`item`]) by `@handle`.
fn by(n: usize, handle: &str) -> FeedItem {
    let mut p = item(n);
    p.author.id = format!("id-{handle}");
    p.author.handle = handle.into();
    p
}

fn page_of(items: Vec<FeedItem>) -> FeedPage {
    FeedPage {
        items,
        next_cursor: Some("c1".into()),
        skipped: 0,
    }
}

/// The refresh at `t` answered with `new` on top of the first page.
fn refresh(app: &mut App, t: Timestamp, new: Vec<FeedItem>) -> Vec<Effect> {
    let mut items = new;
    items.extend((0..20).map(item));
    refresh_with(app, t, page_of(items))
}

fn titles(fx: &[Effect]) -> Vec<Option<String>> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Title(t) => Some(t.clone()),
            _ => None,
        })
        .collect()
}

fn alerts(fx: &[Effect]) -> Vec<(bool, Option<String>)> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Alert { bell, desktop } => {
                Some((*bell, desktop.as_ref().map(|n| n.body.clone())))
            }
            _ => None,
        })
        .collect()
}

fn at(secs: i64) -> Timestamp {
    t0() + Duration::seconds(secs)
}

#[test]
fn the_first_page_primes_and_a_new_post_by_the_author_counts_and_rings() {
    let mut app = watching(vec![author("pixel-poet")]);
    // The first page (TestApp's) notified nothing.
    assert_eq!(app.watch.unread(), 0);
    let fx = refresh(&mut app, at(20), vec![by(1001, "pixel-poet")]);
    assert_eq!(titles(&fx), [Some("(1) aispace-tui".to_string())]);
    assert_eq!(alerts(&fx), [(true, None)], "bell only: no desktop asked");
    // Another author's post: nothing.
    let fx = refresh(&mut app, at(40), vec![by(1002, "someone-else")]);
    assert!(titles(&fx).is_empty() && alerts(&fx).is_empty(), "{fx:?}");
}

#[test]
fn several_posts_are_coalesced_and_alerts_are_rate_limited() {
    let mut app = watching(vec![WatchRule {
        desktop: true,
        ..author("pixel-poet")
    }]);
    let new = (1001..1006).map(|n| by(n, "pixel-poet")).collect();
    let fx = refresh(&mut app, at(20), new);
    assert_eq!(titles(&fx), [Some("(5) aispace-tui".to_string())]);
    assert_eq!(
        alerts(&fx),
        [(true, Some("5 new posts by @pixel-poet".to_string()))]
    );
    // Within the gap: the title counts at once, the alert waits.
    let fx = refresh(
        &mut app,
        at(40),
        vec![by(1006, "pixel-poet"), by(1007, "pixel-poet")],
    );
    assert_eq!(titles(&fx), [Some("(7) aispace-tui".to_string())]);
    assert!(alerts(&fx).is_empty(), "{fx:?}");
    // The app wakes when the gap ends and says them in one alert.
    assert_eq!(app.watch.next_wake(), Some(at(20 + ALERT_GAP_SECS)));
    assert!(app.next_wake() <= Some(at(20 + ALERT_GAP_SECS)));
    let fx = app.update(Msg::Tick, at(20 + ALERT_GAP_SECS));
    assert_eq!(
        alerts(&fx),
        [(true, Some("2 new posts by @pixel-poet".to_string()))]
    );
    // Nothing more waits.
    let fx = app.update(Msg::Tick, at(200));
    assert!(alerts(&fx).is_empty(), "{fx:?}");
}

#[test]
fn one_post_is_quoted_and_a_key_clears_the_count() {
    let mut app = watching(vec![WatchRule {
        desktop: true,
        ..author("pixel-poet")
    }]);
    let fx = refresh(&mut app, at(20), vec![by(1001, "Pixel-Poet")]);
    assert_eq!(
        alerts(&fx),
        [(
            true,
            Some("New post by @Pixel-Poet: caption 1001".to_string())
        )]
    );
    assert_eq!(app.watch.unread(), 1);
    // Any key: read; the terminal's own title comes back.
    let fx = app.update(key("j"), at(21));
    assert_eq!(titles(&fx), [None]);
    assert_eq!(app.watch.unread(), 0);
    let fx = app.update(key("k"), at(22));
    assert!(titles(&fx).is_empty(), "no title change: {fx:?}");
}

#[test]
fn tag_text_and_verdict_conditions_all_hold() {
    let mut app = watching(vec![WatchRule {
        tag: Some("even".into()),
        text: Some("cafe".into()),
        ..rule()
    }]);
    let mut accented = by(1002, "a");
    accented.caption = Some("Café at night".into());
    let mut untagged = by(1001, "b");
    untagged.caption = Some("café".into());
    let plain = by(1004, "c"); // tagged, no café
    let fx = refresh(&mut app, at(20), vec![accented, untagged, plain]);
    assert_eq!(titles(&fx), [Some("(1) aispace-tui".to_string())]);

    // verdict: when a post seen unjudged is judged gold.
    let mut app = watching(vec![WatchRule {
        verdict: Some(VerdictWatch::Gold),
        desktop: true,
        ..rule()
    }]);
    refresh(&mut app, at(20), vec![by(1001, "a")]);
    assert_eq!(app.watch.unread(), 0, "not judged yet");
    let mut judged = by(1001, "a");
    judged.ai_verdict = Some(AiVerdict {
        medal_type: Some(Medal::Gold),
        reason: None,
        judge_version: None,
    });
    let fx = refresh(&mut app, at(60), vec![judged]);
    assert_eq!(
        alerts(&fx),
        [(
            true,
            Some("Post by @a judged gold: caption 1001".to_string())
        )]
    );
}

#[test]
fn my_posts_events_come_from_counts_between_refreshes() {
    let mut app = watching(vec![WatchRule {
        my_posts: vec![MyPostEvent::Liked, MyPostEvent::Commented],
        desktop: true,
        ..rule()
    }]);
    let mut mine = item(1001);
    mine.author.id = ME.into();
    // First sight of my post (a new one): recorded, not an event.
    let fx = refresh(&mut app, at(20), vec![mine.clone()]);
    assert!(titles(&fx).is_empty(), "{fx:?}");
    mine.stats.likes = 3;
    mine.stats.comments = 1;
    mine.stats.medals.gold = 1; // not watched
    let fx = refresh(&mut app, at(60), vec![mine.clone()]);
    assert_eq!(titles(&fx), [Some("(1) aispace-tui".to_string())]);
    assert_eq!(
        alerts(&fx),
        [(
            true,
            Some("Your post: +3 likes, +1 comment: caption 1001".to_string())
        )]
    );
    // The same numbers again: nothing.
    let fx = refresh(&mut app, at(120), vec![mine]);
    assert!(titles(&fx).is_empty() && alerts(&fx).is_empty(), "{fx:?}");
}

#[test]
fn my_own_posts_and_older_pages_are_never_new() {
    let mut app = watching(vec![author("me-bot"), author("other-h")]);
    let mut mine = by(1001, "me-bot");
    mine.author.id = ME.into();
    let fx = refresh(&mut app, at(20), vec![mine]);
    assert!(titles(&fx).is_empty(), "my own post: {fx:?}");
    // A next page of older posts by a watched author: not new.
    let fx = app.update(key("end"), at(21));
    let gen = app.feed().generation();
    assert!(loads(&fx).contains(&(Some("c1".into()), Loading::More)));
    let fx = app.update(feed_msg(gen, Loading::More, page(20..40, None)), at(22));
    assert!(titles(&fx).is_empty(), "{fx:?}");
    assert_eq!(app.watch.unread(), 0);
}

#[test]
fn no_rules_no_effects() {
    let mut app = watching(Vec::new());
    let fx = refresh(&mut app, at(20), vec![by(1001, "x")]);
    assert!(titles(&fx).is_empty() && alerts(&fx).is_empty(), "{fx:?}");
    assert_eq!(app.watch.memory_len(), 0);
}

#[test]
fn the_notify_command_gets_the_rules_text() {
    let mut app = watching(vec![WatchRule {
        notify_command: Some(vec!["notify-send".into(), "-a".into()]),
        title: false,
        bell: false,
        ..author("x")
    }]);
    let fx = refresh(&mut app, at(20), vec![by(1001, "x"), by(1002, "x")]);
    assert!(titles(&fx).is_empty(), "no title action: {fx:?}");
    assert!(alerts(&fx).is_empty(), "no bell, no desktop: {fx:?}");
    let cmds: Vec<_> = fx
        .iter()
        .filter_map(|e| match e {
            Effect::NotifyCommand { argv, note } => Some((argv.clone(), note.body.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        cmds,
        [(
            vec!["notify-send".to_string(), "-a".to_string()],
            "2 new posts by @x".to_string()
        )]
    );
    // A failed command says so in the status line.
    app.update(Msg::Notified(Err("notify_command x exited".into())), at(21));
    assert_eq!(status_text(&app), "notify_command x exited");
}
