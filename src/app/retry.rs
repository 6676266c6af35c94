//! Retrying a failed like, medal or comment with one key (`R`, the
//! `retry` action). Nothing is ever retried automatically: likes and
//! comments are not idempotent (CONTRACT.md, like and comments sections).

use super::{App, Composer, Effect, Mode};
use crate::api::Medal;

/// The last action that failed with an error worth retrying (network,
/// timeout, 5xx, 429), kept until it is retried, succeeds or another one
/// fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failed {
    /// A like toggle that should have left the post `liked` (or not).
    Like { post_id: String, liked: bool },
    /// A medal.
    Medal { post_id: String, medal: Medal },
    /// A comment with the body that was sent (trimmed).
    Comment { post_id: String, body: String },
}

impl Failed {
    /// The post the action was for.
    pub fn post_id(&self) -> &str {
        match self {
            Failed::Like { post_id, .. }
            | Failed::Medal { post_id, .. }
            | Failed::Comment { post_id, .. } => post_id,
        }
    }
}

/// The hint appended to a failure message that can be retried.
pub(super) const RETRY_HINT: &str = "(R to retry)";

impl App {
    /// Remembers a failed action for `R` when the error is worth retrying.
    pub(super) fn remember_failure(&mut self, failed: Failed, retryable: bool) {
        self.last_failed = retryable.then_some(failed);
    }

    /// Forgets the remembered failure when it is for this post and kind.
    pub(super) fn forget_failure(&mut self, same: impl Fn(&Failed) -> bool) {
        if self.last_failed.as_ref().is_some_and(same) {
            self.last_failed = None;
        }
    }

    /// `R`: sends the last failed action again, once.
    pub(super) fn retry(&mut self, fx: &mut Vec<Effect>) {
        let Some(failed) = self.last_failed.take() else {
            self.info("Nothing to retry.");
            return;
        };
        match failed {
            Failed::Like { post_id, liked } => match self.post(&post_id) {
                None => self.error("The post of the failed like is no longer loaded."),
                Some(p) if p.agent_liked == liked => {
                    self.info("Nothing to retry: the post already shows that like state.")
                }
                Some(_) => self.toggle_like_of(&post_id, fx),
            },
            Failed::Medal { post_id, medal } => match self.post(&post_id) {
                None => self.error("The post of the failed medal is no longer loaded."),
                Some(_) => self.give_medal_to(&post_id, medal, fx),
            },
            Failed::Comment { post_id, body } => {
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
