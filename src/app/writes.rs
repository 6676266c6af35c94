//! One lifecycle for the optimistic writes: a like, a medal, a comment.
//!
//! Every write goes the same way ([`App::begin_write`], then
//! [`App::on_write`] with the server's answer):
//!
//! 1. refused at once while the same write is waiting for its answer, or
//!    while the quota state says the server would refuse it (a like or
//!    medal block, the medal window, the comment cooldown: all in
//!    [`QuotaState`](super::QuotaState));
//! 2. applied on screen at once ([`App::apply_write`], per kind) and
//!    remembered as pending with its request number and what to put back;
//! 3. the answer: a stale one (another request number) is dropped; a
//!    success confirms (server numbers win, [`App::confirm_write`]); a
//!    failure rolls back ([`App::roll_back_write`]), is remembered for `R`
//!    when worth retrying, and a `retry_after` blocks that kind of write in
//!    the quota state with a live countdown in the status line.
//!
//! A like or a medal first waits in the undo window (`undo_secs`,
//! [`Options::undo_secs`](super::Options)): shown at once, sent when the
//! window ends ([`App::send_due_writes`]) unless the `undo` key takes it
//! back first ([`App::undo_held`]); another press on the same post
//! replaces the waiting one (a second like cancels it). Quitting sends
//! what waits and waits briefly for the answers ([`App::quit`]).
//!
//! Every sentence a write shows is in [`WriteKind`]'s table below.

use super::ServerTime;
use super::{describe, Action, App, Composer, Effect, Mode};
use crate::api::error::{Failure, COMMENT_WAIT, MEDAL_WAIT};
use crate::api::Timestamp;
use crate::api::{ApiError, LikeResponse, Medal, MedalCounts, VoteResponse};
use crate::duration::{add_secs, secs_i64};
use std::collections::{HashMap, HashSet};

/// Longest wait, after the quit key, for the answers to the writes still
/// on their way (a second press quits at once).
pub const QUIT_WAIT_SECS: i64 = 5;

/// The kinds of write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WriteKind {
    Like,
    Medal,
    Comment,
}

impl WriteKind {
    /// The status line while this write is still waiting for its answer
    /// and the user asks again.
    fn still_waiting(self) -> &'static str {
        match self {
            WriteKind::Like => "Still waiting for the server to answer the last like of this post.",
            WriteKind::Medal => {
                "Still waiting for the server to answer the last medal of this post."
            }
            WriteKind::Comment => "Sending… wait for the server's answer.",
        }
    }

    /// The start of the status line while this kind of write is blocked
    /// (the time left follows, counting down).
    fn wait_prefix(self) -> &'static str {
        match self {
            WriteKind::Like => "Rate limited: likes are possible again in ",
            WriteKind::Medal => MEDAL_WAIT,
            WriteKind::Comment => COMMENT_WAIT,
        }
    }

    /// The start of the status line when this write failed.
    fn failed(self) -> &'static str {
        match self {
            WriteKind::Like => "Like not saved: ",
            WriteKind::Medal => "Medal not given: ",
            WriteKind::Comment => "Comment not sent: ",
        }
    }

    /// Said after a failure: what was not lost.
    fn kept(self) -> &'static str {
        match self {
            WriteKind::Comment => " Your text is kept.",
            WriteKind::Like | WriteKind::Medal => "",
        }
    }

    /// Its apply changes the post's numbers on screen (a feed refresh
    /// keeps them while the write is pending).
    fn changes_post(self) -> bool {
        matches!(self, WriteKind::Like | WriteKind::Medal)
    }

    /// Only one write of this kind may wait at a time, whatever the post.
    fn one_at_a_time(self) -> bool {
        self == WriteKind::Comment
    }

    /// Waits in the undo window before it is sent (a comment has its own
    /// editor and confirmation).
    fn held(self) -> bool {
        matches!(self, WriteKind::Like | WriteKind::Medal)
    }
}

/// A write as asked for: what is sent, and what `R` sends again when it
/// failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Write {
    /// A like toggle that should leave the post `liked` (or not).
    Like { post_id: String, liked: bool },
    /// A medal.
    Medal { post_id: String, medal: Medal },
    /// A comment with the body sent (trimmed).
    Comment { post_id: String, body: String },
}

impl Write {
    /// The post the write is for.
    pub fn post_id(&self) -> &str {
        match self {
            Write::Like { post_id, .. }
            | Write::Medal { post_id, .. }
            | Write::Comment { post_id, .. } => post_id,
        }
    }

    /// Its kind.
    pub fn kind(&self) -> WriteKind {
        match self {
            Write::Like { .. } => WriteKind::Like,
            Write::Medal { .. } => WriteKind::Medal,
            Write::Comment { .. } => WriteKind::Comment,
        }
    }

    /// What it is, for the status line: "gold medal", "like", "unlike",
    /// "comment".
    fn noun(&self) -> String {
        match self {
            Write::Like { liked: true, .. } => "like".into(),
            Write::Like { liked: false, .. } => "unlike".into(),
            Write::Medal { medal, .. } => format!("{} medal", medal.to_string().to_lowercase()),
            Write::Comment { .. } => "comment".into(),
        }
    }

    /// The effect that sends it.
    fn effect(&self, request: u64) -> Effect {
        match self.clone() {
            Write::Like { post_id, .. } => Effect::ToggleLike { post_id, request },
            Write::Medal { post_id, medal } => Effect::Vote {
                post_id,
                medal,
                request,
            },
            Write::Comment { post_id, body } => Effect::Comment {
                post_id,
                body,
                request,
            },
        }
    }
}

/// The server's answer to a write.
#[derive(Debug, Clone)]
pub(super) enum Answer {
    Like(LikeResponse),
    Medal(VoteResponse),
    /// The comment was posted (its text is the one sent).
    Comment,
}

/// What a write changed on screen, to put back when it fails.
#[derive(Debug, Clone)]
enum Undo {
    Like {
        liked: bool,
        likes: u64,
    },
    Medal {
        medal: Option<Medal>,
        counts: MedalCounts,
        /// Server time recorded in the medal window at send time.
        sent_at: ServerTime,
    },
    /// A comment changes nothing before its answer (the editor only says
    /// "sending").
    Comment,
}

/// A write waiting in the undo window or for its answer.
#[derive(Debug, Clone)]
struct Pending {
    request: u64,
    write: Write,
    undo: Undo,
    /// In the undo window: the local time it is sent (`None`: sent).
    send_at: Option<Timestamp>,
}

/// The writes waiting for their answer, and the last one that failed.
#[derive(Debug, Clone, Default)]
pub struct Writes {
    pending: HashMap<(WriteKind, String), Pending>,
    /// The last write that failed with an error worth retrying (network,
    /// timeout, 5xx, 429), kept for `R` until it is retried, succeeds or
    /// another one fails. Never retried automatically: likes and comments
    /// are not idempotent (CONTRACT.md, like and comments sections).
    last_failed: Option<Write>,
}

impl Writes {
    /// A write of `kind` for `post_id` waits (for a one-at-a-time kind:
    /// any write of that kind).
    fn waiting(&self, kind: WriteKind, post_id: &str) -> bool {
        if kind.one_at_a_time() {
            self.pending.keys().any(|(k, _)| *k == kind)
        } else {
            self.pending.contains_key(&(kind, post_id.to_string()))
        }
    }

    /// A write that changes the post's numbers waits for this post.
    pub fn changes_pending(&self, post_id: &str) -> bool {
        self.pending
            .keys()
            .any(|(k, id)| k.changes_post() && id == post_id)
    }

    /// The posts whose numbers a pending write changed (a feed refresh
    /// keeps what they show).
    pub fn changing_posts(&self) -> HashSet<String> {
        self.pending
            .keys()
            .filter(|(k, _)| k.changes_post())
            .map(|(_, id)| id.clone())
            .collect()
    }

    /// How many writes wait in the undo window.
    pub fn held_count(&self) -> usize {
        self.pending
            .values()
            .filter(|p| p.send_at.is_some())
            .count()
    }

    /// The local time the next write in the undo window is sent.
    pub fn next_send(&self) -> Option<Timestamp> {
        self.pending.values().filter_map(|p| p.send_at).min()
    }

    /// The writes whose undo window ended by `now` (all of them when `now`
    /// is `None`), now marked as sent at server time `sent`: their effects.
    /// A medal's place in the medal window moves from when it was shown to
    /// `sent` (the server counts it from when it arrives).
    fn release(
        &mut self,
        now: Option<Timestamp>,
        sent: ServerTime,
        quota: &mut super::QuotaState,
    ) -> Vec<Effect> {
        let mut due: Vec<&mut Pending> = self
            .pending
            .values_mut()
            .filter(|p| p.send_at.is_some_and(|t| now.is_none_or(|n| t <= n)))
            .collect();
        due.sort_by_key(|p| p.request);
        due.into_iter()
            .map(|p| {
                p.send_at = None;
                if let Undo::Medal { sent_at, .. } = &mut p.undo {
                    quota.unrecord_medal(*sent_at);
                    quota.record_medal(sent);
                    *sent_at = sent;
                }
                p.write.effect(p.request)
            })
            .collect()
    }

    /// Medals shown here that the server has not answered yet (in the
    /// undo window or on their way): its count may not hold them yet.
    pub fn medals_unanswered(&self) -> u32 {
        let n = self
            .pending
            .keys()
            .filter(|(k, _)| *k == WriteKind::Medal)
            .count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    /// Takes the write of `kind` for `post_id` out of the undo window.
    fn take_held(&mut self, kind: WriteKind, post_id: &str) -> Option<Pending> {
        let key = (kind, post_id.to_string());
        match self.pending.get(&key) {
            Some(p) if p.send_at.is_some() => self.pending.remove(&key),
            _ => None,
        }
    }

    /// Takes the newest write out of the undo window.
    fn take_newest_held(&mut self) -> Option<Pending> {
        let key = self
            .pending
            .iter()
            .filter(|(_, p)| p.send_at.is_some())
            .max_by_key(|(_, p)| p.request)
            .map(|(k, _)| k.clone())?;
        self.pending.remove(&key)
    }

    /// A comment is waiting for its answer.
    pub fn comment_pending(&self) -> bool {
        self.waiting(WriteKind::Comment, "")
    }

    /// The last failed write that `R` would send again.
    pub fn last_failed(&self) -> Option<&Write> {
        self.last_failed.as_ref()
    }

    /// Takes the last failed write (it is sent again once).
    pub(super) fn take_failed(&mut self) -> Option<Write> {
        self.last_failed.take()
    }

    /// The pending write of `kind` for `post_id` when `request` is its
    /// number (else the answer is stale: `None`).
    fn take(&mut self, kind: WriteKind, post_id: &str, request: u64) -> Option<Pending> {
        let key = (kind, post_id.to_string());
        match self.pending.get(&key) {
            Some(p) if p.request == request => self.pending.remove(&key),
            _ => None,
        }
    }
}

/// The text typed after the comment `sent` was sent, when the editor holds
/// more than it: the rest after `sent` when the editor starts with it, else
/// the whole text. `None` when the editor holds just `sent` (or nothing).
fn text_after_sent(current: &str, sent: &str) -> Option<String> {
    let cur = current.trim();
    if cur.is_empty() || cur == sent {
        return None;
    }
    let rest = cur.strip_prefix(sent).map(str::trim_start).unwrap_or(cur);
    (!rest.is_empty()).then(|| rest.to_string())
}

impl App {
    /// The last failed write that `R` would send again.
    pub fn last_failed(&self) -> Option<&Write> {
        self.writes.last_failed()
    }

    /// Starts `write` (its own checks already passed): refused while the
    /// same write waits or its kind is blocked, else applied on screen,
    /// remembered as pending and sent. Returns whether it was started.
    pub(super) fn begin_write(&mut self, write: Write, fx: &mut Vec<Effect>) -> bool {
        let kind = write.kind();
        if let Some(held) = self.writes.take_held(kind, write.post_id()) {
            // Pressed again in the undo window: the waiting one is replaced.
            self.put_back(&held);
            if self.shows(&write) {
                self.info(format!(
                    "Took back the {}: nothing was sent.",
                    held.write.noun()
                ));
                return false;
            }
        }
        if self.writes.waiting(kind, write.post_id()) {
            self.info(kind.still_waiting());
            return false;
        }
        let t = self.server_now();
        if let Some(until) = self.quota.blocked_until(kind, t) {
            self.wait_error(kind.wait_prefix(), until, ".");
            return false;
        }
        let request = self.next_request();
        let undo = self.apply_write(&write, request, t);
        let window = secs_i64(self.options.undo_secs);
        let send_at = (kind.held() && window > 0).then(|| add_secs(self.now, window));
        match send_at {
            Some(_) => self.announce_held(&write, window),
            None => {
                fx.push(write.effect(request));
                self.clear_status();
            }
        }
        let key = (kind, write.post_id().to_string());
        self.writes.pending.insert(
            key,
            Pending {
                request,
                write,
                undo,
                send_at,
            },
        );
        true
    }

    /// The post already shows what `write` would make it show.
    fn shows(&self, write: &Write) -> bool {
        match write {
            Write::Like { post_id, liked } => {
                self.post(post_id).is_some_and(|p| p.agent_liked == *liked)
            }
            Write::Medal { post_id, medal } => self
                .post(post_id)
                .is_some_and(|p| p.agent_medal.as_ref() == Some(medal)),
            Write::Comment { .. } => false,
        }
    }

    /// The status line while `write` waits in the undo window: what, to
    /// whom, the seconds left and the key that takes it back.
    fn announce_held(&mut self, write: &Write, window: i64) {
        let author = self
            .post(write.post_id())
            .map(|p| format!(" for @{}", p.author.handle))
            .unwrap_or_default();
        let mut noun = write.noun();
        if let Some(first) = noun.get(..1) {
            noun = format!("{}{}", first.to_uppercase(), &noun[1..]);
        }
        let key = self.keymap.first_key(Action::Undo);
        let suffix = if key.is_empty() {
            ".".to_string()
        } else {
            format!(" · {key} takes it back.")
        };
        let t = self.server_now();
        let until = t.plus_secs(window);
        self.status = Some(
            super::Status::wait(
                &format!("{noun}{author}: sending in "),
                until,
                &suffix,
                self.now,
                t,
            )
            .as_info(),
        );
    }

    /// Sends the writes whose undo window is over (called in every update).
    /// Sends every write still in its undo window, due or not (the
    /// profile is left: no tick reaches it while another one is drawn).
    pub(super) fn send_all_held(&mut self, fx: &mut Vec<Effect>) {
        self.release_held(None, fx);
    }

    /// The program is being ended (a signal): the writes still in their
    /// undo window are sent now, as the quit key does. Their effects.
    pub fn send_held_now(&mut self) -> Vec<Effect> {
        let mut fx = Vec::new();
        self.send_all_held(&mut fx);
        fx
    }

    /// Some like, medal or comment waits for the server's answer.
    pub fn writes_unanswered(&self) -> bool {
        !self.writes.pending.is_empty()
    }

    pub(super) fn send_due_writes(&mut self, fx: &mut Vec<Effect>) {
        self.release_held(Some(self.now), fx);
    }

    /// Sends the held writes due by `now` (all when `None`).
    fn release_held(&mut self, now: Option<Timestamp>, fx: &mut Vec<Effect>) {
        let sent = self.server_now();
        fx.extend(self.writes.release(now, sent, &mut self.quota));
    }

    /// The `undo` key: takes the newest write out of the undo window and
    /// puts back what it showed; nothing is sent.
    pub(super) fn undo_held(&mut self) {
        match self.writes.take_newest_held() {
            Some(held) => {
                self.put_back(&held);
                let left = self.writes.held_count();
                let more = if left > 0 {
                    format!(" ({left} more still waiting.)")
                } else {
                    String::new()
                };
                self.info(format!(
                    "Took back the {}: nothing was sent.{more}",
                    held.write.noun()
                ));
            }
            None if self.options.undo_secs == 0 => self
                .info("Nothing to take back: likes and medals are sent at once (undo_secs = 0)."),
            None => self.info(
                "Nothing to take back: only a like or medal still waiting to be sent can be.",
            ),
        }
    }

    /// The quit key. Writes in the undo window are sent now; while any
    /// write waits for its answer the app stays (at most
    /// [`QUIT_WAIT_SECS`], or until the quit key is pressed again) so that
    /// none is cut off unseen.
    pub(super) fn quit(&mut self, fx: &mut Vec<Effect>) {
        if self.outbox_holds_quit() {
            return;
        }
        let mut sent = Vec::new();
        self.release_held(None, &mut sent);
        let n = self.writes.pending.len();
        if self.quit_after_writes.is_none() && n > 0 {
            fx.extend(sent);
            self.quit_after_writes = Some(add_secs(self.now, QUIT_WAIT_SECS));
            let key = self.keymap.first_key(Action::Quit);
            let what = if n == 1 {
                "1 write".to_string()
            } else {
                format!("{n} writes")
            };
            self.info(format!(
                "Quitting once the server has answered {what} (at most {QUIT_WAIT_SECS} s; {key} quits now)."
            ));
            return;
        }
        fx.extend(sent);
        self.quit_now(fx);
    }

    /// Quits when the writes a quit waits for are answered or their time
    /// is up (called in every update).
    pub(super) fn quit_when_answered(&mut self, fx: &mut Vec<Effect>) {
        let Some(deadline) = self.quit_after_writes else {
            return;
        };
        if !self.should_quit && (self.writes.pending.is_empty() || deadline <= self.now) {
            self.quit_now(fx);
        }
    }

    /// The server answered a write of `kind` for `post_id` (request number
    /// `request`).
    pub(super) fn on_write(
        &mut self,
        kind: WriteKind,
        post_id: String,
        request: u64,
        result: Result<Answer, ApiError>,
        fx: &mut Vec<Effect>,
    ) {
        self.note_result(result.as_ref().err());
        let Some(pending) = self.writes.take(kind, &post_id, request) else {
            return; // stale
        };
        // Before the roll-back, which would forget an outbox decision.
        let kept = if kind == WriteKind::Medal {
            self.outbox_answered(&post_id, result.as_ref().map(|_| ()))
        } else {
            None
        };
        match result {
            Ok(answer) => {
                if self
                    .writes
                    .last_failed
                    .as_ref()
                    .is_some_and(|f| f.kind() == kind && f.post_id() == post_id)
                {
                    self.writes.last_failed = None;
                }
                self.confirm_write(&pending, answer);
                self.fetch_me(fx);
            }
            Err(e) => {
                self.roll_back_write(&pending, fx);
                self.writes.last_failed = e.is_retryable().then(|| pending.write.clone());
                if let Some(secs) = e.retry_after() {
                    let until = self.server_now().plus_secs(secs_i64(secs));
                    self.quota.block(kind, until);
                    let suffix = format!(".{}", kind.kept());
                    self.wait_error(kind.wait_prefix(), until, &suffix);
                } else {
                    // The key that sends it again, shown while it works: in
                    // the comment's own editor its send key, else `R`.
                    let editor_here = kind == WriteKind::Comment
                        && self.composer.as_ref().is_some_and(|c| c.post_id == post_id);
                    let offer = e.is_retryable().then_some(if editor_here {
                        Action::Send
                    } else {
                        Action::Retry
                    });
                    self.error_offering(
                        format!("{}{}{}", kind.failed(), describe(&e), kind.kept()),
                        offer,
                    );
                }
                if let Some(why) = kept {
                    // Back in the outbox, which sends it again by itself:
                    // nothing for the user to redo (and no `R`).
                    self.writes.last_failed = None;
                    self.status = Some(super::Status::info(why, self.now));
                }
            }
        }
    }

    /// Shows the write on screen before the server answers; returns what
    /// to put back if it fails.
    fn apply_write(&mut self, write: &Write, request: u64, t: ServerTime) -> Undo {
        match write {
            Write::Like { post_id, liked } => {
                let (was, likes) = self
                    .post(post_id)
                    .map_or((!liked, 0), |p| (p.agent_liked, p.stats.likes));
                let new_likes = if *liked {
                    likes.saturating_add(1)
                } else {
                    likes.saturating_sub(1)
                };
                let liked = *liked;
                self.for_each_post(post_id, |p| {
                    p.agent_liked = liked;
                    p.stats.likes = new_likes;
                });
                Undo::Like { liked: was, likes }
            }
            Write::Medal { post_id, medal } => {
                let (prev, counts) = self
                    .post(post_id)
                    .map(|p| (p.agent_medal.clone(), p.stats.medals))
                    .unwrap_or_default();
                self.quota.record_medal(t);
                let old = prev.clone();
                self.for_each_post(post_id, |p| {
                    if let Some(c) = old.as_ref().and_then(|m| p.stats.medals.get_mut(m)) {
                        *c = c.saturating_sub(1);
                    }
                    if let Some(c) = p.stats.medals.get_mut(medal) {
                        *c = c.saturating_add(1);
                    }
                    p.agent_medal = Some(medal.clone());
                });
                self.refilter();
                Undo::Medal {
                    medal: prev,
                    counts,
                    sent_at: t,
                }
            }
            Write::Comment { .. } => {
                if let Some(c) = self.composer.as_mut() {
                    c.sending = Some(request);
                }
                Undo::Comment
            }
        }
    }

    /// A write succeeded: the server's numbers win.
    fn confirm_write(&mut self, pending: &Pending, answer: Answer) {
        let post_id = pending.write.post_id();
        match answer {
            Answer::Like(resp) => self.for_each_post(post_id, |p| {
                p.agent_liked = resp.liked;
                p.stats.likes = resp.likes;
            }),
            Answer::Medal(resp) => {
                let medal = resp.medal_type;
                self.for_each_post(post_id, |p| {
                    p.stats.medals = resp.ai_medals;
                    if let Some(m) = &medal {
                        p.agent_medal = Some(m.clone());
                    }
                });
                self.refilter();
            }
            Answer::Comment => self.comment_posted(pending),
        }
    }

    /// A write failed: what it showed is put back.
    fn roll_back_write(&mut self, pending: &Pending, fx: &mut Vec<Effect>) {
        self.put_back(pending);
        if matches!(pending.undo, Undo::Medal { .. }) {
            // The medal gauge counted it: read the server's count.
            self.fetch_me(fx);
        }
    }

    /// A write of `kind` for `post_id` waits (held or on its way).
    pub(super) fn writes_waiting(&self, kind: WriteKind, post_id: &str) -> bool {
        self.writes.waiting(kind, post_id)
    }

    /// Takes the write of `kind` for `post_id` out of the undo window and
    /// puts back what it showed; whether there was one.
    pub(super) fn take_back_held(&mut self, kind: WriteKind, post_id: &str) -> bool {
        match self.writes.take_held(kind, post_id) {
            Some(held) => {
                self.put_back(&held);
                true
            }
            None => false,
        }
    }

    /// Puts back what a write showed (failed, or taken back before it was
    /// sent). A medal from the triage outbox taken back is done with.
    fn put_back(&mut self, pending: &Pending) {
        let post_id = pending.write.post_id().to_string();
        if pending.write.kind() == WriteKind::Medal {
            self.outbox.forget_sending(&post_id);
        }
        match &pending.undo {
            Undo::Like { liked, likes } => {
                let (liked, likes) = (*liked, *likes);
                self.for_each_post(&post_id, |p| {
                    p.agent_liked = liked;
                    p.stats.likes = likes;
                });
            }
            Undo::Medal {
                medal,
                counts,
                sent_at,
            } => {
                self.for_each_post(&post_id, |p| {
                    p.agent_medal = medal.clone();
                    p.stats.medals = *counts;
                });
                self.refilter();
                self.quota.unrecord_medal(*sent_at);
            }
            Undo::Comment => {
                let editor_here = self.release_editor(&post_id, pending.request);
                if let Write::Comment { body, .. } = &pending.write {
                    if !editor_here && !self.drafts.contains_key(&post_id) {
                        // The editor was closed meanwhile: never lose the text.
                        self.drafts.insert(post_id, body.clone());
                    }
                }
            }
        }
    }

    /// The comment's editor, when still open on it, stops saying
    /// "sending"; returns whether it was.
    fn release_editor(&mut self, post_id: &str, request: u64) -> bool {
        match self.composer.as_mut() {
            Some(c) if c.post_id == post_id && c.sending == Some(request) => {
                c.sending = None;
                true
            }
            _ => false,
        }
    }

    /// A comment was posted: the count, the cooldown, the draft, and the
    /// editor (closed, or kept with what was typed since).
    fn comment_posted(&mut self, pending: &Pending) {
        let Write::Comment { post_id, body } = &pending.write else {
            return;
        };
        let editor_here = self.release_editor(post_id, pending.request);
        self.for_each_post(post_id, |p| {
            p.stats.comments = p.stats.comments.saturating_add(1)
        });
        let t = self.server_now();
        let cooldown_end = t.plus_secs(self.quota.comment_cooldown);
        self.quota.block(WriteKind::Comment, cooldown_end);
        self.drafts.remove(post_id);
        // Text typed while the comment was on its way is kept.
        let newer = if editor_here {
            self.composer
                .as_ref()
                .and_then(|c| text_after_sent(&c.text(), body))
        } else {
            None
        };
        match newer {
            Some(rest) => {
                if let Some(c) = self.composer.as_mut() {
                    *c = Composer::new(c.post_id.clone(), c.author.clone(), &rest);
                }
                self.info("Comment posted; the editor keeps what you typed since.");
            }
            None => {
                if editor_here {
                    self.composer = None;
                    if matches!(self.mode, Mode::Editor | Mode::Confirm) {
                        self.mode = Mode::Feed;
                    }
                }
                self.info("Comment posted.");
            }
        }
    }

    /// Records the outcome of a write for the link: no answer at all means
    /// the link is down (a resync is scheduled); any answer means it is
    /// up. Writes themselves are never retried.
    fn note_result(&mut self, e: Option<&ApiError>) {
        match e {
            Some(e) if e.failure() == Failure::NoAnswer => {
                self.link.fail(self.now, e.headline());
            }
            Some(e) if e.is_auth_error() => self.link.refuse(describe(e)),
            Some(e) if e.failure() == Failure::ServerFault => {}
            // An answer, but the feed still fails: not live yet.
            _ if self.feed_failing => self.link.heard(self.now),
            _ => {
                self.link.ok(self.now);
            }
        }
    }
}

#[cfg(test)]
#[path = "writes_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "undo_tests.rs"]
mod undo_tests;
