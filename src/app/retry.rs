//! Retrying a failed like, medal or comment with one key (`R`, the
//! `retry` action). Nothing is ever retried automatically: likes and
//! comments are not idempotent (CONTRACT.md, like and comments sections).

use super::writes::Write;
use super::{App, Composer, Effect, Mode};

impl App {
    /// `R`: sends the last failed action again, once.
    pub(super) fn retry(&mut self, fx: &mut Vec<Effect>) {
        let Some(failed) = self.writes.take_failed() else {
            self.info("Nothing to retry.");
            return;
        };
        match failed {
            Write::Like { post_id, liked } => match self.post(&post_id) {
                None => self.error("The post of the failed like is no longer loaded."),
                Some(p) if p.agent_liked == liked => {
                    self.info("Nothing to retry: the post already shows that like state.")
                }
                Some(_) => self.toggle_like_of(&post_id, fx),
            },
            Write::Medal { post_id, medal } => match self.post(&post_id) {
                None => self.error("The post of the failed medal is no longer loaded."),
                Some(_) => self.give_medal_to(&post_id, medal, fx),
            },
            Write::Comment { post_id, body } => {
                let editor_here = self.composer.as_ref().is_some_and(|c| c.post_id == post_id);
                if !editor_here {
                    // The newest text wins: the kept draft, else what was sent.
                    let text = self.drafts.get(&post_id).cloned().unwrap_or(body);
                    let author = self
                        .post(&post_id)
                        .map(|p| p.author.handle.clone())
                        .unwrap_or_default();
                    if let Some(c) = self.composer.take() {
                        // Another post's editor was open: keep its text.
                        if !c.is_blank() {
                            self.drafts.insert(c.post_id.clone(), c.text());
                        }
                    }
                    self.composer = Some(Composer::new(post_id, author, &text));
                }
                self.mode = Mode::Editor;
                self.send_comment(fx);
            }
        }
    }
}

#[cfg(test)]
#[path = "retry_tests.rs"]
mod tests;
