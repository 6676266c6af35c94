//! Fixtures for unit tests of `App` and of the screens drawn from it: one
//! time origin, one `connect` answer, posts and pages, keys by name, and
//! [`TestApp`], the one builder of app states.

use super::{App, Effect, FeedSort, Key, KeyCode, KeyMods, Loading, Msg, Options};
use crate::api::*;
use crate::keymap::{KeyChord, Keymap};
use chrono::Duration;

/// The tests' time origin: 2026-03-04T12:00:00Z.
pub fn t0() -> Timestamp {
    super::quota_ts(1_772_625_600)
}

/// The agent id of the tests' own agent.
pub const ME: &str = "agent-me";

/// A `connect` answer: agent [`ME`] (`@me-bot`), 1 of 50 posts used,
/// 10 medals per 60 s, a 10 s comment cooldown.
pub fn connect() -> ConnectResponse {
    ConnectResponse {
        api: ApiInfo {
            version: "0.2".into(),
            docs: None,
        },
        agent: Agent {
            id: ME.into(),
            handle: "me-bot".into(),
            name: "Me Bot".into(),
            ..Default::default()
        },
        quotas: Quotas {
            posts: PostQuota {
                used: 1,
                limit: 50,
                resets_at: None,
            },
            medals: MedalQuota {
                used: 0,
                limit: 10,
                window: "60s".into(),
            },
            comments: CommentQuota {
                cooldown: "10s".into(),
                available_at: None,
            },
        },
        actions: vec![],
    }
}

/// Post `p{n}` by `@other-h`, published `n` minutes before [`t0`] (higher
/// = older); posts with n >= 1000 are "new" ones, published after t0.
/// Even posts carry the tag `#even`.
pub fn item(n: usize) -> FeedItem {
    let published_at = if n >= 1000 {
        t0() + Duration::seconds((n - 1000) as i64 + 1)
    } else {
        t0() - Duration::minutes(n as i64)
    };
    FeedItem {
        id: format!("p{n}"),
        caption: Some(format!("caption {n}")),
        published_at: published_at.into(),
        author: Author {
            id: "other".into(),
            handle: "other-h".into(),
            name: "Other".into(),
            ..Default::default()
        },
        media: vec![],
        tags: if n.is_multiple_of(2) {
            vec!["even".into()]
        } else {
            vec![]
        },
        stats: Stats::default(),
        ai_verdict: None,
        agent_liked: false,
        agent_medal: None,
    }
}

/// `n` pictures of post `id` (`http://127.0.0.1:9/{id}/{i}.png`, 400 x
/// 300 px), then one video, which is no picture.
pub fn pictures(id: &str, n: usize) -> Vec<Media> {
    let mut media: Vec<Media> = (0..n)
        .map(|i| Media {
            id: format!("{id}-m{i}"),
            kind: MediaType::Image,
            url: format!("http://127.0.0.1:9/{id}/{i}.png"),
            width: Some(400),
            height: Some(300),
        })
        .collect();
    media.push(Media {
        id: format!("{id}-v"),
        kind: MediaType::Video,
        url: format!("http://127.0.0.1:9/{id}/v.mp4"),
        width: None,
        height: None,
    });
    media
}

/// A feed page of [`item`]s with an optional next cursor.
pub fn page(ns: impl IntoIterator<Item = usize>, cursor: Option<&str>) -> FeedPage {
    FeedPage {
        items: ns.into_iter().map(item).collect(),
        next_cursor: cursor.map(str::to_string),
        skipped: 0,
    }
}

/// A key press by name (`"j"`, `"ctrl-s"`, `"esc"`, `"alt-enter"`).
pub fn key(name: &str) -> Msg {
    let c = KeyChord::parse(name).unwrap_or_else(|e| panic!("{e}"));
    Msg::Key(Key::new(c.code, c.mods))
}

/// A character typed (no modifiers).
pub fn typed(c: char) -> Msg {
    Msg::Key(Key::new(KeyCode::Char(c), KeyMods::NONE))
}

/// Ctrl plus a character.
pub fn ctrl(c: char) -> Msg {
    Msg::Key(Key::new(KeyCode::Char(c), KeyMods::CONTROL))
}

/// The answer to a latest-feed request of `generation`.
pub fn feed_msg(generation: u64, kind: Loading, p: FeedPage) -> Msg {
    Msg::Feed {
        sort: FeedSort::Latest,
        generation,
        kind,
        result: Ok(p),
    }
}

/// A failed latest-feed request of `generation`.
pub fn feed_err(generation: u64, kind: Loading, e: ApiError) -> Msg {
    Msg::Feed {
        sort: FeedSort::Latest,
        generation,
        kind,
        result: Err(e),
    }
}

/// The feed loads among `fx`: (cursor, kind).
pub fn loads(fx: &[Effect]) -> Vec<(Option<String>, Loading)> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::LoadFeed { cursor, kind, .. } => Some((cursor.clone(), *kind)),
            _ => None,
        })
        .collect()
}

/// The post ids of the feed on screen.
pub fn ids(app: &App) -> Vec<String> {
    app.feed().items().iter().map(|p| p.id.clone()).collect()
}

/// Runs the automatic refresh at `t` and answers it with `p`.
pub fn refresh_with(app: &mut App, t: Timestamp, p: FeedPage) -> Vec<Effect> {
    let fx = app.update(Msg::Tick, t);
    assert_eq!(loads(&fx), vec![(None, Loading::Merge)], "{fx:?}");
    let gen = app.feed().generation();
    app.update(feed_msg(gen, Loading::Merge, p), t)
}

/// The builder of app states: an `App` started at [`t0`] on a 160 x 24
/// terminal with [`connect`], its first latest page answered (20 posts,
/// cursor `c1`, unless told otherwise) and, if asked, a `me` answer.
pub struct TestApp {
    options: Options,
    connect: ConnectResponse,
    viewport: (u16, u16),
    first_page: Option<FeedPage>,
    me: bool,
}

impl Default for TestApp {
    fn default() -> Self {
        TestApp {
            options: Options::default(),
            connect: connect(),
            viewport: (160, 24),
            first_page: Some(page(0..20, Some("c1"))),
            me: false,
        }
    }
}

impl TestApp {
    /// The defaults (see [`TestApp`]).
    pub fn new() -> Self {
        TestApp::default()
    }

    /// Other options.
    pub fn options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// Another `connect` answer.
    pub fn connect(mut self, c: ConnectResponse) -> Self {
        self.connect = c;
        self
    }

    /// Another terminal size.
    pub fn viewport(mut self, w: u16, h: u16) -> Self {
        self.viewport = (w, h);
        self
    }

    /// Another first page; `None` leaves the first request unanswered.
    pub fn first_page(mut self, p: Option<FeedPage>) -> Self {
        self.first_page = p;
        self
    }

    /// Answers the first `me` request too (server time = [`t0`]).
    pub fn with_me(mut self) -> Self {
        self.me = true;
        self
    }

    /// The app, started.
    pub fn build(self) -> App {
        let mut app = App::new(
            self.options,
            Keymap::default(),
            &self.connect,
            t0(),
            self.viewport,
        );
        let fx = app.start();
        if let Some(p) = self.first_page {
            let Some(generation) = fx.iter().find_map(|e| match e {
                Effect::LoadFeed {
                    sort: FeedSort::Latest,
                    generation,
                    cursor: None,
                    kind: Loading::First,
                } => Some(*generation),
                _ => None,
            }) else {
                panic!("expected a first page load, got {fx:?}")
            };
            app.update(feed_msg(generation, Loading::First, p), t0());
        }
        if self.me {
            let me = Me {
                server_time: Some(t0().into()),
                quotas: self.connect.quotas.clone(),
                ..Default::default()
            };
            app.update(Msg::Me(Ok(me)), t0());
        }
        app
    }
}

/// The status line's text ("" when there is none).
pub fn status_text(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}
