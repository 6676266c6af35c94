//! Mute and hide: `x` hides the selected post, `M` mutes its author, `X`
//! one of its tags (asked in a small list when it has several), `V` lists
//! the mutes, where `d` removes one. What they match leaves both feed
//! lists (lent to them with the filter, see [`super::ViewSpec`]); the feed
//! title counts it. They are kept per account in the store
//! (`store/mutes.rs`, written through [`Effect::SaveMute`], read by the
//! runtime at start: [`App::set_mutes`]).
//!
//! Mutes hide posts from the feed only: the archive views (author,
//! search, history) show what was asked for, and the `[[watch]]` rules,
//! explicit, still see every post (a watched author muted in the feed
//! still notifies).

use super::{Action, App, Effect, Mode};
use crate::api::FeedItem;
use crate::store::{Mute, MuteChange, MuteKind};
use crate::text::{clean_line, truncate};
use std::collections::HashSet;

/// The account's mutes, oldest first, their text sanitized.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mutes {
    list: Vec<Mute>,
}

impl Mutes {
    /// The mutes of `list` (read from the store: sanitized here, the same
    /// one given twice kept once).
    pub fn new(list: Vec<Mute>) -> Mutes {
        let mut m = Mutes::default();
        for mut one in list {
            one.value = Mute::normalize(one.kind, &clean_line(&one.value));
            one.label = clean_line(&one.label);
            m.add(one);
        }
        m
    }

    /// Every mute, oldest first.
    pub fn list(&self) -> &[Mute] {
        &self.list
    }

    /// Nothing is muted.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Whether the mute of `kind` on `value` (normalized) exists.
    pub fn has(&self, kind: MuteKind, value: &str) -> bool {
        self.list.iter().any(|m| m.kind == kind && m.value == value)
    }

    /// Adds `m` unless the same mute exists; whether it was added.
    fn add(&mut self, m: Mute) -> bool {
        if self.has(m.kind, &m.value) {
            return false;
        }
        self.list.push(m);
        true
    }

    /// Whether a mute hides `item` (sanitized): its id hidden, its author's
    /// handle or one of its tags muted (case ignored).
    pub fn hides(&self, item: &FeedItem) -> bool {
        self.list.iter().any(|m| match m.kind {
            MuteKind::Post => item.id == m.value,
            MuteKind::Author => Mute::normalize(MuteKind::Author, &item.author.handle) == m.value,
            MuteKind::Tag => item
                .tags
                .iter()
                .any(|t| Mute::normalize(MuteKind::Tag, t) == m.value),
        })
    }
}

/// How a mute is named in messages and in the list: `@pixel-poet`,
/// `#neon`, `the post @ana · A cat`.
pub fn mute_name(m: &Mute) -> String {
    match m.kind {
        MuteKind::Author => format!("@{}", m.value),
        MuteKind::Tag => format!("#{}", m.value),
        MuteKind::Post if m.label.is_empty() => format!("the post {}", m.value),
        MuteKind::Post => format!("the post {}", m.label),
    }
}

/// The tag question of `X` on a post with several tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagChoice {
    /// The post's tags (sanitized), in its order.
    pub tags: Vec<String>,
    /// The line chosen.
    pub cursor: usize,
}

fn plural(n: usize) -> String {
    format!("{n} post{}", if n == 1 { "" } else { "s" })
}

impl App {
    /// The account's mutes, read from the store at start (replacing any
    /// held): the lists are filtered again at once.
    pub fn set_mutes(&mut self, list: Vec<Mute>) {
        self.mutes = Mutes::new(list);
        self.mutes_cursor = 0;
        self.apply_view();
    }

    /// The ids of the loaded posts (both lists) the mutes hide.
    fn muted_ids(&self) -> HashSet<String> {
        self.latest
            .items()
            .iter()
            .chain(self.rising.items())
            .filter(|p| self.mutes.hides(p))
            .map(|p| p.id.clone())
            .collect()
    }

    /// The keys of mute and hide and of their two lists.
    pub(super) fn mutes_act(&mut self, action: Action, fx: &mut Vec<Effect>) {
        match action {
            Action::HidePost => self.hide_post(fx),
            Action::MuteAuthor => self.mute_author(fx),
            Action::MuteTag => self.mute_tag(fx),
            Action::Mutes => {
                self.mode = Mode::Mutes;
                self.mutes_cursor = self
                    .mutes_cursor
                    .min(self.mutes.list.len().saturating_sub(1));
            }
            Action::MutesDown => {
                let last = self.mutes.list.len().saturating_sub(1);
                self.mutes_cursor = (self.mutes_cursor + 1).min(last);
            }
            Action::MutesUp => self.mutes_cursor = self.mutes_cursor.saturating_sub(1),
            Action::Unmute => self.unmute(fx),
            Action::CloseMutes => self.mode = Mode::Feed,
            Action::TagDown => {
                if let Some(c) = self.tag_choice.as_mut() {
                    c.cursor = (c.cursor + 1).min(c.tags.len().saturating_sub(1));
                }
            }
            Action::TagUp => {
                if let Some(c) = self.tag_choice.as_mut() {
                    c.cursor = c.cursor.saturating_sub(1);
                }
            }
            Action::TagChoose => {
                self.mode = Mode::Feed;
                if let Some(c) = self.tag_choice.take() {
                    if let Some(tag) = c.tags.get(c.cursor) {
                        self.add_mute(Mute::new(MuteKind::Tag, tag, "", self.now_ms()), fx);
                    }
                }
            }
            Action::CloseTags => {
                self.mode = Mode::Feed;
                self.tag_choice = None;
                self.info("No tag muted.");
            }
            _ => {}
        }
    }

    fn now_ms(&self) -> i64 {
        self.now.timestamp_millis()
    }

    fn hide_post(&mut self, fx: &mut Vec<Effect>) {
        let Some(p) = self.selected() else {
            self.info("No post selected.");
            return;
        };
        let caption = p.caption.as_deref().unwrap_or("").replace('\n', " ");
        let label = truncate(&format!("@{} · {}", p.author.handle, caption.trim()), 60);
        let m = Mute::new(MuteKind::Post, &p.id, &label, self.now_ms());
        self.add_mute(m, fx);
    }

    fn mute_author(&mut self, fx: &mut Vec<Effect>) {
        let Some(p) = self.selected() else {
            self.info("No post selected.");
            return;
        };
        let m = Mute::new(MuteKind::Author, &p.author.handle, "", self.now_ms());
        if m.value.is_empty() {
            self.info("This post's author has no handle to mute.");
            return;
        }
        self.add_mute(m, fx);
    }

    fn mute_tag(&mut self, fx: &mut Vec<Effect>) {
        let Some(p) = self.selected() else {
            self.info("No post selected.");
            return;
        };
        let mut tags: Vec<String> = Vec::new();
        for t in &p.tags {
            let n = Mute::normalize(MuteKind::Tag, t);
            if !n.is_empty() && !tags.iter().any(|u| Mute::normalize(MuteKind::Tag, u) == n) {
                tags.push(t.clone());
            }
        }
        match tags.as_slice() {
            [] => self.info("This post has no tags to mute."),
            [one] => {
                let m = Mute::new(MuteKind::Tag, one, "", self.now_ms());
                self.add_mute(m, fx);
            }
            _ => {
                self.tag_choice = Some(TagChoice { tags, cursor: 0 });
                self.mode = Mode::MuteTag;
            }
        }
    }

    /// Adds `m` (unless it exists), filters the lists again, asks the store
    /// to keep it and says what it hid and how to undo it.
    fn add_mute(&mut self, m: Mute, fx: &mut Vec<Effect>) {
        let name = mute_name(&m);
        let list = self.keymap.first_key(Action::Mutes);
        if self.mutes.has(m.kind, &m.value) {
            self.info(format!("{name} is already muted · {list} lists mutes."));
            return;
        }
        let before = self.muted_ids().len();
        self.mutes.add(m.clone());
        self.apply_view();
        let n = self.muted_ids().len().saturating_sub(before);
        fx.push(Effect::SaveMute(MuteChange::Put(m.clone())));
        let text = match m.kind {
            MuteKind::Post => format!("Hid {name} · {list} lists mutes."),
            _ => format!("Muted {name}: {} hidden · {list} lists mutes.", plural(n)),
        };
        self.info(text);
        self.maybe_load_more(fx);
    }

    fn unmute(&mut self, fx: &mut Vec<Effect>) {
        if self.mutes_cursor >= self.mutes.list.len() {
            return;
        }
        let before = self.muted_ids().len();
        let m = self.mutes.list.remove(self.mutes_cursor);
        self.mutes_cursor = self
            .mutes_cursor
            .min(self.mutes.list.len().saturating_sub(1));
        self.apply_view();
        let n = before.saturating_sub(self.muted_ids().len());
        fx.push(Effect::SaveMute(MuteChange::Remove(
            m.kind,
            m.value.clone(),
        )));
        self.info(format!("Unmuted {}: {} back.", mute_name(&m), plural(n)));
    }

    /// The store's answer to a [`Effect::SaveMute`]: a failure is said
    /// (the mute holds in this session).
    pub(super) fn on_mute_saved(&mut self, r: Result<(), String>) {
        if let Err(e) = r {
            self.error(format!(
                "Could not keep the change of mutes in the archive ({e}); it holds until you quit."
            ));
        }
    }
}
