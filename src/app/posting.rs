//! The post composer from the app's side (`P`): keys and fields, the
//! checks before sending (caption and tag limits, the schedule, the posts
//! quota; the file's own check is the runner's, `crate::upload`), the
//! upload's progress and its answer. Nothing typed is lost: Esc closes
//! the composer and keeps it (`P` opens it again), a failure leaves it
//! open as it was, only an accepted post clears it.

use super::post_composer::{check_caption, parse_tags, size_label, PostComposer, PostField};
use super::{describe, App, EditTarget, Effect, FeedSort, Mode};
use super::{ImageProblem, PickedImage, ServerTime};
use crate::api::{ApiError, NewPost, PostResponse};

/// The preview's post id for the composer's picture (not a real post).
pub const COMPOSER_PREVIEW_ID: &str = "(new post)";

/// How long after a scheduled post's time latest is read for it (the
/// server publishes at that time; a second covers rounding).
const SCHEDULE_MARGIN: chrono::Duration = chrono::Duration::seconds(1);

/// What the composer uploads.
#[derive(Debug, Clone, PartialEq)]
pub enum PostImage {
    /// A checked file (its bytes).
    File(PickedImage),
    /// An http(s) URL the server fetches.
    Url(String),
}

/// Most keys held while a path completion is awaited.
const MAX_HELD_KEYS: usize = 4096;

impl App {
    /// `P`: opens the composer (the one closed with Esc, or kept in the
    /// store from an earlier run, comes back as it was; a kept file is
    /// checked again for its preview).
    pub(super) fn open_post_composer(&mut self, fx: &mut Vec<Effect>) {
        if self.readonly_refusal() {
            return;
        }
        let c = self.post_composer.get_or_insert_with(PostComposer::default);
        let unchecked = c.current_image().is_none()
            && c.current_problem().is_none()
            && c.checking.is_none()
            && c.sending.is_none();
        self.mode = Mode::Post;
        if unchecked {
            self.check_post_image(false, false, fx);
        }
    }

    /// Esc: closes the composer, keeping what was typed for the next `P`.
    pub(super) fn close_post_composer(&mut self) {
        self.mode = Mode::Feed;
        if self.post_composer.as_ref().is_some_and(|c| !c.is_blank()) {
            self.info("Post kept: press P to continue it.");
        } else {
            self.post_composer = None;
        }
    }

    /// A key no action claims, typed into the focused field (Enter in a
    /// one-line field moves to the next field).
    pub(super) fn post_typed(&mut self, key: super::Key) {
        let Some(c) = self.post_composer.as_mut() else {
            return;
        };
        if c.sending.is_some() {
            return;
        }
        if key.code == super::KeyCode::Enter && c.focus != PostField::Caption {
            c.focus = c.focus.next();
            return;
        }
        c.completions.clear();
        c.focused_mut().input(key);
    }

    /// A paste into the focused field (one-line fields get spaces for
    /// line breaks).
    pub(super) fn post_paste(&mut self, text: &str) {
        if let Some(c) = self.post_composer.as_mut() {
            let clean = if c.focus == PostField::Caption {
                crate::text::clean_input(text)
            } else {
                crate::text::clean_line(&text.replace(['\r', '\n'], " "))
            };
            c.focused_mut().insert_str(clean);
        }
    }

    /// Tab: completes the path in the file field (asking the runner),
    /// else moves to the next field.
    pub(super) fn post_tab(&mut self, fx: &mut Vec<Effect>) {
        let Some(c) = self.post_composer.as_mut() else {
            return;
        };
        if c.focus == PostField::Source && !c.is_url() && !c.source_text().is_empty() {
            c.held_keys = Some(Vec::new());
            fx.push(Effect::CompletePath {
                typed: c.source_text(),
            });
        } else {
            self.post_next_field(fx);
        }
    }

    /// Moves to the next field; leaving the file field checks the file.
    pub(super) fn post_next_field(&mut self, fx: &mut Vec<Effect>) {
        if let Some(c) = self.post_composer.as_mut() {
            let leaving_source = c.focus == PostField::Source;
            c.focus = c.focus.next();
            c.completions.clear();
            if leaving_source {
                self.check_post_image(false, false, fx);
            }
        }
    }

    /// Moves to the previous field.
    pub(super) fn post_prev_field(&mut self) {
        if let Some(c) = self.post_composer.as_mut() {
            c.focus = c.focus.prev();
            c.completions.clear();
        }
    }

    /// The runner's path completion for `typed`.
    pub(super) fn on_path_completed(
        &mut self,
        typed: String,
        done: String,
        many: Vec<String>,
        fx: &mut Vec<Effect>,
    ) {
        let Some(c) = self.post_composer.as_mut() else {
            return;
        };
        let held = c.held_keys.take().unwrap_or_default();
        if c.source_text() == typed {
            let unchanged = done == typed;
            c.set_text(PostField::Source, &done);
            c.completions = many;
            if unchanged && c.completions.is_empty() {
                // Nothing to complete: a whole name. Check it and move on.
                self.post_next_field(fx);
            } else if !done.ends_with('/') && c.completions.is_empty() {
                self.check_post_image(false, false, fx);
            }
        }
        // The keys typed while the answer was awaited, as if typed now.
        for key in held {
            self.on_key(key, fx);
        }
    }

    /// While a path completion is awaited in the composer, a key waits for
    /// it (most kept: [`MAX_HELD_KEYS`]; past that they are applied at
    /// once). Whether `key` was held.
    pub(super) fn hold_for_completion(&mut self, key: &super::Key) -> bool {
        let Some(held) = self
            .post_composer
            .as_mut()
            .and_then(|c| c.held_keys.as_mut())
        else {
            return false;
        };
        if held.len() >= MAX_HELD_KEYS {
            return false;
        }
        held.push(*key);
        true
    }

    /// Asks the runner to read and check the file in the source field
    /// (`reencode`: as JPEG; `then_send`: send when it passes). A URL or an
    /// empty field needs no check; an unchanged checked file none either.
    fn check_post_image(&mut self, reencode: bool, then_send: bool, fx: &mut Vec<Effect>) {
        let request = self.next_request();
        let Some(c) = self.post_composer.as_mut() else {
            return;
        };
        let typed = c.source_text();
        if typed.is_empty() || c.is_url() {
            return;
        }
        if !reencode && c.current_image().is_some() {
            return;
        }
        c.checking = Some((request, then_send));
        fx.push(Effect::CheckImage {
            request,
            typed,
            reencode,
        });
    }

    /// Ctrl-R: re-encodes a too-large picture as JPEG.
    pub(super) fn post_reencode(&mut self, fx: &mut Vec<Effect>) {
        let offered = self
            .post_composer
            .as_ref()
            .and_then(PostComposer::current_problem)
            .is_some_and(|p| p.too_large);
        if offered {
            self.info("Re-encoding the picture as JPEG…");
            self.check_post_image(true, false, fx);
        } else {
            self.info("Nothing to re-encode: Ctrl-R re-encodes a picture over 5 MiB as JPEG.");
        }
    }

    /// The runner's check of a file.
    pub(super) fn on_image_checked(
        &mut self,
        request: u64,
        result: Result<PickedImage, ImageProblem>,
        fx: &mut Vec<Effect>,
    ) {
        let Some(c) = self.post_composer.as_mut() else {
            return;
        };
        let Some((_, then_send)) = c.checking.filter(|(r, _)| *r == request) else {
            return;
        };
        c.checking = None;
        match result {
            Ok(img) => {
                let note = match img.reencoded_from {
                    Some(from) => format!(
                        "Re-encoded as JPEG: {} (was {}).",
                        size_label(img.bytes.len() as u64),
                        size_label(from)
                    ),
                    None => String::new(),
                };
                c.problem = None;
                c.image = Some(img);
                if then_send {
                    self.send_post(fx);
                } else if !note.is_empty() {
                    self.info(note);
                }
            }
            Err(p) => {
                let text = p.text.clone();
                c.image = None;
                c.problem = Some(p);
                self.error(text);
            }
        }
    }

    /// Ctrl-E in the caption field: the caption goes to the external editor.
    pub(super) fn post_external_editor(&mut self, fx: &mut Vec<Effect>) {
        let Some(c) = self.post_composer.as_mut() else {
            return;
        };
        c.focus = PostField::Caption;
        fx.push(Effect::ExternalEditor {
            target: EditTarget::Caption,
            text: c.text(PostField::Caption),
        });
    }

    /// Ctrl-S: checks everything the server would refuse and sends, or
    /// says what to fix (nothing is sent then).
    pub(super) fn send_post(&mut self, fx: &mut Vec<Effect>) {
        let Some(c) = self.post_composer.as_ref() else {
            return;
        };
        if c.sending.is_some() {
            self.info("The post is on its way.");
            return;
        }
        if self.quota.known && self.quota.posts_used >= self.quota.posts_limit {
            let reset = self
                .quota
                .posts_reset
                .map(|r| {
                    format!(
                        " The quota resets at {} (in {}).",
                        r.utc().format("%H:%M UTC"),
                        crate::duration::wait(r.since(self.server_now()).num_seconds())
                    )
                })
                .unwrap_or_default();
            self.error(format!(
                "Today's {} posts are used: nothing was sent.{reset} Your post stays here.",
                self.quota.posts_limit
            ));
            return;
        }
        let source = c.source_text();
        if source.is_empty() {
            self.error("Give a file or an http(s) URL in \"file or URL\" first.");
            return;
        }
        let caption = c.caption_text();
        if let Err(e) = check_caption(caption.as_deref()) {
            self.error(e);
            return;
        }
        let tags = match parse_tags(&c.text(PostField::Tags)) {
            Ok(t) => t,
            Err(e) => {
                self.error(e);
                return;
            }
        };
        let publish_at = match super::schedule::parse(
            &c.text(PostField::Schedule),
            self.now,
            self.options.utc_offset_secs,
        ) {
            Ok(t) => t,
            Err(e) => {
                self.error(e);
                return;
            }
        };
        let image = if c.is_url() {
            PostImage::Url(source)
        } else if let Some(img) = c.current_image() {
            PostImage::File(img.clone())
        } else if let Some(p) = c.current_problem() {
            let text = p.text.clone();
            self.error(text);
            return;
        } else {
            // Not checked yet: check, then send.
            self.check_post_image(false, true, fx);
            return;
        };
        let request = self.next_request();
        if let Some(c) = self.post_composer.as_mut() {
            c.sending = Some(request);
            c.progress = match &image {
                PostImage::File(i) => Some((0, i.bytes.len() as u64)),
                PostImage::Url(_) => None,
            };
        }
        self.clear_status();
        fx.push(Effect::Post {
            request,
            image,
            post: NewPost {
                caption,
                tags,
                publish_at,
            },
        });
    }

    /// Upload progress of request `request`.
    pub(super) fn on_post_progress(&mut self, request: u64, sent: u64, total: u64) {
        if let Some(c) = self.post_composer.as_mut() {
            if c.sending == Some(request) {
                c.progress = Some((sent.min(total), total));
            }
        }
    }

    /// The server's answer to the post: accepted, the composer closes and
    /// the new post is selected at the top of latest (or the status line
    /// says when a scheduled one appears); refused, the composer stays as
    /// it was with the reason.
    pub(super) fn on_posted(
        &mut self,
        request: u64,
        result: Result<PostResponse, ApiError>,
        fx: &mut Vec<Effect>,
    ) {
        let Some(c) = self.post_composer.as_mut() else {
            return;
        };
        if c.sending != Some(request) {
            return;
        }
        c.sending = None;
        c.progress = None;
        match result {
            Ok(r) => {
                self.post_composer = None;
                if self.mode == Mode::Post {
                    self.mode = Mode::Feed;
                }
                self.quota.posts_used = self.quota.posts_used.saturating_add(1);
                self.sort = FeedSort::Latest;
                match r {
                    PostResponse::Created(p) => {
                        self.restore_select = Some(p.post_id.clone());
                        self.info(format!("Posted: {}", crate::text::clean_line(&p.post_url)));
                    }
                    PostResponse::Scheduled(s) => {
                        let at = s.publish_at.as_ref().map(|t| t.at());
                        if let Some(t) = at {
                            self.scheduled_posts
                                .push((ServerTime::from_server(t), s.scheduled_post_id.clone()));
                        }
                        let when = at
                            .map(|t| t.format("%H:%M UTC").to_string())
                            .unwrap_or_else(|| "its time".into());
                        self.info(format!(
                            "Post scheduled for {when}: it appears at the top of latest then."
                        ));
                    }
                }
                self.load_first(FeedSort::Latest, fx);
                self.fetch_me(fx);
            }
            Err(e) => {
                let text = format!(
                    "Not posted: {} Your post stays in the composer.",
                    describe(&e)
                );
                self.error(text);
            }
        }
    }

    /// When the loop must wake to show a scheduled post of mine: just
    /// after the first publish time (local time).
    pub(super) fn next_scheduled_wake(&self) -> Option<crate::api::Timestamp> {
        if self.paused {
            return None;
        }
        let first = self.scheduled_posts.iter().map(|(t, _)| t).min()?;
        Some(self.quota.local(*first + SCHEDULE_MARGIN))
    }

    /// A scheduled post of mine is due: latest is read again so it shows
    /// without a key. Watching the top of latest, it is selected there (as
    /// a post sent now is); elsewhere it joins the feed as new posts do
    /// (counted above, `t` goes to it) and the selection stays.
    pub(super) fn refresh_for_scheduled(&mut self, fx: &mut Vec<Effect>) {
        let t = self.server_now();
        let due = |at: &ServerTime| *at + SCHEDULE_MARGIN <= t;
        if self.paused || !self.scheduled_posts.iter().any(|(at, _)| due(at)) {
            return;
        }
        let feed = self.feed_of(FeedSort::Latest);
        let (loading, loaded, top) = (
            feed.loading().is_some(),
            feed.loaded(),
            feed.selected() == 0,
        );
        if loading {
            // A read of latest is on its way: ask again after it.
            for (at, _) in self.scheduled_posts.iter_mut().filter(|(at, _)| due(at)) {
                *at = t;
            }
            return;
        }
        let id = self
            .scheduled_posts
            .iter()
            .find(|(at, _)| due(at))
            .map(|(_, id)| id.clone());
        self.scheduled_posts.retain(|(at, _)| !due(at));
        let watching = self.mode == Mode::Feed && self.sort == FeedSort::Latest && top;
        if watching || !loaded {
            self.restore_select = id.filter(|_| watching);
            self.load_first(FeedSort::Latest, fx);
            self.info("Your scheduled post is published: it is on top of latest.");
        } else {
            self.start_merge(FeedSort::Latest, fx);
            let key = self.keymap.first_key(super::Action::First);
            self.info(format!(
                "Your scheduled post is published: {key} goes to the top of latest."
            ));
        }
    }

    /// The composer's picture for the preview pipeline: the checked file.
    pub(super) fn composer_preview_target(&self) -> Option<crate::preview::Target> {
        let c = self
            .post_composer
            .as_ref()
            .filter(|_| self.mode == Mode::Post)?;
        let img = c.current_image()?;
        Some(crate::preview::Target {
            post_id: COMPOSER_PREVIEW_ID.to_string(),
            url: format!("file://{}", img.path),
        })
    }
}
