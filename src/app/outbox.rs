//! The outbox of the triage queue: medals decided there wait here while
//! the medal window is full, and leave, oldest first, as it frees
//! ([`App::drain_outbox`], called in every update). A decision handed
//! to the write path stays listed (as "sending") until the server
//! answers; every change is mirrored into the store
//! (`Effect::OutboxSave`, `store/outbox.rs`), so a quit or a crash loses
//! none and the next start sends the rest.
//!
//! An answer decides what becomes of it: accepted → done; refused
//! (`CANNOT_MEDAL_OWN_POST`, `POST_NOT_FOUND`, any 4xx, a server fault)
//! → done, listed with the reason for that post, never sent again by
//! itself; the server's medal window was full after all (429) → back at
//! the head of the outbox, sent when the `retry_after` block ends; no
//! answer (the network) → back at the head, sent once the server answers
//! again.

use super::{App, Effect, WriteKind};
use crate::api::{ApiError, Medal};
use crate::store::{OutboxChange, Queued};
use std::collections::VecDeque;

/// While decisions wait on medals whose leaving time is a guess, `me` is
/// read this often (seconds).
pub const OUTBOX_ME_SECS: i64 = 10;

/// The first pause of the outbox after a server fault (seconds), and the
/// longest it grows to.
pub const FAULT_PAUSE_SECS: i64 = 20;
pub const FAULT_PAUSE_MAX_SECS: i64 = 300;

/// Most refused decisions listed (the oldest go first).
pub const REFUSED_KEPT: usize = 20;

/// Where a decision of the outbox is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxState {
    /// Waiting for the medal window.
    Waiting,
    /// Handed to the write path: in the undo window or on its way.
    Sending,
}

/// A decision the server refused, and why (for the outbox list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub queued: Queued,
    pub why: String,
}

/// The outbox (see the module documentation).
#[derive(Debug, Clone, Default)]
pub struct Outbox {
    /// Waiting to be sent, oldest first.
    waiting: VecDeque<Queued>,
    /// Handed to the write path, not answered yet.
    sending: Vec<Queued>,
    /// Store changes not handed to the store yet.
    changes: Vec<OutboxChange>,
    /// Refused decisions, newest last.
    refused: VecDeque<Refused>,
    /// The outbox list's selected row.
    pub cursor: usize,
    /// The quit key was told once that medals wait (the next one quits).
    quit_told: bool,
    /// After a server fault: no decision goes before this local time;
    /// the pause in seconds (doubled by the next fault).
    fault_pause: Option<(crate::api::Timestamp, i64)>,
}

impl Outbox {
    /// Decisions waiting or sending.
    pub fn len(&self) -> usize {
        self.waiting.len() + self.sending.len()
    }

    /// Nothing waits or is on its way.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Decisions waiting for the medal window.
    pub fn waiting(&self) -> usize {
        self.waiting.len()
    }

    /// The decisions, waiting ones first (oldest first), then those on
    /// their way: the rows of the outbox list.
    pub fn rows(&self) -> impl Iterator<Item = (&Queued, OutboxState)> {
        self.waiting
            .iter()
            .map(|q| (q, OutboxState::Waiting))
            .chain(self.sending.iter().map(|q| (q, OutboxState::Sending)))
    }

    /// The refused decisions, newest last.
    pub fn refused(&self) -> impl Iterator<Item = &Refused> {
        self.refused.iter()
    }

    /// The decision for `post_id`, when one waits or is on its way.
    pub fn get(&self, post_id: &str) -> Option<&Queued> {
        self.rows().map(|(q, _)| q).find(|q| q.post_id == post_id)
    }

    /// Decisions kept by an earlier run (from the store): all waiting.
    fn restore(&mut self, items: Vec<Queued>) {
        self.waiting = items.into();
        self.sending.clear();
    }

    /// A new decision: it waits last (one for the same post is replaced).
    fn push(&mut self, q: Queued) {
        self.waiting.retain(|w| w.post_id != q.post_id);
        self.changes.push(OutboxChange::Put(q.clone()));
        self.waiting.push_back(q);
    }

    /// Takes the waiting decision for `post_id` out (cancelled).
    fn cancel_waiting(&mut self, post_id: &str) -> Option<Queued> {
        let i = self.waiting.iter().position(|q| q.post_id == post_id)?;
        let q = self.waiting.remove(i)?;
        self.changes.push(OutboxChange::Remove(q.post_id.clone()));
        Some(q)
    }

    /// Takes the decision on its way for `post_id` out of the list; the
    /// store keeps it until [`Outbox::done`] (or it goes back to waiting).
    fn take_sending(&mut self, post_id: &str) -> Option<Queued> {
        let i = self.sending.iter().position(|q| q.post_id == post_id)?;
        Some(self.sending.remove(i))
    }

    /// The decision on its way for `post_id` was taken back or failed:
    /// it is done with (nothing when none is on its way).
    pub(super) fn forget_sending(&mut self, post_id: &str) {
        if self.take_sending(post_id).is_some() {
            self.done(post_id);
        }
    }

    /// The decision for this post is over (answered or cancelled).
    fn done(&mut self, post_id: &str) {
        self.changes.push(OutboxChange::Remove(post_id.to_string()));
    }

    /// Store changes since the last call.
    fn take_changes(&mut self) -> Vec<OutboxChange> {
        std::mem::take(&mut self.changes)
    }

    fn refuse(&mut self, queued: Queued, why: String) {
        self.refused.push_back(Refused { queued, why });
        while self.refused.len() > REFUSED_KEPT {
            self.refused.pop_front();
        }
    }

    /// Keeps the list's cursor on a row.
    fn clamp_cursor(&mut self) {
        self.cursor = self.cursor.min(self.len().saturating_sub(1));
    }
}

impl App {
    /// Hands back the decisions an earlier run kept in the store (at
    /// start); they are sent as the medal window frees.
    pub fn restore_outbox(&mut self, items: Vec<Queued>) {
        if items.is_empty() {
            return;
        }
        let n = items.len();
        self.outbox.restore(items);
        let key = self.keymap.first_key(super::Action::Outbox);
        let when = if self.options.readonly {
            "not sent in read-only mode (start without --readonly to send them)"
        } else {
            "sent as the medal window frees"
        };
        self.info(format!(
            "{n} medal{} decided in the triage queue still wait{} in the outbox: {when} ({key} lists {}).",
            if n == 1 { "" } else { "s" },
            if n == 1 { "s" } else { "" },
            if n == 1 { "it" } else { "them" },
        ));
    }

    /// The local time the outbox sends again after a server fault.
    pub(super) fn outbox_wake(&self) -> Option<crate::api::Timestamp> {
        self.outbox
            .fault_pause
            .map(|(t, _)| t)
            .filter(|t| *t > self.now && self.outbox.waiting() > 0)
    }

    /// Puts a triage decision into the outbox (sent at once when the
    /// window has room: see [`App::drain_outbox`]).
    pub(super) fn queue_medal(&mut self, post_id: &str, medal: Medal) {
        let author = self
            .post(post_id)
            .map(|p| p.author.handle.clone())
            .unwrap_or_default();
        let queued_at = self.now.timestamp_millis();
        self.outbox.push(Queued {
            post_id: post_id.to_string(),
            medal,
            author,
            queued_at,
        });
    }

    /// Takes back the decision for `post_id` before the server has it:
    /// waiting in the outbox, or held in the undo window. Returns it.
    pub(super) fn cancel_outboxed(&mut self, post_id: &str) -> Option<Queued> {
        if let Some(q) = self.outbox.cancel_waiting(post_id) {
            return Some(q);
        }
        let q = self.outbox.get(post_id).cloned()?;
        // Taken back from the undo window, it leaves the outbox
        // (`App::put_back`).
        self.take_back_held(WriteKind::Medal, post_id).then_some(q)
    }

    /// The quit key while medals wait for the medal window: the first
    /// press says they go out at the next start (the app does not wait a
    /// minute for them); the next quits. Returns whether it held the quit.
    pub(super) fn outbox_holds_quit(&mut self) -> bool {
        let n = self.outbox.waiting();
        if n == 0 || self.outbox.quit_told {
            return false;
        }
        self.outbox.quit_told = true;
        let key = self.keymap.first_key(super::Action::Quit);
        let list = self.keymap.first_key(super::Action::Outbox);
        self.info(format!(
            "{n} medal{} still wait{} in the outbox for the medal window: {} go{} out the next time you open this agent. {key} again quits ({list} lists them).",
            if n == 1 { "" } else { "s" },
            if n == 1 { "s" } else { "" },
            if n == 1 { "it" } else { "they" },
            if n == 1 { "es" } else { "" },
        ));
        true
    }

    /// A medal given outside the triage wins over the decision for the
    /// same post still waiting in the outbox.
    pub(super) fn cancel_waiting_outboxed(&mut self, post_id: &str) {
        self.outbox.cancel_waiting(post_id);
    }

    /// Opens the outbox list (over the feed or the triage).
    pub(super) fn open_outbox(&mut self) {
        self.outbox.cursor = 0;
        self.mode = super::Mode::Outbox;
    }

    /// Closes the outbox list, back to the triage when it is open.
    pub(super) fn close_outbox(&mut self) {
        self.mode = if self.triage.is_some() {
            super::Mode::Triage
        } else {
            super::Mode::Feed
        };
    }

    /// Sends waiting decisions while the medal window has room, oldest
    /// first (called in every update). Nothing goes while the server is
    /// not known to answer, or while a medal for the same post waits.
    pub(super) fn drain_outbox(&mut self, fx: &mut Vec<Effect>) {
        let paused = self.outbox.fault_pause.is_some_and(|(t, _)| t > self.now);
        if self.options.readonly
            || self.session.agent_id.is_empty()
            || self.link.is_failing()
            || self.quit_after_writes.is_some()
            || paused
        {
            return;
        }
        while let Some(front) = self.outbox.waiting.front() {
            let t = self.server_now();
            if self.quota.blocked_until(WriteKind::Medal, t).is_some() {
                if self.quota.guesses_medals() {
                    // The window holds medals counted by the server only
                    // (an earlier run's): when they leave is a guess, so
                    // its count is read again soon.
                    let soon = crate::duration::add_secs(self.now, OUTBOX_ME_SECS);
                    self.next_me_at = self.next_me_at.min(soon);
                }
                return;
            }
            if self.writes_waiting(WriteKind::Medal, &front.post_id) {
                return;
            }
            let Some(q) = self.outbox.waiting.pop_front() else {
                return;
            };
            let write = super::Write::Medal {
                post_id: q.post_id.clone(),
                medal: q.medal.clone(),
            };
            self.outbox.sending.push(q);
            if !self.begin_write(write, fx) {
                // Not started after all (its reason is in the status line):
                // it waits at the head for the next chance.
                if let Some(q) = self.outbox.sending.pop() {
                    self.outbox.waiting.push_front(q);
                }
                return;
            }
        }
    }

    /// The server answered the medal for `post_id` (a pending write's
    /// answer, not a stale one): what becomes of its outbox decision.
    /// Returns what to say instead of the failure when it went back into
    /// the outbox (a 429 keeps its own countdown: `None`).
    pub(super) fn outbox_answered(
        &mut self,
        post_id: &str,
        result: Result<(), &ApiError>,
    ) -> Option<String> {
        use crate::api::Failure;
        let q = self.outbox.take_sending(post_id)?;
        let e = match result {
            Ok(()) => {
                self.outbox.done(post_id);
                self.outbox.fault_pause = None;
                return None;
            }
            Err(e) => e,
        };
        let what = format!(
            "{} medal{}",
            q.medal.as_str().to_lowercase(),
            who(&q.author)
        );
        match e.failure() {
            _ if e.retry_after().is_some() => {
                self.outbox.waiting.push_front(q);
                None
            }
            Failure::NoAnswer => {
                self.outbox.waiting.push_front(q);
                Some(format!(
                    "The {what} is kept in the outbox: no answer from the server ({}); it goes out when the server answers.",
                    e.headline()
                ))
            }
            Failure::ServerFault | Failure::Unreadable => {
                // A fault of the server's own: tried again after a pause
                // that doubles while faults go on (never a tight loop).
                let secs = self
                    .outbox
                    .fault_pause
                    .map_or(FAULT_PAUSE_SECS, |(_, s)| (s * 2).min(FAULT_PAUSE_MAX_SECS));
                let until = crate::duration::add_secs(self.now, secs);
                self.outbox.fault_pause = Some((until, secs));
                self.outbox.waiting.push_front(q);
                Some(format!(
                    "The {what} is kept in the outbox: the server had a fault ({}); tried again in {secs} s.",
                    e.headline()
                ))
            }
            _ => {
                self.outbox.done(post_id);
                self.outbox.refuse(q, super::describe(e));
                None
            }
        }
    }

    /// The outbox's store changes of this update, as one effect (called
    /// last in every update).
    pub(super) fn outbox_effects(&mut self, fx: &mut Vec<Effect>) {
        self.outbox.clamp_cursor();
        let changes = self.outbox.take_changes();
        if !changes.is_empty() {
            fx.push(Effect::OutboxSave(changes));
        }
    }

    /// The outbox list: cancels the selected decision when it has not
    /// reached the server yet.
    pub(super) fn cancel_selected_outboxed(&mut self) {
        let Some((q, _)) = self.outbox.rows().nth(self.outbox.cursor) else {
            // Nothing waits: the key clears the list of refusals.
            let n = self.outbox.refused.len();
            self.outbox.refused.clear();
            self.info(if n == 0 {
                "The outbox is empty: nothing to cancel.".to_string()
            } else {
                format!(
                    "Cleared {n} refused medal{} from the list.",
                    if n == 1 { "" } else { "s" }
                )
            });
            return;
        };
        let q = q.clone();
        let whose = who(&q.author);
        let medal = q.medal.as_str().to_lowercase();
        match self.cancel_outboxed(&q.post_id) {
            Some(_) => self.info(format!(
                "Cancelled the {medal} medal{whose}: nothing was sent."
            )),
            None => self.info(format!(
                "The {medal} medal{whose} is already on its way: it cannot be cancelled."
            )),
        }
    }
}

/// " for @handle", or nothing when the handle is unknown.
pub(super) fn who(handle: &str) -> String {
    if handle.is_empty() {
        String::new()
    } else {
        format!(" for @{}", crate::text::clean_line(handle))
    }
}
