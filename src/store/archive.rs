//! The archive through the store's thread ([`StoreHandle`]): what the
//! running app records (feed pages, my actions) without waiting, the
//! start-up prune, and the reads a view needs (the last feed, an author's
//! posts, a search, my history, the totals).
//!
//! Reads come two ways: `*_wait` blocks the caller (at most `timeout`;
//! the CLI, start-up), [`StoreHandle::read`] answers through a callback on
//! the store's thread (a TUI view: send the answer to the loop as a
//! message). Either way SQLite never runs on the UI thread.

use super::writer::Writer;
use super::{Account, Action, PostRow, Pruned, Store, StoreHandle};
use serde_json::Value;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

fn text(e: &rusqlite::Error) -> String {
    crate::text::truncate(&crate::text::clean_line(&e.to_string()), 200)
}

impl StoreHandle {
    /// Stores one feed page in the background (see
    /// [`Store::record_page`]); a failure is logged.
    pub fn record_page(&self, account: &Account, sort: &str, head: bool, items: Vec<Value>) {
        let account = account.clone();
        let sort = sort.to_string();
        drop(self.call(move |w: &mut Writer| {
            let now = super::now_millis();
            let r = w.store().and_then(|s| {
                s.record_page(&account, &sort, head, &items, now)
                    .map_err(|e| text(&e))
            });
            if let Err(e) = r {
                tracing::warn!("could not store a feed page: {e}");
            }
        }));
    }

    /// Adds an action to the history in the background; a failure is
    /// logged.
    pub fn record_action(&self, account: &Account, action: Action) {
        let account = account.clone();
        drop(self.call(move |w: &mut Writer| {
            let r = w
                .store()
                .and_then(|s| s.record_action(&account, &action).map_err(|e| text(&e)));
            if let Err(e) = r {
                tracing::warn!("could not store an action: {e}");
            }
        }));
    }

    /// Prunes in the background (see [`Store::prune`]); the outcome is
    /// logged.
    pub fn prune_in_background(&self, max_bytes: u64, days: u32) {
        drop(self.call(move |w: &mut Writer| {
            let r = w.store().and_then(|s| {
                s.prune(max_bytes, days, super::now_millis())
                    .map_err(|e| text(&e))
            });
            match r {
                Ok(p) => tracing::info!("archive pruned: {p:?}"),
                Err(e) => tracing::warn!("could not prune the archive: {e}"),
            }
        }));
    }

    /// Prunes and waits for it.
    pub fn prune_wait(
        &self,
        max_bytes: u64,
        days: u32,
        timeout: Duration,
    ) -> Result<Pruned, String> {
        self.read_wait(timeout, move |s| {
            s.prune(max_bytes, days, super::now_millis())
        })
    }

    /// Runs `f` on the store's thread; `done` hears its answer there
    /// (e.g. sends it to the app's loop as a message).
    pub fn read<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store) -> rusqlite::Result<R> + Send + 'static,
        done: impl FnOnce(Result<R, String>) + Send + 'static,
    ) {
        drop(self.call(move |w: &mut Writer| {
            done(w.store().and_then(|s| f(s).map_err(|e| text(&e))));
        }));
    }

    /// Runs `f` on the store's thread and waits (at most `timeout`).
    pub fn read_wait<R: Send + 'static>(
        &self,
        timeout: Duration,
        f: impl FnOnce(&mut Store) -> rusqlite::Result<R> + Send + 'static,
    ) -> Result<R, String> {
        self.wait(timeout, move |w: &mut Writer| {
            w.store().and_then(|s| f(s).map_err(|e| text(&e)))
        })?
    }

    /// The last feed of `account` for `sort`, at most `limit` rows (see
    /// [`Store::last_feed`]; [`PostRow::page`] makes it a feed page), waiting
    /// at most `timeout`.
    pub fn last_feed_wait(
        &self,
        account: &Account,
        sort: &str,
        limit: usize,
        timeout: Duration,
    ) -> Result<Vec<PostRow>, String> {
        let account = account.clone();
        let sort = sort.to_string();
        self.read_wait(timeout, move |s| s.last_feed(&account, &sort, limit))
    }
}

/// What the running app records for one account: every feed page it
/// receives (unless `archive = false`) and the outcome of every like,
/// medal and comment it sends. Cheap to clone; recording never waits (the
/// work is queued to the store's thread).
#[derive(Debug, Clone)]
pub struct Recorder {
    store: StoreHandle,
    /// Shared by the clones: [`Recorder::switch`] moves them all.
    account: Arc<RwLock<Account>>,
    posts: bool,
}

impl Recorder {
    /// Records into `store` for `account`; `posts` = keep posts (the
    /// `archive` setting).
    pub fn new(store: StoreHandle, account: Account, posts: bool) -> Recorder {
        Recorder {
            store,
            account: Arc::new(RwLock::new(account)),
            posts,
        }
    }

    /// Records for `to` from now on (a stand-in account learned who it
    /// is), in this recorder and every clone of it.
    pub fn switch(&self, to: &Account) {
        *self.account.write().unwrap_or_else(PoisonError::into_inner) = to.clone();
    }

    /// Whether feed pages are kept.
    pub fn keeps_posts(&self) -> bool {
        self.posts
    }

    /// The store recorded into (the archive views read it).
    pub fn store(&self) -> &StoreHandle {
        &self.store
    }

    /// The account recorded for.
    pub fn account(&self) -> Account {
        self.account
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Stores a received feed page of `sort` (`head` = its first page).
    pub fn page(&self, sort: &str, head: bool, items: Vec<Value>) {
        if self.posts {
            self.store.record_page(&self.account(), sort, head, items);
        }
    }

    /// Records that a `kind` action on `post_id` (with `detail`), asked
    /// at `at` (Unix milliseconds, the app's clock: `Runner::run`), got
    /// `result`.
    pub fn action<T>(
        &self,
        post_id: &str,
        kind: super::ActionKind,
        detail: String,
        result: &Result<T, crate::api::ApiError>,
        at: i64,
    ) {
        let action = Action {
            at,
            post_id: post_id.to_string(),
            kind,
            detail,
            outcome: super::Outcome::of(result),
        };
        self.store.record_action(&self.account(), action);
    }
}
