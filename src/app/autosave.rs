//! Drafts saved while typing: a change to the drafts (the open editor's
//! text included) is handed to the store [`SAVE_DELAY`] after the first
//! change not yet saved (the keys typed meanwhile ride along), so a kill of
//! any kind loses at most that much, however long the typing goes on. The runtime does the writing (`Effect::SaveDrafts`) and
//! answers with `Msg::DraftsSaved`; a failure is said at once in the
//! status line, the text stays in memory and the save is tried again
//! after [`RETRY_DELAY`].

use super::{App, Effect};
use crate::drafts::Drafts;

/// From a change to its save.
pub const SAVE_DELAY: chrono::Duration = chrono::Duration::milliseconds(500);

/// From a failed save to the next try.
pub const RETRY_DELAY: chrono::Duration = chrono::Duration::seconds(5);

impl App {
    /// The drafts as the store keeps them: the kept drafts, the open
    /// editor's text, and which post's editor is open.
    pub fn drafts_snapshot(&self) -> Drafts {
        Drafts::from_map(&self.drafts_to_save(), self.open_draft_post())
    }

    /// Called at the end of every update: schedules a save when the drafts
    /// changed, and asks for it when it is due.
    pub(super) fn autosave_drafts(&mut self, fx: &mut Vec<Effect>) {
        let now_drafts = self.drafts_snapshot();
        if self.drafts_handed.as_ref() == Some(&now_drafts) {
            self.drafts_due = None;
            return;
        }
        match self.drafts_due {
            None => self.drafts_due = Some(self.now + SAVE_DELAY),
            Some(due) if due <= self.now => {
                self.drafts_due = None;
                self.drafts_handed = Some(now_drafts.clone());
                fx.push(Effect::SaveDrafts(now_drafts));
            }
            Some(_) => {}
        }
    }

    /// The store's answer to a save.
    pub(super) fn on_drafts_saved(&mut self, result: Result<(), String>) {
        if let Err(e) = result {
            self.error(format!(
                "Could not save drafts: {e}. They stay in memory; trying again in {} s.",
                RETRY_DELAY.num_seconds()
            ));
            self.drafts_handed = None;
            self.drafts_due = Some(self.now + RETRY_DELAY);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{t0, typed, TestApp};
    use super::super::Msg;
    use super::*;

    fn saves(fx: &[Effect]) -> Vec<Drafts> {
        fx.iter()
            .filter_map(|e| match e {
                Effect::SaveDrafts(d) => Some(d.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn typing_is_saved_once_after_the_delay_with_its_editor_open() {
        let mut app = TestApp::new().build();
        app.update(typed('c'), t0());
        let mut all = Vec::new();
        for (i, ch) in "hi there".chars().enumerate() {
            let t = t0() + chrono::Duration::milliseconds(50 * i as i64);
            all.extend(saves(&app.update(typed(ch), t)));
        }
        assert!(all.is_empty(), "nothing saved while the burst lasts");
        let due = app.next_wake().unwrap();
        assert!(due <= t0() + SAVE_DELAY, "woken for the save");
        let fx = app.update(Msg::Tick, t0() + SAVE_DELAY);
        let saved = saves(&fx);
        assert_eq!(saved.len(), 1);
        let post = app.open_draft_post().unwrap().to_string();
        assert_eq!(saved[0].get(&post), Some("hi there"));
        assert_eq!(saved[0].open(), Some(post.as_str()));
        // Nothing changed since: no second save.
        let later = t0() + chrono::Duration::seconds(10);
        assert!(saves(&app.update(Msg::Tick, later)).is_empty());
    }

    #[test]
    fn a_failed_save_is_said_at_once_kept_and_retried() {
        let mut app = TestApp::new().build();
        app.update(typed('c'), t0());
        app.update(typed('x'), t0());
        let t1 = t0() + SAVE_DELAY;
        assert_eq!(saves(&app.update(Msg::Tick, t1)).len(), 1);
        app.update(Msg::DraftsSaved(Err("disk full".into())), t1);
        let status = app.status.as_ref().map(|s| s.text.clone()).unwrap();
        assert!(
            status.contains("Could not save drafts: disk full"),
            "{status}"
        );
        assert!(app.drafts_to_save().values().any(|t| t == "x"));
        // Tried again after the retry delay, with the same text.
        assert!(saves(&app.update(Msg::Tick, t1 + SAVE_DELAY)).is_empty());
        let again = saves(&app.update(Msg::Tick, t1 + RETRY_DELAY));
        assert_eq!(again.len(), 1);
        assert!(again[0].iter().any(|(_, t)| t == "x"));
    }
}
