//! The triage queue (`T`): the posts of the feed on screen that I have
//! not medalled and did not write, one at a time with the post pane
//! filling the body, oldest first on latest or in rising order on rising
//! (`tab` switches). Gold / silver / bronze put the decision into the
//! outbox (`app/outbox.rs`: sent at once while the medal window has
//! room, else as it frees) and go on to the next post; skip goes on;
//! undo takes the last decision back (out of the outbox or the undo
//! window when it has not reached the server) and shows its post again.
//!
//! The walk is worked out from the feed list each time: a post is next
//! when it is not mine, not medalled, not in the outbox and not passed in
//! this triage, so pages arriving meanwhile (new posts, numbers) join the
//! walk without a list of their own.

use super::outbox::who;
use super::{Action, App, FeedSort, Mode};
use crate::api::{FeedItem, Medal};

/// One post passed in this triage, in order: what was decided.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Passed {
    post_id: String,
    /// `None`: skipped.
    medal: Option<Medal>,
}

/// The open triage queue.
#[derive(Debug, Clone)]
pub struct Triage {
    /// The posts passed, oldest first (undo takes the last).
    passed: Vec<Passed>,
    /// The post on screen; `None` when none is left.
    pub current: Option<String>,
    /// The post pane was enlarged before (put back on leaving).
    zoom_before: bool,
}

impl Triage {
    /// Posts passed in this triage.
    pub fn passed(&self) -> usize {
        self.passed.len()
    }

    fn has_passed(&self, id: &str) -> bool {
        self.passed.iter().any(|p| p.post_id == id)
    }
}

/// Where the triage stands, for the screen: the post's number, how many
/// there are in all (passed + left), and the order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriageProgress {
    pub at: usize,
    pub total: usize,
    pub order: &'static str,
    /// The feed's filter hides some posts from the walk.
    pub filtered: bool,
    /// No post is left to judge (the last one shown stays selected).
    pub done: bool,
}

impl App {
    /// The posts of the feed on screen still to triage, in walking order.
    fn triage_candidates(&self) -> Vec<&FeedItem> {
        let Some(t) = &self.triage else {
            return Vec::new();
        };
        let feed = self.feed();
        let me = &self.session.agent_id;
        let items = (0..feed.view_len()).filter_map(|i| feed.view_item(i));
        let keep = |p: &&FeedItem| {
            (me.is_empty() || &p.author.id != me)
                && p.agent_medal.is_none()
                && self.outbox.get(&p.id).is_none()
                && !t.has_passed(&p.id)
        };
        match self.sort {
            // The list is newest first: the walk starts at its end.
            FeedSort::Latest => {
                let mut v: Vec<&FeedItem> = items.filter(keep).collect();
                v.reverse();
                v
            }
            FeedSort::Rising => items.filter(keep).collect(),
        }
    }

    /// Where the triage stands (`None` when it is not open).
    pub fn triage_progress(&self) -> Option<TriageProgress> {
        let t = self.triage.as_ref()?;
        let left = self.triage_candidates();
        let current_counted = t
            .current
            .as_ref()
            .is_some_and(|c| left.iter().any(|p| &p.id == c));
        let left_n = left.len() + usize::from(t.current.is_some() && !current_counted);
        Some(TriageProgress {
            at: (t.passed() + 1).min(t.passed() + left_n),
            total: t.passed() + left_n,
            order: match self.sort {
                FeedSort::Latest => "oldest first",
                FeedSort::Rising => "by rising",
            },
            filtered: self.filter.is_active(),
            done: t.current.is_none(),
        })
    }

    /// `T`: opens the triage queue on the feed on screen.
    pub(super) fn open_triage(&mut self) {
        if self.readonly_refusal() {
            return;
        }
        if self.view.is_some() {
            self.close_view();
        }
        self.follow = false;
        self.triage = Some(Triage {
            passed: Vec::new(),
            current: None,
            zoom_before: self.zoom_post,
        });
        self.zoom_post = true;
        self.mode = Mode::Triage;
        self.triage_next();
        if let Some(p) = self.triage_progress() {
            let keys = |a| self.keymap.first_key(a);
            self.info(format!(
                "Triage: {} posts to judge ({}). {}/{}/{} medal, {} skip, {} undo, {} leaves.",
                p.total,
                p.order,
                keys(Action::TriageGold),
                keys(Action::TriageSilver),
                keys(Action::TriageBronze),
                keys(Action::TriageSkip),
                keys(Action::TriageUndo),
                keys(Action::TriageLeave),
            ));
        }
    }

    /// Leaves the triage queue; the outbox goes on sending.
    pub(super) fn close_triage(&mut self) {
        if let Some(t) = self.triage.take() {
            self.zoom_post = t.zoom_before;
            let rows = self.feed_rows();
            self.feed_mut().scroll_into_view(rows);
        }
        self.mode = Mode::Feed;
        let n = self.outbox.len();
        if n > 0 {
            let key = self.keymap.first_key(Action::Outbox);
            self.info(format!(
                "Left the triage queue: {n} medal{} in the outbox still go out as the window frees ({key} lists them).",
                if n == 1 { "" } else { "s" }
            ));
        }
    }

    /// Shows the next post to triage (or says none is left).
    fn triage_next(&mut self) {
        let next = self.triage_candidates().first().map(|p| p.id.clone());
        if let Some(t) = self.triage.as_mut() {
            t.current = next.clone();
        }
        match next {
            Some(id) => self.select_post(&id),
            None => {
                let key = self.keymap.first_key(Action::TriageLeave);
                let sort = self.sort.label();
                self.info(if !self.feed().loaded() {
                    format!("The {sort} feed is not loaded yet: the triage starts on its first post when it arrives ({key} leaves).")
                } else if self.filter.is_active() {
                    format!("Nothing left to triage among the posts the filter shows: every one is medalled, yours, skipped or in the outbox (the feed's filter keys change it; {key} leaves).")
                } else {
                    format!("Nothing left to triage in the loaded {sort} feed: every post is medalled, yours, skipped or in the outbox ({key} leaves).")
                });
            }
        }
    }

    /// Selects the post `id` in the feed on screen (when it is listed).
    fn select_post(&mut self, id: &str) {
        let rows = self.feed_rows();
        let feed = self.feed();
        let pos = (0..feed.view_len()).find(|&i| feed.view_item(i).is_some_and(|p| p.id == id));
        if let Some(i) = pos {
            self.feed_mut().select(i, rows);
        }
    }

    /// A decision on the post on screen: a medal into the outbox, or a
    /// skip (`None`); then the next post.
    pub(super) fn triage_decide(&mut self, medal: Option<Medal>) {
        let Some(id) = self.triage.as_ref().and_then(|t| t.current.clone()) else {
            self.triage_next();
            return;
        };
        if let Some(m) = &medal {
            if self.readonly_refusal() {
                return;
            }
            self.queue_medal(&id, m.clone());
        }
        if let Some(t) = self.triage.as_mut() {
            t.passed.push(Passed {
                post_id: id,
                medal: medal.clone(),
            });
        }
        self.triage_next();
        if medal.is_some() {
            self.say_outbox_wait();
        }
    }

    /// After a decision: when it has to wait, how many wait and when the
    /// next one goes.
    fn say_outbox_wait(&mut self) {
        let n = self.outbox.waiting();
        if n == 0 {
            return;
        }
        let t = self.server_now();
        let prefix = format!(
            "Medal window full: {n} medal{} wait{} in the outbox, the next goes in ",
            if n == 1 { "" } else { "s" },
            if n == 1 { "s" } else { "" },
        );
        match self.quota.blocked_until(super::WriteKind::Medal, t) {
            Some(until) => {
                let now = self.now;
                self.status = Some(super::Status::wait(&prefix, until, ".", now, t).as_info());
            }
            None => self.info(format!(
                "{n} medal{} wait{} in the outbox.",
                if n == 1 { "" } else { "s" },
                if n == 1 { "s" } else { "" },
            )),
        }
    }

    /// Undo in the triage: the last decision is taken back when it has
    /// not reached the server, and its post is shown again.
    pub(super) fn triage_undo(&mut self) {
        let Some(last) = self.triage.as_mut().and_then(|t| t.passed.pop()) else {
            self.info("Nothing to undo: no post was passed in this triage yet.");
            return;
        };
        let whose = who(&self
            .post(&last.post_id)
            .map(|p| p.author.handle.clone())
            .unwrap_or_default());
        match &last.medal {
            None => self.info(format!("Back to the post{whose} you skipped.")),
            Some(m) => {
                let medal = m.as_str().to_lowercase();
                if self.cancel_outboxed(&last.post_id).is_some() {
                    self.info(format!(
                        "Took back the {medal} medal{whose}: nothing was sent."
                    ));
                } else if self
                    .post(&last.post_id)
                    .is_some_and(|p| p.agent_medal.as_ref() == Some(m))
                {
                    self.info(format!(
                        "The {medal} medal{whose} was already sent: give another medal to change it."
                    ));
                } else {
                    self.info(format!("Back to the post{whose}."));
                }
            }
        }
        if let Some(t) = self.triage.as_mut() {
            t.current = Some(last.post_id.clone());
        }
        self.select_post(&last.post_id);
    }

    /// Keeps the triage on a post that is still listed (called in every
    /// update while it is open: a refresh may have dropped it, or its
    /// list moved under the selection).
    pub(super) fn keep_triage_on_post(&mut self) {
        let Some(t) = &self.triage else { return };
        if self.mode != Mode::Triage {
            return;
        }
        let listed = |id: &str| {
            let feed = self.feed();
            (0..feed.view_len()).any(|i| feed.view_item(i).is_some_and(|p| p.id == id))
        };
        match t.current.clone() {
            Some(id) if listed(&id) => {
                if self.selected().is_none_or(|p| p.id != id) {
                    self.select_post(&id);
                }
            }
            // Gone from the list (or none was left): the next one, if any
            // has arrived since.
            current => {
                let next = self.triage_candidates().first().map(|p| p.id.clone());
                if let Some(id) = next {
                    if current.is_none() {
                        // "Nothing left" / "not loaded yet" no longer holds.
                        self.clear_status();
                    }
                    if let Some(t) = self.triage.as_mut() {
                        t.current = Some(id.clone());
                    }
                    self.select_post(&id);
                }
            }
        }
    }

    /// Hide the post on screen or mute its author (`action`, as in the
    /// feed), then the next post: spam met in the queue leaves it at once.
    pub(super) fn triage_mute(&mut self, action: Action, fx: &mut Vec<super::Effect>) {
        self.mutes_act(action, fx);
        let said = self.status.clone();
        self.triage_next();
        if self.triage.as_ref().is_some_and(|t| t.current.is_some()) {
            // What was hidden, and how to undo it, stays on screen.
            self.status = said;
        }
    }

    /// `tab` in the triage: the other order (the other feed; when it is
    /// not loaded yet, the triage starts on it when it arrives).
    pub(super) fn triage_switch_order(&mut self, fx: &mut Vec<super::Effect>) {
        self.sort = self.sort.other();
        if !self.feed().loaded() && self.feed().loading().is_none() {
            self.load_first(self.sort, fx);
        }
        self.triage_next();
    }
}
